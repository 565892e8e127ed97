"""``draw_graph``: a computation graph as a :class:`graphviz.Digraph`.

micrograd's picture, grown up for tensors. A value node is a row of cells, "name | data | grad"
(a tensor shows its shape and dtype, min/mean/max, and the norm of its gradient); an op node is an
ellipse with the op's symbol; edges into an op with several inputs carry
each input its position (#1, #2, ...: which argument of ``a − b`` or ``x @ W`` it is, never a
letter that could be mistaken for one of the user's names); hovering an op shows its name.
Colours mean something and a legend says what. Each ``nn.Module`` call is a labelled box (a
FeedForward holds w1, w3, SiLU, ×, w2), which ``collapse`` turns into a single node; ``max_nodes``
keeps a huge graph from being drawn by accident and says how many nodes it left out.

>>> import tinygrad_cn as tg
>>> from tinygrad_cn import viz
>>> a = tg.Value(2.0, label="a"); b = tg.Value(-3.0, label="b")
>>> d = (a * b).tanh(); d.label = "d"
>>> g = viz.draw_graph(d, legend=False)
>>> "grad &#8212;" in g.source       # before backward a gradient reads "—", never 0
True
>>> d.backward(); "grad &#8212;" in viz.draw_graph(d, legend=False).source
False
>>> viz.draw_graph(d).source == viz.draw_graph(d).source
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...engine import Value
from ..lang import LANGS, check_lang, text
from ..text.numbers import DASH, norm, num, shape_text, stats
from ..trace.naming import op_symbol
from ..trace.nodes import op_type, vid
from .dot import DotGraph
from .labels import esc, text_width
from .layout import layered
from .view import DEFAULT_MAX_NODES, MORE, View, build_view

FONT = "Helvetica"
FONTSIZE = 10.0
LINE = 14.0  # points per text line in a cell (fontsize 10 plus leading)
PAD = 3  # cell padding
FILL = {"param": "#cfe8fc", "input": "#fff3c4", "inter": "#ffffff", "output": "#c8f0c8"}
OP_FILL = "#e8e8e8"
GROUP_FILL = "#e6dcf5"
CURRENT = "#ffb74d"  # the node this step is about
CURRENT_SOFT = "#ffe3bf"  # its op / the cell that just changed
HOT_EDGE = "#e65100"
BOX_FILL = "#f6f6fb"
BOX_LINE = "#9090b8"
AUTO_DOT_LIMIT = 240  # drawn nodes up to which the "auto" layout uses Graphviz's dot
NUMBER_TEMPLATE = "-0.0000"  # cells are at least as wide as this number, so short numbers line up
LEGEND = (
    ("param", "parameter (leaf, requires grad)"),
    ("input", "input / constant"),
    ("inter", "intermediate value"),
    ("output", "output"),
)
# the legend's words in each language, the stepper page's own (the nodes stay ASCII / math, readable in any font)
LEGEND_TEXT = {lg: {k: text(f"legend_{k}", lg) for k in ("param", "input", "inter", "output", "op", "current",
                                                          "title", "group", "dash")} for lg in LANGS}


@dataclass
class Paint:
    """What to show on a view: all data and ``.grad`` (the default), or a step's state."""

    show_data: bool = True
    show_grad: bool = True
    grads: Mapping[int, np.ndarray] | None = None  # node id -> gradient so far; None: use .grad
    known: set[int] | None = None  # node id whose data is computed (forward frames); None: all
    current: frozenset[int] = frozenset()  # node id of the highlighted value nodes
    current_op: int | None = None  # node id whose op node is highlighted
    hot_inputs: set[int] = field(default_factory=set)  # node id of inputs whose edge into current_op glows
    legend_current: bool = False
    lang: str = "zh"  # the legend's language
    # the widest number text to reserve room for: frames pass the widest of all their numbers, so
    # every frame of a graph has cells of the same size and therefore the same layout
    number_template: str = NUMBER_TEMPLATE


def _fixed_cell(lines: list[str], template: list[str], height: float, bg: str | None = None) -> tuple[str, float]:
    width = max(text_width(t, FONTSIZE) for t in lines + template) + 2 * PAD + 2
    width = float(np.ceil(width))
    bgattr = f' BGCOLOR="{bg}"' if bg else ""
    body = "<BR/>".join(esc(t) for t in lines)
    return (f'<TD WIDTH="{width:g}" HEIGHT="{height:g}" FIXEDSIZE="TRUE"{bgattr}>{body}</TD>', width)


