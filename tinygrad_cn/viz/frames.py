"""One graph per step: the forward pass filling in values, the backward pass filling in gradients.

All frames of a graph share one view (same nodes, same order, cells of fixed size), so their
layouts are identical and only the highlighted node and the numbers change from frame to frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..engine.value import Value
from .dotgraph import DotGraph
from .explain import BackwardLog, ForwardLog, explain_backward, explain_forward
from .fmt import norm, num, stats
from .graph import NUMBER_TEMPLATE, Paint, paint_view
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


def backward_frames(
    root: Value,
    params: Any = None,
    rankdir: str = "LR",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse: Any = False,
    legend: bool = True,
    log: BackwardLog | None = None,
) -> list[DotGraph]:
    """One ``graphviz.Digraph`` per step of :func:`explain_backward` (pass ``log`` to reuse one):
    the node receiving gradient highlighted, the op it came through and that edge lit, and every
    gradient computed so far filled in (the others read "—")."""
    log = log if log is not None else explain_backward(root, params=params)
    view = build_view(root, params=params, max_nodes=max_nodes, collapse=collapse)
    template = number_template(view, [s.total for s in log])
    frames = []
    grads: dict[int, Any] = {}
    for step in log:
        grads[step.node.id] = step.total
        paint = Paint(
            grads=dict(grads),
            current=frozenset([step.node.id]),
            current_op=step.via.id if step.via is not None else None,
            hot_inputs={step.node.id},
            legend_current=True,
            number_template=template,
        )
        frames.append(paint_view(view, paint, rankdir, legend))
    return frames


def forward_frames(
    root: Value,
    params: Any = None,
    rankdir: str = "LR",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse: Any = False,
    legend: bool = True,
    log: ForwardLog | None = None,
) -> list[DotGraph]:
    """One graph per step of :func:`explain_forward`: values appear as they are computed ("?"
    before), the node just computed highlighted with the edges into its op; no gradients yet."""
    log = log if log is not None else explain_forward(root, params=params)
    view = build_view(root, params=params, max_nodes=max_nodes, collapse=collapse)
    # reserve room for the gradients too, so forward and backward frames share one layout
    totals = [s.total for s in explain_backward(root, params=params)] if root.requires_grad else []
    template = number_template(view, totals)
    frames = []
    known: set[int] = set()
    for step in log:
        ids = [v.id for v in step.nodes]
        known.update(ids)
        node = step.node
        paint = Paint(
            grads={},
            known=set(known),
            current=frozenset(ids),
            current_op=node.id if step.op is not None else None,
            hot_inputs={p.id for p in node.parents} if step.op is not None else set(),
            legend_current=True,
            number_template=template,
        )
        frames.append(paint_view(view, paint, rankdir, legend))
    return frames
