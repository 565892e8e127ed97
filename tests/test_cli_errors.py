"""User mistakes on the command line: every one gets a one-line localized error (Chinese by default,
English with --lang en) and an exit status, never a traceback or a numpy warning; NaN / inf are
reported, not shown as normal numbers; help texts are localized and never break a command."""

from __future__ import annotations

import errno
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinygrad_cn.cli import main, train
from tinygrad_cn.cli.checks import os_error_text
from tinygrad_cn.cli.expr import FUNCTION_NAMES, _functions

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "tinygrad-cn"


def cli(*argv: str, cwd: Path, merge: bool = False) -> subprocess.CompletedProcess:
    """The real command in a subprocess (warnings shown as Python shows them by default)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONWARNINGS", "TINYGRAD_CN_LANG")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "tinygrad_cn", *argv], cwd=cwd, env=env, text=True, encoding="utf-8",
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge else subprocess.PIPE, timeout=120)


def clean(text: str) -> None:
    assert "Traceback" not in text and "RuntimeWarning" not in text and "Error:" not in text, text


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    clean(out + err)
    return code, out, err


# ---- 1. OSError and the like: one localized line, no traceback ------------------------------------
def test_demo_out_is_an_existing_file(tmp_path, capsys):
    f = tmp_path / "afile"
    f.write_text("x")
    code, out, err = run(capsys, "demo", "--small", "--out", str(f))
    assert code == 2 and out == ""
    assert err.startswith("错误：--out ") and "已经存在，而且是一个文件" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, "demo", "--small", "--out", str(f), "--lang", "en")
    assert code == 2 and err.startswith("error: --out ") and "exists and is a file" in err
    proc = cli("demo", "--small", "--out", str(f), cwd=tmp_path)  # the reviewer's command, for real
    assert proc.returncode == 2 and "错误：" in proc.stderr
    clean(proc.stdout + proc.stderr)


def test_a_file_in_the_way_of_an_output_path(tmp_path, capsys):
    f = tmp_path / "afile"
    f.write_text("x")
    code, _, err = run(capsys, "demo", "--small", "--out", str(f / "sub"))
    assert code == 2 and err.strip() == f"错误：--out {f / 'sub'}：{f} 是一个文件，不是目录，无法在它下面创建文件或目录"
    code, _, err = run(capsys, "--lang", "en", "graph", "x", "--var", "x=1", "--out", str(f / "g.svg"))
    assert code == 2 and err.startswith("error: --out ") and f"{f} is a file, not a folder" in err
    code, _, err = run(capsys, "step", "x", "--var", "x=1", "--html", str(f / "deeper" / "s.html"))
    assert code == 2 and f"{f} 是一个文件" in err


def test_os_errors_while_running_are_one_line(tmp_path, monkeypatch, capsys):
    from tinygrad_cn import viz

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".g.svg.tmp123"), None,
                              str(tmp_path / "g.svg"))

    monkeypatch.setattr(viz, "render", denied)
    code, _, err = run(capsys, "graph", "x", "--var", "x=1", "--out", str(tmp_path / "g.svg"))
    assert code == 1 and err.strip() == f"错误：{tmp_path / 'g.svg'}：没有权限"
    code, _, err = run(capsys, "graph", "x", "--var", "x=1", "--out", str(tmp_path / "g.svg"), "--lang", "en")
    assert code == 1 and err.strip() == f"error: {tmp_path / 'g.svg'}: permission denied"


def test_os_error_text_names_the_users_path_not_a_temporary_file():
    e = OSError(errno.EISDIR, "Is a directory", "/tmp/.page.html.x8k2", None, "/tmp/out")
    assert os_error_text(e, "zh") == "/tmp/out：是一个目录"
    assert os_error_text(e, "en") == "/tmp/out: is a directory"
    assert os_error_text(PermissionError(errno.EACCES, "Permission denied", "/root/x"), "zh") == "/root/x：没有权限"
    # mkstemp failing names only the temporary file: the user's own name is shown
    e = FileNotFoundError(errno.ENOENT, "No such file or directory", "/proc/.g.svg.fl8r6jss")
    assert os_error_text(e, "en") == "/proc/g.svg: no such file or directory"
    assert os_error_text(e, "zh", "out/g.svg") == "out/g.svg：文件或目录不存在"


def test_writing_fails_with_the_users_path(tmp_path, monkeypatch, capsys):
    from tinygrad_cn import viz

    def no_such_dir(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(tmp_path / ".s.html.ab12cd34"))

    monkeypatch.setattr(viz, "stepper_html", no_such_dir)
    code, _, err = run(capsys, "step", "x", "--var", "x=1", "--html", str(tmp_path / "s.html"))
    assert code == 1 and err.strip() == f"错误：{tmp_path / 's.html'}：文件或目录不存在" and "ab12cd34" not in err


def test_keyboard_interrupt_is_not_a_traceback(monkeypatch, capsys):
    from tinygrad_cn.cli import commands

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "step", interrupted)
    code, _, err = run(capsys, "step", "x", "--var", "x=1")
    assert code == 130 and "已中断" in err


# ---- 2. output paths: a known suffix, not a directory --------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plot_refuses_a_path_without_a_known_suffix_or_a_directory(lang, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    code, out, err = run(capsys, "plot", "activations", "--out", "nosuffix", "--lang", lang)
    assert code == 2 and out == ""
    assert ("无法从文件名 nosuffix 判断格式" if lang == "zh" else "cannot tell the format from the file name nosuffix") in err
    assert ".png" in err and ".svg" in err and ".pdf" in err
    code, out, err = run(capsys, "plot", "activations", "--out", "adir", "--lang", lang)
    assert code == 2 and ("是一个目录" if lang == "zh" else "is a directory") in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir"] and list((tmp_path / "adir").iterdir()) == []
    # graph behaves the same
    code, _, err = run(capsys, "graph", "x", "--var", "x=1", "--out", "adir", "--lang", lang)
    assert code == 2 and ("是一个目录" if lang == "zh" else "is a directory") in err
    code, _, err = run(capsys, "graph", "x", "--var", "x=1", "--out", "g.pdf", "--lang", lang)
    assert code == 2 and ("判断格式" if lang == "zh" else "cannot tell the format") in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir"]


def test_plot_reports_the_path_it_wrote(tmp_path, capsys):
    target = tmp_path / "acts.svg"
    code, out, _ = run(capsys, "plot", "activations", "--out", str(target))
    assert code == 0 and out.strip() == f"已写入 {target}" and target.read_text().lstrip().startswith("<?xml")


def test_plot_activations_refuses_what_matplotlib_would_rename(tmp_path):
    from tinygrad_cn import viz

    with pytest.raises(ValueError, match="cannot tell the format"):
        viz.plot_activations(tmp_path / "nosuffix")
    (tmp_path / "d.png").mkdir()
    with pytest.raises(IsADirectoryError):
        viz.plot_activations(tmp_path / "d.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.png"]


# ---- 3. NaN / inf: a notice naming the first node, no numpy warnings --------------------------------
@pytest.mark.parametrize(
    ("expr", "var", "zh", "en"),
    [
        ("x/0", "x=2", "节点 out（运算 div (÷)）第一个得到 inf", "the first node to become inf is out (op div (÷))"),
        ("log(-x)", "x=2", "节点 out（运算 log）第一个得到 nan", "the first node to become nan is out (op log)"),
        ("exp(x*x)", "x=1000", "节点 out（运算 exp）第一个得到 inf", "the first node to become inf is out (op exp)"),
        ("x**0.5", "x=0", "反向传播第 1 步从 out（运算 pow (^)）传给 x 的梯度第一个变成 inf",
         "in backward step 1 the gradient flowing from out (op pow (^)) into x is the first to become inf"),
    ],
)
def test_step_reports_nan_and_inf(expr, var, zh, en, capsys):
    code, out, err = run(capsys, "step", expr, "--var", var)
    assert code == 0 and "前向传播" in out and "注意：" in err and zh in err and "tg.detect_anomaly()" in err
    code, out, err = run(capsys, "step", expr, "--var", var, "--lang", "en")
    assert code == 0 and "note: " in err and en in err


def test_finite_results_get_no_notice(capsys):
    code, _, err = run(capsys, "step", "tanh(x*w + b)", "--var", "x=2", "--var", "w=-3", "--var", "b=1")
    assert code == 0 and err == ""


def test_nan_through_the_real_command_shows_no_numpy_warning(tmp_path):
    proc = cli("step", "log(-x)", "--var", "x=2", cwd=tmp_path)
    assert proc.returncode == 0 and "注意：" in proc.stderr and "nan" in proc.stderr
    clean(proc.stdout + proc.stderr)
    assert "arithmetic.py" not in proc.stderr and "elementwise.py" not in proc.stderr
    proc = cli("graph", "x/0", "--var", "x=2", "--out", "g.svg", cwd=tmp_path)
    assert proc.returncode == 0 and "注意：" in proc.stderr and (tmp_path / "g.svg").exists()
    clean(proc.stdout + proc.stderr)


# ---- 4. localized errors: the expression parser, argparse, train's options ------------------------------
@pytest.mark.parametrize(
    ("expr", "zh", "en"),
    [
        ("(x", "错误：表达式被拒绝：不是合法的表达式：括号 '(' 没有闭合",
         "error: expression refused: not a valid expression: '(' was never closed"),
        ("x)", "多了一个 ')'", "unmatched ')'"),
        ("2x", "数字的写法不对", "invalid decimal literal"),
        ("x +", "语法错误", "invalid syntax"),
        ("tanhh(x)", "未知函数 'tanhh'（是不是想写 'tanh'？）；可用的函数：",
         "unknown function 'tanhh' (did you mean 'tanh'?); allowed:"),
        ("x + y", "未知的名字 'y'：请用 --var y=数值 给出（已给出：x）",
         "unknown name 'y': give it with --var y=VALUE (given: x)"),
        ("x.real", "不允许：属性访问（.real）", "not allowed: attribute access (.real)"),
        ("x[0]", "不允许：下标 / 索引（在 'x[0]' 中）", "not allowed: subscripts / indexing in 'x[0]'"),
        ("tanh(x, x)", "tanh() 需要 1 个参数，但给了 2 个", "tanh() takes 1 argument(s), got 2"),
        ("leaky_relu(x, x)", "leaky_relu() 的第 2 个参数必须直接写成一个数字",
         "argument 2 of leaky_relu() must be a plain number"),
        ("2 * 3", "没有用到任何变量", "uses no variable"),
        ("x + 1/0", "错误：无法计算 'x + 1/0'：除以零", "error: cannot compute 'x + 1/0': division by zero"),
    ],
)
def test_expression_errors_in_both_languages(expr, zh, en, capsys):
    code, _, err = run(capsys, "step", expr, "--var", "x=2")
    assert code == 2 and zh in err and len(err.splitlines()) == 1
    assert "never closed" not in err and "unknown function" not in err and "allowed:" not in err
    code, _, err = run(capsys, "step", expr, "--var", "x=2", "--lang", "en")
    assert code == 2 and en in err


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (["train", "logistic", "--dataset", "mnist"], "错误：参数 --dataset：无效的取值 'mnist'（可选：",
         "error: argument --dataset: invalid choice: 'mnist'"),
        (["step"], "错误：缺少必需的参数：expr", "error: the following arguments are required: expr"),
        (["train", "logistic", "--epochs", "abc"], "错误：参数 --epochs：'abc' 不是有效的整数",
         "error: argument --epochs: invalid int value: 'abc'"),
        (["graph", "x", "--rankdir", "XY"], "错误：参数 --rankdir：无效的取值 'XY'", "error: argument --rankdir: invalid choice"),
        (["step", "x", "--bogus"], "错误：无法识别的参数：--bogus", "error: unrecognized arguments: --bogus"),
        (["frobnicate"], "错误：参数 {demo,graph,step,plot,train,generate,exercises}：无效的取值 'frobnicate'",
         "invalid choice: 'frobnicate'"),
    ],
)
def test_argparse_errors_are_localized(argv, zh, en, capsys):
    for lang, want, usage, hint in (("zh", zh, "用法：", "--help 查看全部用法"), ("en", en, "usage:", "--help to see")):
        with pytest.raises(SystemExit) as e:
            main([*argv, "--lang", lang])
        assert e.value.code == 2
        out, err = capsys.readouterr()
        clean(out + err)
        assert out == "" and err.startswith(usage) and want in err and hint in err
        if lang == "zh":
            assert "error:" not in err and "invalid" not in err and "required" not in err


@pytest.mark.parametrize(
    ("options", "zh", "en"),
    [
        (["--epochs", "-1"], "--epochs 必须是正整数（≥ 1），现在是 -1", "--epochs must be a positive integer (>= 1), got -1"),
        (["--epochs", "0"], "--epochs 必须是正整数", "--epochs must be a positive integer"),
        (["--lr", "0"], "--lr 必须是大于 0 的有限数，现在是 0.0", "--lr must be a finite number > 0, got 0.0"),
        (["--lr", "nan"], "--lr 必须是大于 0 的有限数", "--lr must be a finite number > 0"),
        (["--lr", "-0.1"], "--lr 必须是大于 0 的有限数", "--lr must be a finite number > 0"),
        (["--batch-size", "0"], "--batch-size 必须是正整数", "--batch-size must be a positive integer"),
        (["--test-size", "1.5"], "--test-size 必须在 0 和 1 之间", "--test-size must be between 0 and 1"),
        (["--seed", "-3"], "--seed 必须是非负整数（≥ 0），现在是 -3", "--seed must be an integer >= 0, got -3"),
    ],
)
def test_train_checks_its_options_before_loading_data(options, zh, en, monkeypatch, capsys):
    def no_loading(*a, **k):
        raise AssertionError("the data set was loaded before the options were checked")

    monkeypatch.setattr(train, "load_dataset", no_loading)
    code, out, err = run(capsys, "train", "logistic", *options)
    assert code == 2 and out == "" and err.startswith(f"错误：{zh}")
    assert "LogisticRegression" not in err and "must be" not in err
    code, out, err = run(capsys, "train", "logistic", *options, "--lang", "en")
    assert code == 2 and err.startswith(f"error: {en}")


def test_train_refuses_a_split_without_samples(capsys):
    code, out, err = run(capsys, "train", "svm", "--test-size", "0.001")
    assert code == 2 and "错误：--test-size 0.001 让训练集或测试集一个样本也没有（数据集 blobs 共 400 个样本）" in err
    assert "准确率" not in out
    code, out, err = run(capsys, "train", "svm", "--test-size", "0.001", "--lang", "en")
    assert code == 2 and "error: --test-size 0.001 leaves the training or the test set without samples" in err


def test_library_errors_keep_their_words_behind_a_localized_prefix(monkeypatch, capsys):
    from tinygrad_cn import models

    def refuse(self, X, y):
        raise ValueError("LogisticRegression.fit: something the library refuses")

    monkeypatch.setattr(models.LogisticRegression, "fit", refuse)
    code, _, err = run(capsys, "train", "logistic", "--epochs", "1")
    assert code == 2 and err.strip().splitlines()[-1] == "错误：LogisticRegression.fit: something the library refuses"


def test_divergence_is_explained(monkeypatch, capsys):
    from tinygrad_cn import models

    def diverge(self, X, y):
        raise FloatingPointError("LogisticRegression.fit: training diverged in epoch 2: the loss is inf")

    monkeypatch.setattr(models.LogisticRegression, "fit", diverge)
    code, _, err = run(capsys, "train", "logistic", "--lr", "5")
    assert code == 1 and "错误：训练发散了" in err and "--lr 0.5" in err
    code, _, err = run(capsys, "train", "logistic", "--lr", "5", "--lang", "en")
    assert code == 1 and "error: training diverged" in err and "--lr 0.5" in err


# ---- 5. train --help ---------------------------------------------------------------------------------------
def test_train_help_is_localized_with_defaults(capsys):
    with pytest.raises(SystemExit) as e:
        main(["train", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "which classifier" not in out and "/ 训练" not in out and "moons / digits / blobs" not in out
    flat = " ".join(out.split())
    assert "要训练的分类器" in out and "默认随模型而定" in flat and "logistic → moons" in flat and "ffn → spirals" in flat
    for piece in ("logistic → 50", "ffn → 100", "logistic → 0.1", "ffn → 0.01", "logistic → sgd", "ffn → adam", "默认 32"):
        assert piece in flat, piece
    with pytest.raises(SystemExit):
        main(["train", "--help", "--lang", "en"])
    out = capsys.readouterr().out
    flat = " ".join(out.split())
    assert "训练" not in out and "the classifier to train" in out and "the default depends on the model" in flat
    for piece in ("logistic → 50", "ffn → 0.01", "ffn → adam", "softmax → digits", "(default 32)"):
        assert piece in flat, piece


# ---- 6/7. --html to a directory, --var, not a scalar, the functions in --help ------------------------------
def test_html_into_a_directory_says_so(tmp_path, capsys):
    code, out, err = run(capsys, "step", "x", "--var", "x=1", "--html", str(tmp_path))
    assert code == 2 and out == ""
    assert err.strip() == f"错误：--html {tmp_path} 是一个目录，这里需要一个文件名，例如 {tmp_path / 'step.html'}"
    code, _, err = run(capsys, "step", "x", "--var", "x=1", "--html", str(tmp_path), "--lang", "en")
    assert code == 2 and "is a directory" in err and "Errno" not in err
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


@pytest.mark.parametrize(
    ("var", "zh", "en"),
    [
        ("x=abc", "错误：--var 'x=abc'：'abc' 不是数字", "error: --var 'x=abc': 'abc' is not a number"),
        ("x", "错误：--var 'x'：请写成 名字=数值", "error: --var 'x': write NAME=VALUE"),
        ("tanh=1", "'tanh' 是函数名，不能用作变量名", "'tanh' is the name of a function"),
        ("x=inf", "值必须是有限的数", "values must be finite numbers"),
    ],
)
def test_bad_var_is_not_called_a_refused_expression(var, zh, en, capsys):
    code, _, err = run(capsys, "step", "x", "--var", var)
    assert code == 2 and err.startswith("错误：--var ") and zh in err and "表达式被拒绝" not in err
    code, _, err = run(capsys, "step", "x", "--var", var, "--lang", "en")
    assert code == 2 and err.startswith("error: --var ") and en in err and "expression refused" not in err


def test_not_a_scalar_has_the_error_prefix(capsys):
    code, _, err = run(capsys, "step", "x*2", "--var", "x=1,2")
    assert code == 2 and err.startswith("错误：输出不是标量（形状 (2,)）") and 'sum(x*2)' in err
    code, _, err = run(capsys, "graph", "x", "--var", "x=1,2", "--lang", "en")
    assert code == 2 and err.startswith("error: the output is not a scalar") and "sum(...)" in err
    assert run(capsys, "step", "sum(x*2)", "--var", "x=1,2")[0] == 0
    assert run(capsys, "step", "mean(x*2)", "--var", "x=1,2")[0] == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", ["step", "graph"])
def test_help_lists_every_allowed_function(command, lang, capsys):
    assert tuple(_functions()) == FUNCTION_NAMES
    with pytest.raises(SystemExit):
        main([command, "--help", "--lang", lang])
    flat = " ".join(capsys.readouterr().out.split())
    for name in FUNCTION_NAMES:
        assert f"{name}," in flat or f"{name} " in flat or flat.endswith(name), name
    assert "sum, mean" in flat


# ---- 8. no command ------------------------------------------------------------------------------------
def test_no_command_prints_help_and_exits_2(tmp_path, capsys):
    code, _, err = run(capsys)
    assert code == 2 and "用法：tinygrad-cn" in err and "错误：请给出一个子命令：demo, graph, step, plot, train" in err
    code, _, err = run(capsys, "--lang", "en")
    assert code == 2 and "usage: tinygrad-cn" in err and "error: give a command: demo, graph, step, plot, train" in err
    proc = cli(cwd=tmp_path)
    assert proc.returncode == 2


# ---- 9. train: the settings used, a warning when the loss grew ------------------------------------------
def test_train_prints_its_settings_and_warns_when_the_loss_grows(capsys):
    code, out, err = run(capsys, "train", "logistic", "--epochs", "3")
    assert code == 0
    assert "模型：LogisticRegression(lr=0.1, epochs=3, batch_size=32, optimizer='sgd', seed=0)" in out
    assert "警告" not in err
    code, out, err = run(capsys, "train", "ffn", "--epochs", "1", "--lang", "en")
    assert "model: FeedForwardClassifier(lr=0.01, epochs=1, batch_size=32, optimizer='adam', seed=0)" in out
    code, out, err = run(capsys, "train", "logistic", "--lr", "1e9", "--epochs", "5")
    assert code == 0 and "测试集准确率" in out
    assert "警告：最后一轮的训练损失" in err and "比第一轮" in err and "--lr 1e+08" in err
    code, out, err = run(capsys, "train", "logistic", "--lr", "1e9", "--epochs", "5", "--lang", "en")
    assert "warning: the final training loss" in err and "larger than the first epoch's" in err


# ---- 10. progress bars in a pipe ---------------------------------------------------------------------------
# The bars are made with tqdm's disable=None: shown on a terminal, nothing at all in a pipe or a log file.
def no_bar(text: str) -> None:
    assert "\r" not in text and "%|" not in text and "it/s]" not in text, text


def test_piped_output_is_not_glued_to_the_progress_bar(tmp_path):
    proc = cli("train", "logistic", "--epochs", "3", "--lang", "en", cwd=tmp_path, merge=True)
    assert proc.returncode == 0
    clean(proc.stdout)
    no_bar(proc.stdout)
    lines = proc.stdout.split("\n")
    for start in ("trained in", "final training loss", "train accuracy", "test accuracy", "model: "):
        assert sum(line.startswith(start) for line in lines) == 1, (start, proc.stdout)
    assert proc.stdout.index("model: ") < proc.stdout.index("trained in")


def test_demo_piped(tmp_path):
    proc = cli("demo", "--small", "--out", str(tmp_path / "d"), "--lang", "en", cwd=tmp_path, merge=True)
    assert proc.returncode == 0
    clean(proc.stdout)
    no_bar(proc.stdout)
    lines = proc.stdout.split("\n")
    assert sum(line.startswith("train accuracy") for line in lines) == 1, proc.stdout


def test_example_piped(tmp_path):
    argv = [sys.executable, str(ROOT / "examples" / "09_kl_cross_entropy_nll.py"), "--quick", "--lang", "en",
            "--out", str(tmp_path)]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                          timeout=120, cwd=tmp_path, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 0, proc.stdout
    clean(proc.stdout)
    no_bar(proc.stdout)
    lines = proc.stdout.split("\n")
    assert sum(line.startswith("after ") and "steps of gradient descent" in line for line in lines) == 1, proc.stdout
    assert sum(line.startswith("  minimising ") for line in lines) == 3, proc.stdout


def test_progress_writes_nothing_when_stderr_is_not_a_terminal(capsys):
    from tinygrad_cn.models.base import progress

    assert not sys.stderr.isatty()  # pytest's capture
    assert list(progress(range(3), True, "x")) == [0, 1, 2]
    assert capsys.readouterr().err == ""


# ---- 11. help layout -----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_never_breaks_an_example_command(lang, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        main(["--help", "--lang", lang])
    out = capsys.readouterr().out
    assert '  tinygrad-cn step "tanh(x*w + b)" --var x=2 --var w=-3 --var b=1\n' in out
    with pytest.raises(SystemExit):
        main(["train", "--help", "--lang", lang])
    assert "  tinygrad-cn train ffn --epochs 200 --lr 0.005 --optimizer adam\n" in capsys.readouterr().out


def test_chinese_help_fits_the_terminal(monkeypatch, capsys):
    from tinygrad_cn.cli.parsing import columns

    monkeypatch.setenv("COLUMNS", "80")
    for argv in (["--help"], ["step", "--help"], ["train", "--help"], ["demo", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        out = capsys.readouterr().out
        too_wide = [line for line in out.splitlines() if columns(line) > 80 and "{" not in line]
        assert too_wide == [], too_wide


# ---- 12. the examples: --help follows --lang, singular / plural ------------------------------------------------
def _common():
    spec = importlib.util.spec_from_file_location("examples_common", ROOT / "examples" / "_common.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_docstrings_split_by_language():
    common = _common()
    doc = (ROOT / "examples" / "08_dead_relu.py").read_text(encoding="utf-8").split('"""')[1]
    zh, en = common.doc_in(doc, "zh"), common.doc_in(doc, "en")
    assert zh.startswith("08 · Dead ReLU：学习率太高") and "A ReLU unit" not in zh and "dead ReLUs after" not in zh
    assert en.startswith("08 · dead ReLUs after a too-high rate") and "单元" not in en
    assert "python examples/08_dead_relu.py" in zh and "python examples/08_dead_relu.py" in en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_example_help_follows_lang(lang, tmp_path):
    argv = [sys.executable, str(ROOT / "examples" / "08_dead_relu.py"), "--help", *(["--lang", "en"] if lang == "en" else [])]
    proc = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=tmp_path,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 0
    out = proc.stdout
    if lang == "zh":
        assert out.startswith("用法：") and "显示帮助并退出" in out and "快速模式" in out
        assert "options:" not in out and "output language /" not in out and "A ReLU unit" not in out
    else:
        assert out.startswith("usage:") and "show this help" in out and "quick mode" in out and "A ReLU unit" in out
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in out)


