"""Knowledge time: the dataset as its cited sources stood on a date."""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

import attrs

from .._dates import PartialDate, parse_date, possible_days
from .._model import Actor, Agreement, Citation, Event, Facility, Place, Source
from .facts import involvements, places_of

if TYPE_CHECKING:
    from .._dataset import Dataset


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
    return dataset.as_of(date, keep_undated=keep_undated)


def as_of_records(dataset: Dataset, date: str | PartialDate, keep_undated: bool) -> tuple[str, dict[str, Any]]:
    """The version and the records, by kind, of ``dataset.as_of(date)``.

    Every record is this checked dataset's, or one of them with citations, parts and links
    to dropped records taken out, and every record a kept one names is kept: the result is
    as valid as the dataset (the property tests check it against the integrity checks).
    """
    cut = _cutoff(date)
    known = {s.id for s in dataset.sources if (s.published is None and keep_undated) or published_by(s, cut)}

    def trim(cites: tuple[Citation, ...]) -> tuple[Citation, ...]:
        # Most records keep every citation: hand back the same tuple, so they can be kept as is.
        for c in cites:
            if c.source not in known:
                return tuple(c for c in cites if c.source in known)
        return cites

    def keep_cited(items: tuple[Any, ...]) -> tuple[Any, ...]:
        if not items:
            return items
        out = []
        for it in items:
            cs = trim(it.citations)
            if cs:
                out.append(it if cs is it.citations else _replace(it, {"citations": cs}))
        return items if len(out) == len(items) and all(a is b for a, b in zip(out, items, strict=True)) else tuple(out)

    def keep(e: Any, **fields: tuple[Any, ...]) -> Any:
        """``e`` with these fields, or ``e`` itself when none of them changes."""
        changed = {k: v for k, v in fields.items() if not (v is getattr(e, k) or v == getattr(e, k))}
        return _replace(e, changed) if changed else e

    def links(ids: tuple[str, ...], kept: set[str]) -> tuple[str, ...]:
        return ids if all(x in kept for x in ids) else tuple(x for x in ids if x in kept)

    kept_agreements = {a.id for a in dataset.agreements if trim(a.citations)}
    kept_facilities = {f.id for f in dataset.facilities if trim(f.citations)}
    events = [(e, cs) for e in dataset.events if (cs := trim(e.citations))]
    kept_events = {e.id for e, _ in events}
    content: list[Event | Agreement | Facility] = []
    for e, cs in events:  # most of the records: only what changes is worked out
        changes: dict[str, Any] = {} if cs is e.citations else {"citations": cs}
        for name in ("quantities", "claims"):
            items = getattr(e, name)
            if items and (got := keep_cited(items)) is not items:
                changes[name] = got
        for name, kept in (("agreements", kept_agreements), ("facilities", kept_facilities)):
            ids = getattr(e, name)
            if ids and (got := links(ids, kept)) is not ids:
                changes[name] = got
        if e.responds_to and (got := links(e.responds_to, kept_events)) is not e.responds_to:
            changes["responds_to"] = got
        content.append(_replace(e, changes) if changes else e)
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
        need.update(a for a, _ in involvements(rec))
        need.update(places_of(rec))
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
    out: dict[str, Any] = {"actors": [], "places": [], "sources": [], "events": [], "agreements": []}
    out["facilities"] = []
    for ent in entities.values():
        out["actors" if isinstance(ent, Actor) else "places"].append(ent)
    out["sources"] = [s for s in dataset.sources if s.id in cited]
    for name, cls in (("events", Event), ("agreements", Agreement), ("facilities", Facility)):
        out[name] = [r for r in content if isinstance(r, cls)]
    return f"{dataset.version}+as-of-{cut}", out


_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def _replace(obj: Any, changes: dict[str, Any]) -> Any:
    """``attrs.evolve(obj, **changes)``, without re-running the validators on valid values.

    The values are parts of a checked record; skipping the validators makes it several
    times faster, and ``as_of`` rebuilds many records.
    """
    cls = type(obj)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(a.name for a in attrs.fields(cls))
    new = object.__new__(cls)
    for name, value in zip(names, operator.attrgetter(*names)(obj), strict=True):
        object.__setattr__(new, name, changes.get(name, value))
    return new


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
