"""The bundled text corpus (sentiment and spam, Chinese and English) and a bag-of-words vectorizer.

The notes' text model: a document becomes a vector of word counts over a vocabulary (词袋模型);
word order is lost. English is split into words; Chinese, written without spaces, into character
n-grams (single characters and pairs by default), which needs no word segmenter.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["BagOfWords", "load_corpus", "load_sentiment", "load_spam", "tokenize"]

# A run of CJK ideographs, or a word of Latin letters/digits (with an optional apostrophe part).
_TOKEN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([^\W_]+(?:'[^\W_]+)?)")


def tokenize(text: str, char_ngram_range: tuple[int, int] = (1, 2), lowercase: bool = True) -> list[str]:
    """Tokens of ``text``: English (and other space-separated) words, and for each run of Chinese
    characters its character n-grams with n in ``char_ngram_range``; punctuation is dropped.

    >>> tokenize("Not bad, 物超所值!")
    ['not', 'bad', '物', '超', '所', '值', '物超', '超所', '所值']
    """
    lo, hi = _check_ngram_range(char_ngram_range, "tokenize")
    if lowercase:
        text = text.lower()
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        run = m.group(1)
        if run is None:
            out.append(m.group(2))
            continue
        for n in range(lo, hi + 1):
            out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def _check_ngram_range(r: Any, who: str) -> tuple[int, int]:
    """``(lo, hi)`` with 1 <= lo <= hi, ints; anything else is named."""
    hint = f" (for n-grams of length {r} only, write ({r}, {r}))" if isinstance(r, int) and not isinstance(r, bool) else ""
    try:
        lo, hi = r
    except (TypeError, ValueError):
        raise ValueError(f"{who}: char_ngram_range must be a pair (lo, hi), got {r!r}{hint}") from None
    ok = all(isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)) for n in (lo, hi))
    if not (ok and 1 <= lo <= hi):
        raise ValueError(f"{who}: char_ngram_range must be (lo, hi) with ints 1 <= lo <= hi, got {r!r}")
    return int(lo), int(hi)


def _check_bool(value: Any, name: str, who: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who}: {name} must be True or False, got {value!r}")
    return bool(value)


def _check_docs(docs: Any, who: str) -> list[str]:
    if isinstance(docs, (str, bytes)):
        raise TypeError(f"{who}: expected a list of texts, got a single {type(docs).__name__}")
    try:
        docs = list(docs)
    except TypeError:
        raise TypeError(f"{who}: expected a list of texts, got {type(docs).__name__}") from None
    for i, d in enumerate(docs):
        if not isinstance(d, str):
            raise TypeError(f"{who}: document {i} is a {type(d).__name__}, not a str")
    return docs


class BagOfWords:
    """Bag-of-words features: one column per vocabulary token, holding its count in the text
    (or 1/0 with ``binary=True``). Tokens as :func:`tokenize`. ``fit`` learns the vocabulary
    (sorted; tokens in fewer than ``min_df`` documents dropped; at most ``max_features`` most
    frequent kept); ``transform`` ignores tokens it has not seen.

    >>> bow = BagOfWords().fit(["good movie", "bad movie, bad plot"])
    >>> bow.vocabulary_
    {'bad': 0, 'good': 1, 'movie': 2, 'plot': 3}
    >>> bow.transform(["bad bad good unknown"])
    array([[2., 1., 0., 0.]])
    >>> BagOfWords(binary=True).fit_transform(["好看 好看"])     # 好, 看, 好看 present
    array([[1., 1., 1.]])
    """

    def __init__(
        self,
        binary: bool = False,
        char_ngram_range: tuple[int, int] = (1, 2),
        lowercase: bool = True,
        min_df: int = 1,
        max_features: int | None = None,
    ) -> None:
        who = "BagOfWords"
        self.char_ngram_range = _check_ngram_range(char_ngram_range, who)
        if isinstance(min_df, bool) or not isinstance(min_df, int) or min_df < 1:
            raise ValueError(f"BagOfWords: min_df must be an int >= 1, got {min_df!r}")
        if max_features is not None and (
            isinstance(max_features, bool) or not isinstance(max_features, int) or max_features < 1
        ):
            raise ValueError(f"BagOfWords: max_features must be None or an int >= 1, got {max_features!r}")
        self.binary = _check_bool(binary, "binary", who)
        self.lowercase = _check_bool(lowercase, "lowercase", who)
        self.min_df = min_df
        self.max_features = max_features

    def tokenize(self, text: str) -> list[str]:
        return tokenize(text, self.char_ngram_range, self.lowercase)

    def fit(self, docs: Iterable[str]) -> BagOfWords:
        who = "BagOfWords.fit"
        docs = _check_docs(docs, who)
        if not docs:
            raise ValueError(f"{who}: got no documents; the vocabulary is learned from at least one text")
        if self.min_df > len(docs):
            raise ValueError(
                f"{who}: min_df={self.min_df} is larger than the number of documents ({len(docs)}): no token can "
                f"appear in {self.min_df} documents; use min_df <= {len(docs)}"
            )
        df: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for d in docs:
            toks = self.tokenize(d)
            total.update(toks)
            df.update(set(toks))
        kept = [t for t in df if df[t] >= self.min_df]
        if self.max_features is not None and len(kept) > self.max_features:
            kept = sorted(kept, key=lambda t: (-total[t], t))[: self.max_features]
        if not df:
            raise ValueError(f"{who}: the documents contain no tokens (empty vocabulary)")
        if not kept:
            raise ValueError(
                f"{who}: no token appears in min_df={self.min_df} documents (the most common appears in "
                f"{max(df.values())}); lower min_df"
            )
        self.vocabulary_: dict[str, int] = {t: i for i, t in enumerate(sorted(kept))}
        return self

    def transform(self, docs: Iterable[str]) -> np.ndarray:
        """A float64 matrix (n_docs, len(vocabulary_)) of token counts (or presence)."""
        if not hasattr(self, "vocabulary_"):
            raise ValueError("BagOfWords.transform: this BagOfWords is not fitted yet; call fit() first")
        docs = _check_docs(docs, "BagOfWords.transform")
        vocab = self.vocabulary_
        out = np.zeros((len(docs), len(vocab)), dtype=np.float64)
        for i, d in enumerate(docs):
            for t in self.tokenize(d):
                j = vocab.get(t)  # unknown tokens are ignored
                if j is not None:
                    out[i, j] += 1
        if self.binary:
            np.minimum(out, 1, out=out)
        return out

    def fit_transform(self, docs: Iterable[str]) -> np.ndarray:
        docs = _check_docs(docs, "BagOfWords.fit_transform")
        return self.fit(docs).transform(docs)

    def get_feature_names_out(self) -> np.ndarray:
        """The vocabulary's tokens in column order."""
        if not hasattr(self, "vocabulary_"):
            raise ValueError("BagOfWords.get_feature_names_out: call fit() first")
        return np.array(sorted(self.vocabulary_, key=self.vocabulary_.__getitem__), dtype=object)


