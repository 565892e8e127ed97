"""Running Graphviz: the system's ``dot`` when it is on PATH, otherwise the ``graphviz-pure``
command that the ``graphviz-pure`` PyPI package (a dependency) installs next to Python, so
rendering works after a plain ``pip install``; and :class:`DotGraph`, a ``graphviz.Digraph`` that
shows itself inline in Jupyter through them (its SVG capped at the notebook's width).
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

import graphviz

from ..lang import BILINGUAL

INSTALL_HELP = BILINGUAL["install_help"]


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


_SVG_OPEN = re.compile(r"<svg\b([^>]*?)\swidth=\"([^\"]*)\"\s+height=\"([^\"]*)\"")


def fit_width(svg: str) -> str:
    """An SVG that never overflows its container: at most 100% wide, height following, its natural
    size kept as the upper limit (a notebook cell crops a wide graph otherwise)."""
    return _SVG_OPEN.sub(lambda m: f'<svg{m[1]} width="{m[2]}" height="{m[3]}" '
                         'style="max-width: 100%; height: auto"', svg, count=1)


class DotGraph(graphviz.Digraph):
    """What :func:`tinygrad_cn.viz.draw_graph` returns: a plain ``graphviz.Digraph`` in every way,
    except that Jupyter's inline display renders with whichever renderer is installed (instead of
    failing when ``dot`` is missing) and scales a wide graph down to the cell's width."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict[str, str]:
        try:
            svg = fit_width(svg_text(self))
        except RenderError as e:
            return {"text/plain": str(e)}
        # HTML first (Jupyter and nbconvert prefer it): an inline <svg> obeys the width cap, while the
        # image/svg+xml output is shown as an <img> whose natural width a narrow cell crops
        start = svg.find("<svg")
        return {"text/html": f'<div style="max-width: 100%">{svg[start:]}</div>', "image/svg+xml": svg}

    def _repr_svg_(self) -> str:
        return fit_width(svg_text(self))

    def svg(self) -> str:
        """This graph rendered to SVG text."""
        return svg_text(self)
