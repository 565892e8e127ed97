"""``Sequential``: modules applied one after another; parameters named "0.weight", "1.bias", ..."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .module import Module


class Sequential(Module):
    """``Sequential(m0, m1, ...)(x) = ...m1(m0(x))``; indexable like a list (``seq[0]``, ``len(seq)``).

    >>> from tinygrad_cn import nn
    >>> net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
    >>> [name for name, _ in net.named_parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    """

    def __init__(self, *modules: Module) -> None:
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential: argument {i} is a {type(m).__name__}, not a Module")
        self.layers: list[Module] = list(modules)

    def _items(self) -> Iterator[tuple[str, Any]]:
        for i, m in enumerate(self.layers):
            yield str(i), m  # torch's names: "0", "1", ...
        for name, val in vars(self).items():
            if name != "layers":
                yield name, val

    def forward(self, x: Any) -> Any:
        for m in self.layers:
            x = m(x)
        return x

    def append(self, module: Module) -> Sequential:
        if not isinstance(module, Module):
            raise TypeError(f"Sequential.append: expected a Module, got {type(module).__name__}")
        self.layers.append(module)
        return self

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return Sequential(*self.layers[i])
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)
