"""Seeded synthetic 2-D data sets for classifiers: two moons, Gaussian blobs, interleaved spirals.

Each returns ``(X, y)``: X float64 of shape (n_samples, n_features), y int64 class indices 0..k−1.
"""

from __future__ import annotations

import numpy as np

from .batching import make_rng

__all__ = ["make_blobs", "make_moons", "make_spirals"]


def _check_n(n_samples: int, who: str, least: int = 1) -> int:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < least:
        raise ValueError(f"{who}: n_samples must be an int >= {least}, got {n_samples!r}")
    return int(n_samples)


def _check_noise(noise: float, who: str, name: str = "noise") -> float:
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.floating, np.integer)) or not 0 <= noise < np.inf:
        raise ValueError(f"{who}: {name} must be a finite number >= 0, got {noise!r}")
    return float(noise)


def make_moons(n_samples: int = 100, noise: float = 0.0, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's construction): class 0 is the upper arc
    (cos t, sin t), class 1 the lower one (1 − cos t, 1/2 − sin t), t ∈ [0, π]; Gaussian noise of
    standard deviation ``noise`` is added, and the samples are shuffled.

    >>> X, y = make_moons(200, noise=0.1, seed=0)
    >>> X.shape, y.shape, [int(c) for c in np.bincount(y)]
    ((200, 2), (200,), [100, 100])
    """
    n = _check_n(n_samples, "make_moons", 2)
    noise = _check_noise(noise, "make_moons")
    rng = make_rng(seed, "make_moons")
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.concatenate([
        np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
        np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1),
    ])
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    perm = rng.permutation(n)
    X, y = X[perm], y[perm]
    if noise > 0:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def make_blobs(
    n_samples: int = 100,
    centers: int | np.ndarray = 3,
    std: float = 1.0,
    seed: int | None = None,
    n_features: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic Gaussian blobs: ``centers`` is a number of clusters (centres drawn uniformly in
    [−10, 10]^n_features, as scikit-learn) or an array of centres (k, n_features); each sample is
    its centre plus N(0, std²) noise. Samples are split as evenly as possible and shuffled.

    >>> X, y = make_blobs(90, centers=[[0, 0], [5, 5], [0, 5]], std=0.5, seed=0)
    >>> X.shape, [int(c) for c in np.bincount(y)]
    ((90, 2), [30, 30, 30])
    """
    n = _check_n(n_samples, "make_blobs")
    std = _check_noise(std, "make_blobs", "std")
    rng = make_rng(seed, "make_blobs")
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        if centers < 1:
            raise ValueError(f"make_blobs: centers must be >= 1, got {centers}")
        c = rng.uniform(-10.0, 10.0, size=(int(centers), n_features))
    else:
        try:
            c = np.asarray(centers, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"make_blobs: centers must be an int or an array of shape (k, n_features), got {centers!r}"
            ) from None
        if c.ndim != 2 or len(c) == 0:
            raise ValueError(f"make_blobs: centers must be an int or an array of shape (k, n_features), got shape {c.shape}")
    k = len(c)
    counts = np.full(k, n // k)
    counts[: n % k] += 1
    y = np.repeat(np.arange(k, dtype=np.int64), counts)
    X = c[y] + rng.normal(scale=std, size=(n, c.shape[1]))
    perm = rng.permutation(n)
    return X[perm], y[perm]


def make_spirals(
    n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class (the CS231n data set no linear classifier can
    separate): for class c, radius r goes 0 → 1 and angle θ = 4c … 4(c+1) plus N(0, noise²)
    jitter, x = (r sin θ, r cos θ). Samples are split as evenly as possible and shuffled.

    >>> X, y = make_spirals(300, n_classes=3, seed=0)
    >>> X.shape, [int(c) for c in np.bincount(y)], bool(np.abs(X).max() <= 1)
    ((300, 2), [100, 100, 100], True)
    """
    n = _check_n(n_samples, "make_spirals")
    noise = _check_noise(noise, "make_spirals")
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"make_spirals: n_classes must be an int >= 1, got {n_classes!r}")
    rng = make_rng(seed, "make_spirals")
    counts = np.full(n_classes, n // n_classes)
    counts[: n % n_classes] += 1
    Xs, ys = [], []
    for c, m in enumerate(counts):
        r = np.linspace(0.0, 1.0, m)
        theta = np.linspace(4.0 * c, 4.0 * (c + 1), m) + rng.normal(scale=noise, size=m)
        Xs.append(np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1))
        ys.append(np.full(m, c, dtype=np.int64))
    X, y = np.concatenate(Xs), np.concatenate(ys)
    perm = rng.permutation(n)
    return X[perm], y[perm]