@functools.lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, str, str], ...]:
    raw = resources.files(__package__).joinpath("files").joinpath("corpus.tsv").read_text(encoding="utf-8")
    lines = raw.splitlines()
    if not lines or lines[0].split("\t") != ["task", "lang", "label", "text"]:
        raise ValueError("load_corpus: the bundled corpus.tsv has an unexpected header")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        parts = line.split("\t")
        if len(parts) != 4:
            raise ValueError(f"load_corpus: corpus.tsv line {n} has {len(parts)} fields, expected 4")
        rows.append((parts[0], parts[1], parts[2], parts[3]))
    return tuple(rows)


def load_corpus(task: str | None = None, lang: str = "all") -> list[dict[str, str]]:
    """The bundled corpus as a list of dicts with keys ``task`` ('sentiment' or 'spam'), ``lang``
    ('zh' or 'en'), ``label`` and ``text``; filter with ``task`` and ``lang`` ('zh', 'en', 'all').

    >>> len(load_corpus()), len(load_corpus("spam", lang="zh"))
    (380, 90)
    """
    if task not in (None, "sentiment", "spam"):
        raise ValueError(f"load_corpus: task must be 'sentiment', 'spam' or None, got {task!r}")
    if lang not in ("zh", "en", "all"):
        raise ValueError(f"load_corpus: lang must be 'zh', 'en' or 'all', got {lang!r}")
    return [
        {"task": t, "lang": la, "label": lb, "text": tx}
        for t, la, lb, tx in _rows()
        if (task is None or t == task) and (lang == "all" or la == lang)
    ]


def load_sentiment(lang: str = "all") -> tuple[list[str], np.ndarray]:
    """``(texts, labels)``: short reviews labelled 'positive' / 'negative' (100 per language).

    >>> texts, labels = load_sentiment("zh")
    >>> len(texts), sorted(set(labels.tolist()))
    (100, ['negative', 'positive'])
    """
    rows = load_corpus("sentiment", lang)
    return [r["text"] for r in rows], np.array([r["label"] for r in rows])


def load_spam(lang: str = "all") -> tuple[list[str], np.ndarray]:
    """``(texts, labels)``: short messages labelled 'spam' / 'ham' (90 per language).

    >>> texts, labels = load_spam("en")
    >>> len(texts), int((labels == "spam").sum())
    (90, 40)
    """
    rows = load_corpus("spam", lang)
    return [r["text"] for r in rows], np.array([r["label"] for r in rows])
