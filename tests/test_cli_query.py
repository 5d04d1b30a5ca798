"""The list and show commands and the shared filter flags, through the installed console script."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import sinotajik
from conftest import Runner
from sinotajik import Event, Facility, select, where

REAL = "2026.11.1"  # a published, immutable release: hand-checked answers stay true
DRILL = "evt-2021-08-18-dushanbe-joint-ct-drill"


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


def _bad(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    assert proc.stdout == ""
    return lines[0]


def test_list_json_is_the_records_in_dataset_order(cli: Runner) -> None:
    """list events --format json gives every event's wire form, by id."""
    ds = sinotajik.load(REAL)
    rows = json.loads(_ok(cli("list", "events", "--release", REAL, "--format", "json")))
    assert rows == [json.loads(json.dumps(sinotajik.to_dict(e))) for e in ds.events]


def test_list_text_has_one_line_per_record(cli: Runner) -> None:
    """The text listing starts each line with the id and shows the date label and title."""
    ds = sinotajik.load(REAL)
    lines = _ok(cli("list", "events", "--release", REAL)).splitlines()
    assert [line.split()[0] for line in lines] == [e.id for e in ds.events]
    drill = next(line for line in lines if line.startswith(DRILL))
    assert "18–19 Aug 2021" in drill and "drill" in drill
    actors = _ok(cli("list", "actor", "--release", REAL, "--country", "CHN")).splitlines()
    assert any(line.startswith("act-chn-mps ") and "agency" in line and "CHN" in line for line in actors)


def test_filter_flags_match_the_library(cli: Runner) -> None:
    """--country, --from/--to, --kind, --actor, --role, --tag and --contested select what select() does."""
    ds = sinotajik.load(REAL)

    def listed(*flags: str) -> list[str]:
        out = _ok(cli("list", "events", "--release", REAL, "--format", "json", *flags))
        return [r["id"] for r in json.loads(out)]

    def lib(f: sinotajik.Filter) -> list[str]:
        return [e.id for e in select(ds, f, kind=Event)]

    china = where.actor(country="CHN") | where.place(country="CHN")
    assert listed("--country", "CHN", "--from", "2016", "--to", "2016") == lib(china & where.date("2016", "2016"))
    assert listed("--kind", "exercise,drill") == lib(where.kind("exercise", "drill"))
    assert listed("--kind", "exercise", "--kind", "drill") == lib(where.kind("exercise", "drill"))
    assert DRILL in listed("--actor", "act-chn", "--subordinates")
    assert DRILL not in listed("--actor", "act-chn")
    assert listed("--actor", "act-tjk", "--role", "host") == lib(where.actor("act-tjk", role="host"))
    assert listed("--tag", "police", "--contested") == lib(where.tag("police") & where.contested())
    toner = "evt-2016-08-04-toner-comment-on-qccm"  # dated '2016-08-04?'
    assert toner in listed("--from", "2016-08", "--to", "2016-08")
    assert toner not in listed("--from", "2016-08", "--to", "2016-08", "--certain")
    assert listed("--place", "plc-gorno-badakhshan") == [
        "evt-2016-10-ishkashim-joint-exercise",
        "evt-2019-08-07-cooperation-2019-gbao-exercise",
    ]


def test_list_as_of_and_sort(cli: Runner) -> None:
    """--as-of lists only what was published by then; --sort date orders by earliest date."""
    ds = sinotajik.load(REAL)
    rows = json.loads(_ok(cli("list", "events", "--release", REAL, "--as-of", "2017-01-01", "--format", "json")))
    assert [r["id"] for r in rows] == [e.id for e in ds.as_of("2017-01-01").events]
    assert "evt-2017-08-27-dushanbe-qccm-second-high-level-meeting" not in {r["id"] for r in rows}
    lines = _ok(cli("list", "facilities", "--release", REAL, "--sort", "date")).splitlines()
    assert [line.split()[0] for line in lines] == [
        "fac-murghob-shaymak-outpost",  # operational ~2016
        "fac-tjk-afghan-border-posts-2016-programme",  # planned 26 Sep 2016
        "fac-vakhon-mvd-rapid-response-base",  # planned ~Oct 2021
        "fac-tjk-afghan-border-facilities-2026-programme",  # agreed Mar 2026
    ]


