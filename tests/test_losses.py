"""Training losses (issue 3): PyTorch semantics checked against numpy references written from
torch's definitions, gradients vs central differences, second derivatives through the fused
cross_entropy, stability at ±1e4, and errors that name the index, the range or the shapes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tests.conftest_ops import assert_finite_grads, gradgradcheck
from tinygrad_cn import info
from tinygrad_cn.engine import OPS

RNG = np.random.default_rng(1234)


# ---- numpy references, structured as torch computes them ----------------------------------------
def _log_softmax(x, axis):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def ref_cross_entropy(x, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """torch's cross_entropy: nll_loss of log_softmax plus, with smoothing, ε/C times the smooth loss."""
    cax = 0 if x.ndim == 1 else 1
    C = x.shape[cax]
    eps = label_smoothing
    logp = _log_softmax(x, cax)
    w = np.ones(C) if weight is None else weight
    if np.asarray(target).dtype.kind in "iu":
        lp = np.moveaxis(logp, cax, -1)  # (..., C)
        live = target != ignore_index
        t = np.where(live, target, 0)
        wy = w[t] * live
        nll = -wy * np.take_along_axis(lp, t[..., None], -1)[..., 0]
        smooth = -(lp * w).sum(-1) * live
        if reduction == "none":
            return (1 - eps) * nll + eps / C * smooth
        if reduction == "sum":
            return (1 - eps) * nll.sum() + eps / C * smooth.sum()
        return (1 - eps) * nll.sum() / wy.sum() + eps / C * smooth.sum() / wy.sum()
    t = target * (1 - eps) + eps / C
    wb = w.reshape([-1 if i == cax else 1 for i in range(x.ndim)])
    per = -(logp * t * wb).sum(cax)
    if reduction == "none":
        return per
    return per.sum() if reduction == "sum" else per.sum() / (x.size / C)


def composed_cross_entropy(x: tg.Value, onehot: np.ndarray) -> tg.Value:
    """The same loss from engine ops only: −mean Σ onehot·(x − log Σ eˣ)."""
    logp = x - x.exp().sum(axis=1, keepdims=True).log()
    return -(logp * onehot).sum(axis=1).mean()


def _class_target(shape_without_c, C, ignore=False):
    t = RNG.integers(0, C, size=shape_without_c)
    if ignore and t.size > 1:
        t.flat[0] = -100
    return t


def _prob_target(shape, cax):
    t = RNG.random(shape) + 0.05
    return t / t.sum(axis=cax, keepdims=True)


CE_SHAPES = [(4,), (3, 4), (2, 3, 2)]


@pytest.mark.parametrize("shape", CE_SHAPES)
@pytest.mark.parametrize("kind", ["index", "index_ignore", "prob"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_matches_torch_definition(shape, kind, weighted, reduction, label_smoothing):
    cax = 0 if len(shape) == 1 else 1
    C = shape[cax]
    x = RNG.standard_normal(shape) * 2
    if kind == "prob":
        target = _prob_target(shape, cax)
    else:
        target = _class_target(shape[:cax] + shape[cax + 1 :], C, ignore=kind == "index_ignore")
    weight = RNG.random(C) + 0.5 if weighted else None
    kw = {"reduction": reduction, "label_smoothing": label_smoothing}
    loss = F.cross_entropy(tg.Value(x), target, weight, **kw)
    np.testing.assert_allclose(loss.data, ref_cross_entropy(x, target, weight, **kw), rtol=1e-12, atol=1e-14)
    assert loss.op == "cross_entropy"
    assert tg.gradcheck(lambda v: F.cross_entropy(v, target, weight, **kw), [tg.Value(x)])


def test_cross_entropy_ignore_index_that_is_a_valid_class():
    # ignore_index = 1 is also a class number: those samples must be skipped, not scored as class 1
    x = RNG.standard_normal((6, 3))
    target = np.array([0, 1, 2, 1, 0, 2])
    loss = F.cross_entropy(tg.Value(x), target, ignore_index=1)
    np.testing.assert_allclose(loss.data, ref_cross_entropy(x, target, ignore_index=1), rtol=1e-12)
    live = target != 1
    np.testing.assert_allclose(loss.data, ref_cross_entropy(x[live], target[live]), rtol=1e-12)


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 2)])
def test_cross_entropy_keeps_its_own_copy_of_the_targets(shape):
    # a training loop may reuse its label buffer before calling backward
    x = RNG.standard_normal(shape)
    target = RNG.integers(0, 3, size=shape[:1] + shape[2:])
    expected = tg.Value(x)
    F.cross_entropy(expected, target.copy()).backward()
    v = tg.Value(x)
    loss = F.cross_entropy(v, target)
    target[...] = 0
    loss.backward()
    np.testing.assert_allclose(v.grad, expected.grad, rtol=1e-12)


