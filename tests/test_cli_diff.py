"""The diff command and the data changelog script, end to end against the bundled releases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import sinotajik
from conftest import ROOT, Runner
from sinotajik import Dataset, LocationPrecision, Place


def _assert_clean_failure(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip()


@pytest.fixture(scope="module")
def base() -> Dataset:
    """The oldest bundled release (every other release must still diff against it)."""
    return sinotajik.load(sinotajik.versions()[0].version)


@pytest.fixture(scope="module")
def modified(base: Dataset) -> Dataset:
    """The base release with one event's first quote corrected and a place added."""
    ev = base.events[0]
    cites = (attrs.evolve(ev.citations[0], quote="a corrected quote"), *ev.citations[1:])
    place = Place(
        id="plc-new-place",
        name="New place",
        precision=LocationPrecision.COUNTRY,
        country="TJK",
        citations=(ev.citations[0],),
    )
    recs = [attrs.evolve(ev, citations=cites) if r.id == ev.id else r for r in base]
    return Dataset.from_records([*recs, place], version="next")


@pytest.fixture
def modified_file(modified: Dataset, tmp_path: Path) -> Path:
    f = tmp_path / "modified.json"
    sinotajik.save(modified, f)
    return f


def test_release_against_a_modified_copy_as_json(
    cli: Runner, base: Dataset, modified: Dataset, modified_file: Path
) -> None:
    """diff --format json gives the library's diff: the added place and exactly the edited quote."""
    proc = cli("diff", base.version, str(modified_file), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data == json.loads(json.dumps(sinotajik.diff(base, modified).to_json()))
    ev = base.events[0]
    assert (data["old_version"], data["new_version"]) == (base.version, "next")
    assert [(e["id"], e["kind"], e["title"]) for e in data["added"]] == [("plc-new-place", "place", "New place")]
    assert data["removed"] == []
    assert data["changed"] == [
        {
            "id": ev.id,
            "kind": "event",
            "title": ev.title,
            "changes": {"citations[0].quote": [ev.citations[0].quote, "a corrected quote"]},
        }
    ]


def test_release_against_a_modified_copy_as_text(cli: Runner, base: Dataset, modified_file: Path) -> None:
    """The text form starts with the counts and names each record and changed path."""
    proc = cli("diff", base.version, str(modified_file))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"{base.version} → next: 1 added, 0 removed, 1 changed"
    assert "  + place     plc-new-place  New place" in lines
    assert f"  ~ event     {base.events[0].id}  {base.events[0].title}" in lines
    assert any(
        line.startswith("      citations[0].quote: ") and line.endswith(' → "a corrected quote"') for line in lines
    )


def test_exit_code_flag(cli: Runner, base: Dataset, modified_file: Path) -> None:
    """Exit 0 whether or not the sides differ; with --exit-code, 1 when they differ and 0 when not."""
    assert cli("diff", base.version, str(modified_file)).returncode == 0
    differ = cli("diff", base.version, str(modified_file), "--exit-code")
    assert differ.returncode == 1 and differ.stdout and not differ.stderr
    same = cli("diff", base.version, base.version, "--exit-code")
    assert same.returncode == 0
    assert same.stdout.endswith("no differences in the records\n")


def test_two_files_in_either_format(cli: Runner, base: Dataset, modified: Dataset, tmp_path: Path) -> None:
    """Two files, JSON and JSON Lines, or a file without a suffix, compare like releases do."""
    old = tmp_path / "old.jsonl"
    sinotajik.save(base, old)
    plain = tmp_path / "NEWDATA"
    plain.write_bytes(sinotajik.dumps(modified))
    expected = json.loads(json.dumps(sinotajik.diff(base, modified).to_json()))
    for new in (str(plain), "NEWDATA"):
        proc = cli("diff", str(old), new, "--format", "json", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == expected
    back = json.loads(cli("diff", str(plain), str(old), "--format", "json").stdout)
    assert (back["added"], back["removed"]) == (expected["removed"], expected["added"])


def test_every_bundled_release_against_the_latest(cli: Runner) -> None:
    """Each bundled release diffs against the latest exactly as the library says (none against itself)."""
    latest = sinotajik.latest_version()
    for rel in sinotajik.versions():
        data = json.loads(cli("diff", rel.version, latest, "--format", "json").stdout)
        assert data == json.loads(json.dumps(sinotajik.diff(sinotajik.load(rel.version), sinotajik.load()).to_json()))
        if rel.version == latest:
            assert data["added"] == data["removed"] == data["changed"] == []


def test_bad_sides_exit_2_with_one_line(cli: Runner, base: Dataset, tmp_path: Path) -> None:
    """An unknown release, a missing file or an invalid file exits 2 with clear lines and no traceback."""
    proc = cli("diff", "1999.1.0", base.version)
    _assert_clean_failure(proc)
    assert proc.stderr.strip().splitlines() == [
        f"error: '1999.1.0' is neither a dataset file nor a bundled release (this package has: "
        f"{', '.join(r.version for r in sinotajik.versions())})"
    ]
    proc = cli("diff", base.version, str(tmp_path / "missing.json"))
    _assert_clean_failure(proc)
    assert "missing.json" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    bad = tmp_path / "bad.json"
    doc = json.loads(sinotajik.dumps(base))
    doc["events"][0]["date"] = "2021-02-30"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    proc = cli("diff", str(bad), base.version)
    _assert_clean_failure(proc)
    assert proc.stderr.strip().splitlines() == [f"error: {bad}: events[0].date: '2021-02-30' is not a valid day"]
    _assert_clean_failure(cli("diff", base.version))


def test_diff_help_has_an_example(cli: Runner) -> None:
    """diff --help explains both sides and the exit code, with an example."""
    proc = cli("diff", "--help")
    assert proc.returncode == 0
    assert "Example: sinotajik diff" in proc.stdout
    assert "--exit-code" in proc.stdout and "OLD" in proc.stdout


def _changelog(*args: str) -> subprocess.CompletedProcess[str]:
    script = ROOT / "scripts" / "data_changelog.py"
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=120)


def test_data_changelog_section(base: Dataset, modified_file: Path) -> None:
    """The changelog script prints a Markdown section with counts and each record's kind, id and title."""
    proc = _changelog(base.version, str(modified_file))
    assert proc.returncode == 0, proc.stderr
    ev = base.events[0]
    assert proc.stdout.splitlines()[:3] == [
        f"### Data: next (compared with {base.version})",
        "",
        f"1 record added (1 place), 0 removed and 1 changed (1 event) between {base.version} and next.",
    ]
    assert "#### Added\n\n- place `plc-new-place`: New place\n" in proc.stdout
    assert "Removed" not in proc.stdout
    assert f"#### Changed\n\n- event `{ev.id}`: " in proc.stdout
    assert proc.stdout.endswith(" (`citations`)\n")


def test_data_changelog_without_heading_and_unchanged(base: Dataset) -> None:
    """With --heading-level 0 there is no heading; identical versions say that nothing changed."""
    proc = _changelog(base.version, base.version, "--heading-level", "0")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"No record changed between {base.version} and {base.version}.\n"


def test_data_changelog_bad_input(tmp_path: Path) -> None:
    """The changelog script reports a bad side in one line and exits 2."""
    proc = _changelog("1999.1.0", str(tmp_path / "missing.json"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: '1999.1.0' is neither a dataset file nor a bundled release")
