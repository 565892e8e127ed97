"""Optimizers: SGD (momentum, weight decay), Adam and Adagrad, each the same update as PyTorch's."""

from .adagrad import Adagrad
from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "Optimizer"]
