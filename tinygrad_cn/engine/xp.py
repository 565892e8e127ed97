"""Math that works on both ndarrays and Values, for writing backward rules once.

In an ordinary ``backward()`` a rule receives ndarrays and these functions are plain numpy (fast).
Under ``create_graph=True`` it receives Values and the same calls record differentiable ops, so
the gradient has a gradient of its own. Operators (``+ - * / ** @``) and the methods ``.sum``,
``.reshape``, ``.transpose`` already behave the same on both and need nothing from here.
(Ops that are not Value methods are found by name in the ``OPS`` registry: this module is imported
by the op modules, so it cannot import them.)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .op import OPS
from .value import Value


def is_value(x: Any) -> bool:
    return isinstance(x, Value)


def data(x: Any) -> np.ndarray:
    """The raw ndarray: for masks and other locally-constant factors of a derivative."""
    if isinstance(x, Value):
        d = x._data
        return np.array(d) if type(d) is float else d
    return x


def exp(x: Any) -> Any:
    return x.exp() if isinstance(x, Value) else np.exp(x)


def log(x: Any) -> Any:
    return x.log() if isinstance(x, Value) else np.log(x)


def sqrt(x: Any) -> Any:
    return x.sqrt() if isinstance(x, Value) else np.sqrt(x)


def stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1/(1+e^{−x}) without overflow.

    The plain formula needs one exp and is exact unless e^{−x} overflows (x below −88.7 in float32,
    −709 in float64). Only then it switches to e^{min(x,0)}/(1+e^{−|x|}), whose exps never see a
    positive argument (two exps, still no per-element branch). float16 is computed in float32.
    """
    if x.dtype == np.float16:
        return stable_sigmoid(x.astype(np.float32)).astype(np.float16)
    if x.size and x.min() < _SIGMOID_FLOOR.get(x.dtype.type, -88.7):
        return np.exp(np.minimum(x, 0)) / (1 + np.exp(-np.abs(x)))
    return 1 / (1 + np.exp(-x))


# −ln(largest finite float): e^{−x} overflows for x below this
_SIGMOID_FLOOR = {np.float32: -88.7, np.float64: -709.0}


def stable_sigmoid_float(x: float) -> float:
    """:func:`stable_sigmoid` on a Python float (the scalar fast path), the same two formulas."""
    if x < -709.0:
        e = math.exp(x)
        return e / (1 + e)
    return 1 / (1 + math.exp(-x))


def sigmoid(x: Any) -> Any:
    return x.sigmoid() if isinstance(x, Value) else stable_sigmoid(x)


def tanh(x: Any) -> Any:
    return x.tanh() if isinstance(x, Value) else np.tanh(x)


def where(cond: np.ndarray, a: Any, b: Any) -> Any:
    """``cond ? a : b`` elementwise; ``cond`` is a constant boolean array."""
    if isinstance(a, Value) or isinstance(b, Value):
        return OPS["where"].apply(a, b, cond=np.asarray(cond, dtype=bool))
    return np.where(cond, a, b)


def expand_dims(x: Any, axis: int) -> Any:
    shape = list(x.shape)
    shape.insert(axis % (len(shape) + 1), 1)
    return x.reshape(tuple(shape))


def swapaxes(x: Any) -> Any:
    """Swap the last two axes (the matrix transpose of a batch of matrices)."""
    if isinstance(x, Value):
        perm = list(range(x.ndim))
        perm[-1], perm[-2] = perm[-2], perm[-1]
        return x.transpose(tuple(perm))
    return np.swapaxes(x, -1, -2)


def broadcast_to(x: Any, shape: tuple[int, ...]) -> Any:
    if isinstance(x, Value):
        return x.broadcast_to(shape)
    if x.shape == shape:
        return x
    if len(shape) and math.prod(shape) <= 4096:  # small: a fresh array is cheaper than numpy's view machinery
        out = np.empty(shape, dtype=x.dtype)
        out[...] = x
        return out
    return np.broadcast_to(x, shape)  # large: a read-only view, no memory


def sum_to(x: Any, shape: tuple[int, ...]) -> Any:
    """Sum over the axes along which ``shape`` was broadcast to ``x.shape`` (undo broadcasting)."""
    if isinstance(x, Value):
        return x.sum_to(shape)
    return sum_to_array(x, shape)


def sum_axes(shape: tuple[int, ...], target: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of an array of ``shape`` to sum so it fits ``target`` (the axes broadcasting
    added in front, and those where ``target`` has 1); () when nothing was broadcast."""
    lead = len(shape) - len(target)
    if lead < 0:
        raise ValueError(f"cannot sum shape {shape} down to the larger shape {target}")
    return tuple(range(lead)) + tuple(lead + i for i, n in enumerate(target) if n == 1 and shape[lead + i] != 1)


def sum_to_array(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if x.shape == shape:
        return x
    axes = sum_axes(x.shape, shape)
    lead = x.ndim - len(shape)
    if lead and len(axes) == lead:  # only axes added in front (a bias): one sum, a fresh array
        out = x.sum(axis=axes)
        if out.shape != shape:
            raise ValueError(f"cannot sum shape {x.shape} down to shape {shape}")
        return out
    out = x.sum(axis=axes, keepdims=True) if axes else x
    if lead:
        out = out.reshape(out.shape[lead:])
    if out.shape != shape:
        raise ValueError(f"cannot sum shape {x.shape} down to shape {shape}")
    return out


def index_add(shape: tuple[int, ...], index: Any, g: Any, basic: bool) -> Any:
    """A zero array of ``shape`` with ``g`` added at ``index`` (repeated indices add up)."""
    if isinstance(g, Value):
        return OPS["index_add"].apply(g, shape=shape, index=index, basic=basic)
    out = np.zeros(shape, dtype=g.dtype)
    if basic:
        out[index] = g  # slices and ints never repeat an element
    else:
        np.add.at(out, index, g)
    return out
