"""Exercises on autograd itself: a neuron by hand, a reused variable (+=), broadcast bias, matmul."""

from __future__ import annotations

import numpy as np

from ..engine import Value
from .core import Grad, Spec


def _neuron(x: dict[str, np.ndarray]) -> dict:
    # o = tanh(x1·w1 + x2·w2 + b), micrograd's neuron
    x1, x2, w1, w2, b = (Value(x[k]) for k in ("x1", "x2", "w1", "w2", "b"))
    x1w1, x2w2 = x1 * w1, x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = n.tanh()
    return {"dn": Grad(o, n), "db": Grad(o, b), "ds": Grad(o, s), "dx1w1": Grad(o, x1w1), "dx2w2": Grad(o, x2w2),
            "dx1": Grad(o, x1), "dw1": Grad(o, w1), "dx2": Grad(o, x2), "dw2": Grad(o, w2)}


NEURON = Spec(
    id="neuron",
    chapter="autograd",
    title={"zh": "手算一个神经元的反向传播", "en": "Backpropagate through one neuron by hand"},
    task={
        "zh": "一个神经元：x1w1 = x1·w1，x2w2 = x2·w2，s = x1w1 + x2w2，n = s + b，o = tanh(n)。\n"
        "从 o 开始反向传播，求 o 对每个中间量和每个输入的导数（dn 表示 ∂o/∂n，依此类推）。\n"
        "线索：tanh′(n) = 1 − tanh(n)²；加法把梯度原样传给两个输入；乘法把梯度乘上另一个因子。",
        "en": "One neuron: x1w1 = x1·w1, x2w2 = x2·w2, s = x1w1 + x2w2, n = s + b, o = tanh(n).\n"
        "Backpropagate from o: find the derivative of o with respect to every intermediate and every input "
        "(dn means ∂o/∂n, and so on).\n"
        "Clues: tanh′(n) = 1 − tanh(n)²; addition passes the gradient on unchanged to both inputs; "
        "multiplication multiplies it by the other factor.",
    },
    inputs={"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432},
    build=_neuron,
)


def _reuse(x: dict[str, np.ndarray]) -> dict:
    # L = (a·b + a)·b: a and b are each used twice, so each is written as two Values, one per use
    a_in_e, a_in_f, b_in_e, b_in_l = Value(x["a"]), Value(x["a"]), Value(x["b"]), Value(x["b"])
    e = a_in_e * b_in_e
    f = e + a_in_f
    loss = f * b_in_l
    return {"df": Grad(loss, f), "de": Grad(loss, e), "da": Grad(loss, a_in_e, a_in_f), "db": Grad(loss, b_in_e, b_in_l)}


REUSE = Spec(
    id="reuse",
    chapter="autograd",
    title={"zh": "一个变量用了两次：梯度要累加（+=）", "en": "A variable used twice: gradients add up (+=)"},
    task={
        "zh": "e = a·b，f = e + a，L = f·b。a 和 b 在计算图里各出现了两次。\n"
        "求 df = ∂L/∂f，de = ∂L/∂e，da = ∂L/∂a，db = ∂L/∂b。\n"
        "线索：一个量被用了几次，它的梯度就是每次使用传回来的梯度之和——这正是 micrograd 里写 grad += 而不是 grad = 的原因。",
        "en": "e = a·b, f = e + a, L = f·b. Both a and b appear twice in the graph.\n"
        "Find df = ∂L/∂f, de = ∂L/∂e, da = ∂L/∂a, db = ∂L/∂b.\n"
        "Clue: a quantity used several times gets the sum of the gradients that each use sends back — "
        "which is why micrograd writes grad += and not grad =.",
    },
    inputs={"a": 2.0, "b": -3.0},
    build=_reuse,
)


def _matmul(x: dict[str, np.ndarray]) -> dict:
    # Y = X W, L = Σ G ⊙ Y (G plays the upstream gradient ∂L/∂Y)
    X, W = Value(x["X"]), Value(x["W"])
    Y = X @ W
    loss = (Y * x["G"]).sum()
    return {"dY": Grad(loss, Y), "dX": Grad(loss, X), "dW": Grad(loss, W)}


MATMUL = Spec(
    id="matmul",
    chapter="autograd",
    title={"zh": "矩阵乘法的梯度：拿形状当线索", "en": "Matmul gradients: shapes are the clue"},
    task={
        "zh": "Y = X @ W（X 形状 (2, 3)，W 形状 (3, 4)），L = Σ G ⊙ Y，G 是给定的上游梯度。\n"
        "求 dY = ∂L/∂Y，dX = ∂L/∂X，dW = ∂L/∂W。\n"
        "线索：梯度和它的变量形状相同。dX 是 (2, 3)，只有 dY @ Wᵀ 能拼出这个形状；dW 是 (3, 4)，只有 Xᵀ @ dY 能。",
        "en": "Y = X @ W (X of shape (2, 3), W of shape (3, 4)), L = Σ G ⊙ Y, G the given upstream gradient.\n"
        "Find dY = ∂L/∂Y, dX = ∂L/∂X, dW = ∂L/∂W.\n"
        "Clue: a gradient has its variable's shape. dX is (2, 3) and only dY @ Wᵀ makes that shape; dW is "
        "(3, 4) and only Xᵀ @ dY does.",
    },
    inputs={
        "X": [[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]],
        "W": [[0.2, -0.1, 0.4, 1.0], [-0.3, 0.5, 0.0, 0.2], [0.7, 0.1, -0.6, -0.4]],
        "G": [[1.0, -1.0, 0.5, 2.0], [-0.5, 0.3, 1.5, -2.0]],
    },
    build=_matmul,
    batch=("X", "G"),
)


def _bias(x: dict[str, np.ndarray]) -> dict:
    # Z = X W + b: b (shape (3,)) is broadcast over the batch's 4 rows
    X, W, b = Value(x["X"]), Value(x["W"]), Value(x["b"])
    Z = X @ W + b
    loss = (Z * x["G"]).sum()
    return {"dZ": Grad(loss, Z), "db": Grad(loss, b), "dW": Grad(loss, W)}


BIAS = Spec(
    id="bias_broadcast",
    chapter="autograd",
    title={"zh": "广播的偏置：梯度要对批次求和", "en": "A broadcast bias: its gradient sums over the batch"},
    task={
        "zh": "Z = X @ W + b：X 形状 (4, 2)（4 个样本），W 形状 (2, 3)，偏置 b 形状 (3,) 被广播到每一行。\n"
        "L = Σ G ⊙ Z，G 是给定的上游梯度。求 dZ，db，dW。\n"
        "线索：b 被 4 个样本共用，db 是每个样本的贡献之和，形状和 b 一样是 (3,)。",
        "en": "Z = X @ W + b: X of shape (4, 2) (4 samples), W of shape (2, 3), the bias b of shape (3,) broadcast "
        "to every row.\nL = Σ G ⊙ Z, G the given upstream gradient. Find dZ, db, dW.\n"
        "Clue: all 4 samples share b, so db is the sum of their contributions, of b's shape (3,).",
    },
    inputs={
        "X": [[1.0, 2.0], [-1.0, 0.5], [0.0, -2.0], [3.0, 1.0]],
        "W": [[0.5, -1.0, 0.2], [0.3, 0.8, -0.5]],
        "b": [0.1, -0.2, 0.3],
        "G": [[1.0, 0.0, -1.0], [0.5, 2.0, 0.0], [-1.5, 1.0, 1.0], [0.2, -0.4, 0.6]],
    },
    build=_bias,
    batch=("X", "G"),
)

SPECS = (NEURON, REUSE, BIAS, MATMUL)
