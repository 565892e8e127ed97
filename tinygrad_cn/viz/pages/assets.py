"""The HTML, CSS and JavaScript of the stepper page (no external resources of any kind).

The graph sits in a viewport that zooms (wheel, buttons, + / −), pans (drag, arrow keys with
Shift) and fits (button, 0); every frame of a graph has the same layout, so one zoom and pan serve
all frames. The current node is kept in view. The frames travel as shared pieces of SVG (see
``stepping._shared_pieces``); the page assembles the current one. ``#step=N`` opens step N (from 1) and follows the
current step. Tensor numbers are small matrices in the side panel.
"""

from __future__ import annotations

CSS = """
:root { --accent: #e65100; --soft: #ffe3bf; --line: #d0d0d8; --ink: #1d1d24; --muted: #5a5a66; }
* { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", Helvetica, Arial, sans-serif;
       color: var(--ink); background: #fafafc; display: flex; flex-direction: column; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; padding: 8px 14px;
         border-bottom: 1px solid var(--line); background: #fff; flex: 0 0 auto; }
header h1 { font-size: 16px; margin: 0 8px 0 0; font-weight: 600; }
.controls { display: flex; align-items: center; gap: 8px; flex: 1; min-width: 320px; }
button { font: inherit; font-size: 14px; padding: 4px 11px; border: 1px solid #b8b8c8; border-radius: 6px;
         background: #fff; cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: .45; cursor: default; }
#slider { flex: 1; min-width: 120px; accent-color: var(--accent); }
#counter { font-variant-numeric: tabular-nums; min-width: 92px; color: var(--muted); }
main { display: flex; gap: 12px; padding: 12px; flex: 1 1 auto; min-height: 0; }
#graph { flex: 1 1 auto; min-width: 0; display: flex; flex-direction: column; background: #fff;
         border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
#viewport { position: relative; flex: 1 1 auto; min-height: 240px; overflow: hidden; cursor: grab;
            touch-action: none; background: #fff; }
#viewport.dragging { cursor: grabbing; }
#stage { position: absolute; left: 0; top: 0; transform-origin: 0 0; }
#stage .frame svg { display: block; }
#zoombar { position: absolute; right: 8px; top: 8px; display: flex; gap: 4px; z-index: 1; }
#zoombar button { padding: 2px 9px; font-size: 15px; background: rgba(255, 255, 255, .92); }
#zoomlevel { position: absolute; right: 10px; bottom: 6px; font-size: 12px; color: var(--muted); }
#legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); padding: 6px 10px;
          border-top: 1px solid #ececf2; flex: 0 0 auto; }
#legend span.sw { display: inline-block; width: 12px; height: 12px; border: 1px solid #707080; vertical-align: -2px;
                  margin-right: 4px; border-radius: 2px; }
#panel { flex: 0 0 400px; min-width: 0; overflow: auto; background: #fff; border: 1px solid var(--line);
         border-radius: 8px; padding: 12px 14px; }
#phase { display: inline-block; font-size: 12px; padding: 2px 8px; border-radius: 10px; color: #fff; background: #1565c0; }
#phase.backward { background: var(--accent); }
#step-title { font-size: 16px; margin: 8px 0 8px; line-height: 1.4; }
#lines { width: 100%; border-collapse: collapse; font-size: 14px; }
#lines th { text-align: left; font-weight: normal; color: var(--muted); padding: 4px 8px 4px 0; vertical-align: top;
            white-space: nowrap; max-width: 150px; white-space: normal; }
#lines td { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; padding: 4px 0; word-break: break-word; }
#lines tr.key td, #lines tr.key th { color: var(--accent); font-weight: 600; }
.mat { display: block; overflow-x: auto; margin: 3px 0 2px; }
.mat .meta { display: block; font-size: 11px; color: var(--muted); font-family: Helvetica, Arial, sans-serif;
             font-weight: normal; }
.mat table { border-collapse: collapse; border-left: 1.5px solid #555; border-right: 1.5px solid #555;
             border-radius: 3px; margin: 2px 0; }
#lines .mat td, .mat td { padding: 1px 6px; text-align: right; font-size: 12.5px; white-space: nowrap;
                         color: var(--ink); font-weight: normal; font-variant-numeric: tabular-nums; }
#lines .mat td:first-child { padding-left: 4px; }
#note { background: var(--soft); border-radius: 6px; padding: 6px 8px; font-size: 13px; margin: 8px 0 0; line-height: 1.45; }
#sentence { color: var(--muted); font-size: 14px; line-height: 1.5; margin: 10px 0; }
h3 { font-size: 14px; margin: 14px 0 6px; }
#values { width: 100%; border-collapse: collapse; font-size: 13px; }
#values th, #values td { border-bottom: 1px solid #ececf2; padding: 3px 6px; text-align: left; }
#values td.num { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
#values tr.current td { background: var(--soft); }
#values td.kind { width: 10px; padding: 0; }
footer { padding: 4px 14px 8px; color: var(--muted); font-size: 12px; line-height: 1.45; flex: 0 0 auto; }
@media (max-width: 900px) {
  body { display: block; height: auto; }
  main { flex-direction: column; }
  #viewport { height: 70vh; }
  #panel { flex-basis: auto; width: 100%; }
}
"""