@settings(max_examples=25)
@given(data=st.data())
def test_cross_entropy_gradcheck_hypothesis(data):
    n, c = data.draw(st.integers(1, 5)), data.draw(st.integers(2, 5))
    x = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-5, 5)))
    y = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    ls = data.draw(st.sampled_from([0.0, 0.1]))
    red = data.draw(st.sampled_from(["mean", "sum", "none"]))
    assert tg.gradcheck(lambda v: F.cross_entropy(v, y, reduction=red, label_smoothing=ls), [tg.Value(x)])


def test_cross_entropy_is_one_fused_node_equal_to_the_composition():
    x = RNG.standard_normal((5, 4))
    y = np.array([0, 3, 1, 1, 2])
    onehot = np.eye(4)[y]
    a, b = tg.Value(x), tg.Value(x)
    fused, composed = F.cross_entropy(a, y), composed_cross_entropy(b, onehot)
    np.testing.assert_allclose(fused.data, composed.data, rtol=1e-14)
    fused.backward()
    composed.backward()
    np.testing.assert_allclose(a.grad, b.grad, rtol=1e-12, atol=1e-15)
    assert fused.op == "cross_entropy" and fused.parents == (a,)
    # the backward is (softmax − target)/N exactly
    p = np.exp(x) / np.exp(x).sum(1, keepdims=True)
    np.testing.assert_allclose(a.grad, (p - onehot) / 5, rtol=1e-13, atol=1e-16)


def test_cross_entropy_soft_targets_get_gradients_too():
    x = RNG.standard_normal((3, 4))
    t = _prob_target((3, 4), 1)
    for ls in (0.0, 0.3):
        assert tg.gradcheck(
            lambda v, w, ls=ls: F.cross_entropy(v, w, RNG_W, label_smoothing=ls), [tg.Value(x), tg.Value(t)]
        )
    # a constant Value target (requires_grad=False) is a probability target like an ndarray
    tv = tg.Value(t, requires_grad=False)
    np.testing.assert_allclose(F.cross_entropy(tg.Value(x), tv).data, F.cross_entropy(tg.Value(x), t).data)


RNG_W = np.array([0.5, 1.0, 2.0, 1.5])


def test_label_smoothing_equals_smoothed_probability_target():
    """With class indices, smoothing ε is the same as training on (1 − ε)·one-hot + ε/C."""
    x = RNG.standard_normal((4, 3))
    y = np.array([0, 2, 1, 2])
    smoothed = np.eye(3)[y] * 0.9 + 0.1 / 3
    a, b = tg.Value(x), tg.Value(x)
    la, lb = F.cross_entropy(a, y, label_smoothing=0.1), F.cross_entropy(b, smoothed)
    np.testing.assert_allclose(la.data, lb.data, rtol=1e-13)
    la.backward()
    lb.backward()
    np.testing.assert_allclose(a.grad, b.grad, rtol=1e-12, atol=1e-16)


