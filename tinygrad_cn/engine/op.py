"""The primitive-op protocol: every op keeps its forward, its backward and its formula together.

An op is a class::

    class Mul(Op):
        name, symbol = "mul", "×"
        formula = Formula("y = a·b", ("∂y/∂a = b", "∂y/∂b = a"),
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
requires a gradient: the data X of ``X @ W`` never gets one computed.

The same rule serves two purposes. For an ordinary ``backward()`` ``g, y, inputs`` are ndarrays:
fast, first order. Under ``create_graph=True`` they are Values, and the rule (written with
operators and :mod:`tinygrad_cn.engine.xp`, which accept both) records a differentiable graph:
second derivatives for free (HIPS autograd's design).

Rules must not capture the output Value (``y`` is passed in at backward time), so a node and its
backward never form a reference cycle and graphs are freed by reference counting alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .errors import AnomalyError, ShapeError
from .mode import _LOCAL, _OPEN
from .value import Value, _counter, _new_value, lift

# Every op class, by name: the step-through viewer and the docs read formulas from here.
OPS: dict[str, type[Op]] = {}


@dataclass(frozen=True)
class Formula:
    """An op's math as data: its forward, the local derivative for each input, and a sentence
    explaining the local derivative in Chinese (``zh``) and English (``en``)."""

    forward: str
    local: tuple[str, ...]
    zh: str = ""
    en: str = ""

    def explain(self, lang: str = "zh") -> str:
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
        return self.zh if lang == "zh" else self.en


class Op:
    """Base class of primitive ops; see the module docstring for the protocol."""

    name: ClassVar[str] = ""
    symbol: ClassVar[str] = ""  # short label drawn on the op node ("+", "×", "tanh")
    formula: ClassVar[Formula]
    backward: ClassVar[tuple[Callable[..., Any], ...]] = ()

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if not cls.name:
            return  # abstract helper class
        if cls.name in OPS:
            raise RuntimeError(f"op name {cls.name!r} registered twice")
        if not cls.symbol:
            cls.symbol = cls.name
        OPS[cls.name] = cls

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
            args: tuple = (a.data,)
        elif n == 2:
            a, b = inputs
            if type(a) is not Value or type(b) is not Value:
                like = a if isinstance(a, Value) else b if isinstance(b, Value) else None
                inputs = a, b = lift(a, like, cls.name), lift(b, like, cls.name)
            requires_grad = a.requires_grad or b.requires_grad
            args = (a.data, b.data)
        else:
            like = next((x for x in inputs if isinstance(x, Value)), None)
            inputs = tuple(lift(x, like, cls.name) for x in inputs)
            requires_grad = any(x.requires_grad for x in inputs)
            args = tuple(x.data for x in inputs)
        state = _OPEN.defaults  # the defaults while no switch block is open in any thread
        if state is None:
            state = _LOCAL.state  # this thread's switches (see mode.py)
        anomaly = state.anomaly
        try:
            if anomaly:
                with np.errstate(all="ignore"):
                    out = cls.forward(ctx, *args)
            else:
                out = cls.forward(ctx, *args)
        except ShapeError:
            raise
        except ValueError as e:
            shapes = " and ".join(str(x.shape) for x in args)
            raise ShapeError(f"{cls.name}: input shapes {shapes} do not fit: {e}") from None
        if type(out) is not np.ndarray:
            out = np.asarray(out)  # numpy returns 0-d results as scalars; Values hold arrays
        v = _new_value(Value)
        v.data = out
        v.grad = None
        v.label = None
        v._id = next(_counter)
        if requires_grad and state.grad_enabled:
            v.requires_grad = True
            v._op = cls
            v._parents = inputs
            v._ctx = ctx
            v._scope = state.scope
        else:
            v.requires_grad = False
            v._op = None
            v._parents = ()
            v._ctx = None
            v._scope = None
        if anomaly and not np.isfinite(out).all():
            bad = "nan" if np.isnan(out).any() else "inf"
            raise AnomalyError(
                f"detect_anomaly: forward of op {cls.name!r} produced {bad} "
                f"(input shapes {[x.shape for x in args]}; output shape {out.shape})"
            )
        return v
