"""Query the records: composable filters, typed selection, knowledge time and relations.

Filters
=======

Build filters with the constructors of [`where`][sinotajik.where] and combine them with ``&`` (and),
``|`` (or) and ``~`` (not); [`select`][sinotajik.select] applies one to a Dataset or any iterable of
records::

    import sinotajik as st
    from sinotajik import Event, where

    ds = st.load()
    f = where.kind("exercise", "drill") & where.actor(country="CHN") & where.date("2016", "2019")
    exercises = st.select(ds, f, kind=Event)          # list[Event]

============================  ==========================================================
constructor                   keeps a record when
============================  ==========================================================
``where.kind(...)``           it is of one of these kinds or sub-kinds (``event``,
                              ``exercise``, ``event:exercise``, ``Event``, ``EventKind.DRILL``)
``where.actor(...)``          one of the actors it names (participants, parties, a
                              facility's funders, builders, operators and owners, the
                              authors of its claims) matches — by id (with
                              ``subordinates=True`` an agency counts for its state and a
                              unit for its ministry), by country (an agency or person
                              counts for the state it belongs to) and by role, all on the
                              same actor; an actor record names itself
``where.place(...)``          one of its places (an event's or agreement's places, a
                              facility's place) is one of these or lies inside one of them
                              (``within`` chain), or lies in one of these countries; a
                              place record is its own place
``where.date(start, end)``    one of its dates (an event's date, an agreement's dated
                              milestones, a facility's dated history, a source's
                              publication date) falls in the window: *possibly* by
                              default, *certainly* with ``certain=True``
``where.tag(...)``            it carries one of these tags
``where.confidence(...)``     its confidence is one of these (or at least ``at_least``)
``where.text(query)``         every word of ``query`` is in its name, aliases, title or
                              summary (case-, accent- and script-insensitive)
``where.source(...)``         it cites one of these sources anywhere (claims, figures,
                              milestones... included); a source record cites itself
``where.contested()``         its claims disagree: one denies or disputes, or two claims
                              give different versions of the same thing (same ``about``)
============================  ==========================================================

Actors, places, tags and sources given to one constructor are alternatives (any of them).
Evaluated on a Dataset (``select(ds, ...)``, ``context=ds``), a filter naming an actor, place
or source that the dataset does not have (or a tag no record carries) raises ``ValueError``,
as the command line does: a typo is not silently an empty result.

Results and the two paths
=========================

[`select`][sinotajik.select] returns a list, in the order of its input: for a Dataset, its own order
(actors, places, sources, events, agreements, facilities, each by id). ``kind=Event`` both
filters and types the result (``list[Event]``). Given a Dataset, selection uses an index
built on first use and cached on that dataset (records by kind and sub-kind, by actor and
role, by actor country, by place and country, tag, confidence and cited source, the contested
ones, and every record date, grouped by how many days it may span and sorted, so that a
date window is answered by bisection).
Given any other iterable, each record is tested in turn, resolving actors' ``parent`` chains
and places' ``within`` chains from ``context`` (by default the records themselves). Both
paths give the same answers; a property test checks it.

Knowledge time
==============

[`Dataset.as_of`][sinotajik.Dataset.as_of] (which calls `as_of` here) keeps what the cited sources had
published by a date; its docstring says exactly what is kept.
"""

from __future__ import annotations

import abc
import bisect
import enum
import itertools
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, TypeVar, Union, overload

import attrs

from ._dates import (
    Certainty,
    DateSpan,
    PartialDate,
    When,
    certainty_of,
    day_intervals,
    month_days,
    parse_date,
    possible_days,
)
from ._document import is_dataset
from ._model import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    Citation,
    Claim,
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

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = [
    "FACILITY_ROLES",
    "Filter",
    "actor_history",
    "agreement_events",
    "agreement_facilities",
    "as_of",
    "event_responses",
    "facility_claims",
    "find",
    "published_by",
    "record_dates",
    "select",
    "where",
]

R = TypeVar("R", bound=Record)
S = TypeVar("S", bound=str)
T = TypeVar("T")

_RECORD_CLASSES: tuple[type[Any], ...] = (Actor, Place, Source, Event, Agreement, Facility)
_CLASS_NAME: dict[type[Any], str] = {
    Actor: "actor",
    Place: "place",
    Source: "source",
    Event: "event",
    Agreement: "agreement",
    Facility: "facility",
}
_PLURAL = {"actor": "actors", "place": "places", "source": "sources", "event": "events"}
_PLURAL.update({"agreement": "agreements", "facility": "facilities"})
_NAME_CLASS: dict[str, type[Any]] = {}
for _cls, _name in _CLASS_NAME.items():
    _NAME_CLASS[_name] = _cls
    _NAME_CLASS[_PLURAL[_name]] = _cls

#: The enumeration giving each record class its sub-kind (a place's is its precision).
_SUBKIND_ENUM: dict[type[Any], type[enum.Enum]] = {
    Actor: ActorKind,
    Place: LocationPrecision,
    Source: SourceKind,
    Event: EventKind,
    Agreement: AgreementKind,
    Facility: FacilityKind,
}
_ENUM_CLASS = {e: c for c, e in _SUBKIND_ENUM.items()}
_SUBKIND_OWNERS: dict[str, list[type[Any]]] = {}
for _cls, _enum in _SUBKIND_ENUM.items():
    for _member in _enum:
        _SUBKIND_OWNERS.setdefault(str(_member.value), []).append(_cls)
del _cls, _name, _enum, _member

FACILITY_ROLES: dict[str, str] = {
    "funder": "funders",
    "builder": "builders",
    "operator": "operators",
    "owner": "owners",
}
"""The roles an actor plays in a facility, and the facility field that names them."""

_CLAIMANT = "claimant"
"""The role of an actor that makes one of a record's claims."""

_ROLE_NAMES = frozenset({r.value for r in Role} | set(FACILITY_ROLES) | {_CLAIMANT})

_KindSpec = tuple[type[Any], Union[str, None]]

#: The record classes that carry dates (see ``record_dates``).
_DATED_CLASSES: tuple[type[Any], ...] = (Source, Event, Agreement, Facility)


# --------------------------------------------------------------------------- record facts


def _subkind(rec: Record) -> str:
    return str(rec.precision.value if isinstance(rec, Place) else rec.kind.value)


def _involvements(rec: Record) -> Iterator[tuple[str, str | None]]:
    """``(actor id, role)`` for every actor a record names; an actor names itself (no role)."""
    if isinstance(rec, Actor):
        yield rec.id, None
        return
    if isinstance(rec, Event):
        for p in rec.participants:
            yield p.actor, p.role.value
    elif isinstance(rec, Agreement):
        for p in rec.parties:
            yield p.actor, p.role.value
    elif isinstance(rec, Facility):
        for role, field in FACILITY_ROLES.items():
            for a in getattr(rec, field):
                yield a, role
    else:
        return
    for c in rec.claims:
        if c.by is not None:
            yield c.by, _CLAIMANT


def _places_of(rec: Record) -> tuple[str, ...]:
    if isinstance(rec, Place):
        return (rec.id,)
    if isinstance(rec, (Event, Agreement)):
        return rec.places
    if isinstance(rec, Facility):
        return rec.areas if rec.place is None else (rec.place, *rec.areas)
    return ()


def record_dates(rec: Record) -> tuple[When, ...]:
    """The dates a record carries, as [`where.date`][sinotajik.where.date] tests them.

    An event's date, an agreement's dated milestones, a facility's dated history steps, a
    source's publication date; none for actors and places.
    """
    if isinstance(rec, Event):
        return (rec.date,)
    if isinstance(rec, Agreement):
        return tuple(m.date for m in rec.milestones if m.date is not None)
    if isinstance(rec, Facility):
        return tuple(h.date for h in rec.history if h.date is not None)
    if isinstance(rec, Source):
        return () if rec.published is None else (rec.published,)
    return ()


