"""The primitive-op protocol: every op keeps its forward, its backward and its formula together.

An op is a class::

    class Mul(Op):
        name, symbol = "mul", "×"
        formula = Formula("y = a·b", ("∂y/∂a = b", "∂y/∂b = a"), inputs=("a", "b"),
                          zh="乘法：对一个因子求导得到另一个因子", en="...")

        @staticmethod
        def forward(ctx, a, b):
            return a * b

        backward = (
            lambda ctx, g, y, a, b: g * b,  # g·∂y/∂a
            lambda ctx, g, y, a, b: g * a,  # g·∂y/∂b
        )

``forward(ctx, *arrays)`` gets ndarrays and returns an ndarray. ``ctx`` is a dict holding the op's
keyword parameters (``axis``, ``shape``, ...); forward may store extra arrays in it for backward.

``backward`` holds one rule per input: ``rule(ctx, g, y, *inputs)`` returns ``g · ∂y/∂input`` (the
vector-Jacobian product) in the *output's* shape; the engine sums it back over broadcast axes to
the input's shape (``unbroadcast``), so rules stay textbook-simple. A rule runs only when its input
requires a gradient: the data X of ``X @ W`` never gets one computed. One style for rules: a lambda
when it fits on a line, else a module-level function ``_<op>_grad…`` just above the class.

``formula`` is the math as data: the forward, one local derivative per input, the names of the
inputs (``inputs``, as the formula writes them: viz labels edges with them) and a sentence in
Chinese and English. Defining the class checks it: ``len(backward) == len(formula.inputs)``.

The same rule serves two purposes. For an ordinary ``backward()`` ``g, y, inputs`` are ndarrays:
fast, first order. Under ``create_graph=True`` they are Values, and the rule (written with
operators and :mod:`tinygrad_cn.engine.xp`, which accept both) records a differentiable graph:
second derivatives for free (HIPS autograd's design).

Rules must not capture the output Value (``y`` is passed in at backward time), so a node and its
backward never form a reference cycle and graphs are freed by reference counting alone.

**The scalar fast path.** An op may also give ``forward_float``, its forward on plain Python floats
(``operator.mul``, ``math.tanh``, ...). When every operand is a float64 scalar (a Value holding a
Python float, or a Python number), Value's operators and methods (made by ``binary_operator`` and
``unary_method`` below) compute the result with it and keep it as a Python float: no numpy call,
no array; a Python number becomes a shared constant node instead of a new one each time. Its rules
then receive Python floats too, so they must work on floats (``g * b`` does). Where numpy would
give inf or nan with a warning, Python raises (ZeroDivisionError, OverflowError, ValueError): the
engine then runs the numpy forward (or rule) instead, so the results and warnings stay numpy's.

``Op.apply(*inputs, **ctx)`` runs forward and records the output with ``init_node`` (the one
function that sets a node's fields). Every op is registered by name in ``OPS``; defining a class
again with the same module and name (re-running a notebook cell) replaces it, while a different
class taking a registered name is an error. ``tg.trace_backward`` records each rule as it runs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .errors import AnomalyError, ShapeError, check_lang
from .mode import _LOCAL, _OPEN, DEFAULTS
from .value import _F64, _VALUE_OPERANDS, Value, _new_value, init_node, lift

# Every op class, by name: the step-through viewer and the docs read formulas from here.
OPS: dict[str, type[Op]] = {}


# the input a local derivative is taken with respect to: "∂y/∂a = ..." → "a", "∂yᵢ/∂xⱼ" → "x"
_WITH_RESPECT_TO = re.compile(r"∂[^/\s]+/∂([A-Za-zα-ωΑ-Ω]+)")


@dataclass(frozen=True)
class Formula:
    """An op's math as data: its forward, the local derivative for each input, the inputs' names
    (as the formula writes them), and a sentence explaining the local derivative in Chinese
    (``zh``) and English (``en``).

    ``inputs`` may be left out when every local derivative starts ``∂y/∂<name>``: the names are
    then read from there, once, here.

    >>> Formula("y = a·b", ("∂y/∂a = b", "∂y/∂b = a")).inputs
    ('a', 'b')
    """

    forward: str
    local: tuple[str, ...]
    zh: str = ""
    en: str = ""
    inputs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.local, str) or not all(isinstance(t, str) for t in self.local):
            raise TypeError(f"Formula {self.forward!r}: local must be a tuple of strings, one per input")
        inputs = tuple(self.inputs)
        if not inputs:
            found = [_WITH_RESPECT_TO.search(t) for t in self.local]
            missing = [t for t, m in zip(self.local, found) if m is None]
            if missing:
                raise ValueError(f"Formula {self.forward!r}: name the inputs (inputs=...): cannot read one from {missing[0]!r}")
            inputs = tuple(m.group(1) for m in found if m is not None)
        if len(inputs) != len(self.local):
            raise ValueError(
                f"Formula {self.forward!r}: {len(inputs)} input names {inputs} for {len(self.local)} local derivatives"
            )
        object.__setattr__(self, "local", tuple(self.local))
        object.__setattr__(self, "inputs", inputs)

    def explain(self, lang: str = "zh") -> str:
        return self.zh if check_lang(lang, "Formula.explain") == "zh" else self.en


class Op:
    """Base class of primitive ops; see the module docstring for the protocol."""

    name: ClassVar[str] = ""
    symbol: ClassVar[str] = ""  # short label drawn on the op node ("+", "×", "tanh")
    formula: ClassVar[Formula]
    backward: ClassVar[tuple[Callable[..., Any], ...]] = ()
    # the forward on Python floats (no ctx), for the scalar fast path; None: always numpy
    forward_float: ClassVar[Callable[..., float] | None] = None

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if not cls.name:
            return  # abstract helper class
        formula = getattr(cls, "formula", None)
        if not isinstance(formula, Formula):
            raise TypeError(f"op {cls.name!r}: formula must be a Formula, got {type(formula).__name__}")
        rules = cls.backward
        if not isinstance(rules, tuple) or not all(callable(r) for r in rules):
            raise TypeError(f"op {cls.name!r}: backward must be a tuple of rules (one callable per input)")
        if len(rules) != len(formula.inputs):
            raise TypeError(
                f"op {cls.name!r}: {len(rules)} backward rule(s) but the formula names "
                f"{len(formula.inputs)} input(s) {formula.inputs}"
            )
        old = OPS.get(cls.name)
        if old is not None and (old.__module__, old.__qualname__) != (cls.__module__, cls.__qualname__):
            raise RuntimeError(
                f"op name {cls.name!r} registered twice: by {old.__module__}.{old.__qualname__} "
                f"and by {cls.__module__}.{cls.__qualname__}"
            )
        if not cls.symbol:
            cls.symbol = cls.name
        OPS[cls.name] = cls  # the same class defined again (a re-run notebook cell) replaces the old one

    @staticmethod
    def forward(ctx: dict, *xs: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs: Any, **ctx: Any) -> Value:
        """Run the forward on the inputs' data and record the result as a graph node.

        Inputs that are not Values (Python numbers, ndarrays) become constants; a Python number
        takes the dtype of the first Value input, so float32 stays float32. (The one- and
        two-input cases are spelled out: this is the hot path of every op.)
        """
        n = len(inputs)
        if n == 1:
            a = inputs[0]
            if type(a) is not Value:
                a = lift(a, None, cls.name)
                inputs = (a,)
            requires_grad = a.requires_grad
        elif n == 2:
            a, b = inputs
            if type(a) is not Value or type(b) is not Value:  # a constant operand: lift only it
                a_is, b_is = isinstance(a, Value), isinstance(b, Value)
                like = a if a_is else b if b_is else None
                if not a_is:
                    a = lift(a, like, cls.name)
                if not b_is:
                    b = lift(b, like, cls.name)
                inputs = (a, b)
            requires_grad = a.requires_grad or b.requires_grad
        else:
            like = None
            for x in inputs:
                if type(x) is Value:
                    like = x
                    break
            inputs = tuple([x if type(x) is Value else lift(x, like, cls.name) for x in inputs])
            requires_grad = False
            for x in inputs:
                if x.requires_grad:
                    requires_grad = True
                    break
        state = _LOCAL.state if _OPEN else DEFAULTS  # DEFAULTS while no switch block is open (mode.py)
        anomaly = state.anomaly
        try:
            if anomaly:
                with np.errstate(all="ignore"):
                    out = cls.forward(ctx, *[_array(x._data) for x in inputs])
            elif n == 1:  # direct calls: cheaper than unpacking a tuple of arrays
                da = a._data
                out = cls.forward(ctx, np.array(da) if type(da) is float else da)
            elif n == 2:
                da, db = a._data, b._data
                out = cls.forward(ctx, np.array(da) if type(da) is float else da, np.array(db) if type(db) is float else db)
            else:
                out = cls.forward(ctx, *[np.array(d) if type(d) is float else d for d in [x._data for x in inputs]])
        except ShapeError:
            raise
        except ValueError as e:
            shapes = " and ".join(str(x.shape) for x in inputs)
            raise ShapeError(f"{cls.name}: input shapes {shapes} do not fit: {e}") from None
        if type(out) is not np.ndarray:
            out = np.asarray(out)  # numpy returns 0-d results as scalars; Values hold arrays
        if requires_grad and state.grad_enabled:
            v = init_node(_new_value(Value), out, True, None, cls, inputs, ctx, state.scope)
        else:  # nothing to differentiate, or under no_grad: a leaf
            v = init_node(_new_value(Value), out, False, None, None, (), None, None)
        if anomaly and not np.isfinite(out).all():
            bad = "nan" if np.isnan(out).any() else "inf"
            raise AnomalyError(
                f"detect_anomaly: forward of op {cls.name!r} produced {bad} "
                f"(input shapes {[x.shape for x in inputs]}; output shape {out.shape})"
            )
        return v


def _array(d: np.ndarray | float) -> np.ndarray:
    """A node's data as an ndarray (a fast-path float as a new 0-d array; the node keeps its float)."""
    return np.array(d) if type(d) is float else d


