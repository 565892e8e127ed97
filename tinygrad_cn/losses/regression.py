"""Mean squared error, composed from engine ops (sub, pow, mean): the graph shows each step."""

from __future__ import annotations

from typing import Any

from ..engine.value import Value
from .checks import as_value, check_reduction, check_same_shape, reduce


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Value:
    """Mean squared error, as ``torch.nn.functional.mse_loss``: l = (x − t)².

    Derivatives: ∂l/∂x = 2(x − t), ∂l/∂t = −2(x − t) (÷ N for 'mean'). Unlike torch, which only
    warns, a target whose shape differs from the input's is an error: broadcasting here is almost
    always a bug ((N, 1) against (N,) silently makes an N × N loss).

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([1.0, 2.0, 4.0])
    >>> loss = F.mse_loss(x, [1.0, 1.0, 1.0]); loss.item()   # (0 + 1 + 9)/3
    3.333...
    >>> loss.backward(); x.grad                                # 2(x − t)/3
    array([0.        , 0.66666667, 2.        ])
    """
    who = "mse_loss"
    check_reduction(reduction, who)
    x = as_value(input, target if isinstance(target, Value) else None, who)
    check_same_shape(x, target, who)
    t = as_value(target, x, who, "target")
    return reduce((x - t) ** 2, reduction)
