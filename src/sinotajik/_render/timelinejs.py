"""The timeline as TimelineJS3 JSON."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .._dataset import Dataset
from .._dates import DateSpan, PartialDate, format_when
from .._model import Record
from .._timeline import TimelineEntry
from .common import (
    _PRECISION_NOTE,
    _actor_name,
    _Context,
    _context,
    _default_title,
    _first,
    _lane,
    _lane_name,
    _last,
    _safe_url,
    _source_date,
    _span_years,
    _summary,
    _text,
)


def _tl_date(p: PartialDate) -> dict[str, Any]:
    out: dict[str, Any] = {"year": p.year}
    if p.month is not None:
        out["month"] = p.month
    if p.day is not None:
        out["day"] = p.day
    if not p.exact:
        out["display_date"] = format_when(p)
    return out


def _tl_text(ctx: _Context, e: TimelineEntry) -> str:
    esc = _text
    parts: list[str] = []
    summary = _summary(ctx, e)
    if summary:
        parts.append(f"<p>{esc(summary)}</p>")
    if e.note:
        parts.append(f"<p><em>{esc(e.note)}</em></p>")
    if e.actors:
        parts.append(f"<p>Actors: {esc(', '.join(_actor_name(ctx, a) for a in e.actors))}</p>")
    cited = []
    for sid in e.sources:
        src = ctx.sources.get(sid)
        if src is None:
            cited.append(esc(sid))
            continue
        label = esc(src.publisher + (f", {_source_date(src)}" if src.published is not None else ""))
        url = _safe_url(src.url)
        cited.append(f'<a href="{html.escape(url)}">{label}</a>' if url else label)
    if cited:
        parts.append(f"<p>Sources: {'; '.join(cited)}</p>")
    return "".join(parts)


def to_timelinejs(
    records: Iterable[Record], *, title: str | None = None, context: Dataset | Iterable[Record] | None = None
) -> dict[str, Any]:
    """The timeline in the TimelineJS3 JSON format (``{"title": ..., "events": [...]}``).

    Each entry becomes an event with ``start_date`` (and ``end_date`` for a span) holding
    only the parts of the date the sources give: a date known to the month has no ``day``, one
    known to the year no ``month``. Approximate, uncertain and open-ended dates carry a
    ``display_date`` (``~Nov 2022``, ``from Oct 2016``) so that TimelineJS shows them as they
    are; a span open at the start is placed at its end. ``group`` is the entry's lane (its
    kind of event, or agreement or facility milestones), ``unique_id`` its anchor, and the
    text its summary, actors and sources as HTML.

    Args:
        records: a Dataset or any records.
        title: the headline of the title slide (default: a generic title).
        context: the dataset (or any records) that supplies the names of actors and places
            and the sources the records cite, when ``records`` is a selection (e.g.
            ``to_html(select(ds, f), context=ds)``); the records themselves are always used.
    """
    return _timelinejs(_context(records, context=context), title)


def _timelinejs(ctx: _Context, title: str | None) -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    for e, anchor in zip(ctx.entries, ctx.anchors, strict=True):
        first, last = _first(e.date), _last(e.date)
        ev: dict[str, Any] = {
            "unique_id": anchor,
            "group": _lane_name(_lane(e)),
            "text": {"headline": _text(e.headline), "text": _tl_text(ctx, e)},
        }
        if first is not None:
            ev["start_date"] = _tl_date(first)
            if isinstance(e.date, DateSpan) and last is not None:
                ev["end_date"] = _tl_date(last)
        else:
            assert last is not None
            ev["start_date"] = _tl_date(last)
        if not e.exact:
            ev["display_date"] = e.label
        events.append(ev)
    span = _span_years(ctx.entries)
    intro = [f"{len(ctx.entries)} entries" + (f", {span[0]}–{span[1]}" if span else "") + "."]
    if ctx.dataset is not None:
        intro.append(f"Dataset version {ctx.dataset.version}.")
    intro.append(_PRECISION_NOTE)
    return {
        "title": {
            "text": {
                "headline": _text(_default_title(title)),
                "text": f"<p>{_text(' '.join(intro))}</p>",
            }
        },
        "events": events,
    }
