"""Minibatches, a train/test split and feature standardisation: the plumbing of every training loop."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..engine.errors import check_positive_int

__all__ = ["StandardScaler", "minibatches", "train_test_split"]


def make_rng(seed: Any, who: str) -> np.random.Generator:
    """``np.random.default_rng(seed)`` for a seed that is None, an int >= 0 or a Generator (used as
    is); anything else is named (numpy's own message does not say whose seed it was)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (
        isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0
    ):
        raise ValueError(f"{who}: seed must be None, an int >= 0 or a numpy Generator, got {seed!r}")
    return np.random.default_rng(seed)


def _length(a: Any, who: str, name: str) -> int:
    try:
        return len(a)
    except TypeError:
        raise TypeError(f"{who}: {name} must be a sequence or an array, got {type(a).__name__}") from None


def _take(a: Any, idx: np.ndarray | slice) -> Any:
    if isinstance(a, np.ndarray) or isinstance(idx, slice):
        return a[idx]
    return [a[i] for i in idx]  # lists of texts or of arbitrary labels


def _codes(y: Any) -> np.ndarray:
    """Integer codes 0..k−1 for any hashable labels."""
    if isinstance(y, np.ndarray) and y.ndim == 1 and y.dtype.kind in "biufUS":
        return np.unique(y, return_inverse=True)[1]
    index: dict[Any, int] = {}
    return np.array([index.setdefault(v, len(index)) for v in y], dtype=np.int64)


def minibatches(
    X: Any,
    y: Any = None,
    batch_size: int = 32,
    shuffle: bool = True,
    seed: int | np.random.Generator | None = None,
    drop_last: bool = False,
) -> Iterator[Any]:
    """Yield ``(X_batch, y_batch)`` (or just ``X_batch`` when y is None) covering the data once.

    With ``shuffle`` the order is a random permutation from ``seed`` (an int, a numpy Generator
    that keeps advancing between epochs, or None for fresh randomness); the last batch may be
    smaller unless ``drop_last``.

    >>> import numpy as np
    >>> X, y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for _, yb in minibatches(X, y, batch_size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    >>> [yb.tolist() for _, yb in minibatches(X, y, batch_size=2, seed=0)] == \\
    ...     [yb.tolist() for _, yb in minibatches(X, y, batch_size=2, seed=0)]
    True
    """
    check_positive_int(batch_size, "batch_size", "minibatches")
    n = _length(X, "minibatches", "X")
    if y is not None and _length(y, "minibatches", "y") != n:
        raise ValueError(f"minibatches: X has {n} samples but y has {len(y)}")
    if shuffle:
        rng = make_rng(seed, "minibatches")
        order = rng.permutation(n)
    else:
        order = None
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        idx = order[start : start + batch_size] if order is not None else slice(start, start + batch_size)
        xb = _take(X, idx)
        yield xb if y is None else (xb, _take(y, idx))


def train_test_split(
    X: Any, y: Any, test_size: float = 0.25, seed: int | None = None, stratify: bool = False
) -> tuple[Any, Any, Any, Any]:
    """``X_train, X_test, y_train, y_test`` after a seeded shuffle; ``test_size`` is a fraction
    (0 < test_size < 1) or a number of samples. With ``stratify`` every class keeps its proportion.

    >>> import numpy as np
    >>> X, y = np.arange(20).reshape(10, 2), np.array([0, 1] * 5)
    >>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, seed=0, stratify=True)
    >>> X_tr.shape, X_te.shape, sorted(y_te.tolist())
    ((8, 2), (2, 2), [0, 1])
    """
    n = _length(X, "train_test_split", "X")
    if _length(y, "train_test_split", "y") != n:
        raise ValueError(f"train_test_split: X has {n} samples but y has {len(y)}")
    if isinstance(test_size, float) and 0 < test_size < 1:
        n_test = int(np.ceil(test_size * n))
    elif isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool) and 0 < test_size < n:
        n_test = int(test_size)
    else:
        raise ValueError(f"train_test_split: test_size must be a fraction in (0, 1) or a count in [1, {n}), got {test_size!r}")
    if not 0 < n_test < n:
        raise ValueError(f"train_test_split: {n} samples cannot be split with test_size={test_size!r}")
    rng = make_rng(seed, "train_test_split")
    if stratify:
        codes = _codes(y)
        test_parts = []
        frac = n_test / n
        for c in range(codes.max() + 1):
            members = rng.permutation(np.flatnonzero(codes == c))
            test_parts.append(members[: round(frac * len(members))])
        test = np.concatenate(test_parts)
        rest = np.setdiff1d(np.arange(n), test)
        test = rng.permutation(test)
        train = rng.permutation(rest)
    else:
        perm = rng.permutation(n)
        test, train = perm[:n_test], perm[n_test:]
    return _take(X, train), _take(X, test), _take(y, train), _take(y, test)


class StandardScaler:
    """Standardise features: x' = (x − mean) / std, with mean and std learned on the training set
    (a constant feature keeps std 1, so it maps to 0 instead of dividing by zero).

    >>> import numpy as np
    >>> s = StandardScaler().fit(np.array([[0.0, 1.0], [2.0, 1.0]]))
    >>> s.transform(np.array([[1.0, 1.0], [2.0, 3.0]]))
    array([[0., 0.],
           [1., 2.]])
    """

    def fit(self, X: Any) -> StandardScaler:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"StandardScaler.fit: X must be 2-D (n_samples, n_features), got shape {X.shape}")
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0)
        return self

    def transform(self, X: Any) -> np.ndarray:
        if not hasattr(self, "mean_"):
            raise ValueError("StandardScaler.transform: call fit() first")
        X = np.asarray(X)
        dtype = X.dtype if X.dtype.kind == "f" else np.float64
        if X.ndim != 2 or X.shape[1] != len(self.mean_):
            raise ValueError(f"StandardScaler.transform: X has shape {X.shape}, expected (n, {len(self.mean_)})")
        return ((X - self.mean_) / self.scale_).astype(dtype, copy=False)

    def fit_transform(self, X: Any) -> np.ndarray:
        return self.fit(X).transform(X)
