"""The stepper page in a real headless Chromium (Debian's chromium + chromium-driver; never a
downloaded browser): Next to the end, the leaf gradients shown equal .grad, ← goes back a step;
a 2-4-1 MLP opened at #step=5 at 1280×800, stepped with the keyboard and zoomed, keeps the current
node inside the viewport; the address follows the step."""

from __future__ import annotations

import shutil

import pytest

from tinygrad_cn import viz
from tinygrad_cn.viz.examples import mlp_2_4_1, neuron, softmax_regression_step

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


def _screen(driver, width: int = 1280, height: int = 800) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def _no_errors(browser) -> None:
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0  # nothing fetched
    severe = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert severe == []


def test_stepper_in_headless_chromium(tmp_path, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    o, leaves = neuron()
    path = viz.stepper_html(o, tmp_path / "neuron.html", lang="zh")
    rec = viz.record(o)
    n_steps = len(rec.forward) + len(rec.backward)
    blog = rec.backward
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
    assert browser.execute_script("return location.hash") == f"#step={n_steps}"  # the address follows
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
    _no_errors(browser)


CURRENT_INSIDE = """
const vp = document.getElementById('viewport').getBoundingClientRect();
const step = JSON.parse(document.getElementById('steps-data').textContent).steps[+document.body.dataset.step];
const nodes = JSON.parse(document.getElementById('steps-data').textContent).nodes;
const frame = document.querySelector('#stage .frame:not([hidden])');
const out = [];
for (const i of step.current) {
  const t = [...frame.querySelectorAll('g.node > title')].find(t => t.textContent === nodes[i].key);
  const r = t.parentNode.getBoundingClientRect();
  out.push([r.left >= vp.left, r.right <= vp.right, r.top >= vp.top, r.bottom <= vp.bottom,
            r.right <= window.innerWidth, r.bottom <= window.innerHeight, r.width > 0]);
}
return out;
"""


def _current_inside(browser) -> bool:
    boxes = browser.execute_script(CURRENT_INSIDE)
    return bool(boxes) and all(all(b) for b in boxes)


def test_mlp_deep_link_keyboard_zoom_and_current_node_in_view(tmp_path, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    loss, _params = mlp_2_4_1()
    path = viz.stepper_html(loss, tmp_path / "mlp.html", lang="en")
    rec = viz.record(loss)
    n_steps = len(rec.forward) + len(rec.backward)
    _screen(browser)
    browser.get(path.as_uri() + "#step=5")
    body = browser.find_element(By.TAG_NAME, "body")
    step = lambda: int(body.get_attribute("data-step"))
    zoom = lambda: float(body.get_attribute("data-zoom"))
    assert step() == 4  # "#step=5" is the page's own "step 5", counted from 1
    assert browser.find_element(By.ID, "counter").text == f"step 5 / {n_steps}"
    assert _current_inside(browser)
    # legible: a 2-4-1 MLP is not shrunk to fit; its text stays at least 10 px high
    text_px = browser.execute_script(
        "return document.querySelector('#stage .frame:not([hidden]) g.node text').getBoundingClientRect().height")
    assert text_px >= 10

    for _ in range(6):
        ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
        assert _current_inside(browser)
    assert step() == 10 and browser.execute_script("return location.hash") == "#step=11"

    before = zoom()
    browser.find_element(By.ID, "zoom-in").click()
    browser.find_element(By.ID, "zoom-in").click()
    assert zoom() == pytest.approx(before * 1.25 ** 2)
    ActionChains(browser).send_keys("-").perform()
    assert zoom() == pytest.approx(before * 1.25)
    # wheel zoom around the cursor, then a drag pans the graph
    browser.execute_script("""
      const vp = document.getElementById('viewport'); const r = vp.getBoundingClientRect();
      vp.dispatchEvent(new WheelEvent('wheel', {deltaY: 200, clientX: r.left + 100, clientY: r.top + 100,
                                                bubbles: true, cancelable: true}));""")
    assert zoom() < before * 1.25
    stage = browser.find_element(By.ID, "stage")
    t0 = stage.value_of_css_property("transform")
    ActionChains(browser).move_to_element_with_offset(browser.find_element(By.ID, "viewport"), -200, 0) \
        .click_and_hold().move_by_offset(120, 40).release().perform()
    assert stage.value_of_css_property("transform") != t0
    # stepping on brings the current node back into view whatever the pan
    for _ in range(40):
        ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
        assert _current_inside(browser)
    ActionChains(browser).send_keys(Keys.END).perform()
    assert step() == n_steps - 1 and _current_inside(browser)
    # fit to the window: the whole graph inside the viewport
    browser.find_element(By.ID, "fit").click()
    inside = browser.execute_script("""
      const vp = document.getElementById('viewport').getBoundingClientRect();
      const r = document.querySelector('#stage .frame:not([hidden]) svg').getBoundingClientRect();
      return r.left >= vp.left - 1 && r.right <= vp.right + 1 && r.top >= vp.top - 1 && r.bottom <= vp.bottom + 1;""")
    assert inside
    # a changed address jumps there
    browser.execute_script("location.hash = '#step=3'")
    assert step() == 2 and _current_inside(browser)
    _no_errors(browser)


def test_tensor_step_shows_every_number_and_the_broadcast_sum(tmp_path, browser):
    from selenium.webdriver.common.by import By

    loss, _W, b = softmax_regression_step()
    rec = viz.record(loss, lang="en")
    k = next(i for i, s in enumerate(rec.backward) if s.node is b)  # b's step: the broadcast undone
    path = viz.stepper_html(loss, tmp_path / "smr.html", lang="en")
    _screen(browser)
    browser.get(path.as_uri() + f"#step={len(rec.forward) + k + 1}")
    text = browser.find_element(By.ID, "lines").text
    assert "undo broadcasting" in text and "(4, 3) → (3,)" in text and "G = ∂L/∂logits" in text
    assert "J" not in text.replace("Jacobian", "")
    cells = browser.find_elements(By.CSS_SELECTOR, "#lines tr:nth-child(4) .mat td")  # G: all 12 numbers
    assert len(cells) == 12
    _no_errors(browser)


def test_jupyter_inline_stepper_runs_in_its_sandboxed_iframe(tmp_path, browser):
    from selenium.webdriver.common.by import By

    o, _ = neuron()
    s = viz.stepper(o, lang="en")
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body><h1>cell output</h1>{s._repr_html_()}</body></html>", encoding="utf-8")
    _screen(browser)
    browser.get(host.as_uri())
    browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
    n_steps = len(s.record.forward) + len(s.record.backward)
    assert browser.find_element(By.ID, "counter").text == f"step 1 / {n_steps}"
    browser.find_element(By.ID, "next").click()
    browser.find_element(By.ID, "next").click()
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-step") == "2"
    assert browser.find_elements(By.CSS_SELECTOR, "#stage .frame svg")
    assert _current_inside(browser)
    browser.switch_to.default_content()
    severe = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert severe == []
