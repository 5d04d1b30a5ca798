"""Timelines: events, agreement milestones and facility history in honest-date order."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ._dates import DateSpan, When, format_when
from ._model import Agreement, Event, Facility, Record

__all__ = ["TimelineEntry", "render_text", "timeline"]


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
    """

    date: When
    record: str
    kind: str
    subkind: str
    title: str
    milestone: str | None = None

    @property
    def label(self) -> str:
        """The date as people write it: ``2016``, ``Oct 2016``, ``18–19 Aug 2021``."""
        return format_when(self.date)

    @property
    def headline(self) -> str:
        """The title, with the milestone in front for agreements and facilities."""
        return f"{self.milestone}: {self.title}" if self.milestone else self.title

    def sort_key(self) -> tuple[object, ...]:
        """Date order (see :mod:`sinotajik.dates`), then record id, then milestone."""
        return (self.date.sort_key(), self.record, self.milestone or "")


def timeline(records: Iterable[Record]) -> list[TimelineEntry]:
    """The dated entries of any records (a Dataset works), sorted in honest-date order.

    Events give one entry each; agreements one per dated milestone; facilities one per
    dated history step. Other records are ignored.
    """
    out: list[TimelineEntry] = []
    for r in records:
        if isinstance(r, Event):
            out.append(TimelineEntry(date=r.date, record=r.id, kind="event", subkind=r.kind.value, title=r.title))
        elif isinstance(r, Agreement):
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
                        )
                    )
        elif isinstance(r, Facility):
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
                        )
                    )
    out.sort(key=TimelineEntry.sort_key)
    return out


def render_text(entries: Iterable[TimelineEntry]) -> str:
    """A plain-text timeline for the terminal, with a heading per year."""
    lines: list[str] = []
    year: int | None = None
    for e in entries:
        first = e.date.start if isinstance(e.date, DateSpan) else e.date
        y = first.year if first is not None else None
        if y != year:
            if lines:
                lines.append("")
            lines.append(str(y) if y is not None else "(open start)")
            year = y
        lines.append(f"  {e.label:<20} {e.kind:<9} {e.headline}  [{e.record}]")
    return "\n".join(lines) + ("\n" if lines else "")
