"""SPEC "State on failure": an optimizer step, a ``load_state_dict`` and an estimator's ``fit``
that fail leave parameters, optimizer state and a previous fit exactly as they were (compared
bit for bit)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_cn as tg
from tinygrad_cn import optim
from tinygrad_cn.data import make_blobs
from tinygrad_cn.models import FeedForwardClassifier, LinearSVM, LogisticRegression, Perceptron, SoftmaxRegression

# ---- helpers ------------------------------------------------------------------------------------

def snapshot(opt: optim.Optimizer) -> tuple[list[np.ndarray], list[dict]]:
    params = [p.data.copy() for p in opt.params]
    state = [{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in st.items()} for st in opt.state]
    return params, state


def assert_same(opt: optim.Optimizer, snap: tuple[list[np.ndarray], list[dict]]) -> None:
    params, state = snap
    for p, old in zip(opt.params, params):
        assert p.data.dtype == old.dtype and p.data.tobytes() == old.tobytes()  # bit for bit
    for entry, old in zip(opt.state, state):
        assert entry.keys() == old.keys()
        for k in entry:
            if isinstance(entry[k], np.ndarray):
                assert entry[k].tobytes() == old[k].tobytes(), k
            else:
                assert entry[k] == old[k], k


OPTIMIZERS = {
    "sgd": lambda ps: optim.SGD(ps, lr=0.1),
    "sgd-momentum-wd": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
    "sgd-nesterov": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
    "adam": lambda ps: optim.Adam(ps, lr=0.1),
    "adam-amsgrad-wd": lambda ps: optim.Adam(ps, lr=0.1, amsgrad=True, weight_decay=0.1),
    "adagrad": lambda ps: optim.Adagrad(ps, lr=0.1, weight_decay=0.1),
}


def warmed_up(make, n=3):
    """An optimizer over n parameters after two good steps (so every state buffer exists)."""
    ps = [tg.Value(np.linspace(-1.0, 1.0, 4) + i, label=f"w{i}") for i in range(n)]
    opt = make(ps)
    rng = np.random.default_rng(0)
    for _ in range(2):
        for p in ps:
            p.grad = rng.standard_normal(4)
        opt.step()
    return ps, opt


# ---- optimizer steps ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", OPTIMIZERS)
def test_complex_grad_is_a_clear_error_that_changes_nothing(name):
    ps, opt = warmed_up(OPTIMIZERS[name])
    snap = snapshot(opt)
    for p in ps:
        p.grad = np.ones(4)
    ps[2].grad = np.array([1.0, 1j, 0.0, 0.0])  # the last parameter: earlier ones would have moved
    with pytest.raises(TypeError, match=r"\.step: the grad of parameter 2 \('w2'\) has dtype complex128.*"
                       r"imaginary part.*no parameter was changed"):
        opt.step()  # pytest runs with -W error: a ComplexWarning would fail here too
    assert_same(opt, snap)
    ps[2].grad = np.array(["a", "b", "c", "d"])
    with pytest.raises(TypeError, match=r"parameter 2 .*dtype <U1"):
        opt.step()
    assert_same(opt, snap)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_overflow_under_seterr_raise_changes_nothing(name):
    """With check_finite=False the step is computed under the caller's np.errstate: under
    all='raise' the overflow in the last parameter's update raises mid-way, and nothing moved."""
    make = OPTIMIZERS[name]
    ps, opt = warmed_up(lambda p: type(make(p))(p, **{**_kwargs(make(p)), "check_finite": False}))
    snap = snapshot(opt)
    for p in ps:
        p.grad = np.ones(4)
    ps[2].grad = np.array([1e200, 1.0, 1.0, 1.0]) if not isinstance(opt, optim.SGD) else np.full(4, 1e308)
    if isinstance(opt, optim.SGD):
        opt.lr = 10.0  # lr·g = 1e309 overflows
    with np.errstate(all="raise"), pytest.raises(FloatingPointError, match="overflow"):
        opt.step()
    assert_same(opt, snap)


def _kwargs(opt: optim.Optimizer) -> dict:
    if isinstance(opt, optim.SGD):
        return {"lr": opt.lr, "momentum": opt.momentum, "weight_decay": opt.weight_decay, "nesterov": opt.nesterov}
    if isinstance(opt, optim.Adam):
        return {"lr": opt.lr, "amsgrad": opt.amsgrad, "weight_decay": opt.weight_decay}
    return {"lr": opt.lr, "weight_decay": opt.weight_decay}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_overflowing_step_is_refused_by_default(name):
    """check_finite=True (default): a step whose new state or value overflows raises one
    FloatingPointError naming the optimizer, the parameter and the buffer; nothing changes,
    whatever np.errstate says."""
    ps, opt = warmed_up(OPTIMIZERS[name])
    snap = snapshot(opt)
    for p in ps:
        p.grad = np.ones(4)
    ps[2].grad = np.full(4, 1e200)
    if isinstance(opt, optim.SGD):
        opt.lr = 1e120  # lr·g = 1e320 overflows
    for errstate in ({}, {"all": "raise"}, {"all": "warn"}):
        with np.errstate(**errstate), pytest.raises(
            FloatingPointError,
            match=rf"{type(opt).__name__}\.step: parameter 2 \('w2'\).*would be inf or NaN \(overflow.*1e\+200.*"
                  "no parameter was changed"):
            opt.step()
        assert_same(opt, snap)


