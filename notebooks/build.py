"""Generate the Jupyter notebooks in notebooks/zh and notebooks/en from Markdown: one source, no
hand-kept copies.

    .venv/bin/python notebooks/build.py            # (re)write notebooks/{zh,en}/*.ipynb   (make notebooks)
    .venv/bin/python notebooks/build.py --check    # exit 1 if a notebook is out of date
    .venv/bin/python notebooks/build.py --out DIR  # write into DIR/{zh,en}/ instead

Sources: each docs chapter (docs/<lang>/NN-*.md) and the notebook-only pages in notebooks/src/<lang>/;
notebooks/src/<lang>/<name>.extra.md, where it exists, is appended to notebook <name> (pictures that
belong in a notebook more than in the docs). Adding a chapter is one line in CHAPTERS.

A ```python block becomes a code cell; the ```text block right after it (the output the docs
promise, checked by tests/test_docs.py) is left out, since running the cell shows it; everything
else becomes Markdown cells with relative links rewritten for the notebook's folder. After a block
that writes a picture or a page (viz.render, viz.stepper_html, savefig, plot_activations) or prints
a step table, a small cell shows it inline: SVG, PNG, the stepper in an iframe, the table as HTML.

The output is deterministic (fixed cell ids, sorted keys, no execution counts, no outputs), so
regenerating changes nothing unless a source changed (tests/test_notebooks.py checks this).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("zh", "en")

# notebook name -> its Markdown source ({lang} is filled in), in reading order. One line per chapter.
# (05-api and 06-performance are reference pages with no code to run; they stay Markdown.)
CHAPTERS: dict[str, str] = {
    "00-quickstart": "docs/{lang}/00-quickstart.md",
    "01-autograd": "docs/{lang}/01-autograd.md",
    "02-entropy-kl": "docs/{lang}/02-entropy-kl.md",
    "03-linear-classifiers": "docs/{lang}/03-linear-classifiers.md",
    "04-activations": "docs/{lang}/04-activations.md",
    "07-llama": "docs/{lang}/07-llama.md",
    "micrograd-walkthrough": "notebooks/src/{lang}/micrograd-walkthrough.md",
    "exercises": "notebooks/src/{lang}/exercises.md",
}
NOT_NOTEBOOKS = ("05-api", "06-performance")  # docs chapters that are reference pages, not notebooks

TEXT = {
    "zh": {
        "banner": "> 本笔记本由 [`{src}`]({src_link}) 经 `notebooks/build.py` 生成（`make notebooks`），"
        "请修改源文件而不是这里。\n> 用 `jupyter lab` 打开，或用 VS Code 打开后选择 `.venv` 里的 Python 作为内核；"
        "从上到下依次运行（Shift+Enter）。",
        "setup": "# 准备：代码写出的图片和网页放在笔记本旁边的 output/ 文件夹里（不进 git）\n",
        "show": "# 在笔记本里直接显示上一格画出的图和网页\n",
        "again": "再运行一次这一格也不会再进一层",
        "svg_file": "显示一个 SVG 文件，宽的图按单元格宽度缩小（不会被截掉一块）。",
        "table": "# 在笔记本里显示成 HTML 表格\n",
    },
    "en": {
        "banner": "> This notebook is generated from [`{src}`]({src_link}) by `notebooks/build.py` (`make notebooks`); "
        "edit the source, not this file.\n> Open it with `jupyter lab`, or in VS Code choosing the Python of `.venv` "
        "as the kernel; run the cells from the top (Shift+Enter).",
        "setup": "# Set-up: the pictures and pages the code writes go to the output/ folder next to the notebook (not in git)\n",
        "show": "# show what the previous cell drew, right here in the notebook\n",
        "again": "running this cell again stays put",
        "svg_file": "Show an SVG file, a wide graph scaled down to the cell's width (never cropped).",
        "table": "# shown as an HTML table in the notebook\n",
    },
}

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*\n?", re.S | re.M)
LINK = re.compile(r"(\]\()([^)\s]+)(\))")
# a string literal naming a file a viewing function writes
WRITES = re.compile(
    r"(?P<fn>render|stepper_html|savefig|plot_activations)\((?P<args>[^\n]*?)[\"'](?P<path>[^\"']+\.(?P<ext>svg|png|html))[\"']"
)
EXPLAIN = re.compile(r"^print\((?P<expr>viz\.explain_(?:backward|forward)\(.*\))\)\s*$", re.M)


def _rel_link(target: str, src: Path, dest_dir: Path, lang: str) -> str:
    """A link of the source, made relative to the notebook's folder (a chapter with a notebook
    links to that notebook)."""
    if re.match(r"^[a-z]+:|^#|^/", target):
        return target
    path, _, anchor = target.partition("#")
    resolved = (src.parent / path).resolve()
    for name, pattern in CHAPTERS.items():
        if resolved == (ROOT / pattern.format(lang=lang)).resolve():
            resolved = ROOT / "notebooks" / lang / f"{name}.ipynb"
            break
    rel = Path(os.path.relpath(resolved, (ROOT / dest_dir).resolve())).as_posix()
    return rel + (f"#{anchor}" if anchor else "")


def _markdown(text: str, src: Path, dest_dir: Path, lang: str) -> str:
    return LINK.sub(lambda m: m.group(1) + _rel_link(m.group(2), src, dest_dir, lang) + m.group(3), text)


def _lang_of_call(code: str, start: int) -> str:
    m = re.match(r"[^\n]*?lang\s*=\s*[\"'](zh|en)[\"']", code[start:])
    return m.group(1) if m else "zh"


def _show_cells(code: str, lang: str) -> list[str]:
    """Cells that show inline what a code block wrote to a file or printed as a table."""
    t = TEXT[lang]
    cells = []
    shown = []
    for m in WRITES.finditer(code):
        path, ext = m.group("path"), m.group("ext")
        if ext == "svg":
            shown.append(f'display(svg_file("{path}"))')
        elif ext == "png":
            shown.append(f'display(Image(filename="{path}"))')
        elif m.group("fn") == "stepper_html":  # the same page, inline
            root = re.match(r"\s*(\w+)\s*,", m.group("args"))
            if root is None:
                raise ValueError(f"build.py: stepper_html's root must be a plain name to show it inline: {m.group(0)!r}")
            shown.append(f'display(viz.stepper({root.group(1)}, lang="{_lang_of_call(code, m.end())}"))')
    if shown:
        cells.append(t["show"] + "\n".join(shown))
    for m in EXPLAIN.finditer(code):
        cells.append(t["table"] + m.group("expr"))
    return cells


SETUP = '''import os

from IPython.display import HTML, Image, display

if os.path.basename(os.getcwd()) != "output":  # {again}
    os.makedirs("output", exist_ok=True)
    os.chdir("output")


def svg_file(path):
    """{svg_file}"""
    with open(path, encoding="utf-8") as f:
        svg = f.read()
    svg = svg[svg.index("<svg"):].replace("<svg", '<svg style="max-width: 100%; height: auto"', 1)
    return HTML(f'<div style="max-width: 100%">{{svg}}</div>')
'''
def _setup(lang: str) -> str:
    t = TEXT[lang]
    return t["setup"] + SETUP.format(again=t["again"], svg_file=t["svg_file"])


def cells_of(src: Path, dest_dir: Path, lang: str, extra: Path | None = None) -> list[tuple[str, str]]:
    """(kind, source) for each cell of the notebook made from ``src`` (and ``extra`` appended)."""
    text = src.read_text(encoding="utf-8")
    if extra is not None and extra.exists():
        text = text.rstrip("\n") + "\n\n" + extra.read_text(encoding="utf-8")
    t = TEXT[lang]
    rel_src = src.relative_to(ROOT).as_posix()
    banner = t["banner"].format(src=rel_src, src_link=Path(os.path.relpath(src, (ROOT / dest_dir).resolve())).as_posix())
    cells: list[tuple[str, str]] = []
    pending_md: list[str] = []
    fences = list(FENCE.finditer(text))
    pos = 0
    first_title = True

    def flush() -> None:
        nonlocal first_title
        md = _markdown("".join(pending_md), src, dest_dir, lang).strip("\n")
        pending_md.clear()
        if not md.strip():
            return
        # one Markdown cell per section: split before each heading
        for part in re.split(r"\n(?=#{1,6} )", md):
            if part.strip():
                cells.append(("markdown", part.strip("\n")))
                if first_title:  # right under the title: where it comes from, and the set-up cell
                    first_title = False
                    cells.append(("markdown", banner))
                    cells.append(("code", _setup(lang)))

    prev_python = False
    for m in fences:
        between = text[pos : m.start()]
        lang_tag, body = m.group(1), m.group(2)
        pos = m.end()
        if lang_tag == "text" and prev_python and not between.strip():
            prev_python = False  # the printed output the docs promise: running the cell shows it
            continue
        if lang_tag == "python":
            pending_md.append(between)
            flush()
            cells.append(("code", body.rstrip("\n")))
            cells.extend(("code", c) for c in _show_cells(body, lang))
            prev_python = True
            continue
        pending_md.append(between + m.group(0))
        prev_python = False
    pending_md.append(text[pos:])
    flush()
    if first_title:  # a source without any heading still gets its banner and set-up
        cells[:0] = [("markdown", banner), ("code", _setup(lang))]
    return cells


def _lines(s: str) -> list[str]:
    lines = s.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def notebook(cells: list[tuple[str, str]], lang: str) -> dict:
    out = []
    for i, (kind, source) in enumerate(cells):
        cell: dict = {"cell_type": kind, "id": f"{kind[:2]}{i:03d}", "metadata": {}, "source": _lines(source)}
        if kind == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        out.append(cell)
    return {
        "cells": out,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "tinygrad_cn": {"lang": lang, "generated_by": "notebooks/build.py"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def render(name: str, lang: str) -> str:
    """The notebook ``name`` in ``lang`` as JSON text."""
    src = ROOT / CHAPTERS[name].format(lang=lang)
    extra = ROOT / "notebooks" / "src" / lang / f"{name}.extra.md"
    nb = notebook(cells_of(src, Path("notebooks") / lang, lang, extra), lang)
    return json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def build(out: Path) -> list[Path]:
    """Write every notebook under ``out/<lang>/``; returns the paths."""
    written = []
    for lang in LANGS:
        (out / lang).mkdir(parents=True, exist_ok=True)
        for name in CHAPTERS:
            path = out / lang / f"{name}.ipynb"
            text = render(name, lang)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                tmp = path.with_suffix(".ipynb.tmp")
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, path)
            written.append(path)
    return written


def stale(out: Path) -> list[Path]:
    """Notebooks under ``out`` that differ from what the sources generate (or are missing)."""
    return [out / lang / f"{name}.ipynb" for lang in LANGS for name in CHAPTERS
            if not (out / lang / f"{name}.ipynb").exists()
            or (out / lang / f"{name}.ipynb").read_text(encoding="utf-8") != render(name, lang)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a notebook is out of date")
    ap.add_argument("--out", type=Path, default=ROOT / "notebooks", help="folder that gets zh/ and en/")
    args = ap.parse_args(argv)
    if args.check:
        bad = stale(args.out)
        for p in bad:
            print(f"out of date: {p} (run make notebooks)", file=sys.stderr)
        return 1 if bad else 0
    for p in build(args.out):
        print(p.relative_to(args.out) if p.is_relative_to(args.out) else p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
