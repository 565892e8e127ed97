"""Autograd switches, one set per thread (as PyTorch): gradient recording, anomaly detection, and
the module-call scope.

Each thread has its own small ``ThreadState`` (a new thread starts with recording on, anomaly
detection off, no scope), so a ``no_grad`` block in one thread never changes what another thread
records. Switches change only through the context managers below (``no_grad``, ``enable_grad``,
``detect_anomaly``, ``scope``), which also keep one entry per block open in any thread in the list
``_OPEN``: while it is empty every thread has the defaults, and the hot path (``Op.apply``) skips
the thread-local lookup::

    state = _LOCAL.state if _OPEN else DEFAULTS

No lock: ``list.append`` and ``list.pop`` are atomic (one C call each), a block appends before it
changes its thread's switches and pops after it has restored them, so a thread whose switches are
not the defaults always finds ``_OPEN`` non-empty.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, ClassVar


class ThreadState:
    """The calling thread's switches (see :func:`thread_state`); read them, change them only
    through the context managers of this module."""

    __slots__ = ("anomaly", "grad_enabled", "scope")

    def __init__(self) -> None:
        self.grad_enabled = True  # record ops into the graph?
        self.anomaly = False  # check every forward/backward result for NaN/inf?
        self.scope: Any = None  # innermost nn.Module call in progress (viz draws it as a cluster)


class _PerThread(threading.local):
    def __init__(self) -> None:  # runs once in every thread that touches it
        self.state = ThreadState()


DEFAULTS = ThreadState()  # never changed: what every thread has while no block is open
_LOCAL = _PerThread()
_OPEN: list[None] = []  # one entry per switch block open in any thread (see the module docstring)


def thread_state() -> ThreadState:
    """The calling thread's switches: ``grad_enabled``, ``anomaly`` and ``scope`` (read-only use)."""
    return _LOCAL.state


class _Switch(contextlib.ContextDecorator):
    """Set one switch of the current thread for the duration of a block, then restore it.

    What to restore is kept per thread (and as a stack, so the same object may be entered again,
    e.g. by a recursive decorated function, or by two threads at once).
    """

    _field: ClassVar[str]
    _value: ClassVar[bool]

    def __init__(self) -> None:
        self._saved: dict[int, list[bool]] = {}

    def __enter__(self) -> Any:
        _OPEN.append(None)  # first: from here on Op.apply reads this thread's switches
        st = _LOCAL.state
        self._saved.setdefault(threading.get_ident(), []).append(getattr(st, self._field))
        setattr(st, self._field, self._value)
        return self

    def __exit__(self, *exc: object) -> None:
        key = threading.get_ident()
        stack = self._saved[key]
        setattr(_LOCAL.state, self._field, stack.pop())
        if not stack:
            del self._saved[key]
        _OPEN.pop()  # last: this thread's switches are restored


class no_grad(_Switch):
    """Context manager and decorator: ops run without recording a graph (results are leaves).
    Affects only the calling thread (as ``torch.no_grad``).

    >>> import tinygrad_cn as tg
    >>> w = tg.Value(2.0)
    >>> with tg.no_grad():
    ...     y = w * 3
    >>> y.requires_grad, y.op
    (False, None)
    """

    _field, _value = "grad_enabled", False


class enable_grad(_Switch):
    """Re-enable recording inside a ``no_grad`` block (as ``torch.enable_grad``); this thread only."""

    _field, _value = "grad_enabled", True


class detect_anomaly(_Switch):
    """Inside this block the first op whose forward or backward produces NaN or inf raises
    :class:`AnomalyError` naming that op (as ``torch.autograd.detect_anomaly``); this thread only.

    >>> import tinygrad_cn as tg
    >>> x = tg.Value(-1.0)
    >>> with tg.detect_anomaly():
    ...     x.log()
    Traceback (most recent call last):
    ...
    tinygrad_cn.engine.errors.AnomalyError: detect_anomaly: forward of op 'log' produced nan (input shapes [()]; output shape ())
    """

    _field, _value = "anomaly", True


class scope:
    """``with scope(obj):`` Values made inside remember ``obj`` (``Value.scope``); this thread only.

    ``nn.Module.__call__`` enters one per call with an object naming the module and the enclosing
    call (``current_scope()``), so viz can draw module calls as clusters.
    """

    __slots__ = ("_prev", "obj")

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __enter__(self) -> Any:
        _OPEN.append(None)
        st = _LOCAL.state
        self._prev = st.scope
        st.scope = self.obj
        return self.obj

    def __exit__(self, *exc: object) -> None:
        _LOCAL.state.scope = self._prev
        _OPEN.pop()


def current_scope() -> Any:
    """The innermost ``scope`` object open in this thread, or None."""
    return _LOCAL.state.scope


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad`` in this thread (ops are being recorded)."""
    return _LOCAL.state.grad_enabled
