"""Record facts: what each filter reads from a record, written once for both query paths.

A ``Facet`` gives, for each record class, the keys a record has
for one kind of filter (its kind, the actors it names with their roles, its places, dates,
tags, confidence, cited sources, whether it is contested). A filter's test on one record
and the index that groups records by key both read the keys from here.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Hashable, Iterator
from typing import Any, Union

import attrs

from .._dates import When
from .._model import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    Citation,
    Confidence,
    Event,
    EventKind,
    Facility,
    FacilityKind,
    LocationPrecision,
    Place,
    Record,
    Role,
    Source,
    SourceKind,
    Stance,
)

RECORD_CLASSES: tuple[type[Any], ...] = (Actor, Place, Source, Event, Agreement, Facility)
CLASS_NAME: dict[type[Any], str] = {
    Actor: "actor",
    Place: "place",
    Source: "source",
    Event: "event",
    Agreement: "agreement",
    Facility: "facility",
}
PLURAL = {"actor": "actors", "place": "places", "source": "sources", "event": "events"}
PLURAL.update({"agreement": "agreements", "facility": "facilities"})
NAME_CLASS: dict[str, type[Any]] = {}
for _cls, _name in CLASS_NAME.items():
    NAME_CLASS[_name] = _cls
    NAME_CLASS[PLURAL[_name]] = _cls

#: The enumeration giving each record class its sub-kind (a place's is its precision).
SUBKIND_ENUM: dict[type[Any], type[enum.Enum]] = {
    Actor: ActorKind,
    Place: LocationPrecision,
    Source: SourceKind,
    Event: EventKind,
    Agreement: AgreementKind,
    Facility: FacilityKind,
}
ENUM_CLASS = {e: c for c, e in SUBKIND_ENUM.items()}
SUBKIND_OWNERS: dict[str, list[type[Any]]] = {}
for _cls, _enum in SUBKIND_ENUM.items():
    for _member in _enum:
        SUBKIND_OWNERS.setdefault(str(_member.value), []).append(_cls)
del _cls, _name, _enum, _member

FACILITY_ROLES: dict[str, str] = {
    "funder": "funders",
    "builder": "builders",
    "operator": "operators",
    "owner": "owners",
}
"""The roles an actor plays in a facility, and the facility field that names them."""

CLAIMANT = "claimant"
"""The role of an actor that makes one of a record's claims."""

ROLE_NAMES = frozenset({r.value for r in Role} | set(FACILITY_ROLES) | {CLAIMANT})

KindSpec = tuple[type[Any], Union[str, None]]

#: The record classes that carry dates (see ``record_dates``).
DATED_CLASSES: tuple[type[Any], ...] = (Source, Event, Agreement, Facility)


# --------------------------------------------------------------------------- record facts


def subkind(rec: Record) -> str:
    """A record's sub-kind: its ``kind``, or a place's ``precision``."""
    return str(rec.precision.value if isinstance(rec, Place) else rec.kind.value)


def all_citations(rec: Record) -> Iterator[tuple[str, Citation]]:
    """Every citation in a record, anywhere, with its path (``claims[0].citations[1]``)."""

    def each(path: str, cites: tuple[Citation, ...]) -> Iterator[tuple[str, Citation]]:
        for i, c in enumerate(cites):
            yield f"{path}[{i}]", c

    if isinstance(rec, Source):
        return
    yield from each("citations", rec.citations)
    if isinstance(rec, Actor):
        for i, pos in enumerate(rec.positions):
            yield from each(f"positions[{i}].citations", pos.citations)
        return
    if isinstance(rec, Place):
        return
    if isinstance(rec, Event):
        groups: tuple[tuple[str, tuple[Any, ...]], ...] = (("quantities", rec.quantities),)
    elif isinstance(rec, Agreement):
        groups = (("milestones", rec.milestones), ("provisions", rec.provisions), ("quantities", rec.quantities))
    else:
        groups = (("history", rec.history), ("counts", rec.counts))
    for name, items in (*groups, ("claims", rec.claims)):
        for i, item in enumerate(items):
            yield from each(f"{name}[{i}].citations", item.citations)


def cited_sources(rec: Record) -> set[str]:
    """The ids of every source a record cites anywhere (a source record cites itself)."""
    if isinstance(rec, Source):
        return {rec.id}
    if isinstance(rec, Event):
        return set(_event_sources(rec))
    out = {c.source for c in rec.citations}
    if isinstance(rec, Actor):
        groups: tuple[tuple[Any, ...], ...] = (rec.positions,)
    elif isinstance(rec, Place):
        return out
    elif isinstance(rec, Agreement):
        groups = (rec.milestones, rec.provisions, rec.quantities, rec.claims)
    else:
        groups = (rec.history, rec.counts, rec.claims)
    for items in groups:
        for item in items:
            for c in item.citations:
                out.add(c.source)
    return out


def _contested(rec: Event | Agreement | Facility) -> bool | None:
    """``True`` when a record's claims disagree (``None`` otherwise: no key)."""
    seen: set[str] = set()
    for c in rec.claims:
        if c.stance in (Stance.DENIES, Stance.DISPUTES) or c.about in seen:
            return True
        seen.add(c.about)
    return None


def _claimants(rec: Event | Agreement | Facility) -> list[tuple[str, str | None]]:
    return [(c.by, CLAIMANT) for c in rec.claims if c.by is not None]


def _agreement_actors(a: Agreement) -> list[tuple[str, str | None]]:
    return [(p.actor, p.role) for p in a.parties] + _claimants(a)


