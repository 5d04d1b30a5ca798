"""Renderers of a timeline: text, Markdown, a self-contained HTML page, TimelineJS3 JSON, SVG.

Every renderer takes records: a :class:`~sinotajik.Dataset`, or any iterable of records. The
timeline is made from its events, agreements and facilities (see :func:`sinotajik.timeline`);
its sources and actors, when present, are looked up to show each entry's sources (publisher,
date, title, URL and the quotes cited) and actors by name. To render a timeline filtered
some other way, :func:`render_timeline` takes the entries and the records to look things up
in separately (the command line uses it).

Dates are shown at the precision the sources give and never made more precise than that:

=========================  ==================  ==================================================
date (EDTF)                label               TimelineJS
=========================  ==================  ==================================================
``2016``                   ``2016``            ``start_date {"year": 2016}``
``2016-10``                ``Oct 2016``        ``start_date {"year": 2016, "month": 10}``
``2021-08-18/2021-08-19``  ``18–19 Aug 2021``  ``start_date`` day 18, ``end_date`` day 19
``2022-11~``               ``~Nov 2022``       ``{"year": 2022, "month": 11}`` + ``display_date``
``2016-10/..``             ``from Oct 2016``   ``start_date`` only, + ``display_date``
=========================  ==================  ==================================================

The HTML page (:func:`to_html`) needs nothing but a browser: CSS, SVG and a small script are
inline, a Content-Security-Policy forbids loading anything else, and it works offline and on
a phone. It draws an overview of the timeline in lanes, by kind or by actor, where a date known
to the day is a dot, a span of days a bar, a date known only to the month or the year a pale
band over that whole month or year, and an approximate or uncertain date is dashed. Below it,
the entries are grouped by year and month, each with an anchor (``#<record id>``, or
``#<record id>--<milestone>`` for agreement and facility milestones), its actors and its
sources; filters by kind, actor, year and text narrow both, and can be preset from the URL's
query string (``?kind=event/drill&actor=act-chn&year=2021&q=police&lanes=actor``).
:func:`to_svg` draws the same overview as a standalone picture for reports and slides.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._dataset import Dataset
from ._dates import DateSpan, PartialDate, Precision, When, format_when
from ._model import Actor, Agreement, Event, EventKind, Facility, Record, Source
from ._timeline import TimelineEntry, group_by_month, month_label, render_text, timeline

__all__ = ["FORMATS", "render_timeline", "to_html", "to_markdown", "to_svg", "to_text", "to_timelinejs"]

_DEFAULT_TITLE = "China–Tajikistan security cooperation: a timeline"
_PRECISION_NOTE = (
    "Dates are shown as precisely as the sources give them: “2016” means some day in 2016, "
    "“Oct 2016” some day in October 2016; “~” marks an approximate date and “?” an uncertain one."
)


# --------------------------------------------------------------------------- shared context


@attrs.frozen
class _Context:
    """The entries to render and what is known to describe them."""

    entries: list[TimelineEntry]
    anchors: list[str]
    records: dict[str, Record]
    sources: dict[str, Source]
    actors: dict[str, Actor]
    dataset: Dataset | None
    offered: dict[tuple[int, int], frozenset[int]] = attrs.field(factory=dict, eq=False)


def _offered(ctx: _Context, lo: int, hi: int) -> frozenset[int]:
    """:func:`_offered_years` of the context's entries, computed once per axis."""
    got = ctx.offered.get((lo, hi))
    if got is None:
        got = ctx.offered[(lo, hi)] = _offered_years(ctx.entries, lo, hi)
    return got


def _context(
    records: Iterable[Record],
    entries: Iterable[TimelineEntry] | None = None,
    context: Dataset | Iterable[Record] | None = None,
) -> _Context:
    """What to render: the timeline of ``records`` (or ``entries``, sorted), and lookups.

    Names, places and sources are looked up in ``context`` (a Dataset, say) and among the
    records themselves.
    """
    recs = list(records)
    entries = sorted(entries, key=TimelineEntry.sort_key) if entries is not None else timeline(recs)
    known = [*(context if context is not None else ()), *recs]
    by_id: dict[str, Record] = {r.id: r for r in known}
    dataset = records if isinstance(records, Dataset) else context if isinstance(context, Dataset) else None
    if context is None and not isinstance(records, Dataset):
        missing = {i for e in entries for i in (*e.actors, *e.sources) if i not in by_id}
        if missing:
            import warnings

            example = min(missing)
            warnings.warn(
                f"{len(missing)} actors and sources the records name are not among them (e.g. {example!r}): "
                "they are shown by id; pass context=ds (the dataset they come from) to show their names",
                UserWarning,
                stacklevel=3,
            )
    return _Context(
        entries=entries,
        anchors=_anchors(entries),
        records=by_id,
        sources={r.id: r for r in known if isinstance(r, Source)},
        actors={r.id: r for r in known if isinstance(r, Actor)},
        dataset=dataset,
    )


_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._-]")


def _anchors(entries: Sequence[TimelineEntry]) -> list[str]:
    """A unique, URL-safe anchor per entry: the record id, plus ``--<milestone>`` for steps."""
    used: set[str] = set()
    out: list[str] = []
    for e in entries:
        base = _UNSAFE_ID.sub("_", e.record if e.milestone is None else f"{e.record}--{e.milestone}")
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        out.append(anchor)
    return out


def _first(w: When) -> PartialDate | None:
    return w.start if isinstance(w, DateSpan) else w


def _last(w: When) -> PartialDate | None:
    return w.end if isinstance(w, DateSpan) else w


def _fuzzy(w: When) -> bool:
    return any(p is not None and not p.exact for p in (_first(w), _last(w)))


def _precision_words(w: When) -> list[str]:
    """How much of a date is known, in words: ``known to the day``, ``approximate``..."""
    words: list[str] = []
    anchor = _first(w) or _last(w)
    assert anchor is not None
    unit = {Precision.DAY: "day", Precision.MONTH: "month", Precision.YEAR: "year"}[anchor.precision]
    words.append(f"known to the {unit}")
    if isinstance(w, DateSpan):
        if w.start is None:
            words.append("open start")
        elif w.end is None:
            words.append("open end")
        else:
            words.append("span")
    if any(p is not None and p.approximate for p in (_first(w), _last(w))):
        words.append("approximate")
    if any(p is not None and p.uncertain for p in (_first(w), _last(w))):
        words.append("uncertain")
    return words


_LANE_NAMES = {
    "agreement": "Agreement milestones",
    "facility": "Facility milestones",
    "exercise": "Exercises",
    "drill": "Drills",
    "meeting": "Meetings",
    "statement": "Statements",
    "summit": "Summits",
    "signing": "Signings",
    "announcement": "Announcements",
    "report": "Reports",
    "security_incident": "Security incidents",
    "military_campaign": "Military campaigns",
}


def _lane(e: TimelineEntry) -> str:
    return e.subkind if e.kind == "event" else e.kind


def _lane_name(lane: str) -> str:
    return _LANE_NAMES.get(lane, lane.replace("_", " ").capitalize())


def _lane_order(lanes: Iterable[str]) -> list[str]:
    known = [k.value for k in EventKind]
    rank = {name: i for i, name in enumerate([*known, "agreement", "facility"])}
    return sorted(set(lanes), key=lambda k: (rank.get(k, len(rank)), k))


