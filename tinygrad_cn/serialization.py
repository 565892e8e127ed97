"""``tg.save`` / ``tg.load``: a state dict (name -> ndarray) as a ``.npz`` archive, never pickle.

A write goes to a temporary file in the same directory, is flushed to disk, then renamed over the
target (``os.replace`` is atomic), so a crash never leaves a half-written file behind. Loading
uses ``allow_pickle=False``: a file can hold only plain numeric arrays, never code.

>>> import tempfile, os, tinygrad_cn as tg
>>> from tinygrad_cn import nn
>>> model = nn.Linear(3, 2, generator=0)
>>> path = os.path.join(tempfile.mkdtemp(), "linear.npz")
>>> tg.save(model, path)                          # same as tg.save(model.state_dict(), path)
>>> state = tg.load(path)
>>> sorted(state), state["weight"].shape
(['bias', 'weight'], (2, 3))
>>> model2 = nn.Linear(3, 2)
>>> model2.load_state_dict(state)
>>> bool((model2.weight.data == model.weight.data).all())
True
"""

from __future__ import annotations

import os
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from .engine.value import Value

__all__ = ["load", "save"]

PathLike = str | os.PathLike


def _as_state(obj: Any) -> dict[str, np.ndarray]:
    if not isinstance(obj, Mapping) and callable(getattr(obj, "state_dict", None)):  # a Module (duck-typed)
        obj = obj.state_dict()
    if not isinstance(obj, Mapping):
        raise TypeError(
            f"tg.save: expected a state dict (name -> array) or a Module, got {type(obj).__name__}; "
            "tinygrad_cn saves arrays only, never arbitrary objects (no pickle)"
        )
    state: dict[str, np.ndarray] = {}
    for k, v in obj.items():
        if not isinstance(k, str) or not k:
            raise TypeError(f"tg.save: every key must be a non-empty str, got {k!r}")
        arr = np.asarray(v.data if isinstance(v, Value) else v)
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"tg.save: {k!r} has dtype {arr.dtype}; only numeric arrays can be saved (no pickle)")
        state[k] = arr
    return state


def save(obj: Any, path: PathLike) -> None:
    """Write a state dict (or a Module's ``state_dict()``) to ``path`` as an ``.npz`` archive,
    atomically: either the complete new file is there afterwards, or the old one is untouched."""
    state = _as_state(obj)
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, allow_pickle=False, **state)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def load(path: PathLike) -> dict[str, np.ndarray]:
    """Read a state dict written by :func:`save`: a dict name -> ndarray (loaded fully; the file
    is closed on return). A missing file raises FileNotFoundError; a file that is not such an
    archive (corrupt, truncated, or holding pickled objects) raises ValueError naming the path."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"tg.load: no such file: {path!r}")
    try:
        # we open (and always close) the file ourselves: np.load leaks it when the zip is corrupt
        with open(path, "rb") as f:
            archive = np.load(f, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise ValueError(f"tg.load: {path!r} holds a single array, not an .npz state dict")
            with archive:
                return {k: archive[k] for k in archive.files}
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as e:
        if str(e).startswith("tg.load"):
            raise
        raise ValueError(f"tg.load: {path!r} is not a readable tinygrad_cn .npz state dict: {e}") from None
