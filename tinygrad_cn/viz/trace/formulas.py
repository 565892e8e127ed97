"""An op's formula (``tinygrad_cn.engine.Formula``) written with the graph's own names and numbers.

The formulas are data on each op, in the op's own letters: ``y = a · b``, ``∂y/∂b = a``. For one
step of a particular graph the learner wants ``∂(x1*w1)/∂w1 = x1`` and then ``= 2``.

>>> from tinygrad_cn.engine import OPS
>>> named(OPS["mul"].formula.local[1], {"y": "x1w1", "a": "x1", "b": "w1"})
'∂x1w1/∂w1 = x1'
>>> numeric(OPS["tanh"].formula.local[0], {"x": 0.8814, "y": 0.7071})
'1 − tanh²(0.8814) = 1 − 0.7071²'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..text.numbers import num

_INPUT_NAME = re.compile(r"∂[^/\s]+/∂([^\s=:(,·]+)")
_SIMPLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def input_symbols(op: type, n: int) -> list[str]:
    """The formula's letter for each of the op's ``n`` inputs (``a, b`` from ``∂y/∂a``, ``∂y/∂b``).

    >>> from tinygrad_cn.engine import OPS
    >>> input_symbols(OPS["mul"], 2), input_symbols(OPS["matmul"], 2), input_symbols(OPS["exp"], 1)
    (['a', 'b'], ['A', 'B'], ['a'])
    """
    formula = getattr(op, "formula", None)
    named_inputs = getattr(formula, "inputs", None)  # the formula's own names for its inputs, if it states them
    if named_inputs and len(named_inputs) >= n:
        return [str(s) for s in named_inputs[:n]]
    local = getattr(formula, "local", ()) or ()
    out = []
    for i in range(n):
        m = _INPUT_NAME.search(local[i]) if i < len(local) else None
        out.append(m.group(1) if m else "abcdefgh"[i % 8])
    return out


def local_formula(op: type, i: int) -> str:
    """The local derivative of the op's output with respect to its input ``i``, as the op states it."""
    local = getattr(getattr(op, "formula", None), "local", ()) or ()
    if not local:
        return f"∂y/∂input{i}"
    return local[i] if i < len(local) else local[-1]


def _pattern(keys: list[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])({alts})(?![A-Za-z0-9_])")


def _wrap(name: str) -> str:
    return name if _SIMPLE_NAME.fullmatch(name) else f"({name})"


def named(text: str, names: Mapping[str, str]) -> str:
    """``text`` with each formula letter (a whole token) replaced by the graph's name for it."""
    keys = [k for k in names if k]
    if not keys:
        return text
    return _pattern(keys).sub(lambda m: _wrap(names[m.group(1)]), text)


def _rhs(text: str) -> str:
    text = text.split("  (")[0]  # drop a trailing remark such as "  (0 at a = 0)"
    if "=" in text:
        text = text.split("=", 1)[1]
    return text.strip()


def numeric(text: str, values: Mapping[str, float]) -> str | None:
    """The right-hand side of ``text`` with the letters replaced by numbers, or None if no letter
    occurs there (nothing to show)."""
    rhs = _rhs(text)
    keys = [k for k in values if k]
    if not keys:
        return None
    pattern = _pattern(keys)
    if not pattern.search(rhs):
        return None

    def number(m: re.Match[str]) -> str:
        s = num(values[m.group(1)])
        before = m.string[: m.start()].rstrip()[-1:]
        after = m.string[m.end():].lstrip()[:1]
        alone = before in ("", "(", ",", "[") and after in ("", ")", ",", "]")
        return f"({s})" if s.startswith("-") and not alone else s

    return pattern.sub(number, rhs)