def _value_label(v: Value, name: str, fill: str, paint: Paint, highlight: bool) -> tuple[str, float, float]:
    """The HTML label of a value node, and its estimated width and height in points."""
    scalar = v.data.size == 1
    # a tensor always says its dtype; a scalar only when it is not the default float64
    name_lines = [name + ("" if v.data.dtype == np.float64 else f" {v.data.dtype}")]
    if not scalar:
        name_lines = [name, f"{shape_text(v.data.shape)} {v.data.dtype}"]
    n_lines = 3 if not scalar else 1
    height = n_lines * LINE + 2 * PAD
    name_width = float(np.ceil(max(text_width(t, FONTSIZE * 1.2) for t in name_lines) + 2 * PAD + 4))
    name_html = f"<B>{esc(name_lines[0])}</B>" + "".join("<BR/>" + esc(t) for t in name_lines[1:])
    cells = [f'<TD WIDTH="{name_width:g}" HEIGHT="{height:g}" FIXEDSIZE="TRUE">{name_html}</TD>']
    width = name_width
    known = paint.known is None or vid(v) in paint.known
    num_t = paint.number_template
    if paint.show_data:
        if scalar:
            lines = [f"data {num(v.data.reshape(())) if known else '?'}"]
            template = [f"data {num_t}"]
        elif v.data.size == 0:
            lines, template = ["empty", "", ""], ["empty"]
        elif known:
            lo, mean, hi = stats(v.data)
            lines = [f"min {num(lo)}", f"mean {num(mean)}", f"max {num(hi)}"]
            template = [f"mean {num_t}"]
        else:
            lines, template = ["min ?", "mean ?", "max ?"], [f"mean {num_t}"]
        cell, w = _fixed_cell(lines, template, height)
        cells.append(cell)
        width += w
    if paint.show_grad:
        g = (paint.grads.get(vid(v)) if paint.grads is not None else v.grad)
        if not v.requires_grad:
            lines, template = ["no grad"], [f"grad {num_t}" if scalar else f"norm {num_t}"]
        elif scalar:
            lines = [f"grad {DASH if g is None else num(np.asarray(g).reshape(()))}"]
            template = [f"grad {num_t}"]
        else:
            lines = ["grad", DASH if g is None else f"norm {num(norm(g))}"]
            template = [f"norm {num_t}"]
        cell, w = _fixed_cell(lines, template, height, CURRENT_SOFT if highlight and g is not None else None)
        cells.append(cell)
        width += w
    bg = CURRENT if highlight else fill
    border = "#333333" if not highlight else HOT_EDGE
    label = (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="{PAD}" '
        f'BGCOLOR="{bg}" COLOR="{border}"><TR>{"".join(cells)}</TR></TABLE>>'
    )
    return label, width + 4, height + 4


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _op_text(v: Value) -> str:
    return op_symbol(v)


def _op_name(v: Value) -> str:
    """The op's name, and its symbol when that differs: the op node's tooltip (``mul (×)``)."""
    op = op_type(v)
    sym = op_symbol(v)
    return op.name if sym == op.name else f"{op.name} ({sym})"


def _attrs(**kw: Any) -> str:
    parts = []
    for k, val in kw.items():
        if val is None:
            continue
        s = str(val)
        parts.append(f"{k}={s}" if s.startswith("<") else f'{k}="{s}"')
    return " ".join(parts)


