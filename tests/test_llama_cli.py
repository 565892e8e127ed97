"""``tinygrad-cn train llama`` and ``tinygrad-cn generate`` (issue 14)."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_cn.cli import main
from tinygrad_cn.models import load_llama

TINY = ["--steps", "20", "--log-every", "10", "--dim", "16", "--layers", "1", "--heads", "2", "--seq-len", "16",
        "--batch-size", "4", "--length", "12"]


def test_train_llama_saves_and_generate_is_deterministic(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["train", "llama", *TINY, "--save", "m.npz"]) == 0
    out = capsys.readouterr().out
    assert "语料 notes-zh：4,906 个字符，字表 662 个字；一元熵 H₁ = 5.493 奈特/字" in out
    assert "第 10/20 步  训练损失" in out and "留出的句子上：损失" in out and "第 20/20 步" in out and "困惑度" in out
    assert "训练前的样本" in out and "训练后的样本" in out and "模型已保存到 m.npz" in out
    after = out.split("训练后的样本")[1].splitlines()[1:3]
    assert all(line.startswith("  春") and len(line) == 2 + 13 for line in after)  # prompt + 12 characters
    model, tok = load_llama(tmp_path / "m.npz")
    assert (model.dim, model.n_layers, model.n_heads, model.max_seq_len, tok.vocab_size) == (16, 1, 2, 16, 662)

    gen = ["generate", "--load", "m.npz", "--prompt", "春天", "--length", "15", "--seed", "3"]
    assert main(gen) == 0
    first = capsys.readouterr().out
    assert main(gen) == 0
    assert capsys.readouterr().out == first  # the same seed, the same text
    sample = first.splitlines()[1]
    assert sample.startswith("  春天") and len(sample) == 2 + 17
    ids = model.generate(tok.encode("春天"), 15, temperature=0.8, seed=3)
    assert sample == "  " + tok.decode(ids).replace("\n", "⏎")
    assert main([*gen[:-1], "4"]) == 0
    assert capsys.readouterr().out != first


def test_train_llama_english(tmp_path, capsys):
    assert main(["train", "llama", "--lang", "en", "--corpus", "notes-en", "--prompt", "The", *TINY]) == 0
    out = capsys.readouterr().out
    assert out.startswith("corpus notes-en:") and "step 20/20  training loss" in out and "on held-out lines: loss" in out
    assert "perplexity" in out
    assert "samples after training" in out and "  The" in out


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (["--heads", "3"], "--heads 3 不能整除 --dim 64", "--heads 3 does not divide --dim 64"),
        (["--dim", "6", "--heads", "2"], "每个头的维度 --dim / --heads = 3 必须是偶数",
         "the head size --dim / --heads = 3 must be even"),
        (["--steps", "0"], "--steps 必须是 ≥ 1 的整数，现在是 0", "--steps must be an integer >= 1, got 0"),
        (["--lr", "-1"], "--lr 必须是 > 0 的有限数", "--lr must be a finite number > 0"),
        (["--prompt", "🙂"], "开头文字里的“🙂”不在模型的字表里",
         "the prompt's character '🙂' is not in the model's vocabulary"),
        (["--save", "m.pt"], "--save 的文件名必须以 .npz 结尾", "the --save file name must end in .npz"),
    ],
)
def test_train_llama_bad_options(argv, zh, en, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for lang, want in (("zh", zh), ("en", en)):
        assert main(["train", "llama", *argv, "--lang", lang]) == 2
        captured = capsys.readouterr()
        assert want in captured.err and "Traceback" not in captured.err
    assert not list(tmp_path.iterdir())  # nothing written


def test_generate_errors(tmp_path, capsys):
    missing = str(tmp_path / "missing.npz")
    for lang, want in (("zh", f"错误：--load {missing}：文件不存在"), ("en", f"error: --load {missing}: no such file")):
        assert main(["generate", "--load", missing, "--lang", lang]) == 2  # a bad input, as the others
        err = capsys.readouterr().err
        assert err.startswith(want) and "tg.load" not in err and len(err.splitlines()) == 1
    script = tmp_path / "qs.py"
    script.write_text("print(1)\n")
    assert main(["generate", "--load", str(script)]) == 2
    err = capsys.readouterr().err
    assert "不是 train llama --save 保存的模型文件（它不是 .npz 文件" in err and "zip file" not in err
    assert main(["generate", "--load", str(tmp_path)]) == 2
    assert "是一个目录" in capsys.readouterr().err
    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(3))
    assert main(["generate", "--load", str(other), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "is not a model file saved by train llama --save" in err and "load_llama" not in err
    assert main(["generate", "--load", str(other), "--temperature", "-1"]) == 2
    assert "--temperature 必须是 ≥ 0 的有限数" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["generate"])  # --load is required
    assert "--load" in capsys.readouterr().err


def test_save_into_a_missing_folder_creates_it_before_training(tmp_path, capsys, monkeypatch):
    """As graph --out: a missing folder is created, and up front, so no training is lost at the end."""
    import tinygrad_cn.models as models

    target = tmp_path / "new" / "dir" / "m.npz"
    real = models.train_language_model

    def train(*a, **kw):
        assert target.parent.is_dir()  # the folder exists before the first step
        return real(*a, **kw)

    monkeypatch.setattr(models, "train_language_model", train)
    assert main(["train", "llama", *TINY, "--steps", "2", "--save", str(target)]) == 0
    assert target.is_file() and "模型已保存到" in capsys.readouterr().out
    blocked = tmp_path / "file.txt"
    blocked.write_text("x")
    assert main(["train", "llama", *TINY, "--save", str(blocked / "sub" / "m.npz")]) == 2
    captured = capsys.readouterr()
    assert "是一个文件，不是目录" in captured.err and captured.out == ""  # refused before any work


@pytest.mark.parametrize(("lang", "want"), [("zh", "错误：--prompt 不能是空的"), ("en", "error: --prompt must not be empty")])
def test_empty_prompt_is_a_localized_error(lang, want, tmp_path, capsys):
    ckpt = tmp_path / "m.npz"
    assert main(["train", "llama", *TINY, "--steps", "1", "--samples", "0", "--save", str(ckpt)]) == 0
    capsys.readouterr()
    assert main(["generate", "--load", str(ckpt), "--prompt", "", "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert err.startswith(want) and "--prompt 春" in err and len(err.splitlines()) == 1
    assert main(["train", "llama", *TINY, "--prompt", "", "--lang", lang]) == 2
    assert capsys.readouterr().err.startswith(want)


def test_generate_default_prompt_is_the_one_train_suggests(tmp_path, capsys):
    ckpt = tmp_path / "m.npz"
    assert main(["train", "llama", "--lang", "en", "--corpus", "notes-en", *TINY, "--steps", "1", "--samples", "0",
                 "--save", str(ckpt)]) == 0
    suggested = capsys.readouterr().out.rsplit("--prompt ", 1)[1].strip()
    assert suggested.isalpha()  # a letter, never a newline or a space
    assert main(["generate", "--load", str(ckpt), "--lang", "en"]) == 0
    sample = capsys.readouterr().out.splitlines()[1]
    assert sample.startswith("  " + suggested)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help(lang, capsys):
    with pytest.raises(SystemExit) as e:
        main(["train", "llama", "--help", "--lang", lang])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "--steps" in out and "--save" in out and "--corpus" in out and "tinygrad-cn generate --load" in out
    with pytest.raises(SystemExit):
        main(["generate", "--help", "--lang", lang])
    assert "--load" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help", "--lang", lang])
    assert "generate" in capsys.readouterr().out