def _years(e: TimelineEntry, lo: int, hi: int) -> list[int]:
    """The years an entry's date may fall in, open ends bounded by ``lo`` and ``hi``."""
    first, last = _first(e.date), _last(e.date)
    a = first.year if first is not None else lo
    b = last.year if last is not None else hi
    return list(range(a, b + 1))


#: A span longer than this many years gives columns only to its first and last year; the years
#: between shrink to gaps like any run of empty years (``0001/9999`` once drew 10,000 columns).
_LONG_SPAN_YEARS = 25


def _offered_years(entries: Iterable[TimelineEntry], lo: int, hi: int) -> frozenset[int]:
    """The years the page's year filter offers: every year of each entry, but of a long span only its ends.

    An entry matches a year filter for every offered year it may fall in, so a long span is
    still found under the years other entries bring, without listing thousands of years.
    """
    out: set[int] = set()
    for e in entries:
        ys = _years(e, lo, hi)
        out.update(ys if len(ys) <= _LONG_SPAN_YEARS else (ys[0], ys[-1]))
    return frozenset(out)


def _known_years(e: TimelineEntry) -> list[int]:
    """The years an entry's known ends fall in, and those between them unless the span is long."""
    first, last = _first(e.date), _last(e.date)
    a = first.year if first is not None else None
    b = last.year if last is not None else None
    if a is not None and b is not None and b - a < _LONG_SPAN_YEARS:
        return list(range(a, b + 1))
    return [y for y in (a, b) if y is not None]


def _actor_name(ctx: _Context, actor_id: str) -> str:
    a = ctx.actors.get(actor_id)
    return a.name if a is not None else actor_id


def _summary(ctx: _Context, e: TimelineEntry) -> str | None:
    rec = ctx.records.get(e.record)
    return getattr(rec, "summary", None)


def _places(ctx: _Context, e: TimelineEntry) -> list[str]:
    rec = ctx.records.get(e.record)
    ids: tuple[str, ...] = ()
    if isinstance(rec, (Event, Agreement)):
        ids = rec.places
    elif isinstance(rec, Facility) and rec.place is not None:
        ids = (rec.place,)
    return [getattr(ctx.records.get(i), "name", i) for i in ids]


def _safe_url(url: str | None) -> str | None:
    """The URL if it is an http(s) link, else ``None`` (never a ``javascript:`` link)."""
    if url and re.match(r"^https?://", url, re.IGNORECASE) and not re.search(r"\s", url):
        return url
    return None


def _source_date(s: Source) -> str | None:
    return format_when(s.published) if s.published is not None else None


def _default_title(title: str | None) -> str:
    return title if title is not None else _DEFAULT_TITLE


def _span_years(entries: Sequence[TimelineEntry]) -> tuple[int, int] | None:
    years = [p.year for e in entries for p in (_first(e.date), _last(e.date)) if p is not None]
    return (min(years), max(years)) if years else None


# --------------------------------------------------------------------------- text and markdown


def to_text(records: Iterable[Record], *, context: Dataset | Iterable[Record] | None = None) -> str:
    """A plain-text timeline for the terminal, grouped by year and month.

    Args:
        records: a Dataset or any records.
        context: accepted like the other renderers' (the text timeline names no actors or
            sources, so it changes nothing here).
    """
    return render_text(timeline(records))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~])")


def _md(text: str) -> str:
    """Inline Markdown text: special characters escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_link(text: str, url: str | None) -> str:
    safe = _safe_url(url)
    if safe is None or "<" in safe or ">" in safe:
        return _md(text)
    dest = f"<{safe}>" if "(" in safe or ")" in safe else safe
    return f"[{_md(text)}]({dest})"


def to_markdown(
    records: Iterable[Record], *, title: str | None = None, context: Dataset | Iterable[Record] | None = None
) -> str:
    """The timeline as a Markdown document: a section per year, a subsection per month.

    Each entry is a list item with its date (as precise as the sources give it), headline,
    kind and record id, followed by its sources, linked where a URL is known. Entries known
    only to the year come under the year, before its months.

    Args:
        records: a Dataset or any records.
        title: the document's heading (default: a generic title).
        context: the dataset (or any records) that supplies the names of actors and places
            and the sources the records cite, when ``records`` is a selection (e.g.
            ``to_html(select(ds, f), context=ds)``); the records themselves are always used.
    """
    return _markdown(_context(records, context=context), title)


def _markdown(ctx: _Context, title: str | None) -> str:
    lines = [f"# {_md(_default_title(title))}", ""]
    about = [f"{len(ctx.entries)} entries."]
    if ctx.dataset is not None:
        about.insert(0, f"Dataset version {_md(ctx.dataset.version)}.")
    lines += [" ".join([*about, _md(_PRECISION_NOTE)]), ""]
    year: int | str | None = "none yet"
    for y, m, run in group_by_month(ctx.entries):
        if y != year:
            lines += [f"## {month_label(y, None)}", ""]
            year = y
        if m is not None:
            lines += [f"### {month_label(y, m)}", ""]
        for e in run:
            kind = f"{e.kind}: {e.subkind.replace('_', ' ')}"
            lines.append(f"- **{_md(e.label)}** — {_md(e.headline)} *({_md(kind)})* `{e.record}`")
            if e.note:
                lines.append(f"  Note: {_md(e.note)}")
            cited = []
            for sid in e.sources:
                src = ctx.sources.get(sid)
                if src is None:
                    cited.append(f"`{sid}`")
                    continue
                label = src.publisher + (f", {_source_date(src)}" if src.published is not None else "")
                cited.append(_md_link(label, src.url))
            if cited:
                lines.append(f"  Sources: {'; '.join(cited)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- TimelineJS3


def _text(text: str) -> str:
    """HTML text content: ``&``, ``<`` and ``>`` escaped, quotes kept as they are."""
    return html.escape(text, quote=False)


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


# --------------------------------------------------------------------------- HTML: overview SVG

_PX_YEAR = 120.0
_GAP = 28.0
_LEFT = 8.0
_RIGHT = 16.0
_AXIS = 22.0
_LABEL = 15.0
_ROW = 14.0
_PAD = 5.0
_MAX_ROWS = 8
_MIN_BAR = 6.0
_DOT = 4.5
_MAX_ACTOR_LANES = 10


@attrs.frozen
class _Mark:
    """Where and how one entry is drawn on the overview."""

    index: int
    x0: float
    x1: float
    shape: str  # "pt" (a day), "bar" (a span of days), "band" (a month or a year)
    fuzzy: bool
    open_lo: bool
    open_hi: bool
    colour: int

    @property
    def extent(self) -> tuple[float, float]:
        if self.shape == "pt":
            return self.x0 - _DOT, self.x0 + _DOT
        return self.x0, max(self.x1, self.x0 + _MIN_BAR)


class _Scale:
    """The time axis: a column per year with entries; each run of empty years shrinks to a gap."""

    def __init__(self, y0: int, y1: int, busy: Iterable[int]) -> None:
        self.y0, self.y1 = y0, y1
        busy_set = set(busy)
        self.columns: dict[int, tuple[float, float]] = {}  # year -> (left x, width)
        self.gaps: list[tuple[int, int, float, float]] = []  # (first, last year, left x, width)
        x = _LEFT
        year = y0
        while year <= y1:
            if year in busy_set:
                self.columns[year] = (x, _PX_YEAR)
                x += _PX_YEAR
                year += 1
                continue
            last = year
            while last + 1 <= y1 and last + 1 not in busy_set:
                last += 1
            n = last - year + 1
            self.gaps.append((year, last, x, _GAP))
            for k in range(n):
                self.columns[year + k] = (x + k * _GAP / n, _GAP / n)
            x += _GAP
            year = last + 1
        self.right = x

    @property
    def t0(self) -> int:
        """The first day of the axis."""
        return datetime.date(self.y0, 1, 1).toordinal()

    @property
    def t1(self) -> int:
        """The day after the last day of the axis."""
        return datetime.date(self.y1, 12, 31).toordinal() + 1

    @property
    def width(self) -> float:
        """The width of the drawing."""
        return self.right + _RIGHT

    def x(self, ordinal: float) -> float:
        """The x of a day's ordinal (fractions allowed: ``+ 0.5`` is mid-day)."""
        if ordinal >= self.t1:
            return self.right
        if ordinal <= self.t0:
            return _LEFT
        year = datetime.date.fromordinal(int(ordinal)).year
        start = datetime.date(year, 1, 1).toordinal()
        days = datetime.date(year, 12, 31).toordinal() + 1 - start
        left, width = self.columns[year]
        return left + (ordinal - start) / days * width


