"""The Parquet export queried with DuckDB and Polars, joined on ids, as the beyond-memory guide does."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import polars as pl
import pytest

import sinotajik

RELEASE = "2026.11.2"


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pq") / "tables"
    sinotajik.write_parquet(sinotajik.load(RELEASE), folder)
    return folder


def test_duckdb_joins_participants_to_actor_names(parquet: Path) -> None:
    """Counting events per actor name with a three-table join in DuckDB gives what Python counts from the records."""
    ds = sinotajik.load(RELEASE)
    expected = Counter(ds.get(p.actor).name for e in ds.events for p in e.participants)
    con = duckdb.connect()
    rows = con.execute(
        f"""
        SELECT a.name, count(*) FROM '{parquet}/event_participants.parquet' p
        JOIN '{parquet}/events.parquet' e ON e.id = p.event
        JOIN '{parquet}/actors.parquet' a ON a.id = p.actor
        GROUP BY a.name
        """
    ).fetchall()
    assert dict(rows) == dict(expected)


def test_duckdb_reads_the_derived_days_as_dates(parquet: Path) -> None:
    """date_earliest is a DATE in DuckDB, so a range filter on it selects what the records' dates say."""
    ds = sinotajik.load(RELEASE)
    con = duckdb.connect()
    [(type_name,)] = con.execute(f"SELECT typeof(date_earliest) FROM '{parquet}/events.parquet' LIMIT 1").fetchall()
    assert type_name == "DATE"
    got = {
        r
        for (r,) in con.execute(
            f"SELECT id FROM '{parquet}/events.parquet' WHERE date_latest < DATE '2016-01-01'"
        ).fetchall()
    }
    assert got == {e.id for e in ds.events if e.date.latest is not None and e.date.latest.year < 2016}
    assert got


def test_duckdb_joins_a_larger_external_set_on_dates(parquet: Path, tmp_path: Path) -> None:
    """A generated external event set written to Parquet joins with our events by month, only for month-certain dates."""
    con = duckdb.connect()
    big = tmp_path / "big.parquet"
    con.execute(
        f"""COPY (SELECT i AS event_id, DATE '2016-01-01' + CAST(i % 3650 AS INTEGER) AS event_date
        FROM range(200000) t(i)) TO '{big}' (FORMAT parquet)"""
    )
    rows = con.execute(
        f"""
        SELECT s.id, count(*) FROM '{parquet}/events.parquet' s JOIN '{big}' b
          ON date_trunc('month', s.date_earliest) = date_trunc('month', s.date_latest)
         AND date_trunc('month', b.event_date) = date_trunc('month', s.date_earliest)
        GROUP BY s.id
        """
    ).fetchall()
    ds = sinotajik.load(RELEASE)
    month_certain = {
        e.id
        for e in ds.events
        if e.date.earliest is not None
        and e.date.latest is not None
        and (e.date.earliest.year, e.date.earliest.month) == (e.date.latest.year, e.date.latest.month)
        and 2016 <= e.date.earliest.year <= 2025
    }
    assert {r for r, _n in rows} == month_certain
    assert all(n >= 200000 // 3650 * 28 for _r, n in rows)


def test_polars_joins_participants_to_actor_names(parquet: Path) -> None:
    """Polars: the guide's lazy three-table join counts events per actor name exactly as the records do."""
    ds = sinotajik.load(RELEASE)
    expected = Counter(ds.get(p.actor, kind=sinotajik.Actor).name for e in ds.events for p in e.participants)
    events = pl.scan_parquet(parquet / "events.parquet")
    parts = pl.scan_parquet(parquet / "event_participants.parquet")
    actors = pl.scan_parquet(parquet / "actors.parquet")
    counted = (
        parts.join(events, left_on="event", right_on="id")
        .join(actors, left_on="actor", right_on="id", suffix="_actor")
        .group_by("name")
        .agg(pl.len().alias("events"))
        .collect()
    )
    assert dict(zip(counted["name"].to_list(), counted["events"].to_list(), strict=True)) == dict(expected)


def test_polars_reads_the_derived_days_as_dates(parquet: Path) -> None:
    """date_earliest is a Date column in Polars; a range filter selects the events whose first day is in it."""
    ds = sinotajik.load(RELEASE)
    events = pl.read_parquet(parquet / "events.parquet")
    assert events.schema["date_earliest"] == pl.Date
    import datetime as dt

    lo, hi = dt.date(2021, 8, 1), dt.date(2021, 9, 30)
    got = sorted(events.filter(pl.col("date_earliest").is_between(lo, hi))["id"].to_list())
    want = sorted(
        e.id
        for e in ds.events
        if e.date.earliest is not None
        and lo <= dt.date(e.date.earliest.year, e.date.earliest.month, e.date.earliest.day) <= hi
    )
    assert got == want and got
