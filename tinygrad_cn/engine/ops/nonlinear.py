"""The classic nonlinearities that are also Value methods: sigmoid, tanh, ReLU (``x.sigmoid()`` ...).

They live in the engine because ``Value`` offers them as methods and backward rules use them;
:mod:`tinygrad_cn.activations.basic` gives them their ``F.sigmoid`` / ``F.tanh`` / ``F.relu`` forms
beside the notes' other activations.
"""

from __future__ import annotations

import math

import numpy as np

from .. import xp
from ..op import Formula, Op
from ..xp import stable_sigmoid, stable_sigmoid_float


class Sigmoid(Op):
    name, symbol = "sigmoid", "σ"
    formula = Formula(
        "y = σ(x) = 1/(1+e^(−x))", ("∂y/∂x = σ(x)(1 − σ(x)) = y(1 − y)  (≤ 1/4, largest at x = 0)",),
        inputs=("x",),
        zh="sigmoid 的导数 y(1−y) 最大只有 0.25（在 x=0 处），层层相乘时梯度会消失",
        en="sigmoid's derivative y(1−y) is at most 0.25 (at x = 0): stacked, gradients vanish",
    )

    @staticmethod
    def forward(ctx, x):
        return stable_sigmoid(x)

    forward_float = stable_sigmoid_float

    backward = (lambda ctx, g, y, x: g * y * (1 - y),)


class Tanh(Op):
    name, symbol = "tanh", "tanh"
    formula = Formula(
        "y = tanh(x)", ("∂y/∂x = 1 − tanh²(x) = 1 − y²",), inputs=("x",),
        zh="tanh 的导数 1−y² 由输出直接算出，在 0 处为 1", en="tanh's derivative 1−y² comes from the output; it is 1 at 0",
    )

    @staticmethod
    def forward(ctx, x):
        return np.tanh(x)

    forward_float = math.tanh

    backward = (lambda ctx, g, y, x: g * (1 - y * y),)


class ReLU(Op):
    name, symbol = "relu", "ReLU"
    formula = Formula(
        "y = max(0, x)", ("∂y/∂x = 1 if x > 0 else 0  (0 at x = 0)",), inputs=("x",),
        zh="ReLU：正区间梯度为 1，负区间为 0（在 0 处取 0，与 PyTorch 相同）",
        en="ReLU: gradient 1 for x > 0 and 0 otherwise (0 at x = 0, as PyTorch)",
    )

    @staticmethod
    def forward(ctx, x):
        return np.maximum(x, 0)

    forward_float = staticmethod(lambda x: x if x > 0 or x != x else 0.0)  # nan stays nan, as np.maximum

    backward = (lambda ctx, g, y, x: g * (xp.data(x) > 0),)
