"""Filters, typed selection, the index-backed path, knowledge time (as-of) and relations."""

from __future__ import annotations

import functools
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sinotajik
from sinotajik import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Certainty,
    Citation,
    Claim,
    Confidence,
    Dataset,
    DateSpan,
    Event,
    EventKind,
    Facility,
    FacilityKind,
    FacilityStatus,
    Filter,
    LocationPrecision,
    Milestone,
    PartialDate,
    Participant,
    Place,
    Position,
    Quantity,
    Reliability,
    Role,
    Source,
    SourceKind,
    Stance,
    StatusChange,
    parse_date,
    published_by,
    select,
    where,
)
from sinotajik._dates import possible_dates
from sinotajik._query import FACILITY_ROLES, record_dates
from sinotajik._query.index import index_of as _index
from strategies import enums, partial_dates

# --------------------------------------------------------------------------- strategies

COUNTRIES = ["CHN", "TJK", "AFG"]
TAGS = ["police", "military", "border"]
N_SRC, N_ACT, N_PLC, N_AGR, N_FAC, N_EVT = 4, 5, 4, 2, 2, 5
SRC_IDS = [f"src-s{i}" for i in range(N_SRC)]
ACT_IDS = [f"act-a{i}" for i in range(N_ACT)]
PLC_IDS = [f"plc-p{i}" for i in range(N_PLC)]
ROLE_NAMES = sorted({r.value for r in Role} | set(FACILITY_ROLES) | {"claimant"})

exact_dates = partial_dates(2013, 2025).map(lambda d: attrs.evolve(d, approximate=False, uncertain=False))


@st.composite
def small_whens(draw: Any) -> Any:
    """Dates and spans (closed or open) between 2014 and 2024, flags included."""
    a = draw(partial_dates(2014, 2024))
    if draw(st.booleans()):
        return a
    b = draw(st.none() | partial_dates(2014, 2024))
    if b is not None and a.earliest > b.latest:
        a, b = b, a
    if b is not None and a.earliest > b.latest:
        b = None
    return DateSpan(start=None, end=a) if b is None and draw(st.booleans()) else DateSpan(start=a, end=b)


@functools.cache
def pick(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """A cached sampled_from (building strategies afresh for every draw is slow)."""
    return st.sampled_from(values)


@functools.cache
def E(cls: Any) -> st.SearchStrategy[Any]:  # short, like enums()
    return enums(cls)


@functools.cache
def sublists(values: tuple[Any, ...], min_size: int, max_size: int) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=max_size, unique=True)


OPT_DATES = st.none() | partial_dates(2014, 2024)
OPT_WHENS = st.none() | small_whens()


@st.composite
def linked_datasets(draw: Any) -> Dataset:
    """A valid dataset whose records share a few ids, with parent and ``within`` chains."""
    n_src = draw(st.integers(1, N_SRC))
    src_ids = SRC_IDS[:n_src]

    def cites(min_size: int = 1) -> tuple[Citation, ...]:
        chosen = draw(sublists(tuple(src_ids), min_size, 2))
        return tuple(Citation(source=s, quote="q") for s in chosen)

    def some(ids: list[str], n: int = 2) -> tuple[str, ...]:
        return tuple(draw(sublists(tuple(ids), 0, n))) if ids else ()

    sources = [
        Source(
            id=sid,
            publisher="P",
            title="T",
            kind=draw(E(SourceKind)),
            reliability=draw(E(Reliability)),
            reliability_note="n",
            language="en",
            published=draw(OPT_DATES),
        )
        for sid in src_ids
    ]
    act_ids = ACT_IDS[: draw(st.integers(1, N_ACT))]
    actors = [
        Actor(
            id=aid,
            kind=draw(E(ActorKind)),
            name=aid,
            citations=cites(),
            country=draw(st.none() | pick(tuple(COUNTRIES))),
            parent=draw(st.none() | pick(tuple(act_ids[:i]))) if i else None,
            positions=tuple(
                Position(title="t", organisation=draw(st.none() | pick(tuple(act_ids))), citations=cites(0))
                for _ in range(draw(st.integers(0, 1)))
            ),
        )
        for i, aid in enumerate(act_ids)
    ]
    plc_ids = PLC_IDS[: draw(st.integers(0, N_PLC))]
    places = [
        Place(
            id=pid,
            name=pid,
            precision=draw(E(LocationPrecision)),
            country=draw(pick(tuple(COUNTRIES))),
            citations=cites(),
            within=draw(st.none() | pick(tuple(plc_ids[:i]))) if i else None,
        )
        for i, pid in enumerate(plc_ids)
    ]

    def claims() -> tuple[Claim, ...]:
        return tuple(
            Claim(
                about=draw(pick(("date", "existence", "place"))),
                stance=draw(E(Stance)),
                statement="s",
                citations=cites(),
                by=draw(st.none() | pick(tuple(act_ids))),
            )
            for _ in range(draw(st.integers(0, 2)))
        )

    def quantities() -> tuple[Quantity, ...]:
        return tuple(
            Quantity(what="n", value=1, unit="person", citations=cites()) for _ in range(draw(st.integers(0, 1)))
        )

    def parts() -> tuple[Participant, ...]:
        return tuple(
            Participant(actor=draw(pick(tuple(act_ids))), role=draw(E(Role))) for _ in range(draw(st.integers(0, 3)))
        )

    agr_ids = [f"agr-g{i}" for i in range(draw(st.integers(0, N_AGR)))]
    agreements = [
        Agreement(
            id=gid,
            kind=draw(E(AgreementKind)),
            title="t",
            summary="s",
            status=draw(E(AgreementStatus)),
            citations=cites(),
            parties=parts(),
            milestones=tuple(
                Milestone(status=draw(E(AgreementStatus)), date=draw(OPT_WHENS), citations=cites())
                for _ in range(draw(st.integers(0, 3)))
            ),
            places=some(plc_ids),
            quantities=quantities(),
            tags=some(TAGS),
            confidence=draw(E(Confidence)),
            claims=claims(),
        )
        for gid in agr_ids
    ]
    fac_ids = [f"fac-f{i}" for i in range(draw(st.integers(0, N_FAC)))]
    facilities = [
        Facility(
            id=fid,
            kind=draw(E(FacilityKind)),
            name="n",
            summary="s",
            status=draw(E(FacilityStatus)),
            citations=cites(),
            place=draw(st.none() | pick(tuple(plc_ids))) if plc_ids else None,
            funders=some(act_ids),
            builders=some(act_ids, 1),
            operators=some(act_ids),
            owners=some(act_ids, 1),
            history=tuple(
                StatusChange(status=draw(E(FacilityStatus)), date=draw(OPT_WHENS), citations=cites())
                for _ in range(draw(st.integers(0, 3)))
            ),
            counts=quantities(),
            agreements=some(agr_ids),
            tags=some(TAGS),
            confidence=draw(E(Confidence)),
            claims=claims(),
        )
        for fid in fac_ids
    ]
    events = [
        Event(
            id=f"evt-e{i}",
            kind=draw(E(EventKind)),
            title="t",
            summary="s",
            date=draw(small_whens()),
            citations=cites(),
            places=some(plc_ids),
            participants=parts(),
            quantities=quantities(),
            agreements=some(agr_ids),
            facilities=some(fac_ids),
            tags=some(TAGS),
            confidence=draw(E(Confidence)),
            claims=claims(),
        )
        for i in range(draw(st.integers(0, N_EVT)))
    ]
    return Dataset.from_records([*sources, *actors, *places, *agreements, *facilities, *events])


