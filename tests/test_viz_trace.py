"""Every view reads one record built from tg.trace_backward: no replay of backward, .grad left
alone (or kept, on request, exactly as backward leaves it), tensor steps in matrix form with every
number up to 64 elements, the broadcast sum named, one language layer, Jupyter displays."""

from __future__ import annotations

import html as htmlmod
import json
import re

import numpy as np
import pytest

import tinygrad_cn as tg
import tinygrad_cn.engine.autograd as autograd
import tinygrad_cn.engine.trace as engine_trace
import tinygrad_cn.functional as F
from tinygrad_cn import viz
from tinygrad_cn.engine import walk
from tinygrad_cn.viz.examples import diamond, mlp_2_4_1, neuron, softmax_regression_step, tensor_graph


@pytest.fixture
def passes(monkeypatch):
    """Counts of backward passes (the engine's one loop) and of traces, while the test runs."""
    counts = {"run_backward": 0, "trace_backward": 0, "rules": 0}
    run, trace = autograd.run_backward, engine_trace.trace_backward

    def counting_run(*a, **kw):
        counts["run_backward"] += 1
        return run(*a, **kw)

    def counting_trace(*a, **kw):
        counts["trace_backward"] += 1
        return trace(*a, **kw)

    monkeypatch.setattr(autograd, "run_backward", counting_run)
    monkeypatch.setattr(engine_trace, "trace_backward", counting_trace)

    def counted(rule):
        def rule_counted(*a, **kw):
            counts["rules"] += 1
            return rule(*a, **kw)

        return rule_counted

    from tinygrad_cn.engine import OPS

    for op in set(OPS.values()):  # every evaluation of a backward rule, wherever it comes from
        monkeypatch.setattr(op, "backward", tuple(counted(r) for r in op.backward))
    import tinygrad_cn.viz.trace.recording as record_mod

    monkeypatch.setattr(record_mod, "trace_backward", counting_trace)
    return counts


def grads(root):
    return {v.id: (None if v.grad is None else v.grad.copy()) for v in walk([root])}


@pytest.mark.parametrize("make", [lambda: neuron()[0], lambda: mlp_2_4_1()[0], lambda: softmax_regression_step()[0]])
def test_stepper_page_is_one_trace_and_no_replay(tmp_path, passes, make):
    root = make()
    n_rules = len(viz.record(root).trace.steps)
    passes.update(run_backward=0, trace_backward=0, rules=0)
    viz.stepper_html(root, tmp_path / "p.html")
    # one real backward, each rule evaluated once: zero replays
    assert passes == {"run_backward": 1, "trace_backward": 1, "rules": n_rules}
    passes.update(run_backward=0, trace_backward=0)
    viz.stepper(root, lang="en")
    viz.backward_frames(root)
    viz.explain_backward(root)
    assert passes["run_backward"] == passes["trace_backward"] == 3  # one per call


def test_a_record_is_read_by_every_view_without_another_pass(tmp_path, passes):
    o, _ = neuron()
    rec = viz.record(o, lang="en")
    assert passes["run_backward"] == 1
    viz.stepper_html(rec, tmp_path / "a.html", lang="en")
    viz.stepper(rec, lang="zh").save(tmp_path / "b.html")
    str(rec.forward), str(rec.backward), rec.nonfinite()
    assert passes["run_backward"] == 1
    with pytest.raises(TypeError, match="params="):
        viz.stepper(rec, params={"x": o})
    with pytest.raises(ValueError, match="no backward"):
        viz.stepper(viz.record(o, backward=False))


def test_looking_leaves_grad_alone_and_keep_grad_is_backward_bit_for_bit():
    o, leaves = neuron()
    before = grads(o)
    viz.explain_backward(o)
    viz.stepper(o)
    assert grads(o) == before  # all None: looking does not train
    o.backward()
    after_one = grads(o)
    viz.record(o)
    for k, g in grads(o).items():  # a second look keeps the first backward's gradients as they were
        np.testing.assert_array_equal(g, after_one[k])
    o2, leaves2 = neuron()
    rec = viz.record(o2, keep_grad=True)
    for name, leaf in leaves2.items():
        assert leaf.grad is not None
        np.testing.assert_array_equal(leaf.grad, rec.backward.grads[leaf.id])
        np.testing.assert_array_equal(leaf.grad, after_one[leaves[name].id])  # equal to a plain backward