def _tags(rec: Record) -> tuple[str, ...]:
    return rec.tags if isinstance(rec, (Event, Agreement, Facility)) else ()


def _confidence(rec: Record) -> Confidence | None:
    return rec.confidence if isinstance(rec, (Event, Agreement, Facility)) else None


def _all_citations(rec: Record) -> Iterator[tuple[str, Citation]]:
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


def _cited_sources(rec: Record) -> set[str]:
    """The ids of every source a record cites anywhere (a source record cites itself)."""
    if isinstance(rec, Source):
        return {rec.id}
    out = {c.source for c in rec.citations}
    if isinstance(rec, Actor):
        groups: tuple[tuple[Any, ...], ...] = (rec.positions,)
    elif isinstance(rec, Place):
        return out
    elif isinstance(rec, Event):
        groups = (rec.quantities, rec.claims)
    elif isinstance(rec, Agreement):
        groups = (rec.milestones, rec.provisions, rec.quantities, rec.claims)
    else:
        groups = (rec.history, rec.counts, rec.claims)
    for items in groups:
        for item in items:
            for c in item.citations:
                out.add(c.source)
    return out


def _is_contested(rec: Record) -> bool:
    if not isinstance(rec, (Event, Agreement, Facility)):
        return False
    seen: set[str] = set()
    for c in rec.claims:
        if c.stance in (Stance.DENIES, Stance.DISPUTES) or c.about in seen:
            return True
        seen.add(c.about)
    return False


def _date_key(rec: Record) -> tuple[Any, ...]:
    """Earliest date first (undated records last), then kind order, then id."""
    dates = record_dates(rec)
    kind = _RECORD_CLASSES.index(type(rec))
    if not dates:
        return (1, (), kind, rec.id)
    return (0, min(d.sort_key() for d in dates), kind, rec.id)


# --------------------------------------------------------------------------- resolution


class _Resolver:
    """Looks up actors' parent chains and countries and places' ``within`` chains.

    Every walk up a chain keeps the links it has passed in a set (so a loop in an unchecked
    collection ends it), and what a walk learns (an actor's country, whether the chain
    reaches one of a filter's ids) is remembered for every link it passed: answering for all
    the records of a hierarchy ``n`` deep takes ``O(n)`` steps, not ``O(n²)`` or ``O(n³)``.
    """

    def __init__(self, records: Iterable[Record]) -> None:
        self.parent: dict[str, str | None] = {}
        self.own_country: dict[str, str | None] = {}
        self.within: dict[str, str | None] = {}
        self.place_country: dict[str, str] = {}
        for r in records:
            if isinstance(r, Actor):
                self.parent[r.id] = r.parent
                self.own_country[r.id] = r.country
            elif isinstance(r, Place):
                self.within[r.id] = r.within
                self.place_country[r.id] = r.country
        self._country: dict[str, str | None] = {}
        self._reach: dict[tuple[bool, frozenset[str]], dict[str, bool]] = {}
        #: Links followed by walks so far (read by the tests that pin linear walks).
        self.steps = 0

    @staticmethod
    def _chain(start: str, up: Mapping[str, str | None]) -> tuple[str, ...]:
        out: list[str] = []
        seen = {start}
        cur = up.get(start)
        while cur is not None and cur not in seen:
            out.append(cur)
            seen.add(cur)
            cur = up.get(cur)
        return tuple(out)

    def actor_ancestors(self, actor: str) -> tuple[str, ...]:
        """The actors above ``actor`` (its parent, the parent's parent...), nearest first."""
        return self._chain(actor, self.parent)

    def place_ancestors(self, place: str) -> tuple[str, ...]:
        """The places containing ``place``, nearest first."""
        return self._chain(place, self.within)

    def actor_country(self, actor: str) -> str | None:
        """The actor's own country, else the nearest ancestor's; ``None`` if none has one."""
        memo = self._country
        if actor in memo:
            return memo[actor]
        own, parent = self.own_country, self.parent
        path: list[str] = []
        seen: set[str] = set()
        cur: str | None = actor
        found: str | None = None
        while cur is not None and cur not in seen:
            self.steps += 1
            if cur in memo:
                found = memo[cur]
                break
            found = own.get(cur)
            if found is not None:
                memo[cur] = found
                break
            path.append(cur)
            seen.add(cur)
            cur = parent.get(cur)
        # Every actor passed has no country of its own, so each counts for what was found
        # (also round a loop: the actors on it then have none to find).
        for a in path:
            memo[a] = found
        return found

    def _reaches(self, start: str, targets: frozenset[str], places: bool) -> bool:
        """Whether a strict ancestor of ``start`` (up ``within`` or ``parent``) is in ``targets``."""
        memo = self._reach.get((places, targets))
        if memo is None:
            memo = self._reach[(places, targets)] = {}
        got = memo.get(start)
        if got is not None:
            return got
        up = self.within if places else self.parent
        # Walk up to the top, or to a link already answered (whose chain has a top too).
        path = [start]
        seen = {start}
        cur = up.get(start)
        while cur is not None and cur not in memo:
            self.steps += 1
            if cur in seen:  # a loop: the links above ``start`` are the ones walked
                return not targets.isdisjoint(path[1:])
            path.append(cur)
            seen.add(cur)
            cur = up.get(cur)
        # The chain has a top, so each link's answer follows from the one above it.
        found = False if cur is None else (cur in targets or memo[cur])
        for link in reversed(path):
            memo[link] = found
            found = found or link in targets
        return memo[start]

    def actor_below(self, actor: str, ids: frozenset[str]) -> bool:
        """Whether one of the actors above ``actor`` is in ``ids``."""
        return self._reaches(actor, ids, False)

    def place_inside(self, place: str, ids: frozenset[str]) -> bool:
        """Whether one of the places containing ``place`` is in ``ids``."""
        return self._reaches(place, ids, True)


# --------------------------------------------------------------------------- the index


_Interval = tuple[int, int]
"""Possible or sure days, as ordinals."""

# Entries are kept in buckets by how many days they may span; within a bucket, sorted by first
# possible day, a window's candidates lie between two bisections: those starting at most the
# bucket's longest span before the window, and not after its end.
_BUCKET_LIMITS = (0, 31, 92, 400, 1200)


class _DateIndex:
    """The dates of one record class, in buckets by span length, each sorted for bisection.

    Each bucket holds four aligned columns: first and last possible day, the record's
    position in the dataset, and the sure days (or ``None``).
    """

    def __init__(self, dated: Mapping[When, list[int]]) -> None:
        groups: list[list[tuple[int, int, _Interval | None, list[int]]]] = [[] for _ in range(len(_BUCKET_LIMITS) + 1)]
        # Each distinct date is computed once, then its records are added as one run.
        for d, positions in dated.items():
            (lo, hi), sure = day_intervals(d)
            groups[bisect.bisect_left(_BUCKET_LIMITS, hi - lo)].append((lo, hi, sure, positions))
        self.buckets: list[tuple[int, list[int], list[int], list[int], list[_Interval | None]]] = []
        for g in groups:
            if not g:
                continue
            g.sort(key=lambda x: x[0])
            los: list[int] = []
            his: list[int] = []
            pos: list[int] = []
            sure_days: list[_Interval | None] = []
            for lo, hi, sure, positions in g:
                k = len(positions)
                los += [lo] * k
                his += [hi] * k
                sure_days += [sure] * k
                pos += positions
            self.buckets.append((max(hi - lo for lo, hi, _, _ in g), los, his, pos, sure_days))

    def meeting(self, lo: int, hi: int) -> list[int]:
        """The positions of the records with a date whose possible days meet ``lo..hi``."""
        out: list[int] = []
        for longest, los, his, pos, _ in self.buckets:
            first = bisect.bisect_left(los, lo - longest)
            mid = bisect.bisect_left(los, lo, first)
            last = bisect.bisect_right(los, hi, mid)
            out += pos[mid:last]  # starting inside the window: they meet it
            if first < mid:  # starting before it: they meet it if they reach it
                out += [pos[i] for i in range(first, mid) if his[i] >= lo]
        return out

    def candidates(self, lo: int, hi: int) -> Iterator[tuple[_Interval, _Interval | None, int]]:
        """``(possible days, sure days, position)`` of the dates meeting ``lo..hi``."""
        for longest, los, his, pos, sure_days in self.buckets:
            first = bisect.bisect_left(los, lo - longest)
            last = bisect.bisect_right(los, hi, first)
            for i in range(first, last):
                if his[i] >= lo:
                    yield (los[i], his[i]), sure_days[i], pos[i]


