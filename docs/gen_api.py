"""Generate the API reference (docs/en/05-api.md, docs/zh/05-api.md) from the package's docstrings.

    .venv/bin/python docs/gen_api.py            # rewrite both pages
    .venv/bin/python docs/gen_api.py --check    # exit 1 if a committed page is out of date

The public API is every name in the ``__all__`` of the modules in ``SECTIONS`` (the modules of
SPEC.md). Each entry shows its signature, its docstring and the file it is defined in; classes also
list the public methods and properties they define; primitive ops show their formula. The pages hold
no ```python blocks (signatures and docstrings go in ```text blocks), so tests/test_docs.py runs nothing
here; tests/test_docs_api.py fails when a page is out of date or a public name has no docstring.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "tinygrad_cn"


@dataclass(frozen=True)
class Section:
    module: str  # import path
    prefix: str  # how the docs call it: "tg", "F", "nn", ...
    zh: str
    en: str
    optional: bool = False  # skipped (with a note) while the module does not exist yet
    first: tuple[str, ...] = ()  # names shown first, in this order (the rest: classes, functions, errors, A→Z)


SECTIONS = (
    Section("tinygrad_cn", "tg", "自动求导引擎与顶层接口（`import tinygrad_cn as tg`）",
            "The engine and the top level (`import tinygrad_cn as tg`)",
            first=("Value", "grad", "no_grad", "enable_grad", "is_grad_enabled", "detect_anomaly", "gradcheck",
                   "trace_backward")),
    Section("tinygrad_cn.functional", "F", "激活函数与训练损失（`import tinygrad_cn.functional as F`）",
            "Activations and training losses (`import tinygrad_cn.functional as F`)"),
    Section("tinygrad_cn.info", "info", "信息论（`from tinygrad_cn import info`）",
            "Information theory (`from tinygrad_cn import info`)"),
    Section("tinygrad_cn.nn", "nn", "神经网络模块（`from tinygrad_cn import nn`）",
            "Neural-network modules (`from tinygrad_cn import nn`)",
            first=("Module", "ModuleCall", "Linear", "FeedForward", "Sequential", "Dropout")),
    Section("tinygrad_cn.nn.init", "nn.init", "参数初始化（`nn.init`）", "Initialisers (`nn.init`)"),
    Section("tinygrad_cn.optim", "optim", "优化器（`from tinygrad_cn import optim`）",
            "Optimizers (`from tinygrad_cn import optim`)", first=("Optimizer",)),
    Section("tinygrad_cn.models", "models", "线性分类器与前馈网络分类器（`from tinygrad_cn.models import ...`）",
            "Classifiers (`from tinygrad_cn.models import ...`)"),
    Section("tinygrad_cn.data", "data", "数据（`from tinygrad_cn import data`）", "Data (`from tinygrad_cn import data`)"),
    Section("tinygrad_cn.viz", "viz", "可视化（`from tinygrad_cn import viz`）",
            "Visualization (`from tinygrad_cn import viz`)", optional=True),
    Section("tinygrad_cn.exercises", "exercises", "练习（`from tinygrad_cn import exercises`）",
            "Exercises (`from tinygrad_cn import exercises`)", first=("catalog", "load", "solution", "Exercise", "Report")),
    Section("tinygrad_cn.files", "files", "写文件（`from tinygrad_cn import files`：tg.save、图、网页、命令行输出都经由它）",
            "Writing files (`from tinygrad_cn import files`: tg.save, pictures, pages and CLI outputs all use it)",
            first=("write_file", "save_figure", "check_target", "stale_temporary_files")),
)

TEXT = {
    "zh": {
        "title": "# 5. API 参考",
        "intro": (
            "本页由 `docs/gen_api.py` 根据源代码中的文档字符串自动生成，请勿手工编辑；代码改动后运行\n"
            "`.venv/bin/python docs/gen_api.py` 重新生成（`tests/test_docs_api.py` 会在本页过期时失败）。\n"
            "文档字符串用英文书写；每个条目给出签名、说明、示例（`>>>` 开头的行，都作为 doctest 运行过）\n"
            "和定义它的源文件。凡是与 PyTorch 同名的，语义与 PyTorch 相同。"
        ),
        "layout": (
            "**分层**：包按层组织，导入只能向下（`tests/test_layers.py` 检查：不向上导入、包之间无循环、\n"
            "不用别的包的私有名字）：\n"
            "`engine`（`Value`、`Op` 协议与 `OPS` 登记表、`backward`/`grad`/`trace_backward`，以及 `engine/ops/` 中\n"
            "`Value` 的运算符和方法所用的原语算子）← `activations` / `info` / `losses` / `data` ← `functional`（`F`）\n"
            "← `nn` / `optim` / `serialization` ← `models` ← `exercises` / `viz` ← `cli`。`softmax`、`gelu` 等属于\n"
            "上层的 `Value` 方法按名字在 `OPS` 中查找算子，所以引擎不导入上层。viz 只用 `Value` 的公开属性\n"
            "（`.id .op .op_class .parents .is_leaf .scope .ctx`）和 `tg.trace_backward` 的记录。"
        ),
        "contents": "## 目录",
        "methods": "方法与属性",
        "operators": "运算符",
        "formula": "公式",
        "source": "源文件",
        "missing": "（该模块尚未实现）",
        "ops_title": "## 原语算子与它们的公式",
        "ops_intro": (
            "每个原语算子（`tinygrad_cn.engine.OPS` 中登记的 `Op` 子类）把前向、反向和公式放在一起。\n"
            "下表列出每个算子的前向公式与对每个输入的局部导数；单步演示器和计算图绘制读取的就是这些数据。"
        ),
        "ops_head": "| 算子 | 符号 | 前向 | 局部导数 | 说明 | 定义于 |",
        "cli_title": "## 命令行（`tinygrad-cn`，即 `python -m tinygrad_cn`）",
        "cli_intro": "由 `tinygrad_cn.cli.build_parser` 的参数定义生成。界面默认中文，`--lang en` 切换为英文。",
        "cli_head": "| 参数 | 取值 | 默认值 | 说明 |",
        "no_doc": "（无文档字符串）",
    },
    "en": {
        "title": "# 5. API reference",
        "intro": (
            "This page is generated by `docs/gen_api.py` from the docstrings in the source; do not edit it by\n"
            "hand. After changing the code, run `.venv/bin/python docs/gen_api.py` (`tests/test_docs_api.py` fails\n"
            "while the page is out of date). Each entry shows the signature, the description, examples (the\n"
            "`>>>` lines, all run as doctests) and the file that defines it. Wherever a name mirrors\n"
            "PyTorch, so do its semantics."
        ),
        "layout": (
            "**Layers**: the packages form layers and imports only go down (`tests/test_layers.py` checks: no upward\n"
            "import, no cycle between packages, no use of another package's private names): `engine` (`Value`, the\n"
            "`Op` protocol and its `OPS` registry, `backward`/`grad`/`trace_backward`, and in `engine/ops/` the\n"
            "primitive ops Value's operators and methods use) ← `activations` / `info` / `losses` / `data` ←\n"
            "`functional` (`F`) ← `nn` / `optim` / `serialization` ← `models` ← `exercises` / `viz` ← `cli`. Value\n"
            "methods whose op lives higher up (`softmax`, `gelu`, ...) find it by name in `OPS`, so the engine imports\n"
            "nothing above it. viz reads only Value's public surface (`.id .op .op_class .parents .is_leaf .scope\n"
            ".ctx`) and the record of `tg.trace_backward`."
        ),
        "contents": "## Contents",
        "methods": "Methods and properties",
        "operators": "Operators",
        "formula": "Formula",
        "source": "source",
        "missing": "(this module does not exist yet)",
        "ops_title": "## Primitive ops and their formulas",
        "ops_intro": (
            "Every primitive op (an `Op` subclass registered in `tinygrad_cn.engine.OPS`) keeps its forward,\n"
            "backward and formula together. The table lists each op's forward formula and its local derivative\n"
            "with respect to each input: the data the stepper and the graph pictures read."
        ),
        "ops_head": "| op | symbol | forward | local derivatives | explanation | defined in |",
        "cli_title": "## Command line (`tinygrad-cn`, also `python -m tinygrad_cn`)",
        "cli_intro": (
            "Generated from the argument definitions of `tinygrad_cn.cli.build_parser`. Messages are in Chinese\n"
            "by default; `--lang en` switches to English."
        ),
        "cli_head": "| argument | values | default | help |",
        "no_doc": "(no docstring)",
    },
}

# Python operators a class may define, shown as one line instead of one entry per dunder.
OPERATORS = {
    "__add__": "+", "__sub__": "-", "__mul__": "*", "__truediv__": "/", "__pow__": "**", "__matmul__": "@",
    "__neg__": "-x", "__pos__": "+x", "__getitem__": "x[idx]", "__len__": "len(x)", "__iter__": "iter(x)",
    "__float__": "float(x)", "__bool__": "bool(x)", "__call__": "x(...)",
    "__radd__": "(reflected +)", "__rsub__": "(reflected -)", "__rmul__": "(reflected *)",
    "__rtruediv__": "(reflected /)", "__rpow__": "(reflected **)", "__rmatmul__": "(reflected @)",
}


# ---------------------------------------------------------------------------- collecting the API
def available(section: Section) -> bool:
    """The module exists (a folder without ``__init__.py``, a package still being written, does not count)."""
    spec = importlib.util.find_spec(section.module)
    return spec is not None and spec.origin is not None


def exported(module: Any) -> list[str]:
    """The module's ``__all__`` (a module still being written may lack one: then its public
    functions and classes defined inside the package; tests/test_docs_api.py insists on ``__all__``)."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return [
        n for n, o in vars(module).items()
        if not n.startswith("_") and (inspect.isclass(o) or inspect.isfunction(o))
        and getattr(o, "__module__", "").startswith(module.__name__)
    ]


