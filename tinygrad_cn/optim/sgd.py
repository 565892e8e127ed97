"""Stochastic gradient descent, optionally with momentum and weight decay (``torch.optim.SGD``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np

from ..engine.value import Value
from .optimizer import Optimizer, Update, cast_like


class SGD(Optimizer):
    r"""Stochastic gradient descent, the same update as ``torch.optim.SGD``, step for step.

    For each parameter θ with gradient g at step t (γ = lr, μ = momentum, λ = weight_decay,
    τ = dampening)::

        g ← g + λ·θ                        if λ ≠ 0   (L2 penalty λ/2·‖θ‖²)
        if μ ≠ 0:
            b ← g                          at the parameter's first step
            b ← μ·b + (1 − τ)·g            afterwards
            g ← g + μ·b  if nesterov else  g ← b
        θ ← θ − γ·g

    >>> import numpy as np, tinygrad_cn as tg
    >>> from tinygrad_cn import optim
    >>> w = tg.Value(np.array([1.0, -2.0]))
    >>> opt = optim.SGD([w], lr=0.1)
    >>> (w * w).sum().backward()          # g = 2w
    >>> opt.step(); w.data                # w − 0.1·2w = 0.8·w
    array([ 0.8, -1.6])
    """

    def __init__(
        self,
        params: Iterable[Value] | Any,
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        *,
        dampening: float = 0.0,
        nesterov: bool = False,
        check_finite: bool = True,
    ) -> None:
        super().__init__(params, check_finite=check_finite)
        self.lr = self._check_hparam("SGD", "lr", lr)
        self.momentum = self._check_hparam("SGD", "momentum", momentum)
        self.weight_decay = self._check_hparam("SGD", "weight_decay", weight_decay)
        self.dampening = self._check_hparam("SGD", "dampening", dampening)
        nesterov = self._check_flag("SGD", "nesterov", nesterov)
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("SGD: Nesterov momentum requires a momentum and zero dampening")
        self.nesterov = bool(nesterov)

    STATE_NAMES: ClassVar[dict[str, str]] = {"momentum_buffer": "the momentum buffer b"}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> Update:
        lr, mu, wd = self.lr, self.momentum, self.weight_decay
        new: dict[str, Any] = {}
        if wd != 0:
            g = g + wd * p
        if mu != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = np.array(g, dtype=p.dtype)  # b₁ = g₁ (a copy)
            else:
                buf = buf * mu  # a new array: the stored buffer is replaced only when the step is written
                buf += (1 - self.dampening) * g
            new["momentum_buffer"] = buf
            g = g + mu * buf if self.nesterov else buf
        return cast_like(p - lr * g, p.dtype), new  # a Python float keeps p's dtype (float32 stays float32)

    def extra_repr(self) -> str:
        return f"lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay}"