def _group(records: Iterable[Any], offset: int, key: Any) -> dict[Any, list[int]]:
    """Positions by ``key(record)``: one pass, each position appended in order."""
    out: dict[Any, list[int]] = {}
    for i, r in enumerate(records, offset):
        k = key(r)
        got = out.get(k)
        if got is None:
            out[k] = [i]
        else:
            got.append(i)
    return out


class _Index:
    """Everything [`select`][sinotajik.select] needs to answer a filter on a Dataset without a full scan.

    Records are numbered by their position in the dataset (actors, places, sources, events,
    agreements, facilities, each by id), so each record class is a run of positions and an
    answer is put back in dataset order by sorting integers. Each part of the index is built
    on first use, for the filters that need it, from the record columns of the dataset.
    """

    def __init__(self, ds: Dataset) -> None:
        from ._serialize import KINDS

        self.records: list[Record] = []
        self.columns: list[tuple[type[Any], tuple[Any, ...], int]] = []
        self.ranges: dict[type[Any], range] = {}
        for kind in KINDS:
            recs: tuple[Any, ...] = getattr(ds, kind)
            cls = _NAME_CLASS[kind]
            start = len(self.records)
            self.columns.append((cls, recs, start))
            self.ranges[cls] = range(start, start + len(recs))
            self.records += recs
        self.positions: dict[str, int] = {}
        self.resolver = _Resolver(itertools.chain(ds.actors, ds.places))
        self._built: dict[str, Any] = {}

    def _part(self, name: str, build: Any) -> Any:
        got = self._built.get(name)
        if got is None:
            got = self._built[name] = build()
        return got

    @property
    def by_id(self) -> dict[str, Record]:
        """Each record by its id."""
        return self._part("by_id", lambda: {r.id: r for r in self.records})  # type: ignore[no-any-return]

    @property
    def all_ids(self) -> AbstractSet[int]:
        """Every position."""
        return self._part("all", lambda: frozenset(range(len(self.records))))  # type: ignore[no-any-return]

    def of_kind(self, spec: _KindSpec) -> AbstractSet[int]:
        """The positions of a record class, or of one of its sub-kinds."""

        def build() -> dict[_KindSpec, AbstractSet[int]]:
            out: dict[_KindSpec, AbstractSet[int]] = {}
            for cls, recs, start in self.columns:
                out[(cls, None)] = frozenset(self.ranges[cls])
                attr = "precision" if cls is Place else "kind"
                for sub, positions in _group(recs, start, operator.attrgetter(attr)).items():
                    out[(cls, str(sub.value))] = frozenset(positions)
            return out

        kinds: dict[_KindSpec, AbstractSet[int]] = self._part("kinds", build)
        return kinds.get(spec, _EMPTY)

    def _by_record(self, name: str, facts: Any) -> dict[Any, AbstractSet[int]]:
        """A map from each fact ``facts(record)`` yields to the positions of its records."""

        def build() -> dict[Any, AbstractSet[int]]:
            out: dict[Any, list[int]] = {}
            for i, r in enumerate(self.records):
                for fact in facts(r):
                    got = out.get(fact)
                    if got is None:
                        out[fact] = [i]
                    else:
                        got.append(i)
            return {k: frozenset(v) for k, v in out.items()}

        return self._part(name, build)  # type: ignore[no-any-return]

    @property
    def involved(self) -> dict[str, dict[str | None, AbstractSet[int]]]:
        """Positions by actor and role."""

        def build() -> dict[str, dict[str | None, AbstractSet[int]]]:
            flat: dict[tuple[str, str | None], list[int]] = {}

            def add(key: tuple[str, str | None], i: int) -> None:
                got = flat.get(key)
                if got is None:
                    flat[key] = [i]
                else:
                    got.append(i)

            role_name = {r: str(r.value) for r in Role}
            for cls, recs, start in self.columns:
                if cls is not Event:  # the few other records, one by one
                    for i, r in enumerate(recs, start):
                        for key in _involvements(r):
                            add(key, i)
                    continue
                get = flat.get
                for i, e in enumerate(recs, start):  # events, most of the records: inlined
                    for p in e.participants:
                        key = (p.actor, role_name[p.role])
                        got = get(key)
                        if got is None:
                            flat[key] = [i]
                        else:
                            got.append(i)
                    for c in e.claims:
                        if c.by is not None:
                            add((c.by, _CLAIMANT), i)
            out: dict[str, dict[str | None, AbstractSet[int]]] = {}
            for (actor, role), positions in flat.items():
                out.setdefault(actor, {})[role] = frozenset(positions)
            return out

        return self._part("involved", build)  # type: ignore[no-any-return]

    @property
    def at_place(self) -> dict[str, AbstractSet[int]]:
        """Positions by place named."""
        return self._by_record("places", _places_of)

    @property
    def tags(self) -> dict[str, AbstractSet[int]]:
        """Positions by tag."""
        return self._by_record("tags", _tags)

    @property
    def sources(self) -> dict[str, AbstractSet[int]]:
        """Positions by cited source."""
        return self._by_record("sources", _cited_sources)

    @property
    def confidence(self) -> dict[Confidence, AbstractSet[int]]:
        """Positions by confidence."""
        return self._by_record("confidence", lambda r: () if (c := _confidence(r)) is None else (c,))

    @property
    def contested(self) -> AbstractSet[int]:
        """Positions of the contested records."""
        return self._part(  # type: ignore[no-any-return]
            "contested", lambda: frozenset(i for i, r in enumerate(self.records) if _is_contested(r))
        )

    def dates(self, cls: type[Any]) -> _DateIndex:
        """The date index of one record class."""

        def build() -> _DateIndex:
            recs, start = next((recs, start) for c, recs, start in self.columns if c is cls)
            if cls is Event:
                return _DateIndex(_group(recs, start, operator.attrgetter("date")))
            dated: dict[When, list[int]] = {}
            for i, r in enumerate(recs, start):
                for d in dict.fromkeys(record_dates(r)):
                    dated.setdefault(d, []).append(i)
            return _DateIndex(dated)

        return self._part(f"dates.{_CLASS_NAME[cls]}", build)  # type: ignore[no-any-return]

    def _below(self, up: Mapping[str, str | None], name: str) -> dict[str, list[str]]:
        """The direct children of each actor (``parent``) or place (``within``)."""

        def build() -> dict[str, list[str]]:
            out: dict[str, list[str]] = {}
            for child, parent in up.items():
                if parent is not None:
                    out.setdefault(parent, []).append(child)
            return out

        return self._part(name, build)  # type: ignore[no-any-return]

    def descendants(self, ids: Iterable[str], places: bool) -> set[str]:
        """The given actors or places and every one below them: one step per link."""
        res = self.resolver
        children = self._below(res.within, "place.children") if places else self._below(res.parent, "actor.children")
        out = set(ids)
        todo = list(out)
        while todo:
            for c in children.get(todo.pop(), ()):
                if c not in out:
                    out.add(c)
                    todo.append(c)
        return out

    @property
    def actors_in(self) -> dict[str, set[str]]:
        """Actors by the country they count for."""

        def build() -> dict[str, set[str]]:
            res = self.resolver
            out: defaultdict[str, set[str]] = defaultdict(set)
            for a in itertools.chain(self.involved, res.parent):
                c = res.actor_country(a)
                if c is not None:
                    out[c].add(a)
            return dict(out)

        return self._part("actors_in", build)  # type: ignore[no-any-return]

    def in_country(self, country: str, places: bool) -> AbstractSet[int]:
        """The positions of the records naming an actor or place (``places``) in ``country``.

        An actor counts for its country in any role; built per country on first use.
        """
        cache: dict[tuple[str, bool], AbstractSet[int]] = self._part("in_country", dict)
        got = cache.get((country, places))
        if got is None:
            if places:
                got = _union([self.at_place[p] for p in self.places_in.get(country, ()) if p in self.at_place])
            else:
                involved = self.involved
                got = _union([ids for a in self.actors_in.get(country, ()) for ids in involved.get(a, {}).values()])
            cache[(country, places)] = got
        return got

    @property
    def places_in(self) -> dict[str, set[str]]:
        """Places by country."""

        def build() -> dict[str, set[str]]:
            out: defaultdict[str, set[str]] = defaultdict(set)
            for p, c in self.resolver.place_country.items():
                out[c].add(p)
            return dict(out)

        return self._part("places_in", build)  # type: ignore[no-any-return]


