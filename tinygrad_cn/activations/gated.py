"""Gated activations (the notes' GLU / Swish / SiLU / SwiGLU): one signal times a sigmoid-shaped gate.

GLU and SwiGLU split their input into two halves a, b along ``axis`` (as ``torch.nn.functional.glu``);
in a network the halves are the outputs of two linear layers (the notes' LLaMA ``FeedForward``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import xp
from ..engine.errors import ShapeError
from ..engine.op import Formula, Op
from ..engine.value import Operand, Value, normalize_axis
from .basic import stable_sigmoid
from .smooth import real_number, scaled


# ---- halves along an axis ------------------------------------------------------------------------
def _halves(shape: tuple[int, ...], axis: int, who: str) -> tuple[int, tuple, tuple]:
    """Normalised axis and the index of the first and second half of ``shape`` along it."""
    if len(shape) == 0:
        raise ShapeError(f"{who}: input must have at least 1 axis to split in halves, got a 0-d input")
    (ax,) = normalize_axis(axis, len(shape), who)
    n = shape[ax]
    if n % 2:
        raise ShapeError(f"{who}: axis {axis} of input shape {shape} has odd size {n}; it must split into two halves")
    lead = (slice(None),) * ax
    return ax, (*lead, slice(0, n // 2)), (*lead, slice(n // 2, n))


def _split(ctx: dict, x: Any) -> tuple[Any, Any]:
    return x[ctx["first"]], x[ctx["second"]]


def _join(ctx: dict, shape: tuple[int, ...], ga: Any, gb: Any) -> Any:
    """Stack the two halves' gradients back into one gradient of the input's shape."""
    if xp.is_value(ga) or xp.is_value(gb):  # differentiable concatenation: two scatter-adds
        return xp.index_add(shape, ctx["first"], ga, True) + xp.index_add(shape, ctx["second"], gb, True)
    return np.concatenate([ga, gb], axis=ctx["axis"])


def _halves_ctx(x: Operand, axis: int, who: str) -> dict:
    ax, first, second = _halves(np.shape(x.data if isinstance(x, Value) else x), axis, who)
    return {"axis": ax, "first": first, "second": second}


# ---- GLU -----------------------------------------------------------------------------------------
def _glu_grad(ctx, g, y, x):
    a, b = _split(ctx, x)
    s = xp.sigmoid(b) if xp.is_value(x) else ctx["s"]
    return _join(ctx, x.shape, g * s, g * a * s * (1 - s))


class GLU(Op):
    name, symbol = "glu", "GLU"
    formula = Formula(
        # the halves are x₁, x₂ (the input's own symbol, renamed with it), never other letters
        "[x₁, x₂] = split(x);  y = x₁ ⊗ σ(x₂)",
        ("∂y/∂x₁ = σ(x₂),  ∂y/∂x₂ = x₁·σ(x₂)(1 − σ(x₂))",),
        zh="GLU：把输入对半分成 x₁、x₂，σ(x₂) 是 0~1 之间的“门”，决定 x₁ 通过多少；x₁ 的梯度被门缩放，x₂ 的梯度是 x₁·σ'(x₂)",
        en="GLU splits x into halves x₁, x₂; the gate σ(x₂) ∈ (0, 1) decides how much of x₁ passes: "
        "x₁'s gradient is scaled by the gate, x₂'s is x₁·σ'(x₂)",
        inputs=("x",),
    )

    @staticmethod
    def forward(ctx, x):
        a, b = _split(ctx, x)
        ctx["s"] = s = stable_sigmoid(b)
        return a * s

    backward = (_glu_grad,)


def glu(x: Operand, axis: int = -1) -> Value:
    """GLU(x) = a ⊗ σ(b), where a, b are the two halves of x along ``axis`` (as torch's ``glu``).

    Derivatives: ∂y/∂a = σ(b); ∂y/∂b = a·σ(b)(1 − σ(b)). The output has half the input's size
    along ``axis``.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([3.0, -2.0, 0.0, 1.0])        # a = [3, −2], b = [0, 1]
    >>> y = F.glu(x); y.data
    array([ 1.5       , -1.46211716])
    >>> y.sum().backward(); x.grad                  # [σ(0), σ(1), 3·σ'(0), −2·σ'(1)]
    array([ 0.5       ,  0.73105858,  0.75      , -0.39322387])
    """
    return GLU.apply(x, **_halves_ctx(x, axis, "glu"))


# ---- Swish and SiLU ------------------------------------------------------------------------------
def _swish_beta(ctx, beta):
    return ctx["beta"] if beta is None else beta


def _swish_grad_x(ctx, g, y, x, beta=None):
    b = _swish_beta(ctx, beta)
    s = xp.sigmoid(scaled(x, b)) if xp.is_value(x) or xp.is_value(b) else ctx["s"]
    # d/dx x·σ(βx) = σ + βx·σ(1 − σ) = σ + β·(y(1 − σ)); y(1 − σ) first: for x = 1e308, β = 2 it
    # is 0, where β·y = inf would make inf·0 = NaN
    return g * (s + b * (y * (1 - s)))


def _swish_grad_beta(ctx, g, y, x, beta=None):
    s = xp.sigmoid(scaled(x, beta)) if xp.is_value(x) or xp.is_value(beta) else ctx["s"]
    # d/dβ x·σ(βx) = x²·σ(1 − σ) = x·(y(1 − σ)); y(1 − σ) first, so x·x never overflows for huge x
    return g * (x * (y * (1 - s)))


class Swish(Op):
    name, symbol = "swish", "swish"
    formula = Formula(
        "y = x·σ(βx)",
        ("∂y/∂x = σ(βx) + βy(1 − σ(βx))", "∂y/∂β = x·y(1 − σ(βx))"),
        zh="Swish：x 乘以自己的 sigmoid 门，0 附近比 ReLU 平滑；β 可以是常数，也可以是可学习参数",
        en="Swish gates x by its own sigmoid, smoother than ReLU near 0; β is a constant or a learned parameter",
    )

    @staticmethod
    def forward(ctx, x, beta=None):
        b = _swish_beta(ctx, beta)
        ctx["s"] = s = stable_sigmoid(scaled(x, b))  # σ(βx), βx clipped where σ is already 0 or 1
        return x * s

    backward = (_swish_grad_x, _swish_grad_beta)


def swish(x: Operand, beta: float | Value = 1.0) -> Value:
    """Swish(x) = x·σ(βx); ``beta`` is a number or a learnable Value (then it gets a gradient).

    Derivatives: ∂y/∂x = σ(βx) + β·y·(1 − σ(βx)); ∂y/∂β = x·y·(1 − σ(βx)). With β = 1 this is SiLU.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-1.0, 2.0]); beta = tg.Value(1.5)
    >>> y = F.swish(x, beta); y.data
    array([-0.18242552,  1.90514825])
    >>> y.sum().backward(); beta.grad             # Σ x·y·(1 − σ(βx))
    array(0.32985309)
    """
    if isinstance(beta, Value):
        return Swish.apply(x, beta)
    return Swish.apply(x, beta=real_number(beta, "beta", "swish"))


def _silu_grad(ctx, g, y, x):
    s = xp.sigmoid(x) if xp.is_value(x) else ctx["s"]
    return g * (s + y * (1 - s))  # d/dx x·σ(x) = σ + x·σ(1 − σ)


class SiLU(Op):
    name, symbol = "silu", "SiLU"
    formula = Formula(
        "y = x·σ(x)",
        ("∂y/∂x = σ(x) + y(1 − σ(x)) = σ(x)(1 + x(1 − σ(x)))",),
        zh="SiLU 就是 β=1 的 Swish：x 乘以 σ(x)；导数是 σ(x) 加上 x·σ'(x)（乘积法则）",
        en="SiLU is Swish with β = 1: x times σ(x); by the product rule its derivative is σ(x) + x·σ'(x)",
    )

    @staticmethod
    def forward(ctx, x):
        ctx["s"] = s = stable_sigmoid(x)
        return x * s

    backward = (_silu_grad,)


def silu(x: Operand) -> Value:
    """SiLU(x) = x·σ(x) (Swish with β = 1), as in the notes' ``F.silu``.

    Derivative: σ(x) + x·σ(x)(1 − σ(x)).

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-2.0, -1.0, 0.0, 1.0, 2.0])     # the notes' example input
    >>> y = F.silu(x); y.data
    array([-0.23840584, -0.26894142,  0.        ,  0.73105858,  1.76159416])
    >>> y.sum().backward(); x.grad
    array([-0.09078425,  0.07232949,  0.5       ,  0.92767051,  1.09078425])
    """
    return SiLU.apply(x)


# ---- SwiGLU --------------------------------------------------------------------------------------
def _swiglu_grad(ctx, g, y, x):
    a, b = _split(ctx, x)
    s = xp.sigmoid(a) if xp.is_value(x) else ctx["s"]
    sa = a * s  # silu(a)
    return _join(ctx, x.shape, g * b * (s + sa * (1 - s)), g * sa)


class SwiGLU(Op):
    name, symbol = "swiglu", "SwiGLU"
    formula = Formula(
        "[x₁, x₂] = split(x);  y = SiLU(x₁) ⊗ x₂ = x₁·σ(x₁) ⊗ x₂",
        ("∂y/∂x₁ = x₂·(σ(x₁) + x₁·σ(x₁)(1 − σ(x₁))),  ∂y/∂x₂ = x₁·σ(x₁)",),
        zh="SwiGLU：GLU 的变体，门从 sigmoid 换成 β=1 的 Swish（SiLU），LLaMA 的前馈层用它",
        en="SwiGLU is GLU with the sigmoid gate replaced by Swish with β = 1 (SiLU); LLaMA's feed-forward uses it",
    )

    @staticmethod
    def forward(ctx, x):
        a, b = _split(ctx, x)
        ctx["s"] = s = stable_sigmoid(a)
        return a * s * b

    backward = (_swiglu_grad,)


def swiglu(x: Operand, axis: int = -1) -> Value:
    """SwiGLU(x) = SiLU(a) ⊗ b, where a, b are the two halves of x along ``axis``.

    Derivatives: ∂y/∂a = b·SiLU'(a) = b·(σ(a) + a·σ(a)(1 − σ(a))); ∂y/∂b = SiLU(a).
    The notes' ``FeedForward`` computes ``w2(silu(w1 x) * w3 x)``: the same gate with the halves
    coming from two linear layers.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([1.0, 2.0, 3.0, -1.0])        # a = [1, 2], b = [3, −1]
    >>> y = F.swiglu(x); y.data
    array([ 2.19317574, -1.76159416])
    >>> y.sum().backward(); x.grad
    array([ 2.78301154, -1.09078425,  0.73105858,  1.76159416])
    """
    return SwiGLU.apply(x, **_halves_ctx(x, axis, "swiglu"))
