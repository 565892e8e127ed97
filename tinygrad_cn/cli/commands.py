"""The ``graph``, ``step`` and ``plot`` sub-commands."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from .checks import nonfinite_notice, os_error_text, output_file_problem
from .expr import ExprError, evaluate, parse_vars, unused_variables
from .messages import MSG

GRAPH_SUFFIXES = (".svg", ".png", ".gv", ".dot")
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
HTML_SUFFIXES = (".html", ".htm")


def _error(args: argparse.Namespace, text: str) -> None:
    sys.stdout.flush()  # what was printed before comes first, even when both go into one pipe
    print(MSG[args.lang]["error"].format(msg=text), file=sys.stderr)


def _notice(text: str | None) -> None:
    if text:
        sys.stdout.flush()
        print(text, file=sys.stderr)


def _path_refused(args: argparse.Namespace, path: str, option: str, suffixes, default: str) -> bool:  # type: ignore[no-untyped-def]
    """Check an output path before any work; print why it cannot be used."""
    problem = output_file_problem(path, option, suffixes, default, args.lang)
    if problem:
        _error(args, problem)
    return bool(problem)


def _write(args: argparse.Namespace, target: str, write, refused=(ValueError,)) -> int:  # type: ignore[no-untyped-def]
    """Run ``write()`` (which returns the path written) and report it; status 1 and one line on failure."""
    try:
        path = write()
    except refused as e:
        _error(args, str(e))
        return 1
    except OSError as e:
        _error(args, os_error_text(e, args.lang, target))
        return 1
    print(MSG[args.lang]["wrote"].format(path=path))
    return 0


def _build(args: argparse.Namespace):
    """The expression's root Value, or None after printing why it was refused."""
    msg = MSG[args.lang]
    try:
        variables = parse_vars(args.var)
        root = evaluate(args.expr, variables)
    except ExprError as e:
        key = {"var": "bad_var", "compute": "cannot_compute"}.get(e.kind, "refused")
        print(msg[key].format(msg=e.text(args.lang)), file=sys.stderr)
        return None
    _notice(unused_variables(args.expr, variables, args.lang))
    if root.label is None:
        root.label = "out"
    return root


def _not_scalar(args: argparse.Namespace, root) -> bool:  # type: ignore[no-untyped-def]
    if root.data.size == 1:
        return False
    print(MSG[args.lang]["not_scalar"].format(shape=root.shape, expr=args.expr.strip()), file=sys.stderr)
    return True


def graph(args: argparse.Namespace) -> int:
    """Draw the expression's graph (after a backward pass unless --no-backward) to --out."""
    from .. import viz

    if _path_refused(args, args.out, "--out", GRAPH_SUFFIXES, "graph.svg"):
        return 2
    root = _build(args)
    if root is None:
        return 2
    with np.errstate(all="ignore"):
        if not args.no_backward and _not_scalar(args, root):
            return 2
        # one record: its backward is the real one (keep_grad), so the drawing shows its gradients
        rec = viz.record(root, lang=args.lang, backward=not args.no_backward, keep_grad=True)
        notice = nonfinite_notice(rec, args.lang)
        status = _write(args, args.out, lambda: viz.render(root, args.out, rankdir=args.rankdir, lang=args.lang),
                        (viz.RenderError,))
    if status == 0:
        _notice(notice)
    return status


def step(args: argparse.Namespace) -> int:
    """Print the forward and the backward pass as tables; --html also writes the stepper page."""
    from .. import viz

    msg = MSG[args.lang]
    if args.html and _path_refused(args, args.html, "--html", HTML_SUFFIXES, "step.html"):
        return 2
    root = _build(args)
    if root is None:
        return 2
    if _not_scalar(args, root):
        return 2
    with np.errstate(all="ignore"):  # NaN / inf get the notice below, not numpy's warnings
        rec = viz.record(root, lang=args.lang)  # one trace for the tables, the notice and the page
        print(f"== {msg['forward']} ==")
        print(rec.forward)
        print(f"\n== {msg['backward']} ==")
        print(rec.backward)
        _notice(nonfinite_notice(rec, args.lang))
        if args.html:
            return _write(args, args.html, lambda: viz.stepper_html(rec, args.html, lang=args.lang),
                          (viz.RenderError, ValueError))
    return 0


def plot(args: argparse.Namespace) -> int:
    """``plot activations``: every activation and its autograd derivative."""
    from .. import viz

    if _path_refused(args, args.out, "--out", PLOT_SUFFIXES, "activations.png"):
        return 2
    return _write(args, args.out, lambda: viz.plot_activations(args.out), (ValueError, ImportError))
