"""The exercise that asks for a function: write the backward rule of an op (SiLU), as the engine's
own ops do. ``check`` gradchecks it against central differences and names the worst index."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from .. import functional as F
from ..engine import Formula, Op, Value, grad, no_grad
from .core import Exercise, ExerciseError, Spec, Val, check_names, row_for
from .report import Report
from .text import TEXT, check_lang

EPS = 1e-6  # central differences (f(x+ε) − f(x−ε)) / 2ε in float64

FORMULA = Formula("y = x·σ(x)", ("∂y/∂x = σ(x)·(1 + x·(1 − σ(x)))",),
                  zh="SiLU（学习者写的反向规则）", en="SiLU (the learner's backward rule)")


def silu_forward(ctx: dict, x: np.ndarray) -> np.ndarray:
    """y = x·σ(x), with σ(x) = exp(−log(1 + e^(−x))) (no overflow for any finite x)."""
    return x * np.exp(-np.logaddexp(0.0, -x))


def op_from_rule(rule: Callable[..., Any]) -> type[Op]:
    """An Op class with the given SiLU forward and ``rule`` as its backward. Its name is set after
    the class is made, so a learner's draft is not registered among the library's ops (OPS)."""
    cls = type("LearnerSiLU", (Op,), {"symbol": "silu", "formula": FORMULA,
                                      "forward": staticmethod(silu_forward), "backward": (rule,)})
    cls.name = "exercise_silu"
    return cls


def reference_rule(ctx: dict, g: np.ndarray, y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """g·∂y/∂x computed by tinygrad_cn's autograd through F.silu (not typed in)."""
    v = Value(np.asarray(x, dtype=np.float64))
    (dx,) = grad(F.silu(v), [v], grad_outputs=np.asarray(g, dtype=np.float64))
    return dx.data


TASK = {
    "zh": "SiLU（β = 1 的 Swish）：y = x·σ(x)。前向已经写好：\n"
    "    def forward(ctx, x): return x * sigmoid(x)\n"
    "请写出它的反向规则 rule(ctx, g, y, x)：返回 g·∂y/∂x（g 是上游梯度，y 是前向的输出，形状都和 x 相同）。\n"
    "可以直接交一个函数：ex.check(backward=rule)；也可以写一个 Op 的子类（from tinygrad_cn.engine import Op, Formula），\n"
    "在类里放 name、formula、forward 和 backward = (rule,)，然后 ex.check(backward=MySiLU)。\n"
    "check 在下面的 x 上用中心差分做梯度检验（上游梯度是给定的 g），报告相对误差最大的位置。\n"
    "线索：σ′ = σ(1 − σ)，所以 ∂y/∂x = σ(x) + x·σ(x)(1 − σ(x)) = σ(x) + y·(1 − σ(x))。",
    "en": "SiLU (Swish with β = 1): y = x·σ(x). The forward is written:\n"
    "    def forward(ctx, x): return x * sigmoid(x)\n"
    "Write its backward rule rule(ctx, g, y, x): it returns g·∂y/∂x (g the upstream gradient, y the forward's "
    "output, both of x's shape).\nHand in a function, ex.check(backward=rule), or a subclass of Op "
    "(from tinygrad_cn.engine import Op, Formula)\nwith name, formula, forward and backward = (rule,), then "
    "ex.check(backward=MySiLU).\ncheck gradchecks it with central differences at the x below (upstream gradient: "
    "the given g) and reports the worst index.\n"
    "Clue: σ′ = σ(1 − σ), so ∂y/∂x = σ(x) + x·σ(x)(1 − σ(x)) = σ(x) + y·(1 − σ(x)).",
}

SPEC = Spec(
    id="op_backward",
    chapter="autograd",
    title={"zh": "自己写一个算子的反向规则（SiLU）", "en": "Write an op's backward rule (SiLU)"},
    task=TASK,
    inputs={"x": [[-4.0, -1.5, -0.5, 0.0], [0.25, 1.0, 2.0, 6.0], [-0.1, 0.7, -2.5, 3.5]],
            "g": [[1.0, -0.5, 2.0, 0.3], [-1.2, 0.8, 1.5, -0.7], [0.6, -2.0, 0.4, 1.1]]},
    build=lambda x: {"backward": Val(0.0)},  # the unknown is a function; see RuleExercise
)


