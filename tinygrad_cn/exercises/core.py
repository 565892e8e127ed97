"""An exercise: given numbers, named unknowns, and a ``build`` that computes them with tinygrad_cn's
autograd, so that no answer is ever typed in. ``check`` compares the learner's answers with them.

A spec's ``build(inputs)`` constructs the computation from Values and returns, for each unknown,
either ``Val(x)`` (a forward value) or ``Grad(root, *nodes)``: the gradient ∂root/∂node. A quantity
the formula uses k times is written as k Values holding the same numbers, one per use; the answer is
the sum of their gradients (the multivariable chain rule, which is what ``grad +=`` computes), and
each use's share is kept to recognise a forgotten ``+=``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..engine import Value, grad
from .report import PASS, Report, Row, level, relative_errors
from .text import TEXT, check_lang


class ExerciseError(ValueError):
    """A missing, unexpected, non-numeric or wrong-shaped answer, or a rule that fails to run (the
    message names it)."""


class UnknownExerciseError(ExerciseError, KeyError):
    """``exercises.load`` with an id that is not in the catalog (the message lists the valid ids).
    Also a KeyError, as a lookup by a missing key is, but shown without KeyError's quotes."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Val:
    """An unknown that is a forward value (a Value's data, or an array computed with autograd)."""

    def __init__(self, x: Value | np.ndarray | float) -> None:
        self.array = np.array(x.data if isinstance(x, Value) else x, dtype=np.float64)


class Grad:
    """An unknown that is ∂root/∂node, summed over ``nodes`` (one node per use of the quantity)."""

    def __init__(self, root: Value, *nodes: Value) -> None:
        if not nodes:
            raise ValueError("Grad: give at least one node")
        self.root, self.nodes = root, nodes


Target = Val | Grad
Build = Callable[[dict[str, np.ndarray]], dict[str, Target]]


@dataclass(frozen=True)
class Spec:
    """One exercise as data. ``task`` texts may use ``{name}`` fields of the inputs' values;
    ``batch`` names the inputs whose axis 0 is the batch (for the "missing sum over the batch" hint)."""

    id: str
    chapter: str
    title: dict[str, str]
    task: dict[str, str]
    inputs: dict[str, Any]
    build: Build
    batch: tuple[str, ...] = ()
    unknowns: tuple[str, ...] = field(default=())  # filled from build's order when empty

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: np.array(v, dtype=np.float64) for k, v in self.inputs.items()}


def solve(build: Build, inputs: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, list[np.ndarray]]]:
    """Every unknown's reference value, computed by autograd, and each Grad's per-use shares."""
    targets = build({k: v.copy() for k, v in inputs.items()})
    by_root: dict[int, tuple[Value, list[Value]]] = {}
    for t in targets.values():
        if isinstance(t, Grad):
            nodes = by_root.setdefault(id(t.root), (t.root, []))[1]
            nodes.extend(n for n in t.nodes if all(n is not m for m in nodes))
    found: dict[int, np.ndarray] = {}
    for root, nodes in by_root.values():
        gs = grad(root, nodes, allow_unused=True)
        for n, g in zip(nodes, gs):
            found[id(n)] = np.zeros(n.shape) if g is None else np.array(g.data, dtype=np.float64)
    answers, parts = {}, {}
    for name, t in targets.items():
        if isinstance(t, Val):
            answers[name] = t.array
        else:
            parts[name] = [found[id(n)] for n in t.nodes]
            answers[name] = np.sum(parts[name], axis=0)
    return answers, parts


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.all(relative_errors(a, b) <= PASS))


def diagnose(name: str, yours: np.ndarray, ref: np.ndarray, parts: list[np.ndarray],
             samples: np.ndarray | None, lang: str) -> str | None:
    """A hint when ``yours`` is the reference under one of the common mistakes' transformations:
    a flipped sign, a transpose, one use's share instead of the sum (+=), one value per sample
    instead of the batch's sum (or the first sample only, or sum/mean swapped)."""
    t = TEXT[lang]
    if np.any(ref != 0) and _close(yours, -ref):
        return t["h_sign"].format(name=name)
    if ref.ndim == 2 and not _close(ref, ref.T) and _close(yours, ref.T):
        return t["h_transpose"].format(name=name)
    if len(parts) > 1:
        for p in parts:
            if not _close(p, ref) and _close(yours, p):
                return t["h_accumulate"].format(name=name, k=len(parts))
    if samples is not None and len(samples) > 1:
        n = len(samples)
        total, mean = samples.sum(axis=0), samples.mean(axis=0)
        if _close(yours, samples):
            return t["h_batch_sum"].format(name=name, shape=ref.shape, given=samples.shape)
        if _close(yours, samples[0]) and not _close(samples[0], ref):
            return t["h_batch_one"].format(name=name, n=n)
        how = "mean" if _close(ref, mean) else "sum" if _close(ref, total) else None
        if how and _close(yours, total if how == "mean" else mean):
            return t["h_batch_mean"].format(name=name, n=n, how=t[f"how_{how}"], fix=t[f"fix_{how}"])
    return None


