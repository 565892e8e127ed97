"""``tinygrad-cn train llama`` and ``tinygrad-cn generate``: train the tiny LLaMA on a bundled
corpus (progress bar, loss and perplexity e^H per interval, samples before and after), save it,
and sample from a saved checkpoint. Messages in Chinese (default) and English."""

from __future__ import annotations

import argparse
import math
import os
import shlex
import sys
import time
from collections.abc import Sequence
from typing import Any

from .parsing import LocalizedParser, words_of

CORPORA = ("notes-zh", "daodejing", "reviews-zh", "notes-en", "reviews-en")  # data.text_corpora(), without numpy

TEXT = {
    "zh": {
        "train_desc": "在内置语料上训练一个字符级的小型 LLaMA 语言模型（嵌入 → Transformer 层 → RMSNorm → 输出层），"
                      "损失是笔记里的交叉熵，同时给出困惑度 e^H；训练前后各生成几段样本。",
        "train_epilog": "例子：\n"
                        "  tinygrad-cn train llama --steps 300\n"
                        "  tinygrad-cn train llama --corpus notes-en --prompt The --save llama-en.npz\n"
                        "  tinygrad-cn train llama --steps 2000 --save llama.npz\n"
                        "  tinygrad-cn generate --load llama.npz --prompt 春",
        "gen_desc": "用 train llama --save 保存的模型续写一段文字（同一个 --seed 得到同样的结果）",
        "gen_epilog": "例子：\n  tinygrad-cn generate --load llama.npz --prompt 春 --temperature 0.8",
        "corpus": "训练语料（默认 notes-zh）：" + "，".join(CORPORA),
        "steps": "训练步数，≥ 1（默认 500）",
        "dim": "模型宽度（嵌入维度），必须能被 --heads 整除（默认 64）",
        "layers": "Transformer 层数（默认 2）",
        "heads": "注意力头数，必须整除 --dim，且每个头的维度是偶数（默认 4）",
        "multiple_of": "前馈层隐藏宽度向上取整到它的倍数（默认 32）",
        "seq_len": "每个训练窗口的字符数，也是模型能看的最长上下文（默认 64）",
        "batch_size": "每一步的窗口数（默认 16）",
        "lr": "Adam 的学习率，> 0（默认 0.003）",
        "seed": "随机种子：初始化、取窗口和采样都由它决定，≥ 0（默认 0）",
        "log_every": "每隔多少步打印一次平均损失和困惑度（默认 50）",
        "save": "把训练好的模型保存到这个 .npz 文件（tg.save：只有数组，没有 pickle）",
        "prompt": "生成样本时的开头文字（默认：语料里有“春”就用“春”，否则用语料的第一个字）",
        "samples": "生成几段样本（默认 2）",
        "length": "每段样本生成多少个字（默认 80）",
        "temperature": "采样温度，≥ 0；越高越随机，0 表示每次取概率最大的字（默认 0.8）",
        "top_k": "只从概率最大的 k 个字里抽（默认不限）",
        "load": "用 train llama --save 保存的模型文件（.npz）",
        "lang": "界面语言：zh（中文，默认）或 en（English）",
        "corpus_line": "语料 {name}：{n:,} 个字符，字表 {v} 个字；一元熵 H₁ = {h:.3f} 奈特/字（困惑度 e^H₁ = {ppl:.1f}）",
        "model_line": "模型：TinyLlama(vocab_size={v}, dim={dim}, n_layers={layers}, n_heads={heads}, multiple_of={mo}, "
                      "max_seq_len={seq})，{params:,} 个参数；Adam(lr={lr:g})，每步 {bs}×{seq} 个字",
        "chance": "什么都没学的模型：交叉熵约 ln {v} = {h:.3f}；只数字频的模型：H₁ = {h1:.3f}；学会上下文才能更低",
        "before": "训练前的样本（温度 {t:g}）：",
        "after": "训练后的样本（温度 {t:g}，种子 {seed}）：",
        "progress": "训练",
        "interval": "第 {step:>{w}}/{steps} 步  训练损失 {loss:.4f} 奈特/字  困惑度 {ppl:8.2f}",
        "val": "  留出的句子上：损失 {loss:.4f}，困惑度 {ppl:8.2f}",
        "split": "每 10 行留出 1 行（{n:,} 个字符）不参加训练，用来检验：训练损失远低于留出句子上的损失，"
                 "说明模型在背诵训练文本（过拟合）",
        "done": "训练用时 {s:.1f} 秒，{tps:,.0f} 字/秒；最后 {n} 步的平均训练损失 {loss:.4f}（困惑度 {ppl:.2f}），"
                "比一元熵 H₁ = {h1:.3f} {cmp}",
        "lower": "低 {d:.3f} 奈特",
        "higher": "还高 {d:.3f} 奈特：再多训练一些步数",
        "saved": "模型已保存到 {path}；续写：tinygrad-cn generate --load {path} --prompt {prompt}",
        "prompt_unknown": "开头文字里的“{c}”不在模型的字表里（共 {v} 个字），请换一个开头（--prompt）",
        "prompt_empty": "--prompt 不能是空的：模型要从至少一个字开始续写，例如 --prompt {example}",
        "at_least": "≥",
        "load_missing": "--load {path}：文件不存在（先用 tinygrad-cn train llama --save {path} 训练并保存一个模型）",
        "load_dir": "--load {path} 是一个目录，这里需要一个 .npz 模型文件",
        "not_zip": "（它不是 .npz 文件：读不出 zip 格式）",
        "unreadable": "（文件不完整或已损坏）",
        "bad_int": "{option} 必须是 ≥ {lo} 的整数，现在是 {value}",
        "bad_float": "{option} 必须是 {rule} 的有限数，现在是 {value}",
        "heads_dim": "--heads {heads} 不能整除 --dim {dim}（每个头分到 dim / heads 个特征）",
        "heads_even": "每个头的维度 --dim / --heads = {hd} 必须是偶数（旋转位置编码成对旋转特征）",
        "too_short": "语料 {name} 只有 {n} 个字符，比 --seq-len + 1 = {need} 还短",
        "suffix": "--save 的文件名必须以 .npz 结尾，现在是 {path}",
        "not_ckpt": "{path} 不是 train llama --save 保存的模型文件",
        "loaded": "模型 {path}：字表 {v} 个字，dim {dim}，{layers} 层，{heads} 个头，上下文最长 {seq} 个字",
        "diverged": "训练发散了（损失变成了 {loss}）：学习率 {lr:g} 太大，试试 --lr {smaller:g}",
    },
    "en": {
        "train_desc": "train a character-level tiny LLaMA language model on a bundled corpus (embedding → transformer "
                      "blocks → RMSNorm → output layer); the loss is the notes' cross-entropy, shown also as perplexity "
                      "e^H; samples before and after training.",
        "train_epilog": "examples:\n"
                        "  tinygrad-cn train llama --steps 300\n"
                        "  tinygrad-cn train llama --corpus notes-en --prompt The --save llama-en.npz\n"
                        "  tinygrad-cn train llama --steps 2000 --save llama.npz\n"
                        "  tinygrad-cn generate --load llama.npz --prompt 春",
        "gen_desc": "continue a text with a model saved by train llama --save (the same --seed gives the same text)",
        "gen_epilog": "example:\n  tinygrad-cn generate --load llama.npz --prompt 春 --temperature 0.8",
        "corpus": "training corpus (default notes-zh): " + ", ".join(CORPORA),
        "steps": "training steps, >= 1 (default 500)",
        "dim": "model width (embedding size), divisible by --heads (default 64)",
        "layers": "number of transformer blocks (default 2)",
        "heads": "attention heads; must divide --dim with an even head size (default 4)",
        "multiple_of": "the feed-forward hidden width is rounded up to a multiple of this (default 32)",
        "seq_len": "characters per training window, also the longest context the model sees (default 64)",
        "batch_size": "windows per step (default 16)",
        "lr": "Adam's learning rate, > 0 (default 0.003)",
        "seed": "random seed for the initialisation, the windows and the sampling, >= 0 (default 0)",
        "log_every": "print the mean loss and perplexity every this many steps (default 50)",
        "save": "save the trained model to this .npz file (tg.save: arrays only, no pickle)",
        "prompt": "text the samples start from (default: 春 when the corpus has it, else its first character)",
        "samples": "number of samples (default 2)",
        "length": "characters per sample (default 80)",
        "temperature": "sampling temperature, >= 0: higher is more random, 0 always takes the most likely character "
                       "(default 0.8)",
        "top_k": "sample only among the k most likely characters (default: all)",
        "load": "a model file saved by train llama --save (.npz)",
        "lang": "language: zh (Chinese, the default) or en (English)",
        "corpus_line": "corpus {name}: {n:,} characters, a vocabulary of {v}; unigram entropy H₁ = {h:.3f} nats per "
                       "character (perplexity e^H₁ = {ppl:.1f})",
        "model_line": "model: TinyLlama(vocab_size={v}, dim={dim}, n_layers={layers}, n_heads={heads}, multiple_of={mo}, "
                      "max_seq_len={seq}), {params:,} parameters; Adam(lr={lr:g}), {bs}×{seq} characters per step",
        "chance": "a model that learned nothing: cross-entropy ≈ ln {v} = {h:.3f}; one that only counts characters: "
                  "H₁ = {h1:.3f}; going lower needs the context",
        "before": "sample before training (temperature {t:g}):",
        "after": "samples after training (temperature {t:g}, seed {seed}):",
        "progress": "training",
        "interval": "step {step:>{w}}/{steps}  training loss {loss:.4f} nats/char  perplexity {ppl:8.2f}",
        "val": "  on held-out lines: loss {loss:.4f}, perplexity {ppl:8.2f}",
        "split": "one line in 10 ({n:,} characters) is held out of training to check the model: a training loss far "
                 "below the held-out loss means the model recites its training text (overfitting)",
        "done": "trained in {s:.1f} s, {tps:,.0f} characters/s; mean training loss of the last {n} steps {loss:.4f} "
                "(perplexity {ppl:.2f}); against the unigram entropy H₁ = {h1:.3f}: {cmp}",
        "lower": "{d:.3f} nats lower",
        "higher": "still {d:.3f} nats higher (train for more steps)",
        "saved": "model saved to {path}; continue a text with: tinygrad-cn generate --load {path} --prompt {prompt}",
        "prompt_unknown": "the prompt's character {c!r} is not in the model's vocabulary ({v} characters); choose "
                          "another --prompt",
        "prompt_empty": "--prompt must not be empty: the model continues a text of at least one character, e.g. "
                        "--prompt {example}",
        "at_least": ">=",
        "load_missing": "--load {path}: no such file (train and save a model first: tinygrad-cn train llama --save "
                        "{path})",
        "load_dir": "--load {path} is a directory; a .npz model file is needed here",
        "not_zip": " (it is not an .npz file: not a zip archive)",
        "unreadable": " (the file is incomplete or damaged)",
        "bad_int": "{option} must be an integer >= {lo}, got {value}",
        "bad_float": "{option} must be a finite number {rule}, got {value}",
        "heads_dim": "--heads {heads} does not divide --dim {dim} (each head gets dim / heads features)",
        "heads_even": "the head size --dim / --heads = {hd} must be even (the rotary embedding turns features in pairs)",
        "too_short": "the corpus {name} has only {n} characters, fewer than --seq-len + 1 = {need}",
        "suffix": "the --save file name must end in .npz, got {path}",
        "not_ckpt": "{path} is not a model file saved by train llama --save",
        "loaded": "model {path}: a vocabulary of {v} characters, dim {dim}, n_layers {layers}, n_heads {heads}, "
                  "context up to {seq} characters",
        "diverged": "training diverged (the loss became {loss}): the learning rate {lr:g} is too large, try --lr {smaller:g}",
    },
}


