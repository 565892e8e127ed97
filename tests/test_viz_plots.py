"""plot_activations and the training plots: real PNG files, derivatives by autograd that are right."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_cn import viz
from tinygrad_cn.viz.plots.activations import ACTIVATIONS, activation_curves
from tinygrad_cn.viz.plots.training import plot_loss_curve, plot_weight_images

PNG = b"\x89PNG\r\n\x1a\n"


def test_plot_activations_writes_a_png(tmp_path):
    p = viz.plot_activations(tmp_path / "sub" / "acts.png")
    assert p.read_bytes()[:8] == PNG and p.stat().st_size > 20_000


def test_every_activation_of_the_notes_is_there():
    titles = " ".join(t for t, _ in ACTIVATIONS)
    for name in ("sigmoid", "tanh", "ReLU", "Leaky ReLU", "PReLU", "ELU", "GLU", "Swish", "SiLU", "SwiGLU"):
        assert name in titles


def test_autograd_derivatives_match_the_formulas_and_finite_differences():
    curves = {t.split()[0]: (x, y, dy) for t, x, y, dy in activation_curves(n=161)}
    x, y, dy = curves["sigmoid"]
    np.testing.assert_allclose(dy, y * (1 - y), rtol=1e-12)
    assert dy.max() == pytest.approx(0.25)
    x, y, dy = curves["tanh(x)"]
    np.testing.assert_allclose(dy, 1 - y * y, rtol=1e-12)
    x, y, dy = curves["SiLU"]
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(dy, s * (1 + x * (1 - s)), rtol=1e-10)
    x, y, dy = curves["GLU"]  # on a = b = x: x·σ(x), so its derivative is SiLU's
    np.testing.assert_allclose(y, x * s, rtol=1e-12)
    np.testing.assert_allclose(dy, s * (1 + x * (1 - s)), rtol=1e-10)
    for title, (x, y, dy) in curves.items():  # central differences, away from the kinks at 0
        h = x[1] - x[0]
        fd = (y[2:] - y[:-2]) / (2 * h)
        away = np.abs(x[1:-1]) > 2 * h
        np.testing.assert_allclose(dy[1:-1][away], fd[away], atol=5e-3, err_msg=title)


def test_training_plots(tmp_path):
    p = plot_loss_curve([2.0, 1.0, 0.5, 0.4], tmp_path / "loss.png")
    assert p.read_bytes()[:8] == PNG
    coef = np.random.default_rng(0).normal(size=(10, 64))
    q = plot_weight_images(coef, list(range(10)), tmp_path / "w.png")
    assert q.read_bytes()[:8] == PNG
