"""Engine overhead (issue 2): per-op cost on a long chain, micrograd's demo workload, deep chains.

Run: ``.venv/bin/python -m benchmarks.bench_engine`` (micrograd comes from the ``bench`` extra).
"""

from __future__ import annotations

import gc
import random
import subprocess
import sys
import textwrap

import numpy as np

import tinygrad_cn as tg
from benchmarks.common import interleave, report

# ----------------------------------------------------------------------------- per-op overhead
CHAIN = 300  # ops per chain: (mul, add, tanh) repeated


def chain_ours(x0: np.ndarray, c: np.ndarray) -> None:
    x = tg.Value(x0)
    y = x
    for _ in range(CHAIN // 3):
        y = (y * c + 0.5).tanh()
    y.sum().backward()


def chain_numpy(x0: np.ndarray, c: np.ndarray) -> None:
    """The same chain with a hand-written backward (the floor for a numpy engine)."""
    y = x0
    saved = []
    for _ in range(CHAIN // 3):
        y = np.tanh(y * c + 0.5)
        saved.append(y)
    g = np.ones_like(y)
    for t in reversed(saved):
        g = g * (1 - t * t) * c


def per_op(shape: tuple[int, ...] = (16,)) -> dict[str, float]:
    rng = np.random.default_rng(0)
    x0, c = rng.standard_normal(shape), rng.standard_normal(shape) * 0.5
    med = interleave({"tinygrad_cn": lambda: chain_ours(x0, c), "numpy by hand": lambda: chain_numpy(x0, c)}, rounds=9)
    report(f"per-op overhead: chain of {CHAIN} ops on shape {shape}, forward+backward", med, "numpy by hand",
           unit="us", per=CHAIN)
    return med


# ----------------------------------------------------------------------------- micrograd demo
def moons(n: int = 100, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    from tinygrad_cn.data import make_moons

    X, y = make_moons(n_samples=n, noise=0.1, seed=seed)
    return X, np.where(np.asarray(y) > 0, 1.0, -1.0)


class ScalarMLP:
    """micrograd's MLP(2, [16, 16, 1]) built from scalar tinygrad_cn Values."""

    def __init__(self, sizes: list[int], seed: int = 1337) -> None:
        rnd = random.Random(seed)
        self.layers = []
        for i in range(len(sizes) - 1):
            W = [[tg.Value(rnd.uniform(-1, 1)) for _ in range(sizes[i])] for _ in range(sizes[i + 1])]
            b = [tg.Value(0.0) for _ in range(sizes[i + 1])]
            self.layers.append((W, b, i != len(sizes) - 2))

    def __call__(self, x: list) -> tg.Value:
        for W, b, nonlin in self.layers:
            out = []
            for w_row, bj in zip(W, b):
                act = bj
                for wi, xi in zip(w_row, x):
                    act = act + wi * xi
                out.append(act.relu() if nonlin else act)
            x = out
        return x[0]

    def parameters(self) -> list[tg.Value]:
        return [p for W, b, _ in self.layers for row in [*W, b] for p in row]


def step_scalar_ours(model: ScalarMLP, X: np.ndarray, y: np.ndarray) -> float:
    inputs = [[tg.Value(v, requires_grad=False) for v in row] for row in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y.tolist(), scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg = 1e-4 * sum(p * p for p in model.parameters())
    total = data_loss + reg
    for p in model.parameters():
        p.grad = None
    total.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad
    return total.item()


class TensorMLP:
    """The same network with (n, d) tensor Values: three matmuls instead of ~60,000 scalar ops."""

    def __init__(self, sizes: list[int], seed: int = 1337) -> None:
        rng = np.random.default_rng(seed)
        self.params = []
        for i in range(len(sizes) - 1):
            self.params.append(tg.Value(rng.uniform(-1, 1, (sizes[i], sizes[i + 1]))))
            self.params.append(tg.Value(np.zeros(sizes[i + 1])))

    def __call__(self, X: np.ndarray) -> tg.Value:
        h = X
        n = len(self.params) // 2
        for i in range(n):
            h = h @ self.params[2 * i] + self.params[2 * i + 1]
            if i < n - 1:
                h = h.relu()
        return h.reshape(-1)


def step_tensor_ours(model: TensorMLP, X: np.ndarray, y: np.ndarray) -> float:
    scores = model(X)
    data_loss = (1 - y * scores).relu().mean()
    reg = 1e-4 * sum((p * p).sum() for p in model.params)
    total = data_loss + reg
    for p in model.params:
        p.grad = None
    total.backward()
    for p in model.params:
        p.data -= 0.1 * p.grad
    return total.item()


def step_micrograd(model, X: np.ndarray, y: np.ndarray) -> float:
    from micrograd.engine import Value as MValue

    inputs = [list(map(MValue, row)) for row in X.tolist()]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y.tolist(), scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg = 1e-4 * sum(p * p for p in model.parameters())
    total = data_loss + reg
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad
    return total.data


def micrograd_demo() -> None:
    X, y = moons()
    scalar_model, tensor_model = ScalarMLP([2, 16, 16, 1]), TensorMLP([2, 16, 16, 1])
    contenders = {
        "tinygrad_cn scalar Values": lambda: step_scalar_ours(scalar_model, X, y),
        "tinygrad_cn tensor Values": lambda: step_tensor_ours(tensor_model, X, y),
    }
    try:
        import micrograd.nn as mnn

        random.seed(1337)
        mmodel = mnn.MLP(2, [16, 16, 1])

        def micrograd_gc_off() -> None:
            gc.disable()
            try:
                step_micrograd(mmodel, X, y)
            finally:
                gc.enable()

        contenders["micrograd (GC on)"] = lambda: step_micrograd(mmodel, X, y)
        contenders["micrograd (GC off)"] = micrograd_gc_off
        baseline = "micrograd (GC off)"
    except ImportError:
        print("\n(micrograd not installed: pip install -e '.[bench]' to compare)")
        baseline = "tinygrad_cn scalar Values"
    med = interleave(contenders, rounds=5)
    report("micrograd demo: MLP(2,[16,16,1]), 100 moons, SVM loss + 1e-4 L2, one full-batch SGD step",
           med, baseline, unit="s")


# ----------------------------------------------------------------------------- deep chain
DEEP = textwrap.dedent(
    """
    import resource, time, tinygrad_cn as tg
    n = {n}
    t0 = time.perf_counter()
    x = tg.Value(0.5)
    y = x
    for _ in range(n):
        y = y.tanh()
    t1 = time.perf_counter()
    y.backward()
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{{t1 - t0:.2f}} {{t2 - t1:.2f}} {{peak:.0f}} {{x.grad:.3e}}")
    """
)


def deep_chain(n: int = 1_000_000) -> None:
    out = subprocess.run([sys.executable, "-c", DEEP.format(n=n)], capture_output=True, text=True, check=True)
    fwd, bwd, peak, grad = out.stdout.split()
    print(f"\n## deep chain of {n:,} tanh ops (scalar), fresh process")
    print(f"  forward {fwd} s, backward {bwd} s, total {float(fwd) + float(bwd):.2f} s, peak RSS {peak} MiB "
          f"(x.grad = {grad})")


def main() -> None:
    per_op((16,))
    per_op((64, 64))
    micrograd_demo()
    deep_chain()


if __name__ == "__main__":
    main()