def _mark(scale: _Scale, index: int, e: TimelineEntry, colour: int) -> _Mark:
    w = e.date
    first, last = _first(w), _last(w)
    lo = first._first_day() if first is not None else scale.t0
    hi = last._last_day() + 1 if last is not None else scale.t1
    if isinstance(w, PartialDate) and w.precision is Precision.DAY:
        shape = "pt"
        x0 = x1 = scale.x(lo + 0.5)
    else:
        days = all(p is None or p.precision is Precision.DAY for p in (first, last))
        shape = "bar" if days else "band"
        x0, x1 = scale.x(lo), scale.x(hi)
    return _Mark(
        index=index,
        x0=x0,
        x1=x1,
        shape=shape,
        fuzzy=_fuzzy(w),
        open_lo=first is None,
        open_hi=isinstance(w, DateSpan) and last is None,
        colour=colour,
    )


def _pack(marks: Sequence[_Mark]) -> tuple[list[tuple[_Mark, int]], int]:
    """Marks with the row each goes in, so that marks in a row do not overlap; and the rows."""
    ends: list[float] = []
    placed: list[tuple[_Mark, int]] = []
    for m in sorted(marks, key=lambda m: (m.extent[0], m.index)):
        lo, hi = m.extent
        row = next((r for r, end in enumerate(ends) if end + 2 <= lo), None)
        if row is None:
            if len(ends) < _MAX_ROWS:
                ends.append(float("-inf"))
                row = len(ends) - 1
            else:
                row = min(range(len(ends)), key=ends.__getitem__)
        ends[row] = max(ends[row], hi)
        placed.append((m, row))
    return placed, max(1, len(ends))


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _svg_mark(m: _Mark, cy: float, tip: str, anchor: str | None) -> str:
    cls = f"mk c{m.colour}" + (" fz" if m.fuzzy else "")
    label = f'aria-label="{html.escape(tip)}"'
    head = (
        f'<a href="#{anchor}" data-mark="{m.index}" {label}>'
        if anchor is not None
        else f'<g data-mark="{m.index}" role="img" {label}>'
    )
    parts = [f"{head}<title>{html.escape(tip)}</title>"]
    if m.shape == "pt":
        parts.append(f'<circle class="{cls} pt" cx="{_f(m.x0)}" cy="{_f(cy)}" r="{_DOT}"/>')
    else:
        lo, hi = m.extent
        kind = "bar" if m.shape == "bar" else "band"
        if m.open_lo or m.open_hi:
            kind += " open"
        parts.append(
            f'<rect class="{cls} {kind}" x="{_f(lo)}" y="{_f(cy - 5)}" width="{_f(hi - lo)}" height="10" rx="2"/>'
        )
        if m.open_hi:
            parts.append(f'<path class="{cls} arrow" d="M{_f(hi)} {_f(cy - 6)}l7 6-7 6z"/>')
        if m.open_lo:
            parts.append(f'<path class="{cls} arrow" d="M{_f(lo)} {_f(cy - 6)}l-7 6 7 6z"/>')
    parts.append("</a>" if anchor is not None else "</g>")
    return "".join(parts)


_HEADER = 44.0


def _svg(
    ctx: _Context,
    scale: _Scale,
    per_year: Mapping[int, int],
    marks: Sequence[_Mark],
    lanes: Sequence[tuple[tuple[str, int], Sequence[int]]],
    caption: str,
    svg_id: str,
    heading: tuple[str, str] | None = None,
) -> str:
    """An SVG overview: a year axis and one lane per ((name, count), entry indexes).

    With a ``heading`` (title, subtitle) the drawing stands alone: it carries its own style,
    a white background and the heading, and its marks link nowhere.
    """
    top = _HEADER if heading is not None else 0.0
    back: list[str] = []
    body: list[str] = []
    y = top + _AXIS
    for n, (label, indexes) in enumerate(lanes):
        placed, rows = _pack([marks[i] for i in indexes])
        height = _LABEL + rows * _ROW + _PAD
        lane = f'data-lane="{n}" data-y="{_f(y)}" data-h="{_f(height)}"'
        back.append(
            f'<rect class="lane l{n % 2}" {lane} x="0" y="{_f(y)}" width="{_f(scale.width)}" height="{_f(height)}"/>'
        )
        name, count = label
        short = (name if len(name) <= 44 else name[:43] + "…") + (f" ({count})" if count else "")
        body.append(f"<g {lane}>")
        body.append(f'<text class="lanelabel" x="{_f(_LEFT)}" y="{_f(y + 11)}">{html.escape(short)}</text>')
        for m, row in placed:
            e = ctx.entries[m.index]
            what = e.subkind.replace("_", " ")
            tip = f"{e.label} — {e.kind} ({what}): {e.headline}"
            anchor = ctx.anchors[m.index] if heading is None else None
            body.append(_svg_mark(m, y + _LABEL + row * _ROW + _ROW / 2, tip, anchor))
        body.append("</g>")
        y += height
    total = y + 4
    axis = []
    for first, last, gx, gw in scale.gaps:
        years = str(first) if first == last else f"{first}–{last}"
        axis.append(
            f'<g class="gap"><title>{years}: no entries (not to scale)</title>'
            f'<rect x="{_f(gx)}" y="{_f(top + _AXIS - 6)}" width="{_f(gw)}" height="{_f(total - top - _AXIS + 6)}"/>'
            f'<text class="year" x="{_f(gx + gw / 2)}" y="{_f(top + 14)}">⋯</text></g>'
        )
    for year, (x, w) in sorted(scale.columns.items()):
        if w == _PX_YEAR:
            axis.append(
                f'<text class="year" data-year="{year}" data-n="{per_year.get(year, 0)}" '
                f'x="{_f(x + w / 2)}" y="{_f(top + 14)}">{year}</text>'
            )
    edges = sorted({x for x, w in scale.columns.values() if w == _PX_YEAR} | {g[2] for g in scale.gaps} | {scale.right})
    for x in edges:
        axis.append(f'<line class="grid" x1="{_f(x)}" y1="{_f(top + _AXIS - 6)}" x2="{_f(x)}" y2="{_f(total)}"/>')
    extra = ""
    if heading is not None:
        extra = (
            f"<style>{_SVG_CSS}{_palette_css(len(_PALETTE))}</style>"
            f'<rect class="page" x="0" y="0" width="{_f(scale.width)}" height="{_f(total)}"/>'
            f'<text class="h1" x="{_f(_LEFT)}" y="18">{html.escape(heading[0])}</text>'
            f'<text class="h2" x="{_f(_LEFT)}" y="35">{html.escape(heading[1])}</text>'
        )
    return (
        f'<svg id="{svg_id}" class="ov" role="img" aria-labelledby="{svg_id}-t" '
        f'xmlns="http://www.w3.org/2000/svg" width="{_f(scale.width)}" height="{_f(total)}" '
        f'viewBox="0 0 {_f(scale.width)} {_f(total)}"><title id="{svg_id}-t">{html.escape(caption)}</title>'
        + extra
        + "".join(back)
        + "".join(axis)
        + "".join(body)
        + "</svg>"
    )


