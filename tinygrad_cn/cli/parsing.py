"""Argument parsers that speak the user's language: the ``tinygrad-cn`` command and the example
scripts (``examples/_common.py``) both build theirs here.

* :func:`lang_of` reads ``--lang`` from anywhere on the command line before parsing, so that even
  the parser's own words (usage, section titles, ``-h``, error messages) are in that language;
* :class:`LocalizedParser` prints argparse's errors as a usage line, one localized
  ``错误：…`` / ``error: …`` line and a hint how to get help, and exits with status 2;
* :class:`HelpFormatter` wraps Chinese text by its width on screen (a Chinese character takes two
  columns), and keeps the lines of a description or epilog that start with a space as they are
  (commands in examples are never broken across lines).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import Any, NoReturn

from ..engine.errors import LANGS

TEXT = {
    "zh": {
        "usage": "用法：",
        "options": "选项",
        "positionals": "位置参数",
        "help": "显示帮助并退出",
        "error": "错误：{msg}",
        "hint": "运行 {prog} --help 查看全部用法。",
    },
    "en": {
        "usage": "usage: ",
        "options": "options",
        "positionals": "positional arguments",
        "help": "show this help message and exit",
        "error": "error: {msg}",
        "hint": "run {prog} --help to see how to use it.",
    },
}

# argparse's own messages (Python 3.10 - 3.13) -> Chinese
_TYPES_ZH = {"int": "整数", "float": "数"}
_ARGPARSE_ZH: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)$"),
     lambda m: f"无效的取值 {m['value']}（可选：{m['choices']}）"),
    (re.compile(r"invalid (?P<type>\w+) value: (?P<value>.*)$"),
     lambda m: f"{m['value']} 不是有效的{_TYPES_ZH.get(m['type'], m['type'])}"),
    (re.compile(r"the following arguments are required: (?P<names>.*)$"), lambda m: f"缺少必需的参数：{m['names']}"),
    (re.compile(r"unrecognized arguments: (?P<args>.*)$"), lambda m: f"无法识别的参数：{m['args']}"),
    (re.compile(r"expected one argument$"), lambda m: "后面需要给一个值"),
    (re.compile(r"expected at least one argument$"), lambda m: "后面至少需要给一个值"),
    (re.compile(r"expected at most one argument$"), lambda m: "后面最多只能给一个值"),
    (re.compile(r"expected (?P<n>\d+) arguments?$"), lambda m: f"后面需要给 {m['n']} 个值"),
    (re.compile(r"ambiguous option: (?P<opt>\S+) could match (?P<matches>.*)$"),
     lambda m: f"选项 {m['opt']} 有歧义，可能是：{m['matches']}"),
    (re.compile(r"not allowed with argument (?P<other>.*)$"), lambda m: f"不能与参数 {m['other']} 同时使用"),
    (re.compile(r"one of the arguments (?P<names>.*) is required$"), lambda m: f"必须给出以下参数之一：{m['names']}"),
    (re.compile(r"ignored explicit argument (?P<value>.*)$"), lambda m: f"多余的值 {m['value']}（这个选项不带值）"),
]
_ARGUMENT = re.compile(r"argument (?P<name>.+?): (?P<rest>.*)$", re.S)


def translate_argparse(message: str, lang: str) -> str:
    """An argparse error message in ``lang`` (unknown messages stay as they are)."""
    if lang != "zh":
        return message
    m = _ARGUMENT.match(message)
    if m:
        return f"参数 {m['name']}：{translate_argparse(m['rest'], lang)}"
    for pattern, zh in _ARGPARSE_ZH:
        found = pattern.match(message)
        if found:
            return zh(found)
    return message


def words_of(argv: Sequence[str]) -> list[str]:
    """The words of ``argv`` that are not options (the value after ``--lang`` skipped)."""
    words, skip = [], False
    for tok in argv:
        if skip:
            skip = False
        elif tok == "--lang":
            skip = True
        elif not tok.startswith("-"):
            words.append(tok)
    return words


def lang_of(argv: Sequence[str], default: str | None = None) -> str:
    """The language asked for with ``--lang`` on the command line (the last one wins), else
    ``default``, else $TINYGRAD_CN_LANG, else "zh"."""
    lang = default or os.environ.get("TINYGRAD_CN_LANG", "zh")
    for i, tok in enumerate(argv):
        if tok == "--":
            break
        if tok == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif tok.startswith("--lang="):
            lang = tok.split("=", 1)[1]
    return lang if lang in LANGS else "zh"


# ---- help layout -------------------------------------------------------------------------------
def columns(text: str) -> int:
    """The width of ``text`` on a terminal: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _tokens(text: str) -> list[str]:
    """Words (runs of narrow characters), single wide characters and spaces. Punctuation sticks to
    its neighbour ("，" and ")" to what comes before, "（" and "(" to what follows), so no line starts
    with a closing mark or ends with an opening one."""
    out: list[str] = []
    for ch in text:
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        prev = out[-1] if out and out[-1] != " " else None
        if prev is not None and (
            (not _is_wide(ch) and not _is_wide(prev[-1]))
            or unicodedata.category(ch) in ("Po", "Pe", "Pf")
            or unicodedata.category(prev[-1]) in ("Ps", "Pi")
        ):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns (wide characters count two), between
    words or between Chinese characters."""
    if not any(_is_wide(ch) for ch in text):
        return textwrap.wrap(text, width, break_on_hyphens=False)
    lines: list[str] = []
    line, used, space = "", 0, False
    for tok in _tokens(text.strip()):
        if tok == " ":
            space = True
            continue
        w = columns(tok)
        gap = 1 if space and line else 0
        if line and used + gap + w > width:
            lines.append(line)
            line, used = tok, w
        else:
            line += " " * gap + tok
            used += gap + w
        space = False
    if line:
        lines.append(line)
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, with Chinese wrapped by columns on screen; in a description or an epilog,
    a line that starts with a space is kept as written (and each other line is wrapped on its own)."""

    usage_prefix = "usage: "
    raw = False

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, self.usage_prefix if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if self.raw:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        out = []
        for line in text.strip("\n").splitlines():
            if not line.strip() or line[0].isspace():
                out.append(indent + line if line.strip() else "")
            else:
                out += [indent + part for part in wrap(line, max(width - len(indent), 20))]
        return "\n".join(out)


