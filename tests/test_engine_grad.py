"""Every engine op: analytic gradient vs central differences (float64, hypothesis shapes and
broadcasts, random upstream gradient), inputs kept away from kinks and poles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_cn as tg
from tests.helpers import arrays, broadcast_pair, check

BINARY = {
    "add": (lambda a, b: a + b, {}, {}),
    "sub": (lambda a, b: a - b, {}, {}),
    "mul": (lambda a, b: a * b, {}, {}),
    "div": (lambda a, b: a / b, {}, {"lo": 0.5, "hi": 3.0}),
    "pow": (lambda a, b: a**b, {"lo": 0.5, "hi": 2.0}, {"lo": -2.0, "hi": 2.0}),
}


@pytest.mark.parametrize("name", BINARY)
@given(data=st.data(), shapes=broadcast_pair())
def test_binary_ops_broadcast(name, data, shapes):
    fn, ka, kb = BINARY[name]
    sa, sb = shapes.input_shapes
    a = data.draw(arrays(sa, **ka))
    b = data.draw(arrays(sb, **kb))
    y = fn(tg.Value(a), tg.Value(b))
    assert y.op == name and y.shape == np.broadcast_shapes(sa, sb)
    assert check(fn, a, b)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "pow"])
def test_binary_ops_with_constants(name):
    fn = BINARY[name][0]
    x = tg.Value([[0.7, 1.3, 1.9]])
    assert tg.gradcheck(lambda v: fn(v, 1.5), [x])  # Value ∘ number
    assert tg.gradcheck(lambda v: fn(1.5, v), [x])  # number ∘ Value (reflected)
    const = np.array([[0.8], [1.6]])
    assert tg.gradcheck(lambda v: fn(const, v), [x])  # ndarray ∘ Value (reflected, broadcast)


UNARY = {
    "exp": (lambda x: x.exp(), {}),
    "log": (lambda x: x.log(), {"lo": 0.2, "hi": 5.0}),
    "sqrt": (lambda x: x.sqrt(), {"lo": 0.2, "hi": 5.0}),
    "abs": (lambda x: x.abs(), {"away_from": 0.0}),
    "neg": (lambda x: -x, {}),
    "sigmoid": (lambda x: x.sigmoid(), {"lo": -8.0, "hi": 8.0}),
    "tanh": (lambda x: x.tanh(), {}),
    "relu": (lambda x: x.relu(), {"away_from": 0.0}),
}


@pytest.mark.parametrize("name", UNARY)
@given(data=st.data(), shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))
def test_unary_ops(name, data, shape):
    fn, kw = UNARY[name]
    x = data.draw(arrays(shape, **kw))
    assert fn(tg.Value(x)).op == name
    assert check(fn, x)


def _axis_and_keepdims(data, ndim):
    axis = data.draw(
        st.one_of(
            st.none(),
            st.integers(-ndim, ndim - 1) if ndim else st.none(),
            st.lists(st.integers(0, max(ndim - 1, 0)), unique=True, max_size=ndim).map(tuple),
        )
    )
    return axis, data.draw(st.booleans())


@pytest.mark.parametrize("name", ["sum", "mean", "max"])
@given(data=st.data(), shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))
def test_reductions(name, data, shape):
    axis, keepdims = _axis_and_keepdims(data, len(shape))
    size = int(np.prod(shape))
    if name == "max":  # distinct values, at least 0.1 apart, so no tie is straddled by ±eps
        x = np.asarray(data.draw(st.permutations([0.1 * i for i in range(size)]))).reshape(shape)
    else:
        x = data.draw(arrays(shape))
    fn = lambda v: getattr(v, name)(axis=axis, keepdims=keepdims)
    ref = getattr(np, "amax" if name == "max" else name)(x, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(fn(tg.Value(x)).data, ref)
    assert check(fn, x)


@given(data=st.data(), shape=hnp.array_shapes(min_dims=1, max_dims=4, max_side=4))
def test_reshape_transpose(data, shape):
    x = data.draw(arrays(shape))
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    assert check(lambda v: v.transpose(*perm), x)
    assert check(lambda v: v.T, x)
    assert check(lambda v: v.reshape(-1), x)
    assert check(lambda v: v.reshape(x.size, 1).T, x)


@given(data=st.data(), shapes=broadcast_pair())
def test_broadcast_to_and_sum_to(data, shapes):
    sa, _ = shapes.input_shapes
    target = shapes.result_shape
    assume(np.broadcast_shapes(sa, target) == target)
    x = data.draw(arrays(sa))
    assert check(lambda v: v.broadcast_to(target), x)
    y = data.draw(arrays(target))
    assert check(lambda v: v.sum_to(sa), y)


@given(data=st.data(), shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
def test_indexing(data, shape):
    x = data.draw(arrays(shape))
    idx = data.draw(hnp.basic_indices(shape, allow_newaxis=True))
    assume(np.asarray(x[idx]).size > 0)
    assert check(lambda v: v[idx], x)
    # integer arrays with repeated indices: gradients must add up (np.add.at)
    rows = data.draw(hnp.arrays(np.int64, st.integers(1, 6), elements=st.integers(-shape[0], shape[0] - 1)))
    assert check(lambda v: v[rows], x)
    mask = data.draw(hnp.arrays(np.bool_, shape))
    assume(mask.any())
    assert check(lambda v: v[mask], x)


def test_repeated_index_gradient_counts_repeats():
    x = tg.Value([1.0, 2.0, 3.0])
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 1.0])


MATMUL_SHAPES = [
    ((3,), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3,)),
    ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)),
    ((5, 1, 2, 3), (4, 3, 2)),
    ((3,), (5, 3, 4)),
    ((5, 2, 3), (3,)),
]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES)
def test_matmul_numpy_semantics(sa, sb):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    y = tg.Value(a) @ tg.Value(b)
    np.testing.assert_allclose(y.data, a @ b)
    assert check(lambda u, v: u @ v, a, b)
    assert tg.gradcheck(lambda v: a @ v, [tg.Value(b)])  # ndarray @ Value
    assert tg.gradcheck(lambda u: u @ b, [tg.Value(a)])


def test_where():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((4,))
    cond = rng.random((3, 4)) > 0.5
    assert check(lambda u, v: tg.where(cond, u, v), a, b)


def test_composite_expression():
    rng = np.random.default_rng(2)
    W, x, c = rng.standard_normal((4, 3)), rng.standard_normal((5, 3)), rng.random((5, 4)) + 0.5
    f = lambda w, xx, cc: ((xx @ w.T).tanh() * cc / (1 + cc.sqrt())).exp().mean(axis=0).max()
    assert check(f, W, x, c)


def test_gradcheck_can_fail():
    """A deliberately wrong backward rule must be caught, naming input, index and both values."""
    from tinygrad_cn.engine.op import OPS, Formula, Op

    class WrongSquare(Op):
        name = "test_wrong_square"
        formula = Formula("y = x²", ("∂y/∂x = 3x (wrong on purpose)",))

        @staticmethod
        def forward(ctx, x):
            return x * x

        backward = (lambda ctx, g, y, x: g * 3 * x,)

    try:
        x = tg.Value([1.0, 2.0, -1.5], label="x")
        with pytest.raises(tg.GradcheckError, match=r"input 0 \('x'\).*index \(\d,\).*analytic .* vs numeric"):
            tg.gradcheck(lambda v: WrongSquare.apply(v), [x])
        # the correct op passes
        assert tg.gradcheck(lambda v: v * v, [x])
    finally:
        OPS.pop("test_wrong_square")