def public_names(module: Any, first: tuple[str, ...] = ()) -> list[str]:
    """``__all__`` minus submodules: ``first`` in its order, then classes, functions, exceptions, each A→Z."""
    names = [n for n in exported(module) if not inspect.ismodule(getattr(module, n))]

    def kind(n: str) -> tuple[int, int, str]:
        obj = getattr(module, n)
        if n in first:
            return (0, first.index(n), "")
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            return (3, 0, n.lower())
        return (1 if inspect.isclass(obj) else 2, 0, n.lower())

    return sorted(names, key=kind)


def own_doc(obj: Any) -> str:
    """The object's own docstring (a class without one does not inherit its base's)."""
    doc = obj.__doc__ if inspect.isclass(obj) else inspect.getdoc(obj)
    return inspect.cleandoc(doc) if doc else ""


def entry_doc(obj: Any, lang: str = "en") -> str:
    """The docstring; a primitive op class without one is described by its formula's sentence."""
    doc = own_doc(obj)
    formula = getattr(obj, "formula", None)
    if not doc and inspect.isclass(obj) and hasattr(formula, "explain"):
        doc = formula.explain(lang)
    return doc


def source_of(obj: Any) -> str:
    try:
        path = Path(inspect.getsourcefile(inspect.unwrap(obj)) or "")
    except TypeError:
        return ""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return ""


