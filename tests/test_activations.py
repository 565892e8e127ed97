"""Activations (issue 3): every op's gradient vs central differences, each primitive vs the same
function composed from engine ops, second derivatives, stability at ±1e4, and the notes' facts."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tests.conftest_ops import gradgradcheck
from tests.helpers import arrays
from tinygrad_cn import activations, nn
from tinygrad_cn.engine import OPS


def _channel(w: tg.Value, ndim: int) -> tg.Value:
    """PReLU's weight viewed to broadcast on axis 1 (engine ops only)."""
    if w.size == 1:
        return w.reshape(())
    return w.reshape(tuple(-1 if i == 1 else 1 for i in range(ndim)))


def _halves(x: tg.Value, axis: int) -> tuple[tg.Value, tg.Value]:
    n = x.shape[axis] // 2
    lead = (slice(None),) * (axis % x.ndim)
    return x[(*lead, slice(0, n))], x[(*lead, slice(n, None))]


_C, _K = math.sqrt(2 / math.pi), 0.044715


@dataclass
class Case:
    op: str  # the op name the primitive records
    fn: Callable[..., tg.Value]  # the primitive (F.*)
    ref: Callable[..., tg.Value] | None  # the same function composed from engine ops
    kinks: tuple[float, ...] = ()  # inputs are kept 0.1 away from these
    extra: str | None = None  # "weight" (PReLU per channel), "weight1" (one shared), "beta" (Swish)
    even_axis: int | None = None  # GLU / SwiGLU split this axis in halves
    min_dims: int = 0


CASES: dict[str, Case] = {
    "sigmoid": Case("sigmoid", F.sigmoid, lambda x: 1 / (1 + (-x).exp())),
    "tanh": Case("tanh", F.tanh, lambda x: (x.exp() - (-x).exp()) / (x.exp() + (-x).exp())),
    "relu": Case("relu", F.relu, lambda x: (x + x.abs()) * 0.5, kinks=(0.0,)),
    "leaky_relu": Case(
        "leaky_relu", lambda x: F.leaky_relu(x, 0.1), lambda x: tg.where(x.data > 0, x, x * 0.1), kinks=(0.0,)
    ),
    "prelu": Case(
        "prelu", F.prelu, lambda x, w: tg.where(x.data > 0, x, x * _channel(w, x.ndim)), kinks=(0.0,),
        extra="weight", min_dims=2,
    ),
    "prelu_shared": Case(
        "prelu", F.prelu, lambda x, w: tg.where(x.data > 0, x, x * _channel(w, x.ndim)), kinks=(0.0,),
        extra="weight1",
    ),
    "elu": Case(
        "elu", lambda x: F.elu(x, 1.5), lambda x: tg.where(x.data > 0, x, (x.exp() - 1) * 1.5), kinks=(0.0,)
    ),
    "glu": Case(
        "glu", F.glu, lambda x: _halves(x, -1)[0] * _halves(x, -1)[1].sigmoid(), even_axis=-1, min_dims=1
    ),
    "glu_axis0": Case(
        "glu", lambda x: F.glu(x, axis=0), lambda x: _halves(x, 0)[0] * _halves(x, 0)[1].sigmoid(),
        even_axis=0, min_dims=1,
    ),
    "swish": Case("swish", F.swish, lambda x, b: x * (b * x).sigmoid(), extra="beta"),
    "swish_const": Case("swish", lambda x: F.swish(x, 1.7), lambda x: x * (x * 1.7).sigmoid()),
    "silu": Case("silu", F.silu, lambda x: x * x.sigmoid()),
    "swiglu": Case(
        "swiglu", F.swiglu, lambda x: _halves(x, -1)[0] * _halves(x, -1)[0].sigmoid() * _halves(x, -1)[1],
        even_axis=-1, min_dims=1,
    ),
    "softplus": Case("softplus", F.softplus, lambda x: (1 + x.exp()).log()),
    "softplus_beta": Case(
        "softplus", lambda x: F.softplus(x, beta=2.0), lambda x: (1 + (x * 2.0).exp()).log() * 0.5
    ),
    "gelu": Case("gelu", F.gelu, None),
    "gelu_tanh": Case(
        "gelu", lambda x: F.gelu(x, approximate="tanh"),
        lambda x: x * 0.5 * (1 + ((x + x**3 * _K) * _C).tanh()),
    ),
    "softmax": Case("softmax", F.softmax, lambda x: x.exp() / x.exp().sum(axis=-1, keepdims=True)),
    "softmax_axis0": Case(
        "softmax", lambda x: F.softmax(x, axis=0), lambda x: x.exp() / x.exp().sum(axis=0, keepdims=True),
        min_dims=1,
    ),
    "log_softmax": Case(
        "log_softmax", F.log_softmax, lambda x: x - x.exp().sum(axis=-1, keepdims=True).log()
    ),
}


