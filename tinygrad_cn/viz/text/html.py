"""HTML for notebooks: step tables whose tensor cells are small matrices (Jupyter's ``_repr_html_``)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from .numbers import matrix

STYLE = ("<style>.tgcn-t{border-collapse:collapse;font-size:13px}.tgcn-t th,.tgcn-t td{padding:2px 8px;"
         "border-bottom:1px solid #e4e4ea;text-align:left;vertical-align:top}"
         ".tgcn-m{border-collapse:collapse;font-family:monospace;font-size:12px;border-left:1px solid #888;"
         "border-right:1px solid #888}.tgcn-m td{padding:0 4px;border:0;text-align:right}"
         ".tgcn-s{color:#666;font-size:11px}</style>")


def matrix_html(a: np.ndarray, digits: int = 4) -> str:
    """``a`` as bracketed matrices (every number up to 64 elements, else summary and corner)."""
    m = matrix(a, digits)
    if np.asarray(a).size == 1 and np.asarray(a).ndim == 0:
        return html.escape(m["blocks"][0]["rows"][0][0])
    parts = [f'<span class="tgcn-s">{html.escape(m["shape"])} {html.escape(m["dtype"])}'
             + (f' · {html.escape(m["summary"])}' if m["summary"] and m["clipped"] else "") + "</span>"]
    for b in m["blocks"]:
        rows = []
        for r in b["rows"]:
            cells = "".join(f"<td>{html.escape(x)}</td>" for x in r) + ("<td>…</td>" if b["more_cols"] else "")
            rows.append(f"<tr>{cells}</tr>")
        if b["more_rows"]:
            rows.append("<tr><td>⋮</td></tr>")
        label = f'<span class="tgcn-s">{html.escape(b["index"])}</span>' if b["index"] else ""
        parts.append(f'{label}<table class="tgcn-m">{"".join(rows)}</table>')
    return "".join(parts)


def cell_html(c: Any) -> str:
    if isinstance(c, np.ndarray) and c.size > 1:
        return matrix_html(c)
    return html.escape(str(c))


def html_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], footer: str | None = None) -> str:
    """A table for Jupyter: text cells escaped, array cells drawn as matrices; ``footer`` a last line."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell_html(c)}</td>" for c in r) + "</tr>" for r in rows)
    foot = f'<p class="tgcn-final">{html.escape(footer)}</p>' if footer else ""
    return f'{STYLE}<table class="tgcn-t"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{foot}'
