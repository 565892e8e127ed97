"""Execute a notebook, export it to HTML (nbconvert) and open the page in headless Chromium: its SVG
graph and the inline stepper must be visible and the stepper must step. Saves a screenshot.

    .venv/bin/python notebooks/screenshot.py --out docs/img/notebook_zh.png     # the picture in the docs

tests/test_notebooks.py runs the same check on a temporary copy. Needs Debian's chromium and
chromium-driver and the dev extra (nbclient, nbconvert, selenium).
"""

from __future__ import annotations

import argparse
import base64
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def execute(src: Path, workdir: Path, timeout: int = 120):  # type: ignore[no-untyped-def]
    """A copy of the notebook ``src`` executed in ``workdir`` (returned as a NotebookNode)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(src, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


def export_html(nb, path: Path) -> Path:  # type: ignore[no-untyped-def]
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    path.write_text(body, encoding="utf-8")
    return path


def check_in_chromium(page: Path, screenshot: Path | None, profile: Path) -> dict:
    """Open ``page``; find the graph SVG and the stepper iframe; click the stepper's Next; return
    what was seen (and save a screenshot of the graph with the stepper under it)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,1300", "--hide-scrollbars", f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        driver.get(page.as_uri())
        # the graph: an inline <svg> in an HTML output (width-capped), or an SVG output (nbconvert's
        # lab template embeds that as an <img> of the SVG), drawn by graphviz (its nodes are
        # <g class="node">), loaded and laid out with a real size
        graphs, nodes = [], 0
        for img in driver.find_elements(By.CSS_SELECTOR, ".jp-RenderedSVG img"):
            svg = base64.b64decode(img.get_attribute("src").split(",", 1)[1]).decode("utf-8")
            loaded = driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0;", img)
            if 'class="node"' in svg and loaded and img.size["width"] > 50 and img.size["height"] > 30:
                graphs.append(img)
                nodes = svg.count('class="node"')
        for svg_el in driver.find_elements(By.CSS_SELECTOR, ".jp-RenderedHTMLCommon svg"):
            n = len(svg_el.find_elements(By.CSS_SELECTOR, "g.node"))
            if n and svg_el.size["width"] > 50 and svg_el.size["height"] > 30:
                graphs.append(svg_el)
                nodes = n
        # every graph fits its output area: nothing cut off at the right edge
        seen_fit = all(driver.execute_script(
            "var a = arguments[0].closest('.jp-OutputArea-output');"
            "return arguments[0].getBoundingClientRect().right <= a.getBoundingClientRect().right + 1;", g)
            for g in graphs)
        frames = driver.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output iframe")
        seen: dict = {"graphs": len(graphs), "graph_nodes": nodes, "graphs_fit": seen_fit, "steppers": len(frames)}
        if graphs:
            driver.execute_script("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -60);", graphs[-1])
        if frames:
            frame = frames[-1]
            seen["stepper_height"] = frame.size["height"]
            driver.switch_to.frame(frame)
            body = driver.find_element(By.TAG_NAME, "body")
            seen["stepper_frames"] = len(driver.find_elements(By.CSS_SELECTOR, ".frame"))  # one picture per step
            seen["step_before"] = body.get_attribute("data-step")
            for _ in range(3):
                driver.find_element(By.ID, "next").click()
            seen["step_after"] = body.get_attribute("data-step")
            visible = driver.find_elements(By.CSS_SELECTOR, ".frame:not([hidden]) svg")
            seen["stepper_svg_visible"] = bool(visible) and visible[0].size["width"] > 50
            driver.switch_to.default_content()
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(screenshot))
        return seen
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notebook", default="notebooks/zh/01-autograd.ipynb")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "notebook_zh.png")
    args = ap.parse_args(argv)
    if not (CHROMIUM and DRIVER):
        print("needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        nb = execute(ROOT / args.notebook, work)
        page = export_html(nb, work / "notebook.html")
        seen = check_in_chromium(page, args.out, work / "profile")
    print(seen)
    ok = seen["graphs"] and seen["steppers"] and seen.get("stepper_svg_visible") and seen["step_after"] != seen["step_before"]
    print(f"screenshot: {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
