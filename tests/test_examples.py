"""Every example script runs with ``--quick`` in a subprocess, in Chinese (the default) and in English,
writing its figure into a temporary folder; the tests check what it printed (accuracies, the
measured claims) and the figure it wrote, not just the exit code."""

from __future__ import annotations

import ast
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("[0-9][0-9]_*.py"))
FIGURES = {name: name.replace(".py", ".png") for name in SCRIPTS}
NUMBER = r"(-?\d+(?:\.\d+)?(?:e[+-]\d+)?)"


class Run:
    """The finished runs of one script: ``zh`` and ``en`` stdout, stderr of the English run, the figure."""

    def __init__(self, zh: str, en: str, en_err: str, figure: Path) -> None:
        self.zh, self.en, self.en_err, self.figure = zh, en, en_err, figure

    def number(self, pattern: str) -> float:
        """The number captured by ``pattern`` (with ``{n}`` where the number is) in the English output."""
        m = re.search(pattern.replace("{n}", NUMBER), self.en)
        assert m, f"no line matching {pattern!r} in:\n{self.en}"
        return float(m.group(1))

    def percent(self, pattern: str) -> float:
        return self.number(pattern.replace("{n}", "{n}%")) / 100


_cache: dict[str, Run] = {}


@pytest.fixture
def run(tmp_path_factory):
    """``run(script)``: run it in zh and en at the same time (two cores), once per test session."""

    def go(script: str) -> Run:
        if script in _cache:
            return _cache[script]
        out = {lang: tmp_path_factory.mktemp(f"{script[:2]}_{lang}") for lang in ("zh", "en")}
        env = {**os.environ, "PYTHONWARNINGS": "error", "PYTHONIOENCODING": "utf-8"}
        procs = {
            lang: subprocess.Popen(
                [sys.executable, str(EXAMPLES / script), "--quick", "--out", str(out[lang]),
                 *(["--lang", "en"] if lang == "en" else [])],  # zh is the default
                cwd=out[lang], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            )
            for lang in ("zh", "en")
        }
        results = {}
        for lang, p in procs.items():
            stdout, stderr = p.communicate(timeout=120)
            assert p.returncode == 0, f"{script} --lang {lang} failed ({p.returncode}):\n{stdout}\n{stderr}"
            results[lang] = (stdout, stderr)
        for lang in ("zh", "en"):
            assert (out[lang] / FIGURES[script]).is_file(), f"{script} --lang {lang} wrote no {FIGURES[script]}"
        _cache[script] = Run(results["zh"][0], results["en"][0], results["en"][1], out["en"] / FIGURES[script])
        return _cache[script]

    return go


def measured(text: str) -> list[str]:
    """Every decimal number printed, except on the timing and figure-path lines."""
    keep = [line for line in text.splitlines() if not re.search(r"用时|done in|图已保存|figure saved", line)]
    return re.findall(r"-?\d+\.\d+(?:e[+-]\d+)?", "\n".join(keep))


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_prints_both_languages_and_saves_a_figure(script, run):
    r = run(script)
    assert re.search(r"[\u4e00-\u9fff]", r.zh.splitlines()[0]), "the default language is Chinese"
    assert not re.search(r"^\W*[\u4e00-\u9fff]", r.en, re.M), "--lang en: no line starts in Chinese (data may be Chinese)"
    # the same measurements in both languages (the runs are seeded)
    assert measured(r.zh) == measured(r.en) and measured(r.en)
    assert "figure saved:" in r.en and "done in" in r.en
    import matplotlib.image

    img = matplotlib.image.imread(r.figure)
    assert img.shape[0] > 200 and img.shape[1] > 400 and img[..., :3].std() > 0.05  # a real picture, not blank


