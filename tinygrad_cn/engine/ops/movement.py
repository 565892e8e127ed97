"""Shape ops: reshape, transpose, broadcast_to / sum_to (each other's backward), and indexing."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import xp
from ..errors import ShapeError
from ..op import Formula, Op
from ..value import Value


class Reshape(Op):
    name, symbol = "reshape", "reshape"
    formula = Formula(
        "y = reshape(a)", ("∂y/∂a: reshape g back to a's shape",), inputs=("a",),
        zh="改变形状：元素不变，梯度变回原来的形状", en="reshape moves no numbers: the gradient is reshaped back",
    )

    @staticmethod
    def forward(ctx, a):
        try:
            return a.reshape(ctx["shape"])
        except ValueError:
            raise ShapeError(f"reshape: cannot reshape {a.shape} (size {a.size}) into {ctx['shape']}") from None

    backward = (lambda ctx, g, y, a: g.reshape(a.shape),)


class Transpose(Op):
    name, symbol = "transpose", "ᵀ"
    formula = Formula(
        "y = transpose(a, axes)", ("∂y/∂a: transpose g by the inverse permutation",), inputs=("a",),
        zh="转置：梯度按逆排列转置回去", en="transpose: the gradient is transposed back by the inverse permutation",
    )

    @staticmethod
    def forward(ctx, a):
        return a.transpose(ctx["axes"])

    backward = (lambda ctx, g, y, a: g.transpose(tuple(np.argsort(ctx["axes"]))),)


class BroadcastTo(Op):
    name, symbol = "broadcast_to", "expand"
    formula = Formula(
        "y = broadcast(a)", ("∂y/∂a = Σ over the copied axes",), inputs=("a",),
        zh="广播把元素复制多份，所以反向要把各份的梯度加起来",
        en="broadcasting copies elements, so backward sums the copies' gradients",
    )

    @staticmethod
    def forward(ctx, a):
        return np.broadcast_to(a, ctx["shape"])

    backward = (lambda ctx, g, y, a: xp.sum_to(g, a.shape),)


class SumTo(Op):
    name, symbol = "sum_to", "Σ→"
    formula = Formula(
        "y = sum_to(a, shape)", ("∂y/∂a = broadcast g back to a's shape",), inputs=("a",),
        zh="把广播出来的轴求和掉；反向再广播回去", en="sums away broadcast axes; backward broadcasts back",
    )

    @staticmethod
    def forward(ctx, a):
        return xp.sum_to_array(a, ctx["shape"])

    backward = (lambda ctx, g, y, a: xp.broadcast_to(g, a.shape),)


def _is_basic(index: Any) -> bool:
    """Basic indexing (ints, slices, None, ...) never selects one element twice."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in items)


def check_index(index: Any) -> Any:
    """Refuse Values as indices (an index is not differentiable) and freeze lists into arrays."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for i in items:
        if isinstance(i, Value):
            raise TypeError("getitem: cannot index with a Value (indices are not differentiable): use v.data")
        out.append(np.asarray(i) if isinstance(i, list) else i)
    return tuple(out) if isinstance(index, tuple) else out[0]


def _getitem_grad(ctx, g, y, a):
    """g·∂y/∂a: g scattered into zeros of a's shape at the index (repeated indices add up)."""
    return xp.index_add(a.shape, ctx["index"], g, _is_basic(ctx["index"]))


class GetItem(Op):
    name, symbol = "getitem", "[ ]"
    formula = Formula(
        "y = a[index]", ("∂y/∂a = g scattered back to index (repeated indices add up)",), inputs=("a",),
        zh="索引：梯度放回被取出的位置，其余位置为 0；同一位置被取多次则梯度相加",
        en="indexing: the gradient goes back to the selected positions, zero elsewhere; repeats add up",
    )

    @staticmethod
    def forward(ctx, a):
        try:
            return a[ctx["index"]]
        except IndexError as e:
            raise IndexError(f"getitem: {e} (input shape {a.shape})") from None

    backward = (_getitem_grad,)


class IndexAdd(Op):
    """Backward of indexing as an op of its own, so second derivatives through indexing work."""

    name, symbol = "index_add", "scatter+"
    formula = Formula(
        "y = zeros(shape); y[index] += a", ("∂y/∂a = g[index]",), inputs=("a",),
        zh="散射相加：反向就是再按同样的索引取出", en="scatter-add: backward gathers with the same index",
    )

    @staticmethod
    def forward(ctx, a):
        return xp.index_add(ctx["shape"], ctx["index"], a, ctx["basic"])

    backward = (lambda ctx, g, y, a: g[ctx["index"]],)