def test_log_gradients_are_the_engine_trace_bit_for_bit():
    loss, W, b = tensor_graph()
    log = viz.explain_backward(loss)
    assert log.trace is not None and len(log) == len(log.trace.steps) + 1  # the seed, then one per rule
    for step, eng in zip(log[1:], log.trace.steps):
        assert step.engine is eng and step.node is eng.input and step.via is eng.node
        np.testing.assert_array_equal(step.contribution, eng.fitted)
        np.testing.assert_array_equal(step.total, eng.grad_so_far)
        np.testing.assert_array_equal(step.unsummed, eng.contribution)
    loss.backward()
    for v in (W, b):
        assert np.array_equal(log.grads[v.id], v.grad)


def test_errors_name_the_function_called():
    x = tg.Value([1.0, 2.0], label="x")
    with pytest.raises(RuntimeError, match=r"^explain_backward: .*gradient="):
        viz.explain_backward(x * 3)
    with pytest.raises(RuntimeError, match=r"^stepper_html: .*does not require grad"):
        viz.stepper_html(tg.Value(1.0, requires_grad=False) * 2, "never.html")
    with pytest.raises(ValueError, match=r"^stepper: lang must be 'zh' or 'en', got 'fr'"):
        viz.stepper(x.sum(), lang="fr")
    with pytest.raises(ValueError, match=r"^record: lang"):
        viz.record(x.sum(), lang="EN")
    with pytest.raises(TypeError, match=r"^backward_frames: root must be a Value"):
        viz.backward_frames(3.0)
    # gradient= reaches the engine: a non-scalar root traced with its upstream gradient
    rec = viz.record(x * x, gradient=np.array([1.0, -1.0]))
    np.testing.assert_array_equal(rec.backward.grads[x.id], [2.0, -4.0])


def test_broadcast_sum_is_a_named_step_with_axes_and_shapes():
    loss, _W, b = softmax_regression_step()
    log = viz.explain_backward(loss, lang="en")
    (bstep,) = [s for s in log if s.node is b]
    assert bstep.summed_axes == (0,) and bstep.unsummed.shape == (4, 3) and bstep.contribution.shape == (3,)
    assert bstep.broadcast == "Σ axes (0,): (4, 3) → (3,)"
    np.testing.assert_allclose(bstep.contribution, bstep.unsummed.sum(axis=0))
    assert bstep.is_tensor and bstep.rule_named == "∂L/∂b = G ⊙ ∂logits/∂b"
    (mm,) = [s for s in log if s.node is _W]
    assert mm.rule_named == "∂L/∂W = xᵀ @ G" and mm.summed_axes == ()
    ce = log[1]
    assert ce.op == "cross_entropy" and ce.rule_named == "∂L/∂logits = (softmax(logits) − target) / N"


