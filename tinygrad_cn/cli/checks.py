"""What the sub-commands share: checks of output paths before any work is done, one-line
localized texts for operating-system errors and the notice for NaN / inf."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import Any

from .messages import MSG, OS_REASONS


def _suffixes_text(suffixes: tuple[str, ...], lang: str) -> str:
    return (" / " if lang == "zh" else ", ").join(suffixes)


def _file_in_the_way(p: Path) -> Path | None:
    """The nearest existing ancestor of ``p`` when it is a file (so no folder can be made there)."""
    for parent in p.absolute().parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def output_file_problem(path: str | os.PathLike[str], option: str, suffixes: tuple[str, ...] | None,
                        example: str, lang: str) -> str | None:
    """Why ``path`` cannot be the output file of ``option`` (a directory, an unknown suffix), or None."""
    from ..files import TargetError, check_target, kind_of

    msg = MSG[lang]
    p = Path(path)
    if p.is_dir():
        return msg["is_dir"].format(option=option, path=p, example=p / example)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        return msg["bad_suffix"].format(option=option, path=p, suffixes=_suffixes_text(suffixes, lang))
    try:
        check_target(p, suffixes, option)
    except TargetError as e:  # an existing device, fifo or socket (also behind a symlink)
        target = "" if e.target == os.path.abspath(e.path) else f" → {e.target}"
        return msg["not_regular"].format(option=option, path=p, target=target, kind=kind_of(e.target, lang))
    blocker = _file_in_the_way(p)
    if blocker is not None:
        return msg["file_in_the_way"].format(option=option, path=p, file=blocker)
    return None


def output_dir_problem(path: str | os.PathLike[str], option: str, lang: str) -> str | None:
    """Why ``path`` cannot be the output folder of ``option`` (it is a file), or None."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        return MSG[lang]["not_dir"].format(option=option, path=p)
    blocker = _file_in_the_way(p)
    if blocker is not None:
        return MSG[lang]["file_in_the_way"].format(option=option, path=p, file=blocker)
    return None


# the temporary file written first and then renamed: tinygrad_cn.files' ".<name>.tgcn-<pid>-<random>.tmp",
# or tempfile's ".<name>.<8 random characters>"
_TEMPORARY = re.compile(r"^\.(?P<name>.+?)(?:\.tgcn-\d+-[0-9a-f]{8}\.tmp|\.[A-Za-z0-9_]{8})$")


def os_error_text(e: OSError, lang: str, path: str | os.PathLike[str] | None = None) -> str:
    """``path: reason`` for an OSError, in ``lang``. The path is ``path`` when given (the file the
    user asked for), else the one in the error, never a temporary file's name: for a rename the
    destination, and ``.name.x8k2abcd`` becomes ``name``."""
    if path is None:
        path = e.filename2 if getattr(e, "filename2", None) is not None else e.filename
        if path is not None:
            p = Path(os.fsdecode(path))
            m = _TEMPORARY.match(p.name)
            path = p.with_name(m["name"]) if m else p
    name = errno.errorcode.get(e.errno or -1, "")
    reason = OS_REASONS[lang].get(name) or e.strerror or str(e) or type(e).__name__
    if path is None:
        return reason
    return MSG[lang]["os_error"].format(path=os.fsdecode(path), reason=reason)


def nonfinite_notice(rec: Any, lang: str) -> str | None:
    """The notice for the first node whose value (forward) or gradient (backward) is NaN or inf,
    read from the one record of :func:`viz.record`; None when every number is finite."""
    found = rec.nonfinite()
    if found is None:
        return None
    msg = MSG[lang]
    if found.phase == "forward":
        where = msg["nonfinite_forward"].format(step=found.step, name=found.name, op=found.op, bad=found.bad)
    else:
        where = msg["nonfinite_backward"].format(step=found.step, via=found.via, name=found.name, op=found.op,
                                                 bad=found.bad)
    return msg["nonfinite"].format(where=where)
