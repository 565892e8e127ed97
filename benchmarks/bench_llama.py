"""One training step of the tiny LLaMA (issue 14): tokens per second, against numpy by hand.

``TinyLlama(vocab, dim=64, n_layers=2, n_heads=4, multiple_of=32)`` on the notes-zh corpus (662
characters), a batch of 16 windows of 64 characters (1,024 tokens per step), cross-entropy, Adam.
Contenders, interleaved in one run:
- numpy by hand: the same model's forward and its backward written out (embedding, RMSNorm, RoPE,
  causal softmax attention, SwiGLU FFN, residuals, output layer, cross-entropy), Adam's update;
- tinygrad_cn: ``model.loss(x, y)``, ``loss.backward()``, ``optim.Adam.step()``.
Goal from the issue: tinygrad_cn ≤ 1.2 × numpy by hand. Also reported: the peak memory of one step
(tracemalloc, which sees numpy's allocations) and the wall time of the test suite's training run.

OpenBLAS's thread pool makes the figures jumpy on a busy shared machine; compare with
``OPENBLAS_NUM_THREADS=1`` (the setting is printed with the results).

Run: ``.venv/bin/python -m benchmarks.bench_llama``.
"""

from __future__ import annotations

import gc
import math
import os
import statistics
import time
import tracemalloc

import numpy as np

from tinygrad_cn import data, optim
from tinygrad_cn.models import TinyLlama, train_language_model
from tinygrad_cn.nn.rope import rope_angles

DIM, LAYERS, HEADS, MULTIPLE_OF, SEQ, BATCH, LR = 64, 2, 4, 32, 64, 16, 3e-3
EPS_NORM, B1, B2, EPS_ADAM = 1e-5, 0.9, 0.999, 1e-8


# ---- the same model by hand --------------------------------------------------------------------
def rms(x, w):
    r = 1.0 / np.sqrt(np.einsum("...i,...i->...", x, x)[..., None] / x.shape[-1] + EPS_NORM)
    n = x * r
    return n * w, (r, n)


def rms_back(g, w, cache):
    r, n = cache
    gw = g * w
    gx = r * (gw - n * (gw * n).mean(-1, keepdims=True))
    return gx, (g * n).reshape(-1, n.shape[-1]).sum(0)


def rope(x, cos, sin):
    out = np.empty_like(x)
    xe, xo = x[..., 0::2], x[..., 1::2]
    out[..., 0::2] = xe * cos - xo * sin
    out[..., 1::2] = xe * sin + xo * cos
    return out


def wgrad(g, x):
    """∂L/∂W for y = x Wᵀ: gᵀ x over all samples."""
    return g.reshape(-1, g.shape[-1]).T @ x.reshape(-1, x.shape[-1])