@st.composite
def date_filters(draw: Any) -> Filter:
    a = draw(st.none() | exact_dates)
    b = draw(st.none() | exact_dates)
    if a is None and b is None:
        a = draw(exact_dates)
    if a is not None and b is not None and a.earliest > b.latest:
        a, b = b, a
    if a is not None and b is not None and a.earliest > b.earliest:
        b = None
    return where.date(a, b, certain=draw(st.booleans()), within=draw(st.booleans()))


KIND_NAMES = ["event", "agreements", "facility", "actor", "place", "source", "exercise", "agency", "region"]
KIND_NAMES += ["base", "wire", "event:meeting"]
actor_ids = st.sampled_from([*ACT_IDS, "act-missing"])
leaf_filters = st.one_of(
    st.lists(st.sampled_from([*KIND_NAMES, Event, EventKind.SUMMIT]), min_size=1, max_size=2).map(
        lambda ks: where.kind(*ks)
    ),
    # Actor and place filters: by id (with subordinates / nested places), by country, by role,
    # and all at once, so that each condition is often the only one.
    st.builds(
        lambda ids, sub: where.actor(*ids, subordinates=sub), st.lists(actor_ids, min_size=1, max_size=2), st.booleans()
    ),
    st.lists(st.sampled_from([*COUNTRIES, "RUS"]), min_size=1, max_size=2).map(lambda cs: where.actor(country=cs)),
    st.lists(st.sampled_from(ROLE_NAMES), min_size=1, max_size=2).map(lambda rs: where.actor(role=rs)),
    st.builds(
        lambda ids, cs, roles, sub: where.actor(*ids, country=cs or None, role=roles or None, subordinates=sub),
        st.lists(actor_ids, max_size=2),
        st.lists(st.sampled_from([*COUNTRIES, "RUS"]), max_size=2),
        st.lists(st.sampled_from(ROLE_NAMES), max_size=2),
        st.booleans(),
    ),
    st.builds(
        lambda ids, inside: where.place(*ids, inside=inside),
        st.lists(st.sampled_from(PLC_IDS), min_size=1, max_size=2),
        st.booleans(),
    ),
    st.builds(
        lambda ids, cs, inside: where.place(*ids, country=cs or None, inside=inside),
        st.lists(st.sampled_from(PLC_IDS), max_size=2),
        st.lists(st.sampled_from(COUNTRIES), max_size=1),
        st.booleans(),
    ),
    date_filters(),
    st.lists(st.sampled_from([*TAGS, "none"]), min_size=1, max_size=2).map(lambda ts: where.tag(*ts)),
    st.lists(enums(Confidence), min_size=1, max_size=2).map(lambda cs: where.confidence(*cs)),
    enums(Confidence).map(lambda c: where.confidence(at_least=c)),
    st.lists(st.sampled_from(SRC_IDS), min_size=1, max_size=2).map(lambda ss: where.source(*ss)),
    st.just(where.contested()),
)
filters = st.recursive(
    leaf_filters,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda t: t[0] & t[1]),
        st.tuples(inner, inner).map(lambda t: t[0] | t[1]),
        inner.map(lambda f: ~f),
    ),
    max_leaves=5,
)


def ids(records: Any) -> list[str]:
    return [r.id for r in records]


REAL = "2026.11.1"  # a published release: immutable, so hand-checked answers stay true


@pytest.fixture(scope="module")
def real() -> Dataset:
    return sinotajik.load(REAL)


# --------------------------------------------------------------------------- the two paths
#
# On a Dataset, a filter naming an actor, place or source it does not have (or a tag no record
# carries) is rejected; the filters drawn here name such ids on purpose. _sel checks the
# rejection and then answers from the index without it, so that both paths are still compared.


def _names_known(ds: Dataset, f: Filter | None) -> bool:
    """Whether every id and tag ``f`` names is in ``ds``."""
    return f is None or not list(f._unknown(_index(ds)))


