"""``trace_backward``: the engine's own record of one real backward pass (our ``make_jaxpr``).

``trace_backward(root)`` runs ``root.backward()`` with a recorder attached to the engine's one
backward loop (:func:`tinygrad_cn.engine.autograd.run_backward`) and returns what happened, step by
step: for every rule that ran (an op's output node, one of its inputs), the upstream gradient g, the
rule's contribution g·∂node/∂input, the axes summed to undo broadcasting, and the input's gradient
so far. Every view of backward (tables, frames, the stepper page) reads this record; none of them
runs a backward of its own. Its final gradients are the arrays backward wrote into ``.grad``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .autograd import backward
from .op import Op
from .value import Value
from .xp import sum_axes


def _frozen(x: Any) -> np.ndarray:
    """A private read-only copy: later passes, or a user editing ``.grad`` in place, cannot change it."""
    arr = np.array(x)
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, repr=False)
class BackwardStep:
    """One backward rule that ran: the gradient flowing from ``node`` into its input ``input``."""

    index: int  # position in BackwardTrace.steps, from 0
    node: Value  # the op's output
    op: type[Op]
    input_index: int  # which input of the op (0-based)
    input: Value
    upstream: np.ndarray  # g = ∂L/∂node, node's shape
    contribution: np.ndarray  # the rule's result g·∂node/∂input, before fitting to input's shape
    summed_axes: tuple[int, ...]  # axes of contribution summed to undo broadcasting; () if none
    shape_before: tuple[int, ...]  # contribution's shape
    shape_after: tuple[int, ...]  # input's shape
    fitted: np.ndarray  # contribution summed to input's shape, in input's dtype
    grad_so_far: np.ndarray  # input's gradient in this pass after adding fitted

    def __repr__(self) -> str:
        fit = f", summed axes {self.summed_axes}: {self.shape_before} → {self.shape_after}" if self.summed_axes else ""
        return f"BackwardStep(#{self.index} {self.op.name} → input {self.input_index}, shape {self.shape_after}{fit})"


@dataclass(frozen=True, repr=False)
class BackwardTrace:
    """The record of one backward pass (see :func:`trace_backward`)."""

    root: Value
    seed: np.ndarray  # ∂L/∂root: root's shape and dtype
    steps: tuple[BackwardStep, ...]  # in the order the engine ran them
    nodes: tuple[Value, ...]  # every node that received a gradient, in backward order (root first)
    _totals: dict[int, np.ndarray] = field(default_factory=dict)

    def grad(self, v: Value) -> np.ndarray | None:
        """The total gradient this pass gave ``v`` (None if none reached it)."""
        return self._totals.get(v.id)

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[BackwardStep]:
        return iter(self.steps)

    def __repr__(self) -> str:
        return f"BackwardTrace(root shape {self.root.shape}, {len(self.steps)} steps, {len(self.nodes)} nodes)"


class _Recorder:
    """What run_backward calls while recording (only when a trace was asked for)."""

    __slots__ = ("nodes", "seed", "steps", "totals_by_id", "upstreams")

    def __init__(self) -> None:
        self.seed: np.ndarray | None = None
        self.steps: list[BackwardStep] = []
        self.upstreams: dict[int, np.ndarray] = {}  # one frozen copy of g per node
        self.nodes: tuple[Value, ...] = ()
        self.totals_by_id: dict[int, np.ndarray] = {}

    def rule(self, node: Value, op: type[Op], i: int, inp: Value, g: Any, raw: Any, fitted: Any, so_far: Any) -> None:
        up = self.upstreams.get(node.id)
        if up is None:
            up = self.upstreams[node.id] = _frozen(g)
        contribution = _frozen(raw)
        shape_after = inp.shape
        axes = sum_axes(contribution.shape, shape_after) if contribution.shape != shape_after else ()
        self.steps.append(BackwardStep(
            index=len(self.steps), node=node, op=op, input_index=i, input=inp, upstream=up,
            contribution=contribution, summed_axes=axes, shape_before=contribution.shape,
            shape_after=shape_after, fitted=_frozen(fitted), grad_so_far=_frozen(so_far),
        ))

    def totals(self, written: list[tuple[Value, Any]]) -> None:
        self.nodes = tuple(v for v, _ in written)
        self.totals_by_id = {v.id: _frozen(g) for v, g in written}


def trace_backward(root: Value, gradient: Any = None) -> BackwardTrace:
    """Run ``root.backward(gradient)`` once and return the engine's record of it.

    Same seed rules, errors and ``.grad`` updates as ``backward`` (gradients accumulate as usual);
    ``trace.grad(v)`` equals the gradient that pass added to ``v.grad``, bit for bit. Every array in
    the record is a read-only copy, so later passes or in-place edits of ``.grad`` cannot change it.
    Recording costs nothing when no trace is asked for (the loop tests one flag per rule it
    already tested for anomaly mode).

    >>> import tinygrad_cn as tg
    >>> a = tg.Value(2.0, label="a"); b = tg.Value(-3.0, label="b")
    >>> c = a * b + a
    >>> trace = tg.trace_backward(c)
    >>> [(s.op.name, s.input_index, float(s.fitted)) for s in trace.steps]
    [('add', 0, 1.0), ('add', 1, 1.0), ('mul', 0, -3.0), ('mul', 1, 2.0)]
    >>> trace.grad(a), a.grad                # ∂c/∂a = b + 1
    (array(-2.), array(-2.))
    """
    rec = _Recorder()
    backward(root, gradient, recorder=rec, who="trace_backward")
    assert rec.seed is not None
    return BackwardTrace(root=root, seed=_frozen(rec.seed), steps=tuple(rec.steps), nodes=rec.nodes,
                         _totals=rec.totals_by_id)