# ---- the scalar fast path (see the module docstring) ---------------------------------------------
_CONSTANTS: dict[float, Value] = {}  # one shared constant node per Python number


def constant(x: float) -> Value:
    """The constant node of the Python float ``x`` (shared: ``x * 2`` and ``y * 2`` use one node).

    −0.0 and nan get a node of their own each time (they do not work as dict keys)."""
    c = _CONSTANTS.get(x) if x != 0.0 and x == x else None
    if c is None:
        c = init_node(_new_value(Value), x, False, None, None, (), None, None)
        if x != 0.0 and x == x:
            if len(_CONSTANTS) >= 4096:
                _CONSTANTS.clear()
            _CONSTANTS[x] = c
    return c


def _float_of(x: Any) -> float | None:
    """An operand's data (or a plain operand) as a Python float when it is a float64 scalar (a 0-d
    float64 array, a Python int), else None."""
    t = type(x)
    if t is np.ndarray:
        return x.item() if not x.shape and x.dtype == _F64 else None
    if t is int:
        try:
            return float(x)
        except OverflowError:  # an int beyond float64: numpy's path gives the error
            return None
    return x if t is float else None


def _anomaly(op: type[Op], out: float, n: int) -> None:
    raise AnomalyError(
        f"detect_anomaly: forward of op {op.name!r} produced {'nan' if out != out else 'inf'} "
        f"(input shapes {[()] * n}; output shape ())"
    )