def _sel(records: Any, f: Filter | None = None, *, kind: Any = None, context: Dataset | None = None) -> list[Any]:
    """select(), or for a filter naming unknown ids: check it raises, then the unchecked index answer."""
    ds = records if isinstance(records, Dataset) else context
    assert ds is not None
    if _names_known(ds, f):
        return select(records, f, kind=kind, context=context)
    with pytest.raises(ValueError, match=r"in dataset"):
        select(records, f, kind=kind, context=context)
    assert f is not None
    if kind is not None:
        f = where.kind(kind) & f
    if not isinstance(records, Dataset):
        return [r for r in records if f._test(r, _index(ds).resolver)]
    ix = _index(ds)
    return [ix.records[i] for i in f._positions(ix)]


@settings(max_examples=200, deadline=None)
@given(linked_datasets(), filters)
def test_index_and_naive_paths_give_the_same_answers(ds: Dataset, f: Filter) -> None:
    """select() on a Dataset (index) equals select() on its records (one by one) and matches()."""
    fast = _sel(ds, f)
    assert fast == select(list(ds), f)
    if _names_known(ds, f):
        assert fast == [r for r in ds if f.matches(r, context=ds)]
    assert fast == [r for r in ds if f.matches(r, context=list(ds))]
    # A plain iterable keeps its own order.
    assert select(list(reversed(list(ds))), f) == fast[::-1]


@settings(max_examples=200, deadline=None)
@given(linked_datasets(), leaf_filters)
def test_each_kind_of_filter_agrees_on_both_paths(ds: Dataset, f: Filter) -> None:
    """Every single filter, uncombined, gives the same answer from the index and record by record."""
    assert _sel(ds, f) == select(list(ds), f)


def _own_value_filters(ds: Dataset) -> list[Filter]:
    """Every simple filter on the values a dataset holds (its actors, places, tags, sources...)."""
    out: list[Filter] = [where.contested()]
    for a in ds.actors:
        out += [where.actor(a.id), where.actor(a.id, subordinates=True)]
        out += [where.actor(a.id, role=r, subordinates=True) for r in ROLE_NAMES]
    out += [where.actor(country=c) for c in COUNTRIES] + [where.actor(role=r) for r in ROLE_NAMES]
    for p in ds.places:
        out += [where.place(p.id), where.place(p.id, inside=False), where.place(p.id, country=p.country)]
    out += [where.place(country=c) for c in COUNTRIES]
    out += [where.tag(t) for t in TAGS] + [where.confidence(c) for c in Confidence]
    out += [where.source(s.id) for s in ds.sources] + [where.kind(k) for k in KIND_NAMES]
    for r in ds:
        for d in record_dates(r):
            lo, hi = possible_dates(d)
            start, end = PartialDate(lo.year, lo.month, lo.day), PartialDate(hi.year, hi.month, hi.day)
            out += [where.date(start, end, certain=True), where.date(end, None, within=True), where.date(None, start)]
    return out


@settings(max_examples=60, deadline=None)
@given(linked_datasets())
def test_every_filter_on_a_datasets_own_values_agrees_on_both_paths(ds: Dataset) -> None:
    """For each actor, place, tag, source and date in a dataset, index and naive answers agree."""
    plain = list(ds)
    for f in _own_value_filters(ds):
        assert _sel(ds, f) == select(plain, f), f


@settings(max_examples=100, deadline=None)
@given(linked_datasets(), filters)
def test_kind_types_and_narrows_the_result(ds: Dataset, f: Filter) -> None:
    """kind=Event keeps only events, whether from the Dataset or from its events with a context."""
    events = _sel(ds, f, kind=Event)
    assert events == [r for r in _sel(ds, f) if isinstance(r, Event)]
    assert _sel(ds.events, f, context=ds) == events
    assert _sel(ds, where.kind("event") & f) == events
    assert all(isinstance(e, Event) for e in events)


@settings(max_examples=100, deadline=None)
@given(linked_datasets(), filters, filters)
def test_filters_compose_as_sets(ds: Dataset, f: Filter, g: Filter) -> None:
    """& is intersection, | union, ~ complement (in dataset order), and ~~f is f."""
    a, b = set(ids(_sel(ds, f))), set(ids(_sel(ds, g)))
    every = ids(ds)
    assert ids(_sel(ds, f & g)) == [i for i in every if i in a & b]
    assert ids(_sel(ds, f | g)) == [i for i in every if i in a | b]
    assert ids(_sel(ds, ~f)) == [i for i in every if i not in a]
    assert ~~f == f
    assert _sel(ds, None) == list(ds)


@settings(max_examples=100, deadline=None)
@given(linked_datasets(), date_filters())
def test_date_window_follows_the_honest_date_tests(ds: Dataset, f: Filter) -> None:
    """A record passes a window iff one of its dates overlaps (or lies within) it as asked."""
    window = f.window  # type: ignore[attr-defined]
    test = "within" if f.within else "overlaps"  # type: ignore[attr-defined]
    wanted = {Certainty.CERTAINLY} if f.certain else {Certainty.CERTAINLY, Certainty.POSSIBLY}  # type: ignore[attr-defined]
    expected = [r.id for r in ds if any(getattr(d, test)(window) in wanted for d in record_dates(r))]
    assert ids(_sel(ds, f)) == expected


@settings(max_examples=60, deadline=None)
@given(linked_datasets(), exact_dates, exact_dates)
def test_certainly_and_within_are_narrower(ds: Dataset, a: PartialDate, b: PartialDate) -> None:
    """Certainly-in is a subset of possibly-in; lying within is a subset of overlapping."""
    a, b = sorted([a, b], key=lambda d: d.earliest)
    for within in (False, True):
        sure = set(ids(_sel(ds, where.date(a, b, certain=True, within=within))))
        maybe = set(ids(_sel(ds, where.date(a, b, within=within))))
        assert sure <= maybe
    assert set(ids(_sel(ds, where.date(a, b, within=True)))) <= set(ids(_sel(ds, where.date(a, b))))


