"""What viz reads from a Value, in one place, through the engine's public node surface: its
creation id, the op that made it (its class: formula, symbol), its inputs and its module scope."""

from __future__ import annotations

from typing import Any

from ...engine import Value, walk

__all__ = ["is_leaf", "op_type", "parents", "scope", "vid", "walk"]


def vid(v: Value) -> int:
    """The node's creation id (inputs are older: sorting by id is a topological order)."""
    return v.id


def op_type(v: Value) -> Any:
    """The op class that produced ``v`` (None for a leaf)."""
    return v.op_class


def parents(v: Value) -> tuple[Value, ...]:
    """The op's inputs, in argument order (() for a leaf)."""
    return v.parents


def scope(v: Value) -> Any:
    """The innermost nn.Module call in progress when ``v`` was made (None outside modules)."""
    return v.scope


def is_leaf(v: Value) -> bool:
    return v.is_leaf
