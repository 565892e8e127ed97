"""The steps of one pass as viz shows them: :class:`ForwardStep` / :class:`BackwardStep`, and the
logs that print them as tables (terminal text, or HTML in Jupyter).

A backward step is the engine's own record of one rule that ran (``tg.trace_backward``) with the
graph's names and the op's formula beside it: nothing here computes a gradient.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...engine import Value
from ..lang import HEADERS, check_lang, text
from ..text.html import html_table
from ..text.numbers import DASH, array_text, matrix_text, shape_text
from ..text.table import format_table
from .naming import op_with_symbol
from .nodes import is_leaf, vid


@dataclass(frozen=True)
class BackwardStep:
    """One step of the backward pass: gradient flowing from ``via`` (an op's output) into ``node``.

    Step 0 is the seed: ``node`` is the root, ``via`` is None and ``total`` is ∂L/∂root. Every
    other step is one step of the engine's trace (``engine``), named and explained.
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
    upstream: np.ndarray | None  # G = ∂L/∂via
    local: np.ndarray | None  # ∂via/∂node (when via is a scalar)
    contribution: np.ndarray  # the rule's result, summed to node's shape (what is added to node's grad)
    accumulate: bool  # True: node already had gradient from another path ("+=")
    total: np.ndarray  # node's gradient after this step
    rule_named: str = ""  # the rule in matrix form with G: "∂L/∂x = G @ Wᵀ", "∂L/∂a = G ⊙ ∂c/∂a"
    unsummed: np.ndarray | None = None  # the rule's result before undoing broadcasting (via's shape)
    summed_axes: tuple[int, ...] = ()  # axes summed to undo broadcasting (empty: none)
    engine: Any = None  # the engine's tg.BackwardStep (None for the seed)

    @property
    def is_tensor(self) -> bool:
        """A step on tensors (more than one number anywhere): shown in matrix form."""
        arrays = [self.contribution, self.upstream, self.unsummed]
        return any(a is not None and np.size(a) > 1 for a in arrays)

    @property
    def broadcast(self) -> str | None:
        """The sum that undoes broadcasting, ``"Σ axes (0,): (4, 3) → (3,)"``, or None."""
        if not self.summed_axes or self.unsummed is None:
            return None
        return f"Σ axes {self.summed_axes}: {shape_text(self.unsummed.shape)} → {shape_text(self.contribution.shape)}"

    def formula_line(self) -> str:
        """The local derivative with the graph's names, ending in its value when that is one number."""
        line = self.formula_named
        if self.local is not None and self.local.size == 1:
            value = array_text(self.local)
            if line.split("= ")[-1] != value:
                line = f"{line} = {value}"
        return line

    def text(self, lang: str = "zh") -> str:
        """This step written out, every number of a tensor up to 64 elements as a matrix: the local
        derivative, G (the upstream gradient), the rule in matrix form and its result, the sum that
        undoes broadcasting, and the gradient so far."""
        lang = check_lang(lang, "BackwardStep.text")
        sep = "：" if lang == "zh" else ": "
        if self.via is None:
            return f"{self.index}. {self.formula_named}\n{matrix_text(self.total)}"
        head = f"{self.index}. {text('flows', lang, via=f'{self.via_name} ({self.symbol})', node=self.name)}"
        lines = [head, f"  {text('local_derivative', lang)}{sep}{self.formula_line()}"]
        if not self.is_tensor:
            lines.append(f"  {self.name}.grad {'+=' if self.accumulate else '='} {array_text(self.contribution)}"
                         + (f" → {array_text(self.total)}" if self.accumulate else ""))
            return "\n".join(lines)
        assert self.upstream is not None and self.unsummed is not None
        lines += [f"  {text('G', lang, via=self.via_name)} {shape_text(self.upstream.shape)}{sep.strip()}",
                  matrix_text(self.upstream),
                  f"  {text('rule', lang)}{sep}{self.rule_named}  {shape_text(self.unsummed.shape)}",
                  matrix_text(self.unsummed)]
        if self.broadcast:
            shapes = f"{shape_text(self.unsummed.shape)} → {shape_text(self.contribution.shape)}"
            lines += [f"  {text('broadcast_sum', lang, axes=self.summed_axes)}{sep}{shapes}",
                      matrix_text(self.contribution)]
        lines += [f"  {self.name}.grad {'+= … →' if self.accumulate else '='}", matrix_text(self.total)]
        return "\n".join(lines)

    def row(self) -> list[str]:
        """This step as table cells (language-neutral)."""
        via = f"{self.via_name} ({self.symbol})" if self.via is not None else DASH
        return [
            str(self.index), self.name, via, self.formula_line(),
            DASH if self.upstream is None else array_text(self.upstream),
            DASH if self.local is None else array_text(self.local),
            array_text(self.contribution), "+=" if self.accumulate else "=", array_text(self.total),
        ]

    def _html_row(self) -> list[Any]:
        """The row for an HTML table: arrays stay arrays (drawn as matrices)."""
        cells: list[Any] = self.row()
        if self.upstream is not None and self.upstream.size > 1:
            cells[4] = self.upstream
        if self.contribution.size > 1:
            cells[6] = self.contribution
            if self.broadcast:
                cells[3] = f"{cells[3]}; {self.broadcast}"
        if self.total.size > 1:
            cells[8] = self.total
        return cells


class BackwardLog(list):
    """The backward steps in order (a list of :class:`BackwardStep`); prints as a table."""

    def __init__(self, steps: Sequence[BackwardStep], root: Value, names: dict[int, str], lang: str,
                 nodes: Sequence[Value], grads: dict[int, np.ndarray], trace: Any = None) -> None:
        super().__init__(steps)
        self.root = root
        self.names = names
        self.lang = lang
        self.nodes = list(nodes)  # every Value of the graph, oldest first
        self.grads = grads  # node id -> gradient of this pass (the engine's trace.grad)
        self.trace = trace  # the engine's tg.BackwardTrace this log reads

    def final(self, lang: str | None = None) -> str:
        """The "final gradients: a = …, b = …" line (the leaves, oldest first)."""
        lang = check_lang(lang or self.lang, "BackwardLog")
        leaves = [v for v in self.nodes if is_leaf(v) and vid(v) in self.grads]
        return text("final", lang) + ", ".join(f"{self.names[vid(v)]} = {array_text(self.grads[vid(v)])}" for v in leaves)

    def details(self, lang: str | None = None) -> str:
        """Every step written out (:meth:`BackwardStep.text`): tensors as matrices, every number up
        to 64 elements, the broadcast sums named."""
        lang = check_lang(lang or self.lang, "BackwardLog.details")
        return "\n".join(s.text(lang) for s in self)

    def table(self, lang: str | None = None) -> str:
        """The steps as an aligned text table (tensors as summaries), then the final gradients."""
        lang = check_lang(lang or self.lang, "BackwardLog.table")
        return f"{format_table(HEADERS['backward'][lang], [s.row() for s in self])}\n{self.final(lang)}"

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:  # the REPL shows the table
        return self.table()

    def _repr_html_(self) -> str:  # Jupyter: an HTML table, tensors as matrices, and the final line
        return html_table(HEADERS["backward"][self.lang], [s._html_row() for s in self], self.final())


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
            return [[str(self.index), n, text("leaf", lang), "", array_text(v.data)]
                    for n, v in zip(self.names, self.nodes)]
        comp = self.formula_named + (f" = {self.formula_numeric}" if self.formula_numeric else "")
        return [[str(self.index), self.names[0], op_with_symbol(self.op, self.symbol), comp, array_text(self.node.data)]]


class ForwardLog(list):
    """The forward steps in creation order (a list of :class:`ForwardStep`); prints as a table."""

    def __init__(self, steps: Sequence[ForwardStep], root: Value, names: dict[int, str], lang: str) -> None:
        super().__init__(steps)
        self.root, self.names, self.lang = root, names, lang

    def table(self, lang: str | None = None) -> str:
        """The steps as an aligned text table."""
        lang = check_lang(lang or self.lang, "ForwardLog.table")
        return format_table(HEADERS["forward"][lang], [r for s in self for r in s.rows(lang)])

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:  # Jupyter: an HTML table, tensor values as matrices
        rows: list[list[Any]] = []
        for s in self:
            values = [v.data for v in s.nodes] if s.op is None else [s.node.data]
            for r, data in zip(s.rows(self.lang), values):
                rows.append([*r[:-1], data if data.size > 1 else r[-1]])
        return html_table(HEADERS["forward"][self.lang], rows)
