"""One graph per step: the forward pass filling in values, the backward pass filling in gradients.

All frames of a graph share one view (same nodes, same order, cells of fixed size), so their
layouts are identical and only the highlighted node and the numbers change from frame to frame.
Both read one :class:`~tinygrad_cn.viz.trace.Record` (built here when not given).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ...engine import Value
from ..text.numbers import norm, num, stats
from ..trace.nodes import op_type, parents, vid
from ..trace.recording import Record, record
from .dot import DotGraph
from .draw import NUMBER_TEMPLATE, Paint, paint_view
from .labels import text_width
from .view import DEFAULT_MAX_NODES, View, build_view


def number_template(view: View, grads: Iterable[np.ndarray]) -> str:
    """The widest number any frame of ``view`` will show (data, min/mean/max, grads, grad norms)."""
    texts = [NUMBER_TEMPLATE]
    for v in view.nodes:
        if v.data.size == 1:
            texts.append(num(v.data.reshape(())))
        elif v.data.size:
            texts.extend(num(x) for x in stats(v.data))
    for g in grads:
        texts.append(num(np.asarray(g).reshape(())) if np.size(g) == 1 else num(norm(g)))
    return max(texts, key=lambda t: text_width(t, 10.0))


def frame_view(rec: Record, max_nodes: int | None = DEFAULT_MAX_NODES, collapse: Any = False) -> View:
    """The one view every frame of ``rec`` is painted on."""
    return build_view(rec.root, params=rec.params, max_nodes=max_nodes, collapse=collapse,
                      nodes=rec.nodes, names=rec.names)


def _template(rec: Record, view: View) -> str:
    return number_template(view, [s.total for s in rec.backward] if rec.backward is not None else [])


def backward_frames_of(rec: Record, view: View, rankdir: str = "LR", legend: bool = True,
                       lang: str | None = None) -> list[DotGraph]:
    """The backward frames of a record on a view (see :func:`backward_frames`); the legend in
    ``lang``, by default the record's language."""
    if rec.backward is None:
        return []
    template = _template(rec, view)
    frames = []
    grads: dict[int, Any] = {}
    for step in rec.backward:
        grads[vid(step.node)] = step.total
        paint = Paint(
            grads=dict(grads),
            current=frozenset([vid(step.node)]),
            current_op=vid(step.via) if step.via is not None else None,
            hot_inputs={vid(step.node)},
            legend_current=True,
            number_template=template,
            lang=lang or rec.lang,
        )
        frames.append(paint_view(view, paint, rankdir, legend))
    return frames


def forward_frames_of(rec: Record, view: View, rankdir: str = "LR", legend: bool = True,
                      lang: str | None = None) -> list[DotGraph]:
    """The forward frames of a record on a view (see :func:`forward_frames`); the legend in
    ``lang``, by default the record's language."""
    template = _template(rec, view)  # room for the gradients too: forward and backward share one layout
    frames = []
    known: set[int] = set()
    for step in rec.forward:
        ids = [vid(v) for v in step.nodes]
        known.update(ids)
        node = step.node
        paint = Paint(
            grads={},
            known=set(known),
            current=frozenset(ids),
            current_op=vid(node) if step.op is not None else None,
            hot_inputs={vid(p) for p in parents(node)} if op_type(node) is not None and step.op is not None else set(),
            legend_current=True,
            number_template=template,
            lang=lang or rec.lang,
        )
        frames.append(paint_view(view, paint, rankdir, legend))
    return frames


def backward_frames(
    root: Value,
    params: Any = None,
    rankdir: str = "LR",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse: Any = False,
    legend: bool = True,
    gradient: Any = None,
    lang: str = "zh",
) -> list[DotGraph]:
    """One ``graphviz.Digraph`` per step of :func:`explain_backward`: the node receiving gradient
    highlighted, the op it came through and that edge lit, and every gradient computed so far
    filled in (the others read "—"). One ``tg.trace_backward``; ``.grad`` is left as it was.
    ``lang``: the legend's language ("zh", the default, or "en")."""
    rec = record(root, gradient=gradient, params=params, lang=lang, who="backward_frames")
    return backward_frames_of(rec, frame_view(rec, max_nodes, collapse), rankdir, legend)


def forward_frames(
    root: Value,
    params: Any = None,
    rankdir: str = "LR",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse: Any = False,
    legend: bool = True,
    lang: str = "zh",
) -> list[DotGraph]:
    """One graph per step of :func:`explain_forward`: values appear as they are computed ("?"
    before), the node just computed highlighted with the edges into its op; no gradients yet
    (cells keep room for them, so these frames have the backward frames' layout)."""
    wants = not isinstance(root, Value) or (root.requires_grad and root.data.size == 1)
    rec = record(root, params=params, backward=wants, lang=lang, who="forward_frames")
    return forward_frames_of(rec, frame_view(rec, max_nodes, collapse), rankdir, legend)
