"""``Embedding``: a lookup table, row ``i`` of the weight for token ``i``.

Looking up row i is the same as multiplying the one-hot vector of i by the weight matrix (the
notes' bag-of-words vectors, one word at a time), so its gradient is the upstream gradient added
into row i, once for every position where token i occurs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Formula, Op, Value, xp
from ..engine.errors import check_positive_int
from . import init
from .module import Module

__all__ = ["Embedding", "EmbeddingOp", "check_indices", "embedding"]


class EmbeddingOp(Op):
    name, symbol = "embedding", "W[idx]"
    formula = Formula(
        "y[..., :] = W[idx[...], :]  (= one_hot(idx) · W)",
        ("∂L/∂W[i] = Σ over the positions p with idx[p] = i of G[p]",),
        zh="嵌入就是查表：取出第 idx 行（等于 one-hot 向量乘 W）；反向时把每个位置的梯度加回它那一行，同一个词出现几次就加几次",
        en="an embedding is a table lookup: row idx of W (a one-hot vector times W); backward adds each position's "
        "gradient back into its row, once per occurrence of the token",
    )

    @staticmethod
    def forward(ctx, w):
        return w[ctx["index"]]

    backward = (lambda ctx, g, y, w: xp.index_add(w.shape, ctx["index"], g, False),)


def check_indices(indices: Any, num: int, who: str) -> np.ndarray:
    """``indices`` as an int64 array, every entry in [0, num); otherwise a ValueError naming the first bad one."""
    if isinstance(indices, Value):
        raise TypeError(f"{who}: indices must be an integer array, not a Value (indices are not differentiable)")
    arr = np.asarray(indices)
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and arr.size and np.all(arr == np.round(arr)):
            hint = " (use .astype(int))"
        else:
            hint = ""
        raise TypeError(f"{who}: indices must be integers, got dtype {arr.dtype}{hint}")
    bad = (arr < 0) | (arr >= num)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{who}: index {int(arr[pos])} at position {pos} is out of range for {num} rows (valid: 0..{num - 1})"
        )
    return arr.astype(np.int64, copy=True)  # a private copy: the caller may change theirs later


def embedding(indices: Any, weight: Value) -> Value:
    """Rows of ``weight`` (num, dim) picked by integer ``indices`` of any shape → (..., dim), as
    ``torch.nn.functional.embedding``. An index outside [0, num) is a ValueError naming it.

    >>> import numpy as np, tinygrad_cn as tg
    >>> from tinygrad_cn.nn.embedding import embedding
    >>> W = tg.Value([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    >>> embedding(np.array([2, 0, 2]), W).data
    array([[4., 5.],
           [0., 1.],
           [4., 5.]])
    >>> embedding(np.array([2, 0, 2]), W).sum().backward(); W.grad   # row 2 was used twice
    array([[1., 1.],
           [0., 0.],
           [2., 2.]])
    """
    shape = weight.shape if isinstance(weight, Value) else np.shape(weight)
    if len(shape) != 2:
        raise ValueError(f"embedding: weight must be 2-D (num_embeddings, embedding_dim), got shape {shape}")
    return EmbeddingOp.apply(weight, index=check_indices(indices, shape[0], "embedding"))


class Embedding(Module):
    """``Embedding(num_embeddings, embedding_dim)``: ``weight`` (num, dim) ~ N(0, 1) as in PyTorch;
    integer index arrays of any shape → (..., dim).

    >>> import numpy as np
    >>> from tinygrad_cn import nn
    >>> emb = nn.Embedding(10, 3, generator=0)
    >>> emb(np.array([[1, 2], [3, 9]])).shape
    (2, 2, 3)
    >>> emb(np.array([10]))
    Traceback (most recent call last):
    ...
    ValueError: Embedding(10, 3): index 10 at position (0,) is out of range for 10 rows (valid: 0..9)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        *,
        dtype: np.dtype | type = np.float32,
        generator: np.random.Generator | int | None = None,
    ) -> None:
        self.num_embeddings = check_positive_int(num_embeddings, "num_embeddings", "Embedding")
        self.embedding_dim = check_positive_int(embedding_dim, "embedding_dim", "Embedding")
        rng = init.get_generator(generator)
        data = rng.standard_normal((self.num_embeddings, self.embedding_dim)).astype(dtype)
        self.weight = Value(data, label="weight")

    def forward(self, indices: Any) -> Value:
        who = f"Embedding({self.num_embeddings}, {self.embedding_dim})"
        return EmbeddingOp.apply(self.weight, index=check_indices(indices, self.num_embeddings, who))

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"
