"""Value semantics: construction and dtypes, accumulation, errors, no_grad, anomaly detection,
no mutation of inputs, no reference cycles, deep graphs."""

from __future__ import annotations

import gc
import sys

import numpy as np
import pytest

import tinygrad_cn as tg

# ---------------------------------------------------------------- construction and dtypes


def test_construction_and_dtypes():
    assert tg.Value(3).dtype == np.float64 and tg.Value(3).shape == ()
    assert tg.Value(2.5).data.ndim == 0 and isinstance(tg.Value(2.5).data, np.ndarray)
    assert tg.Value([[1, 2], [3, 4]]).dtype == np.float64
    assert tg.Value(np.arange(3)).dtype == np.float64  # ints become float64
    assert tg.Value(np.ones(2, np.float32)).dtype == np.float32  # float32 stays
    assert tg.Value(np.float32(1.5)).dtype == np.float32
    v = tg.Value(1.0)
    assert v.requires_grad and v.grad is None and v.op is None and v.label is None and v.is_leaf
    assert tg.Value(1.0, requires_grad=False, label="x").label == "x"
    for bad in ["abc", None, {"a": 1}, np.array(["x"]), 1 + 2j]:
        with pytest.raises(TypeError, match="Value"):
            tg.Value(bad)


def test_constructor_copies_user_array():
    arr = np.ones(3)
    v = tg.Value(arr)
    arr[0] = 5.0
    assert v.data[0] == 1.0


OPS32 = [
    lambda x: x + 2.0, lambda x: 2 - x, lambda x: x * 3, lambda x: 1 / (x + 3.0), lambda x: x**2,
    lambda x: 2.0**x, lambda x: -x, lambda x: x.exp(), lambda x: (x * x + 1).log(), lambda x: (x * x + 1).sqrt(),
    lambda x: x.abs(), lambda x: x.sigmoid(), lambda x: x.tanh(), lambda x: x.relu(),
    lambda x: x.sum(axis=0), lambda x: x.mean(), lambda x: x.max(axis=1, keepdims=True),
    lambda x: x.reshape(6), lambda x: x.T, lambda x: x[0, [1, 1]], lambda x: x @ x.T,
    lambda x: x + np.arange(3), lambda x: x * np.float64(0.5), lambda x: tg.where(x.data > 0, x, 0.0),
]


@pytest.mark.parametrize("i", range(len(OPS32)))
def test_float32_stays_float32(i):
    x = tg.Value(np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=np.float32))
    y = OPS32[i](x)
    assert y.dtype == np.float32, y
    y.sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.shape == x.shape


def test_float64_array_constant_promotes_like_numpy():
    x = tg.Value(np.ones(2, np.float32))
    assert (x + np.ones(2)).dtype == np.float64  # an explicit float64 array is numpy promotion, not silent


@pytest.mark.parametrize("i", range(len(OPS32)))
def test_ops_do_not_mutate_inputs(i):
    x0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    x = tg.Value(x0)
    y = OPS32[i](x)
    g = np.random.default_rng(0).standard_normal(y.shape)
    g0 = g.copy()
    y.backward(g)
    np.testing.assert_array_equal(x.data, x0)
    np.testing.assert_array_equal(g, g0)


def test_leaf_grad_is_not_aliased():
    a, b = tg.Value([1.0, 2.0]), tg.Value([3.0, 4.0])
    g = np.array([1.0, 1.0])
    (a + b).backward(g)
    a.grad[0] = 100.0
    assert b.grad[0] == 1.0 and g[0] == 1.0


# ---------------------------------------------------------------- accumulation


def test_second_backward_adds_same_gradients():
    """micrograd gives 36 here: stale intermediate grads are pushed again."""
    a = tg.Value(2.0)
    c = (a * 3) * 4
    c.backward()
    assert a.grad == 12.0
    c.backward()
    assert a.grad == 24.0


