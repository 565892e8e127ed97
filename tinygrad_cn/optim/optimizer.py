"""``Optimizer``: the base of SGD, Adam and Adagrad: holds the parameters and per-parameter state,
checks every gradient before changing anything, and updates ``p.data`` in place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..engine.errors import ShapeError
from ..engine.value import Value


def _finite(g: np.ndarray) -> bool:
    """Every element finite? One cheap sum first (call under ``np.errstate(over="ignore",
    invalid="ignore")``); only if that is inf/nan, look element by element, because a sum of large
    finite numbers can overflow."""
    return bool(np.isfinite(g.sum())) or bool(np.isfinite(g).all())


class Optimizer:
    """Base class: ``step()`` updates every parameter that has a gradient, ``zero_grad()`` clears them.

    ``params`` is an iterable of leaf Values (e.g. ``model.parameters()``) or a Module. Before any
    parameter is changed, ``step()`` checks every gradient (its shape matches the parameter, every
    element is finite; set ``check_finite=False`` to skip the second check), so a failed step leaves
    all parameters as they were. A parameter whose ``.grad`` is None is left alone, as in PyTorch.
    """

    def __init__(self, params: Iterable[Value] | Any, *, check_finite: bool = True) -> None:
        who = type(self).__name__
        if callable(getattr(params, "parameters", None)):  # a Module (duck-typed: optim sits beside nn)
            params = params.parameters()
        if isinstance(params, Value):
            raise TypeError(f"{who}: params must be an iterable of Values (e.g. model.parameters()), got one Value")
        params = list(params)
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
        self.check_finite = check_finite

    @staticmethod
    def _check_hparam(who: str, name: str, value: float, lo: float = 0.0, hi: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__}")
        value = float(value)
        if not (value >= lo and (hi is None or value < hi)):
            bounds = f">= {lo}" if hi is None else f"in [{lo}, {hi})"
            raise ValueError(f"{who}: invalid {name} {value!r} (must be {bounds})")
        return value

    def _grads(self) -> list[np.ndarray | None]:
        """Every parameter's gradient, checked; raises before anything is updated."""
        grads: list[np.ndarray | None] = []
        check = self.check_finite
        with np.errstate(over="ignore", invalid="ignore"):
            for i, p in enumerate(self.params):
                g = p.grad
                if g is None:
                    grads.append(None)
                    continue
                if type(g) is not np.ndarray:
                    g = np.asarray(g)
                if g.shape != p.data.shape:
                    raise ShapeError(
                        f"{type(self).__name__}.step: parameter {i}{self._name(p)} has shape {p.data.shape} "
                        f"but its grad has shape {g.shape}; no parameter was changed"
                    )
                if check and not _finite(g):
                    bad = "nan" if np.isnan(g).any() else "inf"
                    raise FloatingPointError(
                        f"{type(self).__name__}.step: the grad of parameter {i}{self._name(p)} (shape {p.data.shape}) "
                        f"contains {bad}; no parameter was changed "
                        "(lower the learning rate, or look for the op with tg.detect_anomaly())"
                    )
                grads.append(g)
        return grads

    @staticmethod
    def _name(p: Value) -> str:
        return f" ({p.label!r})" if p.label else ""

    def step(self) -> None:
        """One update of every parameter that has a gradient."""
        grads = self._grads()
        for p, g, st in zip(self.params, grads, self.state):
            if g is not None:
                self._update(p.data, g, st)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:  # pragma: no cover
        raise NotImplementedError

    def zero_grad(self) -> None:
        """Clear every parameter's ``.grad`` (to None, as PyTorch's default ``set_to_none=True``)."""
        for p in self.params:
            p.grad = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"

    def extra_repr(self) -> str:
        return ""
