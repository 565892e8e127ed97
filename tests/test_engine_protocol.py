"""The op protocol (engine/op.py): checked at class definition, one style of rules, named inputs,
one function that builds every node, and notebook-friendly re-registration."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn.engine import OPS, Formula, Op
from tinygrad_cn.engine.value import Value

PACKAGE_DIR = Path(tg.__file__).resolve().parent


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_names_one_input_per_rule(name):
    op = OPS[name]
    f = op.formula
    assert isinstance(f, Formula)
    assert len(op.backward) == len(f.local) == len(f.inputs) >= 1
    assert all(isinstance(s, str) and s for s in f.inputs)
    assert f.zh and f.en, f"op {name!r}: the formula's sentence in zh and en"


@pytest.mark.parametrize("name", sorted(OPS))
def test_rules_in_one_style(name):
    """A rule is a lambda in the class body or a module-level function: never a method of the op."""
    for rule in OPS[name].backward:
        qual = rule.__qualname__
        assert qual.endswith("<lambda>") or "." not in qual, f"op {name!r}: rule {qual} (move it above the class)"


def test_engine_formulas_name_their_inputs_explicitly():
    engine_ops = [op for op in OPS.values() if op.__module__.startswith("tinygrad_cn.engine.")]
    assert len(engine_ops) >= 20
    src = {op.__module__: Path(__import__(op.__module__, fromlist=["x"]).__file__).read_text("utf-8") for op in engine_ops}
    for module, text in src.items():
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Formula":
                assert any(k.arg == "inputs" for k in node.keywords), f"{module}:{node.lineno}: Formula without inputs="
    assert OPS["matmul"].formula.inputs == ("A", "B") and OPS["swish"].formula.inputs == ("x", "β")


def test_formula_reads_or_checks_input_names():
    assert Formula("y = a·b", ("∂y/∂a = b", "∂y/∂b = a")).inputs == ("a", "b")
    assert Formula("y = softmax(x)", ("∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ)",)).inputs == ("x",)
    with pytest.raises(ValueError, match=r"name the inputs"):
        Formula("y = f(a)", ("the derivative is 2",))
    with pytest.raises(ValueError, match=r"1 input names \('a',\) for 2 local derivatives"):
        Formula("y = a·b", ("∂y/∂a = b", "∂y/∂b = a"), inputs=("a",))
    with pytest.raises(TypeError, match="tuple of strings"):
        Formula("y = a", "∂y/∂a = 1")


def test_class_definition_checks_rule_count_and_formula():
    try:
        with pytest.raises(TypeError, match=r"op 'bad_count': 1 backward rule\(s\) but the formula names 2 input"):
            class BadCount(Op):
                name = "bad_count"
                formula = Formula("y = a·b", ("∂y/∂a = b", "∂y/∂b = a"), zh="乘", en="mul")
                backward = (lambda ctx, g, y, a, b: g * b,)

        with pytest.raises(TypeError, match="op 'no_formula': formula must be a Formula"):
            class NoFormula(Op):
                name = "no_formula"
                backward = (lambda ctx, g, y, a: g,)

        with pytest.raises(TypeError, match="op 'bad_rules': backward must be a tuple"):
            class BadRules(Op):
                name = "bad_rules"
                formula = Formula("y = a", ("∂y/∂a = 1",), zh="恒等", en="identity")
                backward = [lambda ctx, g, y, a: g]  # type: ignore[assignment]  # noqa: RUF012
    finally:
        for n in ("bad_count", "no_formula", "bad_rules"):
            OPS.pop(n, None)
    assert not {"bad_count", "no_formula", "bad_rules"} & set(OPS)


CELL = textwrap.dedent(
    """
    import numpy as np
    from tinygrad_cn.engine import Formula, Op

    class {cls}(Op):
        name = "cube_test_op"
        formula = Formula("y = a³", ("∂y/∂a = 3a²",), zh="立方", en="cube")

        @staticmethod
        def forward(ctx, a):
            return a ** {power}

        backward = (lambda ctx, g, y, a: g * {power} * a ** {power_1},)
    """
)


def run_cell(cls: str, power: int) -> type[Op]:
    ns: dict = {"__name__": "__main__"}  # what a notebook cell runs in
    exec(compile(CELL.format(cls=cls, power=power, power_1=power - 1), "<cell>", "exec"), ns)  # test code, not user text
    return ns[cls]


def test_rerunning_a_notebook_cell_replaces_the_op_and_a_different_class_is_refused():
    try:
        first = run_cell("Cube", 2)  # the first version of the cell has a bug: a², not a³
        second = run_cell("Cube", 3)  # fixed and run again: no "registered twice"
        assert OPS["cube_test_op"] is second and second is not first
        x = tg.Value(2.0)
        y = second.apply(x)
        y.backward()
        assert y.item() == 8.0 and x.grad == 12.0
        twice = r"op name 'cube_test_op' registered twice: by __main__.Cube and by __main__.Other"
        with pytest.raises(RuntimeError, match=twice):
            run_cell("Other", 3)
        assert OPS["cube_test_op"] is second
    finally:
        OPS.pop("cube_test_op", None)


def test_builtin_op_names_stay_protected():
    with pytest.raises(RuntimeError, match="'mul' registered twice"):
        class MyMul(Op):
            name = "mul"
            formula = Formula("y = a·b", ("∂y/∂a = b", "∂y/∂b = a"), zh="乘", en="mul")
            backward = (lambda ctx, g, y, a, b: g * b, lambda ctx, g, y, a, b: g * a)
    assert OPS["mul"].__module__ == "tinygrad_cn.engine.ops.arithmetic"


class _FieldWrites(ast.NodeVisitor):
    """Assignments to ``<anything>.<private Value field>``, each with the innermost function it is in."""

    def __init__(self, private: set[str]) -> None:
        self.private, self.stack, self.found = private, ["<module>"], []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    def _targets(self, targets: list[ast.expr]) -> None:
        for t in targets:
            for el in t.elts if isinstance(t, ast.Tuple) else [t]:
                if isinstance(el, ast.Attribute) and el.attr in self.private:
                    self.found.append((el.lineno, self.stack[-1]))

    def visit_Assign(self, node: ast.Assign) -> None:
        self._targets(node.targets)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._targets([node.target])
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._targets([node.target])
        self.generic_visit(node)


def test_one_function_sets_node_fields():
    """Only engine/value.py's init_node assigns a node's private fields, anywhere in the package."""
    private = {n for n in Value.__slots__ if n.startswith("_")}
    offenders = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        v = _FieldWrites(private)
        v.visit(ast.parse(path.read_text("utf-8")))
        offenders += [f"{path.relative_to(PACKAGE_DIR)}:{line} in {fn}" for line, fn in v.found]
    # _set_data: the checked setter of .data; _get_data/_get_grad: a fast-path float turned into
    # the 0-d array that .data/.grad read as
    allowed = ("in init_node", "in _set_data", "in _get_data", "in _get_grad")
    assert offenders and all(o.startswith("engine/value.py") and o.endswith(allowed) for o in offenders), offenders


def test_every_kind_of_node_comes_out_alike():
    a = tg.Value([1.0, 2.0], label="a")
    const = a * 2.0  # the 2.0 becomes a constant node
    d = a.detach()
    with tg.no_grad():
        n = a * 3
    for v in (a, const, d, n, const.parents[1]):
        assert v.grad is None and isinstance(v.data, np.ndarray) and isinstance(v.id, int)
    assert const.op_class is OPS["mul"] and const.parents[0] is a and const.ctx == {}
    assert const.parents[1].is_leaf and not const.parents[1].requires_grad
    assert d.is_leaf and d.label == "a" and d.data is a.data and not d.requires_grad
    assert n.is_leaf and n.op is None and n.scope is None and n.ctx is None
    assert a.id < const.parents[1].id < const.id < d.id < n.id  # creation order
