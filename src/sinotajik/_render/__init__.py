"""Renderers of a timeline: text, Markdown, a self-contained HTML page, TimelineJS3 JSON, SVG.

Every renderer takes records: a [`Dataset`][sinotajik.Dataset], or any iterable of records. The
timeline is made from its events, agreements and facilities (see [`sinotajik.timeline`][sinotajik.timeline]);
its sources and actors, when present, are looked up to show each entry's sources (publisher,
date, title, URL and the quotes cited) and actors by name. To render a timeline filtered
some other way, `render_timeline` takes the entries and the records to look things up
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

The HTML page ([`to_html`][sinotajik.to_html]) needs nothing but a browser: CSS, SVG and a small script are
inline, a Content-Security-Policy forbids loading anything else, and it works offline and on
a phone. It draws an overview of the timeline in lanes, by kind or by actor, where a date known
to the day is a dot, a span of days a bar, a date known only to the month or the year a pale
band over that whole month or year, and an approximate or uncertain date is dashed. Below it,
the entries are grouped by year and month, each with an anchor (``#<record id>``, or
``#<record id>--<milestone>`` for agreement and facility milestones), its actors and its
sources; filters by kind, actor, year and text narrow both, and can be preset from the URL's
query string (``?kind=event/drill&actor=act-chn&year=2021&q=police&lanes=actor``).
[`to_svg`][sinotajik.to_svg] draws the same overview as a standalone picture for reports and slides.

One module per format: ``text`` (text and Markdown), ``timelinejs``, ``svg`` (the overview)
and ``html`` (the page, whose CSS, script and skeleton are the resource files ``page.css``,
``page.js`` and ``page.html`` beside it); ``common`` holds what they share. A new format is a
module here and a branch in `render_timeline`. Each format's module is imported when that
format is first asked for, so that ``sinotajik timeline`` (text) does not import the page.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._model import Record
from .._timeline import TimelineEntry, render_text
from .common import _context

if TYPE_CHECKING:
    from .html import to_html
    from .svg import to_svg
    from .text import to_markdown, to_text
    from .timelinejs import to_timelinejs

#: The module of each public renderer, imported on first use.
_RENDERERS = {
    "to_html": ".html",
    "to_markdown": ".text",
    "to_svg": ".svg",
    "to_text": ".text",
    "to_timelinejs": ".timelinejs",
}


def __getattr__(name: str) -> Any:
    module = _RENDERERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __package__), name)


__all__ = ["FORMATS", "render_timeline", "to_html", "to_markdown", "to_svg", "to_text", "to_timelinejs"]


FORMATS = ("text", "json", "markdown", "html", "timelinejs", "svg")
"""The formats ``render_timeline`` writes."""


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
    """Render timeline entries in one of `FORMATS`, looking things up in ``records``.

    This is what the renderers above do with the whole timeline of their records; here the
    entries may be any selection (a filtered timeline), and ``records`` (a Dataset, say)
    serve only to name actors and describe sources. ``json`` is a list of entries, each with
    its EDTF ``date``, ``label``, ids and the ids of its ``actors`` and ``sources``;
    ``timelinejs`` is [`to_timelinejs`][sinotajik.to_timelinejs]'s dictionary as JSON, ``svg`` the picture of
    [`to_svg`][sinotajik.to_svg] with lanes by kind.

    Raises:
        ValueError: for a format not in `FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown timeline format {fmt!r}; choose one of {', '.join(FORMATS)}")
    ctx = _context(records, entries)
    if fmt == "text":
        return render_text(ctx.entries)
    if fmt == "json":
        import json

        rows = [_entry_json(e, a) for e, a in zip(ctx.entries, ctx.anchors, strict=True)]
        return json.dumps(rows, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "markdown":
        from .text import _markdown

        return _markdown(ctx, title)
    if fmt == "html":
        from .html import _html

        return _html(ctx, title)
    if fmt == "timelinejs":
        import json

        from .timelinejs import _timelinejs

        return json.dumps(_timelinejs(ctx, title), ensure_ascii=False, indent=2) + "\n"
    if fmt == "svg":
        from .svg import _svg_file

        return _svg_file(ctx, title)
    raise ValueError(f"unknown timeline format {fmt!r}; choose one of {', '.join(FORMATS)}")
