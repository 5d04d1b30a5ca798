"""Every script in examples/ runs and prints what it promises, so the examples never rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sinotajik

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


def _run(path: Path, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path: Path) -> None:
    """The example exits 0 and prints something."""
    assert _run(path).strip()


def test_timeline_report_names_the_release() -> None:
    """The report starts with the version and checksum of the release it read."""
    ds = sinotajik.load()
    out = _run(EXAMPLES[0].parent / "timeline_report.py")
    assert out.startswith(f"sinotajik dataset {ds.version} (sha256 {ds.sha256[:12]}")


def test_load_your_own_file_shows_both_problems() -> None:
    """The own-records example reports the impossible date and the missing source, then loads on its base."""
    out = _run(EXAMPLES[0].parent / "load_your_own_file.py")
    assert "'2021-02-30' is not a valid day" in out
    assert "'src-missing' does not exist" in out
    assert "my event: My event, with " in out
    assert "loaded 2026.11.2+mine:" in out
    assert "my records: src-my-notes, evt-2099-01-01-my-event" in out


def test_pin_a_version_loads_the_first_release_by_its_checksum() -> None:
    """The pinning example loads the first bundled release and prints its pinned checksum."""
    first = sinotajik.versions()[0]
    out = _run(EXAMPLES[0].parent / "pin_a_version.py")
    assert f"loaded release {first.version}: {first.records} records, sha256 {first.sha256}" in out


def test_geojson_map_writes_a_valid_layer(tmp_path: Path) -> None:
    """The map example writes a FeatureCollection whose points are real WGS 84 points of towns or sites."""
    import json

    target = tmp_path / "exercises.geojson"
    out = _run(EXAMPLES[0].parent / "geojson_map.py", str(target))
    geo = json.loads(target.read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection"
    features = geo["features"]
    points = [f for f in features if f["geometry"] is not None]
    assert out.startswith(f"exercises.geojson: {len(features)} features for ")
    assert f"{len(points)} with a point" in out.splitlines()[0]
    assert points, "the pinned release has sourced coordinates for some exercise towns"
    for f in points:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        assert f["properties"]["place_precision"] in ("site", "town")
    for f in features:
        if f["geometry"] is None:
            assert f["properties"]["no_point_reason"]
    # The Dushanbe drill of August 2021 is on the map, at Dushanbe.
    drill = [f for f in points if f["properties"]["record"] == "evt-2021-08-18-dushanbe-joint-ct-drill"]
    assert [f["properties"]["place"] for f in drill] == ["plc-dushanbe"]


def test_filter_by_actor_and_as_of_grows_with_knowledge_time() -> None:
    """The actor example finds the MPS records, and fewer of them are known at earlier dates."""
    out = _run(EXAMPLES[0].parent / "filter_by_actor_and_as_of.py")
    assert out.startswith("Ministry of Public Security of the People's Republic of China (act-chn-mps)")
    assert "evt-2021-08-18-dushanbe-joint-ct-drill" in out
    known = [int(line.split(": ")[1].split(" of ")[0]) for line in out.splitlines() if line.startswith("  as of ")]
    total = int(out.splitlines()[0].rsplit(": ", 1)[1].split()[0])
    assert len(known) == 5
    assert known == sorted(known) and known[0] < known[-1] <= total
    assert "denies existence" in out


def test_diff_versions_reports_the_counts_and_rebuilds_the_new_release() -> None:
    """The diff example's summary equals the library's diff of the first and latest releases."""
    releases = sinotajik.versions()
    d = sinotajik.diff(sinotajik.load(releases[0].version), sinotajik.load(releases[-1].version))
    n = d.counts()
    out = _run(EXAMPLES[0].parent / "diff_versions.py")
    counts = f"{n['added']} added, {n['removed']} removed, {n['changed']} changed"
    assert out.splitlines()[0] == f"{releases[0].version} → {releases[-1].version}: {counts}"
    assert f"gives {releases[-1].version} exactly" in out
