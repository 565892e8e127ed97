"""Smooth versions of ReLU: softplus and GELU (with Φ, the standard normal CDF, as a helper op)."""

from __future__ import annotations

import math

import numpy as np

from ..engine import xp
from ..engine.op import Formula, Op
from ..engine.value import Operand, Value
from .special import _blockwise, _erf_erfc_block

_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_C = math.sqrt(2.0 / math.pi)  # GELU's tanh approximation: √(2/π)
_TANH_K = 0.044715
# |x| ≥ 10: u = √(2/π)(x + 0.044715x³) ≥ 43.7, where tanh(u) is exactly ±1 in float64 (from 19.1 on);
# clipping there keeps x³ ≤ 1000, finite even in float16 (max 65504)
_TANH_CLIP = 10.0


def _clip(x, limit: float):
    """x where |x| ≤ limit, else ±limit (a constant there): keeps x², x³ finite for any finite x.
    Used only where the function is already flat beyond ``limit``, so nothing changes."""
    d = xp.data(x)
    inside = np.abs(d) <= limit
    if inside.all():
        return x
    return xp.where(inside, x, np.clip(d, -limit, limit))


def real_number(value: object, name: str, who: str, *, nonzero: bool = False, allow_inf: bool = False) -> float:
    """A hyper-parameter such as β, α or a slope as a float; a string, a bool, NaN, ±inf (unless
    ``allow_inf``) or, with ``nonzero``, 0 is an error naming the function and the value."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__} {value!r}")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf) or (nonzero and v == 0):
        what = "a nonzero finite number" if nonzero else "a finite number"
        raise ValueError(f"{who}: {name} must be {what}, got {value!r}")
    return v


# σ(±1000) is exactly 1 / 0 and log1p(e^−1000) is 0 in every float dtype (e^−1000 underflows)
SATURATE = 1000.0


def scaled(x, beta, limit: float = SATURATE):
    """β·x, with x first clipped to |β·x| ≤ ``limit`` so the product never overflows for finite x
    (x = 1e308, β = 2 would give inf, and inf·0 = NaN further on). Only for functions of βx that
    are flat beyond ``limit`` (σ is exactly 0 or 1 there), so clipping changes no result; works on
    arrays and, under create_graph, on Values."""
    b = np.abs(xp.data(beta))
    with np.errstate(divide="ignore", over="ignore"):
        bound = limit / b  # β = 0: no bound (inf); a tiny β: a huge bound, no clipping needed
    if np.ndim(bound) == 0:
        bound = float(bound)  # a Python float keeps x's dtype (float32 stays float32)
    return beta * _clip(x, bound)


# ---- softplus ------------------------------------------------------------------------------------
def _softplus_limit(threshold: float) -> float:
    """Where βx is clipped: beyond ±limit (> threshold) the output is x or 0 whatever βx is."""
    return max(SATURATE, abs(threshold) + 1.0)


def _softplus_grad(ctx, g, y, x):
    beta, threshold = ctx["beta"], ctx["threshold"]
    limit = _softplus_limit(threshold)
    linear = scaled(xp.data(x), beta, limit) > threshold
    return xp.where(linear, g, g * xp.sigmoid(scaled(x, beta, limit)))


class Softplus(Op):
    name, symbol = "softplus", "softplus"
    formula = Formula(
        "y = (1/β)·ln(1 + exp(βx))   (y = x where βx > threshold)",
        ("∂y/∂x = σ(βx)   (1 where βx > threshold)",),
        zh="softplus 是 ReLU 的平滑版本，它的导数恰好是 sigmoid；按 max(z,0)+log1p(e^(−|z|)) 计算，不会溢出",
        en="softplus is a smooth ReLU whose derivative is exactly the sigmoid; computed as "
        "max(z,0) + log1p(e^(−|z|)), it never overflows",
    )

    @staticmethod
    def forward(ctx, x):
        beta, threshold = ctx["beta"], ctx["threshold"]
        z = scaled(x, beta, _softplus_limit(threshold))  # βx, clipped beyond the threshold: no overflow
        soft = (np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))) / beta
        return np.where(z > threshold, x, soft)

    backward = (_softplus_grad,)


def softplus(x: Operand, beta: float = 1.0, threshold: float = 20.0) -> Value:
    """Softplus(x) = (1/β)·ln(1 + e^(βx)), a smooth ReLU (as torch: linear where βx > threshold).

    Derivative: σ(βx), the sigmoid. Stable for any finite x and β: ±1e4 gives 1e4 and 0, and
    βx is never formed where it would overflow (x near the float maximum with β > 1).

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-1e4, 0.0, 1.0, 1e4])
    >>> y = F.softplus(x); y.data
    array([0.00000000e+00, 6.93147181e-01, 1.31326169e+00, 1.00000000e+04])
    >>> y.sum().backward(); x.grad
    array([0.        , 0.5       , 0.73105858, 1.        ])
    """
    beta = real_number(beta, "beta", "softplus", nonzero=True)  # 1/β: β = 0 has no softplus
    threshold = real_number(threshold, "threshold", "softplus", allow_inf=True)
    return Softplus.apply(x, beta=beta, threshold=threshold)


# ---- GELU ----------------------------------------------------------------------------------------
def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """Φ(x) = ½·erfc(−x/√2): accurate in both tails (no 1 − 1 cancellation); computed in float64,
    returned in x's dtype."""
    return _blockwise(lambda b: _erf_erfc_block(-b / _SQRT2, complement=True) * 0.5, x, x.dtype)


