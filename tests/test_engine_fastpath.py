"""The scalar fast path (issue 11): float64 scalars computed on Python floats give what the numpy
path gives, keep the Value conveniences, and fall back to numpy's inf/nan (with its warnings)."""

from __future__ import annotations

import math
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_cn as tg
from tinygrad_cn import optim
from tinygrad_cn.engine.errors import AnomalyError

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
positive = st.floats(0.01, 50, allow_nan=False, allow_infinity=False)

# (name, function of one or two Values, domain of each input)
UNARY = [
    ("neg", lambda a: -a, finite),
    ("exp", lambda a: a.exp(), finite),
    ("log", lambda a: a.log(), positive),
    ("sqrt", lambda a: a.sqrt(), positive),
    ("abs", lambda a: a.abs(), finite),
    ("tanh", lambda a: a.tanh(), finite),
    ("sigmoid", lambda a: a.sigmoid(), finite),
    ("relu", lambda a: a.relu(), finite),
    ("square", lambda a: a**2, finite),
]
BINARY = [
    ("add", lambda a, b: a + b, finite, finite),
    ("sub", lambda a, b: a - b, finite, finite),
    ("mul", lambda a, b: a * b, finite, finite),
    ("div", lambda a, b: a / b, finite, positive),
    ("pow", lambda a, b: a**b, positive, st.floats(-3, 3)),
]


def _value_and_grads(fn, xs, shape):
    """fn on Values of the given shape ((): the fast path; (1,): numpy arrays), its value and grads."""
    vs = [tg.Value(np.full(shape, x)) if shape else tg.Value(x) for x in xs]
    y = fn(*vs)
    y.sum().backward() if shape else y.backward()
    return float(y.item()), [float(np.asarray(v.grad).reshape(())) for v in vs]


@pytest.mark.parametrize(("name", "fn", "dom"), UNARY, ids=[u[0] for u in UNARY])
@given(data=st.data())
def test_unary_matches_numpy_path(name, fn, dom, data):
    x = data.draw(dom)
    fast, slow = _value_and_grads(fn, [x], ()), _value_and_grads(fn, [x], (1,))
    # Python's math and numpy's own exp/tanh may differ in the last bit; 1 − y² near y = ±1 shows it
    assert fast[0] == pytest.approx(slow[0], rel=1e-14, abs=1e-300)
    assert fast[1] == pytest.approx(slow[1], rel=1e-14, abs=1e-15)


@pytest.mark.parametrize(("name", "fn", "dom_a", "dom_b"), BINARY, ids=[b[0] for b in BINARY])
@given(data=st.data())
def test_binary_matches_numpy_path(name, fn, dom_a, dom_b, data):
    xs = [data.draw(dom_a), data.draw(dom_b)]
    fast, slow = _value_and_grads(fn, xs, ()), _value_and_grads(fn, xs, (1,))
    assert fast[0] == pytest.approx(slow[0], rel=1e-14, abs=1e-300)
    assert fast[1] == pytest.approx(slow[1], rel=1e-13, abs=1e-15)


def test_data_and_grad_read_as_arrays_and_stay_the_same_object():
    a, b = tg.Value(2.0), tg.Value(-3.0)
    c = a * b + a
    c.backward()
    for v in (a, b, c):
        assert type(v.data) is np.ndarray and v.data.shape == () and v.data.dtype == np.float64
        assert type(v.grad) is np.ndarray and v.grad.shape == () and v.grad.dtype == np.float64
        assert v.data is v.data and v.grad is v.grad  # the first read made it: later reads see it
    assert (c.item(), float(a.grad), float(b.grad)) == (-4.0, -2.0, 2.0)


def test_data_assignment_and_in_place_updates_reach_the_value():
    p = tg.Value(1.0)
    p.data -= 0.25  # micrograd's update
    assert p.item() == 0.75
    np.copyto(p.data, 5.0)  # an optimizer writing in place
    assert p.item() == 5.0 and float(p * 2) == 10.0
    p.data = 3  # a number
    assert p.item() == 3.0 and p.dtype == np.float64
    view = p.data
    view[...] = 7.0
    assert p.item() == 7.0
    with pytest.raises(tg.ShapeError):
        p.data = np.zeros(2)


