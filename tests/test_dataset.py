"""The Dataset, integrity checks, loading files and bundled releases, and version pinning."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import attrs
import pytest

import sinotajik
from sinotajik import DataError, Dataset, ReleaseError, parse
from sinotajik import _io as io_module

SOURCE = {
    "id": "src-a",
    "publisher": "P",
    "title": "T",
    "kind": "wire",
    "reliability": "high",
    "reliability_note": "n",
    "language": "en",
}
CITE = [{"source": "src-a", "quote": "q"}]


def _doc(**collections: Any) -> str:
    base: dict[str, Any] = {"schema": 1, "version": "test", "sources": [SOURCE]}
    base.update(collections)
    return json.dumps(base)


def _problems(text: str) -> list[str]:
    with pytest.raises(DataError) as info:
        parse(text)
    return [str(p) for p in info.value.problems]


def test_load_returns_the_latest_release_once() -> None:
    """load() gives the latest bundled release, the same object on every call."""
    ds = sinotajik.load()
    assert ds is sinotajik.load()
    assert ds.version == sinotajik.latest_version() == sinotajik.versions()[-1].version
    assert len(ds) > 0


def test_every_bundled_release_loads_and_matches_its_manifest() -> None:
    """Each release loads by version with the checksum and record count of its manifest entry."""
    for rel in sinotajik.versions():
        ds = sinotajik.load(rel.version)
        assert ds.version == rel.version
        assert ds.sha256 == rel.sha256
        assert len(ds) == rel.records
        # The checksum is of the canonical bytes: re-serialising gives the same digest.
        import hashlib

        assert hashlib.sha256(sinotajik.dumps(ds)).hexdigest() == rel.sha256


def test_unknown_version_is_a_release_error() -> None:
    """Asking for a release that is not bundled names the versions that are."""
    with pytest.raises(ReleaseError, match=r"no bundled release '1999.1.0'; this package has: 2026\.11\.0"):
        sinotajik.load("1999.1.0")


def test_tampered_release_fails_its_checksum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A release file with one changed byte gives a clear checksum error, not data."""
    real = io_module._releases_dir()
    rel = sinotajik.versions()[0]
    (tmp_path / "manifest.json").write_bytes((real / "manifest.json").read_bytes())
    data = bytearray((real / rel.file).read_bytes())
    i = data.index(b'"summary"')
    data[i + 1] = ord("S")
    (tmp_path / rel.file).write_bytes(bytes(data))
    monkeypatch.setattr(io_module, "_releases_dir", lambda: tmp_path)
    monkeypatch.setattr(io_module, "_loaded", {})
    with pytest.raises(ReleaseError, match=f"release {rel.version} does not match its checksum"):
        sinotajik.load(rel.version)


