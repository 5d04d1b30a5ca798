"""The SQLite export: tables, keys, indexes, full-text search, and Datasette serving it."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import sinotajik
from conftest import Runner
from sinotajik._export.tables import _TABLES
from strategies import datasets

RELEASE = "2026.11.2"
OUTPOST = "fac-murghob-shaymak-outpost"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "sinotajik.db"
    sinotajik.write_sqlite(sinotajik.load(RELEASE), path)
    return path


def _rows(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_every_table_is_there_with_its_rows(db: Path) -> None:
    """The database holds every table of to_tables with the same number of rows, plus claims and search."""
    tables = sinotajik.to_tables(sinotajik.load(RELEASE))
    names = {n for (n,) in _rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {t.name for t in _TABLES} | {"claims", "search"} <= names
    for name, rows in tables.items():
        assert _rows(db, f'SELECT count(*) FROM "{name}"') == [(len(rows),)], name
    assert _rows(db, "SELECT version FROM dataset") == [(RELEASE,)]


def test_foreign_keys_are_declared_and_hold(db: Path) -> None:
    """Link tables declare foreign keys to their owners and targets, and no key is broken."""
    fks = {(row[2], row[3]) for row in _rows(db, "PRAGMA foreign_key_list(event_participants)")}
    assert fks == {("events", "event"), ("actors", "actor")}
    assert ("places", "place") in {(r[2], r[3]) for r in _rows(db, "PRAGMA foreign_key_list(facilities)")}
    assert _rows(db, "PRAGMA foreign_key_check") == []


def test_a_broken_reference_is_caught_by_the_foreign_key_check(db: Path, tmp_path: Path) -> None:
    """A participant pointing at a missing actor shows up in PRAGMA foreign_key_check, so the test above can fail."""
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    con = sqlite3.connect(copy)
    con.execute("UPDATE event_participants SET actor = 'act-nobody' WHERE seq = 0")
    con.commit()
    assert con.execute("PRAGMA foreign_key_check").fetchall()
    con.close()


def test_ids_references_and_dates_are_indexed(db: Path) -> None:
    """Reference columns and derived date columns have indexes, and a date range query uses one."""
    indexes = {n for (n,) in _rows(db, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"idx_events_date_earliest", "idx_event_participants_actor", "idx_facilities_place"} <= indexes
    plan = " ".join(
        str(r) for r in _rows(db, "EXPLAIN QUERY PLAN SELECT id FROM events WHERE date_earliest >= '2021-01-01'")
    )
    assert "idx_events_date_earliest" in plan


def test_full_text_search_finds_the_outpost(db: Path) -> None:
    """An FTS5 query for 'outpost' finds the Shaymak outpost's name, summary and claims; quotes are indexed too."""
    hits = _rows(db, "SELECT record, field FROM search WHERE search MATCH ? ORDER BY rank", "outpost")
    assert (OUTPOST, "name") in hits and (OUTPOST, "summary") in hits
    assert any(r == OUTPOST and f.startswith("claims[") for r, f in hits)
    fields = {f.split("[")[0] for (f,) in _rows(db, "SELECT field FROM search")}
    assert {"title", "name", "summary", "claims", "citations"} <= fields


def test_claims_table_is_tidy(db: Path) -> None:
    """claims has one row per claim of every kind, with contested as 0/1."""
    ds = sinotajik.load(RELEASE)
    total = sum(len(r.claims) for r in (*ds.events, *ds.agreements, *ds.facilities))
    assert _rows(db, "SELECT count(*) FROM claims") == [(total,)]
    assert {k for (k,) in _rows(db, "SELECT DISTINCT contested FROM claims")} == {0, 1}
    assert _rows(db, "SELECT count(*) FROM claims WHERE record = ?", OUTPOST) == [(len(ds.get(OUTPOST).claims),)]


def test_datasette_metadata_describes_every_table() -> None:
    """The metadata names the licence and source and describes every table and most columns."""
    meta = sinotajik.datasette_metadata(sinotajik.load(RELEASE), database="tj")
    assert meta["license"] == "CC-BY-4.0" and meta["source_url"].startswith("https://")
    tables = meta["databases"]["tj"]["tables"]
    assert {t.name for t in _TABLES} | {"claims", "search"} == set(tables)
    assert all(t["description"] for t in tables.values())
    assert tables["events"]["columns"]["date"].startswith("When")


