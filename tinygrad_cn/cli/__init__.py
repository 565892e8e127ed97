"""The ``tinygrad-cn`` command (also ``python -m tinygrad_cn``): demo, graph, step, plot, train, generate, exercises.

Help and messages are in Chinese by default; ``--lang en`` (anywhere on the line) switches to
English. Sub-commands import what they need only when they run, so ``--help`` is quick.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence

from .messages import HELP, MSG
from .parsing import LocalizedParser, lang_of, words_of

COMMANDS = ("demo", "graph", "step", "plot", "train", "generate", "exercises")


# the options of graph / step: those that take a value, and flags
_VALUE_OPTIONS = ("--var", "--out", "--html", "--rankdir", "--lang")
_FLAGS = ("--no-backward", "--help", "-h")
_OPTION_LIKE = re.compile(r"^--?[A-Za-z][\w-]*(=.*)?$")


def _expression_last(argv: list[str]) -> list[str]:
    """``graph "-x*w" --var ...`` or ``step "--x" ...``: argparse would take an EXPR that starts with
    "-" for an option, so such a token is moved behind ``--``, where it can only be the positional
    EXPR. A token that starts with "-" is the EXPR when it is not an option of the command, not an
    option's value, and either cannot be an option name ("-x*w", "--x+1") or no other EXPR is there
    ("--x" alone); so a misspelt option ("--htlm page.html" after an EXPR) still gets argparse's error."""
    if words_of(argv)[:1] not in (["graph"], ["step"]) or "--" in argv:
        return argv
    positional: list[int] = []
    dashed: list[int] = []
    seen_command = False
    for i, tok in enumerate(argv):
        if i > 0 and argv[i - 1] in _VALUE_OPTIONS:
            continue  # the value of an option
        if tok.split("=", 1)[0] in _VALUE_OPTIONS or tok in _FLAGS:
            continue
        if tok.startswith("-") and len(tok) > 1:
            dashed.append(i)
        elif not seen_command:
            seen_command = True  # graph / step itself
        else:
            positional.append(i)
    for i in dashed:
        tok = argv[i]
        if not _OPTION_LIKE.match(tok) or not positional:
            return [*argv[:i], *argv[i + 1 :], "--", tok]
    return argv


def _parser(lang: str, **kw) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
    """An ArgumentParser whose own words (usage, options, -h, errors) are in ``lang`` too."""
    return LocalizedParser(lang=lang, **kw)


def build_parser(lang: str = "zh", with_train: bool = False) -> argparse.ArgumentParser:
    """The argument parser, its help in ``lang``; ``with_train`` adds the train command's options
    (importing :mod:`tinygrad_cn.cli.train`)."""
    h = HELP[lang]
    parser = _parser(lang, prog="tinygrad-cn", description=h["prog"], epilog=h["epilog"])
    parser.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])
    sub = parser.add_subparsers(dest="command", title=h["commands"], metavar="{" + ",".join(COMMANDS) + "}",
                                parser_class=lambda **kw: _parser(lang, **kw))

    def command(name: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=h[name], description=h[name])
        if name != "train":  # train brings its own --lang
            p.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])
        return p

    p = command("demo")
    p.add_argument("--out", default="tinygrad_cn_demo", help=h["demo_out"])
    p.add_argument("--small", action="store_true", help=h["demo_small"])

    p = command("graph")
    p.add_argument("expr", help=h["expr"])
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help=h["var"])
    p.add_argument("--out", default="graph.svg", help=h["graph_out"])
    p.add_argument("--no-backward", action="store_true", help=h["no_backward"])
    p.add_argument("--rankdir", choices=("LR", "TB"), default="LR", help=h["rankdir"])

    p = command("step")
    p.add_argument("expr", help=h["expr"])
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help=h["var"])
    p.add_argument("--html", default=None, metavar="FILE", help=h["html"])

    p = command("plot")
    p.add_argument("what", choices=("activations",), help=h["plot_what"])
    p.add_argument("--out", default="activations.png", help=h["plot_out"])

    if with_train:
        from . import train

        p = sub.add_parser("train", help=h["train"], description=h["train"], epilog=train.TEXT[lang]["epilog"])
        train.add_arguments(p, lang=lang)
    else:
        command("train")

    from . import llama  # train llama / generate (imports nothing heavy until it runs)

    t = llama.TEXT[lang]
    p = sub.add_parser("generate", help=t["gen_desc"], description=t["gen_desc"], epilog=t["gen_epilog"])
    llama.add_generate_arguments(p, lang)
    p.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])

    from .exercises import add_parser as add_exercises

    add_exercises(sub, lang, h["lang"])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    argv = _expression_last(list(sys.argv[1:] if argv is None else argv))
    lang = lang_of(argv)
    from .llama import is_train_llama

    if is_train_llama(argv):  # `train llama` has options of its own (tinygrad_cn/cli/llama.py)
        rest = list(argv)
        for word in ("train", "llama"):
            rest.remove(word)
        rest = [a for i, a in enumerate(rest) if a != "--lang" and (i == 0 or rest[i - 1] != "--lang")]
        return run(argparse.Namespace(command="train_llama", argv=rest, lang=lang))
    is_train = words_of(argv)[:1] == ["train"]
    try:
        parser = build_parser(lang, with_train=is_train)
    except ImportError as e:  # pragma: no cover - train.py ships with the package
        print(MSG[lang]["train_missing"].format(msg=e), file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    args.lang = lang  # wherever --lang was written (before or after the command)
    if args.command is None:  # as argparse does for a missing argument: the help, an error, status 2
        parser.print_help(sys.stderr)
        print("\n" + MSG[lang]["no_command"].format(commands=", ".join(COMMANDS)), file=sys.stderr)
        return 2
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run the parsed command; a user's mistake that only shows while running (a path that cannot be
    written, a value the library refuses, Ctrl-C) becomes one localized line and a status, never a
    traceback."""
    msg = MSG[args.lang]

    def fail(text: str, status: int) -> int:
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
        print(msg["error"].format(msg=text), file=sys.stderr)
        return status

    try:
        return _run(args)
    except BrokenPipeError:  # output piped into `head` and cut off: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("\n" + msg["interrupted"], file=sys.stderr)
        return 130
    except OSError as e:  # a folder or file that cannot be created, read or written
        from .checks import os_error_text

        return fail(os_error_text(e, args.lang), 1)
    except MemoryError:
        return fail(msg["memory"], 1)
    except (ValueError, FloatingPointError) as e:  # the library refused a value the user gave
        return fail(str(e), 2)


def _run(args: argparse.Namespace) -> int:
    if args.command in ("train_llama", "generate"):
        from . import llama

        return llama.run_train(args.argv, args.lang) if args.command == "train_llama" else llama.run_generate(args)
    if args.command == "train":
        from . import train

        return int(train.run(args))
    if args.command == "exercises":
        from .exercises import run as run_exercises

        return run_exercises(args)
    if args.command == "demo":
        from .demo import run_demo

        return run_demo(args.out, lang=args.lang, small=args.small)
    from . import commands

    return {"graph": commands.graph, "step": commands.step, "plot": commands.plot}[args.command](args)
