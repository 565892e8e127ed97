"""Reverse-mode differentiation without recursion.

Every node has a creation id larger than its inputs' ids, so visiting the nodes reachable from the
root in *decreasing* id is a topological order: by the time a node is visited every consumer has
already added its share to the node's gradient. The nodes that have received some gradient wait in
a heap ordered by id (the frontier; leaves, which have nothing to pass on, wait in a list), so the
pass never lists the whole graph first: its memory follows the frontier, not the graph. In-flight
gradients live in a dict (not on the nodes), so a second ``backward()`` on a kept graph adds
exactly the same gradients again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from heapq import heappop, heappush
from typing import Any

import numpy as np

from .errors import AnomalyError, ShapeError
from .mode import _LOCAL, enable_grad
from .value import Value, lift
from .xp import sum_to_array


def walk(roots: Iterable[Value]) -> list[Value]:
    """Every Value the roots depend on (roots included), oldest first. Iterative, any depth."""
    seen: dict[int, Value] = {}
    stack = list(roots)
    while stack:
        v = stack.pop()
        if v._id not in seen:
            seen[v._id] = v
            stack.extend(v._parents)
    return [seen[i] for i in sorted(seen)]


def _array(d: np.ndarray | float) -> np.ndarray:
    """A node's data as an ndarray (a fast-path float as a new 0-d array)."""
    return np.array(d) if type(d) is float else d


def _fit_array(gp: Any, p: Value, op: type, i: int) -> np.ndarray:
    """An array gradient summed back over broadcast axes to input p's shape, in p's dtype."""
    if type(gp) is not np.ndarray:
        gp = np.asarray(gp)
    shape = p.shape
    if gp.shape != shape:
        try:
            gp = sum_to_array(gp, shape)
        except ValueError:
            raise ShapeError(
                f"backward of op {op.name!r} returned a gradient of shape {gp.shape} "
                f"for its input {i} of shape {shape}"
            ) from None
    if gp.dtype != p.dtype:
        gp = gp.astype(p.dtype)
    return gp


def _fit_value(gp: Any, p: Value, op: type, i: int) -> Value:
    if not isinstance(gp, Value):
        gp = lift(np.asarray(gp), p, op.name)
    if gp.shape != p.shape:
        try:
            gp = gp.sum_to(p.shape)
        except ValueError:
            raise ShapeError(
                f"backward of op {op.name!r} returned a gradient of shape {gp.shape} "
                f"for its input {i} of shape {p.shape}"
            ) from None
    return gp


def _check_finite(gp: Any, op: type, i: int) -> None:
    arr = np.asarray(gp._data if isinstance(gp, Value) else gp)
    if not np.isfinite(arr).all():
        bad = "nan" if np.isnan(arr).any() else "inf"
        raise AnomalyError(
            f"detect_anomaly: backward of op {op.name!r} produced {bad} in the gradient "
            f"of its input {i} (shape {np.shape(arr)})"
        )


