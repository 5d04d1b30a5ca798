"""The sealed Dataset: derived state is rebuilt, never copied; equality, to_dict, repr, typed get."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest

import sinotajik
from sinotajik import RECORD_KINDS, Actor, DataError, Dataset, Event, Facility, Place, from_dict, to_dict


def _release() -> Dataset:
    return sinotajik.load("2026.11.2")


def _edited(rec: Any) -> Any:
    """The record with its first free-text field changed (references untouched)."""
    for f in attrs.fields(type(rec)):
        if f.name in ("name", "title") and isinstance(getattr(rec, f.name), str):
            return attrs.evolve(rec, **{f.name: getattr(rec, f.name) + " (edited)"})
    raise AssertionError(f"no text field on {type(rec).__name__}")


def test_evolve_rebuilds_index_length_and_checksum() -> None:
    """attrs.evolve gives a Dataset whose len, index and sha256 describe its own records."""
    ds = _release()
    small = attrs.evolve(ds, events=ds.events[:1])
    assert len(small) == len(ds) - len(ds.events) + 1
    assert small.sha256 != ds.sha256
    assert small.sha256 == sinotajik.parse(sinotajik.dumps(small)).sha256
    assert ds.events[1].id not in small
    assert small.get(ds.events[1].id, None) is None


def test_derived_state_cannot_be_passed_in() -> None:
    """The index and cache are not constructor arguments."""
    assert [f.name for f in attrs.fields(Dataset) if not f.init] == ["_index", "_derived"]
    with pytest.raises(TypeError):
        Dataset(version="x", _index={})  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Dataset(version="x", index={})  # type: ignore[call-arg]


def test_building_always_checks() -> None:
    """A Dataset built by the constructor or by evolve runs the integrity checks."""
    ds = _release()
    with pytest.raises(DataError, match="does not exist"):
        attrs.evolve(ds, sources=())
    with pytest.raises(DataError, match=r"events\[0\]: is an Actor, not an Event"):
        Dataset(version="x", events=(ds.actors[0],))  # type: ignore[arg-type]


def test_constructor_sorts_by_id() -> None:
    """Collections passed in any order are stored sorted by id."""
    ds = _release()
    built = Dataset(
        version=ds.version,
        actors=tuple(reversed(ds.actors)),
        places=ds.places,
        sources=ds.sources,
        events=ds.events,
        agreements=ds.agreements,
        facilities=ds.facilities,
    )
    assert built == ds
    assert built.sha256 == ds.sha256


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_equality_sees_every_collection(kind: str) -> None:
    """Changing one record of one collection makes the datasets unequal (mutation check per collection)."""
    ds = _release()
    recs = getattr(ds, kind)
    changed = attrs.evolve(ds, **{kind: (_edited(recs[0]), *recs[1:])})
    same = attrs.evolve(ds, **{kind: recs})
    assert changed != ds
    assert not changed == ds  # noqa: SIM201 - __eq__ itself, not only __ne__
    assert same == ds


def test_equality_sees_the_version() -> None:
    """The same records under another version are a different dataset."""
    ds = _release()
    assert attrs.evolve(ds, version="other") != ds


def test_to_dict_is_the_canonical_document() -> None:
    """to_dict(ds) is the canonical JSON document, without index or cache."""
    ds = _release()
    doc = to_dict(ds)
    assert doc == json.loads(sinotajik.dumps(ds))
    assert set(doc) == {"schema", "version", *RECORD_KINDS}
    assert from_dict(doc, Dataset) == ds


def test_repr_is_one_short_line() -> None:
    """repr shows version, counts and a short checksum, on one line."""
    ds = _release()
    text = repr(ds)
    assert "\n" not in text
    assert len(text) < 200
    assert ds.version in text
    assert ds.sha256[:12] in text
    assert f"events={len(ds.events)}" in text


def test_get_with_kind_returns_that_class() -> None:
    """get(id, kind=Facility) returns the Facility, and a clear TypeError for another kind."""
    ds = _release()
    fac = ds.get(ds.facilities[0].id, kind=Facility)
    assert isinstance(fac, Facility)
    with pytest.raises(TypeError, match=r"is an actor, not a facility"):
        ds.get(ds.actors[0].id, kind=Facility)
    with pytest.raises(KeyError, match="act-nobody"):
        ds.get("act-nobody", kind=Actor)


def test_get_with_default() -> None:
    """get(id, None) gives None for a missing id, the record otherwise; a default works with kind."""
    ds = _release()
    assert ds.get("plc-nowhere", None) is None
    assert ds.get("plc-nowhere", None, kind=Place) is None
    assert ds.get(ds.places[0].id, None, kind=Place) is ds.places[0]


def test_record_kinds_mapping() -> None:
    """RECORD_KINDS maps each Dataset collection to its record class, read-only."""
    assert list(RECORD_KINDS) == ["actors", "places", "sources", "events", "agreements", "facilities"]
    assert RECORD_KINDS["events"] is Event
    ds = _release()
    for kind, cls in RECORD_KINDS.items():
        assert all(type(r) is cls for r in getattr(ds, kind))
    with pytest.raises(TypeError):
        RECORD_KINDS["x"] = Event  # type: ignore[index]
