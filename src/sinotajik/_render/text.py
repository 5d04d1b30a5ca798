"""The timeline as plain text and as Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .._dataset import Dataset
from .._model import Record
from .._timeline import group_by_month, month_label, render_text, timeline
from .common import _PRECISION_NOTE, _Context, _context, _default_title, _safe_url, _source_date


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