_EMPTY: frozenset[Any] = frozenset()


def _index(ds: Dataset) -> _Index:
    cache = ds._cache
    ix = cache.get("query.index")
    if not isinstance(ix, _Index):
        ix = cache["query.index"] = _Index(ds)
    return ix


def _union(sets: Iterable[AbstractSet[T]]) -> AbstractSet[T]:
    """The union of index sets; a single set is returned as it is, without a copy.

    Callers only read what ``_ids`` returns, so the index's own sets can be handed out.
    """
    parts = [x for x in sets if x]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    return frozenset().union(*parts)


# --------------------------------------------------------------------------- filters


def _missing(ix: _Index, name: str, ids: AbstractSet[str], cls: type[Any]) -> Iterator[str]:
    for rid in sorted(ids):
        rec = ix.by_id.get(rid)
        if rec is None:
            yield f"{name}: no {_CLASS_NAME[cls]} {rid!r}"
        elif not isinstance(rec, cls):
            yield f"{name}: {rid!r} is {_a(_CLASS_NAME[type(rec)])}, not {_a(_CLASS_NAME[cls])}"


def _reject_unknown(f: Filter, ix: _Index, version: str) -> None:
    """Raise ``ValueError`` when a filter names ids (or tags) the dataset does not have."""
    problems = list(f._unknown(ix))
    if problems:
        raise ValueError(f"{'; '.join(problems)} in dataset {version}")


@attrs.frozen
class Filter(abc.ABC):
    """A test on records, built with [`where`][sinotajik.where] and combined with ``&``, ``|`` and ``~``.

    Filters are immutable and hashable. ``a & b`` keeps what both keep, ``a | b`` what
    either keeps, ``~a`` what ``a`` does not keep.
    """

    def matches(self, record: Record, context: Dataset | Iterable[Record] | None = None) -> bool:
        """Whether ``record`` passes this filter.

        Args:
            record: any record.
            context: the records that resolve the actors' and places' references (a Dataset,
                or any records); without it, only the record itself is known.

        Raises:
            ValueError: ``context`` is a Dataset without an actor, place or source this
                filter names (or without a record carrying a tag it names).
        """
        if is_dataset(context):
            ix = _index(context)
            _reject_unknown(self, ix, context.version)
            res = ix.resolver
        else:
            res = _Resolver([record] if context is None else context)
        return self._test(record, res)

    @abc.abstractmethod
    def _test(self, rec: Record, res: _Resolver) -> bool:
        """Whether ``rec`` passes, looking references up through ``res`` (the naive path)."""

    @abc.abstractmethod
    def _ids(self, ix: _Index) -> AbstractSet[int]:
        """The ids of the records that pass, from the index (the fast path)."""

    def _unknown(self, ix: _Index) -> Iterator[str]:
        """A message for each id (or tag) this filter names that ``ix`` does not hold."""
        return iter(())

    def _positions(self, ix: _Index) -> list[int]:
        """The positions of the records that pass, in dataset order."""
        return sorted(self._ids(ix))

    def __and__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        return _And((*_parts(self, _And), *_parts(other, _And)))

    def __or__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        return _Or((*_parts(self, _Or), *_parts(other, _Or)))

    def __invert__(self) -> Filter:
        return self.part if isinstance(self, _Not) else _Not(self)


def _parts(f: Filter, cls: type[_And] | type[_Or]) -> tuple[Filter, ...]:
    return f.parts if isinstance(f, cls) else (f,)


@attrs.frozen
class _And(Filter):
    parts: tuple[Filter, ...]

    def _unknown(self, ix: _Index) -> Iterator[str]:
        for p in self.parts:
            yield from p._unknown(ix)

    def _test(self, rec: Record, res: _Resolver) -> bool:
        return all(p._test(rec, res) for p in self.parts)

    def _classes(self) -> tuple[tuple[type[Any], ...] | None, tuple[Filter, ...]]:
        """The record classes that whole-class kind parts (``kind=Event``) allow, and the other parts."""
        classes: set[type[Any]] | None = None
        rest: list[Filter] = []
        for p in self.parts:
            if isinstance(p, _Kind) and all(sub is None for _, sub in p.specs):
                got = {cls for cls, _ in p.specs}
                classes = got if classes is None else classes & got
            else:
                rest.append(p)
        if classes is None:
            return None, self.parts
        return tuple(c for c in _RECORD_CLASSES if c in classes), tuple(rest)

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        classes, rest = self._classes()
        if classes is not None and any(isinstance(p, _Date) for p in rest):
            # Whole record classes narrow the date index searched, and then need no
            # intersection of their own.
            sets = sorted((p._ids_in(ix, classes) if isinstance(p, _Date) else p._ids(ix) for p in rest), key=len)
        else:
            sets = sorted((p._ids(ix) for p in self.parts), key=len)
        return self._meet(ix, sets)

    def _positions(self, ix: _Index) -> list[int]:
        classes, rest = self._classes()
        if classes is None or not rest:
            return sorted(self._ids(ix))
        # Each record class is a run of positions: rather than intersect with a class's
        # positions (a set as large as the class), sort what the other parts keep and cut out
        # the classes' runs.
        sets = sorted((p._ids_in(ix, classes) if isinstance(p, _Date) else p._ids(ix) for p in rest), key=len)
        kept = sorted(self._meet(ix, sets))
        out: list[int] = []
        for cls in classes:
            run = ix.ranges[cls]
            out += kept[bisect.bisect_left(kept, run.start) : bisect.bisect_left(kept, run.stop)]
        return out

    @staticmethod
    def _meet(ix: _Index, sets: list[AbstractSet[int]]) -> AbstractSet[int]:
        out = sets[0] if sets else ix.all_ids
        for other in sets[1:]:
            if not out:
                break
            out = out & other  # iterates over the smaller set
        return out

    def __repr__(self) -> str:
        return "(" + " & ".join(map(repr, self.parts)) + ")"


@attrs.frozen
class _Or(Filter):
    parts: tuple[Filter, ...]

    def _unknown(self, ix: _Index) -> Iterator[str]:
        for p in self.parts:
            yield from p._unknown(ix)

    def _test(self, rec: Record, res: _Resolver) -> bool:
        return any(p._test(rec, res) for p in self.parts)

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        return _union(p._ids(ix) for p in self.parts)

    def __repr__(self) -> str:
        return "(" + " | ".join(map(repr, self.parts)) + ")"


