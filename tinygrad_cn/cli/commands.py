"""The ``graph``, ``step`` and ``plot`` sub-commands."""

from __future__ import annotations

import argparse
import sys

from .expr import ExprError, evaluate, parse_vars
from .messages import MSG


def _build(args: argparse.Namespace):
    """The expression's root Value, or None after printing why it was refused."""
    msg = MSG[args.lang]
    try:
        root = evaluate(args.expr, parse_vars(args.var))
    except ExprError as e:
        print(msg["refused"].format(msg=e), file=sys.stderr)
        return None
    if root.label is None:
        root.label = "out"
    return root


def graph(args: argparse.Namespace) -> int:
    """Draw the expression's graph (after a backward pass unless --no-backward) to --out."""
    from .. import viz

    msg = MSG[args.lang]
    root = _build(args)
    if root is None:
        return 2
    if not args.no_backward:
        if root.data.size != 1:
            print(msg["not_scalar"].format(shape=root.shape), file=sys.stderr)
            return 2
        root.backward()
    try:
        path = viz.render(root, args.out, rankdir=args.rankdir)
    except (viz.RenderError, ValueError, OSError) as e:
        print(msg["error"].format(msg=e), file=sys.stderr)
        return 1
    print(msg["wrote"].format(path=path))
    return 0


def step(args: argparse.Namespace) -> int:
    """Print the forward and the backward pass as tables; --html also writes the stepper page."""
    from .. import viz

    msg = MSG[args.lang]
    root = _build(args)
    if root is None:
        return 2
    if root.data.size != 1:
        print(msg["not_scalar"].format(shape=root.shape), file=sys.stderr)
        return 2
    print(f"== {msg['forward']} ==")
    print(viz.explain_forward(root, lang=args.lang))
    print(f"\n== {msg['backward']} ==")
    print(viz.explain_backward(root, lang=args.lang))
    if args.html:
        try:
            path = viz.stepper_html(root, args.html, lang=args.lang)
        except (viz.RenderError, ValueError, OSError) as e:
            print(msg["error"].format(msg=e), file=sys.stderr)
            return 1
        print(msg["wrote"].format(path=path))
    return 0


def plot(args: argparse.Namespace) -> int:
    """``plot activations``: every activation and its autograd derivative."""
    from .. import viz

    msg = MSG[args.lang]
    try:
        path = viz.plot_activations(args.out)
    except (ValueError, OSError, ImportError) as e:
        print(msg["error"].format(msg=e), file=sys.stderr)
        return 1
    print(msg["wrote"].format(path=path))
    return 0
