"""Seeing how a network computes and learns: graphs, the backward pass step by step, an HTML stepper.

Four concerns, one subpackage each (imports only go down this list):

- :mod:`.trace` the trace model: :func:`record` runs ``tg.trace_backward`` once and names it; every
  view reads that one record. :func:`explain_backward` / :func:`explain_forward` the passes as
  ordered logs (printable as tables, zh/en; HTML in Jupyter)
- :mod:`.graph` graph drawing: :func:`draw_graph` a ``graphviz.Digraph``; :func:`render` to
  .svg/.png/.gv; :func:`backward_frames` / :func:`forward_frames` one graph per step
- :mod:`.pages` :func:`stepper` (inline in Jupyter, ``.save``) and :func:`stepper_html`: a
  self-contained web page stepping forward and backward
- :mod:`.plots` :func:`plot_activations` every activation with its autograd derivative; training plots

plus :mod:`.text` (numbers, tables, matrices) and :mod:`.lang` (every zh/en string, ``lang`` checked once).
"""

from .graph import DotGraph, RenderError, backward_frames, draw_graph, forward_frames, render
from .pages import Stepper, stepper, stepper_html
from .plots import plot_activations, plot_loss_curve, plot_weight_images
from .trace import (
    BackwardLog,
    BackwardStep,
    ForwardLog,
    ForwardStep,
    NonFinite,
    Record,
    explain_backward,
    explain_forward,
    record,
)

__all__ = [
    "BackwardLog", "BackwardStep", "DotGraph", "ForwardLog", "ForwardStep", "NonFinite", "Record", "RenderError",
    "Stepper", "backward_frames", "draw_graph", "explain_backward", "explain_forward", "forward_frames",
    "plot_activations", "plot_loss_curve", "plot_weight_images", "record", "render", "stepper", "stepper_html",
]
