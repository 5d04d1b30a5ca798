"""Curation rules of the dataset, checked on the human-edited records in data/records/.

These pin what DEVELOPERS.md and the dataset issue promise: every record cited, quotes short
and verbatim (quotes from a seed document appear in it), every seed document a source with an
established publication date, ids stable, dates no more precise than their sources, and
contradictions kept as claims.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sinotajik
from sinotajik import Citation, Confidence, DateSpan, Event, PartialDate, Precision, Quantity
from sinotajik._serialize import KINDS, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "data" / "records"
MAX_QUOTE_WORDS = 30  # "at most ~25 words": a little slack for hyphenation and numbers
MAX_QUOTE_CJK_CHARS = 60


def _load_sources_tree() -> sinotajik.Dataset:
    doc: dict[str, Any] = {"schema": SCHEMA, "version": "source-tree"}
    for kind in KINDS:
        doc[kind] = [json.loads(f.read_text(encoding="utf-8")) for f in sorted((RECORDS / kind).glob("*.json"))]
    return sinotajik.parse(json.dumps(doc), source="data/records")


@pytest.fixture(scope="module")
def ds() -> sinotajik.Dataset:
    return _load_sources_tree()


def _citations(obj: Any, path: str) -> Iterator[tuple[str, Citation]]:
    """Every Citation inside a record, with a readable path."""
    if isinstance(obj, Citation):
        yield path, obj
        return
    if isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from _citations(item, f"{path}[{i}]")
        return
    fields = getattr(type(obj), "__attrs_attrs__", None)
    if fields is None:
        return
    for f in fields:
        yield from _citations(getattr(obj, f.name), f"{path}.{f.name}")


def _all_citations(ds: sinotajik.Dataset) -> Iterator[tuple[str, Citation]]:
    for rec in ds:
        yield from _citations(rec, rec.id)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


def _is_cjk(ch: str) -> bool:
    return "CJK" in unicodedata.name(ch, "") or "\u3000" <= ch <= "\u30ff"


def test_every_record_file_is_named_by_its_id_and_kind() -> None:
    """data/records/<kind>/<id>.json: the file name is the id and the folder its kind."""
    prefixes = {
        "actors": "act-",
        "places": "plc-",
        "sources": "src-",
        "events": "evt-",
        "agreements": "agr-",
        "facilities": "fac-",
    }
    for kind, prefix in prefixes.items():
        for f in (RECORDS / kind).glob("*.json"):
            rec = json.loads(f.read_text(encoding="utf-8"))
            assert rec["id"] == f.stem and f.stem.startswith(prefix), f


def test_every_record_and_claim_is_cited(ds: sinotajik.Dataset) -> None:
    """Every record except sources carries a citation; so does every claim and quantity."""
    for rec in ds:
        if isinstance(rec, sinotajik.Source):
            continue
        assert rec.citations, rec.id
        for claim in getattr(rec, "claims", ()):
            assert claim.citations, rec.id


def test_every_source_is_cited_somewhere(ds: sinotajik.Dataset) -> None:
    """No source sits in the dataset unused."""
    used = {c.source for _, c in _all_citations(ds)}
    unused = sorted(s.id for s in ds.sources if s.id not in used)
    assert unused == []


def test_quotes_are_short(ds: sinotajik.Dataset) -> None:
    """Quotes are short (about 25 words; CJK text counted in characters)."""
    long = []
    for path, c in _all_citations(ds):
        if c.quote is None:
            continue
        cjk = sum(1 for ch in c.quote if _is_cjk(ch))
        words = len(c.quote.split())
        if (cjk and cjk > MAX_QUOTE_CJK_CHARS) or (not cjk and words > MAX_QUOTE_WORDS):
            long.append(f"{path}: {words} words / {cjk} CJK chars")
    assert long == []


def test_every_seed_document_is_a_source_with_a_dated_note(ds: sinotajik.Dataset, seeds: Path) -> None:
    """Each seed file is a Source (seed=<file>) whose publication date is established and explained."""
    by_seed = {s.seed: s for s in ds.sources if s.seed}
    for f in sorted(seeds.glob("*.txt")):
        src = by_seed.get(f.name)
        assert src is not None, f"no source for seed {f.name}"
        assert src.date_note, f"{src.id}: say how the publication date is known"


def test_quotes_from_seeds_appear_verbatim(ds: sinotajik.Dataset, seeds: Path) -> None:
    """Every quote attributed to a seed source appears in that seed (whitespace-normalised)."""
    texts = {f.name: _norm(f.read_text(encoding="utf-8")) for f in seeds.glob("*.txt")}
    seed_of = {s.id: s.seed for s in ds.sources if s.seed}
    missing = []
    checked = 0
    for path, c in _all_citations(ds):
        seed = seed_of.get(c.source)
        if seed is None or c.quote is None:
            continue
        checked += 1
        if _norm(c.quote) not in texts[seed]:
            missing.append(f"{path}: {c.quote!r} not in {seed}")
    assert missing == []
    assert checked >= 20, "the seeds should be quoted throughout the dataset"


def test_the_seed_quote_check_catches_a_paraphrase(seeds: Path) -> None:
    """The verbatim check fails for a reworded quote (so the test above could fail)."""
    text = _norm((seeds / "000_fc71f0fd9c2c6d0b.txt").read_text(encoding="utf-8"))
    assert _norm("The military operation took place from August 18-19") in text
    assert _norm("The military drill took place from August 18-19") not in text


def _date_of(obj: Any) -> Any:
    return getattr(obj, "date", None)


def _day_precise(w: Any) -> bool:
    if isinstance(w, PartialDate):
        return w.precision is Precision.DAY
    if isinstance(w, DateSpan):
        return any(x is not None and x.precision is Precision.DAY for x in (w.start, w.end))
    return False


def test_day_precise_event_dates_are_backed(ds: sinotajik.Dataset) -> None:
    """An event dated to the day says how: a date_note, or a citation that supports the date."""
    unbacked = [
        e.id
        for e in ds.events
        if _day_precise(e.date) and not e.date_note and not any(c.supports == "date" for c in e.citations)
    ]
    assert unbacked == []


def test_no_event_is_reported_before_it_happened(ds: sinotajik.Dataset) -> None:
    """At least one source of each past event was published on or after the event's start."""
    bad = []
    for e in ds.events:
        start = e.date.earliest
        pubs = [ds.get(c.source).published for c in e.citations]  # type: ignore[union-attr]
        dated = [p for p in pubs if p is not None]
        if start is not None and dated and all(p.latest < start for p in dated) and "planned" not in e.tags:
            bad.append(e.id)
    assert bad == []


