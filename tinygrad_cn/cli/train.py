"""``tinygrad-cn train MODEL``: train one of the classifiers on a bundled data set and print the
train/test accuracy. The CLI's main parser calls :func:`add_arguments` and :func:`run`."""

from __future__ import annotations

import argparse
import math
import sys
import time
from typing import Any

import numpy as np

from .messages import MSG

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

# model -> (short description zh, en)
MODEL_NAMES = {
    "logistic": ("逻辑回归", "logistic regression"),
    "softmax": ("softmax 回归", "softmax regression"),
    "perceptron": ("感知器", "perceptron"),
    "svm": ("线性 SVM", "linear SVM"),
    "ffn": ("SwiGLU 前馈网络", "SwiGLU feed-forward network"),
}
DEFAULT_OPTIMIZER = "sgd"  # the estimators' own default when DEFAULTS names none
MAX_EPOCHS = 1_000_000  # more would take days; a typo such as 99999999999999999999 gets a clear error
LOSS_TABLE_ROWS = 12  # at most this many rows in the per-epoch loss table (every k-th epoch beyond)
PLOT_SUFFIXES = (".png", ".svg", ".pdf")

# model -> (the loss it minimises, zh, en)
LOSS_NAMES = {
    "logistic": ("二元交叉熵", "binary cross-entropy"),
    "softmax": ("交叉熵", "cross-entropy"),
    "perceptron": ("感知器损失", "perceptron loss"),
    "svm": ("合页损失 + ½α‖W‖²", "hinge loss + ½α‖W‖²"),
    "ffn": ("交叉熵", "cross-entropy"),
}


def _per_model(lang: str, value) -> str:  # type: ignore[no-untyped-def]
    """"logistic → 50, softmax → 30, ..." for a function of the model name."""
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{m} → {value(m)}" for m in MODELS)


def _help(lang: str) -> dict[str, str]:
    zh = lang == "zh"
    models = ("，" if zh else ", ").join(
        f"{m}（{MODEL_NAMES[m][0]}）" if zh else m if MODEL_NAMES[m][1] == m else f"{m} ({MODEL_NAMES[m][1]})"
        for m in MODELS
    )
    dataset = _per_model(lang, lambda m: DEFAULTS[m][1])
    epochs = _per_model(lang, lambda m: DEFAULTS[m][2]["epochs"])
    lr = _per_model(lang, lambda m: DEFAULTS[m][2]["lr"])
    optimizer = _per_model(lang, lambda m: DEFAULTS[m][2].get("optimizer", DEFAULT_OPTIMIZER))
    if zh:
        return {
            "model": f"要训练的分类器：{models}",
            "dataset": f"数据集（默认随模型而定：{dataset}）",
            "epochs": f"训练轮数：把训练集完整过几遍，≥ 1（默认随模型而定：{epochs}）",
            "lr": f"学习率：每一步沿负梯度走多远，> 0（默认随模型而定：{lr}）",
            "batch_size": "小批量大小：每一步用几个样本，≥ 1（默认 32）",
            "optimizer": f"优化器（默认随模型而定：{optimizer}）",
            "seed": "随机种子：数据、划分和训练的随机性都由它决定，≥ 0（默认 0）",
            "test_size": "留作测试集的比例，在 0 和 1 之间（默认 0.25）",
            "lang": "界面语言：zh（中文，默认）或 en（English）",
            "plot": "把每轮的训练损失画成曲线，保存到 FILE（.png .svg .pdf）",
        }
    return {
        "model": f"the classifier to train: {models}",
        "dataset": f"data set (the default depends on the model: {dataset})",
        "epochs": f"epochs: passes over the training set, >= 1 (the default depends on the model: {epochs})",
        "lr": f"learning rate: how far each step goes against the gradient, > 0 (the default depends on the model: {lr})",
        "batch_size": "minibatch size: samples per step, >= 1 (default 32)",
        "optimizer": f"optimizer (the default depends on the model: {optimizer})",
        "seed": "random seed for the data, the split and the training, >= 0 (default 0)",
        "test_size": "fraction held out for testing, between 0 and 1 (default 0.25)",
        "lang": "language: zh (Chinese, the default) or en (English)",
        "plot": "also draw the training loss per epoch as a curve into FILE (.png .svg .pdf)",
    }


