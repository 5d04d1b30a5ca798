"""Exports: CSV tables and their round trip, GeoJSON, the Data Package, the JSON Schema, pandas, Arrow."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import re
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import frictionless
import geojson_validator
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sinotajik
from conftest import Runner
from sinotajik import (
    Coordinates,
    DataError,
    Dataset,
    DateSpan,
    Event,
    EventKind,
    Facility,
    FacilityKind,
    FacilityStatus,
    LocationPrecision,
    PartialDate,
    Place,
)
from sinotajik._export.introspect import EDTF_DATE, EDTF_WHEN
from sinotajik._export.records import with_references
from sinotajik._export.tables import _BY_NAME, _TABLES
from sinotajik._serialize import KINDS, Document
from strategies import datasets, events, partial_dates, places, whens

PINNED = "2026.11.0"
DRILL = "evt-2021-08-18-dushanbe-joint-ct-drill"
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _row(rows: list[dict[str, str]], **match: str) -> dict[str, str]:
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def _no_nul(ds: Dataset) -> bool:
    return "\\u0000" not in sinotajik.dumps(ds).decode("utf-8")


# --------------------------------------------------------------------------- tables and CSV


def test_every_table_is_written_even_when_empty(tmp_path: Path) -> None:
    """write_csv writes one file per table, header included, whatever the records hold."""
    sinotajik.write_csv([], tmp_path / "t")
    names = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert names == sorted(f"{t.name}.csv" for t in _TABLES)
    assert _rows(tmp_path / "t", "dataset") == [{"schema": "1", "version": "unreleased"}]
    header = (tmp_path / "t" / "events.csv").read_bytes()
    assert header.startswith(b"id,kind,title,summary,date,date_earliest,date_latest,") and header.endswith(b"\r\n")


def test_csv_cells_of_the_pinned_release_by_hand(tmp_path: Path) -> None:
    """The CSV cells of release 2026.11.0 hold what the record says, checked by hand."""
    sinotajik.write_csv(sinotajik.load(PINNED), tmp_path)
    ev = _row(_rows(tmp_path, "events"), id=DRILL)
    assert ev["kind"] == "drill"
    assert ev["date"] == "2021-08-18/2021-08-19"
    assert (ev["date_earliest"], ev["date_latest"]) == ("2021-08-18", "2021-08-19")
    assert ev["confidence"] == "high"
    assert ev["confidence_note"] == ""
    q = _row(_rows(tmp_path, "event_quantities"), event=DRILL, seq="0")
    assert (q["what"], q["value"], q["unit"], q["qualifier"]) == ("participants", "100", "person", "nearly")
    parts = [r for r in _rows(tmp_path, "event_participants") if r["event"] == DRILL]
    assert [(p["seq"], p["actor"], p["role"]) for p in parts] == [
        ("0", "act-chn-mps", "organiser"),
        ("1", "act-tjk-mvd", "organiser"),
    ]
    assert _row(_rows(tmp_path, "event_places"), event=DRILL)["place"] == "plc-dushanbe"
    place = _row(_rows(tmp_path, "places"), id="plc-dushanbe")
    assert (place["precision"], place["country"], place["coordinates_lat"]) == ("town", "TJK", "")
    assert _row(_rows(tmp_path, "actor_aliases"), actor="act-chn", seq="1")["alias"] == "中国"
    pos = _row(_rows(tmp_path, "actor_positions"), actor="act-zhao-kezhi", seq="1")
    assert (pos["title"], pos["organisation"]) == ("Minister of Public Security", "act-chn-mps")
    cites_ = _rows(tmp_path, "citations")
    c = _row(cites_, record=DRILL, field="citations", seq="1")
    assert (c["source"], c["supports"]) == ("src-breitbart-2021-08-20-china-tajikistan-drill", "date")
    c = _row(cites_, record=DRILL, field="quantities[0].citations", seq="0")
    assert c["source"] == "src-xinhua-2021-08-19-anti-terrorist-coordination-2021"
    assert c["quote"].startswith("Nearly 100 SWAT officers")


@pytest.mark.parametrize("version", [r.version for r in sinotajik.versions()])
def test_csv_round_trips_every_bundled_release(tmp_path: Path, version: str) -> None:
    """Every field of every bundled release survives write_csv then read_csv, byte for byte."""
    ds = sinotajik.load(version)
    sinotajik.write_csv(ds, tmp_path / "t")
    back = sinotajik.read_csv(tmp_path / "t")
    assert back == ds
    assert back.sha256 == ds.sha256


@SLOW
@given(datasets())
def test_csv_round_trips_generated_datasets(ds: Dataset) -> None:
    """Any dataset without NUL characters survives the CSV tables unchanged."""
    if not _no_nul(ds):
        return
    with tempfile.TemporaryDirectory() as tmp:
        sinotajik.write_csv(ds, Path(tmp) / "t")
        assert sinotajik.read_csv(Path(tmp) / "t") == ds


def test_every_reference_column_declares_its_table() -> None:
    """Each column whose cells are ids of other records (besides the owner keys) names the table they are in."""
    ds = sinotajik.load()
    ids = {r.id for r in ds}
    tables = sinotajik.to_tables(ds)
    found = set()
    for t in _TABLES:
        for c in t.columns:
            if c.name == "id" or (t.name == "citations" and c.name == "record"):
                continue
            values = {r[c.name] for r in tables[t.name]} - {None}
            if values and values <= ids:
                found.add((t.name, c.name))
                assert c.ref is not None, (t.name, c.name)
                kinds = {type(ds.get(v)) for v in values}
                assert kinds == {KINDS[c.ref]}, (t.name, c.name)
    assert ("event_participants", "actor") in found
    assert ("citations", "source") in found


def test_bom_for_excel(tmp_path: Path) -> None:
    """bom=True starts each CSV with a UTF-8 BOM, and read_csv still reads the tables."""
    ds = sinotajik.load(PINNED)
    sinotajik.write_csv(ds, tmp_path / "t", bom=True)
    assert (tmp_path / "t" / "events.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")
    assert sinotajik.read_csv(tmp_path / "t") == ds


def test_selection_of_records_keeps_every_field(tmp_path: Path) -> None:
    """A plain list of records exports like a Dataset, with the version given or 'unreleased'."""
    ds = sinotajik.load(PINNED)
    tables = sinotajik.to_tables(list(ds.events))
    assert tables["dataset"] == [{"schema": 1, "version": "unreleased"}]
    assert [r["id"] for r in tables["events"]] == [DRILL]
    assert tables["actors"] == []
    assert sinotajik.to_tables(list(ds), version="x1")["events"] == sinotajik.to_tables(ds)["events"]
    assert sinotajik.to_tables(ds.events, version="x1")["dataset"][0]["version"] == "x1"


def test_non_records_are_refused() -> None:
    """Something that is not a record is a TypeError naming its type."""
    with pytest.raises(TypeError, match="str is not a record type"):
        sinotajik.to_tables(["evt-x"])  # type: ignore[list-item]


def test_nul_characters_are_refused(tmp_path: Path) -> None:
    """A text holding NUL, which CSV cannot carry, is a DataError naming the cell; nothing is written."""
    ds = sinotajik.load(PINNED)
    ev = attrs.evolve(ds.events[0], title="a\x00b")
    with pytest.raises(DataError) as err:
        sinotajik.write_csv([ev], tmp_path / "t")
    assert [str(p) for p in err.value.problems] == ["events.csv row 2, title: holds a NUL character, which CSV cannot"]
    assert not (tmp_path / "t").exists()


def _edit(folder: Path, table: str, change: Any) -> None:
    path = folder / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    change(rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_edited_tables_report_every_problem_with_file_and_row(tmp_path: Path) -> None:
    """read_csv lists each bad cell with its file, row and column, and each model problem with its row."""
    folder = tmp_path / "t"
    sinotajik.write_csv(sinotajik.load(PINNED), folder)
    assert _rows(folder, "events")[0]["id"] == DRILL

    def bad_events(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("date")] = "2021-02-30"
        rows[1][rows[0].index("confidence")] = "certain"

    _edit(folder, "events", bad_events)
    _edit(folder, "event_participants", lambda rows: rows[1].__setitem__(1, "first"))
    _edit(folder, "event_tags", lambda rows: rows[1].__setitem__(0, "evt-nowhere"))
    with pytest.raises(DataError) as err:
        sinotajik.read_csv(folder)
    lines = [str(p) for p in err.value.problems]
    assert lines == [
        "event_participants.csv row 2, seq: 'first' is not a whole number",
        "event_tags.csv row 2, event: no event with id 'evt-nowhere' in events.csv",
    ]
    _edit(folder, "event_participants", lambda rows: rows[1].__setitem__(1, "0"))
    _edit(folder, "event_tags", lambda rows: rows[1].__setitem__(0, DRILL))
    with pytest.raises(DataError) as err:
        sinotajik.read_csv(folder)
    lines = [str(p) for p in err.value.problems]
    assert "events.csv row 2 (events[0].date): '2021-02-30' is not a valid day" in lines
    assert any(line.startswith("events.csv row 2 (events[0].confidence): 'certain' is not one of") for line in lines)
    assert err.value.source == str(folder)


def test_unknown_and_missing_columns_and_folders(tmp_path: Path) -> None:
    """Unknown or missing columns, a bad citation path and a folder without dataset.csv are refused."""
    folder = tmp_path / "t"
    sinotajik.write_csv(sinotajik.load(PINNED), folder)
    _edit(folder, "places", lambda rows: [r.append("x") for r in rows])
    _edit(folder, "sources", lambda rows: [r.pop(1) for r in rows])
    _edit(folder, "citations", lambda rows: rows[1].__setitem__(1, "tags[0].citations"))
    with pytest.raises(DataError) as err:
        sinotajik.read_csv(folder)
    lines = [str(p) for p in err.value.problems]
    assert "places.csv: unknown column 'x'" in lines
    assert "sources.csv: missing column 'publisher'" in lines
    assert any(line.startswith("citations.csv row 2, field: 'tags[0].citations' is not a list of") for line in lines)
    with pytest.raises(DataError, match=r"dataset\.csv: is missing"):
        sinotajik.read_csv(tmp_path)


def test_deleted_link_rows_and_tables_read_as_empty(tmp_path: Path) -> None:
    """A deleted link table reads as empty lists; a record without citations then fails the check."""
    folder = tmp_path / "t"
    ds = sinotajik.load(PINNED)
    sinotajik.write_csv(ds, folder)
    (folder / "actor_aliases.csv").unlink()
    back = sinotajik.read_csv(folder)
    assert all(a.aliases == () for a in back.actors)
    assert back.events == ds.events
    (folder / "citations.csv").unlink()
    with pytest.raises(DataError, match="needs at least one citation"):
        sinotajik.read_csv(folder)


def test_a_record_with_its_references_is_a_valid_dataset() -> None:
    """Each record of the latest release, with every record it refers to, passes the integrity checks."""
    ds = sinotajik.load()
    for rec in ds:
        subset = with_references([rec], ds)
        assert Dataset.from_records(subset).get(rec.id) == rec
    drill = with_references([ds.get(DRILL)], ds)
    assert {"act-chn", "plc-dushanbe", "src-breitbart-2021-08-20-china-tajikistan-drill"} <= {r.id for r in drill}


# --------------------------------------------------------------------------- atomic folders


def test_folder_is_replaced_only_when_it_holds_export_files(tmp_path: Path) -> None:
    """An earlier export is replaced (stale files go); a folder with other files is refused untouched."""
    folder = tmp_path / "out"
    ds = sinotajik.load(PINNED)
    sinotajik.write_datapackage(ds, folder)
    sinotajik.write_csv(ds, folder)
    assert not (folder / "datapackage.json").exists()
    assert sinotajik.read_csv(folder) == ds
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="holds files no export writes"):
        sinotajik.write_csv(ds, folder)
    assert (folder / "notes.txt").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError, match="not a folder"):
        sinotajik.write_csv(ds, tmp_path / "file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "out"]


def test_interrupted_write_leaves_the_old_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing leaves the earlier export intact and no temporary folder behind."""
    folder = tmp_path / "out"
    sinotajik.write_csv(sinotajik.load(PINNED), folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 5:
            raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        sinotajik.write_csv(sinotajik.load(), folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# --------------------------------------------------------------------------- GeoJSON


def _assert_valid_geojson(fc: dict[str, Any]) -> None:
    """Valid by geojson-validator, plus the RFC 7946 rules it leaves to us."""
    assert geojson_validator.validate_structure(fc, check_crs=True) == {}
    result = geojson_validator.validate_geometries(fc)
    assert result["invalid"] == {} and result["problematic"] == {}
    assert fc["type"] == "FeatureCollection"
    keys = None
    for f in fc["features"]:
        assert f["type"] == "Feature" and isinstance(f["id"], str)
        assert keys is None or set(f["properties"]) == keys, "every feature has the same properties"
        keys = set(f["properties"])
        if f["geometry"] is not None:
            lon, lat = f["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    json.dumps(fc, allow_nan=False)


def test_the_validator_catches_broken_geojson() -> None:
    """geojson-validator flags a malformed point, so the checks below can fail."""
    bad = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1]}}],
    }
    assert geojson_validator.validate_structure(bad) != {}


