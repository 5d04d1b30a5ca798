"""Finding records by name and words; filters that reject unknown ids; one context keyword."""

from __future__ import annotations

import json
from html import escape as html_escape
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sinotajik
from sinotajik import Actor, Dataset, Event, Facility, Place, select, where
from sinotajik._search import fold

RELEASE = "2026.11.2"


def _ds() -> Dataset:
    return sinotajik.load(RELEASE)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Zhao Kezhi", "act-zhao-kezhi"),
        ("zhao kezhi", "act-zhao-kezhi"),
        ("赵克志", "act-zhao-kezhi"),  # a Chinese alias
        ("趙克志", "act-zhao-kezhi"),  # the traditional-script alias
        ("Душанбе", "plc-dushanbe"),  # a Cyrillic alias
        ("Douchanbe", "plc-dushanbe"),  # the alias is "Douchanbé": accents are ignored
        ("DUSHANBE", "plc-dushanbe"),
        ("Vakhon base", "fac-vakhon-mvd-rapid-response-base"),
        ("Emomali Rahmon", "act-emomali-rahmon"),
        ("Rahmon", "act-emomali-rahmon"),  # a whole word beats a part of one (Abdurahmon)
    ],
)
def test_find_ranks_the_record_first(query: str, first: str) -> None:
    """ds.find puts the record that goes by that name first, in any script, case or accent."""
    assert _ds().find(query)[0].id == first


def test_find_every_word_must_match() -> None:
    """Every word of the query must occur; a word no record has finds nothing."""
    ds = _ds()
    hits = ds.find("border post")
    assert hits
    assert all("border" in _all_text(r) and "post" in _all_text(r) for r in hits)
    assert ds.find("border zzyzx") == []


def _all_text(rec: Any) -> str:
    return fold(json.dumps(sinotajik.to_dict(rec), ensure_ascii=False))


def test_find_with_kind_keeps_the_type() -> None:
    """find(kind=Facility) returns only facilities."""
    hits = _ds().find("border", kind=Facility)
    assert hits and all(type(f) is Facility for f in hits)
    with pytest.raises(TypeError, match="record class"):
        _ds().find("border", kind=str)  # type: ignore[type-var]


def test_find_rejects_an_empty_query() -> None:
    """A query with no letters or digits is an error, not everything."""
    with pytest.raises(ValueError, match="needs words"):
        _ds().find(" !? ")


def test_where_text_filters_and_composes() -> None:
    """where.text keeps the records find returns, and combines with other filters."""
    ds = _ds()
    assert {r.id for r in select(ds, where.text("vakhon"))} == {r.id for r in ds.find("vakhon")}
    facilities = select(ds, where.text("vakhon") & where.kind("facility"), kind=Facility)
    assert [f.id for f in facilities] == ["fac-vakhon-mvd-rapid-response-base"]
    assert repr(where.text("vakhon")) == "where.text('vakhon')"


@settings(max_examples=30)
@given(query=st.sampled_from(["dushanbe", "border post", "赵克志", "drill 2021", "sco", "Rahmon", "post"]))
def test_text_filter_index_and_scan_agree(query: str) -> None:
    """On a Dataset and on a plain list, where.text gives the same records."""
    ds = _ds()
    f = where.text(query)
    assert [r.id for r in select(ds, f)] == [r.id for r in select(list(ds), f)]


# --------------------------------------------------------------------------- unknown ids


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: where.actor("act-nobody"), "where.actor: no actor 'act-nobody'"),
        (lambda: where.place("plc-nowhere"), "where.place: no place 'plc-nowhere'"),
        (lambda: where.source("src-nothing"), "where.source: no source 'src-nothing'"),
        (lambda: where.tag("no-such-tag"), "where.tag: no record is tagged 'no-such-tag'"),
        (lambda: where.actor("plc-dushanbe"), "where.actor: 'plc-dushanbe' is a place, not an actor"),
        (lambda: where.kind("event") & ~where.actor("act-nobody"), "no actor 'act-nobody'"),
    ],
)
def test_unknown_ids_are_rejected_on_a_dataset(make: Any, message: str) -> None:
    """A filter naming an id the dataset does not have raises, as the command line does."""
    ds = _ds()
    with pytest.raises(ValueError, match=message):
        select(ds, make())
    with pytest.raises(ValueError, match=message):
        select(ds.events, make(), context=ds)
    with pytest.raises(ValueError, match=message):
        make().matches(ds.events[0], ds)