def as_array(x: Any, name: str, who: str, lang: str) -> np.ndarray:
    """A learner's answer as a float64 array (a Value gives its data)."""
    if isinstance(x, Value):
        x = x.data
    try:
        a = np.asarray(x)
    except (TypeError, ValueError):
        a = np.asarray(None)
    if a.dtype.kind not in "iuf":  # strings, objects, ragged lists, booleans
        raise ExerciseError(TEXT[lang]["e_number"].format(who=who, name=name, typ=type(x).__name__))
    return a.astype(np.float64)


def check_names(answers: Mapping[str, Any], unknowns: tuple[str, ...], who: str, lang: str) -> None:
    """Every unknown answered, nothing else (a typo gets a "did you mean")."""
    t = TEXT[lang]
    need = ", ".join(unknowns)
    for k in answers:
        if k not in unknowns:
            guess = [u for u in unknowns if u.lower() == str(k).lower()] or difflib.get_close_matches(str(k), unknowns, n=1)
            maybe = t["e_maybe"].format(guess=guess[0]) if guess else ""
            raise ExerciseError(t["e_unexpected"].format(who=who, name=k, maybe=maybe, need=need))
    missing = [u for u in unknowns if u not in answers]
    if missing:
        raise ExerciseError(t["e_missing"].format(who=who, names=", ".join(missing), need=need))


def row_for(name: str, yours: np.ndarray, ref: np.ndarray, hint: str | None, lang: str) -> Row:
    rel = relative_errors(yours, ref)
    worst = int(np.argmax(rel)) if rel.size else 0
    r = float(rel.reshape(-1)[worst]) if rel.size else 0.0
    index = tuple(int(i) for i in np.unravel_index(worst, ref.shape)) if ref.ndim else None
    lv = level(r)
    return Row(name, r, TEXT[lang][lv], lv, index, float(yours.reshape(-1)[worst]) if rel.size else None,
               float(ref.reshape(-1)[worst]) if rel.size else None, hint)


def _fmt_array(a: np.ndarray) -> str:
    return np.array2string(np.asarray(a), precision=6, suppress_small=False, separator=", ") if np.ndim(a) else f"{float(a):.10g}"


class Exercise:
    """One exercise in one language: ``title``, ``task``, ``inputs`` (name → numbers), ``unknowns``
    (the names to compute by hand, in order) and ``check(answers)``."""

    def __init__(self, spec: Spec, lang: str = "zh") -> None:
        self.lang = check_lang(lang, "exercises.load")
        self.spec = spec
        self.id = spec.id
        self.chapter = spec.chapter
        self.title: str = spec.title[lang]
        self.inputs: dict[str, np.ndarray] = spec.arrays()
        self._ref, self._parts = solve(spec.build, self.inputs)
        self.unknowns: tuple[str, ...] = spec.unknowns or tuple(self._ref)
        self.task: str = spec.task[lang]

    def solution(self) -> dict[str, Any]:
        """The reference answers, computed by autograd."""
        return {k: self._ref[k].copy() for k in self.unknowns}

    def _samples(self) -> dict[str, np.ndarray]:
        """Per-sample reference values of the unknowns that the batch shares (shape without the batch)."""
        if not self.spec.batch:
            return {}
        n = len(self.inputs[self.spec.batch[0]])
        rows = [solve(self.spec.build, {k: v[i : i + 1] if k in self.spec.batch else v for k, v in self.inputs.items()})[0]
                for i in range(n)]
        return {k: np.stack([r[k] for r in rows]) for k in self.unknowns if rows[0][k].shape == self._ref[k].shape}

    def check(self, answers: Mapping[str, Any] | None = None, /, **kw: Any) -> Report:
        """Compare each answer with the autograd reference: ``ex.check({"dw": ..., ...})`` or
        ``ex.check(dw=..., ...)``. Returns a :class:`Report`."""
        who = f"{self.id}.check"
        given = {**(answers or {}), **kw}
        check_names(given, self.unknowns, who, self.lang)
        samples = self._samples()
        rows = []
        for name in self.unknowns:
            ref = self._ref[name]
            yours = as_array(given[name], name, who, self.lang)
            if yours.shape != ref.shape and yours.size == ref.size == 1:
                yours = yours.reshape(ref.shape)
            hint = None
            if yours.shape == ref.shape:
                row = row_for(name, yours, ref, None, self.lang)
                if not row.passed:
                    hint = diagnose(name, yours, ref, self._parts.get(name, []), samples.get(name), self.lang)
                rows.append(row if hint is None else replace(row, hint=hint))
                continue
            hint = diagnose(name, yours, ref, self._parts.get(name, []), samples.get(name), self.lang)
            if hint is None:
                raise ExerciseError(TEXT[self.lang]["e_shape"].format(who=who, name=name, got=yours.shape, want=ref.shape))
            rows.append(Row(name, float("inf"), TEXT[self.lang]["bad_shape"], "wrong", hint=hint))
        return Report(self.id, rows, self.lang)

    def __str__(self) -> str:
        t = TEXT[self.lang]
        lines = [f"[{self.id}] {self.title}", "", self.task.strip(), "", t["inputs"] + t["colon"].rstrip()]
        lines += [f"  {k} = {_fmt_array(v)}" for k, v in self.inputs.items()]
        lines += [t["unknowns"] + t["colon"] + ", ".join(self.unknowns), "", t["how"].format(id=self.id)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)