def test_dead_relu_quick_says_one_initialisation(tmp_path):
    argv = [sys.executable, str(ROOT / "examples" / "08_dead_relu.py"), "--quick", "--lang", "en", "--out", str(tmp_path)]
    proc = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 0, proc.stderr
    assert "64 hidden ReLU units, one random initialisation, 15 epochs of training:" in proc.stdout
    assert "1 initialisations" not in proc.stdout


@pytest.mark.parametrize("expr,shown", [("x @ x", "@"), ("x // 2", "//"), ("x % 2", "%"), ("~x", "~")])
def test_refused_operators_are_shown_as_written(capsys, expr, shown):
    for lang, word in (("zh", "运算符"), ("en", "the operator")):
        code, out, err = run(capsys, "step", expr, "--var", "x=2", "--lang", lang)
        assert code == 2 and f"{word} {shown}" in out + err
        assert "MatMult" not in out + err and "FloorDiv" not in out + err


@pytest.mark.parametrize("argv", [["step", "-x*w"], ["step", "--var", "x=1", "-x*w"], ["graph", "-2*x", "--no-backward"]])
def test_an_expression_may_start_with_a_minus(capsys, tmp_path, argv):
    if argv[0] == "graph":
        argv = [*argv, "--out", str(tmp_path / "g.gv")]
    code, out, err = run(capsys, *argv, "--var", "w=2", *([] if "--var" in argv else ["--var", "x=1"]), "--lang", "en")
    assert code == 0 and out.strip(), err