def test_list_reads_a_data_file(cli: Runner, tmp_path: Path) -> None:
    """--data FILE lists the records of a dataset file instead of a bundled release."""
    ds = sinotajik.load("2026.11.0")
    f = tmp_path / "mine.json"
    sinotajik.save(ds, f)
    rows = json.loads(_ok(cli("list", "places", "--data", str(f), "--format", "json")))
    assert [r["id"] for r in rows] == ["plc-dushanbe"]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["list", "events", "--from", "2021-13"], ["--from", "'2021-13' is not a valid month"]),
        (["list", "events", "--to", "2021~"], ["--to", "must be an exact date"]),
        (["list", "events", "--from", "2020", "--to", "2019"], ["--from 2020 is after --to 2019"]),
        (["list", "events", "--country", "CN"], ["'CN' is not an ISO 3166-1 alpha-3 code"]),
        (["list", "events", "--role", "boss"], ["unknown role 'boss'"]),
        (["list", "events", "--kind", "exercize"], ["unknown kind 'exercize'"]),
        (["list", "facilities", "--kind", "exercise"], ["--kind exercise: not a kind of facility"]),
        (["list", "events", "--confidence", "sure"], ["--confidence", "invalid choice"]),
        (["list", "events", "--actor", "act-chn-mpz"], ["no actor 'act-chn-mpz'", "did you mean 'act-chn-mps'"]),
        (["list", "events", "--place", "act-chn"], ["'act-chn' is an actor, not a place"]),
        (["list", "events", "--subordinates"], ["--subordinates needs --actor"]),
        (["list", "events", "--certain"], ["--certain needs --from or --to"]),
        (["list", "widgets"], ["unknown record kind 'widgets'"]),
        (["list", "events", "--as-of", "2019-02-30"], ["'2019-02-30' is not a valid day"]),
        (["show", "evt-nope"], ["no record 'evt-nope'"]),
        (["timeline", "--from", "nonsense"], ["--from", "is not an EDTF date"]),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli: Runner, args: list[str], needles: list[str]) -> None:
    """Each bad flag value or id gives exit 2 and one clear line on stderr, no traceback."""
    _bad(cli(*args, "--release", REAL), *needles)


def test_show_text_has_record_claims_and_quoted_sources(cli: Runner) -> None:
    """show prints the record's fields, its claims, and each cited source with its quotes."""
    ds = sinotajik.load(REAL)
    rec = ds.get(DRILL)
    assert isinstance(rec, Event)
    out = _ok(cli("show", DRILL, "--release", REAL))
    assert out.startswith(f"{DRILL} — event (drill)\n{rec.title}\n")
    assert "18–19 Aug 2021" in out
    assert "act-chn-mps (Ministry of Public Security of the People's Republic of China) — organiser" in out
    assert f"Claims ({len(rec.claims)})" in out
    for claim in rec.claims:
        assert claim.statement in out
    cited = {c.source for c in rec.citations}
    for sid in cited:
        src = ds.get(sid)
        assert f"  {sid}\n" in out and src.title in out
    assert all(f'"{c.quote}"' in out for c in rec.citations if c.quote)


def test_show_json_for_scripts(cli: Runner) -> None:
    """show --format json has the record, its claims and every cited source with its citations."""
    ds = sinotajik.load(REAL)
    rec = ds.get(DRILL)
    data = json.loads(_ok(cli("show", DRILL, "--release", REAL, "--format", "json")))
    assert data["id"] == DRILL and data["kind"] == "event" and data["dataset"] == REAL
    assert data["record"] == json.loads(json.dumps(sinotajik.to_dict(rec)))
    assert [c["statement"] for c in data["claims"]] == [c.statement for c in rec.claims]
    assert {c["record"] for c in data["claims"]} == {DRILL}
    by_source = {s["id"]: s for s in data["sources"]}
    assert {c.source for c in rec.citations} <= set(by_source)
    first = rec.citations[0]
    assert {"path": "citations[0]", "quote": first.quote, "supports": first.supports} in [
        {k: c.get(k) for k in ("path", "quote", "supports")} for c in by_source[first.source]["citations"]
    ]
    assert by_source[first.source]["source"]["id"] == first.source


