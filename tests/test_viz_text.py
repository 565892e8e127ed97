"""The small text helpers: numbers, CJK-aware tables, formulas with names and numbers."""

from __future__ import annotations

import numpy as np

from tinygrad_cn.engine import OPS
from tinygrad_cn.viz.graph.labels import text_width
from tinygrad_cn.viz.text.numbers import array_text, num
from tinygrad_cn.viz.text.table import display_width, format_table
from tinygrad_cn.viz.trace import formulas as ft


def test_numbers():
    assert num(-0.0) == "0" and num(1e-12) == "1e-12" and num(float("inf")) == "inf"
    assert array_text(None) == "—"
    assert array_text(np.array([[1.0]])) == "1"
    assert array_text(np.zeros((0, 3))) == "(0, 3) empty"


def test_table_aligns_chinese():
    assert display_width("梯度ab") == 6
    out = format_table(["节点", "x"], [["长名字的节点", "1"], ["a", "22"]]).splitlines()
    positions = [display_width(line[: line.rindex(" ") + 1]) for line in out if line.strip()]
    assert len(set(positions)) == 1  # the second column starts at the same terminal column
    clipped = format_table(["a"], [["x" * 100]], max_width=10)
    assert clipped.splitlines()[-1] == "x" * 9 + "…"


def test_formula_names_and_numbers():
    assert ft.input_symbols(OPS["linear"], 3) == ["x", "W", "b"]
    assert ft.named("∂y/∂a = b·a^(b−1)", {"y": "p", "a": "base", "b": "e"}) == "∂p/∂base = e·base^(e−1)"
    assert ft.named("∂y/∂a = 1", {"y": "x1*w1", "a": "x1"}) == "∂(x1*w1)/∂x1 = 1"
    assert ft.named("tanh(a) at a", {"a": "z"}) == "tanh(z) at z"  # 'a' inside 'tanh' and 'at' untouched
    assert ft.numeric("∂y/∂a = b", {"a": 1.0, "b": -3.0}) == "-3"
    assert ft.numeric("y = a · b", {"a": 2.0, "b": -3.0}) == "2 · (-3)"
    assert ft.numeric("∂y/∂a = 1", {"a": 2.0}) is None
    assert ft.numeric("∂y/∂a = sign(a)  (0 at a = 0)", {"a": -2.0}) == "sign(-2)"


def test_text_width_grows_with_text():
    assert text_width("", 10) == 0
    assert text_width("mmmm", 10) > text_width("iiii", 10)
    assert text_width("梯", 10) >= text_width("m", 10)
