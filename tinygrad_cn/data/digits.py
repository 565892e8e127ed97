"""The UCI optical-recognition handwritten digits: 1,797 images of 8×8 pixels (values 0..16), the
small real image set that stands in for the notes' CIFAR-10. Bundled as ``files/digits.csv.gz``
(licence and attribution in ``files/DIGITS-LICENSE.txt``)."""

from __future__ import annotations

import functools
import gzip
from importlib import resources

import numpy as np

__all__ = ["load_digits"]


@functools.lru_cache(maxsize=1)
def _read() -> tuple[np.ndarray, np.ndarray]:
    raw = resources.files(__package__).joinpath("files").joinpath("digits.csv.gz").read_bytes()
    table = np.loadtxt(gzip.decompress(raw).decode("ascii").splitlines(), delimiter=",", dtype=np.float64)
    if table.shape != (1797, 65):
        raise ValueError(f"load_digits: the bundled file has shape {table.shape}, expected (1797, 65)")
    return table[:, :64], table[:, 64].astype(np.int64)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: X float64 of shape (1797, 64), each row an 8×8 image flattened row by row with
    pixel values 0..16; y int64 digit labels 0..9. ``X[i].reshape(8, 8)`` is the image.

    Source: E. Alpaydin and C. Kaynak, *Optical Recognition of Handwritten Digits*, UCI Machine
    Learning Repository (1998), https://doi.org/10.24432/C50P49, licensed CC BY 4.0 (the copy of its
    test set that scikit-learn ships).

    >>> X, y = load_digits()
    >>> X.shape, y.shape, float(X.max()), [int(c) for c in np.bincount(y)][:3]
    ((1797, 64), (1797,), 16.0, [178, 182, 177])
    """
    X, y = _read()
    return X.copy(), y.copy()