def draw_inputs(data: st.DataObject, case: Case, max_side: int = 4, max_dims: int = 3) -> list[np.ndarray]:
    shape = list(data.draw(hnp.array_shapes(min_dims=max(case.min_dims, 1) if case.min_dims else 0,
                                            max_dims=max_dims, min_side=1, max_side=max_side)))
    if case.even_axis is not None:
        shape[case.even_axis] *= 2
    away = case.kinks[0] if case.kinks else None
    xs = [data.draw(arrays(tuple(shape), away_from=away))]
    if case.extra == "weight":
        xs.append(data.draw(arrays((shape[1],), lo=-1.0, hi=1.0)))
    elif case.extra == "weight1":
        xs.append(data.draw(arrays(data.draw(st.sampled_from([(), (1,)])), lo=-1.0, hi=1.0)))
    elif case.extra == "beta":
        xs.append(data.draw(arrays((), lo=0.3, hi=2.0)))
    return xs


@pytest.mark.parametrize("name", CASES)
@settings(max_examples=20)
@given(data=st.data())
def test_gradcheck(name, data):
    case = CASES[name]
    xs = draw_inputs(data, case)
    assert tg.gradcheck(case.fn, [tg.Value(a) for a in xs])


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.ref is not None])
@settings(max_examples=15)
@given(data=st.data())
def test_primitive_equals_composition(name, data):
    """Same values and gradients as the engine-op composition, but recorded as one node."""
    case = CASES[name]
    xs = draw_inputs(data, case)
    prim_in = [tg.Value(a) for a in xs]
    ref_in = [tg.Value(a) for a in xs]
    y, z = case.fn(*prim_in), case.ref(*ref_in)
    np.testing.assert_allclose(y.data, z.data, rtol=1e-12, atol=1e-12)
    r = np.random.default_rng(0).standard_normal(y.shape)
    y.backward(r)
    z.backward(r)
    for a, b in zip(prim_in, ref_in):
        np.testing.assert_allclose(a.grad, b.grad, rtol=1e-10, atol=1e-12)
    assert y.op == case.op
    assert len(y.parents) == len(prim_in) and all(p is v for p, v in zip(y.parents, prim_in))


@pytest.mark.parametrize("name", CASES)
@settings(max_examples=4)
@given(data=st.data())
def test_second_derivatives(name, data):
    """Each backward rule is differentiable again (create_graph=True): HVPs vs finite differences."""
    case = CASES[name]
    xs = draw_inputs(data, case, max_side=3, max_dims=2)
    assert gradgradcheck(case.fn, xs)


EXTREMES = np.array([-1e300, -1e4, -800.0, -50.0, -1e-300, 0.0, 1e-300, 50.0, 800.0, 1e4, 1e300])


def _extreme_inputs(case: Case, dtype) -> list[tg.Value]:
    vals = EXTREMES if dtype == np.float64 else np.array([-1e30, -1e4, -100.0, 0.0, 100.0, 1e4, 1e30])
    # even length for GLU / SwiGLU; SwiGLU's second half multiplies the first, so it stays moderate
    # (silu(1e300)·1e300 has no finite value to return)
    second = np.linspace(-3, 3, vals.size) if case.op == "swiglu" else vals[::-1]
    x = np.concatenate([vals, second]).astype(dtype)
    if case.min_dims >= 2:
        x = x.reshape(2, -1)
    xs = [tg.Value(x)]
    if case.extra == "weight":
        xs.append(tg.Value(np.full(x.shape[1], 0.25, dtype=dtype)))
    elif case.extra == "weight1":
        xs.append(tg.Value(np.array([0.25], dtype=dtype)))
    elif case.extra == "beta":
        xs.append(tg.Value(np.array(1.5, dtype=dtype)))
    return xs


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", CASES)
def test_stable_at_extremes(name, dtype):
    """No overflow warning (warnings are errors here), no NaN or inf, forward or backward."""
    case = CASES[name]
    xs = _extreme_inputs(case, dtype)
    y = case.fn(*xs)
    assert y.dtype == dtype
    assert np.isfinite(y.data).all(), y.data
    y.backward(np.ones(y.shape, dtype=dtype))
    for v in xs:
        assert v.grad.dtype == dtype
        assert np.isfinite(v.grad).all(), v.grad


