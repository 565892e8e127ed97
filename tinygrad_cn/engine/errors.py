"""Exceptions raised by tinygrad_cn, and the argument checks the layers above share (a positive
int, a language). Each message names the op or function, the shapes or the value at fault."""

from __future__ import annotations

from typing import Any

import numpy as np


def check_positive_int(n: Any, name: str, who: str) -> int:
    """``int(n)`` for an int (Python or numpy, not bool) ≥ 1; else ValueError naming ``who`` and ``name``."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{who}: {name} must be a positive int, got {n!r}")
    return int(n)


LANGS = ("zh", "en")  # the languages of every user-facing text: Chinese (the default) and English


def check_lang(lang: Any, who: str) -> str:
    """``lang`` if it is "zh" or "en", else a ValueError naming the function ``who``."""
    if lang not in LANGS:
        raise ValueError(f"{who}: lang must be 'zh' or 'en', got {lang!r}")
    return lang


class ShapeError(ValueError):
    """Operands whose shapes do not fit the op (broadcasting, matmul, reshape, a gradient's shape)."""


class AnomalyError(FloatingPointError):
    """Raised under ``tg.detect_anomaly()`` by the first op whose forward or backward gives NaN/inf."""


class GradcheckError(AssertionError):
    """``tg.gradcheck`` found an analytic gradient that differs from the central difference."""
