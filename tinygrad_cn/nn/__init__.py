"""Neural-network building blocks: Module, layers, activation modules, initialisers."""

from . import activation, init
from .activation import *  # noqa: F403  (the names are listed in activation.__all__)
from .container import Sequential
from .dropout import Dropout
from .feedforward import FeedForward
from .linear import Linear
from .module import Module, ModuleCall

__all__ = ["Dropout", "FeedForward", "Linear", "Module", "ModuleCall", "Sequential", "init", *activation.__all__]
