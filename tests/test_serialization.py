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


def test_save_module_values_and_any_suffix(tmp_path):
    layer = nn.Linear(2, 2, generator=0)
    tg.save(layer, tmp_path / "a.npz")
    tg.save({"w": tg.Value(np.eye(2)), "n": np.arange(3)}, str(tmp_path / "weights.bin"))  # name kept exactly
    assert sorted(os.listdir(tmp_path)) == ["a.npz", "weights.bin"]
    assert set(tg.load(tmp_path / "a.npz")) == {"weight", "bias"}
    got = tg.load(tmp_path / "weights.bin")
    assert np.array_equal(got["w"], np.eye(2)) and got["n"].dtype == np.arange(3).dtype


def test_overwrite_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    tg.save({"w": np.ones(3)}, path)

    def crash(*args, **kwargs):
        f = args[0]
        f.write(b"PK\x03\x04 half a zip")  # a partial write, then the process "dies"
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", crash)
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
    assert os.listdir(tmp_path) == []
