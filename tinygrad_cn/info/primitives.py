"""``p·log p`` and ``p·log q`` as primitive ops with the convention 0·log 0 = 0 built in.

Written naively (``p * log(p)``), p = 0 gives 0·(−∞) = NaN forward, and masking afterwards
(``where(p > 0, p log p, 0)``) still leaks a NaN gradient through the unused branch (HIPS
autograd's trap). Here the masked value is never computed, and the gradient is finite wherever
p > 0.
"""

from __future__ import annotations

import numpy as np

from ..engine import xp
from ..engine.op import Formula, Op
from ..engine.value import Operand, Value


def _safe(x, mask):
    """x where mask, 1 elsewhere (log 1 = 0): the log never sees the masked entries."""
    return xp.where(mask, x, 1.0)


def _xlogx_grad(ctx, g, y, p):
    nz = xp.data(p) != 0
    return xp.where(nz, g * (xp.log(_safe(p, nz)) + 1), 0.0)


class XLogX(Op):
    name, symbol = "xlogx", "p·log p"
    formula = Formula(
        "y = p·ln p   (0 at p = 0)",
        ("∂y/∂p = ln p + 1   (taken as 0 at p = 0)",),
        zh="p·log p 是熵的每一项；约定 0·log 0 = 0（p→0 时的极限），p = 0 处梯度取 0，因而永远不会出现 NaN",
        en="p·log p is one term of the entropy; 0·log 0 = 0 (its limit as p → 0), and the gradient at p = 0 "
        "is taken as 0, so it is never NaN",
    )

    @staticmethod
    def forward(ctx, p):
        nz = p != 0
        return np.where(nz, p * np.log(np.where(nz, p, 1)), 0)

    backward = (_xlogx_grad,)


def xlogx(p: Operand) -> Value:
    """p·ln p elementwise, with 0·ln 0 = 0.

    Derivative: ln p + 1 for p > 0. At p = 0 the true slope is −∞; it is taken as 0 so no NaN or
    inf ever reaches the graph (composed with softmax, whose Jacobian carries a factor p, the
    exact limit is 0 anyway).

    >>> import tinygrad_cn as tg
    >>> from tinygrad_cn.info import xlogx
    >>> p = tg.Value([0.0, 0.5, 1.0])
    >>> y = xlogx(p); y.data
    array([ 0.        , -0.34657359,  0.        ])
    >>> y.sum().backward(); p.grad
    array([0.        , 0.30685282, 1.        ])
    """
    return XLogX.apply(p)


def _xlogy_grad_p(ctx, g, y, p, q):
    # p·ln q is linear in p: ∂/∂p = ln q wherever q > 0, also at p = 0 (as torch.xlogy); where
    # p = 0 and q ≤ 0 it is taken as 0; ln 0 = −∞ where q = 0 < p (an infinite cross-entropy)
    skip = (xp.data(p) == 0) & (xp.data(q) <= 0)
    if not skip.any():
        with np.errstate(divide="ignore"):
            return g * xp.log(q)
    with np.errstate(divide="ignore"):
        return xp.where(skip, 0.0, g * xp.log(xp.where(skip, 1.0, q)))


def _xlogy_grad_q(ctx, g, y, p, q):
    nz = xp.data(p) != 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return xp.where(nz, g * p / _safe(q, nz), 0.0)


class XLogY(Op):
    name, symbol = "xlogy", "p·log q"
    formula = Formula(
        "y = p·ln q   (0 wherever p = 0)",
        ("∂y/∂p = ln q", "∂y/∂q = p/q   (0 where p = 0)"),
        zh="p·log q 是交叉熵的每一项：p = 0 的事件不参与（约定 0·log q = 0），对 q 的梯度 p/q 把 q 推向 p",
        en="p·log q is one term of the cross-entropy: events with p = 0 do not count (0·log q = 0); "
        "the gradient p/q pulls q toward p",
    )

    @staticmethod
    def forward(ctx, p, q):
        nz = p != 0
        with np.errstate(divide="ignore"):  # p > 0 with q = 0 gives −∞, the true value
            return np.where(nz, p * np.log(np.where(nz, q, 1)), 0)

    backward = (_xlogy_grad_p, _xlogy_grad_q)


def xlogy(p: Operand, q: Operand) -> Value:
    """p·ln q elementwise, 0 wherever p = 0 (as ``torch.xlogy``); numpy broadcasting.

    Derivatives: ∂/∂p = ln q (also at p = 0: p·ln q is linear in p; taken as 0 where p = q = 0),
    ∂/∂q = p/q (0 where p = 0; torch gives NaN at p = q = 0). Where q = 0 but p > 0 the value is
    −∞: an event the model calls impossible happened.

    >>> import tinygrad_cn as tg
    >>> from tinygrad_cn.info import xlogy
    >>> p = tg.Value([0.0, 0.5]); q = tg.Value([0.0, 0.25])
    >>> y = xlogy(p, q); y.data
    array([ 0.        , -0.69314718])
    >>> y.sum().backward(); p.grad, q.grad
    (array([ 0.        , -1.38629436]), array([0., 2.]))
    >>> p = tg.Value([0.0]); xlogy(p, tg.Value([0.25])).sum().backward(); p.grad   # ln 0.25
    array([-1.38629436])
    """
    return XLogY.apply(p, q)
