"""The public converter: records embedded in users' own attrs classes round-trip strictly."""

from __future__ import annotations

import json
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given, settings

import sinotajik
from sinotajik import Confidence, Event, EventKind, PartialDate, to_dict
from sinotajik._serialize import _conv
from strategies import events, records


@attrs.frozen
class Note:
    """A user's own class holding a record, a date and an enum."""

    event: Event
    seen: PartialDate
    confidence: Confidence
    tags: tuple[str, ...] = ()
    checked: PartialDate | None = None


def _event() -> Event:
    return sinotajik.load("2026.11.0").events[0]


def test_make_converter_returns_a_configured_cattrs_converter() -> None:
    """make_converter() gives a cattrs.Converter, a new one each call."""
    a, b = sinotajik.make_converter(), sinotajik.make_converter()
    assert isinstance(a, cattrs.Converter)
    assert a is not b


def test_embedded_record_round_trips_through_json() -> None:
    """A user's class with an Event, a date and an enum unstructures to JSON and loads back equal."""
    conv = sinotajik.make_converter()
    note = Note(_event(), sinotajik.parse_date("2024-05"), Confidence.HIGH, ("mine",), sinotajik.parse_date("2025"))
    raw = json.loads(json.dumps(conv.unstructure(note)))
    assert raw["seen"] == "2024-05"
    assert raw["checked"] == "2025"
    assert raw["confidence"] == "high"
    assert raw["tags"] == ["mine"]
    assert raw["event"] == to_dict(note.event)
    assert conv.structure(raw, Note) == note


def test_dates_unstructure_to_edtf_strings_not_dicts() -> None:
    """Dates and spans are EDTF strings, as in the dataset's files."""
    conv = sinotajik.make_converter()
    assert conv.unstructure(sinotajik.parse_when("2021-08-18/2021-08-19")) == "2021-08-18/2021-08-19"
    assert conv.unstructure(sinotajik.parse_date("2019~")) == "2019~"
    assert conv.structure("2016-10", PartialDate) == sinotajik.parse_date("2016-10")


def test_enums_unstructure_to_plain_values() -> None:
    """Enumerations unstructure to their plain string values."""
    value = sinotajik.make_converter().unstructure(EventKind.EXERCISE)
    assert value == "exercise"
    assert type(value) is str


def test_tuples_unstructure_to_lists() -> None:
    """Variable-length tuples become lists."""
    assert sinotajik.make_converter().unstructure(("a", "b"), tuple[str, ...]) == ["a", "b"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seen", 2024),  # a number is not an EDTF string
        ("seen", {"year": 2024}),  # a dict is not a date
        ("confidence", "HIGH"),  # not one of the values
        ("tags", "mine"),  # a string is not a list
        ("tags", [5]),  # a number is not a string
    ],
)
def test_strict_values_are_rejected(field: str, value: Any) -> None:
    """Wrong types are rejected instead of coerced."""
    conv = sinotajik.make_converter()
    raw = conv.unstructure(Note(_event(), sinotajik.parse_date("2024"), Confidence.LOW))
    raw[field] = value
    with pytest.raises(cattrs.ClassValidationError) as info:
        conv.structure(raw, Note)
    assert cattrs.transform_error(info.value)


def test_unknown_keys_are_rejected() -> None:
    """An unknown key in a user's class or an embedded record is an error."""
    conv = sinotajik.make_converter()
    raw = conv.unstructure(Note(_event(), sinotajik.parse_date("2024"), Confidence.LOW))
    raw["event"]["colour"] = "red"
    with pytest.raises(cattrs.ClassValidationError) as info:
        conv.structure(raw, Note)
    assert any("colour" in line for line in cattrs.transform_error(info.value))


def test_configure_converter_sets_up_a_plain_cattrs_converter() -> None:
    """configure_converter turns cattrs' coercing default into the strict configuration."""
    conv = cattrs.Converter()
    assert conv.structure(5, str) == "5"  # cattrs' default coerces
    sinotajik.configure_converter(conv)
    with pytest.raises(TypeError):
        conv.structure(5, str)
    assert conv.unstructure(sinotajik.parse_date("2016-10")) == "2016-10"


def test_the_library_uses_the_same_configuration() -> None:
    """The library's detailed converter is a make_converter() converter: same hooks, same output."""
    ours = _conv()
    mine = sinotajik.make_converter()
    rec = _event()
    assert ours.unstructure(rec) == mine.unstructure(rec)
    assert ours.forbid_extra_keys and ours.omit_if_default


@settings(max_examples=40)
@given(rec=records)
def test_every_record_round_trips_with_a_user_converter(rec: Any) -> None:
    """Any record unstructures to its wire form (to_dict) and structures back equal."""
    conv = sinotajik.make_converter()
    raw = conv.unstructure(rec)
    assert raw == to_dict(rec)
    assert conv.structure(raw, type(rec)) == rec


@settings(max_examples=20)
@given(ev=events)
def test_non_detailed_converter_round_trips_too(ev: Event) -> None:
    """With detailed_validation=False records still round-trip."""
    conv = sinotajik.make_converter(detailed_validation=False)
    assert conv.structure(conv.unstructure(ev), Event) == ev


def test_a_dataset_is_its_canonical_document() -> None:
    """A Dataset unstructures to to_dict(ds) and structures back equal, checked."""
    conv = sinotajik.make_converter()
    ds = sinotajik.load("2026.11.0")
    raw = conv.unstructure(ds)
    assert raw == to_dict(ds)
    assert conv.structure(raw, sinotajik.Dataset) == ds
    raw["events"][0]["citations"][0]["source"] = "src-nowhere"
    with pytest.raises(sinotajik.DataError, match="'src-nowhere' does not exist"):
        conv.structure(raw, sinotajik.Dataset)
