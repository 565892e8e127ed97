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
import keyword
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.value import Value

MAX_LENGTH = 1000


class ExprError(ValueError):
    """An expression or a ``--var`` that is refused (the message says why)."""


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


FUNCTION_NAMES = (
    "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "swish", "silu", "glu", "swiglu", "softplus", "gelu",
    "softmax", "log_softmax", "exp", "log", "sum", "mean",
)

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a ** b,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a}
_SYMBOLS = {"×": "*", "·": "*", "÷": "/", "−": "-", "^": "**"}

# what a refused node is, for the message
_WHAT = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripts / indexing", ast.Lambda: "lambda",
    ast.ListComp: "comprehensions", ast.SetComp: "comprehensions", ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions", ast.Starred: "* / ** unpacking", ast.keyword: "keyword arguments",
    ast.Compare: "comparisons", ast.BoolOp: "and / or", ast.IfExp: "if-expressions", ast.NamedExpr: ":=",
    ast.List: "lists", ast.Tuple: "tuples", ast.Dict: "dicts", ast.Set: "sets", ast.JoinedStr: "f-strings",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield",
}


def _refuse(node: ast.AST, text: str) -> ExprError:
    what = _WHAT.get(type(node), type(node).__name__)
    if isinstance(node, ast.Attribute):
        what = f"attribute access (.{node.attr})"
    elif isinstance(node, (ast.BinOp, ast.UnaryOp)):
        op = node.op
        what = f"the operator {type(op).__name__}"
    piece = ast.get_source_segment(text, node) if hasattr(node, "lineno") else None
    hint = f" in {piece!r}" if piece and not isinstance(node, ast.Attribute) else ""
    return ExprError(f"not allowed: {what}{hint}")


def normalize(text: str) -> str:
    """Accept the math symbols × · ÷ − ^ for * * / - **."""
    for sym, py in _SYMBOLS.items():
        text = text.replace(sym, py)
    return text


def parse(text: str, var_names: Sequence[str]) -> ast.Expression:
    """The checked syntax tree of ``text``; raises :class:`ExprError` naming the first refused part."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression is longer than {MAX_LENGTH} characters")
    source = normalize(text)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as e:
        raise ExprError(f"not a valid expression: {e.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("the expression is too deeply nested") from None
    functions = set(FUNCTION_NAMES)
    known = set(var_names)
    callee: set[int] = set()
    for node in ast.walk(tree):  # breadth first; nothing is evaluated here
        if isinstance(node, ast.Call):
            if node.keywords:
                raise ExprError(f"not allowed: keyword arguments (in a call of {ast.unparse(node.func)})")
            if not isinstance(node.func, ast.Name):
                raise ExprError(f"not allowed: calling {ast.unparse(node.func)!r}; only these functions can be called: "
                               f"{', '.join(FUNCTION_NAMES)}")
            callee.add(id(node.func))
        elif isinstance(node, ast.Name):
            if "__" in node.id:
                raise ExprError(f"not allowed: the dunder name {node.id!r}")
            if id(node) in callee:
                if node.id not in functions:
                    raise ExprError(f"unknown function {node.id!r}; allowed: {', '.join(FUNCTION_NAMES)}")
            elif node.id not in known:
                given = ", ".join(sorted(known)) or "none"
                raise ExprError(f"unknown name {node.id!r}: give it with --var {node.id}=VALUE (given: {given})")
        elif isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise ExprError(f"not allowed: a {type(node.value).__name__} constant (only numbers)")
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
            raise ExprError(f"--var {item!r}: write NAME=VALUE, e.g. --var a=2")
        if not name.isidentifier() or keyword.iskeyword(name) or "__" in name:
            raise ExprError(f"--var {item!r}: {name!r} is not a valid variable name")
        if name in FUNCTION_NAMES:
            raise ExprError(f"--var {item!r}: {name!r} is the name of a function")
        if name in out:
            raise ExprError(f"--var {item!r}: {name!r} is given twice")
        try:
            numbers = [float(p) for p in raw.split(",")]
        except ValueError:
            raise ExprError(f"--var {item!r}: {raw!r} is not a number (or a comma-separated list of numbers)") from None
        if not all(math.isfinite(x) for x in numbers):
            raise ExprError(f"--var {item!r}: values must be finite numbers")
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
        raise ExprError(f"argument {i + 1} of {name}() must be a plain number")
    return sign * float(node.value)


def _eval(node: ast.AST, env: Mapping[str, Value], functions: Mapping[str, Function]) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env, functions)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_eval(node.left, env, functions), _eval(node.right, env, functions))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, env, functions))
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        fn = functions[name]
        if not fn.min_args <= len(node.args) <= fn.max_args:
            count = str(fn.min_args) if fn.min_args == fn.max_args else f"{fn.min_args} or {fn.max_args}"
            raise ExprError(f"{name}() takes {count} argument(s), got {len(node.args)}")
        args = []
        for i, a in enumerate(node.args):
            if i in fn.literal_args:
                args.append(_literal(a, name, i))
            else:
                arg = _eval(a, env, functions)
                args.append(arg if isinstance(arg, Value) or i else Value(arg, requires_grad=False))
        return fn.call(*args)
    raise ExprError(f"{type(node).__name__} is not allowed")  # pragma: no cover - parse() refused it


def evaluate(text: str, variables: Mapping[str, Value]) -> Value:
    """Parse ``text`` (refusing anything outside the allow-list) and compute it on ``variables``."""
    tree = parse(text, list(variables))
    try:
        out = _eval(tree, variables, _functions())
    except ExprError:
        raise
    except OverflowError:
        raise ExprError(f"cannot compute {text!r}: the result is too large (overflow)") from None
    except ZeroDivisionError:
        raise ExprError(f"cannot compute {text!r}: division by zero") from None
    except (ValueError, TypeError, ArithmeticError) as e:
        raise ExprError(f"cannot compute {text!r}: {e}") from None
    except RecursionError:
        raise ExprError("the expression is too deeply nested") from None
    if not isinstance(out, Value) or not out.requires_grad:
        raise ExprError(f"{text!r} uses no variable, so it has no graph: give one with --var, e.g. --var x=2")
    return out
