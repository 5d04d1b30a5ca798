"""Analysis tables: the tidy claims table, names beside ids, and the year × kind panel."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

import sinotajik
from sinotajik import Citation, Claim, Event, EventKind, Stance, parse_when
from strategies import datasets

RELEASE = "2026.11.2"
OUTPOST = "fac-murghob-shaymak-outpost"
CITE = (Citation(source="src-x", quote="q"),)


def _event(eid: str, date: str, kind: EventKind = EventKind.EXERCISE, claims: tuple[Claim, ...] = ()) -> Event:
    return Event(id=eid, kind=kind, title=eid, summary="s", date=parse_when(date), citations=CITE, claims=claims)


def test_claims_table_holds_every_claim_of_every_kind() -> None:
    """One row per claim of events, agreements and facilities, with the same columns in every row."""
    ds = sinotajik.load(RELEASE)
    rows = sinotajik.claims_table(ds)
    owners = (*ds.events, *ds.agreements, *ds.facilities)
    assert len(rows) == sum(len(r.claims) for r in owners)
    assert {r["record_kind"] for r in rows} == {"event", "agreement", "facility"}
    assert len({tuple(r) for r in rows}) == 1
    outpost = [r for r in rows if r["record"] == OUTPOST]
    assert [r["statement"] for r in outpost] == [c.statement for c in ds.get(OUTPOST).claims]


def test_contested_marks_subjects_asserted_and_denied() -> None:
    """A claim is contested when its record has, on the same subject, one asserting and one denying; not otherwise."""
    claims = (
        Claim(about="existence", stance=Stance.ASSERTS, statement="a", citations=CITE),
        Claim(about="existence", stance=Stance.DENIES, statement="b", citations=CITE, by="act-x"),
        Claim(about="operator", stance=Stance.ASSERTS, statement="c", citations=CITE),
        Claim(about="date", stance=Stance.DISPUTES, statement="d", citations=CITE),
    )
    rows = sinotajik.claims_table([_event("evt-a", "2020", claims=claims)])
    assert [(r["about"], r["contested"]) for r in rows] == [
        ("existence", True),
        ("existence", True),
        ("operator", False),
        ("date", False),
    ]
    assert rows[1]["by"] == "act-x" and rows[0]["sources"] == "src-x"


def test_outpost_existence_is_contested_in_the_release() -> None:
    """The Shaymak outpost's existence is both reported and officially denied, so it is contested."""
    rows = [r for r in sinotajik.claims_table(sinotajik.load(RELEASE)) if r["record"] == OUTPOST]
    assert any(r["contested"] for r in rows)
    assert {r["stance"] for r in rows if r["contested"]} >= {"asserts", "denies"}


def test_names_beside_ids() -> None:
    """names=True puts the actor's name beside its id, in the claims table and in to_tables."""
    ds = sinotajik.load(RELEASE)
    rows = sinotajik.claims_table(ds, names=True)
    by = next(r for r in rows if r["by"])
    assert by["by_name"] == ds.get(by["by"]).name
    assert rows[0]["record_title"]
    tables = sinotajik.to_tables(ds, names=True)
    part = tables["event_participants"][0]
    assert list(part)[:4] == ["event", "seq", "actor", "actor_name"]
    assert part["actor_name"] == ds.get(part["actor"]).name
    assert "actor_name" not in sinotajik.to_tables(ds)["event_participants"][0]
    frames = sinotajik.to_pandas(ds, names=True)
    assert frames["facility_funders"]["actor_name"].notna().all()


def test_panel_keeps_certain_and_possible_apart() -> None:
    """A day, an approximate year and a two-year span are binned honestly: certain only when wholly in the year."""
    recs = [
        _event("evt-day", "2016-10-05"),
        _event("evt-approx", "2016~"),
        _event("evt-span", "2017/2018", kind=EventKind.DRILL),
        _event("evt-newyear", "2018-12-31/2019-01-01"),
    ]
    rows = sinotajik.to_panel(recs)
    got = {(r["year"], r["kind"]): (r["certain"], r["possible"]) for r in rows}
    assert got[(2015, "exercise")] == (0, 1)
    assert got[(2016, "exercise")] == (1, 1)
    assert got[(2017, "exercise")] == (0, 1)
    assert got[(2017, "drill")] == (0, 1) and got[(2018, "drill")] == (0, 1)
    assert got[(2018, "exercise")] == (0, 1) and got[(2019, "exercise")] == (0, 1)
    assert {r["year"] for r in rows} == set(range(2015, 2020))
    assert len(rows) == 5 * 2, "balanced: every year × kind, zeros included"


def test_panel_by_month() -> None:
    """by='month' keys rows by YYYY-MM; a month-precise date is certain in its month only."""
    rows = sinotajik.to_panel([_event("evt-m", "2016-10")], by="month")
    certain = [r["month"] for r in rows if r["certain"]]
    assert certain == ["2016-10"] and len(rows) == 12
    with pytest.raises(ValueError, match="by="):
        sinotajik.to_panel([], by="week")  # type: ignore[arg-type]


def test_panel_of_the_release() -> None:
    """In release 2026.11.2 most certain entries fall in 2016 and 2021, and no entry is certain in two years."""
    ds = sinotajik.load(RELEASE)
    rows = sinotajik.to_panel(ds)
    per_year = Counter()
    for r in rows:
        per_year[r["year"]] += r["certain"]
    assert [y for y, _n in per_year.most_common(2)] == [2016, 2021]
    assert sum(per_year.values()) <= len(sinotajik.timeline(ds))


@settings(max_examples=30, deadline=None)
@given(datasets())
def test_panel_certain_never_exceeds_the_entries(ds: sinotajik.Dataset) -> None:
    """Each entry is certain in at most one year, and counted (certain or possible) in at least one."""
    entries = sinotajik.timeline(ds)
    rows = sinotajik.to_panel(ds)
    assert sum(r["certain"] for r in rows) <= len(entries)
    assert sum(r["certain"] + r["possible"] for r in rows) >= len(entries)


def test_names_of_a_selection_come_from_its_context() -> None:
    """A selection of events names its actors only when context= supplies them, in every table helper."""
    ds = sinotajik.load("2026.11.2")
    drill = [e for e in ds.events if e.id == "evt-2021-08-18-dushanbe-joint-ct-drill"]
    bare = sinotajik.to_tables(drill, names=True)["event_participants"]
    named = sinotajik.to_tables(drill, names=True, context=ds)["event_participants"]
    assert bare and all(r["actor_name"] is None for r in bare)
    assert all(r["actor_name"] for r in named)
    assert {r["actor_name"] for r in named} >= {"Ministry of Public Security of the People's Republic of China"} or all(
        r["actor_name"] == ds.get(r["actor"]).name for r in named
    )
    claims = [e for e in ds.events if e.claims and any(c.by for c in e.claims)][:3]
    rows = sinotajik.claims_table(claims, names=True, context=ds)
    assert all(r["by_name"] == ds.get(r["by"]).name for r in rows if r["by"])
    net = sinotajik.actor_network(drill, context=ds)
    names = {n["id"]: n["name"] for n in net.nodes}
    assert names and all(names[i] == ds.get(i).name for i in names)
    assert all(n["name"] == n["id"] for n in sinotajik.actor_network(drill).nodes)
