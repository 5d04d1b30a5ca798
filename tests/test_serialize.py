"""The converter: strict wire form, canonical bytes, round trips, and errors with paths."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sinotajik
from sinotajik import DataError, Event, PartialDate, from_dict, parse, to_dict
from strategies import actors, agreements, datasets, events, facilities, places, records, sources


def _doc(**collections: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"schema": 1, "version": "test"}
    base.update(collections)
    return base


SOURCE = {
    "id": "src-a",
    "publisher": "P",
    "title": "T",
    "kind": "wire",
    "reliability": "high",
    "reliability_note": "n",
    "language": "en",
}
ACTOR = {
    "id": "act-a",
    "kind": "state",
    "name": "A",
    "country": "CHN",
    "citations": [{"source": "src-a", "quote": "q"}],
}
EVENT = {
    "id": "evt-a",
    "kind": "drill",
    "title": "t",
    "summary": "s",
    "date": "2021-08-18/2021-08-19",
    "participants": [{"actor": "act-a", "role": "host"}],
    "citations": [{"source": "src-a", "quote": "q"}],
}


def _parse_problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(DataError) as info:
        parse(json.dumps(doc))
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("strategy", [actors, places, sources, events, agreements, facilities])
@settings(max_examples=60)
@given(data=__import__("hypothesis").strategies.data())
def test_every_record_type_round_trips(strategy: Any, data: Any) -> None:
    """to_dict then from_dict gives back an equal record, and the JSON bytes are stable."""
    rec = data.draw(strategy)
    wire = to_dict(rec)
    again = from_dict(json.loads(json.dumps(wire)), type(rec))
    assert again == rec
    assert json.dumps(to_dict(again), sort_keys=True) == json.dumps(wire, sort_keys=True)


@settings(max_examples=60)
@given(datasets())
def test_dataset_canonical_bytes_round_trip_identically(ds: sinotajik.Dataset) -> None:
    """dumps -> parse -> dumps is byte-identical, for JSON and JSON Lines, with equal checksums."""
    for fmt in ("json", "jsonl"):
        data = sinotajik.dumps(ds, format=fmt)
        again = parse(data, format=fmt)
        assert again == ds
        assert sinotajik.dumps(again, format=fmt) == data
        assert again.sha256 == ds.sha256


@given(records)
def test_defaults_are_omitted_on_the_wire(rec: Any) -> None:
    """Fields at their default value never appear in the wire form (keeps files small and stable)."""
    wire = to_dict(rec)
    assert all(v not in (None, [], ()) for v in wire.values())


def test_canonical_json_is_sorted_and_record_order_independent() -> None:
    """The same records in another order give the same bytes and checksum."""
    a = parse(json.dumps(_doc(sources=[SOURCE], actors=[ACTOR, {**ACTOR, "id": "act-b"}])))
    b = parse(json.dumps(_doc(actors=[{**ACTOR, "id": "act-b"}, ACTOR], sources=[SOURCE])))
    assert sinotajik.dumps(a) == sinotajik.dumps(b)
    text = sinotajik.dumps(a).decode()
    assert text.index('"act-a"') < text.index('"act-b"')
    assert text.endswith("}\n")


def test_dates_stay_partial_dates_not_datetimes() -> None:
    """EDTF strings become PartialDate/DateSpan, never plain datetime dates."""
    ds = parse(json.dumps(_doc(sources=[{**SOURCE, "published": "2016-10"}])))
    published = ds.sources[0].published
    assert isinstance(published, PartialDate)
    assert str(published) == "2016-10"


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        ({"title": 5}, "events[0].title: expected a string, got the number 5"),
        ({"title": None}, "events[0].title: expected a string, got null"),
        ({"tags": "abc"}, "events[0].tags: expected a list, got a string"),
        ({"tags": [1]}, "events[0].tags[0]: expected a string, got the number 1"),
        ({"date": "2021-02-30"}, "events[0].date: '2021-02-30' is not a valid day"),
        ({"date": "2021-13"}, "events[0].date: '2021-13' is not a valid month"),
        ({"date": 2021}, "events[0].date: expected an EDTF date or span string, got the number 2021"),
        ({"kind": "parade"}, "events[0].kind: 'parade' is not one of: "),
        ({"confidence": True}, "events[0].confidence: a boolean is not one of"),
        ({"colour": "red"}, "events[0].colour: unknown field"),
        ({"participants": [{"actor": "act-a", "role": "host", "x": 1}]}, "events[0].participants[0].x: unknown field"),
        ({"participants": ["act-a"]}, "events[0].participants[0]: expected an object, got a string"),
        (
            {"quantities": [{"what": "n", "value": "100", "unit": "p", "citations": []}]},
            "events[0].quantities[0].value: expected a number, got a string",
        ),
        (
            {"quantities": [{"what": "n", "value": True, "unit": "p", "citations": []}]},
            "events[0].quantities[0].value: expected a number, got a boolean",
        ),
    ],
)
def test_wrong_types_are_reported_with_their_path(mutation: dict[str, Any], expected: str) -> None:
    """cattrs' coercions are off: each wrong type is one problem naming its path."""
    problems = _parse_problems(_doc(sources=[SOURCE], actors=[ACTOR], events=[{**EVENT, **mutation}]))
    assert any(p.startswith(expected) for p in problems), problems


