"""Higher-order gradients: ``tg.grad(..., create_graph=True)`` returns Values whose own gradients
are right (each backward rule is written once, for arrays and Values alike)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_cn as tg


def second(f, x0):
    x = tg.Value(x0)
    (d1,) = tg.grad(f(x), x, create_graph=True)
    (d2,) = tg.grad(d1, x)
    return d1.item(), d2.item()


@pytest.mark.parametrize("x0", [-1.3, 0.4, 2.0])
def test_known_second_derivatives(x0):
    assert second(lambda x: x**3, x0) == pytest.approx((3 * x0**2, 6 * x0))
    assert second(lambda x: x.exp(), x0) == pytest.approx((np.exp(x0), np.exp(x0)))
    t = np.tanh(x0)  # tanh' = 1 − t², tanh'' = −2t(1 − t²)
    assert second(lambda x: x.tanh(), x0) == pytest.approx((1 - t * t, -2 * t * (1 - t * t)))


def test_mixed_partial_of_product():
    x, y = tg.Value(1.5), tg.Value(-2.0)
    dx, dy = tg.grad(x * y, [x, y], create_graph=True)
    assert (dx.item(), dy.item()) == (-2.0, 1.5)
    (dxy,) = tg.grad(dx, y)  # ∂²(xy)/∂x∂y = 1
    assert dxy.item() == 1.0
    assert x.grad is None and y.grad is None


def test_hessian_of_logistic_loss():
    """H = Xᵀ diag(p(1−p)) X / N for L(w) = mean(softplus(−y·Xw)) (y ∈ ±1)."""
    rng = np.random.default_rng(0)
    N, d = 20, 3
    X = rng.standard_normal((N, d))
    y = np.where(rng.random(N) > 0.5, 1.0, -1.0)
    w = tg.Value(rng.standard_normal(d) * 0.5)
    z = X @ w
    loss = (1 + (-y * z).exp()).log().mean()
    (g,) = tg.grad(loss, w, create_graph=True)
    H = np.stack([tg.grad(g[i], w)[0].data for i in range(d)])
    p = 1 / (1 + np.exp(-(X @ w.data)))
    expected = X.T @ np.diag(p * (1 - p)) @ X / N
    np.testing.assert_allclose(H, expected, rtol=1e-10, atol=1e-12)


def _hvp_check(f, x0, v, eps=1e-5, rtol=1e-5, atol=1e-7):
    """Hessian-vector product by double backward vs a central difference of the gradient."""
    x = tg.Value(x0)
    (g,) = tg.grad(f(x), x, create_graph=True)
    (hv,) = tg.grad((g * v).sum(), x, allow_unused=True)
    hv = np.zeros_like(x0) if hv is None else hv.data

    def grad_at(a):
        xa = tg.Value(a)
        return tg.grad(f(xa), xa)[0].data

    numeric = (grad_at(x0 + eps * v) - grad_at(x0 - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hv, numeric, rtol=rtol, atol=atol)


RNG = np.random.default_rng(3)
C = RNG.standard_normal((3, 4))
CASES = {
    "arith": lambda x: ((x * x + 1.3) / (x * 0.5 - 3) - x**3 + (2.0 ** x)).sum(),
    "exp_log_sqrt": lambda x: ((x * x + 1).log() * (x * x + 2).sqrt() + (-x).exp()).sum(),
    "abs_relu": lambda x: (x.abs() * x + x.relu() * x * x).sum(),
    "sigmoid_tanh": lambda x: (x.sigmoid() * x.tanh() + x.sigmoid() ** 2).sum(),
    "reduce": lambda x: (x.sum(axis=0) ** 2).sum() + (x.mean(axis=1, keepdims=True) * x).sum() + x.max(axis=1).sum() ** 2,
    "movement": lambda x: ((x.T @ x) ** 2).sum() + (x.reshape(4, 3).T * x).sum() + (x[0, [1, 1, 3]] ** 3).sum(),
    "matmul": lambda x: ((C.T @ x).tanh() @ x.T).sum() + ((x[0] @ x.T) ** 2).sum(),
    "broadcast": lambda x: ((x.sum(axis=0, keepdims=True) * x) ** 2).mean() + (x.broadcast_to(2, 3, 4) ** 3).sum(),
    "where": lambda x: (tg.where(C > 0, x * x, x**3)).sum(),
}


@pytest.mark.parametrize("name", CASES)
def test_hessian_vector_products(name):
    rng = np.random.default_rng(7)
    x0 = rng.uniform(0.3, 1.2, (3, 4)) * np.where(rng.random((3, 4)) > 0.3, 1, -1)
    if name == "reduce":  # keep the maxima apart
        x0 = x0 + np.arange(12).reshape(3, 4) * 0.5
    v = rng.standard_normal((3, 4))
    _hvp_check(CASES[name], x0, v)
