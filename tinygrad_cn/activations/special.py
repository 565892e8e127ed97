"""erf and erfc in numpy (numpy has neither; the core stays numpy-only, so no scipy).

GELU's exact form needs Φ(x) = ½·erfc(−x/√2). Applying ``math.erfc`` element by element is exact
but slow (a Python call per element); this is W. J. Cody's algorithm, vectorized.
"""

from __future__ import annotations

import math

import numpy as np

# ---- erf / erfc --------------------------------------------------------------
# W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969),
# 631-638, as arranged in his SPECFUN routine CALERF (netlib specfun/erf, 1990). Each tuple holds the
# coefficients of one polynomial, highest degree first (as np.polyval); the denominators are monic.
_ERF_P = (1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02,
          3.77485237685302021e02, 3.20937758913846947e03)
_ERF_Q = (1.0, 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)
_ERFC_MID_P = (2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00,
               6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
               1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03)
_ERFC_MID_Q = (1.0, 1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
               1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
               3.43936767414372164e03, 1.23033935480374942e03)
_ERFC_TAIL_P = (1.63153871373020978e-2, 3.05326634961232344e-1, 3.60344899949804439e-1,
                1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4)
_ERFC_TAIL_Q = (1.0, 2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
                6.05183413124413191e-2, 2.33520497626869185e-3)
_ERF_SMALL = 0.46875  # |x| ≤ this: erf by a series-like rational function (no cancellation in 1 − erf)
_ERFC_MID = 4.0  # ≤ this: erfc(y) = e^(−y²)·P(y)/Q(y); beyond: the asymptotic form in 1/y²
_ERFC_ZERO = 27.3  # erfc(y) < 2⁻¹⁰⁷⁵ (rounds to 0) for y ≥ 27.23; also keeps y² and e^(−y²) in range
_INV_SQRT_PI = 1.0 / math.sqrt(math.pi)


def _horner(coeffs: tuple[float, ...], t: np.ndarray) -> np.ndarray:
    """c₀tⁿ + c₁tⁿ⁻¹ + … + cₙ (as np.polyval), in place in one buffer: on large arrays a fresh
    temporary per step costs more than the arithmetic."""
    acc = np.full_like(t, coeffs[0])
    for c in coeffs[1:]:
        acc *= t
        acc += c
    return acc


def _rational(p: tuple[float, ...], q: tuple[float, ...], t: np.ndarray) -> np.ndarray:
    """P(t)/Q(t), coefficients highest degree first."""
    out = _horner(p, t)
    out /= _horner(q, t)
    return out


# e^(−(k/16)²) for k = 0 … 436: the exponent (k/16)² is exact, so each entry is e^(−r²) to ½ ulp
_EXP_NEG_SQ = np.array([math.exp(-((k / 16) ** 2)) for k in range(int(16 * _ERFC_ZERO) + 1)])


def _exp_neg_square(y: np.ndarray) -> np.ndarray:
    """e^(−y²) for 0 ≤ y ≤ 27.3 (no NaN) without the error of rounding y² (~y²·2⁻⁵³, up to ~1e-13
    relative near 27), as CALERF: y = r + δ with r = ⌊16y⌋/16, e^(−y²) = e^(−r²)·e^(−(y − r)(y + r)),
    e^(−r²) from the table above (r² is exact), and (y − r)(y + r) ≤ 3.4 accurate to an ulp."""
    r = np.trunc(y * 16.0)
    k = r.astype(np.intp)
    r /= 16.0
    d = r - y  # exact
    d *= y + r  # −(y² − r²)
    out = np.exp(d, out=d)
    out *= _EXP_NEG_SQ[k]
    return out


