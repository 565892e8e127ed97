"""SPEC "Value conveniences" and clear errors for bad input (issue 9, items 7 and 8), and the
Jupyter view of a Value."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_cn as tg
import tinygrad_cn.functional as F

# ---------------------------------------------------------------- .data assignment


def test_assign_data_like_micrograd_and_pytorch():
    a = tg.Value(1.0)
    a.data = 5.0
    assert a.item() == 5.0 and a.data.dtype == np.float64 and a.shape == ()
    p = tg.Value([1.0, 2.0])
    p.grad = np.array([10.0, 20.0])
    kept = p.data
    p.data += -0.1 * p.grad  # numpy adds in place; the setter then receives the same array
    np.testing.assert_allclose(p.data, [0.0, 0.0])
    assert p.data is kept
    p.data = np.array([3, 4])  # ints become the Value's float dtype
    assert p.data.dtype == np.float64 and p.tolist() == [3.0, 4.0]
    p.data = tg.Value([7.0, 8.0])
    assert p.tolist() == [7.0, 8.0]


def test_assign_data_keeps_float32():
    w = tg.Value(np.ones(3, dtype=np.float32))
    w.data = w.data - 0.5 * np.ones(3)  # float64 on the right: stored back as float32
    assert w.dtype == np.float32
    np.testing.assert_array_equal(w.data, np.full(3, 0.5, dtype=np.float32))


def test_assign_data_wrong_shape_or_kind_is_a_clear_error():
    p = tg.Value([1.0, 2.0])
    with pytest.raises(tg.ShapeError, match=r"Value.data: cannot assign shape \(3,\) to a Value of shape \(2,\)"):
        p.data = [1.0, 2.0, 3.0]
    with pytest.raises(tg.ShapeError, match=r"shape \(\).*v.data\[...\] = x"):
        p.data = 5.0
    with pytest.raises(TypeError, match=r"Value\.data"):
        p.data = "ab"
    with pytest.raises(TypeError, match=r"Value\.data: must be real numbers"):
        p.data = np.array([1 + 1j, 2])
    assert p.tolist() == [1.0, 2.0]  # unchanged by the failed assignments


# ---------------------------------------------------------------- comparisons, truth, max


@given(st.floats(-5, 5), st.floats(-5, 5))
def test_comparisons_give_boolean_arrays_without_a_graph(x, y):
    a, b = tg.Value(x), tg.Value(y)
    for got, want in [(a < b, x < y), (a <= b, x <= y), (a > b, x > y), (a >= b, x >= y),
                      (a < y, x < y), (x < b, x < y), (np.float64(x) >= b, x >= y)]:
        assert isinstance(got, np.ndarray) and got.dtype == bool and bool(got) == want
    assert float(max(a, b)) == max(x, y) and float(min(a, b)) == min(x, y)
    assert (a < b) if x < y else not (a < b)


def test_comparisons_broadcast_and_mix_with_arrays():
    v = tg.Value([[1.0, 5.0], [3.0, 2.0]])
    np.testing.assert_array_equal(v > 2.5, [[False, True], [True, False]])
    np.testing.assert_array_equal(np.array([2.0, 2.0]) < v, [[False, True], [True, False]])
    np.testing.assert_array_equal(v <= tg.Value([1.0, 2.0]), [[True, False], [False, True]])
    with pytest.raises(TypeError, match="Value < str"):
        v < "a"  # noqa: B015


def test_equality_stays_identity_and_values_are_dict_keys():
    a, b = tg.Value(1.0), tg.Value(1.0)
    assert a != b and a == a and not (a == 1.0)
    d = {a: "a", b: "b"}
    assert d[a] == "a" and d[b] == "b" and len({a, b, a}) == 2


def test_one_element_values_in_if_and_float():
    assert tg.Value(2.0) and not tg.Value(0.0) and tg.Value([[3.0]])
    assert float(tg.Value([1.5])) == 1.5
    with pytest.raises(ValueError, match=r"truth value of a Value with 2 elements \(shape \(2,\)\) is ambiguous"):
        bool(tg.Value([1.0, 2.0]))
    x = tg.Value(0.3)
    y = x.relu() if x > 0 else -x  # a learner's branch
    assert y.op == "relu"


# ---------------------------------------------------------------- methods that find ops by name


def test_softmax_log_softmax_gelu_silu_methods_match_F():
    rng = np.random.default_rng(0)
    x = tg.Value(rng.standard_normal((3, 4)))
    for method, fn in [(x.softmax(), F.softmax(x)), (x.softmax(0), F.softmax(x, axis=0)),
                       (x.log_softmax(), F.log_softmax(x)), (x.log_softmax(axis=0), F.log_softmax(x, axis=0)),
                       (x.gelu(), F.gelu(x)), (x.gelu("tanh"), F.gelu(x, approximate="tanh")), (x.silu(), F.silu(x))]:
        assert method.op == fn.op
        np.testing.assert_array_equal(method.data, fn.data)
    x.softmax(axis=1)[0, 1].backward()
    assert x.grad is not None and x.grad[1].sum() == 0
    with pytest.raises(ValueError, match="gelu: approximate"):
        x.gelu("erf")
    assert x.tolist() == x.data.tolist()


def test_an_unknown_attribute_that_is_a_function_of_F_says_so():
    v = tg.Value(1.0)
    with pytest.raises(AttributeError, match=r"no attribute 'leaky_relu': use F.leaky_relu\(x\)"):
        v.leaky_relu  # noqa: B018
    with pytest.raises(AttributeError, match=r"use F.cross_entropy\(x\)"):
        v.cross_entropy  # noqa: B018
    with pytest.raises(AttributeError, match=r"^'Value' object has no attribute 'nonsense'$"):
        v.nonsense  # noqa: B018
    assert not hasattr(v, "mse_loss") and hasattr(v, "relu") and hasattr(v, "softmax")


# ---------------------------------------------------------------- clear errors (issue 9, item 7)


def test_bad_input_names_the_function_and_the_value():
    with pytest.raises(OverflowError, match=r"Value: the int 1000000000…000000 \(401 digits\) is too large"):
        tg.Value(10**400)
    with pytest.raises(OverflowError, match="Value: the int"):
        tg.Value([1.0, -(10**400)])
    assert tg.Value([1, 10**30]).data[1] == 1e30  # beyond int64 but a fine float
    with pytest.raises(TypeError, match=r"sum: axis must be None, an int or a tuple of ints, got 1.0 \(float\)"):
        tg.Value(np.ones((2, 3))).sum(axis=1.0)
    with pytest.raises(TypeError, match=r"mean: axis must be .* got \(0, 1.5\)"):
        tg.Value(np.ones((2, 3))).mean(axis=(0, 1.5))
    with pytest.raises(TypeError, match="max: axis"):
        tg.Value(np.ones((2, 3))).max(axis=True)
    x = tg.Value(1.0)
    with pytest.raises(TypeError, match=r"grad: outputs must be a Value or a sequence of Values, got float 3\.0"):
        tg.grad(3.0, x)
    with pytest.raises(TypeError, match="grad: inputs must be a Value or a sequence of Values, got str 'x'"):
        tg.grad(x * 2, "x")
    y = x * 2
    with pytest.raises(TypeError, match=r"backward: gradient must be real numbers .* complex \(1\+2j\)"):
        y.backward(1 + 2j)
    with pytest.raises(TypeError, match=r"backward: gradient must be real numbers .* str 'abc'"):
        y.backward("abc")
    with pytest.raises(TypeError, match=r"grad: gradient must be real numbers"):
        tg.grad(y, x, grad_outputs=np.array(1j))
    with pytest.raises(TypeError, match=r"trace_backward: gradient must be real numbers"):
        tg.trace_backward(y, gradient=np.complex64(1))
    assert x.grad is None
    (g,) = tg.grad(y, [x])  # sequences and generators of Values still work
    (g2,) = tg.grad(y, (v for v in [x]))
    assert g.item() == g2.item() == 2.0


# ---------------------------------------------------------------- Jupyter


def test_repr_html_shows_label_op_shape_data_grad_and_escapes():
    a = tg.Value([[1.0, 2.0], [3.0, 4.0]], label="<W & b>")
    y = (a * a).sum()
    y.backward()
    page = a._repr_html_()
    assert "&lt;W &amp; b&gt;" in page and "<W & b>" not in page
    assert "(2, 2) / float64" in page and "[[1. 2.]" in page and "[[2. 4.]" in page  # data, grad in full
    assert "— (leaf)" in page
    yp = y._repr_html_()
    assert "sum (Σ)" in yp and "30" in yp
    assert "not computed yet" in tg.Value(1.0)._repr_html_()
    big = tg.Value(np.arange(100.0))._repr_html_()
    assert "..." in big and "min 0" in big and "max 99" in big and "mean 49.5" in big
