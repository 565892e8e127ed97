"""stepper_html: one self-contained page (the browser test is tests/test_stepper_browser.py)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tinygrad_cn import viz
from tinygrad_cn.viz.examples import diamond, feedforward, neuron


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def page(tmp_path, root, **kw):
    path = viz.stepper_html(root, tmp_path / "s.html", **kw)
    html = path.read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(html)
    data = json.loads(re.search(r'<script type="application/json" id="steps-data">(.*?)</script>', html, re.S).group(1))
    return html, parser.tags, data


def test_self_contained_no_network_at_all(tmp_path):
    o, _ = neuron()
    html, tags, _ = page(tmp_path, o)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    for tag, attrs in tags:
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        for name in ("src", "href", "xlink:href", "action"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert not re.search(r"url\((?!#)", html)
    assert "@import" not in html and "fetch(" not in html and "XMLHttpRequest" not in html


def frame_svgs(data) -> list[str]:
    """Each step's SVG as the page assembles it (pieces joined, ids made unique to the step)."""
    svg = data["svg"]
    return ["\n".join(svg["pieces"][i] for i in ids).replace(f'id="{svg["mark"]}', f'id="f{k}-')
            for k, ids in enumerate(svg["frames"])]


def test_one_frame_per_step_forward_then_backward(tmp_path):
    o, _ = neuron()
    html, tags, data = page(tmp_path, o)
    rec = viz.record(o)
    n_forward, n_backward = len(rec.forward), len(rec.backward)
    svgs = frame_svgs(data)
    assert len(svgs) == len(data["steps"]) == n_forward + n_backward
    assert [s["phase"] for s in data["steps"]] == ["forward"] * n_forward + ["backward"] * n_backward
    for k, svg in enumerate(svgs):
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and svg.count("<svg") == 1
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert ids and all(i.startswith(f"f{k}-") for i in ids) and len(ids) == len(set(ids))
    # pieces are shared: the page is far smaller than the frames written out
    assert len(html) < 0.5 * sum(len(s) for s in svgs)
    # consecutive frames differ only where the step changed something
    assert svgs[0] != svgs[1] and len(set(svgs)) == len(svgs)
    assert html.count('class="frame"') == 1
    buttons = [a.get("id") for t, a in tags if t == "button"]
    assert buttons == ["prev", "next", "lang", "zoom-in", "zoom-out", "fit"]
    assert any(t == "input" and a.get("type") == "range" for t, a in tags)


def test_numbers_and_formulas_beside_the_graph(tmp_path):
    o, leaves = neuron()
    _, _, data = page(tmp_path, o, lang="en")
    last = data["steps"][-1]
    names = [n["name"] for n in data["nodes"]]
    o.backward()
    for name, leaf in leaves.items():
        assert last["gradv"][names.index(name)] == pytest.approx(float(leaf.grad))
    lines = {ln["label"]["en"] if isinstance(ln["label"], dict) else ln["label"]: ln["value"] for ln in last["lines"]}
    assert lines["local derivative"] == "∂y/∂b = a" and lines["with names"] == "∂x1w1/∂w1 = x1"
    assert data["lang"] == "en"
    first_backward = next(s for s in data["steps"] if s["phase"] == "backward")
    assert first_backward["grad"][names.index("x1")] == "—"
    assert data["steps"][0]["data"][names.index("o")] == "?"  # not computed yet in the first forward frame


def test_accumulation_note_and_languages(tmp_path):
    d, _a, _b = diamond()
    html, _, data = page(tmp_path, d)
    notes = [s["note"] for s in data["steps"] if s["note"]]
    assert any("+=" in n["zh"] and "+=" in n["en"] for n in notes)
    assert '<html lang="zh-CN">' in html and "上一步" in html
    assert data["ui"]["en"]["next"] == "Next ▶"


def test_tensor_graph_and_limits(tmp_path):
    loss, ffn = feedforward()
    _, _, data = page(tmp_path, loss, params=ffn)
    assert any("Jacobian" in (s["note"] or {}).get("en", "") for s in data["steps"])
    with pytest.raises(ValueError, match="max_steps"):
        viz.stepper_html(loss, tmp_path / "x.html", max_steps=5)
    with pytest.raises(ValueError, match="lang"):
        viz.stepper_html(loss, tmp_path / "x.html", lang="fr")
