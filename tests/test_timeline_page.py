"""The timeline page's layout in headless Chromium: wide window, busiest years on screen, sticky
lane labels, collapsed lanes, CJK and Cyrillic glyphs; checked in the DOM and in screenshots."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

import sinotajik
from sinotajik._render.svg import FONT_STACK
from test_html_browser import _chromium, _Dom, _open

RELEASE = "2026.11.2"
WIDTH, HEIGHT = 1600, 1000


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "timeline.html"
    path.write_text(sinotajik.to_html(sinotajik.load(RELEASE)), encoding="utf-8")
    return path


def _browser(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{HEIGHT}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _dom(page: Path, profile: Path, query: str = "") -> _Dom:
    proc = _browser("--dump-dom", page.as_uri() + query, profile=profile)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [line for line in proc.stderr.splitlines() if ":CONSOLE" in line] == []
    return _Dom(proc.stdout)


def _shot(page: Path, profile: Path, query: str = "") -> np.ndarray:
    """A screenshot of the window as an RGB array (0..1), after the page's script ran; nothing logged."""
    target = profile.parent / f"shot{abs(hash(query))}.png"
    proc = _browser(f"--screenshot={target}", page.as_uri() + query, profile=profile)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [line for line in proc.stderr.splitlines() if ":CONSOLE" in line] == []
    img: np.ndarray = matplotlib.image.imread(str(target))[:, :, :3]
    return img


def _overview_rows(img: np.ndarray) -> np.ndarray:
    """The rows where the overview's striped lane background (#f4f5f7) reaches the right part of the window."""
    lane = np.array([0xF4, 0xF5, 0xF7]) / 255
    right = img[:, WIDTH - 120, :]
    return np.where(np.abs(right - lane).max(axis=1) < 0.01)[0]


def test_filter_names_are_proper_plurals() -> None:
    """The kind filter says Facilities, not Facilitys."""
    html = sinotajik.to_html(sinotajik.load(RELEASE))
    assert ">Facilities (11)<" in html and "Facilitys" not in html
    assert ">Events (" in html and ">Agreements (" in html


def test_overview_opens_on_the_busiest_years(page: Path, tmp_path: Path) -> None:
    """Without a year in the address, the overview scrolls past 2001 so that 2016 to 2021 are on screen."""

    def opened(query: str) -> list[str]:
        raw = _browser("--dump-dom", page.as_uri() + query, profile=tmp_path / "p").stdout
        return re.findall(r'class="scroll" data-opened-at="(\d+)"', raw)

    [first] = opened("")
    assert 2006 < int(first) <= 2016
    assert opened("?year=2011") == ["2011"], "a year in the address wins"


def test_lane_labels_stay_and_empty_lanes_collapse(page: Path, tmp_path: Path) -> None:
    """Filtered by kind, only that kind's lane and label are shown; the drawing shrinks to fit."""
    dom = _dom(page, tmp_path / "p", "?kind=facility&year=2021")
    html = page.read_text("utf-8")
    full = float(html.split('<svg id="ov-kind"', 1)[1].split('height="', 1)[1].split('"', 1)[0])
    raw = _browser("--dump-dom", page.as_uri() + "?kind=facility", profile=tmp_path / "p").stdout
    svg = raw.split('<svg id="ov-kind"', 1)[1].split(">", 1)[0]
    assert float(svg.split('height="', 1)[1].split('"', 1)[0]) < full / 2
    stickies = raw.split('id="view-kind"', 1)[1].split('class="scroll"', 1)[0]
    shown = [s for s in stickies.split('class="sticky"')[1:] if "hidden" not in s.split(">", 1)[0]]
    assert len(shown) == 1 and "Facility milestones (11)" in shown[0]
    assert "top: 22px" in shown[0], "the one lane left moves up under the axis"
    assert "js-lanes" in (dom.attrs["view-kind"].get("class") or "")


def test_screenshot_uses_the_window_and_keeps_labels_when_scrolled(page: Path, tmp_path: Path) -> None:
    """At 1600 px the overview spans the window; scrolled to 2021 the first lane's label is still drawn at the left."""
    img = _shot(page, tmp_path / "p", "?year=2021")
    assert img.shape[:2] == (HEIGHT, WIDTH)
    rows = _overview_rows(img)
    assert rows.size > 20, "the overview's lanes reach the right of a wide window"
    top = int(rows.min())
    label = img[top : top + 14, 30:110, :]
    assert label.min() < 0.6, "dark label text sits over the left of the first lane"
    plain = img[top : top + 14, WIDTH - 300 : WIDTH - 220, :]
    assert plain.min() > 0.8, "the same row further right is plain lane background"


def test_cjk_and_cyrillic_glyphs_render_with_the_font_stack(tmp_path: Path) -> None:
    """With the page's font stack, Chinese and Cyrillic letters draw as distinct glyphs, unlike unassigned code points (boxes)."""
    probe = tmp_path / "glyphs.html"
    probe.write_text(
        """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="out">pending</pre><script>
var STACK = @STACK@;
function px(ch) {
  var c = document.createElement('canvas'); c.width = 64; c.height = 64;
  var g = c.getContext('2d'); g.font = '48px ' + STACK; g.fillText(ch, 4, 52);
  return Array.prototype.join.call(g.getImageData(0, 0, 64, 64).data, ',');
}
var out = {};
[['cjk', '\\u4e2d', '\\u56fd'], ['han', '\\u5f20', '\\u519b'], ['cyrillic', '\\u0416', '\\u0429'],
 ['unassigned', '\\u0378', '\\u0379']].forEach(function (p) { out[p[0]] = px(p[1]) !== px(p[2]); });
document.getElementById('out').textContent = JSON.stringify(out);
</script></body></html>""".replace("@STACK@", json.dumps(FONT_STACK)),
        encoding="utf-8",
    )
    proc = _browser("--dump-dom", probe.as_uri(), profile=tmp_path / "p")
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = json.loads(_Dom(proc.stdout).text["out"])
    assert found == {"cjk": True, "han": True, "cyrillic": True, "unassigned": False}


def test_page_with_chinese_names_runs_cleanly(tmp_path: Path) -> None:
    """A page whose entries hold Chinese and Russian text runs its script without console errors."""
    ds = sinotajik.load(RELEASE)
    page = tmp_path / "zh.html"
    page.write_text(sinotajik.to_html(ds, title="中国–塔吉克斯坦 · Китай–Таджикистан"), encoding="utf-8")
    dom, _raw, console = _open(page, tmp_path / "p")
    assert console == []
    assert "Showing" in dom.text["count"]


def test_svg_marks_say_what_they_are() -> None:
    """Every mark of the standalone SVG carries a label naming its date, record kind and headline."""
    ds = sinotajik.load(RELEASE)
    svg = sinotajik.to_svg(ds)
    labels = re.findall(r'<g data-mark="\d+" role="img" aria-label="([^"]*)"', svg)
    assert len(labels) == len(sinotajik.timeline(ds))
    assert "18–19 Aug 2021 — event (drill): Anti-Terrorist Coordination-2021" in " | ".join(labels)
    assert all(" — " in label and "(" in label for label in labels)