JS = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("steps-data").textContent);
  var UI = D.ui, steps = D.steps, nodes = D.nodes;
  var lang = D.lang, cur = 0;
  var $ = function (id) { return document.getElementById(id); };
  var frame = document.querySelector("#stage .frame");
  var S = D.svg, shown = -1;
  var MARK = new RegExp('id="' + S.mark, "g");  // the mark is "@-": nothing in it is special to a RegExp
  // the SVG of step k, assembled from its pieces, its ids unique to the step
  function frameSvg(k) {
    return S.frames[k].map(function (i) { return S.pieces[i]; }).join("\n").replace(MARK, 'id="f' + k + '-');
  }
  function showFrame(k) {
    if (k === shown) { return; }
    frame.innerHTML = frameSvg(k);
    frame.setAttribute("data-step", String(k));
    shown = k;
  }
  var slider = $("slider"), viewport = $("viewport"), stage = $("stage");
  slider.max = String(steps.length - 1);

  function t(key) { return UI[lang][key]; }
  function txt(x) { return (x && typeof x === "object") ? x[lang] : x; }
  function cell(tag, text, cls) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) { el.className = cls; }
    return el;
  }

  // ---- a tensor as small matrices ----------------------------------------------------------------
  function matrixEl(m) {
    var box = cell("span", "", "mat");
    var meta = m.shape + " " + m.dtype + (m.clipped && m.summary ? " · " + m.summary : "");
    box.appendChild(cell("span", meta, "meta"));
    m.blocks.forEach(function (b) {
      if (b.index) { box.appendChild(cell("span", b.index, "meta")); }
      var table = document.createElement("table");
      b.rows.forEach(function (r) {
        var tr = document.createElement("tr");
        r.forEach(function (x) { tr.appendChild(cell("td", x)); });
        if (b.more_cols) { tr.appendChild(cell("td", "…")); }
        table.appendChild(tr);
      });
      if (b.more_rows) {
        var tr = document.createElement("tr");
        tr.appendChild(cell("td", "⋮"));
        table.appendChild(tr);
      }
      box.appendChild(table);
    });
    return box;
  }

  // ---- zoom and pan: one transform for every frame (they share one layout) -------------------------
  var Z = { s: 1, x: 0, y: 0 };
  // a whole graph is shown if it fits at 75% or more (10-point labels: 10 px); a bigger one opens
  // at 90% around the current node (12 px), the rest a pan or a zoom away
  var MIN_S = 0.05, MAX_S = 8, FIT_MIN = 0.75, CLOSE = 0.9;
  function applyZoom() {
    stage.style.transform = "translate(" + Z.x + "px," + Z.y + "px) scale(" + Z.s + ")";
    $("zoomlevel").textContent = Math.round(Z.s * 100) + "%";
    document.body.setAttribute("data-zoom", String(Z.s));
  }
  function stageSize() {
    var svg = frame.querySelector("svg");
    if (!svg) { return { w: 1, h: 1 }; }
    var r = svg.getBoundingClientRect();
    return { w: r.width / Z.s, h: r.height / Z.s };
  }
  function zoomAt(factor, px, py) {
    var s = Math.max(MIN_S, Math.min(MAX_S, Z.s * factor));
    Z.x = px - (px - Z.x) * s / Z.s;
    Z.y = py - (py - Z.y) * s / Z.s;
    Z.s = s;
    applyZoom();
  }
  function zoomCenter(factor) { zoomAt(factor, viewport.clientWidth / 2, viewport.clientHeight / 2); }
  function fitScale() {
    var sz = stageSize();
    var s = Math.min(viewport.clientWidth / sz.w, viewport.clientHeight / sz.h) * 0.97;
    return isFinite(s) && s > 0 ? s : Z.s;  // not laid out yet (a hidden notebook iframe): keep the zoom
  }
  // the page has a size (a notebook iframe may start hidden, 0×0, and get one later)
  function laidOut() {
    var sz = stageSize();
    return viewport.clientWidth > 0 && viewport.clientHeight > 0 && sz.w > 1 && sz.h > 1;
  }
  function fit() {
    var sz = stageSize();
    Z.s = Math.max(MIN_S, Math.min(MAX_S, fitScale()));
    Z.x = (viewport.clientWidth - sz.w * Z.s) / 2;
    Z.y = (viewport.clientHeight - sz.h * Z.s) / 2;
    applyZoom();
  }
  function currentNodeEls() {
    var f = frame;
    var out = [];
    steps[cur].current.forEach(function (i) {
      var key = nodes[i].key;
      var titles = f.querySelectorAll("g.node > title");
      for (var k = 0; k < titles.length; k++) {
        if (titles[k].textContent === key) { out.push(titles[k].parentNode); }
      }
    });
    return out;
  }
  // keep the current node(s) in view: pan (never zoom) when any part lies outside the viewport
  function keepInView(center) {
    var els = currentNodeEls();
    if (!els.length) { return; }
    var vp = viewport.getBoundingClientRect();
    var box = null;
    els.forEach(function (el) {
      var r = el.getBoundingClientRect();
      box = box ? { left: Math.min(box.left, r.left), top: Math.min(box.top, r.top),
                    right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom) }
                : { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
    var m = 24;
    var inside = box.left >= vp.left + m && box.right <= vp.right - m && box.top >= vp.top + m && box.bottom <= vp.bottom - m;
    if (inside && !center) { return; }
    var cx = (box.left + box.right) / 2 - vp.left, cy = (box.top + box.bottom) / 2 - vp.top;
    Z.x += vp.width / 2 - cx;
    Z.y += vp.height / 2 - cy;
    clampPan();
    applyZoom();
  }
  // no empty margin where there is more graph to show: a graph wider (taller) than the viewport
  // covers it, a narrower (shorter) one is centred
  function clampPan() {
    var sz = stageSize(), w = sz.w * Z.s, h = sz.h * Z.s;
    var vw = viewport.clientWidth, vh = viewport.clientHeight;
    Z.x = w <= vw ? (vw - w) / 2 : Math.min(0, Math.max(vw - w, Z.x));
    Z.y = h <= vh ? (vh - h) / 2 : Math.min(0, Math.max(vh - h, Z.y));
  }
  viewport.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = viewport.getBoundingClientRect();
    var dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    zoomAt(Math.exp(-dy * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  var drag = null;
  viewport.addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || e.target.closest("#zoombar")) { return; }
    drag = { x: e.clientX, y: e.clientY, zx: Z.x, zy: Z.y };
    viewport.setPointerCapture(e.pointerId);
    viewport.classList.add("dragging");
  });
  viewport.addEventListener("pointermove", function (e) {
    if (!drag) { return; }
    Z.x = drag.zx + e.clientX - drag.x;
    Z.y = drag.zy + e.clientY - drag.y;
    applyZoom();
  });
  function endDrag() { drag = null; viewport.classList.remove("dragging"); }
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointercancel", endDrag);
  $("zoom-in").addEventListener("click", function () { zoomCenter(1.25); });
  $("zoom-out").addEventListener("click", function () { zoomCenter(1 / 1.25); });
  $("fit").addEventListener("click", fit);

  // ---- the steps -----------------------------------------------------------------------------------
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
      tr.appendChild(cell("td", s.data[i], "num data"));
      var g = cell("td", s.grad[i], "num grad");
      g.setAttribute("data-node", n.name);
      if (s.gradv[i] !== null) { g.setAttribute("data-value", String(s.gradv[i])); }
      tr.appendChild(g);
      body.appendChild(tr);
    });
  }

  function setHash() {
    try { history.replaceState(null, "", "#step=" + (cur + 1)); } catch (err) { /* a sandboxed frame */ }
  }

  function show(i, center) {
    cur = Math.max(0, Math.min(steps.length - 1, i));
    var s = steps[cur];
    showFrame(cur);
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
      var td = cell("td", ln.value);
      if (ln.matrix) { td.appendChild(matrixEl(ln.matrix)); }
      tr.appendChild(td);
      lines.appendChild(tr);
    });
    var note = txt(s.note);
    $("note").hidden = !note;
    $("note").textContent = note || "";
    $("sentence").textContent = txt(s.sentence);
    renderValues(s);
    document.body.setAttribute("data-step", String(cur));
    setHash();
    keepInView(center);
  }

  function applyLang() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    $("title").textContent = t("title");
    $("prev").textContent = t("prev");
    $("next").textContent = t("next");
    $("lang").textContent = t("lang");
    $("zoom-in").title = t("zoom_in");
    $("zoom-out").title = t("zoom_out");
    $("fit").title = t("fit");
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

  function stepFromHash() {
    var m = /(?:^#|&)step=(\d+)/.exec(location.hash || "");
    return m ? parseInt(m[1], 10) - 1 : null;
  }

  $("prev").addEventListener("click", function () { show(cur - 1); });
  $("next").addEventListener("click", function () { show(cur + 1); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  $("lang").addEventListener("click", function () { lang = lang === "zh" ? "en" : "zh"; applyLang(); });
  window.addEventListener("hashchange", function () {
    var n = stepFromHash();
    if (n !== null && n !== cur) { show(n, true); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.target === slider || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var pan = 80;
    if (e.shiftKey && e.key.indexOf("Arrow") === 0) {
      if (e.key === "ArrowLeft") { Z.x += pan; } else if (e.key === "ArrowRight") { Z.x -= pan; }
      else if (e.key === "ArrowUp") { Z.y += pan; } else { Z.y -= pan; }
      applyZoom();
      e.preventDefault();
    }
    else if (e.key === "ArrowRight") { show(cur + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { show(cur - 1); e.preventDefault(); }
    else if (e.key === "Home") { show(0); e.preventDefault(); }
    else if (e.key === "End") { show(steps.length - 1); e.preventDefault(); }
    else if (e.key === "+" || e.key === "=") { zoomCenter(1.25); e.preventDefault(); }
    else if (e.key === "-" || e.key === "_") { zoomCenter(1 / 1.25); e.preventDefault(); }
    else if (e.key === "0") { fit(); e.preventDefault(); }
  });

  // start: at #step=N if given; the whole graph if it is legible that way, else close up around the
  // current node
  var start = stepFromHash();
  cur = start === null ? 0 : Math.max(0, Math.min(steps.length - 1, start));
  showFrame(cur);
  function openingView() {
    fit();
    if (Z.s < FIT_MIN) { Z.s = CLOSE; applyZoom(); applyLang(); keepInView(true); } else { applyLang(); }
  }
  var placed = laidOut();
  if (placed) { openingView(); } else { applyZoom(); applyLang(); }
  window.addEventListener("resize", function () {
    if (!placed && laidOut()) { placed = true; openingView(); } else { keepInView(false); }
  });
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
<div id="viewport">
<div id="zoombar"><button id="zoom-in" type="button" title="{zoom_in}">+</button><button id="zoom-out" type="button"
 title="{zoom_out}">−</button><button id="fit" type="button" title="{fit}">⤢</button></div>
<div id="stage"><div class="frame" data-step="0"></div></div>
<span id="zoomlevel"></span>
</div>
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
