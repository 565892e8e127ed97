"""Every file tinygrad_cn writes goes through :func:`write_file` (``tg.save``, ``viz.render``,
``viz.stepper_html``, the plots, the CLI's ``--out`` / ``--html``, the example scripts' figures).

What a write does, in order:

1. the name must end in one of the format's suffixes (``page.html``, not ``/etc/passwd``);
2. a symlink is followed: its target is written and the link stays a link;
3. an existing target that is not a regular file (a directory, a device such as ``/dev/null``, a
   fifo, a socket) is refused with an error naming it, and left untouched;
4. the bytes go to a temporary file in the target's own directory, named
   ``.<name>.tgcn-<pid>-<random>.tmp``, are flushed and ``fsync``-ed, then ``os.replace`` puts the
   file in place in one step: a reader sees the old file or the new one, never half of one;
5. an existing target keeps its permission bits (a 0600 file stays 0600; a new file gets
   0666 minus the umask, as ``open()`` would) and, where allowed, its owner and group;
6. on any error (including Ctrl-C) the temporary file is removed and the error names the target.

A process killed outright (``kill -9``, power loss) cannot clean up: its temporary file stays, with
the name above. The next write of the same target removes such leftovers of processes that no
longer run; :func:`stale_temporary_files` lists them, e.g. to delete by hand. Replacing a file
gives it a new inode: other hard links to the old file keep the old contents.

Stand-alone (standard library only; :func:`save_figure` takes a matplotlib figure but does not import
matplotlib): any layer of the package, and the example scripts, may import it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "DirectoryTargetError", "TargetError", "check_target", "kind_of", "save_figure",
    "stale_temporary_files", "temporary_target", "write_file",
]

# the temporary file of a write of <name>: ".<name>.tgcn-<pid>-<8 random hex digits>.tmp"
TEMP_PATTERN = ".{name}.tgcn-{pid}-{token}.tmp"
_TEMP = re.compile(r"^\.(?P<name>.+)\.tgcn-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")

PathLike = str | os.PathLike[str]
Writer = Callable[[BinaryIO], None]

_KINDS = (
    (stat.S_ISDIR, "a directory", "一个目录"),
    (stat.S_ISCHR, "a character device", "一个字符设备"),
    (stat.S_ISBLK, "a block device", "一个块设备"),
    (stat.S_ISFIFO, "a fifo (named pipe)", "一个命名管道（fifo）"),
    (stat.S_ISSOCK, "a socket", "一个套接字"),
)


class TargetError(ValueError):
    """An output path that must not be written: a wrong suffix, or an existing target that is not a
    regular file. ``path`` is the name given, ``target`` the file it leads to (after symlinks)."""

    def __init__(self, message: str, path: str, target: str) -> None:
        super().__init__(message)
        self.path, self.target = path, target

    def __str__(self) -> str:
        return str(self.args[0])


class DirectoryTargetError(TargetError, IsADirectoryError):
    """The target is a directory: both a :class:`TargetError` (ValueError) and, as ``open()`` says,
    an IsADirectoryError."""

    def __init__(self, message: str, path: str, target: str) -> None:
        super().__init__(message, path, target)
        self.errno, self.strerror, self.filename = errno.EISDIR, os.strerror(errno.EISDIR), target


def _kind(mode: int, lang: str = "en") -> str:
    for test, en, zh in _KINDS:
        if test(mode):
            return zh if lang == "zh" else en
    return "不是普通文件" if lang == "zh" else "not a regular file"  # pragma: no cover - all types are listed


def kind_of(path: PathLike, lang: str = "en") -> str:
    """What an existing non-regular file is, in words ("a character device" / "一个字符设备")."""
    return _kind(os.stat(path).st_mode, lang)


def _resolve(path: str) -> str:
    """The file a write of ``path`` lands in: symlinks followed (also a dangling one: its target is
    created), relative to the current directory."""
    return os.path.realpath(path)


def check_target(path: PathLike, suffixes: Iterable[str] | None = None, who: str = "write_file") -> str:
    """The real file a write of ``path`` would replace (symlinks followed), or :class:`TargetError`
    when the suffix is not one of ``suffixes`` (compared case-insensitively) or the target exists
    and is not a regular file. Nothing is written."""
    name = os.fspath(path)
    if not isinstance(name, str):
        name = os.fsdecode(name)
    if not name or name.endswith(os.sep) or os.path.basename(name) in ("", ".", ".."):
        raise TargetError(f"{who}: {name!r} is not a file name", name, name)
    if suffixes is not None:
        allowed = tuple(s.lower() for s in suffixes)
        suffix = os.path.splitext(name)[1].lower()
        if suffix not in allowed:
            raise TargetError(
                f"{who}: {name!r} does not end in {' / '.join(allowed)}; refusing to write it "
                f"(the suffix names the format: choose a file name such as 'out{allowed[0]}')",
                name, name,
            )
    target = _resolve(name)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target
    except NotADirectoryError:  # a file where a folder of the path should be
        return target
    if not stat.S_ISREG(st.st_mode):
        shown = repr(name) if target == os.path.abspath(name) else f"{name!r} (a link to {target!r})"
        cls = DirectoryTargetError if stat.S_ISDIR(st.st_mode) else TargetError
        raise cls(
            f"{who}: {shown} is {_kind(st.st_mode)}, not a regular file; refusing to replace it "
            "(give the name of a file)",
            name, target,
        )
    return target


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be writing it right now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (another user's), or we cannot tell: keep it
    return True


def stale_temporary_files(path: PathLike) -> list[Path]:
    """Temporary files left in ``path``'s directory by writes of ``path`` whose process is gone
    (killed while writing): named ``.<name>.tgcn-<pid>-<8 hex digits>.tmp`` (``TEMP_PATTERN``), so
    ``ls -a`` or ``find . -name '.*.tgcn-*.tmp'`` shows them. The next :func:`write_file` of ``path``
    removes them; a temporary file of a process that still runs is kept."""
    target = _resolve(os.fspath(path))
    directory, name = os.path.split(target)
    found = []
    try:
        entries = os.listdir(directory)
    except OSError:
        return []
    for entry in entries:
        m = _TEMP.match(entry)
        if m and m["name"] == name and not _pid_alive(int(m["pid"])):
            found.append(Path(directory, entry))
    return sorted(found)


def temporary_target(name: str) -> str | None:
    """The target name behind a temporary file's name (``.x.svg.tgcn-12-0a1b2c3d.tmp`` → ``x.svg``)."""
    m = _TEMP.match(os.path.basename(name))
    return None if m is None else os.path.join(os.path.dirname(name), m["name"])


