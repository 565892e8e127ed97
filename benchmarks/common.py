"""Interleaved timing: contenders run round-robin, so machine noise hits them all alike.

Every figure is printed as the median with its min–max over rounds; a ratio is computed per round
(contender / baseline in the same round) and also printed as median [min–max].

The clock is the process's **CPU time** (``time.process_time``: user + system, all threads), not
the wall clock: on a shared machine the wall clock also counts the time other processes hold the
core, which has nothing to do with the code measured. With one BLAS thread (``benchmarks/__init__``)
and nothing else running the two agree; the wall-clock median is printed beside each row.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable

GC_OFF = " (GC off)"  # a contender whose name ends with this runs with the cyclic GC disabled


def blas_threads() -> str:
    """The BLAS thread count actually in use (threadpoolctl when installed, else the env setting)."""
    try:
        from threadpoolctl import threadpool_info

        pools = [f"{p['internal_api']}={p['num_threads']}" for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            return ", ".join(pools)
    except ImportError:
        pass
    return f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'default')}"


WALL: dict[str, list[float]] = {}  # wall-clock seconds of the last interleave(), by contender


def interleave(contenders: dict[str, Callable[[], object]], rounds: int = 7, inner: int = 1) -> dict[str, list[float]]:
    """CPU seconds per call of each contender in every round, measured round-robin.

    Each contender is warmed up once; before each timed call the garbage is collected; a contender
    whose name ends with ``" (GC off)"`` runs with the cyclic garbage collector disabled. The wall
    clock of each call is kept in ``WALL``.
    """
    for fn in contenders.values():  # warm up
        fn()
    times: dict[str, list[float]] = {k: [] for k in contenders}
    WALL.clear()
    WALL.update({k: [] for k in contenders})
    for _ in range(rounds):
        for name, fn in contenders.items():
            gc.collect()
            off = name.endswith(GC_OFF)
            if off:
                gc.disable()
            try:
                w, c = time.perf_counter(), time.process_time()
                for _ in range(inner):
                    fn()
                times[name].append((time.process_time() - c) / inner)
                WALL[name].append((time.perf_counter() - w) / inner)
            finally:
                if off:
                    gc.enable()
    return times


def spread(xs: list[float], scale: float = 1.0, fmt: str = ".3g") -> str:
    """``median [min–max]`` of ``xs`` times ``scale``."""
    return f"{statistics.median(xs) * scale:{fmt}} [{min(xs) * scale:{fmt}}–{max(xs) * scale:{fmt}}]"


def ratios(times: dict[str, list[float]], name: str, baseline: str) -> list[float]:
    """Per-round ratios ``name / baseline``."""
    return [a / b for a, b in zip(times[name], times[baseline])]


def report(title: str, times: dict[str, list[float]], baseline: str, unit: str = "ms", per: float = 1.0) -> None:
    """Print each contender's time (median [min–max] over rounds) and its per-round ratio to ``baseline``."""
    scale = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit] / per
    rounds = len(times[baseline])
    print(f"\n## {title}\n  ({rounds} interleaved rounds; CPU time, median [min–max]; {blas_threads()})")
    width = max(len(k) for k in times)
    for name, ts in times.items():
        r = ratios(times, name, baseline)
        wall = f"   (wall {statistics.median(WALL[name]) * scale:.3g})" if WALL.get(name) else ""
        print(f"  {name:<{width}}  {spread(ts, scale):>26} {unit}   × {baseline}: {spread(r, fmt='.2f')}{wall}")
