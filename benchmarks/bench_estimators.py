"""Accuracy of the four linear estimators on the UCI digits, next to scikit-learn's (issue 4).

The same split (25 % test, stratified, seed 0) and standardisation for everyone. scikit-learn
comes from the ``bench`` extra; without it only tinygrad_cn's figures are printed.

Run: ``.venv/bin/python -m benchmarks.bench_estimators``.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np

from tinygrad_cn import data
from tinygrad_cn.models import LinearSVM, LogisticRegression, Perceptron, SoftmaxRegression


def split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X, y = data.load_digits()
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
    scaler = data.StandardScaler().fit(X_tr)
    return scaler.transform(X_tr), scaler.transform(X_te), y_tr, y_te


def sklearn_models() -> dict[str, Any] | None:
    try:
        from sklearn.linear_model import LogisticRegression as SkLogistic
        from sklearn.linear_model import Perceptron as SkPerceptron
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.svm import LinearSVC
    except ImportError:
        return None
    return {
        "LogisticRegression": ("OneVsRest(LogisticRegression)", OneVsRestClassifier(SkLogistic(max_iter=1000))),
        "SoftmaxRegression": ("LogisticRegression (multinomial)", SkLogistic(max_iter=1000)),
        "Perceptron": ("Perceptron", SkPerceptron(random_state=0)),
        # the same loss as ours (plain hinge; LinearSVC's default is the squared hinge)
        "LinearSVM": ("LinearSVC(C=1, loss='hinge')", LinearSVC(C=1.0, loss="hinge", max_iter=10_000, random_state=0)),
    }


def fit_score(model: Any, X_tr: np.ndarray, y_tr: np.ndarray, X_te: np.ndarray, y_te: np.ndarray) -> tuple:
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's convergence warnings
        model.fit(X_tr, y_tr)
    seconds = time.perf_counter() - t
    return model.score(X_tr, y_tr), model.score(X_te, y_te), seconds


def main() -> None:
    X_tr, X_te, y_tr, y_te = split()
    ours = {
        "LogisticRegression": LogisticRegression(epochs=50),
        "SoftmaxRegression": SoftmaxRegression(epochs=50),
        "Perceptron": Perceptron(epochs=50),
        "LinearSVM": LinearSVM(C=1.0, epochs=50),
    }
    theirs = sklearn_models()
    print(f"\n## digits: {len(X_tr)} train / {len(X_te)} test, 64 features, 10 classes (standardised)")
    cols = f"{'train':>7} {'test':>7} {'fit s':>7}"
    print(f"  {'tinygrad_cn':<20} {cols}   {'scikit-learn':<34} {cols}")
    for name, model in ours.items():
        tr, te, s = fit_score(model, X_tr, y_tr, X_te, y_te)
        line = f"  {name:<20} {tr:7.2%} {te:7.2%} {s:7.2f}"
        if theirs is not None:
            label, sk = theirs[name]
            str_, ste, ss = fit_score(sk, X_tr, y_tr, X_te, y_te)
            line += f"   {label:<34} {str_:7.2%} {ste:7.2%} {ss:7.2f}"
        print(line)
    if theirs is None:
        print("  (scikit-learn is not installed: pip install -e '.[bench]' to compare)")
    print("  tinygrad_cn: 50 epochs of minibatch SGD (batch 32, lr 0.1); one-vs-rest except SoftmaxRegression")


if __name__ == "__main__":
    main()
