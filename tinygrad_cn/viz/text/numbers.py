"""Numbers as short text, the same everywhere (graph nodes, the step table, the HTML page).

>>> num(0.70710678), num(-3.0), num(1.5e-7), num(0.0), num(float("nan"))
('0.7071', '-3', '1.5e-07', '0', 'nan')
>>> array_text(np.array([1.0, -2.5]))
'[1, -2.5]'
>>> array_text(np.arange(12.0).reshape(3, 4))
'(3, 4) min 0 mean 5.5 max 11'
"""

from __future__ import annotations

import numpy as np

DASH = "—"  # shown for a gradient that is not computed yet (never 0: that would be a real value)


def num(x: float, digits: int = 4) -> str:
    """A number with ``digits`` significant digits; exact zeros read "0" (never "-0")."""
    x = float(x)
    if x == 0:
        return "0"
    if not np.isfinite(x):
        return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
    return f"{x:.{digits}g}"


def stats(a: np.ndarray) -> tuple[float, float, float]:
    """(min, mean, max) of an array, ignoring nothing (a NaN shows as nan)."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(all="ignore"):
        return float(a.min()), float(a.mean()), float(a.max())


def norm(a: np.ndarray) -> float:
    """The Euclidean norm ‖a‖ of all entries."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(all="ignore"):
        return float(np.sqrt(np.sum(a * a)))


def shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def array_text(a: np.ndarray | None, digits: int = 4, max_items: int = 4) -> str:
    """A scalar as a number, a small array as a list, a larger one as shape and min/mean/max."""
    if a is None:
        return DASH
    a = np.asarray(a)
    if a.size == 1:
        return num(a.reshape(()), digits)
    if a.size <= max_items and a.ndim == 1:
        return "[" + ", ".join(num(x, digits) for x in a) + "]"
    if a.size == 0:
        return f"{shape_text(a.shape)} empty"
    lo, mean, hi = stats(a)
    return f"{shape_text(a.shape)} min {num(lo, digits)} mean {num(mean, digits)} max {num(hi, digits)}"


FULL_LIMIT = 64  # tensors up to this many elements show every number; larger ones a summary and a corner
CORNER = (4, 6)  # rows × columns of the corner shown for a larger tensor


def dtype_text(a: np.ndarray) -> str:
    return str(np.asarray(a).dtype)


def matrix(a: np.ndarray, digits: int = 4) -> dict:
    """A tensor laid out for display as small matrices (JSON-ready).

    Every number when ``a`` has at most 64 elements: a 0-d array is one number, a vector one row,
    a matrix its rows, a higher-rank tensor one matrix per index of its leading axes. Above 64:
    ``summary`` (min/mean/max) and the top-left corner of the first matrix, ``clipped`` True.

    >>> m = matrix(np.arange(6.0).reshape(2, 3))
    >>> m["shape"], m["blocks"][0]["rows"], m["clipped"]
    ('(2, 3)', [['0', '1', '2'], ['3', '4', '5']], False)
    >>> big = matrix(np.zeros((10, 10)))
    >>> big["clipped"], len(big["blocks"][0]["rows"]), big["summary"]
    (True, 4, 'min 0 mean 0 max 0')
    """
    a = np.asarray(a)
    out: dict = {"shape": shape_text(a.shape), "dtype": dtype_text(a), "blocks": [], "summary": None, "clipped": False}
    if a.size == 0:
        out["summary"] = "empty"
        return out
    if a.size > 1:
        lo, mean, hi = stats(a)
        out["summary"] = f"min {num(lo, digits)} mean {num(mean, digits)} max {num(hi, digits)}"
    grid = a.reshape(1, 1) if a.ndim == 0 else a.reshape(1, -1) if a.ndim == 1 else a
    if a.size > FULL_LIMIT:
        first = grid.reshape(-1, *grid.shape[-2:])[0]
        r, c = CORNER
        rows = [[num(x, digits) for x in row[:c]] for row in first[:r]]
        out["blocks"] = [{"index": "[0, …]" if grid.ndim > 2 else "", "rows": rows,
                          "more_rows": first.shape[0] > r, "more_cols": first.shape[1] > c}]
        out["clipped"] = True
        return out
    lead = grid.shape[:-2]
    for idx in np.ndindex(*lead):
        block = grid[idx]
        index = "[" + ", ".join(str(i) for i in idx) + ", :, :]" if idx else ""
        out["blocks"].append({"index": index, "rows": [[num(x, digits) for x in row] for row in block],
                              "more_rows": False, "more_cols": False})
    return out


def matrix_text(a: np.ndarray, digits: int = 4, indent: str = "    ") -> str:
    """:func:`matrix` as aligned text lines, one row per line (a summary line first when clipped).

    >>> print(matrix_text(np.array([[3.0, 2.0, 6.0], [9.0, 8.0, 12.0]]), indent=""))
    [3  2   6]
    [9  8  12]
    """
    m = matrix(a, digits)
    lines = [] if not m["clipped"] else [f"{indent}{m['shape']} {m['summary']}, top-left corner:"]
    for b in m["blocks"]:
        if b["index"]:
            lines.append(f"{indent}{b['index']}")
        rows = [r + (["…"] if b["more_cols"] else []) for r in b["rows"]]
        widths = [max(len(r[j]) for r in rows if j < len(r)) for j in range(max(len(r) for r in rows))]
        lines += [indent + "[" + "  ".join(x.rjust(w) for x, w in zip(r, widths)) + "]" for r in rows]
        if b["more_rows"]:
            lines.append(indent + " ⋮")
    return "\n".join(lines)