def test_write_sqlite_replaces_an_existing_file_and_refuses_a_folder(tmp_path: Path) -> None:
    """Writing over an old file replaces it whole; a folder as the target is refused."""
    path = tmp_path / "x.db"
    path.write_bytes(b"not a database")
    sinotajik.write_sqlite(sinotajik.load("2026.11.0"), path)
    assert _rows(path, "SELECT count(*) FROM events") == [(1,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]
    with pytest.raises(IsADirectoryError):
        sinotajik.write_sqlite(sinotajik.load("2026.11.0"), tmp_path)


def test_cli_export_sqlite_writes_the_database_and_metadata(cli: Runner, tmp_path: Path) -> None:
    """export --format sqlite writes FILE and FILE's stem .metadata.json; without --output it fails in one line."""
    out = tmp_path / "tj.db"
    proc = cli("export", "--format", "sqlite", "--release", RELEASE, "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"wrote {len(sinotajik.load(RELEASE))} records of dataset {RELEASE} as sqlite")
    meta = json.loads((tmp_path / "tj.metadata.json").read_text("utf-8"))
    assert "tj" in meta["databases"]
    assert _rows(out, "PRAGMA foreign_key_check") == []
    bad = cli("export", "--format", "sqlite")
    assert bad.returncode == 2 and "give --output FILE" in bad.stderr and "Traceback" not in bad.stderr


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read().decode("utf-8"))


def test_datasette_serves_the_database_and_its_metadata(tmp_path: Path) -> None:
    """Datasette on 127.0.0.1 answers a full-text SQL query and a table query through its JSON API, then stops."""
    path = tmp_path / "sinotajik.db"
    ds = sinotajik.load(RELEASE)
    sinotajik.write_sqlite(ds, path)
    meta = tmp_path / "metadata.json"
    meta.write_text(json.dumps(sinotajik.datasette_metadata(ds)), encoding="utf-8")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(path),
        "--metadata",
        str(meta),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
    ]
    log = tmp_path / "datasette.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                versions = _get_json(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, log.read_text("utf-8", "replace")
                assert time.monotonic() < deadline, "datasette did not start within 60 s"
                time.sleep(0.2)
        assert "datasette" in versions
        sql = "SELECT record, field FROM search WHERE search MATCH :q ORDER BY record, field"
        query = urllib.parse.urlencode({"sql": sql, "q": "outpost", "_shape": "array"})
        hits = _get_json(f"{base}/sinotajik.json?{query}")
        assert {"record": OUTPOST, "field": "name"} in hits
        rows = _get_json(f"{base}/sinotajik/facilities.json?_shape=array&id={OUTPOST}")
        assert [r["name"] for r in rows] == [ds.get(OUTPOST).name]
        served = _get_json(f"{base}/-/metadata.json")
        assert served["license"] == "CC-BY-4.0"
        assert served["databases"]["sinotajik"]["tables"]["claims"]["columns"]["contested"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(datasets())
def test_any_dataset_makes_a_consistent_database(tmp_path: Path, ds: sinotajik.Dataset) -> None:
    """Any valid dataset gives a database whose keys hold and whose tables have the rows of to_tables."""
    path = tmp_path / "gen.db"
    sinotajik.write_sqlite(ds, path)
    assert _rows(path, "PRAGMA foreign_key_check") == []
    tables = sinotajik.to_tables(ds)
    for name in ("events", "event_participants", "citations", "facility_history"):
        assert _rows(path, f'SELECT count(*) FROM "{name}"') == [(len(tables[name]),)]
    titles = len(ds.sources) + len(ds.events) + len(ds.agreements) + len(ds.facilities)
    assert _rows(path, "SELECT count(*) FROM search WHERE field IN ('title', 'name')") == [(titles,)]


def test_cli_sqlite_of_a_selection_keeps_its_keys(cli: Runner, tmp_path: Path) -> None:
    """A filtered export holds the selection and what it refers to, so its foreign keys still hold."""
    out = tmp_path / "drills.db"
    proc = cli("export", "--format", "sqlite", "--release", RELEASE, "--kind", "drill", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert {k for (k,) in _rows(out, "SELECT kind FROM events")} == {"drill"}
    assert _rows(out, "SELECT version FROM dataset") == [(f"{RELEASE}+selection",)]
    assert _rows(out, "PRAGMA foreign_key_check") == []
