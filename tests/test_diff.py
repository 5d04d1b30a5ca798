"""Dataset diffs: records added, removed and changed, field by field, in a stable shape."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sinotajik
from sinotajik import (
    Actor,
    Agreement,
    Citation,
    DataError,
    Dataset,
    DatasetDiff,
    Event,
    Facility,
    Milestone,
    Place,
    Record,
    Source,
    diff,
    to_dict,
)
from strategies import actors, agreements, datasets, events, facilities, places, records, sources

STRATEGY = {Actor: actors, Place: places, Source: sources, Event: events, Agreement: agreements, Facility: facilities}
KIND = {Actor: "actor", Place: "place", Source: "source", Event: "event", Agreement: "agreement", Facility: "facility"}
ORDER = list(KIND.values())

record_lists = st.lists(records, max_size=6, unique_by=lambda r: r.id)
# Generating whole records is slow on a busy machine: no deadline, and a few more examples for
# the properties that pin correctness (apply, paths, id sets).
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
CORRECTNESS = settings(PROPERTY, max_examples=150)


def _fields(rec: Record) -> list[str]:
    return [f.name for f in attrs.fields(type(rec)) if f.name != "id"]


@st.composite
def edited(draw: Any, rec: Record) -> Record:
    """The same record (same id) with some fields edited: replaced, extended, spliced, cut or nested."""
    fresh = attrs.evolve(draw(STRATEGY[type(rec)]), id=rec.id)
    names = _fields(rec)
    tuple_names = [n for n in names if isinstance(getattr(rec, n), tuple)]
    how = draw(st.sampled_from(["mix", "extend", "splice", "cut", "quote"]))
    if how == "mix" or not tuple_names:
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        return attrs.evolve(rec, **{n: getattr(fresh, n) for n in chosen})
    if how == "extend":
        n = draw(st.sampled_from(tuple_names))
        return attrs.evolve(rec, **{n: getattr(rec, n) + getattr(fresh, n)})
    if how == "splice":
        n = draw(st.sampled_from(tuple_names))
        value = getattr(rec, n)
        i = draw(st.integers(0, len(value)))
        j = draw(st.integers(i, len(value)))
        return attrs.evolve(rec, **{n: value[:i] + getattr(fresh, n) + value[j:]})
    if how == "cut":
        n = draw(st.sampled_from(tuple_names))
        value = getattr(rec, n)
        return attrs.evolve(rec, **{n: value[: draw(st.integers(0, len(value)))]})
    cites = getattr(rec, "citations", ())
    if not cites:
        return attrs.evolve(rec, **{names[0]: getattr(fresh, names[0])})
    i = draw(st.integers(0, len(cites) - 1))
    new_cite = attrs.evolve(cites[i], quote=draw(st.none() | st.text(max_size=5)))
    return attrs.evolve(rec, citations=(*cites[:i], new_cite, *cites[i + 1 :]))


@st.composite
def versions(draw: Any) -> tuple[list[Record], list[Record]]:
    """An old list of records and a new one: some kept, dropped, edited, some added."""
    old = draw(record_lists)
    new: list[Record] = []
    for r in old:
        fate = draw(st.sampled_from(["keep", "drop", "edit"]))
        if fate == "keep":
            new.append(r)
        elif fate == "edit":
            new.append(draw(edited(r)))
    taken = {r.id for r in old}
    new.extend(r for r in draw(record_lists) if r.id not in taken)
    return old, draw(st.permutations(new))


def _by_id(recs: Any) -> dict[str, Record]:
    return {r.id: r for r in recs}


def _resolve(wire: Any, path: str) -> Any:
    """Follow a path like ``citations[2].quote`` (written independently of the library)."""
    for name, index in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", path):
        if name:
            wire = wire.get(name) if isinstance(wire, dict) else None
        else:
            i = int(index)
            wire = wire[i] if isinstance(wire, list) and i < len(wire) else None
    return wire


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(record_lists)
def test_a_dataset_does_not_differ_from_itself(recs: list[Record]) -> None:
    """diff(a, a) reports nothing, whatever the records."""
    d = diff(recs, list(reversed(recs)))
    assert d.is_empty
    assert d.to_json() == {"old_version": None, "new_version": None, "added": [], "removed": [], "changed": []}


@PROPERTY
@given(datasets())
def test_a_dataset_diff_carries_both_versions(ds: Dataset) -> None:
    """Diffing Datasets records their versions; an unchanged dataset gives an empty diff."""
    d = diff(ds, ds)
    assert (d.old_version, d.new_version, d.is_empty) == (ds.version, ds.version, True)


@CORRECTNESS
@given(versions())
def test_added_removed_changed_are_the_id_set_differences(pair: tuple[list[Record], list[Record]]) -> None:
    """Added and removed are exactly the id-set differences; changed are the common ids whose wire form differs."""
    old, new = pair
    a, b = _by_id(old), _by_id(new)
    d = diff(old, new)
    assert {r.id for r in d.added} == b.keys() - a.keys()
    assert {r.id for r in d.removed} == a.keys() - b.keys()
    assert {c.id for c in d.changed} == {i for i in a.keys() & b.keys() if to_dict(a[i]) != to_dict(b[i])}
    assert all(c.changes for c in d.changed)
    assert d.is_empty == (a == b)


@CORRECTNESS
@given(versions())
def test_applying_the_diff_turns_old_into_new(pair: tuple[list[Record], list[Record]]) -> None:
    """The reported changes are complete and exact: applied to the old records they give the new ones."""
    old, new = pair
    d = diff(old, new)
    assert _by_id(d.apply(old)) == _by_id(new)


@CORRECTNESS
@given(versions())
def test_every_change_is_what_its_path_holds(pair: tuple[list[Record], list[Record]]) -> None:
    """Each path resolves, in the old and new wire forms, to the reported before and after values."""
    old, new = pair
    a, b = _by_id(old), _by_id(new)
    for c in diff(old, new).changed:
        wa, wb = to_dict(a[c.id]), to_dict(b[c.id])
        assert c.before == a[c.id] and c.after == b[c.id]
        for f in c.changes:
            assert _resolve(wa, f.path) == f.before, f.path
            assert _resolve(wb, f.path) == f.after, f.path
            assert f.before != f.after


@PROPERTY
@given(versions())
def test_lists_are_compared_by_position_unless_they_changed_in_the_middle(
    pair: tuple[list[Record], list[Record]],
) -> None:
    """Items are reported one by one when lengths match or only the end changed; otherwise the whole list."""
    old, new = pair
    a, b = _by_id(old), _by_id(new)
    for c in diff(old, new).changed:
        wa, wb = to_dict(a[c.id]), to_dict(b[c.id])
        for f in c.changes:
            if isinstance(f.before, list) and isinstance(f.after, list):
                short, long_ = sorted((f.before, f.after), key=len)
                assert len(short) != len(long_) and long_[: len(short)] != short, f.path
            item = re.fullmatch(r"(.*)\[(\d+)\]", f.path)
            if item and None in (f.before, f.after):
                la, lb = _resolve(wa, item[1]), _resolve(wb, item[1])
                short, long_ = sorted((la, lb), key=len)
                assert long_[: len(short)] == short and int(item[2]) >= len(short), f.path


@PROPERTY
@given(versions(), st.randoms(use_true_random=False))
def test_diff_is_deterministic(pair: tuple[list[Record], list[Record]], rnd: Any) -> None:
    """The same records in any order give the same diff, to the byte, in kind-then-id order."""
    old, new = pair
    d = diff(old, new)
    shuffled_old, shuffled_new = list(old), list(new)
    rnd.shuffle(shuffled_old)
    rnd.shuffle(shuffled_new)
    again = diff(shuffled_old, shuffled_new)
    assert again == d
    assert json.dumps(again.to_json(), sort_keys=True) == json.dumps(d.to_json(), sort_keys=True)
    assert again.to_text() == d.to_text()
    for group in (d.added, d.removed):
        keys = [(ORDER.index(KIND[type(r)]), r.id) for r in group]
        assert keys == sorted(keys)
    keys = [(ORDER.index(c.kind), c.id) for c in d.changed]
    assert keys == sorted(keys)


@PROPERTY
@given(versions())
def test_reversed_diff_swaps_every_side(pair: tuple[list[Record], list[Record]]) -> None:
    """diff(new, old) swaps added with removed and before with after, on the same paths."""
    old, new = pair
    d, back = diff(old, new), diff(new, old)
    assert back.added == d.removed and back.removed == d.added
    assert [(c.id, [(f.path, f.after, f.before) for f in c.changes]) for c in d.changed] == [
        (c.id, [(f.path, f.before, f.after) for f in c.changes]) for c in back.changed
    ]


@PROPERTY
@given(versions())
def test_json_shape_is_plain_json(pair: tuple[list[Record], list[Record]]) -> None:
    """to_json is plain JSON in the csv-diff-like shape, with each record's full wire form."""
    old, new = pair
    d = diff(old, new)
    data = json.loads(json.dumps(d.to_json(), allow_nan=False))
    assert set(data) == {"old_version", "new_version", "added", "removed", "changed"}
    assert [e["id"] for e in data["added"]] == [r.id for r in d.added]
    assert [e["record"] for e in data["removed"]] == [to_dict(r) for r in d.removed]
    for entry, c in zip(data["changed"], d.changed, strict=True):
        assert set(entry) == {"id", "kind", "title", "changes"}
        assert entry["changes"] == {f.path: [f.before, f.after] for f in c.changes}


