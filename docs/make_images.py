"""Regenerate the pictures the README shows (docs/img/): the neuron's graph after backward, and the
HTML stepper in headless Chromium at 1280×800: the scalar neuron (Chinese) and a softmax-regression
tensor step (English; the bias's broadcast sum). Run: ``.venv/bin/python docs/make_images.py``
(needs Debian's chromium + chromium-driver and selenium, as the browser test does).
``--lang both`` also writes the other language of each page beside them (``*_en.png`` /
``*_zh.png``) for checking by eye; the README shows only the two default ones.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import tinygrad_cn as tg
from tinygrad_cn import viz
from tinygrad_cn.viz.examples import softmax_regression_step

OUT = Path(__file__).resolve().parent / "img"
SIZE = (1280, 800)


def neuron() -> tg.Value:
    x1, x2 = tg.Value(2.0, label="x1"), tg.Value(0.0, label="x2")
    w1, w2 = tg.Value(-3.0, label="w1"), tg.Value(1.0, label="w2")
    b = tg.Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o


def _browser(profile: Path):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": SIZE[0], "height": SIZE[1], "deviceScaleFactor": 1, "mobile": False})
    return driver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("default", "both"), default="default")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    o = neuron()
    loss, _W, b = softmax_regression_step()
    rec = viz.record(loss)
    b_step = len(rec.forward) + next(i for i, s in enumerate(rec.backward) if s.node is b) + 1  # from 1
    o_steps = len(viz.record(o).forward) + len(viz.record(o).backward)
    # (page root, its default language, the step to show, the picture's name)
    shots = [(o, "zh", o_steps - 2, "stepper"), (loss, "en", b_step, "stepper_tensor")]
    with tempfile.TemporaryDirectory() as tmp:
        driver = _browser(Path(tmp) / "profile")
        try:
            for root, lang, step, name in shots:
                langs = [lang] if args.lang == "default" else [lang, "en" if lang == "zh" else "zh"]
                for k, lg in enumerate(langs):
                    page = viz.stepper_html(root, Path(tmp) / f"{name}_{lg}.html", lang=lg)
                    driver.get(f"{page.as_uri()}#step={step}")
                    driver.save_screenshot(str(OUT / (f"{name}.png" if k == 0 else f"{name}_{lg}.png")))
        finally:
            driver.quit()
    o.backward()
    viz.render(o, OUT / "neuron_graph.svg")
    print("wrote", *sorted(p.name for p in OUT.iterdir()))


if __name__ == "__main__":
    main()
