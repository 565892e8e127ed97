"""The engine, the bottom layer: Value (the graph node), Op (the primitive-op protocol) and its
``OPS`` registry, backward / grad / trace_backward, per-thread modes, and in ``ops/`` the primitive
ops Value's operators and methods use. It imports nothing above it."""

from .autograd import backward, grad, walk
from .errors import AnomalyError, GradcheckError, ShapeError
from .gradcheck import gradcheck
from .mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .op import OPS, Formula, Op
from .trace import BackwardStep, BackwardTrace, trace_backward
from .value import Value

__all__ = [
    "OPS", "AnomalyError", "BackwardStep", "BackwardTrace", "Formula", "GradcheckError", "Op", "ShapeError",
    "Value", "backward", "detect_anomaly", "enable_grad", "grad", "gradcheck", "is_grad_enabled", "no_grad",
    "trace_backward", "walk",
]
