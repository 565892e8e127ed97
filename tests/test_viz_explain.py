"""explain_backward / explain_forward / backward_frames: one log of the pass, and frames from it."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_cn as tg
import tinygrad_cn.viz.rendering as rendering
from tinygrad_cn import viz
from tinygrad_cn.engine import walk
from tinygrad_cn.viz.examples import diamond, feedforward, neuron, tensor_graph


def sums_of_contributions(log):
    """node.id -> the seed plus every contribution the log sends into that node."""
    sums: dict[int, np.ndarray] = {}
    for step in log:
        sums[step.node.id] = sums.get(step.node.id, 0) + step.contribution
    return sums


def assert_log_matches_backward(root, **kw):
    log = viz.explain_backward(root, **kw)
    assert all(v.grad is None for v in walk([root])), "explain_backward must not touch .grad"
    root.backward(kw.get("gradient"))
    sums = sums_of_contributions(log)
    for v in walk([root]):
        if v.grad is not None:
            np.testing.assert_allclose(sums[v.id], v.grad, rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(log.grads[v.id], v.grad, rtol=1e-12, atol=1e-12)
        else:
            assert v.id not in sums
    return log


def test_neuron_steps_formulas_and_contributions_sum_to_grad():
    o, _leaves = neuron()
    log = assert_log_matches_backward(o)
    assert len(log) == 10  # the seed + 2 inputs of each of the 3 binary ops... + tanh's one
    assert [s.name for s in log] == ["o", "n", "x1w1+x2w2", "b", "x1w1", "x2w2", "x2", "w2", "x1", "w1"]
    tanh_step = log[1]
    assert tanh_step.op == "tanh" and tanh_step.formula == "∂y/∂x = 1 − tanh²(x) = 1 − y²"
    assert tanh_step.formula_named == "∂o/∂n = 1 − tanh²(n) = 1 − o²"
    assert float(tanh_step.local) == pytest.approx(1 - o.item() ** 2)
    w1 = log[9]
    assert w1.formula_named == "∂x1w1/∂w1 = x1" and w1.formula_numeric == "2"
    assert float(w1.upstream) == pytest.approx(0.5) and float(w1.contribution) == pytest.approx(1.0)


def test_plus_equals_where_gradient_gathers_from_several_paths():
    d, a, _b = diamond()
    log = assert_log_matches_backward(d)
    a_steps = [s for s in log if s.node is a]
    assert [s.accumulate for s in a_steps] == [False, True]
    assert not any(s.accumulate for s in log if s.node is not a)
    np.testing.assert_allclose(a_steps[-1].total, a_steps[0].contribution + a_steps[1].contribution)


def test_tensor_graphs_with_broadcasting_matmul_and_reductions():
    loss, _W, b = tensor_graph()
    log = assert_log_matches_backward(loss)
    b_steps = [s for s in log if s.node is b]
    assert b_steps and all(s.contribution.shape == (2,) for s in b_steps)  # summed back over the batch
    assert any(s.op == "matmul" and s.local is None for s in log)  # tensor output: no single local number
    loss2, ffn = feedforward()
    log2 = assert_log_matches_backward(loss2, params=ffn)
    assert {"w1.weight", "w2.weight", "w3.weight"} <= {s.name for s in log2}


def test_explicit_gradient_and_errors():
    x = tg.Value([1.0, 2.0], label="x")
    y = x * x
    assert_log_matches_backward(y, gradient=np.array([1.0, -1.0]))
    with pytest.raises(RuntimeError, match="gradient="):
        viz.explain_backward(x * 3)
    with pytest.raises(RuntimeError, match="does not require grad"):
        viz.explain_backward(tg.Value(1.0, requires_grad=False) * 2)
    with pytest.raises(ValueError, match="lang"):
        viz.explain_backward((x * x).sum(), lang="fr")


def test_constants_get_no_steps():
    x = tg.Value(3.0, label="x")
    c = tg.Value(2.0, requires_grad=False, label="c")
    log = assert_log_matches_backward((x * c + 1).relu())
    assert all(s.node is not c for s in log)


OPS = st.lists(st.tuples(st.sampled_from(["add", "mul", "sub", "div", "tanh", "sigmoid", "exp_small", "reuse"]),
                         st.integers(0, 100)), min_size=1, max_size=12)


@settings(max_examples=30, deadline=None)
@given(OPS, st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_contributions_sum_to_grad_on_random_graphs(ops, start):
    nodes = [tg.Value(x, label=f"x{i}") for i, x in enumerate(start)]
    for op, k in ops:
        a, b = nodes[-1], nodes[k % len(nodes)]
        if op == "add":
            v = a + b
        elif op == "mul":
            v = a * b
        elif op == "sub":
            v = a - b
        elif op == "div":
            v = a / (b * b + 1)
        elif op == "tanh":
            v = a.tanh()
        elif op == "sigmoid":
            v = b.sigmoid() * a
        elif op == "exp_small":
            v = (a.tanh()).exp()
        else:
            v = a * a + b
        nodes.append(v)
    assert_log_matches_backward(nodes[-1])


def test_tables_in_chinese_and_english():
    o, _ = neuron()
    zh = str(viz.explain_backward(o))
    assert zh.splitlines()[0].split()[:4] == ["步", "节点", "经过", "局部导数"]
    assert "叶子节点的最终梯度：x1 = -1.5" in zh
    en = viz.explain_backward(o, lang="en").table()
    assert en.splitlines()[0].startswith("step  node")
    assert "final gradients: x1 = -1.5" in en
    d, *_ = diamond()
    assert "+=" in viz.explain_backward(d).table()
    fwd = viz.explain_forward(o, lang="en")
    assert len(fwd) == 6 and fwd[0].op is None and len(fwd[0].nodes) == 5
    assert "x1w1 = x1 · w1 = 2 · (-3)" in str(fwd)
    assert "叶子" in viz.explain_forward(o).table()


def test_one_frame_per_step_with_the_current_node_highlighted():
    o, _ = neuron()
    log = viz.explain_backward(o)
    frames = viz.backward_frames(o)
    assert len(frames) == len(log)
    for step, frame in zip(log, frames):
        key = f"n{[v.id for v in walk([o])].index(step.node.id)}"
        line = next(ln for ln in frame.source.splitlines() if ln.strip().startswith(f"{key} ["))
        assert 'BGCOLOR="#ffb74d"' in line  # the node receiving gradient this step
    # gradients fill in step by step: the first frame shows only the seed
    assert frames[0].source.count("grad &#8212;") == 9 + 1  # 9 nodes + the legend line
    assert "grad &#8212;" not in frames[-1].source.split("legend")[0]
    d, *_ = diamond()
    assert len(viz.backward_frames(d)) == len(viz.explain_backward(d))
    assert len(viz.forward_frames(o)) == len(viz.explain_forward(o))


def test_all_frames_share_one_layout():
    o, _ = neuron()
    svgs = rendering.svg_many(viz.forward_frames(o) + viz.backward_frames(o))
    shape = re.compile(r"<title>(n\d+(?:op)?)</title>\s*<(?:polygon|ellipse)[^>]*?((?:points|cx)=\"[^\"]*\")")
    layouts = [dict(shape.findall(s)) for s in svgs]
    assert len(layouts[0]) == 15
    assert all(lay == layouts[0] for lay in layouts)


def test_constants_are_named_by_value_and_ops_not_repeated():
    x = tg.Value(4.0, label="x")
    y = (x**0.5).tanh()
    y.label = "y"
    text = str(viz.explain_forward(y, lang="en"))
    assert "x^(0.5)" in text and "v1" not in text  # the exponent is called 0.5, not v1
    assert "(tanh)" not in text and "tanh" in text


def test_linear_without_bias_is_drawn_as_xWT():
    from tinygrad_cn import nn

    x = np.ones((2, 3))
    with_bias, without = nn.Linear(3, 2, generator=0), nn.Linear(3, 2, bias=False, generator=0)
    assert "xW&#7488;+b" in viz.draw_graph(with_bias(x).sum()).source
    src = viz.draw_graph(without(x).sum()).source
    assert "xW&#7488;" in src and "xW&#7488;+b" not in src


def test_chinese_sentence_keeps_the_symbol_intact():
    import tinygrad_cn.functional as F

    x, t = tg.Value([0.5, -1.0]), tg.Value([1.0, 0.0], requires_grad=False)
    log = viz.explain_forward(F.binary_cross_entropy_with_logits(x, t), lang="zh")
    (sentence,) = [s.sentence["zh"] for s in log if s.op == "binary_cross_entropy_with_logits"]
    assert "BCE(σ)" in sentence  # a ")" inside the symbol is not turned into "）"