def test_adam_huge_gradient_second_moment():
    """One gradient of 1e200 (float64): g² = 1e400 overflows. By default the step is refused and
    names the second moment; with check_finite=False it does what torch does: v = inf, the update
    m̂/(√v̂ + ε) = 1e199/inf = 0, and since β₂·inf = inf the coordinate stays frozen afterwards."""
    w = tg.Value(np.array([1.0, 2.0]), label="w")
    opt = optim.Adam([w], lr=0.1)
    w.grad = np.array([1e200, 1.0])
    with pytest.raises(FloatingPointError,
                       match=r"the second moment v .*'exp_avg_sq'\) would be inf or NaN \(overflow encountered"):
        opt.step()
    assert opt.state[0] == {} and w.data.tolist() == [1.0, 2.0]

    opt = optim.Adam([w], lr=0.1, check_finite=False)
    with np.errstate(over="ignore"):  # numpy's own overflow warning, as in the caller's settings
        opt.step()
        v = opt.state[0]["exp_avg_sq"]
        assert np.isinf(v[0]) and np.isfinite(v[1])
        assert opt.state[0]["exp_avg"][0] == pytest.approx(1e199)
        assert w.data[0] == 1.0 and w.data[1] == pytest.approx(1.9)  # 1e199/inf = 0: no move
        for _ in range(3):
            w.grad = np.array([-5.0, 1.0])  # a gradient that should move it back ...
            opt.step()
    assert np.isinf(opt.state[0]["exp_avg_sq"][0]) and w.data[0] == 1.0  # ... but it is frozen


def test_read_only_parameter_is_refused_before_anything_moves():
    ps, opt = warmed_up(OPTIMIZERS["adam"])
    snap = snapshot(opt)
    for p in ps:
        p.grad = np.ones(4)
    ps[2].data.setflags(write=False)
    with pytest.raises(ValueError, match=r"Adam\.step: parameter 2 \('w2'\) .*read-only.*no parameter was changed"):
        opt.step()
    assert_same(opt, snap)


def test_keyboard_interrupt_while_computing_changes_nothing(monkeypatch):
    ps, opt = warmed_up(OPTIMIZERS["adam-amsgrad-wd"])
    snap = snapshot(opt)
    for p in ps:
        p.grad = np.ones(4)
    real = optim.Adam._update
    calls = []

    def interrupted(self, p, g, state):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(self, p, g, state)

    monkeypatch.setattr(optim.Adam, "_update", interrupted)
    with pytest.raises(KeyboardInterrupt):
        opt.step()
    assert_same(opt, snap)


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan"), -0.5])
@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam, optim.Adagrad])
def test_bad_learning_rate_named(cls, bad):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: invalid lr {bad!r} \(must be a finite number >= 0"):
        cls([tg.Value(np.ones(2))], lr=bad)


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam, optim.Adagrad])
def test_params_none_named(cls):
    with pytest.raises(TypeError, match=rf"{cls.__name__}: params must be an iterable of Values .*got NoneType"):
        cls(None, lr=0.1)
    with pytest.raises(TypeError, match=rf"{cls.__name__}: params must be an iterable of Values .*got float"):
        cls(3.0, lr=0.1)


# ---- estimators: a failing refit keeps the previous fit -----------------------------------------

ESTIMATORS = [
    lambda: LogisticRegression(epochs=3),
    lambda: SoftmaxRegression(epochs=3, optimizer="adam"),
    lambda: Perceptron(epochs=3, optimizer="adagrad"),
    lambda: LinearSVM(epochs=3),
    lambda: FeedForwardClassifier(dim=8, multiple_of=4, epochs=3),
]


def fitted_state(clf) -> dict:
    """Every fitted attribute, as bytes (bit-for-bit comparison), plus the predictions."""
    X = np.linspace(-2, 2, 12).reshape(6, 2)
    out = {
        "classes_": clf.classes_.tolist(),
        "n_features_in_": clf.n_features_in_,
        "loss_history_": list(clf.loss_history_),
        "decision": clf.decision_function(X).tobytes(),
        "params": [p.data.tobytes() for p in (clf.module_.parameters() if hasattr(clf, "module_") else [clf._W, clf._b])],
    }
    if hasattr(clf, "coef_"):
        out["coef_"] = clf.coef_.tobytes()
        out["intercept_"] = clf.intercept_.tobytes()
    return out


