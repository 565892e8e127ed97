"""Exercises on the notes' activation functions: sigmoid′ (max 0.25), tanh′, vanishing gradients
through a stack of sigmoids, and the backward pass of LLaMA's SwiGLU feed-forward network."""

from __future__ import annotations

import numpy as np

from .. import functional as F
from ..engine import Value, grad
from .core import Grad, Spec, Val

GRID = np.arange(-800, 801) / 100.0  # −8 … 8 in steps of 0.01, with 0 exactly on it


def _slope_max(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The largest derivative of fn on GRID, and where: both found with autograd, not typed in."""
    z = Value(GRID)
    (d,) = grad(fn(z).sum(), z)
    k = int(np.argmax(d.data))
    return float(d.data[k]), float(GRID[k])


def _sigmoid(x: dict[str, np.ndarray]) -> dict:
    z = Value(x["z"])
    s = F.sigmoid(z)
    top, where = _slope_max(F.sigmoid)
    return {"sig": Val(s), "dsig": Grad(s.sum(), z), "max_dsig": Val(top), "argmax_z": Val(where)}


SIGMOID = Spec(
    id="sigmoid_grad",
    chapter="activations",
    title={"zh": "sigmoid 的导数，以及它的最大值 0.25", "en": "The derivative of sigmoid, and its maximum 0.25"},
    task={
        "zh": "σ(z) = 1/(1 + e^(−z))。对给定的 z 求 sig = σ(z) 和 dsig = σ′(z)（逐元素），\n"
        "再求 σ′ 在整条实轴上的最大值 max_dsig，以及取到最大值的 argmax_z。\n"
        "线索：σ′(z) = σ(z)(1 − σ(z))，而 u(1 − u) 在 u = 1/2 时最大。这就是笔记说“每传一层梯度至多变为 0.25 倍”的原因。",
        "en": "σ(z) = 1/(1 + e^(−z)). For the given z find sig = σ(z) and dsig = σ′(z) (elementwise),\n"
        "then the maximum of σ′ over the whole real line, max_dsig, and where it is reached, argmax_z.\n"
        "Clue: σ′(z) = σ(z)(1 − σ(z)), and u(1 − u) is largest at u = 1/2. This is why the notes say that "
        "each layer scales the gradient by at most 0.25.",
    },
    inputs={"z": [-4.0, -1.0, 0.0, 0.5, 3.0]},
    build=_sigmoid,
)


def _tanh(x: dict[str, np.ndarray]) -> dict:
    z = Value(x["z"])
    t = F.tanh(z)
    zero = Value(0.0)
    (dt0,) = grad(F.tanh(zero), zero)
    (ds0,) = grad(F.sigmoid(zero), zero)
    return {"th": Val(t), "dth": Grad(t.sum(), z), "ratio": Val(dt0.data / ds0.data)}


TANH = Spec(
    id="tanh_grad",
    chapter="activations",
    title={"zh": "tanh 的导数：1 − tanh²", "en": "The derivative of tanh: 1 − tanh²"},
    task={
        "zh": "对给定的 z 求 th = tanh(z)，dth = tanh′(z)（逐元素），以及 ratio = tanh′(0)/σ′(0)。\n"
        "线索：tanh′(z) = 1 − tanh(z)²；tanh(z) = 2σ(2z) − 1，所以 tanh 在 0 点的斜率是 sigmoid 的几倍？",
        "en": "For the given z find th = tanh(z), dth = tanh′(z) (elementwise), and ratio = tanh′(0)/σ′(0).\n"
        "Clue: tanh′(z) = 1 − tanh(z)²; tanh(z) = 2σ(2z) − 1, so how many times steeper than sigmoid is tanh at 0?",
    },
    inputs={"z": [-2.0, -0.5, 0.0, 1.0, 2.0]},
    build=_tanh,
)


def _vanishing(x: dict[str, np.ndarray]) -> dict:
    # h_k = σ(w_k · h_{k−1}), h_0 = x: ∂h5/∂h_k is a product of factors σ′(·)·w, each ≤ 0.25·|w|
    h = [Value(x["x"])]
    for w in x["w"]:
        h.append(F.sigmoid(h[-1] * float(w)))
    top = h[-1]
    return {"dh4": Grad(top, h[4]), "dh3": Grad(top, h[3]), "dh2": Grad(top, h[2]), "dh1": Grad(top, h[1]),
            "dx": Grad(top, h[0])}


VANISHING = Spec(
    id="vanishing",
    chapter="activations",
    title={"zh": "梯度消失：穿过五层 sigmoid", "en": "Vanishing gradients: through five sigmoid layers"},
    task={
        "zh": "h0 = x，h_k = σ(w_k · h_(k−1))，k = 1 … 5（w 给定）。\n"
        "依次求 dh4 = ∂h5/∂h4，dh3 = ∂h5/∂h3，dh2，dh1，dx = ∂h5/∂x。\n"
        "线索：每过一层乘上 σ′(w_k·h_(k−1))·w_k ≤ 0.25·|w_k|，看它们怎样越乘越小。",
        "en": "h0 = x, h_k = σ(w_k · h_(k−1)) for k = 1 … 5 (w given).\n"
        "Find in turn dh4 = ∂h5/∂h4, dh3 = ∂h5/∂h3, dh2, dh1, dx = ∂h5/∂x.\n"
        "Clue: each layer multiplies by σ′(w_k·h_(k−1))·w_k ≤ 0.25·|w_k|; watch the product shrink.",
    },
    inputs={"x": 1.0, "w": [0.9, 0.5, 0.8, 0.7, 0.6]},
    build=_vanishing,
)


def _ffn(x: dict[str, np.ndarray]) -> dict:
    # the notes' FeedForward without dropout: y = w2(silu(w1 x) * w3 x), Linear layers y = x Wᵀ
    x_a, x_c = Value(x["x"]), Value(x["x"])  # x feeds both w1 and w3
    W1, W2, W3 = Value(x["W1"]), Value(x["W2"]), Value(x["W3"])
    a = x_a @ W1.T
    c = x_c @ W3.T
    g = F.silu(a)
    h = g * c
    y = h @ W2.T
    loss = (y * x["G"]).sum()
    return {"dh": Grad(loss, h), "dg": Grad(loss, g), "dc": Grad(loss, c), "da": Grad(loss, a),
            "dW2": Grad(loss, W2), "dW3": Grad(loss, W3), "dW1": Grad(loss, W1), "dx": Grad(loss, x_a, x_c)}


SWIGLU_FFN = Spec(
    id="swiglu_ffn",
    chapter="activations",
    title={"zh": "LLaMA 的 SwiGLU 前馈网络：整个反向传播", "en": "LLaMA's SwiGLU feed-forward network: the whole backward"},
    task={
        "zh": "笔记里的 FeedForward（不带 dropout）：a = x W1ᵀ，c = x W3ᵀ，g = silu(a) = a·σ(a)，h = g ⊙ c，\n"
        "y = h W2ᵀ；L = Σ G ⊙ y（G 是给定的上游梯度）。x 形状 (2, 3)，W1、W3 形状 (4, 3)，W2 形状 (3, 4)。\n"
        "依次求 dh，dg，dc，da，dW2，dW3，dW1，dx。\n"
        "线索：silu′(a) = σ(a)(1 + a(1 − σ(a)))；x 同时进了 w1 和 w3 两条支路，dx 是两条支路之和（+=）；"
        "dW2 = dyᵀ h，形状和 W2 一样。",
        "en": "The notes' FeedForward (no dropout): a = x W1ᵀ, c = x W3ᵀ, g = silu(a) = a·σ(a), h = g ⊙ c,\n"
        "y = h W2ᵀ; L = Σ G ⊙ y (G the given upstream gradient). x of shape (2, 3), W1 and W3 (4, 3), W2 (3, 4).\n"
        "Find in turn dh, dg, dc, da, dW2, dW3, dW1, dx.\n"
        "Clue: silu′(a) = σ(a)(1 + a(1 − σ(a))); x enters both the w1 and the w3 branch, so dx is the sum of the "
        "two (+=); dW2 = dyᵀ h, of W2's shape.",
    },
    inputs={
        "x": [[1.0, -0.5, 2.0], [0.5, 1.5, -1.0]],
        "W1": [[0.2, -0.4, 0.1], [0.5, 0.3, -0.2], [-0.3, 0.8, 0.4], [0.1, 0.1, 0.6]],
        "W3": [[0.7, 0.0, -0.5], [-0.2, 0.4, 0.3], [0.1, -0.6, 0.2], [0.3, 0.5, -0.1]],
        "W2": [[0.4, -0.3, 0.2, 0.1], [-0.5, 0.6, 0.0, 0.3], [0.2, 0.1, -0.4, 0.5]],
        "G": [[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]],
    },
    build=_ffn,
    batch=("x", "G"),
)

SPECS = (SIGMOID, TANH, VANISHING, SWIGLU_FFN)
