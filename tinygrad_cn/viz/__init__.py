"""Seeing how a network computes and learns: graphs, the backward pass step by step, an HTML stepper.

- :func:`draw_graph` a computation graph as a ``graphviz.Digraph``; :func:`render` it to .svg/.png/.gv
- :func:`explain_backward` the backward pass as an ordered log (printable as a table, zh/en);
  :func:`explain_forward` the forward pass likewise
- :func:`backward_frames` one graph per backward step
- :func:`stepper_html` a self-contained web page stepping forward and backward
- :func:`plot_activations` every activation of the notes with its autograd derivative
"""

from .activations_plot import plot_activations
from .dotgraph import DotGraph
from .explain import BackwardLog, BackwardStep, ForwardLog, ForwardStep, explain_backward, explain_forward
from .frames import backward_frames, forward_frames
from .graph import draw_graph
from .rendering import RenderError, render
from .stepper import stepper_html

__all__ = [
    "BackwardLog", "BackwardStep", "DotGraph", "ForwardLog", "ForwardStep", "RenderError", "backward_frames", "draw_graph",
    "explain_backward", "explain_forward", "forward_frames", "plot_activations", "render", "stepper_html",
]
