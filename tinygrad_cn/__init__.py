"""tinygrad_cn: an autograd micro-framework on numpy for learning how neural networks compute and learn.

>>> import tinygrad_cn as tg
>>> x = tg.Value(2.0, label="x")
>>> y = x * x + 3 * x
>>> y.backward()
>>> x.grad          # dy/dx = 2x + 3
array(7.)
"""

from .engine import (
    AnomalyError,
    GradcheckError,
    ShapeError,
    Value,
    detect_anomaly,
    enable_grad,
    grad,
    gradcheck,
    is_grad_enabled,
    no_grad,
    trace_backward,
)
from .engine.ops.elementwise import where
from .serialization import load, save

# isort: split
from . import data, nn, optim  # after the engine, which they build on

__version__ = "0.1.0"

__all__ = [
    "AnomalyError", "GradcheckError", "ShapeError", "Value", "data", "detect_anomaly", "enable_grad",
    "grad", "gradcheck", "is_grad_enabled", "load", "nn", "no_grad", "optim", "save",
    "trace_backward", "where",
]
