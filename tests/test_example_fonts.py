"""Figures of the example scripts on machines with unusual fonts: Droid Sans Fallback (Chinese glyphs
only, no Latin letters; Debian/Ubuntu install it with ghostscript or imagemagick) as the only CJK
font, and no CJK font at all. matplotlib is pointed at exact font files (its own DejaVu Sans, plus
the Droid file), so the result does not depend on what else the machine has installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DROID = next(
    (p for p in ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
                 "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf") if os.path.exists(p)),
    None,
)
NO_DROID = "Droid Sans Fallback is not installed (Debian/Ubuntu: apt-get install fonts-droid-fallback; .ci/run does)"

# Runs in a fresh interpreter: keep only matplotlib's own fonts (+ the given font file), warnings are
# errors (a missing glyph is a UserWarning), then either check the font set-up or run an example.
RUNNER = r'''
import os, runpy, sys, warnings
warnings.simplefilter("error")
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager as fm
extra, what, *rest = sys.argv[1:]
own = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if os.path.dirname(f.fname) == own]
if extra != "-":
    fm.fontManager.addfont(extra)
sys.path.insert(0, os.environ["EXAMPLES"])
if what == "setup":
    import io
    import _common
    cjk = _common.use_fonts()
    print("cjk:", cjk)
    import matplotlib.pyplot as plt
    fonts = fm.fontManager._find_fonts_by_props(fm.FontProperties(family=matplotlib.rcParams["font.family"]))
    print("fonts:", [os.path.basename(f) for f in fonts])
    fig, ax = plt.subplots()
    ax.plot([-1, 1], [-2, 2])
    ax.set_title("训练损失 loss = 0.25 (σ′, −x, ≤ 1)" if cjk else "training loss = 0.25 (σ′, −x, ≤ 1)")
    ax.set_xlabel("轮次 epoch" if cjk else "epoch")
    fig.savefig(io.BytesIO(), format="png")
    fig.savefig(io.BytesIO(), format="svg")
    print("saved")
else:
    sys.argv = [what, *rest]
    runpy.run_path(what, run_name="__main__")
'''


def _run(font: str | None, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "EXAMPLES": str(EXAMPLES), "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg"}
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run([sys.executable, "-c", RUNNER, font or "-", *args], cwd=cwd, env=env, text=True,
                          encoding="utf-8", capture_output=True, timeout=180)


@pytest.mark.skipif(DROID is None, reason=NO_DROID)
def test_droid_is_the_fallback_behind_a_latin_font(tmp_path):
    proc = _run(DROID, "setup", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "cjk: Droid Sans Fallback" in proc.stdout and "saved" in proc.stdout
    fonts = proc.stdout.split("fonts:")[1].splitlines()[0]
    assert fonts.index("DejaVuSans.ttf") < fonts.index("DroidSansFallback")  # Latin first, CJK behind it
    assert "Glyph" not in proc.stderr and "missing from font" not in proc.stderr


def test_no_cjk_font_at_all(tmp_path):
    proc = _run(None, "setup", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "cjk: None" in proc.stdout and "saved" in proc.stdout and "Glyph" not in proc.stderr


@pytest.mark.parametrize("font", ["droid", "none"])
@pytest.mark.parametrize("script", ["01_logistic_regression_moons.py", "07_vanishing_gradients.py"])
def test_an_example_in_chinese_saves_its_figure_without_glyph_warnings(tmp_path, font, script):
    if font == "droid" and DROID is None:
        pytest.skip(NO_DROID)
    proc = _run(DROID if font == "droid" else None, str(EXAMPLES / script), "--quick", "--out", str(tmp_path),
                cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Glyph" not in proc.stderr and "missing from font" not in proc.stderr
    figure = tmp_path / script.replace(".py", ".png")
    assert figure.is_file() and figure.stat().st_size > 10_000 and "图已保存" in proc.stdout