def fmt_default(value: Any) -> str:
    if inspect.isclass(value):
        mod = value.__module__
        return f"np.{value.__name__}" if mod == "numpy" else value.__qualname__
    text = repr(value)
    if " at 0x" in text:  # an object without a stable repr
        return f"<{type(value).__name__}>"
    return text


def fmt_annotation(ann: Any) -> str:
    return ann if isinstance(ann, str) else inspect.formatannotation(ann)


def signature(obj: Any, skip_first: bool = False) -> str:
    """``(a: int, b=2, *, c=None) -> Value`` with annotations as written in the source."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = list(sig.parameters.values())
    if skip_first and params:
        params = params[1:]
    parts, kw_marker_done = [], False
    for p in params:
        if p.kind is p.KEYWORD_ONLY and not kw_marker_done:
            parts.append("*")
            kw_marker_done = True
        if p.kind is p.VAR_POSITIONAL:
            kw_marker_done = True
            text = f"*{p.name}"
        elif p.kind is p.VAR_KEYWORD:
            text = f"**{p.name}"
        else:
            text = p.name
        if p.annotation is not p.empty:
            text += f": {fmt_annotation(p.annotation)}"
        if p.default is not p.empty:
            text += f" = {fmt_default(p.default)}" if p.annotation is not p.empty else f"={fmt_default(p.default)}"
        parts.append(text)
        if p.kind is p.POSITIONAL_ONLY and (params.index(p) + 1 == len(params) or
                                            params[params.index(p) + 1].kind is not p.POSITIONAL_ONLY):
            parts.append("/")
    ret = ""
    if sig.return_annotation is not sig.empty and not inspect.isclass(obj):
        ret = f" -> {fmt_annotation(sig.return_annotation)}"
    return f"({', '.join(parts)}){ret}"


def documented_classes() -> set[type]:
    """Classes with an entry of their own (plus the op protocol's ``Op``): a class's listing stops
    at such a base instead of repeating its members."""
    from tinygrad_cn.engine import Op

    out: set[type] = {Op}
    for s in SECTIONS:
        if available(s):
            module = importlib.import_module(s.module)
            out |= {o for o in (getattr(module, n) for n in exported(module)) if inspect.isclass(o)}
    return out


def own_classes(cls: type) -> list[type]:
    """``cls`` and its bases up to (not including) the first documented one: the classes whose
    members ``cls``'s entry lists (an estimator inherits ``fit`` from a private base)."""
    stop = documented_classes()
    out = []
    for klass in cls.__mro__:
        if klass is object or (klass is not cls and klass in stop):
            break
        out.append(klass)
    return out


def class_members(cls: type) -> list[tuple[str, Any]]:
    """Public methods and properties of ``cls`` (see :func:`own_classes`), A→Z. An override
    without its own docstring (``forward`` of a Module) implements a hook documented on the base."""
    mro = [b for b in cls.__mro__ if b is not object]
    found: dict[str, Any] = {}
    for klass in own_classes(cls):
        later = mro[mro.index(klass) + 1 :]
        for name, attr in vars(klass).items():
            if name.startswith("_") or name in found or name == "extra_repr":
                continue
            if isinstance(attr, (staticmethod, classmethod)):
                attr = attr.__func__
            if not (inspect.isfunction(attr) or isinstance(attr, property)):
                continue
            if not attr.__doc__ and any(name in vars(b) for b in later):
                continue  # an undocumented override: the base's (documented) entry applies
            found[name] = attr
    return sorted(found.items(), key=lambda kv: kv[0].lower())


def operators(cls: type) -> list[str]:
    classes = own_classes(cls)
    return [sym for dunder, sym in OPERATORS.items() if any(dunder in vars(k) for k in classes) and not sym.startswith("(")]


def formula_lines(obj: Any) -> list[str]:
    f = getattr(obj, "formula", None)
    if f is None or not hasattr(f, "forward") or not hasattr(f, "local"):
        return []
    return [f.forward, *f.local]


# ---------------------------------------------------------------------------- rendering
def text_block(lines: list[str]) -> list[str]:
    body = "\n".join(lines).rstrip()
    body = body.replace("```", "ʼʼʼ")  # a docstring must not close the fence
    return ["```text", body, "```", ""]


def render_member(owner: str, name: str, attr: Any, t: dict[str, str]) -> list[str]:
    if isinstance(attr, property):
        head, doc = f"{owner}.{name}", own_doc(attr)  # property(doc=...) or its getter's docstring
        head += "  (property)"
    else:
        head, doc = f"{owner}.{name}{signature(attr, skip_first=True)}", own_doc(attr)
    return [head, *(("    " + line) if line else "" for line in doc.splitlines()), ""]


def render_entry(section: Section, name: str, obj: Any, lang: str) -> list[str]:
    t = TEXT[lang]
    qual = f"{section.prefix}.{name}" if section.prefix != "models" else name
    lines = [f"### `{qual}`", ""]
    is_class = inspect.isclass(obj)
    head = ("class " if is_class else "") + qual + signature(obj)
    body = [head, "", entry_doc(obj, lang) or t["no_doc"]]
    formula = formula_lines(obj)
    if formula:
        body += ["", f"{t['formula']}:", *("    " + f for f in formula)]
    lines += text_block(body)
    if is_class:
        members = class_members(obj)
        ops = operators(obj)
        if members or ops:
            lines.append(f"{t['methods']}:")
            lines.append("")
            block: list[str] = []
            if ops:
                block += [f"{t['operators']}: {'  '.join(ops)}", ""]
            for mname, attr in members:
                block += render_member(name, mname, attr, t)
            lines += text_block(block)
    src = source_of(obj)
    if src:
        lines += [f"{t['source']}: `{src}`", ""]
    return lines


def render_ops(lang: str, t: dict[str, str]) -> list[str]:
    from tinygrad_cn.engine import OPS

    lines = [t["ops_title"], "", t["ops_intro"], "", t["ops_head"], "| --- | --- | --- | --- | --- | --- |"]
    for name in sorted(OPS):
        op = OPS[name]
        f = op.formula

        def cell(s: str) -> str:
            return s.replace("|", "\\|").replace("\n", " ")

        lines.append(
            f"| `{name}` | {cell(op.symbol)} | {cell(f.forward)} | {'<br>'.join(cell(x) for x in f.local)} "
            f"| {cell(f.explain(lang))} | `{source_of(op)}` |"
        )
    return [*lines, ""]


def render_cli(lang: str, t: dict[str, str]) -> list[str]:
    """Each sub-command and its arguments, read from the parser (not from its help text, whose
    layout depends on the terminal width and the Python version)."""
    import argparse

    from tinygrad_cn.cli import build_parser

    def subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
        return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))

    sub = subcommands(build_parser(lang, with_train=True))
    # defaults from the parser a plain `tinygrad-cn` builds (Chinese); the help texts in `lang`
    zh_sub = subcommands(build_parser("zh", with_train=True))
    defaults = {(name, a.dest): a.default for name, p in zh_sub.choices.items() for a in p._actions}
    helps = {c.dest: c.help for c in sub._choices_actions}
    lines = [t["cli_title"], "", t["cli_intro"], ""]

    def cell(text: Any) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    def shown_default(value: Any) -> str:
        if value is None or value is False or value == [] or value is argparse.SUPPRESS:
            return ""
        return repr(value)

    for name, p in sub.choices.items():
        lines += [f"### `tinygrad-cn {name}`", "", cell(helps.get(name, "")), "", t["cli_head"], "| --- | --- | --- | --- |"]
        for a in p._actions:
            if isinstance(a, argparse._HelpAction):
                continue
            arg = ", ".join(a.option_strings) if a.option_strings else a.dest
            if a.choices:
                values = " / ".join(map(str, a.choices))
            elif a.nargs == 0:  # a flag
                values = ""
            else:
                values = a.metavar or (a.type.__name__ if a.type else "str")
            default = shown_default(defaults.get((name, a.dest), a.default)) if a.option_strings else ""
            lines.append(f"| `{arg}` | {cell(values)} | {cell(default)} | {cell(a.help or '')} |")
        lines.append("")
    return lines


