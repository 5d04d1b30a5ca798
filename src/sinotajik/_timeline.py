"""Timelines: events, agreement milestones and facility history in honest-date order.

[`timeline`][sinotajik.timeline] turns records (a Dataset or any iterable of records) into
[`TimelineEntry`][sinotajik.TimelineEntry]s sorted by the documented order of dates (the *Dates
and precision* page). Each entry
keeps the date at the precision the sources give, the actors involved and the citations
(hence the source ids) that back it, so that renderers can show and link its sources.

`group_by_month` cuts a sorted timeline into runs by year and month: an entry known only
to the year belongs to its year but to no month (it sorts before that year's months), a span
belongs to the month it starts in, and a span open at the start belongs to no year.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ._dates import DateSpan, PartialDate, Precision, When, format_when
from ._model import Agreement, Citation, Event, Facility, Record

__all__ = ["TimelineEntry", "group_by_month", "month_label", "render_text", "timeline"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@attrs.frozen(kw_only=True)
class TimelineEntry:
    """One dated line of a timeline.

    Attributes:
        date: when, at the precision the sources give.
        record: the id of the event, agreement or facility.
        kind: ``event``, ``agreement`` or ``facility``.
        subkind: the record's own kind (``exercise``, ``contract``, ``base``...).
        title: the record's title or name.
        milestone: for agreements and facilities, the lifecycle step (``signed``, ``reported``).
        note: how the date was established, or the milestone's note, if any.
        actors: ids of the actors involved (participants, parties, funders, builders,
            operators, owners), in record order without repeats.
        citations: the citations backing this entry: the event's own, or the milestone's
            (the record's when the milestone cites nothing).
    """

    date: When
    record: str
    kind: str
    subkind: str
    title: str
    milestone: str | None = None
    note: str | None = None
    actors: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()

    @property
    def label(self) -> str:
        """The date as people write it: ``2016``, ``Oct 2016``, ``18–19 Aug 2021``."""
        return format_when(self.date)

    @property
    def headline(self) -> str:
        """The title, with the milestone in front for agreements and facilities."""
        return f"{self.milestone}: {self.title}" if self.milestone else self.title

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the sources cited for this entry, in citation order without repeats."""
        return _unique(c.source for c in self.citations)

    @property
    def precision(self) -> Precision:
        """How much of the (start) date is known: a year, a month or a day."""
        return self.date.precision

    @property
    def exact(self) -> bool:
        """True when the date is neither approximate nor uncertain nor open at an end."""
        return self.date.exact

    @property
    def year(self) -> int | None:
        """The year the entry is filed under: its start's; ``None`` for a span open at the start."""
        first = _first(self.date)
        return None if first is None else first.year

    @property
    def month(self) -> int | None:
        """The month the entry is filed under; ``None`` when only the year is known."""
        first = _first(self.date)
        return None if first is None else first.month

    def sort_key(self) -> tuple[object, ...]:
        """Date order (see the *Dates and precision* page), then record id, then milestone."""
        return (self.date.sort_key(), self.record, self.milestone or "")


def _first(when: When) -> PartialDate | None:
    return when.start if isinstance(when, DateSpan) else when


def timeline(records: Iterable[Record]) -> list[TimelineEntry]:
    """The dated entries of any records (a Dataset works), sorted in honest-date order.

    Events give one entry each; agreements one per dated milestone; facilities one per
    dated history step. Other records are ignored.

    Args:
        records: a [`Dataset`][sinotajik.Dataset] or any iterable of records.

    Returns:
        The entries, sorted by [`TimelineEntry.sort_key`][sinotajik.TimelineEntry.sort_key].
    """
    out: list[TimelineEntry] = []
    for r in records:
        if isinstance(r, Event):
            out.append(
                TimelineEntry(
                    date=r.date,
                    record=r.id,
                    kind="event",
                    subkind=r.kind.value,
                    title=r.title,
                    note=r.date_note,
                    actors=_unique(p.actor for p in r.participants),
                    citations=r.citations,
                )
            )
        elif isinstance(r, Agreement):
            parties = _unique(p.actor for p in r.parties)
            for m in r.milestones:
                if m.date is not None:
                    out.append(
                        TimelineEntry(
                            date=m.date,
                            record=r.id,
                            kind="agreement",
                            subkind=r.kind.value,
                            title=r.title,
                            milestone=m.status.value,
                            note=m.note,
                            actors=parties,
                            citations=m.citations or r.citations,
                        )
                    )
        elif isinstance(r, Facility):
            actors = _unique([*r.funders, *r.builders, *r.operators, *r.owners])
            for h in r.history:
                if h.date is not None:
                    out.append(
                        TimelineEntry(
                            date=h.date,
                            record=r.id,
                            kind="facility",
                            subkind=r.kind.value,
                            title=r.name,
                            milestone=h.status.value,
                            note=h.note,
                            actors=actors,
                            citations=h.citations or r.citations,
                        )
                    )
    out.sort(key=TimelineEntry.sort_key)
    return out


def group_by_month(
    entries: Iterable[TimelineEntry],
) -> list[tuple[int | None, int | None, list[TimelineEntry]]]:
    """Cut entries into consecutive runs of the same year and month.

    Pass entries in timeline order (as [`timeline`][sinotajik.timeline] returns them) to get one run per
    month. The month is ``None`` for entries known only to the year, and the year is
    ``None`` for spans open at the start.

    Returns:
        ``(year, month, entries)`` triples in the order of the entries.
    """
    runs: list[tuple[int | None, int | None, list[TimelineEntry]]] = []
    for e in entries:
        y, m = e.year, e.month
        if runs and runs[-1][0] == y and runs[-1][1] == m:
            runs[-1][2].append(e)
        else:
            runs.append((y, m, [e]))
    return runs


def month_label(year: int | None, month: int | None) -> str:
    """The heading of a run: ``Aug 2021``, ``2016`` (month unknown), or the open-start group."""
    if year is None:
        return "Open start"
    if month is None:
        return str(year)
    return f"{_MONTHS[month - 1]} {year}"


def render_text(entries: Iterable[TimelineEntry]) -> str:
    """A plain-text timeline for the terminal, with a heading per year and per month.

    Entries known only to the year are listed under the year, before its months' headings;
    the kind column gives ``event``, ``agreement`` or ``facility`` and the record's own kind.
    """
    lines: list[str] = []
    year: int | str | None = "none yet"
    for y, m, run in group_by_month(entries):
        if y != year:
            if lines:
                lines.append("")
            lines.append(month_label(y, None))
            year = y
        if m is not None:
            lines.append(f"  {month_label(y, m)}")
        for e in run:
            kind = f"{e.kind}/{e.subkind}"
            lines.append(f"    {e.label:<18} {kind:<26} {e.headline}  [{e.record}]")
    return "\n".join(lines) + ("\n" if lines else "")
