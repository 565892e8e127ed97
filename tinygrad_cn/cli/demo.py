"""``tinygrad-cn demo`` (what ``make demo`` runs): the whole story in one go.

1. one neuron, o = tanh(x1·w1 + x2·w2 + b), walked forward and backward in the terminal and
   checked against the chain rule by hand; its graph (SVG) and a step-through web page (HTML);
2. every activation function of the notes with its derivative by autograd (PNG);
3. the notes' SwiGLU FeedForward drawn with its module boxes (SVG);
4. softmax regression trained on the 8×8 handwritten digits, with a progress bar, its accuracy,
   the loss curve and each class's weights as an image (PNG);
then the list of files written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .checks import output_dir_problem
from .messages import MSG

TEXT = {
    "zh": {
        "title": "tinygrad_cn 演示：看神经网络如何计算、如何学习",
        "neuron": "1. 一个神经元：o = tanh(x1·w1 + x2·w2 + b)",
        "forward": "前向传播：从输入一步步算到输出",
        "backward": "反向传播：从输出把梯度一步步传回输入（贡献 = 上游梯度 × 局部梯度）",
        "check": "对照手算的链式法则（d = 1 − o² = {d}）：",
        "ok": "一致",
        "bad": "不一致！",
        "acts": "2. 激活函数及其（自动微分算出的）导数",
        "ffn": "3. 笔记中的 SwiGLU FeedForward：w2(silu(w1·x) ⊙ w3·x)，每个模块画成一个框",
        "train": "4. 在手写数字（8×8 像素，10 类）上训练 softmax 回归",
        "data": "训练集 {n_train} 张，测试集 {n_test} 张，每张 {d} 个像素",
        "acc": "训练集准确率 {train:.1%}，测试集准确率 {test:.1%}（用时 {s:.1f} 秒，{epochs} 轮）",
        "files": "写出的文件（在 {out}）：",
        "open": "用浏览器打开 {page}，按 ← / → 逐步观看前向和反向传播。",
        "render_failed": "警告：{msg}",
        "time": "演示用时 {s:.1f} 秒",
    },
    "en": {
        "title": "tinygrad_cn demo: how a neural network computes and learns",
        "neuron": "1. one neuron: o = tanh(x1·w1 + x2·w2 + b)",
        "forward": "forward pass: from the inputs to the output, step by step",
        "backward": "backward pass: gradients from the output back to the inputs (contribution = upstream × local)",
        "check": "checked against the chain rule by hand (d = 1 − o² = {d}):",
        "ok": "agrees",
        "bad": "DISAGREES!",
        "acts": "2. the activation functions and their derivatives (by autograd)",
        "ffn": "3. the notes' SwiGLU FeedForward: w2(silu(w1·x) ⊙ w3·x), each module drawn as a box",
        "train": "4. softmax regression trained on handwritten digits (8×8 pixels, 10 classes)",
        "data": "{n_train} training images, {n_test} test images, {d} pixels each",
        "acc": "train accuracy {train:.1%}, test accuracy {test:.1%} ({s:.1f} s, {epochs} epochs)",
        "files": "files written (in {out}):",
        "open": "open {page} in a browser and press ← / → to step through the forward and backward pass.",
        "render_failed": "warning: {msg}",
        "time": "demo took {s:.1f} s",
    },
}


def _heading(text: str) -> None:
    print(f"\n{text}\n" + "=" * min(78, max(20, len(text) * 2)))


def _check_by_hand(o, leaves, text) -> bool:
    """∂o/∂leaf from the chain rule written out: d = 1 − o², then ∂n/∂leaf."""
    d = 1.0 - o.item() ** 2
    x1, x2, w1, w2 = (leaves[k].item() for k in ("x1", "x2", "w1", "w2"))
    by_hand = {
        "x1": ("d·w1", d * w1), "w1": ("d·x1", d * x1), "x2": ("d·w2", d * w2), "w2": ("d·x2", d * x2), "b": ("d", d),
    }
    print(text["check"].format(d=f"{d:.4g}"))
    good = True
    for name, (formula, value) in by_hand.items():
        auto = float(leaves[name].grad)
        ok = abs(auto - value) <= 1e-9 * max(1.0, abs(value))
        good &= ok
        print(f"  ∂o/∂{name} = {formula:<5} = {value:+.4f}   autograd: {auto:+.4f}   {text['ok'] if ok else text['bad']}")
    return good


def run_demo(out: str | Path = "tinygrad_cn_demo", lang: str = "zh", small: bool = False) -> int:
    """Run the demo, writing into ``out``; returns the exit status (0 when all went well)."""
    from .. import viz
    from ..data import load_digits, train_test_split
    from ..models import SoftmaxRegression
    from ..viz.examples import feedforward, neuron

    text = TEXT[lang]
    start = time.perf_counter()
    out = Path(out)
    problem = output_dir_problem(out, "--out", lang)
    if problem:
        print(MSG[lang]["error"].format(msg=problem), file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    status = 0
    print(text["title"])

    # 1. one neuron -------------------------------------------------------------------------------
    _heading(text["neuron"])
    o, leaves = neuron()
    rec = viz.record(o, lang=lang, keep_grad=True)  # the one backward: tables, page and .grad read it
    print(f"\n{text['forward']}")
    print(rec.forward)
    print(f"\n{text['backward']}")
    print(rec.backward)
    print()
    if not _check_by_hand(o, leaves, text):
        status = 1
    try:
        written.append(viz.render(o, out / "neuron_graph.svg", lang=lang))
        written.append(viz.stepper_html(rec, out / "neuron_stepper.html", lang=lang))
    except viz.RenderError as e:
        print(text["render_failed"].format(msg=e), file=sys.stderr)
        status = 1

    # 2. activations ----------------------------------------------------------------------------
    _heading(text["acts"])
    try:
        written.append(viz.plot_activations(out / "activations.png"))
        print(written[-1])
    except ImportError as e:  # matplotlib missing: say how to get it, carry on without pictures
        print(text["render_failed"].format(msg=e), file=sys.stderr)
        status = 1

    # 3. the FeedForward and its module boxes ---------------------------------------------------------
    _heading(text["ffn"])
    loss, ffn = feedforward()
    loss.backward()
    try:
        written.append(viz.render(loss, out / "ffn_graph.svg", params=ffn, lang=lang))
        print(written[-1])
    except viz.RenderError as e:
        print(text["render_failed"].format(msg=e), file=sys.stderr)
        status = 1

    # 4. softmax regression on digits -----------------------------------------------------------------
    _heading(text["train"])
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X / 16.0, y, test_size=0.25, seed=0, stratify=True)
    print(text["data"].format(n_train=len(X_train), n_test=len(X_test), d=X.shape[1]))
    epochs = 3 if small else 30
    t0 = time.perf_counter()
    model = SoftmaxRegression(lr=0.5, epochs=epochs, batch_size=32, seed=0, verbose=True).fit(X_train, y_train)
    seconds = time.perf_counter() - t0
    print(text["acc"].format(train=model.score(X_train, y_train), test=model.score(X_test, y_test), s=seconds,
                             epochs=epochs))
    try:
        written.append(viz.plot_loss_curve(model.loss_history_, out / "digits_loss.png",
                                       title="softmax regression on digits: training loss"))
        written.append(viz.plot_weight_images(model.coef_, model.classes_, out / "digits_weights.png"))
    except ImportError as e:
        print(text["render_failed"].format(msg=e), file=sys.stderr)
        status = 1

    # the files ---------------------------------------------------------------------------------------
    _heading(text["files"].format(out=out))
    for p in written:
        print(f"  {p}  ({p.stat().st_size / 1024:.0f} KB)")
    page = out / "neuron_stepper.html"
    if page in written:
        print("\n" + text["open"].format(page=page))
    print(text["time"].format(s=time.perf_counter() - start))
    return status