def test_limits_at_1e4():
    x = tg.Value([-1e4, 1e4])
    assert F.sigmoid(x).data.tolist() == [0.0, 1.0]
    assert F.tanh(x).data.tolist() == [-1.0, 1.0]
    assert F.softplus(x).data.tolist() == [0.0, 1e4]
    assert F.silu(x).data.tolist() == [0.0, 1e4]
    assert F.gelu(x).data.tolist() == [0.0, 1e4]
    assert F.elu(x).data.tolist() == [-1.0, 1e4]
    assert F.log_softmax(x).data.tolist() == [-2e4, 0.0]
    y = F.softplus(x)
    y.backward(np.ones(2))
    assert x.grad.tolist() == [0.0, 1.0]  # softplus' = σ


@pytest.mark.parametrize("name", CASES)
def test_detect_anomaly_names_the_op(name):
    case = CASES[name]
    xs = [tg.Value(np.where(v.data == v.data, v.data, 0)) for v in _extreme_inputs(case, np.float64)]
    xs[0] = tg.Value(np.linspace(-1, 1, xs[0].size).reshape(xs[0].shape))
    bad = xs[0].data.copy()
    bad.flat[1] = np.nan
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match=f"forward of op '{case.op}'"):
        case.fn(tg.Value(bad), *xs[1:])
    y = case.fn(*xs)
    g = np.ones(y.shape)
    g.flat[0] = np.nan
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match=f"backward of op '{case.op}'"):
        y.backward(g)


def test_gelu_matches_erf_formula():
    xs = np.linspace(-6, 6, 241)
    x = tg.Value(xs)
    y = F.gelu(x)
    cdf = np.array([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in xs])
    pdf = np.exp(-xs**2 / 2) / math.sqrt(2 * math.pi)
    np.testing.assert_allclose(y.data, xs * cdf, rtol=1e-14, atol=1e-15)
    y.backward(np.ones_like(xs))
    np.testing.assert_allclose(x.grad, cdf + xs * pdf, rtol=1e-13, atol=1e-15)
    # the tanh approximation stays within 1e-3 of the exact form
    assert np.abs(F.gelu(tg.Value(xs), approximate="tanh").data - y.data).max() < 1e-3


def test_value_methods_are_the_same_primitives():
    x = tg.Value([-1.0, 0.5])
    for method, fn in [("sigmoid", F.sigmoid), ("tanh", F.tanh), ("relu", F.relu)]:
        a, b = getattr(x, method)(), fn(x)
        assert a.op == b.op == method
        np.testing.assert_array_equal(a.data, b.data)


def test_swish_number_beta_is_not_an_input():
    x = tg.Value([1.0, -2.0])
    y = F.swish(x, 2.0)
    assert y.parents == (x,) and y.op == "swish"
    np.testing.assert_allclose(F.swish(x, 1.0).data, F.silu(x).data, rtol=1e-15)


# ---- the notes' facts -------------------------------------------------------------------------
def test_sigmoid_derivative_at_most_quarter_with_max_at_zero():
    xs = np.linspace(-10, 10, 2001)
    x = tg.Value(xs)
    F.sigmoid(x).backward(np.ones_like(xs))
    assert x.grad.max() <= 0.25
    assert xs[np.argmax(x.grad)] == 0.0 and x.grad[1000] == 0.25
    # stacked layers multiply these factors: h₁ = σ(w·x), hᵢ = σ(w·(hᵢ₋₁ − ½)) keeps every
    # pre-activation at 0, where σ' = ¼ exactly, so ten layers scale the gradient by (w/4)¹⁰: it
    # vanishes for w < 4 and explodes only for w > 4 (growth needs w·σ' > 1, not just w > 1)
    for w in [1.0, 2.0, 4.0, 8.0]:
        x = tg.Value(0.0)
        h = F.sigmoid(w * x)
        for _ in range(9):
            h = F.sigmoid(w * (h - 0.5))
        h.backward()
        assert x.grad == pytest.approx((w / 4) ** 10, rel=1e-12)


