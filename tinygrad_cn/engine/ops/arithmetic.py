"""Arithmetic: y = a + b, a − b, a·b, a / b, a^b, −a (numpy broadcasting; the engine sums each
gradient back to its input's shape). Each also runs on Python floats (``forward_float``, the scalar
fast path), and its rules are written so that they do too."""

from __future__ import annotations

import math
import operator

import numpy as np

from .. import xp
from ..op import Formula, Op


class Add(Op):
    name, symbol = "add", "+"
    formula = Formula(
        "y = a + b", ("∂y/∂a = 1", "∂y/∂b = 1"), inputs=("a", "b"),
        zh="加法把上游梯度原样分给两个输入", en="addition passes the upstream gradient to both inputs unchanged",
    )

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    forward_float = operator.add  # the same on Python floats

    backward = (
        lambda ctx, g, y, a, b: g,
        lambda ctx, g, y, a, b: g,
    )


class Sub(Op):
    name, symbol = "sub", "−"
    formula = Formula(
        "y = a − b", ("∂y/∂a = 1", "∂y/∂b = −1"), inputs=("a", "b"),
        zh="减法：被减数得到上游梯度，减数得到它的相反数",
        en="subtraction: a gets the upstream gradient, b gets its negative",
    )

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    forward_float = operator.sub  # the same on Python floats

    backward = (
        lambda ctx, g, y, a, b: g,
        lambda ctx, g, y, a, b: -g,
    )


class Mul(Op):
    name, symbol = "mul", "×"
    formula = Formula(
        "y = a · b", ("∂y/∂a = b", "∂y/∂b = a"), inputs=("a", "b"),
        zh="乘法：对一个因子求导得到另一个因子", en="product: the derivative w.r.t. one factor is the other factor",
    )

    @staticmethod
    def forward(ctx, a, b):
        return a * b

    forward_float = operator.mul  # the same on Python floats

    backward = (
        lambda ctx, g, y, a, b: g * b,
        lambda ctx, g, y, a, b: g * a,
    )


class Div(Op):
    name, symbol = "div", "÷"
    formula = Formula(
        "y = a / b", ("∂y/∂a = 1/b", "∂y/∂b = −a/b²"), inputs=("a", "b"),
        zh="除法：对分子求导为 1/b，对分母求导为 −a/b²",
        en="division: 1/b for the numerator, −a/b² for the denominator",
    )

    @staticmethod
    def forward(ctx, a, b):
        return a / b

    forward_float = operator.truediv  # the same on Python floats (b = 0 raises: numpy's inf instead)

    backward = (
        lambda ctx, g, y, a, b: g / b,
        lambda ctx, g, y, a, b: -g * a / (b * b),
    )


class Neg(Op):
    name, symbol = "neg", "−x"
    formula = Formula("y = −a", ("∂y/∂a = −1",), inputs=("a",), zh="取负：梯度变号", en="negation flips the gradient's sign")

    @staticmethod
    def forward(ctx, a):
        return -a

    forward_float = operator.neg

    backward = (lambda ctx, g, y, a: -g,)


def _pow_grad_base(ctx, g, y, a, b):
    """g·∂y/∂a = g·b·a^(b−1); for the common square (b = 2) simply 2a, without a general power.
    Where b = 0, y = a⁰ = 1 is constant: the gradient is 0 (as torch), even at a = 0."""
    if type(b) is float:  # the scalar fast path (a ** b raises where numpy gives inf: numpy reruns it)
        return g * (2 * a) if b == 2 else g * b * a ** (b - 1 if b != 0 else 0.0)
    if not xp.is_value(b) and b.ndim == 0 and b == 2:
        return g * (2 * a)
    nonzero = xp.data(b) != 0
    if nonzero.all():
        return g * b * a ** (b - 1)
    return g * b * a ** xp.where(nonzero, b - 1, 0.0)  # b·a⁰ = 0 where b = 0: no 0·∞ = NaN


def _pow_grad_exponent(ctx, g, y, a, b):
    """g·∂y/∂b = g·a^b·ln a, defined for a > 0. At the edges torch's conventions: 0 where a = 0 and
    b ≥ 0, −∞·g where a = 0 > b, NaN for a < 0."""
    if type(a) is float:  # the scalar fast path (math.log raises for a ≤ 0: numpy reruns it)
        return 0.0 if a == 0 and b >= 0 else g * y * math.log(a)
    zero = (xp.data(a) == 0) & (xp.data(b) >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):  # ln 0 = −∞, ln of a negative = NaN
        out = g * y * xp.log(xp.where(zero, 1.0, a) if zero.any() else a)
    return xp.where(zero, 0.0, out) if zero.any() else out


class Pow(Op):
    name, symbol = "pow", "^"
    formula = Formula(
        "y = a^b", ("∂y/∂a = b·a^(b−1)", "∂y/∂b = a^b·ln a"), inputs=("a", "b"),
        zh="幂函数：对底数求导 b·a^(b−1)；对指数求导 a^b·ln a（要求 a > 0）",
        en="power: b·a^(b−1) for the base; a^b·ln a for the exponent (needs a > 0)",
    )

    @staticmethod
    def forward(ctx, a, b):
        if b.ndim == 0 and b == 2:
            return a * a  # the square: one multiplication, not a general power
        return np.power(a, b)

    @staticmethod
    def forward_float(a, b):
        y = a ** b
        if type(y) is complex:  # a negative base to a fractional power: numpy's nan instead
            raise ValueError("pow: complex result")
        return y

    backward = (_pow_grad_base, _pow_grad_exponent)
