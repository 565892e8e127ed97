"""The classic activations: sigmoid, tanh, ReLU (also Value methods ``x.sigmoid()`` ...).

Their ops (forward, backward and formula together) live in the engine,
:mod:`tinygrad_cn.engine.ops.nonlinear`, because Value offers them as methods; the functions below
are the ``F.sigmoid`` / ``F.tanh`` / ``F.relu`` forms.
"""

from __future__ import annotations

from ..engine.ops.nonlinear import ReLU, Sigmoid, Tanh
from ..engine.value import Operand, Value
from ..engine.xp import stable_sigmoid

__all__ = ["ReLU", "Sigmoid", "Tanh", "relu", "sigmoid", "stable_sigmoid", "tanh"]


def sigmoid(x: Operand) -> Value:
    """σ(x) = 1/(1 + e^(−x)), squashing any number into (0, 1).

    Derivative: σ'(x) = σ(x)(1 − σ(x)), at most 1/4 (at x = 0). Computed split by sign, so
    ±1e4 gives 1 and 0 without overflow.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-1e4, 0.0, 2.0])
    >>> y = F.sigmoid(x); y.data
    array([0.       , 0.5      , 0.88079708])
    >>> y.sum().backward(); x.grad          # σ(1 − σ): 0.25 at 0
    array([0.        , 0.25      , 0.10499359])
    """
    return Sigmoid.apply(x)


def tanh(x: Operand) -> Value:
    """tanh(x) = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ) ∈ (−1, 1), zero-centred.

    Derivative: tanh'(x) = 1 − tanh²(x), computed from the saved output; tanh'(0) = 1.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-1.0, 0.0, 1.0])
    >>> y = F.tanh(x); y.data
    array([-0.76159416,  0.        ,  0.76159416])
    >>> y.sum().backward(); x.grad
    array([0.41997434, 1.        , 0.41997434])
    """
    return Tanh.apply(x)


def relu(x: Operand) -> Value:
    """ReLU(x) = max(0, x).

    Derivative: 1 for x > 0, 0 for x < 0, and 0 at x = 0 (as PyTorch).

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-2.0, 0.0, 3.0])
    >>> y = F.relu(x); y.data
    array([0., 0., 3.])
    >>> y.sum().backward(); x.grad
    array([0., 0., 1.])
    """
    return ReLU.apply(x)
