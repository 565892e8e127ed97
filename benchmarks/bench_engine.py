"""Engine overhead (issues 2 and 11): the cost of one op, per-op cost on a long chain, micrograd's
demo workload, and long scalar chains (time and peak memory, each in a fresh process).

Run: ``.venv/bin/python -m benchmarks.bench_engine`` (micrograd comes from the ``bench`` extra);
``--quick`` skips the two long chains.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import textwrap

import numpy as np

import tinygrad_cn as tg
from benchmarks.common import GC_OFF, interleave, report, spread

try:
    import micrograd.engine as mg_engine
    import micrograd.nn as mg_nn
except ImportError:  # the bench extra is not installed
    mg_engine = mg_nn = None

# ----------------------------------------------------------------------------- one op
OPS = 400  # ops per timed chain: y = y·w + b repeated (a mul and an add, both inputs Values)


def one_op_ours(x0: float | np.ndarray, w0: float | np.ndarray, b0: float | np.ndarray) -> None:
    x, w, b = tg.Value(x0), tg.Value(w0), tg.Value(b0)
    y = x
    for _ in range(OPS // 2):
        y = y * w + b
    y.backward(None if y.ndim == 0 else np.ones(y.shape))


def one_op_micrograd(x0: float, w0: float, b0: float) -> None:
    x, w, b = mg_engine.Value(x0), mg_engine.Value(w0), mg_engine.Value(b0)
    y = x
    for _ in range(OPS // 2):
        y = y * w + b
    y.backward()


def one_op_by_hand(x0: float | np.ndarray, w: float | np.ndarray, b: float | np.ndarray) -> None:
    """The same chain with its backward written out (floats, or numpy arrays): the floor."""
    y = x0
    saved = []
    for _ in range(OPS // 2):
        saved.append(y)
        y = y * w + b
    g = 1.0 if np.ndim(y) == 0 else np.ones_like(y)
    gw = gb = 0.0
    for s in reversed(saved):
        gb = gb + g
        gw = gw + g * s
        g = g * w


def one_op() -> None:
    """Forward + backward of one op (mean over a chain of mul and add), scalar and (16,)."""
    x0, w0, b0 = 0.3, 0.999, 0.001
    contenders = {
        "tinygrad_cn": lambda: one_op_ours(x0, w0, b0),
        "tinygrad_cn" + GC_OFF: lambda: one_op_ours(x0, w0, b0),
        "Python floats by hand": lambda: one_op_by_hand(x0, w0, b0),
    }
    baseline = "Python floats by hand"
    if mg_engine is not None:
        contenders["micrograd"] = lambda: one_op_micrograd(x0, w0, b0)
        contenders["micrograd" + GC_OFF] = lambda: one_op_micrograd(x0, w0, b0)
        baseline = "micrograd" + GC_OFF
    times = interleave(contenders, rounds=9, inner=5)
    report(f"one scalar op, forward + backward (a chain of {OPS} ops: y = y·w + b; w, b Values), per op",
           times, baseline, unit="us", per=OPS)

    rng = np.random.default_rng(0)
    xv, wv, bv = rng.standard_normal(16), 0.999 + 0.001 * rng.standard_normal(16), 0.001 * rng.standard_normal(16)
    times = interleave({
        "tinygrad_cn": lambda: one_op_ours(xv, wv, bv),
        "numpy by hand": lambda: one_op_by_hand(xv, wv, bv),
    }, rounds=9, inner=5)
    report(f"one op on shape (16,), forward + backward (the same chain of {OPS} ops), per op",
           times, "numpy by hand", unit="us", per=OPS)


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


def per_op(shape: tuple[int, ...] = (16,)) -> None:
    rng = np.random.default_rng(0)
    x0, c = rng.standard_normal(shape), rng.standard_normal(shape) * 0.5
    times = interleave({"tinygrad_cn": lambda: chain_ours(x0, c), "numpy by hand": lambda: chain_numpy(x0, c)}, rounds=9)
    report(f"per-op overhead: chain of {CHAIN} ops (mul by an array, add a number, tanh) on shape {shape}, "
           "forward+backward, per op", times, "numpy by hand", unit="us", per=CHAIN)
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
    Value = mg_engine.Value
    inputs = [list(map(Value, row)) for row in X.tolist()]
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
        "tinygrad_cn scalar Values" + GC_OFF: lambda: step_scalar_ours(scalar_model, X, y),
        "tinygrad_cn tensor Values": lambda: step_tensor_ours(tensor_model, X, y),
    }
    baseline = "tinygrad_cn scalar Values"
    if mg_nn is not None:
        random.seed(1337)
        mmodel = mg_nn.MLP(2, [16, 16, 1])
        contenders["micrograd"] = lambda: step_micrograd(mmodel, X, y)
        contenders["micrograd" + GC_OFF] = lambda: step_micrograd(mmodel, X, y)
        baseline = "micrograd" + GC_OFF
    else:
        print("\n(micrograd not installed: pip install -e '.[bench]' to compare)")
    times = interleave(contenders, rounds=5)
    report("micrograd demo: MLP(2,[16,16,1]), 100 moons, SVM loss + 1e-4 L2, one full-batch SGD step",
           times, baseline, unit="ms")


# ----------------------------------------------------------------------------- long chains
# Each in a fresh process: CPU time to build the graph, CPU time of backward, and how much the peak
# RSS grew from just before building to just after backward (ru_maxrss, KiB on Linux).
CHAINS = {
    "affine": ("x = x * 1.0001 + 0.0001", "y = y * 1.0001 + 0.0001"),
    "tanh": ("x = x.tanh()", "y = y.tanh()"),
}
LONG = textwrap.dedent(
    """
    import gc, resource, time
    import tinygrad_cn as tg
    n = {n}
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.process_time()
    x = tg.Value(0.5)
    y = x
    for _ in range(n):
        {step}
    t1 = time.process_time()
    y.backward()
    t2 = time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(t1 - t0, t2 - t1, (peak - before) / 1024, float(x.grad))
    """
)


def long_chain(kind: str, n: int, runs: int = 3) -> None:
    formula, step = CHAINS[kind]
    script = LONG.format(n=n, step=step)
    rows = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        rows.append([float(s) for s in out.stdout.split()])
    build, back, mem, grad = (list(col) for col in zip(*rows))
    total = [a + b for a, b in zip(build, back)]
    print(f"\n## chain `{formula}`, {n:,} iterations, fresh process each ({runs} runs; median [min–max])")
    print(f"  build {spread(build)} s, backward {spread(back)} s, total {spread(total)} s, "
          f"peak RSS +{spread(mem, fmt='.0f')} MiB  (x.grad = {statistics.median(grad):.4e})")


def main(quick: bool = False) -> None:
    one_op()
    per_op((16,))
    per_op((64, 64))
    micrograd_demo()
    if not quick:
        long_chain("affine", 500_000)
        long_chain("tanh", 1_000_000, runs=1)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