@attrs.frozen
class _Not(Filter):
    part: Filter

    def _unknown(self, ix: _Index) -> Iterator[str]:
        return self.part._unknown(ix)

    def _test(self, rec: Record, res: _Resolver) -> bool:
        return not self.part._test(rec, res)

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        return ix.all_ids - self.part._ids(ix)

    def __repr__(self) -> str:
        return f"~{self.part!r}"


@attrs.frozen
class _Kind(Filter):
    specs: frozenset[_KindSpec]

    def _test(self, rec: Record, res: _Resolver) -> bool:
        return (type(rec), None) in self.specs or (type(rec), _subkind(rec)) in self.specs

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        return _union(ix.of_kind(s) for s in self.specs)

    def __repr__(self) -> str:
        names = sorted(_CLASS_NAME[c] + (f":{s}" if s else "") for c, s in self.specs)
        return f"where.kind({', '.join(map(repr, names))})"


@attrs.frozen
class _Actor(Filter):
    ids: frozenset[str]
    countries: frozenset[str]
    roles: frozenset[str]
    subordinates: bool

    def _unknown(self, ix: _Index) -> Iterator[str]:
        return _missing(ix, "where.actor", self.ids, Actor)

    def _actor_ok(self, a: str, res: _Resolver) -> bool:
        named = a in self.ids or (self.subordinates and res.actor_below(a, self.ids))
        if self.ids and not named:
            return False
        return not self.countries or res.actor_country(a) in self.countries

    def _test(self, rec: Record, res: _Resolver) -> bool:
        for a, role in _involvements(rec):
            if self.roles and role not in self.roles:
                continue
            if self._actor_ok(a, res):
                return True
        return False

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        if self.countries and not self.ids and not self.roles:
            return _union(ix.in_country(c, places=False) for c in self.countries)
        actors: AbstractSet[str] = ix.involved.keys()
        if self.ids:
            actors = ix.descendants(self.ids, places=False) if self.subordinates else self.ids
        if self.countries:
            in_countries = _union(ix.actors_in.get(c, _EMPTY) for c in self.countries)
            actors = in_countries & actors if self.ids else in_countries
        parts: list[AbstractSet[int]] = []
        involved = ix.involved
        for a in actors:
            by_role = involved.get(a)
            if by_role is not None:
                parts.extend(rids for role, rids in by_role.items() if not self.roles or role in self.roles)
        return _union(parts)

    def __repr__(self) -> str:
        args = [repr(a) for a in sorted(self.ids)]
        if self.countries:
            args.append(f"country={tuple(sorted(self.countries))!r}")
        if self.roles:
            args.append(f"role={tuple(sorted(self.roles))!r}")
        if self.subordinates:
            args.append("subordinates=True")
        return f"where.actor({', '.join(args)})"


@attrs.frozen
class _Place(Filter):
    ids: frozenset[str]
    countries: frozenset[str]
    inside: bool

    def _unknown(self, ix: _Index) -> Iterator[str]:
        return _missing(ix, "where.place", self.ids, Place)

    def _place_ok(self, p: str, res: _Resolver) -> bool:
        named = p in self.ids or (self.inside and res.place_inside(p, self.ids))
        if self.ids and not named:
            return False
        return not self.countries or res.place_country.get(p) in self.countries

    def _test(self, rec: Record, res: _Resolver) -> bool:
        return any(self._place_ok(p, res) for p in _places_of(rec))

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        if self.countries and not self.ids:
            return _union(ix.in_country(c, places=True) for c in self.countries)
        places: AbstractSet[str] = ix.at_place.keys()
        if self.ids:
            places = ix.descendants(self.ids, places=True) if self.inside else self.ids
        if self.countries:
            in_countries = _union(ix.places_in.get(c, _EMPTY) for c in self.countries)
            places = in_countries & places if self.ids else in_countries
        return _union(ix.at_place.get(p, _EMPTY) for p in places)

    def __repr__(self) -> str:
        args = [repr(p) for p in sorted(self.ids)]
        if self.countries:
            args.append(f"country={tuple(sorted(self.countries))!r}")
        if not self.inside:
            args.append("inside=False")
        return f"where.place({', '.join(args)})"


@attrs.frozen
class _Date(Filter):
    window: DateSpan
    certain: bool
    within: bool

    def certainty(self, when: When) -> Certainty:
        """How surely ``when`` falls in this window (overlaps it, or lies within it)."""
        return when.within(self.window) if self.within else when.overlaps(self.window)

    def accepts(self, when: When) -> bool:
        """Whether a date passes: certainly, or at least possibly, as the filter asks."""
        c = self.certainty(when)
        return c is Certainty.CERTAINLY if self.certain else c is not Certainty.NOT

    def _test(self, rec: Record, res: _Resolver) -> bool:
        return any(self.accepts(d) for d in record_dates(rec))

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        return self._ids_in(ix, _DATED_CLASSES)

    def _ids_in(self, ix: _Index, classes: Iterable[type[Any]]) -> AbstractSet[int]:
        """The positions of the records of these classes that pass."""
        pw, cw = day_intervals(self.window)
        out: list[int] = []
        for cls in classes:
            if cls not in _DATED_CLASSES:
                continue
            dates = ix.dates(cls)
            if not self.certain and not self.within:
                out += dates.meeting(*pw)  # possibly overlapping: the possible days meet
                continue
            wanted = (Certainty.CERTAINLY,) if self.certain else (Certainty.CERTAINLY, Certainty.POSSIBLY)
            out += [pos for pa, ca, pos in dates.candidates(*pw) if certainty_of(pa, ca, pw, cw, self.within) in wanted]
        return set(out)  # a record with several dates in the window is listed once

    def __repr__(self) -> str:
        s, e = self.window.start, self.window.end
        args = [repr(None if s is None else str(s)), repr(None if e is None else str(e))]
        if self.certain:
            args.append("certain=True")
        if self.within:
            args.append("within=True")
        return f"where.date({', '.join(args)})"


@attrs.frozen
class _Tag(Filter):
    tags: frozenset[str]

    def _unknown(self, ix: _Index) -> Iterator[str]:
        for t in sorted(self.tags):
            if t not in ix.tags:
                yield f"where.tag: no record is tagged {t!r}"

    def _test(self, rec: Record, res: _Resolver) -> bool:
        return not self.tags.isdisjoint(_tags(rec))

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        return _union(ix.tags.get(t, _EMPTY) for t in self.tags)

    def __repr__(self) -> str:
        return f"where.tag({', '.join(map(repr, sorted(self.tags)))})"


@attrs.frozen
class _Confidence(Filter):
    levels: frozenset[Confidence]

    def _test(self, rec: Record, res: _Resolver) -> bool:
        return _confidence(rec) in self.levels

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        return _union(ix.confidence.get(c, _EMPTY) for c in self.levels)

    def __repr__(self) -> str:
        return f"where.confidence({', '.join(repr(c.value) for c in Confidence if c in self.levels)})"


@attrs.frozen
class _Text(Filter):
    query: str

    def _test(self, rec: Record, res: _Resolver) -> bool:
        from ._search import fold, score, words

        return score(rec, fold(self.query), words(self.query)) > 0

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        from ._search import fold, score, words

        q, ws = fold(self.query), words(self.query)
        return frozenset(i for i, rec in enumerate(ix.records) if score(rec, q, ws))

    def __repr__(self) -> str:
        return f"where.text({self.query!r})"


@attrs.frozen
class _Source(Filter):
    ids: frozenset[str]

    def _unknown(self, ix: _Index) -> Iterator[str]:
        return _missing(ix, "where.source", self.ids, Source)

    def _test(self, rec: Record, res: _Resolver) -> bool:
        return not self.ids.isdisjoint(_cited_sources(rec))

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        return _union(ix.sources.get(s, _EMPTY) for s in self.ids)

    def __repr__(self) -> str:
        return f"where.source({', '.join(map(repr, sorted(self.ids)))})"


