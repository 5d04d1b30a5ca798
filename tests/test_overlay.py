"""Your own records on a pinned release: load(path, base=), Dataset.merge, --base, --release, pinning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import sinotajik
from sinotajik import DataError, Dataset, Event, ReleaseError, Source
from sinotajik._io import version_key

BASE = "2026.11.2"

MY_SOURCE: dict[str, Any] = {
    "id": "src-my-notes",
    "publisher": "Me",
    "title": "My field notes",
    "kind": "analysis",
    "reliability": "medium",
    "reliability_note": "my own notes",
    "language": "en",
    "published": "2025-03",
}
MY_EVENT: dict[str, Any] = {
    "id": "evt-2025-03-02-my-meeting",
    "kind": "meeting",
    "title": "A meeting I attended",
    "summary": "Police officials met in Dushanbe.",
    "date": "2025-03-02",
    "participants": [{"actor": "act-chn-mps", "role": "participant"}],
    "places": ["plc-dushanbe"],
    "citations": [{"source": "src-my-notes", "locator": "p. 3"}],
}


def _write(tmp_path: Path, name: str = "mine.json", **collections: Any) -> Path:
    doc: dict[str, Any] = {"schema": 1, "sources": [MY_SOURCE], "events": [MY_EVENT]}
    doc.update(collections)
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_overlay_references_the_base(tmp_path: Path) -> None:
    """A file citing bundled actors and places loads on its base, with its own version and checksum."""
    base = sinotajik.load(BASE)
    ds = sinotajik.load(path=_write(tmp_path), base=base)
    assert ds.version == f"{BASE}+mine"
    assert len(ds) == len(base) + 2
    assert ds.sha256 != base.sha256
    assert ds.get(MY_EVENT["id"], kind=Event).participants[0].actor == "act-chn-mps"
    assert sinotajik.parse(sinotajik.dumps(ds)) == ds  # the merged dataset stands on its own


def test_overlay_without_base_names_the_missing_records(tmp_path: Path) -> None:
    """The same file alone is not a dataset: the references into the release do not exist."""
    with pytest.raises(DataError, match="'act-chn-mps' does not exist"):
        sinotajik.load(path=_write(tmp_path, version="mine"))


def test_diff_between_base_and_merged_is_exactly_my_records(tmp_path: Path) -> None:
    """diff(base, merged) adds exactly the file's records and changes nothing else."""
    base = sinotajik.load(BASE)
    d = sinotajik.diff(base, sinotajik.load(path=_write(tmp_path), base=BASE))
    assert sorted(r.id for r in d.added) == sorted([MY_SOURCE["id"], MY_EVENT["id"]])
    assert d.removed == () and d.changed == ()


def test_repin_is_one_argument(tmp_path: Path) -> None:
    """The same file loads on another release by changing base (a version string or a Release)."""
    path = _write(tmp_path)
    old = sinotajik.load(path=path, base=sinotajik.versions()[1])
    new = sinotajik.load(path=path, base=BASE)
    assert old.version.startswith("2026.11.1+") and new.version.startswith("2026.11.2+")
    assert MY_EVENT["id"] in old and MY_EVENT["id"] in new


def test_overlay_errors_name_the_file_and_position(tmp_path: Path) -> None:
    """Problems are reported against the user's file, with the record's index in it."""
    bad = {**MY_EVENT, "id": "evt-2025-03-03-bad", "places": ["plc-nowhere"], "date": "2025-02-30"}
    path = _write(tmp_path, events=[MY_EVENT, bad])
    with pytest.raises(DataError) as info:
        sinotajik.load(path=path, base=BASE)
    lines = info.value.lines()
    assert f"{path}: events[1].date: '2025-02-30' is not a valid day" in lines[0]
    assert f"{path}: events[1].places[0]: 'plc-nowhere' does not exist" in lines
    assert len(lines) == 2  # the references into the base (act-chn-mps, plc-dushanbe) are fine