@settings(max_examples=60, deadline=None)
@given(linked_datasets(), st.sampled_from(ACT_IDS), st.sampled_from(PLC_IDS))
def test_subordinates_and_nested_places_only_widen(ds: Dataset, actor: str, place: str) -> None:
    """Counting subordinates, or places inside a place, never loses a match."""
    assert set(ids(_sel(ds, where.actor(actor)))) <= set(ids(_sel(ds, where.actor(actor, subordinates=True))))
    assert set(ids(_sel(ds, where.place(place, inside=False)))) <= set(ids(_sel(ds, where.place(place))))


def test_the_index_is_built_once_per_dataset(real: Dataset) -> None:
    """The index is cached on the dataset: a second query reuses it."""
    select(real, where.tag("police"))
    first = _index(real)
    select(real, where.actor(country="CHN"))
    assert _index(real) is first


# --------------------------------------------------------------------------- actors and places


def _tiny() -> Dataset:
    src = Source(
        id="src-x",
        publisher="P",
        title="T",
        kind=SourceKind.WIRE,
        reliability=Reliability.HIGH,
        reliability_note="n",
        language="en",
        published=parse_date("2020-05"),
    )
    cite = (Citation(source="src-x", quote="q"),)
    return Dataset.from_records(
        [
            src,
            Actor(id="act-chn", kind=ActorKind.STATE, name="China", country="CHN", citations=cite),
            Actor(id="act-chn-mps", kind=ActorKind.AGENCY, name="MPS", parent="act-chn", citations=cite),
            Actor(id="act-chn-mps-unit", kind=ActorKind.AGENCY, name="Unit", parent="act-chn-mps", citations=cite),
            Actor(id="act-tjk", kind=ActorKind.STATE, name="Tajikistan", country="TJK", citations=cite),
            Place(id="plc-gbao", name="GBAO", precision=LocationPrecision.REGION, country="TJK", citations=cite),
            Place(
                id="plc-murghob",
                name="Murghob",
                precision=LocationPrecision.DISTRICT,
                country="TJK",
                within="plc-gbao",
                citations=cite,
            ),
            Event(
                id="evt-drill",
                kind=EventKind.DRILL,
                title="t",
                summary="s",
                date=parse_date("2020-05-02"),
                citations=cite,
                places=("plc-murghob",),
                participants=(
                    Participant(actor="act-chn-mps-unit", role=Role.ORGANISER),
                    Participant(actor="act-tjk", role=Role.HOST),
                ),
            ),
        ]
    )


def test_an_agency_counts_for_its_state_by_parent_chain() -> None:
    """country='CHN' matches a unit whose own country is unset, through its parents; ids need subordinates."""
    ds = _tiny()
    assert ids(select(ds, where.actor(country="CHN"), kind=Event)) == ["evt-drill"]
    assert ids(select(ds, where.actor("act-chn"), kind=Event)) == []
    assert ids(select(ds, where.actor("act-chn", subordinates=True), kind=Event)) == ["evt-drill"]
    assert ids(select(ds, where.actor("act-chn", subordinates=True), kind=Actor)) == [
        "act-chn",
        "act-chn-mps",
        "act-chn-mps-unit",
    ]
    # Without the actors to resolve parents, the naive path cannot know; with a context it does.
    assert select(ds.events, where.actor(country="CHN")) == []
    assert ids(select(ds.events, where.actor(country="CHN"), context=ds)) == ["evt-drill"]


def test_role_applies_to_the_same_actor() -> None:
    """Country and role are checked on one participant: China organised, Tajikistan hosted."""
    ds = _tiny()
    assert ids(select(ds, where.actor(country="CHN", role="organiser"), kind=Event)) == ["evt-drill"]
    assert ids(select(ds, where.actor(country="CHN", role=Role.HOST), kind=Event)) == []
    assert ids(select(ds, where.actor(country="TJK", role="host"), kind=Event)) == ["evt-drill"]


def test_claim_authors_take_part_as_claimants(real: Dataset) -> None:
    """An actor that denies a facility exists is named by it, in the role 'claimant' (release 2026.11.1)."""
    shaymak = "fac-murghob-shaymak-outpost"
    assert shaymak in ids(select(real, where.actor("act-tjk-mfa", role="claimant"), kind=Facility))
    assert shaymak not in ids(select(real, where.actor("act-tjk-mfa", role="operator"), kind=Facility))
    assert shaymak in ids(sinotajik.actor_history(real, "act-tjk-mfa"))


def test_a_region_contains_its_districts() -> None:
    """where.place(region) matches records in a district within it, unless inside=False."""
    ds = _tiny()
    assert ids(select(ds, where.place("plc-gbao"), kind=Event)) == ["evt-drill"]
    assert ids(select(ds, where.place("plc-gbao", inside=False), kind=Event)) == []
    assert ids(select(ds, where.place(country="TJK"), kind=Event)) == ["evt-drill"]
    assert ids(select(ds, where.place(country="CHN"), kind=Event)) == []


def test_real_data_agencies_count_for_china(real: Dataset) -> None:
    """On release 2026.11.1 the 2021 Dushanbe drill (held by China's MPS) is a CHN event only via the agency."""
    drill = "evt-2021-08-18-dushanbe-joint-ct-drill"
    assert drill in ids(select(real, where.actor(country="CHN"), kind=Event))
    assert drill not in ids(select(real, where.actor("act-chn"), kind=Event))
    assert drill in ids(select(real, where.actor("act-chn", subordinates=True), kind=Event))
    assert drill in ids(select(real, where.actor("act-chn-mps", role="organiser"), kind=Event))