def test_concurrent_first_loads_return_one_object(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many threads calling load() at once all get the same, fully built Dataset."""
    monkeypatch.setattr(io_module, "_loaded", {})
    results: list[Dataset] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        results.append(sinotajik.load())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert all(r is results[0] for r in results)


def test_dataset_is_immutable() -> None:
    """Records and datasets cannot be changed in place."""
    ds = sinotajik.load()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ds.version = "x"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ds.events[0].title = "x"  # type: ignore[misc]
    assert isinstance(ds.events, tuple)


def test_get_and_contains() -> None:
    """get(id) returns the record; unknown ids raise KeyError or give the default."""
    ds = sinotajik.load()
    ev = ds.events[0]
    assert ds.get(ev.id) is ev and ev.id in ds
    with pytest.raises(KeyError, match="no record with id 'evt-nope'"):
        ds.get("evt-nope")
    assert ds.get("evt-nope", None) is None
    assert "evt-nope" not in ds


def test_collections_sorted_by_id_and_counts_add_up() -> None:
    """Each collection is sorted by id and counts() sums to len()."""
    ds = sinotajik.load()
    for kind, n in ds.counts().items():
        col = getattr(ds, kind)
        assert [r.id for r in col] == sorted(r.id for r in col)
        assert len(col) == n
    assert sum(ds.counts().values()) == len(ds) == len(list(ds))


def test_load_path_json_and_jsonl(tmp_path: Path) -> None:
    """A user's JSON or JSON Lines file loads with the same checks and gives equal datasets."""
    ds = sinotajik.load()
    sinotajik.save(ds, tmp_path / "copy.json")
    sinotajik.save(ds, tmp_path / "copy.jsonl")
    assert sinotajik.load(path=tmp_path / "copy.json") == ds
    assert sinotajik.load(path=tmp_path / "copy.jsonl") == ds
    assert (tmp_path / "copy.json").read_bytes() == sinotajik.dumps(ds)


def test_load_path_error_names_the_file(tmp_path: Path) -> None:
    """A bad file's DataError carries the file name on every line."""
    bad = tmp_path / "bad.json"
    bad.write_text(_doc(events=[{"id": "evt-x"}]))
    with pytest.raises(DataError) as info:
        sinotajik.load(path=bad)
    assert all(line.startswith(f"{bad}: events[0].") for line in info.value.lines())


def test_save_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupted save leaves the earlier file intact and no temporary file behind."""
    target = tmp_path / "data.json"
    target.write_text("old")

    def boom(*_: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(io_module.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        sinotajik.save(sinotajik.load(), target)
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_version_and_path_are_exclusive() -> None:
    """load() refuses both a version and a path."""
    with pytest.raises(TypeError):
        sinotajik.load("2026.11.0", path="x.json")


# --------------------------------------------------------------------------- integrity


def test_duplicate_ids_are_an_error() -> None:
    """Two records with one id are reported at the second, naming the first."""
    actor = {"id": "act-a", "kind": "state", "name": "A", "citations": CITE}
    assert "actors[1].id: duplicate id 'act-a' (also at actors[0])" in _problems(_doc(actors=[actor, actor]))


def test_dangling_references_are_named() -> None:
    """Every reference to a missing or wrong-kind record is a problem at its path."""
    ev = {
        "id": "evt-a",
        "kind": "drill",
        "title": "t",
        "summary": "s",
        "date": "2021",
        "places": ["plc-nowhere"],
        "participants": [{"actor": "src-a", "role": "host"}],
        "citations": [{"source": "src-missing", "quote": "q"}],
    }
    problems = _problems(_doc(events=[ev]))
    assert "events[0].places[0]: 'plc-nowhere' does not exist" in problems
    assert "events[0].participants[0].actor: 'src-a' is a source, expected actors" in problems
    assert "events[0].citations[0].source: 'src-missing' does not exist" in problems


def test_records_need_citations() -> None:
    """A record without a citation is refused; a citation needs a quote or a locator."""
    actor = {"id": "act-a", "kind": "state", "name": "A", "citations": []}
    actor2 = {"id": "act-b", "kind": "state", "name": "B", "citations": [{"source": "src-a"}]}
    problems = _problems(_doc(actors=[actor, actor2]))
    assert "actors[0].citations: needs at least one citation" in problems
    assert "actors[1].citations[0]: needs a quote or a locator" in problems


def test_parent_cycles_are_detected() -> None:
    """An agency whose parent chain loops is reported once, with the loop."""
    a = {"id": "act-a", "kind": "agency", "name": "A", "parent": "act-b", "citations": CITE}
    b = {"id": "act-b", "kind": "agency", "name": "B", "parent": "act-a", "citations": CITE}
    problems = [p for p in _problems(_doc(actors=[a, b])) if "cycle" in p]
    assert problems == ["actors[0].parent: forms a cycle: act-a -> act-b -> act-a"]


def test_id_format_and_prefix() -> None:
    """Ids are lower-case words joined by '-', with the prefix of their kind."""
    a = {"id": "Act_A", "kind": "state", "name": "A", "citations": CITE}
    b = {"id": "evt-b", "kind": "state", "name": "B", "citations": CITE}
    problems = _problems(_doc(actors=[a, b]))
    assert any(p.startswith("actors[0].id: 'Act_A' is not a valid id") for p in problems)
    assert "actors[1].id: 'evt-b' should start with 'act-'" in problems


def test_no_fake_points_for_regions_and_countries() -> None:
    """Coordinates are refused for region- or country-level places."""
    place = {
        "id": "plc-gbao",
        "name": "GBAO",
        "precision": "region",
        "country": "TJK",
        "coordinates": {"lat": 38.0, "lon": 73.0},
        "citations": CITE,
    }
    problems = _problems(_doc(places=[place]))
    assert problems == [
        "places[0].coordinates: a region-level place has no point; give coordinates only for a site or town"
    ]


def test_country_codes_are_alpha3() -> None:
    """Country codes must be ISO 3166-1 alpha-3."""
    actor = {"id": "act-a", "kind": "state", "name": "A", "country": "cn", "citations": CITE}
    assert _problems(_doc(actors=[actor])) == [
        "actors[0].country: 'cn' is not an ISO 3166-1 alpha-3 code (three capital letters)"
    ]


def test_from_records_checks_like_a_file() -> None:
    """Dataset.from_records applies the same integrity checks as parsing a file."""
    ds = sinotajik.load()
    ev = ds.events[0]
    with pytest.raises(DataError, match="does not exist"):
        Dataset.from_records([ev])
    mine = Dataset.from_records(list(ds), version="mine")
    assert mine.version == "mine" and len(mine) == len(ds)


@pytest.mark.parametrize(
    ("manifest", "why"),
    [
        (b"{not json", "Expecting property name"),
        (b'{"latest": "2026.11.0", "releases": [{"version": "2026.11.0", "file": "x.json"}]}', "no 'sha256'"),
        (b'{"latest": "9.9", "releases": []}', "its latest release '9.9' is not listed"),
        (b"[]", "list indices"),
    ],
)
def test_a_damaged_manifest_is_a_release_error_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: bytes, why: str
) -> None:
    """A damaged manifest raises ReleaseError on every load (no traceback, no IndexError later)."""
    (tmp_path / "manifest.json").write_bytes(manifest)
    monkeypatch.setattr(io_module, "_releases_dir", lambda: tmp_path)
    monkeypatch.setattr(io_module, "_loaded", {})
    monkeypatch.setattr(io_module, "_manifest", {})
    monkeypatch.setattr(io_module, "_latest", [])
    for _ in range(2):
        with pytest.raises(ReleaseError, match="the bundled release manifest is damaged") as info:
            sinotajik.load()
        assert why in str(info.value)
        with pytest.raises(ReleaseError, match="manifest is damaged"):
            sinotajik.versions()
    assert io_module._manifest == {} and io_module._latest == []