def _erfc_tail(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y > 4 (+inf included): e^(−y²)/y·(1/√π − t·P₃(t)/Q₃(t)), t = 1/y²; 0 from 27.3 on."""
    yc = np.minimum(y, _ERFC_ZERO)
    t = 1.0 / (yc * yc)
    c = _exp_neg_square(yc) * ((_INV_SQRT_PI - t * _rational(_ERFC_TAIL_P, _ERFC_TAIL_Q, t)) / yc)
    return np.where(y < _ERFC_ZERO, c, 0.0)


def _erf_erfc_block(x: np.ndarray, complement: bool) -> np.ndarray:
    """erf(x), or erfc(x) if ``complement``, for a 1-d float64 block (Cody's three ranges).

    Each range's formula runs on the whole block, its argument clipped into the range (so nothing
    overflows), and the results are blended with exact 0/1 masks: on random data this is faster
    than gathering each range, or than np.where. Only the rarely used y > 4 range is gathered."""
    nan = np.isnan(x)
    if nan.any():
        x = np.where(nan, 0.0, x)  # computed as 0, NaN again at the end
    y = np.abs(x)
    # c = erfc(y) for y > 0.46875: e^(−y²)·P₂(y)/Q₂(y) up to 4, the tail form beyond
    ym = np.clip(y, _ERF_SMALL, _ERFC_MID)
    c = _exp_neg_square(ym)
    c *= _rational(_ERFC_MID_P, _ERFC_MID_Q, ym)
    tail = y > _ERFC_MID
    if tail.any():
        c[tail] = _erfc_tail(y[tail])
    # y ≤ 0.46875: erf(x) = x·P₁(x²)/Q₁(x²); x² may underflow for tiny x (then erf = (2/√π)·x)
    xs = np.clip(x, -_ERF_SMALL, _ERF_SMALL)
    e = _rational(_ERF_P, _ERF_Q, xs * xs)
    e *= xs
    if complement:  # erfc(x) = 1 − erf(x) if small; else c for x > 0, 2 − c for x < 0
        e = 1.0 - e
        np.copysign(c, x, out=c)
        c += (x < 0) * 2.0
    else:  # erf(x) if small; else ±(1 − c)
        c = np.copysign(1.0 - c, x)
    small = y <= _ERF_SMALL
    out = e * small + c * ~small  # exact: e and c are finite, the masks 0 or 1
    if nan.any():
        out[nan] = np.nan
    return out


_BLOCK = 16384  # elements: a block's dozen temporaries (128 KiB each) stay in cache and get reused


def _blockwise(f, x, dtype) -> np.ndarray:
    """f applied to x (any shape) in float64, in 1-d blocks of ``_BLOCK`` elements; returned in ``dtype``.

    Underflow is expected and harmless here (so not reported even under np.errstate(all="raise")):
    erfc(x) is subnormal for 26.55 < x < 27.23 (as math.erfc's), x² underflows for tiny x, and a
    float32 result may be subnormal."""
    flat = np.asarray(x, dtype=np.float64).reshape(-1)  # 1-d: in-place steps need arrays, not scalars
    out = np.empty_like(flat)
    with np.errstate(under="ignore"):
        for i in range(0, flat.size, _BLOCK):
            out[i : i + _BLOCK] = f(flat[i : i + _BLOCK])
        return out.reshape(np.shape(x)).astype(dtype, copy=False)


def _float_dtype(x) -> np.dtype:
    dtype = np.asarray(x).dtype
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def erfc(x) -> np.ndarray:
    """The complementary error function erfc(x) = 1 − erf(x) = (2/√π)·∫ₓ^∞ e^(−t²) dt, elementwise.

    Vectorized numpy version of W. J. Cody's rational Chebyshev approximations (Math. Comp. 23,
    1969, 631-638; his SPECFUN routine CALERF), on three ranges of y = |x|:

    - y ≤ 0.46875:      erfc(x) = 1 − x·P₁(x²)/Q₁(x²)
    - 0.46875 < y ≤ 4:  erfc(y) = e^(−y²)·P₂(y)/Q₂(y)
    - y > 4:            erfc(y) = e^(−y²)/y·(1/√π − y⁻²·P₃(y⁻²)/Q₃(y⁻²))

    and erfc(−y) = 2 − erfc(y). e^(−y²) is computed as e^(−r²)·e^(−(y−r)(y+r)), r = ⌊16y⌋/16, so
    the far tail keeps its relative accuracy (erfc(26) ≈ 5.66e-296). Within ~1e-15 relative of
    ``math.erfc`` in float64 (tests/test_erf.py); erfc(+inf) = 0, erfc(−inf) = 2, NaN stays NaN.
    Computed in float64; a floating input's dtype is kept (float32 in, float32 out).

    >>> erfc(np.array([-np.inf, -1.0, 0.0, 1.0, 10.0, np.inf]))
    array([2.00000000e+00, 1.84270079e+00, 1.00000000e+00, 1.57299207e-01, 2.08848758e-45, 0.00000000e+00])
    """
    return _blockwise(lambda b: _erf_erfc_block(b, complement=True), x, _float_dtype(x))


def erf(x) -> np.ndarray:
    """The error function erf(x) = (2/√π)·∫₀ˣ e^(−t²) dt, elementwise: see ``erfc`` (the same
    approximations; erf(x) = ±(1 − erfc(|x|)) for |x| > 0.46875). Keeps a floating input's dtype."""
    return _blockwise(lambda b: _erf_erfc_block(b, complement=False), x, _float_dtype(x))
