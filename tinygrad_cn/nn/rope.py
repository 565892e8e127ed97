"""Rotary position embedding (RoPE, as in Meta's LLaMA): rotate each pair of features by an angle
that grows with the position, so that the dot product q·k of a query at position m and a key at
position n depends only on m − n.

For head dimension d, the pair (x₂ᵢ, x₂ᵢ₊₁) at position t is rotated by θ = t·base^(−2i/d)
(base = 10000): the first pairs turn fast, the last ones slowly. A rotation is linear and its
inverse is its transpose, so the backward is the same op with the angle negated (and therefore
differentiable again).
"""

from __future__ import annotations

import functools

import numpy as np

from ..engine import Formula, Op, ShapeError, Value

__all__ = ["RotaryEmbedding", "rope_angles", "rotary_embedding"]


def rope_angles(seq_len: int, head_dim: int, base: float = 10000.0, start: int = 0) -> np.ndarray:
    """θ[t, i] = (start + t) · base^(−2i/head_dim) for t < seq_len, i < head_dim/2 (float64).

    >>> rope_angles(3, 4)[:, 0]          # the first pair turns by one radian per position
    array([0., 1., 2.])
    """
    if head_dim % 2:
        raise ValueError(f"rotary embedding: head_dim must be even (features are rotated in pairs), got {head_dim}")
    freqs = 1.0 / base ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    return np.outer(np.arange(start, start + seq_len, dtype=np.float64), freqs)


@functools.lru_cache(maxsize=64)
def _cos_sin(seq_len: int, head_dim: int, base: float, start: int, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """cos θ and sin θ of shape (seq, 1, head_dim/2) (broadcast over the heads), read-only, cached:
    every layer and every step of a run uses the same table."""
    theta = rope_angles(seq_len, head_dim, base, start)[:, None, :]
    cos, sin = np.cos(theta).astype(dtype), np.sin(theta).astype(dtype)
    cos.flags.writeable = sin.flags.writeable = False
    return cos, sin


def _rotate(x: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    """(x₂ᵢ, x₂ᵢ₊₁) → (x₂ᵢ cos − x₂ᵢ₊₁ sin, x₂ᵢ sin + x₂ᵢ₊₁ cos)."""
    xe, xo = x[..., 0::2], x[..., 1::2]
    out = np.empty(x.shape, dtype=x.dtype)
    out[..., 0::2] = xe * cos - xo * sin
    out[..., 1::2] = xe * sin + xo * cos
    return out


def _rope_grad(ctx, g, y, x):
    """g·∂y/∂x = R(−θ)·g: rotate back; as the op itself under create_graph, so it is differentiable again."""
    if isinstance(g, Value):
        return RotaryEmbedding.apply(g, cos=ctx["cos"], sin=-ctx["sin"])
    return _rotate(g, ctx["cos"], -ctx["sin"])


class RotaryEmbedding(Op):
    name, symbol = "rotary_embedding", "RoPE"
    formula = Formula(
        "y₂ᵢ = x₂ᵢ·cos θ − x₂ᵢ₊₁·sin θ,  y₂ᵢ₊₁ = x₂ᵢ·sin θ + x₂ᵢ₊₁·cos θ,  θ = t·10000^(−2i/d)",
        ("∂L/∂x = R(−θ)·G  (a rotation's inverse is its transpose)",),
        zh="旋转位置编码：把每对特征按位置 t 旋转角度 θ，于是 q·k 只取决于两者的相对位置；旋转是线性的，"
        "反向就是转回去（角度取负）",
        en="rotary position embedding: each pair of features is rotated by an angle θ that grows with the position t, "
        "so q·k depends only on the relative position; a rotation is linear, so backward rotates back (−θ)",
    )

    @staticmethod
    def forward(ctx, x):
        return _rotate(x, ctx["cos"], ctx["sin"])

    backward = (_rope_grad,)


def rotary_embedding(x: Value | np.ndarray, base: float = 10000.0, start: int = 0) -> Value:
    """Rotate the query or key ``x`` of shape (batch, seq, n_heads, head_dim) (Meta's layout) by the
    rotary position embedding of positions ``start .. start + seq − 1``.

    >>> import numpy as np, tinygrad_cn as tg
    >>> from tinygrad_cn.nn.rope import rotary_embedding
    >>> x = tg.Value(np.ones((1, 3, 1, 2)))                # one pair (1, 1) at positions 0, 1, 2
    >>> np.round(rotary_embedding(x).data[0, :, 0], 4)     # rotated by 0, 1 and 2 radians
    array([[ 1.    ,  1.    ],
           [-0.3012,  1.3818],
           [-1.3254,  0.4932]])
    """
    shape = x.shape if isinstance(x, Value) else np.shape(x)
    if len(shape) != 4:
        raise ShapeError(f"rotary_embedding: x must have shape (batch, seq, n_heads, head_dim), got {shape}")
    dtype = np.dtype(x.dtype if isinstance(x, Value) else np.float64)
    cos, sin = _cos_sin(int(shape[1]), int(shape[3]), float(base), int(start), dtype)
    return RotaryEmbedding.apply(x, cos=cos, sin=sin)