def _legend(view: View, paint: Paint, groups: bool) -> tuple[str, float, float]:
    rows = []
    t = LEGEND_TEXT[paint.lang]
    entries = [(FILL[k], t[k]) for k, _ in LEGEND]
    entries.append((OP_FILL, t["op"]))
    if groups:
        entries.append((GROUP_FILL, t["group"]))
    if paint.legend_current:
        entries.append((CURRENT, t["current"]))
    for colour, words in entries:
        rows.append(f'<TR><TD BGCOLOR="{colour}" BORDER="1" COLOR="#606060" WIDTH="14"> </TD>'
                    f'<TD ALIGN="LEFT">{esc(words)}</TD></TR>')
    dash = f"grad {DASH} : {t['dash']}"
    rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT">{esc(dash)}</TD></TR>')
    label = (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">'
             f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{esc(t["title"])}</B></TD></TR>{"".join(rows)}</TABLE>>')
    width = max(text_width(s, FONTSIZE) for s in [*(e for _, e in entries), dash]) + 30
    return label, width, (len(entries) + 2) * 16.0


def paint_view(view: View, paint: Paint, rankdir: str = "LR", legend: bool = True, layout: str = "auto") -> DotGraph:
    """The DOT graph of ``view`` painted with ``paint`` (see :func:`draw_graph`)."""
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_graph: rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    if layout not in ("auto", "dot", "layered"):
        raise ValueError(f"draw_graph: layout must be 'auto', 'dot' or 'layered', got {layout!r}")
    if layout == "auto":
        layout = "dot" if len(view.items) <= AUTO_DOT_LIMIT else "layered"
    graph_attr = {"rankdir": rankdir, "fontname": FONT, "fontsize": "10", "bgcolor": "white", "pad": "0.2",
                  "nodesep": "0.25", "ranksep": "0.35", "outputorder": "edgesfirst"}
    if layout == "layered":
        graph_attr.update(layout="nop2", splines="false")
    g = DotGraph(
        "tinygrad_cn",
        graph_attr=graph_attr,
        node_attr={"shape": "plain", "fontname": FONT, "fontsize": "10"},
        edge_attr={"color": "#606060", "arrowsize": "0.6", "fontname": FONT, "fontsize": "9",
                   "fontcolor": "#1565c0", "labeldistance": "1.6", "labelangle": "30"},
    )
    lines: dict[str, str] = {}
    sizes: dict[str, tuple[float, float]] = {}
    has_groups = False
    for item in view.items:
        if item.kind == "value":
            v = item.value
            assert v is not None
            label, w, h = _value_label(v, view.names[vid(v)], FILL[view.kinds[vid(v)]], paint, vid(v) in paint.current)
            lines[item.key] = f"{item.key} [{_attrs(label=label)}]"
            sizes[item.key] = (w, h)
        elif item.kind == "op":
            v = item.value
            assert v is not None
            text = _op_text(v)
            hot = vid(v) == paint.current_op
            fill = CURRENT_SOFT if hot else OP_FILL
            color = HOT_EDGE if hot else "#606060"
            attrs = _attrs(label=f"<{esc(text)}>", shape="ellipse", style="filled", fillcolor=fill, color=color,
                           margin="0.04,0.02", height="0.3", tooltip=esc(_op_name(v)))
            lines[item.key] = f"{item.key} [{attrs}]"
            sizes[item.key] = (text_width(text, FONTSIZE) + 24, 22.0)
        elif item.kind == "group":
            grp = item.group
            assert grp is not None
            has_groups = True
            sub = f"{_plural(grp.n_ops, 'op')}, {_plural(grp.n_params, 'param')}"
            label = f'<<B>{esc(grp.label)}</B><BR/><FONT POINT-SIZE="8">{esc(sub)}</FONT>>'
            attrs = _attrs(label=label, shape="box3d", style="filled", fillcolor=GROUP_FILL, margin="0.12,0.06")
            lines[item.key] = f"{item.key} [{attrs}]"
            sizes[item.key] = (max(text_width(grp.label, FONTSIZE), text_width(sub, 8)) + 30, 40.0)
        else:
            text = f"… {view.hidden} more nodes (max_nodes={view.max_nodes})"
            attrs = _attrs(label=f"<{esc(text)}>", shape="note", style="dashed", color="#808080",
                           fontcolor="#505050", margin="0.1,0.05")
            lines[item.key] = f"{item.key} [{attrs}]"
            sizes[item.key] = (text_width(text, FONTSIZE) + 24, 26.0)
    body: list[str] = []
    if legend:
        label, w, h = _legend(view, paint, has_groups)
        lines["legend"] = f"legend [{_attrs(label=label)}]"
        sizes["legend"] = (w, h)
    if layout == "layered":
        preds: dict[str, list[str]] = {}
        for e in view.edges:
            preds.setdefault(e.dst, []).append(e.src)
        keys = [it.key for it in view.items]
        pos = layered(keys, preds, sizes, rankdir)
        if legend:
            xs = [p[0] - sizes[k][0] / 2 for k, p in pos.items()] or [0.0]
            ys = [p[1] + sizes[k][1] / 2 for k, p in pos.items()] or [0.0]
            w, h = sizes["legend"]
            pos["legend"] = (min(xs) + w / 2, max(ys) + 20 + h / 2)
        for k, line in lines.items():
            x, y = pos[k]
            body.append(f'\t{line[:-1]} pos="{x:.1f},{y:.1f}!"]\n')
    else:
        body.extend(_clustered(view, lines))
        if legend:
            body.append(f"\t{lines['legend']}\n")
    hot_dst = f"n{view.index[paint.current_op]}op" if paint.current_op is not None else None
    for e in view.edges:
        attrs: dict[str, Any] = {}
        if e.head:  # dot places xlabels well; placing 10,000 of them is slow, so big layouts use headlabel
            attrs["headlabel" if layout == "layered" else "xlabel"] = "<" + esc(e.head) + ">"
        if e.src == MORE:
            attrs["style"] = "dashed"
        if e.dst == hot_dst and _src_id(view, e.src) in paint.hot_inputs:
            attrs.update(color=HOT_EDGE, penwidth="2")
        body.append(f"\t{e.src} -> {e.dst}" + (f" [{_attrs(**attrs)}]" if attrs else "") + "\n")
    g.body.extend(body)
    return g


def _src_id(view: View, key: str) -> int | None:
    if key.startswith("n") and key[1:].isdigit():
        return vid(view.nodes[int(key[1:])])
    return None


def _clustered(view: View, lines: dict[str, str]) -> list[str]:
    """Node statements, nested in one ``subgraph cluster_k`` per module call (iteratively)."""
    tree: dict[int | None, list[Any]] = {None: []}  # cluster index (None = top) -> children: keys or ints
    index_of: dict[int, int] = {}
    labels: list[str] = []
    for item in view.items:
        parent: int | None = None
        for call in item.path:
            k = index_of.get(id(call))
            if k is None:
                k = len(labels)
                index_of[id(call)] = k
                labels.append(view.call_labels.get(id(call), type(call.module).__name__))
                tree[k] = []
                tree[parent].append(k)
            parent = k
        tree[parent].append(item.key)
    out: list[str] = []
    stack: list[tuple[Any, int]] = [(c, 1) for c in reversed(tree[None])]
    while stack:
        entry, depth = stack.pop()
        tab = "\t" * depth
        if isinstance(entry, str) and entry.startswith("}"):
            out.append(f"{tab}}}\n")
        elif isinstance(entry, str):
            out.append(f"{tab}{lines[entry]}\n")
        else:
            label = f"<<B>{esc(labels[entry])}</B>>"
            out.append(f"{tab}subgraph cluster_{entry} {{\n")
            attrs = _attrs(label=label, style="rounded,filled", fillcolor=BOX_FILL, color=BOX_LINE, labeljust="l",
                           fontsize="10")
            out.append(f"{tab}\tgraph [{attrs}]\n")
            stack.append(("}", depth))
            stack.extend((c, depth + 1) for c in reversed(tree[entry]))
    return out


def draw_graph(
    root: Value,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse: Any = False,
    params: Any = None,
    legend: bool = True,
    layout: str = "auto",
    lang: str = "zh",
) -> DotGraph:
    """The computation graph behind ``root`` as a :class:`graphviz.Digraph` (a :class:`DotGraph`,
    which also shows itself inline in Jupyter through :func:`tinygrad_cn.viz.render`'s renderers).

    - ``rankdir``: ``"LR"`` (inputs on the left, as micrograd) or ``"TB"``, ``"RL"``, ``"BT"``.
    - ``show_data`` / ``show_grad``: the data and grad cells. A gradient not computed yet reads "—".
    - ``max_nodes``: value nodes to draw at most (those nearest the root); the rest is summarised by
      one "… N more nodes" marker. ``None`` draws everything.
    - ``collapse``: ``True`` draws every top-level module call as one node; or give module names
      (``"w1"``, from ``params``), class names (``"FeedForward"``), classes or module objects.
    - ``params``: an ``nn.Module`` (or ``{name: Value}``, or ``(name, Value)`` pairs) whose
      parameter names label the nodes, and whose sub-module names label the boxes.
    - ``layout``: ``"dot"`` (Graphviz's layered layout, with module boxes), ``"layered"`` (this
      package's linear-time layout for big graphs; no boxes) or ``"auto"`` (dot up to a few hundred
      nodes).
    - ``lang``: the legend's language, ``"zh"`` (the default) or ``"en"``; the nodes are ASCII / math.
    """
    check_lang(lang, "draw_graph")
    view = build_view(root, params=params, max_nodes=max_nodes, collapse=collapse)
    return paint_view(view, Paint(show_data=show_data, show_grad=show_grad, lang=lang), rankdir, legend, layout)
