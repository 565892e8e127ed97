"""``RMSNorm`` (LLaMA's normalisation): y = x / √(mean(x²) + ε) · w, over the last axis.

Unlike LayerNorm it does not subtract the mean: it only rescales each vector to unit root mean
square, then multiplies by a learned per-feature gain ``w`` (initialised to ones). One fused op.
"""

from __future__ import annotations

import numpy as np

from ..engine import Formula, Op, ShapeError, Value, xp
from ..engine.errors import check_positive_int
from .module import Module

__all__ = ["RMSNorm", "RMSNormOp", "rms_norm"]


def _saved(ctx: dict, x) -> tuple:
    """r = 1/√(mean(x², last axis) + ε) (shape (..., 1)) and n = x·r: saved by the forward, or
    recomputed as Values (create_graph)."""
    if xp.is_value(x):
        r = ((x * x).mean(axis=-1, keepdims=True) + ctx["eps"]) ** -0.5
        return r, x * r
    return ctx["r"], ctx["n"]


def _rms_norm_grad_x(ctx, g, y, x, w):
    r, n = _saved(ctx, x)
    gw = g * w
    return r * (gw - n * (gw * n).mean(axis=-1, keepdims=True))  # ∂L/∂x = r·(g⊙w − n·mean(g⊙w⊙n))


def _rms_norm_grad_w(ctx, g, y, x, w):
    return g * _saved(ctx, x)[1]  # ∂L/∂w = g ⊙ n, summed over the samples by the engine


class RMSNormOp(Op):
    name, symbol = "rms_norm", "RMSNorm"
    formula = Formula(
        "r = 1/√(mean(x²) + ε);  n = x·r;  y = n ⊙ w",
        ("∂L/∂x = r·(G⊙w − n·mean(G⊙w⊙n))", "∂L/∂w = Σ_samples G ⊙ n"),
        zh="RMSNorm：把每个向量除以它的均方根（不减均值），再乘可学习的增益 w；x 的梯度要减去沿“长度”方向的分量，"
        "因为把 x 放大不会改变 n",
        en="RMSNorm divides each vector by its root mean square (no mean subtracted) and multiplies by a learned "
        "gain w; x's gradient loses its component along x, since scaling x up does not change n",
    )

    @staticmethod
    def forward(ctx, x, w):
        ms = np.einsum("...i,...i->...", x, x)[..., None] / x.shape[-1]  # mean(x²) without a temporary x²
        ctx["r"] = r = 1.0 / np.sqrt(ms + ctx["eps"])
        ctx["n"] = n = x * r
        return n * w

    backward = (_rms_norm_grad_x, _rms_norm_grad_w)


def rms_norm(x: Value | np.ndarray, weight: Value, eps: float = 1e-6) -> Value:
    """y = x / √(mean(x², axis=-1) + eps) · weight, as ``torch.nn.functional.rms_norm`` over the last axis.

    Derivatives (r = 1/√(mean(x²) + eps), n = x·r): ∂L/∂w = Σ G⊙n; ∂L/∂x = r·(G⊙w − n·mean(G⊙w⊙n)).

    >>> import numpy as np, tinygrad_cn as tg
    >>> from tinygrad_cn.nn.normalization import rms_norm
    >>> x = tg.Value([[3.0, 4.0]]); w = tg.Value([1.0, 2.0])
    >>> rms_norm(x, w, eps=0.0).data           # rms = √((9 + 16)/2) = 3.5355
    array([[0.84852814, 2.2627417 ]])
    """
    shape = x.shape if isinstance(x, Value) else np.shape(x)
    wshape = weight.shape if isinstance(weight, Value) else np.shape(weight)
    if len(shape) == 0 or wshape != shape[-1:]:
        raise ShapeError(f"rms_norm: weight of shape {wshape} must match the last axis of the input {shape}")
    if not (isinstance(eps, (int, float)) and eps >= 0):
        raise ValueError(f"rms_norm: eps must be a number >= 0, got {eps!r}")
    return RMSNormOp.apply(x, weight, eps=float(eps))


class RMSNorm(Module):
    """``RMSNorm(dim, eps=1e-6)`` as in LLaMA: y = x / √(mean(x², axis=-1) + eps) · weight, with
    ``weight`` of shape (dim,) initialised to ones.

    >>> import numpy as np
    >>> from tinygrad_cn import nn
    >>> norm = nn.RMSNorm(4)
    >>> y = norm(np.array([[1.0, -1.0, 1.0, -1.0], [2.0, 2.0, 2.0, 2.0]], dtype=np.float32))
    >>> np.round(y.data, 4)                    # every row now has root mean square ≈ 1
    array([[ 1., -1.,  1., -1.],
           [ 1.,  1.,  1.,  1.]], dtype=float32)
    """

    def __init__(self, dim: int, eps: float = 1e-6, *, dtype: np.dtype | type = np.float32) -> None:
        check_positive_int(dim, "dim", "RMSNorm")
        if not (isinstance(eps, (int, float)) and eps >= 0):
            raise ValueError(f"RMSNorm: eps must be a number >= 0, got {eps!r}")
        self.dim, self.eps = int(dim), float(eps)
        self.weight = Value(np.ones(self.dim, dtype=dtype), label="weight")

    def forward(self, x: Value | np.ndarray) -> Value:
        if x.shape[-1:] != (self.dim,):
            raise ShapeError(f"RMSNorm({self.dim}): input of shape {tuple(x.shape)} does not end in dim = {self.dim}")
        return RMSNormOp.apply(x, self.weight, eps=self.eps)

    def extra_repr(self) -> str:
        return f"{self.dim}, eps={self.eps}"