def run_backward(
    roots: Sequence[Value],
    seeds: Sequence[Any],
    *,
    create_graph: bool = False,
    store: bool = True,
    targets: set[int] | None = None,
    recorder: Any = None,
) -> dict[int, Any]:
    """Push ``seeds`` (∂L/∂root for each root) back through the graph.

    ``store``: add every node's gradient into its ``.grad`` (done only after the whole pass
    succeeds, so a failure changes nothing). ``targets``: ids whose total gradient to return.
    With ``create_graph`` the gradients are Values recorded as a graph of their own.
    ``recorder`` (see :mod:`tinygrad_cn.engine.trace`): told every rule that ran and, at the end,
    every node's total; None (the default) records nothing and costs no extra check per rule.
    """
    grads: dict[int, Any] = {}
    frontier: list[int] = []  # heap of −id: the nodes that got a gradient and wait for their visit
    waiting: dict[int, Value] = {}  # id → node, for those
    leaves: list[Value] = []  # leaves that got a gradient: nothing to visit, written at the end
    for r, s in zip(roots, seeds):
        if r._id in grads:
            grads[r._id] = grads[r._id] + s
        else:
            grads[r._id] = s
            waiting[r._id] = r
            heappush(frontier, -r._id)
    found: dict[int, Any] = {}
    written_v: list[Value] = []  # every node that got a gradient, and that gradient (two lists:
    written_g: list[Any] = []  # a million (node, grad) tuples would cost 70 MB)
    anomaly = _LOCAL.state.anomaly
    # one flag for the rare per-rule work (NaN checks, recording): the hot loop tests it once per rule
    checked = anomaly or recorder is not None
    errstate = np.errstate(all="ignore") if anomaly else None
    if errstate is not None:
        errstate.__enter__()
    # The pass allocates many short-lived tuples but never a reference cycle: pausing the cyclic
    # garbage collector saves it from rescanning the whole graph again and again.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        while frontier:
            nid = -heappop(frontier)  # the newest node waiting: every consumer has been visited
            v = waiting.pop(nid)
            g = grads.pop(nid)
            if targets is not None and nid in targets:
                found[nid] = g
            if store:
                written_v.append(v)
                written_g.append(g)
            op = v._op
            if op is None:
                continue  # a leaf: its gradient is complete
            parents = v._parents
            n = len(parents)
            y = v._data
            rules = op.backward
            if type(y) is float and not create_graph:
                # A node of the scalar fast path: its rules run on Python floats (no numpy, no
                # fitting: a float is a float64 scalar already). Where Python raises (1/0,
                # overflow), numpy's arithmetic runs the rule instead, as for any 0-d array.
                if type(g) is not float:
                    g = float(g)
                ctx = v._ctx
                if n == 2:
                    a, b = parents[0]._data, parents[1]._data
                    args = (ctx, g, y, a if type(a) is float else a.item(), b if type(b) is float else b.item())
                else:
                    a = parents[0]._data
                    args = (ctx, g, y, a if type(a) is float else a.item())
                i = 0
                for p in parents:
                    if p.requires_grad:
                        try:
                            gp = raw = rules[i](*args)
                        except (ArithmeticError, ValueError):
                            gp = raw = rules[i](ctx, *[np.float64(x) for x in args[1:]])
                        if type(gp) is not float:
                            gp = float(_fit_array(gp, p, op, i))
                        pid = p._id
                        prev = grads.get(pid)
                        if prev is None:
                            grads[pid] = gp
                            if p._op is None:
                                leaves.append(p)
                            else:
                                waiting[pid] = p
                                heappush(frontier, -pid)
                        else:
                            grads[pid] = prev + gp
                        if checked:
                            if anomaly:
                                _check_finite(gp, op, i)
                            if recorder is not None:
                                recorder.rule(v, op, i, p, g, raw, gp, grads[pid])
                    i += 1
                continue
            if type(g) is float:
                g = np.array(g)  # from a fast-path consumer of this array node
            if create_graph:
                args = (v._ctx, g, v, *parents)
            elif n == 1:
                a = parents[0]._data
                if type(a) is float:
                    a = np.array(a)
                if y.ndim or a.ndim:
                    args = (v._ctx, g, y, a)
                else:  # scalar graphs: numpy scalars do arithmetic ~6x faster than 0-d arrays
                    args = (v._ctx, g[()], y[()], a[()])
            elif n == 2:
                a, b = parents[0]._data, parents[1]._data
                if type(a) is float:
                    a = np.array(a)
                if type(b) is float:
                    b = np.array(b)
                if y.ndim or a.ndim or b.ndim:
                    args = (v._ctx, g, y, a, b)
                else:
                    args = (v._ctx, g[()], y[()], a[()], b[()])
            else:
                args = (v._ctx, g, y, *[_array(p._data) for p in parents])
            for i in range(n):
                p = parents[i]
                if not p.requires_grad:
                    continue  # never compute a gradient nobody needs (e.g. the data X)
                gp = raw = rules[i](*args)
                if create_graph:
                    gp = _fit_value(gp, p, op, i)
                else:
                    pdata = p._data
                    kind = type(gp)
                    if type(pdata) is float:  # a fast-path input of an array op: its gradient as a float
                        gp = float(_fit_array(gp, p, op, i))
                    elif kind is np.ndarray or kind is np.float64:
                        # the common cases (an array, or a float64 scalar on a scalar graph): only a
                        # broadcast input or a dtype change needs fitting
                        if gp.shape != pdata.shape or gp.dtype is not pdata.dtype:
                            gp = _fit_array(gp, p, op, i)
                    else:
                        gp = _fit_array(gp, p, op, i)
                pid = p._id
                prev = grads.get(pid)
                if prev is None:
                    grads[pid] = gp
                    if p._op is None:
                        leaves.append(p)
                    else:
                        waiting[pid] = p
                        heappush(frontier, -pid)
                else:
                    grads[pid] = prev + gp
                if checked:
                    if anomaly:
                        _check_finite(gp, op, i)
                    if recorder is not None:
                        recorder.rule(v, op, i, p, g, raw, gp, grads[pid])
        for v in leaves:  # their gradients are complete now
            nid = v._id
            g = grads.pop(nid)
            if targets is not None and nid in targets:
                found[nid] = g
            if store:
                written_v.append(v)
                written_g.append(g)
        if recorder is not None:  # every node in the order visited: decreasing id, leaves among the rest
            recorder.totals(sorted(zip(written_v, written_g), key=lambda vg: -vg[0]._id))
        given: set[int] = set()
        for v, g in zip(written_v, written_g):
            old = v._grad
            if old is not None:
                new = old + g
                v.grad = new if type(new) is float else np.asarray(new)
            elif type(g) is float:
                v.grad = g  # a fast-path scalar's gradient stays a float until .grad is read
            elif v._op is not None:
                v.grad = np.asarray(g)  # an intermediate's grad is for looking at
            else:
                # a leaf's .grad is its own writable array: copy a view, a read-only broadcast, or an
                # array already handed to another leaf (add passes one gradient to both inputs)
                if type(g) is not np.ndarray or g.base is not None or not g.flags.writeable or id(g) in given:
                    g = np.array(g)
                given.add(id(g))
                v.grad = g
    finally:
        if gc_was_enabled:
            gc.enable()
        if errstate is not None:
            errstate.__exit__(None, None, None)
    return found