class RuleExercise(Exercise):
    """An exercise whose one unknown, ``backward``, is a backward rule (or an Op subclass)."""

    def __init__(self, spec: Spec = SPEC, lang: str = "zh") -> None:
        self.lang = check_lang(lang, "exercises.load")
        self.spec = spec
        self.id, self.chapter = spec.id, spec.chapter
        self.title, self.task = spec.title[lang], spec.task[lang]
        self.inputs = spec.arrays()
        self.unknowns = ("backward",)

    def solution(self) -> dict[str, Any]:
        return {"backward": reference_rule}

    def _op(self, answer: Any, who: str) -> type[Op]:
        t = TEXT[self.lang]
        if isinstance(answer, type) and issubclass(answer, Op):
            if len(answer.backward) != 1:
                raise ExerciseError(t["e_rules"].format(who=who, name=answer.__name__, n=len(answer.backward)))
            return answer
        if callable(answer):
            return op_from_rule(answer)
        raise ExerciseError(t["e_callable"].format(who=who, name="backward", typ=type(answer).__name__))

    def _run(self, fn: Callable[..., Any], what: str, sig: str, who: str, *args: Any) -> Any:
        """``fn(*args)``; a learner's function that cannot take these arguments, or raises, becomes an
        ExerciseError naming the function and the original error (not a bare traceback from inside)."""
        t = TEXT[self.lang]
        name = getattr(fn, "__name__", None) or type(fn).__name__
        try:
            inspect.signature(fn).bind(*args)
        except TypeError as e:
            raise ExerciseError(t["e_rule_signature"].format(who=who, what=t[what], name=name, sig=sig, err=e)) from e
        except ValueError:  # no signature to read (a builtin): let the call say
            pass
        try:
            return fn(*args)
        except ExerciseError:
            raise
        except Exception as e:  # the learner's code: any error is theirs to see, with its name
            err = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
            raise ExerciseError(t["e_rule_raised"].format(who=who, what=t[what], name=name, err=err)) from e

    def check(self, answers: Mapping[str, Any] | None = None, /, **kw: Any) -> Report:
        """Gradcheck the learner's rule: g·∂y/∂x from the rule against central differences of Σ g·silu(x)."""
        who = f"{self.id}.check"
        given = {**(answers or {}), **kw}
        check_names(given, self.unknowns, who, self.lang)
        op = self._op(given["backward"], who)
        x, g = self.inputs["x"], self.inputs["g"]
        rows = []
        if op.forward is not silu_forward:  # a learner's own Op subclass: its forward is checked too
            y = self._run(op.forward, "what_forward", "forward(ctx, x)", who, {}, x.copy())
            rows.append(row_for(TEXT[self.lang]["forward"], np.asarray(y, dtype=np.float64),
                                silu_forward({}, x), None, self.lang))
        rule = op.backward[0]
        # the same op with its rule run through _run (unregistered, as op_from_rule's)
        checked = type(op.__name__, (op,), {"name": "", "backward": (
            lambda ctx, g_, y_, x_: self._run(rule, "what_rule", "rule(ctx, g, y, x)", who, ctx, g_, y_, x_),)})
        checked.name = "exercise_silu"
        X = Value(x.copy())
        (dx,) = grad(checked.apply(X), [X], grad_outputs=g)
        analytic = np.asarray(dx.data, dtype=np.float64)
        if analytic.shape != x.shape:
            raise ExerciseError(TEXT[self.lang]["e_rule_shape"].format(who=who, got=analytic.shape, want=x.shape))
        numeric = np.empty_like(x)
        with no_grad():
            for i in np.ndindex(x.shape):
                up, down = x.copy(), x.copy()
                up[i] += EPS
                down[i] -= EPS
                numeric[i] = np.sum(g * (F.silu(Value(up)).data - F.silu(Value(down)).data)) / (2 * EPS)
        row = row_for("backward", analytic, numeric, None, self.lang)
        if not row.passed:
            t = TEXT[self.lang]
            rel = lambda a, b: row_for("", a, b, None, self.lang).passed
            hint = (t["h_sign"].format(name="backward") if rel(analytic, -numeric)
                    else t["h_upstream"].format(name="backward") if rel(analytic, numeric / g) else None)
            row = replace(row, hint=hint)
        rows.append(row)
        return Report(self.id, rows, self.lang)