def test_tensor_steps_in_matrix_form_with_every_number(tmp_path):
    loss, _W, b = softmax_regression_step()
    page = viz.stepper(loss, lang="en").html
    data = json.loads(re.search(r'id="steps-data">(.*?)</script>', page, re.S).group(1))
    backward = [s for s in data["steps"] if s["phase"] == "backward"]
    flat = json.dumps(backward, ensure_ascii=False)
    assert '"J"' not in flat and "Jacobian" in flat  # never an undefined J: the note says what is not written out
    bstep = next(s for s in backward if s["title"]["en"].endswith("into b"))
    labels = [ln["label"]["en"] if isinstance(ln["label"], dict) else ln["label"] for ln in bstep["lines"]]
    assert labels == ["op", "local derivative", "with names", "G = ∂L/∂logits (upstream gradient)", "local rule",
                      "undo broadcasting: sum over axes (0,)", "b.grad"]
    g = bstep["lines"][3]["matrix"]
    assert g["shape"] == "(4, 3)" and not g["clipped"] and sum(len(r) for r in g["blocks"][0]["rows"]) == 12
    rec = viz.record(loss)
    (eng,) = [s for s in rec.trace.steps if s.input is b]
    shown = np.array([[float(x) for x in r] for r in g["blocks"][0]["rows"]])
    np.testing.assert_allclose(shown, eng.upstream, rtol=1e-3, atol=1e-4)  # every number, 4 significant digits
    assert bstep["lines"][5]["value"] == "Σ axes (0,): (4, 3) → (3,)"
    assert "broadcast to (4, 3)" in bstep["note"]["en"] and "(4, 3) → (3,)" in bstep["note"]["en"]


def test_large_tensors_show_a_summary_and_a_corner():
    x = tg.Value(np.arange(80.0).reshape(8, 10) / 10, label="x")
    w = tg.Value(np.ones(10), label="w")
    page = viz.stepper((x * w).sum(), lang="en").html
    data = json.loads(re.search(r'id="steps-data">(.*?)</script>', page, re.S).group(1))
    leaves = {ln["value"]: ln["matrix"] for ln in data["steps"][0]["lines"]}
    big = leaves["x"]
    assert big["shape"] == "(8, 10)" and big["clipped"] and big["summary"] == "min 0 mean 3.95 max 7.9"
    assert big["blocks"][0]["rows"][1] == ["1", "1.1", "1.2", "1.3", "1.4", "1.5"]  # the top-left 4×6 corner
    assert len(big["blocks"][0]["rows"]) == 4 and big["blocks"][0]["more_rows"] and big["blocks"][0]["more_cols"]
    small = leaves["w"]
    assert small["shape"] == "(10,)" and not small["clipped"] and len(small["blocks"][0]["rows"][0]) == 10
    # rank 3, up to 64 elements: one matrix per leading index
    t = tg.Value(np.arange(24.0).reshape(2, 3, 4))
    m = viz.record((t * t).sum()).backward[2]
    assert m.contribution.shape == (2, 3, 4)
    from tinygrad_cn.viz.text.numbers import matrix

    blocks = matrix(m.contribution)["blocks"]
    assert [b["index"] for b in blocks] == ["[0, :, :]", "[1, :, :]"] and len(blocks[1]["rows"]) == 3


def test_jupyter_html_tables_have_the_final_line_and_matrices():
    o, _ = neuron()
    log = viz.explain_backward(o, lang="en")
    h = log._repr_html_()
    assert "final gradients: x1 = -1.5, x2 = 0.5, w1 = 1, w2 = 0, b = 0.5" in h and h.count("<tr>") == 1 + len(log)
    zh = viz.explain_backward(o)._repr_html_()
    assert "叶子节点的最终梯度：x1 = -1.5" in zh
    loss, _W, _b = softmax_regression_step()
    h = viz.explain_backward(loss, lang="en")._repr_html_()
    assert 'class="tgcn-m"' in h and "Σ axes (0,): (4, 3) → (3,)" in h
    assert "<script" not in h
    f = viz.explain_forward(o, lang="en")._repr_html_()
    assert "<table" in f and "x1w1 = x1 · w1 = 2 · (-3)" in f


def test_stepper_object_inline_and_saved(tmp_path):
    d, _a, _b = diamond()
    s = viz.stepper(d, lang="en")
    assert repr(s).startswith("Stepper('d', ") and "lang='en'" in repr(s)
    frame = s._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"") and 'sandbox="allow-scripts"' in frame
    assert htmlmod.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1)) == s.html  # the whole page, escaped
    path = s.save(tmp_path / "d.html")
    assert path.read_text(encoding="utf-8") == s.html
    assert viz.stepper_html(d, tmp_path / "e.html", lang="en").read_text(encoding="utf-8") == s.html


