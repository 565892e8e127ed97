"""Activation functions, each a primitive op with its own analytic backward (the notes' 激活函数).

- ``basic``: sigmoid, tanh, relu (also Value methods)
- ``relu_family``: leaky_relu, prelu (learnable slope), elu
- ``gated``: glu, swish, silu, swiglu
- ``smooth``: softplus, gelu
- ``softmax``: softmax, log_softmax
"""

from .basic import ReLU, Sigmoid, Tanh, relu, sigmoid, stable_sigmoid, tanh
from .gated import GLU, SiLU, SwiGLU, Swish, glu, silu, swiglu, swish
from .relu_family import ELU, LeakyReLU, PReLU, elu, leaky_relu, prelu
from .smooth import GELU, NormalCDF, Softplus, gelu, softplus
from .softmax import LogSoftmax, Softmax, log_softmax, softmax, stable_log_softmax

__all__ = [
    "ELU", "GELU", "GLU", "LeakyReLU", "LogSoftmax", "NormalCDF", "PReLU", "ReLU", "SiLU", "Sigmoid",
    "Softmax", "Softplus", "SwiGLU", "Swish", "Tanh", "elu", "gelu", "glu", "leaky_relu", "log_softmax",
    "prelu", "relu", "sigmoid", "silu", "softmax", "softplus", "stable_log_softmax", "stable_sigmoid",
    "swiglu", "swish", "tanh",
]