def _hvp_fd(loss_fn, x0, v, eps=1e-5):
    """Finite differences of the gradient along v: (∇L(x + εv) − ∇L(x − εv)) / 2ε."""

    def grad_at(x):
        xv = tg.Value(x)
        (g,) = tg.grad(loss_fn(xv), xv)
        return g.data

    return (grad_at(x0 + eps * v) - grad_at(x0 - eps * v)) / (2 * eps)


@pytest.mark.parametrize(
    "kw",
    [{}, {"label_smoothing": 0.2}, {"reduction": "sum"}, {"weight": np.array([0.5, 2.0, 1.0, 1.5])}, {"prob": True}],
    ids=["plain", "smoothing", "sum", "weights", "prob_target"],
)
def test_cross_entropy_second_derivatives(kw):
    """tg.grad(create_graph=True) gives the Hessian of the fused op: HVPs match finite differences
    of the gradient and, for plain targets, the analytic (diag(p) − ppᵀ)/N per sample."""
    kw = dict(kw)
    x0 = RNG.standard_normal((3, 4))
    target = _prob_target((3, 4), 1) if kw.pop("prob", False) else np.array([1, 0, 3])
    loss_fn = lambda v: F.cross_entropy(v, target, **kw)
    for _ in range(3):
        v = RNG.standard_normal(x0.shape)
        x = tg.Value(x0)
        (g,) = tg.grad(loss_fn(x), x, create_graph=True)
        assert g.requires_grad and g.op is not None  # a graph, not a constant
        (hv,) = tg.grad((g * v).sum(), x)
        np.testing.assert_allclose(hv.data, _hvp_fd(loss_fn, x0, v), rtol=1e-6, atol=1e-8)
    if not kw:
        p = np.exp(x0) / np.exp(x0).sum(1, keepdims=True)
        expected = np.stack([(np.diag(pi) - np.outer(pi, pi)) @ vi for pi, vi in zip(p, v)]) / 3
        np.testing.assert_allclose(hv.data, expected, rtol=1e-12, atol=1e-15)
    assert gradgradcheck(loss_fn, [x0])


def test_cross_entropy_third_derivative_exists():
    """The Hessian itself is differentiable: d³/dx³ of a 2-class CE at one logit."""
    x = tg.Value(np.array([[0.3, -0.4]]))
    (g,) = tg.grad(F.cross_entropy(x, np.array([0])), x, create_graph=True)
    (h,) = tg.grad(g[0, 0], x, create_graph=True)
    (t,) = tg.grad(h[0, 0], x)
    s = 1 / (1 + np.exp(-0.7))  # p₀ = σ(x₀ − x₁); ∂³/∂x₀³ = σ(1 − σ)(1 − 2σ)
    assert t.data[0, 0] == pytest.approx(s * (1 - s) * (1 - 2 * s), rel=1e-10)


