"""The one escaping helper for Graphviz HTML-like labels, and a text-width estimate for sizing cells.

Every piece of text that goes into a graph label passes through :func:`esc`. HTML-like labels are
XML, so ``& < > "`` must become entities; ``| { } \\`` mean something in record labels and escape
strings, so they become numeric references too; and anything outside printable ASCII (Greek letters,
math symbols, Chinese) becomes ``&#NNNN;``. The DOT text is therefore pure ASCII whatever the labels
hold, and ``dot`` cannot be confused by any of it.

>>> esc('a|b<c>{d} "e" \\\\ & 梯度')
'a&#124;b&lt;c&gt;&#123;d&#125; &quot;e&quot; &#92; &amp; &#26799;&#24230;'
>>> esc("x1*w1 + b")
'x1*w1 + b'
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
            "|": "&#124;", "{": "&#123;", "}": "&#125;", "\\": "&#92;"}
_SAFE = re.compile(r"[ !#$%()*+,\-./0-9:;=?@A-Z\[\]^_`a-z~]*")


def esc(text: object) -> str:
    """``text`` as ASCII safe inside a Graphviz HTML-like label (control characters become spaces)."""
    s = str(text)
    if _SAFE.fullmatch(s):
        return s
    out = []
    for ch in s:
        code = ord(ch)
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif code < 32 or code == 127:
            out.append(" ")
        elif code > 126:
            out.append(f"&#{code};")
        else:
            out.append(ch)
    return "".join(out)


# Advance widths of Helvetica/Arial (units of 1/1000 em) for printable ASCII, from the font metrics;
# anything else counts as a full em. Used to give value cells a fixed size (stable layouts).
_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
     556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015,
     667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611,
     722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333,
     556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278,
     556, 500, 722, 500, 500, 500, 334, 260, 334, 584),
))


@lru_cache(maxsize=1 << 16)
def text_width(text: str, fontsize: float) -> float:
    """Estimated width in points of ``text`` (unescaped) set in Helvetica at ``fontsize``, with 15%
    to spare for fonts that run wider (DejaVu Sans, Liberation Sans)."""
    return 1.15 * fontsize * sum(_WIDTHS.get(ch, 1000) for ch in text) / 1000.0
