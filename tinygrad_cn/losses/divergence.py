"""``kl_div`` with PyTorch's (confusing) conventions; to learn KL, use ``info.kl_divergence(p, q)``."""

from __future__ import annotations

from typing import Any

from ..engine.value import Value
from ..info.primitives import xlogy
from .checks import as_value, check_reduction, check_same_shape


def kl_div(input: Any, target: Any, reduction: str = "mean", log_target: bool = False) -> Value:
    """KL divergence as ``torch.nn.functional.kl_div``: note the argument order and the log.

    ``input`` is **log q** (log-probabilities of the model, e.g. ``F.log_softmax(x)``); ``target``
    is p (or log p with ``log_target=True``). Pointwise l = p·(log p − input), with 0·log 0 = 0;
    with ``log_target``: l = e^target·(target − input). Σ l over a row is KL(p‖q).

    Reduction — read this: ``'batchmean'`` (sum / batch size) is the KL divergence averaged over
    the batch. ``'mean'`` (torch's default, kept for compatibility) divides by *every element*,
    batch × classes, so it is **not** the KL divergence: it is KL / C. ``'sum'`` and ``'none'`` as usual.

    Derivatives: ∂l/∂input = −p; ∂l/∂p = log p + 1 − input.

    >>> import numpy as np, tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> from tinygrad_cn import info
    >>> p = np.array([[0.5, 0.5]]); logq = tg.Value(np.log([[0.25, 0.75]]))
    >>> F.kl_div(logq, p, reduction="batchmean").item()           # = KL(p‖q)
    0.1438410362...
    >>> float(info.kl_divergence(p, [[0.25, 0.75]]).data[0])
    0.1438410362...
    >>> F.kl_div(logq, p, reduction="mean").item()                # KL / C: not the KL divergence
    0.0719205181...
    """
    who = "kl_div"
    check_reduction(reduction, who, ("mean", "batchmean", "sum", "none"))
    x = as_value(input, target if isinstance(target, Value) else None, who)
    check_same_shape(x, target, who)
    t = as_value(target, x, who, "target")
    pointwise = t.exp() * (t - x) if log_target else xlogy(t, t) - t * x
    if reduction == "none":
        return pointwise
    if reduction == "sum":
        return pointwise.sum()
    if reduction == "batchmean":
        return pointwise.sum() / x.shape[0] if x.ndim else pointwise.sum()
    return pointwise.mean()