def test_geojson_of_the_pinned_release() -> None:
    """Release 2026.11.0 gives one feature, the drill at Dushanbe, without a point since none is recorded."""
    fc = sinotajik.to_geojson(sinotajik.load(PINNED))
    _assert_valid_geojson(fc)
    [f] = fc["features"]
    assert f["id"] == f"{DRILL}@plc-dushanbe"
    assert f["geometry"] is None
    p = f["properties"]
    assert (p["record"], p["record_kind"], p["kind"], p["place_name"], p["place_precision"]) == (
        DRILL,
        "event",
        "drill",
        "Dushanbe",
        "town",
    )
    assert (p["date"], p["date_label"], p["date_earliest"], p["date_latest"]) == (
        "2021-08-18/2021-08-19",
        "18–19 Aug 2021",
        "2021-08-18",
        "2021-08-19",
    )
    assert p["no_point_reason"] == "no coordinates are recorded for this place"


def test_geojson_of_the_latest_release_is_valid() -> None:
    """The latest release's GeoJSON passes the validator; a point only ever sits on a site or town."""
    ds = sinotajik.load()
    fc = sinotajik.to_geojson(ds)
    _assert_valid_geojson(fc)
    located = [(e.id, p) for e in ds.events for p in e.places] + [(a.id, p) for a in ds.agreements for p in a.places]
    located += [(f.id, p) for f in ds.facilities for p in dict.fromkeys(((f.place,) if f.place else ()) + f.areas)]
    unplaced = [r.id for r in (*ds.events, *ds.agreements, *ds.facilities) if r.id not in {x for x, _p in located}]
    assert sorted(f["id"] for f in fc["features"]) == sorted([f"{r}@{p}" for r, p in located] + unplaced)
    assert {f["properties"]["record"] for f in fc["features"]} == {
        r.id for r in (*ds.events, *ds.agreements, *ds.facilities)
    }
    for f in fc["features"]:
        if f["geometry"] is not None:
            assert f["properties"]["place_precision"] in ("site", "town")
    assert sinotajik.to_geojson(ds.events, context=ds)["features"] == [
        f for f in fc["features"] if f["properties"]["record_kind"] == "event"
    ]
    with pytest.warns(DeprecationWarning, match="context="):
        old_spelling = sinotajik.to_geojson(ds.events, places=ds)
    assert old_spelling == sinotajik.to_geojson(ds.events, context=ds)


