"""Relative links in README.md and docs/ point at files that exist, and the zh and en chapters pair up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def relative_links(text: str) -> list[str]:
    text = FENCE.sub("", text)  # links inside code blocks are code, not links
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_relative_links_resolve(path: Path):
    broken = [t for t in relative_links(path.read_text(encoding="utf-8"))
              if not (path.parent / t.split("#", 1)[0]).exists()]
    assert not broken, f"{path.relative_to(ROOT)}: links to missing files: {broken}"


def test_chapters_exist_in_both_languages():
    zh = sorted(p.name for p in (ROOT / "docs" / "zh").glob("*.md"))
    en = sorted(p.name for p in (ROOT / "docs" / "en").glob("*.md"))
    assert zh == en
    assert [n[:2] for n in zh] == ["00", "01", "02", "03", "04", "05", "06", "07"]


def test_link_finder():
    assert relative_links("[a](x.md) [b](https://e.org) [c](#top) `[d](y.md)`\n```\n[e](z.md)\n```\n") == [
        "x.md", "y.md"]
