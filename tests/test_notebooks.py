"""The notebooks: generated from the docs' Markdown (regeneration changes nothing), valid nbformat,
links that resolve, and every one executes in a temporary copy with no error and no stderr output,
showing its graphs as SVG, step tables as HTML and the stepper inline. A zh notebook exported to
HTML opens in headless Chromium with its graph and a working stepper."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT = 180  # seconds per cell: a hung cell fails instead of hanging the suite


def _load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"notebooks_{name}", ROOT / "notebooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


build = _load("build")
NOTEBOOKS = [f"{lang}/{name}" for lang in build.LANGS for name in build.CHAPTERS]


def test_regeneration_is_diff_free(tmp_path):
    build.build(tmp_path)
    for nb in NOTEBOOKS:
        committed = (ROOT / "notebooks" / f"{nb}.ipynb").read_text(encoding="utf-8")
        assert (tmp_path / f"{nb}.ipynb").read_text(encoding="utf-8") == committed, f"{nb} is stale: run make notebooks"
    build.build(tmp_path)  # a second run writes the same bytes
    assert not build.stale(tmp_path) and not build.stale(ROOT / "notebooks")
    for lang in build.LANGS:  # no notebook left behind from a chapter that is gone
        names = {p.stem for p in (ROOT / "notebooks" / lang).glob("*.ipynb")}
        assert names == set(build.CHAPTERS)


def test_check_mode_reports_a_stale_notebook(tmp_path, capsys):
    build.build(tmp_path)
    assert build.main(["--check", "--out", str(tmp_path)]) == 0
    path = tmp_path / "zh" / "01-autograd.ipynb"
    path.write_text(path.read_text(encoding="utf-8").replace("Value", "Valeu", 1), encoding="utf-8")
    assert build.main(["--check", "--out", str(tmp_path)]) == 1
    assert "zh/01-autograd.ipynb" in capsys.readouterr().err


def test_every_docs_chapter_has_a_notebook():
    for lang in build.LANGS:
        for md in sorted((ROOT / "docs" / lang).glob("[0-9][0-9]-*.md")):
            assert md.stem in build.CHAPTERS or md.stem in build.NOT_NOTEBOOKS, (
                f"docs/{lang}/{md.name} has no notebook: add one line to CHAPTERS in notebooks/build.py "
                "(or to NOT_NOTEBOOKS for a reference page), then run make notebooks"
            )
        for name, pattern in build.CHAPTERS.items():
            assert (ROOT / pattern.format(lang=lang)).is_file(), name


@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_notebook_is_valid_with_code_from_its_source(nb):
    nbformat = pytest.importorskip("nbformat")

    lang, name = nb.split("/")
    notebook = nbformat.read(ROOT / "notebooks" / f"{nb}.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in notebook.cells if c.cell_type == "code")
    source = (ROOT / build.CHAPTERS[name].format(lang=lang)).read_text(encoding="utf-8")
    blocks = [b.rstrip("\n") for b in re.findall(r"^```python\n(.*?)^```", source, re.S | re.M)]
    assert [c for c in code if c in blocks] == blocks  # every block of the source, in order, unchanged
    md = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert f"{build.CHAPTERS[name].format(lang=lang)}" in md  # says where it comes from


@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_relative_links_resolve(nb):
    notebook = json.loads((ROOT / "notebooks" / f"{nb}.ipynb").read_text(encoding="utf-8"))
    folder = ROOT / "notebooks" / nb.split("/")[0]
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in re.findall(r"\]\(([^)\s]+)\)", "".join(cell["source"])):
            if re.match(r"^[a-z]+:|^#", target):
                continue
            assert (folder / target.split("#")[0]).exists(), f"{nb}: broken link {target}"


def test_show_cells_follow_files_the_docs_write():
    cells = build._show_cells('viz.render(d, "d.svg")\npage = viz.stepper_html(d, "d.html", lang="en")\n'
                              'fig.savefig("loss.png", dpi=80)\nprint(viz.explain_backward(y, lang="zh"))\n', "en")
    assert 'display(svg_file("d.svg"))' in cells[0] and 'display(viz.stepper(d, lang="en"))' in cells[0]
    assert 'Image(filename="loss.png")' in cells[0]
    assert cells[1].endswith('viz.explain_backward(y, lang="zh")')
    assert build._show_cells("print(1)\n", "zh") == []
    assert build._show_cells('viz.stepper_html(o, "o.html")\n', "zh")[0].endswith('viz.stepper(o, lang="zh"))')
    with pytest.raises(ValueError, match="stepper_html's root must be a plain name"):
        build._show_cells('viz.stepper_html(a * b, "o.html")\n', "zh")


# --- executing every notebook ---------------------------------------------------------------------


def _kernel_available() -> bool:
    try:
        import ipykernel  # noqa: F401
        import nbclient  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Every notebook executed once, in a temporary copy, two kernels at a time."""
    if not _kernel_available():
        pytest.skip("nbclient/ipykernel not installed (pip install -e '.[dev]')")
    import nbformat
    from nbclient import NotebookClient

    work = tmp_path_factory.mktemp("notebooks")
    results: dict[str, object] = {}

    async def run(nb: str, gate: asyncio.Semaphore) -> None:
        async with gate:
            folder = work / nb.replace("/", "_")
            folder.mkdir()
            shutil.copy(ROOT / "notebooks" / f"{nb}.ipynb", folder)
            notebook = nbformat.read(folder / f"{nb.split('/')[1]}.ipynb", as_version=4)
            client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                                    resources={"metadata": {"path": str(folder)}})
            try:
                await client.async_execute()
                results[nb] = notebook
            except Exception as e:  # the failing cell and its traceback are the message
                results[nb] = e

    async def run_all() -> None:
        gate = asyncio.Semaphore(max(1, min(2, os.cpu_count() or 1)))
        await asyncio.gather(*(run(nb, gate) for nb in NOTEBOOKS))

    env = {"MPLBACKEND": os.environ.get("MPLBACKEND")}
    os.environ.pop("MPLBACKEND", None)  # the kernel's own inline backend, as for a learner
    try:
        asyncio.run(run_all())
    finally:
        if env["MPLBACKEND"] is not None:
            os.environ["MPLBACKEND"] = env["MPLBACKEND"]
    return results