def _place(pid: str, precision: LocationPrecision, coords: Coordinates | None) -> Place:
    return Place(
        id=pid,
        name=pid.upper(),
        precision=precision,
        country="TJK",
        coordinates=coords,
        citations=(sinotajik.Citation(source="src-x", quote="q"),),
    )


def test_points_only_for_sites_and_towns_with_coordinates() -> None:
    """Sites and towns with coordinates are [lon, lat] points; others are null with a reason, even if a point was given."""
    cite = (sinotajik.Citation(source="src-x", quote="q"),)
    recs: list[Any] = [
        _place("plc-site", LocationPrecision.SITE, Coordinates(lat=37.5, lon=71.5)),
        _place("plc-town", LocationPrecision.TOWN, Coordinates(lat=38.56, lon=68.77)),
        _place("plc-bare", LocationPrecision.TOWN, None),
        _place("plc-region", LocationPrecision.REGION, Coordinates(lat=38.0, lon=73.0)),
        _place("plc-country", LocationPrecision.COUNTRY, Coordinates(lat=39.0, lon=71.0)),
        Event(
            id="evt-x",
            kind=EventKind.EXERCISE,
            title="t",
            summary="s",
            date=sinotajik.parse_when("2016-10"),
            citations=cite,
            places=("plc-site", "plc-town", "plc-bare", "plc-region", "plc-country", "plc-gone"),
        ),
        Facility(
            id="fac-x",
            kind=FacilityKind.BORDER_POST,
            name="post",
            summary="s",
            status=FacilityStatus.REPORTED,
            citations=cite,
            place="plc-site",
        ),
    ]
    fc = sinotajik.to_geojson(recs)
    _assert_valid_geojson(fc)
    geo = {f["id"]: f["geometry"] for f in fc["features"]}
    assert geo == {
        "evt-x@plc-site": {"type": "Point", "coordinates": [71.5, 37.5]},
        "evt-x@plc-town": {"type": "Point", "coordinates": [68.77, 38.56]},
        "evt-x@plc-bare": None,
        "evt-x@plc-region": None,
        "evt-x@plc-country": None,
        "evt-x@plc-gone": None,
        "fac-x@plc-site": {"type": "Point", "coordinates": [71.5, 37.5]},
    }
    reasons = {f["id"]: f["properties"]["no_point_reason"] for f in fc["features"]}
    assert reasons["evt-x@plc-region"] == "a region-level place is not shown as a point"
    assert reasons["evt-x@plc-country"] == "a country-level place is not shown as a point"
    assert reasons["evt-x@plc-gone"] == "the place is not among the records"
    fac = next(f for f in fc["features"] if f["id"] == "fac-x@plc-site")["properties"]
    assert (fac["title"], fac["status"], fac["date"]) == ("post", "reported", None)