TEXT = {
    "zh": {
        "epilog": "例子：\n"
                  "  tinygrad-cn train softmax\n"
                  "  tinygrad-cn train logistic --dataset spam --epochs 20\n"
                  "  tinygrad-cn train ffn --epochs 200 --lr 0.005 --optimizer adam",
        "data": "数据集 {name}：训练 {n_train} 个样本，测试 {n_test} 个样本，{d} 个特征，{k} 个类别",
        "model": "模型：{model}",
        "train_acc": "训练集准确率：{acc:.2%}",
        "test_acc": "测试集准确率：{acc:.2%}",
        "time": "训练用时 {s:.2f} 秒（{epochs} 轮）",
        "loss": "最终训练损失：{loss:.4f}",
        "error": "错误：{msg}",
        "positive_int": "{option} 必须是正整数（≥ 1），现在是 {value}",
        "too_large": "{option} 最多是 {most}，现在是 {value}",
        "loss_table": "每轮的训练损失（{loss}）：",
        "loss_table_every": "每轮的训练损失（{loss}，每 {k} 轮显示一行）：",
        "epoch": "轮次",
        "loss_col": "损失",
        "change": "变化",
        "non_negative_int": "{option} 必须是非负整数（≥ 0），现在是 {value}",
        "positive": "{option} 必须是大于 0 的有限数，现在是 {value}",
        "fraction": "{option} 必须在 0 和 1 之间（不含 0 和 1），现在是 {value}",
        "empty_split": "--test-size {value} 让训练集或测试集一个样本也没有（数据集 {name} 共 {n} 个样本），请换一个比例",
        "diverged": "训练发散了：损失变成了无穷大或 nan。学习率 {lr:g} 太大了，试试小一些的，例如 --lr {smaller:g}。"
                    "（详细信息：{msg}）",
        "nonfinite_loss": "警告：训练损失变成了 {last}（第 {epoch} 轮首次出现）：训练发散了，学习率 {lr:g} 太大了，"
                          "试试小一些的，例如 --lr {smaller:g}；这样训练出的模型不可信",
        "not_learning": "警告：最后一轮的训练损失（{last:.4g}）比第一轮（{first:.4g}）还大：训练没有收敛，学习率 {lr:g} "
                        "可能太大了，试试小一些的，例如 --lr {smaller:g}",
    },
    "en": {
        "epilog": "examples:\n"
                  "  tinygrad-cn train softmax\n"
                  "  tinygrad-cn train logistic --dataset spam --epochs 20\n"
                  "  tinygrad-cn train ffn --epochs 200 --lr 0.005 --optimizer adam",
        "data": "data set {name}: {n_train} training samples, {n_test} test samples, {d} features, {k} classes",
        "model": "model: {model}",
        "train_acc": "train accuracy: {acc:.2%}",
        "test_acc": "test accuracy:  {acc:.2%}",
        "time": "trained in {s:.2f} s ({epochs} epochs)",
        "loss": "final training loss: {loss:.4f}",
        "error": "error: {msg}",
        "positive_int": "{option} must be a positive integer (>= 1), got {value}",
        "too_large": "{option} must be at most {most}, got {value}",
        "loss_table": "training loss per epoch ({loss}):",
        "loss_table_every": "training loss per epoch ({loss}, one row every {k} epochs):",
        "epoch": "epoch",
        "loss_col": "loss",
        "change": "change",
        "non_negative_int": "{option} must be an integer >= 0, got {value}",
        "positive": "{option} must be a finite number > 0, got {value}",
        "fraction": "{option} must be between 0 and 1 (exclusive), got {value}",
        "empty_split": "--test-size {value} leaves the training or the test set without samples (the data set {name} "
                       "has {n}); choose another fraction",
        "diverged": "training diverged: the loss became infinite or nan. The learning rate {lr:g} is too large; try a "
                    "smaller one, e.g. --lr {smaller:g}. (details: {msg})",
        "nonfinite_loss": "warning: the training loss became {last} (first in epoch {epoch}): training diverged; the "
                          "learning rate {lr:g} is too large, try a smaller one, e.g. --lr {smaller:g}; do not trust "
                          "this model",
        "not_learning": "warning: the final training loss ({last:.4g}) is larger than the first epoch's "
                        "({first:.4g}): training did not converge; the learning rate {lr:g} may be too large, try a "
                        "smaller one, e.g. --lr {smaller:g}",
    },
}


