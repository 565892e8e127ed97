"""draw_graph: DOT text that is stable, escaped, and says what it should."""

from __future__ import annotations

import re

import graphviz
import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import viz
from tinygrad_cn.engine import walk
from tinygrad_cn.viz.examples import feedforward, neuron, tensor_graph
from tinygrad_cn.viz.graph.labels import esc


def test_returns_a_digraph_with_micrograd_cells():
    o, _ = neuron()
    g = viz.draw_graph(o)
    assert isinstance(g, graphviz.Digraph)
    src = g.source
    for name in ("x1", "x2", "w1", "w2", "b", "n", "o"):
        assert f"<B>{name}</B>" in src
    assert "data 0.7071" in src and "data 6.881" in src
    assert src.count("shape=\"ellipse\"") == 5  # ×, ×, +, +, tanh
    assert "label=<&#215;>" in src and "label=<tanh>" in src  # op symbols (× escaped)


def test_grad_reads_dash_before_backward_never_zero():
    o, _ = neuron()
    before = viz.draw_graph(o, legend=False).source
    assert before.count("grad &#8212;") == 10  # every value node, 5 leaves + 5 computed
    assert "grad 0<" not in before
    o.backward()
    after = viz.draw_graph(o, legend=False).source
    assert "grad &#8212;" not in after
    assert "grad -1.5" in after and "grad 0.5" in after and "grad 1<" in after
    assert "grad 0<" in after  # w2's gradient really is 0 (x2 = 0): now it may say so


def test_same_graph_same_dot_text_and_equal_graphs_equal_text():
    o1, _ = neuron()
    o2, _ = neuron()  # built again: other Values, other ids, the same structure
    assert viz.draw_graph(o1).source == viz.draw_graph(o1).source
    assert viz.draw_graph(o1).source == viz.draw_graph(o2).source
    o1.backward()
    o2.backward()
    assert viz.draw_graph(o1).source == viz.draw_graph(o2).source


def test_node_ids_follow_creation_order_not_memory():
    o, _ = neuron()
    ids = re.findall(r"^\s*(n\d+)\s*\[", viz.draw_graph(o).source, re.M)
    assert ids == [f"n{i}" for i in range(10)]


LABELS = ['a|b', "x<y>z", "{set}", 'say "hi"', "back\\slash", "amp & co", "梯度 ∂L/∂w", "tab\tnew\nline"]


@pytest.mark.parametrize("label", LABELS)
def test_labels_are_escaped_and_dot_text_is_ascii(label, tmp_path):
    x = tg.Value(1.5, label=label)
    y = (x * 2).relu()
    y.label = label + "!"
    src = viz.draw_graph(y).source
    src.encode("ascii")  # non-ASCII went through &#NNNN;
    assert esc(label) in src
    for raw in ("|", "{", "}", "\\", '"hi"'):
        if raw in label:
            assert f"<B>{label}" not in src
    # the renderer accepts it (a DOT syntax error would raise RenderError)
    assert "<svg" in viz.render(y, tmp_path / "g.svg").read_text()



def test_esc_handles_every_special_character():
    assert esc('<>&"|{}\\') == "&lt;&gt;&amp;&quot;&#124;&#123;&#125;&#92;"
    assert esc("σ") == "&#963;"
    assert esc("plain text 1.5") == "plain text 1.5"