#: Latin, then Cyrillic and CJK fallbacks, so Russian, Tajik and Chinese names never show as boxes
#: (Noto CJK on Linux, PingFang / Hiragino on macOS, YaHei on Windows).
FONT_STACK = (
    'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans","Liberation Sans",Arial,'
    '"Noto Sans CJK SC","Noto Sans CJK TC","Source Han Sans SC","PingFang SC","Hiragino Sans GB",'
    '"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif'
)

_SVG_CSS = """
.ov{font:11px FONTS}
.page{fill:#fff}.h1{font-size:15px;font-weight:700;fill:#1d1d1f}.h2{font-size:11px;fill:#5f6368}
.year{fill:#5f6368;text-anchor:middle;font-weight:600}.grid{stroke:#d9d9de;stroke-width:1}
.lane.l0{fill:#f4f5f7}.lane.l1{fill:#fff}.lanelabel{fill:#5f6368}.gap rect{fill:#d9d9de;fill-opacity:.45}
.mk{stroke-width:1}.mk.band{fill-opacity:.3}.mk.fz{fill-opacity:.25;stroke-dasharray:3 2;stroke-width:1.5}
.mk.open{fill-opacity:.2;stroke-dasharray:2 2}.mk.arrow{fill-opacity:.6;stroke:none}
""".replace("FONTS", FONT_STACK)


def _lanes(ctx: _Context, by: str) -> list[tuple[tuple[str, int], Sequence[int]]]:
    """The overview's lanes, by kind of entry or by the most frequent actors."""
    if by == "kind":
        by_lane: dict[str, list[int]] = {}
        for i, e in enumerate(ctx.entries):
            by_lane.setdefault(_lane(e), []).append(i)
        return [((_lane_name(k), len(by_lane[k])), by_lane[k]) for k in _lane_order(by_lane)]
    counts: dict[str, int] = {}
    for e in ctx.entries:
        for a in e.actors:
            counts[a] = counts.get(a, 0) + 1
    top = sorted(counts, key=lambda a: (-counts[a], _actor_name(ctx, a).lower(), a))[:_MAX_ACTOR_LANES]
    lanes: list[tuple[tuple[str, int], Sequence[int]]] = [
        ((_actor_name(ctx, a), counts[a]), [i for i, e in enumerate(ctx.entries) if a in e.actors]) for a in top
    ]
    rest = [i for i, e in enumerate(ctx.entries) if not set(e.actors) & set(top)]
    if rest:
        lanes.append((("Other or no actors", len(rest)), rest))
    return lanes


def _drawing(
    ctx: _Context, colours: dict[str, int], by: str, svg_id: str, heading: tuple[str, str] | None = None
) -> str | None:
    """The overview SVG with lanes ``by`` kind or actor, or ``None`` when nothing is dated."""
    span = _span_years(ctx.entries)
    if span is None:
        return None
    busy = {y for e in ctx.entries for y in _known_years(e)}
    scale = _Scale(span[0], span[1], busy)
    marks = [_mark(scale, i, e, colours[_lane(e)]) for i, e in enumerate(ctx.entries)]
    years = f"{span[0]}–{span[1]}" if span[0] != span[1] else str(span[0])
    what = "one lane per kind of entry" if by == "kind" else "one lane per actor (the most frequent)"
    per_year: dict[int, int] = {}
    for e in ctx.entries:
        if e.year is not None:
            per_year[e.year] = per_year.get(e.year, 0) + 1
    caption = f"The timeline, {years}, {what}"
    return _svg(ctx, scale, per_year, marks, _lanes(ctx, by), caption, svg_id, heading)


def _colours(ctx: _Context) -> dict[str, int]:
    lanes = _lane_order(_lane(e) for e in ctx.entries)
    return {lane: n % len(_PALETTE) for n, lane in enumerate(lanes)}


def _sticky_labels(ctx: _Context, by: str) -> str:
    """The lane labels again, as HTML over the left edge of the scrolled overview.

    They stay put while the drawing scrolls sideways; the script places them (the page's
    policy allows no inline style) and shows them, and hides the drawing's own labels.
    """
    items = []
    for n, ((name, count), _ix) in enumerate(_lanes(ctx, by)):
        short = (name if len(name) <= 44 else name[:43] + "…") + (f" ({count})" if count else "")
        items.append(f'<span class="sticky" data-lane="{n}">{html.escape(short)}</span>')
    return f'<div class="stickies" aria-hidden="true" hidden>{"".join(items)}</div>'


def _overview(ctx: _Context, colours: dict[str, int]) -> str:
    by_kind = _drawing(ctx, colours, "kind", "ov-kind")
    by_actor = _drawing(ctx, colours, "actor", "ov-actor")
    if by_kind is None or by_actor is None:
        by_kind = by_actor = '<p class="muted">No dated entries.</p>'
        kind_labels = actor_labels = ""
    else:
        kind_labels, actor_labels = _sticky_labels(ctx, "kind"), _sticky_labels(ctx, "actor")
    return (
        f'<div class="ovbox" id="view-kind">{kind_labels}<div class="scroll">{by_kind}</div></div>'
        f'<div class="ovbox" id="view-actor" hidden>{actor_labels}<div class="scroll">{by_actor}</div></div>'
    )


def to_svg(
    records: Iterable[Record],
    *,
    lanes: str = "kind",
    title: str | None = None,
    context: Dataset | Iterable[Record] | None = None,
) -> str:
    """The timeline's overview as a standalone SVG picture, to put in a report or a slide.

    The same drawing as the HTML page's overview: a column per year with entries (runs of
    empty years shrink to a gap), one lane per kind of entry or per frequent actor, a dot for
    a day, a bar for a span of days, a pale band over the whole month or year for a date known
    only that far, dashed outlines for approximate or uncertain dates. Each mark has a tooltip
    with its date and headline. It has its own style and a white background, and loads nothing.

    Args:
        records: a Dataset or any records.
        lanes: ``"kind"`` or ``"actor"``.
        title: the heading drawn above (default: a generic title).
        context: the dataset (or any records) that supplies the names of actors and places
            and the sources the records cite, when ``records`` is a selection (e.g.
            ``to_html(select(ds, f), context=ds)``); the records themselves are always used.

    Raises:
        ValueError: for lanes other than ``kind`` or ``actor``.
    """
    return _svg_file(_context(records, context=context), title, lanes)


