"""练习 / exercises: references from autograd agree with the textbook formulas, right answers pass,
perturbed ones fail naming the unknown, bad answers are clear errors, the common mistakes get hints."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import tinygrad_cn as tg
from tinygrad_cn import exercises
from tinygrad_cn.engine import OPS, Formula, Op
from tinygrad_cn.exercises import ExerciseError
from tinygrad_cn.exercises.core import diagnose

IDS = exercises.catalog()
ARRAY_UNKNOWNS = [(i, u) for i in IDS if i != "op_backward" for u in exercises.load(i, "en").unknowns]


def sig(x):
    return 1 / (1 + np.exp(-x))


def test_catalog_covers_the_notes_and_autograd():
    assert len(IDS) >= 12 and len(set(IDS)) == len(IDS)
    chapters = {exercises.load(i).chapter for i in IDS}
    assert chapters == {"autograd", "info", "linear", "activations"}
    for wanted in ("neuron", "sigmoid_grad", "tanh_grad", "softmax_ce", "logistic_grad", "entropy_kl", "min_kl_ce",
                   "hinge_perceptron", "bias_broadcast", "matmul", "swiglu_ffn", "vanishing", "op_backward"):
        assert wanted in IDS


@pytest.mark.parametrize("id", IDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_load_has_task_inputs_unknowns_and_the_solution_passes(id, lang):
    ex = exercises.load(id, lang=lang)
    assert ex.title and ex.task and ex.inputs and ex.unknowns
    assert all(isinstance(v, np.ndarray) for v in ex.inputs.values())
    sol = exercises.solution(id)
    assert list(sol) == list(ex.unknowns)
    report = ex.check(sol)
    assert report.passed and report.first_wrong is None
    assert [r.name for r in report.rows] == list(ex.unknowns)
    assert all(r.level in ("exact", "ok") for r in report.rows)
    text = str(report)
    assert ("未知量" in text) == (lang == "zh") and ("unknown" in text) == (lang == "en")
    assert "<table" in report._repr_html_()
    assert ex.id in str(ex) and all(u in str(ex) for u in ex.unknowns)


def test_inputs_are_copies():
    ex = exercises.load("matmul")
    ex.inputs["X"][:] = 0
    assert exercises.load("matmul").inputs["X"].any()
    sol = exercises.solution("matmul")
    sol["dW"][:] = 0
    assert exercises.solution("matmul")["dW"].any()


@pytest.mark.parametrize(("id", "name"), ARRAY_UNKNOWNS)
def test_a_perturbed_answer_fails_naming_it(id, name):
    ex = exercises.load(id, "en")
    sol = exercises.solution(id)
    bad = np.array(sol[name], dtype=np.float64)
    flat = bad.reshape(-1)
    k = flat.size // 2
    flat[k] += 0.05 * max(1.0, abs(flat[k]))
    report = ex.check({**sol, name: bad})
    assert not report.passed and report.first_wrong == name
    row = report[name]
    assert row.rel_error > 1e-4 and row.level in ("suspicious", "wrong")
    if bad.ndim:
        assert row.index == np.unravel_index(k, bad.shape)
        assert str(row.index) in str(report)


@pytest.mark.parametrize("id", [i for i in IDS if i != "op_backward"])
def test_missing_unexpected_and_wrong_shaped_answers_are_errors_naming_them(id):
    ex = exercises.load(id, "en")
    sol = exercises.solution(id)
    last = ex.unknowns[-1]
    with pytest.raises(ExerciseError, match=f"no answer for the unknown.*{last}"):
        ex.check({k: v for k, v in sol.items() if k != last})
    with pytest.raises(ExerciseError, match="no unknown called 'nonsense'"):
        ex.check({**sol, "nonsense": 1.0})
    name = ex.unknowns[0]
    with pytest.raises(ExerciseError, match=rf"{name} has shape \(7, 5\)"):
        ex.check({**sol, name: np.zeros((7, 5))})
    with pytest.raises(ExerciseError, match=f"{name} must be a number"):
        ex.check({**sol, name: "0.5"})


def test_typo_gets_a_did_you_mean_and_zh_errors():
    sol = exercises.solution("neuron")
    sol["dW1"] = sol.pop("dw1")
    with pytest.raises(ExerciseError, match="did you mean 'dw1'"):
        exercises.load("neuron", "en").check(sol)
    with pytest.raises(ExerciseError, match="缺少未知量 db, ds"):
        exercises.load("neuron").check({"dn": 0.5})
    with pytest.raises(KeyError, match="did you mean 'neuron'"):
        exercises.load("nueron", "en")
    with pytest.raises(ValueError, match="lang"):
        exercises.load("neuron", "fr")


def test_keyword_answers_values_and_scalar_shapes_are_accepted():
    ex = exercises.load("reuse", "en")
    sol = exercises.solution("reuse")
    assert ex.check(df=tg.Value(sol["df"]), de=[float(sol["de"])], da=float(sol["da"]), db=sol["db"]).passed


def test_references_agree_with_the_textbook_formulas():
    """The autograd references are the math of the notes (independent numpy formulas)."""
    sol = exercises.solution("neuron")
    x = exercises.load("neuron").inputs
    o = np.tanh(x["x1"] * x["w1"] + x["x2"] * x["w2"] + x["b"])
    assert np.isclose(sol["dn"], 1 - o**2) and np.isclose(sol["dw1"], x["x1"] * (1 - o**2))
    sol = exercises.solution("reuse")
    assert np.allclose([sol[k] for k in ("df", "de", "da", "db")], [-3, -3, 6, -10])
    x = exercises.load("matmul").inputs
    sol = exercises.solution("matmul")
    assert np.allclose(sol["dX"], x["G"] @ x["W"].T) and np.allclose(sol["dW"], x["X"].T @ x["G"])
    x, sol = exercises.load("bias_broadcast").inputs, exercises.solution("bias_broadcast")
    assert np.allclose(sol["db"], x["G"].sum(0))
    sol = exercises.solution("entropy_kl")
    assert np.allclose(sol["I_p"], [1, 2, 2]) and np.isclose(sol["H_p"], 1.5)
    assert np.isclose(sol["H_pq"], 1.75) and np.isclose(sol["KL_pq"], sol["H_pq"] - sol["H_p"])
    x, sol = exercises.load("min_kl_ce").inputs, exercises.solution("min_kl_ce")
    q = np.exp(x["theta"]) / np.exp(x["theta"]).sum()
    assert np.allclose(sol["dCE_dtheta"], q - x["p"]) and np.allclose(sol["dKL_dtheta"], q - x["p"])
    assert np.isclose(sol["H_p"], -(x["p"] * np.log(x["p"])).sum())
    x, sol = exercises.load("softmax_ce").inputs, exercises.solution("softmax_ce")
    p = np.exp(x["z"]) / np.exp(x["z"]).sum()
    assert np.allclose(sol["dz"], p - [1, 0, 0]) and np.isclose(sol["L"], -np.log(p[0]))
    x, sol = exercises.load("logistic_grad").inputs, exercises.solution("logistic_grad")
    ds = (sig(x["X"] @ x["w"] + x["b"]) - x["y"]) / 4
    assert np.allclose(sol["ds"], ds) and np.allclose(sol["dw"], x["X"].T @ ds) and np.isclose(sol["db"], ds.sum())
    x, sol = exercises.load("hinge_perceptron").inputs, exercises.solution("hinge_perceptron")
    ys = x["y"] * (x["X"] @ x["w"])
    assert np.allclose(sol["dhinge_ds"], -x["y"] * (1 - ys > 0) / 4) and np.allclose(sol["dperc_ds"], -x["y"] * (ys < 0) / 4)
    sol = exercises.solution("sigmoid_grad")
    z = exercises.load("sigmoid_grad").inputs["z"]
    assert np.allclose(sol["dsig"], sig(z) * (1 - sig(z))) and sol["max_dsig"] == 0.25 and sol["argmax_z"] == 0
    assert np.isclose(exercises.solution("tanh_grad")["ratio"], 4.0)
    x, sol = exercises.load("vanishing").inputs, exercises.solution("vanishing")
    h, factors = [float(x["x"])], []
    for w in x["w"]:
        h.append(sig(w * h[-1]))
        factors.append(h[-1] * (1 - h[-1]) * w)
    assert np.isclose(sol["dh4"], factors[4]) and np.isclose(sol["dx"], np.prod(factors))
    assert abs(sol["dx"]) <= 0.25**5 * np.prod(np.abs(x["w"]))


def _ffn_by_hand(x):
    a, c = x["x"] @ x["W1"].T, x["x"] @ x["W3"].T
    g = a * sig(a)
    dh = x["G"] @ x["W2"]
    dc, dg = dh * g, dh * c
    da = dg * sig(a) * (1 + a * (1 - sig(a)))
    return {"dh": dh, "da": da, "dc": dc, "dW2": x["G"].T @ (g * c), "dx_w1": da @ x["W1"], "dx_w3": dc @ x["W3"]}


def test_swiglu_ffn_reference_is_the_chain_rule_by_hand():
    x, sol = exercises.load("swiglu_ffn").inputs, exercises.solution("swiglu_ffn")
    hand = _ffn_by_hand(x)
    for k in ("dh", "da", "dc", "dW2"):
        assert np.allclose(sol[k], hand[k]), k
    assert np.allclose(sol["dx"], hand["dx_w1"] + hand["dx_w3"])


def test_split_uses_agree_with_the_engine_accumulating_a_shared_node():
    """References write a reused quantity as one Value per use and add the shares; the engine's own
    accumulation over a shared node (grad +=) gives the same numbers, and so does nn.FeedForward."""
    x = exercises.load("reuse").inputs
    a, b = tg.Value(x["a"]), tg.Value(x["b"])
    ((a * b + a) * b).backward()
    sol = exercises.solution("reuse")
    assert (float(a.grad), float(b.grad)) == (float(sol["da"]), float(sol["db"]))

    x = exercises.load("swiglu_ffn").inputs
    ffn = tg.nn.FeedForward(3, hidden_dim=4)
    for name in ("w1", "w2", "w3"):
        getattr(ffn, name).weight.data = x[name.upper()].astype(ffn.w1.weight.dtype)
    X = tg.Value(x["x"].astype(ffn.w1.weight.dtype))
    (ffn(X) * x["G"]).sum().backward()
    sol = exercises.solution("swiglu_ffn")
    np.testing.assert_allclose(X.grad, sol["dx"], rtol=1e-5, atol=1e-6)
    for name in ("w1", "w2", "w3"):
        np.testing.assert_allclose(getattr(ffn, name).weight.grad, sol[f"d{name.upper()}"], rtol=1e-5, atol=1e-6)


# --- the four common mistakes -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("id", "name"), [("neuron", "dw1"), ("logistic_grad", "ds"), ("softmax_ce", "dz"),
                                          ("min_kl_ce", "dKL_dtheta")])
def test_sign_error_gets_its_hint(id, name, lang):
    sol = exercises.solution(id)
    report = exercises.load(id, lang).check({**sol, name: -sol[name]})
    assert report.first_wrong == name
    assert report[name].hint and ("符号反了" if lang == "zh" else "sign is flipped") in report[name].hint
    assert report[name].hint in str(report)


@pytest.mark.parametrize(("id", "name"), [("matmul", "dW"), ("matmul", "dX"), ("swiglu_ffn", "dW2"), ("bias_broadcast", "dW")])
def test_transposed_matrix_gets_its_hint(id, name):
    sol = exercises.solution(id)
    report = exercises.load(id, "en").check({**sol, name: sol[name].T})
    assert report.first_wrong == name and "transposed" in report[name].hint
    assert report[name].verdict == "wrong shape"


def test_transposed_square_matrix_gets_its_hint():
    # a square unknown keeps its shape when transposed: recognised from the values
    ref = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert "transposed" in diagnose("dW", ref.T.copy(), ref, [], None, "en")
    assert diagnose("dW", ref.T.copy(), ref.T @ ref, [], None, "en") is None  # symmetric: no claim


@pytest.mark.parametrize(("id", "name"), [("bias_broadcast", "db"), ("matmul", "dW"), ("logistic_grad", "dw"),
                                          ("logistic_grad", "db"), ("swiglu_ffn", "dW1"), ("hinge_perceptron", "dhinge_dw")])
def test_missing_sum_over_the_batch_gets_its_hint(id, name):
    ex = exercises.load(id, "en")
    sol = exercises.solution(id)
    batch = ex.spec.batch
    n = len(ex.inputs[batch[0]])
    per_sample = np.stack([
        exercises.core.solve(ex.spec.build, {k: v[i : i + 1] if k in batch else v for k, v in ex.inputs.items()})[0][name]
        for i in range(n)
    ])
    assert np.allclose(per_sample.sum(0), sol[name]) or np.allclose(per_sample.mean(0), sol[name])
    report = ex.check({**sol, name: per_sample})  # one gradient per sample, not summed
    assert report.first_wrong == name and "sum over the batch is missing" in report[name].hint
    report = ex.check({**sol, name: per_sample[0]})  # the first sample only
    assert report.first_wrong == name and "only the first sample" in report[name].hint


def test_bias_gradient_not_summed_is_recognised_in_chinese():
    ex = exercises.load("bias_broadcast")
    report = ex.check({**exercises.solution("bias_broadcast"), "db": ex.inputs["G"]})
    assert report.first_wrong == "db" and "漏了对批次求和" in report["db"].hint


def test_mean_instead_of_sum_and_back():
    ex = exercises.load("logistic_grad", "en")
    sol = exercises.solution("logistic_grad")
    report = ex.check({**sol, "dw": sol["dw"] * 4})  # the 1/N of the mean forgotten
    assert "sum and mean are mixed up" in report["dw"].hint and "divided by N" in report["dw"].hint


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_forgotten_accumulation_gets_its_hint(lang):
    word = "漏了 +=" if lang == "zh" else "forgotten +="
    ex = exercises.load("reuse", lang)
    sol = exercises.solution("reuse")
    b = -3.0
    for one_use in (b * b, b):  # a through e = a·b (then ·b), or through f = e + a (then ·b)
        report = ex.check({**sol, "da": one_use})
        assert report.first_wrong == "da" and word in report["da"].hint
    hand = _ffn_by_hand(exercises.load("swiglu_ffn").inputs)
    sol = exercises.solution("swiglu_ffn")
    for one_branch in (hand["dx_w1"], hand["dx_w3"]):
        report = exercises.load("swiglu_ffn", lang).check({**sol, "dx": one_branch})
        assert report.first_wrong == "dx" and word in report["dx"].hint


def test_an_unrecognised_wrong_answer_has_no_hint():
    sol = exercises.solution("matmul")
    report = exercises.load("matmul").check({**sol, "dX": sol["dX"] + 1.0})
    assert report.first_wrong == "dX" and report["dX"].hint is None


# --- CS231n's scale ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("rel", "level", "passed"), [(0.0, "exact", True), (5e-8, "exact", True), (1e-6, "ok", True),
                                                      (1e-4, "ok", True), (1e-3, "suspicious", False),
                                                      (0.05, "wrong", False)])
def test_verdict_scale(rel, level, passed):
    ex = exercises.load("reuse", "en")
    sol = exercises.solution("reuse")
    report = ex.check({**sol, "df": sol["df"] * (1 + rel)})
    row = report["df"]
    assert np.isclose(row.rel_error, rel / (1 + rel), rtol=1e-6, atol=1e-15)
    assert row.level == level and row.passed == passed and report.passed == passed


def test_rounded_hand_answers_pass_and_zero_entries_compare_as_zero():
    sol = exercises.solution("swiglu_ffn")
    rounded = {k: np.array([float(f"{v:.7g}") for v in np.ravel(a)]).reshape(np.shape(a)) for k, a in sol.items()}
    assert exercises.load("swiglu_ffn").check(rounded).passed
    sol = exercises.solution("neuron")  # dw2 = x2 · ... = 0
    assert sol["dw2"] == 0 and exercises.load("neuron").check({**sol, "dw2": 0.0})["dw2"].level == "exact"


def test_nan_answer_is_wrong():
    sol = exercises.solution("neuron")
    report = exercises.load("neuron", "en").check({**sol, "dn": float("nan")})
    assert report.first_wrong == "dn" and report["dn"].level == "wrong"


# --- writing an op's backward rule ----------------------------------------------------------------------


def silu_grad(ctx, g, y, x):
    s = sig(x)
    return g * (s + y * (1 - s))


@pytest.fixture
def clean_ops():
    """Op subclasses a test defines are removed from the registry afterwards."""
    before = dict(OPS)
    yield
    OPS.clear()
    OPS.update(before)


def test_rule_reference_and_a_correct_rule_pass():
    ex = exercises.load("op_backward", "en")
    assert ex.unknowns == ("backward",)
    assert ex.check(exercises.solution("op_backward")).passed
    report = ex.check(backward=silu_grad)
    assert report.passed and report["backward"].rel_error < 1e-7
    assert "exercise_silu" not in OPS  # a learner's draft is not registered as a library op


def test_rule_as_op_subclass_is_gradchecked_with_its_forward(clean_ops):
    class MySiLU(Op):
        name = "test_exercise_my_silu"
        formula = Formula("y = x·σ(x)", ("∂y/∂x = σ + y(1 − σ)",), zh="SiLU", en="SiLU")

        @staticmethod
        def forward(ctx, x):
            return x * sig(x)

        backward = (silu_grad,)

    report = exercises.load("op_backward", "en").check(backward=MySiLU)
    assert report.passed and [r.name for r in report.rows] == ["forward", "backward"]

    class Wrong(MySiLU):
        name = "test_exercise_wrong_silu"

        @staticmethod
        def forward(ctx, x):
            return x * sig(2 * x)

    report = exercises.load("op_backward", "en").check(backward=Wrong)
    assert report.first_wrong == "forward"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rule_mistakes_get_hints_and_the_worst_index(lang):
    ex = exercises.load("op_backward", lang)
    report = ex.check(backward=lambda ctx, g, y, x: -silu_grad(ctx, g, y, x))
    assert report.first_wrong == "backward" and ("符号反了" if lang == "zh" else "sign is flipped") in report["backward"].hint
    report = ex.check(backward=lambda ctx, g, y, x: silu_grad(ctx, 1.0, y, x))  # g forgotten
    assert ("上游梯度" if lang == "zh" else "upstream gradient") in report["backward"].hint
    report = ex.check(backward=lambda ctx, g, y, x: g * sig(x))  # only the first term of the product rule
    row = report["backward"]
    assert not report.passed and row.hint is None
    x, g = ex.inputs["x"], ex.inputs["g"]
    wrong = g * sig(x)
    right = silu_grad(None, g, x * sig(x), x)
    rel = np.abs(wrong - right) / np.maximum(np.abs(wrong), np.abs(right))
    assert row.index == np.unravel_index(np.argmax(rel), x.shape)
    assert str(row.index) in str(report)


def test_rule_bad_answers_are_errors():
    ex = exercises.load("op_backward", "en")
    with pytest.raises(ExerciseError, match="backward must be a backward rule"):
        ex.check(backward=3.0)
    with pytest.raises(ExerciseError, match=r"no answer for the unknown.*backward"):
        ex.check({})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rule_that_raises_or_has_the_wrong_signature_is_an_exercise_error_naming_it(lang, clean_ops):
    ex = exercises.load("op_backward", lang)

    def my_rule(ctx, g, y, x):
        return g * (1 / len([]))  # ZeroDivisionError inside the learner's code

    with pytest.raises(ExerciseError, match=r"my_rule.*ZeroDivisionError: division by zero") as info:
        ex.check(backward=my_rule)
    assert ("运行时出错" if lang == "zh" else "raised an error") in str(info.value)
    with pytest.raises(ExerciseError, match=r"<lambda>.*rule\(ctx, g, y, x\)") as info:
        ex.check(backward=lambda g, x: g)  # two parameters instead of four
    assert ("参数不对" if lang == "zh" else "wrong parameters") in str(info.value)

    class Broken(Op):
        name = "test_exercise_broken_silu"
        formula = Formula("y = x·σ(x)", ("∂y/∂x = σ + y(1 − σ)",), zh="SiLU", en="SiLU")

        @staticmethod
        def forward(ctx, x):
            raise TypeError("forgot to write it")

        backward = (silu_grad,)

    with pytest.raises(ExerciseError, match=r"forward.*TypeError: forgot to write it"):
        ex.check(backward=Broken)


def test_unknown_id_error_lists_the_ids_without_key_error_quotes():
    with pytest.raises(exercises.UnknownExerciseError) as info:
        exercises.load("nope", "en")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ExerciseError)  # except KeyError still works
    assert str(info.value).startswith("no exercise with id 'nope'") and all(i in str(info.value) for i in IDS)


def test_one_unknown_passed_summary_and_full_width_colons_in_chinese():
    sol = exercises.solution("op_backward")
    assert exercises.load("op_backward", "en").check(sol).summary() == "Passed: the one unknown is right."
    assert "1 个未知量是对的" in exercises.load("op_backward").check(sol).summary()
    text = str(exercises.load("neuron"))
    assert "已知：" in text and "已知:" not in text and "）：dn, db" in text
    assert "given:" in str(exercises.load("neuron", "en"))
    report = exercises.load("neuron").check({**exercises.solution("neuron"), "dw1": -exercises.solution("neuron")["dw1"]})
    assert "提示：dw1" in str(report) and "提示:" not in str(report)
    assert "hint: dw1" in str(exercises.load("neuron", "en").check({**exercises.solution("neuron"),
                                                                    "dw1": -exercises.solution("neuron")["dw1"]}))


# --- CLI: tinygrad-cn exercises [show ID] ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_lists_every_exercise(lang, capsys):
    from tinygrad_cn.cli import main

    assert main(["exercises", "--lang", lang]) == 0
    out = capsys.readouterr().out
    for i in IDS:
        assert i in out and exercises.load(i, lang).title in out
    assert ("编号" in out) == (lang == "zh")


def test_cli_show_prints_the_task_and_refuses_unknown_ids(capsys):
    from tinygrad_cn.cli import main

    assert main(["exercises", "show", "swiglu_ffn"]) == 0
    out = capsys.readouterr().out
    ex = exercises.load("swiglu_ffn")
    assert ex.title in out and ex.task.splitlines()[0] in out and "dW1" in out and "W2 = [[" in out
    assert main(["--lang", "en", "exercises", "show", "swiglu"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no exercise with id 'swiglu'") and "did you mean 'swiglu_ffn'" in err
    assert main(["exercises", "show"]) == 2
    assert "错误：show 需要一个练习编号" in capsys.readouterr().err


@pytest.mark.parametrize(("lang", "expected"), [("zh", "错误：list 不需要参数，多了 'extra'"),
                                                ("en", "error: list takes no argument, got 'extra'")])
def test_cli_list_refuses_an_extra_argument(lang, expected, capsys):
    from tinygrad_cn.cli import main

    with pytest.raises(SystemExit) as info:
        main(["exercises", "list", "extra", "--lang", lang])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


# --- the mistake detector over random shapes and values ------------------------------------------------

finite = st.floats(-10, 10, allow_nan=False, width=64).filter(lambda v: abs(v) > 1e-3)


@given(arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=4), elements=finite))
def test_sign_is_recognised_and_a_right_answer_gets_no_hint(ref):
    assert "sign is flipped" in diagnose("d", -ref, ref, [], None, "en")
    assert diagnose("d", ref.copy(), ref, [], None, "en") is None or np.all(ref == -ref)


@given(arrays(np.float64, array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=5), elements=finite))
def test_transpose_is_recognised_unless_symmetric(ref):
    hint = diagnose("dW", ref.T.copy(), ref, [], None, "en")
    if ref.shape[0] == ref.shape[1] and np.allclose(ref, ref.T, rtol=1e-4, atol=0):
        assert hint is None or "sign" in hint
    else:
        assert hint is not None and "transposed" in hint


@given(arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=4), elements=finite),
       arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=4), elements=finite), st.integers(2, 5))
def test_one_share_and_unsummed_batch_are_recognised(part, other, n):
    if other.shape != part.shape:
        other = np.resize(other, part.shape)
    total = part + other
    if np.allclose(part, total, rtol=1e-4) or np.allclose(part, -total, rtol=1e-4):
        return  # the other share is ~0 (or the sum is ~−part): the answer is not wrong in a telling way
    assert "forgotten +=" in diagnose("da", part, total, [part, other], None, "en")
    samples = np.stack([part * (k + 1) for k in range(n)])
    hint = diagnose("db", samples, samples.sum(0), [], samples, "en")
    assert "sum over the batch is missing" in hint
