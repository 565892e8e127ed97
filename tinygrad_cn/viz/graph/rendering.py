"""Writing graphs to .svg / .png / .gv, with whichever Graphviz renderer is installed.

Rendering goes through :mod:`.dot` (the system's ``dot``, else ``graphviz-pure``). If no renderer is
there, :class:`RenderError` says how to install one, and the DOT source is still written beside the
requested file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ...files import check_target, write_file
from ..lang import BILINGUAL
from .dot import RenderError, pipe, renderers
from .draw import draw_graph

FORMATS = {".svg": "svg", ".png": "png", ".gv": None, ".dot": None}

__all__ = ["FORMATS", "RenderError", "render"]


def fmt_png_without_cjk(suffix: str, found: list[tuple[str, str]]) -> bool:
    """True when a PNG would be drawn by graphviz-pure, whose fonts have no Chinese glyphs."""
    return suffix == ".png" and bool(found) and found[0][0] != "dot"


def render(root_or_graph: Any, path: str | os.PathLike[str], **draw_kwargs: Any) -> Path:
    """Write a graph to ``path``: ``.svg`` or ``.png`` (rendered), ``.gv`` / ``.dot`` (DOT text).

    ``root_or_graph`` is a Value (drawn with :func:`draw_graph` and ``draw_kwargs``, such as
    ``lang="en"`` for an English legend; Chinese is the default) or a graph (anything with a
    ``.source``, such as the result of ``draw_graph``). Returns the path.

    A ``.png`` drawn by ``graphviz-pure`` (no system ``dot``) gets the English legend: its bundled
    fonts have no Chinese glyphs and would draw boxes. SVG shows Chinese in any browser.

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
        found = renderers()
        if fmt_png_without_cjk(suffix, found) and draw_kwargs.get("lang", "zh") == "zh":
            draw_kwargs = {**draw_kwargs, "lang": "en"}
        graph = draw_graph(root_or_graph, **draw_kwargs)
    fmt = FORMATS[suffix]
    if fmt is None:
        return write_file(path, graph.source.encode("utf-8"), FORMATS, "render", make_parents=True)
    try:
        data = pipe(graph.source, fmt)
    except RenderError as e:
        if renderers():
            raise
        gv = path.with_suffix(".gv")
        write_file(gv, graph.source.encode("utf-8"), (".gv",), "render", make_parents=True)
        raise RenderError(f"{e}\n" + BILINGUAL["dot_written"].format(gv=gv)) from None
    return write_file(path, data, FORMATS, "render", make_parents=True)
