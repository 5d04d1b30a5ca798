"""Hypothesis strategies for every value and record type, reused across the test suite."""

from __future__ import annotations

import calendar
from typing import Any

import attrs
from hypothesis import strategies as st

import sinotajik as st_
from sinotajik import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Citation,
    Claim,
    Confidence,
    Coordinates,
    DateSpan,
    Event,
    EventCode,
    EventKind,
    ExternalId,
    Facility,
    FacilityKind,
    FacilityStatus,
    IdScheme,
    LocationPrecision,
    Milestone,
    PartialDate,
    Participant,
    Place,
    Position,
    Provision,
    ProvisionKind,
    Qualifier,
    Quantity,
    Recurrence,
    Reliability,
    Role,
    Source,
    SourceKind,
    Stance,
    StatusChange,
    Term,
    TimeUnit,
)

# Text a dataset may hold: no controls, lone surrogates, line/paragraph separators or bidi
# embeddings/overrides/isolates (the reader refuses them in one-line fields).
text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    min_size=1,
    max_size=30,
)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
opt_text = st.none() | text


def ids(prefix: str) -> st.SearchStrategy[str]:
    return st.lists(words, min_size=1, max_size=3).map(lambda ws: f"{prefix}-" + "-".join(ws))


@st.composite
def partial_dates(draw: Any, min_year: int = 1, max_year: int = 9999) -> PartialDate:
    year = draw(st.integers(min_year, max_year))
    precision = draw(st.integers(1, 3))
    month = draw(st.integers(1, 12)) if precision >= 2 else None
    day = None
    if precision == 3:
        assert month is not None
        day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return PartialDate(year=year, month=month, day=day, approximate=draw(st.booleans()), uncertain=draw(st.booleans()))


@st.composite
def date_spans(draw: Any) -> DateSpan:
    a = draw(st.none() | partial_dates(1900, 2100))
    b = draw(st.none() | partial_dates(1900, 2100))
    if a is None and b is None:
        a = draw(partial_dates(1900, 2100))
    if a is not None and b is not None and a.earliest > b.latest:
        a, b = b, a
        if a.earliest > b.latest:  # pragma: no cover - swapping always fixes it
            b = None
    return DateSpan(start=a, end=b)


whens = st.one_of(partial_dates(1900, 2100), date_spans())
modern_dates = partial_dates(1990, 2030)


def enums(cls: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(cls))


citations = st.builds(
    Citation,
    source=ids("src"),
    quote=opt_text,
    locator=opt_text,
    supports=st.none() | words,
)
cites = st.lists(citations, min_size=1, max_size=2).map(tuple)
claims = st.builds(
    Claim,
    about=words,
    stance=enums(Stance),
    statement=text,
    citations=cites,
    by=st.none() | ids("act"),
    date=st.none() | modern_dates,
)
numbers = st.integers(-(10**12), 10**12) | st.floats(allow_nan=False, allow_infinity=False, width=64)
quantities = st.builds(
    Quantity,
    what=words,
    value=numbers,
    unit=words,
    citations=cites,
    qualifier=enums(Qualifier),
    confidence=enums(Confidence),
    note=opt_text,
    date=st.none() | modern_dates,
)
participants = st.builds(Participant, actor=ids("act"), role=enums(Role), note=opt_text)
tuples = lambda s, n=2: st.lists(s, max_size=n).map(tuple)  # noqa: E731

