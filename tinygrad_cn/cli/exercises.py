"""``tinygrad-cn exercises`` lists the exercises (练习); ``tinygrad-cn exercises show ID`` prints one's task."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from typing import Any

from .messages import MSG

TEXT = {
    "zh": {
        "help": "练习：列出可以自我检查的手算梯度练习；show ID 显示某个练习的题目",
        "action": "list（默认）列出全部练习；show 显示一个练习的题目、已知数和要求的未知量",
        "id": "练习编号（show 时需要），见 tinygrad-cn exercises 的列表",
        "head": "编号\t章节\t题目",
        "chapters": {"autograd": "自动求导", "info": "熵与KL", "linear": "线性分类器", "activations": "激活函数"},
        "footer": "在 Python 或笔记本里做题：\n  from tinygrad_cn import exercises\n"
        "  ex = exercises.load(\"neuron\")\n  print(ex)\n  ex.check({...})\n"
        "显示题目：tinygrad-cn exercises show neuron；笔记本：notebooks/zh/exercises.ipynb",
        "need_id": "show 需要一个练习编号，例如：tinygrad-cn exercises show neuron",
        "extra": "list 不需要参数，多了 {extra!r}；显示一个练习的题目：tinygrad-cn exercises show {extra}",
    },
    "en": {
        "help": "exercises: list the self-checking hand-computed gradient exercises; show ID prints one's task",
        "action": "list (the default) lists every exercise; show prints one's task, its given numbers and its unknowns",
        "id": "the exercise id (for show), from the list of tinygrad-cn exercises",
        "head": "id\tchapter\ttitle",
        "chapters": {"autograd": "autograd", "info": "entropy & KL", "linear": "linear classifiers",
                     "activations": "activations"},
        "footer": "Do them in Python or a notebook:\n  from tinygrad_cn import exercises\n"
        "  ex = exercises.load(\"neuron\", lang=\"en\")\n  print(ex)\n  ex.check({...})\n"
        "Show a task: tinygrad-cn exercises show neuron --lang en; notebook: notebooks/en/exercises.ipynb",
        "need_id": "show needs an exercise id, e.g. tinygrad-cn exercises show neuron",
        "extra": "list takes no argument, got {extra!r}; to show one exercise: tinygrad-cn exercises show {extra}",
    },
}


def add_parser(sub: Any, lang: str, lang_help: str) -> argparse.ArgumentParser:
    """Register the ``exercises`` sub-command on the CLI's subparsers."""
    t = TEXT[lang]
    p = sub.add_parser("exercises", help=t["help"], description=t["help"])
    p.add_argument("--lang", choices=("zh", "en"), default=lang, help=lang_help)
    p.add_argument("action", nargs="?", choices=("list", "show"), default="list", help=t["action"])
    p.add_argument("id", nargs="?", default=None, help=t["id"])
    p.set_defaults(exercises_parser=p)  # run() reports `list EXTRA` through it, as argparse reports errors
    return p


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)  # CJK takes two columns


def _table(rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in rows)


def run(args: argparse.Namespace) -> int:
    from .. import exercises

    t = TEXT[args.lang]
    if args.action == "list":
        if args.id is not None:
            args.exercises_parser.error(t["extra"].format(extra=args.id))
        rows = [t["head"].split("\t")]
        for i in exercises.catalog():
            ex = exercises.load(i, args.lang)
            rows.append([i, t["chapters"].get(ex.chapter, ex.chapter), ex.title])
        print(_table(rows))
        print("\n" + t["footer"])
        return 0
    if args.id is None:
        print(MSG[args.lang]["error"].format(msg=t["need_id"]), file=sys.stderr)
        return 2
    try:
        ex = exercises.load(args.id, args.lang)
    except KeyError as e:
        print(MSG[args.lang]["error"].format(msg=e.args[0]), file=sys.stderr)
        return 2
    print(ex)
    return 0