@pytest.mark.parametrize("make", ESTIMATORS)
def test_diverging_refit_keeps_previous_fit(make):
    X, y = make_blobs(60, centers=[[-2, -2], [2, 2], [2, -2]], std=0.5, seed=0)
    clf = make().fit(X, np.array(["a", "b", "c"])[y])
    before = fitted_state(clf)
    clf.set_params(lr=1e300)  # every optimizer overflows on the first steps
    with pytest.raises(FloatingPointError, match="diverged"):
        clf.fit(X * 1e10, y)  # other labels, other scale: nothing of this may leak in
    assert fitted_state(clf) == before


@pytest.mark.parametrize("make", ESTIMATORS)
def test_interrupted_refit_keeps_previous_fit(make, monkeypatch):
    X, y = make_blobs(60, centers=[[-2, -2], [2, 2]], std=0.5, seed=0)
    clf = make().fit(X, y)
    before = fitted_state(clf)
    clf.set_params(epochs=5)
    real = type(clf)._epoch
    epochs_run = []

    def interrupted(self, *args, **kwargs):  # Ctrl-C in the middle of the third epoch
        epochs_run.append(1)
        if len(epochs_run) == 3:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(clf), "_epoch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X[:, ::-1] + 5.0, 1 - y)
    assert len(epochs_run) == 3
    assert fitted_state(clf) == before
    monkeypatch.undo()
    assert clf.fit(X, y).loss_history_ != before["loss_history_"]  # a successful refit replaces it


def test_failed_first_fit_leaves_estimator_unfitted():
    clf = LogisticRegression(lr=1e300)
    X, y = make_blobs(20, centers=[[-2, -2], [2, 2]], std=0.5, seed=0)
    with pytest.raises(FloatingPointError, match="diverged"):
        clf.fit(X * 1e10, y)
    assert not hasattr(clf, "classes_") and not hasattr(clf, "_W")


# ---- load_state_dict ----------------------------------------------------------------------------

def _net():
    from tinygrad_cn import nn

    return nn.Sequential(nn.Linear(3, 4, generator=0), nn.Tanh(), nn.Linear(4, 2, generator=1))


def test_load_state_dict_read_only_parameter_loads_nothing():
    net = _net()
    before = {k: v.tobytes() for k, v in net.state_dict().items()}
    new = {k: v + 1 for k, v in net.state_dict().items()}
    last = list(new)[-1]
    dict(net.named_parameters())[last].data.setflags(write=False)  # the last one: others came first
    with pytest.raises(ValueError, match=rf"load_state_dict\(Sequential\): read-only parameters .*\['{last}'\]"
                                         ".*nothing was changed"):
        net.load_state_dict(new)
    assert {k: v.tobytes() for k, v in net.state_dict().items()} == before


@pytest.mark.parametrize("huge", [1e300, -1e39, np.float64(3.5e38)])
def test_load_state_dict_value_overflowing_dtype_is_named(huge):
    net = _net()  # float32 parameters
    before = {k: v.tobytes() for k, v in net.state_dict().items()}
    new = {k: v.astype(np.float64) for k, v in net.state_dict().items()}
    key = list(new)[-1]
    new[key][1] = huge
    with pytest.raises(ValueError, match=rf"values out of range \['{key}': {re.escape(repr(float(huge)))} at index \(1,\) "
                                         r"does not fit in float32.*nothing was changed"):
        net.load_state_dict(new)  # pytest -W error: no "overflow encountered in cast" warning either
    assert {k: v.tobytes() for k, v in net.state_dict().items()} == before
    new[key][1] = np.finfo(np.float32).max  # the largest float32 fits; inf and nan load as given
    first = next(iter(new))
    new[first][0, 0] = np.nan
    net.load_state_dict(new)
    assert net.state_dict()[key][1] == np.finfo(np.float32).max
    assert np.isnan(net.state_dict()[first][0, 0])


