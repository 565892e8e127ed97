"""What every estimator shares: input checks, label encoding, the minibatch training loop, and
the scikit-learn conventions (``fit`` returns self, fitted attributes end in ``_``, ``get_params``)."""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from .. import optim
from ..data.batching import make_rng, minibatches
from ..engine.errors import check_positive_int
from ..engine.mode import no_grad
from ..engine.value import Value

OPTIMIZERS = ("sgd", "adam", "adagrad")


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit`` (as ``sklearn.exceptions.NotFittedError``)."""


def label_array(y: Any, who: str) -> np.ndarray:
    """Labels as a 1-D array: numbers and strings keep a numpy dtype, anything else (tuples,
    mixed types, objects) becomes an object array."""
    if isinstance(y, Value):
        y = y.data
    if isinstance(y, np.ndarray):
        if y.ndim != 1:
            raise ValueError(f"{who}: y must be 1-D (one label per sample), got shape {y.shape}")
        return y
    if isinstance(y, (str, bytes)):
        raise TypeError(f"{who}: y must be a sequence of labels, got a single {type(y).__name__}")
    try:
        labels = list(y)
    except TypeError:
        raise TypeError(f"{who}: y must be a sequence of labels, got {type(y).__name__}") from None
    kinds = {type(v) for v in labels}
    numeric = all(issubclass(t, (int, float, np.number)) and t is not bool for t in kinds)
    if labels and (numeric or kinds == {str} or kinds <= {bool, np.bool_}):
        return np.asarray(labels)
    out = np.empty(len(labels), dtype=object)
    for i, v in enumerate(labels):  # element by element: a tuple label stays one label
        out[i] = v
    return out


def encode_labels(y: np.ndarray, who: str) -> tuple[np.ndarray, np.ndarray]:
    """``(classes, codes)``: the sorted distinct labels and each sample's index into them.

    Float labels must be whole numbers (0.0, 1.0, ...): a classifier cannot learn a continuous
    target (scikit-learn: "Unknown label type: continuous")."""
    if y.dtype.kind == "f":
        bad = ~np.isfinite(y)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{who}: y contains {float(y[i])} at index {i}")
        frac = y != np.round(y)
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise ValueError(
                f"{who}: Unknown label type: continuous (y[{i}] = {float(y[i])!r} is not a whole number). "
                "These are classifiers: y must hold class labels (ints, strings, or floats such as 0.0/1.0); "
                "for a continuous target fit a regression instead"
            )
    if y.dtype != object:
        return np.unique(y, return_inverse=True)
    for i, v in enumerate(y):
        try:
            hash(v)
        except TypeError:
            raise TypeError(f"{who}: label {v!r} at index {i} is not hashable") from None
    try:
        ordered = sorted(set(y.tolist()))
    except TypeError:
        kinds = sorted({type(v).__name__ for v in y})
        raise TypeError(f"{who}: labels of mixed types {kinds} cannot be sorted into classes_") from None
    classes = np.empty(len(ordered), dtype=object)
    for i, v in enumerate(ordered):
        classes[i] = v
    index = {v: i for i, v in enumerate(ordered)}
    return classes, np.array([index[v] for v in y], dtype=np.int64)


def check_X(X: Any, who: str) -> np.ndarray:
    """Features as a 2-D float array (float32 stays float32; ints become float64), all finite."""
    if isinstance(X, Value):
        X = X.data
    try:
        X = np.asarray(X)
    except ValueError:  # numpy: "inhomogeneous shape": rows of different lengths
        raise ValueError(f"{who}: X is ragged ({_ragged(X)}); every sample needs the same number of features") from None
    if X.dtype.kind not in "biuf":
        raise TypeError(f"{who}: X must hold numbers, got dtype {X.dtype}")
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    if X.ndim != 2:
        hint = " (for a single feature use X.reshape(-1, 1))" if X.ndim == 1 else ""
        raise ValueError(f"{who}: X must be 2-D (n_samples, n_features), got shape {X.shape}{hint}")
    if X.shape[0] == 0:
        raise ValueError(f"{who}: X has no samples (shape {X.shape})")
    if X.shape[1] == 0:
        raise ValueError(f"{who}: X has no features (shape {X.shape}); at least one feature is needed")
    if not np.isfinite(X).all():
        r, c = (int(i) for i in np.argwhere(~np.isfinite(X))[0])
        raise ValueError(f"{who}: X contains {X[r, c]} at row {r}, column {c}; every feature must be finite")
    return X


def _ragged(X: Any) -> str:
    """Where a nested sequence stops being rectangular, e.g. 'row 0 has 2 values, row 1 has 1'."""
    try:
        lengths = [len(row) for row in X]
    except TypeError:
        return "its rows are not all sequences of the same length"
    first = lengths[0]
    i = next((i for i, n in enumerate(lengths) if n != first), None)
    if i is None:
        return "its rows hold sequences of different lengths"
    return f"row 0 has {first} values, row {i} has {lengths[i]}"


def progress(iterable: Iterable[int], enabled: bool, desc: str) -> Iterator[int] | Any:
    """A tqdm progress bar when ``enabled`` and tqdm is installed; otherwise the iterable itself.
    The bar shows only on a terminal (``disable=None``): in a pipe, a log file or a test's capture
    it writes nothing, so no bar remains end up among the results."""
    if not enabled:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is in the examples and dev extras
        return iterable
    sys.stdout.flush()  # what was printed before comes before the bar
    return tqdm(iterable, desc=desc, leave=False, disable=None)


class Estimator:
    """Base of the classifiers: subclasses build their parameters (``_init_params``), map the
    encoded labels to training targets (``_targets``), compute scores (``_forward``) and the loss
    (``_loss``); this class runs the training loop and the checks."""

    lr: float
    epochs: int
    batch_size: int
    optimizer: str
    weight_decay: float
    seed: int | None
    verbose: bool

    # ---- scikit-learn conventions ------------------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p.name for p in sig.parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's hyper-parameters (as scikit-learn)."""
        return {k: getattr(self, k) for k in self._param_names()}

    def set_params(self, **params: Any) -> Estimator:
        names = self._param_names()
        for k, v in params.items():
            if k not in names:
                raise ValueError(f"{type(self).__name__}.set_params: unknown parameter {k!r}; valid: {names}")
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        changed = [
            f"{k}={getattr(self, k)!r}"
            for k, p in sig.parameters.items()
            if k != "self" and p.default is not inspect.Parameter.empty and getattr(self, k) != p.default
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    # ---- checks ------------------------------------------------------------------------------
    def _check_hyperparams(self) -> None:
        who = type(self).__name__
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"{who}: optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        for name in ("epochs", "batch_size"):
            check_positive_int(getattr(self, name), name, who)
        for name in ("lr", "weight_decay"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not 0 <= v < np.inf:
                raise ValueError(f"{who}: {name} must be a finite number >= 0, got {v!r}")
        make_rng(self.seed, who)  # None, an int >= 0 or a Generator

    def _check_fitted(self) -> None:
        if not hasattr(self, "classes_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. "
                "Call 'fit' with appropriate arguments before using this estimator."
            )

    def _check_predict_X(self, X: Any, who: str) -> np.ndarray:
        self._check_fitted()
        X = check_X(X, f"{type(self).__name__}.{who}")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"{type(self).__name__}.{who}: X has {X.shape[1]} features, but {type(self).__name__} "
                f"was fitted with {self.n_features_in_} features"
            )
        return X

    # ---- training ----------------------------------------------------------------------------
    def _init_params(self, d: int, k: int, dtype: np.dtype, rng: np.random.Generator) -> list[Value]:
        raise NotImplementedError  # pragma: no cover

    def _targets(self, codes: np.ndarray, k: int, dtype: np.dtype) -> np.ndarray:
        raise NotImplementedError  # pragma: no cover

    def _forward(self, X: np.ndarray) -> Value:
        raise NotImplementedError  # pragma: no cover

    def _loss(self, scores: Value, targets: np.ndarray, n_total: int) -> Value:
        raise NotImplementedError  # pragma: no cover

    def _make_optimizer(self, params: list[Value]) -> optim.Optimizer:
        if self.optimizer == "sgd":
            return optim.SGD(params, lr=self.lr, weight_decay=self.weight_decay)
        if self.optimizer == "adam":
            return optim.Adam(params, lr=self.lr, weight_decay=self.weight_decay)
        return optim.Adagrad(params, lr=self.lr, weight_decay=self.weight_decay)

    def fit(self, X: Any, y: Any) -> Estimator:
        """Train on X (n_samples, n_features) and labels y (any hashable classes) with minibatch
        gradient descent; returns self. All or nothing: a fit that fails (bad input, divergence,
        KeyboardInterrupt) leaves the estimator exactly as it was (a previous fit stays usable)."""
        who = f"{type(self).__name__}.fit"
        self._check_hyperparams()
        X = check_X(X, who)
        y = label_array(y, who)
        if len(y) != len(X):
            raise ValueError(f"{who}: X has {len(X)} samples but y has {len(y)} labels")
        classes, codes = encode_labels(y, who)
        if len(classes) < 2:
            raise ValueError(
                f"{who}: needs samples of at least two classes, but y has only one class: {classes.tolist()[0]!r}"
            )
        # Train a fresh copy (its own parameters, optimizer and history: nothing shared with self)
        # and take its fitted attributes only when every epoch succeeded: a fit that fails
        # (divergence, KeyboardInterrupt, any error) leaves a previous fit exactly as it was.
        trainee = copy.copy(self)
        trainee._train(X, classes, codes, who)
        self.__dict__.update(trainee.__dict__)  # one dict update: all fitted attributes at once
        return self

    def _train(self, X: np.ndarray, classes: np.ndarray, codes: np.ndarray, who: str) -> None:
        """The training loop; sets the fitted attributes on ``self`` (a copy made by ``fit``)."""
        d = X.shape[1]
        k = len(classes)
        rng = make_rng(self.seed, who)
        params = self._init_params(d, k, X.dtype, rng)
        targets = self._targets(codes, k, X.dtype)
        opt = self._make_optimizer(params)
        history: list[float] = []
        bar = progress(range(self.epochs), self.verbose, type(self).__name__)
        # a diverging run overflows somewhere; it is caught below and reported as one clear error
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            try:
                for epoch in bar:
                    history.append(self._epoch(X, targets, opt, rng, epoch, who))
                    if hasattr(bar, "set_postfix"):
                        bar.set_postfix(loss=f"{history[-1]:.4f}", refresh=False)
            finally:
                if hasattr(bar, "close"):
                    bar.close()
        self.classes_ = classes
        self.n_features_in_ = d
        self.loss_history_ = history

    def _epoch(
        self, X: np.ndarray, targets: np.ndarray, opt: optim.Optimizer, rng: np.random.Generator, epoch: int, who: str
    ) -> float:
        """One pass over the shuffled training set; returns the mean loss."""
        n = len(X)
        total = 0.0
        for Xb, Tb in minibatches(X, targets, self.batch_size, shuffle=True, seed=rng):
            loss = self._loss(self._forward(Xb), Tb, n)
            value = loss.item()
            if not np.isfinite(value):
                raise FloatingPointError(
                    f"{who}: training diverged in epoch {epoch + 1}: the loss is {value}; try a smaller lr than {self.lr}"
                )
            opt.zero_grad()
            loss.backward()
            try:
                opt.step()
            except FloatingPointError as e:
                raise FloatingPointError(
                    f"{who}: training diverged in epoch {epoch + 1} (loss {value:.4g}); "
                    f"try a smaller lr than {self.lr}. {e}"
                ) from None
            total += value * len(Xb)
        return total / n

    # ---- inference ---------------------------------------------------------------------------
    def _scores(self, X: Any, who: str) -> np.ndarray:
        X = self._check_predict_X(X, who)
        with no_grad():
            return self._forward(X).data

    def score(self, X: Any, y: Any) -> float:
        """Accuracy: the fraction of samples whose predicted class equals y."""
        pred = self.predict(X)
        y = label_array(y, f"{type(self).__name__}.score")
        if len(y) != len(pred):
            raise ValueError(f"{type(self).__name__}.score: X has {len(pred)} samples but y has {len(y)} labels")
        return float(np.mean(pred == y))
