"""The ``list`` and ``show`` commands, and the filter flags other commands reuse.

Filter flags (`add_filter_args`, in ``filterargs``) map onto [`sinotajik.where`][sinotajik.where]:

===================  ====================================================================
``--kind K``         ``where.kind``: a record kind or sub-kind (``exercise``, ``agency``)
``--actor ID``       ``where.actor``: the record names the actor (``--subordinates``: or an
                     actor below it; ``--role R``: in that role)
``--country ISO3``   an actor of that state takes part (agencies and people count for their
                     state) **or** the record is located in that country
``--place ID``       ``where.place``: located there or somewhere inside it
``--from/--to D``    ``where.date``: a date possibly in the window (``--certain``: certainly)
``--tag T``          ``where.tag``
``--confidence L``   ``where.confidence(at_least=L)``
``--source ID``      ``where.source``: cites that source
``--contested``      ``where.contested()``
``--as-of D``        ``Dataset.as_of(D)`` before anything else: what was published by then
===================  ====================================================================

Repeated flags (or comma-separated values) are alternatives; different flags must all hold.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence
from typing import Any, TextIO

from .._dataset import Dataset
from .._dates import PartialDate, format_when
from .._model import Actor, Agreement, Claim, Event, Facility, Place, Record, Source
from .._query import (
    Filter,
    actor_history,
    agreement_events,
    agreement_facilities,
    event_responses,
    facility_claims,
    record_dates,
    select,
    where,
)
from .._query.facts import CLASS_NAME, NAME_CLASS, all_citations, date_key, with_article
from .._query.filters import DateFilter, kind_specs
from .._serialize import to_dict
from .common import EXIT_OK, UsageError, add_data_args, add_format, dataset_from_args, emit_json
from .filterargs import _exact_date, _values, add_filter_args

__all__ = [
    "dataset_from_filter_args",
    "filters_from_args",
    "register",
    "select_from_args",
    "window_from_args",
]

_KIND_CHOICES = ("actors", "places", "sources", "events", "agreements", "facilities")


def _usage(args: argparse.Namespace, message: str) -> UsageError:
    prog = getattr(args, "query_prog", "sinotajik")
    return UsageError(f"{prog}: {message} (see '{prog} --help')")


def window_from_args(args: argparse.Namespace) -> DateFilter | None:
    """The ``--from``/``--to`` window as a date filter, or ``None`` when neither is given.

    Its ``accepts(when)`` tests a single date (e.g. a timeline entry's) the same way.
    """
    lo: PartialDate | None = getattr(args, "date_from", None)
    hi: PartialDate | None = getattr(args, "date_to", None)
    if lo is None and hi is None:
        return None
    if lo is not None and hi is not None and lo._first_day() > hi._last_day():
        raise _usage(args, f"--from {lo} is after --to {hi}")
    f = where.date(lo, hi, certain=bool(getattr(args, "certain", False)))
    assert isinstance(f, DateFilter)
    return f


def _check_ids(args: argparse.Namespace, ds: Dataset, flag: str, ids: Sequence[str], cls: type[Any]) -> None:
    for rid in ids:
        rec = ds.get(rid, None)
        if rec is None:
            raise _usage(args, f"{flag}: no {CLASS_NAME[cls]} {rid!r} in dataset {ds.version}{_suggest(ds, rid)}")
        if not isinstance(rec, cls):
            found, wanted = with_article(CLASS_NAME[type(rec)]), with_article(CLASS_NAME[cls])
            raise _usage(args, f"{flag}: {rid!r} is {found}, not {wanted}")


def filters_from_args(args: argparse.Namespace, dataset: Dataset | None = None) -> Filter | None:
    """The filter the flags ask for (``None`` when none is given).

    Args:
        args: parsed arguments of a parser given `add_filter_args`.
        dataset: when given, ids named by ``--actor``, ``--place`` and ``--source`` must exist
            in it (a typo is then one clear error rather than an empty result).

    Raises:
        UsageError: a bad combination or an unknown id.
    """
    parts: list[Filter] = []
    kinds = _values(getattr(args, "kind", None))
    if kinds:
        parts.append(where.kind(*kinds))
    actors = _values(getattr(args, "actor", None))
    roles = _values(getattr(args, "role", None))
    if getattr(args, "subordinates", False) and not actors:
        raise _usage(args, "--subordinates needs --actor")
    if dataset is not None:
        _check_ids(args, dataset, "--actor", actors, Actor)
        _check_ids(args, dataset, "--place", _values(getattr(args, "place", None)), Place)
        _check_ids(args, dataset, "--source", _values(getattr(args, "source", None)), Source)
    if actors or roles:
        parts.append(where.actor(*actors, role=roles or None, subordinates=bool(getattr(args, "subordinates", False))))
    countries = _values(getattr(args, "country", None))
    if countries:
        parts.append(where.actor(country=countries) | where.place(country=countries))
    places = _values(getattr(args, "place", None))
    if places:
        parts.append(where.place(*places))
    window = window_from_args(args)
    if window is not None:
        parts.append(window)
    elif getattr(args, "certain", False):
        raise _usage(args, "--certain needs --from or --to")
    tags = _values(getattr(args, "tag", None))
    if tags:
        if dataset is not None:
            known = {t for r in dataset for t in getattr(r, "tags", ())}
            for t in tags:
                if t not in known:
                    close = difflib.get_close_matches(t, sorted(known), n=1, cutoff=0.7)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise _usage(args, f"--tag: no record is tagged {t!r} in dataset {dataset.version}{hint}")
        parts.append(where.tag(*tags))
    if getattr(args, "confidence", None):
        parts.append(where.confidence(at_least=args.confidence))
    sources = _values(getattr(args, "source", None))
    if sources:
        parts.append(where.source(*sources))
    if getattr(args, "contested", False):
        parts.append(where.contested())
    texts = [t for t in getattr(args, "text", None) or () if t.strip()]
    if texts:
        try:
            found = [where.text(t) for t in texts]
        except ValueError as exc:
            raise _usage(args, f"--text: {exc}") from None
        either = found[0]
        for f in found[1:]:
            either = either | f
        parts.append(either)
    if not parts:
        return None
    out = parts[0]
    for f in parts[1:]:
        out = out & f
    return out


def dataset_from_filter_args(args: argparse.Namespace) -> Dataset:
    """The dataset a command works on (``--data``/``--release``/``--base``), cut to ``--as-of`` if given."""
    ds = dataset_from_args(args)
    as_of: PartialDate | None = getattr(args, "as_of", None)
    return ds if as_of is None else ds.as_of(as_of)


def select_from_args(args: argparse.Namespace, kind: type[Any] | None = None) -> tuple[Dataset, list[Any]]:
    """The dataset (after ``--as-of``) and the records the filter flags select, in dataset order.

    Args:
        args: parsed arguments of a parser given `add_data_args` and `add_filter_args`.
        kind: keep only records of this class (``Event``...).
    """
    ds = dataset_from_filter_args(args)
    f = filters_from_args(args, ds)
    if kind is None:
        return ds, select(ds, f)
    return ds, select(ds, f, kind=kind)


def _suggest(ds: Dataset, rid: str) -> str:
    ids = [r.id for r in ds]
    close = difflib.get_close_matches(rid, ids, n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --------------------------------------------------------------------------- list


def _label(rec: Record) -> str:
    dates = record_dates(rec)
    if not dates:
        return ""
    return format_when(min(dates, key=lambda d: d.sort_key()))


def _row(rec: Record) -> list[str]:
    if isinstance(rec, Event):
        return [rec.id, _label(rec), rec.kind.value, rec.title]
    if isinstance(rec, Agreement):
        return [rec.id, _label(rec) or "undated", rec.kind.value, rec.status.value, rec.title]
    if isinstance(rec, Facility):
        return [rec.id, _label(rec) or "undated", rec.kind.value, rec.status.value, rec.name]
    if isinstance(rec, Actor):
        return [rec.id, rec.kind.value, rec.country or "-", rec.name]
    if isinstance(rec, Place):
        return [rec.id, rec.precision.value, rec.country, rec.name]
    return [rec.id, _label(rec) or "undated", rec.kind.value, rec.reliability.value, f"{rec.publisher}: {rec.title}"]


def _table(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join([*(c.ljust(w) for c, w in zip(r, widths, strict=False)), r[-1]]).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


def _cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    cls = NAME_CLASS[args.kind_name]
    kinds = _values(args.kind)
    if kinds:
        for k in kinds:
            if all(c is not cls for c, _ in kind_specs(k)):
                raise _usage(args, f"--kind {k}: not a kind of {CLASS_NAME[cls]}")
    _, records = select_from_args(args, kind=cls)
    if args.sort == "date":
        records.sort(key=date_key)
    if args.format == "json":
        emit_json(out, [to_dict(r) for r in records])
    else:
        out.write(_table([_row(r) for r in records]))
    return EXIT_OK


# --------------------------------------------------------------------------- show


def _name(ds: Dataset, rid: str) -> str:
    rec = ds.get(rid, None)
    if rec is None:
        return rid
    name = getattr(rec, "name", None) or getattr(rec, "title", None)
    return f"{rid} ({name})" if name else rid


def _item(ds: Dataset, key: str, d: dict[str, Any]) -> str:
    """One line for an element of a list field (a participant, a milestone, a figure...)."""
    n = len(d.get("citations", ()))
    cites = f"  [{n} citation{'s' if n != 1 else ''}]" if n else ""
    if "actor" in d and "role" in d:
        return f"{_name(ds, d['actor'])} — {d['role']}" + (f"; {d['note']}" if d.get("note") else "")
    if "value" in d and "unit" in d:
        q = str(d.get("qualifier", "exactly")).replace("_", " ")
        line = f"{d['what']}: {'' if q == 'exactly' else q + ' '}{d['value']} {d['unit']}"
        extra = [f"confidence {d.get('confidence', 'medium')}"]
        if d.get("date"):
            extra.append(f"as of {d['date']}")
        if d.get("note"):
            extra.append(str(d["note"]))
        return f"{line} ({'; '.join(extra)}){cites}"
    if key in ("milestones", "history"):
        when = d.get("date") or "undated"
        return f"{when}  {d['status']}" + (f" — {d['note']}" if d.get("note") else "") + cites
    if key == "positions":
        org = f", {_name(ds, d['organisation'])}" if d.get("organisation") else ""
        span = f" ({d.get('start') or '?'} – {d.get('end') or ''})" if d.get("start") or d.get("end") else ""
        return f"{d['title']}{org}{span}{cites}"
    if key == "provisions":
        rec = d.get("recurrence")
        every = ""
        if rec:
            q = str(rec.get("qualifier", "exactly")).replace("_", " ")
            every = f" (every {rec['every']} {rec['unit']}{'' if q == 'exactly' else ', ' + q})"
        return f"{d['kind']}: {d['summary']}{every}{cites}"
    return ", ".join(f"{k} {v}" for k, v in d.items() if k != "citations") + cites


def _field_lines(ds: Dataset, rec: Record) -> list[str]:
    data = to_dict(rec)
    skip = {"id", "title", "name", "citations", "claims", "kind"}
    lines: list[str] = []
    width = max((len(k) for k in data if k not in skip), default=0) + 2
    pad = " " * (width + 2)
    for key, value in data.items():
        if key in skip:
            continue
        label = f"  {key:<{width}}"
        if key == "date" and isinstance(rec, Event):
            lines.append(f"{label}{format_when(rec.date)}  [{rec.date}]")
        elif isinstance(value, list):
            items = [_item(ds, key, v) if isinstance(v, dict) else _name(ds, str(v)) for v in value]
            if key in ("aliases", "tags") or (all(not isinstance(v, dict) for v in value) and key not in ("places",)):
                lines.append(label + ", ".join(items))
            else:
                lines.append(label + items[0])
                lines.extend(pad + it for it in items[1:])
        elif isinstance(value, dict):
            lines.append(label + _item(ds, key, value))
        elif key in ("parent", "within", "place") and isinstance(value, str):
            lines.append(label + _name(ds, value))
        else:
            lines.append(label + str(value))
    return lines


def _claim_text(ds: Dataset, rid: str, c: Claim, own: str) -> list[str]:
    head = f"[{c.stance.value}] {c.about}"
    if c.date is not None:
        head += f", {format_when(c.date)}"
    if c.by is not None:
        head += f", by {_name(ds, c.by)}"
    if rid != own:
        head += f"  (on {rid})"
    lines = [head, f"   {c.statement}"]
    for cite in c.citations:
        quote = f' "{cite.quote}"' if cite.quote else ""
        where_ = f" ({cite.locator})" if cite.locator else ""
        lines.append(f"   - {cite.source}{where_}:{quote}" if quote else f"   - {cite.source}{where_}")
    return lines


def _sources(
    ds: Dataset, rec: Record, claims: list[tuple[str, Claim]]
) -> list[tuple[Source | None, str, list[dict[str, Any]]]]:
    """The sources a record cites, in order of first citation, each with its citations."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path, c in all_citations(rec):
        found.setdefault(c.source, []).append({"path": path, **to_dict(c)})
    for rid, claim in claims:
        if rid != rec.id:
            for i, c in enumerate(claim.citations):
                found.setdefault(c.source, []).append(
                    {"path": f"{rid}: claim {claim.about} citations[{i}]", **to_dict(c)}
                )
    out: list[tuple[Source | None, str, list[dict[str, Any]]]] = []
    for sid, cites in found.items():
        for item in cites:
            item.pop("source", None)
        src = ds.get(sid, None)
        out.append((src if isinstance(src, Source) else None, sid, cites))
    return out


def _related(ds: Dataset, rec: Record) -> dict[str, list[str]]:
    if isinstance(rec, Agreement):
        return {
            "events": [e.id for e in agreement_events(ds, rec.id)],
            "facilities": [f.id for f in agreement_facilities(ds, rec.id)],
        }
    if isinstance(rec, Actor):
        below = select(ds, where.actor(rec.id, subordinates=True), kind=Actor)
        return {
            "history": [r.id for r in actor_history(ds, rec.id)],
            "subordinates": [a.id for a in below if a.id != rec.id],
        }
    if isinstance(rec, Event):
        return {"responses": [e.id for e in event_responses(ds, rec.id)]}
    if isinstance(rec, Facility):
        return {"events": [e.id for e in sorted(select(ds, kind=Event), key=date_key) if rec.id in e.facilities]}
    if isinstance(rec, Place):
        return {"located here": [r.id for r in sorted(select(ds, where.place(rec.id)), key=date_key) if r.id != rec.id]}
    return {"cited by": [r.id for r in select(ds, where.source(rec.id)) if r.id != rec.id]}


def _resolve_name(args: argparse.Namespace, ds: Dataset, text: str) -> Record:
    """The one record a name or words (not an id) stand for, or a usage error listing the candidates."""
    from .._search import rank

    try:
        ranked = rank(ds, text)
    except ValueError:
        ranked = []
    if not ranked:
        raise _usage(args, f"no record {text!r} in dataset {ds.version}{_suggest(ds, text)}")
    if len(ranked) == 1:
        return ranked[0][1]
    # One record that goes by exactly this name (an actor, place or facility before a source
    # or event titled the same) stands for it.
    exact = [r for score, r in ranked if score == 5]
    named = [r for r in exact if isinstance(r, (Actor, Place, Facility))]
    if len(exact) == 1 or len(named) == 1:
        return exact[0] if len(exact) == 1 else named[0]
    listed = ", ".join(f"{r.id} ({_title(r)})" for _, r in ranked[:8])
    more = f" and {len(ranked) - 8} more" if len(ranked) > 8 else ""
    raise _usage(args, f"{text!r} matches {len(ranked)} records: {listed}{more}; give an id")


def _title(rec: Record) -> str:
    return str(getattr(rec, "name", None) or getattr(rec, "title", None) or "")


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    ds = dataset_from_filter_args(args)
    rec = ds.get(args.id, None)
    if rec is None:
        if args.as_of is not None and args.id in dataset_from_args(args):
            raise _usage(
                args, f"{args.id!r} is not known as of {args.as_of}: none of its sources was published by then"
            )
        rec = _resolve_name(args, ds, args.id)
    kind = CLASS_NAME[type(rec)]
    if isinstance(rec, Facility):
        claims = facility_claims(ds, rec.id)
    else:
        claims = [(rec.id, c) for c in getattr(rec, "claims", ())]
    sources = _sources(ds, rec, claims)
    related = _related(ds, rec)
    if args.format == "json":
        emit_json(
            out,
            {
                "id": rec.id,
                "kind": kind,
                "dataset": ds.version,
                "record": to_dict(rec),
                "claims": [{"record": rid, **to_dict(c)} for rid, c in claims],
                "sources": [
                    {"id": sid, "source": None if src is None else to_dict(src), "citations": cites}
                    for src, sid, cites in sources
                ],
                "related": related,
            },
        )
        return EXIT_OK
    sub = getattr(rec, "kind", None) or getattr(rec, "precision", None)
    title = str(getattr(rec, "title", None) or getattr(rec, "name", None) or "")
    lines = [f"{rec.id} — {kind}{f' ({sub})' if sub else ''}", title]
    lines.append("")
    lines.extend(_field_lines(ds, rec))
    if claims:
        lines += ["", f"Claims ({len(claims)})"]
        for i, (rid, c) in enumerate(claims, 1):
            text = _claim_text(ds, rid, c, rec.id)
            lines.append(f"  {i}. {text[0]}")
            lines.extend(f"  {t}" for t in text[1:])
    if sources:
        lines += ["", f"Sources ({len(sources)})"]
        for src, sid, cites in sources:
            lines.append(f"  {sid}")
            if src is not None:
                when = format_when(src.published) if src.published is not None else "undated"
                meta = [src.publisher, src.kind.value, f"reliability {src.reliability.value}", when, src.language]
                if src.translation_of:
                    meta.append(f"translated from {src.translation_of}")
                lines.append(f"     {' · '.join(meta)}")
                lines.append(f"     {src.title}")
                if src.url:
                    lines.append(f"     {src.url}")
            for cite in cites:
                bits = [str(cite["path"])]
                if cite.get("supports"):
                    bits.append(f"supports {cite['supports']}")
                if cite.get("locator"):
                    bits.append(f"at {cite['locator']}")
                quote = f': "{cite["quote"]}"' if cite.get("quote") else ""
                lines.append(f"     - {', '.join(bits)}{quote}")
    shown = {k: v for k, v in related.items() if v}
    if shown:
        lines += ["", "Related"]
        for key, ids in shown.items():
            lines.append(f"  {key}")
            lines.extend(f"    {_name(ds, i)}" for i in ids)
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


# --------------------------------------------------------------------------- search


def _cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    from .._search import rank

    ds = dataset_from_filter_args(args)
    try:
        where.text(args.text)
    except ValueError as exc:
        raise _usage(args, str(exc)) from None
    cls = NAME_CLASS[args.kind_name] if args.kind_name else None
    ranked = [(s, r) for s, r in rank(ds, args.text) if cls is None or type(r) is cls]
    if args.limit is not None:
        ranked = ranked[: args.limit]
    if args.format == "json":
        emit_json(
            out,
            [{"id": r.id, "kind": CLASS_NAME[type(r)], "name": _title(r), "score": s} for s, r in ranked],
        )
        return EXIT_OK
    out.write(_table([[r.id, CLASS_NAME[type(r)], _title(r)] for _, r in ranked]))
    return EXIT_OK


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return n


# --------------------------------------------------------------------------- registration


def _kind_name(text: str) -> str:
    name = text.strip().lower()
    cls = NAME_CLASS.get(name)
    if cls is None:
        raise argparse.ArgumentTypeError(f"unknown record kind {text!r} (expected one of {', '.join(_KIND_CHOICES)})")
    return CLASS_NAME[cls]


def register(sub: Any) -> None:
    """Add the ``list``, ``show`` and ``search`` commands to the ``sinotajik`` parser's subcommands."""
    p = sub.add_parser(
        "list",
        help="records of one kind, filtered",
        description=(
            "List the records of one kind (actors, places, sources, events, agreements, facilities) that "
            "pass every filter given, one per line, or as JSON records with --format json."
        ),
        epilog="Example: sinotajik list events --country CHN --from 2016 --to 2019 --kind exercise",
    )
    p.add_argument("kind_name", type=_kind_name, metavar="KIND", help=f"one of {', '.join(_KIND_CHOICES)}")
    add_data_args(p)
    add_filter_args(p)
    p.add_argument("--sort", choices=("id", "date"), default="id", help="order: by id (default) or earliest date")
    add_format(p)
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser(
        "show",
        help="one record with its claims and its sources' quotes",
        description=(
            "Show one record: its fields, its claims (for a facility, also those on events naming it), "
            "every source it cites with the quotes, and related records (an agreement's events and "
            "facilities, an actor's history, a place's records, a source's citing records)."
        ),
        epilog="Example: sinotajik show evt-2021-08-18-dushanbe-joint-ct-drill --format json",
    )
    p.add_argument(
        "id",
        metavar="ID",
        help="a record id (act-, plc-, src-, evt-, agr- or fac-), or a name that finds one record (e.g. 'Zhao Kezhi')",
    )
    add_data_args(p)
    p.add_argument(
        "--as-of",
        dest="as_of",
        type=_exact_date,
        metavar="DATE",
        help="the record as the sources published by this date give it",
    )
    add_format(p)
    p.set_defaults(func=_cmd_show, query_prog=p.prog)

    p = sub.add_parser(
        "search",
        help="find records by name or words, best match first",
        description=(
            "Find records whose names, aliases (in every script), titles or summaries contain every "
            "word of TEXT, case- and accent-insensitive; the best matches first: an exact name, then "
            "every word in a name or title, then in the id, then in a summary."
        ),
        epilog='Example: sinotajik search "Zhao Kezhi"',
    )
    p.add_argument("text", metavar="TEXT", help="a name or words, in any script (e.g. 'border post', '赵克志')")
    p.add_argument(
        "--kind", dest="kind_name", type=_kind_name, metavar="KIND", help=f"only one of {', '.join(_KIND_CHOICES)}"
    )
    p.add_argument("--limit", type=_positive, metavar="N", help="at most N results")
    add_data_args(p)
    add_format(p)
    p.set_defaults(func=_cmd_search, query_prog=p.prog)
