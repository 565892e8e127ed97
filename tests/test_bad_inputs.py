"""Inputs a new user types that used to crash with a raw numpy message (issue 9, item 7): each is
now either the right result (where the input is valid) or an error naming the function and the
value."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn import data, info, nn, optim
from tinygrad_cn.models import FeedForwardClassifier, LinearSVM, LogisticRegression, Perceptron, SoftmaxRegression

ESTIMATORS = [LogisticRegression, SoftmaxRegression, Perceptron, LinearSVM, FeedForwardClassifier]


# ---- zero-size feature axes ----------------------------------------------------------------------

@pytest.mark.parametrize(("n_in", "n_out"), [(0, 3), (3, 0), (0, 0)])
def test_linear_with_a_zero_size_axis_trains(n_in, n_out):
    """nn.Linear(0, k) is valid (torch allows it): y = b, every gradient has its parameter's shape."""
    layer = nn.Linear(n_in, n_out, generator=0)
    x = tg.Value(np.ones((5, n_in), dtype=np.float32))
    y = layer(x)
    assert y.shape == (5, n_out)
    np.testing.assert_array_equal(y.data, np.broadcast_to(layer.bias.data, (5, n_out)))
    y.sum().backward()
    assert layer.weight.grad.shape == (n_out, n_in) and x.grad.shape == (5, n_in)
    np.testing.assert_array_equal(layer.bias.grad, np.full(n_out, 5.0, dtype=np.float32))
    opt = optim.Adam(layer, lr=0.1)
    opt.step()
    # also through leading batch axes and under create_graph
    x3 = tg.Value(np.ones((2, 4, n_in)))
    (gw,) = tg.grad(layer(x3).sum(), [layer.weight], create_graph=True)
    assert gw.shape == (n_out, n_in)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_estimator_with_no_features_named(cls):
    with pytest.raises(ValueError, match=rf"{cls.__name__}\.fit: X has no features \(shape \(4, 0\)\)"):
        cls().fit(np.zeros((4, 0)), [0, 1, 0, 1])
    clf = cls(epochs=1).fit(np.eye(4), [0, 1, 0, 1])
    with pytest.raises(ValueError, match=rf"{cls.__name__}\.(predict|decision_function): X has no features"):
        clf.predict(np.zeros((2, 0)))


@pytest.mark.parametrize("p", [[], np.zeros((3, 0)), np.zeros((2, 3, 0))])
def test_entropy_of_nothing_named(p):
    for fn, args in ((info.entropy, (p,)), (info.cross_entropy, (p, p)), (info.kl_divergence, (p, p))):
        with pytest.raises(ValueError, match=rf"{fn.__name__}: p has no outcomes along axis -1 \(shape"):
            fn(*args)


def test_entropy_of_no_rows_is_empty():
    h = info.entropy(np.zeros((0, 3)))  # zero distributions of 3 outcomes: zero entropies
    assert h.shape == (0,)


# ---- info: base ----------------------------------------------------------------------------------

@pytest.mark.parametrize("base", [2, 2.0, np.float32(2), np.float64(2), np.int64(2), np.int8(2)])
def test_entropy_base_any_real_number_type(base):
    assert info.entropy([0.5, 0.5], base=base).item() == pytest.approx(1.0, abs=1e-15)
    assert info.kl_divergence([0.5, 0.5], [0.25, 0.75], base=base).item() == pytest.approx(0.2075187496)
    assert info.self_information([0.25], base=base).data[0] == pytest.approx(2.0)


@pytest.mark.parametrize(("base", "err", "msg"), [
    (1, ValueError, "finite positive number ≠ 1, got 1"),
    (np.float32(1), ValueError, "got np.float32"),
    (-2, ValueError, "got -2"),
    (float("inf"), ValueError, "got inf"),
    (float("nan"), ValueError, "got nan"),
    (True, TypeError, "got bool True"),
    ("2", TypeError, "got str '2'"),
    ([2], TypeError, r"got list \[2\]"),
])
def test_entropy_bad_base_named(base, err, msg):
    with pytest.raises(err, match=rf"cross_entropy: base must be None.*{msg}"):
        info.cross_entropy([0.5, 0.5], [0.5, 0.5], base=base)


# ---- estimators: X and y -------------------------------------------------------------------------

