"""Interleaved timing: contenders run round-robin, so machine noise hits them all alike."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def interleave(contenders: dict[str, Callable[[], object]], rounds: int = 7, inner: int = 1) -> dict[str, float]:
    """Median seconds per call of each contender, measured round-robin over ``rounds`` rounds."""
    for fn in contenders.values():  # warm up
        fn()
    times: dict[str, list[float]] = {k: [] for k in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            gc.collect()
            t = time.perf_counter()
            for _ in range(inner):
                fn()
            times[name].append((time.perf_counter() - t) / inner)
    return {k: statistics.median(v) for k, v in times.items()}


def report(title: str, med: dict[str, float], baseline: str, unit: str = "ms", per: float = 1.0) -> None:
    """Print each contender's median time and its ratio to ``baseline``."""
    scale = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit]
    print(f"\n## {title}")
    width = max(len(k) for k in med)
    for name, t in med.items():
        print(f"  {name:<{width}}  {t / per * scale:10.3f} {unit}   ratio vs {baseline}: {t / med[baseline]:6.2f}x")