# --------------------------------------------------------------------------- hand-checked cases


@pytest.fixture(scope="module")
def release() -> Dataset:
    return sinotajik.load(sinotajik.versions()[0].version)


def _with(ds: Dataset, rec: Record, *, version: str = "next") -> Dataset:
    return Dataset.from_records([rec if r.id == rec.id else r for r in ds], version=version)


def _event(ds: Dataset) -> Event:
    return next(e for e in ds.events if len(e.citations) >= 2)


def test_changing_one_quote_reports_exactly_that_path(release: Dataset) -> None:
    """Editing the quote of the second citation of one event reports citations[1].quote and nothing else."""
    ev = _event(release)
    cites = list(ev.citations)
    cites[1] = attrs.evolve(cites[1], quote="a corrected quote")
    d = diff(release, _with(release, attrs.evolve(ev, citations=tuple(cites))))
    assert d.to_json() == {
        "old_version": release.version,
        "new_version": "next",
        "added": [],
        "removed": [],
        "changed": [
            {
                "id": ev.id,
                "kind": "event",
                "title": ev.title,
                "changes": {"citations[1].quote": [ev.citations[1].quote, "a corrected quote"]},
            }
        ],
    }
    assert (
        f'      citations[1].quote: {json.dumps(ev.citations[1].quote, ensure_ascii=False)} → "a corrected quote"'
        in d.to_text()
    )


