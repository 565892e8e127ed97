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


_OUTPUT_NAME = re.compile(r"∂([A-Za-z]+)[^/\s]*/∂")


def output_symbol(op: type) -> str:
    """The formula's letter for the op's output: ``l`` in ``∂l/∂x``, ``Y`` in ``Y = A @ B`` (``L`` is
    the loss of a ``∂L/∂x = …`` rule, not the output), else ``y``.

    >>> from tinygrad_cn.engine import OPS
    >>> output_symbol(OPS["mul"]), output_symbol(OPS["matmul"]), output_symbol(OPS["binary_cross_entropy"])
    ('y', 'Y', 'l')
    """
    formula = getattr(op, "formula", None)
    for text in getattr(formula, "local", ()) or ():
        m = _OUTPUT_NAME.search(text)
        if m and m.group(1) != "L":
            return m.group(1)
    last = (getattr(formula, "forward", "") or "").split("  (")[0].split(";")[-1]
    lhs = last.split("=")[0].strip() if "=" in last else ""
    return lhs if _SIMPLE_NAME.fullmatch(lhs) and len(lhs) == 1 and lhs != "L" else "y"


def local_formula(op: type, i: int) -> str:
    """The local derivative of the op's output with respect to its input ``i``, as the op states it."""
    local = getattr(getattr(op, "formula", None), "local", ()) or ()
    if not local:
        return f"∂y/∂input{i}"
    return local[i] if i < len(local) else local[-1]


# a letter written as an exponent (eᵃ, eˣ): renamed as "^name", so no formula letter survives renaming
SUPERSCRIPT = dict(zip("abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ"))
_SUPER_KEY = {v: k for k, v in SUPERSCRIPT.items()}


def _pattern(keys: list[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    sup = "".join(SUPERSCRIPT[k] for k in keys if k in SUPERSCRIPT and k != "T")  # ᵀ is the transpose
    exponent = rf"|(?<=[^\s])([{sup}])" if sup else ""
    return re.compile(rf"(?<![A-Za-z0-9_])({alts})(?![A-Za-z0-9_]){exponent}")


def _key(m: re.Match[str]) -> tuple[str, bool]:
    """The formula letter a match stands for, and whether it was written as an exponent."""
    if m.group(1) is not None:
        return m.group(1), False
    return _SUPER_KEY[m.group(2)], True


def without_remark(text: str) -> str:
    """``text`` without its trailing remark (``"y = |a|  (0 at a = 0)"`` -> ``"y = |a|"``): the
    remarks are English words, so the Chinese tables leave them out."""
    return text.split("  (")[0].rstrip()


def _wrap(name: str) -> str:
    return name if _SIMPLE_NAME.fullmatch(name) else f"({name})"


def named(text: str, names: Mapping[str, str]) -> str:
    """``text`` with each formula letter (a whole token) replaced by the graph's name for it."""
    keys = [k for k in names if k]
    if not keys:
        return text

    def name(m: re.Match[str]) -> str:
        key, exponent = _key(m)
        return "^" + _wrap(names[key]) if exponent else _wrap(names[key])

    return _pattern(keys).sub(name, text)


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
        key, exponent = _key(m)
        s = num(values[key])
        if exponent:
            return f"^({s})" if s.startswith("-") else f"^{s}"
        before = m.string[: m.start()].rstrip()[-1:]
        after = m.string[m.end():].lstrip()[:1]
        alone = before in ("", "(", ",", "[") and after in ("", ")", ",", "]")
        return f"({s})" if s.startswith("-") and not alone else s

    return pattern.sub(number, rhs)
