"""Plots (matplotlib): activations with their autograd derivatives, a training run's curves and weights."""

from .activations import plot_activations
from .training import plot_loss_curve, plot_weight_images

__all__ = ["plot_activations", "plot_loss_curve", "plot_weight_images"]
