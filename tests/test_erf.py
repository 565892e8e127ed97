"""erf / erfc (Cody's rational approximations, vectorized in numpy) against math.erf / math.erfc,
element by element: a dense grid over [-30, 30], the range boundaries, hypothesis-drawn floats and
the edge values (±0, subnormals, ±1e300, ±inf, NaN); and GELU's exact form, Φ(x) = ½·erfc(−x/√2),
against its old per-element math.erfc values.

Achieved (float64, glibc's math.erfc as reference): max relative error 9.7e-16 (≈ 4 ulp, near
x ≈ 3.5, in the 0.47 < |x| ≤ 4 range); erf 6.6e-16. The tests assert 1e-14 for any input and
2e-15 on the fixed grids. Where erfc is subnormal (26.55 < x < 27.23) relative accuracy is not
representable; there the error is at most a few units of 2⁻¹⁰⁷⁴ (ABS_SUBNORMAL).
Every call runs under np.errstate(all="raise") (and warnings are errors, as in all the tests).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn.activations.smooth import _normal_cdf
from tinygrad_cn.activations.special import _BLOCK, erf, erfc

pytestmark = pytest.mark.filterwarnings("error")

RTOL = 1e-14  # asserted for every float64 input whose reference is a normal nonzero number
RTOL_GRID = 2e-15  # what the fixed grids achieve (max seen 9.7e-16): a regression guard
TINY = np.finfo(np.float64).tiny  # smallest normal float64
ABS_SUBNORMAL = 4 * 2.0**-1074  # subnormal results: a few units in the last place of 2⁻¹⁰⁷⁴

EDGES = [
    0.0, -0.0, 5e-324, -5e-324, 1e-310, -1e-310, TINY, -TINY, 1e-300, -1e-300, 1e-17, -1e-17, 1e-8, -1e-8,
    0.46875, -0.46875, np.nextafter(0.46875, 1), -np.nextafter(0.46875, 1), 0.5, -0.5,
    4.0, -4.0, np.nextafter(4.0, 5), -np.nextafter(4.0, 5), np.nextafter(4.0, 3), 5.0, -5.0, 6.0, -6.0,
    10.0, -10.0, 26.0, -26.0, 26.5, 26.55, 27.0, 27.2, 27.3, -27.3, 28.0, 1e3, -1e3, 1e300, -1e300,
    np.finfo(np.float64).max, -np.finfo(np.float64).max, np.inf, -np.inf, np.nan,
]


def _check(fn, ref, xs, rtol: float = RTOL) -> float:
    """fn(xs) against ref element by element; returns the max relative error over normal references."""
    xs = np.asarray(xs, dtype=np.float64)
    with np.errstate(all="raise"):
        got = fn(xs)
    want = np.array([ref(float(v)) for v in xs.ravel()]).reshape(xs.shape)
    assert got.dtype == np.float64 and got.shape == xs.shape
    nan = np.isnan(want)
    np.testing.assert_array_equal(np.isnan(got), nan)
    got, want = got[~nan], want[~nan]
    normal = np.abs(want) >= TINY
    rel = np.abs(got[normal] - want[normal]) / np.abs(want[normal])
    worst = float(rel.max()) if rel.size else 0.0
    assert worst <= rtol, f"max relative error {worst:.3g} at x = {xs[~nan][normal][rel.argmax()]!r}"
    # subnormal or zero references (including ±inf inputs, exactly 0 or 2 or ±1)
    assert np.all(np.abs(got[~normal] - want[~normal]) <= ABS_SUBNORMAL)
    return worst


# ---- float64 vs math.erfc / math.erf -------------------------------------------------------------
def test_dense_grid():
    xs = np.linspace(-30.0, 30.0, 600_001)  # step 1e-4, more than _BLOCK elements: several blocks
    assert xs.size > _BLOCK
    _check(erfc, math.erfc, xs, RTOL_GRID)
    _check(erf, math.erf, xs, RTOL_GRID)


@pytest.mark.parametrize("b", [0.46875, 4.0, 26.55, 27.23])
def test_around_range_boundaries(b):
    """The ranges switch at |x| = 0.46875 and 4; erfc turns subnormal near 26.55 and 0 near 27.23."""
    ulps = np.arange(-2000, 2001)
    near = np.concatenate([b + ulps * np.spacing(b), b + np.linspace(-1e-3, 1e-3, 2001)])
    xs = np.concatenate([near, -near])
    _check(erfc, math.erfc, xs, RTOL_GRID)
    _check(erf, math.erf, xs, RTOL_GRID)


def test_far_tail_keeps_relative_accuracy():
    for x, want in [(10.0, 2.088487583762545e-45), (26.0, 5.663192408856143e-296)]:
        assert erfc(np.array(x)) == pytest.approx(want, rel=RTOL_GRID)
    xs = np.linspace(20.0, 26.5, 50_001)  # erfc from 5e-176 down to 2e-307
    _check(erfc, math.erfc, xs, RTOL_GRID)


def test_edge_values():
    _check(erfc, math.erfc, EDGES)
    _check(erf, math.erf, EDGES)
    with np.errstate(all="raise"):
        c, e = erfc(np.array(EDGES)), erf(np.array(EDGES))
    assert c[EDGES.index(np.inf)] == 0.0 and c[EDGES.index(-np.inf)] == 2.0
    assert c[EDGES.index(1e300)] == 0.0 and c[EDGES.index(-1e300)] == 2.0
    assert e[EDGES.index(np.inf)] == 1.0 and e[EDGES.index(-np.inf)] == -1.0
    assert np.isnan(c[-1]) and np.isnan(e[-1])
    assert np.signbit(e[1]) and not np.signbit(e[0])  # erf(−0) = −0, as math.erf
    assert e[2] == 5e-324  # erf(x) = (2/√π)·x for the smallest subnormal, no underflow reported


@given(st.lists(st.floats(width=64), min_size=1, max_size=30))
def test_any_float(values):
    _check(erfc, math.erfc, values)
    _check(erf, math.erf, values)


@given(st.lists(st.floats(-30.0, 30.0), min_size=1, max_size=30))
def test_floats_in_the_interesting_range(values):
    _check(erfc, math.erfc, values)
    _check(erf, math.erf, values)


# ---- dtypes and shapes ---------------------------------------------------------------------------
def test_dtype_and_shape_are_kept():
    x32 = np.linspace(-12, 12, 2001, dtype=np.float32).reshape(3, 667)
    with np.errstate(all="raise"):
        got = erfc(x32)
    assert got.dtype == np.float32 and got.shape == (3, 667)
    want = np.array([math.erfc(float(v)) for v in x32.ravel()]).reshape(x32.shape).astype(np.float32)
    normal = want >= np.finfo(np.float32).tiny
    np.testing.assert_allclose(got[normal], want[normal], rtol=2.0**-23)  # within a float32 ulp
    assert np.all(np.abs(got[~normal] - want[~normal]) <= 2.0**-149)  # float32 subnormals
    assert erf(np.float32(0.5)).dtype == np.float32
    assert erfc(np.array([1, 2])).dtype == np.float64  # integers: computed and returned as float64
    zero_d = erfc(np.array(0.5))
    assert zero_d.shape == () and zero_d == pytest.approx(math.erfc(0.5), rel=1e-16)
    assert erfc(np.zeros((0, 3))).shape == (0, 3)


# ---- GELU's exact form: Φ(x) = ½·erfc(−x/√2) -----------------------------------------------------
def _old_normal_cdf(x: float) -> float:
    """What GELU used before: math.erfc per element, on −x/√2 rounded in float64."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def test_normal_cdf_matches_the_old_values():
    xs = np.concatenate([np.linspace(-37.5, 40.0, 20_001), [0.0, -1e-300, 1e300, -1e300, np.inf, -np.inf]])
    _check(_normal_cdf, _old_normal_cdf, xs, RTOL_GRID)


def test_gelu_exact_matches_the_old_values():
    xs = np.array([-30.0, -8.0, -5.0, -3.0, -1.0, -0.5, -1e-9, 0.0, 1e-9, 0.3, 0.5, 1.0, 2.0, 3.0, 6.0, 30.0])
    with np.errstate(all="raise"):
        y = F.gelu(tg.Value(xs))
        y32 = F.gelu(tg.Value(xs.astype(np.float32)))
    want = np.array([v * _old_normal_cdf(v) for v in xs])
    np.testing.assert_allclose(y.data, want, rtol=RTOL_GRID, atol=0)
    # float32 in, float32 out: within a float32 ulp of the exact value at the float32 inputs
    want32 = np.array([v * _old_normal_cdf(v) for v in xs.astype(np.float32).tolist()]).astype(np.float32)
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32.data, want32, rtol=2.0**-23, atol=2.0**-149)
    # documented values (F.gelu's doctest): −0.15865525, 0, 0.84134475
    assert F.gelu(tg.Value(1.0)).item() == pytest.approx(0.8413447460685429, rel=1e-15)
