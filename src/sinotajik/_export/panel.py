"""Analysis tables: one tidy claims table, and counts per period with honest dates.

[`claims_table`][sinotajik.claims_table] puts the claims of events, agreements and facilities (three link tables
in [`sinotajik.to_tables`][sinotajik.to_tables], each keyed by a differently named owner column) into one tidy
table, one row per claim, with a ``contested`` column.

[`to_panel`][sinotajik.to_panel] counts the dated entries of a timeline (events, agreement milestones,
facility history steps) per year (or month) and kind, keeping apart the entries that
*certainly* fall in a period from those that only *possibly* do: ``2016~`` or ``2017/2018``
are never binned as if they were certain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

from .._dates import Certainty, DateSpan, PartialDate, When, possible_dates
from .._model import Actor, Agreement, Claim, Event, Facility, Place, Record, Source, Stance
from .._timeline import timeline

__all__ = ["claims_table", "to_panel"]

_AGAINST = (Stance.DENIES, Stance.DISPUTES)


def record_names(records: Iterable[Record]) -> dict[str, str]:
    """Each record's id to its human name.

    That is an actor's, place's or facility's name, a source's, event's or agreement's title.

    Args:
        records: a Dataset or any iterable of records.
    """
    out: dict[str, str] = {}
    for r in records:
        if isinstance(r, (Actor, Place, Facility)):
            out[r.id] = r.name
        elif isinstance(r, (Source, Event, Agreement)):
            out[r.id] = r.title
    return out


def _day(d: Any) -> str | None:
    return None if d is None else f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _contested(claims: tuple[Claim, ...]) -> set[str]:
    """The subjects (``about``) on which a record's claims both assert and deny or dispute."""
    stances: dict[str, set[Stance]] = {}
    for c in claims:
        stances.setdefault(c.about, set()).add(c.stance)
    return {about for about, s in stances.items() if Stance.ASSERTS in s and s.intersection(_AGAINST)}


def claims_table(
    records: Iterable[Record], *, names: bool = False, context: Iterable[Record] | None = None
) -> list[dict[str, Any]]:
    """Every claim of every event, agreement and facility, one tidy row each.

    Columns: ``record`` (the id), ``record_kind`` (``event``, ``agreement``, ``facility``),
    ``seq`` (the claim's 0-based position in its record), ``about``, ``stance``,
    ``statement``, ``by`` (an actor id, or ``None`` when only a source makes the claim),
    ``date`` (EDTF) with ``date_earliest``/``date_latest`` (ISO days), ``sources`` (the cited
    source ids, ``;``-separated) and ``contested``: ``True`` when the same record holds, on
    the same ``about``, a claim that asserts and one that denies or disputes.

    Args:
        records: a Dataset or any iterable of records.
        names: add ``record_title`` beside ``record`` and ``by_name`` beside ``by`` (``None``
            when the actor is neither among the records nor in ``context``).
        context: the dataset (or any records) in which to look up names besides the records
            themselves (``context=ds`` for a selection), as every renderer and exporter takes it.

    Returns:
        The rows, by record id then ``seq``.
    """
    recs = list(records)
    lookup = {**record_names(context or ()), **record_names(recs)} if names else {}
    rows: list[dict[str, Any]] = []
    owners = sorted((r for r in recs if isinstance(r, (Event, Agreement, Facility))), key=lambda r: r.id)
    for r in owners:
        kind = "event" if isinstance(r, Event) else "agreement" if isinstance(r, Agreement) else "facility"
        contested = _contested(r.claims)
        for i, c in enumerate(r.claims):
            row: dict[str, Any] = {"record": r.id}
            if names:
                row["record_title"] = lookup.get(r.id)
            row.update(record_kind=kind, seq=i, about=c.about, stance=c.stance.value, statement=c.statement)
            row["by"] = c.by
            if names:
                row["by_name"] = None if c.by is None else lookup.get(c.by)
            row["date"] = None if c.date is None else str(c.date)
            row["date_earliest"] = None if c.date is None else _day(c.date.earliest)
            row["date_latest"] = None if c.date is None else _day(c.date.latest)
            row["sources"] = ";".join(dict.fromkeys(x.source for x in c.citations))
            row["contested"] = c.about in contested
            rows.append(row)
    return rows


