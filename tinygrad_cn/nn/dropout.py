"""``Dropout``: inverted dropout (zero each element with probability p, scale the rest by 1/(1−p))."""

from __future__ import annotations

import numpy as np

from ..engine.value import Value
from . import init
from .module import Module


class Dropout(Module):
    """In training mode y = x · m / (1 − p) with m ~ Bernoulli(1 − p) per element, so E[y] = x;
    in eval mode (``model.eval()``) and for p = 0, y = x. ``seed`` gives the layer its own generator
    (reproducible masks); without it the layer draws from ``nn.init``'s default generator.

    >>> import numpy as np, tinygrad_cn as tg
    >>> from tinygrad_cn import nn
    >>> drop = nn.Dropout(0.5, seed=0)
    >>> y = drop(tg.Value(np.ones(8)))
    >>> sorted(set(y.data.tolist()))          # kept elements are scaled by 1/(1 − 0.5)
    [0.0, 2.0]
    >>> x = tg.Value(np.ones(3))
    >>> drop.eval()(x) is x
    True
    """

    def __init__(self, p: float = 0.5, *, seed: int | None = None) -> None:
        if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: probability p must be in [0, 1], got {p!r}")
        self.p = float(p)
        self._rng = np.random.default_rng(seed) if seed is not None else None

    def forward(self, x: Value) -> Value:
        if not self.training or self.p == 0.0:
            return x
        shape = x.shape
        dtype = x.dtype if x.dtype.kind == "f" else np.float64
        if self.p == 1.0:
            return x * np.zeros(shape, dtype=dtype)
        rng = self._rng if self._rng is not None else init.get_generator()
        keep = rng.random(shape) >= self.p
        return x * (keep.astype(dtype) * dtype.type(1.0 / (1.0 - self.p)))  # the mask is a constant

    def extra_repr(self) -> str:
        return f"p={self.p}"
