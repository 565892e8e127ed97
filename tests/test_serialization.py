"""tg.save / tg.load: .npz without pickle, atomic writes, clear errors for broken files."""

from __future__ import annotations

import os
import zipfile

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import nn


def test_round_trip_state_dict(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4, generator=0), nn.ReLU(), nn.Linear(4, 2, generator=1))
    path = tmp_path / "model.npz"
    tg.save(model.state_dict(), path)
    state = tg.load(path)
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    for k, v in model.state_dict().items():
        assert state[k].dtype == v.dtype and np.array_equal(state[k], v)
    other = nn.Sequential(nn.Linear(3, 4, generator=5), nn.ReLU(), nn.Linear(4, 2, generator=6))
    other.load_state_dict(tg.load(path))
    x = np.ones((2, 3), dtype=np.float32)
    assert np.array_equal(other(x).data, model(x).data)


def test_save_module_and_values(tmp_path):
    layer = nn.Linear(2, 2, generator=0)
    tg.save(layer, tmp_path / "a.npz")
    tg.save({"w": tg.Value(np.eye(2)), "n": np.arange(3)}, str(tmp_path / "weights.NPZ"))  # name kept exactly
    assert sorted(os.listdir(tmp_path)) == ["a.npz", "weights.NPZ"]
    assert set(tg.load(tmp_path / "a.npz")) == {"weight", "bias"}
    got = tg.load(tmp_path / "weights.NPZ")
    assert np.array_equal(got["w"], np.eye(2)) and got["n"].dtype == np.arange(3).dtype


def test_save_refuses_a_name_without_npz(tmp_path):
    (tmp_path / "passwd").write_text("root:x:0:0\n")
    for name in ("passwd", "weights.bin", "model.pt"):
        with pytest.raises(ValueError, match=rf"tg\.save: .*{name}.* does not end in \.npz"):
            tg.save({"w": np.ones(2)}, tmp_path / name)
    assert sorted(os.listdir(tmp_path)) == ["passwd"] and (tmp_path / "passwd").read_text() == "root:x:0:0\n"


@pytest.mark.parametrize("keys", [("file",), ("allow_pickle",), ("file", "allow_pickle", "args", "kwds")])
def test_keys_that_are_np_savez_keywords_save(tmp_path, keys):
    state = {k: np.full(2, i, dtype=np.float32) for i, k in enumerate(keys)}
    tg.save(state, tmp_path / "k.npz")
    got = tg.load(tmp_path / "k.npz")
    assert list(got) == list(keys) and all(np.array_equal(got[k], state[k]) for k in keys)
    with np.load(tmp_path / "k.npz", allow_pickle=False) as plain:  # still numpy's own format
        assert sorted(plain.files) == sorted(keys)


def test_round_trip_dtypes_shapes_and_order(tmp_path):
    state = {
        "f16": np.arange(6, dtype=np.float16).reshape(2, 3), "i8": np.array([-1, 2], dtype=np.int8),
        "c": np.array([1 + 2j]), "b": np.array([True, False]), "empty": np.zeros((0, 4)), "scalar": np.float64(3.5),
        "fortran": np.asfortranarray(np.arange(12.0).reshape(3, 4)), "big_endian": np.arange(3, dtype=">i4"),
    }
    tg.save(state, tmp_path / "d.npz")
    got = tg.load(tmp_path / "d.npz")
    for k, v in state.items():
        v = np.asarray(v)
        assert got[k].dtype == v.dtype and got[k].shape == v.shape and np.array_equal(got[k], v), k
        assert got[k].flags.writeable


def test_overwrite_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    tg.save({"w": np.ones(3)}, path)

    def crash(f, *args, **kwargs):
        f.write(b"\x93NUMPY half an array")  # a partial write, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(np.lib.format, "write_array", crash)
    with pytest.raises(KeyboardInterrupt):
        tg.save({"w": np.zeros(3)}, path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["m.npz"]  # no temporary file left behind
    assert np.array_equal(tg.load(path)["w"], np.ones(3))  # the old file is intact


def test_file_permissions_are_ordinary(tmp_path):
    path = tmp_path / "m.npz"
    tg.save({"w": np.ones(1)}, path)
    umask = os.umask(0)
    os.umask(umask)
    assert (os.stat(path).st_mode & 0o777) == (0o666 & ~umask)


def test_load_errors_name_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        tg.load(tmp_path / "missing.npz")
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not an archive")
    with pytest.raises(ValueError, match=r"garbage\.npz.*not a readable tinygrad_cn \.npz"):
        tg.load(garbage)
    good = tmp_path / "good.npz"
    tg.save({"w": np.arange(1000.0)}, good)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:600])
    with pytest.raises(ValueError, match=r"truncated\.npz"):
        tg.load(truncated)
    single = tmp_path / "single.npy"
    np.save(single, np.ones(2))
    with pytest.raises(ValueError, match=r"single\.npy.*single array"):
        tg.load(single)


def test_pickled_objects_are_never_loaded(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, obj=np.array([{"a": 1}], dtype=object))  # would need pickle to read
    with zipfile.ZipFile(path) as z:
        assert z.namelist() == ["obj.npy"]
    with pytest.raises(ValueError, match=r"evil\.npz.*pickle"):
        tg.load(path)


def test_save_refuses_non_arrays(tmp_path):
    with pytest.raises(TypeError, match="state dict"):
        tg.save([np.ones(2)], tmp_path / "x.npz")
    with pytest.raises(TypeError, match="dtype object"):
        tg.save({"w": np.array([None])}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="non-empty str"):
        tg.save({1: np.ones(2)}, tmp_path / "x.npz")
    with pytest.raises(ValueError, match="NUL character"):
        tg.save({"a\0b": np.ones(2)}, tmp_path / "x.npz")
    with pytest.raises(ValueError, match="lone surrogate"):
        tg.save({"a\udc80": np.ones(2)}, tmp_path / "x.npz")
    assert os.listdir(tmp_path) == []


