"""Neural-network building blocks: Module, layers, activation modules, initialisers."""

from . import activation, init
from .activation import *  # noqa: F403  (the names are listed in activation.__all__)
from .attention import Attention
from .container import Sequential
from .dropout import Dropout
from .embedding import Embedding
from .feedforward import FeedForward
from .linear import Linear
from .module import Module, ModuleCall
from .normalization import RMSNorm
from .transformer import TransformerBlock

__all__ = [
    "Attention", "Dropout", "Embedding", "FeedForward", "Linear", "Module", "ModuleCall", "RMSNorm", "Sequential",
    "TransformerBlock", "init", *activation.__all__,
]
