"""The Parquet export queried lazily with Polars, joined on ids, as the DuckDB guide shows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl
import pytest

import sinotajik

RELEASE = "2026.12.0"


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pq") / "sinotajik-parquet"
    sinotajik.write_parquet(sinotajik.load(RELEASE), out)
    return out


def test_polars_joins_participants_to_actor_names(parquet: Path) -> None:
    """The guide's lazy three-table join counts events per actor name exactly as the records do."""
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

    lo, hi = dt.date(2025, 11, 1), dt.date(2025, 12, 31)
    got = sorted(events.filter(pl.col("date_earliest").is_between(lo, hi))["id"].to_list())
    want = sorted(
        e.id
        for e in ds.events
        if e.date.earliest is not None and lo <= dt.date(e.date.earliest.year, e.date.earliest.month, e.date.earliest.day) <= hi
    )
    assert got == want and got
