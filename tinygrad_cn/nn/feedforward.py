"""The LLaMA-style SwiGLU ``FeedForward`` from the notes: w2(silu(w1 x) ⊙ w3 x), then dropout."""

from __future__ import annotations

import numpy as np

from .. import functional as F
from ..engine.errors import check_positive_int
from ..engine.value import Value
from . import init
from .dropout import Dropout
from .linear import Linear
from .module import Module


def swiglu_hidden_dim(dim: int, multiple_of: int) -> int:
    """The notes' rule for the hidden width: 4·dim, times 2/3 (SwiGLU has three matrices instead of
    two, so this keeps the parameter count of a 4·dim MLP), rounded up to a multiple of ``multiple_of``.

    >>> swiglu_hidden_dim(256, 64)     # 4·256 = 1024 → int(2·1024/3) = 682 → 704
    704
    """
    hidden = 4 * dim
    hidden = int(2 * hidden / 3)
    return multiple_of * ((hidden + multiple_of - 1) // multiple_of)


class FeedForward(Module):
    """``FeedForward(dim, hidden_dim=None, multiple_of=256, dropout=0.0)`` exactly as in the notes:

    w1, w3: dim → hidden_dim and w2: hidden_dim → dim, all without bias;
    forward(x) = dropout(w2(silu(w1 x) ⊙ w3 x)), where silu(a) = a·σ(a).
    When ``hidden_dim`` is None it is computed by the notes' rule (:func:`swiglu_hidden_dim`);
    a given ``hidden_dim`` is used as it is (as in the notes' code).

    >>> import numpy as np
    >>> from tinygrad_cn import nn
    >>> ffn = nn.FeedForward(256, multiple_of=64, generator=0)
    >>> ffn.hidden_dim, ffn.w1.weight.shape, ffn.w2.weight.shape
    (704, (704, 256), (256, 704))
    >>> ffn(np.zeros((3, 256), dtype=np.float32)).shape
    (3, 256)
    """

    def __init__(
        self,
        dim: int,
        hidden_dim: int | None = None,
        multiple_of: int = 256,
        dropout: float = 0.0,
        *,
        dtype: np.dtype | type = np.float32,
        generator: np.random.Generator | int | None = None,
    ) -> None:
        dim = check_positive_int(dim, "dim", "FeedForward")
        if hidden_dim is None:
            hidden_dim = swiglu_hidden_dim(dim, check_positive_int(multiple_of, "multiple_of", "FeedForward"))
        rng = init.get_generator(generator)
        self.dim, self.hidden_dim, self.multiple_of = int(dim), int(hidden_dim), multiple_of
        self.w1 = Linear(dim, hidden_dim, bias=False, dtype=dtype, generator=rng)
        self.w2 = Linear(hidden_dim, dim, bias=False, dtype=dtype, generator=rng)
        self.w3 = Linear(dim, hidden_dim, bias=False, dtype=dtype, generator=rng)
        self.dropout = Dropout(dropout)

    def forward(self, x: Value) -> Value:
        return self.dropout(self.w2(F.silu(self.w1(x)) * self.w3(x)))

    def extra_repr(self) -> str:
        return f"dim={self.dim}, hidden_dim={self.hidden_dim}"
