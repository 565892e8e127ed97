"""The notes' linear classifiers as scikit-learn-style estimators, each trained by this engine:
scores s = x·W + b, a decision rule g, and a loss that says how wrong s is.

- ``LogisticRegression``: P(y = 1 | x) = σ(s); loss binary cross-entropy (with logits).
- ``SoftmaxRegression``: P(y = c | x) = softmax(s)_c; loss cross-entropy.
- ``Perceptron``: predict sign(s); perceptron criterion max(0, −y·s).
- ``LinearSVM``: predict sign(s); hinge max(0, 1 − y·s) plus an L2 penalty (the margin).

With k > 2 classes, LogisticRegression, Perceptron and LinearSVM train one-vs-rest: one column of
W per class, "this class" (+1) against the rest (−1); SoftmaxRegression is multinomial.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from ..engine.value import Value
from ..nn.linear import linear
from .base import Estimator


class _Linear(Estimator):
    """Scores X·Wᵀ + b with W of shape (n_outputs, n_features), the layout of ``coef_``; one
    output for two classes."""

    def __init__(
        self,
        lr: float = 0.1,
        epochs: int = 50,
        batch_size: int = 32,
        optimizer: str = "sgd",
        weight_decay: float = 0.0,
        seed: int | None = 0,
        verbose: bool = False,
    ) -> None:
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.seed = seed
        self.verbose = verbose

    def _n_outputs(self, k: int) -> int:
        return 1 if k == 2 else k

    def _init_params(self, d: int, k: int, dtype: np.dtype, rng: np.random.Generator) -> list[Value]:
        m = self._n_outputs(k)
        # small random weights (not zeros): every one-vs-rest column starts different
        self._W = Value(rng.normal(0.0, 0.01, size=(m, d)).astype(dtype), label="W")
        self._b = Value(np.zeros(m, dtype=dtype), label="b")
        return [self._W, self._b]

    def _forward(self, X: np.ndarray) -> Value:
        # one fused op x·Wᵀ + b; X is a plain ndarray, a constant: no gradient is computed for it
        return linear(X, self._W, self._b)

    def _pm1(self, codes: np.ndarray, k: int, dtype: np.dtype) -> np.ndarray:
        """Targets in {−1, +1}: column c is +1 for class c (binary: +1 for classes_[1])."""
        if k == 2:
            return np.where(codes == 1, 1, -1).astype(dtype).reshape(-1, 1)
        return np.where(codes[:, None] == np.arange(k), 1, -1).astype(dtype)

    # ---- fitted attributes ---------------------------------------------------------------------
    @property
    def coef_(self) -> np.ndarray:
        """Weights, shape (1, n_features) for two classes, (k, n_features) for k > 2."""
        self._check_fitted()
        return self._W.data.copy()

    @property
    def intercept_(self) -> np.ndarray:
        """Biases, shape (1,) for two classes, (k,) for k > 2."""
        self._check_fitted()
        return self._b.data.copy()

    def decision_function(self, X: Any) -> np.ndarray:
        """Scores x·coef_ᵀ + intercept_: shape (n,) for two classes (> 0 means classes_[1]), else (n, k)."""
        s = self._scores(X, "decision_function")
        return s[:, 0] if s.shape[1] == 1 else s

    def predict(self, X: Any) -> np.ndarray:
        """The predicted class of each sample (values from ``classes_``)."""
        s = self.decision_function(X)
        idx = (s > 0).astype(np.int64) if s.ndim == 1 else s.argmax(axis=1)
        return self.classes_[idx]


class LogisticRegression(_Linear):
    """Logistic regression: P(y = classes_[1] | x) = σ(x·w + b), trained by minimising binary
    cross-entropy (fused with σ: ``F.binary_cross_entropy_with_logits``); its gradient per sample is
    (σ(s) − t)·x. k > 2 classes: one-vs-rest.

    >>> from tinygrad_cn.data import make_moons
    >>> X, y = make_moons(200, noise=0.1, seed=0)
    >>> clf = LogisticRegression(lr=0.5, epochs=30, seed=0).fit(X, y)
    >>> clf.coef_.shape, clf.predict_proba(X[:2]).shape, clf.score(X, y) > 0.8
    ((1, 2), (2, 2), True)
    """

    def _targets(self, codes: np.ndarray, k: int, dtype: np.dtype) -> np.ndarray:
        return (self._pm1(codes, k, dtype) > 0).astype(dtype)  # 0/1 per column

    def _loss(self, scores: Value, targets: np.ndarray, n_total: int) -> Value:
        # summed over the one-vs-rest columns, averaged over the batch
        return F.binary_cross_entropy_with_logits(scores, targets, reduction="sum") * (1.0 / len(targets))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, one column per class in ``classes_`` order (one-vs-rest: the k
        sigmoids normalised to sum to 1, as scikit-learn)."""
        s = self._scores(X, "predict_proba")
        p = F.sigmoid(Value(s, requires_grad=False)).data
        if p.shape[1] == 1:
            return np.concatenate([1 - p, p], axis=1)
        return p / p.sum(axis=1, keepdims=True)


