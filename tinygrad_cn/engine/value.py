"""``Value``: one node of the computation graph, holding an ndarray (0-d for a scalar).

A scalar made from Python numbers (``Value(2.0)``, ``a * b + 1`` on such scalars, ``x.tanh()``)
keeps its number as a plain Python float inside, and the hot ops compute it without numpy (the
*scalar fast path*, see :mod:`tinygrad_cn.engine.op`): an op on Python floats costs a fraction of
one numpy call on a 0-d array. ``.data`` and ``.grad`` still read as 0-d float64 ndarrays: the
first read turns the float into an array that from then on *is* the data (so ``p.data += …``,
``np.copyto(p.data, …)`` and views keep working), and ``.data = x`` may be assigned as before.

A Value made by an op remembers the op (``.op_class``), its inputs (``.parents``), the op's saved
context (``.ctx``) and the module call it was made in (``.scope``); a Value made by the user is a
*leaf* (``.is_leaf``). Every node gets a creation number (``.id``) larger than its inputs', and
``backward()`` walks the graph in decreasing id (see :mod:`tinygrad_cn.engine.autograd`). Those
public properties are what viz and nn read; the engine itself uses the ``_``-fields behind them
(plain slot reads on the hot path), and ``init_node`` below is the one function that sets them. Every operator and method below
is one line that hands over to a primitive op in :mod:`tinygrad_cn.engine.ops`, where its
forward, backward and formula live; the few methods whose op belongs to a higher layer
(``softmax``, ``gelu``, ...) find it by name in the ``OPS`` registry, so the engine imports nothing
above it.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Union

import numpy as np

if TYPE_CHECKING:
    from .op import Op

# A creation counter gives every node a stable, increasing id: a node is always newer than its
# inputs, so sorting by id is a topological order (used by backward, viz and zero_grad).
_counter = itertools.count()
_new_value = object.__new__


def init_node(
    v: Value,
    data: np.ndarray | float,
    requires_grad: bool,
    label: str | None,
    op: type[Op] | None,
    parents: tuple[Value, ...],
    ctx: dict | None,
    scope: Any,
) -> Value:
    """The one place a node's fields are set: ``Value(...)``, constants (``lift``), ``detach`` and
    every op's output (``Op.apply`` and the scalar fast path) all come through here. A leaf has
    ``op=None, parents=()``. ``data`` is an ndarray, or a Python float for a float64 scalar."""
    v._data = data
    v._grad = None
    v.requires_grad = requires_grad
    v.label = label
    v._op = op
    v._parents = parents
    v._ctx = ctx
    v._id = next(_counter)
    v._scope = scope
    return v

Number = int | float | np.number | np.bool_
Operand = Union["Value", Number, np.ndarray]
_OPERANDS = (int, float, np.number, np.bool_, np.ndarray)
_F64 = np.dtype(np.float64)
Axis = Union[None, int, tuple[int, ...]]  # noqa: UP007


def _as_float_array(data: Any, who: str) -> np.ndarray:
    """Data as a fresh float ndarray: floats keep their dtype, ints/bools become float64."""
    if isinstance(data, Value):
        return np.array(data._data)
    if isinstance(data, (bool, int, float)) and not isinstance(data, np.generic):
        try:
            return np.array(float(data))
        except OverflowError:
            raise OverflowError(f"{who}: the int {_short(data)} is too large for a float64 (at most about 1.8e308)") from None
    try:
        arr = np.array(data)
    except (ValueError, TypeError, OverflowError) as e:
        raise TypeError(f"{who}: cannot make an array from {type(data).__name__}: {e}") from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr
    if kind in "biu":
        return arr.astype(np.float64)
    if kind == "O" and arr.size and all(type(x) in (int, float) for x in arr.flat):  # ints beyond int64
        try:
            return arr.astype(np.float64)
        except OverflowError:
            big = max((x for x in arr.flat if type(x) is int), key=abs)
            raise OverflowError(f"{who}: the int {_short(big)} is too large for a float64 (at most about 1.8e308)") from None
    raise TypeError(
        f"{who}: data must be numbers (int, float, nested lists or a numeric ndarray), "
        f"got {type(data).__name__} of dtype {arr.dtype}"
    )


def _python_float(x: int | float, who: str) -> float:
    """A Python int or float as a float (the scalar fast path's storage)."""
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{who}: the int {_short(x)} is too large for a float64 (at most about 1.8e308)") from None


def _short(x: Any) -> str:
    """A number for an error message, cut if it has hundreds of digits."""
    text = str(x)
    return text if len(text) <= 24 else f"{text[:10]}…{text[-6:]} ({len(text.lstrip('-'))} digits)"


_SCALARS: dict[tuple[float, np.dtype], np.ndarray] = {}  # read-only 0-d arrays for Python numbers


def _scalar_array(x: float, dtype: np.dtype) -> np.ndarray:
    key = (x, dtype)
    arr = _SCALARS.get(key)
    if arr is None:
        arr = np.asarray(x, dtype=dtype)
        arr.flags.writeable = False
        if len(_SCALARS) > 4096:
            _SCALARS.clear()
        _SCALARS[key] = arr
    return arr


def lift(x: Any, like: Value | None, who: str) -> Value:
    """An op's operand as a Value: non-Values become constants (``requires_grad=False``).

    A Python number or an integer array takes ``like``'s float dtype, so ``x32 * 2`` stays float32.
    """
    if isinstance(x, Value):
        return x
    if like is None:
        dtype = _F64
    else:
        dtype = like._data.dtype if type(like._data) is not float else _F64
    tx = type(x)
    if tx is float or tx is int or tx is bool:
        arr = _scalar_array(x, dtype)
    elif tx is not np.ndarray and isinstance(x, (float, int, np.bool_, np.integer)):  # np.float64 is a float
        arr = _scalar_array(float(x), dtype)
    elif isinstance(x, np.ndarray):
        kind = x.dtype.kind
        if kind in "biu":
            arr = x.astype(dtype)
        elif kind == "f":
            arr = x
        else:
            raise TypeError(f"{who}: unsupported array dtype {x.dtype}")
    elif isinstance(x, np.floating):
        arr = np.asarray(x)  # np.float32 / np.float16 keep their dtype
    else:
        raise TypeError(f"{who}: unsupported operand type {type(x).__name__}")
    return init_node(_new_value(Value), arr, False, None, None, (), None, None)


def _shape_args(shape: tuple) -> tuple[int, ...]:
    """Accept ``reshape(2, 3)`` and ``reshape((2, 3))`` alike."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def normalize_axis(axis: Axis, ndim: int, who: str) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative ints; ``None`` means every axis.

    A 0-d input accepts axis 0 or -1 (as torch) and reduces over nothing.
    """
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, (bool, np.bool_)):
        axes: tuple = (axis,)
    elif isinstance(axis, (tuple, list)) and all(
        isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_)) for a in axis
    ):
        axes = tuple(axis)
    else:
        raise TypeError(f"{who}: axis must be None, an int or a tuple of ints, got {axis!r} ({type(axis).__name__})")
    bound = max(ndim, 1)
    for a in axes:
        if not -bound <= a < bound:
            raise np.exceptions.AxisError(f"{who}: axis {a} is out of range for a {ndim}-d input")
    if ndim == 0:
        return ()
    out = sorted(int(a) % ndim for a in axes)
    if len(set(out)) != len(out):
        raise ValueError(f"{who}: repeated axis in {axis}")
    return tuple(out)


