"""Numerics at the extremes of the float range: no overflow warning (pytest turns warnings into
errors), no NaN, finite gradients equal to the analytic limit, for swish with β > 1, softmax,
log_softmax and cross-entropy at ±finfo.max, softplus with β > 1 near the maximum, and GELU's tanh
form in float16."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_cn as tg
import tinygrad_cn.functional as F

FLOATS = [np.float16, np.float32, np.float64]


def value_and_grad(fn, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v = tg.Value(x)
    y = fn(v)
    y.backward(np.ones(y.shape, dtype=y.dtype))
    assert y.dtype == x.dtype and v.grad.dtype == x.dtype
    return y.data, v.grad


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("beta", [2.0, 4.0, 1e3, -3.0])
def test_swish_beyond_max_over_beta(dtype, beta):
    """x above finfo.max/β: βx is not representable, but x·σ(βx) and its derivative are."""
    big = float(np.finfo(dtype).max)
    x = np.array([big, big / 2, -big, -big / 2, 1000.0 / abs(beta), -1.0, 0.0, 2.0], dtype=dtype)
    y, g = value_and_grad(lambda v: F.swish(v, beta), x)
    assert np.isfinite(y).all() and np.isfinite(g).all()
    with np.errstate(over="ignore", invalid="ignore"):  # the reference forms βx = ±inf; np.where drops it
        s = 1 / (1 + np.exp(-beta * x.astype(np.float64)))
        ref_y = np.where(np.abs(x) > 1e4, np.where(beta * x > 0, x, 0.0), x * s)
        ref_g = np.where(np.abs(x) > 1e4, np.where(beta * x > 0, 1.0, 0.0), s + beta * x * s * (1 - s))
    np.testing.assert_allclose(y.astype(np.float64), ref_y, rtol=2e-3, atol=1e-6)
    np.testing.assert_allclose(g.astype(np.float64), ref_g, rtol=2e-3, atol=1e-6)


def test_swish_learnable_beta_at_extremes():
    big = np.finfo(np.float64).max
    x = tg.Value(np.array([big, -big, 3.0]))
    beta = tg.Value(4.0)
    y = F.swish(x, beta)
    y.backward(np.ones(3))
    assert x.grad.tolist()[:2] == [1.0, 0.0] and np.isfinite(beta.grad)
    # across the clipping point βx = ±1000 the gradient is still right
    assert tg.gradcheck(lambda v: F.swish(v, 4.0), [tg.Value(np.array([-260.0, -250.0, 240.0, 250.0, 260.0]))])


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_family_at_plus_minus_max(dtype):
    big = np.finfo(dtype).max
    x = np.array([[big, -big, 0.0], [-big, -big, -big], [1.0, 2.0, 3.0]], dtype=dtype)
    p, gp = value_and_grad(lambda v: F.softmax(v), x)
    np.testing.assert_array_equal(p[0], [1, 0, 0])
    np.testing.assert_allclose(p[1], [1 / 3] * 3, rtol=1e-3)
    assert np.isfinite(gp).all()
    lp, glp = value_and_grad(lambda v: F.log_softmax(v), x)
    # every output finite: −max·2 is not representable, it saturates at −finfo.max
    assert np.isfinite(lp).all() and lp[0, 0] == 0 and lp[0, 1] == -big
    assert np.isfinite(glp).all()
    np.testing.assert_allclose(glp[0].astype(np.float64), [1 - 3, 1, 1])  # g − softmax·Σg with g = 1


def test_log_softmax_keeps_minus_inf_masks():
    y = F.log_softmax(tg.Value(np.array([0.0, -np.inf, np.finfo(np.float64).max])))
    assert y.data[1] == -np.inf and y.data[2] == 0.0


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("kind", ["index", "index-smoothing", "probs", "onehot"])
def test_cross_entropy_at_plus_minus_max(dtype, kind):
    big = np.finfo(dtype).max
    x = np.array([[big, -big, 0.0], [0.5, -big, big]], dtype=dtype)
    if kind.startswith("index"):
        target, ls = np.array([0, 2]), (0.1 if kind == "index-smoothing" else 0.0)
    else:
        target = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]] if kind == "onehot" else [[0.5, 0.0, 0.5], [0.0, 0.0, 1.0]])
        target, ls = target.astype(dtype), 0.0
    v = tg.Value(x)
    loss = F.cross_entropy(v, target, label_smoothing=ls)
    loss.backward()
    assert not np.isnan(loss.data) and np.isfinite(v.grad).all()
    if kind in ("index", "onehot"):  # the right class has all the mass: loss 0, gradient 0
        assert loss.item() == 0.0
        np.testing.assert_array_equal(v.grad, np.zeros_like(x))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("beta", [2.0, 10.0, 0.5])
def test_softplus_near_max(dtype, beta):
    big = float(np.finfo(dtype).max)
    x = np.array([big, big / 1.5, -big, -big / 1.5, 1.0], dtype=dtype)
    y, g = value_and_grad(lambda v: F.softplus(v, beta=beta), x)
    assert y[0] == x[0] and y[1] == x[1] and y[2] == 0 and y[3] == 0
    np.testing.assert_array_equal(g[:4], [1, 1, 0, 0])
    np.testing.assert_allclose(float(y[4]), np.log1p(np.exp(beta)) / beta, rtol=2e-3)


def test_gelu_tanh_float16():
    big = float(np.finfo(np.float16).max)
    x = np.array([big, -big, 60000, -60000, 100, -100, 20, -20, 9, -9, 3, -0.5, 0], dtype=np.float16)
    y, g = value_and_grad(lambda v: F.gelu(v, approximate="tanh"), x)
    y64, g64 = value_and_grad(lambda v: F.gelu(v, approximate="tanh"), x.astype(np.float64))
    assert np.isfinite(y).all() and np.isfinite(g).all()
    np.testing.assert_allclose(y.astype(np.float64), y64, rtol=2e-3, atol=2e-3)
    np.testing.assert_allclose(g.astype(np.float64), g64, rtol=2e-3, atol=2e-3)
    assert y[0] == x[0] and y[1] == 0 and g[0] == 1 and g[1] == 0


def test_gelu_tanh_unchanged_where_it_was_exact():
    """The clip moved from |x| = 100 to 10: tanh(u(10)) is already exactly ±1 in float64."""
    from tinygrad_cn.activations.smooth import _TANH_C, _TANH_CLIP, _TANH_K

    u = _TANH_C * (_TANH_CLIP + _TANH_K * _TANH_CLIP**3)
    assert np.tanh(u) == 1.0 and np.tanh(-u) == -1.0
    x = np.linspace(-12, 12, 97)
    y, g = value_and_grad(lambda v: F.gelu(v, approximate="tanh"), x)
    t = np.tanh(_TANH_C * (x + _TANH_K * x**3))
    np.testing.assert_allclose(y, 0.5 * x * (1 + t), rtol=1e-15, atol=0)
    dt = (1 - t * t) * _TANH_C * (1 + 3 * _TANH_K * x * x)
    np.testing.assert_allclose(g, 0.5 * (1 + t) + 0.5 * x * dt, rtol=1e-12, atol=1e-300)
    assert tg.gradcheck(lambda v: F.gelu(v, approximate="tanh"), [tg.Value(np.array([-10.5, -9.5, 9.5, 10.5]))])
