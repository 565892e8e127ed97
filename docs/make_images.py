"""Regenerate the two pictures the README shows (docs/img/): the neuron's graph after backward,
and the HTML stepper in headless Chromium. Run: ``.venv/bin/python docs/make_images.py``
(needs Debian's chromium + chromium-driver and selenium, as the browser test does)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import tinygrad_cn as tg
from tinygrad_cn import viz

OUT = Path(__file__).resolve().parent / "img"


def neuron() -> tg.Value:
    x1, x2 = tg.Value(2.0, label="x1"), tg.Value(0.0, label="x2")
    w1, w2 = tg.Value(-3.0, label="w1"), tg.Value(1.0, label="w2")
    b = tg.Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o


def main() -> None:
    OUT.mkdir(exist_ok=True)
    o = neuron()
    with tempfile.TemporaryDirectory() as tmp:
        page = viz.stepper_html(o, Path(tmp) / "neuron.html", lang="zh")
        o.backward()
        viz.render(o, OUT / "neuron_graph.svg")
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        opts = Options()
        opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1400,820",
                    f"--user-data-dir={Path(tmp) / 'profile'}"):
            opts.add_argument(arg)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
        try:
            driver.get(page.as_uri())
            ActionChains(driver).send_keys(Keys.END).perform()
            for _ in range(2):
                ActionChains(driver).send_keys(Keys.ARROW_LEFT).perform()
            driver.save_screenshot(str(OUT / "stepper.png"))
        finally:
            driver.quit()
    print("wrote", *sorted(p.name for p in OUT.iterdir()))


if __name__ == "__main__":
    main()
