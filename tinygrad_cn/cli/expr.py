"""Arithmetic expressions from the command line, parsed with :mod:`ast` against an allow-list and
evaluated by a small interpreter of our own: nothing the user types is ever handed to ``eval``.

Allowed: numbers, the names given with ``--var``, ``+ - * / **`` (also ``× ÷ − · ^``), unary minus,
parentheses, and calls of the activation functions, exp, log, sum and mean. Anything else
(attributes, subscripts, lambdas, comprehensions, imports, dunder names, keyword arguments,
strings, ...) is refused with a :class:`ExprError` before anything is evaluated.

>>> v = parse_vars(["a=2", "b=-3"])
>>> y = evaluate("tanh(a × b + 1)", v)
>>> round(y.item(), 4)
-0.9999
>>> evaluate("a.__class__", v)
Traceback (most recent call last):
...
tinygrad_cn.cli.expr.ExprError: not allowed: attribute access (.__class__)
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.value import Value
from .messages import FUNCTION_NAMES

MAX_LENGTH = 1000

# every message, in English (``str(error)``) and Chinese (``error.text("zh")``)
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "empty": "the expression is empty",
        "too_long": "the expression is longer than {n} characters",
        "syntax": "not a valid expression: {detail}",
        "nested": "the expression is too deeply nested",
        "keyword_call": "not allowed: keyword arguments (in a call of {func})",
        "bad_callee": "not allowed: calling {func!r}; only these functions can be called: {names}",
        "dunder": "not allowed: the dunder name {name!r}",
        "unknown_function": "unknown function {name!r}{suggestion}; allowed: {names}",
        "suggestion": " (did you mean {name!r}?)",
        "unknown_name": "unknown name {name!r}: give it with --var {name}=VALUE (given: {given})",
        "none": "none",
        "constant": "not allowed: a {kind} constant (only numbers)",
        "node": "not allowed: {what}{hint}",
        "hint": " in {piece!r}",
        "args_count": "{name}() takes {count} argument(s), got {got}",
        "or": "{a} or {b}",
        "literal_arg": "argument {i} of {name}() must be a plain number",
        "overflow": "cannot compute {text!r}: the result is too large (overflow)",
        "zero_division": "cannot compute {text!r}: division by zero",
        "compute": "cannot compute {text!r}: {detail}",
        "broadcast": "cannot compute {text!r}: {a} has shape {sa} and {b} has shape {sb}, which do not broadcast "
                     "together (comparing from the last axis, each pair of sizes must be equal or one of them 1)",
        "odd_half": "cannot compute {text!r}: {name}() splits the last axis into two halves, but its size is {n} "
                    "(shape {shape}); give it an even number of values",
        "no_variable": "{text!r} uses no variable, so it has no graph: give one with --var, e.g. --var x=2",
        "var_format": "--var {item!r}: write NAME=VALUE, e.g. --var a=2",
        "var_name": "--var {item!r}: {name!r} is not a valid variable name",
        "var_function": "--var {item!r}: {name!r} is the name of a function",
        "var_twice": "--var {item!r}: {name!r} is given twice",
        "var_number": "--var {item!r}: {raw!r} is not a number (or a comma-separated list of numbers)",
        "var_finite": "--var {item!r}: values must be finite numbers",
        "var_unused": "note: --var {names}: {text!r} does not use {names} (its variables: {used}); a typo in a "
                      "name? The value is ignored",
    },
    "zh": {
        "empty": "表达式是空的",
        "too_long": "表达式超过了 {n} 个字符",
        "syntax": "不是合法的表达式：{detail}",
        "nested": "表达式嵌套太深",
        "keyword_call": "不允许：关键字参数（在 {func} 的调用中）",
        "bad_callee": "不允许：调用 {func!r}；只能调用这些函数：{names}",
        "dunder": "不允许：双下划线名字 {name!r}",
        "unknown_function": "未知函数 {name!r}{suggestion}；可用的函数：{names}",
        "suggestion": "（是不是想写 {name!r}？）",
        "unknown_name": "未知的名字 {name!r}：请用 --var {name}=数值 给出（已给出：{given}）",
        "none": "无",
        "constant": "不允许：{kind} 常量（只能写数字）",
        "node": "不允许：{what}{hint}",
        "hint": "（在 {piece!r} 中）",
        "args_count": "{name}() 需要 {count} 个参数，但给了 {got} 个",
        "or": "{a} 或 {b}",
        "literal_arg": "{name}() 的第 {i} 个参数必须直接写成一个数字",
        "overflow": "无法计算 {text!r}：结果太大（溢出）",
        "zero_division": "无法计算 {text!r}：除以零",
        "compute": "无法计算 {text!r}：{detail}",
        "broadcast": "无法计算 {text!r}：{a} 的形状是 {sa}，{b} 的形状是 {sb}，两者不能广播到一起"
                     "（从最后一维往前比，每一对大小要么相等，要么其中一个是 1）",
        "odd_half": "无法计算 {text!r}：{name}() 要把最后一维分成相等的两半，但它的大小是 {n}（形状 {shape}）；"
                    "请给偶数个值",
        "no_variable": "{text!r} 没有用到任何变量，因此没有计算图：请用 --var 给出变量，例如 --var x=2",
        "var_format": "--var {item!r}：请写成 名字=数值，例如 --var a=2",
        "var_name": "--var {item!r}：{name!r} 不是合法的变量名",
        "var_function": "--var {item!r}：{name!r} 是函数名，不能用作变量名",
        "var_twice": "--var {item!r}：{name!r} 给了两次",
        "var_number": "--var {item!r}：{raw!r} 不是数字（也不是用逗号分隔的一串数字）",
        "var_finite": "--var {item!r}：值必须是有限的数（不能是 inf 或 nan）",
        "var_unused": "注意：--var {names}：表达式 {text!r} 里没有用到 {names}（它的变量：{used}）；"
                      "是不是名字写错了？这个值被忽略",
    },
}

# Python's syntax messages -> Chinese (the rest are shown as Python words them)
_SYNTAX_ZH: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"'(.)' was never closed"), lambda m: f"括号 '{m[1]}' 没有闭合"),
    (re.compile(r"unmatched '(.)'"), lambda m: f"多了一个 '{m[1]}'（没有与它配对的左括号）"),
    (re.compile(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'"),
     lambda m: f"右括号 '{m[1]}' 与左括号 '{m[2]}' 不配对"),
    (re.compile(r"invalid (decimal|hexadecimal|octal|binary) literal"), lambda m: "数字的写法不对（例如 2x 要写成 2*x）"),
    (re.compile(r"leading zeros in decimal integer literals"), lambda m: "整数不能以 0 开头（例如把 08 写成 8）"),
    (re.compile(r"unterminated (triple-quoted )?string literal"), lambda m: "字符串没有结束（表达式里只能有数字，不能有字符串）"),
    (re.compile(r"unexpected EOF|invalid syntax|unexpected indent|unexpected character"),
     lambda m: "语法错误（是不是少了运算符、括号或数字？）"),
]


# a number written right before a name, as in maths: "3x", "2.5w" (Python needs 3*x)
_IMPLICIT_PRODUCT = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?|\.\d+)([A-Za-z_\u4e00-\u9fff][\w]*)")


def _syntax_detail(msg: str, text: str = "") -> dict[str, str]:
    zh = next((f(m) for pattern, f in _SYNTAX_ZH if (m := pattern.match(msg))), f"语法错误（{msg}）")
    m = _IMPLICIT_PRODUCT.search(text)
    if m and ("literal" in msg or "invalid syntax" in msg):
        number, name = m.groups()
        if not re.fullmatch(r"[eEjJ]\d*", name):  # 1e5 and 2j are numbers
            piece = m.group(0)
            return {"en": f"{msg}: {piece!r} is not a product in Python, write {number}*{name}",
                    "zh": f"数字的写法不对：{piece!r} 在 Python 里不是乘法，要写成 {number}*{name}"}
    return {"en": msg, "zh": zh}


class ExprError(ValueError):
    """An expression or a ``--var`` that is refused (the message says why).

    ``str(error)`` is the English message, ``error.text("zh")`` the Chinese one; ``kind`` is
    "expr" (refused before anything runs), "var" (a bad ``--var``) or "compute" (failed while
    computing).
    """

    kind = "expr"

    def __init__(self, key: str, /, **fields: Any) -> None:
        self.key = key
        self.fields = fields
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("zh" or "en")."""
        texts = TEXT.get(lang, TEXT["en"])
        if self.key not in texts:  # a message given as it is
            return self.key
        values = {k: (v.get(lang, v["en"]) if isinstance(v, dict) else v) for k, v in self.fields.items()}
        return texts[self.key].format(**values)


