"""Global autograd switches: gradient recording, anomaly detection, and the module-call scope.

They live in one small object so the hot path reads them with a single attribute lookup.
Not thread-safe (like micrograd); PyTorch keeps these per thread.
"""

from __future__ import annotations

import contextlib
from typing import Any


class _State:
    __slots__ = ("anomaly", "grad_enabled", "scope")

    def __init__(self) -> None:
        self.grad_enabled = True  # record ops into the graph?
        self.anomaly = False  # check every forward/backward result for NaN/inf?
        self.scope: Any = None  # innermost nn.Module call in progress (viz draws it as a cluster)


STATE = _State()


class no_grad(contextlib.ContextDecorator):
    """Context manager and decorator: ops run without recording a graph (results are leaves).

    >>> import tinygrad_cn as tg
    >>> w = tg.Value(2.0)
    >>> with tg.no_grad():
    ...     y = w * 3
    >>> y.requires_grad, y.op
    (False, None)
    """

    def __enter__(self) -> no_grad:
        self._prev = STATE.grad_enabled
        STATE.grad_enabled = False
        return self

    def __exit__(self, *exc: object) -> None:
        STATE.grad_enabled = self._prev


class enable_grad(contextlib.ContextDecorator):
    """Re-enable recording inside a ``no_grad`` block (as ``torch.enable_grad``)."""

    def __enter__(self) -> enable_grad:
        self._prev = STATE.grad_enabled
        STATE.grad_enabled = True
        return self

    def __exit__(self, *exc: object) -> None:
        STATE.grad_enabled = self._prev


class detect_anomaly(contextlib.ContextDecorator):
    """Inside this block the first op whose forward or backward produces NaN or inf raises
    :class:`AnomalyError` naming that op (as ``torch.autograd.detect_anomaly``).

    >>> import tinygrad_cn as tg
    >>> x = tg.Value(-1.0)
    >>> with tg.detect_anomaly():
    ...     x.log()
    Traceback (most recent call last):
    ...
    tinygrad_cn.engine.errors.AnomalyError: detect_anomaly: forward of op 'log' produced nan (input shapes [()]; output shape ())
    """

    def __enter__(self) -> detect_anomaly:
        self._prev = STATE.anomaly
        STATE.anomaly = True
        return self

    def __exit__(self, *exc: object) -> None:
        STATE.anomaly = self._prev


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad`` (ops are being recorded)."""
    return STATE.grad_enabled