def test_real_data_places_in_gorno_badakhshan(real: Dataset) -> None:
    """Records in Gorno-Badakhshan include those at districts and towns inside it (release 2026.11.1)."""
    inside = ids(select(real, where.place("plc-gorno-badakhshan") & ~where.kind("place")))
    assert inside == [
        "evt-2016-10-ishkashim-joint-exercise",
        "evt-2019-08-07-cooperation-2019-gbao-exercise",
        "agr-2021-chn-mps-tjk-mvd-vakhon-base",
        "fac-murghob-shaymak-outpost",
        "fac-vakhon-mvd-rapid-response-base",
    ]
    direct = ids(select(real, where.place("plc-gorno-badakhshan", inside=False) & ~where.kind("place")))
    assert direct == ["evt-2019-08-07-cooperation-2019-gbao-exercise"]


def test_real_data_certainly_versus_possibly(real: Dataset) -> None:
    """Toner's comment, dated '2016-08-04?', is possibly but not certainly in August 2016."""
    toner = "evt-2016-08-04-toner-comment-on-qccm"
    possibly = ids(select(real, where.date("2016-08", "2016-08"), kind=Event))
    certainly = ids(select(real, where.date("2016-08", "2016-08", certain=True), kind=Event))
    assert toner in possibly and toner not in certainly
    assert "evt-2016-08-03-urumqi-qccm-first-high-level-meeting" in certainly
    # A year-only date is certainly within its own year, only possibly within half of it.
    conf = "evt-2018-china-qccm-joint-working-group-annual-conference"  # dated '2018?'
    assert conf in ids(select(real, where.date("2018", "2018"), kind=Event))
    assert conf not in ids(select(real, where.date("2018", "2018", certain=True), kind=Event))


def test_real_data_contested_records(real: Dataset) -> None:
    """Disputed or multi-version claims make a record contested; a single assertion does not."""
    contested = ids(select(real, where.contested()))
    assert "agr-2016-08-03-qccm" in contested  # 'nature' asserted and disputed
    assert "evt-2016-08-04-toner-comment-on-qccm" in contested  # the date disputed
    assert "fac-murghob-shaymak-outpost" in contested  # existence denied
    assert "evt-2015-11-03-kabul-li-yuanchao-visit" not in contested  # one claim only


def test_tag_confidence_and_source_filters(real: Dataset) -> None:
    """Tags, a confidence floor and a cited source select what they say (release 2026.11.1)."""
    police = select(real, where.tag("police"), kind=Event)
    assert police and all("police" in e.tags for e in police)
    high = select(real, where.confidence(at_least="high"))
    assert high and all(getattr(r, "confidence", None) is Confidence.HIGH for r in high)
    assert len(select(real, where.confidence(at_least="low"))) == len(real.events + real.agreements + real.facilities)
    wapo = "src-wapo-2019-02-18-chinese-troops-tajikistan"
    citing = ids(select(real, where.source(wapo)))
    assert "fac-murghob-shaymak-outpost" in citing and wapo in citing


def test_bad_filter_values_are_clear_errors() -> None:
    """Unknown kinds, roles, levels, reversed or approximate windows raise ValueError naming the value."""
    with pytest.raises(ValueError, match="unknown kind 'exercize'"):
        where.kind("exercize")
    with pytest.raises(ValueError, match="'drill' is not a kind of agreement"):
        where.kind("agreement:drill")
    with pytest.raises(ValueError, match="unknown role 'boss'"):
        where.actor(role="boss")
    with pytest.raises(ValueError, match="unknown confidence 'certain'"):
        where.confidence("certain")
    with pytest.raises(ValueError, match="starts"):
        where.date("2020", "2019")
    with pytest.raises(ValueError, match="must be exact"):
        where.date("2019~")
    with pytest.raises(ValueError, match="not a valid month"):
        where.date("2019-13")
    with pytest.raises(ValueError, match="needs a start, an end"):
        where.date()
    with pytest.raises(TypeError, match="kind must be a record class"):
        select([], kind=str)  # type: ignore[call-overload]


def test_filters_are_values_with_readable_reprs() -> None:
    """Equal filters compare and hash equal, and their repr reads like the code that built them."""
    f = where.kind("exercise") & where.actor(country="CHN") | ~where.date("2016", "2019", certain=True)
    assert f == where.kind("exercise") & where.actor(country="CHN") | ~where.date("2016", "2019", certain=True)
    assert hash(f) == hash(
        where.kind("exercise") & where.actor(country="CHN") | ~where.date("2016", "2019", certain=True)
    )
    assert repr(f) == (
        "((where.kind('event:exercise') & where.actor(country=('CHN',))) | "
        "~where.date('2016-01-01', '2019-12-31', certain=True))"
    )
    assert where.kind("event", "events", Event) == where.kind("event")


# --------------------------------------------------------------------------- relations


def test_real_data_agreement_events_and_facilities(real: Dataset) -> None:
    """An agreement's events come in date order; its facilities are those built under it."""
    assert ids(sinotajik.agreement_events(real, "agr-2016-08-03-qccm")) == [
        "evt-2016-08-02-urumqi-fang-meets-shahim-and-sharif",
        "evt-2016-08-03-urumqi-qccm-first-high-level-meeting",
        "evt-2016-08-04-toner-comment-on-qccm",
        "evt-2016-11-08-beijing-qccm-second-joint-working-group",
        "evt-2016-11-23-beijing-qccm-counter-terrorism-symposium",
        "evt-2017-08-27-dushanbe-qccm-second-high-level-meeting",
        "evt-2018-china-qccm-joint-working-group-annual-conference",
        "evt-2020-09-01-dod-china-military-power-report-2020",
    ]
    assert ids(sinotajik.agreement_facilities(real, "agr-2016-10-chn-tjk-border-posts-construction")) == [
        "fac-murghob-shaymak-outpost",
        "fac-tjk-afghan-border-posts-2016-programme",
    ]
    # The same answers from a plain list of records.
    assert sinotajik.agreement_events(list(real), "agr-2016-08-03-qccm") == sinotajik.agreement_events(
        real, "agr-2016-08-03-qccm"
    )