def _outputs(notebook) -> list:  # type: ignore[no-untyped-def]
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]


@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_notebook_executes_without_errors(executed, nb):
    result = executed[nb]
    if isinstance(result, Exception):
        pytest.fail(f"{nb} failed to execute:\n{result}")
    outs = _outputs(result)
    assert not [o for o in outs if o.output_type == "error"]
    stderr = [o.text for o in outs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{nb} wrote to stderr: {stderr}"
    assert all(c.execution_count for c in result.cells if c.cell_type == "code")


def _mime(notebook, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.data[kind] for o in _outputs(notebook) if o.output_type in ("display_data", "execute_result") and kind in o.data]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rich_outputs(executed, lang):
    nb = executed[f"{lang}/01-autograd"]
    assert not isinstance(nb, Exception)
    html = _mime(nb, "text/html")
    # the graph as an inline SVG, capped at the cell's width (an <img> of it would be cropped)
    assert any("<svg" in s and 'class="node"' in s and "max-width: 100%" in s for s in html)
    assert any("<table" in h for h in html)  # step tables as HTML
    assert any("<iframe" in h for h in html)  # the stepper, inline
    walk = executed[f"{lang}/micrograd-walkthrough"]
    assert not isinstance(walk, Exception)
    assert len(_mime(walk, "image/png")) >= 4  # moons, two decision boundaries, the loss curve
    assert any('class="node"' in s for s in _mime(walk, "image/svg+xml"))
    text = "".join(o.get("text", "") for o in _outputs(walk) if o.output_type == "stream")
    final = re.search(r"(?:训练后|after training).*?(\d+)%", text)
    assert final and int(final.group(1)) >= 95  # the scalar MLP separates the moons
    assert re.search(r"(True|相同：True)", text)  # scalar and tensor gradients agree
    act = executed[f"{lang}/04-activations"]
    assert not isinstance(act, Exception) and _mime(act, "image/png")  # activation curves inline


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exercises_notebook_shows_reports_with_hints(executed, lang):
    nb = executed[f"{lang}/exercises"]
    assert not isinstance(nb, Exception)
    html = "".join(_mime(nb, "text/html"))
    assert html.count('class="tinygrad-cn-report"') >= 7
    words = (["符号反了", "漏了 +=", "漏了对批次求和", "矩阵转置了", "忘了乘上游梯度", "全部通过"] if lang == "zh" else
             ["sign is flipped", "forgotten +=", "sum over the batch is missing", "transposed", "upstream gradient",
              "All passed"])
    for w in words:
        assert w in html, w


# --- the HTML export in a real browser ------------------------------------------------------------


def test_zh_notebook_as_html_in_headless_chromium(executed, tmp_path):
    shot = _load("screenshot")
    if not (shot.CHROMIUM and shot.DRIVER):
        pytest.skip("no Chromium with chromedriver (Debian: apt-get install chromium chromium-driver)")
    pytest.importorskip("selenium")
    pytest.importorskip("nbconvert")
    nb = executed["zh/00-quickstart"]  # the neuron's graph is wider than a cell: it must be scaled, not cropped
    assert not isinstance(nb, Exception)
    page = shot.export_html(nb, tmp_path / "00-quickstart.html")
    seen = shot.check_in_chromium(page, tmp_path / "shot.png", tmp_path / "profile")
    assert seen["graphs"] >= 1 and seen["graph_nodes"] >= 5  # the graph SVG, laid out with a size
    assert seen["graphs_fit"]  # none wider than its cell
    assert seen["steppers"] == 1 and seen["stepper_height"] > 300
    assert seen["stepper_frames"] >= 1 and seen["stepper_svg_visible"]  # the current step's picture is shown
    assert (seen["step_before"], seen["step_after"]) == ("0", "3")  # Next works inside the notebook
    assert (tmp_path / "shot.png").stat().st_size > 10_000
