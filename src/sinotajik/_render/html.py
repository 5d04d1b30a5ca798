"""The self-contained HTML page of a timeline; its CSS, script and skeleton are package resources.

``page.css``, ``page.js`` and ``page.html`` sit beside this module (linters and formatters see
them as the files they are); they are read once, with `importlib.resources`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import string
from collections.abc import Iterable

from .._dataset import Dataset
from .._dates import format_when
from .._model import Record
from .._timeline import TimelineEntry, group_by_month, month_label
from .common import (
    _PRECISION_NOTE,
    _UNSAFE_ID,
    _actor_name,
    _Context,
    _context,
    _default_title,
    _fuzzy,
    _lane_name,
    _offered,
    _places,
    _precision_words,
    _resource,
    _safe_url,
    _span_years,
    _summary,
    _years,
)
from .svg import _PALETTE, FONT_STACK, _colours, _overview, _palette_css

_CSS = _resource("page.css").replace("FONTS", FONT_STACK)


_JS = _resource("page.js")
#: The page around them; ``$name`` marks what is filled in (escaped where it is text).
_PAGE = string.Template(_resource("page.html"))


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
    return _PAGE.substitute(
        csp=esc(csp),
        generator=esc(generator),
        title=esc(page_title),
        css=css,
        about=esc("; ".join(about)),
        note=esc(_PRECISION_NOTE),
        legend=_legend(colours),
        overview=_overview(ctx, colours),
        filters=_filters(ctx, lo, hi),
        count=esc(about[0]),
        entries="".join(body) if body else '<p class="muted">No dated entries.</p>',
        sources=_sources_section(ctx),
        js=js,
    )