class Value:
    """A node of the computation graph: an ndarray plus what is needed to differentiate it.

    >>> import tinygrad_cn as tg
    >>> a = tg.Value(0.5, label="a"); b = tg.Value(-1.0, label="b")
    >>> c = a * b; d = c.tanh()
    >>> d.backward()
    >>> round(d.item(), 4), round(float(a.grad), 4), round(float(b.grad), 4)  # ∂d/∂a = (1 − d²)·b
    (-0.4621, -0.7864, 0.3932)
    """

    __slots__ = ("_ctx", "_data", "_grad", "_id", "_op", "_parents", "_scope", "label", "requires_grad")
    __array_ufunc__ = None  # ``ndarray + Value`` must call Value.__radd__, not loop in numpy

    _data: np.ndarray | float  # a Python float: a float64 scalar on the fast path (read it through .data)
    _grad: np.ndarray | float | None
    requires_grad: bool
    label: str | None
    _op: type[Op] | None
    _parents: tuple[Value, ...]
    _ctx: dict | None
    _id: int
    _scope: Any

    def __init__(self, data: Any, requires_grad: bool = True, label: str | None = None) -> None:
        tx = type(data)
        if tx is float or tx is int:  # a Python number: kept as a float (the scalar fast path)
            data = _python_float(data, "Value")
        else:
            data = _as_float_array(data, "Value")
        init_node(self, data, bool(requires_grad), label, None, (), None, None)

    # ---- attributes -------------------------------------------------------------------------
    def _get_data(self) -> np.ndarray:
        d = self._data
        if type(d) is float:  # a fast-path scalar: from now on this 0-d array is the data
            d = self._data = np.array(d)
        return d

    def _set_data(self, new: Any) -> None:
        # keeps shape and dtype: `a.data = 5.0`, `p.data += -lr * p.grad` (numpy adds in place)
        old = self._data
        if new is old:  # `p.data -= lr * p.grad` changed the array in place and assigns it back
            if type(old) is np.ndarray and old.ndim == 0 and old.dtype == _F64:
                self._data = old.item()  # a float64 scalar: back on the fast path (a Python float)
            return
        if type(old) is float:
            tn = type(new)
            if tn is float or tn is int:  # a number for a fast-path scalar: stays a float
                self._data = _python_float(new, "Value.data")
                return
            old = np.array(old)
        if isinstance(new, Value):
            new = new.data
        arr = _as_float_array(new, "Value.data") if not isinstance(new, np.ndarray) else new
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"Value.data: must be real numbers, got an array of dtype {arr.dtype}")
        if arr.shape != old.shape:
            hint = " (to fill every element: v.data[...] = x)" if arr.ndim == 0 else ""
            raise ShapeError(f"Value.data: cannot assign shape {arr.shape} to a Value of shape {old.shape}{hint}")
        self._data = arr if arr.dtype == old.dtype else arr.astype(old.dtype)

    data = property(
        _get_data, _set_data,
        doc="The ndarray (0-d for a scalar). Assign a number or an array of the same shape; the dtype is kept.",
    )

    def _get_grad(self) -> np.ndarray | None:
        g = self._grad
        if type(g) is float:  # written by a scalar backward: from now on this 0-d array is the grad
            g = self._grad = np.array(g)
        return g


    @property
    def shape(self) -> tuple[int, ...]:
        """The data's shape, e.g. ``()`` for a scalar."""
        d = self._data
        return () if type(d) is float else d.shape

    @property
    def ndim(self) -> int:
        """Number of axes (0 for a scalar)."""
        d = self._data
        return 0 if type(d) is float else d.ndim

    @property
    def size(self) -> int:
        """Number of elements."""
        d = self._data
        return 1 if type(d) is float else d.size

    @property
    def dtype(self) -> np.dtype:
        """The data's dtype (float64 unless made from float32/float16 data)."""
        d = self._data
        return _F64 if type(d) is float else d.dtype

    @property
    def id(self) -> int:
        """Creation order: every node's id is larger than its inputs' (sorting by id is a
        topological order; viz and backward use it)."""
        return self._id

    @property
    def op(self) -> str | None:
        """Name of the op that produced this Value; None for a leaf."""
        return self._op.name if self._op is not None else None

    @property
    def op_class(self) -> type[Op] | None:
        """The op class that produced this Value (its ``formula``, ``symbol``, ``backward``
        rules); None for a leaf."""
        return self._op

    @property
    def ctx(self) -> dict | None:
        """What the op saved for backward (its keyword parameters such as ``axis``, and any arrays
        forward stored); None for a leaf."""
        return self._ctx

    @property
    def is_leaf(self) -> bool:
        """True for a Value made by the user (or under no_grad), not by an op."""
        return self._op is None

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs of the op that produced this Value (empty for a leaf)."""
        return self._parents

    @property
    def scope(self) -> Any:
        """The ``nn.Module`` call in progress when this Value was made (an object with ``.module``,
        ``.parent`` and ``.chain()``), or None; viz draws module calls as clusters."""
        return self._scope

    def __repr__(self) -> str:
        def fmt(a: np.ndarray | None) -> str:
            if a is None:
                return "None"
            if a.ndim == 0:
                return f"{a.item():.6g}"
            return np.array2string(a, precision=4, threshold=8, edgeitems=2).replace("\n", "")

        data = np.asarray(self._data)
        parts = [f"data={fmt(data)}"]
        if self._grad is not None or self.requires_grad:
            parts.append(f"grad={fmt(None if self._grad is None else np.asarray(self._grad))}")
        if data.ndim:
            parts.append(f"shape={data.shape}")
        if data.dtype != np.float64:
            parts.append(f"dtype={data.dtype}")
        if self._op is not None:
            parts.append(f"op={self._op.name!r}")
        if self.label:
            parts.append(f"label={self.label!r}")
        return f"Value({', '.join(parts)})"

    # ---- conversion -------------------------------------------------------------------------
    def item(self) -> float:
        """The value as a Python float (only for a Value with one element)."""
        d = self._data
        if type(d) is float:
            return d
        if d.size != 1:
            raise ValueError(f"item(): Value has {d.size} elements (shape {self.shape}), not 1")
        return float(d.reshape(()))

    def numpy(self) -> np.ndarray:
        """The data ndarray itself (shared, as ``torch.Tensor.numpy``)."""
        return self.data

    def __float__(self) -> float:
        return self.item()

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ValueError(
                f"the truth value of a Value with {self.size} elements (shape {self.shape}) is ambiguous: "
                "use (v > 0).any() or .all()"
            )
        return bool(self._data)

    def tolist(self) -> Any:
        """The data as (nested) Python floats, as ``ndarray.tolist``."""
        d = self._data
        return d if type(d) is float else d.tolist()

    # ---- comparisons: plain boolean arrays, no graph (== and != stay identity: Values are dict keys)
    def __lt__(self, other: Operand) -> np.ndarray:
        return np.asarray(np.asarray(self._data) < _compared(other, "<"))

    def __le__(self, other: Operand) -> np.ndarray:
        return np.asarray(np.asarray(self._data) <= _compared(other, "<="))

    def __gt__(self, other: Operand) -> np.ndarray:
        return np.asarray(np.asarray(self._data) > _compared(other, ">"))

    def __ge__(self, other: Operand) -> np.ndarray:
        return np.asarray(np.asarray(self._data) >= _compared(other, ">="))

    __hash__ = object.__hash__  # identity, as __eq__

    def _repr_html_(self) -> str:
        """Jupyter's view: label, op, shape/dtype, data and grad (small tensors in full)."""
        rows = [
            ("标签 label", html.escape(self.label) if self.label else "—"),
            ("运算 op", html.escape(f"{self._op.name} ({self._op.symbol})") if self._op is not None else "— (leaf)"),
            ("形状 shape / dtype", html.escape(f"{self.shape} / {self.dtype}")),
            ("数据 data", _html_array(np.asarray(self._data))),
            ("梯度 grad", _html_array(self.grad) if self.grad is not None else "— (not computed yet)"),
        ]
        body = "".join(
            f'<tr><th style="text-align:left;padding-right:1em">{k}</th><td style="text-align:left">{v}</td></tr>'
            for k, v in rows
        )
        return f'<table class="tinygrad-value">{body}</table>'

    def __format__(self, spec: str) -> str:
        if spec and self.size == 1:
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d Value")
        return len(self._data)

    def __iter__(self) -> Iterator[Value]:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d Value")
        for i in range(len(self._data)):
            yield self[i]

    def detach(self) -> Value:
        """A new leaf sharing this data, cut from the graph (``requires_grad=False``)."""
        return init_node(_new_value(Value), self._data, False, self.label, None, (), None, None)

    def requires_grad_(self, flag: bool = True) -> Value:
        """Set ``requires_grad`` on a leaf in place and return it (as ``torch.Tensor.requires_grad_``)."""
        if self._op is not None and not flag:
            raise RuntimeError("requires_grad_(False) on a non-leaf Value: use detach()")
        self.requires_grad = bool(flag)
        return self

    # ---- autograd -----------------------------------------------------------------------------
    def backward(self, gradient: Operand | None = None) -> None:
        """Accumulate ∂self/∂x into ``x.grad`` for every Value x this one depends on.

        ``gradient`` (the upstream ∂L/∂self) defaults to 1 and is required when self is not a
        scalar. Gradients add up over calls (call ``zero_grad()`` between steps); the graph is
        kept, so calling backward twice adds the same gradients twice.
        """
        _autograd.backward(self, gradient)

    def zero_grad(self) -> None:
        """Reset ``.grad`` to None on this Value and on every Value in its graph."""
        for v in _autograd.walk([self]):
            v.grad = None

    # ---- arithmetic (tinygrad_cn/engine/ops/arithmetic.py): + - * / ** are set below the class,
    # from engine/op.py's binary_operator (each the scalar fast path, else the op's apply)
    def __matmul__(self, other: Operand) -> Value:
        return MatMul.apply(self, other) if isinstance(other, (Value, np.ndarray)) else NotImplemented

    def __rmatmul__(self, other: Operand) -> Value:
        return MatMul.apply(other, self) if isinstance(other, np.ndarray) else NotImplemented

    def __pos__(self) -> Value:
        return self

    # ---- exp log sqrt abs (engine/ops/elementwise.py), sigmoid tanh relu (engine/ops/nonlinear.py)
    # and -x: set below the class, from engine/op.py's unary_method (the scalar fast path, else apply)

    # ---- ops of higher layers, found by name in OPS (the engine imports nothing above it) ----
    def softmax(self, axis: int = -1) -> Value:
        """softmax along ``axis`` (see ``F.softmax``): non-negative, sums to 1."""
        return _registered("softmax").apply(self, axis=normalize_axis(axis, self.ndim, "softmax"))

    def log_softmax(self, axis: int = -1) -> Value:
        """log softmax along ``axis`` (see ``F.log_softmax``), computed stably."""
        return _registered("log_softmax").apply(self, axis=normalize_axis(axis, self.ndim, "log_softmax"))

    def gelu(self, approximate: str = "none") -> Value:
        """GELU(x) = x·Φ(x) (see ``F.gelu``; ``approximate="tanh"`` as torch)."""
        if approximate not in ("none", "tanh"):
            raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
        return _registered("gelu").apply(self, approximate=approximate)

    def silu(self) -> Value:
        """SiLU(x) = x·σ(x) (see ``F.silu``)."""
        return _registered("silu").apply(self)

    # ---- reductions (tinygrad_cn/engine/ops/reduce.py) ---------------------------------------
    def sum(self, axis: Axis = None, keepdims: bool = False) -> Value:
        """Sum over ``axis`` (all axes by default); every summed element gets the upstream gradient."""
        return Sum.apply(self, axis=normalize_axis(axis, self.ndim, "sum"), keepdims=keepdims)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Value:
        """Mean over ``axis`` (all axes by default); each element gets 1/N of the upstream gradient."""
        return Mean.apply(self, axis=normalize_axis(axis, self.ndim, "mean"), keepdims=keepdims)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Value:
        """Maximum; the gradient is split evenly among tied maxima (as ``torch.amax``)."""
        if self.size == 0:
            raise ValueError("max: empty Value has no maximum")
        return Max.apply(self, axis=normalize_axis(axis, self.ndim, "max"), keepdims=keepdims)

    # ---- shape (tinygrad_cn/engine/ops/movement.py) ------------------------------------------
    def reshape(self, *shape: int | tuple[int, ...]) -> Value:
        """Same elements, new shape (``reshape(2, 3)`` or ``reshape((2, 3))``, one ``-1`` allowed)."""
        return Reshape.apply(self, shape=_shape_args(shape))

    def transpose(self, *axes: int | tuple[int, ...]) -> Value:
        """Permute axes (numpy semantics): no argument reverses them."""
        ndim = self.ndim
        perm = _shape_args(axes) if axes else tuple(reversed(range(ndim)))
        if sorted(a % max(ndim, 1) for a in perm) != list(range(ndim)):
            raise ValueError(f"transpose: axes {perm} are not a permutation of {ndim} axes")
        return Transpose.apply(self, axes=tuple(a % ndim for a in perm))

    @property
    def T(self) -> Value:
        """All axes reversed (numpy's ``.T``)."""
        return self.transpose()

    def broadcast_to(self, *shape: int | tuple[int, ...]) -> Value:
        """Repeat along new or size-1 axes (numpy broadcasting); backward sums the copies."""
        return BroadcastTo.apply(self, shape=_shape_args(shape))

    def sum_to(self, *shape: int | tuple[int, ...]) -> Value:
        """Sum over broadcast axes down to ``shape`` (the inverse of ``broadcast_to``)."""
        return SumTo.apply(self, shape=_shape_args(shape))

    def __getitem__(self, index: Any) -> Value:
        return GetItem.apply(self, index=check_index(index))