@pytest.mark.parametrize("script", [s for s in SCRIPTS if not s.startswith("07")])  # 07 has no training loop
def test_no_progress_bar_remains_in_a_pipe(script, run):
    # tqdm(disable=None): bars only on a terminal, so logs and pipes stay clean
    err = run(script).en_err
    assert "%|" not in err and "\r" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_training_shows_a_progress_bar_on_a_terminal(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    try:
        master, slave = pty.openpty()
    except OSError as e:  # a container without /dev/ptmx
        pytest.skip(f"no pseudo-terminal here: {e}")
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 24 rows × 100 columns
    script = next(s for s in SCRIPTS if s.startswith("09"))
    proc = subprocess.Popen([sys.executable, str(EXAMPLES / script), "--quick", "--lang", "en", "--out", str(tmp_path)],
                            cwd=EXAMPLES, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=120) == 0
    os.close(master)
    assert re.search(r"\d+/\d+ \[", b"".join(chunks).decode(errors="replace")), "a tqdm bar on the terminal"


def test_placeholders_match_between_chinese_and_english():
    """``ex.say / ex.text / ex.label(zh, en, ...)``: both texts use the same {fields}."""
    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    checked = 0
    for script in SCRIPTS:
        tree = ast.parse((EXAMPLES / script).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("say", "text", "label") and len(node.args) >= 2
                    and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])):
                zh, en = node.args[0].value, node.args[1].value
                assert fields(zh) == fields(en), f"{script} line {node.lineno}: {zh!r} vs {en!r}"
                checked += 1
    assert checked > 50


def test_01_logistic_regression(run):
    r = run("01_logistic_regression_moons.py")
    assert r.percent("train accuracy: {n}") >= 0.75 and r.percent("test accuracy: {n}") >= 0.75
    assert r.number(r"vs autograd, max difference: {n}") < 1e-10  # the notes' (σ(s) − y)·x
    assert "straight line" in r.en


def test_02_softmax_regression(run):
    r = run("02_softmax_regression_digits.py")
    assert "weights W (10, 64)" in r.en
    assert r.percent("test accuracy: {n}") >= 0.85  # 5 epochs; the full run reaches ≥ 95 %
    assert r.number(r"softmax\(s\) vs predict_proba, max difference: {n}") < 1e-12
    probs = [float(v) for v in re.findall(r"\d: (\d\.\d{3})", r.en.split("three most probable classes")[1].splitlines()[0])]
    assert len(probs) == 3 and probs == sorted(probs, reverse=True)


def test_03_perceptron_and_svm_margins(run):
    r = run("03_perceptron_svm_blobs.py")
    assert r.percent("perceptron: train accuracy: {n}") == 1.0 and r.percent("linear SVM: train accuracy: {n}") == 1.0
    svm, perceptron = (float(v) for v in re.search(r"geometric margin: SVM (\S+) > perceptron (\S+):", r.en).groups())
    assert svm > perceptron
    assert r.number("SVM: the band .* = {n} wide") > 2 * svm - 1e-9  # the band is at least as wide as the margin
    assert r.number("wide; {n} training points lie on or inside it") >= 1


def test_04_bag_of_words(run):
    r = run("04_bag_of_words_text.py")
    assert "'dog bites man' → [1.0, 1.0, 1.0], 'man bites dog' → [1.0, 1.0, 1.0]" in r.en
    sentiment, spam = (float(v) / 100 for v in re.findall(r"test accuracy: (\S+)%", r.en))
    assert sentiment >= 0.6 and spam >= 0.8
    assert r.number("点击链接领取' → P\\(spam\\) = {n}") > 0.5 and r.number("lunch tomorrow\\?' → P\\(spam\\) = {n}") < 0.5
    assert r.number("质量很好，物流也快，非常满意' → P\\(positive\\) = {n}") > 0.5
    assert "words most telling of 'spam'" in r.en and "words most telling of 'negative'" in r.en


