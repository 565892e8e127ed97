"""Reductions over ``axis`` (a tuple of axes, normalised by Value) with ``keepdims``."""

from __future__ import annotations

import math

from .. import xp
from ..op import Formula, Op


def _expand(g, ctx, shape):
    """Broadcast a reduced gradient back to the input's shape (undo the reduction)."""
    if not ctx["keepdims"]:
        kept = tuple(1 if i in ctx["axis"] else n for i, n in enumerate(shape))
        g = g.reshape(kept)
    return xp.broadcast_to(g, shape)


class Sum(Op):
    name, symbol = "sum", "Σ"
    formula = Formula(
        "y = Σᵢ aᵢ", ("∂y/∂aᵢ = 1",), inputs=("a",),
        zh="求和：每个被加的元素都得到同一个上游梯度", en="sum: every summed element receives the same upstream gradient",
    )

    @staticmethod
    def forward(ctx, a):
        return a.sum(axis=ctx["axis"], keepdims=ctx["keepdims"])

    backward = (lambda ctx, g, y, a: _expand(g, ctx, a.shape),)


def _mean_grad(ctx, g, y, a):
    """g·∂y/∂aᵢ = g/N, spread back over the N averaged elements."""
    n = math.prod(a.shape[i] for i in ctx["axis"])
    return _expand(g / max(n, 1), ctx, a.shape)


class Mean(Op):
    name, symbol = "mean", "mean"
    formula = Formula(
        "y = (1/N) Σᵢ aᵢ", ("∂y/∂aᵢ = 1/N",), inputs=("a",),
        zh="均值：每个元素得到上游梯度的 1/N", en="mean: every element receives 1/N of the upstream gradient",
    )

    @staticmethod
    def forward(ctx, a):
        return a.mean(axis=ctx["axis"], keepdims=ctx["keepdims"])

    backward = (_mean_grad,)


def _max_grad(ctx, g, y, a):
    """g·∂y/∂aᵢ = g·[aᵢ = y]/#ties: only the maxima get the gradient, ties share it evenly."""
    ad, yd = xp.data(a), xp.data(y)
    if not ctx["keepdims"]:
        yd = yd.reshape(tuple(1 if i in ctx["axis"] else n for i, n in enumerate(ad.shape)))
    mask = ad == yd
    share = mask / mask.sum(axis=ctx["axis"], keepdims=True)
    return _expand(g, ctx, ad.shape) * share.astype(ad.dtype, copy=False)


class Max(Op):
    name, symbol = "max", "max"
    formula = Formula(
        "y = maxᵢ aᵢ", ("∂y/∂aᵢ = [aᵢ = y] / #ties",), inputs=("a",),
        zh="最大值：梯度只流向最大的元素；若有并列，平均分给它们（与 torch.amax 相同）",
        en="max: the gradient flows only to the largest element, split evenly among ties (as torch.amax)",
    )

    @staticmethod
    def forward(ctx, a):
        return a.max(axis=ctx["axis"], keepdims=ctx["keepdims"])

    backward = (_max_grad,)