def test_cross_entropy_stable_at_huge_logits():
    """pytorch #11752-style: huge logits must give the right large loss, never 0, inf or NaN."""
    x = tg.Value([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    loss = F.cross_entropy(x, np.array([1, 0]), reduction="none")
    np.testing.assert_allclose(loss.data, [2e4, 2e4 + np.log(2)])
    loss.sum().backward()
    np.testing.assert_allclose(x.grad, [[1, -1, 0], [-1, 0.5, 0.5]])
    for reduction, ls in itertools.product(["mean", "sum"], [0.0, 0.1]):
        x2 = tg.Value(np.array([[1e4, -1e4], [-1e4, 1e4]], dtype=np.float32))
        loss = F.cross_entropy(x2, np.array([1, 1]), reduction=reduction, label_smoothing=ls)
        assert loss.dtype == np.float32 and np.isfinite(loss.data)
        loss.backward()
        assert x2.grad.dtype == np.float32
        assert_finite_grads(x2)


def test_cross_entropy_all_ignored_mean_is_nan_as_torch():
    x = tg.Value(RNG.standard_normal((2, 3)))
    with np.errstate(invalid="raise"):
        loss = F.cross_entropy(x, np.array([-100, -100]))
    assert np.isnan(loss.item())
    loss.backward()
    assert (x.grad == 0).all()


def test_cross_entropy_errors_name_the_problem():
    x = tg.Value(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"target class index 5 at position \(2,\) is out of range: valid classes are 0\.\.2"):
        F.cross_entropy(x, np.array([0, 1, 5, 2]))
    with pytest.raises(ValueError, match=r"target class index -1 at position \(0,\) is out of range"):
        F.cross_entropy(x, np.array([-1, 1, 0, 2]))
    with pytest.raises(tg.ShapeError, match=r"target shape \(3,\) does not fit input shape \(4, 3\)"):
        F.cross_entropy(x, np.array([0, 1, 2]))
    with pytest.raises(tg.ShapeError, match=r"target shape \(4, 2\) does not fit input shape \(4, 3\)"):
        F.cross_entropy(x, np.full((4, 2), 0.5))
    with pytest.raises(TypeError, match="class-index target must hold integers"):
        F.cross_entropy(x, np.array([0.0, 1.0, 2.0, 1.0]))
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', 'none'; got 'avg'"):
        F.cross_entropy(x, np.array([0, 1, 2, 1]), reduction="avg")
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        F.cross_entropy(x, np.array([0, 1, 2, 1]), label_smoothing=1.5)
    with pytest.raises(tg.ShapeError, match=r"weight must have shape \(3,\)"):
        F.cross_entropy(x, np.array([0, 1, 2, 1]), np.ones(4))
    with pytest.raises(tg.ShapeError, match="cross_entropy: input must have a class axis"):
        F.cross_entropy(tg.Value(1.0), 0)


def test_losses_report_nan_under_detect_anomaly():
    nan_logits = tg.Value([[np.nan, 1.0], [0.0, 1.0]])
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match="forward of op 'cross_entropy' produced nan"):
        F.cross_entropy(nan_logits, np.array([0, 1]))
    x = tg.Value([[0.5, 1.0], [0.0, 1.0]])
    loss = F.cross_entropy(x, np.array([0, 1]), reduction="none")
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match="backward of op 'cross_entropy' produced nan"):
        loss.backward(np.array([np.nan, 1.0]))
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match="'binary_cross_entropy_with_logits'"):
        F.binary_cross_entropy_with_logits(tg.Value([np.nan]), np.array([1.0]))
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match="forward of op 'nll_loss'"):
        F.nll_loss(nan_logits, np.array([0, 1]))


# ---- nll_loss -----------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", CE_SHAPES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_of_log_softmax_is_cross_entropy(shape, weighted, reduction):
    cax = 0 if len(shape) == 1 else 1
    C = shape[cax]
    x = RNG.standard_normal(shape)
    t = _class_target(shape[:cax] + shape[cax + 1 :], C, ignore=True)
    w = RNG.random(C) + 0.5 if weighted else None
    a, b = tg.Value(x), tg.Value(x)
    nll = F.nll_loss(F.log_softmax(a, axis=cax), t, w, reduction=reduction)
    ce = F.cross_entropy(b, t, w, reduction=reduction)
    np.testing.assert_allclose(nll.data, ce.data, rtol=1e-12)
    assert nll.op == "nll_loss"
    (nll.sum() if reduction == "none" else nll).backward()
    (ce.sum() if reduction == "none" else ce).backward()
    np.testing.assert_allclose(a.grad, b.grad, rtol=1e-10, atol=1e-15)
    assert tg.gradcheck(lambda v: F.nll_loss(v, t, w, reduction=reduction), [tg.Value(x)])
    assert gradgradcheck(lambda v: F.nll_loss(F.log_softmax(v, axis=cax), t, w, reduction=reduction), [x])


