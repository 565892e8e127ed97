"""Names for the nodes of a graph: parameter names, labels, or ``v<index>`` in creation order.

The graph, the step table and the HTML page all call a node by the same name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..engine.value import Value

Params = Any  # an nn.Module, a {name: Value} mapping, or an iterable of (name, Value) pairs or Values


def param_names(params: Params) -> dict[int, str]:
    """``id(value) -> name`` for every parameter in ``params`` (ids only for lookup, never order).

    >>> import tinygrad_cn as tg
    >>> w = tg.Value(1.0)
    >>> list(param_names({"layer.w": w}).values())
    ['layer.w']
    """
    if params is None:
        return {}
    if hasattr(params, "named_parameters"):
        pairs: Iterable[Any] = params.named_parameters()
    elif isinstance(params, Mapping):
        pairs = params.items()
    elif isinstance(params, Value):
        pairs = [params]
    else:
        pairs = params
    out: dict[int, str] = {}
    for i, item in enumerate(pairs):
        if isinstance(item, Value):
            name, v = item.label or f"param{i}", item
        else:
            try:
                name, v = item
            except (TypeError, ValueError):
                raise TypeError(
                    "params must be an nn.Module, a {name: Value} dict, or an iterable of (name, Value) "
                    f"pairs or Values; item {i} is a {type(item).__name__}"
                ) from None
            if not isinstance(v, Value):
                raise TypeError(f"params: {name!r} is a {type(v).__name__}, not a Value")
        out.setdefault(id(v), str(name))
    return out


def _constant_name(v: Value) -> str | None:
    """A one-element constant (a Python number in an expression, such as the 0.5 of ``x ** 0.5``)
    is called by its value."""
    if v.op_class is None and not v.requires_grad and v.data.size == 1:
        return f"{float(v.data.reshape(())):g}"
    return None


def node_names(nodes: Sequence[Value], pnames: Mapping[int, str]) -> dict[int, str]:
    """``value.id -> name``: the parameter name if given, else the label, else a one-element
    constant's value, else ``v<i>`` where i is the node's position in creation order within this
    graph (so equal graphs get equal names)."""
    return {v.id: pnames.get(id(v)) or v.label or _constant_name(v) or f"v{i}" for i, v in enumerate(nodes)}


def op_symbol(v: Value) -> str:
    """The symbol drawn for the op that made ``v`` (a Linear without bias is xWᵀ, not xWᵀ+b)."""
    op = v.op_class
    if op is None:
        return ""
    if op.name == "linear" and len(v.parents) == 2:
        return "xWᵀ"
    return op.symbol or op.name


def op_with_symbol(name: str, symbol: str | None, lang: str = "en") -> str:
    """``name (symbol)`` (``name（symbol）`` in Chinese text), or just the name when the symbol is
    the name (``tanh``, not ``tanh (tanh)``)."""
    if not symbol or symbol == name:
        return name
    return f"{name}（{symbol}）" if lang == "zh" else f"{name} ({symbol})"


def op_text(v: Value, lang: str = "en") -> str:
    """:func:`op_with_symbol` for the op that made ``v``."""
    return op_with_symbol(v.op_class.name, op_symbol(v), lang)