def binary_operator(op: type[Op], reflected: bool = False) -> Callable[[Value, Any], Any]:
    """Value's ``__<op>__`` method (``__r<op>__`` when ``reflected``: ``other <op> self``): on the
    scalar fast path when both operands are float64 scalars, else ``op.apply``; NotImplemented for
    an operand of another type. (The fast path records its node as ``Op.apply`` does, spelled out in
    the method itself: this is the hottest code of the engine.)"""
    fwd = op.forward_float

    def method(self: Value, other: Any) -> Any:
        x = self._data
        y = other._data if type(other) is Value else other
        if type(x) is not float or type(y) is not float:  # not two Python floats already
            if (type(x) is np.ndarray and x.ndim) or (type(y) is np.ndarray and y.ndim):  # a tensor
                x = None
            else:
                x, y = _float_of(x), _float_of(y)
        if x is not None and y is not None and fwd is not None:
            try:
                out = fwd(y, x) if reflected else fwd(x, y)
            except (ArithmeticError, ValueError):  # numpy gives inf/nan (and its warning) here
                out = None
            if type(out) is float:
                if type(other) is not Value:
                    other = constant(y)
                state = _LOCAL.state if _OPEN else DEFAULTS
                if state.anomaly and not math.isfinite(out):
                    _anomaly(op, out, 2)
                if (self.requires_grad or other.requires_grad) and state.grad_enabled:
                    inputs = (other, self) if reflected else (self, other)
                    return init_node(_new_value(Value), out, True, None, op, inputs, None, state.scope)
                return init_node(_new_value(Value), out, False, None, None, (), None, None)
        if not isinstance(other, _VALUE_OPERANDS):
            return NotImplemented
        return op.apply(other, self) if reflected else op.apply(self, other)

    method.__name__ = method.__qualname__ = f"__{'r' if reflected else ''}{op.name}__"
    return method


def unary_method(op: type[Op], name: str, doc: str) -> Callable[[Value], Value]:
    """Value's method ``name`` (``x.tanh()``, ``-x``, ...) for a one-input op: on the scalar fast
    path when x holds a float64 scalar, else ``op.apply``."""
    fwd = op.forward_float

    def method(self: Value) -> Value:
        x = self._data
        if type(x) is not float:
            x = None if x.ndim else _float_of(x)
        if x is not None and fwd is not None:
            try:
                out = fwd(x)
            except (ArithmeticError, ValueError):  # numpy gives inf/nan (and its warning) here
                out = None
            if type(out) is float:
                state = _LOCAL.state if _OPEN else DEFAULTS
                if state.anomaly and not math.isfinite(out):
                    _anomaly(op, out, 1)
                if self.requires_grad and state.grad_enabled:
                    return init_node(_new_value(Value), out, True, None, op, (self,), None, state.scope)
                return init_node(_new_value(Value), out, False, None, None, (), None, None)
        return op.apply(self)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = doc
    return method