class NumpyLlama:
    """Forward, backward and Adam for TinyLlama's parameters (a dict of float32 arrays, Meta's names)."""

    def __init__(self, state: dict[str, np.ndarray]) -> None:
        self.p = {k: v.copy() for k, v in state.items()}
        self.m = {k: np.zeros_like(v) for k, v in self.p.items()}
        self.v = {k: np.zeros_like(v) for k, v in self.p.items()}
        self.t = 0
        hd = DIM // HEADS
        theta = rope_angles(SEQ, hd)[:, None, :]
        self.cos, self.sin = np.cos(theta).astype(np.float32), np.sin(theta).astype(np.float32)
        self.bias = np.where(np.tril(np.ones((SEQ, SEQ), bool)), 0.0, -np.inf).astype(np.float32)

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        p, B, S, H, hd = self.p, x.shape[0], x.shape[1], HEADS, DIM // HEADS
        scale = 1.0 / math.sqrt(hd)
        grads: dict[str, np.ndarray] = {}
        h = p["tok_embeddings.weight"][x]
        caches = []
        for i in range(LAYERS):
            L = f"layers.{i}."
            a, c1 = rms(h, p[L + "attention_norm.weight"])
            q = rope((a @ p[L + "attention.wq.weight"].T).reshape(B, S, H, hd), self.cos, self.sin).transpose(0, 2, 1, 3)
            k = rope((a @ p[L + "attention.wk.weight"].T).reshape(B, S, H, hd), self.cos, self.sin).transpose(0, 2, 1, 3)
            v = (a @ p[L + "attention.wv.weight"].T).reshape(B, S, H, hd).transpose(0, 2, 1, 3)
            s = q @ k.transpose(0, 1, 3, 2)
            s *= scale
            s += self.bias
            s -= s.max(-1, keepdims=True)
            P = np.exp(s, out=s)
            P /= P.sum(-1, keepdims=True)
            o = (P @ v).transpose(0, 2, 1, 3).reshape(B, S, DIM)
            h2 = h + o @ p[L + "attention.wo.weight"].T
            b, c2 = rms(h2, p[L + "ffn_norm.weight"])
            u = b @ p[L + "feed_forward.w1.weight"].T
            z = b @ p[L + "feed_forward.w3.weight"].T
            sg = 1.0 / (1.0 + np.exp(-u))
            su = u * sg
            mm = su * z
            h3 = h2 + mm @ p[L + "feed_forward.w2.weight"].T
            caches.append((h, a, c1, q, k, v, P, o, h2, b, c2, u, z, sg, su, mm))
            h = h3
        c, cf = rms(h, p["norm.weight"])
        logits = c @ p["output.weight"].T
        lg = logits.reshape(-1, logits.shape[-1])
        lg = lg - lg.max(-1, keepdims=True)
        e = np.exp(lg)
        se = e.sum(-1, keepdims=True)
        tgt = y.reshape(-1)
        rows = np.arange(len(tgt))
        loss = float((np.log(se[:, 0]) - lg[rows, tgt]).mean())
        # backward: cross-entropy, output layer, final norm
        dl = e / se
        dl[rows, tgt] -= 1
        dl /= len(tgt)
        dl = dl.reshape(logits.shape)
        grads["output.weight"] = wgrad(dl, c)
        dc = dl @ p["output.weight"]
        dh, grads["norm.weight"] = rms_back(dc, p["norm.weight"], cf)
        for i in reversed(range(LAYERS)):
            L = f"layers.{i}."
            h, a, c1, q, k, v, P, o, h2, b, c2, u, z, sg, su, mm = caches[i]
            # FFN: h3 = h2 + W2(silu(W1 b) ⊙ W3 b)
            grads[L + "feed_forward.w2.weight"] = wgrad(dh, mm)
            dm = dh @ p[L + "feed_forward.w2.weight"]
            du = dm * z * (sg + su * (1 - sg))
            dz = dm * su
            grads[L + "feed_forward.w1.weight"] = wgrad(du, b)
            grads[L + "feed_forward.w3.weight"] = wgrad(dz, b)
            db = du @ p[L + "feed_forward.w1.weight"] + dz @ p[L + "feed_forward.w3.weight"]
            dx, grads[L + "ffn_norm.weight"] = rms_back(db, p[L + "ffn_norm.weight"], c2)
            dh2 = dh + dx
            # attention: h2 = h + Wo·attn
            grads[L + "attention.wo.weight"] = wgrad(dh2, o)
            do = (dh2 @ p[L + "attention.wo.weight"]).reshape(B, S, H, hd).transpose(0, 2, 1, 3)
            dv = P.transpose(0, 1, 3, 2) @ do
            dP = do @ v.transpose(0, 1, 3, 2)
            ds = P * (dP - (dP * P).sum(-1, keepdims=True))
            dq = (ds @ k) * scale
            dk = (ds.transpose(0, 1, 3, 2) @ q) * scale
            dq = rope(dq.transpose(0, 2, 1, 3), self.cos, -self.sin).reshape(B, S, DIM)
            dk = rope(dk.transpose(0, 2, 1, 3), self.cos, -self.sin).reshape(B, S, DIM)
            dv = dv.transpose(0, 2, 1, 3).reshape(B, S, DIM)
            grads[L + "attention.wq.weight"] = wgrad(dq, a)
            grads[L + "attention.wk.weight"] = wgrad(dk, a)
            grads[L + "attention.wv.weight"] = wgrad(dv, a)
            da = dq @ p[L + "attention.wq.weight"] + dk @ p[L + "attention.wk.weight"] + dv @ p[L + "attention.wv.weight"]
            dx, grads[L + "attention_norm.weight"] = rms_back(da, p[L + "attention_norm.weight"], c1)
            dh = dh2 + dx
        ge = np.zeros_like(p["tok_embeddings.weight"])
        np.add.at(ge, x, dh)
        grads["tok_embeddings.weight"] = ge
        # Adam, as torch
        self.t += 1
        t = self.t
        for name, g in grads.items():
            m, vv = self.m[name], self.v[name]
            m += (1 - B1) * (g - m)
            vv *= B2
            vv += (1 - B2) * (g * g)
            denom = np.sqrt(vv) / math.sqrt(1 - B2**t)
            denom += EPS_ADAM
            p[name] -= (LR / (1 - B1**t)) * (m / denom)
        return loss


