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


def _retired() -> dict[str, dict[str, str]]:
    data = json.loads((ROOT / "data" / "retired.json").read_text(encoding="utf-8"))
    return {r["id"]: r for r in data["retired"]}


def test_released_ids_are_never_dropped() -> None:
    """Every id of every bundled release is still in the source tree, or retired on the record with a reason."""
    current = {f.stem for kind in KINDS for f in (RECORDS / kind).glob("*.json")}
    retired = _retired()
    for rel in sinotajik.versions():
        gone = {r.id for r in sinotajik.load(rel.version)} - current - set(retired)
        assert gone == set(), f"ids of release {rel.version} disappeared: {sorted(gone)}"


def test_retired_ids_are_explained_and_never_reused() -> None:
    """A retired id says when and why, names what replaces it if anything, and is not used again."""
    current = {f.stem for kind in KINDS for f in (RECORDS / kind).glob("*.json")}
    released = {r.id for rel in sinotajik.versions() for r in sinotajik.load(rel.version)}
    for rid, entry in _retired().items():
        assert rid not in current, f"{rid} is retired but back in data/records"
        assert rid in released, f"{rid} was never released: delete it instead of retiring it"
        assert entry["reason"].strip() and re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", entry["retired_in"])
        for new in entry.get("superseded_by", []):
            assert new in current, f"{rid} is superseded by {new}, which does not exist"


# --------------------------------------------------------------------------- release 2026.12 rules

#: Hosts that copy Wikipedia (or machine-translate it); a place fact must come from the original.
WIKI_MIRRORS = re.compile(
    r"(piglix|wikimili|wiki\.li|qwertyu|wikiwand|everybodywiki|wikizero|wiki2\.org|wikiredia|justapedia"
    r"|dbpedia|wikiwhat|wikibrief|infogalactic|thewikipedia|wikipedia-on-ipfs|db0nus|wiki\.edu\.vn)",
    re.IGNORECASE,
)
#: A BCP 47 tag as the dataset uses it: a language, then an optional script, region or variant.
BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-[a-z0-9]{5,8})*$")
SINGLE_SOURCE_NOTE = re.compile(r"single[- ]source|one source|only source|sole source|single report", re.IGNORECASE)


def _sources_of(rec: Any) -> set[str]:
    return {c.source for _, c in _citations(rec, rec.id)}


def test_no_source_is_a_wiki_mirror(ds: sinotajik.Dataset) -> None:
    """Sources are originals: no Wikipedia copy or scraper site is cited."""
    mirrors = [
        s.id
        for s in ds.sources
        if WIKI_MIRRORS.search(s.url or "")
        or WIKI_MIRRORS.search(s.publisher)
        or re.search(r"wikipedia (copy|mirror)", f"{s.publisher} {s.reliability_note}", re.IGNORECASE)
    ]
    assert mirrors == []


def test_the_mirror_check_catches_a_mirror() -> None:
    """The mirror pattern flags the copies the 2026.11 release used, and not Wikipedia itself."""
    assert WIKI_MIRRORS.search("https://piglix.com/w/Khorugh")
    assert WIKI_MIRRORS.search("https://wikimili.com/en/Khujand")
    assert not WIKI_MIRRORS.search("https://en.wikipedia.org/wiki/Khujand")
    assert not WIKI_MIRRORS.search("https://www.geonames.org/1221874")


def test_source_languages_are_bcp47(ds: sinotajik.Dataset) -> None:
    """Every source's language (and translation_of) is a well-formed BCP 47 tag."""
    bad = [
        (s.id, tag)
        for s in ds.sources
        for tag in (s.language, s.translation_of)
        if tag is not None and not BCP47.match(tag)
    ]
    assert bad == []
    assert BCP47.match("zh-Hant") and BCP47.match("tg") and not BCP47.match("zh_CN") and not BCP47.match("EN")


def test_states_carry_iso_3166_ids(ds: sinotajik.Dataset) -> None:
    """Every state has an ISO 3166-1 code as an external id; an alpha-3 one equals its country."""
    missing = []
    for a in ds.actors:
        if a.kind is not sinotajik.ActorKind.STATE:
            continue
        iso = [x.value for x in a.external_ids if x.scheme is sinotajik.IdScheme.ISO3166]
        alpha3 = [v for v in iso if len(v) == 3]
        if not iso or any(not re.fullmatch(r"[A-Z]{2,3}", v) for v in iso) or alpha3 not in ([], [a.country]):
            missing.append((a.id, a.country, iso))
    assert missing == []


def test_every_facility_has_a_place(ds: sinotajik.Dataset) -> None:
    """Every facility names where it is, so that it can appear on a map."""
    assert [f.id for f in ds.facilities if f.place is None] == []


def test_programmes_name_the_areas_they_cover(ds: sinotajik.Dataset) -> None:
    """A group of facilities on the Tajik-Afghan border names the districts it covers."""
    groups = [f for f in ds.facilities if f.kind is sinotajik.FacilityKind.FACILITY_GROUP]
    assert groups
    for f in groups:
        assert f.areas, f"{f.id} names no areas"
        for pid in f.areas:
            p = ds.get(pid)
            assert isinstance(p, sinotajik.Place) and p.precision in (
                sinotajik.LocationPrecision.DISTRICT,
                sinotajik.LocationPrecision.REGION,
            ), pid


def test_responses_come_after_what_they_answer(ds: sinotajik.Dataset) -> None:
    """A response cannot be certainly earlier than the event it responds to."""
    bad = []
    for e in ds.events:
        for rid in e.responds_to:
            target = ds.get(rid)
            assert isinstance(target, Event)
            if e.date.latest is not None and target.date.earliest is not None and e.date.latest < target.date.earliest:
                bad.append((e.id, rid))
    assert bad == []


def test_single_source_records_say_so(ds: sinotajik.Dataset) -> None:
    """An event, agreement or facility resting on one source says so in its confidence note."""
    silent = [
        rec.id
        for rec in (*ds.events, *ds.agreements, *ds.facilities)
        if len(_sources_of(rec)) == 1 and not SINGLE_SOURCE_NOTE.search(rec.confidence_note or "")
    ]
    assert silent == []


def test_the_2022_exercise_agreement_was_signed_in_xian() -> None:
    """Hand-checked (issue #9): signed on 18 May 2023 per the official Tajik list; Nov 2022 claims premature."""
    ds = _load_sources_tree()
    agr = ds.get("agr-2022-chn-tjk-joint-counter-terrorism-exercises")
    assert isinstance(agr, sinotajik.Agreement)
    signed = [m for m in agr.milestones if m.status is sinotajik.AgreementStatus.SIGNED]
    assert [str(m.date) for m in signed] == ["2023-05-18"]
    assert agr.status in (
        sinotajik.AgreementStatus.SIGNED,
        sinotajik.AgreementStatus.RATIFIED,
        sinotajik.AgreementStatus.IN_FORCE,
    )
    premature = [c for c in agr.claims if c.date is not None and str(c.date).startswith("2022-11")]
    assert any("prematur" in c.statement.lower() for c in premature)