def _facility_actors(f: Facility) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for role, field in FACILITY_ROLES.items():
        out += [(a, role) for a in getattr(f, field)]
    return out + _claimants(f)


def _facility_places(f: Facility) -> tuple[str, ...]:
    return f.areas if f.place is None else (f.place, *f.areas)


def _event_actors(e: Event) -> list[tuple[str, str | None]]:
    # A role is a string enumeration: (actor, Role.HOST) is the key (actor, "host").
    out: list[tuple[str, str | None]] = [(p.actor, p.role) for p in e.participants]
    return out + _claimants(e) if e.claims else out


def _event_sources(e: Event) -> list[str]:
    out = [c.source for c in e.citations]
    for q in e.quantities:
        out += [c.source for c in q.citations]
    for c in e.claims:
        out += [x.source for x in c.citations]
    return out


KeyFunction = Callable[[Any], Any]


@attrs.frozen(eq=False)
class Facet:
    """The keys one kind of filter reads from records, by record class.

    ``by_class`` maps a record class to ``(function, single)``: with ``single``, the function
    gives the record's one key, or ``None`` for none; otherwise it gives the keys as an
    iterable (repeats allowed). Records of classes not listed have no keys.
    """

    name: str
    by_class: dict[type[Any], tuple[KeyFunction, bool]]

    def keys(self, rec: Record) -> tuple[Hashable, ...]:
        """The keys of one record."""
        got = self.by_class.get(type(rec))
        if got is None:
            return ()
        fn, single = got
        if single:
            k = fn(rec)
            return () if k is None else (k,)
        return tuple(fn(rec))


_CONTENT = (Event, Agreement, Facility)

KINDS = Facet(
    "kinds",
    {Place: (operator.attrgetter("precision"), True)}
    | {cls: (operator.attrgetter("kind"), True) for cls in (Actor, Source, *_CONTENT)},
)
"""A record's sub-kind, an enumeration member (each record class has its own enumeration)."""

ACTORS = Facet(
    "actors",
    {
        Actor: (lambda a: ((a.id, None),), False),
        Agreement: (_agreement_actors, False),
        Event: (_event_actors, False),
        Facility: (_facility_actors, False),
    },
)
"""``(actor id, role)`` for every actor a record names; an actor names itself, with no role."""

PLACES = Facet(
    "places",
    {
        Place: (lambda p: (p.id,), False),
        Agreement: (operator.attrgetter("places"), False),
        Event: (operator.attrgetter("places"), False),
        Facility: (_facility_places, False),
    },
)
"""The places a record names: an event's or agreement's, a facility's place and areas; a place itself."""

DATES = Facet(
    "dates",
    {
        Event: (operator.attrgetter("date"), True),
        Agreement: (lambda a: [m.date for m in a.milestones if m.date is not None], False),
        Facility: (lambda f: [h.date for h in f.history if h.date is not None], False),
        Source: (operator.attrgetter("published"), True),
    },
)
"""The dates [`where.date`][sinotajik.where.date] tests (see ``record_dates``)."""

TAGS = Facet("tags", {cls: (operator.attrgetter("tags"), False) for cls in _CONTENT})
"""A record's tags."""

CONFIDENCE = Facet("confidence", {cls: (operator.attrgetter("confidence"), True) for cls in _CONTENT})
"""A record's confidence."""

SOURCES = Facet("sources", {cls: (cited_sources, False) for cls in RECORD_CLASSES} | {Event: (_event_sources, False)})
"""The sources a record cites anywhere (a source cites itself)."""

CONTESTED = Facet("contested", {cls: (_contested, True) for cls in _CONTENT})
"""``True`` for a record whose claims disagree."""


def involvements(rec: Record) -> tuple[tuple[str, str | None], ...]:
    """``(actor id, role)`` for every actor a record names; an actor names itself (no role)."""
    return ACTORS.keys(rec)  # type: ignore[return-value]


def places_of(rec: Record) -> tuple[str, ...]:
    """The places a record names (a place names itself)."""
    return PLACES.keys(rec)  # type: ignore[return-value]


def record_dates(rec: Record) -> tuple[When, ...]:
    """The dates a record carries, as [`where.date`][sinotajik.where.date] tests them.

    An event's date, an agreement's dated milestones, a facility's dated history steps, a
    source's publication date; none for actors and places.
    """
    return DATES.keys(rec)  # type: ignore[return-value]


def tags_of(rec: Record) -> tuple[str, ...]:
    """A record's tags (none for actors, places and sources)."""
    return TAGS.keys(rec)  # type: ignore[return-value]


def confidence_of(rec: Record) -> Confidence | None:
    """A record's confidence (``None`` for actors, places and sources)."""
    got = CONFIDENCE.keys(rec)
    return got[0] if got else None  # type: ignore[return-value]


def is_contested(rec: Record) -> bool:
    """Whether a record's claims disagree (see [`where.contested`][sinotajik.where.contested])."""
    return bool(CONTESTED.keys(rec))


def date_key(rec: Record) -> tuple[Any, ...]:
    """Earliest date first (undated records last), then kind order, then id."""
    dates = record_dates(rec)
    kind = RECORD_CLASSES.index(type(rec))
    if not dates:
        return (1, (), kind, rec.id)
    return (0, min(d.sort_key() for d in dates), kind, rec.id)


def with_article(noun: str) -> str:
    """The noun with its indefinite article: ``an actor``, ``a place``."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
