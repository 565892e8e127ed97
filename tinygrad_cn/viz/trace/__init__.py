"""The trace model: one pass over a graph, named and explained, built once from ``tg.trace_backward``.

- :func:`record` → :class:`Record` (nodes, names, the forward and the backward log)
- :func:`explain_forward` / :func:`explain_backward` → :class:`ForwardLog` / :class:`BackwardLog`
"""

from .recording import NonFinite, Record, explain_backward, explain_forward, record
from .steps import BackwardLog, BackwardStep, ForwardLog, ForwardStep

__all__ = ["BackwardLog", "BackwardStep", "ForwardLog", "ForwardStep", "NonFinite", "Record", "explain_backward",
           "explain_forward", "record"]
