"""Honest dates: parsing, the EDTF wire form, the total order and certainty tests."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinotajik import Certainty, DateSpan, PartialDate, Precision, format_when, parse_date, parse_when
from strategies import partial_dates, whens


@pytest.mark.parametrize(
    "text",
    [
        "2021-08-18",
        "2016-10",
        "2016",
        "2021-08-18/2021-08-19",
        "2022-11-21~",
        "2016?",
        "2016%",
        "2016-10/..",
        "../2016",
    ],
)
def test_documented_forms_round_trip(text: str) -> None:
    """Every EDTF form the docs list parses and prints back unchanged."""
    assert str(parse_when(text)) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-02-30", "'2021-02-30' is not a valid day"),
        ("2021-13", "'2021-13' is not a valid month"),
        ("2021-00", "'2021-00' is not a valid month"),
        ("0000", "'0000' has a year outside 1..9999"),
        ("2021-08-19/2021-08-18", "'2021-08-19/2021-08-18' is a reversed span: it ends before it starts"),
        ("../..", "'../..' is a span with neither start nor end"),
        ("21", "'21' is not an EDTF date"),
        ("2021-1-5", "'2021-1-5' is not an EDTF date"),
        ("2021/2022/2023", "'2021/2022/2023' has more than one '/'"),
        ("2021-02-30/2021-03", "'2021-02-30/2021-03': '2021-02-30' is not a valid day"),
        (" 2021", "' 2021' is not an EDTF date"),
    ],
)
def test_invalid_dates_are_rejected_naming_the_value(text: str, message: str) -> None:
    """Impossible dates and reversed spans raise ValueError with a message naming the value."""
    with pytest.raises(ValueError, match="^" + pytest.importorskip("re").escape(message)):
        parse_when(text)


def test_leap_day_is_valid_only_in_leap_years() -> None:
    """29 February exists in 2020 but not in 2021."""
    assert parse_date("2020-02-29").latest == pendulum.date(2020, 2, 29)
    with pytest.raises(ValueError, match="not a valid day"):
        parse_date("2021-02-29")


def test_bounds_follow_precision() -> None:
    """earliest/latest are pendulum Dates covering exactly the unit the date is known to."""
    d = parse_date("2016-02")
    assert (d.earliest, d.latest) == (pendulum.date(2016, 2, 1), pendulum.date(2016, 2, 29))
    assert isinstance(d.earliest, pendulum.Date)
    assert d.precision is Precision.MONTH
    y = parse_date("2016")
    assert (y.earliest, y.latest) == (pendulum.date(2016, 1, 1), pendulum.date(2016, 12, 31))
    span = parse_when("2016-10/..")
    assert isinstance(span, DateSpan)
    assert (span.earliest, span.latest) == (pendulum.date(2016, 10, 1), None)


def test_flags_parse() -> None:
    """``~`` is approximate, ``?`` uncertain, ``%`` both."""
    assert parse_date("2022-11-21~").approximate and not parse_date("2022-11-21~").uncertain
    assert parse_date("2016?").uncertain and not parse_date("2016?").approximate
    both = parse_date("2016%")
    assert both.approximate and both.uncertain and not both.exact


def test_year_sorts_before_its_months_and_days() -> None:
    """A year-only date sorts before the months and days within it; a month before its days."""
    items = [parse_when(t) for t in ["2016-05-03", "2016-01-01", "2016-01", "2016", "2015-12-31"]]
    assert [str(x) for x in sorted(items)] == ["2015-12-31", "2016", "2016-01", "2016-01-01", "2016-05-03"]


def test_single_date_sorts_before_span_from_same_day_and_exact_before_approximate() -> None:
    """Documented tie-breaks: single date before a span starting that day; exact before ~ before ?."""
    items = [parse_when(t) for t in ["2016?", "2016/2017", "2016~", "2016"]]
    assert [str(x) for x in sorted(items)] == ["2016", "2016~", "2016?", "2016/2017"]


@given(whens, whens)
def test_order_is_total_and_antisymmetric(a, b) -> None:  # type: ignore[no-untyped-def]
    """Exactly one of a < b, a == b, a > b holds, and equal keys mean equal values."""
    assert sum([a < b, a == b, a > b]) == 1
    if a <= b and b <= a:
        assert a == b


@given(whens, whens, whens)
def test_order_is_transitive(a, b, c) -> None:  # type: ignore[no-untyped-def]
    """a <= b and b <= c imply a <= c."""
    if a <= b and b <= c:
        assert a <= c


@given(whens)
def test_wire_form_round_trips(w) -> None:  # type: ignore[no-untyped-def]
    """str() then parse_when() gives back an equal value."""
    assert parse_when(str(w)) == w


@given(partial_dates(1900, 2100))
def test_earliest_sort_agrees_with_order(d: PartialDate) -> None:
    """A date never sorts before another whose earliest day is later."""
    later = parse_date(str(d.latest.add(days=1)))
    assert d < later


def test_certainty_of_containment() -> None:
    """within() answers certainly / possibly / not over every reading of a partial date."""
    year_2016 = parse_when("2016-01-01/2016-12-31")
    assert parse_date("2016-10").within(year_2016) is Certainty.CERTAINLY
    assert parse_date("2016").within(parse_when("2016-06-01/2016-06-30")) is Certainty.POSSIBLY
    assert parse_date("2017-01").within(year_2016) is Certainty.NOT
    assert parse_date("2016-12~").within(year_2016) is Certainty.POSSIBLY
    assert parse_when("2021-08-18/2021-08-19").within(parse_when("2021-08-01/2021-08-31")) is Certainty.CERTAINLY
    assert parse_when("2021-08-18/2021-09-02").within(parse_when("2021-08-01/2021-08-31")) is Certainty.NOT


def test_certainty_of_overlap() -> None:
    """overlaps() is certain when a day is surely shared, possible when it may be."""
    drill = parse_when("2021-08-18/2021-08-19")
    assert drill.overlaps(parse_date("2021-08-19")) is Certainty.CERTAINLY
    assert drill.overlaps(parse_when("2021-08-01/2021-08-31")) is Certainty.CERTAINLY
    # "2021-08" is some day(s) of August, not all of it: it may miss the 18th and 19th.
    assert drill.overlaps(parse_date("2021-08")) is Certainty.POSSIBLY
    assert parse_date("2016").overlaps(parse_date("2016-10")) is Certainty.POSSIBLY
    assert parse_date("2016").overlaps(parse_date("2017")) is Certainty.NOT
    assert parse_date("2016~").overlaps(parse_date("2017")) is Certainty.POSSIBLY
    assert parse_when("2016-10/..").overlaps(parse_date("2030-01-01")) is Certainty.CERTAINLY
    assert not Certainty.NOT and Certainty.POSSIBLY and Certainty.CERTAINLY


@given(whens, whens)
def test_certainly_within_implies_possible_overlap(a, b) -> None:  # type: ignore[no-untyped-def]
    """If a is certainly within b they certainly overlap; if they cannot overlap, a is not within b."""
    if a.within(b) is Certainty.CERTAINLY:
        assert a.overlaps(b) is Certainty.CERTAINLY
    if a.overlaps(b) is Certainty.NOT:
        assert a.within(b) is Certainty.NOT


@given(whens, whens)
def test_overlap_is_symmetric(a, b) -> None:  # type: ignore[no-untyped-def]
    """overlaps() gives the same answer both ways round."""
    assert a.overlaps(b) is b.overlaps(a)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2016", "2016"),
        ("2016-10", "Oct 2016"),
        ("2021-08-18", "18 Aug 2021"),
        ("2021-08-18/2021-08-19", "18–19 Aug 2021"),
        ("2021-08-30/2021-09-02", "30 Aug – 2 Sep 2021"),
        ("2022-11~", "~Nov 2022"),
        ("2016?", "2016?"),
        ("2016-10/..", "from Oct 2016"),
        ("../2016", "until 2016"),
        ("2015/2017", "2015 – 2017"),
    ],
)
def test_human_labels(text: str, label: str) -> None:
    """format_when shows the precision the date has, no more."""
    assert format_when(parse_when(text)) == label


@given(st.integers(1, 9999))
def test_any_supported_year_parses(year: int) -> None:
    """Every year 0001..9999 is accepted with four digits."""
    assert parse_date(f"{year:04d}").year == year
