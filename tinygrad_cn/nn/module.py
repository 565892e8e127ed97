"""``Module``: the base of every layer. Finds parameters in attributes, lists and dicts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from ..engine.errors import ShapeError
from ..engine.mode import current_scope, scope
from ..engine.value import Value


class ModuleCall:
    """One call of a Module in progress. Values created during it remember it (``Value.scope``),
    so :mod:`tinygrad_cn.viz` can draw each module call as a labelled cluster."""

    __slots__ = ("__weakref__", "module", "parent")

    def __init__(self, module: Module, parent: ModuleCall | None) -> None:
        self.module = module
        self.parent = parent

    def chain(self) -> list[ModuleCall]:
        """This call and its enclosing calls, outermost first."""
        out = []
        c: ModuleCall | None = self
        while c is not None:
            out.append(c)
            c = c.parent
        return out[::-1]


class Module:
    """Base class of layers, as ``torch.nn.Module``: subclasses set attributes in ``__init__`` and
    define ``forward``; call the module itself (``model(x)``).

    A *parameter* is a leaf Value with ``requires_grad=True`` stored in an attribute, or in a
    list/tuple/dict attribute; sub-modules are found the same way.
    """

    training: bool = True

    def forward(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with scope(ModuleCall(self, current_scope())):  # per thread, as grad mode
            return self.forward(*args, **kwargs)

    # ---- discovery (iterative, in attribute order) -------------------------------------------
    def _items(self) -> Iterator[tuple[str, Any]]:
        for name, val in vars(self).items():
            if isinstance(val, (list, tuple)):
                for i, item in enumerate(val):
                    yield f"{name}.{i}", item
            elif isinstance(val, dict):
                for k, item in val.items():
                    yield f"{name}.{k}", item
            else:
                yield name, val

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every sub-module, depth first, with dotted names ('' for self)."""
        stack: list[tuple[str, Module]] = [(prefix, self)]
        seen: set[int] = set()
        while stack:
            name, mod = stack.pop()
            if id(mod) in seen:
                continue
            seen.add(id(mod))
            yield name, mod
            subs = [(f"{name}.{n}" if name else n, m) for n, m in mod._items() if isinstance(m, Module)]
            stack.extend(reversed(subs))

    def children(self) -> Iterator[Module]:
        for _, m in self._items():
            if isinstance(m, Module):
                yield m

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Value]]:
        """Every parameter with its dotted name (``"w1.weight"``), each once."""
        seen: set[int] = set()
        for mname, mod in self.named_modules(prefix):
            for n, v in mod._items():
                if isinstance(v, Value) and v.requires_grad and v.is_leaf and id(v) not in seen:
                    seen.add(id(v))
                    yield (f"{mname}.{n}" if mname else n), v

    def parameters(self) -> list[Value]:
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = None

    def train(self, mode: bool = True) -> Module:
        for m in self.modules():
            m.training = mode
        return self

    def eval(self) -> Module:
        return self.train(False)

    # ---- state -------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Parameter name -> a copy of its data."""
        return {n: p.data.copy() for n, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any], strict: bool = True) -> None:
        """Copy ``state`` (name -> array, e.g. from ``tg.load``) into the parameters, in place.

        Every key, shape and value is checked first: on any problem this raises one error listing
        all of them (missing keys, unexpected keys, wrong shapes) and changes nothing. With
        ``strict=False`` missing and unexpected keys are allowed (wrong shapes still are not).
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict({type(self).__name__}): expected a dict of arrays, got {type(state).__name__}")
        params = dict(self.named_parameters())
        arrays = {k: (v.data if isinstance(v, Value) else v) for k, v in state.items()}
        missing = [k for k in params if k not in arrays]
        unexpected = [k for k in arrays if k not in params]
        wrong = [
            f"{k}: expected {params[k].shape}, got {np.shape(arrays[k])}"
            for k in params
            if k in arrays and np.shape(arrays[k]) != params[k].shape
        ]
        problems = []
        if strict and missing:
            problems.append(f"missing keys {missing}")
        if strict and unexpected:
            problems.append(f"unexpected keys {unexpected}")
        if wrong:
            problems.append(f"wrong shapes [{'; '.join(wrong)}]")
        if problems:
            raise ShapeError(f"load_state_dict({type(self).__name__}): " + ", ".join(problems) + "; nothing was changed")
        new = {}
        for k in params:
            if k in arrays:
                try:
                    new[k] = np.asarray(arrays[k]).astype(params[k].dtype, casting="same_kind")
                except (TypeError, ValueError) as e:
                    raise TypeError(
                        f"load_state_dict({type(self).__name__}): {k!r} holds {np.asarray(arrays[k]).dtype} data, "
                        f"not numbers for a {params[k].dtype} parameter ({e}); nothing was changed"
                    ) from None
        for k, arr in new.items():
            params[k].data[...] = arr

    def __repr__(self) -> str:
        subs = [(n, m) for n, m in self._items() if isinstance(m, Module)]
        if not subs:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for n, m in subs:
            lines.append("  (" + n + "): " + repr(m).replace("\n", "\n  "))
        lines.append(")")
        return "\n".join(lines)

    def extra_repr(self) -> str:
        return ""