actors = st.builds(
    Actor,
    id=ids("act"),
    kind=enums(ActorKind),
    name=text,
    citations=cites,
    aliases=tuples(text),
    country=st.none() | st.sampled_from(["CHN", "TJK", "AFG", "PAK"]),
    parent=st.none() | ids("act"),
    positions=tuples(
        st.builds(
            Position,
            title=text,
            organisation=st.none() | ids("act"),
            start=st.none() | modern_dates,
            end=st.none(),
            citations=tuples(citations, 1),
        )
    ),
    external_ids=tuples(st.builds(ExternalId, scheme=enums(IdScheme), value=words)),
    note=opt_text,
)
places = st.builds(
    Place,
    id=ids("plc"),
    name=text,
    precision=enums(LocationPrecision),
    country=st.sampled_from(["CHN", "TJK", "AFG"]),
    citations=cites,
    aliases=tuples(text),
    admin_region=opt_text,
    within=st.none() | ids("plc"),
    coordinates=st.none()
    | st.builds(
        Coordinates,
        lat=st.floats(-90, 90, allow_nan=False),
        lon=st.floats(-180, 180, allow_nan=False),
    ),
    note=opt_text,
)
sources = st.builds(
    Source,
    id=ids("src"),
    publisher=text,
    title=text,
    kind=enums(SourceKind),
    reliability=enums(Reliability),
    reliability_note=text,
    language=st.sampled_from(["en", "ru", "zh-Hans", "zh-Hant"]),
    published=st.none() | modern_dates,
    date_note=opt_text,
    url=st.none() | words.map(lambda w: f"https://example.org/{w}"),
    translation_of=st.none() | st.just("zh-Hant"),
    author=opt_text,
    seed=st.none(),
)
events = st.builds(
    Event,
    id=ids("evt"),
    kind=enums(EventKind),
    title=text,
    summary=text,
    date=whens,
    citations=cites,
    date_note=opt_text,
    places=tuples(ids("plc")),
    participants=tuples(participants),
    quantities=tuples(quantities, 1),
    series=opt_text,
    agreements=tuples(ids("agr")),
    facilities=tuples(ids("fac")),
    responds_to=tuples(ids("evt")),
    tags=tuples(words),
    codes=tuples(st.builds(EventCode, scheme=st.sampled_from(["cameo", "plover"]), code=words)),
    confidence=enums(Confidence),
    confidence_note=opt_text,
    claims=tuples(claims, 1),
)
agreements = st.builds(
    Agreement,
    id=ids("agr"),
    kind=enums(AgreementKind),
    title=text,
    summary=text,
    status=enums(AgreementStatus),
    citations=cites,
    parties=tuples(participants),
    milestones=tuples(
        st.builds(Milestone, status=enums(AgreementStatus), date=st.none() | whens, citations=cites, note=opt_text)
    ),
    term=st.none() | st.builds(Term, length=st.integers(1, 50), unit=enums(TimeUnit), auto_renewal=st.booleans()),
    provisions=tuples(
        st.builds(
            Provision,
            kind=enums(ProvisionKind),
            summary=text,
            citations=cites,
            recurrence=st.none()
            | st.builds(Recurrence, every=st.integers(1, 10), unit=enums(TimeUnit), qualifier=enums(Qualifier)),
        )
    ),
    claims=tuples(claims, 1),
)
facilities = st.builds(
    Facility,
    id=ids("fac"),
    kind=enums(FacilityKind),
    name=text,
    summary=text,
    status=enums(FacilityStatus),
    citations=cites,
    place=st.none() | ids("plc"),
    areas=tuples(ids("plc")),
    funders=tuples(ids("act")),
    operators=tuples(ids("act")),
    history=tuples(st.builds(StatusChange, status=enums(FacilityStatus), date=st.none() | whens, citations=cites)),
    counts=tuples(quantities, 1),
    claims=tuples(claims, 1),
)

records = st.one_of(actors, places, sources, events, agreements, facilities)


def _relink(rec: Any, source_id: str, actor_id: str) -> Any:
    """Point every reference of a generated record at ids that exist in its dataset."""
    cite = lambda c: attrs.evolve(c, source=source_id, quote=c.quote if (c.quote or "").strip() else "q")  # noqa: E731
    cites_ = lambda cs: tuple(cite(c) for c in cs)  # noqa: E731
    changes: dict[str, Any] = {"citations": cites_(rec.citations)} if hasattr(rec, "citations") else {}
    if isinstance(rec, Actor):
        changes.update(parent=None, positions=(), country=rec.country)
    if isinstance(rec, Place):
        lp = rec.precision in (LocationPrecision.SITE, LocationPrecision.TOWN)
        changes.update(within=None, coordinates=rec.coordinates if lp else None)
    if isinstance(rec, (Event, Agreement, Facility)):
        changes["claims"] = tuple(attrs.evolve(c, by=actor_id, citations=cites_(c.citations)) for c in rec.claims)
    if isinstance(rec, (Event, Agreement)):
        parts = rec.participants if isinstance(rec, Event) else rec.parties
        new_parts = tuple(attrs.evolve(p, actor=actor_id) for p in parts)
        changes["participants" if isinstance(rec, Event) else "parties"] = new_parts
        changes["places"] = ()
    if isinstance(rec, Event):
        changes.update(
            agreements=(),
            facilities=(),
            responds_to=(),
            quantities=tuple(attrs.evolve(q, citations=cites_(q.citations)) for q in rec.quantities),
        )
    if isinstance(rec, Agreement):
        changes.update(
            milestones=tuple(attrs.evolve(m, citations=cites_(m.citations)) for m in rec.milestones),
            provisions=tuple(attrs.evolve(p, citations=cites_(p.citations)) for p in rec.provisions),
        )
    if isinstance(rec, Facility):
        changes.update(
            place=None,
            areas=(),
            funders=tuple(actor_id for _ in rec.funders),
            operators=tuple(actor_id for _ in rec.operators),
            history=tuple(attrs.evolve(h, citations=cites_(h.citations)) for h in rec.history),
            counts=tuple(attrs.evolve(q, citations=cites_(q.citations)) for q in rec.counts),
        )
    return attrs.evolve(rec, **changes)


@st.composite
def datasets(draw: Any) -> st_.Dataset:
    """A valid Dataset: one source and one actor everything cites, plus random records."""
    src = draw(sources)
    act = attrs.evolve(draw(actors), parent=None, positions=())
    act = _relink(act, src.id, act.id)
    recs = draw(st.lists(st.one_of(actors, places, events, agreements, facilities), max_size=6))
    out: dict[str, Any] = {src.id: src, act.id: act}
    for r in recs:
        if r.id not in out:
            out[r.id] = _relink(r, src.id, act.id)
    version = draw(st.sampled_from(["2026.11.0", "test", "1.0+local"]))
    return st_.Dataset.from_records(out.values(), version=version)
