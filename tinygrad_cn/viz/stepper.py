"""``stepper_html``: one self-contained web page that steps through the forward and the backward
pass of a graph, a picture per step with the formula and the numbers beside it.

The page loads nothing (no scripts, fonts or styles from anywhere; a Content-Security-Policy
forbids it): every frame is inline SVG, the step data is inline JSON. Prev / Next buttons, the
← / → keys, Home / End and a slider move between steps; a button switches 中文 / English.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from ..engine.value import Value
from .explain import BackwardStep, ForwardStep, explain_backward, explain_forward
from .fmt import DASH, array_text
from .frames import backward_frames, forward_frames
from .graph import CURRENT, FILL, OP_FILL
from .naming import op_with_symbol
from .rendering import svg_many, write_atomic
from .stepper_page import CSS, JS, PAGE, UI
from .view import build_view

DIGITS = 6  # significant digits of the numbers on the page


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _clean_svg(svg: str, k: int) -> str:
    """An SVG document as an inline element: no prolog, doctype, comments or fixed size; ids
    made unique per frame."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', "<svg", svg, count=1)
    svg = re.sub(r'\bid="', f'id="f{k}-', svg)
    return svg.strip()


def _scalar_or_none(a: np.ndarray | None) -> float | None:
    if a is None or np.size(a) != 1:
        return None
    x = float(np.asarray(a).reshape(()))
    return x if np.isfinite(x) else None


def _forward_lines(step: ForwardStep) -> tuple[dict[str, str], list[dict[str, Any]]]:
    if step.op is None:
        title = _t("前向传播：先给定输入和参数", "forward: the inputs and parameters are given")
        lines = [{"label": _t("叶子", "leaf"), "value": f"{n} = {array_text(v.data, DIGITS)}"}
                 for n, v in zip(step.names, step.nodes)]
        return title, lines
    name = step.names[0]
    title = _t(f"前向传播：计算 {name}", f"forward: compute {name}")
    lines = [
        {"label": _t("运算", "op"), "value": op_with_symbol(step.op, step.symbol)},
        {"label": _t("公式", "formula"), "value": step.formula},
        {"label": _t("代入名称", "with names"), "value": step.formula_named},
    ]
    if step.formula_numeric:
        lines.append({"label": _t("代入数值", "with numbers"), "value": step.formula_numeric})
    lines.append({"label": _t("结果", "result"), "value": f"{name} = {array_text(step.node.data, DIGITS)}", "key": True})
    return title, lines


def _backward_lines(step: BackwardStep, forward_named: dict[int, str]) -> tuple[dict[str, str], list[dict[str, Any]], Any]:
    node = step.name
    total = array_text(step.total, DIGITS)
    if step.via is None:
        title = _t(f"反向传播开始：∂L/∂{node} = {total}", f"backward starts: ∂L/∂{node} = {total}")
        lines = [{"label": _t("起点", "seed"), "value": step.formula_named},
                 {"label": f"{node}.grad", "value": f"= {total}", "key": True}]
        return title, lines, None
    via = step.via_name
    title = _t(f"反向传播：梯度从 {via} 流向 {node}", f"backward: gradient flows from {via} into {node}")
    contribution = array_text(step.contribution, DIGITS)
    lines = [
        {"label": _t("运算", "op"), "value": forward_named.get(step.via.id, f"{via} = {step.op}(…)")},
        {"label": _t("局部导数公式", "local derivative"), "value": step.formula},
        {"label": _t("代入名称", "with names"), "value": step.formula_named},
    ]
    if step.formula_numeric:
        lines.append({"label": _t("代入数值", "with numbers"), "value": step.formula_numeric})
    lines += [
        {"label": _t(f"上游梯度 ∂L/∂{via}", f"upstream ∂L/∂{via}"), "value": array_text(step.upstream, DIGITS)},
        {"label": _t(f"局部梯度 ∂{via}/∂{node}", f"local ∂{via}/∂{node}"),
         "value": array_text(step.local, DIGITS) if step.local is not None else "J"},
        {"label": _t("贡献 = 上游 × 局部", "contribution = upstream × local"), "value": contribution},
        {"label": f"{node}.grad",
         "value": f"+= {contribution} → {total}" if step.accumulate else f"= {total}", "key": True},
    ]
    note = None
    if step.local is None:
        note = _t("张量运算：局部导数是一个雅可比矩阵，这里直接算出“上游 × 局部”（向量-雅可比积）。",
                  "a tensor op: the local derivative is a Jacobian, so the page shows upstream × local directly "
                  "(the vector-Jacobian product).")
    if step.accumulate:
        extra = _t(f"“+=”：{node} 经过多条路径影响输出，各条路径的梯度相加（多元链式法则）。",
                   f"\"+=\": {node} reaches the output along several paths, and their gradients add up "
                   "(the multivariable chain rule).")
        note = extra if note is None else {k: note[k] + " " + extra[k] for k in extra}
    return title, lines, note