def test_nll_loss_errors():
    with pytest.raises(tg.ShapeError, match="for class probabilities use cross_entropy"):
        F.nll_loss(tg.Value(np.zeros((2, 3))), np.full((2, 3), 1 / 3))
    out_of_range = r"nll_loss: target class index 3 at position \(1,\) is out of range: valid classes are 0\.\.2"
    with pytest.raises(ValueError, match=out_of_range):
        F.nll_loss(tg.Value(np.zeros((2, 3))), np.array([0, 3]))


# ---- binary cross-entropy -------------------------------------------------------------------------
def ref_bce(x, t, w=None):
    with np.errstate(divide="ignore"):
        loss = -(t * np.maximum(np.log(x), -100) + (1 - t) * np.maximum(np.log1p(-x), -100))
    return loss if w is None else loss * w


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy_matches_torch(reduction, weighted):
    x = RNG.uniform(0.05, 0.95, (3, 4))
    t = RNG.uniform(0, 1, (3, 4))
    w = RNG.uniform(0.5, 2, (4,)) if weighted else None
    ref = ref_bce(x, t, w)
    ref = ref if reduction == "none" else (ref.sum() if reduction == "sum" else ref.mean())
    np.testing.assert_allclose(F.binary_cross_entropy(tg.Value(x), t, w, reduction).data, ref, rtol=1e-13)
    assert tg.gradcheck(lambda a, b: F.binary_cross_entropy(a, b, w, reduction), [tg.Value(x), tg.Value(t)])
    assert gradgradcheck(lambda a, b: F.binary_cross_entropy(a, b, w, reduction), [x, t])


def test_binary_cross_entropy_log_clamp_and_backward_floor():
    x = tg.Value([0.0, 1.0, 0.0, 1.0])
    t = np.array([1.0, 0.0, 0.0, 1.0])
    loss = F.binary_cross_entropy(x, t, reduction="none")
    assert loss.data.tolist() == [100.0, 100.0, 0.0, 0.0]  # each log clamped at −100, as torch
    loss.sum().backward()
    assert x.grad.tolist() == [-1e12, 1e12, 0.0, 0.0]  # (x − t)/max(x(1 − x), 1e-12), as torch
    tv = tg.Value(t)
    F.binary_cross_entropy(tg.Value([0.0, 1.0, 0.0, 1.0]), tv).backward()
    assert_finite_grads(tv)


def test_binary_cross_entropy_errors():
    with pytest.raises(ValueError, match=r"input must be probabilities in \[0, 1\]; got 1.5 at index \(1,\)"):
        F.binary_cross_entropy(tg.Value([0.5, 1.5]), np.array([0.0, 1.0]))
    with pytest.raises(tg.ShapeError, match=r"target shape \(3,\) does not match input shape \(2,\)"):
        F.binary_cross_entropy(tg.Value([0.5, 0.5]), np.array([0.0, 1.0, 1.0]))
    with pytest.raises(tg.ShapeError, match=r"target shape \(2, 1\) does not match input shape \(2,\)"):
        F.binary_cross_entropy_with_logits(tg.Value([0.5, 0.5]), np.zeros((2, 1)))
    with pytest.raises(tg.ShapeError, match=r"pos_weight of shape \(3,\) does not broadcast"):
        F.binary_cross_entropy_with_logits(tg.Value([0.5, 0.5]), np.zeros(2), pos_weight=np.ones(3))


def ref_bce_logits(x, t, w=None, pw=None):
    logsig, log1msig = -np.logaddexp(0, -x), -np.logaddexp(0, x)
    pw = 1.0 if pw is None else pw
    loss = -(pw * t * logsig + (1 - t) * log1msig)
    return loss if w is None else loss * w


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weights", [(None, None), ("w", None), (None, "pw"), ("w", "pw")])
def test_binary_cross_entropy_with_logits_matches_torch(reduction, weights):
    x = RNG.standard_normal((3, 4)) * 3
    t = RNG.uniform(0, 1, (3, 4))
    w = RNG.uniform(0.5, 2, (3, 1)) if weights[0] else None
    pw = RNG.uniform(0.5, 3, (4,)) if weights[1] else None
    ref = ref_bce_logits(x, t, w, pw)
    ref = ref if reduction == "none" else (ref.sum() if reduction == "sum" else ref.mean())
    loss = F.binary_cross_entropy_with_logits(tg.Value(x), t, w, reduction, pos_weight=pw)
    np.testing.assert_allclose(loss.data, ref, rtol=1e-12)
    fn = lambda a, b: F.binary_cross_entropy_with_logits(a, b, w, reduction, pos_weight=pw)
    assert tg.gradcheck(fn, [tg.Value(x), tg.Value(t)])
    assert gradgradcheck(fn, [x, t])