def _npz_with_header(path, header: dict, payload: bytes = b"") -> None:
    """An .npz whose one member ``w.npy`` has the given header (and a few bytes after it)."""
    import io

    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("w.npy", buf.getvalue() + payload)


def test_a_header_claiming_8_pib_is_refused_before_allocating(tmp_path):
    path = tmp_path / "huge.npz"
    _npz_with_header(path, {"descr": "<f8", "fortran_order": False, "shape": (2**50,)}, b"\0" * 64)
    with pytest.raises(ValueError) as info:
        tg.load(path)
    msg = str(info.value)
    assert "tg.load" in msg and "huge.npz" in msg and "8.0 PiB" in msg and str(2**53) in msg
    assert not isinstance(info.value, MemoryError)


def test_a_header_larger_than_its_member_is_refused(tmp_path):
    path = tmp_path / "lies.npz"
    _npz_with_header(path, {"descr": "<f8", "fortran_order": False, "shape": (1000, 1000)}, b"\0" * 64)
    with pytest.raises(ValueError, match=r"lies\.npz.*7\.6 MiB \(8000000 bytes\), but holds only 64 bytes"):
        tg.load(path)


def test_max_bytes_caps_the_whole_archive(tmp_path):
    path = tmp_path / "m.npz"
    tg.save({"a": np.zeros(100), "b": np.zeros(100)}, path)  # 800 bytes each
    assert set(tg.load(path, max_bytes=1600)) == {"a", "b"}
    with pytest.raises(ValueError, match=r"m\.npz.*'b\.npy'.*800 bytes, more than the 799 bytes still allowed"):
        tg.load(path, max_bytes=1599)


def test_a_member_that_is_not_an_array_is_an_error(tmp_path):
    path = tmp_path / "mixed.npz"
    tg.save({"w": np.ones(2)}, path)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("notes.txt", b"hello")
    with pytest.raises(ValueError, match=r"mixed\.npz.*'notes\.txt'.*not an \.npy array"):
        tg.load(path)


def test_a_pickle_member_is_never_unpickled_nor_advised(tmp_path, monkeypatch):
    import pickle

    path = tmp_path / "evil.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("evil.pkl", pickle.dumps({"a": 1}))
    loads = []
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: loads.append(a))
    monkeypatch.setattr(pickle, "load", lambda *a, **k: loads.append(a))
    with pytest.raises(ValueError) as info:
        tg.load(path)
    assert "evil.pkl" in str(info.value) and loads == []
    path2 = tmp_path / "objects.npz"
    np.savez(path2, obj=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError) as info:
        tg.load(path2)
    assert "never unpickles" in str(info.value) and loads == []
    for text in (str(info.value),):
        assert "allow_pickle" not in text and "unsafely" not in text


def test_load_refuses_fifos_and_devices_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"tg\.load: .*pipe\.npz' is a fifo"):
        tg.load(fifo)
    with pytest.raises(ValueError, match=r"tg\.load: '/dev/zero' is a character device"):
        tg.load("/dev/zero")
    with pytest.raises(IsADirectoryError, match="is a directory"):
        tg.load(tmp_path)


@pytest.mark.parametrize(("header", "message"), [
    ({"descr": "<f8", "fortran_order": False, "shape": (2, -3)}, r"claims shape \(2, -3\) with a negative size"),
    ({"descr": "|V8", "fortran_order": False, "shape": (1,)}, r"has dtype \|V8, not a numeric array"),
    ({"descr": [("a", "<f8")], "fortran_order": False, "shape": (1,)}, r"not a numeric array"),
    ({"descr": "<U3", "fortran_order": False, "shape": (1,)}, r"has dtype <U3, not a numeric array"),
])
def test_malformed_headers_are_value_errors(tmp_path, header, message):
    path = tmp_path / "bad.npz"
    _npz_with_header(path, header, b"\0" * 64)
    with pytest.raises(ValueError, match=r"tg\.load: .*bad\.npz.*" + message):
        tg.load(path)


def test_fortran_order_and_numpy_archives_load_as_numpy_loads_them(tmp_path):
    path = tmp_path / "np.npz"
    a = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    np.savez_compressed(path, a=a, b=np.arange(3, dtype=np.int16))
    got = tg.load(path)
    with np.load(path) as ref:
        assert all(np.array_equal(got[k], ref[k]) and got[k].dtype == ref[k].dtype for k in ("a", "b"))


try:
    from hypothesis import given
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError:  # pragma: no cover - hypothesis is in the dev extra
    pytest.skip("hypothesis is not installed", allow_module_level=True)

_DTYPES = st.sampled_from(["<f8", "<f4", "<f2", ">f8", "<i8", "<i4", "u1", "i1", "?", "<c16", "<c8", "<u2"])


_KEYS = st.text(st.characters(blacklist_characters="\0"), min_size=1, max_size=12)
_ARRAYS = hnp.arrays(_DTYPES, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))


@given(state=st.dictionaries(_KEYS, _ARRAYS, max_size=5))
def test_round_trip_any_keys_dtypes_and_shapes(tmp_path_factory, state):
    path = tmp_path_factory.mktemp("rt") / "s.npz"
    tg.save(state, path)
    got = tg.load(path)
    assert list(got) == list(state)
    for k, v in state.items():
        assert got[k].dtype == v.dtype and got[k].shape == v.shape
        assert np.array_equal(got[k], v, equal_nan=v.dtype.kind in "fc"), k
    assert os.listdir(path.parent) == ["s.npz"]