@attrs.frozen
class _Contested(Filter):
    def _test(self, rec: Record, res: _Resolver) -> bool:
        return _is_contested(rec)

    def _ids(self, ix: _Index) -> AbstractSet[int]:
        return ix.contested

    def __repr__(self) -> str:
        return "where.contested()"


# --------------------------------------------------------------------------- constructors


def _strings(values: Iterable[str], what: str) -> frozenset[str]:
    out = frozenset(values)
    for v in out:
        if not isinstance(v, str) or not v:
            raise ValueError(f"{v!r} is not a valid {what}")
    return out


def _one_or_many(value: S | Iterable[S] | None) -> tuple[S, ...]:
    if value is None:
        return ()
    if isinstance(value, str):  # a string (or a string enum) is one value, not many
        return (value,)
    return tuple(value)


def _kind_specs(kind: object) -> list[_KindSpec]:
    if isinstance(kind, type) and kind in _CLASS_NAME:
        return [(kind, None)]
    if isinstance(kind, enum.Enum) and type(kind) in _ENUM_CLASS:
        return [(_ENUM_CLASS[type(kind)], str(kind.value))]
    if not isinstance(kind, str):
        raise ValueError(f"{kind!r} is not a record kind or sub-kind")
    text = kind.strip().lower()
    if text in _NAME_CLASS:
        return [(_NAME_CLASS[text], None)]
    head, sep, tail = text.partition(":")
    if sep:
        cls = _NAME_CLASS.get(head)
        if cls is None:
            raise ValueError(f"unknown record kind {head!r} in {kind!r} (expected one of {', '.join(_PLURAL)})")
        if tail not in {str(m.value) for m in _SUBKIND_ENUM[cls]}:
            known = ", ".join(str(m.value) for m in _SUBKIND_ENUM[cls])
            raise ValueError(f"{tail!r} is not a kind of {head} (expected one of {known})")
        return [(cls, tail)]
    owners = _SUBKIND_OWNERS.get(text)
    if not owners:
        raise ValueError(
            f"unknown kind {kind!r}: expected a record kind ({', '.join(_PLURAL)}), a sub-kind such as "
            "'exercise' or 'agency', or 'record:sub-kind' such as 'event:drill'"
        )
    if len(owners) > 1:
        choices = " or ".join(f"'{_CLASS_NAME[c]}:{text}'" for c in owners)
        raise ValueError(f"kind {kind!r} is ambiguous: say {choices}")
    return [(owners[0], text)]


def _window_bound(value: str | PartialDate | None, end: bool) -> PartialDate | None:
    if value is None:
        return None
    d = parse_date(value) if isinstance(value, str) else value
    if not isinstance(d, PartialDate):
        raise ValueError(f"{value!r} is not a date")
    if not d.exact:
        raise ValueError(f"{d}: a window's ends must be exact dates (no '~', '?' or '%')")
    month = d.month or (12 if end else 1)
    return PartialDate(year=d.year, month=month, day=d.day or (month_days(d.year, month) if end else 1))


class where:  # a namespace, read as "where.actor(...)"
    """Constructors of [`Filter`][sinotajik.Filter]s: ``where.kind``, ``where.actor``, ``where.date``...

    Each returns an immutable filter; combine them with ``&`` (both), ``|`` (either) and
    ``~`` (not) and apply them with [`select`][sinotajik.select]::

        f = where.kind("exercise", "drill") & where.actor(country="CHN") & where.date("2016", "2019")
        exercises = select(ds, f, kind=Event)

    Values given to one constructor are alternatives: ``where.tag("police", "border")``
    keeps records with either tag. Each constructor's docstring says what it keeps.
    """

    def __init__(self) -> None:  # pragma: no cover - never instantiated
        raise TypeError("where is a namespace of filter constructors, e.g. where.kind('event')")

    @staticmethod
    def kind(*kinds: str | type[Any] | enum.Enum) -> Filter:
        """Records of any of these kinds or sub-kinds.

        Args:
            kinds: record kinds (``"event"``, ``"events"``, [`Event`][sinotajik.Event]), sub-kinds
                (``"exercise"``, ``"agency"``, ``"region"`` for places, ``EventKind.DRILL``)
                or ``"record:sub-kind"`` (``"event:drill"``).

        Raises:
            ValueError: an unknown or ambiguous kind, or none at all.
        """
        if not kinds:
            raise ValueError("where.kind() needs at least one kind")
        specs: set[_KindSpec] = set()
        for k in kinds:
            specs.update(_kind_specs(k))
        return _Kind(frozenset(specs))

    @staticmethod
    def actor(
        *ids: str,
        country: str | Iterable[str] | None = None,
        role: str | Role | Iterable[str | Role] | None = None,
        subordinates: bool = False,
    ) -> Filter:
        """Records that name an actor matching every condition given.

        An event names its participants, an agreement its parties, a facility its funders,
        builders, operators and owners; every record also names the authors of its claims
        (role ``claimant``); an actor record names itself (with no role).

        Args:
            ids: actor ids; the record names one of them (any, when none is given).
            country: ISO 3166-1 alpha-3 codes; the actor counts for one of these states: its
                own ``country``, or else its nearest ``parent``'s. So ``country="CHN"``
                matches China's Ministry of Public Security as well as China.
            role: the actor's role: a [`Role`][sinotajik.Role] (``host``, ``participant``...), a
                facility role (``funder``, ``builder``, ``operator``, ``owner``) or
                ``claimant``.
            subordinates: with ids, also match actors below them in the ``parent`` chain
                (a state's agencies, a ministry's units): an agency counts for its state.

        Raises:
            ValueError: an unknown role or an empty value.
        """
        roles: set[str] = set()
        for r in _one_or_many(role):
            name = str(r.value) if isinstance(r, Role) else str(r).strip().lower()
            if name not in _ROLE_NAMES:
                raise ValueError(f"unknown role {r!r} (expected one of {', '.join(sorted(_ROLE_NAMES))})")
            roles.add(name)
        return _Actor(
            _strings(ids, "actor id"),
            _strings(_one_or_many(country), "country code"),
            frozenset(roles),
            bool(subordinates),
        )

    @staticmethod
    def place(*ids: str, country: str | Iterable[str] | None = None, inside: bool = True) -> Filter:
        """Records located at a place matching every condition given.

        Args:
            ids: place ids; the record's place is one of them (any, when none is given).
            country: ISO 3166-1 alpha-3 codes of the countries the place lies in.
            inside: also match places inside the given ones (a district of a region, a range
                within a district), following ``within`` chains. True by default.
        """
        return _Place(_strings(ids, "place id"), _strings(_one_or_many(country), "country code"), bool(inside))

    @staticmethod
    def date(
        start: str | PartialDate | None = None,
        end: str | PartialDate | None = None,
        *,
        certain: bool = False,
        within: bool = False,
    ) -> Filter:
        """Records with a date in the window from ``start`` to ``end`` (both included).

        The window runs from the first day of ``start`` to the last day of ``end``
        (``date("2016", "2019")`` is 1 Jan 2016 to 31 Dec 2019); either end may be left
        open. A record's dates are tested with the honest-date semantics of
        the *Dates and precision* page: a date known only to the year 2016 is *possibly* in a
        window from June 2016, and *certainly* in one covering all of 2016. An agreement or
        facility passes when one of its dated steps does.

        Args:
            start: the first day, month or year of the window (``None``: open).
            end: the last day, month or year of the window (``None``: open).
            certain: keep only records certainly in the window (default: possibly).
            within: a span must lie wholly inside the window; by default it passes when it
                overlaps the window (an exercise running across the window's start counts).

        Raises:
            ValueError: a bad date, an approximate end, no end at all, or start after end.
        """
        if start is None and end is None:
            raise ValueError("a date window needs a start, an end or both")
        lo = _window_bound(start, end=False)
        hi = _window_bound(end, end=True)
        if lo is not None and hi is not None and lo._first_day() > hi._first_day():
            raise ValueError(f"the window starts ({start}) after it ends ({end})")
        return _Date(DateSpan(start=lo, end=hi), bool(certain), bool(within))

    @staticmethod
    def tag(*tags: str) -> Filter:
        """Records carrying any of these tags (``counter-terrorism``, ``police``...)."""
        if not tags:
            raise ValueError("where.tag() needs at least one tag")
        return _Tag(_strings(tags, "tag"))

    @staticmethod
    def confidence(*levels: str | Confidence, at_least: str | Confidence | None = None) -> Filter:
        """Events, agreements and facilities with one of these confidences, or at least one.

        ``where.confidence("high")`` keeps high only; ``where.confidence(at_least="medium")``
        keeps medium and high.

        Raises:
            ValueError: an unknown level, or neither levels nor ``at_least``.
        """
        order = [Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH]

        def level(v: str | Confidence) -> Confidence:
            try:
                return Confidence(str(v.value) if isinstance(v, Confidence) else str(v).strip().lower())
            except ValueError:
                raise ValueError(f"unknown confidence {v!r} (expected low, medium or high)") from None

        chosen = {level(v) for v in levels}
        if at_least is not None:
            chosen.update(order[order.index(level(at_least)) :])
        if not chosen:
            raise ValueError("where.confidence() needs levels or at_least")
        return _Confidence(frozenset(chosen))

    @staticmethod
    def text(query: str) -> Filter:
        """Records whose names, aliases, titles or summaries contain every word of ``query``.

        Case- and accent-insensitive, in every script: ``where.text("border post")``,
        ``where.text("赵克志")``, ``where.text("vakhon")``. Words are matched as parts of the
        text (``"exercis"`` matches ``exercises``); a source is searched by title, publisher
        and author, every record by its id too. [`Dataset.find`][sinotajik.Dataset.find] ranks the matches.

        Raises:
            ValueError: a query with no letters or digits.
        """
        from ._search import words

        if not isinstance(query, str) or not words(query):
            raise ValueError(f"where.text() needs words to look for, not {query!r}")
        return _Text(query)

    @staticmethod
    def source(*ids: str) -> Filter:
        """Records citing any of these sources anywhere (a source record cites itself)."""
        if not ids:
            raise ValueError("where.source() needs at least one source id")
        return _Source(_strings(ids, "source id"))

    @staticmethod
    def contested() -> Filter:
        """Records whose claims disagree.

        A record is contested when one of its claims denies or disputes, or when two of its
        claims are about the same thing (``about``): the curators keep each version of a
        contested fact as a claim of its own.
        """
        return _Contested()