class VarError(ExprError):
    """A ``--var NAME=VALUE`` that is refused."""

    kind = "var"


class ComputeError(ExprError):
    """An expression that was allowed but could not be computed (division by zero, overflow, ...)."""

    kind = "compute"


def _both(key: str, **fields: Any) -> dict[str, str]:
    """A message fragment in both languages, for a field of another message."""
    return {lang: TEXT[lang][key].format(**{k: (v[lang] if isinstance(v, dict) else v) for k, v in fields.items()})
            for lang in TEXT}


@dataclass(frozen=True)
class Function:
    call: Callable[..., Any]
    min_args: int
    max_args: int
    literal_args: tuple[int, ...] = ()  # argument positions that must be plain numbers


def _functions() -> dict[str, Function]:
    from .. import functional as F

    return {
        "sigmoid": Function(F.sigmoid, 1, 1),
        "tanh": Function(F.tanh, 1, 1),
        "relu": Function(F.relu, 1, 1),
        "leaky_relu": Function(F.leaky_relu, 1, 2, (1,)),
        "prelu": Function(F.prelu, 2, 2),
        "elu": Function(F.elu, 1, 2, (1,)),
        "swish": Function(F.swish, 1, 2),
        "silu": Function(F.silu, 1, 1),
        "glu": Function(F.glu, 1, 1),
        "swiglu": Function(F.swiglu, 1, 1),
        "softplus": Function(F.softplus, 1, 2, (1,)),
        "gelu": Function(F.gelu, 1, 1),
        "softmax": Function(F.softmax, 1, 1),
        "log_softmax": Function(F.log_softmax, 1, 1),
        "exp": Function(lambda x: x.exp(), 1, 1),
        "log": Function(lambda x: x.log(), 1, 1),
        "sum": Function(lambda x: x.sum(), 1, 1),
        "mean": Function(lambda x: x.mean(), 1, 1),
    }