def add_arguments(parser: argparse.ArgumentParser, lang: str = "zh") -> None:
    """Add the ``train`` sub-command's arguments to ``parser``, their help in ``lang``."""
    h = _help(lang if lang in TEXT else "zh")
    parser.add_argument("model", choices=MODELS, help=h["model"])
    parser.add_argument("--dataset", choices=DATASETS, default=None, help=h["dataset"])
    parser.add_argument("--epochs", type=int, default=None, help=h["epochs"])
    parser.add_argument("--lr", type=float, default=None, help=h["lr"])
    parser.add_argument("--batch-size", type=int, default=32, help=h["batch_size"])
    parser.add_argument("--optimizer", choices=("sgd", "adam", "adagrad"), default=None, help=h["optimizer"])
    parser.add_argument("--seed", type=int, default=0, help=h["seed"])
    parser.add_argument("--test-size", type=float, default=0.25, help=h["test_size"])
    parser.add_argument("--lang", choices=("zh", "en"), default=lang if lang in TEXT else "zh", help=h["lang"])
    parser.add_argument("--plot", default=None, metavar="FILE", help=h["plot"])


def check_options(params: dict[str, Any], test_size: float, lang: str) -> str | None:
    """Why the numeric options cannot work (localized), or None; checked before any data is loaded."""
    text = TEXT[lang]
    for key, option in (("epochs", "--epochs"), ("batch_size", "--batch-size")):
        v = params[key]
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            return text["positive_int"].format(option=option, value=v)
    if params["epochs"] > MAX_EPOCHS:
        return text["too_large"].format(option="--epochs", most=f"{MAX_EPOCHS:_}".replace("_", ","), value=params["epochs"])
    seed = params.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        return text["non_negative_int"].format(option="--seed", value=seed)
    lr = params["lr"]
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        return text["positive"].format(option="--lr", value=lr)
    if isinstance(test_size, bool) or not isinstance(test_size, (int, float)) or not 0 < test_size < 1:
        return text["fraction"].format(option="--test-size", value=test_size)
    return None


def settings(cls_name: str, model: Any) -> str:
    """The model as a call with every training setting that applies, defaults included."""
    params = model.get_params()
    shown = [k for k in ("lr", "epochs", "batch_size", "optimizer", "seed") if k in params]
    return f"{cls_name}(" + ", ".join(f"{k}={params[k]!r}" for k in shown) + ")"


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


