"""The classic activations: sigmoid, tanh, ReLU (also Value methods ``x.sigmoid()`` ...).

Each op keeps its forward, its backward and its formula together; the functions below are the
``F.sigmoid`` / ``F.tanh`` / ``F.relu`` forms.
"""

from __future__ import annotations

import numpy as np

from ..engine import xp
from ..engine.op import Formula, Op
from ..engine.value import Operand, Value


def stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1/(1+e^{−x}) without overflow.

    The plain formula needs one exp and is exact unless e^{−x} overflows (x below −88.7 in float32,
    −709 in float64). Only then it switches to e^{min(x,0)}/(1+e^{−|x|}), whose exps never see a
    positive argument (two exps, still no per-element branch). float16 is computed in float32.
    """
    if x.dtype == np.float16:
        return stable_sigmoid(x.astype(np.float32)).astype(np.float16)
    if x.size and x.min() < _SIGMOID_FLOOR.get(x.dtype.type, -88.7):
        return np.exp(np.minimum(x, 0)) / (1 + np.exp(-np.abs(x)))
    return 1 / (1 + np.exp(-x))


# −ln(largest finite float): e^{−x} overflows for x below this
_SIGMOID_FLOOR = {np.float32: -88.7, np.float64: -709.0}


class Sigmoid(Op):
    name, symbol = "sigmoid", "σ"
    formula = Formula(
        "y = σ(x) = 1/(1+e^(−x))", ("∂y/∂x = σ(x)(1 − σ(x)) = y(1 − y)  (≤ 1/4, largest at x = 0)",),
        zh="sigmoid 的导数 y(1−y) 最大只有 0.25（在 x=0 处），层层相乘时梯度会消失",
        en="sigmoid's derivative y(1−y) is at most 0.25 (at x = 0): stacked, gradients vanish",
    )

    @staticmethod
    def forward(ctx, x):
        return stable_sigmoid(x)

    backward = (lambda ctx, g, y, x: g * y * (1 - y),)


class Tanh(Op):
    name, symbol = "tanh", "tanh"
    formula = Formula(
        "y = tanh(x)", ("∂y/∂x = 1 − tanh²(x) = 1 − y²",),
        zh="tanh 的导数 1−y² 由输出直接算出，在 0 处为 1", en="tanh's derivative 1−y² comes from the output; it is 1 at 0",
    )

    @staticmethod
    def forward(ctx, x):
        return np.tanh(x)

    backward = (lambda ctx, g, y, x: g * (1 - y * y),)


class ReLU(Op):
    name, symbol = "relu", "ReLU"
    formula = Formula(
        "y = max(0, x)", ("∂y/∂x = 1 if x > 0 else 0  (0 at x = 0)",),
        zh="ReLU：正区间梯度为 1，负区间为 0（在 0 处取 0，与 PyTorch 相同）",
        en="ReLU: gradient 1 for x > 0 and 0 otherwise (0 at x = 0, as PyTorch)",
    )

    @staticmethod
    def forward(ctx, x):
        return np.maximum(x, 0)

    backward = (lambda ctx, g, y, x: g * (xp.data(x) > 0),)


def sigmoid(x: Operand) -> Value:
    """σ(x) = 1/(1 + e^(−x)), squashing any number into (0, 1).

    Derivative: σ'(x) = σ(x)(1 − σ(x)), at most 1/4 (at x = 0). Computed split by sign, so
    ±1e4 gives 1 and 0 without overflow.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-1e4, 0.0, 2.0])
    >>> y = F.sigmoid(x); y.data
    array([0.       , 0.5      , 0.88079708])
    >>> y.sum().backward(); x.grad          # σ(1 − σ): 0.25 at 0
    array([0.        , 0.25      , 0.10499359])
    """
    return Sigmoid.apply(x)


def tanh(x: Operand) -> Value:
    """tanh(x) = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ) ∈ (−1, 1), zero-centred.

    Derivative: tanh'(x) = 1 − tanh²(x), computed from the saved output; tanh'(0) = 1.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-1.0, 0.0, 1.0])
    >>> y = F.tanh(x); y.data
    array([-0.76159416,  0.        ,  0.76159416])
    >>> y.sum().backward(); x.grad
    array([0.41997434, 1.        , 0.41997434])
    """
    return Tanh.apply(x)


def relu(x: Operand) -> Value:
    """ReLU(x) = max(0, x).

    Derivative: 1 for x > 0, 0 for x < 0, and 0 at x = 0 (as PyTorch).

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-2.0, 0.0, 3.0])
    >>> y = F.relu(x); y.data
    array([0., 0., 3.])
    >>> y.sum().backward(); x.grad
    array([0., 0., 1.])
    """
    return ReLU.apply(x)
