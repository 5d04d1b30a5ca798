"""The command line, end to end through the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import sinotajik
from conftest import Runner


def _assert_clean_failure(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip(), "an error must say what is wrong"


def test_version_flag(cli: Runner) -> None:
    """--version prints the code's version."""
    proc = cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"sinotajik {sinotajik.__version__}"


def test_python_dash_m(cli: Runner) -> None:
    """python -m sinotajik is the same command."""
    proc = subprocess.run(
        [sys.executable, "-m", "sinotajik", "info", "--format", "json"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["version"] == sinotajik.latest_version()


def test_info_shows_version_counts_checksum(cli: Runner) -> None:
    """info reports the dataset version, record counts and checksum of the latest release."""
    ds = sinotajik.load()
    proc = cli("info")
    assert proc.returncode == 0
    assert f"dataset version  {ds.version}" in proc.stdout
    assert f"sha256           {ds.sha256}" in proc.stdout
    assert f"events         {len(ds.events)}" in proc.stdout
    data = json.loads(cli("info", "--format", "json").stdout)
    assert data == {"version": ds.version, "sha256": ds.sha256, "records": ds.counts(), "total": len(ds)}


def test_info_pinned_version(cli: Runner) -> None:
    """info --release V describes exactly that release."""
    first = sinotajik.versions()[0]
    data = json.loads(cli("info", "--release", first.version, "--format", "json").stdout)
    assert (data["version"], data["sha256"]) == (first.version, first.sha256)


def test_timeline_is_in_date_order(cli: Runner) -> None:
    """timeline --format json lists every dated entry in honest-date order."""
    proc = cli("timeline", "--format", "json")
    assert proc.returncode == 0
    rows = json.loads(proc.stdout)
    expected = sinotajik.timeline(sinotajik.load())
    assert [r["record"] for r in rows] == [e.record for e in expected]
    dates = [sinotajik.parse_when(r["date"]) for r in rows]
    assert dates == sorted(dates)
    text = cli("timeline").stdout
    assert all(r["record"] in text for r in rows)


def test_validate_good_file(cli: Runner, tmp_path: Path) -> None:
    """validate accepts a valid file and says how many records it holds."""
    f = tmp_path / "ok.json"
    sinotajik.save(sinotajik.load(), f)
    proc = cli("validate", str(f))
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"{f}: valid ({len(sinotajik.load())} records")


def test_validate_bad_file_lists_every_problem(cli: Runner, tmp_path: Path) -> None:
    """validate exits 2 with one line per problem, each naming the file and path, no traceback."""
    doc = json.loads(sinotajik.dumps(sinotajik.load()))
    doc["events"][0]["date"] = "2021-02-30"
    doc["events"][0]["title"] = 5
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(doc))
    proc = cli("validate", str(f))
    _assert_clean_failure(proc)
    lines = proc.stderr.strip().splitlines()
    assert f"error: {f}: events[0].date: '2021-02-30' is not a valid day" in lines
    assert f"error: {f}: events[0].title: expected a string, got the number 5" in lines
    assert len(lines) == 2


def test_validate_missing_file(cli: Runner, tmp_path: Path) -> None:
    """A file that does not exist is one clear line and exit 2."""
    proc = cli("validate", str(tmp_path / "nope.json"))
    _assert_clean_failure(proc)
    assert "nope.json" in proc.stderr and "No such file" in proc.stderr


def test_unknown_version_and_bad_usage(cli: Runner) -> None:
    """An unknown release or an unknown command exits 2 with one line."""
    proc = cli("info", "--release", "1999.1.0")
    _assert_clean_failure(proc)
    assert "no bundled release '1999.1.0'" in proc.stderr
    proc = cli("frobnicate")
    _assert_clean_failure(proc)
    assert len(proc.stderr.strip().splitlines()) == 1


def test_versions_lists_releases(cli: Runner) -> None:
    """versions lists every bundled release with its checksum, marking the latest."""
    data = json.loads(cli("versions", "--format", "json").stdout)
    assert [d["version"] for d in data] == [r.version for r in sinotajik.versions()]
    assert [d["latest"] for d in data].count(True) == 1


def test_every_command_has_help_with_an_example(cli: Runner) -> None:
    """--help works for each command and shows an example."""
    for cmd in ("info", "validate", "timeline", "versions"):
        proc = cli(cmd, "--help")
        assert proc.returncode == 0
        assert "Example: sinotajik" in proc.stdout
