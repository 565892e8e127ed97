"""Plain-text tables that line up with Chinese text (a CJK character takes two terminal columns).

>>> print(format_table(["节点", "value"], [["a", "1"], ["梯度", "-0.5"]]))
节点  value
----  -----
a     1
梯度  -0.5
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    """Terminal columns taken by ``text``: wide (CJK) characters count 2, combining marks 0."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _clip(text: str, limit: int) -> str:
    if display_width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 60) -> str:
    """``headers`` and ``rows`` as aligned columns; a cell wider than ``max_width`` is clipped with "…"."""
    cells = [[_clip(str(c), max_width) for c in row] for row in [list(headers), *rows]]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [c + " " * (w - display_width(c)) for c, w in zip(row, widths)]
        return "  ".join(parts).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells[1:])
    return "\n".join(out)
