"""LLaMA's Transformer block: pre-norm attention and the notes' SwiGLU FeedForward, each with a
residual connection."""

from __future__ import annotations

import numpy as np

from ..engine import Value
from . import init
from .attention import Attention
from .feedforward import FeedForward
from .module import Module
from .normalization import RMSNorm

__all__ = ["TransformerBlock"]


class TransformerBlock(Module):
    """``TransformerBlock(dim, n_heads, multiple_of)`` as in Meta's LLaMA::

        h   = x + attention(attention_norm(x))
        out = h + feed_forward(ffn_norm(h))

    ``attention`` is :class:`Attention`, ``feed_forward`` the notes' SwiGLU :class:`FeedForward`
    (hidden width by the notes' rule), both norms :class:`RMSNorm`.

    >>> import numpy as np
    >>> from tinygrad_cn import nn
    >>> block = nn.TransformerBlock(16, n_heads=2, multiple_of=8, generator=0)
    >>> block.feed_forward.hidden_dim                      # 4·16·2/3 = 42 → rounded up to 48
    48
    >>> block(np.zeros((2, 4, 16), dtype=np.float32)).shape
    (2, 4, 16)
    """

    def __init__(
        self,
        dim: int,
        n_heads: int,
        multiple_of: int = 256,
        norm_eps: float = 1e-6,
        *,
        layer_id: int = 0,
        dtype: np.dtype | type = np.float32,
        generator: np.random.Generator | int | None = None,
    ) -> None:
        rng = init.get_generator(generator)
        self.dim, self.n_heads, self.layer_id = int(dim), int(n_heads), int(layer_id)
        self.attention = Attention(dim, n_heads, dtype=dtype, generator=rng)
        self.feed_forward = FeedForward(dim, multiple_of=multiple_of, dtype=dtype, generator=rng)
        self.attention_norm = RMSNorm(dim, eps=norm_eps, dtype=dtype)
        self.ffn_norm = RMSNorm(dim, eps=norm_eps, dtype=dtype)

    def forward(self, x: Value | np.ndarray) -> Value:
        h = x + self.attention(self.attention_norm(x))
        return h + self.feed_forward(self.ffn_norm(h))

    def extra_repr(self) -> str:
        return f"dim={self.dim}, n_heads={self.n_heads}"
