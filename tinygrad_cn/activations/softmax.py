"""Softmax and log-softmax: turn scores (logits) into a probability distribution along an axis.

Both shift by the maximum first (softmax(x) = softmax(x − max x)), so e^x never overflows.
"""

from __future__ import annotations

import numpy as np

from ..engine import xp
from ..engine.op import Formula, Op
from ..engine.value import Operand, Value, normalize_axis


def shift_by_max(x: np.ndarray, axis: tuple[int, ...] | int) -> np.ndarray:
    """x − max x along ``axis``: every entry ≤ 0, so e^(x − max) never overflows.

    For finite x the difference leaves the float range only when x spans more than the largest
    float (e.g. +finfo.max and −finfo.max in one row): those entries saturate at −finfo.max
    instead of overflowing to −inf (no warning; e^ of either is 0; and a weight of 0 times it is 0,
    where 0·(−inf) would be NaN). −inf in x (a mask) stays −inf."""
    m = x.max(axis=axis, keepdims=True)
    try:
        with np.errstate(over="raise"):  # the common case costs nothing extra
            return x - m
    except FloatingPointError:
        with np.errstate(over="ignore"):
            d = x - m
        np.maximum(d, -np.finfo(d.dtype).max, out=d, where=np.isfinite(x))
        return d


def stable_log_softmax(x: np.ndarray, axis: tuple[int, ...]) -> np.ndarray:
    """log softmax(x) = (x − m) − ln Σ e^(x − m), m = max x: every exponent is ≤ 0."""
    shifted = shift_by_max(x, axis)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


class Softmax(Op):
    name, symbol = "softmax", "softmax"
    formula = Formula(
        "yᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)",
        ("∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ),  so  g·∂y/∂x = y ⊗ (g − Σⱼ gⱼyⱼ)",),
        zh="softmax 把分数变成概率分布；每个输出依赖所有输入，反向时梯度是 y·(g − Σ g·y)",
        en="softmax turns scores into a distribution; every output depends on every input, "
        "so the backward is y·(g − Σ g·y)",
    )

    @staticmethod
    def forward(ctx, x):
        e = np.exp(shift_by_max(x, ctx["axis"]))
        return e / e.sum(axis=ctx["axis"], keepdims=True)

    backward = (lambda ctx, g, y, x: y * (g - (g * y).sum(axis=ctx["axis"], keepdims=True)),)


class LogSoftmax(Op):
    name, symbol = "log_softmax", "log softmax"
    formula = Formula(
        "yᵢ = xᵢ − ln Σⱼ exp(xⱼ)",
        ("∂yᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ,  so  g·∂y/∂x = g − softmax(x)·Σⱼ gⱼ",),
        zh="log-softmax 直接算概率的对数，比先 softmax 再 log 稳定；反向是 g − softmax·Σg",
        en="log-softmax gives log-probabilities directly, more stable than log(softmax); backward is g − softmax·Σg",
    )

    @staticmethod
    def forward(ctx, x):
        return stable_log_softmax(x, ctx["axis"])

    # softmax = e^y: computed from the saved output (and differentiable again under create_graph)
    backward = (lambda ctx, g, y, x: g - xp.exp(y) * g.sum(axis=ctx["axis"], keepdims=True),)


def softmax(x: Operand, axis: int = -1) -> Value:
    """softmax(x)ᵢ = e^(xᵢ)/Σⱼ e^(xⱼ) along ``axis``: non-negative, sums to 1.

    Derivative: ∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ). Computed from x − max(x), so ±1e4, and even ±finfo.max,
    is fine.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([1.0, 2.0, 3.0])
    >>> p = F.softmax(x); p.data
    array([0.09003057, 0.24472847, 0.66524096])
    >>> p[2].backward(); x.grad                       # y₂(δ₂ⱼ − yⱼ)
    array([-0.05989202, -0.1628034 ,  0.22269543])
    >>> F.softmax(tg.Value([1e4, -1e4])).data
    array([1., 0.])
    """
    x_ndim = x.ndim if isinstance(x, Value) else np.ndim(x)
    return Softmax.apply(x, axis=normalize_axis(axis, x_ndim, "softmax"))


def log_softmax(x: Operand, axis: int = -1) -> Value:
    """log_softmax(x)ᵢ = xᵢ − ln Σⱼ e^(xⱼ) along ``axis`` (the log of softmax, computed stably).

    Derivative: ∂yᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ. For finite x every output is finite: an entry more than
    finfo.max below its row's maximum gives −finfo.max (its true value is not representable).

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([1.0, 2.0, 3.0])
    >>> y = F.log_softmax(x); y.data
    array([-2.40760596, -1.40760596, -0.40760596])
    >>> y[0].backward(); x.grad                       # δ₀ⱼ − softmaxⱼ
    array([ 0.90996943, -0.24472847, -0.66524096])
    >>> F.log_softmax(tg.Value([1e4, -1e4])).data
    array([     0., -20000.])
    """
    x_ndim = x.ndim if isinstance(x, Value) else np.ndim(x)
    return LogSoftmax.apply(x, axis=normalize_axis(axis, x_ndim, "log_softmax"))
