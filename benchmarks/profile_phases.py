"""Where the time of one training step goes, phase by phase, next to hand-written numpy (issue 11).

For the softmax-regression step (batch 128 of 784 float32 features, 10 classes) and the SwiGLU
FeedForward step (dim 256, hidden 704, batch 512, MSE), each phase — taking the batch, forward,
loss, zero_grad, backward, optimizer step, freeing the graph — is timed in CPU time, one step of
ours and one step of numpy in turn, and the median of each phase is printed with the difference.
A clock read costs the same in both, so the differences are the framework's overhead.

Run: ``.venv/bin/python -m benchmarks.profile_phases [steps]`` (default 400 steps each).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

import tinygrad_cn.functional as F
from benchmarks.bench_softmax_regression import BATCH, D, K, make_data
from benchmarks.common import blas_threads
from tinygrad_cn import nn, optim

clock = time.process_time
PHASES = ("batch", "forward", "loss", "zero_grad", "backward", "step", "free")


class Phases:
    """Accumulates the time since the previous mark under a phase name."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {p: [] for p in PHASES}
        self.t = 0.0

    def start(self) -> None:
        self.t = clock()

    def mark(self, phase: str) -> None:
        t = clock()
        self.times[phase].append(t - self.t)
        self.t = t


def softmax_steps(steps: int) -> tuple[Callable[[Phases, int], None], Callable[[Phases, int], None]]:
    X, y = make_data(BATCH * 64)
    model = nn.Linear(D, K, generator=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    W, b = model.weight.data.copy(), model.bias.data.copy()
    n_batches = len(X) // BATCH

    def ours(ph: Phases, i: int) -> None:
        ph.start()
        s = (i % n_batches) * BATCH
        xb, yb = X[s : s + BATCH][::-1], y[s : s + BATCH][::-1]  # a view, as X[idx] is a copy: both give a fresh batch
        xb = np.ascontiguousarray(xb)
        ph.mark("batch")
        z = model(xb)
        ph.mark("forward")
        loss = F.cross_entropy(z, yb)
        ph.mark("loss")
        opt.zero_grad()
        ph.mark("zero_grad")
        loss.backward()
        ph.mark("backward")
        opt.step()
        ph.mark("step")
        del z, loss
        ph.mark("free")

    def numpy_(ph: Phases, i: int) -> None:
        ph.start()
        s = (i % n_batches) * BATCH
        xb, yb = X[s : s + BATCH][::-1], y[s : s + BATCH][::-1]
        xb = np.ascontiguousarray(xb)
        ph.mark("batch")
        rows = np.arange(len(yb))
        z = xb @ W.T
        z += b
        ph.mark("forward")
        z -= z.max(axis=1, keepdims=True)
        picked = z[rows, yb]
        np.exp(z, out=z)
        sm = z.sum(axis=1, keepdims=True)
        float(np.mean(np.log(sm[:, 0]) - picked))
        ph.mark("loss")
        ph.mark("zero_grad")
        z /= sm
        z[rows, yb] -= 1
        z *= 1.0 / len(yb)
        gW, gb = z.T @ xb, z.sum(axis=0)
        ph.mark("backward")
        W.__isub__(0.1 * gW)
        b.__isub__(0.1 * gb)
        ph.mark("step")
        del z, gW, gb
        ph.mark("free")

    return ours, numpy_


def ffn_steps(steps: int) -> tuple[Callable[[Phases, int], None], Callable[[Phases, int], None]]:
    from benchmarks.bench_ffn import BATCH as FB
    from benchmarks.bench_ffn import DIM, LR, MULTIPLE_OF

    rng = np.random.default_rng(0)
    x = rng.standard_normal((FB, DIM), dtype=np.float32)
    t = rng.standard_normal((FB, DIM), dtype=np.float32)
    ffn = nn.FeedForward(DIM, multiple_of=MULTIPLE_OF, generator=0)
    opt = optim.SGD(ffn.parameters(), lr=LR)
    W1, W2, W3 = (m.weight.data.copy() for m in (ffn.w1, ffn.w2, ffn.w3))

    def ours(ph: Phases, i: int) -> None:
        ph.start()
        ph.mark("batch")
        y = ffn(x)
        ph.mark("forward")
        loss = F.mse_loss(y, t)
        loss.item()
        ph.mark("loss")
        opt.zero_grad()
        ph.mark("zero_grad")
        loss.backward()
        ph.mark("backward")
        opt.step()
        ph.mark("step")
        del y, loss
        ph.mark("free")

    def numpy_(ph: Phases, i: int) -> None:
        ph.start()
        ph.mark("batch")
        a = x @ W1.T
        c = x @ W3.T
        s = 1 / (1 + np.exp(-a))
        silu = a * s
        h = silu * c
        y = h @ W2.T
        ph.mark("forward")
        d = y - t
        float((d * d).mean())
        ph.mark("loss")
        ph.mark("zero_grad")
        gy = d * (2 / d.size)
        gW2 = gy.T @ h
        gh = gy @ W2
        ga = gh * c * (s * (1 + a * (1 - s)))
        gc_ = gh * silu
        gW1, gW3 = ga.T @ x, gc_.T @ x
        ph.mark("backward")
        W1.__isub__(LR * gW1)
        W2.__isub__(LR * gW2)
        W3.__isub__(LR * gW3)
        ph.mark("step")
        del a, c, s, silu, h, y, d, gy, gW2, gh, ga, gc_, gW1, gW3
        ph.mark("free")

    return ours, numpy_


def run(title: str, make: Callable, steps: int, unit: float = 1e6, uname: str = "us") -> None:
    ours, numpy_ = make(steps)
    po, pn = Phases(), Phases()
    for i in range(5):  # warm up
        ours(po, i)
        numpy_(pn, i)
    po, pn = Phases(), Phases()
    gc.collect()
    for i in range(steps):  # the same batch for both; who goes first (and finds it in cache) alternates
        if i % 2:
            ours(po, i)
            numpy_(pn, i)
        else:
            numpy_(pn, i)
            ours(po, i)
    print(f"\n## {title}: median per step over {steps} interleaved steps (CPU time, {uname}; {blas_threads()})")
    print(f"  {'phase':<10} {'numpy':>9} {'tinygrad_cn':>12} {'difference':>11}")
    tot_o = tot_n = 0.0
    for p in PHASES:
        mo, mn = statistics.median(po.times[p]) * unit, statistics.median(pn.times[p]) * unit
        tot_o, tot_n = tot_o + mo, tot_n + mn
        print(f"  {p:<10} {mn:9.1f} {mo:12.1f} {mo - mn:+11.1f}")
    print(f"  {'sum':<10} {tot_n:9.1f} {tot_o:12.1f} {tot_o - tot_n:+11.1f}   ratio {tot_o / tot_n:.2f}")


def main(steps: int = 400) -> None:
    run("softmax regression step (batch 128, 784 → 10, cross_entropy, SGD)", softmax_steps, steps)
    run("SwiGLU FeedForward step (dim 256, hidden 704, batch 512, MSE, SGD)", ffn_steps, max(steps // 4, 20), 1e3, "ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