def stepper_html(
    root: Value,
    path: str | os.PathLike[str],
    lang: str = "zh",
    params: Any = None,
    rankdir: str = "TB",
    max_steps: int = 400,
) -> Path:
    """Write the stepper page for ``root``'s graph to ``path`` (one .html file) and return the path.

    The page starts in ``lang`` ("zh" or "en") and can switch. ``params`` (an nn.Module or named
    parameters) names the parameters; ``rankdir`` "TB" (top to bottom, the default: it fits beside
    the panel) or "LR" (micrograd's left to right). Graphs with more than ``max_steps`` steps are refused (a
    frame per step would make a huge page): step through a smaller graph.
    """
    if lang not in UI:
        raise ValueError(f"stepper_html: lang must be 'zh' or 'en', got {lang!r}")
    flog = explain_forward(root, lang, params=params)
    blog = explain_backward(root, lang, params=params)
    n_steps = len(flog) + len(blog)
    if n_steps > max_steps:
        raise ValueError(
            f"stepper_html: this graph takes {n_steps} steps (more than max_steps={max_steps}); "
            "step through a smaller graph, or raise max_steps"
        )
    graphs = forward_frames(root, params=params, rankdir=rankdir, max_nodes=None, legend=False, log=flog)
    graphs += backward_frames(root, params=params, rankdir=rankdir, max_nodes=None, legend=False, log=blog)
    svgs = svg_many(graphs)
    view = build_view(root, params=params, max_nodes=None)
    nodes = blog.nodes
    pos = {v.id: i for i, v in enumerate(nodes)}
    node_info = [{"name": blog.names[v.id], "colour": FILL[view.kinds[v.id]]} for v in nodes]
    forward_named = {s.node.id: s.formula_named for s in flog if s.op is not None}

    steps: list[dict[str, Any]] = []
    known: set[int] = set()
    for s in flog:
        known.update(v.id for v in s.nodes)
        title, lines = _forward_lines(s)
        steps.append({
            "phase": "forward", "title": title, "lines": lines, "note": None, "sentence": s.sentence,
            "current": [pos[v.id] for v in s.nodes],
            "data": [array_text(v.data, DIGITS) if v.id in known else "?" for v in nodes],
            "grad": [DASH] * len(nodes), "gradv": [None] * len(nodes),
        })
    data_all = [array_text(v.data, DIGITS) for v in nodes]
    grads: dict[int, np.ndarray] = {}
    for b in blog:
        grads[b.node.id] = b.total
        title, lines, note = _backward_lines(b, forward_named)
        steps.append({
            "phase": "backward", "title": title, "lines": lines, "note": note, "sentence": b.sentence,
            "current": [pos[b.node.id]],
            "data": data_all,
            "grad": [array_text(grads[v.id], DIGITS) if v.id in grads else DASH for v in nodes],
            "gradv": [_scalar_or_none(grads.get(v.id)) for v in nodes],
        })
    legend = [
        {"colour": FILL["param"], **_t("参数（需要梯度的叶子）", "parameter (leaf, requires grad)")},
        {"colour": FILL["input"], **_t("输入 / 常数", "input / constant")},
        {"colour": FILL["inter"], **_t("中间值", "intermediate value")},
        {"colour": FILL["output"], **_t("输出", "output")},
        {"colour": OP_FILL, **_t("运算（符号）", "op (its symbol)")},
        {"colour": CURRENT, **_t("当前这一步", "this step")},
    ]
    payload = {"lang": lang, "ui": UI, "nodes": node_info, "steps": steps, "legend": legend}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    frames = "\n".join(
        f'<div class="frame" data-step="{k}"{" hidden" if k else ""}>{_clean_svg(svg, k)}</div>'
        for k, svg in enumerate(svgs)
    )
    ui = UI[lang]
    html = PAGE.format(
        html_lang="zh-CN" if lang == "zh" else "en", title=ui["title"], css=CSS, js=JS, frames=frames, data=data,
        prev=ui["prev"], next=ui["next"], lang_button=ui["lang"], last=len(steps) - 1,
    )
    path = Path(path)
    write_atomic(path, html.encode("utf-8"))
    return path