def test_missing_required_field_is_named() -> None:
    """A missing required field is reported at its path."""
    ev = {k: v for k, v in EVENT.items() if k != "summary"}
    assert "events[0].summary: required field is missing" in _parse_problems(
        _doc(sources=[SOURCE], actors=[ACTOR], events=[ev])
    )


def test_every_problem_is_listed_not_just_the_first() -> None:
    """Problems in several records and fields all come out of one error."""
    bad = [
        {**EVENT, "id": "evt-1", "date": "2021-02-30", "title": 1},
        {**EVENT, "id": "evt-2", "kind": "nope"},
    ]
    problems = _parse_problems(_doc(sources=[SOURCE], actors=[ACTOR], events=bad))
    assert {p.split(":")[0] for p in problems} == {"events[0].date", "events[0].title", "events[1].kind"}


def test_data_error_is_a_value_error_with_one_line_per_problem() -> None:
    """DataError subclasses ValueError and renders a count line then one line per problem."""
    with pytest.raises(ValueError, match="2 problems in the data") as info:
        parse(json.dumps(_doc(sources=[SOURCE], actors=[ACTOR], events=[{**EVENT, "date": "x", "title": 1}])))
    assert isinstance(info.value, DataError)
    assert len(str(info.value).splitlines()) == 3


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b"{", "invalid JSON at line 1, column 2"),
        (b'{"schema": 1, "version": "x", "events": [', "invalid JSON"),
        (b"\xef\xbb\xbf{}", "byte-order mark"),
        (b'{"a": "\xff"}', "is not UTF-8 text (bad byte at offset 7)"),
        (b"[]", "expected a JSON object at the top level, got a list"),
        (b'{"schema": 2, "version": "x"}', "schema: 2 is newer than this version of sinotajik reads"),
        (b'{"schema": "1", "version": "x"}', "schema: '1' is not a schema this version reads"),
        (b'{"schema": 1, "version": "x", "events": NaN}', "NaN is not a valid JSON number"),
        (b'{"schema": 1}', "version: required field is missing"),
        (b'{"schema": 1, "version": "x", "extra": []}', "extra: unknown field"),
    ],
)
def test_unreadable_documents_give_one_clear_problem(data: bytes, expected: str) -> None:
    """Empty, truncated, non-UTF-8, BOM, wrong top-level and wrong schema inputs fail cleanly."""
    with pytest.raises(DataError) as info:
        parse(data)
    assert any(expected in str(p) for p in info.value.problems), info.value.problems


def test_jsonl_problems_name_the_line() -> None:
    """In JSON Lines a problem names its line number as well as its path."""
    lines = [
        json.dumps({"schema": 1, "version": "t"}),
        json.dumps({"record": "source", **SOURCE}),
        json.dumps({"record": "event", **EVENT, "date": "2021-13"}),
        "{not json",
    ]
    with pytest.raises(DataError) as info:
        parse("\n".join(lines), format="jsonl")
    assert [str(p) for p in info.value.problems] == [
        "line 4: invalid JSON at line 1, column 2: Expecting property name enclosed in double quotes"
    ]
    with pytest.raises(DataError) as info:
        parse("\n".join(lines[:3]), format="jsonl")
    assert [str(p) for p in info.value.problems] == [
        "line 3 (events[0].date): '2021-13' is not a valid month",
        # The rest of a record that cannot be built is still checked (no actor act-a here).
        "line 3 (events[0].participants[0].actor): 'act-a' does not exist",
    ]


def test_jsonl_unknown_record_kind() -> None:
    """A JSON Lines record with an unknown kind is named with its line."""
    text = json.dumps({"schema": 1, "version": "t"}) + "\n" + json.dumps({"record": "treaty", "id": "x"})
    with pytest.raises(DataError, match=r"line 2\.record: 'treaty' is not one of"):
        parse(text, format="jsonl")


def test_from_dict_is_strict_for_single_records() -> None:
    """from_dict rejects extra keys and wrong types for a single record too."""
    with pytest.raises(DataError, match="colour: unknown field"):
        from_dict({**EVENT, "colour": 1}, Event)
    ev = from_dict(EVENT, Event)
    assert str(ev.date) == "2021-08-18/2021-08-19"


@settings(max_examples=500, deadline=None)
@given(st.text(), st.booleans())
def test_the_byte_test_finds_whatever_the_text_test_finds(text: str, ascii_only: bool) -> None:
    """The fast test on a file's bytes says "maybe" wherever the regex on its text would match."""
    from sinotajik._serialize import _SUSPECT, _may_hold_bad_text

    encoded = json.dumps({"summary": text}, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    if _SUSPECT.search(encoded.decode("utf-8", "surrogatepass")):
        assert _may_hold_bad_text(encoded)