def test_real_data_actor_history_in_date_order(real: Dataset) -> None:
    """China's MPS: the events, agreement and facility it takes part in, earliest first."""
    assert ids(sinotajik.actor_history(real, "act-chn-mps")) == [
        "evt-2015-06-mps-mvd-joint-counter-terror-drill",
        "evt-2021-08-16-tajik-mvd-mps-delegation-talks",
        "evt-2021-08-18-zhao-kezhi-letters-on-joint-drill",
        "evt-2021-08-18-dushanbe-joint-ct-drill",
        "agr-2021-chn-mps-tjk-mvd-vakhon-base",
        "fac-vakhon-mvd-rapid-response-base",
        "evt-2021-10-27-majlisi-namoyandagon-approves-vakhon-base",
    ]
    mine = set(ids(sinotajik.actor_history(real, "act-chn")))
    with_agencies = set(ids(sinotajik.actor_history(real, "act-chn", subordinates=True)))
    assert mine < with_agencies
    assert "evt-2021-08-18-dushanbe-joint-ct-drill" in with_agencies - mine


def test_real_data_facility_claims(real: Dataset) -> None:
    """A facility's claims: its own (denials included), then those on events naming it."""
    claims = sinotajik.facility_claims(real, "fac-murghob-shaymak-outpost")
    own = [c for rid, c in claims if rid == "fac-murghob-shaymak-outpost"]
    assert own == list(real.get("fac-murghob-shaymak-outpost").claims)
    assert {c.by for c in own if c.stance is Stance.DENIES} >= {"act-wang-wenbin", "act-tjk-mfa"}
    assert [rid for rid, _ in claims[len(own) :]] == ["evt-2021-07-27-rahmon-wei-fenghe-dushanbe"]


def test_relations_reject_unknown_or_wrong_ids(real: Dataset) -> None:
    """An unknown id is a KeyError; an id of the wrong kind is a ValueError naming both kinds."""
    with pytest.raises(KeyError, match="agr-nope"):
        sinotajik.agreement_events(real, "agr-nope")
    with pytest.raises(ValueError, match="'act-chn' is an actor, not an agreement"):
        sinotajik.agreement_events(real, "act-chn")
    with pytest.raises(ValueError, match="not a facility"):
        sinotajik.facility_claims(list(real), "evt-2016-10-ishkashim-joint-exercise")


# --------------------------------------------------------------------------- knowledge time


def test_published_by_is_certain_publication() -> None:
    """A month counts from its last day, a year from 31 Dec, '~' widens, undated never counts."""

    def src(published: str | None) -> Source:
        return Source(
            id="src-x",
            publisher="P",
            title="T",
            kind=SourceKind.WIRE,
            reliability=Reliability.HIGH,
            reliability_note="n",
            language="en",
            published=None if published is None else parse_date(published),
        )

    assert published_by(src("2018-12"), "2019-01-01")
    assert not published_by(src("2019"), "2019-06-30")
    assert published_by(src("2019"), "2019")
    assert not published_by(src("2018-12~"), "2019-01-01")
    assert published_by(src("2018-12~"), "2019-01-31")
    assert not published_by(src(None), "9999-12-31")


def test_real_as_of_keeps_what_the_first_release_knew() -> None:
    """Release 2026.11.0 as of 19 Aug 2021: Xinhua only backs the drill; Breitbart stays only via actors."""
    ds = sinotajik.load("2026.11.0")
    xinhua = "src-xinhua-2021-08-19-anti-terrorist-coordination-2021"
    breitbart = "src-breitbart-2021-08-20-china-tajikistan-drill"
    view = ds.as_of("2021-08-19")
    assert view.version == "2026.11.0+as-of-2021-08-19"
    (drill,) = view.events
    assert {c.source for c in drill.citations} == {xinhua}
    assert [{c.source for c in q.citations} for q in drill.quantities] == [{xinhua}]
    # Actors and the place the drill names stay; their only citations are Breitbart's (kept as is).
    assert ids(view.actors) == ["act-chn", "act-chn-mps", "act-tjk", "act-tjk-mvd"]
    assert all(c.source == breitbart for a in view.actors for c in a.citations)
    assert ids(view.places) == ["plc-dushanbe"]
    assert ids(view.sources) == [breitbart, xinhua]
    # Nothing was published before 19 Aug; everything by 20 Aug.
    assert len(ds.as_of("2021-08-18")) == 0
    assert list(ds.as_of("2021-08-20")) == list(ds)


def test_real_as_of_rolls_back_an_agreement(real: Dataset) -> None:
    """QCCM as of 1 Jan 2017: agreed and drafted but not yet signed; the 2017 meeting unknown."""
    view = real.as_of("2017-01-01")
    qccm = view.get("agr-2016-08-03-qccm")
    assert isinstance(qccm, Agreement)
    assert [m.status for m in qccm.milestones] == [AgreementStatus.AGREED, AgreementStatus.DRAFT]
    assert qccm.status is AgreementStatus.DRAFT
    assert real.get("agr-2016-08-03-qccm").status is AgreementStatus.SIGNED
    assert "evt-2017-08-27-dushanbe-qccm-second-high-level-meeting" not in view
    assert "evt-2016-11-23-beijing-qccm-counter-terrorism-symposium" in view
    assert ids(sinotajik.agreement_events(view, "agr-2016-08-03-qccm"))[-1] == (
        "evt-2016-11-23-beijing-qccm-counter-terrorism-symposium"
    )


