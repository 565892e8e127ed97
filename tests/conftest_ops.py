"""Checks shared by the activation, information-theory and loss tests (issue 3)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

import tinygrad_cn as tg


def gradgradcheck(
    fn: Callable[..., tg.Value], arrays: Sequence[np.ndarray], seed: int = 1, eps: float = 1e-6
) -> bool:
    """Second derivatives: Hessian-vector products of fn (contracted with a random upstream r),
    computed by ``tg.grad(create_graph=True)`` and differentiated again, checked by ``tg.gradcheck``
    against central differences of the first gradient."""
    rng = np.random.default_rng(seed)
    values = [tg.Value(np.array(a, dtype=np.float64)) for a in arrays]
    r = rng.standard_normal(fn(*values).shape)
    s = [rng.standard_normal(np.shape(a)) for a in arrays]

    def hvp(*xs: tg.Value) -> tg.Value:
        with tg.enable_grad():
            grads = tg.grad(fn(*xs), list(xs), grad_outputs=r, create_graph=True, allow_unused=True)
            total = (xs[0] * 0.0).sum()  # keeps a graph even where every second derivative is 0
            for g, si in zip(grads, s):
                if g is not None:
                    total = total + (g * si).sum()
        return total

    return tg.gradcheck(hvp, values, eps=eps)


def assert_finite_grads(*values: tg.Value) -> None:
    for v in values:
        assert v.grad is not None
        assert np.isfinite(v.grad).all(), v.grad
