"""The ``train`` sub-command: arguments, progress, and the final accuracies in zh and en."""

from __future__ import annotations

import argparse
import re

import numpy as np
import pytest

from tinygrad_cn.cli import train


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tinygrad-cn train")
    train.add_arguments(parser)
    return parser.parse_args(list(argv))


def accuracies(out: str) -> list[float]:
    return [float(v) for v in re.findall(r"(\d+\.\d+)%", out)]


@pytest.mark.parametrize(
    ("model", "extra", "least"),
    [("logistic", [], 0.8), ("softmax", ["--epochs", "10"], 0.93), ("perceptron", ["--epochs", "5"], 0.8),
     ("svm", ["--epochs", "5"], 0.8), ("ffn", ["--epochs", "40"], 0.9)],
)
def test_each_model_trains_and_reports_in_chinese(model, extra, least, capsys):
    assert train.run(parse(model, *extra)) == 0
    out = capsys.readouterr().out
    assert "训练集准确率" in out and "测试集准确率" in out and "数据集" in out
    train_acc, test_acc = accuracies(out)
    assert train_acc >= 100 * least and test_acc >= 100 * least - 10


def test_english_output_datasets_and_options(capsys):
    args = parse("logistic", "--dataset", "spam", "--epochs", "20", "--lr", "0.5", "--batch-size", "16",
                 "--optimizer", "adagrad", "--seed", "3", "--lang", "en")
    assert train.run(args) == 0
    captured = capsys.readouterr()
    assert "data set spam:" in captured.out and "test accuracy:" in captured.out
    assert "model: LogisticRegression(lr=0.5, epochs=20, batch_size=16, optimizer='adagrad', seed=3)" in captured.out
    assert captured.err == ""  # no progress bar when stderr is not a terminal (tqdm disable=None)
    assert accuracies(captured.out)[1] >= 85


def test_help_of_the_train_arguments_follows_the_language():
    for lang, model, default in (("zh", "要训练的分类器", "默认随模型而定"),
                                 ("en", "the classifier to train", "the default depends on the model")):
        parser = argparse.ArgumentParser(prog="tinygrad-cn train")
        train.add_arguments(parser, lang=lang)
        helps = " ".join(a.help or "" for a in parser._actions)
        assert model in helps and default in helps
        assert "/ 训练" not in helps and "which classifier" not in helps


def test_same_seed_same_result(capsys):
    train.run(parse("svm", "--dataset", "moons", "--epochs", "3", "--seed", "1"))
    first = capsys.readouterr().out
    train.run(parse("svm", "--dataset", "moons", "--epochs", "3", "--seed", "1"))
    assert accuracies(capsys.readouterr().out) == accuracies(first)


def test_bad_values_give_a_clear_error(capsys):
    assert train.run(parse("softmax", "--epochs", "0")) == 2
    assert capsys.readouterr().err == "错误：--epochs 必须是正整数（≥ 1），现在是 0\n"
    assert train.run(parse("softmax", "--batch-size", "-1", "--lang", "en")) == 2
    assert capsys.readouterr().err == "error: --batch-size must be a positive integer (>= 1), got -1\n"
    assert train.run(parse("svm", "--lr", "-1", "--lang", "en")) == 2
    assert capsys.readouterr().err == "error: --lr must be a finite number > 0, got -1.0\n"
    with pytest.raises(SystemExit):
        parse("knn")


# ---- issue 9: huge --epochs, the loss per epoch, --plot, divergence ------------------------------------
def test_huge_epochs_is_one_clear_line_not_a_traceback(tmp_path):
    import subprocess
    import sys

    for lang, text in (("zh", "错误：--epochs 最多是 1,000,000，现在是 99999999999999999999"),
                       ("en", "error: --epochs must be at most 1,000,000, got 99999999999999999999")):
        proc = subprocess.run([sys.executable, "-m", "tinygrad_cn", "train", "logistic", "--epochs",
                               "99999999999999999999", "--lang", lang], cwd=tmp_path, capture_output=True, text=True,
                              encoding="utf-8", timeout=120)
        assert proc.returncode == 2 and proc.stderr.strip() == text and proc.stdout == ""


def test_the_loss_per_epoch_is_printed_as_a_table(capsys):
    assert train.run(parse("svm", "--epochs", "5", "--lang", "en")) == 0
    out = capsys.readouterr().out
    assert "training loss per epoch (hinge loss + ½α‖W‖²):" in out
    rows = re.findall(r"^\s+(\d+)\s+(\d+\.\d{4})(?:\s+([+-]\d+\.\d{4}))?$", out, re.M)
    assert [int(r[0]) for r in rows] == [1, 2, 3, 4, 5]
    losses = [float(r[1]) for r in rows]
    assert losses[-1] == float(re.search(r"final training loss: (\S+)", out).group(1))
    changes = [float(r[2]) for r in rows[1:]]
    assert changes == pytest.approx(np.diff(losses), abs=2e-4)


def test_a_long_run_shows_every_kth_epoch_first_and_last(capsys):
    assert train.run(parse("logistic", "--epochs", "50")) == 0
    out = capsys.readouterr().out
    assert "每轮的训练损失（二元交叉熵，每 5 轮显示一行）" in out
    epochs = [int(e) for e in re.findall(r"^\s+(\d+)\s+\d+\.\d{4}", out, re.M)]
    assert epochs == [1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]


def test_plot_writes_the_loss_curve(tmp_path, capsys):
    target = tmp_path / "loss.svg"
    assert train.run(parse("softmax", "--epochs", "3", "--plot", str(target), "--lang", "en")) == 0
    out = capsys.readouterr().out
    assert f"wrote {target}" in out and target.read_text().lstrip().startswith("<?xml")
    assert "mean cross-entropy" in target.read_text()


def test_plot_with_a_bad_name_is_refused_before_training(tmp_path, capsys, monkeypatch):
    def no_loading(*a, **k):
        raise AssertionError("the data was loaded")

    monkeypatch.setattr(train, "load_dataset", no_loading)
    (tmp_path / "notes.txt").write_text("keep")
    assert train.run(parse("logistic", "--plot", str(tmp_path / "notes.txt"), "--lang", "en")) == 2
    err = capsys.readouterr().err
    assert "--plot" in err and ".png" in err and (tmp_path / "notes.txt").read_text() == "keep"


def test_a_loss_that_becomes_infinite_is_a_divergence_warning(capsys):
    assert train.run(parse("logistic", "--lr", "1e308", "--epochs", "2", "--lang", "en")) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: the training loss became inf (first in epoch 1): training diverged")
    assert "--lr 1e+307" in err and "larger than" not in err
