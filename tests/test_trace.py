"""tg.trace_backward: the engine's record of one real backward pass (TRACE_API)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn.engine import BackwardStep, BackwardTrace
from tinygrad_cn.engine.xp import sum_to_array


def leaves(root: tg.Value) -> list[tg.Value]:
    return [v for v in tg.engine.walk([root]) if v.is_leaf and v.requires_grad]


def check_consistent(trace: BackwardTrace, fresh: list[tg.Value]) -> None:
    """Invariants every trace satisfies, whatever the graph."""
    assert isinstance(trace, BackwardTrace)
    assert trace.nodes[0] is trace.root
    assert np.array_equal(trace.grad(trace.root), trace.seed)
    ids = [v.id for v in trace.nodes]
    assert ids == sorted(ids, reverse=True)  # backward order: newest first
    running: dict[int, np.ndarray] = {}
    for k, s in enumerate(trace.steps):
        assert isinstance(s, BackwardStep) and s.index == k
        assert s.node.parents[s.input_index] is s.input and s.op.name == s.node.op
        assert s.input.requires_grad
        assert s.upstream.shape == s.node.shape
        assert s.shape_before == s.contribution.shape and s.shape_after == s.input.shape
        assert s.fitted.shape == s.input.shape and s.fitted.dtype == s.input.dtype
        # the fit is exactly "sum over summed_axes, drop the leading ones"
        summed = s.contribution.sum(axis=s.summed_axes, keepdims=True) if s.summed_axes else s.contribution
        summed = summed.reshape(s.input.shape)
        np.testing.assert_array_equal(summed.astype(s.input.dtype), s.fitted)
        prev = running.get(s.input.id)
        expected = s.fitted if prev is None else prev + s.fitted
        np.testing.assert_array_equal(s.grad_so_far, expected)
        running[s.input.id] = s.grad_so_far
        # the upstream of a step is the node's full gradient: every step into the node ran before
        np.testing.assert_array_equal(s.upstream, trace.grad(s.node))
    for v in trace.nodes[1:]:
        np.testing.assert_array_equal(running[v.id], trace.grad(v))
    for v in fresh:  # nodes whose .grad was None before: bitwise equal, same dtype
        g = trace.grad(v)
        assert g is not None and v.grad is not None
        assert np.array_equal(g, v.grad) and g.dtype == v.grad.dtype and g.shape == v.grad.shape


def test_scalar_neuron():
    x1, x2 = tg.Value(2.0, label="x1"), tg.Value(0.0, label="x2")
    w1, w2 = tg.Value(-3.0, label="w1"), tg.Value(1.0, label="w2")
    b = tg.Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    trace = tg.trace_backward(o)
    check_consistent(trace, [x1, x2, w1, w2, b])
    assert [s.op.name for s in trace.steps] == ["tanh", "add", "add", "add", "add", "mul", "mul", "mul", "mul"]
    assert trace.steps[0].upstream == 1.0
    assert trace.steps[0].contribution == pytest.approx(0.5, abs=1e-6)  # 1 − tanh² at 0.7071
    assert trace.grad(w1) == pytest.approx(1.0, abs=1e-6) and trace.grad(x1) == pytest.approx(-1.5, abs=1e-6)
    assert all(s.summed_axes == () for s in trace.steps)


def test_tensor_graph_and_seed():
    rng = np.random.default_rng(0)
    x = tg.Value(rng.standard_normal((3, 4)), label="x")
    y = (x.exp() * x).sum(axis=1).mean()
    trace = tg.trace_backward(y)
    check_consistent(trace, [x])
    np.testing.assert_allclose(x.grad, (np.exp(x.data) * (x.data + 1)) / 3)
    assert trace.seed.shape == () and trace.seed.dtype == np.float64
    # x feeds exp and mul: two steps land on x, the second adds to the first
    into_x = [s for s in trace.steps if s.input is x]
    assert len(into_x) == 2
    np.testing.assert_array_equal(into_x[1].grad_so_far, into_x[0].fitted + into_x[1].fitted)


def test_broadcast_bias_names_axes_and_shapes():
    rng = np.random.default_rng(1)
    X = tg.Value(rng.standard_normal((4, 3)), label="X")
    b = tg.Value(rng.standard_normal(3), label="b")
    y = ((X + b) ** 2).sum()
    trace = tg.trace_backward(y)
    check_consistent(trace, [X, b])
    (into_b,) = [s for s in trace.steps if s.input is b]
    assert into_b.op.name == "add" and into_b.input_index == 1
    assert into_b.summed_axes == (0,) and into_b.shape_before == (4, 3) and into_b.shape_after == (3,)
    np.testing.assert_array_equal(into_b.fitted, into_b.contribution.sum(axis=0))
    np.testing.assert_allclose(b.grad, (2 * (X.data + b.data)).sum(axis=0))
    (into_X,) = [s for s in trace.steps if s.input is X]
    assert into_X.summed_axes == () and into_X.shape_before == into_X.shape_after == (4, 3)


def test_keepdims_style_broadcast_axes():
    a = tg.Value(np.ones((2, 1, 3)))
    c = tg.Value(np.arange(120.0).reshape(4, 2, 5, 3))
    trace = tg.trace_backward((a * c).sum())
    (into_a,) = [s for s in trace.steps if s.input is a]
    assert into_a.summed_axes == (0, 2) and into_a.shape_before == (4, 2, 5, 3) and into_a.shape_after == (2, 1, 3)
    check_consistent(trace, [a, c])


def test_matmul():
    rng = np.random.default_rng(2)
    A = tg.Value(rng.standard_normal((5, 4)), label="A")
    W = tg.Value(rng.standard_normal((4, 3)), label="W")
    y = (A @ W).tanh().sum()
    trace = tg.trace_backward(y)
    check_consistent(trace, [A, W])
    (mm_A,) = [s for s in trace.steps if s.input is A]
    (mm_W,) = [s for s in trace.steps if s.input is W]
    G = mm_A.upstream
    np.testing.assert_allclose(mm_A.contribution, G @ W.data.T)
    np.testing.assert_allclose(mm_W.contribution, A.data.T @ G)


def test_reused_nodes_plus_equals():
    """micrograd's "+=" trap: a node used many times gets every contribution added."""
    a = tg.Value(3.0, label="a")
    s = a
    for _ in range(3):
        s += a  # s = 4a
    y = s * a  # 4a²: ∂y/∂a = 8a = 24
    trace = tg.trace_backward(y)
    check_consistent(trace, [a])
    assert a.grad == 24.0 and trace.grad(a) == 24.0
    into_a = [s_ for s_ in trace.steps if s_.input is a]
    assert [float(s_.grad_so_far) for s_ in into_a] == [12.0, 15.0, 18.0, 21.0, 24.0]
    # the same node twice in one op: a * a
    b = tg.Value(5.0)
    t2 = tg.trace_backward(b * b)
    assert [(s_.input_index, float(s_.grad_so_far)) for s_ in t2.steps] == [(0, 5.0), (1, 10.0)]
    check_consistent(t2, [b])