def test_bce_with_logits_equals_bce_of_sigmoid_and_is_stable():
    x = RNG.standard_normal(6)
    t = (RNG.random(6) > 0.5).astype(float)
    a, b = tg.Value(x), tg.Value(x)
    la, lb = F.binary_cross_entropy_with_logits(a, t), F.binary_cross_entropy(F.sigmoid(b), t)
    np.testing.assert_allclose(la.data, lb.data, rtol=1e-12)
    la.backward()
    lb.backward()
    np.testing.assert_allclose(a.grad, b.grad, rtol=1e-10)
    np.testing.assert_allclose(a.grad, (1 / (1 + np.exp(-x)) - t) / 6, rtol=1e-12)  # σ(x) − t
    assert la.op == "mean" and la.parents[0].op == "binary_cross_entropy_with_logits"
    z = tg.Value([1e4, -1e4, 1e4, -1e4])
    loss = F.binary_cross_entropy_with_logits(z, np.array([1.0, 0.0, 0.0, 1.0]), reduction="none")
    assert loss.data.tolist() == [0.0, 0.0, 1e4, 1e4]
    loss.sum().backward()
    assert z.grad.tolist() == [0.0, 0.0, 1.0, -1.0]


# ---- kl_div ---------------------------------------------------------------------------------------
def test_kl_div_batchmean_is_kl_and_mean_is_not():
    p = _prob_target((4, 5), 1)
    q = _prob_target((4, 5), 1)
    kl = info.kl_divergence(p, q).data  # per row
    logq = tg.Value(np.log(q))
    assert F.kl_div(logq, p, reduction="batchmean").item() == pytest.approx(kl.mean(), rel=1e-12)
    assert F.kl_div(logq, p, reduction="mean").item() == pytest.approx(kl.mean() / 5, rel=1e-12)  # ÷ C too
    assert F.kl_div(logq, p, reduction="sum").item() == pytest.approx(kl.sum(), rel=1e-12)
    np.testing.assert_allclose(F.kl_div(logq, p, reduction="none").data.sum(1), kl, rtol=1e-12)
    assert F.kl_div(logq, np.log(p), reduction="batchmean", log_target=True).item() == pytest.approx(kl.mean())
    assert "'mean'" in F.kl_div.__doc__ and "not** the KL divergence" in F.kl_div.__doc__


@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
def test_kl_div_gradients(log_target, reduction):
    logq = np.log(_prob_target((3, 4), 1))
    p = _prob_target((3, 4), 1)
    t = np.log(p) if log_target else p
    fn = lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target)
    assert tg.gradcheck(fn, [tg.Value(logq), tg.Value(t)])
    assert gradgradcheck(fn, [logq, t])


def test_kl_div_zero_target_entries_count_zero():
    loss = F.kl_div(tg.Value(np.log([[0.5, 0.5]])), np.array([[1.0, 0.0]]), reduction="sum")
    assert loss.item() == pytest.approx(np.log(2))
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'batchmean', 'sum', 'none'"):
        F.kl_div(tg.Value([0.0]), np.array([1.0]), reduction="avg")


