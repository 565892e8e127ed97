"""``F``: the activations and training losses as functions, as ``torch.nn.functional``.

>>> import tinygrad_cn as tg, tinygrad_cn.functional as F
>>> F.silu(tg.Value([-2.0, -1.0, 0.0, 1.0, 2.0])).data
array([-0.23840584, -0.26894142,  0.        ,  0.73105858,  1.76159416])

Each function hands over to a primitive op in :mod:`tinygrad_cn.activations` or
:mod:`tinygrad_cn.losses`, where its forward, backward and formula live.
"""

from .activations import (
    elu,
    gelu,
    glu,
    leaky_relu,
    log_softmax,
    prelu,
    relu,
    sigmoid,
    silu,
    softmax,
    softplus,
    swiglu,
    swish,
    tanh,
)
from .engine.value import register_function_hints
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    kl_div,
    mse_loss,
    multi_margin_loss,
    nll_loss,
    perceptron_loss,
)

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "elu", "gelu", "glu",
    "hinge_loss", "kl_div", "leaky_relu", "log_softmax", "mse_loss", "multi_margin_loss", "nll_loss",
    "perceptron_loss", "prelu", "relu", "sigmoid", "silu", "softmax", "softplus", "swiglu", "swish", "tanh",
]

# `v.leaky_relu` (not a Value method) says "use F.leaky_relu(x)" instead of a bare AttributeError
register_function_hints("F", __all__)
