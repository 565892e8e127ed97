"""Drawing and rendering big graphs (issue 5), and the wall time of the demo.

Targets: a 10,000-node graph to SVG in ≤ 5 s; ``make demo`` on a warm venv in ≤ 30 s.
Run: ``.venv/bin/python -m benchmarks.bench_viz``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn import viz
from tinygrad_cn.engine import walk
from tinygrad_cn.viz import rendering


def scalar_mlp(width: int, depth: int, n_in: int = 4, seed: int = 0) -> tg.Value:
    """A micrograd-style MLP of scalar Values (tanh neurons), summed into one output: the kind of
    graph with heavy fan-out that makes Graphviz's own layout slow."""
    rng = np.random.default_rng(seed)
    xs = [tg.Value(float(v), requires_grad=False, label=f"x{i}") for i, v in enumerate(rng.normal(size=n_in))]
    for layer in range(depth):
        out = []
        for j in range(width):
            act = tg.Value(float(rng.normal()), label=f"b{layer}.{j}")
            for i, x in enumerate(xs):
                act = act + tg.Value(float(rng.normal()) / len(xs) ** 0.5, label=f"w{layer}.{j}.{i}") * x
            out.append(act.tanh())
        xs = out
    y = xs[0]
    for x in xs[1:]:
        y = y + x
    return y


def graph_of_size(target: int) -> tg.Value:
    """The scalar MLP whose node count is closest to ``target`` (depth 1 to 3, width searched)."""
    best, best_gap = None, None
    for depth in (1, 2, 3):
        for width in range(1, 200):
            root = scalar_mlp(width, depth)
            n = len(walk([root]))
            gap = abs(n - target)
            if best_gap is None or gap < best_gap:
                best, best_gap = root, gap
            if n > target:
                break
    assert best is not None
    return best


def time_one(root: tg.Value, engine: str, tmp: Path) -> tuple[float, float, str]:
    t0 = time.perf_counter()
    g = viz.draw_graph(root, max_nodes=None)
    t1 = time.perf_counter()
    env_path = os.environ["PATH"]
    try:
        if engine == "graphviz-pure":
            os.environ["PATH"] = str(tmp)  # no dot on PATH: the bundled renderer
        names = [n for n, _ in rendering.renderers()]
        if not names or names[0] != engine:
            return t1 - t0, float("nan"), "not installed"
        viz.render(g, tmp / f"g-{engine}.svg")
    finally:
        os.environ["PATH"] = env_path
    t2 = time.perf_counter()
    layout = "layered" if "nop2" in g.source else "dot"
    return t1 - t0, t2 - t1, layout


def demo_wall_time() -> float:
    """Seconds for ``python -m tinygrad_cn demo`` (what ``make demo`` runs on a warm venv)."""
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tinygrad_cn", "demo", "--out", d], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t


def main() -> None:
    print("\n## draw_graph + render to SVG (scalar MLP graphs, max_nodes=None)")
    print(f"  {'nodes':>7}  {'renderer':<14} {'layout':<8} {'draw':>8} {'render':>8} {'total':>8}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for target in (100, 1_000, 10_000):
            root = graph_of_size(target)
            root.backward()
            n = len(walk([root]))
            for engine in ("dot", "graphviz-pure"):
                draw, render, layout = time_one(root, engine, tmp)
                flag = "" if target < 10_000 else ("  (target ≤ 5 s: " + ("met" if draw + render <= 5 else "MISSED") + ")")
                print(f"  {n:>7}  {engine:<14} {layout:<8} {draw:7.2f}s {render:7.2f}s {draw + render:7.2f}s{flag}")
    t = demo_wall_time()
    print(f"\n## demo wall time: {t:.1f} s (target ≤ 30 s: {'met' if t <= 30 else 'MISSED'})")


if __name__ == "__main__":
    main()
