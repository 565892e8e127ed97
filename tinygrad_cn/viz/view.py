"""What a drawing shows: which nodes, inside which module boxes, collapsed or cut off where.

A *view* is computed once per graph and then painted any number of times (the plain drawing, or
one frame per step): the frames of one graph share the same items in the same order, so their
layouts agree and only colours and numbers change.

Item keys are positions in creation order (``n7`` is the 8th oldest Value of this graph, ``n7op``
the op node that produced it), never ``id()``: the same graph always gives the same DOT text.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..engine.autograd import walk
from ..engine.value import Value
from .formula_text import input_symbols
from .naming import node_names, param_names

DEFAULT_MAX_NODES = 300  # value nodes drawn before the rest is cut off behind a "… N more" marker
MORE = "more"


@dataclass
class Group:
    """A module call collapsed into one node."""

    key: str
    call: Any  # nn.ModuleCall
    label: str
    members: list[Value] = field(default_factory=list)
    inputs: list[Value] = field(default_factory=list)

    @property
    def n_ops(self) -> int:
        return sum(1 for v in self.members if v.op_class is not None)

    @property
    def n_params(self) -> int:
        return sum(1 for v in self.members if v.op_class is None)


@dataclass
class Item:
    """One drawn node: a value, the op that produced a value, a collapsed module, or the marker."""

    key: str
    kind: str  # "value" | "op" | "group" | "more"
    value: Value | None = None
    group: Group | None = None
    path: tuple[Any, ...] = ()  # the module calls (outermost first) whose boxes hold this item


@dataclass
class Edge:
    src: str
    dst: str
    head: str | None = None  # which input of the op (the formula's a, b, x, W, ...)


@dataclass
class View:
    root: Value
    nodes: list[Value]  # every Value of the graph, oldest first
    index: dict[int, int]  # Value.id -> position in ``nodes``
    names: dict[int, str]  # Value.id -> name
    kinds: dict[int, str]  # Value.id -> "param" | "input" | "inter" | "output"
    items: list[Item]
    edges: list[Edge]
    hidden: int  # value nodes cut off by max_nodes
    max_nodes: int | None
    call_labels: dict[int, str]  # id(ModuleCall) -> box label

    def key(self, v: Value) -> str:
        return f"n{self.index[v.id]}"


def _chain(v: Value) -> tuple[Any, ...]:
    return tuple(v.scope.chain()) if v.scope is not None else ()


def _common_prefix(chains: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    first = chains[0]
    n = len(first)
    for c in chains[1:]:
        n = min(n, len(c))
        for i in range(n):
            if c[i] is not first[i]:
                n = i
                break
    return first[:n]


class _Owners:
    """Which module owns which parameter (cached per module)."""

    def __init__(self) -> None:
        self._cache: dict[int, set[int]] = {}

    def owns(self, module: Any, v: Value) -> bool:
        key = id(module)
        if key not in self._cache:
            try:
                self._cache[key] = {id(p) for p in module.parameters()}
            except Exception:  # a module whose parameters() fails simply owns nothing here
                self._cache[key] = set()
        return id(v) in self._cache[key]


def _matcher(collapse: Any, module_names: dict[int, str]):
    """A predicate on module calls from ``collapse``: True (all), or names / classes / modules."""
    if collapse is None or collapse is False:
        return None
    if collapse is True:
        return lambda call: True
    specs = [collapse] if isinstance(collapse, (str, type)) or hasattr(collapse, "named_parameters") else list(collapse)

    def match(call: Any) -> bool:
        mod = call.module
        for s in specs:
            if isinstance(s, str):
                if s == type(mod).__name__ or s == module_names.get(id(mod)):
                    return True
            elif isinstance(s, type):
                if isinstance(mod, s):
                    return True
            elif s is mod:
                return True
        return False

    return match


def build_view(
    root: Value,
    params: Any = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse: Any = False,
) -> View:
    """Everything :func:`draw_graph` needs to know about ``root``'s graph, computed once."""
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph: root must be a Value, got {type(root).__name__}")
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"draw_graph: max_nodes must be a positive int or None, got {max_nodes!r}")
    nodes = walk([root])
    index = {v.id: i for i, v in enumerate(nodes)}
    pnames = param_names(params)
    names = node_names(nodes, pnames)
    module_names: dict[int, str] = {}
    if hasattr(params, "named_modules"):
        module_names = {id(m): n for n, m in params.named_modules()}

    consumers: dict[int, list[Value]] = {}
    for v in nodes:
        seen_parent: set[int] = set()
        for p in v.parents:
            if p.id not in seen_parent:
                seen_parent.add(p.id)
                consumers.setdefault(p.id, []).append(v)

    kinds: dict[int, str] = {}
    for v in nodes:
        if v is root:
            kinds[v.id] = "output"
        elif v.op_class is not None:
            kinds[v.id] = "inter"
        elif (id(v) in pnames) if pnames else v.requires_grad:
            kinds[v.id] = "param"
        else:
            kinds[v.id] = "input"

    # ---- which module boxes hold each value ----------------------------------------------------
    owners = _Owners()
    paths: dict[int, tuple[Any, ...]] = {}
    for v in nodes:
        if v.op_class is not None:
            paths[v.id] = _chain(v)
            continue
        users = consumers.get(v.id, [])
        path: tuple[Any, ...] = ()
        if users:
            chains = [_chain(u) for u in users]
            if kinds[v.id] == "param":
                path = _common_prefix(chains)
                while path and not owners.owns(path[-1].module, v):
                    path = path[:-1]  # a parameter sits in the box of the module that owns it
            elif v.label is None and not v.requires_grad and v.data.size == 1 and all(
                len(c) == len(chains[0]) and all(a is b for a, b in zip(c, chains[0])) for c in chains
            ):
                path = chains[0]  # a constant like the 2 in 2·x stays beside its op
        paths[v.id] = path

    # ---- module calls: labels, collapsed groups ---------------------------------------------------
    call_labels: dict[int, str] = {}
    calls_per_module: dict[int, int] = {}
    for v in nodes:
        for call in paths[v.id]:
            if id(call) in call_labels:
                continue
            mod = call.module
            k = calls_per_module.get(id(mod), 0) + 1
            calls_per_module[id(mod)] = k
            name = module_names.get(id(mod))
            label = f"{name}: {type(mod).__name__}" if name else type(mod).__name__
            call_labels[id(call)] = label if k == 1 else f"{label} (call {k})"

    match = _matcher(collapse, module_names)
    group_of: dict[int, Group] = {}
    groups: dict[int, Group] = {}
    if match is not None:
        for v in nodes:
            for depth, call in enumerate(paths[v.id]):
                if match(call):
                    g = groups.get(id(call))
                    if g is None:
                        g = Group(f"m{len(groups)}", call, call_labels[id(call)])
                        groups[id(call)] = g
                    g.members.append(v)
                    group_of[v.id] = g
                    paths[v.id] = paths[v.id][:depth]
                    break
        for g in groups.values():
            inside = {m.id for m in g.members}
            seen_in: set[int] = set()
            for m in g.members:
                for p in m.parents:
                    if p.id not in inside and p.id not in seen_in:
                        seen_in.add(p.id)
                        g.inputs.append(p)

    def outside_user(v: Value, g: Group) -> bool:
        return any(group_of.get(u.id) is not g for u in consumers.get(v.id, []))

    visible = [
        v for v in nodes
        if v.id not in group_of or v is root or outside_user(v, group_of[v.id])
    ]

    # ---- cut off at max_nodes: keep the values nearest the root (breadth first) --------------
    def preds(v: Value) -> Iterable[Value]:
        g = group_of.get(v.id)
        return g.inputs if g is not None else v.parents

    if max_nodes is None or len(visible) <= max_nodes:
        kept = {v.id for v in visible}
    else:
        kept = {root.id}
        queue = deque([root])
        while queue and len(kept) < max_nodes:
            v = queue.popleft()
            for p in preds(v):
                if p.id not in kept:
                    kept.add(p.id)
                    queue.append(p)
                    if len(kept) >= max_nodes:
                        break
    hidden = len(visible) - len(kept)

    # ---- items and edges, in creation order ----------------------------------------------------
    items: list[Item] = []
    edges: list[Edge] = []
    more_edges: set[str] = set()

    def src(p: Value, dst: str) -> str | None:
        if p.id in kept:
            return f"n{index[p.id]}"
        if dst in more_edges:
            return None
        more_edges.add(dst)
        return MORE

    if hidden:
        items.append(Item(MORE, "more"))
    drawn_groups: set[str] = set()
    for v in visible:
        if v.id not in kept:
            continue
        i = index[v.id]
        g = group_of.get(v.id)
        if g is not None:
            if g.key not in drawn_groups:
                drawn_groups.add(g.key)
                items.append(Item(g.key, "group", group=g, path=paths[v.id]))
                for p in g.inputs:
                    s = src(p, g.key)
                    if s is not None:
                        edges.append(Edge(s, g.key))
            items.append(Item(f"n{i}", "value", value=v, path=paths[v.id]))
            edges.append(Edge(g.key, f"n{i}"))
            continue
        if v.op_class is not None:
            op_key = f"n{i}op"
            items.append(Item(op_key, "op", value=v, path=paths[v.id]))
            heads = input_symbols(v.op_class, len(v.parents)) if len(v.parents) > 1 else [None] * len(v.parents)
            for p, head in zip(v.parents, heads):
                s = src(p, op_key)
                if s is not None:
                    edges.append(Edge(s, op_key, head if s != MORE else None))
            edges.append(Edge(op_key, f"n{i}"))
        items.append(Item(f"n{i}", "value", value=v, path=paths[v.id]))
    return View(root, nodes, index, names, kinds, items, edges, hidden, max_nodes, call_labels)
