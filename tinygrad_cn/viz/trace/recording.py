"""The one record every view reads: :func:`record` runs ``tg.trace_backward`` once and names it.

A :class:`Record` holds the graph (every node, oldest first, with the names all views use), the
forward pass as a :class:`ForwardLog` and the backward pass as a :class:`BackwardLog` built from
the engine's own trace. Tables, frames, the stepper page, the CLI and its NaN notice all read one
record; none of them runs a backward pass of its own, and none computes a gradient.

Looking is not training: :func:`record` puts back every ``.grad`` of the graph as it found it, so
``viz.explain_backward(o)`` followed by ``o.backward()`` gives the gradients of one pass.

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
>>> a.grad is None                    # looking did not train
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...engine import Value, trace_backward
from ..lang import LANGS, both, check_lang, text
from . import formulas as ft
from .naming import node_names, op_symbol, op_text, param_names
from .nodes import op_type, parents, vid, walk
from .steps import BackwardLog, BackwardStep, ForwardLog, ForwardStep


@dataclass(frozen=True)
class NonFinite:
    """Where a NaN or inf first appears: ``phase`` "forward" (a value) or "backward" (a gradient)."""

    phase: str
    step: int
    name: str  # the node
    op: str  # the op's name with its symbol ("—" for a leaf)
    via: str | None  # backward: the op's output the gradient came from
    bad: str  # "nan" or "inf"


@dataclass(frozen=True)
class Record:
    """One pass over a graph, named: built once per call by :func:`record`, read by every view."""

    root: Value
    nodes: tuple[Value, ...]  # every Value of the graph, oldest first
    names: dict[int, str]  # node id -> name
    params: Any  # what named the parameters (passed on to the drawings)
    forward: ForwardLog
    backward: BackwardLog | None  # None: recorded without a backward pass (``backward=False``)
    lang: str

    @property
    def trace(self) -> Any:
        """The engine's ``tg.BackwardTrace`` (None without a backward pass)."""
        return None if self.backward is None else self.backward.trace

    def nonfinite(self) -> NonFinite | None:
        """The first node whose value (forward) or incoming gradient (backward) is NaN or inf."""
        for s in self.forward:
            for v, n in zip(s.nodes, s.names):
                bad = _bad(v.data)
                if bad:
                    op = "—" if s.op is None else op_text(v)
                    return NonFinite("forward", s.index, n, op, None, bad)
        for b in self.backward or ():
            bad = _bad(b.contribution)
            if bad and b.via is not None:
                return NonFinite("backward", b.index, b.name, op_text(b.via), b.via_name, bad)
        return None


def _bad(a: Any) -> str | None:
    a = np.asarray(a)
    if np.isfinite(a).all():
        return None
    return "nan" if np.isnan(a).any() else "inf"


def _letters(v: Value, names: dict[int, str]) -> tuple[dict[str, str], dict[str, float] | None]:
    """Formula letter -> graph name, and letter -> number when every operand is a scalar."""
    ps = parents(v)
    symbols = ft.input_symbols(op_type(v), len(ps))
    out = ft.output_symbol(op_type(v))
    letters = {out: names[vid(v)]}
    letters.update({s: names[vid(p)] for s, p in zip(symbols, ps)})
    values: dict[str, float] | None = None
    if v.data.size == 1 and all(p.data.size == 1 for p in ps):
        values = {out: float(v.data.reshape(()))}
        values.update({s: float(p.data.reshape(())) for s, p in zip(symbols, ps)})
    return letters, values


def _forward(root: Value, nodes: list[Value], names: dict[int, str], lang: str) -> ForwardLog:
    leaves = tuple(v for v in nodes if op_type(v) is None)
    steps = [ForwardStep(0, leaves, tuple(names[vid(v)] for v in leaves), None, None, "", "", None, both("leaves"))]
    for v in nodes:
        op = op_type(v)
        if op is None:
            continue
        formula = getattr(getattr(op, "formula", None), "forward", "") or f"y = {op.name}(...)"
        letters, values = _letters(v, names)
        numeric = ft.numeric(formula, values) if values else None
        sentence = {lg: text("compute_with", lg, op=op_text(v, lang=lg), name=names[vid(v)]) for lg in LANGS}
        _, eq, rhs = formula.partition("=")
        formula_named = f"{names[vid(v)]} = {ft.named(rhs.strip(), letters)}" if eq else ft.named(formula, letters)
        if lang == "zh":  # the op's remarks are English words
            formula_named = ft.without_remark(formula_named)
        steps.append(ForwardStep(len(steps), (v,), (names[vid(v)],), op.name, op_symbol(v), formula,
                                 formula_named, numeric, sentence))
    return ForwardLog(steps, root, names, lang)


_G = re.compile(r"(?<![A-Za-z0-9_])g(?=[ⱼᵢ·\s)]|$)")


def _rule_named(formula_named: str, via: str, node: str) -> str:
    """The rule in matrix form with G = ∂L/∂via, never a Jacobian: the op's own G-form (matmul,
    linear, cross-entropy state ∂L/∂input = …; softmax states g·∂y/∂x = …; reshape-like ops say
    what they do to g), else G times the local derivative elementwise (G broadcast to its shape)."""
    text = formula_named.split("  (")[0]
    if text.startswith("∂L/"):
        return text
    if "so  g·" in text:  # "∂yᵢ/∂xⱼ = …,  so  g·∂y/∂x = y ⊗ (g − Σⱼ gⱼyⱼ)"
        rhs = text.split("so  g·", 1)[1].split("=", 1)[1].strip()
        return f"∂L/∂{node} = {_G.sub('G', rhs)}"
    head, colon, rest = text.partition(":")
    if colon and "=" not in head:  # "∂y/∂a: reshape g back to a's shape"
        return f"∂L/∂{node}:{_G.sub('G', rest)}"
    return f"∂L/∂{node} = G ⊙ ∂{via}/∂{node}"


