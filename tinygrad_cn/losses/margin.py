"""Margin losses of the linear classifiers: multi-class hinge (SVM), binary hinge, perceptron."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.errors import ShapeError
from ..engine.op import Formula, Op
from ..engine.value import Value
from .checks import as_value, check_reduction, class_indices, class_weight, constant, one_hot, reduce


def multi_margin_loss(
    input: Any, target: Any, p: int = 1, margin: float = 1.0, weight: Any = None, reduction: str = "mean"
) -> Value:
    """Multi-class hinge loss, as ``torch.nn.functional.multi_margin_loss`` (Crammer–Singer-style SVM).

    For a sample with scores x (C,) and true class y:
    l = (1/C)·Σ_{i≠y} w[y]·max(0, margin − x[y] + x[i])^p, with p ∈ {1, 2} (torch's implementation
    multiplies by w[y] after the power). ``input``: (N, C) or (C,); ``target``: class indices (N,) or ().

    Derivatives (p = 1): ∂l/∂x[i] = w[y]/C for every i ≠ y inside the margin (0 at the kink, as
    torch), and ∂l/∂x[y] = −Σ of those. Composed from engine ops: getitem, relu, pow, sum.

    >>> import numpy as np, tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([[0.1, 0.2, 0.4, 0.8]])
    >>> loss = F.multi_margin_loss(x, np.array([3])); loss.item()  # (0.3 + 0.4 + 0.6)/4
    0.325
    >>> loss.backward(); x.grad
    array([[ 0.25,  0.25,  0.25, -0.75]])
    """
    who = "multi_margin_loss"
    check_reduction(reduction, who)
    if p not in (1, 2):
        raise ValueError(f"{who}: only p = 1 and p = 2 are supported, got p={p!r}")
    x = as_value(input, None, who)
    if x.ndim not in (1, 2):
        raise ShapeError(f"{who}: input must have shape (N, C) or (C,), got {x.shape}")
    cax = x.ndim - 1
    C = x.shape[cax]
    y = class_indices(target, x, cax, None, who)
    others = 1 - one_hot(y, C, cax, x.dtype)  # the sum skips i = y
    if x.ndim == 1:
        x_true = x[int(y)]
    else:
        x_true = x[np.arange(x.shape[0]), y].reshape(-1, 1)
    h = (x - x_true + float(margin)).relu()
    if p == 2:
        h = h**2
    per = h * others
    cw = class_weight(weight, C, x.dtype, who)
    if cw is not None:
        per = per * (cw[y] if x.ndim == 1 else cw[y].reshape(-1, 1))
    return reduce(per.sum(axis=cax) / C, reduction)


def _pm1_labels(y: Any, scores: Value, who: str) -> np.ndarray:
    """Labels in {−1, +1} with the scores' shape."""
    arr = constant(y, scores.dtype, who, "labels")
    if arr.shape != scores.shape:
        raise ShapeError(f"{who}: labels shape {arr.shape} does not match scores shape {scores.shape}")
    bad = (arr != 1) & (arr != -1)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0]) if arr.ndim else ()
        raise ValueError(f"{who}: labels must be −1 or +1; got {float(arr[pos]):g} at index {pos}")
    return arr


class Hinge(Op):
    name, symbol = "hinge", "hinge"
    formula = Formula(
        "l = max(0, margin − label·s)   (label ∈ {−1, +1})",
        ("∂l/∂s = −label if label·s < margin else 0",),
        zh="合页损失（线性 SVM）：分类正确且间隔至少为 m 时损失为 0；否则沿 y 的方向推动分数 s",
        en="hinge loss (linear SVM): zero once the sample is on the right side by at least the margin m; "
        "otherwise it pushes the score s toward y",
    )

    @staticmethod
    def forward(ctx, s):
        return np.maximum(ctx["margin"] - ctx["y"] * s, 0)

    backward = (lambda ctx, g, out, s: g * np.where(ctx["y"] * _data(s) < ctx["margin"], -ctx["y"], 0),)


class PerceptronCriterion(Op):
    name, symbol = "perceptron", "perceptron"
    formula = Formula(
        "l = max(0, −label·s)   (label ∈ {−1, +1})",
        ("∂l/∂s = −label if label·s ≤ 0 else 0",),
        zh="感知器准则：分类正确时没有损失；分错（或恰好在边界上 y·s = 0）时梯度为 −y，与感知器的更新规则一致",
        en="perceptron criterion: no loss when classified correctly; when wrong (or exactly on the boundary, "
        "y·s = 0) the gradient is −y, the perceptron's update rule",
    )

    @staticmethod
    def forward(ctx, s):
        return np.maximum(-ctx["y"] * s, 0)

    # the boundary counts as a mistake (≤, not <): from all-zero weights the perceptron still learns
    backward = (lambda ctx, g, out, s: g * np.where(ctx["y"] * _data(s) <= 0, -ctx["y"], 0),)


def _data(s: Any) -> np.ndarray:
    return s.data if isinstance(s, Value) else s


def hinge_loss(scores: Any, y: Any, margin: float = 1.0, reduction: str = "mean") -> Value:
    """Hinge loss of a binary linear classifier (SVM): mean(max(0, margin − y·s)), y ∈ {−1, +1}.

    Derivative: ∂l/∂s = −y where y·s < margin, else 0.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> s = tg.Value([2.0, 0.5, -1.0])
    >>> loss = F.hinge_loss(s, [1, 1, 1]); loss.item()          # (0 + 0.5 + 2)/3
    0.8333...
    >>> loss.backward(); s.grad
    array([ 0.        , -0.33333333, -0.33333333])
    """
    who = "hinge_loss"
    check_reduction(reduction, who)
    s = as_value(scores, None, who)
    return reduce(Hinge.apply(s, y=_pm1_labels(y, s, who), margin=float(margin)), reduction)


def perceptron_loss(scores: Any, y: Any, reduction: str = "mean") -> Value:
    """Perceptron criterion: mean(max(0, −y·s)), y ∈ {−1, +1}.

    Derivative: ∂l/∂s = −y where y·s ≤ 0 (misclassified, or on the boundary), else 0 — so gradient
    descent on it is the perceptron's update w += lr·y·x on every mistake.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> s = tg.Value([2.0, 0.0, -1.0])
    >>> loss = F.perceptron_loss(s, [1, -1, 1]); loss.item()    # (0 + 0 + 1)/3
    0.3333...
    >>> loss.backward(); s.grad
    array([ 0.        ,  0.33333333, -0.33333333])
    """
    who = "perceptron_loss"
    check_reduction(reduction, who)
    s = as_value(scores, None, who)
    return reduce(PerceptronCriterion.apply(s, y=_pm1_labels(y, s, who)), reduction)