def _seed(root: Value, gradient: Any, who: str) -> np.ndarray:
    if gradient is None:
        if root.size != 1:
            raise RuntimeError(
                f"{who}: the root has shape {root.shape}; a gradient can be created implicitly only "
                f"for a scalar (one-element) output: pass gradient= of shape {root.shape}"
            )
        return np.ones(root.shape, dtype=root.dtype)
    if isinstance(gradient, Value):
        g = np.asarray(gradient._data)
    else:
        try:
            g = np.asarray(gradient)
        except (TypeError, ValueError) as e:
            raise TypeError(f"{who}: gradient must be an array of real numbers, got {type(gradient).__name__}: {e}") from None
    if g.dtype.kind not in "biuf":
        raise TypeError(
            f"{who}: gradient must be real numbers (a Value, an ndarray or a number), "
            f"got {type(gradient).__name__} {_shown(gradient)} of dtype {g.dtype}"
        )
    if g.shape != root.shape:
        raise ShapeError(f"{who}: gradient has shape {g.shape} but the root has shape {root.shape}")
    return np.array(g, dtype=root.dtype)  # a private copy: the caller's array may change later


def backward(root: Value, gradient: Any = None, *, recorder: Any = None, who: str = "backward") -> None:
    """``root.backward(gradient)``: accumulate ∂root/∂x into ``x.grad`` for every x in the graph.

    ``recorder`` and ``who`` are for :func:`tinygrad_cn.engine.trace.trace_backward`, which runs
    this very pass with a recorder attached.
    """
    if not isinstance(root, Value):
        raise TypeError(f"{who}: the root must be a Value, got {type(root).__name__}")
    if not root.requires_grad:
        raise RuntimeError(
            f"{who}: this Value does not require grad and has no graph "
            "(it was made from constants only, or under no_grad)"
        )
    seed = _seed(root, gradient, who)
    if recorder is not None:
        recorder.seed = seed
    run_backward([root], [seed], recorder=recorder)