def test_05_swiglu_beats_linear_models(run):
    r = run("05_swiglu_ffn_spirals.py")
    assert "hidden_dim = 4·32 = 128 → int(2·128/3) = 85 → up to a multiple of 16 = 96" in r.en
    linear = max(r.percent("softmax regression: test accuracy: {n}"), r.percent(r"\(one-vs-rest\): test accuracy: {n}"))
    ffn = r.percent("SwiGLU FeedForward: test accuracy: {n}")
    assert linear < 0.65 and ffn >= 0.9


def test_06_linear_stack_is_one_matrix(run):
    r = run("06_why_activations.py")
    assert r.number("stack output vs x·Wᵀ \\+ b, max difference: {n}") < 1e-5
    assert r.number("with ReLU in between vs x·Wᵀ \\+ b, max difference: {n}") > 0.1
    assert r.number(r"the linear stack is still one matrix \(max difference {n}") < 1e-5
    assert r.percent(r"\(no activation\): test accuracy: {n}") < 0.7
    assert r.percent("with ReLU: test accuracy: {n}") >= 0.95


def test_07_sigmoid_gradients_vanish(run):
    r = run("07_vanishing_gradients.py")
    assert "maximum 0.2500 at z = 0.00" in r.en
    rows = re.findall(r"^\s+\d+\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$", r.en, re.M)
    sig, tanh, relu, slope = (np.array(col, dtype=float) for col in zip(*rows))
    assert len(sig) >= 10 and np.all(np.diff(sig) > 0)  # smaller and smaller towards the input
    assert sig[0] / sig[-1] < 1e-3 and 0.1 < relu[0] / relu[-1] < 10 and 0.1 < tanh[0] / tanh[-1] < 10
    assert np.all(slope <= 0.25)
    # tanh saturating: 10 layers of tanh(3h) from x = 1 shrink the gradient below 1e-10; from 0 it grows (3¹⁰)
    assert r.number(r"starting at x = 1: ∂h/∂x = {n}") < 1e-10
    assert r.number(r"starting at x = 0: ∂h/∂x = {n}") == pytest.approx(3.0**10, rel=1e-2)


def test_08_dead_relu_fractions(run):
    r = run("08_dead_relu.py")

    def row(name: str) -> tuple[float, ...]:
        m = re.search(re.escape(name) + r"[^\n]*?\s+(\S+)%\s+(\S+)%\s+(\S+)%$", r.en, re.M)
        assert m, name
        return tuple(float(v) / 100 for v in m.groups())

    too_high, xavier_high = row("too high: SGD lr=5"), row("Xavier init + SGD lr=5")
    smaller, xavier_smaller, adagrad = row("smaller rate: SGD lr=1"), row("Xavier init + SGD lr=1"), row("Adagrad lr=5")
    assert too_high[1] > 0.7 and too_high[1] > smaller[1] + 0.3  # a too-high rate kills most units
    assert xavier_high[0] == 0 and xavier_smaller[0] == 0 < too_high[0]  # dead at init with the default init only
    assert xavier_high[1] > 0.7  # Xavier does not undo a too-high rate
    assert adagrad[1] < too_high[1] and adagrad[2] > too_high[2]  # Adagrad at the same rate: fewer dead, better fit
    assert r.number(r"max \|∂L/∂w\| = {n}") == 0 and r.number(r"max \|∂L/∂b\| = {n}") == 0


def test_09_kl_ce_nll_same_optimum(run):
    r = run("09_kl_cross_entropy_nll.py")
    grads = re.findall(r"∂(KL|CE|NLL)/∂q = (\[.*\])", r.en)
    assert [g[0] for g in grads] == ["KL", "CE", "NLL"] and len({g[1] for g in grads}) == 1
    assert r.number("three gradients from −p̂/q₀: {n}") < 1e-12
    assert r.number("between the three runs, over every step: {n}") < 1e-12
    assert r.number("max difference of the optimum from p̂: {n}") < 1e-6
    ce, kl, h = r.number("CE = {n}, NLL"), r.number("values: KL = {n}"), r.number(r"= H\(p̂\) = {n}")
    assert ce - kl == pytest.approx(h, abs=2e-4)
