"""Adam: adaptive moment estimation (``torch.optim.Adam``)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np

from ..engine.value import Value
from .optimizer import Optimizer, Update, cast_like


class Adam(Optimizer):
    r"""Adam, the same update as ``torch.optim.Adam``, step for step.

    For each parameter θ with gradient g; t counts that parameter's steps (γ = lr, λ = weight_decay)::

        g ← g + λ·θ                        if λ ≠ 0   (L2 penalty, not AdamW's decoupled decay)
        m ← β₁·m + (1 − β₁)·g              first moment (running mean of g), m₀ = 0
        v ← β₂·v + (1 − β₂)·g²             second moment (running mean of g²), v₀ = 0
        v_max ← max(v_max, v)              amsgrad only: the largest v so far is used below
        m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   bias correction (m and v start at 0)
        θ ← θ − γ·m̂ / (√v̂ + ε)

    One gradient of 1e200 (float64) makes v = (1 − β₂)·g² overflow to inf. PyTorch stores it (the
    update m̂/(√v̂ + ε) is then 0, and stays 0: that coordinate never moves again); here the step
    is refused with a FloatingPointError naming the parameter and ``exp_avg_sq``, and nothing
    changes. ``check_finite=False`` gives PyTorch's behaviour (see :class:`Optimizer`).

    >>> import numpy as np, tinygrad_cn as tg
    >>> from tinygrad_cn import optim
    >>> w = tg.Value(np.array([1.0, -2.0]))
    >>> opt = optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step(); w.data                # the first Adam step moves each weight by ≈ lr·sign(g)
    array([ 0.9, -1.9])
    """

    def __init__(
        self,
        params: Iterable[Value] | Any,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        check_finite: bool = True,
    ) -> None:
        super().__init__(params, check_finite=check_finite)
        self.lr = self._check_hparam("Adam", "lr", lr)
        try:
            b1, b2 = betas
        except (TypeError, ValueError):
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2), got {betas!r}") from None
        self.betas = (self._check_hparam("Adam", "beta1", b1, 0.0, 1.0), self._check_hparam("Adam", "beta2", b2, 0.0, 1.0))
        self.eps = self._check_hparam("Adam", "eps", eps)
        self.weight_decay = self._check_hparam("Adam", "weight_decay", weight_decay)
        self.amsgrad = self._check_flag("Adam", "amsgrad", amsgrad)

    STATE_NAMES: ClassVar[dict[str, str]] = {
        "exp_avg": "the first moment m (running mean of g)",
        "exp_avg_sq": "the second moment v (running mean of g²)",
        "max_exp_avg_sq": "amsgrad's largest second moment v_max",
    }

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> Update:
        b1, b2 = self.betas
        t = state.get("step", 0) + 1
        if self.weight_decay != 0:
            g = g + self.weight_decay * p
        m = state.get("exp_avg")
        v = state.get("exp_avg_sq")
        if m is None:  # the first step: m₀ = v₀ = 0
            m, v = np.zeros_like(p), np.zeros_like(p)
        # new arrays (the stored m, v are replaced only when the step is written); += keeps their dtype
        m_new = m.copy()
        m_new += (1 - b1) * (g - m)  # = β₁m + (1 − β₁)g  (torch's lerp)
        v_new = v * b2
        v_new += (1 - b2) * g * g  # (1 − β₂)·g first, as torch's addcmul
        m, v = m_new, v_new
        new: dict[str, Any] = {"step": t, "exp_avg": m, "exp_avg_sq": v}
        v_used = v
        if self.amsgrad:
            v_max = state.get("max_exp_avg_sq")
            v_used = new["max_exp_avg_sq"] = v.copy() if v_max is None else np.maximum(v_max, v)
        step_size = self.lr / (1 - b1**t)
        denom = np.sqrt(v_used) / math.sqrt(1 - b2**t)  # √v̂
        denom += self.eps
        return cast_like(p - step_size * (m / denom), p.dtype), new

    def extra_repr(self) -> str:
        return (
            f"lr={self.lr}, betas={self.betas}, eps={self.eps}, weight_decay={self.weight_decay}"
            + (", amsgrad=True" if self.amsgrad else "")
        )
