"""The package's layers (SPEC "Layout"): imports only go down, no cycles between packages, and no
package reaches into another's private names.

    files ← engine ← activations / info / losses / data ← functional ← nn / optim / serialization
          ← models ← exercises / viz ← cli ← tinygrad_cn/__init__, __main__

Every module's imports are read with ``ast`` (lazy imports inside functions and ``TYPE_CHECKING``
blocks count too) and mapped to the package they land in. Packages on one level may use each other
as long as no cycle forms. ``data`` and ``files`` are stand-alone: data uses the engine at most,
files nothing at all. A new top-level package or module must be given its place in ``LEVEL``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import tinygrad_cn
from tinygrad_cn.engine.value import Value

PACKAGE_DIR = Path(tinygrad_cn.__file__).resolve().parent
ROOT_NAME = "tinygrad_cn"

LEVEL = {
    "files": 0,  # atomic file writes: a base anyone may import
    "engine": 1,
    "activations": 2, "info": 2, "losses": 2, "data": 2,
    "functional": 3,  # F: re-exports activations and losses
    "nn": 4, "optim": 4, "serialization": 4,
    "models": 5,
    "exercises": 6, "viz": 6,
    "cli": 7,
    "__init__": 8, "__main__": 8,  # the top: `import tinygrad_cn` and `python -m tinygrad_cn`
}
# stand-alone packages: the only packages they may import
ONLY = {"files": set(), "data": {"engine", "files"}}
# Value's private fields (``_id``, ``_op``, ...): outside the engine use .id, .op_class, .parents, ...
VALUE_PRIVATE = {name for name in Value.__slots__ if name.startswith("_") and not name.startswith("__")}


@dataclass(frozen=True)
class Use:
    src: str  # the importing package
    dst: str  # the imported package
    where: str  # file:line
    what: str  # the import as written


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def package_of(dotted: str) -> str:
    """``tinygrad_cn.viz.explain`` → ``viz``; ``tinygrad_cn`` → ``__init__``."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_parts(path: Path, root: Path) -> tuple[list[str], list[str]]:
    """(the module's dotted name, the package it sits in), as lists of names."""
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        return parts, parts
    return parts, parts[:-1]


