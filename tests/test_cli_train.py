"""The ``train`` sub-command: arguments, progress, and the final accuracies in zh and en."""

from __future__ import annotations

import argparse
import re

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