def test_optimizer_steps_a_scalar_parameter():
    w = tg.Value(2.0)
    opt = optim.SGD([w], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        (w * w).backward()  # grad 2w
        opt.step()
    assert w.item() == pytest.approx(2.0 * 0.8**3)


def test_python_numbers_become_shared_constants():
    x, y = tg.Value(1.0), tg.Value(2.0)
    c1, c2 = (x * 2.5).parents[1], (y * 2.5).parents[1]
    assert c1 is c2 and not c1.requires_grad and c1.is_leaf and c1.item() == 2.5
    assert (3 + x).parents[0].item() == 3.0
    z1, z2 = (x * -0.0).parents[1], (y * -0.0).parents[1]
    assert z1 is not z2 and math.copysign(1.0, z1.item()) == -1.0  # −0.0 keeps its sign
    assert math.isnan((x * float("nan")).item())
    # a shared constant never gets a gradient, in any graph
    (x * 2.5 + y * 2.5).backward()
    assert c1.grad is None and (float(x.grad), float(y.grad)) == (2.5, 2.5)


def test_where_python_raises_numpy_gives_inf_nan_and_its_warning():
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        assert (tg.Value(1.0) / 0.0).item() == np.inf
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert tg.Value(1000.0).exp().item() == np.inf
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        assert tg.Value(0.0).log().item() == -np.inf
    with pytest.warns(RuntimeWarning, match="invalid"):
        assert math.isnan((tg.Value(-8.0) ** (1 / 3)).item())
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert (tg.Value(10.0) ** 400.0).item() == np.inf
    # a rule that divides by an underflowing b·b: numpy's −inf, with its warning
    a, b = tg.Value(1.0), tg.Value(1e-200)
    y = a / b
    with pytest.warns(RuntimeWarning):
        y.backward()
    assert float(b.grad) == -np.inf and float(a.grad) == pytest.approx(1e200)


def test_anomaly_mode_names_the_op_on_the_fast_path():
    with tg.detect_anomaly():
        with pytest.raises(AnomalyError, match="forward of op 'mul' produced inf"):
            tg.Value(1e300) * tg.Value(1e300)
        x = tg.Value(0.0)
        y = x.sqrt()  # fine forward; its backward 1/(2·0) is inf
        with pytest.raises(AnomalyError, match="backward of op 'sqrt'"):
            y.backward()
    assert x.grad is None  # a failed backward changes nothing


def test_no_grad_and_threads_on_the_fast_path():
    w = tg.Value(2.0)
    with tg.no_grad():
        y = w * 3.0
    assert not y.requires_grad and y.op is None and y.item() == 6.0
    seen = []

    def other():
        seen.append((w * 3.0).requires_grad)

    with tg.no_grad():
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert seen == [True]  # another thread's no_grad never stops this one recording


def test_float32_scalars_stay_float32_on_the_numpy_path():
    x = tg.Value(np.float32(2.0))
    y = x * 3 + x.tanh()
    assert y.dtype == np.float32 and y.data.dtype == np.float32
    y.backward()
    assert x.grad.dtype == np.float32


def test_scalars_mix_with_tensors():
    w = tg.Value(2.0)
    y = (w * np.arange(3.0)).sum() + w
    y.backward()
    assert y.item() == 8.0 and float(w.grad) == 4.0  # Σ arange + 1
    s = tg.Value([1.0, 2.0]).sum()  # a 0-d float64 array node feeding the fast path
    z = s * 2.0 + 1.0
    z.backward()
    assert z.item() == 7.0


def test_trace_of_a_scalar_graph_equals_grad_bitwise():
    a, b = tg.Value(0.5), tg.Value(-1.25)
    y = ((a * b).tanh() + a / b) ** 2
    trace = tg.trace_backward(y)
    for v in (a, b):
        assert trace.grad(v).tobytes() == v.grad.tobytes()
    assert all(isinstance(s.fitted, np.ndarray) for s in trace.steps)


def test_second_backward_adds_the_same_again():
    a = tg.Value(3.0)
    y = a * a + a
    y.backward()
    first = float(a.grad)
    y.backward()
    assert float(a.grad) == 2 * first == 14.0


def test_no_warning_on_ordinary_scalar_work():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = tg.Value(0.3)
        for _ in range(50):
            x = (x * 1.5 - 0.2).tanh().sigmoid().relu() + 1e-3
        x.backward()