def _normal_pdf(x):
    """φ(x) = e^(−x²/2)/√(2π); |x| is capped at 40 where φ is already 0 in float64."""
    xc = _clip(x, 40.0)
    return xp.exp(xc * xc * -0.5) * _INV_SQRT_2PI


class NormalCDF(Op):
    """Φ, the standard normal CDF: GELU's gate, an op of its own so GELU's backward is differentiable."""

    name, symbol = "normal_cdf", "Φ"
    formula = Formula(
        "y = Φ(x) = ½(1 + erf(x/√2))", ("∂y/∂x = φ(x) = exp(−x²/2)/√(2π)",),
        zh="Φ 是标准正态分布的累积分布函数，它的导数是正态分布的密度 φ",
        en="Φ is the standard normal CDF; its derivative is the normal density φ",
    )

    @staticmethod
    def forward(ctx, x):
        return _normal_cdf(x)

    backward = (lambda ctx, g, y, x: g * _normal_pdf(x),)


def _gelu_grad(ctx, g, y, x):
    if ctx["approximate"] == "tanh":
        xc = _clip(x, _TANH_CLIP)  # beyond it tanh(u) is exactly ±1 and the second term is 0
        u = (xc + xc * xc * xc * _TANH_K) * _TANH_C
        t = xp.tanh(u) if xp.is_value(x) else ctx["t"]
        du = (1 + xc * xc * (3 * _TANH_K)) * _TANH_C
        return g * ((1 + t) * 0.5 + x * (1 - t * t) * du * 0.5)
    cdf = NormalCDF.apply(x) if xp.is_value(x) else ctx["cdf"]
    return g * (cdf + x * _normal_pdf(x))  # d/dx x·Φ(x) = Φ(x) + x·φ(x)


class GELU(Op):
    name, symbol = "gelu", "GELU"
    formula = Formula(
        "y = x·Φ(x) = ½x(1 + erf(x/√2))   (approximate='tanh': ½x(1 + tanh(√(2/π)(x + 0.044715x³))))",
        ("∂y/∂x = Φ(x) + x·φ(x),  φ(x) = exp(−x²/2)/√(2π)",),
        zh="GELU：用 x 落在正态分布左侧的概率 Φ(x) 作为门去乘 x；导数由乘积法则得到 Φ(x) + x·φ(x)",
        en="GELU gates x by Φ(x), the probability that a standard normal falls below x; "
        "by the product rule its derivative is Φ(x) + x·φ(x)",
    )

    @staticmethod
    def forward(ctx, x):
        if ctx["approximate"] == "tanh":
            xc = np.clip(x, -_TANH_CLIP, _TANH_CLIP)
            ctx["t"] = t = np.tanh((xc + _TANH_K * xc * xc * xc) * _TANH_C)
            return 0.5 * x * (1 + t)
        ctx["cdf"] = cdf = _normal_cdf(x)
        return x * cdf

    backward = (_gelu_grad,)


def gelu(x: Operand, approximate: str = "none") -> Value:
    """GELU(x) = x·Φ(x), Φ the standard normal CDF (exact erf form, as torch's default).

    ``approximate="tanh"`` uses ½x(1 + tanh(√(2/π)(x + 0.044715x³))), as torch.
    Derivative (exact form): Φ(x) + x·φ(x), with φ(x) = e^(−x²/2)/√(2π).

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-1.0, 0.0, 1.0])
    >>> y = F.gelu(x); y.data
    array([-0.15865525,  0.        ,  0.84134475])
    >>> y.sum().backward(); x.grad
    array([-0.08331547,  0.5       ,  1.08331547])
    >>> F.gelu(tg.Value(1.0), approximate="tanh").item()
    0.8411919906...
    """
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return GELU.apply(x, approximate=approximate)
