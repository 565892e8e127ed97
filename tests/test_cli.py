"""The tinygrad-cn command: help in Chinese and English, graph / step / plot / demo / train, and
expressions that try anything beyond arithmetic refused before any of it runs."""

from __future__ import annotations

import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tinygrad_cn.cli import main
from tinygrad_cn.cli.expr import ExprError, evaluate, parse_vars

INJECTIONS = [
    "__import__('os').system('touch X')",
    "a.__class__",
    "(lambda: 1)()",
    "a.__class__.__bases__[0].__subclasses__()",
    "[x for x in (1, 2)]",
    "tanh(a, **{'x': 1})",
    "exp(a) if a else open('X', 'w')",
    "__builtins__",
    "a[0]",
    "sigmoid(a).data",
    "open('X', 'w')",
    "tanh(a, out=1)",
    "{'a': 1}",
    "'touch X'",
    "a; import os",
    "eval('1')",
    "a @ a",
    "not a",
    "a < 1",
]


@pytest.mark.parametrize("expr", INJECTIONS)
@pytest.mark.parametrize("command", ["graph", "step"])
def test_injection_attempts_are_refused_and_nothing_runs(expr, command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    extra = ["--out", "g.svg"] if command == "graph" else ["--html", "s.html"]
    code = main([command, expr, "--var", "a=2", *extra])
    assert code != 0
    err = capsys.readouterr().err
    assert "错误：表达式被拒绝" in err
    assert list(tmp_path.iterdir()) == []  # no X, no output file


def test_injection_through_the_real_command_line(tmp_path):
    for expr in INJECTIONS[:3]:
        proc = subprocess.run([sys.executable, "-m", "tinygrad_cn", "--lang", "en", "graph", expr, "--var", "a=1"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2
        assert "error: expression refused" in proc.stderr
        assert list(tmp_path.iterdir()) == []


def test_expression_parser_messages():
    v = parse_vars(["a=2", "b=0.5"])
    with pytest.raises(ExprError, match="dunder"):
        evaluate("__x__ + a", v)
    with pytest.raises(ExprError, match="unknown name 'c'"):
        evaluate("a + c", v)
    with pytest.raises(ExprError, match="keyword"):
        evaluate("elu(a, alpha=1)", v)
    with pytest.raises(ExprError, match="no variable"):
        evaluate("2 * 3", v)
    with pytest.raises(ExprError, match="division by zero"):
        evaluate("a + 1/0", v)
    with pytest.raises(ExprError, match="plain number"):
        evaluate("leaky_relu(a, b)", v)
    with pytest.raises(ExprError, match="takes 1 argument"):
        evaluate("tanh(a, b)", v)
    with pytest.raises(ExprError, match="not a number"):
        parse_vars(["a=two"])
    with pytest.raises(ExprError, match="not a valid variable name"):
        parse_vars(["__class__=1"])
    assert evaluate("a × b − a ÷ b + a^2", v).item() == pytest.approx(2 * 0.5 - 4 + 4)
    assert evaluate("leaky_relu(-a, -0.5)", v).item() == pytest.approx(1.0)
    assert evaluate("swish(a, b) + prelu(-a, b)", v).item() == pytest.approx(2 / (1 + math.exp(-1)) - 1)
    assert evaluate("sum(exp(x))", parse_vars(["x=0,0,0"])).item() == pytest.approx(3.0)


def test_help_in_chinese_by_default_and_english_on_request(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "用法：" in out and "子命令" in out and "完整演示" in out and "显示帮助并退出" in out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    out = capsys.readouterr().out
    assert "usage:" in out and "the full demo" in out
    with pytest.raises(SystemExit):
        main(["step", "--help", "--lang", "en"])
    assert "--var NAME=VALUE" in capsys.readouterr().out
    assert main([]) == 2  # no command: the help and an error, as argparse does for a missing argument
    err = capsys.readouterr().err
    assert "tinygrad-cn" in err and "错误：请给出一个子命令" in err


def test_step_prints_both_tables(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["step", "tanh(x*w + b)", "--var", "x=2", "--var", "w=-3", "--var", "b=1", "--html", "s.html"]) == 0
    out = capsys.readouterr().out
    assert "前向传播" in out and "反向传播" in out and "局部导数" in out
    assert "∂v3/∂w = x = 2" in out
    assert "已写入 s.html" in out and (tmp_path / "s.html").stat().st_size > 10_000
    assert main(["--lang", "en", "step", "a*a + a", "--var", "a=3"]) == 0
    out = capsys.readouterr().out
    assert "local derivative" in out and "+=" in out and "final gradients: a = 7" in out
    assert main(["step", "a", "--var", "a=1,2"]) == 2
    assert "sum(...)" in capsys.readouterr().err


def test_graph_writes_svg_png_gv(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["graph", "sigmoid(a*b)", "--var", "a=1", "--var", "b=-2"]) == 0
    root = ET.parse(tmp_path / "graph.svg").getroot()
    assert root.tag.endswith("svg")
    assert main(["graph", "relu(a) + a", "--var", "a=1", "--out", "g.png", "--rankdir", "TB"]) == 0
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["graph", "exp(a)", "--var", "a=1", "--out", "g.gv", "--no-backward"]) == 0
    assert "grad &#8212;" in (tmp_path / "g.gv").read_text()
    assert main(["graph", "exp(a)", "--var", "a=1", "--out", "g.bmp"]) == 2
    assert "错误：无法从文件名 g.bmp 判断格式" in capsys.readouterr().err


def test_plot_activations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["plot", "activations", "--out", "a.png"]) == 0
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"


def test_train_is_wired_to_the_train_module(capsys):
    assert main(["--lang", "en", "train", "softmax", "--epochs", "2"]) == 0
    out = capsys.readouterr().out
    assert "test accuracy" in out  # --lang before the command reaches train's own output


def test_demo_writes_its_files(tmp_path, capsys):
    out_dir = tmp_path / "demo"
    assert main(["demo", "--out", str(out_dir), "--small"]) == 0
    out = capsys.readouterr().out
    expected = ["neuron_graph.svg", "neuron_stepper.html", "activations.png", "ffn_graph.svg", "digits_loss.png",
                "digits_weights.png"]
    for name in expected:
        assert (out_dir / name).stat().st_size > 1000, name
        assert str(out_dir / name) in out
    assert "一致" in out and "不一致" not in out
    assert "测试集准确率" in out
    ET.parse(out_dir / "neuron_graph.svg")


def test_python_dash_m_and_console_script_entry_point():
    proc = subprocess.run([sys.executable, "-m", "tinygrad_cn", "--lang", "en", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and "usage: tinygrad-cn" in proc.stdout
    script = Path(sys.executable).parent / "tinygrad-cn"
    if script.exists():
        proc = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and "用法：" in proc.stdout


def test_without_matplotlib_plots_say_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)  # import fails as if not installed
    assert main(["--lang", "en", "plot", "activations"]) == 1
    assert "pip install matplotlib" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_make_demo_ends_with_how_to_get_english_and_the_command():
    """The last command of ``make demo`` prints one line naming --lang en and the venv's tinygrad-cn;
    the commands it names work."""
    import shutil

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(["make", "-s", "-n", "demo", "BIN=.venv/bin"], cwd=root, capture_output=True, text=True,
                          timeout=60)
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("echo ")
    line = subprocess.run(["sh", "-c", last], capture_output=True, text=True, timeout=60).stdout
    assert len(line.strip().splitlines()) == 1
    assert "English: .venv/bin/tinygrad-cn demo --lang en" in line and "source .venv/bin/activate" in line
    assert "tinygrad-cn --help" in line
    script = Path(sys.executable).parent / "tinygrad-cn"
    assert (Path(sys.executable).parent / "activate").is_file()
    help_text = subprocess.run([str(script), "demo", "--lang", "en", "--help"], capture_output=True, text=True,
                               timeout=60).stdout
    assert help_text.startswith("usage: tinygrad-cn demo")


@pytest.mark.parametrize(("lang", "title", "other"), [("zh", "图例", "legend"), ("en", "legend", "图例")])
def test_graph_legend_follows_lang(tmp_path, capsys, lang, title, other):
    out = tmp_path / "g.svg"
    assert main(["graph", "tanh(x*w)", "--var", "x=2", "--var", "w=-3", "--out", str(out), "--lang", lang]) == 0
    svg = out.read_text(encoding="utf-8")
    assert f">{title}</text>" in svg and f">{other}</text>" not in svg