def is_train_llama(argv: Sequence[str]) -> bool:
    """True for ``train llama ...`` (options such as ``--lang en`` may come anywhere)."""
    return words_of(argv)[:2] == ["train", "llama"]


def _lang_text(lang: str) -> dict[str, str]:
    return TEXT[lang if lang in TEXT else "zh"]


def add_train_arguments(p: argparse.ArgumentParser, lang: str) -> None:
    t = _lang_text(lang)
    p.add_argument("--corpus", choices=CORPORA, default="notes-zh", help=t["corpus"])
    p.add_argument("--steps", type=int, default=500, help=t["steps"])
    p.add_argument("--dim", type=int, default=64, help=t["dim"])
    p.add_argument("--layers", type=int, default=2, help=t["layers"])
    p.add_argument("--heads", type=int, default=4, help=t["heads"])
    p.add_argument("--multiple-of", type=int, default=32, help=t["multiple_of"])
    p.add_argument("--seq-len", type=int, default=64, help=t["seq_len"])
    p.add_argument("--batch-size", type=int, default=16, help=t["batch_size"])
    p.add_argument("--lr", type=float, default=3e-3, help=t["lr"])
    p.add_argument("--seed", type=int, default=0, help=t["seed"])
    p.add_argument("--log-every", type=int, default=50, help=t["log_every"])
    p.add_argument("--save", default=None, metavar="CKPT.npz", help=t["save"])
    _add_sampling(p, t)
    p.add_argument("--lang", choices=("zh", "en"), default=lang, help=t["lang"])


