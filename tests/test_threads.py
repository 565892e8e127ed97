"""Grad mode, anomaly mode and the module scope are per thread (as PyTorch).

Every test forces one interleaving with Events, so it is deterministic: it fails on a process-global
switch every time, not now and then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn import nn
from tinygrad_cn.engine.mode import thread_state

TIMEOUT = 10.0


def run_threads(*targets: Callable[[], None]) -> None:
    """Run each target in its own thread; re-raise the first failure in the test's thread."""
    errors: list[BaseException] = []

    def wrap(fn: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                fn()
            except BaseException as e:  # handed to the test thread
                errors.append(e)

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive(), "a thread hung (an Event was never set)"
    if errors:
        raise errors[0]


def wait(e: threading.Event) -> None:
    assert e.wait(TIMEOUT), "timed out waiting for the other thread"


def test_no_grad_in_one_thread_never_changes_another_threads_graph():
    """The issue's example: ∂/∂w [Σw² + Σ3w] at w = [1, 2] is 2w + 3 = [5, 7] (a global switch gave [3, 3])."""
    w = tg.Value([1.0, 2.0], label="w")
    other_inside, first_half_done, other_may_leave = threading.Event(), threading.Event(), threading.Event()
    result: dict[str, tg.Value] = {}

    def trainer() -> None:
        wait(other_inside)  # the other thread is inside no_grad from here on
        a = (w * w).sum()
        first_half_done.set()
        b = (3 * w).sum()
        result["loss"] = a + b
        other_may_leave.set()

    def evaluator() -> None:
        with tg.no_grad():
            other_inside.set()
            wait(first_half_done)
            y = (w * 10).sum()
            assert not y.requires_grad and y.op is None  # no_grad still holds here
            wait(other_may_leave)

    run_threads(trainer, evaluator)
    loss = result["loss"]
    assert loss.requires_grad and loss.op == "add"
    loss.backward()
    np.testing.assert_array_equal(w.grad, [5.0, 7.0])
    assert tg.is_grad_enabled()


def test_overlapping_no_grad_blocks_restore_correctly():
    """A enters, B enters, A leaves, B leaves: each thread (and the main one) ends with grad mode on."""
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def thread_a() -> None:
        with tg.no_grad():
            a_in.set()
            wait(b_in)
        seen["a after"] = tg.is_grad_enabled()
        seen["a records"] = (tg.Value(1.0) * 2).requires_grad
        a_out.set()

    def thread_b() -> None:
        wait(a_in)
        with tg.no_grad():
            b_in.set()
            wait(a_out)
            seen["b inside, after a left"] = tg.is_grad_enabled()
        seen["b after"] = tg.is_grad_enabled()

    run_threads(thread_a, thread_b)
    assert seen == {"a after": True, "a records": True, "b inside, after a left": False, "b after": True}
    assert tg.is_grad_enabled() and (tg.Value(1.0) * 2).requires_grad


def test_one_no_grad_object_shared_by_two_threads_and_as_decorator():
    """The same no_grad instance (a decorator, or a module-level object) entered by two threads at once."""
    shared = tg.no_grad()
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    @tg.no_grad()
    def evaluate(x: tg.Value, before_return: Callable[[], None]) -> bool:
        before_return()
        return (x * 2).requires_grad

    def thread_a() -> None:
        with shared:
            seen["a dec"] = evaluate(tg.Value(1.0), lambda: (a_in.set(), wait(b_in)))
        seen["a after"] = tg.is_grad_enabled()
        a_out.set()

    def thread_b() -> None:
        wait(a_in)
        with shared:
            seen["b dec"] = evaluate(tg.Value(1.0), lambda: (b_in.set(), wait(a_out)))
        seen["b after"] = tg.is_grad_enabled()

    run_threads(thread_a, thread_b)
    assert seen == {"a dec": False, "b dec": False, "a after": True, "b after": True}


def test_new_threads_start_with_grad_on_and_anomaly_off():
    seen: dict[str, bool] = {}

    def child() -> None:
        seen["grad"] = tg.is_grad_enabled()
        seen["anomaly"] = thread_state().anomaly
        seen["records"] = (tg.Value(2.0) * 3).requires_grad

    with tg.no_grad(), tg.detect_anomaly():
        run_threads(child)
        assert not tg.is_grad_enabled() and thread_state().anomaly
    assert seen == {"grad": True, "anomaly": False, "records": True}
    assert tg.is_grad_enabled() and not thread_state().anomaly


def test_anomaly_mode_is_per_thread():
    other_inside, done = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def watcher() -> None:
        with tg.detect_anomaly():
            other_inside.set()
            wait(done)
            try:
                tg.Value(-1.0).log()
            except tg.AnomalyError as e:
                seen["watcher"] = str(e)

    def worker() -> None:
        wait(other_inside)
        with np.errstate(invalid="ignore"):
            y = tg.Value(-1.0).log()  # NaN, but this thread is not detecting anomalies
        seen["worker"] = bool(np.isnan(y.data))
        done.set()

    run_threads(watcher, worker)
    assert seen["worker"] is True and "log" in str(seen["watcher"])


def test_module_scope_is_per_thread():
    layer = nn.Linear(2, 2)
    inside, made = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    class Slow(nn.Module):
        def __init__(self) -> None:
            self.inner = layer

        def forward(self, x: tg.Value) -> tg.Value:
            inside.set()
            wait(made)  # the other thread builds a Value while this call is in progress
            return self.inner(x)

    def caller() -> None:
        out = Slow()(tg.Value(np.ones((1, 2))))
        seen["caller scope"] = [c.module for c in out.scope.chain()]

    def bystander() -> None:
        wait(inside)
        v = tg.Value(1.0) * 2
        seen["bystander scope"] = v.scope
        made.set()

    run_threads(caller, bystander)
    assert seen["bystander scope"] is None
    chain = seen["caller scope"]
    assert isinstance(chain, list) and chain[-1] is layer and isinstance(chain[0], nn.Module)
    assert thread_state().scope is None


def test_blocks_close_on_errors_and_the_defaults_fast_path_comes_back():
    """Op.apply skips the thread-local lookup only while no switch block is open in any thread."""
    from tinygrad_cn.engine.mode import _OPEN, DEFAULTS

    class Boom(nn.Module):
        def forward(self, x: tg.Value) -> tg.Value:
            raise ValueError("boom")

    assert _OPEN == []
    for block in (tg.no_grad(), tg.enable_grad(), tg.detect_anomaly()):
        try:
            with block:
                assert len(_OPEN) == 1
                raise KeyError("inside")
        except KeyError:
            pass
    try:
        Boom()(tg.Value(1.0))
    except ValueError:
        pass
    assert _OPEN == []
    assert (DEFAULTS.grad_enabled, DEFAULTS.anomaly, DEFAULTS.scope) == (True, False, None)
    assert tg.is_grad_enabled() and thread_state().scope is None and not thread_state().anomaly


def test_many_threads_opening_and_closing_blocks_leave_none_open():
    """Blocks open and close in many threads at once, with the interpreter switching threads as
    often as it can: the count of open blocks (kept without a lock) ends at zero, every thread saw
    its own switches, and the defaults fast path comes back."""
    import sys

    from tinygrad_cn.engine.mode import _OPEN

    w = tg.Value([1.0, 2.0])
    layer = nn.Linear(2, 2, generator=0)
    start = threading.Barrier(6, timeout=TIMEOUT)

    def worker(k: int) -> Callable[[], None]:
        def run() -> None:
            start.wait()
            for _ in range(300):
                if k % 2:
                    with tg.no_grad():
                        assert not (w * 2).requires_grad
                else:
                    y = layer(w)
                    assert y.requires_grad and y.scope is not None and y.scope.module is layer
                    assert (w * 2).requires_grad
            assert thread_state().scope is None and thread_state().grad_enabled

        return run

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        run_threads(*(worker(k) for k in range(6)))
    finally:
        sys.setswitchinterval(old)
    assert _OPEN == []