_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a ** b,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a}
_SYMBOLS = {"×": "*", "·": "*", "÷": "/", "−": "-", "^": "**"}

# what a refused node is, for the message: (English, Chinese)
_WHAT = {
    ast.Attribute: ("attribute access", "属性访问"), ast.Subscript: ("subscripts / indexing", "下标 / 索引"),
    ast.Lambda: ("lambda", "lambda"), ast.ListComp: ("comprehensions", "推导式"), ast.SetComp: ("comprehensions", "推导式"),
    ast.DictComp: ("comprehensions", "推导式"), ast.GeneratorExp: ("comprehensions", "推导式"),
    ast.Starred: ("* / ** unpacking", "* / ** 解包"), ast.keyword: ("keyword arguments", "关键字参数"),
    ast.Compare: ("comparisons", "比较"), ast.BoolOp: ("and / or", "and / or"), ast.IfExp: ("if-expressions", "if 表达式"),
    ast.NamedExpr: (":=", ":="), ast.List: ("lists", "列表"), ast.Tuple: ("tuples", "元组"), ast.Dict: ("dicts", "字典"),
    ast.Set: ("sets", "集合"), ast.JoinedStr: ("f-strings", "f 字符串"), ast.Await: ("await", "await"),
    ast.Yield: ("yield", "yield"), ast.YieldFrom: ("yield", "yield"),
}


