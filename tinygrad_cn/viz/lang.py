"""The one language layer of viz: every Chinese / English string the views show, and the one check
of ``lang``.

Texts are pairs ``(zh, en)`` under a key; :func:`text` picks one language, :func:`both` keeps the
two (the stepper page switches language in the browser, so it carries both). A text may hold
``{placeholders}`` filled by keyword.

>>> text("final", "en")
'final gradients: '
>>> both("flows", via="c", node="a")["zh"]
'反向传播：梯度从 c 流向 a'
>>> check_lang("fr", "explain_backward")
Traceback (most recent call last):
...
ValueError: explain_backward: lang must be 'zh' or 'en', got 'fr'
"""

from __future__ import annotations

from typing import Any

from ..engine.errors import LANGS as LANGS
from ..engine.errors import check_lang as check_lang

TEXTS: dict[str, tuple[str, str]] = {
    # ---- tables (terminal and HTML) ------------------------------------------------------------
    "final": ("叶子节点的最终梯度：", "final gradients: "),
    "seed": ("起点：记输出 {name} 为 L，它对自身的导数 ∂L/∂L = 1",
             "start: call the output {name} L; its derivative with respect to itself is ∂L/∂L = 1"),
    "seed_given": ("起点：给定的上游梯度", "start: the given upstream gradient"),
    "leaves": ("输入和参数：叶子节点的值由我们给定", "inputs and parameters: the leaves' values are given"),
    "leaf": ("叶子", "leaf"),
    "compute_with": ("用 {op} 算出 {name}", "compute {name} with {op}"),
    # ---- the stepper page: steps ----------------------------------------------------------------
    "forward_leaves": ("前向传播：先给定输入和参数", "forward: the inputs and parameters are given"),
    "forward_compute": ("前向传播：计算 {name}", "forward: compute {name}"),
    "backward_start": ("反向传播开始：∂L/∂{node} = {total}", "backward starts: ∂L/∂{node} = {total}"),
    "flows": ("反向传播：梯度从 {via} 流向 {node}", "backward: gradient flows from {via} into {node}"),
    "op": ("运算", "op"),
    "formula": ("公式", "formula"),
    "with_names": ("代入名称", "with names"),
    "with_numbers": ("代入数值", "with numbers"),
    "result": ("结果", "result"),
    "seed_label": ("起点", "seed"),
    "local_derivative": ("局部导数公式", "local derivative"),
    "upstream": ("上游梯度 ∂L/∂{via}", "upstream ∂L/∂{via}"),
    "local": ("局部梯度 ∂{via}/∂{node}", "local ∂{via}/∂{node}"),
    "contribution": ("贡献 = 上游 × 局部", "contribution = upstream × local"),
    "G": ("G = ∂L/∂{via}（上游梯度）", "G = ∂L/∂{via} (upstream gradient)"),
    "rule": ("局部规则", "local rule"),
    "broadcast_sum": ("撤销广播：对轴 {axes} 求和", "undo broadcasting: sum over axes {axes}"),
    "broadcast_note": ("前向传播时 {node} 的形状 {after} 被广播成 {before}；反向传播把复制出来的轴加回去：对轴 {axes} 求和，"
                       "{before} → {after}。",
                       "In the forward pass {node} of shape {after} was broadcast to {before}; the backward pass adds "
                       "the copies back up: a sum over axes {axes}, {before} → {after}."),
    "tensor_note": ("张量运算：不写出整个雅可比矩阵，而是直接用规则算出 ∂L/∂{node}：G 是上游梯度 ∂L/∂{via}。",
                    "A tensor op: instead of writing out its whole Jacobian, the rule computes ∂L/∂{node} "
                    "directly; G is the upstream gradient ∂L/∂{via}."),
    "accumulate_note": ("“+=”：{node} 经过多条路径影响输出，各条路径的梯度相加（多元链式法则）。",
                        "\"+=\": {node} reaches the output along several paths, and their gradients add up "
                        "(the multivariable chain rule)."),
    # ---- the stepper page: legend ---------------------------------------------------------------
    "legend_param": ("参数（需要梯度的叶子）", "parameter (leaf, requires grad)"),
    "legend_input": ("输入 / 常数", "input / constant"),
    "legend_inter": ("中间值", "intermediate value"),
    "legend_output": ("输出", "output"),
    "legend_op": ("运算（符号，悬停看名称）", "op (its symbol; hover for its name)"),
    "legend_current": ("当前这一步", "this step"),
    # ---- the graph's own legend (draw_graph) uses the same words, and these -----------------------
    "legend_title": ("图例", "legend"),
    "legend_group": ("模块（已折叠）", "module (collapsed)"),
    "legend_dash": ("尚未计算", "not computed yet"),
}

