"""render: .svg / .png / .gv with the system dot, with graphviz-pure (PATH cleared of dot), and
with no renderer at all (a clear error, and the .gv still written)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

import tinygrad_cn.viz.graph.dot as render_mod
from tinygrad_cn import viz
from tinygrad_cn.viz.examples import feedforward, neuron

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _check_outputs(tmp_path, engine: str) -> None:
    o, _ = neuron()
    o.backward()
    assert render_mod.renderers()[0][0] == engine
    svg = viz.render(o, tmp_path / "g.svg")
    root = ET.parse(svg).getroot()  # well-formed XML
    assert root.tag == f"{SVG_NS}svg"
    texts = "".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert "x1" in texts and "grad -1.5" in texts and "grad —" not in texts.split("图例")[0]
    assert "图例" in texts and "尚未计算" in texts and "legend" not in texts  # the legend in Chinese, the default
    en = "".join(t.text or "" for t in ET.parse(viz.render(o, tmp_path / "en.svg", lang="en")).getroot().iter(f"{SVG_NS}text"))
    assert "legend" in en and "not computed yet" in en and "图例" not in en
    png = viz.render(o, tmp_path / "g.png")
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    en_png = viz.render(o, tmp_path / "en.png", lang="en").read_bytes()
    # graphviz-pure's fonts have no Chinese glyphs: its PNG keeps the English legend (no boxes); dot draws Chinese
    assert (png.read_bytes() == en_png) == (engine == "graphviz-pure")
    loss, ffn = feedforward()
    boxed = ET.parse(viz.render(loss, tmp_path / "ffn.svg", params=ffn)).getroot()
    assert any("cluster" in (g.get("class") or "") for g in boxed.iter(f"{SVG_NS}g"))


@pytest.mark.skipif(shutil.which("dot") is None, reason="system Graphviz not installed (apt-get install graphviz)")
def test_svg_and_png_with_system_dot(tmp_path):
    _check_outputs(tmp_path, "dot")


def test_svg_and_png_with_graphviz_pure_when_path_has_no_dot(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    names = [n for n, _ in render_mod.renderers()]
    assert names == ["graphviz-pure"], "graphviz-pure (a dependency) must be found next to Python"
    _check_outputs(tmp_path, "graphviz-pure")


def test_no_renderer_at_all_is_one_clear_error_and_the_gv_is_written(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(render_mod, "_script_dirs", lambda: [empty])
    o, _ = neuron()
    with pytest.raises(viz.RenderError) as info:
        viz.render(o, tmp_path / "out" / "g.svg")
    msg = str(info.value)
    assert "pip install graphviz-pure" in msg and "apt-get install graphviz" in msg
    assert "g.gv" in msg
    gv = tmp_path / "out" / "g.gv"
    assert gv.read_text().startswith("digraph tinygrad_cn {")
    assert not (tmp_path / "out" / "g.svg").exists()
    # Jupyter's inline display says the same instead of raising
    bundle = viz.draw_graph(o)._repr_mimebundle_()
    assert "pip install graphviz-pure" in bundle["text/plain"]


def test_gv_suffix_writes_dot_text_and_unknown_suffix_is_refused(tmp_path):
    o, _ = neuron()
    p = viz.render(o, tmp_path / "g.gv")
    assert p.read_text() == viz.draw_graph(o).source
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.gv"):
        viz.render(o, tmp_path / "g.jpg")
    with pytest.raises(TypeError, match="only when given a Value"):
        viz.render(viz.draw_graph(o), tmp_path / "g.svg", rankdir="TB")


def test_jupyter_display_and_svg_many(tmp_path):
    o, _ = neuron()
    g = viz.draw_graph(o)
    bundle = g._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert "<svg" in g._repr_svg_() and "<svg" in g.svg()
    frames = viz.backward_frames(o)
    svgs = render_mod.svg_many(frames)
    assert len(svgs) == len(frames)
    for s in svgs:
        assert ET.fromstring(s.encode()).tag == f"{SVG_NS}svg"
