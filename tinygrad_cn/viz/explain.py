"""The forward and backward passes as ordered logs: what was computed, with which formula, which
gradient flowed where. The terminal table, the frames and the HTML stepper all read these logs.

The backward log replays exactly what ``root.backward()`` does (same order: newest node first;
same rules: each op's own backward; same sums over broadcast axes) but keeps every intermediate
number and touches no ``.grad``. One step per (node, input) pair: the upstream gradient ∂L/∂y
arriving at an op's output y, the local derivative ∂y/∂x for one input x (from the op's formula),
their product (the contribution) and the input's gradient so far. "+=" marks a node that gathers
gradient from more than one path.

>>> import tinygrad_cn as tg
>>> from tinygrad_cn import viz
>>> a = tg.Value(2.0, label="a"); b = tg.Value(-3.0, label="b")
>>> c = a * b; c.label = "c"
>>> d = c + a; d.label = "d"
>>> log = viz.explain_backward(d, lang="en")
>>> [(s.name, s.accumulate, float(s.total)) for s in log]
[('d', False, 1.0), ('c', False, 1.0), ('a', False, 1.0), ('a', True, -2.0), ('b', False, 2.0)]
>>> print(log)                        # doctest: +NORMALIZE_WHITESPACE
step  node  via    local derivative  upstream  local  contribution  acc  grad
----  ----  -----  ----------------  --------  -----  ------------  ---  ----
0     d     —      ∂d/∂d = 1         —         —      1             =    1
1     c     d (+)  ∂d/∂c = 1         1         1      1             =    1
2     a     d (+)  ∂d/∂a = 1         1         1      1             =    1
3     a     c (×)  ∂c/∂a = b = -3    1         -3     -3            +=   -2
4     b     c (×)  ∂c/∂b = a = 2     1         2      2             =    2
final gradients: a = -2, b = 2
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.autograd import walk
from ..engine.value import Value
from ..engine.xp import sum_to_array
from . import formula_text as ft
from .fmt import DASH, array_text
from .naming import node_names, op_symbol, op_text, op_with_symbol, param_names
from .table import format_table

LANGS = ("zh", "en")

HEADERS = {
    "backward": {
        "zh": ["步", "节点", "经过", "局部导数", "上游梯度", "局部梯度", "贡献", "累加", "梯度"],
        "en": ["step", "node", "via", "local derivative", "upstream", "local", "contribution", "acc", "grad"],
    },
    "forward": {
        "zh": ["步", "节点", "运算", "计算", "值"],
        "en": ["step", "node", "op", "computation", "value"],
    },
}
TEXT = {
    "zh": {
        "final": "叶子节点的最终梯度：",
        "seed": "起点：记输出 {name} 为 L，它对自身的导数 ∂L/∂L = 1",
        "seed_given": "起点：给定的上游梯度",
        "leaves": "输入和参数：叶子节点的值由我们给定",
        "leaf": "叶子",
    },
    "en": {
        "final": "final gradients: ",
        "seed": "start: call the output {name} L; its derivative with respect to itself is ∂L/∂L = 1",
        "seed_given": "start: the given upstream gradient",
        "leaves": "inputs and parameters: the leaves' values are given",
        "leaf": "leaf",
    },
}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return lang


def _scalar(a: np.ndarray | None) -> float | None:
    return float(np.asarray(a).reshape(())) if a is not None and np.size(a) == 1 else None


@dataclass(frozen=True)
class BackwardStep:
    """One step of the backward pass: gradient flowing from ``via`` (an op's output) into ``node``.

    Step 0 is the seed: ``node`` is the root, ``via`` is None and ``total`` is ∂L/∂root.
    """

    index: int
    node: Value
    name: str
    via: Value | None
    via_name: str | None
    op: str | None
    symbol: str | None
    input_index: int | None
    formula: str  # the op's local derivative for this input, in the op's letters
    formula_named: str  # the same with the graph's names
    formula_numeric: str | None  # its right-hand side with numbers (scalars only)
    sentence: dict[str, str]  # the op's explanation, {"zh": ..., "en": ...}
    upstream: np.ndarray | None  # ∂L/∂via
    local: np.ndarray | None  # ∂via/∂node (when via is a scalar)
    contribution: np.ndarray  # upstream · local, summed to node's shape
    accumulate: bool  # True: node already had gradient from another path ("+=")
    total: np.ndarray  # node's gradient after this step

    def formula_line(self) -> str:
        """The local derivative with the graph's names, ending in its value when that is one number."""
        line = self.formula_named
        if self.local is not None and self.local.size == 1:
            value = array_text(self.local)
            if line.split("= ")[-1] != value:
                line = f"{line} = {value}"
        return line

    def row(self) -> list[str]:
        """This step as table cells (language-neutral)."""
        via = f"{self.via_name} ({self.symbol})" if self.via is not None else DASH
        return [
            str(self.index), self.name, via, self.formula_line(),
            DASH if self.upstream is None else array_text(self.upstream),
            DASH if self.local is None else array_text(self.local),
            array_text(self.contribution), "+=" if self.accumulate else "=", array_text(self.total),
        ]


class BackwardLog(list):
    """The backward steps in order (a list of :class:`BackwardStep`); prints as a table."""

    def __init__(self, steps: Sequence[BackwardStep], root: Value, names: dict[int, str], lang: str,
                 nodes: list[Value], grads: dict[int, np.ndarray]) -> None:
        super().__init__(steps)
        self.root = root
        self.names = names
        self.lang = lang
        self.nodes = nodes  # every Value of the graph, oldest first
        self.grads = grads  # Value.id -> gradient of this pass

    def table(self, lang: str | None = None) -> str:
        lang = _check_lang(lang or self.lang)
        text = format_table(HEADERS["backward"][lang], [s.row() for s in self])
        leaves = [v for v in self.nodes if v.op_class is None and v.id in self.grads]
        final = ", ".join(f"{self.names[v.id]} = {array_text(self.grads[v.id])}" for v in leaves)
        return f"{text}\n{TEXT[lang]['final']}{final}"

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:  # the REPL shows the table
        return self.table()

    def _repr_html_(self) -> str:  # Jupyter shows an HTML table
        lang = self.lang
        return _html_table(HEADERS["backward"][lang], [s.row() for s in self])


@dataclass(frozen=True)
class ForwardStep:
    """One step of the forward pass: step 0 gives the leaves, each later step computes one node."""

    index: int
    nodes: tuple[Value, ...]
    names: tuple[str, ...]
    op: str | None
    symbol: str | None
    formula: str  # the op's forward formula, in its letters ("" for the leaves)
    formula_named: str
    formula_numeric: str | None
    sentence: dict[str, str]

    @property
    def node(self) -> Value:
        return self.nodes[-1]

    def rows(self, lang: str) -> list[list[str]]:
        if self.op is None:
            return [[str(self.index), n, TEXT[lang]["leaf"], "", array_text(v.data)]
                    for n, v in zip(self.names, self.nodes)]
        comp = self.formula_named + (f" = {self.formula_numeric}" if self.formula_numeric else "")
        return [[str(self.index), self.names[0], op_with_symbol(self.op, self.symbol), comp, array_text(self.node.data)]]


class ForwardLog(list):
    """The forward steps in creation order (a list of :class:`ForwardStep`); prints as a table."""

    def __init__(self, steps: Sequence[ForwardStep], root: Value, names: dict[int, str], lang: str) -> None:
        super().__init__(steps)
        self.root, self.names, self.lang = root, names, lang

    def table(self, lang: str | None = None) -> str:
        lang = _check_lang(lang or self.lang)
        return format_table(HEADERS["forward"][lang], [r for s in self for r in s.rows(lang)])

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        return _html_table(HEADERS["forward"][self.lang], [r for s in self for r in s.rows(self.lang)])


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _names(root: Value, params: Any) -> tuple[list[Value], dict[int, str]]:
    nodes = walk([root])
    return nodes, node_names(nodes, param_names(params))


def _letters(v: Value, names: dict[int, str]) -> tuple[dict[str, str], dict[str, float] | None]:
    """Formula letter -> graph name, and letter -> number when every operand is a scalar."""
    symbols = ft.input_symbols(v.op_class, len(v.parents))
    letters = {"y": names[v.id]}
    letters.update({s: names[p.id] for s, p in zip(symbols, v.parents)})
    values: dict[str, float] | None = None
    if v.data.size == 1 and all(p.data.size == 1 for p in v.parents):
        values = {"y": float(v.data.reshape(()))}
        values.update({s: float(p.data.reshape(())) for s, p in zip(symbols, v.parents)})
    return letters, values


def explain_forward(root: Value, lang: str = "zh", params: Any = None) -> ForwardLog:
    """The forward pass that built ``root``: the leaves, then every op in the order it ran."""
    _check_lang(lang)
    nodes, names = _names(root, params)
    leaves = tuple(v for v in nodes if v.op_class is None)
    steps = [ForwardStep(0, leaves, tuple(names[v.id] for v in leaves), None, None, "", "", None,
                         {k: TEXT[k]["leaves"] for k in LANGS})]
    for v in nodes:
        if v.op_class is None:
            continue
        formula = getattr(getattr(v.op_class, "formula", None), "forward", "") or f"y = {v.op_class.name}(...)"
        letters, values = _letters(v, names)
        numeric = ft.numeric(formula, values) if values else None
        sentence = {
            "zh": f"用 {op_text(v, lang='zh')} 算出 {names[v.id]}",
            "en": f"compute {names[v.id]} with {op_text(v)}",
        }
        _, eq, rhs = formula.partition("=")
        formula_named = f"{names[v.id]} = {ft.named(rhs.strip(), letters)}" if eq else ft.named(formula, letters)
        steps.append(ForwardStep(len(steps), (v,), (names[v.id],), v.op_class.name, op_symbol(v), formula,
                                 formula_named, numeric, sentence))
    return ForwardLog(steps, root, names, lang)


def _fit(g: Any, p: Value) -> np.ndarray:
    """A rule's result summed over broadcast axes to p's shape, in p's dtype (as the engine does)."""
    g = np.asarray(g)
    if g.shape != p.data.shape:
        g = sum_to_array(g, p.data.shape)
    return g.astype(p.data.dtype, copy=False)


def explain_backward(root: Value, lang: str = "zh", gradient: Any = None, params: Any = None) -> BackwardLog:
    """The backward pass from ``root`` as an ordered log of steps (see the module docstring).

    Nothing is changed: ``.grad`` stays as it is, and the gradients in the log are those of this one
    pass (what one ``root.backward(gradient)`` adds). ``params`` (an nn.Module or named parameters)
    names the parameters. Print the result for a table (``lang`` "zh" or "en").
    """
    _check_lang(lang)
    if not isinstance(root, Value):
        raise TypeError(f"explain_backward: root must be a Value, got {type(root).__name__}")
    if not root.requires_grad:
        raise RuntimeError("explain_backward: the root does not require grad and has no graph")
    if gradient is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"explain_backward: the root has shape {root.shape}; pass gradient= of that shape "
                "(a gradient is implicit only for a scalar output)"
            )
        seed = np.ones_like(root.data)
    else:
        seed = np.asarray(gradient.data if isinstance(gradient, Value) else gradient, dtype=root.data.dtype)
        if seed.shape != root.data.shape:
            raise ValueError(f"explain_backward: gradient has shape {seed.shape} but the root has shape {root.shape}")
    nodes, names = _names(root, params)
    # the nodes the engine visits: reachable through inputs that require grad
    reach: dict[int, Value] = {}
    stack = [root]
    while stack:
        v = stack.pop()
        if v.id in reach:
            continue
        reach[v.id] = v
        stack.extend(p for p in v.parents if p.requires_grad and p.id not in reach)
    grads: dict[int, np.ndarray] = {root.id: seed}
    key = "seed" if gradient is None else "seed_given"
    seed_text = tuple(TEXT[lg][key].format(name=names[root.id]) for lg in ("zh", "en"))
    steps: list[BackwardStep] = [BackwardStep(
        0, root, names[root.id], None, None, None, None, None, "∂L/∂L = 1",
        f"∂{names[root.id]}/∂{names[root.id]} = 1" if gradient is None else f"∂L/∂{names[root.id]} = g",
        None, {"zh": seed_text[0], "en": seed_text[1]}, None, None, seed, False, seed,
    )]
    for vid in sorted(reach, reverse=True):
        v = reach[vid]
        g = grads.get(vid)
        if g is None or v.op_class is None:
            continue
        op = v.op_class
        parents = v.parents
        pdata = [p.data for p in parents]
        letters, values = _letters(v, names)
        formula_obj = getattr(op, "formula", None)
        sentence = {k: formula_obj.explain(k) if formula_obj is not None else "" for k in LANGS}
        for i, p in enumerate(parents):
            if not p.requires_grad:
                continue  # as the engine: no gradient for what does not need one
            rule = op.backward[i]
            contribution = _fit(rule(v.ctx, g, v.data, *pdata), p)
            local = None
            if v.data.size == 1:
                local = _fit(rule(v.ctx, np.ones_like(v.data), v.data, *pdata), p)
            accumulate = p.id in grads
            total = grads[p.id] + contribution if accumulate else contribution
            grads[p.id] = total
            formula = ft.local_formula(op, i)
            steps.append(BackwardStep(
                len(steps), p, names[p.id], v, names[v.id], op.name, op_symbol(v), i, formula,
                ft.named(formula, letters), ft.numeric(formula, values) if values else None, sentence,
                g, local, contribution, accumulate, total,
            ))
    return BackwardLog(steps, root, names, lang, nodes, grads)
