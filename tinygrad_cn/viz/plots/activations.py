"""``plot_activations``: every activation function of the notes beside its derivative, and the
derivative is not typed in by hand: it comes out of autograd (``y.sum().backward()``; x.grad)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ... import functional as F
from ...engine import Value
from ...files import check_target, save_figure

_SUFFIXES = (".png", ".svg", ".pdf")


def _diagonal(gated: Callable[[Value], Value]) -> Callable[[Value], Value]:
    """A gated activation of halves (a, b) evaluated on a = b = x: [x, x] along the last axis."""

    def f(x: Value) -> Value:
        pair = x.reshape(-1, 1) * np.ones((1, 2))  # (n, 2) holding [x, x]; both copies send gradient to x
        return gated(pair).reshape(-1)

    return f


# (title, function); titles stay ASCII/Greek because plot fonts may lack CJK glyphs
ACTIVATIONS: tuple[tuple[str, Callable[[Value], Value]], ...] = (
    ("sigmoid  σ(x)", F.sigmoid),
    ("tanh(x)", F.tanh),
    ("ReLU  max(0, x)", F.relu),
    ("Leaky ReLU (slope 0.1)", lambda x: F.leaky_relu(x, 0.1)),
    ("PReLU (w = 0.25)", lambda x: F.prelu(x, Value(0.25))),
    ("ELU (α = 1)", lambda x: F.elu(x, 1.0)),
    ("Swish  x·σ(βx), β = 2", lambda x: F.swish(x, 2.0)),
    ("SiLU  x·σ(x)", F.silu),
    ("GLU  a·σ(b) at a = b = x  (= SiLU)", _diagonal(F.glu)),
    ("SwiGLU  SiLU(a)·b at a = b = x", _diagonal(F.swiglu)),
    ("softplus  ln(1 + eˣ)", F.softplus),
    ("GELU  x·Φ(x)", F.gelu),
)


def activation_curves(lo: float = -5.0, hi: float = 5.0, n: int = 801) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """``(title, x, f(x), f'(x))`` for every activation, f' by autograd.

    >>> curves = activation_curves(n=5)       # x = -5, -2.5, 0, 2.5, 5
    >>> title, x, y, dy = curves[0]
    >>> title, float(dy[2])                   # σ'(0) = 1/4, the most a sigmoid ever passes back
    ('sigmoid  σ(x)', 0.25)
    """
    out = []
    for title, f in ACTIVATIONS:
        x = Value(np.linspace(lo, hi, n), label="x")
        y = f(x)
        y.sum().backward()  # ∂(Σ f(xᵢ))/∂xᵢ = f'(xᵢ): elementwise functions do not mix positions
        assert x.grad is not None
        out.append((title, x.data, y.data, x.grad))
    return out


def _figure_class():
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(
            "plots need matplotlib: pip install matplotlib (or the examples extra: pip install 'tinygrad_cn[examples]')"
        ) from None
    return Figure


def plot_activations(path: str | os.PathLike[str]) -> Path:
    """Draw every activation f(x) (solid) and its autograd derivative f'(x) (dashed) to ``path``
    (.png, .svg or .pdf, by suffix) with matplotlib's Agg canvas (no display needed)."""
    path = Path(path)
    if path.suffix.lower() not in _SUFFIXES:  # matplotlib would add ".png" and write another file than asked
        raise ValueError(f"plot_activations: cannot tell the format of {str(path)!r}: use a .png, .svg or .pdf file name")
    check_target(path, _SUFFIXES, "plot_activations")  # a directory or a device: refused before drawing
    Figure = _figure_class()
    curves = activation_curves()
    cols = 4
    rows = -(-len(curves) // cols)
    fig = Figure(figsize=(4.0 * cols, 3.0 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, (title, x, y, dy) in zip(axes.flat, curves):
        ax.axhline(0, color="#999999", lw=0.8)
        ax.axvline(0, color="#999999", lw=0.8)
        ax.plot(x, y, color="#1565c0", lw=2, label="f(x)")
        ax.plot(x, dy, color="#e65100", lw=1.8, ls="--", label="f'(x) (autograd)")
        ax.set_title(title, fontsize=11)
        ax.set_xlim(x[0], x[-1])
        ax.grid(alpha=0.3)
        if title.startswith("sigmoid"):
            ax.annotate("max f' = 0.25", xy=(0, 0.25), xytext=(1.2, 0.6), fontsize=9,
                        arrowprops={"arrowstyle": "->", "color": "#e65100"})
    for ax in list(axes.flat)[len(curves):]:
        ax.set_visible(False)
    axes.flat[0].legend(loc="upper left", fontsize=8)
    fig.suptitle("Activation functions f(x) and their derivatives f'(x), computed by autograd", fontsize=13)
    return save_figure(fig, path, "plot_activations", _SUFFIXES)
