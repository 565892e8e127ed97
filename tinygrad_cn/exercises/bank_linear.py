"""Exercises on the notes' linear classifiers: logistic regression, hinge and perceptron losses."""

from __future__ import annotations

import numpy as np

from .. import functional as F
from ..engine import Value
from .core import Grad, Spec


def _logistic(x: dict[str, np.ndarray]) -> dict:
    # s = X w + b, L = mean BCE(σ(s), y): ∂L/∂s = (σ(s) − y)/N
    w, b = Value(x["w"]), Value(x["b"])
    s = x["X"] @ w + b
    loss = F.binary_cross_entropy_with_logits(s, x["y"])
    return {"ds": Grad(loss, s), "dw": Grad(loss, w), "db": Grad(loss, b)}


LOGISTIC = Spec(
    id="logistic_grad",
    chapter="linear",
    title={"zh": "逻辑回归的梯度：(σ(s) − y)·x", "en": "Logistic regression's gradient: (σ(s) − y)·x"},
    task={
        "zh": "4 个样本 X（形状 (4, 2)），标签 y ∈ {0, 1}，参数 w（形状 (2,)）与 b（标量）。\n"
        "s = X @ w + b，L = 平均交叉熵 −(1/N) Σ [y log σ(s) + (1 − y) log(1 − σ(s))]。\n"
        "求 ds = ∂L/∂s，dw = ∂L/∂w，db = ∂L/∂b。线索：ds = (σ(s) − y)/N，dw = Xᵀ ds，db = Σ ds。",
        "en": "4 samples X (shape (4, 2)), labels y ∈ {0, 1}, parameters w (shape (2,)) and b (a scalar).\n"
        "s = X @ w + b, L = the mean cross-entropy −(1/N) Σ [y log σ(s) + (1 − y) log(1 − σ(s))].\n"
        "Find ds = ∂L/∂s, dw = ∂L/∂w, db = ∂L/∂b. Clue: ds = (σ(s) − y)/N, dw = Xᵀ ds, db = Σ ds.",
    },
    inputs={"X": [[1.0, 2.0], [-1.0, 0.5], [2.0, -1.0], [0.5, 0.5]], "y": [1.0, 0.0, 1.0, 0.0],
            "w": [0.3, -0.2], "b": 0.1},
    build=_logistic,
    batch=("X", "y"),
)


def _margins(x: dict[str, np.ndarray]) -> dict:
    # hinge = mean max(0, 1 − y·s), perceptron = mean max(0, −y·s), s = X w
    w_h, w_p = Value(x["w"]), Value(x["w"])
    s_h, s_p = x["X"] @ w_h, x["X"] @ w_p
    hinge, perceptron = F.hinge_loss(s_h, x["y"]), F.perceptron_loss(s_p, x["y"])
    return {"dhinge_ds": Grad(hinge, s_h), "dhinge_dw": Grad(hinge, w_h),
            "dperc_ds": Grad(perceptron, s_p), "dperc_dw": Grad(perceptron, w_p)}


MARGINS = Spec(
    id="hinge_perceptron",
    chapter="linear",
    title={"zh": "合页损失与感知器损失的次梯度", "en": "Subgradients of the hinge and perceptron losses"},
    task={
        "zh": "s = X @ w，标签 y ∈ {−1, +1}。SVM 的合页损失 hinge = (1/N) Σ max(0, 1 − y·s)，\n"
        "感知器损失 perc = (1/N) Σ max(0, −y·s)。求 dhinge_ds，dhinge_dw，dperc_ds，dperc_dw。\n"
        "线索：max(0, u) 的（次）梯度在 u > 0 时是 1，u < 0 时是 0；只有“违反间隔”的样本贡献 −y·x/N。\n"
        "（这里没有样本恰好落在折点上。）",
        "en": "s = X @ w, labels y ∈ {−1, +1}. The SVM's hinge loss hinge = (1/N) Σ max(0, 1 − y·s),\n"
        "the perceptron loss perc = (1/N) Σ max(0, −y·s). Find dhinge_ds, dhinge_dw, dperc_ds, dperc_dw.\n"
        "Clue: the (sub)gradient of max(0, u) is 1 for u > 0 and 0 for u < 0; only the samples that violate "
        "the margin contribute −y·x/N.\n(No sample sits exactly on a kink here.)",
    },
    inputs={"X": [[1.0, 2.0], [2.0, -1.0], [-1.0, -1.0], [3.0, -2.0]], "y": [1.0, -1.0, -1.0, 1.0], "w": [0.4, -0.3]},
    build=_margins,
    batch=("X", "y"),
)

SPECS = (LOGISTIC, MARGINS)
