"""Adagrad: per-coordinate learning rates from the sum of squared gradients (``torch.optim.Adagrad``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np

from ..engine.value import Value
from .optimizer import Optimizer, Update, cast_like


class Adagrad(Optimizer):
    r"""Adagrad, the same update as ``torch.optim.Adagrad``, step for step.

    For each parameter θ with gradient g; t counts that parameter's steps (γ = lr, η = lr_decay,
    λ = weight_decay, τ = initial_accumulator_value)::

        γ̃ = γ / (1 + (t − 1)·η)
        g ← g + λ·θ                        if λ ≠ 0
        s ← s + g²                         s₀ = τ: the sum of all squared gradients so far
        θ ← θ − γ̃·g / (√s + ε)

    Coordinates that have had large gradients take small steps and rare ones large steps, which
    is why the notes suggest it against dead ReLUs caused by a too-high learning rate.

    >>> import numpy as np, tinygrad_cn as tg
    >>> from tinygrad_cn import optim
    >>> w = tg.Value(np.array([1.0, -2.0]))
    >>> opt = optim.Adagrad([w], lr=0.5)
    >>> (w * w).sum().backward()
    >>> opt.step(); w.data                # the first step is lr·g/|g| = lr·sign(g)
    array([ 0.5, -1.5])
    """

    def __init__(
        self,
        params: Iterable[Value] | Any,
        lr: float = 1e-2,
        eps: float = 1e-10,
        *,
        weight_decay: float = 0.0,
        lr_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        check_finite: bool = True,
    ) -> None:
        super().__init__(params, check_finite=check_finite)
        self.lr = self._check_hparam("Adagrad", "lr", lr)
        self.eps = self._check_hparam("Adagrad", "eps", eps)
        self.weight_decay = self._check_hparam("Adagrad", "weight_decay", weight_decay)
        self.lr_decay = self._check_hparam("Adagrad", "lr_decay", lr_decay)
        self.initial_accumulator_value = self._check_hparam(
            "Adagrad", "initial_accumulator_value", initial_accumulator_value
        )
        for p, st in zip(self.params, self.state):  # as torch: the state exists from the start
            st["step"] = 0
            st["sum"] = np.full_like(p.data, self.initial_accumulator_value)

    STATE_NAMES: ClassVar[dict[str, str]] = {"sum": "the sum of squared gradients s"}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> Update:
        t = state["step"] + 1
        clr = self.lr / (1 + (t - 1) * self.lr_decay)
        if self.weight_decay != 0:
            g = g + self.weight_decay * p
        s = state["sum"].copy()  # a new array: the stored sum is replaced only when the step is written
        s += g * g
        std = np.sqrt(s)
        std += self.eps
        return cast_like(p - clr * (g / std), p.dtype), {"step": t, "sum": s}

    def extra_repr(self) -> str:
        return f"lr={self.lr}, eps={self.eps}, weight_decay={self.weight_decay}"