# the page's fixed interface texts (buttons, headings), sent to the browser for both languages
UI: dict[str, dict[str, str]] = {
    "zh": {
        "title": "tinygrad_cn · 计算图逐步演示",
        "prev": "◀ 上一步", "next": "下一步 ▶", "lang": "English", "step": "步骤",
        "forward": "前向传播", "backward": "反向传播",
        "values": "所有节点", "node": "节点", "data": "值", "grad": "梯度",
        "zoom_in": "放大", "zoom_out": "缩小", "fit": "适应窗口",
        "help": "← / → 键逐步前进或后退，Home / End 跳到开头或结尾；拖动滑块可任意跳转。"
                "滚轮或 +/− 缩放，拖动图可平移，0 键适应窗口；网址中的 #step=N 直接打开第 N 步。"
                "前向传播逐个算出节点的值；反向传播按链式法则把梯度从输出传回每个输入：贡献 = 上游梯度 × 局部梯度。"
                "“—” 表示梯度尚未计算。",
    },
    "en": {
        "title": "tinygrad_cn · step through a computation graph",
        "prev": "◀ Prev", "next": "Next ▶", "lang": "中文", "step": "step",
        "forward": "forward pass", "backward": "backward pass",
        "values": "all nodes", "node": "node", "data": "data", "grad": "grad",
        "zoom_in": "zoom in", "zoom_out": "zoom out", "fit": "fit",
        "help": "← / → step back and forth, Home / End jump to the ends, or drag the slider. "
                "Wheel or +/− zoom, drag the graph to pan, 0 fits it to the window; #step=N in the address "
                "opens step N. "
                "The forward pass computes each node's value; the backward pass sends gradients from the output back "
                "to every input by the chain rule: contribution = upstream gradient × local gradient. "
                "\"—\" means a gradient not computed yet.",
    },
}

# errors raised where no ``lang`` is known (rendering): one message holding both languages
BILINGUAL: dict[str, str] = {
    "install_help": (
        "no Graphviz renderer found: install the self-contained one with `pip install graphviz-pure` "
        "(a dependency of tinygrad_cn), or the system Graphviz (`apt-get install graphviz`, "
        "`brew install graphviz`, `conda install graphviz`).\n"
        "找不到 Graphviz 渲染器：请运行 `pip install graphviz-pure`，或安装系统的 Graphviz"
        "（apt-get install graphviz / brew install graphviz）。"
    ),
    "dot_written": "The DOT source was written to {gv} / DOT 源文件已写入 {gv}",
}

HEADERS: dict[str, dict[str, list[str]]] = {
    "backward": {
        "zh": ["步", "节点", "经过", "局部导数", "上游梯度", "局部梯度", "贡献", "累加", "梯度"],
        "en": ["step", "node", "via", "local derivative", "upstream", "local", "contribution", "acc", "grad"],
    },
    "forward": {
        "zh": ["步", "节点", "运算", "计算", "值"],
        "en": ["step", "node", "op", "computation", "value"],
    },
}


def text(key: str, lang: str, **fmt: Any) -> str:
    """The text ``key`` in ``lang`` (already checked), with ``fmt`` filled in."""
    s = TEXTS[key][LANGS.index(lang)]
    return s.format(**fmt) if fmt else s


def both(key: str, **fmt: Any) -> dict[str, str]:
    """The text ``key`` in both languages, ``{"zh": ..., "en": ...}``."""
    return {lg: text(key, lg, **fmt) for lg in LANGS}