def test_tanh_zero_centred_with_unit_slope_at_zero():
    xs = np.linspace(-5, 5, 1001)
    y = F.tanh(tg.Value(xs)).data
    np.testing.assert_allclose(y, -y[::-1], atol=1e-15)  # odd function
    assert abs(y.mean()) < 1e-15 and F.sigmoid(tg.Value(xs)).data.mean() == pytest.approx(0.5)
    x = tg.Value(0.0)
    F.tanh(x).backward()
    assert x.grad == 1.0


def test_relu_gradient_zero_for_negative_and_at_zero():
    x = tg.Value([-3.0, -1e-9, 0.0, 1e-9, 2.0])
    F.relu(x).backward(np.ones(5))
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]


def test_leaky_relu_and_prelu_keep_a_gradient_for_negative_inputs():
    x = tg.Value([-3.0, -1.0])
    F.leaky_relu(x).backward(np.ones(2))
    assert x.grad.tolist() == [0.01, 0.01]
    x2, w = tg.Value([-3.0, -1.0]), tg.Value([0.25])
    F.prelu(x2, w).backward(np.ones(2))
    assert x2.grad.tolist() == [0.25, 0.25] and w.grad.tolist() == [-4.0]


def test_elu_mean_output_closer_to_zero_than_relu():
    z = np.random.default_rng(0).standard_normal(100_000)
    relu_mean = F.relu(tg.Value(z)).data.mean()  # E[max(0, z)] = 1/√(2π) ≈ 0.399
    elu_mean = F.elu(tg.Value(z)).data.mean()  # ≈ 0.399 + e^½·Φ(−1) − ½ ≈ 0.161
    assert relu_mean == pytest.approx(1 / math.sqrt(2 * math.pi), abs=0.01)
    assert elu_mean == pytest.approx(1 / math.sqrt(2 * math.pi) + math.exp(0.5) * 0.158655 - 0.5, abs=0.01)
    assert abs(elu_mean) < abs(relu_mean)


def test_swish_interpolates_between_linear_and_relu():
    xs = np.linspace(-4, 4, 81)
    assert np.abs(F.swish(tg.Value(xs), 0.0).data - xs / 2).max() == 0  # β = 0: x/2
    assert np.abs(F.swish(tg.Value(xs), 50.0).data - np.maximum(xs, 0)).max() < 0.01  # β → ∞: ReLU


def test_glu_gate_closes_and_opens():
    a = np.array([2.0, -3.0])
    assert np.allclose(F.glu(tg.Value(np.r_[a, [-1e4, -1e4]])).data, 0)  # σ(−∞) = 0: closed
    assert np.allclose(F.glu(tg.Value(np.r_[a, [1e4, 1e4]])).data, a)  # σ(+∞) = 1: open


def test_softmax_is_a_distribution_and_shift_invariant():
    x = np.random.default_rng(1).standard_normal((4, 5))
    p = F.softmax(tg.Value(x)).data
    assert (p > 0).all() and np.allclose(p.sum(axis=-1), 1)
    np.testing.assert_allclose(F.softmax(tg.Value(x + 1000.0)).data, p, rtol=1e-12)
    np.testing.assert_allclose(F.log_softmax(tg.Value(x)).data, np.log(p), rtol=1e-12)


def test_feedforward_gate_equals_swiglu_of_concatenated_halves():
    """The notes' silu(w1 x) * w3 x is swiglu of [w1 x, w3 x]."""
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    np.testing.assert_allclose(
        F.swiglu(tg.Value(np.concatenate([a, b], axis=1))).data, (F.silu(tg.Value(a)) * tg.Value(b)).data
    )


# ---- errors -------------------------------------------------------------------------------------
def test_bad_arguments_are_named():
    with pytest.raises(tg.ShapeError, match=r"glu: axis -1 of input shape \(2, 3\) has odd size 3"):
        F.glu(tg.Value(np.zeros((2, 3))))
    with pytest.raises(tg.ShapeError, match="swiglu: input must have at least 1 axis"):
        F.swiglu(tg.Value(1.0))
    with pytest.raises(tg.ShapeError, match=r"prelu: weight has 3 parameters but the input \(shape \(2, 4\)\) has 4"):
        F.prelu(tg.Value(np.zeros((2, 4))), tg.Value(np.ones(3)))
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh'"):
        F.gelu(tg.Value(1.0), approximate="erf")
    with pytest.raises(np.exceptions.AxisError, match="softmax: axis 2 is out of range"):
        F.softmax(tg.Value(np.zeros((2, 3))), axis=2)