def _local(upstream: np.ndarray, contribution: np.ndarray, via: Value) -> np.ndarray | None:
    """∂via/∂node at this point when via is one number: the contribution divided by G (exact when
    G = 1, the seed); None when G is 0 or not finite (nothing to divide by)."""
    if via.data.size != 1:
        return None
    g = float(np.asarray(upstream).reshape(()))
    if g == 1.0:
        return contribution
    if g == 0.0 or not np.isfinite(g):
        return None
    with np.errstate(all="ignore"):
        return np.asarray(contribution / g)


def _backward(root: Value, trace: Any, nodes: list[Value], names: dict[int, str], lang: str,
              given: bool) -> BackwardLog:
    rname = names[vid(root)]
    seed = np.asarray(trace.seed)
    steps: list[BackwardStep] = [BackwardStep(
        0, root, rname, None, None, None, None, None, "∂L/∂L = 1",
        f"∂L/∂{rname} = g" if given else f"∂{rname}/∂{rname} = 1",
        None, both("seed_given" if given else "seed", name=rname), None, None, seed, False, seed,
    )]
    seen = {vid(root)}
    cache: dict[int, tuple[dict[str, str], dict[str, float] | None, dict[str, str]]] = {}
    for s in trace.steps:
        v, p, i, op = s.node, s.input, s.input_index, s.op
        key = vid(v)
        if key not in cache:
            formula_obj = getattr(op, "formula", None)
            sentence = {lg: formula_obj.explain(lg) if formula_obj is not None else "" for lg in LANGS}
            cache[key] = (*_letters(v, names), sentence)
        letters, values, sentence = cache[key]
        formula = ft.local_formula(op, i)
        named = ft.named(formula, letters)
        if lang == "zh":
            named = ft.without_remark(named)
        upstream = np.asarray(s.upstream)
        fitted = np.asarray(s.fitted)
        accumulate = vid(p) in seen
        seen.add(vid(p))
        steps.append(BackwardStep(
            len(steps), p, names[vid(p)], v, names[key], op.name, op_symbol(v), i, formula, named,
            ft.numeric(formula, values) if values else None, sentence, upstream, _local(upstream, fitted, v),
            fitted, accumulate, np.asarray(s.grad_so_far),
            rule_named=_rule_named(named, names[key], names[vid(p)]),
            unsummed=np.asarray(s.contribution), summed_axes=tuple(s.summed_axes), engine=s,
        ))
    grads = {vid(v): trace.grad(v) for v in trace.nodes}
    return BackwardLog(steps, root, names, lang, nodes, grads, trace)


def record(root: Value, gradient: Any = None, params: Any = None, lang: str = "zh", backward: bool = True,
           keep_grad: bool = False, who: str = "record") -> Record:
    """Record one pass over ``root``'s graph for the views (see the module docstring).

    ``backward=True`` runs ``tg.trace_backward(root, gradient)`` once (its errors are backward's,
    named after ``who``) and afterwards puts every ``.grad`` of the graph back as it was, unless
    ``keep_grad=True``: then the pass's gradients stay in ``.grad``, exactly as ``root.backward()``
    leaves them (the record *is* that backward). ``params`` (an nn.Module or named parameters)
    names the parameters; ``lang`` ("zh" or "en") is the tables' language.
    """
    check_lang(lang, who)
    if not isinstance(root, Value):
        raise TypeError(
            f"{who}: root must be a Value (the output of a computation), got {type(root).__name__} "
            f"{root!r:.60}; e.g. x = tg.Value(2.0); viz.{who}(x * x, ...)"
        )
    nodes = walk([root])
    names = node_names(nodes, param_names(params))
    forward = _forward(root, nodes, names, lang)
    blog = None
    if backward:
        saved = [(v, v.grad) for v in nodes]  # backward assigns new arrays: these stay as they are
        try:
            trace = trace_backward(root, gradient)  # a failed pass changes no .grad
        except (RuntimeError, ValueError, TypeError) as e:
            msg = str(e)
            if msg.startswith("trace_backward:"):
                raise type(e)(f"{who}:{msg[len('trace_backward:'):]}") from None
            raise
        if not keep_grad:
            for v, g in saved:
                v.grad = g
        blog = _backward(root, trace, nodes, names, lang, gradient is not None)
    return Record(root, tuple(nodes), names, params, forward, blog, lang)


def explain_forward(root: Value, lang: str = "zh", params: Any = None) -> ForwardLog:
    """The forward pass that built ``root``: the leaves, then every op in the order it ran."""
    return record(root, params=params, lang=lang, backward=False, who="explain_forward").forward


def explain_backward(root: Value, lang: str = "zh", gradient: Any = None, params: Any = None) -> BackwardLog:
    """The backward pass from ``root`` as an ordered log of steps, read from ``tg.trace_backward``.

    One step per rule the engine ran: the upstream gradient G = ∂L/∂y arriving at an op's output y,
    the local derivative ∂y/∂x for one input x (from the op's formula), the contribution (for
    tensors: the rule's result, and the sum that undoes broadcasting) and x's gradient so far;
    "+=" marks a node gathering gradient from more than one path. ``.grad`` is left as it was:
    the log holds the gradients of this one pass (what ``root.backward(gradient)`` adds).
    ``params`` (an nn.Module or named parameters) names the parameters. Print it for a table.
    """
    rec = record(root, gradient=gradient, params=params, lang=lang, who="explain_backward")
    assert rec.backward is not None
    return rec.backward
