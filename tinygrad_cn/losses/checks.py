"""Shared argument checks and reductions for the training losses (each error names the loss)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.errors import ShapeError
from ..engine.value import Value, lift

REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction: str, who: str, allowed: tuple[str, ...] = REDUCTIONS) -> None:
    if reduction not in allowed:
        raise ValueError(f"{who}: reduction must be one of {', '.join(map(repr, allowed))}; got {reduction!r}")


def reduce(loss: Value, reduction: str) -> Value:
    """Per-element losses → 'none' (as they are), 'sum', or 'mean' (over every element)."""
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def as_value(x: Any, like: Value | None, who: str, what: str = "input") -> Value:
    """``x`` as a Value. A non-Value becomes a constant in ``like``'s dtype, so a float64 target
    array does not silently turn a float32 loss into float64."""
    if isinstance(x, Value):
        return x
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{who}: {what} must be numeric, got dtype {arr.dtype}")
    if like is not None:
        arr = arr.astype(like.dtype, copy=False)
    elif arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return lift(arr, like, who)


def constant(x: Any, dtype: np.dtype, who: str, what: str) -> np.ndarray:
    """A constant argument (weights, labels) as an array; a Value contributes its data (no gradient)."""
    arr = np.asarray(x.data if isinstance(x, Value) else x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{who}: {what} must be numeric, got dtype {arr.dtype}")
    return arr.astype(dtype, copy=False)


def check_same_shape(input: Value, target: Any, who: str) -> None:
    tshape = np.shape(target.data if isinstance(target, Value) else target)
    if tshape != input.shape:
        raise ShapeError(
            f"{who}: target shape {tshape} does not match input shape {input.shape}; they must be the same"
        )


def class_axis(input: Value, who: str) -> int:
    """The class axis, as torch: 0 for a 1-D input (C,), else 1 for (N, C) or (N, C, d1, ...)."""
    if input.ndim == 0:
        raise ShapeError(f"{who}: input must have a class axis: shape (C,), (N, C) or (N, C, d1, ...); got a 0-d input")
    return 0 if input.ndim == 1 else 1


def class_indices(target: Any, input: Value, cax: int, ignore_index: int | None, who: str) -> np.ndarray:
    """Integer class indices of the right shape and range; raises naming the shapes or the bad index."""
    return class_targets(target, input, cax, ignore_index, who)[0]


def class_targets(
    target: Any, input: Value, cax: int, ignore_index: int | None, who: str
) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`class_indices` (a private int64 copy) and the mask of the entries that are not
    ``ignore_index``, or None when every entry is a class (the usual case: then the range check
    is one max, and no mask is built)."""
    idx = np.asarray(target.data if isinstance(target, Value) else target)
    C = input.shape[cax]
    want = input.shape[:cax] + input.shape[cax + 1 :]
    if idx.dtype.kind not in "iu":
        if idx.shape == want:
            raise TypeError(
                f"{who}: class-index target must hold integers, got dtype {idx.dtype} "
                "(pass a numpy int array or a list of ints)"
            )
        raise ShapeError(
            f"{who}: target shape {idx.shape} does not fit input shape {input.shape}: class indices need "
            f"shape {want}, class probabilities shape {input.shape}"
        )
    if idx.shape != want:
        raise ShapeError(
            f"{who}: target shape {idx.shape} does not fit input shape {input.shape}: class indices need "
            f"shape {want} (the input's shape without its class axis {cax})"
        )
    # a private copy: a loss keeps the indices for backward, and the caller may reuse its array
    if idx.size and (ignore_index is None or not 0 <= ignore_index < C):
        # read as unsigned, a negative index is huge: one max checks 0 ≤ idx < C (the usual case)
        if idx.view(f"u{idx.dtype.itemsize}").max() < C:
            return np.array(idx, dtype=np.int64), None  # every index a valid class: no mask
    live = idx != ignore_index if ignore_index is not None else np.ones(idx.shape, dtype=bool)
    bad = live & ((idx < 0) | (idx >= C))
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        val = int(idx[pos])
        raise ValueError(
            f"{who}: target class index {val} at position {pos} is out of range: valid classes are 0..{C - 1} "
            f"(input shape {input.shape} has {C} classes on axis {cax})"
        )
    return np.array(idx, dtype=np.int64), live


def class_weight(weight: Any, C: int, dtype: np.dtype, who: str) -> np.ndarray | None:
    if weight is None:
        return None
    w = constant(weight, dtype, who, "weight")
    if w.shape != (C,):
        raise ShapeError(f"{who}: weight must have shape ({C},), one per class; got shape {w.shape}")
    return w


def along(v: np.ndarray, cax: int, ndim: int) -> np.ndarray:
    """A per-class vector (C,) shaped to broadcast along the class axis of an ndim-d input."""
    return v.reshape(tuple(-1 if i == cax else 1 for i in range(ndim)))


def one_hot(idx: np.ndarray, C: int, cax: int, dtype: np.dtype) -> np.ndarray:
    """One-hot rows with the class axis at ``cax`` (indices must already be in 0..C−1)."""
    out = np.zeros((*idx.shape[:cax], C, *idx.shape[cax:]), dtype=dtype)
    np.put_along_axis(out, np.expand_dims(idx, cax), 1, axis=cax)
    return out
