"""Autograd switches, one set per thread (as PyTorch): gradient recording, anomaly detection, and
the module-call scope.

Each thread has its own small ``ThreadState`` (a new thread starts with recording on, anomaly
detection off, no scope), so a ``no_grad`` block in one thread never changes what another thread
records. Switches change only through the context managers below (``no_grad``, ``enable_grad``,
``detect_anomaly``, ``scope``), which also count the blocks open in any thread: while none is open
every thread has the defaults, and the hot path (``Op.apply``) skips the thread-local lookup::

    state = _OPEN.defaults            # DEFAULTS while no block is open in any thread, else None
    if state is None:
        state = _LOCAL.state          # this thread's own switches
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


class _Open:
    __slots__ = ("blocks", "defaults")

    def __init__(self, defaults: ThreadState) -> None:
        self.blocks = 0  # switch blocks open in any thread
        self.defaults: ThreadState | None = defaults  # while blocks == 0; else None


DEFAULTS = ThreadState()  # never changed: what every thread has while no block is open
_LOCAL = _PerThread()
_OPEN = _Open(DEFAULTS)
_LOCK = threading.Lock()  # guards _OPEN (+= is not atomic across threads)


def _opened() -> None:
    with _LOCK:
        _OPEN.blocks += 1
        _OPEN.defaults = None


def _closed() -> None:
    with _LOCK:
        _OPEN.blocks -= 1
        if not _OPEN.blocks:
            _OPEN.defaults = DEFAULTS


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
        _opened()
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
        _closed()


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
        _opened()
        st = _LOCAL.state
        self._prev = st.scope
        st.scope = self.obj
        return self.obj

    def __exit__(self, *exc: object) -> None:
        _LOCAL.state.scope = self._prev
        _closed()


def current_scope() -> Any:
    """The innermost ``scope`` object open in this thread, or None."""
    return _LOCAL.state.scope


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad`` in this thread (ops are being recorded)."""
    return _LOCAL.state.grad_enabled
