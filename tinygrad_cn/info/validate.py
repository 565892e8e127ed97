"""Checks that an input is a probability distribution, naming the first offending row."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine.value import Value, normalize_axis


def _row_name(flat_index: int, lead_shape: tuple[int, ...]) -> str:
    if len(lead_shape) == 1:
        return f"row {flat_index}"
    return f"row {tuple(int(i) for i in np.unravel_index(flat_index, lead_shape))}"


def check_distribution(p: Any, who: str, name: str = "p", axis: int = -1) -> None:
    """Raise ValueError unless every slice of ``p`` along ``axis`` is a probability distribution:
    finite, no negative entry, summing to 1 within 1e-6 (float64; float32 gets ``2·n·eps`` if larger).

    >>> from tinygrad_cn.info import check_distribution
    >>> check_distribution([[0.5, 0.5], [0.2, 0.7]], "entropy")
    Traceback (most recent call last):
    ...
    ValueError: entropy: p is not a probability distribution along axis -1: row 1 sums to 0.9, not 1 (tolerance 1e-06)
    """
    data = p.data if isinstance(p, Value) else np.asarray(p, dtype=float)
    if data.ndim == 0:
        raise ValueError(f"{who}: {name} must have at least one axis (a distribution), got a 0-d value")
    (ax,) = normalize_axis(axis, data.ndim, who)
    moved = np.moveaxis(data, ax, -1)
    lead, n = moved.shape[:-1], moved.shape[-1]
    if n == 0:
        raise ValueError(
            f"{who}: {name} has no outcomes along axis {axis} (shape {data.shape}); "
            "a probability distribution needs at least one"
        )
    rows = moved.reshape(math.prod(lead), n)
    where = f"{who}: {name} is not a probability distribution along axis {axis}"

    def row(i: int) -> str:
        return "it" if not lead else _row_name(i, lead)

    bad = ~np.isfinite(rows)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(f"{where}: {row(i)} contains {rows[i, j]} at position {j}")
    neg = rows < 0
    if neg.any():
        i, j = np.argwhere(neg)[0]
        raise ValueError(f"{where}: {row(i)} has a negative entry {rows[i, j]:.9g} at position {j}")
    tol = max(1e-6, 2 * n * float(np.finfo(rows.dtype).eps)) if rows.dtype.kind == "f" else 1e-6
    sums = rows.sum(axis=-1)
    off = np.abs(sums - 1) > tol
    if off.any():
        i = int(np.argmax(off))
        raise ValueError(f"{where}: {row(i)} sums to {sums[i]:.9g}, not 1 (tolerance {tol:g})")
