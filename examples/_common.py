"""What every example script shares: its command-line flags, bilingual printing, the output folder,
matplotlib figures (Agg backend, written to files) and a decision-region plot.

Flags of every script:
    --lang zh|en   language of what it prints (default zh, as the ``tinygrad-cn`` CLI)
    --quick        small sizes, a few seconds (the test suite uses it)
    --out DIR      where figures go (default examples/output/, ignored by git)
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

from tinygrad_cn.cli.parsing import LocalizedParser, lang_of
from tinygrad_cn.files import save_figure

matplotlib.use("Agg")  # draw into files; no window needed

DEFAULT_OUT = Path(__file__).resolve().parent / "output"

# Fonts with Chinese glyphs, most complete first. Without one, matplotlib draws Chinese as empty
# boxes, so figure text falls back to English (everything printed to the terminal stays in the
# chosen language). Some of them (Droid Sans Fallback, which Debian/Ubuntu install with ghostscript
# or imagemagick) have no Latin letters at all, so a CJK font is never put first: see FONT_FAMILY.
_CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Arial Unicode MS", "Droid Sans Fallback",
)
# the Latin font: DejaVu Sans ships with matplotlib itself, so it is always there
LATIN_FONT = "DejaVu Sans"


def find_cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs, or None. matplotlib reads the installed
    fonts once and caches the list: after installing a font, delete the cache (see the README)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FONTS if name in installed), None)


def font_family(cjk_font: str | None) -> list[str]:
    """matplotlib's ``font.family``: the Latin font first (letters, digits, Greek, math signs), the CJK
    font as its fallback for the glyphs it lacks. matplotlib (≥ 3.6) takes one font per entry of
    ``font.family`` and falls back glyph by glyph along that list (not along ``font.sans-serif``,
    of which it uses only the first installed font)."""
    return [LATIN_FONT] if cjk_font is None else [LATIN_FONT, cjk_font]


def use_fonts() -> str | None:
    """Set matplotlib's fonts for the figures (see :func:`font_family`); the CJK font used, or None."""
    cjk = find_cjk_font()
    matplotlib.rcParams["font.family"] = font_family(cjk)
    return cjk


HELP = {
    "zh": {
        "lang": "输出语言：zh（中文，默认）或 en（English）",
        "quick": "快速模式：用小规模数据，几秒钟跑完（测试用）",
        "out": "图片保存到哪个目录（默认 {out}）",
    },
    "en": {
        "lang": "language of the output: zh (Chinese, the default) or en (English)",
        "quick": "quick mode: small sizes, a few seconds (the tests use it)",
        "out": "folder for the figures (default {out})",
    },
}


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def doc_in(doc: str | None, lang: str) -> str | None:
    """One language's part of an example's bilingual docstring: its title line "NN · 中文 / English."
    reduced to one side, the paragraphs in that language, and the indented lines (the usage)."""
    if not doc:
        return doc
    title, *paragraphs = doc.strip("\n").split("\n\n")
    head, sep, en_title = title.partition(" / ")
    if sep:
        number, dot, _ = head.partition(" · ")
        title = head if lang == "zh" else (f"{number} · {en_title}" if dot else en_title)
    keep = [p for p in paragraphs if p[:1].isspace() or _has_han(p) == (lang == "zh")]
    return "\n\n".join([title, *keep]) + "\n"


class Example:
    """One run of an example script: ``ex.args``, ``ex.say(zh, en)``, ``ex.text(zh, en)``,
    ``ex.figure(...)``, ``ex.save(fig, name)``, ``ex.done()``."""

    def __init__(self, doc: str | None, add_arguments: Callable[[argparse.ArgumentParser], None] | None = None):
        lang = lang_of(sys.argv[1:], default="zh")  # --help and argument errors in that language too
        h = HELP[lang]
        parser = LocalizedParser(lang=lang, raw=True, description=doc_in(doc, lang))
        parser.add_argument("--lang", choices=("zh", "en"), default="zh", help=h["lang"])
        parser.add_argument("--quick", action="store_true", help=h["quick"])
        parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help=h["out"].format(out=DEFAULT_OUT))
        if add_arguments is not None:
            add_arguments(parser)
        self.args = parser.parse_args()
        self.lang: str = self.args.lang
        self.quick: bool = self.args.quick
        self.out: Path = self.args.out
        from tinygrad_cn.cli.checks import output_dir_problem

        problem = output_dir_problem(self.out, "--out", lang)  # before any work: a file where the folder should be
        if problem:
            parser.error(problem)
        self.cjk_font = use_fonts()
        self._start = time.perf_counter()

    def text(self, zh: str, en: str, **values: Any) -> str:
        """The text in the chosen language, with ``{name}`` fields filled from ``values``."""
        return (zh if self.lang == "zh" else en).format(**values)

    def say(self, zh: str, en: str = "", **values: Any) -> None:
        """Print the text in the chosen language (``en`` defaults to ``zh`` for language-free lines)."""
        print(self.text(zh, en or zh, **values), flush=True)

    def label(self, zh: str, en: str, **values: Any) -> str:
        """Figure text: Chinese only when ``--lang zh`` and a font with Chinese glyphs is installed."""
        return (zh if self.lang == "zh" and self.cjk_font else en).format(**values)

    def figure(self, nrows: int = 1, ncols: int = 1, **kwargs: Any) -> tuple[Any, Any]:
        import matplotlib.pyplot as plt

        return plt.subplots(nrows, ncols, **kwargs)

    def save(self, fig: Any, name: str) -> Path:
        """Write the figure to ``<out>/<name>`` (its suffix names the format) and say where; written
        like every file of the project (:func:`tinygrad_cn.files.write_file`: atomic, through a
        symlink, keeping permissions, never over a directory or a device)."""
        import matplotlib.pyplot as plt

        path = self.out / name
        try:
            save_figure(fig, path, who=Path(sys.argv[0]).name, bbox_inches="tight")
        except (OSError, ValueError) as e:  # a device or a folder in the figure's place, no permission, ...
            from tinygrad_cn.cli.checks import os_error_text

            text = os_error_text(e, self.lang, path) if isinstance(e, OSError) and e.errno else str(e)
            sys.stdout.flush()
            print(self.text("错误：{msg}", "error: {msg}", msg=text), file=sys.stderr)
            raise SystemExit(1) from None
        finally:
            plt.close(fig)
        self.say("图已保存：{path}", "figure saved: {path}", path=path)
        return path

    def done(self) -> None:
        self.say("完成，用时 {s:.1f} 秒", "done in {s:.1f} s", s=time.perf_counter() - self._start)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two), for tables."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(0, width - used)
    return fill + text if right else text + fill


def plot_decision_regions(
    ax: Any, predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray, y: np.ndarray,
    title: str = "", resolution: int = 200, margin: float = 0.3,
) -> None:
    """Colour the plane by the class ``predict`` gives each point, then scatter the samples (X, y)."""
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(X.dtype)
    classes = np.unique(y)
    regions = np.searchsorted(classes, predict(grid)).reshape(gx.shape)
    cmap = matplotlib.colormaps["tab10"]
    ax.contourf(gx, gy, regions, levels=np.arange(len(classes) + 1) - 0.5, colors=[cmap(i) for i in range(len(classes))],
                alpha=0.25)
    for i, c in enumerate(classes):
        pts = X[y == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=12, color=cmap(i), edgecolors="k", linewidths=0.3, label=str(c))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
