"""The overview drawing of a timeline: lanes of dots, bars and bands on a time axis, as SVG."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from .._dataset import Dataset
from .._dates import DateSpan, PartialDate, Precision
from .._model import Record
from .._timeline import TimelineEntry
from .common import (
    _actor_name,
    _Context,
    _context,
    _default_title,
    _first,
    _fuzzy,
    _known_years,
    _lane,
    _lane_name,
    _lane_order,
    _last,
    _resource,
    _span_years,
)

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


_SVG_CSS = _resource("svg.css").replace("FONTS", FONT_STACK)


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


def _palette_css(n: int) -> str:
    return "".join(f".c{i}{{fill:{_PALETTE[i]};stroke:{_PALETTE[i]}}}" for i in range(n))