def test_colours_mean_something_and_there_is_a_legend():
    o, _leaves = neuron()
    src = viz.draw_graph(o, lang="en").source
    assert "legend" in src and "parameter" in src and "input / constant" in src and "output" in src
    zh = viz.draw_graph(o).source  # Chinese by default, as every other view; the nodes stay ASCII / math
    assert all(esc(w) in zh for w in ("图例", "参数", "输入 / 常数", "尚未计算")) and "parameter" not in zh
    assert all(int(c) < 0x2E80 for c in re.findall(r"&#(\d+);", zh.split("legend [")[0]))  # no CJK in the nodes
    assert esc("当前这一步") in viz.backward_frames(o)[0].source and "this step" in viz.backward_frames(o, lang="en")[0].source
    assert "this step" in viz.forward_frames(o, lang="en")[0].source
    with pytest.raises(ValueError, match=r"draw_graph.*lang"):
        viz.draw_graph(o, lang="fr")
    assert re.search(r'n9 \[label=<<TABLE[^>]*BGCOLOR="#c8f0c8"', src)  # the output is green
    assert re.search(r'n0 \[label=<<TABLE[^>]*BGCOLOR="#cfe8fc"', src)  # a leaf requiring grad is blue
    assert "legend" not in viz.draw_graph(o, legend=False).source


def test_tensor_nodes_show_shape_dtype_stats_and_grad_norm():
    loss, W, _b = tensor_graph()
    loss.backward()
    src = viz.draw_graph(loss).source
    assert "(4, 3)" in src and "(3, 2)" in src and "(2,)" in src
    assert "min " in src and "mean " in src and "max " in src
    norm = float(np.sqrt((W.grad ** 2).sum()))
    assert f"norm {norm:.4g}" in src
    assert "no grad" in src  # x does not require grad
    x32 = tg.Value(np.ones((2, 2), dtype=np.float32), label="x32")
    assert "float32" in viz.draw_graph(x32.sum()).source


def test_parameter_names_and_module_boxes():
    loss, ffn = feedforward()
    src = viz.draw_graph(loss, params=ffn).source
    for name in ("w1.weight", "w2.weight", "w3.weight"):
        assert f"<B>{name}</B>" in src
    boxes = re.findall(r"subgraph (cluster_\d+) \{\n\s*graph \[label=<<B>([^<]*)</B>>", src)
    labels = [label for _, label in boxes]
    assert labels == ["FeedForward", "w1: Linear", "w2: Linear", "w3: Linear"]  # in creation order
    # the FeedForward box holds w1, w3, SiLU, ×, w2 and nothing outside it (x, the loss) is in it
    start = src.index("subgraph cluster_0")
    depth, end = 0, start
    for i in range(start, len(src)):
        depth += src[i] == "{"
        depth -= src[i] == "}"
        if depth == 0 and src[i] == "}":
            end = i
            break
    inside = src[start:end]
    for piece in ("w1.weight", "w2.weight", "w3.weight", "SiLU", "&#215;"):
        assert piece in inside
    assert "<B>x</B>" not in inside and "<B>loss</B>" not in inside


def test_collapse_modules():
    loss, ffn = feedforward()
    whole = viz.draw_graph(loss, params=ffn, collapse=True).source
    assert "box3d" in whole and "FeedForward" in whole and "w1.weight" not in whole
    assert "cluster" not in whole
    some = viz.draw_graph(loss, params=ffn, collapse=["w1", "w3"]).source
    assert some.count("box3d") == 2 and "w2.weight" in some and "w1.weight" not in some
    by_class = viz.draw_graph(loss, params=ffn, collapse="Linear").source
    assert by_class.count("box3d") == 3


def test_max_nodes_cuts_off_with_a_visible_marker():
    x = tg.Value(0.5, label="x")
    y = x
    for _ in range(300):
        y = (y * 1.01).tanh()
    total = sum(1 for _ in walk([y]))
    src = viz.draw_graph(y, max_nodes=20).source
    assert len(re.findall(r"^\s*n\d+ \[", src, re.M)) == 20
    assert f"&#8230; {total - 20} more nodes (max_nodes=20)" in src
    assert "more -> " in src
    assert "more" not in viz.draw_graph(y, max_nodes=None, layout="layered").source.split("legend")[0][:50]


