"""The HTML, CSS and JavaScript of the stepper page (no external resources of any kind)."""

from __future__ import annotations

UI = {
    "zh": {
        "title": "tinygrad_cn · 计算图逐步演示",
        "prev": "◀ 上一步", "next": "下一步 ▶", "lang": "English", "step": "步骤",
        "forward": "前向传播", "backward": "反向传播",
        "values": "所有节点", "node": "节点", "data": "值", "grad": "梯度",
        "help": "← / → 键逐步前进或后退，Home / End 跳到开头或结尾；拖动滑块可任意跳转。"
                "前向传播逐个算出节点的值；反向传播按链式法则把梯度从输出传回每个输入：贡献 = 上游梯度 × 局部梯度。"
                "“—” 表示梯度尚未计算。",
    },
    "en": {
        "title": "tinygrad_cn · step through a computation graph",
        "prev": "◀ Prev", "next": "Next ▶", "lang": "中文", "step": "step",
        "forward": "forward pass", "backward": "backward pass",
        "values": "all nodes", "node": "node", "data": "data", "grad": "grad",
        "help": "← / → step back and forth, Home / End jump to the ends, or drag the slider. "
                "The forward pass computes each node's value; the backward pass sends gradients from the output back "
                "to every input by the chain rule: contribution = upstream gradient × local gradient. "
                "\"—\" means a gradient not computed yet.",
    },
}

CSS = """
:root { --accent: #e65100; --soft: #ffe3bf; --line: #d0d0d8; --ink: #1d1d24; --muted: #5a5a66; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", Helvetica, Arial, sans-serif;
       color: var(--ink); background: #fafafc; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 10px 16px;
         border-bottom: 1px solid var(--line); background: #fff; position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 17px; margin: 0 12px 0 0; font-weight: 600; }
.controls { display: flex; align-items: center; gap: 8px; flex: 1; min-width: 320px; }
button { font: inherit; font-size: 14px; padding: 5px 12px; border: 1px solid #b8b8c8; border-radius: 6px;
         background: #fff; cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: .45; cursor: default; }
#slider { flex: 1; min-width: 120px; accent-color: var(--accent); }
#counter { font-variant-numeric: tabular-nums; min-width: 92px; color: var(--muted); }
main { display: flex; gap: 16px; padding: 16px; align-items: flex-start; }
#graph { flex: 1 1 auto; min-width: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
#graph .frame svg { width: 100%; height: auto; max-height: 78vh; display: block; }
#legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); padding: 6px 4px 0; }
#legend span.sw { display: inline-block; width: 12px; height: 12px; border: 1px solid #707080; vertical-align: -2px;
                  margin-right: 4px; border-radius: 2px; }
#panel { flex: 0 0 360px; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
#phase { display: inline-block; font-size: 12px; padding: 2px 8px; border-radius: 10px; color: #fff; background: #1565c0; }
#phase.backward { background: var(--accent); }
#step-title { font-size: 16px; margin: 10px 0 8px; line-height: 1.4; }
#lines { width: 100%; border-collapse: collapse; font-size: 14px; }
#lines th { text-align: left; font-weight: normal; color: var(--muted); padding: 4px 8px 4px 0; vertical-align: top;
            white-space: nowrap; }
#lines td { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; padding: 4px 0; word-break: break-word; }
#lines tr.key td { color: var(--accent); font-weight: 600; }
#note { background: var(--soft); border-radius: 6px; padding: 6px 8px; font-size: 13px; margin: 8px 0 0; }
#sentence { color: var(--muted); font-size: 14px; line-height: 1.5; margin: 10px 0; }
h3 { font-size: 14px; margin: 14px 0 6px; }
#values { width: 100%; border-collapse: collapse; font-size: 13px; }
#values th, #values td { border-bottom: 1px solid #ececf2; padding: 3px 6px; text-align: left; }
#values td.num { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
#values tr.current td { background: var(--soft); }
#values td.kind { width: 10px; padding: 0; }
footer { padding: 0 16px 16px; color: var(--muted); font-size: 13px; line-height: 1.5; }
@media (max-width: 900px) { main { flex-direction: column; } #panel { flex-basis: auto; width: 100%; } }
"""