@pytest.mark.parametrize("cls", ESTIMATORS)
def test_ragged_X_named(cls):
    with pytest.raises(ValueError, match=rf"{cls.__name__}\.fit: X is ragged \(row 0 has 2 values, row 2 has 1\)"):
        cls().fit([[1.0, 2.0], [3.0, 4.0], [5.0]], [0, 1, 0])


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuous_labels_named_as_sklearn(cls):
    X = np.random.default_rng(0).standard_normal((6, 2))
    with pytest.raises(ValueError, match=rf"{cls.__name__}\.fit: Unknown label type: continuous \(y\[2\] = 0\.5"):
        cls().fit(X, [0.0, 1.0, 0.5, 1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"y contains inf at index 1"):
        cls().fit(X, [0.0, np.inf, 1.0, 1.0, 0.0, 1.0])
    clf = cls(epochs=1).fit(X, np.array([0.0, 1.0, 2.0, 1.0, 0.0, 2.0]))  # whole floats are classes
    assert clf.classes_.tolist() == [0.0, 1.0, 2.0]


# ---- BagOfWords ------------------------------------------------------------------------------------

def test_bag_of_words_char_ngram_range_as_one_int():
    with pytest.raises(ValueError, match=r"BagOfWords: char_ngram_range must be a pair \(lo, hi\), got 3 "
                                         r"\(for n-grams of length 3 only, write \(3, 3\)\)"):
        data.BagOfWords(char_ngram_range=3)
    with pytest.raises(ValueError, match=r"tokenize: char_ngram_range must be a pair"):
        data.tokenize("好看", char_ngram_range=2)
    for bad in [(2, 1), (0, 2), (1.0, 2), (True, 2), (1, 2, 3), "12"]:
        with pytest.raises(ValueError, match=r"BagOfWords: char_ngram_range must be"):
            data.BagOfWords(char_ngram_range=bad)
    assert data.BagOfWords(char_ngram_range=(np.int64(2), 2)).fit(["好看极了"]).vocabulary_ == {"好看": 0, "极了": 1, "看极": 2}


@pytest.mark.parametrize("name", ["binary", "lowercase"])
@pytest.mark.parametrize("bad", ["no", "False", 0, 1, None])
def test_bag_of_words_flags_must_be_bool(name, bad):
    with pytest.raises(TypeError, match=rf"BagOfWords: {name} must be True or False, got {bad!r}"):
        data.BagOfWords(**{name: bad})
    assert data.BagOfWords(**{name: np.True_}).fit(["a"]).vocabulary_ == {"a": 0}


def test_bag_of_words_min_df_larger_than_corpus():
    docs = ["good movie", "bad movie", "bad plot"]
    with pytest.raises(ValueError, match=r"BagOfWords\.fit: min_df=5 is larger than the number of documents \(3\)"):
        data.BagOfWords(min_df=5).fit(docs)
    with pytest.raises(ValueError, match=r"no token appears in min_df=3 documents \(the most common appears in 2\)"):
        data.BagOfWords(min_df=3).fit(docs)
    assert data.BagOfWords(min_df=2).fit(docs).vocabulary_ == {"bad": 0, "movie": 1}
    with pytest.raises(ValueError, match=r"min_df must be an int >= 1, got True"):
        data.BagOfWords(min_df=True)


# ---- hyper-parameters named by the function that takes them -------------------------------------

@pytest.mark.parametrize(("kw", "msg"), [
    ({"lr": float("inf")}, r"lr must be a finite number >= 0, got inf"),
    ({"weight_decay": float("inf")}, r"weight_decay must be a finite number >= 0, got inf"),
    ({"seed": "a"}, r"seed must be None, an int >= 0 or a numpy Generator, got 'a'"),
    ({"seed": -1}, r"seed must be None, an int >= 0 or a numpy Generator, got -1"),
])
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_estimator_hyperparameters_named_by_the_estimator(cls, kw, msg):
    with pytest.raises(ValueError, match=rf"^{cls.__name__}: {msg}"):
        cls(**kw).fit(np.eye(4), [0, 1, 0, 1])


@pytest.mark.parametrize(("kw", "msg"), [
    ({"dim": -1}, r"dim must be an int >= 1, got -1"),
    ({"hidden_dim": "a"}, r"hidden_dim must be None or an int >= 1, got 'a'"),
    ({"multiple_of": 0}, r"multiple_of must be an int >= 1, got 0"),
    ({"dropout": 2.0}, r"dropout must be a number in \[0, 1\), got 2.0"),
])
def test_feedforward_classifier_hyperparameters(kw, msg):
    with pytest.raises(ValueError, match=rf"^FeedForwardClassifier: {msg}"):
        FeedForwardClassifier(**kw).fit(np.eye(4), [0, 1, 0, 1])


def test_estimator_accepts_a_generator_seed():
    rng = np.random.default_rng(0)
    LogisticRegression(epochs=1, seed=rng).fit(np.eye(4), [0, 1, 0, 1])


def test_optimizer_flags_must_be_bool():
    p = tg.Value(np.ones(2))
    with pytest.raises(TypeError, match=r"Adam: amsgrad must be True or False, got 'no'"):
        optim.Adam([p], amsgrad="no")
    with pytest.raises(TypeError, match=r"SGD: nesterov must be True or False, got 'no'"):
        optim.SGD([p], lr=0.1, momentum=0.9, nesterov="no")
    with pytest.raises(TypeError, match=r"Adagrad: check_finite must be True or False, got 0"):
        optim.Adagrad([p], check_finite=0)


@pytest.mark.parametrize(("call", "err", "msg"), [
    (lambda x: F.softplus(x, beta=0), ValueError, r"softplus: beta must be a nonzero finite number, got 0"),
    (lambda x: F.softplus(x, beta="a"), TypeError, r"softplus: beta must be a number, got str 'a'"),
    (lambda x: F.softplus(x, threshold=float("nan")), ValueError, r"softplus: threshold must be a finite number"),
    (lambda x: F.swish(x, beta=float("nan")), ValueError, r"swish: beta must be a finite number, got nan"),
    (lambda x: F.swish(x, beta="2"), TypeError, r"swish: beta must be a number, got str '2'"),
    (lambda x: F.leaky_relu(x, negative_slope=None), TypeError, r"leaky_relu: negative_slope must be a number"),
    (lambda x: F.elu(x, alpha=float("inf")), ValueError, r"elu: alpha must be a finite number, got inf"),
])
def test_activation_parameters_named(call, err, msg):
    with pytest.raises(err, match=msg):
        call(tg.Value(np.array([-1.0, 2.0])))


def test_activation_parameters_numpy_scalars_and_infinite_threshold():
    x = tg.Value(np.array([-1.0, 2.0]))
    np.testing.assert_allclose(F.swish(x, np.float32(2)).data, F.swish(x, 2.0).data)
    np.testing.assert_allclose(F.softplus(x, threshold=float("inf")).data, np.log1p(np.exp(x.data)))
    np.testing.assert_allclose(F.elu(x, np.int64(2)).data, [2 * np.expm1(-1.0), 2.0])


# ---- ragged / mismatched inputs ------------------------------------------------------------------

def test_ragged_inputs_named():
    with pytest.raises(ValueError, match=r"entropy: the rows have different lengths"):
        info.entropy([[0.5, 0.5], [1.0]])
    with pytest.raises(ValueError, match=r"load_state_dict\(Linear\): 'weight' is ragged.*nothing was changed"):
        nn.Linear(2, 2).load_state_dict({"weight": [[1.0, 2.0], [3.0]], "bias": [0.0, 0.0]})
    with pytest.raises(ValueError, match=r"kl_divergence: p of shape \(2,\) and q of shape \(3,\) do not match"):
        info.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])


def test_data_generators_name_bad_arguments():
    with pytest.raises(ValueError, match=r"make_blobs: centers must be an int or an array of shape \(k, n_features\), got 'a'"):
        data.make_blobs(10, centers="a")
    with pytest.raises(ValueError, match=r"make_moons: noise must be a finite number >= 0, got inf"):
        data.make_moons(10, noise=float("inf"))
    for make in (data.make_moons, data.make_blobs, data.make_spirals):
        with pytest.raises(ValueError, match=rf"{make.__name__}: seed must be None, an int >= 0"):
            make(10, seed="x")
    with pytest.raises(ValueError, match=r"minibatches: seed must be"):
        list(data.minibatches(np.eye(4), seed=1.5))
    with pytest.raises(ValueError, match=r"BagOfWords\.fit: got no documents"):
        data.BagOfWords().fit([])
