"""Rich display in Jupyter and other notebooks: ``_repr_html_`` for a Dataset and for records.

A Dataset shows as a small table (version, checksum, records of each kind); a record as a card
like an entry of the HTML timeline: its kind, date or status, title, summary, where, who,
claims and the sources it cites with their quotes. Every text is escaped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ._dates import format_when

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._model import Citation

__all__ = ["dataset_html", "record_html"]

_BOX = (
    "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans CJK SC',sans-serif;"
    "border:1px solid #d9d9de;border-left:4px solid #4e79a7;border-radius:6px;padding:.5em .8em;max-width:48em"
)
_MUTED = "color:#5f6368;font-size:.9em"
_CHIP = "font-size:.8em;border:1px solid #d9d9de;border-radius:999px;padding:0 .45em;margin-right:.3em;color:#5f6368"


def _e(text: object) -> str:
    return html.escape(str(text))


def dataset_html(ds: Dataset) -> str:
    """The HTML a notebook shows for a Dataset: version, checksum and counts by kind."""
    rows = "".join(
        f"<tr><td style='text-align:left'>{_e(kind)}</td><td style='text-align:right'>{n}</td></tr>"
        for kind, n in ds.counts().items()
    )
    return (
        f"<div class='sinotajik-dataset' style=\"{_BOX}\">"
        f"<strong>sinotajik.Dataset</strong> <span style='{_CHIP}'>version {_e(ds.version)}</span>"
        f"<div style='{_MUTED}'>SHA-256 <code>{_e(ds.sha256)}</code></div>"
        "<table style='margin-top:.4em'><thead><tr><th style='text-align:left'>records</th>"
        f"<th style='text-align:right'>{len(ds)}</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _cites(citations: tuple[Citation, ...]) -> str:
    items = []
    for c in citations:
        quote = f" — <q>{_e(c.quote)}</q>" if c.quote else ""
        where = f" <span style='{_MUTED}'>({_e(c.locator)})</span>" if c.locator else ""
        items.append(f"<li><code>{_e(c.source)}</code>{quote}{where}</li>")
    if not items:
        return ""
    n = len(citations)
    return (
        f"<details><summary style='cursor:pointer'>{n} citation{'s' if n != 1 else ''}</summary>"
        f"<ol style='margin:.2em 0'>{''.join(items)}</ol></details>"
    )


def record_html(rec: Any) -> str:
    """The HTML a notebook shows for a record: a card like an entry of the timeline page.

    Records are told apart by their class name: the model calls this for its records'
    ``_repr_html_``, so this module does not import the model at run time.
    """
    kind = type(rec).__name__
    chips = [f"<span style='{_CHIP}'>{_e(kind.lower())} · {_e(str(getattr(rec, 'kind', '')).replace('_', ' '))}</span>"]
    when = ""
    if kind == "Event":
        when = format_when(rec.date)
        chips.append(f"<span style='{_CHIP}' title='EDTF {_e(rec.date)}'>EDTF {_e(rec.date)}</span>")
    elif kind in ("Agreement", "Facility"):
        chips.append(f"<span style='{_CHIP}'>{_e(str(rec.status).replace('_', ' '))}</span>")
    elif kind == "Place":
        chips = [f"<span style='{_CHIP}'>place · {_e(rec.precision)}</span>"]
    elif kind == "Source":
        chips.append(f"<span style='{_CHIP}'>reliability {_e(rec.reliability)}</span>")
        if rec.published is not None:
            when = format_when(rec.published)
    confidence = getattr(rec, "confidence", None)
    if confidence is not None:
        chips.append(f"<span style='{_CHIP}'>confidence {_e(confidence)}</span>")
    title = rec.title if kind in ("Event", "Agreement", "Source") else rec.name
    out = [f"<div class='sinotajik-record' style=\"{_BOX}\">"]
    head = f"<strong>{_e(when)}</strong> " if when else ""
    out.append(f"<div>{head}{''.join(chips)}<code style='{_MUTED}'>{_e(rec.id)}</code></div>")
    out.append(f"<div style='font-weight:600;margin:.2em 0'>{_e(title)}</div>")
    summary = getattr(rec, "summary", None)
    if summary:
        out.append(f"<p style='margin:.2em 0'>{_e(summary)}</p>")
    facts: list[str] = []
    if kind == "Event":
        facts += [f"Where: {_e(', '.join(rec.places))}"] if rec.places else []
        who = [f"{p.actor} ({p.role})" for p in rec.participants]
        facts += [f"Who: {_e(', '.join(who))}"] if who else []
    elif kind == "Agreement":
        steps = [f"{m.status} {m.date if m.date is not None else 'undated'}" for m in rec.milestones]
        facts += [f"Steps: {_e('; '.join(steps))}"] if steps else []
        facts += [f"Parties: {_e(', '.join(p.actor for p in rec.parties))}"] if rec.parties else []
    elif kind == "Facility":
        where = [p for p in ((rec.place,) if rec.place else ()) + rec.areas]
        facts += [f"Where: {_e(', '.join(where))}"] if where else []
        steps = [f"{h.status} {h.date if h.date is not None else 'undated'}" for h in rec.history]
        facts += [f"History: {_e('; '.join(steps))}"] if steps else []
    elif kind == "Actor":
        facts += [f"Also: {_e(', '.join(rec.aliases))}"] if rec.aliases else []
        facts += [f"Country: {_e(rec.country)}"] if rec.country else []
    elif kind == "Place":
        facts += [f"Country: {_e(rec.country)}"]
        if rec.coordinates is not None:
            facts.append(f"At {rec.coordinates.lat:.4f}, {rec.coordinates.lon:.4f}")
    elif kind == "Source":
        facts += [f"{_e(rec.publisher)} · {_e(rec.kind)} · {_e(rec.language)}"]
        facts += [_e(rec.url)] if rec.url else []
    if facts:
        out.append(f"<div style='{_MUTED}'>{' · '.join(facts)}</div>")
    for c in getattr(rec, "claims", ()):
        by = f"{c.by}: " if c.by else ""
        out.append(f"<div style='{_MUTED}'>Claim ({_e(c.stance)} {_e(c.about)}) {_e(by)}{_e(c.statement)}</div>")
    out.append(_cites(getattr(rec, "citations", ())))
    out.append("</div>")
    return "".join(out)