_VALUE_OPERANDS = (Value, *_OPERANDS)
# .grad: reading turns a fast-path float into its 0-d array (_get_grad); assigning stores what it is
# given, through the slot's own setter (C code: backward assigns one gradient per node)
Value.grad = property(
    Value._get_grad, Value.__dict__["_grad"].__set__,
    doc="∂L/∂self after backward(): an ndarray of the data's shape, or None before any backward reaches it.",
)

class _UseFunction:
    """A name a higher layer offers as a function, not a method: ``v.leaky_relu`` raises an
    AttributeError that says ``use F.leaky_relu(x)``. (A class attribute, not ``__getattr__``:
    that would slow every attribute read of every Value.)"""

    __slots__ = ("function", "name")

    def __init__(self, name: str, function: str) -> None:
        self.name, self.function = name, function

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        raise AttributeError(f"'Value' object has no attribute {self.name!r}: use {self.function}(x)")


def register_function_hints(prefix: str, names: Iterable[str]) -> None:
    """For each name that is not a Value method, make ``v.<name>`` say to use ``<prefix>.<name>(x)``
    (``tinygrad_cn.functional`` registers F's names; the engine imports nothing above it)."""
    for name in names:
        if name.startswith("_") or (name in Value.__dict__ and not isinstance(Value.__dict__[name], _UseFunction)):
            continue
        setattr(Value, name, _UseFunction(name, f"{prefix}.{name}"))


