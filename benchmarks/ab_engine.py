"""Engine overhead, this working tree against a git revision, interleaved in ONE process.

    .venv/bin/python -m benchmarks.ab_engine 531deaf          # or any revision: main, HEAD~3, ...
    .venv/bin/python -m benchmarks.ab_engine main --rounds 200

On a shared machine two runs of ``bench_engine`` minutes apart differ by 2x; here both engines run
round-robin on short workloads, so load hits them alike, and the minimum and the 10th percentile
over many rounds give a ratio good to about ±2%. Both packages are imported side by side under other
names (``tg_base``, ``tg_new``; the package uses only relative imports). Prints new/base ratios.
"""

from __future__ import annotations

import argparse
import importlib
import io
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CHAIN = 100  # (mul, add, tanh) triples


def load_packages(rev: str, where: Path) -> tuple[Any, Any]:
    """The package at ``rev`` as ``tg_base`` and the working tree's as ``tg_new``."""
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "tinygrad_cn"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(where / "_base", filter="data")
    shutil.move(str(where / "_base" / "tinygrad_cn"), str(where / "tg_base"))
    shutil.copytree(ROOT / "tinygrad_cn", where / "tg_new", ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(where))
    return importlib.import_module("tg_base"), importlib.import_module("tg_new")


def chain(tg: Any, shape: tuple[int, ...]) -> tuple[Callable[[], None], int]:
    x0, c = np.full(shape, 0.3), np.full(shape, 0.7)

    def run() -> None:
        y = tg.Value(x0)
        for _ in range(CHAIN):
            y = (y * c + 0.5).tanh()
        y.sum().backward()

    return run, 3 * CHAIN


def deep_tanh(tg: Any) -> tuple[Callable[[], None], int]:
    def run() -> None:
        y = tg.Value(0.5)
        for _ in range(1000):
            y = y.tanh()
        y.backward()

    return run, 1000


def scalar_mlp(tg: Any) -> tuple[Callable[[], None], int]:
    """micrograd's MLP(2, [16, 16, 1]) on two samples: one SVM-loss SGD step of scalar Values."""
    rnd = random.Random(1337)
    sizes, layers = [2, 16, 16, 1], []
    for i in range(3):
        W = [[tg.Value(rnd.uniform(-1, 1)) for _ in range(sizes[i])] for _ in range(sizes[i + 1])]
        layers.append((W, [tg.Value(0.0) for _ in range(sizes[i + 1])], i != 2))
    params = [p for W, b, _ in layers for row in [*W, b] for p in row]

    def model(x: list) -> Any:
        for W, b, nonlin in layers:
            out = []
            for w_row, bj in zip(W, b):
                act = bj
                for wi, xi in zip(w_row, x):
                    act = act + wi * xi
                out.append(act.relu() if nonlin else act)
            x = out
        return x[0]

    def run() -> None:
        inputs = [[tg.Value(v, requires_grad=False) for v in row] for row in ([0.3, -0.7], [1.1, 0.2])]
        losses = [(1 + -yi * model(x)).relu() for yi, x in zip([1.0, -1.0], inputs)]
        total = sum(losses) * 0.5 + 1e-4 * sum(p * p for p in params)
        for p in params:
            p.grad = None
        total.backward()
        for p in params:
            p.data -= 0.1 * p.grad

    return run, 1


def _sub(tg: Any, name: str) -> Any:
    return importlib.import_module(f"{tg.__name__}.{name}")


def softmax_step(tg: Any, batch: int = 128, d: int = 784, k: int = 10) -> tuple[Callable[[], None], int]:
    """One step of bench_softmax_regression's loop: Linear + F.cross_entropy + SGD (1 BLAS thread)."""
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((batch, d), dtype=np.float32), rng.integers(0, k, batch)
    model = _sub(tg, "nn").Linear(d, k, generator=0)
    opt, F = _sub(tg, "optim").SGD(model.parameters(), lr=1e-3), _sub(tg, "functional")

    def run() -> None:
        loss = F.cross_entropy(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    return run, 1


def sgd_step(tg: Any) -> tuple[Callable[[], None], int]:
    """optim.SGD.step alone on Linear(784, 10)'s two parameters (gradients set once)."""
    model = _sub(tg, "nn").Linear(784, 10, generator=0)
    opt = _sub(tg, "optim").SGD(model.parameters(), lr=1e-6)
    for p in model.parameters():
        p.grad = np.full(p.shape, 0.01, dtype=p.dtype)
    return opt.step, 1


def module_call(tg: Any) -> tuple[Callable[[], None], int]:
    """A small Linear called as a module: the per-call scope and one recorded node."""
    layer, x = _sub(tg, "nn").Linear(8, 10, generator=0), np.ones((4, 8), dtype=np.float32)
    return (lambda: layer(x)), 1


WORKLOADS: list[tuple[str, str, Callable[[Any], tuple[Callable[[], None], int]]]] = [
    ("per-op chain, shape (), fwd+bwd", "us/op", lambda tg: chain(tg, ())),
    ("per-op chain, shape (16,), fwd+bwd", "us/op", lambda tg: chain(tg, (16,))),
    ("per-op chain, shape (64, 64), fwd+bwd", "us/op", lambda tg: chain(tg, (64, 64))),
    ("deep tanh chain (scalar), fwd+bwd", "us/op", deep_tanh),
    ("scalar MLP(2,16,16,1) SGD step", "ms", scalar_mlp),
    ("softmax step, batch 128, 784 -> 10", "us", softmax_step),
    ("softmax step, batch 4, 8 -> 10 (overhead)", "us", lambda tg: softmax_step(tg, 4, 8)),
    ("SGD.step, Linear(784, 10)", "us", sgd_step),
    ("Linear(8, 10) module call, batch 4", "us", module_call),
]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", nargs="?", default="HEAD", help="the git revision to compare against (default HEAD)")
    ap.add_argument("--rounds", type=int, default=100)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base, new = load_packages(args.rev, Path(tmp))
        print(f"\n## engine overhead: working tree vs {args.rev}, interleaved, {args.rounds} rounds (min, p10)")
        for label, unit, make in WORKLOADS:
            fns = {"base": make(base), "new": make(new)}
            scale = 1e3 if unit == "ms" else 1e6
            times: dict[str, list[float]] = {k: [] for k in fns}
            for fn, _ in fns.values():
                fn()  # warm up
            for _ in range(args.rounds):
                for k, (fn, n) in fns.items():
                    t = time.perf_counter()
                    fn()
                    times[k].append((time.perf_counter() - t) / n * scale)
            b, w = sorted(times["base"]), sorted(times["new"])
            q = len(b) // 10
            print(f"  {label:40s} base {b[0]:9.3f} / {b[q]:9.3f} {unit}   new {w[0]:9.3f} / {w[q]:9.3f}   "
                  f"new/base {w[0] / b[0]:.3f} (min) {w[q] / b[q]:.3f} (p10)")


if __name__ == "__main__":
    main()
