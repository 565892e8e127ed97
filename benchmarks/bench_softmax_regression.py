"""Softmax regression, one epoch of minibatch SGD over an MNIST-sized synthetic set (issue 4).

60,000 × 784 float32 inputs, 10 classes, batch 128, SGD lr 0.1. Contenders, interleaved in one run:
- numpy by hand: the same epoch with the gradient written out (softmax − one-hot), the floor;
- tinygrad_cn: ``nn.Linear`` + ``F.cross_entropy`` + ``optim.SGD``, the loop a learner writes;
- SoftmaxRegression.fit: the estimator (one epoch), its own batches and label encoding included.
Target from the issue: tinygrad_cn ≤ 1.2 × numpy by hand.

numpy's BLAS runs on one thread (``benchmarks/__init__.py``; ``BENCH_BLAS_THREADS=n`` to change it).

Run: ``.venv/bin/python -m benchmarks.bench_softmax_regression`` (``--quick`` for a smaller set).
"""

from __future__ import annotations

import statistics
import sys

import numpy as np

import tinygrad_cn.functional as F
from benchmarks.common import interleave, report
from tinygrad_cn import nn, optim
from tinygrad_cn.models import SoftmaxRegression

N, D, K, BATCH, LR = 60_000, 784, 10, 128, 0.1


def make_data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian inputs labelled by a random linear teacher (so there is something to learn)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, D), dtype=np.float32)
    teacher = rng.standard_normal((D, K), dtype=np.float32)
    y = (X @ teacher).argmax(axis=1)
    return X, y


def epoch_numpy(X: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray, order: np.ndarray) -> None:
    """One epoch by hand: z = xWᵀ + b, the loss −mean log softmax(z)[y] (a training loop reports it,
    and tinygrad_cn computes it), ∂L/∂z = (softmax(z) − onehot(y))/B, in place updates."""
    for start in range(0, len(order), BATCH):
        idx = order[start : start + BATCH]
        xb, yb = X[idx], y[idx]
        rows = np.arange(len(yb))
        z = xb @ W.T
        z += b
        z -= z.max(axis=1, keepdims=True)
        picked = z[rows, yb]
        np.exp(z, out=z)
        s = z.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(s[:, 0]) - picked))  # noqa: F841 (the value a loop would print)
        z /= s  # p
        z[rows, yb] -= 1  # p − onehot
        z *= 1.0 / len(yb)  # ∂L/∂z for the mean loss
        W -= LR * (z.T @ xb)
        b -= LR * z.sum(axis=0)


def epoch_tinygrad(X: np.ndarray, y: np.ndarray, model: nn.Linear, opt: optim.SGD, order: np.ndarray) -> None:
    for start in range(0, len(order), BATCH):
        idx = order[start : start + BATCH]
        loss = F.cross_entropy(model(X[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()


def main(n: int = N) -> None:
    X, y = make_data(n)
    order = np.random.default_rng(1).permutation(n)
    model = nn.Linear(D, K, generator=0)
    W0, b0 = model.weight.data.copy(), model.bias.data.copy()

    # correctness first: the two epochs give the same weights
    W, b = W0.copy(), b0.copy()
    epoch_numpy(X, y, W, b, order)
    opt = optim.SGD(model.parameters(), lr=LR)
    epoch_tinygrad(X, y, model, opt, order)
    err = float(np.abs(model.weight.data - W).max())
    print(f"max |W_tinygrad − W_numpy| after one epoch: {err:.2e} (float32)")

    Wn, bn = W0.copy(), b0.copy()
    est = SoftmaxRegression(lr=LR, epochs=1, batch_size=BATCH, seed=0)
    med = interleave(
        {
            "numpy by hand": lambda: epoch_numpy(X, y, Wn, bn, order),
            "tinygrad_cn (Linear + F.cross_entropy + SGD)": lambda: epoch_tinygrad(X, y, model, opt, order),
            "SoftmaxRegression.fit(epochs=1)": lambda: est.fit(X, y),
        },
        rounds=7,
    )
    report(f"softmax regression: one epoch, {n}×{D} float32, {K} classes, batch {BATCH}, SGD lr {LR}",
           med, "numpy by hand", unit="ms")
    steps = -(-n // BATCH)
    ours = "tinygrad_cn (Linear + F.cross_entropy + SGD)"
    print(f"  per step ({steps} steps): numpy {statistics.median(med['numpy by hand']) / steps * 1e6:.1f} us, "
          f"tinygrad_cn {statistics.median(med[ours]) / steps * 1e6:.1f} us")
    print(f"  accuracy of the estimator after one epoch: {est.score(X[:5000], y[:5000]):.3f}")


if __name__ == "__main__":
    main(10_000 if "--quick" in sys.argv else N)
