"""A tiny LLaMA-style language model, built only from tinygrad_cn's own ops (the capstone).

    tokens (batch, seq)                      integers, one per character
    h = tok_embeddings(tokens)               Embedding: one row per character (one-hot · W)
    h = layers[i](h)   for each layer        TransformerBlock: h + attention(norm(h)), then
                                             h + feed_forward(norm(h)), the notes' SwiGLU FFN
    logits = output(norm(h))                 Linear dim → vocab: softmax regression on every position

Trained with the notes' cross-entropy between the next character and softmax(logits); its
exponential e^H is the perplexity. Parameter names follow Meta's llama (``tok_embeddings.weight``,
``layers.0.attention.wq.weight``, ``layers.0.feed_forward.w1.weight``, ``norm.weight``, ...).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import functional as F
from .. import nn, optim
from ..data.corpora import random_windows
from ..data.tokenizer import CharTokenizer
from ..engine import ShapeError, Value, no_grad
from ..engine.errors import check_positive_int
from ..nn.embedding import check_indices
from ..serialization import load, save

__all__ = ["TinyLlama", "load_llama", "save_llama", "train_language_model"]


class TinyLlama(nn.Module):
    """``TinyLlama(vocab_size, dim=64, n_layers=2, n_heads=4, multiple_of=32, max_seq_len=128, seed=0)``.

    ``model(tokens)`` takes (batch, seq) integer tokens (seq ≤ ``max_seq_len``) and returns
    (batch, seq, vocab_size) logits; it is causal: the logits at position t never depend on tokens
    after t. ``model.generate(prompt_tokens, max_new_tokens, temperature=1.0, seed=None)`` samples
    a continuation. Parameters are float32 unless ``dtype`` says otherwise; ``seed`` fixes them.

    >>> import numpy as np
    >>> from tinygrad_cn.models import TinyLlama
    >>> model = TinyLlama(vocab_size=10, dim=16, n_layers=1, n_heads=2, multiple_of=8)
    >>> model(np.array([[1, 2, 3]])).shape
    (1, 3, 10)
    >>> [name for name, _ in model.named_parameters()][:3]
    ['tok_embeddings.weight', 'layers.0.attention.wq.weight', 'layers.0.attention.wk.weight']
    >>> model.generate(np.array([1, 2]), max_new_tokens=4, seed=0).shape   # the prompt, then 4 tokens
    (6,)
    """

    def __init__(
        self,
        vocab_size: int,
        dim: int = 64,
        n_layers: int = 2,
        n_heads: int = 4,
        multiple_of: int = 32,
        max_seq_len: int = 128,
        seed: int | None = 0,
        *,
        norm_eps: float = 1e-5,
        dtype: np.dtype | type = np.float32,
    ) -> None:
        self.vocab_size = check_positive_int(vocab_size, "vocab_size", "TinyLlama")
        self.dim = check_positive_int(dim, "dim", "TinyLlama")
        self.n_layers = check_positive_int(n_layers, "n_layers", "TinyLlama")
        self.n_heads = check_positive_int(n_heads, "n_heads", "TinyLlama")
        self.multiple_of = check_positive_int(multiple_of, "multiple_of", "TinyLlama")
        self.max_seq_len = check_positive_int(max_seq_len, "max_seq_len", "TinyLlama")
        if dim % n_heads:
            raise ValueError(
                f"TinyLlama: n_heads = {n_heads} does not divide dim = {dim} (each head gets dim / n_heads features)"
            )
        rng = np.random.default_rng(seed)
        self.tok_embeddings = nn.Embedding(vocab_size, dim, dtype=dtype, generator=rng)
        self.layers = [
            nn.TransformerBlock(dim, n_heads, multiple_of, norm_eps, layer_id=i, dtype=dtype, generator=rng)
            for i in range(n_layers)
        ]
        self.norm = nn.RMSNorm(dim, eps=norm_eps, dtype=dtype)
        self.output = nn.Linear(dim, vocab_size, bias=False, dtype=dtype, generator=rng)

    def forward(self, tokens: Any) -> Value:
        shape = np.shape(tokens)
        if len(shape) != 2:
            raise ShapeError(f"TinyLlama: tokens must have shape (batch, seq), got {shape} (for one sequence use x[None])")
        if not 0 < shape[1] <= self.max_seq_len:
            raise ShapeError(f"TinyLlama: sequence length {shape[1]} must be between 1 and max_seq_len = {self.max_seq_len}")
        h = self.tok_embeddings(tokens)
        for layer in self.layers:
            h = layer(h)
        return self.output(self.norm(h))

    def loss(self, inputs: Any, targets: Any) -> Value:
        """Mean cross-entropy (nats per character) of predicting ``targets`` (batch, seq) from ``inputs``."""
        logits = self(inputs)
        targets = np.asarray(targets)
        if targets.shape != np.shape(inputs):
            raise ShapeError(f"TinyLlama.loss: targets of shape {targets.shape} must match the inputs {np.shape(inputs)}")
        return F.cross_entropy(logits.reshape(-1, self.vocab_size), targets.reshape(-1))

    def generate(
        self,
        prompt_tokens: Any,
        max_new_tokens: int,
        temperature: float = 1.0,
        seed: int | None = None,
        top_k: int | None = None,
    ) -> np.ndarray:
        """The prompt followed by ``max_new_tokens`` sampled tokens (same ndim as the prompt: (seq,) or
        (batch, seq)). Each new token is drawn from softmax(logits / temperature) of the last position
        (only the ``top_k`` most likely ones when given); ``temperature=0`` picks the most likely token.
        The same ``seed`` gives the same tokens. The context is cut to the last ``max_seq_len`` tokens.
        """
        toks = np.asarray(prompt_tokens)
        one = toks.ndim == 1
        if toks.ndim not in (1, 2) or toks.shape[-1] == 0:
            raise ShapeError(
                f"TinyLlama.generate: prompt_tokens must be a non-empty (seq,) or (batch, seq) array, got {toks.shape}"
            )
        if one:
            toks = toks[None]
        toks = check_indices(toks, self.vocab_size, "TinyLlama.generate")
        if not isinstance(max_new_tokens, (int, np.integer)) or isinstance(max_new_tokens, bool) or max_new_tokens < 0:
            raise ValueError(f"TinyLlama.generate: max_new_tokens must be an int >= 0, got {max_new_tokens!r}")
        if not (isinstance(temperature, (int, float)) and math.isfinite(temperature) and temperature >= 0):
            raise ValueError(f"TinyLlama.generate: temperature must be a finite number >= 0, got {temperature!r}")
        if top_k is not None and (not isinstance(top_k, (int, np.integer)) or top_k < 1):
            raise ValueError(f"TinyLlama.generate: top_k must be a positive int or None, got {top_k!r}")
        rng = np.random.default_rng(seed)
        with no_grad():
            for _ in range(int(max_new_tokens)):
                logits = self(toks[:, -self.max_seq_len :]).data[:, -1, :].astype(np.float64)
                if temperature == 0:
                    nxt = logits.argmax(axis=-1)
                else:
                    z = logits / temperature
                    if top_k is not None and top_k < z.shape[-1]:
                        kth = np.partition(z, -top_k, axis=-1)[:, -top_k, None]
                        z = np.where(z < kth, -np.inf, z)
                    p = np.exp(z - z.max(axis=-1, keepdims=True))
                    cdf = np.cumsum(p, axis=-1)
                    u = rng.random((len(toks), 1)) * cdf[:, -1:]
                    nxt = np.minimum((cdf <= u).sum(axis=-1), self.vocab_size - 1)  # inverse-CDF sampling
                toks = np.concatenate([toks, nxt[:, None].astype(toks.dtype)], axis=1)
        return toks[0] if one else toks

    def extra_repr(self) -> str:
        return f"vocab_size={self.vocab_size}, dim={self.dim}, n_layers={self.n_layers}, n_heads={self.n_heads}"


def train_language_model(
    model: TinyLlama,
    ids: np.ndarray,
    steps: int,
    batch_size: int = 16,
    seq_len: int = 64,
    lr: float = 3e-3,
    seed: int = 0,
    log_every: int = 50,
    on_log: Callable[[int, float], None] | None = None,
    optimizer: optim.Optimizer | None = None,
    on_step: Callable[[int, float], None] | None = None,
) -> list[float]:
    """Train ``model`` to predict the next token of ``ids`` (a 1-D token array) with Adam.

    Each step draws ``batch_size`` random windows of ``seq_len + 1`` tokens (seeded by ``seed``):
    inputs are the first ``seq_len``, targets the last ``seq_len`` (the same, shifted by one).
    Returns the mean training loss of each interval of ``log_every`` steps (nats per token);
    ``on_log(step, loss)`` is called with each of them, ``on_step(step, loss)`` after every step
    (for a progress bar or a print).

    >>> import numpy as np
    >>> from tinygrad_cn.models import TinyLlama, train_language_model
    >>> ids = np.tile(np.arange(5), 40)                         # 0 1 2 3 4 0 1 2 ...: easy to predict
    >>> model = TinyLlama(5, dim=16, n_layers=1, n_heads=2, multiple_of=8, max_seq_len=16)
    >>> hist = train_language_model(model, ids, steps=40, batch_size=4, seq_len=8, lr=1e-2, log_every=10)
    >>> len(hist), bool(hist[-1] < 0.05 < np.log(5))              # far below guessing (ln 5 = 1.61)
    (4, True)
    """
    steps = check_positive_int(steps, "steps", "train_language_model")
    log_every = check_positive_int(log_every, "log_every", "train_language_model")
    if seq_len > model.max_seq_len:
        raise ValueError(
            f"train_language_model: seq_len = {seq_len} is longer than the model's max_seq_len = {model.max_seq_len}"
        )
    opt = optimizer if optimizer is not None else optim.Adam(model.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    history: list[float] = []
    total, count = 0.0, 0
    for step in range(1, steps + 1):
        x, y = random_windows(ids, batch_size, seq_len, rng)
        loss = model.loss(x, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        value = loss.item()
        if not math.isfinite(value):
            raise FloatingPointError(f"train_language_model: the loss became {value} at step {step}; lower the learning rate")
        total, count = total + value, count + 1
        if on_step is not None:
            on_step(step, value)
        if step % log_every == 0 or step == steps:
            history.append(total / count)
            if on_log is not None:
                on_log(step, total / count)
            total, count = 0.0, 0
    return history


_CONFIG = "llama.config"  # vocab_size, dim, n_layers, n_heads, multiple_of, max_seq_len, norm_eps
_VOCAB = "tokenizer.codepoints"


def save_llama(path: Any, model: TinyLlama, tokenizer: CharTokenizer) -> None:
    """Save the model's parameters, its sizes and the tokenizer's vocabulary in one ``.npz`` file
    (with ``tg.save``: arrays only, written atomically); :func:`load_llama` reads it back."""
    if tokenizer.vocab_size != model.vocab_size:
        raise ValueError(f"save_llama: the tokenizer has {tokenizer.vocab_size} characters, the model {model.vocab_size}")
    eps = model.norm.eps
    config = np.array([model.vocab_size, model.dim, model.n_layers, model.n_heads, model.multiple_of,
                       model.max_seq_len, eps], dtype=np.float64)
    save({**model.state_dict(), _CONFIG: config, _VOCAB: tokenizer.to_array()}, path)


def load_llama(path: Any) -> tuple[TinyLlama, CharTokenizer]:
    """``(model, tokenizer)`` from a file written by :func:`save_llama` (its logits are identical).

    >>> import os, tempfile, numpy as np
    >>> from tinygrad_cn.data import CharTokenizer
    >>> tok = CharTokenizer().fit("春夏秋冬")
    >>> model = TinyLlama(tok.vocab_size, dim=8, n_layers=1, n_heads=2, multiple_of=8)
    >>> path = os.path.join(tempfile.mkdtemp(), "llama.npz")
    >>> save_llama(path, model, tok)
    >>> model2, tok2 = load_llama(path)
    >>> x = tok.encode("春夏")[None]
    >>> bool((model2(x).data == model(x).data).all()), tok2.chars == tok.chars
    (True, True)
    """
    state = load(path)
    if _CONFIG not in state or _VOCAB not in state:
        raise ValueError(f"load_llama: {os.fspath(path)!r} is not a TinyLlama checkpoint (no {_CONFIG!r} / {_VOCAB!r}; "
                         "write one with save_llama or `tinygrad-cn train llama --save`)")
    cfg = state.pop(_CONFIG)
    tokenizer = CharTokenizer.from_array(state.pop(_VOCAB))
    if cfg.shape != (7,):
        raise ValueError(f"load_llama: {_CONFIG!r} has shape {cfg.shape}, expected (7,)")
    vocab, dim, n_layers, n_heads, multiple_of, max_seq_len = (int(v) for v in cfg[:6])
    dtype = state["tok_embeddings.weight"].dtype if "tok_embeddings.weight" in state else np.float32
    model = TinyLlama(vocab, dim, n_layers, n_heads, multiple_of, max_seq_len, seed=None, norm_eps=float(cfg[6]),
                      dtype=dtype)
    model.load_state_dict(state)
    return model, tokenizer
