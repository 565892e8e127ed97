"""Matrix product with numpy's ``@`` semantics: 1-D vectors, 2-D matrices, batches that broadcast."""

from __future__ import annotations

from .. import xp
from ..errors import ShapeError
from ..op import Formula, Op


def _squeeze(x, axis):
    shape = list(x.shape)
    del shape[axis]
    return x.reshape(tuple(shape))


def _grad_a(ctx, g, y, a, b):
    """g·∂y/∂a = g @ bᵀ (batched; 1-D operands treated as a row / column)."""
    if b.ndim == 1:
        if a.ndim == 1:
            return g * b  # y = a·b is a scalar
        return xp.expand_dims(g, -1) * b  # (..., n, 1) * (k,) -> (..., n, k): outer product g bᵀ
    if a.ndim == 1:
        return _squeeze(b @ xp.expand_dims(g, -1), -1)  # (..., k, m) @ (..., m, 1) -> (..., k)
    return g @ xp.swapaxes(b)


def _grad_b(ctx, g, y, a, b):
    """g·∂y/∂b = aᵀ @ g (batched; 1-D operands treated as a row / column)."""
    if a.ndim == 1:
        if b.ndim == 1:
            return g * a
        return xp.expand_dims(a, -1) * xp.expand_dims(g, -2)  # (k, 1) * (..., 1, m) -> (..., k, m)
    if b.ndim == 1:
        return _squeeze(xp.swapaxes(a) @ xp.expand_dims(g, -1), -1)  # (..., k, n) @ (..., n, 1)
    return xp.swapaxes(a) @ g


class MatMul(Op):
    name, symbol = "matmul", "@"
    formula = Formula(
        "Y = A @ B", ("∂L/∂A = G @ Bᵀ", "∂L/∂B = Aᵀ @ G"), inputs=("A", "B"),
        zh="矩阵乘法：A 的梯度是 G 乘 B 的转置，B 的梯度是 A 的转置乘 G",
        en="matrix product: A's gradient is G times B transposed; B's is A transposed times G",
    )

    @staticmethod
    def forward(ctx, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ShapeError(f"matmul: both operands need at least 1 dimension, got shapes {a.shape} and {b.shape}")
        k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if a.shape[-1] != k_b:
            raise ShapeError(
                f"matmul: shapes {a.shape} and {b.shape} do not align: "
                f"a's last dimension ({a.shape[-1]}) != b's {'first' if b.ndim == 1 else 'second-to-last'} ({k_b})"
            )
        return a @ b

    backward = (_grad_a, _grad_b)
