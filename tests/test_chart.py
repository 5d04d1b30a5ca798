"""Charts of entries per year: a PNG and an SVG are drawn, certain and possible apart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

import sinotajik
from conftest import Runner

RELEASE = "2026.11.2"


def test_png_is_drawn_with_bars(tmp_path: Path) -> None:
    """plot_years writes a PNG of a sensible size whose pixels include the event colour, solid and pale."""
    path = tmp_path / "years.png"
    sinotajik.plot_years(sinotajik.load(RELEASE), path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    img = matplotlib.image.imread(str(path))[:, :, :3]
    h, w = img.shape[:2]
    assert w > 600 and 300 < h < 600
    blue = np.array([0x4E, 0x79, 0xA7]) / 255
    solid = (np.abs(img - blue).max(axis=2) < 0.02).sum()
    assert solid > 500, "solid event bars are drawn"
    pale = blue * 0.3 + 0.7  # 30 % of the colour over white: the possible counts
    assert (np.abs(img - pale).max(axis=2) < 0.06).sum() > 50, "pale, possible counts are drawn too"


def test_svg_has_a_legend_for_possible_counts(tmp_path: Path) -> None:
    """The SVG parses and names the possible counts in its legend."""
    path = tmp_path / "years.svg"
    sinotajik.plot_years(sinotajik.load(RELEASE), path, by="kind", title="Per kind")
    ET.parse(path)
    text = path.read_text("utf-8")
    assert "possibly in that year" in text and "Per kind" in text


def test_bad_suffix_is_refused(tmp_path: Path) -> None:
    """Only .png and .svg are written; nothing is created otherwise."""
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        sinotajik.plot_years([], tmp_path / "x.gif")
    assert list(tmp_path.iterdir()) == []


def test_cli_chart(cli: Runner, tmp_path: Path) -> None:
    """sinotajik chart writes the picture; a bad suffix fails in one line with exit 2."""
    out = tmp_path / "c.png"
    proc = cli("chart", "--release", RELEASE, "--kind", "exercise", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"
    bad = cli("chart", "--output", str(tmp_path / "c.pdf"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