def _svg_file(ctx: _Context, title: str | None, lanes: str = "kind") -> str:
    if lanes not in ("kind", "actor"):
        raise ValueError(f"lanes must be 'kind' or 'actor', not {lanes!r}")
    sub = ["1 entry" if len(ctx.entries) == 1 else f"{len(ctx.entries)} entries"]
    if ctx.dataset is not None:
        sub.append(f"dataset {ctx.dataset.version}")
    sub.append("dot: a day; bar: days; pale band: only the month or year is known; dashed: approximate or uncertain")
    colours = _colours(ctx)
    drawing = _drawing(ctx, colours, lanes, "timeline", (_default_title(title), " · ".join(sub)))
    if drawing is None:
        drawing = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40" viewBox="0 0 320 40">'
            '<text x="8" y="24" font-family="sans-serif" font-size="13">No dated entries.</text></svg>'
        )
    # XML 1.0 allows no C0 control but tab and line breaks, and no lone surrogate: a record built
    # in code may hold one (a loaded dataset cannot), which would make the file ill-formed.
    drawing = _XML_INVALID.sub("\ufffd", drawing)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + drawing + "\n"


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --------------------------------------------------------------------------- HTML: page

_PALETTE = (
    "#4e79a7",
    "#e15759",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#9c755f",
    "#d4a017",
    "#ff9da7",
    "#7f7f7f",
)

_CSS = """
:root{--fg:#1d1d1f;--muted:#5f6368;--bg:#fff;--card:#f7f7f8;--line:#d9d9de;--lane0:#f4f5f7;--lane1:#fff;
--link:#1a56db;--target:#fff6d6;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8ea;--muted:#a0a4ab;--bg:#15161a;--card:#1f2026;--line:#3a3b42;
--lane0:#1c1d22;--lane1:#15161a;--link:#8ab4f8;--target:#3a3420}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 FONTS;color:var(--fg);background:var(--bg)}
.wrap{margin:0 auto;padding:1rem 1.5rem}
header,#entries,#sources,footer,form#filters,#count{max-width:72rem}
a{color:var(--link)}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0}
h2.year{font-size:1.35rem;margin:1.75rem 0 .25rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
h3.month{font-size:1.05rem;margin:1rem 0 .4rem;color:var(--muted)}
.muted,.meta{color:var(--muted)}
.meta{font-size:.9rem}
.error{background:#fde8e8;color:#8a1c1c;padding:.5rem .75rem;border-radius:6px}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.85rem;color:var(--muted);margin:.5rem 0;
padding:0;list-style:none}
.legend svg{vertical-align:middle;margin-right:.25rem}
.ovbox{position:relative}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:8px}
.stickies{position:absolute;left:1px;top:1px;z-index:1;pointer-events:none}
.sticky{position:absolute;left:0;white-space:nowrap;font-size:11px;line-height:15px;padding:0 .4rem 0 8px;
color:var(--muted);background:var(--bg);border-radius:0 4px 4px 0;opacity:.92}
.js-lanes .ov .lanelabel{visibility:hidden}
.ov{display:block;font-size:11px}
.ov .year{fill:var(--muted);text-anchor:middle;font-weight:600}
.ov .grid{stroke:var(--line);stroke-width:1}
.ov .lane.l0{fill:var(--lane0)}.ov .lane.l1{fill:var(--lane1)}
.ov .lanelabel{fill:var(--muted)}
.ov .gap rect{fill:var(--line);fill-opacity:.45}
.ov a:focus .mk,.ov a:hover .mk{stroke:var(--fg);stroke-width:2}
.mk{stroke-width:1}
.mk.band{fill-opacity:.3}
.mk.fz{fill-opacity:.25;stroke-dasharray:3 2;stroke-width:1.5}
.mk.open{fill-opacity:.2;stroke-dasharray:2 2}
.mk.arrow{fill-opacity:.6;stroke:none}
.off{display:none}
.ov .lane.off{display:none}
form#filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:1rem 0;padding:.75rem;
background:var(--card);border-radius:8px}
form#filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted);min-width:10rem;
flex:1 1 10rem}
form#filters select,form#filters input,form#filters button{font:inherit;font-size:.95rem;padding:.35rem .4rem;
color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px;max-width:100%}
fieldset.view{border:0;padding:0;margin:0;min-width:0;font-size:.9rem;display:flex;gap:.75rem;align-items:center;
flex:1 1 100%}
fieldset.view legend{float:left;color:var(--muted);font-size:.85rem;margin-right:.25rem}
form#filters fieldset.view label{flex-direction:row;align-items:center;gap:.3rem;min-width:0;flex:0 0 auto;
color:var(--fg);font-size:.9rem}
#count{font-weight:600;margin:.25rem 0}
article.entry{background:var(--card);border-left:4px solid var(--line);border-radius:6px;padding:.6rem .8rem;
margin:.5rem 0}
article.entry:target{background:var(--target)}
.when{font-weight:700}
.chips{display:inline-flex;flex-wrap:wrap;gap:.25rem;margin-left:.4rem;vertical-align:middle}
.chip{font-size:.75rem;font-weight:500;border:1px solid var(--line);border-radius:999px;padding:0 .45rem;
color:var(--muted);white-space:nowrap}
.chip.fuzzy{border-style:dashed}
.chip.low{border-color:#c0392b;color:#c0392b}
h4.headline{font-size:1.02rem;margin:.15rem 0 .25rem;line-height:1.35}
h4.headline a{color:inherit;text-decoration:none}
h4.headline a:hover{text-decoration:underline}
.entry p{margin:.25rem 0}
.entry .note,.entry .who{font-size:.92rem;color:var(--muted)}
details.sources{margin-top:.35rem;font-size:.92rem}
details.sources summary{cursor:pointer;color:var(--link)}
details.sources ol,#sources ol{padding-left:1.25rem;margin:.35rem 0}
details.sources li,#sources li{margin:.3rem 0;overflow-wrap:anywhere}
blockquote{margin:.2rem 0 .2rem .25rem;padding-left:.6rem;border-left:3px solid var(--line);color:var(--fg);
font-style:italic}
blockquote .supports{font-style:normal;font-size:.8rem;color:var(--muted)}
#sources{margin-top:2.5rem;font-size:.92rem}
#sources li:target{background:var(--target)}
footer{margin:2rem 0 1rem;font-size:.85rem;color:var(--muted)}
@media (max-width:40rem){.wrap{padding:.6rem}h1{font-size:1.25rem}form#filters label{flex:1 1 100%}}
@media print{form#filters,#count,.scroll{display:none}details.sources{display:block}}
""".replace("FONTS", FONT_STACK)