def test_accumulation_and_zero_grad():
    x = tg.Value([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    y.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    y.zero_grad()
    assert x.grad is None and y.grad is None


def test_grad_reaches_intermediates_and_reused_nodes():
    a = tg.Value(3.0, label="a")
    b = a * a  # a used twice
    c = b + b  # b used twice
    c.backward()
    assert a.grad == 12.0 and b.grad == 2.0 and c.grad == 1.0


def test_no_grad_for_inputs_that_do_not_need_it():
    X = tg.Value(np.ones((4, 3)), requires_grad=False)
    W = tg.Value(np.ones((3, 2)))
    (X @ W).sum().backward()
    assert X.grad is None and W.grad is not None


def test_grad_function_leaves_grad_untouched():
    x = tg.Value([1.0, 2.0])
    y = (x**3).sum()
    (g,) = tg.grad(y, x)
    np.testing.assert_allclose(g.data, 3 * x.data**2)
    assert x.grad is None and y.grad is None and not g.requires_grad


def test_grad_unused_input():
    x, z = tg.Value(1.0), tg.Value(2.0)
    with pytest.raises(RuntimeError, match="not used"):
        tg.grad(x * 2, [x, z])
    assert tg.grad(x * 2, [x, z], allow_unused=True)[1] is None


# ---------------------------------------------------------------- errors


def test_shape_mismatch_names_op_and_shapes():
    with pytest.raises(tg.ShapeError, match=r"add.*\(2, 3\).*\(4,\)"):
        tg.Value(np.ones((2, 3))) + tg.Value(np.ones(4))
    with pytest.raises(tg.ShapeError, match=r"matmul: shapes \(2, 3\) and \(4, 5\) do not align"):
        tg.Value(np.ones((2, 3))) @ tg.Value(np.ones((4, 5)))
    with pytest.raises(tg.ShapeError, match=r"reshape: cannot reshape \(2, 3\)"):
        tg.Value(np.ones((2, 3))).reshape(4)


def test_backward_errors_change_nothing():
    x = tg.Value([1.0, 2.0])
    y = x * 2
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*scalar"):
        y.backward()
    with pytest.raises(tg.ShapeError, match=r"gradient has shape \(3,\) but the root has shape \(2,\)"):
        y.backward(np.ones(3))
    assert x.grad is None and y.grad is None
    with pytest.raises(RuntimeError, match="does not require grad"):
        tg.Value(1.0, requires_grad=False).backward()


def test_unsupported_operand_type():
    with pytest.raises(TypeError, match="unsupported operand"):
        tg.Value(1.0) + "a"
    with pytest.raises(TypeError, match="Value"):
        [1] * tg.Value(2.0)
    with pytest.raises(TypeError, match="cannot index with a Value"):
        tg.Value([1.0, 2.0])[tg.Value(0.0)]
    with pytest.raises(IndexError, match=r"getitem.*shape \(2,\)"):
        tg.Value([1.0, 2.0])[5]


def test_item_and_non_scalar():
    assert tg.Value([[2.5]]).item() == 2.5
    with pytest.raises(ValueError, match="3 elements"):
        tg.Value([1.0, 2.0, 3.0]).item()


# ---------------------------------------------------------------- modes


def test_no_grad_context_and_decorator():
    w = tg.Value(2.0)
    with tg.no_grad():
        y = w * 3
    assert not y.requires_grad and y.op is None

    @tg.no_grad()
    def f(v):
        return v * 3

    assert not f(w).requires_grad and tg.is_grad_enabled()
    assert (w * 3).requires_grad


def test_detach():
    w = tg.Value(2.0)
    d = (w * 3).detach()
    assert d.is_leaf and not d.requires_grad and d.item() == 6.0
    (d * w).backward()
    assert w.grad == 6.0


def test_detect_anomaly_forward_and_backward():
    x = tg.Value([1.0, -1.0])
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match="forward of op 'log' produced nan"):
        x.log()
    z = tg.Value([0.0, 1.0])
    y = z.sqrt().sum()  # finite forward, but d√z/dz = ∞ at 0
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match="backward of op 'sqrt' produced inf"):
        y.backward()
    assert z.grad is None  # the failed backward changed nothing


# ---------------------------------------------------------------- memory and depth


def test_graph_has_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        x = tg.Value(np.ones((3, 3)))
        for _ in range(3):
            y = ((x @ x).tanh() * 2 + x[0]).sum()
            y.backward()
            (g,) = tg.grad(y, x, create_graph=True)
        del x, y, g
        assert gc.collect() == 0  # everything was already freed by reference counting
    finally:
        gc.enable()


def test_deep_chain_no_recursion_error():
    """A chain of 1,000,000 scalar ops backpropagates (no recursion anywhere)."""
    n = 1_000_000
    x = tg.Value(0.5)
    y = x
    for _ in range(n // 2):
        y = y * 1.0
        y = y + 0.0
    assert sys.getrecursionlimit() < n
    y.backward()
    assert x.grad == 1.0
    y.zero_grad()  # the graph walk is iterative too
    assert x.grad is None
    del y  # freeing a million-node chain must not overflow the C stack either


def test_max_splits_gradient_evenly_among_ties():
    """As torch.amax: tied maxima share the gradient equally."""
    x = tg.Value([1.0, 3.0, 3.0, 2.0])
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.5, 0.5, 0.0])
    m = tg.Value([[5.0, 5.0, 5.0], [1.0, 2.0, 0.0]])
    m.max(axis=1).backward(np.array([3.0, 1.0]))
    np.testing.assert_allclose(m.grad, [[1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])


def test_reductions_axis_errors():
    x = tg.Value(np.ones((2, 3)))
    with pytest.raises(np.exceptions.AxisError, match="sum: axis 2 is out of range"):
        x.sum(axis=2)
    with pytest.raises(ValueError, match="max: empty"):
        tg.Value(np.zeros((0,))).max()
    assert x.sum(axis=(-1, 0)).item() == 6.0


# ---- pow at the edges of its domain: torch's conventions, no NaN where the math has a value ----
@pytest.mark.filterwarnings("error")
def test_pow_zero_exponent_has_zero_base_gradient_even_at_zero():
    x = tg.Value([0.0, 2.0, -3.0])
    (x**0).sum().backward()  # a⁰ = 1 is constant
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0])
    a, b = tg.Value([0.0, 0.0, 2.0]), tg.Value([0.0, 1.0, 0.0])
    (a**b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.0, 1.0, 0.0])  # b·a^(b−1)
    np.testing.assert_allclose(b.grad, [0.0, 0.0, np.log(2.0)])  # a^b·ln a, 0 at a = 0 ≤ b


def test_pow_exponent_gradient_at_zero_base_and_negative_base_as_torch():
    a, b = tg.Value([0.0, -2.0, 4.0]), tg.Value([-1.0, 2.0, 0.5])
    with np.errstate(divide="ignore"):  # 0 ** −1 = inf (and b·0^(b−1) = −inf), as numpy warns
        (a**b).sum().backward()
    assert b.grad[0] == -np.inf  # a^b·ln a = ∞·(−∞)
    assert np.isnan(b.grad[1])  # ln of a negative base
    np.testing.assert_allclose(b.grad[2], 2.0 * np.log(4.0))