def test_real_as_of_drops_later_denials(real: Dataset) -> None:
    """The Shaymak outpost as of 2020: reported in 2019, none of the 2021–2024 denials yet."""
    fac = real.as_of("2020-01-01").get("fac-murghob-shaymak-outpost")
    assert isinstance(fac, Facility)
    assert [(h.status, str(h.date)) for h in fac.history] == [
        (FacilityStatus.OPERATIONAL, "2016~"),
        (FacilityStatus.REPORTED, "2019-02-18"),
    ]
    assert fac.status is FacilityStatus.REPORTED
    assert not [c for c in fac.claims if c.stance is Stance.DENIES]
    assert [c.by for c in fac.claims if c.stance is Stance.DECLINES_TO_COMMENT] == ["act-ren-guoqiang"]
    assert "fac-murghob-shaymak-outpost" not in real.as_of("2019-02-17")


def _known(ds: Dataset, date: str, keep_undated: bool) -> set[str]:
    return {s.id for s in ds.sources if published_by(s, date) or (keep_undated and s.published is None)}


@pytest.mark.parametrize("date", ["2010-01-01", "2016-08-03", "2017-01-01", "2020-01-01", "2022-06-30"])
def test_real_as_of_invariants(real: Dataset, date: str) -> None:
    """Every event, agreement and facility cites only sources out by then; later ones only back actors/places."""
    view = real.as_of(date)
    known = _known(real, date, keep_undated=False)
    _check_view(real, view, known)


def _check_view(ds: Dataset, view: Dataset, known: set[str]) -> None:
    from sinotajik._integrity import check_document
    from sinotajik._query.facts import all_citations as _all_citations

    assert check_document(view.to_document()) == []  # valid, though built without a re-check
    for rec in (*view.events, *view.agreements, *view.facilities):
        assert {c.source for _, c in _all_citations(rec)} <= known, rec.id
    only_entities: set[str] = set()
    for ent in (*view.actors, *view.places):
        cited = {c.source for c in ent.citations}
        if not cited & known:
            assert ent.citations == ds.get(ent.id).citations  # kept as it was
            only_entities |= cited
        else:
            assert cited <= known
    assert {s.id for s in view.sources} == known | only_entities


@settings(max_examples=100, deadline=None)
@given(linked_datasets(), exact_dates, exact_dates, st.booleans())
def test_as_of_properties(ds: Dataset, a: PartialDate, b: PartialDate, keep_undated: bool) -> None:
    """as_of gives a valid dataset, cites only known sources, grows with the date, and the far future is all."""
    a, b = sorted([a, b], key=lambda d: d.latest)
    early, late = ds.as_of(a, keep_undated=keep_undated), ds.as_of(b, keep_undated=keep_undated)
    _check_view(ds, early, _known(ds, str(a), keep_undated))
    # Records grow with the date; so do known sources (a later source kept only for an actor's
    # or place's citations may leave again once an earlier citation of that actor is known).
    assert {r.id for r in early if not isinstance(r, Source)} <= {r.id for r in late if not isinstance(r, Source)}
    assert _known(ds, str(a), keep_undated) <= {s.id for s in late.sources}
    everything = ds.as_of("9999-12-31", keep_undated=True)
    assert list(everything) == list(ds)
    assert everything.version == f"{ds.version}+as-of-9999-12-31"


def test_as_of_rejects_bad_dates(real: Dataset) -> None:
    """An approximate or invalid as-of date is a ValueError, not a silent guess."""
    with pytest.raises(ValueError, match="must be exact"):
        real.as_of("2019~")
    with pytest.raises(ValueError, match="not a valid month"):
        real.as_of("2019-13")


def test_as_of_keep_undated(real: Dataset) -> None:
    """Undated sources are left out by default and kept with keep_undated=True."""
    undated = {s.id for s in real.sources if s.published is None}
    assert undated
    assert undated <= {s.id for s in real.as_of("2030-01-01", keep_undated=True).sources}
    dropped = undated - {s.id for s in real.as_of("2030-01-01").sources}
    assert dropped  # some undated sources back nothing but content, so they go


# --------------------------------------------------------------------------- deep hierarchies

DEEP = 2_000


def _deep() -> Dataset:
    """A valid dataset with a 2,000-deep ``parent`` chain and a 2,000-deep ``within`` chain."""
    ds = _tiny()
    cite = (Citation(source="src-x", quote="q"),)
    actors = [Actor(id="act-d0000", kind=ActorKind.STATE, name="Top", country="CHN", citations=cite)]
    actors += [
        Actor(id=f"act-d{i:04d}", kind=ActorKind.AGENCY, name=f"A{i}", parent=f"act-d{i - 1:04d}", citations=cite)
        for i in range(1, DEEP)
    ]
    places = [Place(id="plc-d0000", name="Top", precision=LocationPrecision.REGION, country="TJK", citations=cite)]
    places += [
        Place(
            id=f"plc-d{i:04d}",
            name=f"P{i}",
            precision=LocationPrecision.DISTRICT,
            country="TJK",
            within=f"plc-d{i - 1:04d}",
            citations=cite,
        )
        for i in range(1, DEEP)
    ]
    events = [
        Event(
            id=f"evt-d{i:04d}",
            kind=EventKind.DRILL,
            title="t",
            summary="s",
            date=parse_date("2020-05-02"),
            citations=cite,
            places=(f"plc-d{i:04d}",),
            participants=(Participant(actor=f"act-d{i:04d}", role=Role.ORGANISER),),
        )
        for i in range(0, DEEP, 7)
    ]
    return Dataset.from_records([*ds, *actors, *places, *events])


