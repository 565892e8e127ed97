"""models: the four linear classifiers and the SwiGLU classifier, scikit-learn style."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_cn import data
from tinygrad_cn.models import (
    FeedForwardClassifier,
    LinearSVM,
    LogisticRegression,
    NotFittedError,
    Perceptron,
    SoftmaxRegression,
)

LINEAR = [LogisticRegression, SoftmaxRegression, Perceptron, LinearSVM]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.fixture(scope="module")
def blobs3():
    return data.make_blobs(150, centers=[[0, 0], [5, 5], [0, 5]], std=0.7, seed=0)


@pytest.fixture(scope="module")
def digits():
    X, y = data.load_digits()
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
    scaler = data.StandardScaler().fit(X_tr)
    return scaler.transform(X_tr), scaler.transform(X_te), y_tr, y_te


@pytest.mark.parametrize("cls", LINEAR)
def test_binary_fit_predict_shapes(cls):
    X, y = data.make_blobs(80, centers=[[-2, -2], [2, 2]], std=0.6, seed=1)
    clf = cls(epochs=15)
    assert clf.fit(X, y) is clf
    assert clf.classes_.tolist() == [0, 1]
    assert clf.coef_.shape == (1, 2) and clf.intercept_.shape == (1,)
    assert clf.decision_function(X).shape == (80,)
    assert clf.score(X, y) == 1.0
    assert len(clf.loss_history_) == 15 and clf.loss_history_[-1] < clf.loss_history_[0]
    # the decision function is x·coef_ᵀ + intercept_, and its sign gives classes_[1]
    s = clf.decision_function(X)
    np.testing.assert_allclose(s, X @ clf.coef_[0] + clf.intercept_[0], rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[(s > 0).astype(int)])


@pytest.mark.parametrize("cls", LINEAR)
def test_multiclass_and_any_hashable_labels(cls, blobs3):
    X, y = blobs3
    names = np.array(["zebra", "ant", "moth"])[y]
    clf = cls(epochs=20).fit(X, names)
    assert clf.classes_.tolist() == ["ant", "moth", "zebra"]  # sorted
    assert clf.coef_.shape == (3, 2) and clf.intercept_.shape == (3,)
    assert clf.decision_function(X).shape == (150,  3)
    assert clf.score(X, names) >= 0.95
    assert set(clf.predict(X).tolist()) <= {"ant", "moth", "zebra"}
    tuples = [("class", int(v)) for v in y]  # tuples are hashable labels too
    clf2 = cls(epochs=20).fit(X, tuples)
    assert clf2.classes_.tolist() == [("class", 0), ("class", 1), ("class", 2)]
    assert clf2.predict(X[:1])[0] == tuples[0] and clf2.score(X, tuples) >= 0.95


@pytest.mark.parametrize("cls", [LogisticRegression, SoftmaxRegression])
def test_predict_proba_columns_follow_classes(cls, blobs3):
    X, y = blobs3
    labels = np.array([30, 10, 20])[y]
    clf = cls(epochs=20).fit(X, labels)
    P = clf.predict_proba(X)
    assert P.shape == (150, 3)
    np.testing.assert_allclose(P.sum(axis=1), 1)
    np.testing.assert_array_equal(clf.classes_[P.argmax(1)], clf.predict(X))
    assert (clf.classes_[P.argmax(1)] == labels).mean() >= 0.95
    X2, y2 = data.make_blobs(60, centers=[[-2, 0], [2, 0]], std=0.5, seed=3)
    b = cls(epochs=10).fit(X2, np.where(y2 == 1, "yes", "no"))
    P2 = b.predict_proba(X2)
    assert P2.shape == (60, 2)
    np.testing.assert_allclose(P2[:, 1], sigmoid(b.decision_function(X2)), rtol=1e-6)  # column 1 = classes_[1]


def test_softmax_binary_reports_log_odds_coef():
    X, y = data.make_blobs(60, centers=[[-2, 0], [2, 0]], std=0.5, seed=3)
    clf = SoftmaxRegression(epochs=10).fit(X, y)
    assert clf.coef_.shape == (1, 2) and clf.intercept_.shape == (1,)
    log_odds = np.log(clf.predict_proba(X)[:, 1] / clf.predict_proba(X)[:, 0])
    np.testing.assert_allclose(X @ clf.coef_[0] + clf.intercept_[0], log_odds, rtol=1e-6, atol=1e-9)


def test_logistic_step_is_the_textbook_gradient():
    """One full-batch SGD step: W ← W − lr·Xᵀ(σ(XW + b) − t)/n, b ← b − lr·mean(σ(XW + b) − t)."""
    X, y = data.make_moons(40, noise=0.2, seed=0)
    lr = 0.3
    clf = LogisticRegression(lr=lr, epochs=1, batch_size=40, seed=5).fit(X, y)
    W0 = np.random.default_rng(5).normal(0.0, 0.01, size=(1, 2)).T  # the estimator's seeded init (coef_ layout)
    r = sigmoid(X @ W0) - y[:, None]
    np.testing.assert_allclose(clf.coef_, (W0 - lr * X.T @ r / 40).T, rtol=1e-12)
    np.testing.assert_allclose(clf.intercept_, -lr * r.mean(0), rtol=1e-12)


def test_perceptron_step_is_rosenblatts_rule():
    """On the mistakes (y·s ≤ 0): w ← w + lr·Σ y·x / n."""
    X, y = data.make_blobs(30, centers=[[-1, -1], [1, 1]], std=1.5, seed=2)
    lr = 0.5
    clf = Perceptron(lr=lr, epochs=1, batch_size=30, seed=7).fit(X, y)
    W0 = np.random.default_rng(7).normal(0.0, 0.01, size=(1, 2)).T
    t = np.where(y == 1, 1.0, -1.0)[:, None]
    wrong = (t * (X @ W0)) <= 0
    np.testing.assert_allclose(clf.coef_, (W0 + lr * (X.T @ (t * wrong)) / 30).T, rtol=1e-12)
    np.testing.assert_allclose(clf.intercept_, lr * (t * wrong).sum(0) / 30, rtol=1e-12)


def test_svm_step_includes_the_l2_penalty():
    """L = mean hinge + ½·α‖w‖², α = 1/(C·n): w ← w − lr·(−Σ_{y·s<1} y·x / n + α·w)."""
    X, y = data.make_blobs(30, centers=[[-1, -1], [1, 1]], std=1.0, seed=4)
    lr, C = 0.2, 0.05
    clf = LinearSVM(C=C, lr=lr, epochs=1, batch_size=30, seed=3).fit(X, y)
    W0 = np.random.default_rng(3).normal(0.0, 0.01, size=(1, 2)).T
    t = np.where(y == 1, 1.0, -1.0)[:, None]
    inside = (t * (X @ W0)) < 1
    grad = -(X.T @ (t * inside)) / 30 + W0 / (C * 30)
    np.testing.assert_allclose(clf.coef_, (W0 - lr * grad).T, rtol=1e-12)
    # a smaller C (stronger penalty) gives a smaller ‖w‖, i.e. a wider margin 2/‖w‖
    Xb, yb = data.make_blobs(100, centers=[[-2, -2], [2, 2]], std=1.0, seed=0)
    wide = LinearSVM(C=0.001, epochs=30).fit(Xb, yb)
    narrow = LinearSVM(C=100.0, epochs=30).fit(Xb, yb)
    assert np.linalg.norm(wide.coef_) < np.linalg.norm(narrow.coef_)


def test_softmax_regression_on_digits_reaches_95_percent(digits):
    X_tr, X_te, y_tr, y_te = digits
    clf = SoftmaxRegression(epochs=30, seed=0).fit(X_tr, y_tr)
    assert clf.score(X_te, y_te) >= 0.95
    assert clf.coef_.shape == (10, 64)


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adagrad"])
def test_optimizers_and_seeds(optimizer, blobs3):
    X, y = blobs3
    lr = 0.1 if optimizer != "adam" else 0.05
    a = SoftmaxRegression(lr=lr, epochs=5, optimizer=optimizer, seed=1).fit(X, y)
    b = SoftmaxRegression(lr=lr, epochs=5, optimizer=optimizer, seed=1).fit(X, y)
    c = SoftmaxRegression(lr=lr, epochs=5, optimizer=optimizer, seed=2).fit(X, y)
    assert np.array_equal(a.coef_, b.coef_) and a.loss_history_ == b.loss_history_
    assert not np.array_equal(a.coef_, c.coef_)
    assert a.score(X, y) >= 0.9


def test_float32_input_trains_in_float32():
    X, y = data.make_blobs(40, centers=[[-2, 0], [2, 0]], std=0.5, seed=0)
    clf = LogisticRegression(epochs=3).fit(X.astype(np.float32), y)
    assert clf.coef_.dtype == np.float32 and clf.decision_function(X.astype(np.float32)).dtype == np.float32


def test_weight_decay_shrinks_weights(blobs3):
    X, y = blobs3
    plain = LogisticRegression(epochs=20).fit(X, y)
    decayed = LogisticRegression(epochs=20, weight_decay=0.5).fit(X, y)
    assert np.linalg.norm(decayed.coef_) < np.linalg.norm(plain.coef_)


@pytest.mark.parametrize("cls", [*LINEAR, FeedForwardClassifier])
def test_errors(cls):
    X, y = data.make_blobs(20, centers=2, seed=0)
    with pytest.raises(NotFittedError, match=f"This {cls.__name__} instance is not fitted yet"):
        cls().predict(X)
    with pytest.raises(ValueError, match="X has 20 samples but y has 19 labels"):
        cls().fit(X, y[:-1])
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"X contains nan at row 3, column 1"):
        cls().fit(bad, y)
    with pytest.raises(ValueError, match=r"at least two classes.*only one class: 'a'"):
        cls().fit(X, ["a"] * 20)
    with pytest.raises(ValueError, match=r"X must be 2-D .*X\.reshape"):
        cls().fit(X[:, 0], y)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        cls(optimizer="rmsprop").fit(X, y)
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        cls(epochs=0).fit(X, y)
    clf = cls(epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=f"X has 3 features, but {cls.__name__} was fitted with 2 features"):
        clf.predict(np.ones((2, 3)))
    with pytest.raises(TypeError, match="labels of mixed types"):
        cls().fit(X, [1, "a"] * 10)
    assert isinstance(NotFittedError("x"), AttributeError)  # hasattr(clf, "coef_") is False before fit
    assert not hasattr(cls(), "coef_") or cls is FeedForwardClassifier


def test_divergence_is_reported():
    X, y = data.make_moons(40, noise=0.3, seed=0)
    with pytest.raises(FloatingPointError, match=r"training diverged in epoch .*smaller lr than 1e\+307"):
        LinearSVM(lr=1e307, epochs=5).fit(X, y)


def test_params_and_repr():
    clf = LinearSVM(C=2.0, epochs=7)
    assert clf.get_params()["C"] == 2.0 and clf.get_params()["epochs"] == 7
    assert repr(clf) == "LinearSVM(C=2.0, epochs=7)"
    assert clf.set_params(lr=0.5).lr == 0.5
    with pytest.raises(ValueError, match="unknown parameter 'alpha'"):
        clf.set_params(alpha=1)


def test_feedforward_classifier_bends_where_linear_models_fail():
    X, y = data.make_spirals(300, n_classes=3, noise=0.1, seed=0)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
    linear = SoftmaxRegression(epochs=30).fit(X_tr, y_tr)
    ffn = FeedForwardClassifier(epochs=80, seed=0).fit(X_tr, y_tr)
    assert linear.score(X_te, y_te) < 0.7
    assert ffn.score(X_te, y_te) >= 0.95
    assert ffn.predict_proba(X_te).shape == (75, 3) and ffn.decision_function(X_te).shape == (75, 3)
    assert [n for n, _ in ffn.module_.named_parameters()][:3] == ["embed.weight", "embed.bias", "ffn.w1.weight"]
    drop = FeedForwardClassifier(epochs=2, dropout=0.2).fit(X_tr, y_tr)
    assert not drop.module_.training  # predictions run without dropout


def test_failed_refit_keeps_the_previous_fit():
    """SPEC "State on failure" (tests/test_state_on_failure.py has the full set)."""
    X, y = data.make_moons(40, noise=0.3, seed=0)
    clf = LinearSVM(epochs=2).fit(X, y)
    pred = clf.predict(X)
    clf.set_params(lr=1e307, epochs=5)
    with pytest.raises(FloatingPointError):
        clf.fit(X, y)
    assert np.array_equal(clf.predict(X), pred)