def _shown(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def _as_values(xs: Any, who: str, what: str) -> tuple[Value, ...]:
    if isinstance(xs, Value):
        xs = (xs,)
    elif isinstance(xs, Iterable) and not isinstance(xs, (str, bytes, np.ndarray)):
        xs = tuple(xs)  # a list, a tuple, a generator such as model.parameters()
    else:
        raise TypeError(
            f"{who}: {what} must be a Value or a sequence of Values, got {type(xs).__name__} {_shown(xs)}"
        )
    for i, x in enumerate(xs):
        if not isinstance(x, Value):
            raise TypeError(f"{who}: {what}[{i}] is a {type(x).__name__}, not a Value")
    return xs


def grad(
    outputs: Value | Sequence[Value],
    inputs: Value | Sequence[Value],
    grad_outputs: Any = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Value | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, returned (not stored: every ``.grad``
    is left untouched), as in ``torch.autograd.grad``.

    With ``create_graph=True`` the returned Values are part of a graph themselves, so they can be
    differentiated again (second derivatives, Hessians).

    >>> import tinygrad_cn as tg
    >>> x = tg.Value(3.0)
    >>> (dx,) = tg.grad(x ** 3, x, create_graph=True)   # 3x² = 27
    >>> (ddx,) = tg.grad(dx, x)                          # 6x = 18
    >>> dx.item(), ddx.item(), x.grad
    (27.0, 18.0, None)
    """
    outs = _as_values(outputs, "grad", "outputs")
    ins = _as_values(inputs, "grad", "inputs")
    if grad_outputs is None:
        gos: tuple[Any, ...] = (None,) * len(outs)
    else:
        single = isinstance(grad_outputs, (Value, np.ndarray)) or np.isscalar(grad_outputs)
        gos = (grad_outputs,) if single else tuple(grad_outputs)
        if len(gos) != len(outs):
            raise ValueError(f"grad: {len(gos)} grad_outputs for {len(outs)} outputs")
    for i, o in enumerate(outs):
        if not o.requires_grad:
            raise RuntimeError(f"grad: outputs[{i}] does not require grad and has no graph")
    for i, x in enumerate(ins):
        if not x.requires_grad:
            raise RuntimeError(f"grad: inputs[{i}] does not require grad")
    seeds = [_seed(o, g, "grad") for o, g in zip(outs, gos)]
    if create_graph:
        seed_values = [
            g if isinstance(g, Value) else lift(s, o, "grad") for o, g, s in zip(outs, gos, seeds)
        ]
        with enable_grad():
            found = run_backward(outs, seed_values, create_graph=True, store=False, targets={x._id for x in ins})
    else:
        found = run_backward(outs, seeds, store=False, targets={x._id for x in ins})
    result: list[Value | None] = []
    for i, x in enumerate(ins):
        g = found.get(x._id)
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: inputs[{i}] (shape {x.shape}) was not used to compute the outputs; "
                    "pass allow_unused=True to get None for it"
                )
            result.append(None)
        elif isinstance(g, Value):
            result.append(g)
        else:
            result.append(Value(g, requires_grad=False, label=x.label and f"∂/∂{x.label}"))
    return tuple(result)
