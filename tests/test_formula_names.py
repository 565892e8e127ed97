"""Every op's formula, written with a learner's names: no formula letter survives the renaming, and
no other letter is left that a learner's variable could be called (``leaky_relu(a)`` once printed
``out = a if a > 0 else a·a``; ``elu(a)`` left ``eˣ`` unrenamed)."""

from __future__ import annotations

import re

import pytest

import tinygrad_cn.functional  # registers every op (as info, losses, nn below)
import tinygrad_cn.info
import tinygrad_cn.losses
import tinygrad_cn.nn
from tinygrad_cn import viz
from tinygrad_cn.engine import OPS, Value
from tinygrad_cn.viz.trace import formulas as ft

LETTER = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z])(?![A-Za-z0-9_])")
# the conventions every rule may use: L the loss, G / g the upstream gradient
CONVENTIONS = {"L", "G", "g"}
# letters that name something other than an input and stay (reported, not yet renamed): the engine's
# own formulas (tinygrad_cn/engine, e for Euler's number, N a count) and index / size letters
KNOWN = {
    "exp": {"e"}, "sigmoid": {"e"}, "mean": {"N"}, "reshape": {"s"}, "sum_to": {"s"},  # engine: "a's shape"
    "cross_entropy": {"N"}, "nll_loss": {"N", "c", "n"}, "embedding": {"i", "p"},
    "rotary_embedding": {"R", "d", "t"}, "scaled_dot_product_attention": {"E", "P", "S"}, "rms_norm": {"n", "r"},
}


def _texts(op):
    f = op.formula
    return [ft.without_remark(f.forward), *(ft.without_remark(t) for t in f.local)]


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_formula_letter_is_renamed_and_no_other_letter_can_clash(name):
    op = OPS[name]
    symbols = ft.input_symbols(op, len(op.formula.local))
    out = ft.output_symbol(op)
    names = {out: "out", **{s: f"user{i}" for i, s in enumerate(symbols)}}
    for text in _texts(op):
        renamed = ft.named(text, names)
        left = set(LETTER.findall(renamed)) - CONVENTIONS - KNOWN.get(name, set())
        assert not left, f"{name}: {text!r} -> {renamed!r} keeps the letter(s) {left}"
        exponents = {c for c in renamed if c in ft.SUPERSCRIPT.values()} - {"ᵀ"}
        assert not exponents, f"{name}: {renamed!r} keeps an exponent letter {exponents}"
        for s in symbols:
            if len(s) > 1 or not s.isascii():  # words and Greek: whole tokens only
                assert not re.search(rf"(?<![A-Za-z0-9_]){re.escape(s)}(?![A-Za-z0-9_])", renamed), (name, renamed)


def test_known_letters_are_still_there():
    """The exceptions above are real (a fixed formula must leave the list)."""
    for name, letters in KNOWN.items():
        found = {m for t in _texts(OPS[name]) for m in LETTER.findall(t)}
        assert letters <= found, (name, letters - found)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_learner_named_a_gets_alpha_not_a_clash(lang):
    a = Value(-1.0, label="a")
    rec = viz.record(tinygrad_cn.functional.leaky_relu(a), lang=lang)
    forward, backward = list(rec.forward)[-1].formula_named, list(rec.backward)[-1].formula_named
    assert "α·a" in forward and "a·a" not in forward
    assert backward.startswith("∂") and backward.endswith("else α")
    assert ("negative_slope" in forward) == (lang == "en")  # the English remark stays out of the zh table
    e = Value(-1.0, label="a")
    rec = viz.record(tinygrad_cn.functional.elu(e), lang=lang)
    assert "exp(a)" in list(rec.forward)[-1].formula_named and "ˣ" not in str(rec.forward)
    x = Value(0.5, label="x")
    rec = viz.record(x.exp(), lang=lang)
    assert "e^x" in list(rec.forward)[-1].formula_named and "ᵃ" not in str(rec.forward) + str(rec.backward)