def _add_sampling(p: argparse.ArgumentParser, t: dict[str, str], samples: int = 2) -> None:
    p.add_argument("--prompt", default=None, help=t["prompt"])
    p.add_argument("--samples", type=int, default=samples, help=t["samples"].replace("2", str(samples)))
    p.add_argument("--length", type=int, default=80, help=t["length"])
    p.add_argument("--temperature", type=float, default=0.8, help=t["temperature"])
    p.add_argument("--top-k", type=int, default=None, help=t["top_k"])


def add_generate_arguments(p: argparse.ArgumentParser, lang: str) -> None:
    t = _lang_text(lang)
    p.add_argument("--load", required=True, metavar="CKPT.npz", help=t["load"])
    _add_sampling(p, t, samples=1)
    p.add_argument("--seed", type=int, default=0, help=t["seed"])


def train_parser(lang: str) -> argparse.ArgumentParser:
    t = _lang_text(lang)
    p = LocalizedParser(lang=lang, prog="tinygrad-cn train llama", description=t["train_desc"], epilog=t["train_epilog"])
    add_train_arguments(p, lang)
    return p


def _problem(args: argparse.Namespace, t: dict[str, str], train: bool) -> str | None:
    """Why the numeric options cannot work (localized), or None."""
    ints = [("--samples", "samples", 0), ("--length", "length", 0), ("--seed", "seed", 0)]
    if train:
        ints = [("--steps", "steps", 1), ("--dim", "dim", 1), ("--layers", "layers", 1), ("--heads", "heads", 1),
                ("--multiple-of", "multiple_of", 1), ("--seq-len", "seq_len", 1), ("--batch-size", "batch_size", 1),
                ("--log-every", "log_every", 1), *ints]
    for option, key, lo in ints:
        if getattr(args, key) < lo:
            return t["bad_int"].format(option=option, lo=lo, value=getattr(args, key))
    if args.top_k is not None and args.top_k < 1:
        return t["bad_int"].format(option="--top-k", lo=1, value=args.top_k)
    if not (math.isfinite(args.temperature) and args.temperature >= 0):
        return t["bad_float"].format(option="--temperature", rule=f"{t['at_least']} 0", value=args.temperature)
    if train:
        if not (math.isfinite(args.lr) and args.lr > 0):
            return t["bad_float"].format(option="--lr", rule="> 0", value=args.lr)
        if args.dim % args.heads:
            return t["heads_dim"].format(heads=args.heads, dim=args.dim)
        if (args.dim // args.heads) % 2:
            return t["heads_even"].format(hd=args.dim // args.heads)
        if args.save is not None and not str(args.save).lower().endswith(".npz"):
            return t["suffix"].format(path=args.save)
    return None


def _fail(t: dict[str, str], lang: str, text: str, status: int = 2) -> int:
    from .messages import MSG

    sys.stdout.flush()
    print(MSG[lang]["error"].format(msg=text), file=sys.stderr)
    return status


def _encode_prompt(tok: Any, prompt: str, t: dict[str, str]) -> Any:
    if not prompt:
        raise ValueError(t["prompt_empty"].format(example=_default_prompt(tok)))
    missing = next((c for c in prompt if c not in tok.stoi), None)
    if missing is not None:
        raise ValueError(t["prompt_unknown"].format(c=missing, v=tok.vocab_size))
    return tok.encode(prompt)


def _default_prompt(tok: Any) -> str:
    """The prompt when none is given, read from the vocabulary alone, so that ``train llama`` (which
    suggests it) and ``generate`` (which has only the saved vocabulary) agree: 春 when the model knows
    it, else its first letter (in the vocabulary's order), else its first visible character."""
    if "春" in tok.stoi:
        return "春"
    for ok in (str.isalpha, lambda c: not c.isspace()):
        found = next((c for c in tok.chars if ok(c)), None)
        if found is not None:
            return found
    return tok.chars[0]


def _samples(model: Any, tok: Any, prompt: str, args: argparse.Namespace, t: dict[str, str], seed: int) -> list[str]:
    ids = _encode_prompt(tok, prompt, t)
    return [
        tok.decode(model.generate(ids, args.length, temperature=args.temperature, seed=seed + i, top_k=args.top_k))
        for i in range(args.samples)
    ]


def _show(sample: str) -> str:
    return "  " + sample.replace("\n", "⏎")


def _bar(total: int, desc: str) -> Any:
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is in the examples and dev extras
        return None
    return tqdm(total=total, desc=desc, leave=False, disable=None)


def run_train(argv: Sequence[str], lang: str) -> int:
    """``tinygrad-cn train llama [options]``; ``argv`` is what follows ``train llama``."""
    args = train_parser(lang).parse_args(list(argv))
    lang = args.lang
    t = _lang_text(lang)
    problem = _problem(args, t, train=True)
    if problem:
        return _fail(t, lang, problem)
    if args.save is not None:
        from .checks import output_file_problem

        problem = output_file_problem(args.save, "--save", (".npz",), "llama.npz", lang)
        if problem:
            return _fail(t, lang, problem)
        # missing folders are created, as graph --out, plot --out and train --plot do; and now, before
        # training, so that a folder that cannot be made is reported before the work, not after it
        try:
            os.makedirs(os.path.dirname(os.path.abspath(args.save)), exist_ok=True)
        except OSError as e:
            from .checks import os_error_text

            return _fail(t, lang, os_error_text(e, lang), 1)

    from .. import data
    from ..engine import no_grad
    from ..models import TinyLlama, save_llama, train_language_model

    text = data.load_text(args.corpus)
    tok = data.CharTokenizer().fit(text)
    ids = tok.encode(text)
    if len(ids) < args.seq_len + 1:
        return _fail(t, lang, t["too_short"].format(name=args.corpus, n=len(ids), need=args.seq_len + 1))
    lines = text.splitlines(keepends=True)
    held = "".join(lines[9::10])  # every 10th line: a held-out sample of the same kinds of sentences
    train_ids, val_ids = (tok.encode("".join(ln for i, ln in enumerate(lines) if i % 10 != 9)), tok.encode(held))
    if len(val_ids) < args.seq_len + 1 or len(train_ids) < args.seq_len + 1:
        train_ids, val_ids = ids, None
    prompt = args.prompt if args.prompt is not None else _default_prompt(tok)
    try:
        _encode_prompt(tok, prompt, t)
    except ValueError as e:
        return _fail(t, lang, str(e))
    h1 = data.unigram_entropy(ids)
    model = TinyLlama(tok.vocab_size, dim=args.dim, n_layers=args.layers, n_heads=args.heads,
                      multiple_of=args.multiple_of, max_seq_len=args.seq_len, seed=args.seed)
    n_params = sum(p.size for p in model.parameters())
    print(t["corpus_line"].format(name=args.corpus, n=len(ids), v=tok.vocab_size, h=h1, ppl=math.exp(h1)))
    print(t["model_line"].format(v=tok.vocab_size, dim=args.dim, layers=args.layers, heads=args.heads,
                                 mo=args.multiple_of, seq=args.seq_len, params=n_params, lr=args.lr, bs=args.batch_size))
    print(t["chance"].format(v=tok.vocab_size, h=math.log(tok.vocab_size), h1=h1))
    if val_ids is not None:
        print(t["split"].format(n=len(val_ids)))
        val_x, val_y = data.random_windows(val_ids, 16, args.seq_len, rng=args.seed)
    if args.samples:
        print(t["before"].format(t=args.temperature))
        print(_show(_samples(model, tok, prompt, args, t, args.seed)[0]))
    sys.stdout.flush()

    bar = _bar(args.steps, t["progress"])
    width = len(str(args.steps))

    def on_step(step: int, loss: float) -> None:
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{loss:.3f}", refresh=False)

    def on_log(step: int, loss: float) -> None:
        line = t["interval"].format(step=step, w=width, steps=args.steps, loss=loss, ppl=math.exp(min(loss, 700)))
        if val_ids is not None:
            with no_grad():
                val = model.loss(val_x, val_y).item()
            line += t["val"].format(loss=val, ppl=math.exp(min(val, 700)))
        if bar is not None:
            bar.write(line, file=sys.stdout)
        else:
            print(line, flush=True)

    start = time.perf_counter()
    try:
        history = train_language_model(model, train_ids, steps=args.steps, batch_size=args.batch_size, seq_len=args.seq_len,
                                       lr=args.lr, seed=args.seed, log_every=args.log_every, on_log=on_log,
                                       on_step=on_step)
    except FloatingPointError:
        if bar is not None:
            bar.close()
        return _fail(t, lang, t["diverged"].format(loss="nan/inf", lr=args.lr, smaller=args.lr / 10), 1)
    if bar is not None:
        bar.close()
    seconds = time.perf_counter() - start
    last = history[-1]
    n_last = args.steps % args.log_every or min(args.log_every, args.steps)
    cmp = t["lower"].format(d=h1 - last) if last < h1 else t["higher"].format(d=last - h1)
    print(t["done"].format(s=seconds, tps=args.steps * args.batch_size * args.seq_len / max(seconds, 1e-9), n=n_last,
                           loss=last, ppl=math.exp(min(last, 700)), h1=h1, cmp=cmp))
    if args.samples:
        print(t["after"].format(t=args.temperature, seed=args.seed))
        for s in _samples(model, tok, prompt, args, t, args.seed):
            print(_show(s))
    if args.save is not None:
        save_llama(args.save, model, tok)
        print(t["saved"].format(path=shlex.quote(str(args.save)), prompt=shlex.quote(prompt)))
    return 0


def run_generate(args: argparse.Namespace) -> int:
    """``tinygrad-cn generate --load CKPT [--prompt 春] ...``."""
    lang = args.lang
    t = _lang_text(lang)
    problem = _problem(args, t, train=False)
    if problem:
        return _fail(t, lang, problem)
    import zipfile

    from ..models import load_llama

    # the library's errors are English; the user gets one line in their language, naming --load
    if not os.path.lexists(args.load):
        return _fail(t, lang, t["load_missing"].format(path=args.load))
    if os.path.isdir(args.load):
        return _fail(t, lang, t["load_dir"].format(path=args.load))
    try:
        model, tok = load_llama(args.load)
    except ValueError as e:
        if isinstance(e, OSError):  # pragma: no cover - OSErrors are reported by the caller
            raise
        why = t["unreadable"] if not os.path.isfile(args.load) or zipfile.is_zipfile(args.load) else t["not_zip"]
        if "TinyLlama checkpoint" in str(e):  # a readable .npz that holds something else
            why = ""
        return _fail(t, lang, t["not_ckpt"].format(path=args.load) + why)
    print(t["loaded"].format(path=args.load, v=tok.vocab_size, dim=model.dim, layers=model.n_layers,
                             heads=model.n_heads, seq=model.max_seq_len))
    prompt = args.prompt if args.prompt is not None else _default_prompt(tok)
    try:
        samples = _samples(model, tok, prompt, args, t, args.seed)
    except ValueError as e:
        return _fail(t, lang, str(e))
    for s in samples:
        print(_show(s))
    return 0