def imports_of(path: Path, root: Path) -> Iterator[tuple[str, list[str], int, str]]:
    """Every import of the package's own modules in ``path``: (target module, imported names, line, text)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    _, pkg = module_parts(path, root)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == ROOT_NAME:
                    yield alias.name, [], node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != ROOT_NAME:
                continue
            names = [a.name for a in node.names]
            text = f"from {'.' * node.level}{node.module or ''} import {', '.join(names)}"
            yield target, names, node.lineno, text


def check_tree(root: Path) -> list[str]:
    """All layer violations in the package at ``root`` (empty when the layers hold)."""
    problems: list[str] = []
    uses: list[Use] = []
    for path in sorted(root.rglob("*.py")):
        parts, _ = module_parts(path, root)
        src = package_of(".".join(parts)) if len(parts) > 1 else "__init__"
        if len(parts) == 2 and path.name != "__init__.py":
            src = parts[1]  # a top-level module: functional, serialization, files, __main__
        where = f"{path.relative_to(root.parent)}"
        if src not in LEVEL:
            problems.append(f"{where}: package {src!r} has no place in the layers (add it to LEVEL)")
            continue
        imported_modules: dict[str, str] = {}  # local name -> package, for `mod._private` checks
        for target, names, line, text in imports_of(path, root):
            targets = [target]
            if target == ROOT_NAME and names:  # `from tinygrad_cn import nn, optim`
                targets = [f"{ROOT_NAME}.{n}" for n in names]
            for t in targets:
                dst = package_of(t)
                if dst == src:
                    continue
                uses.append(Use(src, dst, f"{where}:{line}", text))
                if target == ROOT_NAME or (names and t == target):
                    for n in names:
                        imported_modules[n] = dst
            if package_of(target) != src:
                for n in names:
                    if is_private(n):
                        problems.append(f"{where}:{line}: `{text}` uses {package_of(target)}'s private name {n}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not is_private(node.attr):
                continue
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if owner in imported_modules and imported_modules[owner] != src:
                problems.append(
                    f"{where}:{node.lineno}: {owner}.{node.attr} is {imported_modules[owner]}'s private name"
                )
            elif src != "engine" and node.attr in VALUE_PRIVATE and owner not in ("self", "cls"):
                problems.append(
                    f"{where}:{node.lineno}: .{node.attr} is Value's private field "
                    "(use .id, .op_class, .parents, .scope, .ctx, .is_leaf)"
                )
    for u in uses:
        if u.dst not in LEVEL:
            problems.append(f"{u.where}: `{u.what}` imports {u.dst!r}, which has no place in the layers")
        elif u.src in ONLY and u.dst not in ONLY[u.src]:
            allowed = ", ".join(sorted(ONLY[u.src])) or "nothing from the package"
            problems.append(f"{u.where}: `{u.what}`: {u.src} is stand-alone and may import {allowed}, not {u.dst}")
        elif LEVEL[u.dst] > LEVEL[u.src]:
            problems.append(f"{u.where}: `{u.what}` imports upward: {u.src} (level {LEVEL[u.src]}) → "
                            f"{u.dst} (level {LEVEL[u.dst]})")
    problems.extend(cycles(uses))
    return problems


def cycles(uses: list[Use]) -> list[str]:
    """A cycle between packages, reported with one import for each edge."""
    edges: dict[str, dict[str, Use]] = {}
    for u in uses:
        edges.setdefault(u.src, {}).setdefault(u.dst, u)
    out: list[str] = []
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        # iterative DFS for a path back to start
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for nxt in sorted(edges.get(node, {})):
                if nxt == start:
                    ring = frozenset(path)
                    if ring not in reported:
                        reported.add(ring)
                        hops = [edges[a][b] for a, b in zip(path, [*path[1:], start])]
                        out.append("import cycle between packages " + " → ".join([*path, start]) + ": "
                                   + "; ".join(f"{h.where} `{h.what}`" for h in hops))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    return out


def test_the_package_keeps_its_layers():
    problems = check_tree(PACKAGE_DIR)
    assert not problems, "layer violations:\n" + "\n".join(problems)


def test_every_package_has_a_level():
    found = {p.name for p in PACKAGE_DIR.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    found |= {p.stem for p in PACKAGE_DIR.glob("*.py")}
    assert found <= set(LEVEL), f"give these a level in LEVEL: {sorted(found - set(LEVEL))}"


# ---------------------------------------------------------------- the checker catches what it should


def write(root: Path, files: dict[str, str]) -> Path:
    pkg = root / ROOT_NAME
    for name, text in {"__init__.py": "", "engine/__init__.py": "", "nn/__init__.py": "", "viz/__init__.py": "",
                       **files}.items():
        f = pkg / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return pkg


def test_checker_accepts_a_clean_tree(tmp_path):
    pkg = write(tmp_path, {
        "engine/value.py": "class Value:\n    def f(self):\n        return self._id\n",
        "nn/module.py": "from ..engine.value import Value\nfrom ..engine import value\nx = value.Value\n",
        "viz/graph.py": "from .. import nn\nfrom ..engine.value import Value\nfrom . import layout\n",
        "viz/layout.py": "from ._private import helper\n",
        "viz/_private.py": "helper = 1\n",
        "functional.py": "from .engine import value\n",
    })
    assert check_tree(pkg) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"engine/value.py": "from ..nn.module import Module\n"}, "imports upward: engine (level 1) → nn"),
        ({"engine/xp.py": "def f():\n    from ..viz import graph\n    return graph\n"}, "imports upward: engine"),
        ({"engine/xp.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import tinygrad_cn.cli\n"},
         "imports upward: engine (level 1) → cli"),
        ({"nn/a.py": "from ..optim import sgd\n", "optim/__init__.py": "", "optim/sgd.py": "from ..nn import a\n"},
         "import cycle between packages nn → optim → nn"),
        ({"viz/graph.py": "from ..engine.value import _counter\n"}, "uses engine's private name _counter"),
        ({"viz/graph.py": "from ..engine import xp\ny = xp._SCALARS\n"}, "xp._SCALARS is engine's private name"),
        ({"viz/graph.py": "def f(v):\n    return v._parents\n"}, "._parents is Value's private field"),
        ({"data/__init__.py": "from ..activations import relu\n", "activations/__init__.py": ""},
         "data is stand-alone"),
        ({"files.py": "from .engine import value\n"}, "files is stand-alone"),
        ({"extras/__init__.py": ""}, "'extras' has no place in the layers"),
        ({"viz/graph.py": "from tinygrad_cn import cli\n", "cli/__init__.py": ""}, "imports upward: viz"),
    ],
)
def test_checker_finds_each_kind_of_violation(tmp_path, files, expected):
    problems = check_tree(write(tmp_path, files))
    assert any(expected in p for p in problems), problems