@pytest.mark.parametrize(("argv", "grads"), [
    (["step", "--x", "--var", "x=2"], "x = 1"),
    (["step", "--var", "x=2", "--x*w", "--var", "w=3"], "x = 3, w = 2"),
    (["step", "--x+1", "--var", "x=2"], "x = 1"),
    (["step", "--var", "x=2", "--", "--x"], "x = 1"),
])
def test_an_expression_may_start_with_two_minus_signs(capsys, argv, grads):
    code, out, err = run(capsys, "--lang", "en", *argv)
    assert code == 0 and f"final gradients: {grads}" in out, err


def test_a_misspelt_option_after_an_expression_is_still_an_option_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["step", "x*x", "--htlm", "p.html", "--var", "x=2", "--lang", "en"])
    assert info.value.code == 2 and "unrecognized arguments: --htlm p.html" in capsys.readouterr().err


@pytest.mark.parametrize(("expr", "piece", "fix"), [("3x", "3x", "3*x"), ("tanh(2.5x) + 1", "2.5x", "2.5*x"),
                                                    ("x*2x", "2x", "2*x")])
def test_a_number_before_a_name_hints_at_the_product(capsys, expr, piece, fix):
    code, _, err = run(capsys, "step", expr, "--var", "x=2", "--lang", "en")
    assert code == 2 and f"'{piece}' is not a product in Python, write {fix}" in err
    code, _, err = run(capsys, "step", expr, "--var", "x=2")
    assert code == 2 and f"'{piece}' 在 Python 里不是乘法，要写成 {fix}" in err


