"""The stepper: one self-contained web page that steps through the forward and the backward pass
of a graph, a picture per step with the formula and the numbers beside it.

:func:`stepper` returns a :class:`Stepper` (shown inline in Jupyter, ``.save(path)`` writes it);
:func:`stepper_html` writes the page to a file. Everything on the page comes from one
:class:`~tinygrad_cn.viz.trace.Record`: one ``tg.trace_backward``, no replay.

The page loads nothing (no scripts, fonts or styles from anywhere; a Content-Security-Policy
forbids it): every frame is inline SVG, the step data is inline JSON. Prev / Next buttons, the
← / → keys, Home / End and a slider move between steps; ``#step=N`` in the address opens step N
(counted from 1, as the page's counter) and the address follows the current step; the wheel, a
drag and the buttons (or + / − / 0) zoom, pan and fit the graph, and the current node is kept in
view; a button switches 中文 / English.
"""

from __future__ import annotations

import html as htmlmod
import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ...engine import Value
from ...files import check_target, write_file
from ..graph.dot import svg_many
from ..graph.draw import CURRENT, FILL, OP_FILL
from ..graph.frames import backward_frames_of, forward_frames_of, frame_view
from ..lang import UI, both, check_lang
from ..text.numbers import DASH, array_text, matrix, shape_text
from ..trace.naming import op_with_symbol
from ..trace.nodes import vid
from ..trace.recording import Record, record
from ..trace.steps import BackwardStep, ForwardStep
from .assets import CSS, JS, PAGE

DIGITS = 6  # significant digits of the numbers on the page
HTML_SUFFIXES = (".html", ".htm")
MATRIX_DIGITS = 4  # ... and in its matrices (compact: a 4×3 fits the panel)


ID_MARK = "@-"  # in the stored pieces, every id="..." starts with this; the page puts "f<step>-" there
_PIECE = re.compile(r"\n(?=<g id=\"@-(?:node|edge|clust)\d+\" class=)")