_JS = """
(function () {
  'use strict';
  var banner = document.getElementById('js-error');
  function fail(message) {
    banner.hidden = false;
    banner.textContent = 'This page could not run its filters: ' + message;
  }
  window.addEventListener('error', function (ev) { fail(ev.message); });
  document.addEventListener('securitypolicyviolation', function (ev) {
    fail('blocked by the content security policy (' + ev.violatedDirective + ')');
  });
  var form = document.getElementById('filters');
  var kind = document.getElementById('f-kind');
  var actor = document.getElementById('f-actor');
  var year = document.getElementById('f-year');
  var text = document.getElementById('f-text');
  var reset = document.getElementById('f-reset');
  var count = document.getElementById('count');
  var entries = Array.prototype.slice.call(document.querySelectorAll('article.entry'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.month, section.year'));
  var marks = {};
  Array.prototype.forEach.call(document.querySelectorAll('[data-mark]'), function (m) {
    (marks[m.getAttribute('data-mark')] = marks[m.getAttribute('data-mark')] || []).push(m);
  });
  entries.forEach(function (a) { a.setAttribute('data-text', a.textContent.toLowerCase()); });
  function words(a, name) { return (a.getAttribute(name) || '').split(' '); }
  function keep(a, k, who, y, q) {
    if (k && a.getAttribute('data-kind') !== k && a.getAttribute('data-sub') !== k) { return false; }
    if (who && words(a, 'data-actors').indexOf(who) < 0) { return false; }
    if (y && words(a, 'data-years').indexOf(y) < 0) { return false; }
    if (q && a.getAttribute('data-text').indexOf(q) < 0) { return false; }
    return true;
  }
  function apply() {
    var k = kind.value, who = actor.value, y = year.value, q = text.value.trim().toLowerCase();
    var shown = 0;
    entries.forEach(function (a) {
      var ok = keep(a, k, who, y, q);
      a.hidden = !ok;
      (marks[a.getAttribute('data-e')] || []).forEach(function (m) {
        m.classList.toggle('off', !ok);
      });
      if (ok) { shown += 1; }
    });
    sections.forEach(function (s) { s.hidden = !s.querySelector('article.entry:not([hidden])'); });
    count.textContent = 'Showing ' + shown + ' of ' + entries.length + ' entries';
    reset.disabled = !(k || who || y || q);
    boxes.forEach(collapse);
  }
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.ovbox'));
  function collapse(box) {
    // Lanes left with no entry by the filters fold away; the labels follow their lanes.
    var svg = box.querySelector('svg.ov');
    if (!svg) { return; }
    var full = Number(svg.getAttribute('data-full') || svg.getAttribute('height'));
    svg.setAttribute('data-full', String(full));
    var shift = 0;
    Array.prototype.forEach.call(svg.querySelectorAll('rect.lane'), function (rect) {
      var n = rect.getAttribute('data-lane');
      var group = svg.querySelector('g[data-lane="' + n + '"]');
      var sticky = box.querySelector('.sticky[data-lane="' + n + '"]');
      var empty = !group.querySelector('[data-mark]:not(.off)');
      [rect, group].forEach(function (el) {
        el.setAttribute('transform', 'translate(0 ' + (-shift) + ')');
        el.classList.toggle('off', empty);
      });
      if (sticky) {
        sticky.hidden = empty;
        sticky.style.top = (Number(rect.getAttribute('data-y')) - shift) + 'px';
      }
      if (empty) { shift += Number(rect.getAttribute('data-h')); }
    });
    var height = full - shift;
    svg.setAttribute('height', String(height));
    var vb = svg.getAttribute('viewBox').split(' ');
    svg.setAttribute('viewBox', vb[0] + ' ' + vb[1] + ' ' + vb[2] + ' ' + height);
    var labels = box.querySelector('.stickies');
    if (labels) { labels.hidden = false; box.classList.add('js-lanes'); }
  }
  function busiest(scroll) {
    // Where to scroll so that the box, as wide as it is, holds the most entries: the
    // window of years with the most, centred on where its entries are.
    var years = Array.prototype.slice.call(scroll.querySelectorAll('text[data-year]'));
    var width = scroll.clientWidth, most = -1, centre = 0;
    years.forEach(function (start) {
      var x0 = Number(start.getAttribute('x')), n = 0, sum = 0;
      years.forEach(function (other) {
        var x = Number(other.getAttribute('x')), k = Number(other.getAttribute('data-n'));
        if (x >= x0 && x <= x0 + width - 120) { n += k; sum += k * x; }
      });
      if (n > most) { most = n; centre = n ? sum / n : x0; }
    });
    return Math.max(0, centre - width / 2);
  }
  function view(opening) {
    var byActor = document.getElementById('v-actor').checked;
    var shown = document.getElementById(byActor ? 'view-actor' : 'view-kind');
    document.getElementById('view-kind').hidden = byActor;
    document.getElementById('view-actor').hidden = !byActor;
    var scroll = shown.querySelector('.scroll');
    if (!scroll.querySelector('svg')) { return; }
    var label = year.value && scroll.querySelector('text[data-year="' + year.value + '"]');
    if (label) {
      scroll.scrollLeft = Math.max(0, Number(label.getAttribute('x')) - 80);
    } else if (opening) {
      scroll.scrollLeft = busiest(scroll);
    } else {
      return;
    }
    // The first year wholly in view, for readers of the DOM (and the tests).
    var first = Array.prototype.filter.call(scroll.querySelectorAll('text[data-year]'), function (t) {
      return Number(t.getAttribute('x')) - 60 >= scroll.scrollLeft - 1;
    })[0];
    if (first) { scroll.setAttribute('data-opened-at', first.getAttribute('data-year')); }
  }
  var query = new URLSearchParams(window.location.search);
  [['kind', kind], ['actor', actor], ['year', year], ['q', text]].forEach(function (p) {
    var v = query.get(p[0]);
    if (v !== null) { p[1].value = v; }
  });
  if (query.get('lanes') === 'actor') { document.getElementById('v-actor').checked = true; }
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  form.addEventListener('input', apply);
  form.addEventListener('change', function (ev) { apply(); view(ev.target.name === 'lanes'); });
  reset.addEventListener('click', function () {
    kind.value = ''; actor.value = ''; year.value = ''; text.value = '';
    apply();
    view(false);
  });
  form.hidden = false;
  apply();
  view(true);
}());
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _legend(colours: dict[str, int]) -> str:
    def icon(shape: str) -> str:
        return f'<svg width="26" height="12" viewBox="0 0 26 12" aria-hidden="true">{shape}</svg>'

    items = [
        (icon('<circle class="mk c0 pt" cx="13" cy="6" r="4.5"/>'), "known to the day"),
        (icon('<rect class="mk c0 bar" x="2" y="1" width="22" height="10" rx="2"/>'), "a span of days"),
        (
            icon('<rect class="mk c0 band" x="2" y="1" width="22" height="10" rx="2"/>'),
            "known only to the month or year",
        ),
        (icon('<rect class="mk c0 band fz" x="2" y="1" width="22" height="10" rx="2"/>'), "approximate or uncertain"),
        (
            icon(
                '<rect class="mk c0 bar open" x="2" y="1" width="16" height="10" rx="2"/>'
                '<path class="mk c0 arrow" d="M18 0l7 6-7 6z"/>'
            ),
            "open-ended",
        ),
    ]
    for lane, c in colours.items():
        items.append((icon(f'<rect class="mk c{c}" x="2" y="1" width="22" height="10" rx="2"/>'), _lane_name(lane)))
    return '<ul class="legend">' + "".join(f"<li>{i}{html.escape(t)}</li>" for i, t in items) + "</ul>"


def _palette_css(n: int) -> str:
    return "".join(f".c{i}{{fill:{_PALETTE[i]};stroke:{_PALETTE[i]}}}" for i in range(n))


def _entry_html(ctx: _Context, i: int, e: TimelineEntry, lo: int, hi: int) -> str:
    esc = html.escape
    anchor = ctx.anchors[i]
    words = _precision_words(e.date)
    chips = [f'<span class="chip">{esc(e.kind)} · {esc(e.subkind.replace("_", " "))}</span>']
    if e.milestone:
        chips.append(f'<span class="chip">{esc(e.milestone.replace("_", " "))}</span>')
    chips.append(
        f'<span class="chip{" fuzzy" if _fuzzy(e.date) else ""}" title="EDTF {esc(str(e.date))}">'
        f"{esc(', '.join(words))}</span>"
    )
    rec = ctx.records.get(e.record)
    confidence = getattr(rec, "confidence", None)
    if confidence is not None and str(confidence) == "low":
        chips.append('<span class="chip low">low confidence</span>')
    attrs_ = {
        "id": anchor,
        "class": "entry",
        "data-e": str(i),
        "data-kind": e.kind,
        "data-sub": f"{e.kind}/{e.subkind}",
        "data-years": " ".join(str(y) for y in _years(e, lo, hi) if y in _offered(ctx, lo, hi)),
        "data-actors": " ".join(e.actors),
        "data-edtf": str(e.date),
    }
    head = " ".join(f'{k}="{esc(v)}"' for k, v in attrs_.items())
    out = [
        f"<article {head}>",
        f'<div><span class="when">{esc(e.label)}</span><span class="chips">{"".join(chips)}</span></div>',
        f'<h4 class="headline"><a href="#{anchor}">{esc(e.headline)}</a></h4>',
    ]
    summary = _summary(ctx, e)
    if summary:
        out.append(f'<p class="summary">{esc(summary)}</p>')
    if e.note:
        label = "About the date" if e.milestone is None else "Note"
        out.append(f'<p class="note">{label}: {esc(e.note)}</p>')
    who = []
    places = _places(ctx, e)
    if places:
        who.append(f"Where: {esc(', '.join(places))}")
    if e.actors:
        who.append(f"Actors: {esc(', '.join(_actor_name(ctx, a) for a in e.actors))}")
    if who:
        out.append(f'<p class="who">{" · ".join(who)}</p>')
    if e.sources:
        out.append(f'<details class="sources"><summary>{_plural(len(e.sources), "source")}</summary><ol>')
        for sid in e.sources:
            out.append(_source_item(ctx, e, sid))
        out.append("</ol></details>")
    out.append("</article>")
    return "".join(out)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _source_item(ctx: _Context, e: TimelineEntry, sid: str) -> str:
    esc = html.escape
    src = ctx.sources.get(sid)
    parts = ["<li>"]
    if src is None:
        parts.append(f"<code>{esc(sid)}</code>")
        lang = None
    else:
        lang = src.language
        bits = [f'<a href="#{esc(_UNSAFE_ID.sub("_", sid))}">{esc(src.publisher)}</a>']
        if src.published is not None:
            bits.append(esc(format_when(src.published)))
        bits.append(f"<cite>{esc(src.title)}</cite>")
        url = _safe_url(src.url)
        if url:
            bits.append(f'<a class="ext" href="{esc(url)}" rel="noopener noreferrer external">{esc(_host(url))} ↗</a>')
        parts.append(" · ".join(bits))
    for c in e.citations:
        if c.source == sid and c.quote:
            lang_attr = f' lang="{esc(lang)}"' if lang else ""
            supports = f' <span class="supports">({esc(c.supports)})</span>' if c.supports else ""
            parts.append(f"<blockquote{lang_attr}>“{esc(c.quote)}”{supports}</blockquote>")
    parts.append("</li>")
    return "".join(parts)


def _host(url: str) -> str:
    """The host a link goes to, as a reader should see it: never its userinfo.

    In ``https://legit.gov.tj@evil.example/`` the host is ``evil.example``; what comes before
    ``@`` is a user name, shown by naive code as if it were the site.
    """
    m = re.match(r"^https?://([^/?#\\]+)", url, re.IGNORECASE)
    host = m.group(1).rpartition("@")[2] if m else url
    return host[4:] if host.lower().startswith("www.") else host


def _sources_section(ctx: _Context) -> str:
    esc = html.escape
    cited: dict[str, list[int]] = {}
    for i, e in enumerate(ctx.entries):
        for sid in e.sources:
            cited.setdefault(sid, []).append(i)
    known = sorted((s for s in cited if s in ctx.sources), key=lambda s: (ctx.sources[s].publisher.lower(), s))
    if not known:
        return ""
    items = []
    for sid in known:
        src = ctx.sources[sid]
        bits = [f"<strong>{esc(src.publisher)}</strong>"]
        if src.published is not None:
            bits.append(esc(format_when(src.published)))
        bits.append(f"<cite>{esc(src.title)}</cite>")
        kind = f"{src.kind.value.replace('_', ' ')}, reliability {src.reliability.value}, language {src.language}"
        if src.translation_of:
            kind += f" (translated from {src.translation_of})"
        bits.append(esc(kind))
        url = _safe_url(src.url)
        if url:
            bits.append(f'<a class="ext" href="{esc(url)}" rel="noopener noreferrer external">{esc(url)}</a>')
        back = ", ".join(f'<a href="#{ctx.anchors[i]}">{esc(ctx.entries[i].label)}</a>' for i in cited[sid])
        bits.append(f"cited for {back}")
        items.append(f'<li id="{esc(_UNSAFE_ID.sub("_", sid))}">{" · ".join(bits)}</li>')
    return f'<section id="sources"><h2>Sources</h2><ol>{"".join(items)}</ol></section>'


def _options(pairs: Iterable[tuple[str, str]], blank: str) -> str:
    esc = html.escape
    return f'<option value="">{esc(blank)}</option>' + "".join(
        f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in pairs
    )


_KIND_PLURALS = {"event": "Events", "agreement": "Agreements", "facility": "Facilities"}


def _filters(ctx: _Context, lo: int, hi: int) -> str:
    kinds: dict[str, dict[str, int]] = {}
    for e in ctx.entries:
        subs = kinds.setdefault(e.kind, {})
        subs[e.subkind] = subs.get(e.subkind, 0) + 1
    kind_opts: list[tuple[str, str]] = []
    for k in ("event", "agreement", "facility", *sorted(set(kinds) - {"event", "agreement", "facility"})):
        if k not in kinds:
            continue
        total = sum(kinds[k].values())
        kind_opts.append((k, f"{_KIND_PLURALS.get(k, k.capitalize() + 's')} ({total})"))
        for sub, n in sorted(kinds[k].items()):
            kind_opts.append((f"{k}/{sub}", f"\u2003{sub.replace('_', ' ')} ({n})"))
    counts: dict[str, int] = {}
    for e in ctx.entries:
        for a in e.actors:
            counts[a] = counts.get(a, 0) + 1
    actor_opts = [
        (a, f"{_actor_name(ctx, a)} ({counts[a]})") for a in sorted(counts, key=lambda a: _actor_name(ctx, a).lower())
    ]
    year_counts: dict[int, int] = {}
    offered = _offered(ctx, lo, hi)
    for e in ctx.entries:
        for y in _years(e, lo, hi):
            if y in offered:
                year_counts[y] = year_counts.get(y, 0) + 1
    year_opts = [(str(y), f"{y} ({n})") for y, n in sorted(year_counts.items())]
    return (
        '<form id="filters" hidden role="search" aria-label="Filter the timeline">'
        f'<label>Kind<select id="f-kind" name="kind">{_options(kind_opts, "All kinds")}</select></label>'
        f'<label>Actor<select id="f-actor" name="actor">{_options(actor_opts, "All actors")}</select></label>'
        f'<label>Year<select id="f-year" name="year">{_options(year_opts, "All years")}</select></label>'
        '<label>Search<input id="f-text" name="q" type="search" placeholder="words in the entries"></label>'
        '<button type="button" id="f-reset">Clear filters</button>'
        '<fieldset class="view"><legend>Overview lanes:</legend>'
        '<label class="radio"><input type="radio" name="lanes" id="v-kind" value="kind" checked> by kind</label>'
        '<label class="radio"><input type="radio" name="lanes" id="v-actor" value="actor"> by actor</label>'
        "</fieldset></form>"
    )


def to_html(
    records: Iterable[Record], *, title: str | None = None, context: Dataset | Iterable[Record] | None = None
) -> str:
    """The timeline as one self-contained HTML page, to open offline in any browser.

    The page has an SVG overview in lanes (by kind of entry, or by actor), the entries
    grouped by year and month, each with an anchor and its sources, filters by kind, actor,
    year and text, and a list of the sources cited. CSS, SVG and script are inline, and the
    page's Content-Security-Policy allows nothing to be loaded from anywhere.

    Args:
        records: a Dataset or any records.
        title: the page's title and heading (default: a generic title).
        context: the dataset (or any records) that supplies the names of actors and places
            and the sources the records cite, when ``records`` is a selection (e.g.
            ``to_html(select(ds, f), context=ds)``); the records themselves are always used.
    """
    return _html(_context(records, context=context), title)


def _html(ctx: _Context, title: str | None) -> str:
    esc = html.escape
    page_title = _default_title(title)
    span = _span_years(ctx.entries)
    lo, hi = span if span is not None else (0, 0)
    colours = _colours(ctx)

    about = ["1 entry" if len(ctx.entries) == 1 else f"{len(ctx.entries)} entries"]
    if span is not None:
        about[0] += f", {span[0]}–{span[1]}" if span[0] != span[1] else f", {span[0]}"
    if ctx.dataset is not None:
        about.append(f"dataset version {ctx.dataset.version} (SHA-256 {ctx.dataset.sha256[:12]}…)")

    body: list[str] = []
    year: int | str | None = "none yet"
    open_month = open_year = False
    index = 0
    for y, m, run in group_by_month(ctx.entries):
        if y != year:
            if open_month:
                body.append("</section>")
                open_month = False
            if open_year:
                body.append("</section>")
            body.append(f'<section class="year"><h2 class="year">{esc(month_label(y, None))}</h2>')
            open_year, year = True, y
        elif open_month:
            body.append("</section>")
            open_month = False
        if m is not None:
            body.append(f'<section class="month"><h3 class="month">{esc(month_label(y, m))}</h3>')
            open_month = True
        for e in run:
            body.append(_entry_html(ctx, index, e, lo, hi))
            index += 1
    if open_month:
        body.append("</section>")
    if open_year:
        body.append("</section>")

    css = _CSS + _palette_css(len(_PALETTE))
    js = _JS
    csp = f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; img-src data:"
    from importlib.metadata import PackageNotFoundError, version

    try:
        generator = f"sinotajik {version('sinotajik')}"
    except PackageNotFoundError:  # pragma: no cover - an uninstalled source tree
        generator = "sinotajik"
    return "".join(
        [
            "<!DOCTYPE html>\n",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">',
            '<meta name="referrer" content="no-referrer">',
            f'<meta name="generator" content="{esc(generator)}">',
            f"<title>{esc(page_title)}</title>",
            f"<style>{css}</style></head>\n",
            '<body><div class="wrap"><header>',
            f"<h1>{esc(page_title)}</h1>",
            f'<p class="meta">{esc("; ".join(about))}. {esc(_PRECISION_NOTE)}</p>',
            '<p id="js-error" class="error" role="alert" hidden></p>',
            "</header>\n",
            '<section id="overview" aria-label="Overview">',
            _legend(colours),
            _overview(ctx, colours),
            "</section>\n",
            _filters(ctx, lo, hi),
            f'<p id="count" role="status" aria-live="polite">{esc(about[0])}</p>\n',
            '<main id="entries">',
            "".join(body) if body else '<p class="muted">No dated entries.</p>',
            "</main>\n",
            _sources_section(ctx),
            f"<footer>Made with {esc(generator)}. Each entry links to its sources; "
            "the page loads nothing from the network.</footer>",
            f"</div><script>{js}</script></body></html>\n",
        ]
    )


# --------------------------------------------------------------------------- any format

FORMATS = ("text", "json", "markdown", "html", "timelinejs", "svg")
"""The formats :func:`render_timeline` writes."""


def _entry_json(e: TimelineEntry, anchor: str) -> dict[str, Any]:
    return {
        "date": str(e.date),
        "label": e.label,
        "record": e.record,
        "kind": e.kind,
        "subkind": e.subkind,
        "title": e.title,
        "milestone": e.milestone,
        "note": e.note,
        "actors": list(e.actors),
        "sources": list(e.sources),
        "anchor": anchor,
    }


def render_timeline(
    fmt: str,
    entries: Iterable[TimelineEntry],
    records: Iterable[Record] = (),
    *,
    title: str | None = None,
) -> str:
    """Render timeline entries in one of :data:`FORMATS`, looking things up in ``records``.

    This is what the renderers above do with the whole timeline of their records; here the
    entries may be any selection (a filtered timeline), and ``records`` (a Dataset, say)
    serve only to name actors and describe sources. ``json`` is a list of entries, each with
    its EDTF ``date``, ``label``, ids and the ids of its ``actors`` and ``sources``;
    ``timelinejs`` is :func:`to_timelinejs`'s dictionary as JSON, ``svg`` the picture of
    :func:`to_svg` with lanes by kind.

    Raises:
        ValueError: for a format not in :data:`FORMATS`.
    """
    ctx = _context(records, entries)
    if fmt == "text":
        return render_text(ctx.entries)
    if fmt == "json":
        rows = [_entry_json(e, a) for e, a in zip(ctx.entries, ctx.anchors, strict=True)]
        return json.dumps(rows, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "markdown":
        return _markdown(ctx, title)
    if fmt == "html":
        return _html(ctx, title)
    if fmt == "timelinejs":
        return json.dumps(_timelinejs(ctx, title), ensure_ascii=False, indent=2) + "\n"
    if fmt == "svg":
        return _svg_file(ctx, title)
    raise ValueError(f"unknown timeline format {fmt!r}; choose one of {', '.join(FORMATS)}")
