"""Exceptions raised by tinygrad_cn. Each message names the op, the shapes or the value at fault."""

from __future__ import annotations


class ShapeError(ValueError):
    """Operands whose shapes do not fit the op (broadcasting, matmul, reshape, a gradient's shape)."""


class AnomalyError(FloatingPointError):
    """Raised under ``tg.detect_anomaly()`` by the first op whose forward or backward gives NaN/inf."""


class GradcheckError(AssertionError):
    """``tg.gradcheck`` found an analytic gradient that differs from the central difference."""
