"""Activation functions as Modules (``nn.ReLU()(x)``), thin wrappers over the primitive ops."""

from __future__ import annotations

from ..engine.value import Value
from .module import Module

__all__ = ["ReLU", "Sigmoid", "Tanh"]


class Sigmoid(Module):
    def forward(self, x: Value) -> Value:
        return x.sigmoid()


class Tanh(Module):
    def forward(self, x: Value) -> Value:
        return x.tanh()


class ReLU(Module):
    def forward(self, x: Value) -> Value:
        return x.relu()