def test_nonfinite_is_found_in_the_record():
    x = tg.Value(0.0, label="x")
    with np.errstate(all="ignore"):
        y = x.log()  # -inf forward
        y.label = "y"
        found = viz.record(y * 1.0, lang="en").nonfinite()
    assert found is not None and found.phase == "forward" and found.name == "y" and found.bad == "inf"
    z = tg.Value(-1.0, label="z")
    with np.errstate(all="ignore"):
        r = viz.record(F.relu(z).sqrt())  # √0 has an infinite slope: the gradient is nan/inf
    found = r.nonfinite()
    assert found is not None and found.phase == "backward"


def test_one_language_layer():
    from tinygrad_cn.viz import lang

    for key, (zh, en) in lang.TEXTS.items():
        assert zh and en and zh != en, key
        assert sorted(re.findall(r"{\w+}", zh)) == sorted(re.findall(r"{\w+}", en)), key
    assert set(lang.UI) == set(lang.LANGS) and lang.UI["zh"].keys() == lang.UI["en"].keys()
    # no other module of viz holds a Chinese string of its own (docstrings and comments aside)
    import ast
    import pathlib

    root = pathlib.Path(viz.__file__).parent
    for path in root.rglob("*.py"):
        if path.name == "lang.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not re.search(r"[\u4e00-\u9fff]", node.value), (path.name, node.value[:40])


# viz's own floors, lowest first: a module may import its own subpackage and those listed before it
VIZ_FLOORS = [{"lang", "text"}, {"trace"}, {"graph", "plots"}, {"pages"}, {"examples", "__init__"}]


def test_viz_subpackages_import_only_downwards_and_never_in_a_cycle():
    import ast
    import pathlib

    root = pathlib.Path(viz.__file__).parent
    floor = {name: k for k, names in enumerate(VIZ_FLOORS) for name in names}
    seen = set()
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        part = rel.parts[0].removesuffix(".py")
        seen.add(part)
        package = list(rel.parts[:-1])  # the file's package, relative to viz
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("tinygrad_cn.viz") for a in node.names), rel
            if not (isinstance(node, ast.ImportFrom) and node.level):
                continue
            if node.level - 1 > len(package):
                continue  # leaves viz for a package below it (engine, nn, ...)
            base = package[: len(package) - (node.level - 1)]
            resolved = base + (node.module.split(".") if node.module else [a.name for a in node.names][:1])
            target = resolved[0].removesuffix(".py")
            if target == part:
                continue
            assert floor[target] < floor[part], f"{rel} imports {target}, which is not below it"
    assert seen == set().union(*VIZ_FLOORS)


def test_details_write_every_step_out_and_forward_html_shows_matrices():
    loss, _W, _b = softmax_regression_step()
    log = viz.explain_backward(loss, lang="en")
    text = log.details()
    assert text.count("backward: gradient flows") == len(log) - 1
    assert "undo broadcasting: sum over axes (0,): (4, 3) → (3,)" in text and "J" not in text
    assert log.details("zh").count("反向传播：梯度从") == len(log) - 1
    h = viz.explain_forward(loss, lang="en")._repr_html_()
    assert h.count('class="tgcn-m"') >= 4  # x, W, b and the logits as matrices


def test_rules_in_g_form_for_softmax_and_reshapes():
    x = tg.Value(np.arange(6.0).reshape(2, 3) / 5, label="x")
    p = F.softmax(x)
    p.label = "p"
    r = p.reshape(3, 2)
    r.label = "r"
    rules = {s.op: s.rule_named for s in viz.explain_backward((r * r).sum())[1:]}
    assert rules["softmax"] == "∂L/∂x = p ⊗ (G − Σⱼ Gⱼpⱼ)"
    assert rules["reshape"] == "∂L/∂p: reshape G back to p's shape"
    assert rules["sum"].startswith("∂L/∂") and "G ⊙" in rules["sum"]
