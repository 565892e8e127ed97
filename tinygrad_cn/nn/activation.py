"""Activation functions as Modules (``nn.ReLU()(x)``), thin wrappers over the primitive ops.

PReLU holds a learnable slope, and Swish optionally a learnable β; both show up in
``parameters()`` like any layer's weights.

>>> import tinygrad_cn as tg
>>> from tinygrad_cn import nn
>>> act = nn.PReLU()
>>> act(tg.Value([-2.0, 3.0])).data
array([-0.5,  3. ])
>>> [name for name, _ in act.named_parameters()]
['weight']
"""

from __future__ import annotations

import numpy as np

from .. import functional as F
from ..engine.value import Value
from .module import Module

__all__ = [
    "ELU", "GELU", "GLU", "LeakyReLU", "LogSoftmax", "PReLU", "ReLU", "SiLU", "Sigmoid", "Softmax", "Softplus",
    "SwiGLU", "Swish", "Tanh",
]


class Sigmoid(Module):
    """σ(x) = 1/(1 + e^(−x)); see :func:`tinygrad_cn.functional.sigmoid`."""

    def forward(self, x: Value) -> Value:
        return F.sigmoid(x)


class Tanh(Module):
    """tanh(x); see :func:`tinygrad_cn.functional.tanh`."""

    def forward(self, x: Value) -> Value:
        return F.tanh(x)


class ReLU(Module):
    """max(0, x); see :func:`tinygrad_cn.functional.relu`."""

    def forward(self, x: Value) -> Value:
        return F.relu(x)


class LeakyReLU(Module):
    """x for x > 0, negative_slope·x otherwise; see :func:`tinygrad_cn.functional.leaky_relu`."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = float(negative_slope)

    def forward(self, x: Value) -> Value:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class PReLU(Module):
    """x for x > 0, w·x otherwise, with a learnable ``weight`` w, as ``torch.nn.PReLU``.

    ``num_parameters=1`` shares one slope; otherwise one slope per channel (axis 1 of the input).
    Every slope starts at ``init`` (0.25, as torch).

    >>> import tinygrad_cn as tg
    >>> from tinygrad_cn import nn
    >>> act = nn.PReLU(num_parameters=2)
    >>> y = act(tg.Value([[-1.0, -2.0], [3.0, -4.0]]))
    >>> y.sum().backward(); act.weight.grad            # Σ of the negative inputs per channel
    array([-1., -6.])
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25) -> None:
        if num_parameters < 1:
            raise ValueError(f"PReLU: num_parameters must be ≥ 1, got {num_parameters}")
        self.num_parameters = int(num_parameters)
        self.weight = Value(np.full(self.num_parameters, float(init)), label="weight")

    def forward(self, x: Value) -> Value:
        return F.prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class ELU(Module):
    """x for x > 0, α(eˣ − 1) otherwise; see :func:`tinygrad_cn.functional.elu`."""

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = float(alpha)

    def forward(self, x: Value) -> Value:
        return F.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class GLU(Module):
    """a ⊗ σ(b) for the two halves a, b of the input along ``axis``; see :func:`tinygrad_cn.functional.glu`."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = int(axis)

    def forward(self, x: Value) -> Value:
        return F.glu(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class Swish(Module):
    """x·σ(βx); with ``learnable=True`` β is a parameter (``self.beta``, starting at ``beta``).

    >>> import tinygrad_cn as tg
    >>> from tinygrad_cn import nn
    >>> act = nn.Swish(beta=1.0, learnable=True)
    >>> act(tg.Value([-1.0, 2.0])).sum().backward(); act.beta.grad
    array(0.61658627)
    """

    def __init__(self, beta: float = 1.0, learnable: bool = False) -> None:
        self.learnable = bool(learnable)
        self.beta: float | Value = Value(float(beta), label="beta") if learnable else float(beta)

    def forward(self, x: Value) -> Value:
        return F.swish(x, self.beta)

    def extra_repr(self) -> str:
        beta = self.beta.item() if isinstance(self.beta, Value) else self.beta
        return f"beta={beta}, learnable={self.learnable}"


class SiLU(Module):
    """x·σ(x); see :func:`tinygrad_cn.functional.silu`."""

    def forward(self, x: Value) -> Value:
        return F.silu(x)


class SwiGLU(Module):
    """SiLU(a) ⊗ b for the two halves a, b of the input along ``axis``; see :func:`tinygrad_cn.functional.swiglu`."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = int(axis)

    def forward(self, x: Value) -> Value:
        return F.swiglu(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class Softplus(Module):
    """(1/β)·ln(1 + e^(βx)); see :func:`tinygrad_cn.functional.softplus`."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        self.beta, self.threshold = float(beta), float(threshold)

    def forward(self, x: Value) -> Value:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class GELU(Module):
    """x·Φ(x) (``approximate="tanh"`` optional); see :func:`tinygrad_cn.functional.gelu`."""

    def __init__(self, approximate: str = "none") -> None:
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Value) -> Value:
        return F.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softmax(Module):
    """softmax along ``axis`` (default the last); see :func:`tinygrad_cn.functional.softmax`."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = int(axis)

    def forward(self, x: Value) -> Value:
        return F.softmax(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Module):
    """log-softmax along ``axis`` (default the last); see :func:`tinygrad_cn.functional.log_softmax`."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = int(axis)

    def forward(self, x: Value) -> Value:
        return F.log_softmax(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"
