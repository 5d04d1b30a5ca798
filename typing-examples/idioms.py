"""The documented idioms of sinotajik, as a user writes them, checked by ``mypy --strict``.

Each ``assert_type`` states the type mypy must infer (a wrong type fails the check); nothing
here needs a cast. CI runs ``mypy --strict typing-examples``, and tests/test_typing_examples.py
runs this file, so the idioms also work. In the manner of attrs' typing-examples.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import attrs
import cattrs
from typing_extensions import assert_type

import sinotajik
from sinotajik import (
    Actor,
    Agreement,
    Dataset,
    Event,
    Facility,
    PartialDate,
    Place,
    Record,
    Release,
    Source,
    select,
    where,
)

# --------------------------------------------------------------------------- loading and pinning

ds = sinotajik.load()
assert_type(ds, Dataset)
pinned = sinotajik.load("2026.11.2")
assert_type(pinned.version, str)
assert_type(pinned.sha256, str)
latest = sinotajik.load("latest")

releases = sinotajik.versions()
assert_type(releases, tuple[Release, ...])
for release in releases:  # a Release is accepted where a version is
    assert_type(sinotajik.load(release), Dataset)
    assert str(release) == release.version
assert sorted(releases) == list(releases)  # releases order by version

# --------------------------------------------------------------------------- typed access

drill = ds.get("evt-2021-08-18-dushanbe-joint-ct-drill", kind=Event)
assert_type(drill, Event)
for p in drill.participants:
    actor = ds.get(p.actor, kind=Actor)
    assert_type(actor.name, str)
for c in drill.citations:
    src = ds.get(c.source, kind=Source)
    assert_type(src.published, PartialDate | None)

base = ds.get("fac-vakhon-mvd-rapid-response-base", kind=Facility)
if base.place is not None:
    assert_type(ds.get(base.place, kind=Place).name, str)
for agreement_id in base.agreements:
    assert_type(ds.get(agreement_id, kind=Agreement).title, str)

anything = ds.get("plc-vakhon")
assert_type(anything, Record)
maybe = ds.get("plc-nowhere", None)
assert_type(maybe, Record | None)
maybe_place = ds.get("plc-nowhere", None, kind=Place)
assert_type(maybe_place, Place | None)
assert_type(sinotajik.RECORD_KINDS["places"], type[Record])

# --------------------------------------------------------------------------- select and find

exercises = select(ds, where.kind("exercise") & where.actor(country="CHN"), kind=Event)
assert_type(exercises, list[Event])
everything = select(ds, where.text("border post"))
assert_type(everything, list[Record])
events_only = select(ds.events, where.date("2016", "2019"), context=ds)
assert_type(events_only, list[Event])

found = ds.find("赵克志")
assert_type(found, list[Record])
facilities = ds.find("Vakhon base", kind=Facility)
assert_type(facilities, list[Facility])
assert_type(facilities[0].status, sinotajik.FacilityStatus)

html = sinotajik.to_html(exercises, context=ds)
assert_type(html, str)

# --------------------------------------------------------------------------- the converter


@attrs.frozen
class Note:
    """A class of the user's own that embeds a record and a date."""

    event: Event
    seen: PartialDate
    tags: tuple[str, ...] = ()


conv = sinotajik.make_converter()
assert_type(conv, cattrs.Converter)
note = Note(drill, sinotajik.parse_date("2024-05"), ("mine",))
raw = conv.unstructure(note)
again = conv.structure(json.loads(json.dumps(raw)), Note)
assert_type(again, Note)
assert again == note

mine = cattrs.Converter()
sinotajik.configure_converter(mine)
assert_type(mine.structure("2016-10", PartialDate), PartialDate)

# --------------------------------------------------------------------------- your own records

my_source = Source(
    id="src-my-notes",
    publisher="Own research",
    title="Field notes",
    kind=sinotajik.SourceKind.ANALYSIS,
    reliability=sinotajik.Reliability.MEDIUM,
    reliability_note="first-hand notes",
    language="en",
)
merged = pinned.merge([my_source], on_conflict="error")
assert_type(merged, Dataset)
replaced = merged.merge([my_source], on_conflict="replace", version="2026.11.2+mine")
assert_type(replaced.version, str)

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "mine.json"
    path.write_text(json.dumps({"schema": 1, "sources": [sinotajik.to_dict(my_source)]}), encoding="utf-8")
    overlay = sinotajik.load(path=path, base=pinned)
    assert_type(overlay, Dataset)
    repinned = sinotajik.load(path=path, base="2026.11.1")
    d = sinotajik.diff(pinned, overlay)
    assert [r.id for r in d.added] == ["src-my-notes"]

evolved = attrs.evolve(pinned, events=pinned.events[:1])
assert_type(evolved, Dataset)
assert len(evolved) < len(pinned)