def test_numbers_with_exponents_are_not_taken_for_products(capsys):
    code, out, _ = run(capsys, "step", "1e2*x", "--var", "x=2", "--lang", "en")
    assert code == 0 and "final gradients: x = 100" in out


@pytest.mark.parametrize("argv", [["plot", "activations", "--lang", "en"], ["--lang", "en", "plot", "activations"],
                                  ["plot", "--lang", "en", "activations"], ["plot", "activations", "--lang=en"]])
def test_plot_in_english(capsys, tmp_path, argv):
    target = tmp_path / "a.svg"
    code, out, err = run(capsys, *argv, "--out", str(target))
    assert code == 0 and out.strip() == f"wrote {target}" and err == "" and target.stat().st_size > 10_000


@pytest.mark.parametrize("root", [5, 2.0, "x", None, [1.0]])
def test_stepper_html_refuses_what_is_not_a_value(tmp_path, root):
    from tinygrad_cn import viz

    with pytest.raises(TypeError, match=r"stepper_html: root must be a Value .* got " + type(root).__name__):
        viz.stepper_html(root, tmp_path / "page.html")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("expr", ["--x", "--x*w", "-x", "-(x*w)", "--(x)", "x*w", "-1*x"])
@pytest.mark.parametrize("position", [0, 1, 2, 3])
def test_the_expression_is_found_wherever_it_stands(expr, position):
    import itertools

    from tinygrad_cn.cli import _expression_last, build_parser

    groups = [["--var", "x=2"], ["--lang", "en"], ["--html", "p.html"]]
    for order in itertools.permutations(groups):
        rest = [tok for g in order for tok in g]
        argv = ["step", *rest[: 2 * position], expr, *rest[2 * position:]]
        args = build_parser("en").parse_args(_expression_last(argv))
        assert args.expr == expr and args.var == ["x=2"] and args.html == "p.html", argv