def _naive_above(start: str, up: dict[str, str | None]) -> list[str]:
    """Every link above ``start``, walked one step at a time with nothing remembered."""
    out: list[str] = []
    seen = {start}
    cur = up.get(start)
    while cur is not None and cur not in seen:
        out.append(cur)
        seen.add(cur)
        cur = up.get(cur)
    return out


@pytest.fixture(scope="module")
def deep() -> Dataset:
    return _deep()


def test_deep_chains_answer_as_a_naive_walk(deep: Dataset) -> None:
    """On 2,000-deep chains, the index and the one-by-one path give what a plain walk up each chain gives."""
    parent = {a.id: a.parent for a in deep.actors}
    within = {p.id: p.within for p in deep.places}
    country = {a.id: a.country for a in deep.actors}

    def counts_for(a: str) -> str | None:
        return next((country[x] for x in [a, *_naive_above(a, parent)] if country[x] is not None), None)

    cases = {
        where.actor("act-d0000", subordinates=True): lambda a, _p: "act-d0000" in [a, *_naive_above(a, parent)],
        where.actor("act-d1000", subordinates=True): lambda a, _p: "act-d1000" in [a, *_naive_above(a, parent)],
        where.actor(country="CHN"): lambda a, _p: counts_for(a) == "CHN",
        where.place("plc-d0000"): lambda _a, p: "plc-d0000" in [p, *_naive_above(p, within)],
        where.place("plc-d1500"): lambda _a, p: "plc-d1500" in [p, *_naive_above(p, within)],
    }
    for f, test in cases.items():
        expected = [
            e.id for e in deep.events if any(test(p.actor, pl) for p in e.participants for pl in e.places or ("",))
        ]
        assert expected, f
        assert ids(select(deep, f, kind=Event)) == expected, f
        assert ids(select(deep.events, f, context=deep)) == expected, f


def test_hierarchy_walks_are_linear_in_depth(deep: Dataset) -> None:
    """Resolving every actor and place of 2,000-deep chains follows each link a bounded number of times."""
    from sinotajik._query.resolve import Resolver as _Resolver

    res = _Resolver(deep)
    links = len(deep.actors) + len(deep.places)
    top_actor, top_place = frozenset({"act-d0000"}), frozenset({"plc-d0000"})
    for a in deep.actors:
        assert res.actor_country(a.id) in ("CHN", "TJK")
        assert res.actor_below(a.id, top_actor) == (a.id not in ("act-d0000",) and a.id.startswith("act-d"))
    for p in deep.places:
        assert res.place_inside(p.id, top_place) == (p.id != "plc-d0000" and p.id.startswith("plc-d"))
    # A walk that starts again from each record (as before) takes about DEEP² / 2 steps per question.
    assert res.steps <= 4 * links
    fresh = _deep()  # its own index, so the steps counted are this query's
    f = where.actor("act-d0000", subordinates=True) | where.actor(country="CHN") | where.place("plc-d0000")
    assert select(fresh, f) == select(list(fresh), f)
    assert select(fresh.events, f, context=fresh) == select(fresh, f, kind=Event)
    assert _index(fresh).resolver.steps <= 4 * links


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-1, 11), st.sampled_from([None, None, "CHN", "TJK"])), min_size=1, max_size=12),
    st.frozensets(st.integers(0, 11), max_size=3),
    st.randoms(use_true_random=False),
)
def test_remembered_walks_answer_as_a_plain_walk_even_round_loops(
    links: list[tuple[int, str | None]], targets: frozenset[int], rnd: Any
) -> None:
    """Countries and ancestors from the remembering walks equal a plain walk's, in any order, loops included."""
    from sinotajik._query.resolve import Resolver as _Resolver

    cite = (Citation(source="src-x", quote="q"),)
    ids_ = [f"act-n{i}" for i in range(len(links))]
    actors = [
        Actor(
            id=ids_[i],
            kind=ActorKind.AGENCY,
            name="n",
            country=country,
            parent=None if up < 0 else f"act-n{up}",  # may name a missing actor, or close a loop
            citations=cite,
        )
        for i, (up, country) in enumerate(links)
    ]
    parent = {a.id: a.parent for a in actors}
    own = {a.id: a.country for a in actors}
    wanted = frozenset(f"act-n{t}" for t in targets)
    res = _Resolver(actors)
    order = [*ids_, *ids_]
    rnd.shuffle(order)
    for a in order:
        above = _naive_above(a, parent)
        assert res.actor_country(a) == next((own[x] for x in [a, *above] if own.get(x) is not None), None)
        assert res.actor_below(a, wanted) == bool(wanted & set(above))


def test_the_index_is_kept_outside_the_dataset(real: Dataset) -> None:
    """The index is not a field: asdict does not show it, evolve does not copy it, nothing can pass it in."""
    from sinotajik._query.index import Index

    select(real, where.tag("police"))
    assert not any(isinstance(v, Index) for v in attrs.asdict(real, recurse=False).values())
    assert _index(attrs.evolve(real)) is not _index(real)


def test_the_index_lets_its_dataset_go() -> None:
    """The registry holds a dataset weakly: once dropped, the dataset and its index are collected."""
    import gc
    import weakref

    ds = sinotajik.parse(sinotajik.dumps(sinotajik.load(REAL)))  # load() keeps its releases
    select(ds, where.actor(country="CHN") & where.source(ds.sources[0].id))
    gone = weakref.ref(ds)
    del ds
    gc.collect()
    assert gone() is None
