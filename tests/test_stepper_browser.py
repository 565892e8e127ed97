"""The stepper page in a real headless Chromium (Debian's chromium + chromium-driver; never a
downloaded browser): Next to the end, the leaf gradients shown equal .grad, ← goes back a step."""

from __future__ import annotations

import shutil

import pytest

from tinygrad_cn import viz
from tinygrad_cn.viz.examples import neuron

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no Chromium with chromedriver installed (Debian: apt-get install chromium chromium-driver)",
)


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1500,950", f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def test_stepper_in_headless_chromium(tmp_path, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    o, leaves = neuron()
    path = viz.stepper_html(o, tmp_path / "neuron.html", lang="zh")
    n_steps = len(viz.explain_forward(o)) + len(viz.explain_backward(o))
    blog = viz.explain_backward(o)
    o.backward()

    browser.get(path.as_uri())
    step = lambda: int(browser.find_element(By.TAG_NAME, "body").get_attribute("data-step"))
    assert step() == 0
    assert browser.find_element(By.ID, "counter").text == f"步骤 1 / {n_steps}"
    assert browser.find_element(By.ID, "prev").get_attribute("disabled") is not None
    visible = browser.find_elements(By.CSS_SELECTOR, "#graph .frame:not([hidden])")
    assert len(visible) == 1 and visible[0].get_attribute("data-step") == "0"

    nxt = browser.find_element(By.ID, "next")
    while nxt.get_attribute("disabled") is None:
        nxt.click()
    assert step() == n_steps - 1
    for name, leaf in leaves.items():
        cell = browser.find_element(By.CSS_SELECTOR, f'td.grad[data-node="{name}"]')
        assert float(cell.get_attribute("data-value")) == pytest.approx(float(leaf.grad), rel=1e-12)
        assert float(cell.text) == pytest.approx(float(leaf.grad), rel=1e-5)
    assert browser.find_element(By.CSS_SELECTOR, "#values tr.current").get_attribute("data-node") == blog[-1].name

    ActionChains(browser).send_keys(Keys.ARROW_LEFT).perform()
    assert step() == n_steps - 2
    assert browser.find_element(By.CSS_SELECTOR, "#values tr.current").get_attribute("data-node") == blog[-2].name
    assert blog[-2].name in browser.find_element(By.ID, "step-title").text
    shown = browser.find_elements(By.CSS_SELECTOR, "#graph .frame:not([hidden])")
    assert [f.get_attribute("data-step") for f in shown] == [str(n_steps - 2)]
    # the gradient of the previous step's node is its value at that step, w1 still "—"
    assert browser.find_element(By.CSS_SELECTOR, 'td.grad[data-node="w1"]').text == "—"

    browser.find_element(By.ID, "lang").click()
    assert browser.find_element(By.ID, "next").text == "Next ▶"
    assert browser.find_element(By.ID, "counter").text == f"step {n_steps - 1} / {n_steps}"
    ActionChains(browser).send_keys(Keys.HOME).perform()
    assert step() == 0

    shot = tmp_path / "stepper.png"
    ActionChains(browser).send_keys(Keys.END).perform()
    ActionChains(browser).send_keys(Keys.ARROW_LEFT).perform()
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # nothing was fetched and no script failed
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    severe = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert severe == []
