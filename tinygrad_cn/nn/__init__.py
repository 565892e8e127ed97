"""Neural-network building blocks: Module, layers, activation modules, initialisers."""

from .activation import *  # noqa: F403  (the names are listed in activation.__all__)
from .module import Module as Module
from .module import ModuleCall as ModuleCall