@st.composite
def located(draw: Any) -> list[Any]:
    """Places (any precision, any coordinates) and events that refer to them."""
    ps = draw(st.lists(places, min_size=1, max_size=5, unique_by=lambda p: p.id))
    evs = draw(st.lists(events, max_size=4, unique_by=lambda e: e.id))
    ids = [p.id for p in ps]
    evs = [attrs.evolve(e, places=tuple(draw(st.lists(st.sampled_from(ids), max_size=3)))) for e in evs]
    return ps + evs


@SLOW
@given(located())
def test_generated_geojson_is_valid_and_never_points_at_a_region(recs: list[Any]) -> None:
    """Any records give valid GeoJSON whose points are exactly the sites and towns with coordinates."""
    fc = sinotajik.to_geojson(recs)
    _assert_valid_geojson(fc)
    by_id = {r.id: r for r in recs if isinstance(r, Place)}
    n = sum(max(1, len(set(r.places))) for r in recs if isinstance(r, Event))
    assert len(fc["features"]) == n
    for f in fc["features"]:
        if f["properties"]["place"] is None:
            assert (
                f["geometry"] is None and f["properties"]["no_point_reason"] == "no place is recorded for this record"
            )
            continue
        place = by_id[f["properties"]["place"]]
        pointed = place.precision in (LocationPrecision.SITE, LocationPrecision.TOWN) and place.coordinates is not None
        assert (f["geometry"] is not None) == pointed
        assert (f["properties"]["no_point_reason"] is None) == pointed


# --------------------------------------------------------------------------- Data Package


def _validate_package(folder: Path) -> frictionless.Report:
    return frictionless.validate(str(folder / "datapackage.json"))