# ---- modules ------------------------------------------------------------------------------------
def test_modules_match_functions():
    x = tg.Value(np.random.default_rng(3).standard_normal((2, 4)))
    pairs = [
        (nn.Sigmoid(), F.sigmoid(x)), (nn.Tanh(), F.tanh(x)), (nn.ReLU(), F.relu(x)),
        (nn.LeakyReLU(0.2), F.leaky_relu(x, 0.2)), (nn.ELU(0.5), F.elu(x, 0.5)), (nn.GLU(), F.glu(x)),
        (nn.Swish(2.0), F.swish(x, 2.0)), (nn.SiLU(), F.silu(x)), (nn.Softmax(), F.softmax(x)),
        (nn.Softplus(), F.softplus(x)), (nn.GELU("tanh"), F.gelu(x, "tanh")), (nn.SwiGLU(), F.swiglu(x)),
        (nn.LogSoftmax(axis=0), F.log_softmax(x, axis=0)),
    ]
    for module, expected in pairs:
        out = module(x)
        np.testing.assert_array_equal(out.data, expected.data)
        assert out.op == expected.op and out.scope is not None and out.scope.module is module


def test_prelu_module_learns_one_slope_per_channel():
    m = nn.PReLU(num_parameters=3)
    assert m.weight.shape == (3,) and (m.weight.data == 0.25).all()
    assert [n for n, _ in m.named_parameters()] == ["weight"]
    x = tg.Value(np.array([[[-1.0, 2.0], [-2.0, -2.0], [3.0, 1.0]]]))  # (N=1, C=3, L=2)
    y = m(x)
    np.testing.assert_allclose(y.data, [[[-0.25, 2.0], [-0.5, -0.5], [3.0, 1.0]]])
    y.sum().backward()
    assert m.weight.grad.tolist() == [-1.0, -4.0, 0.0]
    assert repr(m) == "PReLU(num_parameters=3)"
    with pytest.raises(tg.ShapeError, match="3 parameters"):
        m(tg.Value(np.zeros((2, 4))))
    assert tg.gradcheck(lambda v, w: F.prelu(v, w), [tg.Value(np.array([[-1.0, 0.5], [2.0, -3.0]])),
                                                    tg.Value([0.1, 0.3])])


def test_swish_module_with_learnable_beta():
    fixed, learned = nn.Swish(1.5), nn.Swish(1.5, learnable=True)
    assert fixed.parameters() == [] and [n for n, _ in learned.named_parameters()] == ["beta"]
    x = tg.Value([-1.0, 0.5, 2.0])
    out = learned(x)
    np.testing.assert_array_equal(out.data, fixed(x).data)
    out.sum().backward()
    xs = x.data
    s = 1 / (1 + np.exp(-1.5 * xs))
    assert learned.beta.grad == pytest.approx(np.sum(xs * xs * s * (1 - s)))  # ∂/∂β x·σ(βx) = x²σ(1 − σ)
    assert "learnable=True" in repr(learned)


def test_every_activation_module_is_exported():
    for name in ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "ELU", "GLU", "Swish", "SiLU", "Softmax"]:
        assert name in nn.activation.__all__ and hasattr(nn, name)


# ---- formulas and docs --------------------------------------------------------------------------
ACTIVATION_OPS = ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "glu", "swish", "silu", "swiglu",
                  "softplus", "gelu", "normal_cdf", "softmax", "log_softmax"]


@pytest.mark.parametrize("name", ACTIVATION_OPS)
def test_formula_for_the_step_through_viewer(name):
    op = OPS[name]
    f = op.formula
    assert f.forward and f.zh and f.en and op.symbol
    assert len(f.local) == len(op.backward)  # one local derivative per input
    assert all("∂" in loc for loc in f.local)
    assert f.explain("zh") == f.zh and f.explain("en") == f.en


@pytest.mark.parametrize("name", activations.__all__)
def test_public_functions_document_formula_and_example(name):
    obj = getattr(activations, name)
    if isinstance(obj, type) or name.startswith("stable_"):
        return
    doc = obj.__doc__ or ""
    assert ">>>" in doc and "Derivative" in doc, name
    assert getattr(F, name) is obj