def render(lang: str) -> str:
    t = TEXT[lang]
    out = [t["title"], "", t["intro"], "", t["layout"], "", t["contents"], ""]
    present = [s for s in SECTIONS if available(s)]
    for s in SECTIONS:
        title = s.zh if lang == "zh" else s.en
        out.append(f"- {title}" + ("" if s in present else f" {t['missing']}"))
    out.append(f"- {t['cli_title'][3:]}")
    out.append(f"- {t['ops_title'][3:]}")
    out.append("")
    for s in present:
        module = importlib.import_module(s.module)
        out += [f"## {s.zh if lang == 'zh' else s.en}", ""]
        first = own_doc(module).split("\n\n")[0]
        if first:
            out += [first, ""]
        for name in public_names(module, s.first):
            out += render_entry(s, name, getattr(module, name), lang)
    if importlib.util.find_spec("tinygrad_cn.cli") is not None:
        out += render_cli(lang, t)
    out += render_ops(lang, t)
    return "\n".join(out).rstrip() + "\n"


def pages() -> dict[Path, str]:
    return {ROOT / "docs" / lang / "05-api.md": render(lang) for lang in ("zh", "en")}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, text in pages().items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        if check:
            stale.append(path.relative_to(ROOT).as_posix())
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT).as_posix()}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run: .venv/bin/python docs/gen_api.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
