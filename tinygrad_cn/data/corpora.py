"""Plain-text corpora for the tiny LLaMA, and windows of token ids to train a language model on.

See ``data/files/TEXT-CORPORA-README.txt`` for where each text comes from (all licence-clean).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import numpy as np

from ..engine.errors import check_positive_int
from .text import load_corpus

__all__ = ["load_text", "random_windows", "text_corpora", "unigram_entropy"]

# name -> (file, description zh, description en); reviews-* come from corpus.tsv
_CORPORA: dict[str, tuple[str | None, str, str]] = {
    "notes-zh": ("notes-zh.txt", "为本项目写的中文短句：四季与日常，以及笔记的主题（熵、分类器、激活函数、LLaMA）",
                 "Chinese sentences written for this project: seasons, everyday life and the notes' topics"),
    "daodejing": ("daodejing-excerpt.txt", "《道德经》第 1–9、11、33 章（公有领域）",
                  "Daodejing, chapters 1-9, 11 and 33 (public domain)"),
    "reviews-zh": (None, "内置语料 corpus.tsv 中的中文评论与短信（为本项目所写）",
                   "the Chinese reviews and messages of corpus.tsv (written for this project)"),
    "notes-en": ("notes-en.txt", "为本项目写的英文句子，主题同 notes-zh",
                 "English sentences written for this project, on the same topics as notes-zh"),
    "reviews-en": (None, "内置语料 corpus.tsv 中的英文评论与短信（为本项目所写）",
                   "the English reviews and messages of corpus.tsv (written for this project)"),
}


def text_corpora(lang: str | None = None) -> dict[str, str]:
    """The names of the bundled plain-text corpora, each with a one-line description in ``lang``
    (``"zh"`` default, or ``"en"``).

    >>> from tinygrad_cn import data
    >>> list(data.text_corpora())
    ['notes-zh', 'daodejing', 'reviews-zh', 'notes-en', 'reviews-en']
    """
    if lang not in (None, "zh", "en"):
        raise ValueError(f"text_corpora: lang must be 'zh' or 'en', got {lang!r}")
    i = 2 if lang == "en" else 1
    return {name: spec[i] for name, spec in _CORPORA.items()}


def load_text(name: str = "notes-zh") -> str:
    """The corpus ``name`` (one of :func:`text_corpora`) as one string, lines joined by newlines.

    >>> from tinygrad_cn import data
    >>> data.load_text("notes-zh")[:11]
    '春天来了，山上的花开了'
    """
    if name not in _CORPORA:
        raise ValueError(f"load_text: unknown corpus {name!r}; choose one of {list(_CORPORA)}")
    fname = _CORPORA[name][0]
    if fname is None:
        lang = name.rsplit("-", 1)[1]
        return "\n".join(r["text"] for r in load_corpus(lang=lang)) + "\n"
    return resources.files("tinygrad_cn.data").joinpath("files", fname).read_text(encoding="utf-8")


def unigram_entropy(ids: Any) -> float:
    """H = −Σ p(c) ln p(c) of the token frequencies p(c) in ``ids`` (nats): the cross-entropy of the
    best model that ignores context, which a language model must beat to have learned anything.

    >>> round(unigram_entropy([0, 1, 0, 1]), 4)        # two tokens, half and half: ln 2
    0.6931
    """
    arr = np.asarray(ids).reshape(-1)
    if arr.size == 0 or arr.dtype.kind not in "iu":
        raise ValueError(f"unigram_entropy: expected a non-empty integer array, got {arr.dtype} of size {arr.size}")
    counts = np.unique(arr, return_counts=True)[1]
    p = counts / arr.size
    return float(-(p * np.log(p)).sum())


def random_windows(
    ids: Any, batch_size: int, seq_len: int, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``(inputs, targets)``, each (batch_size, seq_len): random windows of the token array ``ids``,
    the targets shifted one token ahead (the next token to predict at every position).

    >>> import numpy as np
    >>> x, y = random_windows(np.arange(100), batch_size=2, seq_len=4, rng=0)
    >>> bool((y == x + 1).all()), x.shape
    (True, (2, 4))
    """
    arr = np.asarray(ids)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise ValueError(f"random_windows: ids must be a 1-D integer array, got {arr.dtype} of shape {arr.shape}")
    batch_size = check_positive_int(batch_size, "batch_size", "random_windows")
    seq_len = check_positive_int(seq_len, "seq_len", "random_windows")
    if len(arr) < seq_len + 1:
        raise ValueError(f"random_windows: {len(arr)} tokens are too few for windows of seq_len + 1 = {seq_len + 1}")
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    starts = gen.integers(0, len(arr) - seq_len, size=batch_size)
    idx = starts[:, None] + np.arange(seq_len + 1)
    win = arr[idx]
    return win[:, :-1], win[:, 1:]