# ---- mse ------------------------------------------------------------------------------------------
@settings(max_examples=20)
@given(data=st.data(), reduction=st.sampled_from(["mean", "sum", "none"]))
def test_mse_loss(data, reduction):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))
    x = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-3, 3)))
    t = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-3, 3)))
    ref = (x - t) ** 2
    ref = ref if reduction == "none" else (ref.sum() if reduction == "sum" else ref.mean())
    np.testing.assert_allclose(F.mse_loss(tg.Value(x), t, reduction).data, ref, rtol=1e-13)
    assert tg.gradcheck(lambda a, b: F.mse_loss(a, b, reduction), [tg.Value(x), tg.Value(t)])


def test_mse_loss_shape_mismatch_names_both_shapes():
    with pytest.raises(tg.ShapeError, match=r"mse_loss: target shape \(3,\) does not match input shape \(3, 1\)"):
        F.mse_loss(tg.Value(np.zeros((3, 1))), np.zeros(3))


# ---- margin losses --------------------------------------------------------------------------------
def ref_multi_margin(x, y, p=1, margin=1.0, weight=None, reduction="mean"):
    """torch's multi_margin_loss_cpu_kernel, loop for loop."""
    x2 = x.reshape(-1, x.shape[-1])
    ys = np.atleast_1d(y)
    out = []
    for xi, yi in zip(x2, ys):
        total = 0.0
        for d in range(len(xi)):
            if d == yi:
                continue
            z = margin - xi[yi] + xi[d]
            if z > 0:
                h = z if p == 1 else z * z
                total += h * (weight[yi] if weight is not None else 1.0)
        out.append(total / len(xi))
    out = np.array(out) if x.ndim == 2 else np.array(out[0])
    return out if reduction == "none" else (out.sum() if reduction == "sum" else out.mean())


@settings(max_examples=25)
@given(
    data=st.data(), p=st.sampled_from([1, 2]), margin=st.sampled_from([1.0, 0.5]),
    weighted=st.booleans(), reduction=st.sampled_from(["mean", "sum", "none"]), one_d=st.booleans(),
)
def test_multi_margin_loss_matches_torch(data, p, margin, weighted, reduction, one_d):
    n, c = (1 if one_d else data.draw(st.integers(1, 4))), data.draw(st.integers(2, 5))
    x = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-2, 2)))
    y = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    z = margin - x[np.arange(n), y][:, None] + x
    assume(np.all(np.abs(z) > 0.01))  # keep central differences off the hinge's kink
    w = RNG.uniform(0.5, 2, c) if weighted else None
    if one_d:
        x, y = x[0], y[0]
    kw = {"p": p, "margin": margin, "weight": w, "reduction": reduction}
    np.testing.assert_allclose(F.multi_margin_loss(tg.Value(x), y, **kw).data, ref_multi_margin(x, y, **kw), rtol=1e-12)
    assert tg.gradcheck(lambda v: F.multi_margin_loss(v, y, **kw), [tg.Value(x)])


def test_multi_margin_loss_errors():
    with pytest.raises(ValueError, match="only p = 1 and p = 2"):
        F.multi_margin_loss(tg.Value(np.zeros((2, 3))), np.array([0, 1]), p=3)
    with pytest.raises(ValueError, match=r"target class index 7 at position \(0,\) is out of range: valid classes are 0\.\.2"):
        F.multi_margin_loss(tg.Value(np.zeros((2, 3))), np.array([7, 1]))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_hinge_and_perceptron_losses(reduction):
    s = np.array([2.0, 0.5, -1.0, -0.3, 0.7])
    y = np.array([1, 1, 1, -1, -1])
    red = lambda v: v if reduction == "none" else (v.sum() if reduction == "sum" else v.mean())
    np.testing.assert_allclose(F.hinge_loss(tg.Value(s), y, reduction=reduction).data, red(np.maximum(0, 1 - y * s)))
    np.testing.assert_allclose(
        F.hinge_loss(tg.Value(s), y, margin=0.5, reduction=reduction).data, red(np.maximum(0, 0.5 - y * s))
    )
    np.testing.assert_allclose(F.perceptron_loss(tg.Value(s), y, reduction=reduction).data, red(np.maximum(0, -y * s)))
    assert tg.gradcheck(lambda v: F.hinge_loss(v, y, reduction=reduction), [tg.Value(s)])
    assert tg.gradcheck(lambda v: F.perceptron_loss(v, y, reduction=reduction), [tg.Value(s)])
    assert gradgradcheck(lambda v: F.hinge_loss(v, y, reduction=reduction), [s])