class ChineseHelpFormatter(HelpFormatter):
    usage_prefix = "用法："


class RawHelpFormatter(HelpFormatter):
    """Descriptions and epilogs exactly as written (for texts wrapped by hand, such as docstrings)."""

    raw = True


class RawChineseHelpFormatter(ChineseHelpFormatter):
    raw = True


def formatter_class(lang: str, raw: bool = False) -> type[HelpFormatter]:
    if lang == "zh":
        return RawChineseHelpFormatter if raw else ChineseHelpFormatter
    return RawHelpFormatter if raw else HelpFormatter


class LocalizedParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words (usage, section titles, ``-h``, errors) are in ``lang``."""

    def __init__(self, *args: Any, lang: str = "zh", raw: bool = False, **kwargs: Any) -> None:
        self.lang = lang if lang in LANGS else "zh"
        kwargs.setdefault("formatter_class", formatter_class(self.lang, raw))
        kwargs.setdefault("allow_abbrev", False)  # "--lan en" would escape lang_of, which reads --lang
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        text = TEXT[self.lang]
        self._optionals.title = text["options"]
        self._positionals.title = text["positionals"]
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=text["help"])

    def error(self, message: str) -> NoReturn:
        """Usage, one localized error line and how to get help, on stderr; exit status 2."""
        text = TEXT[self.lang]
        self.print_usage(sys.stderr)
        line = text["error"].format(msg=translate_argparse(message, self.lang))
        self.exit(2, f"{line}\n{text['hint'].format(prog=self.prog)}\n")
