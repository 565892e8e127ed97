"""Every figure the docs quote from an example script is what that script really prints.

A quoted passage is marked in the markdown with ``<!-- figures: examples/NN_name.py -->`` on the
line before it; the passage (the next paragraph or table, up to a blank line) may only contain
numbers that the script prints in a full-size run, at the precision quoted (98.7 % matches a printed
98.7%, 95 % a printed 94.8%, 1e-16 a printed 1.1e-16). In examples/README.md the marker
``<!-- figures: per row ... -->`` checks the last column of each row against the script named in
its first column. A passage that cites an example's result (a percentage or a ×factor next to
"example NN" / "示例 NN" / a script name) without a marker fails too, so no quote goes unchecked.

The nine scripts run once per session, in English, all at once (a few seconds each at full size).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DOCS = [ROOT / "README.md", EXAMPLES / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
MARKER = re.compile(r"^<!-- figures: (?P<what>.+?) -->$", re.M)
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.]*[A-Za-z_/])")
SCRIPT = re.compile(r"\d\d_\w+\.py")
CITES_EXAMPLE = re.compile(r"[Ee]xample \d\d|示例 ?\d\d|\d\d_\w+\.py")
RESULT = re.compile(r"\d+(?:\.\d+)? ?%|×\d+\.\d+")


def _prose(text: str) -> str:
    """The text without inline code, link targets, script names and "example NN" (not figures)."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = SCRIPT.sub(" ", text)
    return re.sub(r"([Ee]xample|示例) ?\d\d", " ", text)


def numbers(text: str) -> list[str]:
    return [n.replace("−", "-") for n in NUMBER.findall(_prose(text))]


def matches(quoted: str, printed: float) -> bool:
    """Whether ``printed`` rounds to ``quoted`` at the precision it is quoted with."""
    if "e" in quoted:
        mantissa = quoted.split("e")[0]
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return float(f"{printed:.{digits}e}") == float(quoted)
    digits = len(quoted.split(".")[1]) if "." in quoted else 0
    return f"{printed:.{digits}f}" == f"{float(quoted):.{digits}f}"


def passages(path: Path) -> list[tuple[str, str, int]]:
    """``(script, text, line)`` for every marked passage of a markdown file."""
    text = path.read_text(encoding="utf-8")
    found = []
    for m in MARKER.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        block = text[m.end():].lstrip("\n").split("\n\n")[0]
        if m["what"].startswith("per row"):
            for row in block.splitlines():
                cells = [c.strip() for c in row.strip().strip("|").split("|")]
                script = SCRIPT.search(cells[0])
                if script:
                    found.append((script.group(0), cells[-1], line))
        else:
            found.append((Path(m["what"]).name, block, line))
    return found


PASSAGES = [(p, *x) for p in DOCS for x in passages(p)]
_runs: dict[str, str] = {}


@pytest.fixture(scope="module")
def full_runs(tmp_path_factory):
    """stdout of each quoted script at full size (--lang en), all started at once."""
    scripts = sorted({script for _, script, _, _ in PASSAGES})
    env = {**os.environ, "PYTHONWARNINGS": "error", "PYTHONIOENCODING": "utf-8"}
    out = tmp_path_factory.mktemp("full")
    procs = {s: subprocess.Popen([sys.executable, str(EXAMPLES / s), "--lang", "en", "--out", str(out)], cwd=out,
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
             for s in scripts}
    for s, p in procs.items():
        stdout, stderr = p.communicate(timeout=600)
        assert p.returncode == 0, f"{s} failed:\n{stderr}"
        _runs[s] = stdout
    return _runs


def _printed(stdout: str) -> list[float]:
    keep = "\n".join(ln for ln in stdout.splitlines() if not re.search(r"done in|figure saved", ln))
    return [float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]\d+)?", keep)]


def test_the_docs_have_marked_passages():
    files = {p.name for p, *_ in PASSAGES}
    assert {"README.md", "04-activations.md"} <= files
    assert len({s for _, s, _, _ in PASSAGES}) == len(list(EXAMPLES.glob("[0-9][0-9]_*.py")))


@pytest.mark.parametrize(("path", "script", "text", "line"), PASSAGES,
                         ids=[f"{p.relative_to(ROOT)}:{ln}:{s[:2]}" for p, s, _, ln in PASSAGES])
def test_quoted_figures_are_printed_by_the_script(path, script, text, line, full_runs):
    printed = _printed(full_runs[script])
    quoted = numbers(text)
    assert quoted, f"{path.name}:{line}: the marked passage quotes no number"
    missing = [q for q in quoted if not any(matches(q, p) for p in printed)]
    assert not missing, (f"{path.relative_to(ROOT)}:{line} quotes {missing} but {script} (full size) prints no such "
                         f"number; it printed:\n{full_runs[script]}")


def test_every_passage_citing_an_example_result_is_marked():
    unmarked = []
    for path in DOCS:
        text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
        marked = {block for _, block, _ in passages(path)}
        blocks = text.split("\n\n")
        for i, block in enumerate(blocks):
            if MARKER.search(block) or not CITES_EXAMPLE.search(block) or not RESULT.search(_prose(block)):
                continue
            previous = blocks[i - 1] if i else ""
            if MARKER.search(block.split("\n")[0]) or MARKER.search(previous.split("\n")[-1]) or block in marked:
                continue
            unmarked.append(f"{path.relative_to(ROOT)}: {block[:120]!r}")
    assert not unmarked, "quoted example results without a <!-- figures: ... --> marker:\n" + "\n".join(unmarked)


@pytest.mark.parametrize(("quoted", "printed", "ok"), [
    ("98.7", 98.7, True), ("99.6", 98.7, False), ("95", 94.8, True), ("96", 94.8, False), ("1e-16", 1.1e-16, True),
    ("0.454", 0.4541, True), ("100", 100.0, True), ("-0.34", -0.34, True), ("-0.34", 0.34, False),
])
def test_matching_at_the_quoted_precision(quoted, printed, ok):
    assert matches(quoted, printed) is ok


def test_number_extraction_skips_code_and_names():
    text = "Example 08 (`python examples/08_dead_relu.py`) [x](../../examples/05_a.py): 94.8% of 64 units, ×0.32, 1e-16"
    assert numbers(text) == ["94.8", "64", "0.32", "1e-16"]
