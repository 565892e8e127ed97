"""``CharTokenizer``: one token per character, the simplest tokenizer there is.

Chinese needs no word segmenter at this level: every character (汉字, punctuation, a space, a
newline) is one token, numbered by its position in the sorted vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["CharTokenizer"]


class CharTokenizer:
    """Characters ↔ integer ids; ``fit(text)`` learns the vocabulary (sorted, so the same text always
    gives the same ids).

    >>> from tinygrad_cn.data import CharTokenizer
    >>> tok = CharTokenizer().fit("春天来了，春风吹。")
    >>> tok.vocab_size, tok.encode("春风")
    (8, array([4, 6]))
    >>> tok.decode(tok.encode("春天来了"))
    '春天来了'
    >>> tok.encode("秋")
    Traceback (most recent call last):
    ...
    ValueError: CharTokenizer.encode: character '秋' (U+79CB) at position 0 is not in the vocabulary of 8 characters
    """

    def __init__(self, chars: Iterable[str] | None = None) -> None:
        self.chars: list[str] = []
        self.stoi: dict[str, int] = {}
        if chars is not None:
            self._set(list(chars), "CharTokenizer")

    def _set(self, chars: list[str], who: str) -> None:
        for c in chars:
            if not isinstance(c, str) or len(c) != 1:
                raise TypeError(f"{who}: every vocabulary entry must be a single character, got {c!r}")
        if len(set(chars)) != len(chars):
            raise ValueError(f"{who}: the vocabulary repeats a character")
        self.chars = list(chars)
        self.stoi = {c: i for i, c in enumerate(self.chars)}

    def fit(self, text: str) -> CharTokenizer:
        """Learn the vocabulary: every distinct character of ``text``, sorted by code point."""
        if not isinstance(text, str):
            raise TypeError(f"CharTokenizer.fit: expected a str, got {type(text).__name__}")
        if not text:
            raise ValueError("CharTokenizer.fit: the text is empty, so there is no vocabulary to learn")
        self._set(sorted(set(text)), "CharTokenizer.fit")
        return self

    @property
    def vocab_size(self) -> int:
        """Number of distinct characters (tokens)."""
        return len(self.chars)

    def _fitted(self, who: str) -> None:
        if not self.chars:
            raise RuntimeError(f"{who}: the tokenizer has no vocabulary yet: call fit(text) first")

    def encode(self, text: str) -> np.ndarray:
        """The ids of the characters of ``text`` (an int64 array); an unknown character is a ValueError."""
        self._fitted("CharTokenizer.encode")
        if not isinstance(text, str):
            raise TypeError(f"CharTokenizer.encode: expected a str, got {type(text).__name__}")
        stoi = self.stoi
        try:
            return np.array([stoi[c] for c in text], dtype=np.int64)
        except KeyError:
            pos = next(i for i, c in enumerate(text) if c not in stoi)
            c = text[pos]
            raise ValueError(
                f"CharTokenizer.encode: character {c!r} (U+{ord(c):04X}) at position {pos} is not in the "
                f"vocabulary of {self.vocab_size} characters"
            ) from None

    def decode(self, ids: Any) -> str:
        """The text of the ids (any integer array or list); an id outside [0, vocab_size) is a ValueError."""
        self._fitted("CharTokenizer.decode")
        arr = np.asarray(ids)
        if arr.size and arr.dtype.kind not in "iu":
            raise TypeError(f"CharTokenizer.decode: ids must be integers, got dtype {arr.dtype}")
        flat = arr.reshape(-1).astype(np.int64)
        bad = (flat < 0) | (flat >= self.vocab_size)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"CharTokenizer.decode: id {int(flat[i])} at position {i} is out of range for a vocabulary of "
                f"{self.vocab_size} characters"
            )
        return "".join(self.chars[i] for i in flat.tolist())

    def to_array(self) -> np.ndarray:
        """The vocabulary as an int array of Unicode code points (to store beside a model with ``tg.save``)."""
        self._fitted("CharTokenizer.to_array")
        return np.array([ord(c) for c in self.chars], dtype=np.int64)

    @classmethod
    def from_array(cls, codepoints: Any) -> CharTokenizer:
        """The tokenizer whose vocabulary ``to_array`` returned."""
        arr = np.asarray(codepoints)
        if arr.ndim != 1 or arr.dtype.kind not in "iu" or arr.size == 0:
            raise ValueError(f"CharTokenizer.from_array: expected a non-empty 1-D integer array, got {arr.dtype} {arr.shape}")
        if (arr < 0).any() or (arr > 0x10FFFF).any():
            raise ValueError("CharTokenizer.from_array: code points must be in [0, 0x10FFFF]")
        return cls(chr(int(c)) for c in arr)

    def __repr__(self) -> str:
        return f"CharTokenizer(vocab_size={self.vocab_size})"