def _clean_svg(svg: str) -> str:
    """An SVG document as an inline element: no prolog, doctype or comments; ids marked (made
    unique per frame by the page). Its natural size (points) stays: the page scales it by zooming."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\bid="', f'id="{ID_MARK}', svg)
    return svg.strip()


def _shared_pieces(svgs: list[str]) -> tuple[list[str], list[list[int]]]:
    """The frames as lists of pieces (the SVG's head, then one piece per node or edge), each
    distinct piece stored once: consecutive frames differ in a few nodes, so a page of a hundred
    frames weighs little more than one."""
    pieces: list[str] = []
    index: dict[str, int] = {}
    frames = []
    for svg in svgs:
        ids = []
        for part in _PIECE.split(_clean_svg(svg)):
            k = index.get(part)
            if k is None:
                k = index[part] = len(pieces)
                pieces.append(part)
            ids.append(k)
        frames.append(ids)
    return pieces, frames


def _scalar_or_none(a: np.ndarray | None) -> float | None:
    if a is None or np.size(a) != 1:
        return None
    x = float(np.asarray(a).reshape(()))
    return x if np.isfinite(x) else None


def _forward_lines(step: ForwardStep) -> tuple[dict[str, str], list[dict[str, Any]]]:
    if step.op is None:
        lines = [{"label": both("leaf"), "value": n if v.data.size > 1 else f"{n} = {array_text(v.data, DIGITS)}",
                  **({"matrix": matrix(v.data, MATRIX_DIGITS)} if v.data.size > 1 else {})}
                 for n, v in zip(step.names, step.nodes)]
        return both("forward_leaves"), lines
    name = step.names[0]
    lines: list[dict[str, Any]] = [
        {"label": both("op"), "value": op_with_symbol(step.op, step.symbol)},
        {"label": both("formula"), "value": step.formula},
        {"label": both("with_names"), "value": step.formula_named},
    ]
    if step.formula_numeric:
        lines.append({"label": both("with_numbers"), "value": step.formula_numeric})
    data = step.node.data
    if data.size == 1:
        lines.append({"label": both("result"), "value": f"{name} = {array_text(data, DIGITS)}", "key": True})
    else:
        lines.append({"label": both("result"), "value": f"{name}", "matrix": matrix(data, MATRIX_DIGITS), "key": True})
    return both("forward_compute", name=name), lines


def _backward_lines(step: BackwardStep, forward_named: dict[int, str]) -> tuple[dict[str, str], list[dict[str, Any]], Any]:
    node = step.name
    total = array_text(step.total, DIGITS)
    if step.via is None:
        lines: list[dict[str, Any]] = [{"label": both("seed_label"), "value": step.formula_named}]
        if step.total.size == 1:
            lines.append({"label": f"{node}.grad", "value": f"= {total}", "key": True})
        else:
            lines.append({"label": f"{node}.grad", "value": "=", "matrix": matrix(step.total, MATRIX_DIGITS), "key": True})
        return both("backward_start", node=node, total=total if step.total.size == 1 else "g"), lines, None
    via = step.via_name
    assert via is not None
    title = both("flows", via=via, node=node)
    lines = [
        {"label": both("op"), "value": forward_named.get(vid(step.via), f"{via} = {step.op}(…)")},
        {"label": both("local_derivative"), "value": step.formula},
        {"label": both("with_names"), "value": step.formula_named},
    ]
    note = None
    if not step.is_tensor:
        if step.formula_numeric:
            lines.append({"label": both("with_numbers"), "value": step.formula_numeric})
        contribution = array_text(step.contribution, DIGITS)
        local = DASH if step.local is None else array_text(step.local, DIGITS)
        lines += [
            {"label": both("upstream", via=via), "value": array_text(step.upstream, DIGITS)},
            {"label": both("local", via=via, node=node), "value": local},
            {"label": both("contribution"), "value": contribution},
            {"label": f"{node}.grad",
             "value": f"+= {contribution} → {total}" if step.accumulate else f"= {total}", "key": True},
        ]
    else:
        # matrix form: G, the rule with G written out, its result, the broadcast sum, the gradient
        assert step.upstream is not None and step.unsummed is not None
        lines += [
            {"label": both("G", via=via), "value": "G",
             "matrix": matrix(step.upstream, MATRIX_DIGITS)},
            {"label": both("rule"), "value": step.rule_named, "matrix": matrix(step.unsummed, MATRIX_DIGITS)},
        ]
        if step.summed_axes:
            before, after = shape_text(step.unsummed.shape), shape_text(step.contribution.shape)
            axes = str(step.summed_axes)
            lines.append({"label": both("broadcast_sum", axes=axes),
                          "value": f"Σ axes {axes}: {before} → {after}", "matrix": matrix(step.contribution, MATRIX_DIGITS)})
            note = both("broadcast_note", node=node, before=before, after=after, axes=axes)
        grad_line = "+= (above) →" if step.accumulate else "="
        lines.append({"label": f"{node}.grad", "value": grad_line, "matrix": matrix(step.total, MATRIX_DIGITS), "key": True})
        tensor_note = both("tensor_note", node=node, via=via)
        note = tensor_note if note is None else {k: tensor_note[k] + " " + note[k] for k in note}
    if step.accumulate:
        extra = both("accumulate_note", node=node)
        note = extra if note is None else {k: note[k] + " " + extra[k] for k in extra}
    return title, lines, note


def page_html(rec: Record, rankdir: str = "TB", max_steps: int = 400, who: str = "stepper_html") -> str:
    """The stepper page of a record, as one HTML document."""
    assert rec.backward is not None
    flog, blog = rec.forward, rec.backward
    n_steps = len(flog) + len(blog)
    if n_steps > max_steps:
        raise ValueError(
            f"{who}: this graph takes {n_steps} steps (more than max_steps={max_steps}); "
            "step through a smaller graph, or raise max_steps"
        )
    view = frame_view(rec, max_nodes=None)
    graphs = forward_frames_of(rec, view, rankdir, legend=False) + backward_frames_of(rec, view, rankdir, legend=False)
    svgs = svg_many(graphs)
    nodes = rec.nodes
    pos = {vid(v): i for i, v in enumerate(nodes)}
    node_info = [{"name": rec.names[vid(v)], "colour": FILL[view.kinds[vid(v)]], "key": view.key(v)} for v in nodes]
    forward_named = {vid(s.node): s.formula_named for s in flog if s.op is not None}

    steps: list[dict[str, Any]] = []
    known: set[int] = set()
    for s in flog:
        known.update(vid(v) for v in s.nodes)
        title, lines = _forward_lines(s)
        steps.append({
            "phase": "forward", "title": title, "lines": lines, "note": None, "sentence": s.sentence,
            "current": [pos[vid(v)] for v in s.nodes],
            "data": [array_text(v.data, DIGITS) if vid(v) in known else "?" for v in nodes],
            "grad": [DASH] * len(nodes), "gradv": [None] * len(nodes),
        })
    data_all = [array_text(v.data, DIGITS) for v in nodes]
    grads: dict[int, np.ndarray] = {}
    for b in blog:
        grads[vid(b.node)] = b.total
        title, lines, note = _backward_lines(b, forward_named)
        steps.append({
            "phase": "backward", "title": title, "lines": lines, "note": note, "sentence": b.sentence,
            "current": [pos[vid(b.node)]],
            "data": data_all,
            "grad": [array_text(grads[vid(v)], DIGITS) if vid(v) in grads else DASH for v in nodes],
            "gradv": [_scalar_or_none(grads.get(vid(v))) for v in nodes],
        })
    legend = [{"colour": FILL[k], **both(f"legend_{k}")} for k in ("param", "input", "inter", "output")]
    legend += [{"colour": OP_FILL, **both("legend_op")}, {"colour": CURRENT, **both("legend_current")}]
    pieces, frames = _shared_pieces(svgs)
    payload = {"lang": rec.lang, "ui": UI, "nodes": node_info, "steps": steps, "legend": legend,
               "svg": {"mark": ID_MARK, "pieces": pieces, "frames": frames}}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    ui = UI[rec.lang]
    return PAGE.format(
        html_lang="zh-CN" if rec.lang == "zh" else "en", title=ui["title"], css=CSS, js=JS, data=data,
        prev=ui["prev"], next=ui["next"], lang_button=ui["lang"], last=len(steps) - 1,
        zoom_in=ui["zoom_in"], zoom_out=ui["zoom_out"], fit=ui["fit"],
    )


class Stepper:
    """The stepper page of one graph: inline in Jupyter (``_repr_html_``: the page in an iframe),
    ``.save(path)`` writes it as one self-contained .html file, ``.html`` is its text."""

    def __init__(self, html: str, rec: Record) -> None:
        self.html = html
        self.record = rec

    def _repr_html_(self) -> str:
        doc = htmlmod.escape(self.html, quote=True)
        return (f'<iframe srcdoc="{doc}" sandbox="allow-scripts" title="{htmlmod.escape(UI[self.record.lang]["title"])}" '
                'style="width: 100%; height: 760px; border: 1px solid #d0d0d8; border-radius: 6px"></iframe>')

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (one .html file) and return the path."""
        return write_file(path, self.html.encode("utf-8"), HTML_SUFFIXES, "Stepper.save", make_parents=True)

    def __repr__(self) -> str:
        rec = self.record
        n = len(rec.forward) + (len(rec.backward) if rec.backward is not None else 0)
        return f"Stepper({rec.names[vid(rec.root)]!r}, {n} steps, lang={rec.lang!r})"


def _record(root: Value | Record, gradient: Any, params: Any, lang: str, who: str) -> Record:
    if isinstance(root, Record):
        if root.backward is None:
            raise ValueError(f"{who}: this record has no backward pass (made with backward=False)")
        if params is not None or gradient is not None:
            raise TypeError(f"{who}: params= and gradient= apply only when given a Value (a record already has them)")
        return root if root.lang == lang else replace(root, lang=lang)
    return record(root, gradient=gradient, params=params, lang=lang, who=who)


def stepper(
    root: Value | Record,
    lang: str = "zh",
    params: Any = None,
    rankdir: str = "TB",
    max_steps: int = 400,
    gradient: Any = None,
) -> Stepper:
    """The stepper page for ``root``'s graph as a :class:`Stepper`: shown inline in a notebook,
    ``.save(path)`` writes it (see :func:`stepper_html`). One ``tg.trace_backward``; ``.grad`` is
    left as it was. ``root`` may also be a :class:`~tinygrad_cn.viz.Record` already made."""
    check_lang(lang, "stepper")
    rec = _record(root, gradient, params, lang, "stepper")
    return Stepper(page_html(rec, rankdir, max_steps, "stepper"), rec)


def stepper_html(
    root: Value | Record,
    path: str | os.PathLike[str],
    lang: str = "zh",
    params: Any = None,
    rankdir: str = "TB",
    max_steps: int = 400,
    gradient: Any = None,
) -> Path:
    """Write the stepper page for ``root``'s graph to ``path`` (one .html file) and return the path.

    The page starts in ``lang`` ("zh" or "en") and can switch. ``params`` (an nn.Module or named
    parameters) names the parameters; ``rankdir`` "TB" (top to bottom, the default: it fits beside
    the panel) or "LR" (micrograd's left to right). Graphs with more than ``max_steps`` steps are
    refused (a frame per step would make a huge page): step through a smaller graph. The page
    reads one ``tg.trace_backward`` of ``root`` (``gradient`` for a non-scalar root); ``.grad`` is
    left as it was. ``root`` may also be a :class:`~tinygrad_cn.viz.Record` already made.
    """
    check_lang(lang, "stepper_html")
    check_target(path, HTML_SUFFIXES, "stepper_html")  # before the work: a wrong name or a device is refused
    rec = _record(root, gradient, params, lang, "stepper_html")
    return Stepper(page_html(rec, rankdir, max_steps), rec).save(path)