def test_perceptron_loss_learns_from_zero_weights():
    """On the boundary (y·s = 0) the gradient is −y: gradient descent is the perceptron update."""
    X = np.array([[1.0, 2.0], [-1.0, -1.5], [2.0, 0.5]])
    y = np.array([1, -1, 1])
    w = tg.Value(np.zeros(2))
    F.perceptron_loss(X @ w, y, reduction="sum").backward()
    np.testing.assert_allclose(-w.grad, (y[:, None] * X).sum(0))  # w ← w + lr·Σ yᵢxᵢ over mistakes
    h = tg.Value(np.zeros(3))
    F.hinge_loss(h, y, reduction="sum").backward()
    np.testing.assert_allclose(h.grad, -y)


def test_margin_label_errors():
    with pytest.raises(ValueError, match=r"hinge_loss: labels must be −1 or \+1; got 0 at index \(2,\)"):
        F.hinge_loss(tg.Value([0.1, 0.2, 0.3]), [1, -1, 0])
    with pytest.raises(tg.ShapeError, match=r"perceptron_loss: labels shape \(2,\) does not match scores shape \(2, 1\)"):
        F.perceptron_loss(tg.Value(np.zeros((2, 1))), [1, -1])


# ---- dtypes, formulas, docs -------------------------------------------------------------------
def test_float32_stays_float32():
    x32 = tg.Value(RNG.standard_normal((3, 4)).astype(np.float32))
    y = np.array([0, 1, 2])
    losses = [
        F.cross_entropy(x32, y), F.nll_loss(F.log_softmax(x32), y), F.multi_margin_loss(x32, y),
        F.binary_cross_entropy_with_logits(x32, np.ones((3, 4))), F.mse_loss(x32, np.zeros((3, 4))),
        F.binary_cross_entropy(F.sigmoid(x32), np.ones((3, 4), dtype=np.float32)),
        F.kl_div(F.log_softmax(x32), np.full((3, 4), 0.25), reduction="batchmean"),
    ]
    for loss in losses:
        assert loss.dtype == np.float32, loss.op
        x32.zero_grad()
        loss.backward()
        assert x32.grad.dtype == np.float32, loss.op


LOSS_OPS = ["cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "hinge",
            "perceptron"]


@pytest.mark.parametrize("name", LOSS_OPS)
def test_formula_for_the_step_through_viewer(name):
    op = OPS[name]
    f = op.formula
    assert f.forward and f.zh and f.en and all("∂" in loc for loc in f.local)
    assert len(f.local) == len(op.backward)  # one local derivative per input


SPEC_LOSSES = ["cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div",
               "mse_loss", "multi_margin_loss", "hinge_loss", "perceptron_loss"]


@pytest.mark.parametrize("name", SPEC_LOSSES)
def test_every_spec_loss_is_in_F_with_formula_and_example(name):
    doc = getattr(F, name).__doc__
    assert ">>>" in doc and ("Derivative" in doc or "∂" in doc)


def test_margin_loss_keeps_its_own_copy_of_the_targets():
    x = RNG.standard_normal((5, 4))
    target = np.array([0, 1, 2, 3, 0])
    expected = tg.Value(x)
    F.multi_margin_loss(expected, target.copy()).backward()
    v = tg.Value(x)
    loss = F.multi_margin_loss(v, target)
    target[:] = 3
    loss.backward()
    np.testing.assert_allclose(v.grad, expected.grad, rtol=1e-12)