class SoftmaxRegression(_Linear):
    """Softmax (multinomial logistic) regression: P(y = c | x) = softmax(x·W + b)_c, trained by
    minimising cross-entropy (fused with softmax: ``F.cross_entropy``), whose gradient per sample is
    (softmax(s) − onehot(y))·x. For two classes ``coef_`` is reported as (1, d), the log-odds
    w₁ − w₀, as scikit-learn.

    >>> from tinygrad_cn.data import make_blobs
    >>> X, y = make_blobs(150, centers=[[0, 0], [4, 4], [0, 4]], std=0.5, seed=0)
    >>> names = np.array(["cat", "dog", "fish"])[y]           # any hashable labels
    >>> clf = SoftmaxRegression(epochs=20).fit(X, names)
    >>> clf.classes_.tolist(), clf.coef_.shape, clf.predict(X[:3]).tolist() == names[:3].tolist()
    (['cat', 'dog', 'fish'], (3, 2), True)
    >>> round(float(clf.predict_proba(X[:1]).sum()), 6), clf.score(X, names)
    (1.0, 1.0)
    """

    def _n_outputs(self, k: int) -> int:
        return k

    def _targets(self, codes: np.ndarray, k: int, dtype: np.dtype) -> np.ndarray:
        return codes

    def _loss(self, scores: Value, targets: np.ndarray, n_total: int) -> Value:
        return F.cross_entropy(scores, targets)

    @property
    def coef_(self) -> np.ndarray:
        W = super().coef_
        return W[1:] - W[:1] if len(W) == 2 else W

    @property
    def intercept_(self) -> np.ndarray:
        b = super().intercept_
        return b[1:] - b[:1] if len(b) == 2 else b

    def decision_function(self, X: Any) -> np.ndarray:
        s = self._scores(X, "decision_function")
        return s[:, 1] - s[:, 0] if s.shape[1] == 2 else s

    def predict(self, X: Any) -> np.ndarray:
        idx = self._scores(X, "predict").argmax(axis=1)
        return self.classes_[idx]

    def predict_proba(self, X: Any) -> np.ndarray:
        """softmax(x·W + b): one column per class in ``classes_`` order, rows summing to 1."""
        s = self._scores(X, "predict_proba")
        return F.softmax(Value(s, requires_grad=False), axis=1).data


class Perceptron(_Linear):
    """The perceptron: predict sign(x·w + b), trained on the perceptron criterion
    max(0, −y·s) with y ∈ {−1, +1}; its gradient step is Rosenblatt's rule w += lr·y·x on each
    mistake (averaged over the batch). k > 2 classes: one-vs-rest.

    >>> from tinygrad_cn.data import make_blobs
    >>> X, y = make_blobs(100, centers=[[-2, -2], [2, 2]], std=0.5, seed=0)
    >>> Perceptron(epochs=10).fit(X, y).score(X, y)
    1.0
    """

    def _targets(self, codes: np.ndarray, k: int, dtype: np.dtype) -> np.ndarray:
        return self._pm1(codes, k, dtype)

    def _loss(self, scores: Value, targets: np.ndarray, n_total: int) -> Value:
        return F.perceptron_loss(scores, targets, reduction="sum") * (1.0 / len(targets))


class LinearSVM(_Linear):
    """A linear support vector machine trained by (sub)gradient descent on the primal objective

        L(w, b) = mean_i max(0, 1 − yᵢ·(xᵢ·w + b)) + ½·α·‖w‖²,   α = 1 / (C·n_samples),

    which is the objective ½‖w‖² + C·Σᵢ hinge divided by C·n: scikit-learn's
    ``LinearSVC(loss="hinge")``, except that LinearSVC also penalises its intercept (and its default
    loss is the squared hinge). A smaller C means a stronger penalty and a wider margin (2/‖w‖). The
    bias is not penalised. k > 2 classes: one-vs-rest.

    >>> from tinygrad_cn.data import make_blobs
    >>> X, y = make_blobs(100, centers=[[-2, -2], [2, 2]], std=0.5, seed=0)
    >>> svm = LinearSVM(C=1.0, epochs=20).fit(X, y)
    >>> svm.score(X, y), svm.decision_function(X[:3]).shape
    (1.0, (3,))
    """

    def __init__(
        self,
        C: float = 1.0,
        lr: float = 0.1,
        epochs: int = 50,
        batch_size: int = 32,
        optimizer: str = "sgd",
        weight_decay: float = 0.0,
        seed: int | None = 0,
        verbose: bool = False,
    ) -> None:
        super().__init__(lr, epochs, batch_size, optimizer, weight_decay, seed, verbose)
        self.C = C

    def _check_hyperparams(self) -> None:
        super()._check_hyperparams()
        if isinstance(self.C, bool) or not isinstance(self.C, (int, float)) or not self.C > 0:
            raise ValueError(f"LinearSVM: C must be a number > 0, got {self.C!r}")

    def _targets(self, codes: np.ndarray, k: int, dtype: np.dtype) -> np.ndarray:
        return self._pm1(codes, k, dtype)

    def _loss(self, scores: Value, targets: np.ndarray, n_total: int) -> Value:
        hinge = F.hinge_loss(scores, targets, reduction="sum") * (1.0 / len(targets))
        alpha = 1.0 / (self.C * n_total)
        return hinge + (self._W * self._W).sum() * (0.5 * alpha)
