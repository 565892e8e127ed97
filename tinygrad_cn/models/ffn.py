"""A small classifier built around the notes' SwiGLU ``FeedForward``, as a scikit-learn-style estimator.

    h = embed(x)                    Linear(n_features → dim)
    h = h + FeedForward(h)          w2(silu(w1 h) ⊙ w3 h), a residual block as in LLaMA
    s = head(h)                     Linear(dim → n_classes), trained with cross-entropy

Unlike the linear classifiers it bends its decision boundary, so it separates the spirals.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .. import nn
from ..engine.value import Value
from .base import Estimator


class SwiGLUNet(nn.Module):
    """embed → x + FeedForward(x) → head (see the module docstring)."""

    def __init__(
        self, n_features: int, n_classes: int, dim: int, hidden_dim: int | None, multiple_of: int,
        dropout: float, dtype: np.dtype, generator: np.random.Generator,
    ) -> None:
        self.embed = nn.Linear(n_features, dim, dtype=dtype, generator=generator)
        self.ffn = nn.FeedForward(dim, hidden_dim, multiple_of, dropout, dtype=dtype, generator=generator)
        self.head = nn.Linear(dim, n_classes, dtype=dtype, generator=generator)

    def forward(self, x: Any) -> Value:
        h = self.embed(x)
        h = h + self.ffn(h)
        return self.head(h)


class FeedForwardClassifier(Estimator):
    """Classifier with one SwiGLU ``FeedForward`` block (see the module docstring); softmax +
    cross-entropy on top, Adam by default. ``module_`` is the trained :class:`SwiGLUNet`.

    >>> from tinygrad_cn.data import make_spirals
    >>> X, y = make_spirals(300, n_classes=3, noise=0.1, seed=0)
    >>> clf = FeedForwardClassifier(epochs=60, seed=0).fit(X, y)
    >>> clf.score(X, y) > 0.9, clf.predict_proba(X[:2]).shape
    (True, (2, 3))
    """

    def __init__(
        self,
        dim: int = 32,
        hidden_dim: int | None = None,
        multiple_of: int = 16,
        dropout: float = 0.0,
        lr: float = 0.01,
        epochs: int = 100,
        batch_size: int = 32,
        optimizer: str = "adam",
        weight_decay: float = 0.0,
        seed: int | None = 0,
        verbose: bool = False,
    ) -> None:
        self.dim = dim
        self.hidden_dim = hidden_dim
        self.multiple_of = multiple_of
        self.dropout = dropout
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.seed = seed
        self.verbose = verbose

    def _check_hyperparams(self) -> None:
        super()._check_hyperparams()
        who = type(self).__name__
        for name in ("dim", "multiple_of", "hidden_dim"):
            v = getattr(self, name)
            if name == "hidden_dim" and v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                none = "None or " if name == "hidden_dim" else ""
                raise ValueError(f"{who}: {name} must be {none}an int >= 1, got {v!r}")
        d = self.dropout
        if isinstance(d, bool) or not isinstance(d, (int, float, np.integer, np.floating)) or not 0 <= d < 1:
            raise ValueError(f"{who}: dropout must be a number in [0, 1), got {d!r}")

    def _init_params(self, d: int, k: int, dtype: np.dtype, rng: np.random.Generator) -> list[Value]:
        self.module_ = SwiGLUNet(d, k, self.dim, self.hidden_dim, self.multiple_of, self.dropout, dtype, rng)
        if self.dropout:
            self.module_.ffn.dropout = nn.Dropout(self.dropout, seed=int(rng.integers(2**31)))
        return self.module_.parameters()

    def _targets(self, codes: np.ndarray, k: int, dtype: np.dtype) -> np.ndarray:
        return codes

    def _forward(self, X: np.ndarray) -> Value:
        return self.module_(X)

    def _loss(self, scores: Value, targets: np.ndarray, n_total: int) -> Value:
        return F.cross_entropy(scores, targets)

    def fit(self, X: Any, y: Any) -> FeedForwardClassifier:
        super().fit(X, y)
        self.module_.eval()  # dropout off for predictions
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """The logits, shape (n, k)."""
        return self._scores(X, "decision_function")

    def predict(self, X: Any) -> np.ndarray:
        idx = self._scores(X, "predict").argmax(axis=1)
        return self.classes_[idx]

    def predict_proba(self, X: Any) -> np.ndarray:
        return F.softmax(Value(self._scores(X, "predict_proba"), requires_grad=False), axis=1).data