def test_appended_and_dropped_items_are_reported_by_position(release: Dataset) -> None:
    """An appended citation is citations[n] from null; dropping the last one is citations[n-1] to null."""
    ev = _event(release)
    n = len(ev.citations)
    extra = Citation(source=ev.citations[0].source, quote="one more")
    d = diff(release, _with(release, attrs.evolve(ev, citations=(*ev.citations, extra))))
    assert d.to_json()["changed"][0]["changes"] == {
        f"citations[{n}]": [None, {"source": extra.source, "quote": "one more"}]
    }
    d = diff(release, _with(release, attrs.evolve(ev, citations=ev.citations[:-1])))
    assert d.to_json()["changed"][0]["changes"] == {f"citations[{n - 1}]": [to_dict(ev.citations[-1]), None]}


def test_an_insertion_in_the_middle_reports_the_whole_list(release: Dataset) -> None:
    """A list that grew other than at its end is reported whole, and the text shows the items gained."""
    ev = _event(release)
    extra = Citation(source=ev.citations[0].source, quote="inserted first")
    d = diff(release, _with(release, attrs.evolve(ev, citations=(extra, *ev.citations))))
    changes = d.changed[0].changes
    assert [(f.path, f.before, f.after) for f in changes] == [
        ("citations", to_dict(ev.citations), [to_dict(extra), *to_dict(ev.citations)])
    ]
    after_first = (ev.citations[0], extra, *ev.citations[1:])
    changes = diff(release, _with(release, attrs.evolve(ev, citations=after_first))).changed[0].changes
    assert [f.path for f in changes] == ["citations"]
    text = d.to_text()
    assert f"      citations: {len(ev.citations)} → {len(ev.citations) + 1} items" in text
    assert '        + {"quote": "inserted first", "source": ' in text
    assert "        - " not in text


