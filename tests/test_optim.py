"""optim: SGD, Adam and Adagrad against hand-written numpy transcriptions of PyTorch's algorithm
boxes (torch.optim docs), step for step, plus the all-or-nothing step and the error messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import nn, optim

STEPS = 6


def grad_sequence(shape, steps=STEPS, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for _ in range(steps)]


def run(opt_cls, theta0, grads, **kw):
    """Apply ``opt_cls`` with the given gradients, one step each; return the trajectory."""
    p = tg.Value(theta0.copy())
    opt = opt_cls([p], **kw)
    out = []
    for g in grads:
        p.grad = g.copy()
        opt.step()
        out.append(p.data.copy())
    return out


# ---- numpy transcriptions of torch's algorithm boxes ------------------------------------------
def sgd_reference(theta, grads, lr, momentum=0.0, weight_decay=0.0, dampening=0.0, nesterov=False):
    theta = theta.copy()
    b = None
    out = []
    for t, g in enumerate(grads, start=1):
        if weight_decay != 0:
            g = g + weight_decay * theta
        if momentum != 0:
            b = g if t == 1 else momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        theta = theta - lr * g
        out.append(theta)
    return out


def adam_reference(theta, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
    b1, b2 = betas
    theta = theta.copy()
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    v_max = np.zeros_like(theta)
    out = []
    for t, g in enumerate(grads, start=1):
        if weight_decay != 0:
            g = g + weight_decay * theta
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat = m / (1 - b1**t)
        v_max = np.maximum(v_max, v)
        v_hat = (v_max if amsgrad else v) / (1 - b2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(theta)
    return out


def adagrad_reference(theta, grads, lr=1e-2, eps=1e-10, weight_decay=0.0, lr_decay=0.0, initial_accumulator_value=0.0):
    theta = theta.copy()
    state_sum = np.full_like(theta, initial_accumulator_value)
    out = []
    for t, g in enumerate(grads, start=1):
        clr = lr / (1 + (t - 1) * lr_decay)
        if weight_decay != 0:
            g = g + weight_decay * theta
        state_sum = state_sum + g**2
        theta = theta - clr * g / (np.sqrt(state_sum) + eps)
        out.append(theta)
    return out


@pytest.mark.parametrize(
    "kw",
    [
        {"lr": 0.1},
        {"lr": 0.05, "momentum": 0.9},
        {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01},
        {"lr": 0.05, "weight_decay": 0.1},
        {"lr": 0.05, "momentum": 0.5, "dampening": 0.3},
        {"lr": 0.05, "momentum": 0.9, "nesterov": True},
    ],
)
def test_sgd_matches_torch_algorithm(kw):
    theta = np.random.default_rng(1).standard_normal((3, 4))
    grads = grad_sequence((3, 4))
    for ours, ref in zip(run(optim.SGD, theta, grads, **kw), sgd_reference(theta, grads, **kw)):
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "kw",
    [{}, {"lr": 0.1}, {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}, {"lr": 0.01, "weight_decay": 0.1},
     {"lr": 0.1, "betas": (0.5, 0.5), "amsgrad": True}, {"lr": 0.1, "weight_decay": 0.1, "amsgrad": True}],
)
def test_adam_matches_torch_algorithm(kw):
    theta = np.random.default_rng(2).standard_normal(5)
    grads = grad_sequence(5, seed=3)
    for ours, ref in zip(run(optim.Adam, theta, grads, **kw), adam_reference(theta, grads, **kw)):
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "kw",
    [{}, {"lr": 0.5}, {"lr": 0.1, "weight_decay": 0.1}, {"lr": 0.1, "lr_decay": 0.5},
     {"lr": 0.1, "initial_accumulator_value": 0.3, "eps": 1e-6}],
)
def test_adagrad_matches_torch_algorithm(kw):
    theta = np.random.default_rng(4).standard_normal((2, 3))
    grads = grad_sequence((2, 3), seed=5)
    for ours, ref in zip(run(optim.Adagrad, theta, grads, **kw), adagrad_reference(theta, grads, **kw)):
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12)


def test_amsgrad_uses_the_largest_second_moment():
    # gradients that shrink make v fall; amsgrad keeps dividing by the largest v seen
    theta = np.ones(3)
    grads = [np.full(3, 10.0), np.full(3, 0.1), np.full(3, 0.1)]
    plain = run(optim.Adam, theta, grads, lr=0.1, betas=(0.5, 0.5))
    ams = run(optim.Adam, theta, grads, lr=0.1, betas=(0.5, 0.5), amsgrad=True)
    np.testing.assert_allclose(ams[0], plain[0])  # step 1: v_max = v
    assert np.all(np.abs(ams[2] - ams[1]) < np.abs(plain[2] - plain[1]))  # smaller later steps


def test_first_adam_step_is_lr_times_sign():
    # m̂₁ = g, v̂₁ = g², so the first step is lr·g/(|g| + ε) ≈ lr·sign(g)
    p = tg.Value(np.zeros(3))
    opt = optim.Adam([p], lr=0.1)
    p.grad = np.array([3.0, -0.5, 100.0])
    opt.step()
    np.testing.assert_allclose(p.data, [-0.1, 0.1, -0.1], rtol=1e-6)


def test_adam_counts_steps_per_parameter():
    """A parameter without grad keeps its state: its own step counter starts when it first gets one."""
    a, b = tg.Value(np.zeros(2)), tg.Value(np.zeros(2))
    opt = optim.Adam([a, b], lr=0.1)
    grads = grad_sequence(2, steps=3, seed=7)
    a.grad = grads[0].copy()
    opt.step()  # b has no grad: untouched
    assert np.array_equal(b.data, np.zeros(2))
    for g in grads[1:]:
        a.grad, b.grad = g.copy(), g.copy()
        opt.step()
    np.testing.assert_allclose(b.data, adam_reference(np.zeros(2), grads[1:], lr=0.1)[-1], rtol=1e-10)
    np.testing.assert_allclose(a.data, adam_reference(np.zeros(2), grads, lr=0.1)[-1], rtol=1e-10)


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
    lambda ps: optim.Adam(ps, lr=0.1),
    lambda ps: optim.Adagrad(ps, lr=0.1),
])
def test_param_without_grad_is_left_alone(make):
    a, b = tg.Value(np.ones(2)), tg.Value(np.ones(3))
    opt = make([a, b])
    a.grad = np.array([1.0, -1.0])
    opt.step()
    assert not np.array_equal(a.data, np.ones(2))
    assert np.array_equal(b.data, np.ones(3)) and b.grad is None


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam, optim.Adagrad])
def test_float32_parameters_stay_float32(cls):
    p = tg.Value(np.ones((2, 2), dtype=np.float32))
    data = p.data
    opt = cls([p], lr=0.1)
    for _ in range(3):
        p.grad = np.full((2, 2), 0.5, dtype=np.float32)
        opt.step()
    assert p.data.dtype == np.float32
    assert p.data is data  # updated in place: views and references stay valid
    assert (p.data < 1).all()


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam, optim.Adagrad])
def test_failed_step_changes_nothing(cls):
    a, b, c = tg.Value(np.ones(2)), tg.Value(np.ones(2)), tg.Value(np.ones(2))
    opt = cls([a, b, c], lr=0.1)
    a.grad, b.grad = np.ones(2), np.ones(2)
    opt.step()
    before = [p.data.copy() for p in (a, b, c)]
    state_before = [{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in st.items()} for st in opt.state]
    a.grad, b.grad, c.grad = np.ones(2), np.ones(2), np.array([1.0, np.nan])  # the bad one comes last
    with pytest.raises(FloatingPointError, match=r"parameter 2 .*contains nan.*no parameter was changed"):
        opt.step()
    c.grad = np.ones(3)
    with pytest.raises(tg.ShapeError, match=r"parameter 2 has shape \(2,\) but its grad has shape \(3,\)"):
        opt.step()
    for p, old in zip((a, b, c), before):
        assert np.array_equal(p.data, old)
    for st, old in zip(opt.state, state_before):
        assert st.keys() == old.keys()
        for k in st:
            assert np.array_equal(st[k], old[k])


def test_inf_grad_named_and_check_can_be_disabled():
    p = tg.Value(np.ones(2), label="w")
    opt = optim.SGD([p], lr=0.1)
    p.grad = np.array([np.inf, 1.0])
    with pytest.raises(FloatingPointError, match=r"parameter 0 \('w'\).*contains inf"):
        opt.step()
    opt = optim.SGD([p], lr=0.1, check_finite=False)
    with np.errstate(invalid="ignore"):
        opt.step()
    assert np.isinf(p.data[0])


def test_huge_finite_grads_pass_the_finite_check():
    p = tg.Value(np.zeros(4, dtype=np.float32))
    opt = optim.SGD([p], lr=1e-38)
    p.grad = np.full(4, 3e38, dtype=np.float32)  # the sum overflows float32, every element is finite
    opt.step()
    assert np.isfinite(p.data).all()


def test_huge_finite_new_values_pass_the_finite_check():
    """The step checks each new value with one sum of squares, which overflows here although every
    element is finite: the element-by-element look must let the step through."""
    p = tg.Value(np.full((3, 4), 3e38, dtype=np.float32))
    opt = optim.SGD([p], lr=0.1)
    p.grad = np.ones((3, 4), dtype=np.float32)
    opt.step()
    assert np.isfinite(p.data).all() and p.data[0, 0] == np.float32(3e38) - np.float32(0.1)


def test_zero_grad_and_module_params():
    model = nn.Linear(3, 2, generator=0)
    opt = optim.SGD(model, lr=0.1)  # a Module is accepted as well as model.parameters()
    assert opt.params == model.parameters()
    model(np.ones((1, 3), dtype=np.float32)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    opt.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_training_reduces_loss():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 3))
    w_true = np.array([[1.0], [-2.0], [0.5]])
    y = X @ w_true
    for make in (lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9), lambda ps: optim.Adam(ps, lr=0.1),
                 lambda ps: optim.Adagrad(ps, lr=0.5)):
        w = tg.Value(np.zeros((3, 1)))
        opt = make([w])
        losses = []
        for _ in range(100):
            loss = ((X @ w - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        assert losses[-1] < 1e-2 * losses[0]


def test_constructor_errors():
    p = tg.Value(np.ones(2))
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="iterable of Values"):
        optim.SGD(p, lr=0.1)
    with pytest.raises(TypeError, match=r"params\[1\] is a ndarray"):
        optim.SGD([p, np.ones(2)], lr=0.1)
    with pytest.raises(ValueError, match="not a leaf"):
        optim.SGD([p * 2], lr=0.1)
    with pytest.raises(ValueError, match="more than once"):
        optim.Adam([p, p])
    with pytest.raises(ValueError, match=r"invalid lr -1\.0"):
        optim.SGD([p], lr=-1)
    with pytest.raises(ValueError, match="beta2"):
        optim.Adam([p], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="betas must be a pair"):
        optim.Adam([p], betas=0.9)
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="invalid eps"):
        optim.Adagrad([p], eps=-1e-3)
    assert "lr=0.1" in repr(optim.SGD([p], lr=0.1))


def test_docstrings_state_the_update_equations():
    assert "θ ← θ − γ·g" in optim.SGD.__doc__
    assert "m̂ = m / (1 − β₁ᵗ)" in optim.Adam.__doc__
    assert "θ ← θ − γ̃·g / (√s + ε)" in optim.Adagrad.__doc__
    assert math.isclose(optim.Adam([tg.Value(1.0)]).lr, 1e-3)