def _registered(name: str) -> type[Op]:
    op = OPS.get(name)
    if op is None:
        raise RuntimeError(f"Value.{name}: the op {name!r} is not registered; import tinygrad_cn (or tinygrad_cn.activations)")
    return op


def _compared(other: Any, symbol: str) -> Any:
    if isinstance(other, Value):
        return other._data
    if isinstance(other, _OPERANDS):
        return other
    raise TypeError(f"Value {symbol} {type(other).__name__}: compare with a Value, an ndarray or a number")


def _html_array(a: np.ndarray) -> str:
    """An array as escaped HTML: every number up to 64 elements, else a summary with statistics."""
    if a.ndim == 0:
        text = f"{a.item():.6g}"
    elif a.size <= 64:
        text = np.array2string(a, precision=4, threshold=64, max_line_width=100)
    else:
        text = (np.array2string(a, precision=4, threshold=8, edgeitems=2, max_line_width=100)
                + f"\nmin {a.min():.4g}  max {a.max():.4g}  mean {a.mean():.4g}")
    return f'<pre style="margin:0">{html.escape(text)}</pre>'

# Imported last: the op modules import Value from this module.
from . import autograd as _autograd  # noqa: E402
from .errors import ShapeError  # noqa: E402
from .op import OPS, binary_operator, unary_method  # noqa: E402
from .ops.arithmetic import Add, Div, Mul, Neg, Pow, Sub  # noqa: E402
from .ops.elementwise import Abs, Exp, Log, Sqrt  # noqa: E402
from .ops.linalg import MatMul  # noqa: E402
from .ops.movement import BroadcastTo, GetItem, Reshape, SumTo, Transpose, check_index  # noqa: E402
from .ops.nonlinear import ReLU, Sigmoid, Tanh  # noqa: E402
from .ops.reduce import Max, Mean, Sum  # noqa: E402

