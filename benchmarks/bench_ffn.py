"""One training step of the notes' SwiGLU FeedForward (issue 4).

``nn.FeedForward(256, multiple_of=64)`` (hidden width 704 by the notes' rule), a batch of 512,
MSE loss against a random target, plain SGD. Contenders, interleaved in one run:
- numpy by hand: forward, the backward written out (SiLU' = σ(a)(1 + a(1 − σ(a)))), update;
- tinygrad_cn: ``ffn(x)``, ``F.mse_loss``, ``loss.backward()``, ``optim.SGD.step()``.
Target from the issue: tinygrad_cn ≤ 1.05 × numpy by hand.

numpy's BLAS runs on one thread (``benchmarks/__init__.py``; ``BENCH_BLAS_THREADS=n`` to change it).

Run: ``.venv/bin/python -m benchmarks.bench_ffn``.
"""

from __future__ import annotations

import numpy as np

import tinygrad_cn.functional as F
from benchmarks.common import interleave, report
from tinygrad_cn import nn, optim

DIM, MULTIPLE_OF, BATCH, LR = 256, 64, 512, 0.01


def step_numpy(x: np.ndarray, t: np.ndarray, W1: np.ndarray, W2: np.ndarray, W3: np.ndarray) -> float:
    """y = W2(silu(W1 x) ⊙ W3 x), L = mean((y − t)²), then W ← W − lr·∂L/∂W, all by hand."""
    a = x @ W1.T
    c = x @ W3.T
    s = 1 / (1 + np.exp(-a))  # σ(a)
    silu = a * s
    h = silu * c
    y = h @ W2.T
    d = y - t
    loss = float((d * d).mean())
    gy = d * (2 / d.size)  # ∂L/∂y
    gW2 = gy.T @ h
    gh = gy @ W2
    ga = gh * c * (s * (1 + a * (1 - s)))  # silu'(a) = σ(a)(1 + a(1 − σ(a)))
    gc = gh * silu
    gW1 = ga.T @ x
    gW3 = gc.T @ x
    W1 -= LR * gW1
    W2 -= LR * gW2
    W3 -= LR * gW3
    return loss


def step_tinygrad(x: np.ndarray, t: np.ndarray, ffn: nn.FeedForward, opt: optim.SGD) -> float:
    loss = F.mse_loss(ffn(x), t)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, DIM), dtype=np.float32)
    t = rng.standard_normal((BATCH, DIM), dtype=np.float32)
    ffn = nn.FeedForward(DIM, multiple_of=MULTIPLE_OF, generator=0)
    opt = optim.SGD(ffn.parameters(), lr=LR)
    Ws = [ffn.w1.weight.data.copy(), ffn.w2.weight.data.copy(), ffn.w3.weight.data.copy()]

    # correctness first: three steps each from the same weights give the same weights
    for _ in range(3):
        step_numpy(x, t, *Ws)
        step_tinygrad(x, t, ffn, opt)
    err = max(float(np.abs(m.weight.data - W).max()) for m, W in zip((ffn.w1, ffn.w2, ffn.w3), Ws))
    print(f"hidden_dim = {ffn.hidden_dim}; max |W_tinygrad − W_numpy| after 3 steps: {err:.2e} (float32)")

    med = interleave(
        {
            "numpy by hand": lambda: step_numpy(x, t, *Ws),
            "tinygrad_cn (FeedForward + F.mse_loss + SGD)": lambda: step_tinygrad(x, t, ffn, opt),
        },
        rounds=15,
        inner=3,
    )
    report(f"SwiGLU FeedForward training step: dim {DIM}, hidden {ffn.hidden_dim}, batch {BATCH}, MSE, SGD",
           med, "numpy by hand", unit="ms")


if __name__ == "__main__":
    main()