def test_default_cap_keeps_huge_graphs_small_and_big_graphs_use_the_fast_layout():
    x = tg.Value(0.5)
    y = x
    for _ in range(20_000):  # deep: the walk is iterative
        y = y * 1.0001
    src = viz.draw_graph(y).source
    assert "more nodes (max_nodes=300)" in src
    assert "layout=nop2" in src and 'pos="' in src  # more than a few hundred nodes: the layered layout
    small = viz.draw_graph(neuron()[0]).source
    assert "nop2" not in small


def test_rankdir_and_bad_arguments():
    o, _ = neuron()
    assert "rankdir=TB" in viz.draw_graph(o, rankdir="TB").source
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_graph(o, rankdir="XY")
    with pytest.raises(ValueError, match="max_nodes"):
        viz.draw_graph(o, max_nodes=0)
    with pytest.raises(ValueError, match="layout"):
        viz.draw_graph(o, layout="circo")
    with pytest.raises(TypeError, match="Value"):
        viz.draw_graph(3.0)
    with pytest.raises(TypeError, match="params"):
        viz.draw_graph(o, params=[1, 2])


def _edges_into(src: str, op_key: str) -> dict[str, str]:
    """source node -> edge label, for the edges into one op node."""
    return dict(re.findall(rf"^\s*(n\d+) -> {op_key} \[xlabel=<([^>]*)>\]", src, re.M))


def test_edge_labels_are_positions_and_never_clash_with_user_names():
    # tanh(a*b + c): c enters "+" as its second argument; no edge may be labelled a or b
    a, b, c = tg.Value(2.0, label="a"), tg.Value(-3.0, label="b"), tg.Value(1.0, label="c")
    ab = a * b
    s = ab + c
    out = s.tanh()
    src = viz.draw_graph(out).source
    assert not re.search(r"xlabel=<[abc]>", src)
    keys = {v.label: f"n{i}" for i, v in enumerate(walk([out])) if v.label}
    plus = f"n{[v.id for v in walk([out])].index(s.id)}op"
    assert _edges_into(src, plus) == {f"n{[v.id for v in walk([out])].index(ab.id)}": "#1", keys["c"]: "#2"}
    times = f"n{[v.id for v in walk([out])].index(ab.id)}op"
    assert _edges_into(src, times) == {keys["a"]: "#1", keys["b"]: "#2"}
    # order matters for matmul: #1 is the left factor, whatever the user calls it
    A = tg.Value(np.ones((2, 2)), label="b")
    B = tg.Value(np.ones((2, 3)), label="a")
    src = viz.draw_graph((A @ B).sum()).source
    assert _edges_into(src, "n2op") == {"n0": "#1", "n1": "#2"}
    assert "tanh" in viz.draw_graph(out).source and "xlabel" not in viz.draw_graph(a.tanh()).source


def test_every_op_node_names_its_op_and_tensor_nodes_their_dtype():
    o, _ = neuron()
    src = viz.draw_graph(o).source
    ops = re.findall(r'^\s*n\d+op \[(.*)\]$', src, re.M)
    assert len(ops) == 5 and all("tooltip=" in line for line in ops)
    assert 'tooltip="mul (&#215;)"' in src and 'tooltip="add (+)"' in src and 'tooltip=tanh' in src.replace('"', "")
    x = tg.Value(np.ones((4, 3), dtype=np.float32), label="x")
    w = tg.Value(np.ones((3,)), label="w")
    src = viz.draw_graph((x * w).sum()).source
    assert "(4, 3) float32" in src and "(3,) float64" in src
    svg = viz.draw_graph(o).svg()
    assert re.findall(r'<a xlink:title="([^"]*)"', svg) == ["mul (×)", "mul (×)", "add (+)", "add (+)", "tanh"]


def test_notebook_svg_is_capped_at_the_cell_width():
    _loss, ffn = feedforward()
    g = viz.draw_graph(_loss, params=ffn)
    svg = g._repr_mimebundle_()["image/svg+xml"]
    head = re.search(r"<svg\b[^>]*>", svg).group(0)
    assert 'style="max-width: 100%; height: auto"' in head and 'width="' in head
    assert g._repr_svg_() == svg