# Value's arithmetic operators: a + b → Add, ..., each with its reflected form (2 * a → __rmul__)
Value.__add__, Value.__radd__ = binary_operator(Add), binary_operator(Add, reflected=True)
Value.__sub__, Value.__rsub__ = binary_operator(Sub), binary_operator(Sub, reflected=True)
Value.__mul__, Value.__rmul__ = binary_operator(Mul), binary_operator(Mul, reflected=True)
Value.__truediv__, Value.__rtruediv__ = binary_operator(Div), binary_operator(Div, reflected=True)
Value.__pow__, Value.__rpow__ = binary_operator(Pow), binary_operator(Pow, reflected=True)

# one-input ops as methods (the scalar fast path, else the op's apply): -x, x.exp(), x.tanh(), ...
Value.__neg__ = unary_method(Neg, "__neg__", "−x; ∂/∂x = −1.")
Value.exp = unary_method(Exp, "exp", "eˣ elementwise; ∂/∂x = eˣ.")
Value.log = unary_method(Log, "log", "Natural log elementwise; ∂/∂x = 1/x.")
Value.sqrt = unary_method(Sqrt, "sqrt", "√x elementwise; ∂/∂x = 1/(2√x).")
Value.abs = unary_method(Abs, "abs", "|x| elementwise; ∂/∂x = sign(x), 0 at 0.")
Value.sigmoid = unary_method(Sigmoid, "sigmoid", "σ(x) = 1/(1+e⁻ˣ), stable for any input; ∂/∂x = σ(1−σ) ≤ 1/4.")
Value.tanh = unary_method(Tanh, "tanh", "tanh(x); ∂/∂x = 1 − tanh²(x).")
Value.relu = unary_method(ReLU, "relu", "max(0, x); ∂/∂x = 1 for x > 0, else 0.")
Value.__abs__ = Value.abs
