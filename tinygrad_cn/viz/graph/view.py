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

from ...engine import Value
from ..trace.naming import node_names, param_names
from ..trace.nodes import op_type, parents, scope, vid, walk

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
        return sum(1 for v in self.members if op_type(v) is not None)

    @property
    def n_params(self) -> int:
        return sum(1 for v in self.members if op_type(v) is None)


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
    head: str | None = None  # which input of the op: its position, #1, #2, ...


@dataclass
class View:
    root: Value
    nodes: list[Value]  # every Value of the graph, oldest first
    index: dict[int, int]  # node id -> position in ``nodes``
    names: dict[int, str]  # node id -> name
    kinds: dict[int, str]  # node id -> "param" | "input" | "inter" | "output"
    items: list[Item]
    edges: list[Edge]
    hidden: int  # value nodes cut off by max_nodes
    max_nodes: int | None
    call_labels: dict[int, str]  # id(ModuleCall) -> box label

    def key(self, v: Value) -> str:
        return f"n{self.index[vid(v)]}"


def _chain(v: Value) -> tuple[Any, ...]:
    return tuple(scope(v).chain()) if scope(v) is not None else ()


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
    nodes: Sequence[Value] | None = None,
    names: dict[int, str] | None = None,
) -> View:
    """Everything :func:`draw_graph` needs to know about ``root``'s graph, computed once.

    ``nodes`` / ``names``: the graph's nodes (oldest first) and names when already known (a
    :class:`~tinygrad_cn.viz.trace.Record` has them), so they are not walked and named again."""
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph: root must be a Value, got {type(root).__name__}")
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"draw_graph: max_nodes must be a positive int or None, got {max_nodes!r}")
    nodes = list(nodes) if nodes is not None else walk([root])
    index = {vid(v): i for i, v in enumerate(nodes)}
    pnames = param_names(params)
    names = names if names is not None else node_names(nodes, pnames)
    module_names: dict[int, str] = {}
    if hasattr(params, "named_modules"):
        module_names = {id(m): n for n, m in params.named_modules()}

    consumers: dict[int, list[Value]] = {}
    for v in nodes:
        seen_parent: set[int] = set()
        for p in parents(v):
            if vid(p) not in seen_parent:
                seen_parent.add(vid(p))
                consumers.setdefault(vid(p), []).append(v)

    kinds: dict[int, str] = {}
    for v in nodes:
        if v is root:
            kinds[vid(v)] = "output"
        elif op_type(v) is not None:
            kinds[vid(v)] = "inter"
        elif (id(v) in pnames) if pnames else v.requires_grad:
            kinds[vid(v)] = "param"
        else:
            kinds[vid(v)] = "input"

    # ---- which module boxes hold each value ----------------------------------------------------
    owners = _Owners()
    paths: dict[int, tuple[Any, ...]] = {}
    for v in nodes:
        if op_type(v) is not None:
            paths[vid(v)] = _chain(v)
            continue
        users = consumers.get(vid(v), [])
        path: tuple[Any, ...] = ()
        if users:
            chains = [_chain(u) for u in users]
            if kinds[vid(v)] == "param":
                path = _common_prefix(chains)
                while path and not owners.owns(path[-1].module, v):
                    path = path[:-1]  # a parameter sits in the box of the module that owns it
            elif v.label is None and not v.requires_grad and v.data.size == 1 and all(
                len(c) == len(chains[0]) and all(a is b for a, b in zip(c, chains[0])) for c in chains
            ):
                path = chains[0]  # a constant like the 2 in 2·x stays beside its op
        paths[vid(v)] = path

    # ---- module calls: labels, collapsed groups ---------------------------------------------------
    call_labels: dict[int, str] = {}
    calls_per_module: dict[int, int] = {}
    for v in nodes:
        for call in paths[vid(v)]:
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
            for depth, call in enumerate(paths[vid(v)]):
                if match(call):
                    g = groups.get(id(call))
                    if g is None:
                        g = Group(f"m{len(groups)}", call, call_labels[id(call)])
                        groups[id(call)] = g
                    g.members.append(v)
                    group_of[vid(v)] = g
                    paths[vid(v)] = paths[vid(v)][:depth]
                    break
        for g in groups.values():
            inside = {vid(m) for m in g.members}
            seen_in: set[int] = set()
            for m in g.members:
                for p in parents(m):
                    if vid(p) not in inside and vid(p) not in seen_in:
                        seen_in.add(vid(p))
                        g.inputs.append(p)

    def outside_user(v: Value, g: Group) -> bool:
        return any(group_of.get(vid(u)) is not g for u in consumers.get(vid(v), []))

    visible = [
        v for v in nodes
        if vid(v) not in group_of or v is root or outside_user(v, group_of[vid(v)])
    ]

    # ---- cut off at max_nodes: keep the values nearest the root (breadth first) --------------
    def preds(v: Value) -> Iterable[Value]:
        g = group_of.get(vid(v))
        return g.inputs if g is not None else parents(v)

    if max_nodes is None or len(visible) <= max_nodes:
        kept = {vid(v) for v in visible}
    else:
        kept = {vid(root)}
        queue = deque([root])
        while queue and len(kept) < max_nodes:
            v = queue.popleft()
            for p in preds(v):
                if vid(p) not in kept:
                    kept.add(vid(p))
                    queue.append(p)
                    if len(kept) >= max_nodes:
                        break
    hidden = len(visible) - len(kept)

    # ---- items and edges, in creation order ----------------------------------------------------
    items: list[Item] = []
    edges: list[Edge] = []
    more_edges: set[str] = set()

    def src(p: Value, dst: str) -> str | None:
        if vid(p) in kept:
            return f"n{index[vid(p)]}"
        if dst in more_edges:
            return None
        more_edges.add(dst)
        return MORE

    if hidden:
        items.append(Item(MORE, "more"))
    drawn_groups: set[str] = set()
    for v in visible:
        if vid(v) not in kept:
            continue
        i = index[vid(v)]
        g = group_of.get(vid(v))
        if g is not None:
            if g.key not in drawn_groups:
                drawn_groups.add(g.key)
                items.append(Item(g.key, "group", group=g, path=paths[vid(v)]))
                for p in g.inputs:
                    s = src(p, g.key)
                    if s is not None:
                        edges.append(Edge(s, g.key))
            items.append(Item(f"n{i}", "value", value=v, path=paths[vid(v)]))
            edges.append(Edge(g.key, f"n{i}"))
            continue
        if op_type(v) is not None:
            op_key = f"n{i}op"
            items.append(Item(op_key, "op", value=v, path=paths[vid(v)]))
            # position markers (#1, #2, ...) on the edges into an op with several inputs: they say which
            # argument is which (a − b, x @ W) and cannot clash with the user's own names
            heads = [f"#{k + 1}" for k in range(len(parents(v)))] if len(parents(v)) > 1 else [None] * len(parents(v))
            for p, head in zip(parents(v), heads):
                s = src(p, op_key)
                if s is not None:
                    edges.append(Edge(s, op_key, head if s != MORE else None))
            edges.append(Edge(op_key, f"n{i}"))
        items.append(Item(f"n{i}", "value", value=v, path=paths[vid(v)]))
    return View(root, nodes, index, names, kinds, items, edges, hidden, max_nodes, call_labels)
