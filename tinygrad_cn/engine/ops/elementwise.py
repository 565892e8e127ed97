"""Elementwise math: exp, log, sqrt, abs, and where (a differentiable select)."""

from __future__ import annotations

import math

import numpy as np

from .. import xp
from ..op import Formula, Op
from ..value import Value


class Exp(Op):
    name, symbol = "exp", "exp"
    formula = Formula("y = eᵃ", ("∂y/∂a = eᵃ = y",), inputs=("a",), zh="指数函数的导数是它自己", en="exp is its own derivative")

    @staticmethod
    def forward(ctx, a):
        return np.exp(a)

    forward_float = math.exp  # on Python floats (overflow raises: numpy's inf instead)

    backward = (lambda ctx, g, y, a: g * y,)


class Log(Op):
    name, symbol = "log", "log"
    formula = Formula(
        "y = ln a", ("∂y/∂a = 1/a",), inputs=("a",),
        zh="自然对数的导数是 1/a", en="the natural log's derivative is 1/a",
    )

    @staticmethod
    def forward(ctx, a):
        return np.log(a)

    forward_float = math.log  # on Python floats (a ≤ 0 raises: numpy's −inf/nan instead)

    backward = (lambda ctx, g, y, a: g / a,)


class Sqrt(Op):
    name, symbol = "sqrt", "√"
    formula = Formula(
        "y = √a", ("∂y/∂a = 1/(2√a) = 1/(2y)",), inputs=("a",),
        zh="平方根的导数是 1/(2√a)", en="sqrt's derivative is 1/(2√a)",
    )

    @staticmethod
    def forward(ctx, a):
        return np.sqrt(a)

    forward_float = math.sqrt  # on Python floats (a < 0 raises: numpy's nan instead)

    backward = (lambda ctx, g, y, a: g / (2 * y),)


class Abs(Op):
    name, symbol = "abs", "|x|"
    formula = Formula(
        "y = |a|", ("∂y/∂a = sign(a)  (0 at a = 0)",), inputs=("a",),
        zh="绝对值的导数是 a 的符号，在 0 处取 0（与 PyTorch 相同）",
        en="abs' derivative is sign(a), taken as 0 at a = 0 (as PyTorch)",
    )

    @staticmethod
    def forward(ctx, a):
        return np.abs(a)

    forward_float = abs  # on Python floats

    backward = (lambda ctx, g, y, a: g * np.sign(xp.data(a)),)


class Where(Op):
    """``cond ? a : b``; ``cond`` is a constant boolean mask kept in ``ctx``."""

    name, symbol = "where", "where"
    formula = Formula(
        "y = cond ? a : b", ("∂y/∂a = cond", "∂y/∂b = ¬cond"), inputs=("a", "b"),
        zh="选择：梯度只流向被选中的那一边", en="select: the gradient flows only to the side that was chosen",
    )

    @staticmethod
    def forward(ctx, a, b):
        return np.where(ctx["cond"], a, b)

    backward = (
        lambda ctx, g, y, a, b: g * ctx["cond"],
        lambda ctx, g, y, a, b: g * ~ctx["cond"],
    )


def where(cond, a, b):
    """``tg.where(cond, a, b)``: elementwise ``a`` where ``cond`` else ``b``, differentiable in a, b.

    ``cond`` is a boolean array (or a Value, read as ``data != 0``); it gets no gradient.
    """
    c = np.asarray(cond._data) != 0 if isinstance(cond, Value) else np.asarray(cond, dtype=bool)
    return Where.apply(a, b, cond=c)
