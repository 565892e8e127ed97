"""``tg.save`` / ``tg.load``: a state dict (name -> ndarray) as a ``.npz`` archive, never pickle.

A write goes through :func:`tinygrad_cn.files.write_file`: a temporary file in the same directory,
flushed to disk, then renamed over the target (``os.replace`` is atomic), so a crash never leaves a
half-written file behind. Loading reads each member's ``.npy`` header itself and only numeric
arrays: a file can hold plain numbers, never code, and cannot make it allocate more than it allows.

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
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any, BinaryIO

import numpy as np

from .engine.value import Value
from .files import kind_of, write_file

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
        if "\0" in k:  # a zip member name ends at NUL
            raise ValueError(f"tg.save: key {k!r} contains a NUL character, which an .npz member name cannot hold")
        try:
            k.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"tg.save: key {k!r} is not valid Unicode (a lone surrogate)") from None
        arr = np.asarray(v.data if isinstance(v, Value) else v)
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"tg.save: {k!r} has dtype {arr.dtype}; only numeric arrays can be saved (no pickle)")
        state[k] = arr
    return state


def _write_npz(f: BinaryIO, state: dict[str, np.ndarray]) -> None:
    """The archive ``np.savez`` writes (one ``<key>.npy`` member per array, stored uncompressed), built
    member by member: any key works, also ``file`` and ``allow_pickle`` (np.savez's own keywords)."""
    with zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for key, arr in state.items():
            with archive.open(key + ".npy", mode="w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(arr), allow_pickle=False)


def save(obj: Any, path: PathLike) -> None:
    """Write a state dict (or a Module's ``state_dict()``) to ``path``, an ``.npz`` archive (the name
    must end in ``.npz``). The write is atomic: afterwards either the complete new file is there or
    the old one is untouched. A symlink is written through to its target, an existing file keeps its
    permissions, and a target that is not a regular file (a directory, ``/dev/null``) is refused
    (see :mod:`tinygrad_cn.files`). A save killed outright (``kill -9``) leaves its temporary file
    ``.<name>.tgcn-<pid>-<random>.tmp`` beside the target; the next save of that target removes it."""
    state = _as_state(obj)
    write_file(path, lambda f: _write_npz(f, state), suffixes=(".npz",), who="tg.save")


# refuse archives whose arrays would together need more memory than this (bytes); tg.load(max_bytes=...)
MAX_BYTES = 8 * 2**30


def _size_text(n: int) -> str:
    for unit, scale in (("PiB", 2**50), ("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit} ({n} bytes)"
    return f"{n} bytes"


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, budget: int) -> np.ndarray:
    """One ``.npy`` member: its header first (shape, dtype), checked, then exactly its bytes."""
    fmt = np.lib.format
    with archive.open(info) as member:
        version = fmt.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = fmt.read_array_header_1_0(member)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = fmt.read_array_header_2_0(member)
        else:
            raise ValueError(f"unsupported .npy format version {version}")
        if dtype.hasobject or dtype.kind not in "biufc" or dtype.fields is not None or dtype.subdtype is not None:
            raise ValueError(
                f"tg.load: {path!r}: member {info.filename!r} has dtype {dtype}, not a numeric array; "
                "tinygrad_cn loads only numeric arrays and never unpickles Python objects"
            )
        if any(int(n) < 0 for n in shape):
            raise ValueError(f"tg.load: {path!r}: member {info.filename!r} claims shape {shape} with a negative size")
        count = 1
        for n in shape:
            count *= int(n)
        nbytes = count * dtype.itemsize
        if nbytes > budget:
            raise ValueError(
                f"tg.load: {path!r}: member {info.filename!r} claims shape {shape} of {dtype}, "
                f"{_size_text(nbytes)}, more than the {_size_text(budget)} still allowed "
                "(tg.load(path, max_bytes=...) raises the limit)"
            )
        header = member.tell() if member.seekable() else None
        if header is not None and nbytes > info.file_size - header:
            raise ValueError(
                f"tg.load: {path!r}: member {info.filename!r} claims shape {shape} of {dtype}, "
                f"{_size_text(nbytes)}, but holds only {_size_text(max(0, info.file_size - header))}: "
                "the file is corrupt or truncated"
            )
        buf = bytearray(nbytes)
        view, got = memoryview(buf), 0
        while got < nbytes:
            n = member.readinto(view[got:])
            if not n:
                raise ValueError(f"tg.load: {path!r}: member {info.filename!r} is truncated")
            got += n
    arr = np.frombuffer(buf, dtype=dtype, count=count)
    return arr.reshape(shape[::-1]).transpose() if fortran else arr.reshape(shape)


def load(path: PathLike, max_bytes: int = MAX_BYTES) -> dict[str, np.ndarray]:
    """Read a state dict written by :func:`save`: a dict name -> ndarray (loaded fully; the file is
    closed on return). Only numeric ``.npy`` members are read, never pickled objects; each member's
    header is read first, and an archive whose arrays claim more than ``max_bytes`` in all (default
    8 GiB) is refused before anything is allocated. A missing file raises FileNotFoundError; a file
    that is not such an archive (corrupt, truncated, another member, an object array) raises
    ValueError naming the path."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"tg.load: no such file: {path!r}")
    if os.path.isdir(path):
        raise IsADirectoryError(f"tg.load: {path!r} is a directory, not an .npz file")
    if not os.path.isfile(path):  # a fifo would block, a device never end
        raise ValueError(f"tg.load: {path!r} is {kind_of(path)}, not a regular .npz file")
    state: dict[str, np.ndarray] = {}
    try:
        with open(path, "rb") as f:
            if f.read(6) == b"\x93NUMPY":
                raise ValueError(f"tg.load: {path!r} holds a single array (.npy), not an .npz state dict")
            f.seek(0)
            with zipfile.ZipFile(f) as archive:
                budget = max_bytes
                for info in archive.infolist():
                    if info.is_dir():
                        continue
                    if not info.filename.endswith(".npy"):
                        raise ValueError(
                            f"tg.load: {path!r} holds a member {info.filename!r} that is not an .npy array; "
                            "a tinygrad_cn state dict holds only arrays"
                        )
                    key = info.filename[: -len(".npy")]
                    if key in state:
                        raise ValueError(f"tg.load: {path!r} holds the member {info.filename!r} twice")
                    try:
                        state[key] = _read_member(archive, info, path, budget)
                    except ValueError as e:
                        if str(e).startswith("tg.load"):
                            raise
                        raise ValueError(f"tg.load: {path!r}: member {info.filename!r} is not a valid .npy "
                                         f"array: {e}") from None
                    budget -= state[key].nbytes
    except (OSError, EOFError, KeyError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as e:
        raise ValueError(f"tg.load: {path!r} is not a readable tinygrad_cn .npz state dict: {e}") from None
    return state
