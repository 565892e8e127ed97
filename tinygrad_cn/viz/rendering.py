"""Writing graphs to .svg / .png / .gv, with whichever Graphviz renderer is installed.

The system's ``dot`` is used when it is on PATH; otherwise the ``graphviz-pure`` command that the
``graphviz-pure`` PyPI package (a dependency) installs next to Python, so rendering works after a
plain ``pip install``. If neither is there, :class:`RenderError` says how to install one, and the
DOT source is still written beside the requested file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..files import check_target, write_file

FORMATS = {".svg": "svg", ".png": "png", ".gv": None, ".dot": None}

INSTALL_HELP = (
    "no Graphviz renderer found: install the self-contained one with `pip install graphviz-pure` "
    "(a dependency of tinygrad_cn), or the system Graphviz (`apt-get install graphviz`, "
    "`brew install graphviz`, `conda install graphviz`).\n"
    "找不到 Graphviz 渲染器：请运行 `pip install graphviz-pure`，或安装系统的 Graphviz"
    "（apt-get install graphviz / brew install graphviz）。"
)


class RenderError(RuntimeError):
    """No renderer is installed, or the renderer failed on this graph."""


def _script_dirs() -> list[Path]:
    dirs = [Path(sys.executable).parent]
    try:
        dirs.append(Path(sysconfig.get_path("scripts")))
    except KeyError:  # pragma: no cover - every CPython install has a scripts path
        pass
    return list(dict.fromkeys(dirs))


def renderers() -> list[tuple[str, str]]:
    """The renderers available now, best first, as ``(name, executable)``."""
    found = []
    dot = shutil.which("dot")
    if dot:
        found.append(("dot", dot))
    pure = shutil.which("graphviz-pure")
    if pure is None:
        exe = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
        for d in _script_dirs():
            cand = d / exe
            if cand.is_file() and os.access(cand, os.X_OK):
                pure = str(cand)
                break
    if pure:
        found.append(("graphviz-pure", pure))
    return found


def _stderr_text(err: bytes) -> str:
    lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip() and "Warning" not in ln]
    return " | ".join(lines[-5:]) or "no message"


def pipe(source: str, fmt: str) -> bytes:
    """Run the DOT ``source`` through the first renderer that succeeds; the output bytes."""
    found = renderers()
    if not found:
        raise RenderError(INSTALL_HELP)
    errors = []
    for name, exe in found:
        try:
            proc = subprocess.run([exe, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, check=False)
        except OSError as e:
            errors.append(f"{name}: {e}")
            continue
        if proc.returncode == 0 and proc.stdout:
            return proc.stdout
        errors.append(f"{name} exited with {proc.returncode}: {_stderr_text(proc.stderr)}")
    raise RenderError("Graphviz could not render the graph: " + "; ".join(errors))


_SVG_START = re.compile(r"(?=<\?xml )")


def svg_text(graph: Any) -> str:
    """The SVG text of a graph (anything with a ``.source`` holding DOT)."""
    return pipe(graph.source, "svg").decode("utf-8")


def svg_many(graphs: Sequence[Any]) -> list[str]:
    """The SVG of each graph, from a single renderer run (Graphviz reads several graphs at once)."""
    if not graphs:
        return []
    out = pipe("\n".join(g.source for g in graphs), "svg").decode("utf-8")
    parts = [p for p in _SVG_START.split(out) if p.strip()]
    if len(parts) != len(graphs):  # pragma: no cover - a renderer that writes one document only
        return [svg_text(g) for g in graphs]
    return parts


def write_atomic(path: Path, data: bytes, suffixes: tuple[str, ...] | None = None, who: str = "render") -> None:
    """Write ``data`` to ``path`` with :func:`tinygrad_cn.files.write_file` (atomic, through symlinks,
    keeping permissions, refusing directories and devices), creating missing folders."""
    write_file(path, data, suffixes=suffixes, who=who, make_parents=True)


def render(root_or_graph: Any, path: str | os.PathLike[str], **draw_kwargs: Any) -> Path:
    """Write a graph to ``path``: ``.svg`` or ``.png`` (rendered), ``.gv`` / ``.dot`` (DOT text).

    ``root_or_graph`` is a Value (drawn with :func:`draw_graph` and ``draw_kwargs``) or a graph
    (anything with a ``.source``, such as the result of ``draw_graph``). Returns the path.

    >>> import tinygrad_cn as tg
    >>> from tinygrad_cn import viz
    >>> x = tg.Value(3.0, label="x"); y = (x * x).relu()
    >>> import tempfile, pathlib; d = pathlib.Path(tempfile.mkdtemp())
    >>> viz.render(y, d / "y.svg").read_text().lstrip().startswith("<?xml")
    True
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"render: cannot tell the format of {str(path)!r}: use a .svg, .png or .gv file name")
    check_target(path, FORMATS, "render")  # a directory or a device: refused before any drawing
    if hasattr(root_or_graph, "source"):
        if draw_kwargs:
            raise TypeError(f"render: drawing options {sorted(draw_kwargs)} apply only when given a Value")
        graph = root_or_graph
    else:
        from .graph import draw_graph

        graph = draw_graph(root_or_graph, **draw_kwargs)
    fmt = FORMATS[suffix]
    if fmt is None:
        write_atomic(path, graph.source.encode("utf-8"), tuple(FORMATS))
        return path
    try:
        data = pipe(graph.source, fmt)
    except RenderError as e:
        if renderers():
            raise
        gv = path.with_suffix(".gv")
        write_atomic(gv, graph.source.encode("utf-8"), (".gv",))
        raise RenderError(f"{e}\nThe DOT source was written to {gv} / DOT 源文件已写入 {gv}") from None
    write_atomic(path, data, tuple(FORMATS))
    return path
