"""Graph drawing: a computation graph as DOT (``graphviz.Digraph``), frames per step, rendering.

view (which nodes, boxes, cut-offs) → draw (painted DOT) → frames (one per step) → render (files).
"""

from .dot import DotGraph, RenderError
from .draw import draw_graph
from .frames import backward_frames, forward_frames
from .rendering import render

__all__ = ["DotGraph", "RenderError", "backward_frames", "draw_graph", "forward_frames", "render"]
