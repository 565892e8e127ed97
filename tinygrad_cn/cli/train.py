"""``tinygrad-cn train MODEL``: train one of the classifiers on a bundled data set and print the
train/test accuracy. The CLI's main parser calls :func:`add_arguments` and :func:`run`."""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

MODELS = ("logistic", "softmax", "perceptron", "svm", "ffn")
DATASETS = ("moons", "blobs", "spirals", "digits", "sentiment", "spam")

# model -> (estimator class name, default data set, default hyper-parameters)
DEFAULTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "logistic": ("LogisticRegression", "moons", {"lr": 0.1, "epochs": 50}),
    "softmax": ("SoftmaxRegression", "digits", {"lr": 0.1, "epochs": 30}),
    "perceptron": ("Perceptron", "blobs", {"lr": 0.1, "epochs": 30}),
    "svm": ("LinearSVM", "blobs", {"lr": 0.1, "epochs": 30}),
    "ffn": ("FeedForwardClassifier", "spirals", {"lr": 0.01, "epochs": 100, "optimizer": "adam"}),
}

TEXT = {
    "zh": {
        "data": "数据集 {name}：训练 {n_train} 个样本，测试 {n_test} 个样本，{d} 个特征，{k} 个类别",
        "model": "模型：{model}",
        "train_acc": "训练集准确率：{acc:.2%}",
        "test_acc": "测试集准确率：{acc:.2%}",
        "time": "训练用时 {s:.2f} 秒（{epochs} 轮）",
        "loss": "最终训练损失：{loss:.4f}",
        "error": "错误：{msg}",
    },
    "en": {
        "data": "data set {name}: {n_train} training samples, {n_test} test samples, {d} features, {k} classes",
        "model": "model: {model}",
        "train_acc": "train accuracy: {acc:.2%}",
        "test_acc": "test accuracy:  {acc:.2%}",
        "time": "trained in {s:.2f} s ({epochs} epochs)",
        "loss": "final training loss: {loss:.4f}",
        "error": "error: {msg}",
    },
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``train`` sub-command's arguments to ``parser``."""
    parser.add_argument("model", choices=MODELS, help="which classifier to train / 训练哪个分类器")
    parser.add_argument("--dataset", choices=DATASETS, default=None,
                        help="data set (default: moons / digits / blobs / blobs / spirals by model) / 数据集")
    parser.add_argument("--epochs", type=int, default=None, help="passes over the training set / 训练轮数")
    parser.add_argument("--lr", type=float, default=None, help="learning rate / 学习率")
    parser.add_argument("--batch-size", type=int, default=32, help="minibatch size / 小批量大小 (default 32)")
    parser.add_argument("--optimizer", choices=("sgd", "adam", "adagrad"), default=None, help="optimizer / 优化器")
    parser.add_argument("--seed", type=int, default=0, help="random seed for data, split and training / 随机种子")
    parser.add_argument("--test-size", type=float, default=0.25, help="fraction held out for testing / 测试集比例")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="output language / 输出语言")


def load_dataset(name: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of a bundled data set (texts become bag-of-words counts)."""
    from .. import data

    if name == "moons":
        return data.make_moons(400, noise=0.2, seed=seed)
    if name == "blobs":
        return data.make_blobs(400, centers=3, std=1.5, seed=seed)
    if name == "spirals":
        return data.make_spirals(600, n_classes=3, noise=0.2, seed=seed)
    if name == "digits":
        return data.load_digits()
    texts, labels = data.load_sentiment() if name == "sentiment" else data.load_spam()
    return data.BagOfWords(binary=True).fit_transform(texts), labels


def run(args: argparse.Namespace) -> int:
    """Train ``args.model`` on ``args.dataset``, print progress and the final accuracies; 0 on success."""
    import sys

    from .. import data, models

    text = TEXT[getattr(args, "lang", "zh") or "zh"]
    cls_name, default_data, defaults = DEFAULTS[args.model]
    name = getattr(args, "dataset", None) or default_data
    params = dict(defaults)
    for key in ("epochs", "lr", "optimizer"):
        if getattr(args, key, None) is not None:
            params[key] = getattr(args, key)
    seed = getattr(args, "seed", 0)
    params["batch_size"] = getattr(args, "batch_size", 32)
    params["seed"] = seed
    try:
        X, y = load_dataset(name, seed)
        X_train, X_test, y_train, y_test = data.train_test_split(
            X, y, test_size=getattr(args, "test_size", 0.25), seed=seed, stratify=True
        )
        if name not in ("sentiment", "spam"):  # word counts stay as they are; the rest is standardised
            scaler = data.StandardScaler().fit(X_train)
            X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        model = getattr(models, cls_name)(verbose=True, **params)
        print(text["data"].format(name=name, n_train=len(X_train), n_test=len(X_test), d=X.shape[1],
                                  k=len(np.unique(y))))
        print(text["model"].format(model=model))
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
    except (ValueError, TypeError, FloatingPointError) as e:
        print(text["error"].format(msg=e), file=sys.stderr)
        return 2
    print(text["time"].format(s=seconds, epochs=params["epochs"]))
    print(text["loss"].format(loss=model.loss_history_[-1]))
    print(text["train_acc"].format(acc=model.score(X_train, y_train)))
    print(text["test_acc"].format(acc=model.score(X_test, y_test)))
    return 0
