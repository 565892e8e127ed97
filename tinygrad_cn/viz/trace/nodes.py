"""What viz reads from a Value, in one place: its creation id, the op class that made it, its
inputs and its module scope (the engine's public node surface)."""

from __future__ import annotations

from typing import Any

from ...engine.autograd import walk
from ...engine.value import Value

__all__ = ["is_leaf", "op_type", "parents", "scope", "vid", "walk"]


def vid(v: Value) -> int:
    """The node's creation id (inputs are older: sorting by id is a topological order)."""
    return v.id


def op_type(v: Value) -> Any:
    """The op class that produced ``v`` (None for a leaf)."""
    return v._op


def parents(v: Value) -> tuple[Value, ...]:
    """The op's inputs, in argument order (() for a leaf)."""
    return v._parents


def scope(v: Value) -> Any:
    """The innermost nn.Module call in progress when ``v`` was made (None outside modules)."""
    return v._scope


def is_leaf(v: Value) -> bool:
    return v._op is None