@pytest.mark.parametrize("name", [*OPTIMIZERS, "sgd-lr0", "adam-lr0"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_non_finite_grad_is_named_and_changes_nothing(name, bad, dtype):
    """A NaN or ±inf anywhere in one gradient is caught (it reaches the new value, or numpy's flags
    raise on inf/inf, 0·inf), named as the gradient's, and nothing moves, even with lr = 0."""
    make = {"sgd-lr0": lambda ps: optim.SGD(ps, lr=0.0, momentum=0.5),
            "adam-lr0": lambda ps: optim.Adam(ps, lr=0.0)}.get(name) or OPTIMIZERS[name]
    ps = [tg.Value(np.linspace(-1.0, 1.0, 6).reshape(2, 3).astype(dtype) + i, label=f"w{i}") for i in range(3)]
    opt = make(ps)
    for _ in range(2):
        for p in ps:
            p.grad = np.ones(p.shape, dtype)
        opt.step()
    snap = snapshot(opt)
    ps[1].grad = np.ones(ps[1].shape, dtype)
    ps[1].grad[1, 2] = bad
    word = "nan" if np.isnan(bad) else "inf"
    with pytest.raises(FloatingPointError, match=rf"\.step: the grad of parameter 1 \('w1'\).*contains {word}; "
                                                  r"no parameter was changed"):
        opt.step()
    assert_same(opt, snap)


def test_a_parameter_that_already_holds_nan_is_named():
    """A parameter loaded with NaN (load_state_dict allows it): its new value would be NaN, so the
    step is refused, naming the parameter rather than its (finite) gradient; check_finite=False
    steps it anyway (NaN stays NaN), as torch."""
    w, u = tg.Value(np.array([1.0, np.nan]), label="w"), tg.Value(np.array([1.0, 2.0]), label="u")
    opt = optim.SGD([u, w], lr=0.1)
    u.grad, w.grad = np.ones(2), np.ones(2)
    with pytest.raises(FloatingPointError, match=r"SGD\.step: parameter 1 \('w'\) \(shape \(2,\)\) already contains nan"):
        opt.step()
    assert u.data.tolist() == [1.0, 2.0] and w.data[0] == 1.0
    optim.SGD([u, w], lr=0.1, check_finite=False).step()
    assert u.data.tolist() == [0.9, 1.9] and w.data[0] == 0.9 and np.isnan(w.data[1])


# ---- property: any failing step is invisible -----------------------------------------------------

@settings(max_examples=60)
@given(
    name=st.sampled_from(sorted(OPTIMIZERS)),
    n=st.integers(1, 4),
    warm=st.integers(0, 3),
    bad_at=st.integers(0, 3),
    kind=st.sampled_from(["nan", "inf", "complex", "shape", "overflow", "read-only"]),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_a_failed_step_is_invisible_to_the_next_ones(name, n, warm, bad_at, kind, dtype, seed):
    """Two optimizers on equal parameters; one of them gets a failing step in between. After it
    fails, both are bit for bit equal, and stay so through further good steps (no hidden state,
    such as a step count, moved)."""
    rng = np.random.default_rng(seed)
    shapes = [tuple(rng.integers(1, 4, size=rng.integers(0, 3))) for _ in range(n)]
    init = [rng.standard_normal(s).astype(dtype) for s in shapes]
    a = [tg.Value(x.copy()) for x in init]
    b = [tg.Value(x.copy()) for x in init]
    opt_a, opt_b = OPTIMIZERS[name](a), OPTIMIZERS[name](b)

    def good_step():
        for pa, pb in zip(a, b):
            g = rng.standard_normal(pa.shape).astype(dtype)
            pa.grad, pb.grad = g.copy(), g.copy()
        opt_a.step()
        opt_b.step()

    for _ in range(warm):
        good_step()
    i = bad_at % n
    for p in b:
        p.grad = rng.standard_normal(p.shape).astype(dtype)
    bad = b[i]
    if kind in ("nan", "inf"):
        bad.grad = np.full(bad.shape, np.nan if kind == "nan" else np.inf, dtype=dtype)
    elif kind == "complex":
        bad.grad = bad.grad + 1j
    elif kind == "shape":
        bad.grad = np.zeros((*bad.shape, 2), dtype=dtype)
    elif kind == "overflow":
        bad.grad = np.full(bad.shape, np.finfo(dtype).max / 2, dtype=dtype)
        if isinstance(opt_b, optim.SGD):
            opt_b.lr = opt_a.lr = 1e3  # lr·g overflows (SGD has no squared term)
    else:
        bad.data.setflags(write=False)
    with pytest.raises((FloatingPointError, TypeError, ValueError, tg.ShapeError)):
        opt_b.step()
    if kind == "read-only":
        bad.data.setflags(write=True)
    assert_same(opt_b, snapshot(opt_a))
    for _ in range(2):
        good_step()
    assert_same(opt_b, snapshot(opt_a))


def test_adagrad_eps_zero_nan_is_refused():
    """eps = 0 and a coordinate whose gradients were all 0: 0/√0 = NaN (torch stores it). Refused."""
    w = tg.Value(np.array([1.0, 2.0]), label="w")
    opt = optim.Adagrad([w], lr=0.1, eps=0.0)
    w.grad = np.array([1.0, 0.0])
    with pytest.raises(FloatingPointError, match=r"Adagrad\.step: parameter 0 \('w'\).*the new value would be inf or NaN "
                                                  r"\(invalid value"):
        opt.step()
    assert w.data.tolist() == [1.0, 2.0] and opt.state[0]["step"] == 0