def test_show_relations(cli: Runner) -> None:
    """show lists an agreement's events and facilities, an actor's history, a facility's event claims."""
    ds = sinotajik.load(REAL)

    def related(rid: str) -> dict[str, list[str]]:
        return json.loads(_ok(cli("show", rid, "--release", REAL, "--format", "json")))["related"]

    agr = related("agr-2016-10-chn-tjk-border-posts-construction")
    assert agr["facilities"] == ["fac-murghob-shaymak-outpost", "fac-tjk-afghan-border-posts-2016-programme"]
    assert agr["events"] == [
        e.id for e in sinotajik.agreement_events(ds, "agr-2016-10-chn-tjk-border-posts-construction")
    ]
    actor = related("act-chn-mps")
    assert actor["history"] == [r.id for r in sinotajik.actor_history(ds, "act-chn-mps")]
    fac = json.loads(_ok(cli("show", "fac-murghob-shaymak-outpost", "--release", REAL, "--format", "json")))
    assert fac["claims"][-1]["record"] == "evt-2021-07-27-rahmon-wei-fenghe-dushanbe"
    facility = ds.get("fac-murghob-shaymak-outpost")
    assert isinstance(facility, Facility)
    assert len(fac["claims"]) == len(facility.claims) + 1
    assert "evt-2021-07-27-rahmon-wei-fenghe-dushanbe" in fac["related"]["events"]


def test_show_as_of(cli: Runner) -> None:
    """show --as-of gives the record as then known, or says plainly that it was not yet known."""
    fac = "fac-murghob-shaymak-outpost"
    data = json.loads(_ok(cli("show", fac, "--release", REAL, "--as-of", "2020-01-01", "--format", "json")))
    assert data["dataset"] == f"{REAL}+as-of-2020-01-01"
    assert not [c for c in data["claims"] if c["stance"] == "denies"]
    line = _bad(cli("show", fac, "--release", REAL, "--as-of", "2019-02-17"))
    assert f"'{fac}' is not known as of 2019-02-17" in line


def test_timeline_takes_the_filter_flags(cli: Runner) -> None:
    """timeline --country/--from/--to keeps only matching records' entries inside the window."""
    rows = json.loads(
        _ok(
            cli("timeline", "--release", REAL, "--country", "CHN", "--from", "2021", "--to", "2021", "--format", "json")
        )
    )
    assert rows and all(r["date"].startswith("2021") for r in rows)
    assert DRILL in {r["record"] for r in rows}
    everything = json.loads(_ok(cli("timeline", "--release", REAL, "--format", "json")))
    assert len(rows) < len(everything)
    # An agreement in the window keeps only its steps in the window.
    qccm = [
        r["milestone"]
        for r in json.loads(
            _ok(
                cli(
                    "timeline",
                    "--release",
                    REAL,
                    "--from",
                    "2017",
                    "--to",
                    "2017",
                    "--kind",
                    "agreement",
                    "--format",
                    "json",
                )
            )
        )
        if r["record"] == "agr-2016-08-03-qccm"
    ]
    assert qccm == ["signed"]
    as_of = json.loads(_ok(cli("timeline", "--release", REAL, "--as-of", "2017-01-01", "--format", "json")))
    assert "evt-2017-08-27-dushanbe-qccm-second-high-level-meeting" not in {r["record"] for r in as_of}


def test_list_and_show_have_help_with_an_example(cli: Runner) -> None:
    """--help works for list and show and shows an example and the filter flags."""
    for cmd in ("list", "show"):
        out = _ok(cli(cmd, "--help"))
        assert "Example: sinotajik " in out
    assert "--as-of" in _ok(cli("list", "--help")) and "--country" in _ok(cli("timeline", "--help"))