def test_a_field_back_at_its_default_shows_as_null(release: Dataset) -> None:
    """Removing an optional field reports its old value against null, and applying it removes the field."""
    ev = next(e for e in release.events if e.tags)
    edited_ds = _with(release, attrs.evolve(ev, tags=(), date_note="a new note"))
    d = diff(release, edited_ds)
    assert d.to_json()["changed"][0]["changes"] == {
        "date_note": [ev.date_note, "a new note"],
        "tags": [list(ev.tags), None],
    }
    assert Dataset.from_records(d.apply(release), version="next") == edited_ds


def test_numbers_compare_as_their_json_does(release: Dataset) -> None:
    """100 and 100.0, or 0.0 and -0.0, are written differently, so a change between them is reported."""
    q = sinotajik.Quantity(what="x", value=0.0, unit="person", citations=(Citation(source="src-x"),))
    ev = attrs.evolve(_event(release), quantities=(q,))
    for before, after in ((0.0, -0.0), (100, 100.0)):
        old, new = (
            attrs.evolve(ev, quantities=(attrs.evolve(q, value=before),)),
            attrs.evolve(ev, quantities=(attrs.evolve(q, value=after),)),
        )
        changes = diff([old], [new]).changed[0].changes
        assert [(f.path, repr(f.before), repr(f.after)) for f in changes] == [
            ("quantities[0].value", repr(before), repr(after))
        ]


def test_changes_follow_the_model_field_order(release: Dataset) -> None:
    """A record's changes are listed in the order of its fields (title before summary before citations)."""
    ev = _event(release)
    new = attrs.evolve(ev, title="T", summary="S", citations=ev.citations[:1], confidence_note="why")
    paths = [f.path for f in diff(release, _with(release, new)).changed[0].changes]
    names = [f.name for f in attrs.fields(Event)]
    assert paths[0] == "title" and paths[1] == "summary"
    tops = [p.split("[")[0] for p in paths]
    assert tops == sorted(tops, key=names.index)


def test_a_required_null_value_survives_apply() -> None:
    """A milestone date set to null stays a null date (it is required), and apply rebuilds it exactly."""
    src = "src-x"
    cite = (Citation(source=src, quote="q"),)
    agr = Agreement(
        id="agr-x",
        kind=sinotajik.AgreementKind.MOU,
        title="X",
        summary="s",
        status=sinotajik.AgreementStatus.SIGNED,
        citations=cite,
        milestones=(
            Milestone(status=sinotajik.AgreementStatus.SIGNED, date=sinotajik.parse_date("2020"), citations=cite),
        ),
    )
    undated = attrs.evolve(agr, milestones=(attrs.evolve(agr.milestones[0], date=None),))
    d = diff([agr], [undated])
    assert d.to_json()["changed"][0]["changes"] == {"milestones[0].date": ["2020", None]}
    assert d.apply([agr]) == (undated,)
    assert diff([undated], [agr]).apply([undated]) == (agr,)