def test_datapackage_of_the_latest_release_passes_frictionless(tmp_path: Path) -> None:
    """The data package of the latest release passes `frictionless validate`, every table checked."""
    ds = sinotajik.load()
    sinotajik.write_datapackage(ds, tmp_path / "dp")
    report = _validate_package(tmp_path / "dp")
    assert report.valid, report.flatten(["type", "message"])[:5]
    assert len(report.tasks) == len(_TABLES)
    desc = json.loads((tmp_path / "dp" / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert desc["version"] == ds.version
    assert desc["licenses"][0]["name"] == "CC-BY-4.0"
    res = {r["name"]: r for r in desc["resources"]}
    assert res["events"]["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["actor"], "reference": {"resource": "actors", "fields": ["id"]}} in res["event_participants"][
        "schema"
    ]["foreignKeys"]
    assert {"fields": ["parent"], "reference": {"fields": ["id"]}} in res["actors"]["schema"]["foreignKeys"]
    kind = next(f for f in res["events"]["schema"]["fields"] if f["name"] == "kind")
    assert kind["constraints"]["enum"] == [k.value for k in EventKind]
    assert sinotajik.read_csv(tmp_path / "dp") == ds


@pytest.mark.parametrize(
    ("table", "edit", "error"),
    [
        ("event_participants", lambda rows: rows[1].__setitem__(2, "act-nobody"), "foreign-key"),
        ("actors", lambda rows: rows[2].__setitem__(rows[0].index("parent"), "act-nobody"), "foreign-key"),
        ("events", lambda rows: rows[1].__setitem__(rows[0].index("kind"), "picnic"), "constraint-error"),
        ("events", lambda rows: rows[1].__setitem__(rows[0].index("date"), "18 Aug 2021"), "constraint-error"),
    ],
)
def test_datapackage_validation_catches_bad_edits(tmp_path: Path, table: str, edit: Any, error: str) -> None:
    """Broken references, enumerations and EDTF dates in a package fail frictionless (with its checksums updated)."""
    folder = tmp_path / "dp"
    sinotajik.write_datapackage(sinotajik.load(PINNED), folder)
    _edit(folder, table, edit)
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for r in desc["resources"]:
        r.pop("hash")
        r.pop("bytes")
    (folder / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    report = _validate_package(folder)
    assert not report.valid
    assert error in {e[0] for e in report.flatten(["type"])}


def test_datapackage_checksums_catch_a_changed_file(tmp_path: Path) -> None:
    """Each file's size and SHA-256 are in the descriptor, so a changed byte fails validation."""
    folder = tmp_path / "dp"
    sinotajik.write_datapackage(sinotajik.load(PINNED), folder)
    path = folder / "sources.csv"
    path.write_bytes(path.read_bytes().replace(b"Xinhua", b"Xinhuo"))
    report = _validate_package(folder)
    assert not report.valid
    assert "hash-count" in {e[0] for e in report.flatten(["type"])}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_generated_datapackages_pass_frictionless(ds: Dataset) -> None:
    """Packages of generated datasets (numbers, booleans, coordinates, spans) pass frictionless too."""
    if not _no_nul(ds):
        return
    with tempfile.TemporaryDirectory() as tmp:
        sinotajik.write_datapackage(ds, Path(tmp) / "dp")
        report = _validate_package(Path(tmp) / "dp")
        assert report.valid, report.flatten(["type", "message"])[:5]


# --------------------------------------------------------------------------- JSON Schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = sinotajik.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _reachable() -> dict[str, type[Any]]:
    out: dict[str, type[Any]] = {}
    todo: list[type[Any]] = [Document]
    while todo:
        cls = todo.pop()
        if cls.__name__ in out:
            continue
        out[cls.__name__] = cls
        for f in attrs.fields(cls):
            # Dates are attrs classes too, but EDTF strings on the wire.
            todo.extend(t for t in _types_in(f.type) if attrs.has(t) and t not in (PartialDate, DateSpan))
    return out


def _types_in(t: Any) -> list[Any]:
    from typing import get_args

    args = get_args(t)
    return [t] if not args else [x for a in args for x in _types_in(a)]


def test_schema_covers_every_class_and_field() -> None:
    """The schema has a definition for every record and value class, with exactly its fields."""
    schema = sinotajik.json_schema()
    classes = _reachable()
    assert set(schema["$defs"]) == set(classes) - {"Document"}
    for name, cls in classes.items():
        d = schema if name == "Document" else schema["$defs"][name]
        assert set(d["properties"]) == {f.name for f in attrs.fields(cls)}, name
        assert d["additionalProperties"] is False
    event = schema["$defs"]["Event"]
    assert event["required"] == ["id", "kind", "title", "summary", "date", "citations"]
    assert event["properties"]["kind"]["enum"] == [k.value for k in EventKind]
    # Anchored for Python's re too, where $ would also match before a final line break.
    assert event["properties"]["date"]["pattern"] == EDTF_WHEN + r"(?![\s\S])"
    assert "EDTF" in event["properties"]["date"]["description"]
    assert schema["$defs"]["Citation"]["properties"]["source"]["pattern"].startswith("^src-")


@pytest.mark.parametrize("version", [r.version for r in sinotajik.versions()])
def test_bundled_release_files_validate(validator: jsonschema.Draft202012Validator, version: str) -> None:
    """Each bundled release file, as shipped, is valid against the schema."""
    rel = next(r for r in sinotajik.versions() if r.version == version)
    raw = json.loads((resources.files("sinotajik") / "releases" / rel.file).read_bytes())
    assert list(validator.iter_errors(raw)) == []


def test_jsonl_records_validate_against_their_definitions(validator: jsonschema.Draft202012Validator) -> None:
    """Each JSON Lines record, without its 'record' key, validates against its kind's definition."""
    schema = sinotajik.json_schema()
    lines = sinotajik.dumps(sinotajik.load(), format="jsonl").decode("utf-8").splitlines()
    for line in lines[1:]:
        obj = json.loads(line)
        kind = obj.pop("record")
        sub = {"$ref": f"#/$defs/{kind.title()}", "$defs": schema["$defs"]}
        assert list(jsonschema.Draft202012Validator(sub).iter_errors(obj)) == []


@SLOW
@given(datasets())
def test_generated_datasets_validate(validator: jsonschema.Draft202012Validator, ds: Dataset) -> None:
    """The canonical JSON of any valid dataset is valid against the schema."""
    assert list(validator.iter_errors(json.loads(sinotajik.dumps(ds)))) == []


def _drill_doc() -> dict[str, Any]:
    return json.loads(sinotajik.dumps(sinotajik.load(PINNED)))


def _mutations() -> list[tuple[str, Any]]:
    def setter(path: tuple[Any, ...], value: Any) -> Any:
        def apply(doc: dict[str, Any]) -> None:
            target: Any = doc
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value

        return apply

    def deleter(path: tuple[Any, ...]) -> Any:
        def apply(doc: dict[str, Any]) -> None:
            target: Any = doc
            for key in path[:-1]:
                target = target[key]
            del target[path[-1]]

        return apply

    return [
        ("bad enum", setter(("events", 0, "kind"), "picnic")),
        ("bad month", setter(("events", 0, "date"), "2021-13")),
        ("words for a date", setter(("events", 0, "date"), "18 Aug 2021")),
        ("both ends open", setter(("events", 0, "date"), "../..")),
        ("number for text", setter(("events", 0, "title"), 5)),
        ("text for number", setter(("events", 0, "quantities", 0, "value"), "100")),
        ("boolean for number", setter(("events", 0, "quantities", 0, "value"), True)),
        ("unknown key", setter(("events", 0, "colour"), "red")),
        ("missing required", deleter(("events", 0, "summary"))),
        ("null for a list", setter(("events", 0, "tags"), None)),
        ("wrong id prefix", setter(("events", 0, "id"), "act-2021-drill")),
        ("reference to the wrong kind", setter(("events", 0, "places", 0), "act-chn")),
        ("lower-case country", setter(("actors", 0, "country"), "chn")),
        ("latitude out of range", setter(("places", 0, "coordinates"), {"lat": 91.0, "lon": 0.0})),
        ("newer schema", setter(("schema",), 2)),
        ("not a record", setter(("events", 0), "evt-x")),
    ]


@pytest.mark.parametrize(("what", "mutate"), _mutations(), ids=[m[0] for m in _mutations()])
def test_invalid_documents_fail_the_schema_and_the_reader(
    validator: jsonschema.Draft202012Validator, what: str, mutate: Any
) -> None:
    """A broken document fails the schema, and sinotajik refuses it too: they agree."""
    doc = _drill_doc()
    assert list(validator.iter_errors(doc)) == []
    bad = copy.deepcopy(doc)
    mutate(bad)
    assert list(validator.iter_errors(bad)) != [], what
    with pytest.raises(DataError):
        sinotajik.parse(json.dumps(bad))


def test_optional_fields_may_be_null_in_schema_and_reader(validator: jsonschema.Draft202012Validator) -> None:
    """An explicit null for an optional field is accepted by both the schema and the reader."""
    doc = _drill_doc()
    doc["events"][0]["confidence_note"] = None
    doc["places"][0]["coordinates"] = None
    assert list(validator.iter_errors(doc)) == []
    assert sinotajik.parse(json.dumps(doc)) == sinotajik.load(PINNED)


@given(partial_dates())
def test_edtf_date_pattern_matches_every_date(d: sinotajik.PartialDate) -> None:
    """Every date's EDTF form matches the schema's date pattern (and the span pattern)."""
    assert re.match(EDTF_DATE, str(d))
    assert re.match(EDTF_WHEN, str(d))


@given(whens)
def test_edtf_when_pattern_matches_every_span(w: sinotajik.When) -> None:
    """Every date or span's EDTF form matches the schema's pattern for dates and spans."""
    assert re.match(EDTF_WHEN, str(w))


# --------------------------------------------------------------------------- pandas and Arrow


def test_to_pandas_types_and_cells() -> None:
    """to_pandas gives one DataFrame per table with nullable, categorical and datetime dtypes."""
    import pandas as pd

    ds = sinotajik.load(PINNED)
    frames = sinotajik.to_pandas(ds)
    tables = sinotajik.to_tables(ds)
    assert list(frames) == list(tables)
    for name, frame in frames.items():
        assert len(frame) == len(tables[name]), name
    ev = frames["events"].set_index("id").loc[DRILL]
    assert ev["kind"] == "drill"
    assert isinstance(frames["events"]["kind"].dtype, pd.CategoricalDtype)
    assert list(frames["events"]["kind"].cat.categories) == [k.value for k in EventKind]
    assert ev["date_latest"] == pd.Timestamp("2021-08-19")
    assert str(frames["events"]["date_earliest"].dtype) == "datetime64[s]"
    q = frames["event_quantities"]
    assert q.loc[0, "value"] == 100.0 and str(q["value"].dtype) == "Float64"
    assert str(q["seq"].dtype) == "Int64"
    assert pd.isna(frames["places"].loc[0, "coordinates_lat"])
    assert frames["actor_aliases"].query("actor == 'act-chn' and seq == 1")["alias"].item() == "中国"


def test_arrow_tables_and_parquet_files(tmp_path: Path) -> None:
    """write_parquet writes one Parquet file per table that reads back equal to to_arrow, with descriptions."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ds = sinotajik.load()
    tables = sinotajik.to_arrow(ds)
    sinotajik.write_parquet(ds, tmp_path / "pq")
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == sorted(f"{t.name}.parquet" for t in _TABLES)
    for name, table in tables.items():
        back = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        assert back.equals(table), name
        assert back.schema.metadata[b"sinotajik.version"] == ds.version.encode()
    events = tables["events"]
    assert events.schema.field("id").nullable is False
    assert events.schema.field("date_earliest").type == pa.date32()
    assert b"EDTF" in events.schema.field("date").metadata[b"description"]
    assert events.num_rows == len(ds.events)
    assert sorted(events.column("id").to_pylist()) == [e.id for e in ds.events]
    pinned = sinotajik.to_arrow(sinotajik.load(PINNED))["events"].to_pylist()[0]
    assert (pinned["date_earliest"], pinned["date_latest"]) == (dt.date(2021, 8, 18), dt.date(2021, 8, 19))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_generated_datasets_convert_to_pandas_and_arrow(ds: Dataset) -> None:
    """Any dataset converts to DataFrames and Arrow tables holding every row and the same cells."""
    import pandas as pd

    tables = sinotajik.to_tables(ds)
    frames = sinotajik.to_pandas(ds)
    arrow = sinotajik.to_arrow(ds)
    for name, rows in tables.items():
        assert len(frames[name]) == len(rows) == arrow[name].num_rows, name
        numbers = {c.name for c in _BY_NAME[name].columns if c.type == "number"}
        expected = [{k: float(v) if k in numbers and v is not None else v for k, v in r.items()} for r in rows]
        assert arrow[name].to_pylist() == expected, name
    for r, (_, f) in zip(tables["events"], frames["events"].iterrows(), strict=True):
        assert f["id"] == r["id"] and (
            pd.isna(f["date_note"]) if r["date_note"] is None else f["date_note"] == r["date_note"]
        )


_FORMULA_CELL = re.compile(r"'+[=+\-@\t\r]")


def _parquet_matches_csv(ds: Dataset, folder: Path) -> None:
    """Each Parquet table holds the CSV table's rows and columns, in order, cell for cell."""
    import pyarrow.parquet as pq

    sinotajik.write_parquet(ds, folder / "pq")
    sinotajik.write_csv(ds, folder / "csv", escape_formulas=False)
    for t in _TABLES:
        table = pq.read_table(folder / "pq" / f"{t.name}.parquet")
        with open(folder / "csv" / f"{t.name}.csv", encoding="utf-8", newline="") as fh:
            header, *lines = list(csv.reader(fh))
        assert table.column_names == header == [c.name for c in t.columns], t.name
        assert table.num_rows == len(lines), t.name
        for c, values in zip(t.columns, table.to_pydict().values(), strict=True):
            cells = [line[header.index(c.name)] for line in lines]
            if c.kind == "str":  # a text starting with ' and a formula character gets one more '
                cells = [x[1:] if _FORMULA_CELL.match(x) else x for x in cells]
            if c.type == "number":
                assert values == [float(x) if x else None for x in cells], (t.name, c.name)
                continue
            shown = [
                ""
                if v is None
                else ("true" if v else "false")
                if isinstance(v, bool)
                else v.isoformat()
                if isinstance(v, dt.date)
                else str(v)
                for v in values
            ]
            assert shown == cells, (t.name, c.name)


def test_parquet_tables_hold_the_csv_cells_of_the_bundled_release(tmp_path: Path) -> None:
    """write_parquet and write_csv write the same rows and columns of the latest release, in the same order."""
    _parquet_matches_csv(sinotajik.load(), tmp_path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_parquet_tables_hold_the_csv_cells_of_generated_datasets(ds: Dataset) -> None:
    """Empty lists, missing nested objects, open spans: Parquet and CSV still agree cell for cell."""
    if not _no_nul(ds):
        return
    with tempfile.TemporaryDirectory() as tmp:
        _parquet_matches_csv(ds, Path(tmp))


@pytest.mark.parametrize(
    ("module", "call", "extra"),
    [
        ("pandas", lambda ds, p: sinotajik.to_pandas(ds), "sinotajik[pandas]"),
        ("pyarrow", lambda ds, p: sinotajik.to_arrow(ds), "sinotajik[arrow]"),
        ("pyarrow", lambda ds, p: sinotajik.write_parquet(ds, p), "sinotajik[arrow]"),
    ],
)
def test_missing_extra_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, module: str, call: Any, extra: str
) -> None:
    """Without pandas or pyarrow, the export raises ImportError naming the extra; nothing is written."""
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=re.escape(f"pip install '{extra}'")):
        call(sinotajik.load(PINNED), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_citations_are_complete() -> None:
    """The citations table holds every citation of the latest release, wherever it sits."""
    ds = sinotajik.load()
    n = sinotajik.dumps(ds).decode("utf-8").count('"source": "src-')
    assert len(sinotajik.to_tables(ds)["citations"]) == n


MAP_RELEASE = "2026.11.2"


def test_every_record_is_a_feature_on_the_map() -> None:
    """Release 2026.11.2: the two border programmes (no place) and the outpost and base (no coordinates) are features, without a point and with the reason."""
    fc = sinotajik.to_geojson(sinotajik.load(MAP_RELEASE))
    _assert_valid_geojson(fc)
    by_id = {f["id"]: f for f in fc["features"]}
    for fid in ("fac-tjk-afghan-border-posts-2016-programme", "fac-tjk-afghan-border-facilities-2026-programme"):
        assert by_id[fid]["geometry"] is None
        assert by_id[fid]["properties"]["no_point_reason"] == "no place is recorded for this record"
        assert by_id[fid]["properties"]["place"] is None
    for fid in ("fac-murghob-shaymak-outpost@plc-shaymak", "fac-vakhon-mvd-rapid-response-base@plc-vakhon"):
        assert by_id[fid]["properties"]["no_point_reason"] == "no coordinates are recorded for this place"


def test_agreements_and_facilities_carry_their_step_dates() -> None:
    """An agreement's feature spans its first to last milestone and lists every step with ISO bounds."""
    fc = sinotajik.to_geojson(sinotajik.load(MAP_RELEASE))
    by_id = {f["id"]: f["properties"] for f in fc["features"]}
    qccm = by_id["agr-2016-08-03-qccm@plc-urumqi"]
    assert (qccm["date"], qccm["date_earliest"], qccm["date_latest"]) == (
        "2016-08-03/2017-08-27",
        "2016-08-03",
        "2017-08-27",
    )
    assert [(s["status"], s["date"]) for s in qccm["steps"]] == [
        ("agreed", "2016-08-03"),
        ("draft", "2016-11-08/2016-11-10"),
        ("signed", "2017-08-27"),
    ]
    outpost = by_id["fac-murghob-shaymak-outpost@plc-shaymak"]
    assert outpost["date_earliest"] == "2016-01-01" and outpost["date_latest"] == "2024-07-15"
    assert {"status": "officially_denied", "date": None, "date_earliest": None, "date_latest": None} in outpost["steps"]
    programme = by_id["fac-tjk-afghan-border-posts-2016-programme"]
    assert programme["date"] == "2016-09-26/2018" and programme["date_latest"] == "2018-12-31"
    assert all(f["properties"]["date_earliest"] for f in fc["features"]), "every record on the map has a start date"


def test_admin_region_comes_from_the_places_a_place_lies_within() -> None:
    """A town within a district within a region gets that region's name; a place with no region above it gets none."""
    fc = sinotajik.to_geojson(sinotajik.load(MAP_RELEASE))
    by_id = {f["id"]: f["properties"] for f in fc["features"]}
    assert (
        by_id["fac-murghob-shaymak-outpost@plc-shaymak"]["place_admin_region"] == "Gorno-Badakhshan Autonomous Region"
    )
    assert by_id["agr-2021-09-17-sco-dushanbe-declaration@plc-dushanbe"]["place_admin_region"] is None
    regions = {p["place_admin_region"] for p in by_id.values()}
    assert "Gorno-Badakhshan Autonomous Region" in regions and "Xinjiang Uygur Autonomous Region" in regions


def test_facility_areas_are_features_with_their_role() -> None:
    """A facility's areas each give a feature with place_role 'area', beside its place's 'place'."""
    cite = (sinotajik.Citation(source="src-x", quote="q"),)
    recs: list[Any] = [
        _place("plc-a", LocationPrecision.DISTRICT, None),
        _place("plc-b", LocationPrecision.DISTRICT, None),
        Facility(
            id="fac-p",
            kind=FacilityKind.FACILITY_GROUP,
            name="programme",
            summary="s",
            status=FacilityStatus.AGREED,
            citations=cite,
            place="plc-a",
            areas=("plc-a", "plc-b"),
        ),
    ]
    fc = sinotajik.to_geojson(recs)
    _assert_valid_geojson(fc)
    assert [(f["id"], f["properties"]["place_role"]) for f in fc["features"]] == [
        ("fac-p@plc-a", "place"),
        ("fac-p@plc-b", "area"),
    ]
    assert all(
        f["properties"]["no_point_reason"] == "a district-level place is not shown as a point" for f in fc["features"]
    )


@SLOW
@given(datasets())
def test_every_generated_record_is_on_the_map_with_ordered_dates(ds: sinotajik.Dataset) -> None:
    """Any dataset: each event, agreement and facility has a feature, and a feature's first day never follows its last."""
    fc = sinotajik.to_geojson(ds)
    _assert_valid_geojson(fc)
    assert {f["properties"]["record"] for f in fc["features"]} == {
        r.id for r in (*ds.events, *ds.agreements, *ds.facilities)
    }
    for f in fc["features"]:
        p = f["properties"]
        if p["date_earliest"] and p["date_latest"]:
            assert p["date_earliest"] <= p["date_latest"]
        for step in p["steps"]:
            if step["date_earliest"] and step["date_latest"]:
                assert step["date_earliest"] <= step["date_latest"]


# --------------------------------------------------------------------------- spreadsheet safety


def _formula_dataset() -> sinotajik.Dataset:
    """The corpus dataset with text that a spreadsheet would run as a formula in many fields."""
    doc = json.loads((Path(__file__).parent / "corpus" / "valid.json").read_text())
    ev = doc["events"][0]
    ev["title"] = '=HYPERLINK("https://evil.example","click")'
    ev["summary"] = "-2+3 and more"
    ev["tags"] = ["@SUM(A1:A9)", "+1", "'=already quoted", "'plain"]
    ev["citations"][0]["quote"] = "\t=cmd"
    doc["actors"][0]["aliases"] = ["-x", "ok"]
    doc["places"][0]["coordinates"]["lon"] = -77.0164
    return sinotajik.parse(json.dumps(doc))


def test_csv_neutralises_formulas_and_reads_them_back_exactly(tmp_path: Path) -> None:
    """Text cells starting with = + - @ TAB CR get a ' in front; read_csv restores every text exactly."""
    ds = _formula_dataset()
    sinotajik.write_csv(ds, tmp_path / "t")
    rows = {
        name: list(csv.reader(io.StringIO((tmp_path / "t" / name).read_text(encoding="utf-8"), newline="")))
        for name in ("events.csv", "event_tags.csv", "citations.csv", "actor_aliases.csv", "places.csv")
    }
    text_cells = [c for table in rows.values() for row in table[1:] for c in row]
    assert '\'=HYPERLINK("https://evil.example","click")' in text_cells
    assert {"'-2+3 and more", "'@SUM(A1:A9)", "'+1", "''=already quoted", "'plain", "'\t=cmd", "'-x"} <= set(text_cells)
    assert not [c for c in text_cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert "-77.0164" in text_cells  # numbers are left as they are
    assert sinotajik.read_csv(tmp_path / "t") == ds


def test_csv_formula_escaping_can_be_turned_off(tmp_path: Path) -> None:
    """escape_formulas=False (and the data package default) writes formulas as they are, still read back exactly."""
    ds = _formula_dataset()
    sinotajik.write_csv(ds, tmp_path / "raw", escape_formulas=False)
    sinotajik.write_datapackage(ds, tmp_path / "pkg")
    for folder in ("raw", "pkg"):
        text = (tmp_path / folder / "events.csv").read_text(encoding="utf-8")
        assert '"=HYPERLINK(' in text
        assert "''=already quoted" in (tmp_path / folder / "event_tags.csv").read_text(encoding="utf-8")
        assert sinotajik.read_csv(tmp_path / folder) == ds


def test_cli_csv_export_escapes_formulas_by_default(cli: Runner, tmp_path: Path) -> None:
    """export --format csv neutralises formulas unless --no-escape-formulas; other formats refuse the flag."""
    data = tmp_path / "f.json"
    sinotajik.save(_formula_dataset(), data)
    assert cli("export", "--data", str(data), "--format", "csv", "-o", str(tmp_path / "a")).returncode == 0
    assert "'=HYPERLINK" in (tmp_path / "a" / "events.csv").read_text(encoding="utf-8")
    proc = cli("export", "--data", str(data), "--format", "csv", "--no-escape-formulas", "-o", str(tmp_path / "b"))
    assert proc.returncode == 0
    assert '"=HYPERLINK' in (tmp_path / "b" / "events.csv").read_text(encoding="utf-8")
    proc = cli("export", "--format", "json", "--escape-formulas")
    assert proc.returncode == 2 and "applies to --format csv and datapackage only" in proc.stderr


def test_read_csv_long_fields_and_bad_bytes(tmp_path: Path) -> None:
    """A 200,000-character summary round-trips through CSV; a file that is not UTF-8 is a DataError naming it."""
    doc = json.loads((Path(__file__).parent / "corpus" / "valid.json").read_text())
    doc["events"][0]["summary"] = "s" * 200_000
    ds = sinotajik.parse(json.dumps(doc))
    sinotajik.write_csv(ds, tmp_path / "t")
    assert sinotajik.read_csv(tmp_path / "t") == ds
    (tmp_path / "t" / "event_tags.csv").write_bytes(b"event,seq,tag\r\nevt-x,0,\xff\r\n")
    with pytest.raises(DataError) as info:
        sinotajik.read_csv(tmp_path / "t")
    assert [str(p) for p in info.value.problems] == ["event_tags.csv: is not UTF-8 text (bad byte at offset 23)"]


def test_read_csv_refuses_control_characters_like_the_json_reader(tmp_path: Path) -> None:
    """A title edited to hold an escape sequence is refused by read_csv with its file and row."""
    sinotajik.write_csv(sinotajik.parse((Path(__file__).parent / "corpus" / "valid.json").read_bytes()), tmp_path / "t")
    path = tmp_path / "t" / "events.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Joint counter", "\x1b[2JJoint counter"), encoding="utf-8")
    with pytest.raises(DataError) as info:
        sinotajik.read_csv(tmp_path / "t")
    assert [str(p) for p in info.value.problems] == [
        "events.csv row 2 (events[0].title): '\\x1b[2JJoint counter-terrorism drill' holds the control character "
        "'\\x1b'; it must be one line of plain text"
    ]


@pytest.mark.parametrize(
    ("start", "end"), [("2016-01-01", "2016-12-31"), ("2021-08-01", "2021-08-31"), ("2001-01-01", "2026-12-31")]
)
def test_duckdb_on_the_parquet_export_answers_a_window_as_select_does(tmp_path: Path, start: str, end: str) -> None:
    """DuckDB's window over events.parquet agrees with select() on every event whose date has no ~ ? % or open end."""
    duckdb = pytest.importorskip("duckdb")
    ds = sinotajik.load()
    sinotajik.write_parquet(ds, tmp_path / "pq")
    table = tmp_path / "pq" / "events.parquet"
    sql = f"SELECT id FROM '{table}' WHERE date_earliest <= ? AND date_latest >= ? ORDER BY id"
    lo, hi = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    from_disk = [r[0] for r in duckdb.connect().execute(sql, [hi, lo]).fetchall()]
    possibly = [e.id for e in sinotajik.select(ds, sinotajik.where.date(start, end), kind=sinotajik.Event)]
    assert from_disk
    # The Parquet days ignore the ~ ? % widening, so DuckDB's answer lies inside the honest "possibly"...
    assert set(from_disk) <= set(possibly)
    # ... and is the same where there is nothing to widen.
    plain = {e.id for e in ds.events if e.date.exact}  # no ~ ? %, and a span closed at both ends
    assert [i for i in possibly if i in plain] == [i for i in from_disk if i in plain]