def test_low_confidence_figures_say_why(ds: sinotajik.Dataset) -> None:
    """A low-confidence figure or record stays in, with the reason written down."""
    for rec in ds:
        for q in list(getattr(rec, "quantities", ())) + list(getattr(rec, "counts", ())):
            assert isinstance(q, Quantity)
            if q.confidence is Confidence.LOW:
                assert q.note, f"{rec.id}: low-confidence {q.what} needs a note"
        if getattr(rec, "confidence", None) is Confidence.LOW:
            assert rec.confidence_note, f"{rec.id}: low confidence needs a confidence_note"  # type: ignore[union-attr]


def test_seed_004_aid_table_is_kept_and_flagged(ds: sinotajik.Dataset) -> None:
    """The 50/70/85 million USD figures of the unsourced analysis stay in, flagged low-confidence."""
    seed4 = {s.id for s in ds.sources if s.seed == "004_c9d2f03df6ca7636.txt"}
    figures = [
        q
        for rec in ds
        for q in list(getattr(rec, "quantities", ())) + list(getattr(rec, "counts", ()))
        if any(c.source in seed4 for c in q.citations) and q.unit.upper() == "USD"
    ]
    values = sorted(q.value for q in figures)
    assert values[:3] == [50_000_000, 70_000_000, 85_000_000] or {50, 70, 85} <= {v / 1e6 for v in values}
    assert all(q.confidence is Confidence.LOW for q in figures)


def test_denials_are_kept_as_claims(ds: sinotajik.Dataset) -> None:
    """Official denials are data: at least one claim with stance 'denies', made by an actor."""
    denials = [c for rec in ds for c in getattr(rec, "claims", ()) if c.stance is sinotajik.Stance.DENIES]
    assert denials
    assert all(c.by is not None for c in denials)


def test_misspelled_names_are_aliases_not_new_actors(ds: sinotajik.Dataset) -> None:
    """'Zhang' (seed 000) and 'Cobidrzoda' (seed 002) are aliases of the right people."""
    zhao = ds.get("act-zhao-kezhi")
    assert isinstance(zhao, sinotajik.Actor) and "Zhang" in zhao.aliases
    names = {a.name for a in ds.actors}
    assert "Zhang" not in names
    assert any("Cobidrzoda" in " ".join(a.aliases) for a in ds.actors)
    assert not any("Cobidrzoda" in a.name for a in ds.actors)


def test_the_2021_drill_is_dated_and_contested_as_the_sources_say(ds: sinotajik.Dataset) -> None:
    """Hand-checked: 18–19 Aug 2021 per Xinhua, with the Tajik 17–20 Aug window kept as a claim."""
    drill = ds.get("evt-2021-08-18-dushanbe-joint-ct-drill")
    assert isinstance(drill, Event)
    assert str(drill.date) == "2021-08-18/2021-08-19"
    assert any("17" in c.statement and "20" in c.statement for c in drill.claims)


def test_released_ids_are_never_dropped() -> None:
    """Every id of every bundled release is still in the source tree (ids are never reused or renamed)."""
    current = {f.stem for kind in KINDS for f in (RECORDS / kind).glob("*.json")}
    for rel in sinotajik.versions():
        gone = {r.id for r in sinotajik.load(rel.version)} - current
        assert gone == set(), f"ids of release {rel.version} disappeared: {sorted(gone)}"