# --------------------------------------------------------------------------- select


@overload
def select(
    records: Iterable[Record],
    matching: Filter | None = None,
    *,
    kind: type[R],
    context: Dataset | Iterable[Record] | None = None,
) -> list[R]: ...
@overload
def select(
    records: Iterable[R],
    matching: Filter | None = None,
    *,
    kind: None = None,
    context: Dataset | Iterable[Record] | None = None,
) -> list[R]: ...


def select(
    records: Iterable[Any],
    matching: Filter | None = None,
    *,
    kind: type[Any] | None = None,
    context: Dataset | Iterable[Record] | None = None,
) -> list[Any]:
    """The records that pass a filter, in the order of the input.

    Args:
        records: a [`Dataset`][sinotajik.Dataset] (answered from its cached index, in dataset
            order) or any iterable of records (tested one by one, in its order).
        matching: a filter built with [`where`][sinotajik.where]; ``None`` keeps every record.
        kind: a record class ([`Event`][sinotajik.Event]...): keep only records of that class,
            and type the result accordingly (``list[Event]``).
        context: for a plain iterable, the records that resolve actors' parents and
            countries and places' ``within`` chains (a Dataset, or any records); by default
            the input records themselves. Ignored for a Dataset, which resolves its own.

    Returns:
        A new list; the same answer whichever path is taken.

    Raises:
        ValueError: ``records`` (or ``context``) is a Dataset without an actor, place or
            source the filter names, or without a record carrying a tag it names: a typo is
            an error, not an empty result.
        TypeError: ``kind`` is not a record class.
    """
    if kind is not None and kind not in _CLASS_NAME:
        raise TypeError(f"kind must be a record class ({', '.join(c.__name__ for c in _RECORD_CLASSES)}), not {kind!r}")
    if kind is not None:
        matching = _Kind(frozenset({(kind, None)})) if matching is None else _Kind(frozenset({(kind, None)})) & matching
    if is_dataset(records):
        if matching is None:
            return list(records)
        ix = _index(records)
        _reject_unknown(matching, ix, records.version)
        recs = ix.records
        return [recs[i] for i in matching._positions(ix)]
    recs = list(records)
    if matching is None:
        return recs
    if is_dataset(context):
        cix = _index(context)
        _reject_unknown(matching, cix, context.version)
        res = cix.resolver
    else:
        res = _Resolver(recs if context is None else context)
    return [r for r in recs if matching._test(r, res)]


def find(records: Iterable[Record], text: str, *, kind: type[Any] | None = None) -> list[Any]:
    """The records matching ``text`` (see [`where.text`][sinotajik.where.text]), best match first.

    Raises:
        ValueError: a query with no letters or digits.
        TypeError: ``kind`` is not a record class.
    """
    from ._search import rank

    f = where.text(text)  # checks the query
    assert isinstance(f, _Text)
    if kind is not None and kind not in _CLASS_NAME:
        raise TypeError(f"kind must be a record class ({', '.join(c.__name__ for c in _RECORD_CLASSES)}), not {kind!r}")
    recs = records if kind is None else (r for r in records if type(r) is kind)
    return [r for _, r in rank(recs, text)]


# --------------------------------------------------------------------------- relations


def _as_list(records: Iterable[Record]) -> tuple[list[Record], Dataset | None]:
    if is_dataset(records):
        return list(records), records
    return list(records), None