def test_overlay_error_in_jsonl_names_the_line(tmp_path: Path) -> None:
    """In JSON Lines the problem names the line of the record."""
    path = tmp_path / "mine.jsonl"
    rows = [{"schema": 1}, {"record": "source", **MY_SOURCE}, {"record": "event", **MY_EVENT, "places": ["plc-x"]}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 3 \(events\[0\]\.places\[0\]\): 'plc-x' does not exist"):
        sinotajik.load(path=path, base=BASE)


def test_id_conflict_is_an_error_by_default(tmp_path: Path) -> None:
    """A record whose id is already in the base is an error naming both, unless replace is asked for."""
    base = sinotajik.load(BASE)
    theirs = sinotajik.to_dict(base.sources[0])
    mine = {**theirs, "title": "My better title"}
    path = _write(tmp_path, sources=[MY_SOURCE, mine])
    with pytest.raises(DataError, match=rf"sources\[1\]\.id: '{theirs['id']}' is already in {BASE}"):
        sinotajik.load(path=path, base=base)
    ds = sinotajik.load(path=path, base=base, on_conflict="replace")
    assert ds.get(theirs["id"], kind=Source).title == "My better title"
    assert len(ds) == len(base) + 2
    d = sinotajik.diff(base, ds)
    assert [c.id for c in d.changed] == [theirs["id"]]


def test_merge_datasets_and_records() -> None:
    """Dataset.merge adds records, versions the result, and applies the conflict policy."""
    base = sinotajik.load(BASE)
    src = sinotajik.from_dict(MY_SOURCE, Source)
    ev = sinotajik.from_dict(MY_EVENT, Event)
    merged = base.merge([src, ev])
    assert merged.version == f"{BASE}+local"
    assert merged.get(ev.id) == ev
    assert base.merge([src, ev], version="x").version == "x"
    with pytest.raises(DataError, match="is already in"):
        merged.merge([src])
    assert merged.merge([src], on_conflict="replace") == attrs_evolve_version(merged, f"{merged.version}+local")
    with pytest.raises(ValueError, match="on_conflict"):
        base.merge([src], on_conflict="maybe")  # type: ignore[arg-type]


def attrs_evolve_version(ds: Dataset, version: str) -> Dataset:
    """The same dataset under another version."""
    import attrs

    return attrs.evolve(ds, version=version)


def test_merge_reports_problems_with_the_overlay_paths() -> None:
    """A record of the overlay citing a missing source is reported at its place in the overlay."""
    base = sinotajik.load(BASE)
    ev = sinotajik.from_dict(MY_EVENT, Event)
    with pytest.raises(DataError, match=r"events\[0\]\.citations\[0\]\.source: 'src-my-notes' does not exist"):
        base.merge([ev])


# --------------------------------------------------------------------------- pinning


def test_load_every_release_from_versions() -> None:
    """for v in versions(): load(v) works, and str(release) is its version."""
    for rel in sinotajik.versions():
        assert sinotajik.load(rel).version == str(rel) == rel.version
        assert sinotajik.load(str(rel)) is sinotajik.load(rel)


def test_latest_is_a_version() -> None:
    """load('latest') is the latest release."""
    assert sinotajik.load("latest") is sinotajik.load() is sinotajik.load(sinotajik.latest_version())


def test_a_path_given_as_version_gets_a_hint() -> None:
    """A file name passed where a version goes suggests path=, in one short line."""
    with pytest.raises(ReleaseError, match=r"use load\(path='mine.json'\)") as info:
        sinotajik.load("mine.json")
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


def test_a_wrong_type_is_a_short_type_error() -> None:
    """Passing a non-version object is a TypeError naming its type, not its repr."""
    with pytest.raises(TypeError, match="not Dataset"):
        sinotajik.load(sinotajik.load())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("older", "newer"),
    [("2026.11.2", "2026.11.10"), ("2026.9.0", "2026.11.0"), ("2026.11.0", "2027.1.0"), ("2026.11", "2026.11.0")],
)
def test_versions_sort_as_versions(older: str, newer: str) -> None:
    """Version parts compare as numbers, not text."""
    assert version_key(older) < version_key(newer)
    a = sinotajik.versions()[0]
    import attrs

    assert attrs.evolve(a, version=older) < attrs.evolve(a, version=newer)
    assert sorted([attrs.evolve(a, version=newer), attrs.evolve(a, version=older)])[0].version == older


def test_versions_are_listed_in_version_order() -> None:
    """versions() is sorted oldest first by version."""
    listed = [r.version for r in sinotajik.versions()]
    assert listed == sorted(listed, key=version_key)


# --------------------------------------------------------------------------- command line


def test_cli_validate_with_base(cli: Any, tmp_path: Path) -> None:
    """validate --base VERSION FILE accepts a file of one's own records citing the release."""
    path = _write(tmp_path)
    proc = cli("validate", "--base", BASE, str(path))
    assert proc.returncode == 0, proc.stderr
    assert f"valid on {BASE}" in proc.stdout and f"{BASE}+mine" in proc.stdout
    alone = cli("validate", str(path))
    assert alone.returncode == 2
    assert f"{path}: events[0].places[0]: 'plc-dushanbe' does not exist" in alone.stderr


def test_cli_data_with_base(cli: Any, tmp_path: Path) -> None:
    """--data FILE --base VERSION works wherever --data does (info, list, diff)."""
    path = _write(tmp_path)
    info = json.loads(cli("info", "--data", str(path), "--base", BASE, "--format", "json").stdout)
    assert info["version"] == f"{BASE}+mine"
    rows = cli("list", "events", "--data", str(path), "--base", BASE, "--format", "json").stdout
    assert MY_EVENT["id"] in rows
    d = json.loads(cli("diff", BASE, str(path), "--base", BASE, "--format", "json").stdout)
    assert sorted(r["id"] for r in d["added"]) == sorted([MY_SOURCE["id"], MY_EVENT["id"]])
    alone = cli("info", "--base", BASE)
    assert alone.returncode == 2 and "--data" in alone.stderr


def test_cli_release_option_and_deprecated_spelling(cli: Any) -> None:
    """--release picks a release; the old --version VERSION still works with a warning."""
    first = sinotajik.versions()[0].version
    new = json.loads(cli("info", "--release", first, "--format", "json").stdout)
    proc = cli("info", "--version", first, "--format", "json")
    assert json.loads(proc.stdout) == new
    assert new["version"] == first
    assert "deprecated" in proc.stderr and "--release" in proc.stderr
    assert cli("--version").stdout.startswith("sinotajik ")


def test_cli_release_given_a_file_points_to_data(cli: Any) -> None:
    """--release with a file name says to use --data, in one line."""
    proc = cli("info", "--release", "mine.json")
    assert proc.returncode == 2
    assert "--data FILE" in proc.stderr and len(proc.stderr.splitlines()) == 1