@pytest.mark.parametrize(("argv", "zh", "en"), [
    (["step", "a*b", "--var", "a=1,2", "--var", "b=1,2,3"],
     "错误：无法计算 'a*b'：a 的形状是 (2,)，b 的形状是 (3,)，两者不能广播到一起",
     "error: cannot compute 'a*b': a has shape (2,) and b has shape (3,), which do not broadcast together"),
    (["step", "sum(glu(a))", "--var", "a=1,2,3"],
     "错误：无法计算 'sum(glu(a))'：glu() 要把最后一维分成相等的两半，但它的大小是 3",
     "error: cannot compute 'sum(glu(a))': glu() splits the last axis into two halves, but its size is 3"),
])
def test_shape_errors_are_one_localized_line(capsys, argv, zh, en):
    for lang, want in (("zh", zh), ("en", en)):
        code, _out, err = run(capsys, *argv, "--lang", lang)
        assert code == 2 and err.startswith(want) and len(err.splitlines()) == 1
        assert "operands could not be broadcast" not in err and "mul:" not in err


@pytest.mark.parametrize("command", ["step", "graph"])
def test_a_var_the_expression_does_not_use_gets_a_notice_naming_it(capsys, tmp_path, command):
    extra = ["--out", str(tmp_path / "g.svg")] if command == "graph" else []
    for lang, want in (("zh", "注意：--var z：表达式 'a*b' 里没有用到 z（它的变量：a, b）"),
                       ("en", "note: --var z: 'a*b' does not use z (its variables: a, b)")):
        code, _out, err = run(capsys, command, "a*b", "--var", "a=1", "--var", "b=2", "--var", "z=3", *extra,
                             "--lang", lang)
        assert code == 0 and want in err
    code, _out, err = run(capsys, command, "a*b", "--var", "a=1", "--var", "b=2", *extra)
    assert code == 0 and "--var" not in err
