"""LLaMA's multi-head causal self-attention: ``wq wk wv wo`` without bias, rotary positions."""

from __future__ import annotations

import numpy as np

from ..activations.attention import scaled_dot_product_attention
from ..engine import ShapeError, Value
from ..engine.errors import check_positive_int
from . import init
from .linear import Linear
from .module import Module
from .rope import rotary_embedding

__all__ = ["Attention"]


class Attention(Module):
    """``Attention(dim, n_heads)``: causal multi-head self-attention as in Meta's LLaMA.

    For x of shape (batch, seq, dim): q, k, v = x·wqᵀ, x·wkᵀ, x·wvᵀ, split into ``n_heads`` heads
    of ``dim // n_heads`` features; q and k get the rotary position embedding; each head computes
    softmax(q kᵀ/√head_dim, causal)·v; the heads are concatenated and projected by ``wo``.

    >>> import numpy as np
    >>> from tinygrad_cn import nn
    >>> attn = nn.Attention(8, n_heads=2, generator=0)
    >>> attn(np.zeros((3, 5, 8), dtype=np.float32)).shape
    (3, 5, 8)
    >>> nn.Attention(8, n_heads=3)
    Traceback (most recent call last):
    ...
    ValueError: Attention: n_heads = 3 does not divide dim = 8 (each head gets dim / n_heads features)
    """

    def __init__(
        self,
        dim: int,
        n_heads: int,
        *,
        rope_base: float = 10000.0,
        dtype: np.dtype | type = np.float32,
        generator: np.random.Generator | int | None = None,
    ) -> None:
        dim = check_positive_int(dim, "dim", "Attention")
        n_heads = check_positive_int(n_heads, "n_heads", "Attention")
        if dim % n_heads:
            raise ValueError(
                f"Attention: n_heads = {n_heads} does not divide dim = {dim} (each head gets dim / n_heads features)"
            )
        if (dim // n_heads) % 2:
            raise ValueError(
                f"Attention: head_dim = dim / n_heads = {dim // n_heads} must be even for the rotary embedding "
                f"(features are rotated in pairs)"
            )
        self.dim, self.n_heads, self.head_dim, self.rope_base = int(dim), int(n_heads), dim // n_heads, float(rope_base)
        rng = init.get_generator(generator)
        self.wq = Linear(dim, dim, bias=False, dtype=dtype, generator=rng)
        self.wk = Linear(dim, dim, bias=False, dtype=dtype, generator=rng)
        self.wv = Linear(dim, dim, bias=False, dtype=dtype, generator=rng)
        self.wo = Linear(dim, dim, bias=False, dtype=dtype, generator=rng)

    def forward(self, x: Value | np.ndarray) -> Value:
        if len(x.shape) != 3 or x.shape[-1] != self.dim:
            raise ShapeError(
                f"Attention(dim={self.dim}): input must have shape (batch, seq, {self.dim}), got {tuple(x.shape)}"
            )
        bsz, seqlen, _ = x.shape
        heads = (bsz, seqlen, self.n_heads, self.head_dim)
        xq = rotary_embedding(self.wq(x).reshape(heads), self.rope_base)
        xk = rotary_embedding(self.wk(x).reshape(heads), self.rope_base)
        xv = self.wv(x).reshape(heads)
        # (batch, heads, seq, head_dim): each head attends on its own
        q, k, v = (t.transpose(0, 2, 1, 3) for t in (xq, xk, xv))
        out = scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.wo(out.transpose(0, 2, 1, 3).reshape(bsz, seqlen, self.dim))

    def extra_repr(self) -> str:
        return f"dim={self.dim}, n_heads={self.n_heads}"
