"""练习 / Exercises: hand-computed gradients that check themselves (Karpathy's "backprop ninja").

Each exercise gives the numbers and names the unknowns (every intermediate gradient); ``check``
compares your answers with what tinygrad_cn's autograd computes, reports each unknown's relative
error with a verdict on CS231n's scale, names the first wrong one and its worst index, and
recognises the common mistakes (a flipped sign, a transposed matrix, a missing sum over the batch,
a forgotten ``+=``) with a hint.

>>> from tinygrad_cn import exercises
>>> ex = exercises.load("neuron", lang="en")
>>> ex.unknowns[:3]
('dn', 'db', 'ds')
>>> answers = exercises.solution("neuron")
>>> ex.check(answers).passed
True
>>> answers["dw1"] = -answers["dw1"]
>>> report = ex.check(answers)
>>> report.first_wrong, report["dw1"].verdict
('dw1', 'wrong')
>>> print(report.hints[0][:38])
dw1: the sign is flipped — your answer
"""

from __future__ import annotations

import difflib
from typing import Any

from . import bank_activations, bank_autograd, bank_info, bank_linear, bank_op
from .core import Exercise, ExerciseError, Spec, UnknownExerciseError
from .report import Report, Row
from .text import TEXT, check_lang

# in the order of the docs: autograd, then the notes' three chapters; the op rule last
_SPECS: dict[str, Spec] = {
    s.id: s
    for s in (*bank_autograd.SPECS, *bank_info.SPECS, *bank_linear.SPECS, *bank_activations.SPECS, bank_op.SPEC)
}


def catalog() -> list[str]:
    """Every exercise id, in the docs' order (autograd, entropy & KL, linear classifiers, activations)."""
    return list(_SPECS)


def _spec(id: str, lang: str) -> Spec:
    if id not in _SPECS:
        guess = difflib.get_close_matches(str(id), list(_SPECS), n=1)
        t = TEXT[lang]
        maybe = t["e_maybe"].format(guess=guess[0]) if guess else ""
        raise UnknownExerciseError(t["e_unknown_id"].format(id=id, maybe=maybe, ids=", ".join(_SPECS)))
    return _SPECS[id]


def load(id: str, lang: str = "zh") -> Exercise:
    """The exercise ``id`` with its title and task in ``lang`` ("zh" or "en"): ``title``, ``task``,
    ``inputs`` (name → numbers), ``unknowns`` (names, in order) and ``check(answers)``."""
    check_lang(lang, "exercises.load")
    spec = _spec(id, lang)
    return bank_op.RuleExercise(spec, lang) if spec is bank_op.SPEC else Exercise(spec, lang)


def solution(id: str) -> dict[str, Any]:
    """The reference answers of exercise ``id`` (name → array, or the rule function for
    ``op_backward``), computed by tinygrad_cn's autograd, never typed in."""
    return load(id, "en").solution()


__all__ = ["Exercise", "ExerciseError", "Report", "Row", "UnknownExerciseError", "catalog", "load", "solution"]
