"""The timeline: entries with their sources and actors, honest-date order, year/month grouping."""

from __future__ import annotations

from hypothesis import given, settings

import sinotajik
from sinotajik import Dataset, PartialDate, Precision, TimelineEntry, parse_when, timeline
from sinotajik._timeline import group_by_month, month_label, render_text
from strategies import datasets

RELEASE = "2026.11.1"  # releases never change, so the hand-checked facts below hold for good
DRILL = "evt-2021-08-18-dushanbe-joint-ct-drill"


def _real() -> Dataset:
    return sinotajik.load(RELEASE)


def _entry(date: str, record: str = "evt-x", milestone: str | None = None) -> TimelineEntry:
    return TimelineEntry(
        date=parse_when(date), record=record, kind="event", subkind="meeting", title=record, milestone=milestone
    )


def test_drill_entry_keeps_its_precision_sources_and_actors() -> None:
    """The 2021 Dushanbe drill is one entry, '18–19 Aug 2021', with its cited sources and participants."""
    ds = _real()
    [entry] = [e for e in timeline(ds) if e.record == DRILL]
    event = ds.get(DRILL)
    assert entry.label == "18–19 Aug 2021"
    assert (entry.year, entry.month, entry.precision, entry.exact) == (2021, 8, Precision.DAY, True)
    assert entry.citations == event.citations
    assert entry.sources[0] == "src-xinhua-2021-08-19-anti-terrorist-coordination-2021"
    assert len(entry.sources) == len(set(entry.sources)) == len({c.source for c in event.citations})
    assert entry.actors == tuple(dict.fromkeys(p.actor for p in event.participants))
    assert "act-chn-mps" in entry.actors and "act-tjk-mvd" in entry.actors


def test_milestones_cite_their_own_sources() -> None:
    """An agreement milestone carries the milestone's citations and the agreement's parties."""
    ds = _real()
    agr = ds.get("agr-2016-08-03-qccm")
    steps = [e for e in timeline(ds) if e.record == agr.id]
    assert [(e.milestone, e.label) for e in steps] == [
        ("agreed", "3 Aug 2016"),
        ("draft", "8–10 Nov 2016"),
        ("signed", "27 Aug 2017"),
    ]
    by_status = {m.status.value: m for m in agr.milestones}
    for e in steps:
        assert e.citations == by_status[e.milestone].citations
        assert e.actors == tuple(p.actor for p in agr.parties)


def test_partial_dates_are_filed_under_what_is_known() -> None:
    """A year-only entry has no month; an approximate one keeps its flag; an open start has no year."""
    ds = _real()
    entries = {(e.record, e.milestone): e for e in timeline(ds)}
    outpost = entries[("fac-murghob-shaymak-outpost", "operational")]
    assert (outpost.label, outpost.year, outpost.month, outpost.exact) == ("~2016", 2016, None, False)
    assert entries[("evt-2018-china-qccm-joint-working-group-annual-conference", None)].label == "2018?"
    assert _entry("../2016-10").year is None and _entry("../2016-10").month is None
    assert (_entry("2016-10/..").year, _entry("2016-10/..").month) == (2016, 10)


def test_group_by_month_on_the_real_timeline() -> None:
    """2016 starts with its year-only entry (~2016), then one run per month, in order."""
    runs = group_by_month(timeline(_real()))
    keys = [(y, m) for y, m, _ in runs]
    assert len(keys) == len(set(keys))
    i = keys.index((2016, None))
    assert keys[i : i + 7] == [(2016, None), (2016, 2), (2016, 3), (2016, 4), (2016, 7), (2016, 8), (2016, 9)]
    assert [e.label for e in runs[i][2]] == ["~2016"]
    assert [e.record for e in runs[keys.index((2021, 8))][2]][-1] == DRILL


def test_month_labels() -> None:
    """Run headings read like the date labels: 'Aug 2021', '2016', 'Open start'."""
    assert month_label(2021, 8) == "Aug 2021"
    assert month_label(2016, None) == "2016"
    assert month_label(None, None) == "Open start"


def test_render_text_groups_by_year_and_month() -> None:
    """The terminal timeline has a line per year, an indented line per month, and the entries below."""
    entries = [_entry("2016~", "evt-a"), _entry("2016-10", "evt-b"), _entry("2021-08-18/2021-08-19", "evt-c")]
    lines = render_text(entries).splitlines()
    assert lines[0] == "2016"
    assert lines[1].startswith("    ~2016 ") and lines[1].endswith("[evt-a]")
    assert lines[2] == "  Oct 2016"
    assert lines[3].startswith("    Oct 2016 ")
    assert lines[4:7] == ["", "2021", "  Aug 2021"]
    assert lines[7].startswith("    18–19 Aug 2021 ") and "event/meeting" in lines[7]
    assert render_text([]) == ""


def test_render_text_on_the_real_timeline() -> None:
    """The drill's line shows its two days under Aug 2021."""
    text = render_text(timeline(_real()))
    lines = text.splitlines()
    drill = next(i for i, line in enumerate(lines) if line.endswith(f"[{DRILL}]"))
    assert lines[drill].lstrip().startswith("18–19 Aug 2021")
    assert "  Aug 2021" in lines[:drill] and lines.index("2021") < drill


def test_timeline_accepts_any_iterable_of_records() -> None:
    """A generator of records gives the same timeline as the Dataset it came from."""
    ds = _real()
    assert timeline(r for r in ds) == timeline(ds)
    assert timeline(ds.events) == [e for e in timeline(ds) if e.kind == "event"]


@settings(max_examples=60, deadline=None)
@given(datasets())
def test_grouping_partitions_the_timeline(ds: Dataset) -> None:
    """The runs cut the timeline into consecutive pieces, one per (year, month), in order."""
    entries = timeline(ds)
    runs = group_by_month(entries)
    assert [e for _, _, run in runs for e in run] == entries
    keys = [(y, m) for y, m, _ in runs]
    assert len(keys) == len(set(keys))
    for y, m, run in runs:
        assert all((e.year, e.month) == (y, m) for e in run)


@settings(max_examples=60, deadline=None)
@given(datasets())
def test_entries_cite_only_sources_of_the_record(ds: Dataset) -> None:
    """Every entry's sources are among its record's citations, and its date is one the record gives."""
    for e in timeline(ds):
        rec = ds.get(e.record)
        cited = {c.source for c in rec.citations}
        for part in ("milestones", "history"):
            for step in getattr(rec, part, ()):
                cited |= {c.source for c in step.citations}
        assert set(e.sources) <= cited
        assert isinstance(e.date, (PartialDate, sinotajik.DateSpan))
        assert e.label == sinotajik.format_when(e.date)
