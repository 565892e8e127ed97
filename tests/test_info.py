"""Information theory (issue 3, the notes' first chapter): gradients, the notes' facts about
self-information, entropy, cross-entropy and KL, and errors naming the offending row."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tests.conftest_ops import gradgradcheck
from tinygrad_cn import info
from tinygrad_cn.engine import OPS


@st.composite
def distributions(draw, shape=None, min_p=0.02):
    """Rows along the last axis that are distributions with every entry ≥ ~min_p/n."""
    if shape is None:
        shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    raw = draw(hnp.arrays(np.float64, shape, elements=st.floats(min_p, 1.0)))
    return raw / raw.sum(axis=-1, keepdims=True)


# ---- gradients ----------------------------------------------------------------------------------
# eps = 1e-7 keeps a perturbed row within the 1e-6 tolerance of a distribution
EPS = 1e-7


@settings(max_examples=20)
@given(p=distributions())
def test_entropy_gradcheck(p):
    assert tg.gradcheck(lambda v: info.entropy(v), [tg.Value(p)], eps=EPS)
    assert tg.gradcheck(lambda v: info.entropy(v, base=2), [tg.Value(p)], eps=EPS)


@settings(max_examples=20)
@given(data=st.data())
def test_cross_entropy_and_kl_gradcheck_in_both_arguments(data):
    p = data.draw(distributions())
    q = data.draw(distributions(shape=p.shape))
    for fn in (info.cross_entropy, info.kl_divergence):
        assert tg.gradcheck(lambda a, b, fn=fn: fn(a, b), [tg.Value(p), tg.Value(q)], eps=EPS)
        assert tg.gradcheck(lambda a, b, fn=fn: fn(a, b, base=2), [tg.Value(p), tg.Value(q)], eps=EPS)


@settings(max_examples=20)
@given(p=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), elements=st.floats(0.05, 0.95)))
def test_self_information_gradcheck(p):
    assert tg.gradcheck(lambda v: info.self_information(v), [tg.Value(p)], eps=EPS)


@settings(max_examples=15)
@given(z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=4), elements=st.floats(-3, 3)))
def test_measures_of_softmax_outputs_gradcheck(z):
    """Through softmax the inputs are unconstrained logits: the usual way to train on these."""
    q_logits = z[..., ::-1].copy()
    assert tg.gradcheck(lambda v: info.entropy(F.softmax(v)), [tg.Value(z)])
    assert tg.gradcheck(lambda a, b: info.kl_divergence(F.softmax(a), F.softmax(b)), [tg.Value(z), tg.Value(q_logits)])


@settings(max_examples=5)
@given(data=st.data())
def test_second_derivatives(data):
    p = data.draw(distributions(shape=(2, 3), min_p=0.2))
    q = data.draw(distributions(shape=(2, 3), min_p=0.2))
    assert gradgradcheck(lambda a, b: info.cross_entropy(a, b), [p, q], eps=EPS)
    assert gradgradcheck(lambda a, b: info.kl_divergence(a, b), [p, q], eps=EPS)
    # ∂²H/∂pᵢ² = −1/pᵢ, and no mixed terms
    x = tg.Value(p[0])
    (g,) = tg.grad(info.entropy(x), x, create_graph=True)
    for i in range(3):
        (row,) = tg.grad(g[i], x)
        np.testing.assert_allclose(row.data, -np.eye(3)[i] / p[0, i], rtol=1e-12)


# ---- primitives -------------------------------------------------------------------------------
@settings(max_examples=15)
@given(data=st.data())
def test_xlogx_and_xlogy_equal_their_compositions_for_positive_inputs(data):
    p = data.draw(distributions())
    q = data.draw(distributions(shape=p.shape))
    a, b, a2, b2 = tg.Value(p), tg.Value(q), tg.Value(p), tg.Value(q)
    y, z = info.xlogx(a), a2 * a2.log()
    u, w = info.xlogy(a, b), a2 * b2.log()
    np.testing.assert_allclose(y.data, z.data, rtol=1e-14)
    np.testing.assert_allclose(u.data, w.data, rtol=1e-14)
    (y.sum() + u.sum()).backward()
    (z.sum() + w.sum()).backward()
    # log p + 1 crosses 0 at p = 1/e, where a relative tolerance alone is meaningless
    np.testing.assert_allclose(a.grad, a2.grad, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(b.grad, b2.grad, rtol=1e-12, atol=1e-15)
    assert y.op == "xlogx" and y.parents[0] is a and len(y.parents) == 1
    assert u.op == "xlogy" and u.parents[0] is a and u.parents[1] is b


def test_zero_log_zero_is_zero_with_finite_gradients():
    p = tg.Value([0.0, 0.25, 0.75])
    h = info.entropy(p)
    assert h.item() == pytest.approx(-(0.25 * math.log(0.25) + 0.75 * math.log(0.75)))
    h.backward()
    assert np.isfinite(p.grad).all()
    np.testing.assert_allclose(p.grad, [0.0, -(math.log(0.25) + 1), -(math.log(0.75) + 1)])
    # the naive masked form leaks a NaN gradient (HIPS autograd's trap); xlogx does not
    naive = tg.Value([0.0, 0.5])
    with np.errstate(divide="ignore", invalid="ignore"):
        tg.where(naive.data > 0, naive * naive.log(), 0.0).sum().backward()
    assert np.isnan(naive.grad[0])
    # p = 0 events do not count in H(p, q), even where q = 0 too
    p2, q2 = tg.Value([0.0, 1.0]), tg.Value([0.0, 1.0])
    ce = info.cross_entropy(p2, q2)
    ce.backward()
    assert ce.item() == 0.0 and np.isfinite(p2.grad).all() and np.isfinite(q2.grad).all()


def test_entropy_of_saturated_softmax_has_finite_gradient():
    z = tg.Value([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    h = info.entropy(F.softmax(z))
    np.testing.assert_allclose(h.data, [0.0, math.log(3)])
    h.sum().backward()
    assert np.isfinite(z.grad).all()


# ---- the notes' facts ---------------------------------------------------------------------------
def test_notes_P_and_Q():
    """'如图P的熵为0，而Q的熵为log2'."""
    P, Q = [0.0, 1.0], [0.5, 0.5]
    assert info.entropy(P).item() == 0.0
    assert info.entropy(Q).item() == pytest.approx(math.log(2), rel=1e-15)
    assert info.entropy(Q, base=2).item() == pytest.approx(1.0, rel=1e-15)  # one bit
    assert info.entropy(np.eye(4)).data.tolist() == [0.0] * 4  # every one-hot row
    assert info.entropy(np.full(8, 1 / 8), base=2).item() == pytest.approx(3.0)  # uniform over 8: 3 bits


@given(p1=st.floats(1e-6, 1.0), p2=st.floats(1e-6, 1.0))
def test_self_information_of_independent_events_adds(p1, p2):
    """I(x₁, x₂) = −log P(x₁)P(x₂) = I(x₁) + I(x₂)."""
    joint = info.self_information(p1 * p2).item()
    assert joint == pytest.approx(info.self_information(p1).item() + info.self_information(p2).item(), rel=1e-12)
    assert info.self_information(p1, base=2).item() == pytest.approx(-math.log2(p1), rel=1e-12, abs=1e-15)


def test_rarer_events_carry_more_information():
    i = info.self_information([0.9, 0.5, 0.1, 0.01]).data
    assert (np.diff(i) > 0).all()


def test_entropy_is_the_expected_self_information():
    p = np.array([0.1, 0.2, 0.7])
    assert info.entropy(p).item() == pytest.approx(float((p * info.self_information(p).data).sum()))


@settings(max_examples=40)
@given(data=st.data())
def test_cross_entropy_at_least_entropy_and_kl_is_the_gap(data):
    p = data.draw(distributions(min_p=0.0 + 1e-3))
    q = data.draw(distributions(shape=p.shape, min_p=1e-3))
    hp, hpq, kl = info.entropy(p).data, info.cross_entropy(p, q).data, info.kl_divergence(p, q).data
    assert (hpq >= hp - 1e-12).all()
    np.testing.assert_allclose(kl, hpq - hp, atol=1e-12)  # KL = H(p, q) − H(p)
    assert (kl >= -1e-12).all()
    np.testing.assert_allclose(info.cross_entropy(p, p).data, hp, rtol=1e-14)  # equality at q = p
    assert (info.kl_divergence(p, p).data == 0).all()


@settings(max_examples=20)
@given(data=st.data())
def test_minimising_kl_is_minimising_cross_entropy_and_nll(data):
    """∇_q KL(p‖q) = ∇_q H(p, q): H(p) does not depend on q. Through logits q = softmax(z), both
    equal the gradient of the training loss F.cross_entropy(z, p)."""
    p = data.draw(distributions(shape=(3, 4)))
    z = data.draw(hnp.arrays(np.float64, (3, 4), elements=st.floats(-3, 3)))
    q = tg.Value(np.exp(z) / np.exp(z).sum(-1, keepdims=True))
    (g_kl,) = tg.grad(info.kl_divergence(p, q).sum(), q)
    (g_ce,) = tg.grad(info.cross_entropy(p, q).sum(), q)
    np.testing.assert_allclose(g_kl.data, g_ce.data, rtol=1e-12)
    zv = tg.Value(z)
    (g_kl_z,) = tg.grad(info.kl_divergence(p, F.softmax(zv)).mean(), zv)
    (g_nll_z,) = tg.grad(F.cross_entropy(zv, p), zv)
    np.testing.assert_allclose(g_kl_z.data, g_nll_z.data, atol=1e-12)


def test_kl_is_not_symmetric():
    p, q = [0.9, 0.1], [0.5, 0.5]
    assert info.kl_divergence(p, q).item() != pytest.approx(info.kl_divergence(q, p).item())


def test_infinite_cross_entropy_when_q_rules_out_an_observed_event():
    p, q = [0.5, 0.5], [1.0, 0.0]
    assert info.cross_entropy(p, q).item() == math.inf
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match="forward of op 'xlogy' produced inf"):
        info.cross_entropy(tg.Value(p), tg.Value(q))


# ---- errors ---------------------------------------------------------------------------------
def test_not_a_distribution_names_the_row():
    with pytest.raises(ValueError, match=r"entropy: p is not a probability distribution along axis -1: row 1 sums to 0.9"):
        info.entropy([[0.5, 0.5], [0.4, 0.5]])
    with pytest.raises(ValueError, match=r"row 2 has a negative entry -0.1 at position 0"):
        info.entropy([[0.5, 0.5], [0.5, 0.5], [-0.1, 1.1]])
    with pytest.raises(ValueError, match=r"row \(1, 0\) sums to 2"):
        info.entropy(np.stack([np.full((2, 2), 0.5), np.array([[1.0, 1.0], [0.5, 0.5]])]))
    with pytest.raises(ValueError, match=r"kl_divergence: q is not a probability distribution .*: it sums to 1.1"):
        info.kl_divergence([0.5, 0.5], [0.6, 0.5])
    with pytest.raises(ValueError, match=r"cross_entropy: p .* row 0 contains nan at position 1"):
        info.cross_entropy([[0.5, np.nan]], [[0.5, 0.5]])
    with pytest.raises(ValueError, match="entropy: p must have at least one axis"):
        info.entropy(1.0)
    with pytest.raises(ValueError, match=r"self_information: p must be a probability in \(0, 1\]; got 0 at index \(1,\)"):
        info.self_information([0.5, 0.0])
    with pytest.raises(ValueError, match=r"got 1.5 at index \(\)"):
        info.self_information(1.5)
    with pytest.raises(ValueError, match="base must be None"):
        info.entropy([0.5, 0.5], base=1)


def test_axis_argument():
    p = np.array([[0.2, 0.5], [0.8, 0.5]])  # columns are distributions
    np.testing.assert_allclose(info.entropy(p, axis=0).data, info.entropy(p.T).data)
    with pytest.raises(ValueError, match=r"along axis -1: row 0 sums to 0\.7"):
        info.entropy(p)


@pytest.mark.parametrize("name", ["xlogx", "xlogy"])
def test_formula_for_the_step_through_viewer(name):
    f = OPS[name].formula
    assert f.forward and f.zh and f.en and len(f.local) == len(OPS[name].backward)


@pytest.mark.filterwarnings("error")
def test_xlogy_gradient_in_p_is_log_q_even_where_p_is_zero():
    # p·ln q is linear in p: ∂/∂p = ln q everywhere q > 0 (torch.xlogy agrees); 0 where p = q = 0
    p, q = tg.Value([0.0, 0.5, 0.0]), tg.Value([0.25, 0.5, 0.0])
    info.xlogy(p, q).sum().backward()
    np.testing.assert_allclose(p.grad, [math.log(0.25), math.log(0.5), 0.0])
    np.testing.assert_allclose(q.grad, [0.0, 1.0, 0.0])
    # so ∂H(p, q)/∂p = −ln q on the zero entries of p too
    p, q = tg.Value([1.0, 0.0]), tg.Value([0.75, 0.25])
    info.cross_entropy(p, q).backward()
    np.testing.assert_allclose(p.grad, [-math.log(0.75), -math.log(0.25)])
