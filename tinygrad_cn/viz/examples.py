"""Small example graphs to look at: micrograd's neuron, a diamond (a value used twice), a tensor
graph with broadcasting, and the notes' SwiGLU FeedForward.

>>> from tinygrad_cn import viz
>>> from tinygrad_cn.viz.examples import neuron
>>> o, leaves = neuron()
>>> round(o.item(), 4)                    # tanh(0.8814) = 1/√2
0.7071
>>> len(viz.explain_backward(o))          # the seed, then one step per (op, input)
10
"""

from __future__ import annotations

import numpy as np

from ..engine import Value


def neuron() -> tuple[Value, dict[str, Value]]:
    """micrograd's neuron o = tanh(x1·w1 + x2·w2 + b), every node labelled; returns (o, leaves).

    The bias is chosen so that n = 0.8814 and o = tanh(n) = 1/√2, hence 1 − o² = 1/2."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    s = x1w1 + x2w2
    s.label = "x1w1+x2w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


def diamond() -> tuple[Value, Value, Value]:
    """d = tanh(a·b + a): a is used twice, so its gradient gathers from two paths ("+=")."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = (c + a).tanh()
    d.label = "d"
    return d, a, b


def tensor_graph(seed: int = 0) -> tuple[Value, Value, Value]:
    """loss = mean(tanh(x W + b)²) + 0.1·ΣW²: broadcasting, a matmul and reductions; returns (loss, W, b)."""
    rng = np.random.default_rng(seed)
    x = Value(rng.normal(size=(4, 3)), requires_grad=False, label="x")
    W = Value(rng.normal(size=(3, 2)), label="W")
    b = Value(rng.normal(size=(2,)), label="b")
    h = (x @ W + b).tanh()
    loss = (h * h).mean() + (W * W).sum() * 0.1
    loss.label = "loss"
    return loss, W, b


def feedforward(seed: int = 0):  # -> tuple[Value, nn.FeedForward]
    """The notes' SwiGLU FeedForward (dim 4, hidden 6) on a batch of 2, loss = mean(out²); returns
    (loss, the module): draw it with ``params=`` to see one box per module call."""
    from .. import nn

    ffn = nn.FeedForward(4, hidden_dim=6, generator=seed, dtype=np.float64)
    x = Value(np.random.default_rng(seed + 1).normal(size=(2, 4)), requires_grad=False, label="x")
    loss = (ffn(x) ** 2).mean()
    loss.label = "loss"
    return loss, ffn


def mlp_2_4_1(seed: int = 0) -> tuple[Value, dict[str, Value]]:
    """micrograd's scalar MLP, 2 inputs → 4 tanh neurons → 1 linear output, every node a scalar;
    loss = (out − target)². Returns (loss, the parameters by name: w1_0_1 is hidden neuron 1's
    weight for input 0)."""
    rng = np.random.default_rng(seed)
    x = [Value(float(v), requires_grad=False, label=f"x{i}") for i, v in enumerate((0.5, -1.5))]
    params: dict[str, Value] = {}
    hidden = []
    for j in range(4):
        s: Value | None = None
        for i, xi in enumerate(x):
            w = params[f"w1_{i}{j}"] = Value(float(rng.uniform(-1, 1)), label=f"w1_{i}{j}")
            s = xi * w if s is None else s + xi * w
        b = params[f"b1_{j}"] = Value(float(rng.uniform(-1, 1)), label=f"b1_{j}")
        h = (s + b).tanh()
        h.label = f"h{j}"
        hidden.append(h)
    out: Value | None = None
    for j, h in enumerate(hidden):
        w = params[f"w2_{j}"] = Value(float(rng.uniform(-1, 1)), label=f"w2_{j}")
        out = h * w if out is None else out + h * w
    b2 = params["b2"] = Value(float(rng.uniform(-1, 1)), label="b2")
    assert out is not None
    y = out + b2
    y.label = "y"
    loss = (y - 1.0) ** 2
    loss.label = "loss"
    return loss, params


def softmax_regression_step(seed: int = 0) -> tuple[Value, Value, Value]:
    """One training step of softmax regression on 4 samples, 3 features, 3 classes: the notes'
    cross-entropy of the logits x W + b (W of shape (features, classes)). Returns (loss, W, b);
    b's gradient is a broadcast undone, a sum over the samples."""
    from .. import functional as F

    rng = np.random.default_rng(seed)
    x = Value(rng.normal(size=(4, 3)).round(2), requires_grad=False, label="x")
    W = Value(rng.normal(scale=0.5, size=(3, 3)).round(2), label="W")
    b = Value(np.zeros(3), label="b")
    y = np.array([0, 2, 1, 2])
    logits = x @ W + b
    logits.label = "logits"
    loss = F.cross_entropy(logits, y)
    loss.label = "loss"
    return loss, W, b
