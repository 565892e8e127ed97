"""Two-class losses: binary cross-entropy on probabilities, and on logits (stable, fused with σ)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..activations.smooth import Softplus
from ..engine import xp
from ..engine.errors import ShapeError
from ..engine.op import Formula, Op
from ..engine.value import Value
from .checks import as_value, check_reduction, check_same_shape, constant, reduce

_LOG_FLOOR = -100.0  # torch clamps each log at −100, so a prediction of exactly 0 or 1 costs at most 100
_EPS = 1e-12  # torch's floor for x(1 − x) in the backward


def _clamped_log(z: Any, log1p_of: Any = None) -> Any:
    """max(ln z, −100), safe for z = 0 on arrays and Values; ``log1p_of=x`` computes ln(1 − x) for arrays."""
    if not xp.is_value(z):
        with np.errstate(divide="ignore"):
            logz = np.log1p(-log1p_of) if log1p_of is not None else np.log(z)
        return np.maximum(logz, _LOG_FLOOR)
    ok = xp.data(z) > math.exp(_LOG_FLOOR)
    return xp.where(ok, xp.log(xp.where(ok, z, 1.0)), _LOG_FLOOR)


def _weighted(ctx: dict, v: Any) -> Any:
    return v if ctx["weight"] is None else v * ctx["weight"]


# ---- binary_cross_entropy ------------------------------------------------------------------------
def _bce_grad_input(ctx, g, y, x, t):
    # torch: (x − t) / max(x(1 − x), 1e-12)
    var = x * (1 - x)
    denom = xp.where(xp.data(var) > _EPS, var, _EPS) if xp.is_value(var) else np.maximum(var, _EPS)
    return _weighted(ctx, g * (x - t) / denom)


def _bce_grad_target(ctx, g, y, x, t):
    if xp.is_value(x):
        log_x, log_1mx = _clamped_log(x), _clamped_log(1 - x)
    else:
        log_x, log_1mx = _clamped_log(x), _clamped_log(None, log1p_of=x)
    return _weighted(ctx, g * (log_1mx - log_x))


class BinaryCrossEntropy(Op):
    name, symbol = "binary_cross_entropy", "BCE"
    formula = Formula(
        "l = −[t·log x + (1 − t)·log(1 − x)]   (each log clamped at −100)",
        ("∂l/∂x = (x − t) / (x(1 − x))", "∂l/∂t = log(1 − x) − log x   (the clamped logs: at most ±100)"),
        zh="二分类交叉熵：x 是预测为正类的概率，t 是真实标签；x 越偏离 t，损失越大",
        en="binary cross-entropy: x is the predicted probability of class 1, t the label; "
        "the further x is from t, the larger the loss",
    )

    @staticmethod
    def forward(ctx, x, t):
        log_x, log_1mx = _clamped_log(x), _clamped_log(None, log1p_of=x)
        return _weighted(ctx, (t - 1) * log_1mx - t * log_x)

    backward = (_bce_grad_input, _bce_grad_target)


def binary_cross_entropy(input: Any, target: Any, weight: Any = None, reduction: str = "mean") -> Value:
    """Binary cross-entropy between probabilities and targets, as ``torch.nn.functional.binary_cross_entropy``.

    Formula: l = −w·[t·log x + (1 − t)·log(1 − x)], each log clamped at −100 (as torch), so x = 0 or
    1 gives a finite loss. ``input`` must lie in [0, 1] and ``target`` have the input's shape;
    ``weight`` broadcasts against them. Derivative: ∂l/∂x = w·(x − t)/max(x(1 − x), 1e-12);
    ∂l/∂t = w·(log(1 − x) − log x) with the same clamped logs, so it is the exact derivative of the
    clamped loss and lies in [−100, 100] (torch uses the unclamped logs there: ±inf at x = 0 or 1).
    Prefer ``binary_cross_entropy_with_logits`` on raw scores: it is stable and fuses the sigmoid.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([0.9, 0.2]); t = tg.Value([1.0, 0.0], requires_grad=False)
    >>> loss = F.binary_cross_entropy(x, t); loss.item()        # −(ln 0.9 + ln 0.8)/2
    0.1642...
    >>> loss.backward(); x.grad                                  # (x − t)/(x(1 − x))/2
    array([-0.55555556,  0.625     ])
    """
    who = "binary_cross_entropy"
    check_reduction(reduction, who)
    x = as_value(input, target if isinstance(target, Value) else None, who)
    check_same_shape(x, target, who)
    out_of_range = ~((x.data >= 0) & (x.data <= 1)) & ~np.isnan(x.data)  # NaN is left to detect_anomaly
    if out_of_range.any():
        pos = tuple(int(i) for i in np.argwhere(out_of_range)[0]) if x.ndim else ()
        raise ValueError(
            f"{who}: input must be probabilities in [0, 1]; got {float(x.data[pos]):.9g} at index {pos} "
            "(for raw scores use binary_cross_entropy_with_logits)"
        )
    t = as_value(target, x, who, "target")
    w = _broadcast_weight(weight, x, who, "weight")
    return reduce(BinaryCrossEntropy.apply(x, t, weight=w), reduction)


def _broadcast_weight(weight: Any, x: Value, who: str, what: str) -> np.ndarray | None:
    if weight is None:
        return None
    w = constant(weight, x.dtype, who, what)
    try:
        np.broadcast_shapes(w.shape, x.shape)
    except ValueError:
        raise ShapeError(f"{who}: {what} of shape {w.shape} does not broadcast to the input shape {x.shape}") from None
    if np.broadcast_shapes(w.shape, x.shape) != x.shape:
        raise ShapeError(f"{who}: {what} of shape {w.shape} would enlarge the input shape {x.shape}")
    return w


# ---- binary_cross_entropy_with_logits ------------------------------------------------------------
def _softplus(z: Any) -> Any:
    """ln(1 + e^z) = max(z, 0) + log1p(e^(−|z|)) (never overflows); a Value gets the Softplus op."""
    if xp.is_value(z):
        return Softplus.apply(z, beta=1.0, threshold=math.inf)
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def _coef(ctx: dict, t: Any) -> Any:
    """1 + (pos_weight − 1)·t: the weight of the log σ(x) term relative to t."""
    pw = ctx["pos_weight"]
    return 1 if pw is None else 1 + (pw - 1) * t


def _bcel_grad_input(ctx, g, y, x, t):
    s = xp.sigmoid(x)
    pw_t = t if ctx["pos_weight"] is None else ctx["pos_weight"] * t
    return _weighted(ctx, g * (_coef(ctx, t) * s - pw_t))  # without pos_weight: σ(x) − t


def _bcel_grad_target(ctx, g, y, x, t):
    pw = 1 if ctx["pos_weight"] is None else ctx["pos_weight"]
    return _weighted(ctx, g * (_softplus(-x) * pw - _softplus(x)))  # −pw·log σ(x) + log(1 − σ(x))


class BinaryCrossEntropyWithLogits(Op):
    name, symbol = "binary_cross_entropy_with_logits", "BCE(σ)"
    formula = Formula(
        "l = −[t·log σ(x) + (1 − t)·log(1 − σ(x))] = (1 − t)·x + softplus(−x)",
        ("∂l/∂x = σ(x) − t", "∂l/∂t = −x"),
        zh="sigmoid 与二分类交叉熵合成一个算子：用 softplus 计算，logit 再大也不会溢出；梯度就是 σ(x) − t",
        en="sigmoid and binary cross-entropy fused: computed with softplus, so no logit overflows; "
        "the gradient is simply σ(x) − t",
    )

    @staticmethod
    def forward(ctx, x, t):
        # −log σ(x) = softplus(−x), −log(1 − σ(x)) = softplus(x) = x + softplus(−x)
        return _weighted(ctx, (1 - t) * x + _coef(ctx, t) * _softplus(-x))

    backward = (_bcel_grad_input, _bcel_grad_target)


def binary_cross_entropy_with_logits(
    input: Any, target: Any, weight: Any = None, reduction: str = "mean", pos_weight: Any = None
) -> Value:
    """Binary cross-entropy on logits, as ``torch.nn.functional.binary_cross_entropy_with_logits``:
    σ and BCE fused into one stable op (logistic regression's loss).

    Formula: l = −w·[p·t·log σ(x) + (1 − t)·log(1 − σ(x))] with p = ``pos_weight`` (1 by default),
    computed as w·[(1 − t)·x + (1 + (p − 1)t)·softplus(−x)]: no overflow at any logit.
    Derivative: ∂l/∂x = w·[(1 + (p − 1)t)·σ(x) − p·t], which is σ(x) − t for p = w = 1.
    ``target`` must have the input's shape; ``weight`` and ``pos_weight`` broadcast against it.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([2.0, -1.0, 1e4]); t = tg.Value([1.0, 0.0, 0.0], requires_grad=False)
    >>> loss = F.binary_cross_entropy_with_logits(x, t, reduction="none"); loss.data
    array([1.26928011e-01, 3.13261688e-01, 1.00000000e+04])
    >>> loss.sum().backward(); x.grad                            # σ(x) − t
    array([-0.11920292,  0.26894142,  1.        ])
    """
    who = "binary_cross_entropy_with_logits"
    check_reduction(reduction, who)
    x = as_value(input, target if isinstance(target, Value) else None, who)
    check_same_shape(x, target, who)
    t = as_value(target, x, who, "target")
    w = _broadcast_weight(weight, x, who, "weight")
    pw = _broadcast_weight(pos_weight, x, who, "pos_weight")
    return reduce(BinaryCrossEntropyWithLogits.apply(x, t, weight=w, pos_weight=pw), reduction)