def test_added_and_removed_records_with_titles(release: Dataset) -> None:
    """A dropped record is removed and a new one added, each listed with its kind and title in text and JSON."""
    gone = release.sources[0]
    ev = _event(release)
    kept = [r for r in release if r.id != gone.id]
    newcomer = attrs.evolve(ev, id="evt-2099-01-01-new", title="A new event")
    d = diff(release, [*kept, newcomer])
    assert [r.id for r in d.removed] == [gone.id]
    assert [r.id for r in d.added] == [newcomer.id]
    data = d.to_json()
    assert data["added"] == [{"id": newcomer.id, "kind": "event", "title": "A new event", "record": to_dict(newcomer)}]
    assert data["removed"][0]["title"] == gone.title and data["removed"][0]["kind"] == "source"
    text = d.to_text()
    assert text.startswith(f"{release.version} → new: 1 added, 1 removed, 0 changed\n")
    assert f"  + event     {newcomer.id}  A new event" in text
    assert f"  - source    {gone.id}  {gone.title}" in text


def test_same_id_with_another_kind_is_removed_and_added() -> None:
    """Bare records sharing an id across kinds are not a change: the old one is removed, the new one added."""
    cite = (Citation(source="src-x"),)
    actor = Actor(id="x-1", kind=sinotajik.ActorKind.STATE, name="A", citations=cite)
    place = Place(id="x-1", name="P", precision=sinotajik.LocationPrecision.TOWN, country="TJK", citations=cite)
    d = diff([actor], [place])
    assert (d.removed, d.added, d.changed) == ((actor,), (place,), ())
    assert d.apply([actor]) == (place,)


def test_empty_diff_text_says_so(release: Dataset) -> None:
    """The text of an empty diff names the versions and says there are no differences."""
    text = diff(release, release).to_text()
    assert (
        text == f"{release.version} → {release.version}: 0 added, 0 removed, 0 changed\nno differences in the records\n"
    )


def test_bad_inputs_are_data_errors(release: Dataset) -> None:
    """Non-records and duplicate ids are reported as DataError problems, every one."""
    ev = _event(release)
    with pytest.raises(DataError) as info:
        diff([ev, "not a record", ev], release)  # type: ignore[list-item]
    assert [str(p) for p in info.value.problems] == [
        "old[1]: str is not a record type",
        f"old[2]: a second record with id {ev.id!r}",
    ]


def test_apply_refuses_a_different_old_side(release: Dataset) -> None:
    """apply checks the old records like patch does, listing every mismatch with its path."""
    ev = _event(release)
    cites = list(ev.citations)
    cites[0] = attrs.evolve(cites[0], quote="new")
    d = diff(release, _with(release, attrs.evolve(ev, citations=tuple(cites))))
    other = _with(release, attrs.evolve(ev, citations=(attrs.evolve(cites[0], quote="elsewhere"), *cites[1:])))
    with pytest.raises(DataError) as info:
        d.apply(other)
    assert [str(p) for p in info.value.problems] == [
        f'{ev.id}.citations[0].quote: expected {json.dumps(ev.citations[0].quote, ensure_ascii=False)}, found "elsewhere"'
    ]
    with pytest.raises(DataError, match="is changed by the diff but is missing"):
        d.apply([r for r in release if r.id != ev.id])


def test_bundled_releases_diff_and_apply() -> None:
    """Every bundled release is identical to itself, and each diff to the next rebuilds the next exactly."""
    rels = [sinotajik.load(r.version) for r in sinotajik.versions()]
    for ds in rels:
        assert diff(ds, ds).is_empty
    for old, new in itertools.pairwise(rels):
        d = diff(old, new)
        assert (d.old_version, d.new_version) == (old.version, new.version)
        assert Dataset.from_records(d.apply(old), version=new.version) == new


def test_public_names() -> None:
    """diff and its result types are public and report the sinotajik module."""
    assert sinotajik.diff is diff and DatasetDiff.__module__ == "sinotajik"
    for name in ("diff", "DatasetDiff", "FieldChange", "RecordChange"):
        assert name in sinotajik.__all__