def test_known_ids_still_select() -> None:
    """Existing ids select as before; plain iterables without a dataset are not checked."""
    ds = _ds()
    assert select(ds, where.actor("act-zhao-kezhi"), kind=Event)
    assert select(list(ds.events), where.actor("act-nobody")) == []


# --------------------------------------------------------------------------- one context keyword


def test_renderers_take_context() -> None:
    """Every renderer takes context=: a selection of events is rendered with the dataset's names."""
    ds = _ds()
    events = select(ds, where.actor("act-zhao-kezhi"), kind=Event)
    source = ds.get(events[0].citations[0].source, kind=sinotajik.Source)
    html = sinotajik.to_html(events, context=ds)
    assert html_escape(source.publisher) in html
    with pytest.warns(UserWarning, match="pass context=ds"):
        bare = sinotajik.to_html(events)
    assert html_escape(source.publisher) not in bare  # without context: the id only, and a warning
    md = sinotajik.to_markdown(events, context=ds)
    assert ds.get(events[0].citations[0].source, kind=sinotajik.Source).publisher in md
    assert sinotajik.to_timelinejs(events, context=ds)["events"]
    assert "<svg" in sinotajik.to_svg(events, context=ds)
    assert sinotajik.to_text(events, context=ds) == sinotajik.to_text(events)
    in_dushanbe = select(ds, where.place("plc-dushanbe"), kind=Event)
    geo = sinotajik.to_geojson(in_dushanbe, context=ds)
    assert "Dushanbe" in {f["properties"]["place_name"] for f in geo["features"]}
    assert {f["properties"]["place_name"] for f in sinotajik.to_geojson(in_dushanbe)["features"]} == {None}


# --------------------------------------------------------------------------- command line


def test_cli_search(cli: Any) -> None:
    """sinotajik search ranks by name, in any script, and --kind/--limit narrow it."""
    proc = cli("search", "赵克志", "--release", RELEASE, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["id"] == "act-zhao-kezhi"
    lines = cli("search", "vakhon", "--kind", "facility", "--release", RELEASE).stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["fac-vakhon-mvd-rapid-response-base"]
    assert len(cli("search", "border", "--limit", "2", "--release", RELEASE).stdout.splitlines()) == 2
    bad = cli("search", "!!")
    assert bad.returncode == 2 and "needs words" in bad.stderr


def test_cli_list_text(cli: Any) -> None:
    """list --text keeps the records whose names or summaries have the words."""
    proc = cli("list", "facilities", "--text", "border post", "--release", RELEASE, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in json.loads(proc.stdout)] == ["fac-tjk-afghan-border-posts-2016-programme"]


def test_cli_show_by_name(cli: Any) -> None:
    """show takes a name that finds one record, and lists the candidates when several match."""
    proc = cli("show", "Zhao Kezhi", "--release", RELEASE, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id"] == "act-zhao-kezhi"
    assert json.loads(cli("show", "Душанбе", "--release", RELEASE, "--format", "json").stdout)["id"] == "plc-dushanbe"
    many = cli("show", "border post", "--release", RELEASE)
    assert many.returncode == 2
    assert "matches 4 records" in many.stderr and "fac-tjk-afghan-border-posts-2016-programme" in many.stderr
    none = cli("show", "zzyzx", "--release", RELEASE)
    assert none.returncode == 2 and "no record 'zzyzx'" in none.stderr


def test_types_kept() -> None:
    """find without kind is a list of records of the six classes."""
    assert all(
        isinstance(r, (Actor, Place, Facility, Event, sinotajik.Source, sinotajik.Agreement))
        for r in _ds().find("dushanbe")
    )