def _bounds(w: When) -> tuple[int | None, int | None]:
    """The first and last year a date can fall in under any reading (``None`` for an open end)."""
    lo, hi = possible_dates(w)
    first = None if isinstance(w, DateSpan) and w.start is None else lo.year
    last = None if isinstance(w, DateSpan) and w.end is None else hi.year
    return first, last


def _whole(first: PartialDate) -> DateSpan:
    """Every day of a year or month, as a span (a bare ``2016`` means *some* day of 2016)."""
    return DateSpan(
        PartialDate(first.year, first.month or 1, 1),
        PartialDate(first.year, 12, 31)
        if first.month is None
        else PartialDate(first.year, first.month, first.latest.day),
    )


def _periods(by: str, lo: int, hi: int) -> list[tuple[str | int, DateSpan]]:
    if by == "year":
        return [(y, _whole(PartialDate(y))) for y in range(lo, hi + 1)]
    return [(f"{y:04d}-{m:02d}", _whole(PartialDate(y, m))) for y in range(lo, hi + 1) for m in range(1, 13)]


def to_panel(records: Iterable[Record], *, by: Literal["year", "month"] = "year") -> list[dict[str, Any]]:
    """A balanced panel: dated entries counted per period × kind, certain and possible apart.

    The entries are those of [`sinotajik.timeline`][sinotajik.timeline]: each event, each dated agreement
    milestone, each dated facility history step. For every period from the first to the last
    year any entry can fall in, and every (``record_kind``, ``kind``) pair present, there is a
    row, zeros included:

    * ``certain``: entries whose date lies certainly within the period (``2016-10-05`` in
      2016; ``2016~`` in no year, since it is only approximately 2016);
    * ``possible``: entries that may fall in the period, or partly fall in it, but not
      certainly wholly (``2017/2018`` is possible in both years; ``2016~`` in 2015, 2016
      and 2017; a span from 31 December to 1 January in both years).

    So ``certain`` summed over periods never exceeds the number of entries, and
    ``certain + possible`` is the most that could have happened in a period.

    Args:
        records: a Dataset or any iterable of records.
        by: ``year`` (rows keyed by an ``int`` year) or ``month`` (keyed by ``YYYY-MM``).

    Returns:
        Rows with keys ``by`` (``year`` or ``month``), ``record_kind`` (``event``,
        ``agreement``, ``facility``), ``kind`` (``exercise``, ``mou``, ``base``...),
        ``certain`` and ``possible``, by period then record kind then kind.

    Raises:
        ValueError: ``by`` is neither ``year`` nor ``month``.
    """
    if by not in ("year", "month"):
        raise ValueError(f"by={by!r}: expected 'year' or 'month'")
    entries = timeline(records)
    if not entries:
        return []
    known = [y for e in entries for y in _bounds(e.date) if y is not None]
    lo, hi = min(known), max(known)
    groups = sorted({(e.kind, e.subkind) for e in entries})
    certain: Counter[tuple[str | int, str, str]] = Counter()
    possible: Counter[tuple[str | int, str, str]] = Counter()
    periods = _periods(by, lo, hi)
    for e in entries:
        first, last = _bounds(e.date)
        for key, period in periods:
            year = key if isinstance(key, int) else int(key[:4])
            if (first is not None and year < first) or (last is not None and year > last):
                continue
            if e.date.within(period) is Certainty.CERTAINLY:
                certain[(key, e.kind, e.subkind)] += 1
            elif e.date.overlaps(period):
                possible[(key, e.kind, e.subkind)] += 1
    return [
        {by: key, "record_kind": rk, "kind": k, "certain": certain[(key, rk, k)], "possible": possible[(key, rk, k)]}
        for key, _p in periods
        for rk, k in groups
    ]