def _a(noun: str) -> str:
    """The noun with its indefinite article: ``an actor``, ``a place``."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _find(records: Iterable[Record], rid: str, cls: type[R]) -> tuple[R, list[Record], Dataset | None]:
    recs, ds = _as_list(records)
    rec: Record | None = ds.get(rid, None) if ds is not None else next((r for r in recs if r.id == rid), None)
    if rec is None:
        raise KeyError(f"no record with id {rid!r}")
    if not isinstance(rec, cls):
        raise ValueError(f"{rid!r} is {_a(_CLASS_NAME[type(rec)])}, not {_a(_CLASS_NAME[cls])}")
    return rec, recs, ds


def agreement_events(records: Iterable[Record], agreement_id: str) -> list[Event]:
    """The events that name an agreement (in their ``agreements``), earliest first.

    Args:
        records: a Dataset or any records that include the agreement.
        agreement_id: the agreement's id.

    Raises:
        KeyError: no record has this id. ValueError: the record is not an agreement.
    """
    _, recs, _ = _find(records, agreement_id, Agreement)
    out = [r for r in recs if isinstance(r, Event) and agreement_id in r.agreements]
    return sorted(out, key=_date_key)


def event_responses(records: Iterable[Record], event_id: str) -> list[Event]:
    """The events that answer an event (list it in their ``responds_to``), earliest first.

    For an attack: the condemnations, advisories, talks and measures recorded as responses.

    Args:
        records: a Dataset or any records that include the event.
        event_id: the event's id.

    Raises:
        KeyError: no record has this id. ValueError: the record is not an event.
    """
    _, recs, _ = _find(records, event_id, Event)
    out = [r for r in recs if isinstance(r, Event) and event_id in r.responds_to]
    return sorted(out, key=_date_key)


def agreement_facilities(records: Iterable[Record], agreement_id: str) -> list[Facility]:
    """The facilities that name an agreement (built or run under it), earliest first.

    Raises:
        KeyError: no record has this id. ValueError: the record is not an agreement.
    """
    _, recs, _ = _find(records, agreement_id, Agreement)
    out = [r for r in recs if isinstance(r, Facility) and agreement_id in r.agreements]
    return sorted(out, key=_date_key)


def actor_history(
    records: Iterable[Record], actor_id: str, *, subordinates: bool = False
) -> list[Event | Agreement | Facility]:
    """The events, agreements and facilities an actor takes part in, in date order.

    "Takes part" is what [`where.actor`][sinotajik.where.actor] matches: a participant, party, funder,
    builder, operator or owner, or the author of one of the record's claims. Records are
    ordered by their earliest date (an agreement's first dated milestone, a facility's first
    dated step); undated ones come last, then by id.

    Args:
        records: a Dataset or any records that include the actor.
        actor_id: the actor's id.
        subordinates: count the actor's subordinates too (a state's agencies and their units).

    Raises:
        KeyError: no record has this id. ValueError: the record is not an actor.
    """
    _, recs, ds = _find(records, actor_id, Actor)
    f = where.actor(actor_id, subordinates=subordinates) & where.kind(Event, Agreement, Facility)
    found: list[Any] = select(ds if ds is not None else recs, f)
    return sorted(found, key=_date_key)


def facility_claims(records: Iterable[Record], facility_id: str) -> list[tuple[str, Claim]]:
    """The claims about a facility: its own, then those on the events that name it.

    Returns:
        ``(record id, claim)`` pairs: the facility's claims in their order, then each
        naming event's claims, events in date order.

    Raises:
        KeyError: no record has this id. ValueError: the record is not a facility.
    """
    fac, recs, _ = _find(records, facility_id, Facility)
    out: list[tuple[str, Claim]] = [(fac.id, c) for c in fac.claims]
    events = sorted((r for r in recs if isinstance(r, Event) and facility_id in r.facilities), key=_date_key)
    for e in events:
        out.extend((e.id, c) for c in e.claims)
    return out


# --------------------------------------------------------------------------- knowledge time


def _cutoff(date: str | PartialDate) -> PartialDate:
    d = parse_date(date) if isinstance(date, str) else date
    if not isinstance(d, PartialDate):
        raise ValueError(f"{date!r} is not a date")
    if not d.exact:
        raise ValueError(f"{d}: an as-of date must be exact (no '~', '?' or '%')")
    return d


def published_by(source: Source, date: str | PartialDate) -> bool:
    """Whether a source was certainly published by the end of ``date``.

    A publication date known only to the month or year counts when its last possible day is
    on or before the cut-off (``2018-12`` is published by ``2019-01-01``; ``2019`` is not);
    an approximate or uncertain one is widened first, as the *Dates and precision* page explains. A
    source with no publication date is never "certainly" published by any date.
    """
    if source.published is None:
        return False
    return possible_days(source.published)[1] <= _cutoff(date)._last_day()


def as_of(dataset: Dataset, date: str | PartialDate, *, keep_undated: bool = False) -> Dataset:
    """The dataset as the cited sources stood on ``date``: see [`Dataset.as_of`][sinotajik.Dataset.as_of]."""
    return _as_of(dataset, _cutoff(date), keep_undated)


def _as_of(dataset: Dataset, cut: PartialDate, keep_undated: bool) -> Dataset:
    known = {s.id for s in dataset.sources if (s.published is None and keep_undated) or published_by(s, cut)}

    def trim(cites: tuple[Citation, ...]) -> tuple[Citation, ...]:
        # Most records keep every citation: hand back the same tuple, so they can be kept as is.
        for c in cites:
            if c.source not in known:
                return tuple(c for c in cites if c.source in known)
        return cites

    def keep_cited(items: tuple[Any, ...]) -> tuple[Any, ...]:
        out = []
        for it in items:
            cs = trim(it.citations)
            if cs:
                out.append(it if cs is it.citations else attrs.evolve(it, citations=cs))
        return items if len(out) == len(items) and all(a is b for a, b in zip(out, items, strict=True)) else tuple(out)

    def keep(e: Any, **fields: tuple[Any, ...]) -> Any:
        """``e`` with these fields, or ``e`` itself when none of them changes."""
        if all(v is getattr(e, k) or v == getattr(e, k) for k, v in fields.items()):
            return e
        return attrs.evolve(e, **fields)

    kept_agreements = {a.id for a in dataset.agreements if trim(a.citations)}
    kept_facilities = {f.id for f in dataset.facilities if trim(f.citations)}
    kept_events = {e.id for e in dataset.events if trim(e.citations)}
    content: list[Event | Agreement | Facility] = []
    for e in dataset.events:
        if e.id in kept_events:
            content.append(
                keep(
                    e,
                    citations=trim(e.citations),
                    quantities=keep_cited(e.quantities),
                    claims=keep_cited(e.claims),
                    agreements=tuple(a for a in e.agreements if a in kept_agreements),
                    facilities=tuple(f for f in e.facilities if f in kept_facilities),
                    responds_to=tuple(x for x in e.responds_to if x in kept_events),
                )
            )
    for a in dataset.agreements:
        if a.id in kept_agreements:
            milestones = keep_cited(a.milestones)
            content.append(
                keep(
                    a,
                    citations=trim(a.citations),
                    status=_status_after(a.status, a.milestones, milestones),
                    milestones=milestones,
                    provisions=keep_cited(a.provisions),
                    quantities=keep_cited(a.quantities),
                    claims=keep_cited(a.claims),
                )
            )
    for f in dataset.facilities:
        if f.id in kept_facilities:
            history = keep_cited(f.history)
            content.append(
                keep(
                    f,
                    citations=trim(f.citations),
                    status=_status_after(f.status, f.history, history),
                    history=history,
                    counts=keep_cited(f.counts),
                    claims=keep_cited(f.claims),
                    agreements=tuple(x for x in f.agreements if x in kept_agreements),
                )
            )

    # Actors and places: the ones the sources then named, and the ones kept records name.
    need: set[str] = set()
    for rec in content:
        need.update(a for a, _ in _involvements(rec))
        need.update(_places_of(rec))
    need.update(a.id for a in dataset.actors if trim(a.citations))
    need.update(p.id for p in dataset.places if trim(p.citations))
    entities: dict[str, Actor | Place] = {}
    todo = list(need)
    while todo:
        rid = todo.pop()
        if rid in entities:
            continue
        ent = dataset.get(rid, None)
        if isinstance(ent, Actor):
            positions = tuple(p for p in ent.positions if not p.citations or trim(p.citations))
            positions = tuple(p if not p.citations else attrs.evolve(p, citations=trim(p.citations)) for p in positions)
            ent = attrs.evolve(ent, citations=trim(ent.citations) or ent.citations, positions=positions)
            todo.extend(x for x in (ent.parent, *(p.organisation for p in positions)) if x is not None)
        elif isinstance(ent, Place):
            ent = attrs.evolve(ent, citations=trim(ent.citations) or ent.citations)
            if ent.within is not None:
                todo.append(ent.within)
        else:  # pragma: no cover - a checked dataset has no dangling references
            continue
        entities[rid] = ent
    cited = set(known)
    for ent in entities.values():
        cited.update(c.source for c in ent.citations)
    sources = [s for s in dataset.sources if s.id in cited]
    records = [*entities.values(), *sources, *content]
    return type(dataset).from_records(records, version=f"{dataset.version}+as-of-{cut}")


def _status_after(status: Any, before: tuple[Any, ...], after: tuple[Any, ...]) -> Any:
    """The status once some lifecycle steps are gone: unchanged unless only dropped steps gave it."""
    if len(after) == len(before) or any(s.status == status for s in after):
        return status
    if not any(s.status == status for s in before):
        return status
    dated = [s for s in after if s.date is not None]
    if not dated:
        return status
    return max(dated, key=lambda s: s.date.sort_key()).status