# refused operators as they are written
_OPERATOR_TEXT = {
    ast.MatMult: "@", ast.FloorDiv: "//", ast.Mod: "%", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitAnd: "&", ast.Invert: "~", ast.Not: "not",  # (^ is read as a power)
}


def _refuse(node: ast.AST, text: str) -> ExprError:
    en, zh = _WHAT.get(type(node), (type(node).__name__, type(node).__name__))
    if isinstance(node, ast.Attribute):
        en, zh = f"attribute access (.{node.attr})", f"属性访问（.{node.attr}）"
    elif isinstance(node, (ast.BinOp, ast.UnaryOp)):
        name = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
        en, zh = f"the operator {name}", f"运算符 {name}"
    piece = ast.get_source_segment(text, node) if hasattr(node, "lineno") else None
    hint = _both("hint", piece=piece) if piece and not isinstance(node, ast.Attribute) else ""
    return ExprError("node", what={"en": en, "zh": zh}, hint=hint)


def normalize(text: str) -> str:
    """Accept the math symbols × · ÷ − ^ for * * / - **."""
    for sym, py in _SYMBOLS.items():
        text = text.replace(sym, py)
    return text


def parse(text: str, var_names: Sequence[str]) -> ast.Expression:
    """The checked syntax tree of ``text``; raises :class:`ExprError` naming the first refused part."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("empty")
    if len(text) > MAX_LENGTH:
        raise ExprError("too_long", n=MAX_LENGTH)
    source = normalize(text)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as e:
        raise ExprError("syntax", detail=_syntax_detail(e.msg, text)) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("nested") from None
    functions = set(FUNCTION_NAMES)
    known = set(var_names)
    callee: set[int] = set()
    for node in ast.walk(tree):  # breadth first; nothing is evaluated here
        if isinstance(node, ast.Call):
            if node.keywords:
                raise ExprError("keyword_call", func=ast.unparse(node.func))
            if not isinstance(node.func, ast.Name):
                raise ExprError("bad_callee", func=ast.unparse(node.func), names=", ".join(FUNCTION_NAMES))
            callee.add(id(node.func))
        elif isinstance(node, ast.Name):
            if "__" in node.id:
                raise ExprError("dunder", name=node.id)
            if id(node) in callee:
                if node.id not in functions:
                    close = difflib.get_close_matches(node.id, FUNCTION_NAMES, n=1)
                    suggestion = _both("suggestion", name=close[0]) if close else ""
                    raise ExprError("unknown_function", name=node.id, suggestion=suggestion,
                                    names=", ".join(FUNCTION_NAMES))
            elif node.id not in known:
                given = ", ".join(sorted(known)) or _both("none")
                raise ExprError("unknown_name", name=node.id, given=given)
        elif isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise ExprError("constant", kind=type(node.value).__name__)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                raise _refuse(node, source)
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                raise _refuse(node, source)
        elif not isinstance(node, (ast.Expression, ast.Load, ast.operator, ast.unaryop)):
            raise _refuse(node, source)
    return tree


def parse_vars(items: Sequence[str] | None) -> dict[str, Value]:
    """``["a=2", "x=1,2,3"]`` -> Values labelled with their names (a comma list is a vector)."""
    out: dict[str, Value] = {}
    for item in items or ():
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep:
            raise VarError("var_format", item=item)
        if not name.isidentifier() or keyword.iskeyword(name) or "__" in name:
            raise VarError("var_name", item=item, name=name)
        if name in FUNCTION_NAMES:
            raise VarError("var_function", item=item, name=name)
        if name in out:
            raise VarError("var_twice", item=item, name=name)
        try:
            numbers = [float(p) for p in raw.split(",")]
        except ValueError:
            raise VarError("var_number", item=item, raw=raw) from None
        if not all(math.isfinite(x) for x in numbers):
            raise VarError("var_finite", item=item)
        data = numbers[0] if len(numbers) == 1 and "," not in raw else np.array(numbers)
        out[name] = Value(data, label=name)
    return out


def _literal(node: ast.AST, name: str, i: int) -> float:
    """A plain number argument: ``0.1`` or ``-0.1``."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if not isinstance(node, ast.Constant):
        raise ExprError("literal_arg", i=i + 1, name=name)
    return sign * float(node.value)


