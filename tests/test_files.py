"""tinygrad_cn.files.write_file, the one way the project writes a file, and every writer that uses it
(tg.save, viz.render, viz.stepper_html, the plots, the CLI's --out / --html): symlinks are written
through, permissions kept, non-regular targets refused and untouched, the suffix checked, no
temporary file left after a handled error, stale ones from a killed process removed."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import files, viz
from tinygrad_cn.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _value():
    x = tg.Value(2.0, label="x")
    return (x * x).tanh()


def _example_save(path: Path) -> None:
    """An example script's ``ex.save(fig, name)`` with ``--out`` = the folder of ``path`` (matplotlib's
    settings restored afterwards)."""
    import matplotlib

    with matplotlib.rc_context():
        _example_save_in_context(path)


def _example_save_in_context(path: Path) -> None:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import _common
    finally:
        sys.path.remove(str(ROOT / "examples"))
    argv = sys.argv
    sys.argv = ["example.py", "--lang", "en", "--out", str(path.parent)]
    try:
        ex = _common.Example(None)
    finally:
        sys.argv = argv
    fig, ax = ex.figure()
    ax.plot([0, 1], [1, 0])
    try:
        ex.save(fig, path.name)
    except SystemExit as e:
        raise RuntimeError(f"exit status {e.code}") from None


# every writer of the project, as (suffix, write(path)); the CLI ones go through main()
WRITERS = {
    "tg.save": (".npz", lambda p: tg.save({"w": np.ones(2)}, p)),
    "viz.render svg": (".svg", lambda p: viz.render(_value(), p)),
    "viz.render gv": (".gv", lambda p: viz.render(_value(), p)),
    "viz.stepper_html": (".html", lambda p: viz.stepper_html(_value(), p)),
    "viz.plot_activations": (".png", lambda p: viz.plot_activations(p)),
    "viz.plot_loss_curve": (".png", lambda p: viz.plot_loss_curve([1.0, 0.5], p)),
    "cli graph --out": (".svg", lambda p: _cli("graph", "x*x", "--var", "x=2", "--out", str(p))),
    "cli step --html": (".html", lambda p: _cli("step", "x*x", "--var", "x=2", "--html", str(p))),
    "cli plot --out": (".svg", lambda p: _cli("plot", "activations", "--out", str(p))),
    "examples ex.save": (".png", _example_save),
}


def _cli(*argv: str) -> None:
    code = main(list(argv))
    if code != 0:
        raise RuntimeError(f"exit status {code}")


@pytest.fixture(params=sorted(WRITERS))
def writer(request, capsys):
    suffix, write = WRITERS[request.param]
    yield request.param, suffix, write
    capsys.readouterr()


def _listing(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def test_symlink_is_written_through(tmp_path, writer):
    name, suffix, write = writer
    real = tmp_path / "data" / f"real{suffix}"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    write(link)
    assert link.is_symlink() and os.readlink(link) == str(real), f"{name} replaced the link"
    assert real.read_bytes() != b"old" and real.stat().st_size > 10
    assert _listing(tmp_path) == ["data", f"link{suffix}"] and _listing(real.parent) == [f"real{suffix}"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "l.npz"
    link.symlink_to(tmp_path / "target.npz")
    tg.save({"w": np.ones(1)}, link)
    assert link.is_symlink() and (tmp_path / "target.npz").is_file()


def test_permissions_of_an_existing_file_are_kept(tmp_path, writer):
    name, suffix, write = writer
    path = tmp_path / f"secret{suffix}"
    path.write_bytes(b"old")
    path.chmod(0o600)
    write(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    path.chmod(0o640)
    write(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640, name


def test_a_new_file_gets_the_umask_permissions(tmp_path, writer):
    name, suffix, write = writer
    old = os.umask(0o027)
    try:
        write(tmp_path / f"new{suffix}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / f"new{suffix}").stat().st_mode) == 0o640, name


def test_a_directory_is_refused_and_untouched(tmp_path, writer):
    name, suffix, write = writer
    d = tmp_path / f"adir{suffix}"
    d.mkdir()
    (d / "inside").write_text("keep")
    with pytest.raises((ValueError, OSError, RuntimeError)):
        write(d)
    assert d.is_dir() and _listing(d) == ["inside"] and _listing(tmp_path) == [f"adir{suffix}"], name


def test_a_fifo_is_refused_and_untouched(tmp_path, writer):
    name, suffix, write = writer
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    with pytest.raises((ValueError, RuntimeError)):
        write(fifo)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and _listing(tmp_path) == [f"pipe{suffix}"], name


def test_a_link_to_dev_null_is_refused(tmp_path, writer):
    name, suffix, write = writer
    link = tmp_path / f"null{suffix}"
    link.symlink_to("/dev/null")
    with pytest.raises((ValueError, RuntimeError)):
        write(link)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and link.is_symlink(), name


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a device needs root")
def test_a_device_node_is_refused_and_untouched(tmp_path):
    dev = tmp_path / "null.npz"
    os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
    with pytest.raises(files.TargetError, match=r"tg\.save: .*null\.npz' is a character device, not a regular file"):
        tg.save({"w": np.ones(1)}, dev)
    assert stat.S_ISCHR(dev.lstat().st_mode) and os.major(dev.lstat().st_rdev) == 1


def test_dev_null_itself_is_refused():
    before = os.stat("/dev/null")
    with pytest.raises(files.TargetError, match="character device"):
        files.write_file("/dev/null", b"x", who="test")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_error_names_the_target_of_a_link(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "l.svg").symlink_to(tmp_path / "d")
    with pytest.raises(files.TargetError, match=r"render: '.*l\.svg' \(a link to '.*d'\) is a directory"):
        viz.render(_value(), tmp_path / "l.svg")


@pytest.mark.parametrize(("suffixes", "name"), [((".html",), "passwd"), ((".html",), "page.htm"), ((".npz",), "x.npz.bak")])
def test_wrong_suffix_is_refused(tmp_path, suffixes, name):
    with pytest.raises(files.TargetError, match="does not end in"):
        files.write_file(tmp_path / name, b"x", suffixes=suffixes)
    assert _listing(tmp_path) == []


def test_step_html_refuses_a_copy_of_etc_passwd(tmp_path, capsys):
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n")
    code = main(["step", "x*x", "--var", "x=2", "--html", str(passwd)])
    err = capsys.readouterr().err
    assert code == 2 and ".html" in err and "passwd" in err and "Traceback" not in err
    assert passwd.read_text() == "root:x:0:0:root:/root:/bin/bash\n"
    with pytest.raises(files.TargetError, match=r"stepper_html: .*passwd' does not end in \.html"):
        viz.stepper_html(_value(), passwd)
    assert passwd.read_text().startswith("root:x:0:0") and _listing(tmp_path) == ["passwd"]


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), OSError(28, "No space left on device"), RuntimeError("boom")])
def test_no_temporary_file_after_an_injected_failure(tmp_path, failure):
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")

    def write(f):
        f.write(b"half")
        raise failure

    with pytest.raises(type(failure)) as info:
        files.write_file(path, write)
    assert _listing(tmp_path) == ["a.txt"] and path.read_bytes() == b"old"
    if isinstance(failure, OSError):
        assert info.value.filename == str(path)  # the target, never the temporary file


def test_failure_in_fsync_or_rename_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    for name in ("fsync", "replace"):
        with monkeypatch.context() as m:
            def fail(*args, **kwargs):
                raise PermissionError(13, "Permission denied")

            m.setattr(files.os, name, fail)
            with pytest.raises(PermissionError) as info:
                files.write_file(path, b"data")
        assert info.value.filename == str(path) and _listing(tmp_path) == [], name


def test_temporary_name_is_documented_and_recognised(tmp_path):
    name = files.TEMP_PATTERN.format(name="model.npz", pid=123, token="0a1b2c3d")
    assert name == ".model.npz.tgcn-123-0a1b2c3d.tmp"
    assert files.temporary_target(str(tmp_path / name)) == str(tmp_path / "model.npz")
    assert files.temporary_target("model.npz") is None
    assert "tgcn-<pid>-<random>.tmp" in files.__doc__


def test_kill_9_leaves_a_findable_temp_file_that_the_next_save_removes(tmp_path):
    target = tmp_path / "model.npz"
    code = textwrap.dedent(f"""
        import sys, time
        from tinygrad_cn import files
        def write(f):
            f.write(b"x" * 100000); f.flush()
            print("writing", flush=True)
            time.sleep(60)
        files.write_file({str(target)!r}, write)
    """)
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout.readline().strip() == "writing"
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    left = _listing(tmp_path)
    assert len(left) == 1 and left[0].startswith(".model.npz.tgcn-") and left[0].endswith(".tmp")
    assert files.stale_temporary_files(target) == [tmp_path / left[0]]
    tg.save({"w": np.ones(1)}, target)
    assert _listing(tmp_path) == ["model.npz"]


def test_temp_files_of_running_processes_and_other_targets_are_kept(tmp_path):
    mine = tmp_path / files.TEMP_PATTERN.format(name="a.npz", pid=os.getpid(), token="00000000")
    other = tmp_path / files.TEMP_PATTERN.format(name="b.npz", pid=2**22 + 7, token="00000000")
    mine.write_bytes(b"x")
    other.write_bytes(b"x")
    tg.save({"w": np.ones(1)}, tmp_path / "a.npz")
    assert _listing(tmp_path) == sorted([mine.name, other.name, "a.npz"])
    assert files.stale_temporary_files(tmp_path / "b.npz") == [other]


def test_cli_names_the_target_when_writing_fails(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable")
        code = main(["--lang", "en", "graph", "x", "--var", "x=1", "--out", str(ro / "g.svg")])
    finally:
        ro.chmod(0o700)
    err = capsys.readouterr().err
    assert code == 1 and err.strip() == f"error: {ro / 'g.svg'}: permission denied"


def test_cli_refuses_a_device_target_in_one_localized_line(tmp_path, capsys):
    link = tmp_path / "g.svg"
    link.symlink_to("/dev/null")
    code = main(["graph", "x", "--var", "x=1", "--out", str(link)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("错误：--out ") and "字符设备" in err and len(err.splitlines()) == 1
    code = main(["--lang", "en", "graph", "x", "--var", "x=1", "--out", str(link)])
    err = capsys.readouterr().err
    assert code == 2 and "is a character device, not a regular file" in err and "/dev/null" in err
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another owner")
def test_root_keeps_the_owner_of_an_existing_file(tmp_path):
    path = tmp_path / "theirs.npz"
    tg.save({"w": np.ones(1)}, path)
    os.chown(path, 1234, 4321)
    path.chmod(0o640)
    tg.save({"w": np.zeros(1)}, path)
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 4321, 0o640)
    assert np.array_equal(tg.load(path)["w"], np.zeros(1))


def test_no_writer_bypasses_write_file():
    """The package and the example scripts write files only through tinygrad_cn.files."""
    import ast

    forbidden = {"savefig", "write_text", "write_bytes", "replace", "rename", "mkstemp", "NamedTemporaryFile",
                 "savez", "savez_compressed", "save", "tofile"}
    found = []
    sources = [*(ROOT / "tinygrad_cn").rglob("*.py"), *(ROOT / "examples").glob("*.py")]
    for path in sources:
        if path.name == "files.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
            if name == "open" and owner in ("", "os", "io"):
                mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
                if isinstance(mode, ast.Constant) and any(c in str(mode.value) for c in "wax+"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} open(..., {mode.value!r})")
            elif name in forbidden:
                if (name == "save" and owner != "np") or (name in ("replace", "rename") and owner != "os"):
                    continue  # ex.save / model.save, str.replace
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner + '.' if owner else ''}{name}(...)")
    assert not found, "files written without tinygrad_cn.files.write_file:\n" + "\n".join(found)


def test_a_target_that_becomes_a_directory_while_writing_is_refused(tmp_path):
    path = tmp_path / "race.txt"

    def write(f):
        f.write(b"data")
        path.mkdir()  # someone else puts a directory there meanwhile

    with pytest.raises(files.DirectoryTargetError, match=r"write_file: .*race\.txt' is a directory"):
        files.write_file(path, write)
    assert path.is_dir() and _listing(tmp_path) == ["race.txt"]