def tinygrad_step(model: TinyLlama, opt: optim.Adam, x: np.ndarray, y: np.ndarray) -> float:
    loss = model.loss(x, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def peak_mib(fn) -> float:
    fn()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    text = data.load_text("notes-zh")
    tok = data.CharTokenizer().fit(text)
    ids = tok.encode(text)
    model = TinyLlama(tok.vocab_size, dim=DIM, n_layers=LAYERS, n_heads=HEADS, multiple_of=MULTIPLE_OF, max_seq_len=SEQ)
    opt = optim.Adam(model.parameters(), lr=LR)
    ref = NumpyLlama(model.state_dict())
    x, y = data.random_windows(ids, BATCH, SEQ, rng=0)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")

    # correctness first: three steps each from the same weights give the same loss and weights
    losses = [(ref.step(x, y), tinygrad_step(model, opt, x, y)) for _ in range(3)]
    err = max(float(np.abs(ref.p[k] - v.data).max()) for k, v in model.named_parameters())
    print(f"vocab {tok.vocab_size}, {sum(v.size for v in ref.p.values()):,} parameters; losses (numpy, tinygrad_cn): "
          + ", ".join(f"({a:.5f}, {b:.5f})" for a, b in losses) + f"; max |W − W_numpy| after 3 steps: {err:.1e}")

    rounds, inner = 15, 3
    times: dict[str, list[float]] = {"numpy by hand": [], "tinygrad_cn": []}
    fns = {"numpy by hand": lambda: ref.step(x, y), "tinygrad_cn": lambda: tinygrad_step(model, opt, x, y)}
    for r in range(rounds):  # interleaved: each round times both (in alternating order), so noise hits both alike
        for name in (list(fns) if r % 2 == 0 else list(fns)[::-1]):
            gc.collect()
            t0 = time.perf_counter()
            for _ in range(inner):
                fns[name]()
            times[name].append((time.perf_counter() - t0) / inner)
    ratios = [a / b for a, b in zip(times["tinygrad_cn"], times["numpy by hand"])]
    tokens = BATCH * SEQ
    print(f"\n## TinyLlama training step: dim {DIM}, {LAYERS} layers, {HEADS} heads, seq {SEQ}, batch {BATCH} "
          f"({tokens} tokens), Adam (OPENBLAS_NUM_THREADS={threads})")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:<14} median {med * 1e3:7.1f} ms/step ({tokens / med:7,.0f} tokens/s), "
              f"best {min(ts) * 1e3:7.1f} ms/step ({tokens / min(ts):7,.0f} tokens/s)")
    print(f"  ratio tinygrad_cn / numpy by hand: median {statistics.median(ratios):.2f}x "
          f"(min {min(ratios):.2f}x, max {max(ratios):.2f}x over {rounds} interleaved rounds of {inner} steps each); "
          f"ratio of the best times {min(times['tinygrad_cn']) / min(times['numpy by hand']):.2f}x")
    print(f"  peak memory of one step: numpy by hand {peak_mib(fns['numpy by hand']):.1f} MiB, "
          f"tinygrad_cn {peak_mib(fns['tinygrad_cn']):.1f} MiB (tracemalloc)")

    # the test suite's training run (tests/test_llama.py), timed here since tests never assert timings
    small = TinyLlama(tok.vocab_size, dim=32, n_layers=1, n_heads=2, multiple_of=16, max_seq_len=32, seed=0)
    t0 = time.perf_counter()
    hist = train_language_model(small, ids, steps=120, batch_size=8, seq_len=24, lr=1e-2, seed=0, log_every=30)
    print(f"\n## The test suite's training run (dim 32, 1 layer, 120 steps of 8×24 tokens): "
          f"{time.perf_counter() - t0:.1f} s; loss per 30 steps {[round(h, 2) for h in hist]}, "
          f"unigram entropy {data.unigram_entropy(ids):.3f} nats")


if __name__ == "__main__":
    main()
