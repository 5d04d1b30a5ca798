"""What every timeline renderer shares: the entries with what describes them, anchors, lanes and years."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from .._dataset import Dataset
from .._dates import DateSpan, PartialDate, Precision, When, format_when
from .._model import Actor, Agreement, Event, EventKind, Facility, Record, Source
from .._timeline import TimelineEntry, timeline

_DEFAULT_TITLE = "China–Tajikistan security cooperation: a timeline"


_PRECISION_NOTE = (
    "Dates are shown as precisely as the sources give them: “2016” means some day in 2016, "
    "“Oct 2016” some day in October 2016; “~” marks an approximate date and “?” an uncertain one."
)


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
    """`_offered_years` of the context's entries, computed once per axis."""
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


def _text(text: str) -> str:
    """HTML text content: ``&``, ``<`` and ``>`` escaped, quotes kept as they are."""
    # What html.escape(text, quote=False) does, without importing html (and its entity table).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _resource(name: str) -> str:
    """The text of a resource file of this subpackage (the page's CSS, script and skeleton)."""
    from importlib import resources

    return (resources.files(__package__) / name).read_text(encoding="utf-8")
