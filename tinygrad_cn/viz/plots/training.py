"""Pictures of a training run: the loss curve and the learned weights as images (matplotlib)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ...files import save_figure
from .activations import _figure_class


def plot_loss_curve(history: Sequence[float], path: str | os.PathLike[str], title: str = "training loss",
                    ylabel: str = "mean cross-entropy loss") -> Path:
    """The mean training loss per epoch, as a line plot written to ``path``."""
    Figure = _figure_class()
    fig = Figure(figsize=(6, 3.6), layout="constrained")
    ax = fig.subplots()
    epochs = np.arange(1, len(history) + 1)
    ax.plot(epochs, history, marker="o", ms=3, color="#1565c0")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return save_figure(fig, path, "plot_loss_curve")


def plot_weight_images(
    coef: np.ndarray, classes: Sequence[object], path: str | os.PathLike[str], shape: tuple[int, int] = (8, 8)
) -> Path:
    """Each class's weight vector (one row of ``coef``) as an image of ``shape``: red pixels push
    towards the class, blue ones away. For digits this shows a blurred template of each digit."""
    Figure = _figure_class()
    coef = np.asarray(coef)
    k = len(coef)
    cols = min(k, 5)
    rows = -(-k // cols)
    fig = Figure(figsize=(1.9 * cols, 2.1 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    limit = float(np.abs(coef).max()) or 1.0
    image = None
    for ax, w, c in zip(axes.flat, coef, classes):
        image = ax.imshow(w.reshape(shape), cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(f"class {c}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in list(axes.flat)[k:]:
        ax.set_visible(False)
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.8, label="weight")
    fig.suptitle("softmax regression weights per class", fontsize=12)
    return save_figure(fig, path, "plot_weight_images")
