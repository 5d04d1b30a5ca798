"""Responses linked to the events they answer, and the areas a facility programme covers."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

import sinotajik
from sinotajik import DataError, Event, parse, select, where

SOURCES = [
    {
        "id": "src-early",
        "publisher": "P",
        "title": "T",
        "kind": "wire",
        "reliability": "high",
        "reliability_note": "n",
        "language": "en",
        "published": "2025-11-27",
    },
    {
        "id": "src-late",
        "publisher": "P",
        "title": "U",
        "kind": "wire",
        "reliability": "high",
        "reliability_note": "n",
        "language": "en",
        "published": "2025-12-02",
    },
]
PLACES = [
    {
        "id": "plc-region",
        "name": "Region",
        "precision": "region",
        "country": "TJK",
        "citations": [{"source": "src-early", "quote": "q"}],
    },
    {
        "id": "plc-district",
        "name": "District",
        "precision": "district",
        "country": "TJK",
        "within": "plc-region",
        "citations": [{"source": "src-early", "quote": "q"}],
    },
    {
        "id": "plc-other",
        "name": "Other",
        "precision": "district",
        "country": "TJK",
        "citations": [{"source": "src-early", "quote": "q"}],
    },
]


def _event(eid: str, date: str, source: str, **more: Any) -> dict[str, Any]:
    return {
        "id": eid,
        "kind": "security_incident",
        "title": eid,
        "summary": "s",
        "date": date,
        "citations": [{"source": source, "quote": "q"}],
        **more,
    }


ATTACK = _event("evt-attack", "2025-11-26", "src-early", places=["plc-district"])
ALERT = _event("evt-alert", "2025-11-28", "src-early", kind="statement", responds_to=["evt-attack"])
TALKS = _event("evt-talks", "2025-12-01", "src-late", kind="meeting", responds_to=["evt-attack", "evt-alert"])
PROGRAMME = {
    "id": "fac-programme",
    "kind": "facility_group",
    "name": "Programme",
    "summary": "s",
    "status": "agreed",
    "place": "plc-region",
    "areas": ["plc-district"],
    "citations": [{"source": "src-early", "quote": "q"}],
}


def _doc(events: list[dict[str, Any]], facilities: list[dict[str, Any]] | None = None) -> str:
    return json.dumps(
        {
            "schema": 1,
            "version": "test",
            "sources": SOURCES,
            "places": PLACES,
            "events": events,
            "facilities": facilities or [PROGRAMME],
        }
    )


def _problems(text: str) -> list[str]:
    with pytest.raises(DataError) as info:
        parse(text)
    return [str(p) for p in info.value.problems]


@pytest.fixture
def ds() -> sinotajik.Dataset:
    return parse(_doc([TALKS, ATTACK, ALERT]))


def test_responses_are_listed_earliest_first(ds: sinotajik.Dataset) -> None:
    """event_responses gives the events that name the incident in responds_to, in date order."""
    assert [e.id for e in sinotajik.event_responses(ds, "evt-attack")] == ["evt-alert", "evt-talks"]
    assert [e.id for e in sinotajik.event_responses(ds, "evt-alert")] == ["evt-talks"]
    assert sinotajik.event_responses(ds, "evt-talks") == []
    # Also from a plain list of records, as every relation helper accepts.
    assert [e.id for e in sinotajik.event_responses(list(ds), "evt-attack")] == ["evt-alert", "evt-talks"]


def test_event_responses_rejects_unknown_and_wrong_kind(ds: sinotajik.Dataset) -> None:
    """An unknown id is a KeyError and a non-event a ValueError, as for the other relations."""
    with pytest.raises(KeyError):
        sinotajik.event_responses(ds, "evt-nope")
    with pytest.raises(ValueError, match="is a place, not an event"):
        sinotajik.event_responses(ds, "plc-district")


def test_responds_to_must_name_an_event() -> None:
    """A response naming a missing record, a non-event or itself is reported with its path."""
    bad = _event("evt-bad", "2025-12", "src-early", responds_to=["evt-missing", "plc-district", "evt-bad"])
    problems = _problems(_doc([ATTACK, bad]))
    assert "events[1].responds_to[0]: 'evt-missing' does not exist" in problems
    assert "events[1].responds_to[1]: 'plc-district' is a place, expected events" in problems
    assert "events[1].responds_to: 'evt-bad' cannot respond to itself" in problems


def test_areas_must_name_places() -> None:
    """A facility's areas must be places that exist."""
    fac = dict(PROGRAMME, areas=["plc-district", "plc-missing", "evt-attack"])
    problems = _problems(_doc([ATTACK], [fac]))
    assert "facilities[0].areas[1]: 'plc-missing' does not exist" in problems
    assert "facilities[0].areas[2]: 'evt-attack' is a event, expected places" in problems or any(
        p.startswith("facilities[0].areas[2]: 'evt-attack' is") for p in problems
    )
    assert not any(p.startswith("facilities[0].areas[0]") for p in problems)


def test_place_filter_finds_a_programme_by_the_areas_it_covers(ds: sinotajik.Dataset) -> None:
    """where.place(district) matches a programme covering the district; a place elsewhere does not."""
    assert [f.id for f in select(ds, where.place("plc-district"), kind=sinotajik.Facility)] == ["fac-programme"]
    assert select(ds, where.place("plc-other"), kind=sinotajik.Facility) == []
    # The region holds the district: the programme is in it both ways.
    assert [f.id for f in select(ds, where.place("plc-region"), kind=sinotajik.Facility)] == ["fac-programme"]


def test_as_of_drops_links_to_events_not_yet_known(ds: sinotajik.Dataset) -> None:
    """A response kept as of a date keeps only the links to events known by then."""
    early = ds.as_of("2025-11-30")
    assert [e.id for e in early.events] == ["evt-alert", "evt-attack"]
    later = ds.as_of("2025-12-05")
    talks = later.get("evt-talks")
    assert isinstance(talks, Event)
    assert talks.responds_to == ("evt-attack", "evt-alert")


def test_links_round_trip_and_reach_the_csv_tables(ds: sinotajik.Dataset, tmp_path: Any) -> None:
    """The new fields survive canonical JSON and appear as link tables in the CSV export."""
    assert parse(sinotajik.dumps(ds)) == ds
    out = tmp_path / "tables"
    sinotajik.write_csv(ds, out)
    names = sorted(p.name for p in out.iterdir())
    rt = [n for n in names if "responds_to" in n]
    ar = [n for n in names if "areas" in n]
    assert rt and ar, names
    rows = list(csv.DictReader(io.StringIO((out / rt[0]).read_text("utf-8"))))
    assert len(rows) == 3
    assert any("evt-talks" in r.values() and "evt-alert" in r.values() for r in rows)
    area_rows = list(csv.DictReader(io.StringIO((out / ar[0]).read_text("utf-8"))))
    assert [r.get("place") for r in area_rows] == ["plc-district"]
    # And back: the CSV tables read into the same dataset.
    assert sinotajik.read_csv(out) == ds