def loss_table(history: list[float], loss: str, lang: str, rows: int = LOSS_TABLE_ROWS) -> str:
    """The training loss per epoch as a table: every epoch, or every k-th (first and last always)
    when there are more than ``rows``; the change from the row before shows where it levels off."""
    text = TEXT[lang]
    n = len(history)
    k = 1 if n <= rows else -(-n // (rows - 1))
    shown = sorted({0, *range(k - 1, n, k), n - 1}) if k > 1 else list(range(n))
    head = text["loss_table"].format(loss=loss) if k == 1 else text["loss_table_every"].format(loss=loss, k=k)
    lines = [head, f"  {text['epoch']:>8}  {text['loss_col']:>12}  {text['change']:>12}"]
    if lang == "zh":  # a Chinese character takes two columns
        lines[1] = f"  {text['epoch']:>6}  {text['loss_col']:>10}  {text['change']:>10}"
    previous = None
    for i in shown:
        change = "" if previous is None else f"{history[i] - history[previous]:+.4f}"
        lines.append(f"  {i + 1:>8}  {history[i]:>12.4f}  {change:>12}".rstrip())
        previous = i
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Train ``args.model`` on ``args.dataset``, print progress and the final accuracies; 0 on success."""
    from .. import data, models

    lang = getattr(args, "lang", "zh") or "zh"
    text = TEXT[lang if lang in TEXT else "zh"]
    cls_name, default_data, defaults = DEFAULTS[args.model]
    name = getattr(args, "dataset", None) or default_data
    params = dict(defaults)
    for key in ("epochs", "lr", "optimizer"):
        if getattr(args, key, None) is not None:
            params[key] = getattr(args, key)
    seed = getattr(args, "seed", 0)
    params["batch_size"] = getattr(args, "batch_size", 32)
    params["seed"] = seed
    test_size = getattr(args, "test_size", 0.25)
    problem = check_options(params, test_size, lang if lang in TEXT else "zh")
    plot = getattr(args, "plot", None)
    if problem is None and plot is not None:
        from .checks import output_file_problem

        problem = output_file_problem(plot, "--plot", PLOT_SUFFIXES, "loss.png", lang if lang in TEXT else "zh")
    if problem:
        print(text["error"].format(msg=problem), file=sys.stderr)
        return 2
    try:
        X, y = load_dataset(name, seed)
        X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=test_size, seed=seed, stratify=True)
        if min(len(X_train), len(X_test)) == 0:
            print(text["error"].format(msg=text["empty_split"].format(value=test_size, name=name, n=len(X))),
                  file=sys.stderr)
            return 2
        if name not in ("sentiment", "spam"):  # word counts stay as they are; the rest is standardised
            scaler = data.StandardScaler().fit(X_train)
            X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        model = getattr(models, cls_name)(verbose=True, **params)
        print(text["data"].format(name=name, n_train=len(X_train), n_test=len(X_test), d=X.shape[1],
                                  k=len(np.unique(y))))
        print(text["model"].format(model=settings(cls_name, model)), flush=True)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
    except FloatingPointError as e:
        lr = float(params["lr"])
        print(text["error"].format(msg=text["diverged"].format(lr=lr, smaller=lr / 10, msg=e)), file=sys.stderr)
        return 1
    except (ValueError, TypeError) as e:
        print(text["error"].format(msg=e), file=sys.stderr)
        return 2
    history = model.loss_history_
    zh = lang == "zh"
    loss_name = LOSS_NAMES[args.model][0 if zh else 1]
    print(loss_table(history, loss_name, "zh" if zh else "en"))
    print(text["time"].format(s=seconds, epochs=params["epochs"]))
    print(text["loss"].format(loss=history[-1]))
    print(text["train_acc"].format(acc=model.score(X_train, y_train)))
    print(text["test_acc"].format(acc=model.score(X_test, y_test)))
    lr = float(params["lr"])
    bad = next((i for i, v in enumerate(history) if not math.isfinite(v)), None)
    if bad is not None:
        sys.stdout.flush()
        print(text["nonfinite_loss"].format(last=history[bad], epoch=bad + 1, lr=lr, smaller=lr / 10), file=sys.stderr)
    elif history[-1] > history[0]:
        sys.stdout.flush()
        print(text["not_learning"].format(last=history[-1], first=history[0], lr=lr, smaller=lr / 10),
              file=sys.stderr)
    if plot is not None:
        from ..viz import plot_loss_curve

        path = plot_loss_curve(history, plot, title=f"{cls_name}: training loss", ylabel=f"mean {LOSS_NAMES[args.model][1]}")
        print(MSG[lang if lang in MSG else "zh"]["wrote"].format(path=path))
    return 0
