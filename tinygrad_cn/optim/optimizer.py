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


def _finite(g: np.ndarray) -> bool:
    """Every element finite? One cheap sum first (call under ``np.errstate(over="ignore",
    invalid="ignore")``); only if that is inf/nan, look element by element, because a sum of large
    finite numbers can overflow."""
    return bool(np.isfinite(g.sum())) or bool(np.isfinite(g).all())


def cast_like(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``x`` in ``dtype`` (what an in-place ``buf -= ...`` stores: float32 state stays float32)."""
    return x if x.dtype == dtype else x.astype(dtype)


# One parameter's step, computed but not yet written: its new value and its new state entries.
Update = tuple[np.ndarray, dict[str, Any]]


class Optimizer:
    """Base class: ``step()`` updates every parameter that has a gradient, ``zero_grad()`` clears them.

    ``params`` is an iterable of leaf Values (e.g. ``model.parameters()``) or a Module. A parameter
    whose ``.grad`` is None is left alone, as in PyTorch. ``step()`` is all or nothing:

    1. every gradient is checked (real numbers, the parameter's shape, every element finite) and
       every parameter array must be writeable;
    2. every new parameter value and every new state buffer is computed into new arrays;
    3. with ``check_finite=True`` (the default) an update that overflows (or gives NaN) is
       refused (numpy's floating-point flags catch it while computing; see below);
    4. only then is anything written.

    So a step that fails, at any point before 4 (a bad gradient, a FloatingPointError under
    ``np.seterr(all="raise")``, a KeyboardInterrupt), leaves every parameter, every state buffer
    and every step count exactly as it was.

    Overflow (check_finite=True): one huge but finite gradient, say 1e200 in float64, makes Adam's
    second moment v = (1 − β₂)·g² (and Adagrad's sum s + g²) overflow to inf. PyTorch stores that
    inf: the update m̂/(√v̂ + ε) = finite/inf = 0 leaves the coordinate where it is, and since
    β₂·inf = inf it never moves again (until m overflows too, and inf/inf = NaN). Here that step is
    refused instead, with a FloatingPointError that names the optimizer, the parameter and the
    buffer, and nothing changes. ``check_finite=False`` skips both finiteness checks and gives
    PyTorch's behaviour (inf stored; numpy warns or raises as your ``np.errstate`` says).
    """

    # state key -> what it is, for error messages (filled in by each optimizer)
    STATE_NAMES: ClassVar[dict[str, str]] = {}

    def __init__(self, params: Iterable[Value] | Any, *, check_finite: bool = True) -> None:
        from ..nn.module import Module

        who = type(self).__name__
        if isinstance(params, Module):
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

    def _grads(self) -> list[np.ndarray | None]:
        """Every parameter's gradient, checked; raises before anything is updated."""
        grads: list[np.ndarray | None] = []
        check = self.check_finite
        who = f"{type(self).__name__}.step"
        with np.errstate(over="ignore", invalid="ignore"):
            for i, p in enumerate(self.params):
                g = p.grad
                if g is None:
                    grads.append(None)
                    continue
                if type(g) is not np.ndarray:
                    g = np.asarray(g)
                if g.dtype.kind not in "iuf":
                    why = " (its imaginary part would be lost)" if g.dtype.kind == "c" else ""
                    raise TypeError(
                        f"{who}: the grad of parameter {i}{self._name(p)} has dtype {g.dtype}; a gradient must "
                        f"hold real numbers{why}; no parameter was changed"
                    )
                if not p.data.flags.writeable:
                    raise ValueError(
                        f"{who}: parameter {i}{self._name(p)} (shape {p.data.shape}) is read-only "
                        "(its .data array is not writeable); no parameter was changed"
                    )
                if g.shape != p.data.shape:
                    raise ShapeError(
                        f"{who}: parameter {i}{self._name(p)} has shape {p.data.shape} "
                        f"but its grad has shape {g.shape}; no parameter was changed"
                    )
                if check and not _finite(g):
                    bad = "nan" if np.isnan(g).any() else "inf"
                    raise FloatingPointError(
                        f"{who}: the grad of parameter {i}{self._name(p)} (shape {p.data.shape}) "
                        f"contains {bad}; no parameter was changed "
                        "(lower the learning rate, or look for the op with tg.detect_anomaly())"
                    )
                grads.append(g)
        return grads

    @staticmethod
    def _name(p: Value) -> str:
        return f" ({p.label!r})" if p.label else ""

    def step(self) -> None:
        """One update of every parameter that has a gradient, all or nothing (see the class doc)."""
        grads = self._grads()  # 1. check
        # 2. compute; with check_finite, numpy raises at the first overflow (3.), which costs nothing
        #    while all is well; otherwise the caller's np.errstate decides
        updates: list[Update | None] = []
        raising = np.errstate(over="raise", invalid="raise", divide="raise", under="ignore")
        with raising if self.check_finite else contextlib.nullcontext():
            for i, (p, g, st) in enumerate(zip(self.params, grads, self.state)):
                try:
                    updates.append(None if g is None else self._update(p.data, g, st))
                except FloatingPointError as e:
                    if not self.check_finite:
                        raise
                    raise FloatingPointError(self._overflow_message(i, g, str(e))) from None
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