def _shape(x: Any) -> tuple[int, ...]:
    return tuple(x.shape) if isinstance(x, Value) else np.shape(x)


def _piece(text: str, node: ast.AST) -> str:
    return ast.get_source_segment(text, node) or ast.unparse(node)


def _eval(node: ast.AST, env: Mapping[str, Value], functions: Mapping[str, Function], text: str = "") -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env, functions, text)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, env, functions, text), _eval(node.right, env, functions, text)
        try:  # the shapes are checked here, so that the message names the two operands as written
            np.broadcast_shapes(_shape(a), _shape(b))
        except ValueError:
            raise ComputeError("broadcast", text=text, a=_piece(text, node.left), sa=_shape(a),
                               b=_piece(text, node.right), sb=_shape(b)) from None
        return _BINOPS[type(node.op)](a, b)
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, env, functions, text))
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        fn = functions[name]
        if not fn.min_args <= len(node.args) <= fn.max_args:
            count = str(fn.min_args) if fn.min_args == fn.max_args else _both("or", a=fn.min_args, b=fn.max_args)
            raise ExprError("args_count", name=name, count=count, got=len(node.args))
        args = []
        for i, a in enumerate(node.args):
            if i in fn.literal_args:
                args.append(_literal(a, name, i))
            else:
                arg = _eval(a, env, functions, text)
                args.append(arg if isinstance(arg, Value) or i else Value(arg, requires_grad=False))
        if name in ("glu", "swiglu"):
            shape = _shape(args[0])
            if not shape or shape[-1] % 2:
                raise ComputeError("odd_half", text=text, name=name, n=shape[-1] if shape else 1, shape=shape)
        return fn.call(*args)
    raise _refuse(node, "")  # pragma: no cover - parse() refused it


def unused_variables(text: str, variables: Mapping[str, Value], lang: str = "en") -> str | None:
    """The notice for the ``--var`` names that ``text`` never reads (most likely a typo), or None.
    Graph and step both print it and go on, as Python does with an unused argument of ``eval``."""
    tree = parse(text, list(variables))
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    unused = [k for k in variables if k not in used]
    if not unused:
        return None
    texts = TEXT.get(lang, TEXT["en"])
    return texts["var_unused"].format(names=", ".join(unused), text=text,
                                      used=", ".join(k for k in variables if k in used) or texts["none"])


def evaluate(text: str, variables: Mapping[str, Value]) -> Value:
    """Parse ``text`` (refusing anything outside the allow-list) and compute it on ``variables``."""
    tree = parse(text, list(variables))
    try:
        with np.errstate(all="ignore"):  # nan / inf are the caller's to report, not numpy warnings
            out = _eval(tree, variables, _functions(), text)
    except ExprError:
        raise
    except OverflowError:
        raise ComputeError("overflow", text=text) from None
    except ZeroDivisionError:
        raise ComputeError("zero_division", text=text) from None
    except (ValueError, TypeError, ArithmeticError) as e:
        raise ComputeError("compute", text=text, detail=str(e)) from None
    except RecursionError:
        raise ExprError("nested") from None
    if not isinstance(out, Value) or not out.requires_grad:
        raise ExprError("no_variable", text=text)
    return out
