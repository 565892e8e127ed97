"""Every ```python block in README.md and docs/ runs, in order, one namespace per file; a block
followed directly by a ```text block must print exactly that text. So the docs cannot rot."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)


def blocks(text: str) -> list[tuple[str, str | None]]:
    """(python source, expected output or None) for each python block."""
    found = [(m.group(1), m.group(2), m.start(), m.end()) for m in FENCE.finditer(text)]
    out = []
    for i, (lang, body, _, end) in enumerate(found):
        if lang != "python":
            continue
        expected = None
        if i + 1 < len(found) and found[i + 1][0] == "text" and not text[end : found[i + 1][2]].strip():
            expected = found[i + 1][1]
        out.append((body, expected))
    return out


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_doc_code_blocks_run(path: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # figures a block writes land in a temporary folder
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {"__name__": "__doc__"}
    for n, (src, expected) in enumerate(blocks(path.read_text(encoding="utf-8")), 1):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            try:
                exec(compile(src, f"{path.name}[block {n}]", "exec"), namespace)
            except Exception as e:  # pragma: no cover - the failure message is the point
                pytest.fail(f"{path.name} block {n} raised {type(e).__name__}: {e}\n--- block ---\n{src}")
        if expected is not None:
            got = [line.rstrip() for line in buf.getvalue().strip().splitlines()]
            want = [line.rstrip() for line in expected.strip().splitlines()]
            assert got == want, f"{path.name} block {n} printed:\n{buf.getvalue()}\nexpected:\n{expected}"


def test_collector_sees_blocks():
    assert blocks("```python\nprint(1)\n```\n\n```text\n1\n```\n") == [("print(1)\n", "1\n")]
    assert blocks("```sh\nmake test\n```\n") == []