def test_gradient_for_a_non_scalar_root_and_float32():
    x = tg.Value(np.array([1.0, 2.0, 3.0], dtype=np.float32), label="x")
    y = x * x
    gy = np.array([1.0, -1.0, 0.5])
    trace = tg.trace_backward(y, gradient=gy)
    assert trace.seed.dtype == np.float32 and np.array_equal(trace.seed, gy.astype(np.float32))
    check_consistent(trace, [x, y])
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, np.array([2.0, -4.0, 3.0], dtype=np.float32))
    # a Value as the gradient works too
    x.grad = None
    tg.trace_backward(x * 2, gradient=tg.Value([1.0, 1.0, 1.0]))
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])


def test_same_errors_as_backward():
    v = tg.Value([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"trace_backward.*gradient"):
        tg.trace_backward(v * 2)
    with pytest.raises(tg.ShapeError, match=r"trace_backward.*shape"):
        tg.trace_backward(v * 2, gradient=np.ones(3))
    with pytest.raises(RuntimeError, match=r"trace_backward.*does not require grad"):
        tg.trace_backward(tg.Value(1.0, requires_grad=False) * 2)
    with pytest.raises(TypeError, match=r"trace_backward.*float"):
        tg.trace_backward(3.0)  # type: ignore[arg-type]
    assert v.grad is None


def test_accumulates_like_backward_and_trace_is_immutable():
    a = tg.Value([1.0, 2.0])
    y = (a * a).sum()
    y.backward()
    t = tg.trace_backward(y)  # .grad accumulates as backward does; the trace holds this pass only
    np.testing.assert_array_equal(a.grad, [4.0, 8.0])
    np.testing.assert_array_equal(t.grad(a), [2.0, 4.0])
    a.grad *= 0  # editing .grad in place leaves the record alone
    np.testing.assert_array_equal(t.grad(a), [2.0, 4.0])
    with pytest.raises(ValueError):
        t.steps[0].upstream[...] = 7.0
    assert t.grad(tg.Value(1.0)) is None
    assert "steps" in repr(t) and "mul" in repr(t.steps[-1])


def test_only_rules_that_run_are_recorded():
    X = tg.Value(np.ones((2, 3)), requires_grad=False)
    W = tg.Value(np.ones((3, 1)))
    t = tg.trace_backward((X @ W).sum())
    assert [(s.op.name, s.input_index) for s in t.steps] == [("sum", 0), ("matmul", 1)]
    assert t.grad(X) is None and X not in t.nodes


def test_create_graph_graph():
    """A graph made by tg.grad(create_graph=True) is an ordinary graph: its backward is traced too."""
    x = tg.Value(1.5, label="x")
    (dx,) = tg.grad(x**3, x, create_graph=True)  # 3x²
    trace = tg.trace_backward(dx)  # d(3x²)/dx = 6x
    check_consistent(trace, [x])
    assert trace.grad(x) == pytest.approx(9.0) and x.grad == pytest.approx(9.0)


def test_trace_matches_backward_exactly_on_activations_and_losses():
    rng = np.random.default_rng(3)
    logits = tg.Value(rng.standard_normal((4, 5)))
    W = tg.Value(rng.standard_normal((5, 5)))
    h = F.gelu(logits @ W) + F.silu(logits)
    loss = F.cross_entropy(h, np.array([0, 1, 2, 3]))
    trace = tg.trace_backward(loss)
    check_consistent(trace, [logits, W])
    gl, gw = logits.grad.copy(), W.grad.copy()
    logits.grad = W.grad = None
    loss.backward()
    assert np.array_equal(gl, logits.grad) and np.array_equal(gw, W.grad)


@given(
    st.lists(st.integers(1, 3), min_size=0, max_size=3),
    st.integers(0, 2**16),
    st.sampled_from([np.float64, np.float32]),
)
def test_random_broadcasts_bitwise_equal_to_backward(shape, seed, dtype):
    rng = np.random.default_rng(seed)
    shape = tuple(shape)
    # b broadcasts against a: drop some leading axes and set some to 1
    bshape = tuple(1 if rng.random() < 0.5 else n for n in shape[rng.integers(0, len(shape) + 1):])
    a = tg.Value(rng.standard_normal(shape).astype(dtype))
    b = tg.Value(rng.standard_normal(bshape).astype(dtype))
    y = ((a * b + b).tanh() * a).sum()
    trace = tg.trace_backward(y)
    check_consistent(trace, [a, b])
    for s in trace.steps:
        assert s.shape_before == s.contribution.shape
        if s.input is b:
            np.testing.assert_array_equal(sum_to_array(s.contribution, b.shape).astype(dtype), s.fitted)
    ga, gb = a.grad, b.grad
    a.grad = b.grad = None
    y.backward()
    assert np.array_equal(ga, a.grad) and np.array_equal(gb, b.grad)
