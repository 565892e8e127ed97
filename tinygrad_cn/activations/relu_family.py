"""ReLU's relatives that keep a gradient for x < 0: Leaky ReLU, PReLU (learnable slope), ELU."""

from __future__ import annotations

import numpy as np

from ..engine import xp
from ..engine.errors import ShapeError
from ..engine.op import Formula, Op
from ..engine.value import Operand, Value, lift
from .smooth import real_number


class LeakyReLU(Op):
    name, symbol = "leaky_relu", "LeakyReLU"
    formula = Formula(
        # the slope is α, never a Latin letter: those are the names a learner gives the input
        "y = x if x > 0 else α·x   (α = negative_slope, 0.01 by default)",
        ("∂y/∂x = 1 if x > 0 else α",),
        zh="Leaky ReLU：负区间保留一个小斜率 α（negative_slope，默认 0.01），梯度不会恒为 0，缓解 ReLU 的“神经元死亡”",
        en="Leaky ReLU keeps a small slope α (negative_slope, 0.01 by default) for x < 0, so the gradient is never "
        "stuck at 0 (no dead neurons)",
    )

    @staticmethod
    def forward(ctx, x):
        return np.where(x > 0, x, x * ctx["negative_slope"])

    # the slope is locally constant: a mask times g (at x = 0 the slope a, as torch)
    backward = (lambda ctx, g, y, x: xp.where(xp.data(x) > 0, g, g * ctx["negative_slope"]),)


def leaky_relu(x: Operand, negative_slope: float = 0.01) -> Value:
    """LeakyReLU(x) = x for x > 0, negative_slope·x otherwise.

    Derivative: 1 for x > 0, negative_slope for x ≤ 0 (as PyTorch).

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-2.0, 3.0])
    >>> y = F.leaky_relu(x, 0.1); y.data
    array([-0.2,  3. ])
    >>> y.sum().backward(); x.grad
    array([0.1, 1. ])
    """
    return LeakyReLU.apply(x, negative_slope=real_number(negative_slope, "negative_slope", "leaky_relu"))


def _channel_shape(x_shape: tuple[int, ...], w_size: int) -> tuple[int, ...]:
    """The shape PReLU's weight is viewed as to broadcast against x: (1, C, 1, ..., 1), or () if one weight."""
    if w_size == 1:
        return ()
    return tuple(w_size if i == 1 else 1 for i in range(len(x_shape)))


def _prelu_grad_x(ctx, g, y, x, w):
    wb = w.reshape(_channel_shape(x.shape, w.size))
    return xp.where(xp.data(x) > 0, g, g * wb)


def _prelu_grad_w(ctx, g, y, x, w):
    # ∂y/∂w = x where x ≤ 0, 0 elsewhere; summed over every axis but the channel axis
    contrib = xp.where(xp.data(x) > 0, 0.0, g * x)
    axes = tuple(i for i in range(x.ndim) if not (w.size > 1 and i == 1))
    return contrib.sum(axis=axes).reshape(w.shape)


class PReLU(Op):
    name, symbol = "prelu", "PReLU"
    formula = Formula(
        "y = x if x > 0 else w·x   (w learnable: one, or one per channel on axis 1)",
        ("∂y/∂x = 1 if x > 0 else w", "∂y/∂w = 0 if x > 0 else x  (summed over positions sharing w)"),
        zh="PReLU：负区间的斜率 w 是可学习参数；w 的梯度是负区间里输入 x 与上游梯度之积的和",
        en="PReLU: the slope w for x < 0 is learned; its gradient sums x·g over the negative inputs that share it",
    )

    @staticmethod
    def forward(ctx, x, w):
        wb = w.reshape(_channel_shape(x.shape, w.size))
        return np.where(x > 0, x, wb * x)

    backward = (_prelu_grad_x, _prelu_grad_w)


def prelu(x: Operand, weight: Operand) -> Value:
    """PReLU(x) = x for x > 0, w·x otherwise, with a learnable weight w (as ``torch.nn.functional.prelu``).

    ``weight`` has one element (shared by every input) or one per channel, the channel axis being
    axis 1 of ``x`` (an input with fewer than 2 axes has one channel).

    Derivatives: ∂y/∂x = 1 for x > 0, w for x ≤ 0; ∂y/∂w = x for x ≤ 0, 0 for x > 0, summed over
    all positions that share the weight.

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([[-1.0, 2.0], [-3.0, -4.0]]); w = tg.Value([0.25, 0.5])   # one slope per channel
    >>> y = F.prelu(x, w); y.data
    array([[-0.25,  2.  ],
           [-0.75, -2.  ]])
    >>> y.sum().backward(); w.grad                  # channel 0: −1 − 3; channel 1: −4
    array([-4., -4.])
    """
    if not isinstance(x, Value):
        x = lift(x, weight if isinstance(weight, Value) else None, "prelu")
    if not isinstance(weight, Value):
        weight = lift(weight, x, "prelu")
    if weight.ndim > 1:
        raise ShapeError(f"prelu: weight must be a scalar or 1-D, got shape {weight.shape}")
    if weight.size != 1:
        channels = x.shape[1] if x.ndim > 1 else 1
        if weight.size != channels:
            raise ShapeError(
                f"prelu: weight has {weight.size} parameters but the input (shape {x.shape}) has "
                f"{channels} channel(s) on axis 1"
            )
    return PReLU.apply(x, weight)


class ELU(Op):
    name, symbol = "elu", "ELU"
    formula = Formula(
        # exp(x), not eˣ: the input's symbol must be a whole token, renamed wherever it occurs
        "y = x if x > 0 else α·(exp(x) − 1)",
        ("∂y/∂x = 1 if x > 0 else α·exp(x) = y + α",),
        zh="ELU：负区间平滑地趋于 −α，输出均值更接近 0；导数 αeˣ 可由输出算出：y + α",
        en="ELU saturates smoothly to −α for x < 0, pulling mean activations toward 0; its slope there is αeˣ = y + α",
    )

    @staticmethod
    def forward(ctx, x):
        # expm1 of min(x, 0): exp never overflows and small |x| stays accurate
        return np.where(x > 0, x, ctx["alpha"] * np.expm1(np.minimum(x, 0)))

    # for x ≤ 0, α·eˣ = y + α; written with y so the rule is differentiable again
    backward = (lambda ctx, g, y, x: xp.where(xp.data(x) > 0, g, g * (y + ctx["alpha"])),)


def elu(x: Operand, alpha: float = 1.0) -> Value:
    """ELU(x) = x for x > 0, α(eˣ − 1) otherwise.

    Derivative: 1 for x > 0, α·eˣ (= y + α) for x ≤ 0. Its negative outputs pull the mean
    activation toward 0 (the notes' point against ReLU).

    >>> import tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> x = tg.Value([-1.0, 2.0])
    >>> y = F.elu(x); y.data
    array([-0.63212056,  2.        ])
    >>> y.sum().backward(); x.grad                  # e^(−1), 1
    array([0.36787944, 1.        ])
    """
    return ELU.apply(x, alpha=real_number(alpha, "alpha", "elu"))
