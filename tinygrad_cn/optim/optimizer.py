"""``Optimizer``: the base of SGD, Adam and Adagrad: holds the parameters and per-parameter state,
and makes every ``step()`` all or nothing: check every gradient, compute every new value, and only
then write them (``p.data`` in place)."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np

from ..engine.errors import ShapeError
from ..engine.value import Value


def _finite(x: np.ndarray) -> bool:
    """Every element finite? The sum of squares x·x (one BLAS pass over the flattened array) is inf
    or NaN if any element is; only then look element by element (large finite numbers can overflow
    it; under ``np.errstate(over="raise")`` that may raise, which is caught)."""
    try:
        if math.isfinite(np.vdot(x, x)):
            return True
    except FloatingPointError:
        pass
    return bool(np.isfinite(x).all())


def cast_like(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``x`` in ``dtype`` (what an in-place ``buf -= ...`` stores: float32 state stays float32)."""
    return x if x.dtype == dtype else x.astype(dtype)


# One parameter's step, computed but not yet written: its new value and its new state entries.
Update = tuple[np.ndarray, dict[str, Any]]


class Optimizer:
    """Base class: ``step()`` updates every parameter that has a gradient, ``zero_grad()`` clears them.

    ``params`` is an iterable of leaf Values (e.g. ``model.parameters()``) or a Module. A parameter
    whose ``.grad`` is None is left alone, as in PyTorch. ``step()`` is all or nothing:

    1. every gradient is checked (real numbers, the parameter's shape) and every parameter array
       must be writeable;
    2. every new parameter value and every new state buffer is computed into new arrays;
    3. with ``check_finite=True`` (the default) a step whose new value or state would be inf or NaN
       is refused: numpy's floating-point flags catch an overflow while computing (see below), and
       a NaN or inf in a gradient, which flows into the new value (p − lr·…), is caught by one
       finiteness check of each new value (then the error names the gradient);
    4. only then is anything written.

    So a step that fails, at any point before 4 (a bad gradient, a FloatingPointError under
    ``np.seterr(all="raise")``, a KeyboardInterrupt), leaves every parameter, every state buffer
    and every step count exactly as it was.

    Overflow (check_finite=True): one huge but finite gradient, say 1e200 in float64, makes Adam's
    second moment v = (1 − β₂)·g² (and Adagrad's sum s + g²) overflow to inf. PyTorch stores that
    inf: the update m̂/(√v̂ + ε) = finite/inf = 0 leaves the coordinate where it is, and since
    β₂·inf = inf it never moves again (until m overflows too, and inf/inf = NaN). Here that step is
    refused instead, with a FloatingPointError that names the optimizer, the parameter and the
    buffer, and nothing changes. ``check_finite=False`` skips both checks and gives PyTorch's
    behaviour (inf or NaN stored; numpy warns or raises as your ``np.errstate`` says).

    Likewise a parameter that already holds NaN or inf (e.g. from ``load_state_dict``) is not
    stepped while ``check_finite=True``: its new value would not be finite, and the error says so.

    A subclass's ``_update`` must let a NaN or inf gradient reach the new value (SGD, Adam and
    Adagrad do: every rule is p − lr·f(g) with f carrying NaN and inf along, or raising on inf/inf).
    """

    # state key -> what it is, for error messages (filled in by each optimizer)
    STATE_NAMES: ClassVar[dict[str, str]] = {}

    def __init__(self, params: Iterable[Value] | Any, *, check_finite: bool = True) -> None:
        who = type(self).__name__
        if callable(getattr(params, "parameters", None)):  # a Module (duck-typed: optim sits beside nn)
            params = params.parameters()
        if isinstance(params, Value):
            raise TypeError(f"{who}: params must be an iterable of Values (e.g. model.parameters()), got one Value")
        try:
            params = list(params)
        except TypeError:
            raise TypeError(
                f"{who}: params must be an iterable of Values (e.g. model.parameters()), got {type(params).__name__}"
                + (" (None)" if params is None else "")
            ) from None
        if not params:
            raise ValueError(f"{who}: got an empty parameter list")
        seen: set[int] = set()
        for i, p in enumerate(params):
            if not isinstance(p, Value):
                raise TypeError(f"{who}: params[{i}] is a {type(p).__name__}, not a Value")
            if not p.is_leaf:
                raise ValueError(f"{who}: params[{i}] (shape {p.shape}) is not a leaf Value: it was computed by op {p.op!r}")
            if p.dtype.kind != "f":
                raise TypeError(f"{who}: params[{i}] has dtype {p.dtype}; only float parameters can be optimised")
            if id(p) in seen:
                raise ValueError(f"{who}: params[{i}] (shape {p.shape}) appears more than once")
            seen.add(id(p))
        self.params: list[Value] = params
        self.state: list[dict[str, Any]] = [{} for _ in params]  # per parameter, in params' order
        self.check_finite = self._check_flag(who, "check_finite", check_finite)

    @staticmethod
    def _check_hparam(who: str, name: str, value: float, lo: float = 0.0, hi: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__}")
        value = float(value)
        if not (math.isfinite(value) and value >= lo and (hi is None or value < hi)):
            bounds = f">= {lo}" if hi is None else f"in [{lo}, {hi})"
            raise ValueError(f"{who}: invalid {name} {value!r} (must be a finite number {bounds})")
        return value

    @staticmethod
    def _check_flag(who: str, name: str, value: Any) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{who}: {name} must be True or False, got {value!r}")
        return bool(value)

    def _checked_grad(self, i: int, p: Value, g: Any) -> np.ndarray:
        """Parameter i's gradient as an array of real numbers of p's shape, p writeable; else raise."""
        if type(g) is not np.ndarray:
            g = np.asarray(g)
        data = p.data
        if g.dtype.kind not in "iuf":
            why = " (its imaginary part would be lost)" if g.dtype.kind == "c" else ""
            raise TypeError(
                f"{type(self).__name__}.step: the grad of parameter {i}{self._name(p)} has dtype {g.dtype}; "
                f"a gradient must hold real numbers{why}; no parameter was changed"
            )
        if not data.flags.writeable:
            raise ValueError(
                f"{type(self).__name__}.step: parameter {i}{self._name(p)} (shape {data.shape}) is read-only "
                "(its .data array is not writeable); no parameter was changed"
            )
        if g.shape != data.shape:
            raise ShapeError(
                f"{type(self).__name__}.step: parameter {i}{self._name(p)} has shape {data.shape} "
                f"but its grad has shape {g.shape}; no parameter was changed"
            )
        return g

    @staticmethod
    def _name(p: Value) -> str:
        return f" ({p.label!r})" if p.label else ""

    def step(self) -> None:
        """One update of every parameter that has a gradient, all or nothing (see the class doc)."""
        check = self.check_finite
        updates: list[Update | None] = []
        # with check_finite, numpy raises at the first overflow, which costs nothing while all is
        # well; otherwise the caller's np.errstate decides
        raising = np.errstate(over="raise", invalid="raise", divide="raise", under="ignore")
        with raising if check else contextlib.nullcontext():
            for i, (p, st) in enumerate(zip(self.params, self.state)):
                g = p.grad
                if g is None:
                    updates.append(None)
                    continue
                g = self._checked_grad(i, p, g)  # 1. check
                try:
                    up = self._update(p.data, g, st)  # 2. compute (new arrays; nothing written yet)
                except FloatingPointError as e:  # 3. an overflow, inf − inf, 0·inf, ...
                    if not check:
                        raise
                    raise FloatingPointError(self._refusal(i, g, str(e))) from None
                if check and not _finite(up[0]):  # 3. a NaN or inf gradient shows in the new value
                    raise FloatingPointError(self._refusal(i, g, "the new value is not finite"))
                updates.append(up)
        for p, up, st in zip(self.params, updates, self.state):  # 4. write (nothing here can fail)
            if up is not None:
                new_p, new_state = up
                np.copyto(p.data, new_p)  # in place: views of p.data and references to it stay valid
                st.update(new_state)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> Update:  # pragma: no cover
        """One parameter's step from its value ``p``, gradient ``g`` and ``state``: returns the new
        value (``p``'s dtype) and the new state entries, in new arrays; ``p``, ``g`` and ``state``
        are only read."""
        raise NotImplementedError

    def _refusal(self, i: int, g: np.ndarray, numpy_says: str) -> str:
        """Why parameter i's step is refused (only on this error path): its gradient holds NaN or
        inf, or the parameter itself does already, or (both finite) an update overflows."""
        p = self.params[i]
        who = f"{type(self).__name__}.step"
        with np.errstate(all="ignore"):
            if not _finite(g):
                bad = "nan" if np.isnan(g).any() else "inf"
                return (
                    f"{who}: the grad of parameter {i}{self._name(p)} (shape {p.data.shape}) "
                    f"contains {bad}; no parameter was changed "
                    "(lower the learning rate, or look for the op with tg.detect_anomaly())"
                )
            if not _finite(p.data):
                bad = "nan" if np.isnan(p.data).any() else "inf"
                return (
                    f"{who}: parameter {i}{self._name(p)} (shape {p.data.shape}) already contains {bad}, "
                    "so its new value would too; no parameter was changed (set its .data to finite "
                    "values, or use check_finite=False to step it anyway)"
                )
            return self._overflow_message(i, g, numpy_says)

    def _overflow_message(self, i: int, g: np.ndarray, numpy_says: str) -> str:
        """Why parameter i's update failed: recompute it quietly (only on this error path) and
        name the first state buffer, or the value, that came out inf/nan."""
        p = self.params[i]
        with np.errstate(all="ignore"):
            new_p, new_state = self._update(p.data, g, self.state[i])
            bad = [k for k, v in (*new_state.items(), ("", new_p)) if isinstance(v, np.ndarray) and not _finite(v)]
        key = bad[0] if bad else None
        what = "its update" if key is None else "the new value" if key == "" else f"{self.STATE_NAMES.get(key, key)} ({key!r})"
        big = float(np.max(np.abs(g))) if g.size else 0.0
        return (
            f"{type(self).__name__}.step: parameter {i}{self._name(p)} (shape {p.data.shape}): {what} would be inf or NaN "
            f"({numpy_says}; largest |grad| {big:.3g}, {p.dtype} holds at most {float(np.finfo(p.dtype).max):.3g}); "
            "no parameter was changed (lower the learning rate or scale the gradients; "
            "check_finite=False stores the inf as PyTorch does)"
        )

    def zero_grad(self) -> None:
        """Clear every parameter's ``.grad`` (to None, as PyTorch's default ``set_to_none=True``)."""
        for p in self.params:
            p.grad = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"

    def extra_repr(self) -> str:
        return ""
