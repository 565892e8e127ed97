"""What ``check`` returns: one row per unknown (relative error, verdict on CS231n's scale, worst
index, a hint for a recognised mistake), printable as a table (zh/en) and shown as HTML in Jupyter."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .text import TEXT

PASS = 1e-4  # a relative error above this fails (SPEC: first_wrong)
TINY = 1e-10  # denominators never drop below TINY · max(1, |reference|): autograd's 1e-17 "zeros" are zeros


def relative_errors(yours: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """CS231n's relative error, element by element: |a − r| / max(|a|, |r|), 0 where both are 0."""
    scale = max(1.0, float(np.max(np.abs(ref), initial=0.0)))
    denom = np.maximum(np.maximum(np.abs(yours), np.abs(ref)), TINY * scale)
    with np.errstate(invalid="ignore", over="ignore"):
        rel = np.abs(yours - ref) / denom
    return np.where(np.isfinite(rel), rel, np.inf)


def level(rel: float) -> str:
    """CS231n's scale: > 1e-2 wrong, 1e-4…1e-2 suspicious, 1e-7…1e-4 fine (rounding), < 1e-7 exact."""
    if not rel <= 1e-2:
        return "wrong"
    if rel > PASS:
        return "suspicious"
    return "exact" if rel < 1e-7 else "ok"


@dataclass(frozen=True)
class Row:
    """One unknown's result. ``index`` is the worst element (None for a scalar); ``yours`` and
    ``expected`` are the values there; ``hint`` names a recognised mistake (or None)."""

    name: str
    rel_error: float
    verdict: str
    level: str  # "exact" | "ok" | "suspicious" | "wrong"
    index: tuple[int, ...] | None = None
    yours: float | None = None
    expected: float | None = None
    hint: str | None = None

    @property
    def passed(self) -> bool:
        """True when the relative error is at most 1e-4."""
        return self.rel_error <= PASS


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.6g}"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))


class Report:
    """The result of ``Exercise.check``: ``passed``, ``first_wrong`` (name or None), ``rows``."""

    def __init__(self, exercise_id: str, rows: Sequence[Row], lang: str) -> None:
        self.exercise_id = exercise_id
        self.rows = list(rows)
        self.lang = lang
        wrong = [r for r in self.rows if not r.passed]
        self.passed: bool = not wrong
        self.first_wrong: str | None = wrong[0].name if wrong else None

    def __getitem__(self, name: str) -> Row:
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(name)

    @property
    def hints(self) -> list[str]:
        """The hints of the rows, for the recognised mistakes (sign, transpose, batch sum, +=)."""
        return [r.hint for r in self.rows if r.hint]

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        t = TEXT[self.lang]
        head = [t["col_name"], t["col_rel"], t["col_verdict"], t["col_where"], t["col_yours"], t["col_ref"]]
        rows = []
        for r in self.rows:
            where = "—" if r.index is None else str(r.index)
            shown = not r.passed  # the numbers at the worst index, only where something is wrong
            rows.append([r.name, f"{r.rel_error:.2e}", r.verdict, where if shown else "",
                         _fmt(r.yours) if shown else "", _fmt(r.expected) if shown else ""])
        return head, rows

    def summary(self) -> str:
        """One line: all passed, or the first wrong unknown and its relative error."""
        t = TEXT[self.lang]
        if self.passed:
            return t["passed_one" if len(self.rows) == 1 else "passed"].format(n=len(self.rows))
        return t["failed"].format(name=self.first_wrong, rel=f"{self[self.first_wrong].rel_error:.2e}")

    def table(self) -> str:
        """The rows as a text table (what ``print(report)`` shows), the summary and the hints."""
        head, rows = self._cells()
        widths = [max(_width(x) for x in col) for col in zip(head, *rows)]
        line = lambda cells: "  ".join(_pad(c, w) for c, w in zip(cells, widths)).rstrip()
        out = [line(head), line(["-" * w for w in widths]), *(line(r) for r in rows), "", self.summary()]
        out += [f"{TEXT[self.lang]['hint']}{TEXT[self.lang]['colon']}{h}" for h in self.hints]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        head, rows = self._cells()
        colour = {"exact": "#d8f5d0", "ok": "#e8f7e0", "suspicious": "#fff2c2", "wrong": "#fbd3d0"}
        th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        body = "".join(
            f'<tr style="background:{colour[r.level]}">' + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
            for r, cells in zip(self.rows, rows)
        )
        hints = "".join(f"<li>{html.escape(h)}</li>" for h in self.hints)
        return (f'<table class="tinygrad-cn-report"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'
                f"<p><b>{html.escape(self.summary())}</b></p>" + (f"<ul>{hints}</ul>" if hints else ""))