JS = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("steps-data").textContent);
  var UI = D.ui, steps = D.steps, nodes = D.nodes;
  var lang = D.lang, cur = 0;
  var $ = function (id) { return document.getElementById(id); };
  var frames = document.querySelectorAll("#graph .frame");
  var slider = $("slider");
  slider.max = String(steps.length - 1);

  function t(key) { return UI[lang][key]; }
  function txt(x) { return (x && typeof x === "object") ? x[lang] : x; }
  function cell(tag, text, cls) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) { el.className = cls; }
    return el;
  }

  function renderValues(s) {
    var body = $("values-body");
    body.textContent = "";
    nodes.forEach(function (n, i) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-node", n.name);
      if (s.current.indexOf(i) >= 0) { tr.className = "current"; }
      var sw = cell("td", "", "kind");
      sw.style.background = n.colour;
      tr.appendChild(sw);
      tr.appendChild(cell("td", n.name));
      var d = cell("td", s.data[i], "num data");
      tr.appendChild(d);
      var g = cell("td", s.grad[i], "num grad");
      g.setAttribute("data-node", n.name);
      if (s.gradv[i] !== null) { g.setAttribute("data-value", String(s.gradv[i])); }
      tr.appendChild(g);
      body.appendChild(tr);
    });
  }

  function show(i) {
    cur = Math.max(0, Math.min(steps.length - 1, i));
    var s = steps[cur];
    for (var k = 0; k < frames.length; k++) { frames[k].hidden = (k !== cur); }
    slider.value = String(cur);
    $("counter").textContent = t("step") + " " + (cur + 1) + " / " + steps.length;
    $("prev").disabled = cur === 0;
    $("next").disabled = cur === steps.length - 1;
    var phase = $("phase");
    phase.textContent = t(s.phase);
    phase.className = s.phase;
    $("step-title").textContent = txt(s.title);
    var lines = $("lines");
    lines.textContent = "";
    s.lines.forEach(function (ln) {
      var tr = document.createElement("tr");
      if (ln.key) { tr.className = "key"; }
      tr.appendChild(cell("th", txt(ln.label)));
      tr.appendChild(cell("td", ln.value));
      lines.appendChild(tr);
    });
    var note = txt(s.note);
    $("note").hidden = !note;
    $("note").textContent = note || "";
    $("sentence").textContent = txt(s.sentence);
    renderValues(s);
    document.body.setAttribute("data-step", String(cur));
  }

  function applyLang() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    $("title").textContent = t("title");
    $("prev").textContent = t("prev");
    $("next").textContent = t("next");
    $("lang").textContent = t("lang");
    $("values-title").textContent = t("values");
    $("h-node").textContent = t("node");
    $("h-data").textContent = t("data");
    $("h-grad").textContent = t("grad");
    $("help").textContent = t("help");
    var legend = $("legend");
    legend.textContent = "";
    D.legend.forEach(function (e) {
      var item = document.createElement("span");
      var sw = cell("span", "", "sw");
      sw.style.background = e.colour;
      item.appendChild(sw);
      item.appendChild(document.createTextNode(e[lang]));
      legend.appendChild(item);
    });
    show(cur);
  }

  $("prev").addEventListener("click", function () { show(cur - 1); });
  $("next").addEventListener("click", function () { show(cur + 1); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  $("lang").addEventListener("click", function () { lang = lang === "zh" ? "en" : "zh"; applyLang(); });
  document.addEventListener("keydown", function (e) {
    if (e.target === slider || e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.key === "ArrowRight") { show(cur + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { show(cur - 1); e.preventDefault(); }
    else if (e.key === "Home") { show(0); e.preventDefault(); }
    else if (e.key === "End") { show(steps.length - 1); e.preventDefault(); }
  });
  applyLang();
})();
"""

PAGE = """<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1 id="title">{title}</h1>
<div class="controls">
<button id="prev" type="button">{prev}</button>
<input id="slider" type="range" min="0" max="{last}" value="0" step="1" aria-label="step">
<button id="next" type="button">{next}</button>
<span id="counter"></span>
</div>
<button id="lang" type="button">{lang_button}</button>
</header>
<main>
<section id="graph">
{frames}
<div id="legend"></div>
</section>
<aside id="panel">
<span id="phase"></span>
<h2 id="step-title"></h2>
<table id="lines"></table>
<p id="note" hidden></p>
<p id="sentence"></p>
<h3 id="values-title"></h3>
<table id="values"><thead><tr><th></th><th id="h-node"></th><th id="h-data"></th><th id="h-grad"></th></tr></thead>
<tbody id="values-body"></tbody></table>
</aside>
</main>
<footer id="help"></footer>
<script type="application/json" id="steps-data">{data}</script>
<script>{js}</script>
</body>
</html>
"""