def _new_mode(existing: os.stat_result | None) -> int:
    if existing is not None:
        return stat.S_IMODE(existing.st_mode)
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where Linux shows it (/proc/self/status);
    elsewhere set and restored at once (os.umask is the only portable way to read it)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _renamed(e: OSError, target: str) -> OSError:
    """``e`` naming the target instead of the temporary file."""
    if e.errno is None:
        return e
    return OSError(e.errno, e.strerror or os.strerror(e.errno), target)


def write_file(
    path: PathLike,
    data: bytes | Writer,
    suffixes: Iterable[str] | None = None,
    who: str = "write_file",
    make_parents: bool = False,
) -> Path:
    """Write ``data`` (bytes, or a function that writes into a binary file object) to ``path``,
    atomically and safely (see the module's docstring); returns ``Path(path)``.

    ``suffixes``: the allowed endings (e.g. ``(".svg", ".png")``), None for any; ``who``: the
    function named in errors; ``make_parents``: create missing folders first.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "a.txt")
    >>> write_file(p, b"hello", suffixes=(".txt",)).read_bytes()
    b'hello'
    >>> write_file(os.path.join(d, "passwd"), b"x", suffixes=(".html",))
    Traceback (most recent call last):
    ...
    tinygrad_cn.files.TargetError: write_file: '...passwd' does not end in .html; ...
    """
    name = os.fsdecode(os.fspath(path))
    target = check_target(name, suffixes, who)
    directory, base = os.path.split(target)
    if make_parents:
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as e:
            raise _renamed(e, name) from e
    for stale in stale_temporary_files(target):
        with contextlib.suppress(OSError):
            stale.unlink()
    try:
        existing: os.stat_result | None = os.stat(target)
    except OSError:
        existing = None
    while True:
        tmp = os.path.join(directory, TEMP_PATTERN.format(name=base, pid=os.getpid(), token=secrets.token_hex(4)))
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            break
        except FileExistsError:  # pragma: no cover - 2**32 names; try another
            continue
        except OSError as e:
            raise _renamed(e, name) from e
    try:
        try:
            with os.fdopen(fd, "wb") as f:
                if isinstance(data, (bytes, bytearray, memoryview)):
                    f.write(data)
                else:
                    data(f)
                f.flush()
                os.fsync(f.fileno())
                if existing is not None and hasattr(os, "fchown"):
                    with contextlib.suppress(OSError):  # keep the owner where we may (root)
                        if (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
                            os.fchown(f.fileno(), existing.st_uid, existing.st_gid)
                os.chmod(tmp, _new_mode(existing))  # after fchown, which may clear set-id bits
            # the target may have become a directory or device meanwhile: check again, just before
            check_target(name, None, who)
            os.replace(tmp, target)
        except TargetError:
            raise
        except OSError as e:
            raise _renamed(e, name) from e
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_directory(directory)
    return Path(name)


FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def save_figure(fig: Any, path: PathLike, who: str = "save_figure", suffixes: Iterable[str] = FIGURE_SUFFIXES,
                **savefig_kwargs: Any) -> Path:
    """Render a matplotlib figure in memory, in the format its suffix names, and write it with
    :func:`write_file` (missing folders are created); ``savefig_kwargs`` go to ``fig.savefig``
    (``dpi`` defaults to 110). The suffix and the target are checked before anything is drawn."""
    suffixes = tuple(suffixes)
    check_target(path, suffixes, who)
    buf = io.BytesIO()
    savefig_kwargs.setdefault("dpi", 110)
    fig.savefig(buf, format=os.path.splitext(os.fspath(path))[1].lower()[1:], **savefig_kwargs)
    return write_file(path, buf.getvalue(), suffixes=suffixes, who=who, make_parents=True)


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); skipped where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
