"""Bad input: every broken file gives the single DataError, each problem on one line with its path.

The corpus in ``tests/corpus/`` holds small broken files, one kind of breakage each, with
the exact problems each must give; the huge ones (50 MB, 10,000-deep nesting, 1 MB strings)
are made at test time in a temporary folder. Through the command line (``sinotajik validate
FILE`` and ``--data FILE``) every one exits with code 2, one ``error:`` line per problem and no
traceback.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import sinotajik
from conftest import Runner
from sinotajik import DataError
from sinotajik import _io as io_module
from sinotajik._cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
SRC = Path(sinotajik.__file__).resolve().parent

# Every broken file in the corpus, with exactly the problems it must give, in order.
EXPECTED: dict[str, list[str]] = {
    "bad-country-code.json": ["actors[0].country: 'CN' is not an ISO 3166-1 alpha-3 code (three capital letters)"],
    "bad-id.json": [
        "events[0].id: 'Evt 2021 Drill' is not a valid id (lower-case words joined by '-', e.g. 'evt-2016-10-exercise')"
    ],
    "bad-record-with-dangling-references.json": [
        "events[0].date: '2021-02-30' is not a valid day",
        "events[0].participants[2].role: 'guest' is not one of: host, observer, organiser, participant, party, reporter, signatory, speaker, subject",
        "events[0].citations[0].source: 'src-missing' does not exist",
    ],
    "bom.json": ["starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"],
    "bool-for-number.json": ["places[0].coordinates.lat: expected a number, got a boolean"],
    "citation-without-quote.json": ["events[0].citations[0]: needs a quote or a locator"],
    "citation-wrong-type.json": [
        "events[0].citations[0].source: expected a string, got a list",
        "events[0].citations[0].quote: expected a string, got the number 7",
    ],
    "collection-null.json": ["events: expected a list, got null"],
    "collection-object.json": ["events: expected a list, got an object"],
    "dangling-citation.json": ["events[0].citations[0].source: 'src-missing' does not exist"],
    "dangling-reference.json": ["events[0].places[0]: 'plc-khorog' does not exist"],
    "date-bad-end.json": ["events[0].date: '2021-08-18/2021-08-32': '2021-08-32' is not a valid day"],
    "date-datetime.json": [
        "events[0].date: '2021-08-18T10:00:00Z' is not an EDTF date (YYYY, YYYY-MM or YYYY-MM-DD, then ~ ? %)"
    ],
    "date-empty-span.json": ["events[0].date: '../..' is a span with neither start nor end"],
    "date-feb-30.json": ["events[0].date: '2021-02-30' is not a valid day"],
    "date-month-13.json": ["events[0].date: '2021-13' is not a valid month"],
    "date-number.json": ["events[0].date: expected an EDTF date or span string, got the number 20210818"],
    "date-reversed-span.json": ["events[0].date: '2021-08-19/2021-08-18' is a reversed span: it ends before it starts"],
    "date-source-published.json": ["sources[0].published: '2021-04-31' is not a valid day"],
    "date-two-slashes.json": ["events[0].date: '2021/2022/2023' has more than one '/'"],
    "date-words.json": [
        "events[0].date: 'mid-August 2021' is not an EDTF date (YYYY, YYYY-MM or YYYY-MM-DD, then ~ ? %)"
    ],
    "date-year-0000.json": ["events[0].date: '0000' has a year outside 1..9999"],
    "duplicate-ids.json": ["actors[2].id: duplicate id 'act-chn' (also at actors[0])"],
    "empty.json": ["is empty"],
    "enum-precision.json": ["places[0].precision: 'city' is not one of: country, district, region, site, town"],
    "enum-role.json": [
        "events[0].participants[0].role: 'guest' is not one of: host, observer, organiser, participant, party, reporter, signatory, speaker, subject"
    ],
    "enum-unknown.json": [
        "events[0].kind: 'parade' is not one of: announcement, drill, exercise, meeting, military_campaign, report, security_incident, signing, statement, summit"
    ],
    "enum-wrong-case.json": [
        "events[0].kind: 'Drill' is not one of: announcement, drill, exercise, meeting, military_campaign, report, security_incident, signing, statement, summit"
    ],
    "huge-number.json": ["places[0].coordinates.lat: inf is not a finite number"],
    "invalid-json.json": ["invalid JSON at line 1, column 47: Expecting value"],
    "jsonl-bad-date.jsonl": ["line 6 (events[0].date): '2021-13' is not a valid month"],
    "jsonl-bad-line.jsonl": ["line 4: invalid JSON at line 1, column 27: Expecting value"],
    "jsonl-empty.jsonl": ["is empty"],
    "jsonl-dangling-reference.jsonl": ["line 6 (events[0].places[0]): 'plc-khorog' does not exist"],
    "jsonl-no-header.jsonl": ['line 1: the first line must be the header {"schema": 1, "version": ...}, not a record'],
    "jsonl-record-kind-list.jsonl": [
        "line 7.record: a list is not one of: actor, agreement, event, facility, place, source"
    ],
    "jsonl-record-not-object.jsonl": ["line 7: expected an object, got a list"],
    "jsonl-records-in-header.jsonl": ["line 1.events: records belong on lines of their own, not in the header"],
    "jsonl-unknown-record.jsonl": [
        "line 7.record: 'treaty' is not one of: actor, agreement, event, facility, place, source"
    ],
    "list-for-object.json": ["events[0].participants[0]: expected an object, got a list"],
    "many-problems.json": [
        "version: expected a string, got the number 5",
        "actors[0].kind: 'nation' is not one of: agency, armed_group, organisation, person, state",
        "events[0].title: expected a string, got the number 5",
        "events[0].date: '2021-02-30' is not a valid day",
        "events[0].colour: unknown field",
        "events[1].id: required field is missing",
        "events[0].places[0]: 'plc-nowhere' does not exist",
    ],
    "missing-citations.json": ["events[0].citations: needs at least one citation"],
    "missing-field.json": ["events[0].summary: required field is missing"],
    "missing-nested-field.json": ["events[0].citations[0].source: required field is missing"],
    "nan.json": ["NaN is not a valid JSON number"],
    "nested-wrong-type.json": [
        "events[0].participants[0].role: the number 5 is not one of: host, observer, organiser, participant, party, reporter, signatory, speaker, subject"
    ],
    "non-utf8.json": ["is not UTF-8 text (bad byte at offset 834)"],
    "null-in-list.json": ["events[0].places[0]: expected a string, got null"],
    "null-required.json": ["events[0].summary: expected a string, got null"],
    "number-for-string.json": ["events[0].title: expected a string, got the number 5"],
    "object-for-string.json": ["events[0].title: expected a string, got an object"],
    "parent-cycle.json": ["actors[2].parent: forms a cycle: act-a -> act-b -> act-c -> act-a"],
    "parent-self.json": ["actors[1].parent: forms a cycle: act-tjk -> act-tjk"],
    "position-reversed.json": ["actors[2].positions[0]: ends (2019) before it starts (2020)"],
    "python-tag.json": ["invalid JSON at line 1, column 1: Expecting value"],
    "python-tag.yaml": ["invalid JSON at line 1, column 1: Expecting value"],
    "record-string.json": ["events[0]: expected an object, got a string"],
    "region-with-point.json": [
        "places[0].coordinates: a region-level place has no point; give coordinates only for a site or town"
    ],
    "schema-missing.json": ["schema: required field is missing"],
    "schema-newer.json": ["schema: 2 is newer than this version of sinotajik reads (1); upgrade sinotajik"],
    "schema-string.json": ["schema: '1' is not a schema this version reads (1)"],
    "string-for-list.json": ["events[0].places: expected a list, got a string"],
    "string-for-number.json": [
        "places[0].coordinates.lat: expected a number, got a string",
        "places[0].coordinates.lon: expected a number, got a string",
    ],
    "top-level-list.json": ["expected a JSON object at the top level, got a list"],
    "top-level-null.json": ["expected a JSON object at the top level, got null"],
    "top-level-string.json": ["expected a JSON object at the top level, got a string"],
    "trailing-garbage.json": ["invalid JSON at line 89, column 1: Extra data"],
    "truncated.json": ["invalid JSON at line 45, column 26: Expecting property name enclosed in double quotes"],
    "two-documents.json": ["invalid JSON at line 88, column 2: Extra data"],
    "unknown-field.json": ["events[0].colour: unknown field"],
    "unknown-nested-field.json": ["events[0].citations[0].page: unknown field"],
    "unknown-top-level.json": ["records: unknown field"],
    "utf16.json": ["is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"],
    "version-invalid.json": ["version: '2026 november' is not a valid version label"],
    "version-missing.json": ["version: required field is missing"],
    "version-number.json": ["version: expected a string, got the number 2026.11"],
    "whitespace-only.json": ["is empty"],
    "within-cycle.json": ["places[0].within: forms a cycle: plc-dushanbe -> plc-tjk -> plc-dushanbe"],
    "wrong-id-prefix.json": ["events[0].id: 'act-2021-drill' should start with 'evt-'"],
    "wrong-kind-reference.json": ["events[0].participants[0].actor: 'plc-dushanbe' is a place, expected actors"],
    # Text that could attack a terminal, or is not Unicode text at all (issue #12).
    "text-lone-surrogate.json": [
        "events[0].title: 'Drill \\udc80' holds a lone surrogate '\\udc80', which is not Unicode text"
    ],
    "text-escape-sequence.json": [
        "events[0].title: 'Drill\\x1b]0;pwned\\x07\\x1b[2J' holds the control character '\\x1b'; "
        "it must be one line of plain text"
    ],
    "text-carriage-return.json": [
        "events[0].title: 'Drill\\rerror: forged' holds a line break '\\r'; it must be one line of plain text"
    ],
    "text-bidi-override.json": [
        "actors[0].name: 'China\\u202eevil' holds a bidirectional control '\\u202e'; it must be one line of plain text"
    ],
    "text-osc8-in-summary.json": [
        "events[0].summary: 'See \\x1b]8;;https://evil.example\\x07here\\x1b]8;;\\x07' holds the control character '\\x1b'"
    ],
    "text-newline-in-field-name.json": [
        "events[0].'title\\n': unknown field",
        "events[0].'title\\n': the field name holds a line break '\\n'",
    ],
    "duplicate-key.json": ["events[0]: the field title is given more than once"],
    # Patterns match whole values, ASCII only, as the JSON Schema does.
    "id-trailing-newline.json": [
        "actors[0].id: 'act-chn\\n' holds a line break '\\n'; it must be one line of plain text",
        "actors[0].id: 'act-chn\\n' is not a valid id (lower-case words joined by '-', e.g. 'evt-2016-10-exercise')",
        "events[0].participants[0].actor: 'act-chn' does not exist",
    ],
    "country-trailing-newline.json": [
        "actors[1].country: 'TJK\\n' holds a line break '\\n'; it must be one line of plain text",
        "actors[1].country: 'TJK\\n' is not an ISO 3166-1 alpha-3 code (three capital letters)",
    ],
    "version-trailing-newline.json": [
        "version: 'corpus\\n' holds a line break '\\n'; it must be one line of plain text",
        "version: 'corpus\\n' is not a valid version label",
    ],
    "date-trailing-newline.json": [
        "events[0].date: '2021-08-18\\n' is not an EDTF date (YYYY, YYYY-MM or YYYY-MM-DD, then ~ ? %)",
        "events[0].date: '2021-08-18\\n' holds a line break '\\n'; it must be one line of plain text",
    ],
    "date-fullwidth-digits.json": [
        "events[0].date: '\uff12\uff10\uff12\uff11-08-18' is not an EDTF date (YYYY, YYYY-MM or YYYY-MM-DD, then ~ ? %)"
    ],
    "date-empty-start.json": [
        "events[0].date: '/2021-08-19' has an empty end (unknown in EDTF, which is not recorded); "
        "write '../2021-08-19' for an open end"
    ],
    "number-too-large-for-float.json": ["places[0].coordinates.lat: a number of 401 digits is too large"],
    "number-too-many-digits.json": ["a number has too many digits (more than 4,300)"],
}

BROKEN = sorted(EXPECTED)


def _problems(path: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        sinotajik.load(path=path)
    return [str(p) for p in info.value.problems]


def test_the_corpus_is_complete() -> None:
    """Every file in tests/corpus/ is either a valid reference file or listed with its problems."""
    files = {f.name for f in CORPUS.iterdir()}
    assert files == set(EXPECTED) | {"valid.json", "valid.jsonl"}


def test_the_reference_files_are_valid() -> None:
    """The valid files the corpus is made from load, in JSON and in JSON Lines alike."""
    a = sinotajik.load(path=CORPUS / "valid.json")
    b = sinotajik.load(path=CORPUS / "valid.jsonl")
    assert a == b and len(a) == 5


@pytest.mark.parametrize("name", BROKEN)
def test_each_broken_file_gives_its_problems(name: str) -> None:
    """load(path=...) raises DataError listing exactly the expected problems, each naming its path."""
    assert _problems(CORPUS / name) == EXPECTED[name]


@pytest.mark.parametrize("name", BROKEN)
def test_problem_lines_are_one_line_each_and_name_the_file(name: str) -> None:
    """DataError.lines() gives one line per problem, prefixed with the file, and str() counts them."""
    path = CORPUS / name
    with pytest.raises(DataError) as info:
        sinotajik.load(path=path)
    err = info.value
    assert err.source == str(path)
    assert list(err.lines()) == [f"{path}: {p}" for p in EXPECTED[name]]
    assert all("\n" not in line for line in err.lines())
    n = len(EXPECTED[name])
    assert str(err).splitlines()[0] == f"{path}: {n} problem{'s' if n != 1 else ''} in the data"


def test_every_problem_is_listed_not_only_the_first() -> None:
    """A file with many problems in several records reports every one, broken references of bad records too."""
    paths = [p.split(":")[0] for p in _problems(CORPUS / "many-problems.json")]
    assert paths == [
        "version",
        "actors[0].kind",
        "events[0].title",
        "events[0].date",
        "events[0].colour",
        "events[1].id",
        "events[0].places[0]",
    ]
    # A record that cannot be built is still checked for references outside its bad fields.
    assert _problems(CORPUS / "bad-record-with-dangling-references.json")[-1] == (
        "events[0].citations[0].source: 'src-missing' does not exist"
    )


def test_parse_of_bytes_and_text_gives_the_same_error() -> None:
    """parse() of the same broken bytes, or of its text, gives the same problems as load(path=...)."""
    for name in ("date-feb-30.json", "parent-cycle.json", "unknown-field.json"):
        data = (CORPUS / name).read_bytes()
        for given in (data, data.decode()):
            with pytest.raises(DataError) as info:
                sinotajik.parse(given)
            assert [str(p) for p in info.value.problems] == EXPECTED[name]


# --------------------------------------------------------------------------- command line


# Every broken file goes through the command line in process (main() with captured streams,
# quick); a sample of each kind of breakage also goes through the installed console script in
# a subprocess, where a traceback or a wrong exit status would show.
SCRIPT_SAMPLE = [
    ("bom.json", "validate"),
    ("date-feb-30.json", "validate"),
    ("date-reversed-span.json", "data"),
    ("duplicate-ids.json", "validate"),
    ("empty.json", "data"),
    ("enum-unknown.json", "validate"),
    ("jsonl-bad-line.jsonl", "validate"),
    ("jsonl-record-kind-list.jsonl", "data"),
    ("many-problems.json", "validate"),
    ("many-problems.json", "data"),
    ("non-utf8.json", "validate"),
    ("parent-cycle.json", "data"),
    ("top-level-list.json", "validate"),
    ("truncated.json", "data"),
    ("unknown-field.json", "validate"),
    ("utf16.json", "data"),
    ("text-escape-sequence.json", "validate"),
    ("text-lone-surrogate.json", "data"),
    ("duplicate-key.json", "validate"),
]


def _argv(name: str, mode: str) -> list[str]:
    path = str(CORPUS / name)
    return ["validate", path] if mode == "validate" else ["info", "--data", path]


def _expected_stderr(path: Path, problems: list[str]) -> list[str]:
    return [f"error: {path}: {p}" for p in problems]


@pytest.mark.parametrize("mode", ["validate", "data"])
@pytest.mark.parametrize("name", BROKEN)
def test_cli_main_reports_each_broken_file(name: str, mode: str) -> None:
    """validate FILE and --data FILE return 2 with one error line per problem and print nothing else."""
    out, err = io.StringIO(), io.StringIO()
    assert main(_argv(name, mode), stdout=out, stderr=err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().splitlines() == _expected_stderr(CORPUS / name, EXPECTED[name])


@pytest.fixture(scope="session")
def script_runs(cli: Runner) -> dict[tuple[str, str], subprocess.CompletedProcess[str]]:
    """The sample run through the installed console script, a few processes at a time."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        procs = pool.map(lambda job: cli(*_argv(*job)), SCRIPT_SAMPLE)
        return dict(zip(SCRIPT_SAMPLE, procs, strict=True))


@pytest.mark.parametrize(("name", "mode"), SCRIPT_SAMPLE)
def test_console_script_reports_broken_files(
    script_runs: dict[tuple[str, str], subprocess.CompletedProcess[str]], name: str, mode: str
) -> None:
    """The installed sinotajik command exits 2 with one error line per problem, no traceback, no stdout."""
    proc = script_runs[(name, mode)]
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == _expected_stderr(CORPUS / name, EXPECTED[name])


# --------------------------------------------------------------------------- absurd sizes

MB = 1024 * 1024


def _event(i: int, **changes: Any) -> dict[str, Any]:
    ev: dict[str, Any] = json.loads((CORPUS / "valid.json").read_text())["events"][0]
    return {**ev, "id": f"evt-big-{i:04d}", **changes}


@pytest.fixture(scope="module")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The huge broken files, written once for this module and removed after it."""
    folder = tmp_path_factory.mktemp("huge")
    base = json.loads((CORPUS / "valid.json").read_text())
    files: dict[str, Path] = {}

    # 50 MB of valid records (long summaries keep the record count, and memory, modest),
    # the very last of which has an impossible date.
    summary = "joint drill " * (100_000 // 12)
    doc = dict(base, events=[_event(i, summary=summary) for i in range(499)])
    doc["events"].append(_event(499, summary=summary, date="2021-02-30"))
    files["50mb-one-bad-record"] = folder / "50mb-one-bad-record.json"
    files["50mb-one-bad-record"].write_text(json.dumps(doc))

    # 50 MB of a string that never ends.
    files["50mb-unterminated"] = folder / "50mb-unterminated.json"
    files["50mb-unterminated"].write_bytes(b'{"schema": 1, "version": "x", "events": [{"title": "' + b"a" * (50 * MB))

    # 50 MB of opening brackets, and a field nested 10,000 deep.
    files["50mb-brackets"] = folder / "50mb-brackets.json"
    files["50mb-brackets"].write_bytes(b"[" * (50 * MB))
    deep = "[" * 10_000 + "]" * 10_000
    text = json.dumps(dict(base, events=[_event(0, title="@@")])).replace('"@@"', deep)
    files["deep-10000"] = folder / "deep-10000.json"
    files["deep-10000"].write_text(text)
    # Nesting the parser accepts (300 deep) is a plain type problem.
    text = json.dumps(dict(base, events=[_event(0, title="@@")])).replace('"@@"', "[" * 300 + "]" * 300)
    files["deep-300"] = folder / "deep-300.json"
    files["deep-300"].write_text(text)

    # 1 MB strings where they are wrong: an id, a date, an enum value, a field name, a reference.
    huge = "x" * MB
    files["1mb-id"] = folder / "1mb-id.json"
    files["1mb-id"].write_text(json.dumps(dict(base, events=[_event(0, id="evt-" + huge.upper())])))
    files["1mb-date"] = folder / "1mb-date.json"
    files["1mb-date"].write_text(json.dumps(dict(base, events=[_event(0, date="2021-" + huge)])))
    files["1mb-enum"] = folder / "1mb-enum.json"
    files["1mb-enum"].write_text(json.dumps(dict(base, events=[_event(0, kind=huge)])))
    files["1mb-field-name"] = folder / "1mb-field-name.json"
    files["1mb-field-name"].write_text(json.dumps(dict(base, events=[{**_event(0), huge: 1}])))
    files["1mb-reference"] = folder / "1mb-reference.json"
    files["1mb-reference"].write_text(json.dumps(dict(base, events=[_event(0, places=["plc-" + huge])])))
    yield files
    for f in files.values():
        f.unlink()


BIG_EXPECTED = {
    "50mb-one-bad-record": ["events[499].date: '2021-02-30' is not a valid day"],
    "50mb-unterminated": ["invalid JSON at line 1, column 52: Unterminated string starting at"],
    "50mb-brackets": ["JSON is nested too deeply"],
    "deep-10000": ["JSON is nested too deeply"],
    "deep-300": ["events[0].title: expected a string, got a list"],
    "1mb-id": [
        "events[0].id: 'evt-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX…' (1,048,580 characters) is not a valid id "
        "(lower-case words joined by '-', e.g. 'evt-2016-10-exercise')"
    ],
    "1mb-date": [
        "events[0].date: '2021-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1,048,581 characters) is not an EDTF date "
        "(YYYY, YYYY-MM or YYYY-MM-DD, then ~ ? %)"
    ],
    "1mb-enum": ["events[0].kind: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1,048,576 characters) is not one of: "],
    "1mb-field-name": ["events[0].'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1,048,576 characters): unknown field"],
    "1mb-reference": [
        "events[0].places[0]: 'plc-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1,048,580 characters) does not exist"
    ],
}


@pytest.mark.parametrize("name", sorted(BIG_EXPECTED))
def test_absurd_sizes_give_short_clear_problems(big_files: dict[str, Path], name: str) -> None:
    """50 MB files, 10,000-deep nesting and 1 MB strings fail with the usual error, in short lines."""
    problems = _problems(big_files[name])
    assert len(problems) == len(BIG_EXPECTED[name])
    for got, expected in zip(problems, BIG_EXPECTED[name], strict=True):
        assert got.startswith(expected), got[:300]
        assert len(got) < 400


def test_absurd_sizes_through_the_cli(cli: Runner, big_files: dict[str, Path]) -> None:
    """The command line turns the huge files into exit 2 and a few short error lines, no traceback."""
    names = ["50mb-one-bad-record", "50mb-brackets", "deep-10000", "1mb-field-name"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        procs = list(pool.map(lambda n: cli("validate", str(big_files[n])), names))
    for name, proc in zip(names, procs, strict=True):
        assert proc.returncode == 2, (name, proc.stderr[:500])
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.splitlines()
        assert len(lines) == len(BIG_EXPECTED[name])
        assert all(line.startswith(f"error: {big_files[name]}: ") and len(line) < 600 for line in lines)


def test_a_long_valid_text_is_not_an_error(tmp_path: Path) -> None:
    """Size alone is not a problem: a 1 MB summary in an otherwise valid file loads."""
    base = json.loads((CORPUS / "valid.json").read_text())
    f = tmp_path / "long-summary.json"
    f.write_text(json.dumps(dict(base, events=[_event(0, summary="s" * MB)])))
    assert len(sinotajik.load(path=f).events[0].summary) == MB


def test_a_long_parent_chain_is_checked_in_linear_time(tmp_path: Path) -> None:
    """A 20,000-long parent chain closing on itself is reported once, its middle elided."""
    base = json.loads((CORPUS / "valid.json").read_text())
    n = 20_000
    cite = [{"source": "src-a", "quote": "q"}]
    actors = [
        {"id": f"act-{i:05d}", "kind": "agency", "name": "A", "parent": f"act-{(i + 1) % n:05d}", "citations": cite}
        for i in range(n)
    ]
    f = tmp_path / "chain.json"
    f.write_text(json.dumps(dict(base, actors=[*base["actors"], *actors], events=[])))
    problems = _problems(f)
    assert problems == [
        "actors[2].parent: forms a cycle: act-00000 -> act-00001 -> act-00002 -> act-00003 -> act-00004 -> "
        "… (19,993 more) -> act-19998 -> act-19999 -> act-00000"
    ]


# --------------------------------------------------------------------------- nothing lost, nothing unsafe


def test_interrupted_save_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that fails while writing leaves the earlier file byte for byte, and no temporary file."""
    target = tmp_path / "data.json"
    sinotajik.save(sinotajik.load(), target)
    before = target.read_bytes()

    def fail(_: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(io_module.os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        sinotajik.save(sinotajik.load(), target, format="jsonl")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["data.json"]


def test_save_replaces_by_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new bytes reach the file only through os.replace of a finished temporary file beside it."""
    target = tmp_path / "data.json"
    seen: list[tuple[str, bytes]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append((Path(src).name, Path(src).read_bytes()))
        assert Path(src).parent == target.parent
        real_replace(src, dst)

    monkeypatch.setattr(io_module.os, "replace", spy)
    sinotajik.save(sinotajik.load(), target)
    assert len(seen) == 1 and seen[0][0].startswith(".data.json.") and seen[0][1] == target.read_bytes()


def test_no_unsafe_loader_anywhere_in_the_package() -> None:
    """No module imports pickle, marshal, shelve or yaml: data is only ever read as JSON."""
    banned = {"pickle", "cPickle", "marshal", "shelve", "yaml", "dill", "jsonpickle"}
    for f in SRC.rglob("*.py"):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not names & banned, f"{f.name} imports {names & banned}"


def test_yaml_with_python_tags_is_never_executed(tmp_path: Path) -> None:
    """A YAML file with a python/object tag is refused as not JSON, whatever its suffix; nothing runs."""
    marker = tmp_path / "ran"
    payload = f"!!python/object/apply:os.system ['touch {marker}']\n"
    for suffix in (".yaml", ".yml", ".json", ".jsonl"):
        f = tmp_path / f"evil{suffix}"
        f.write_text(payload)
        with pytest.raises(DataError, match="invalid JSON"):
            sinotajik.load(path=f)
    assert not marker.exists()


# --------------------------------------------------------------------------- schema and reader agree

# One field of valid.json changed at a time: (collection, index or None for the top level, field,
# value). Each value is one the JSON Schema's patterns decide; the reader must decide the same.
_PATTERN_CASES: list[tuple[str, int | None, str, Any]] = [
    *[("events", 0, "id", v) for v in ("evt-x", "evt-x\n", "evt-X", "evt-\uff11", "evt-x-", "evt-a-b2")],
    *[("actors", 1, "country", v) for v in ("TJK", "TJK\n", "tjk", "\uff34JK", "TJ", "TJKK")],
    *[("", None, "version", v) for v in ("corpus", "corpus\n", "2026.11.0", " 2026", "2026.\uff11", "1+b")],
    *[("sources", 0, "published", v) for v in ("2021-08-18", "2021-08-18\n", "\uff12021", "2021-8-18", "2021~")],
    *[
        ("events", 0, "date", v)
        for v in ("2021-08-18/2021-08-19", "../2021", "2021/..", "/2021", "2021/", "2021/..\n", "2021-08?")
    ],
    *[
        ("events", 0, "title", v)
        for v in ("Drill", "Drill\n", "Drill\x1b[2J", "Drill\u202e", "Drill\udc80", "Drill\u2028", "Drill\t", "D\x85")
    ],
    *[("events", 0, "summary", v) for v in ("a\nb", "a\tb", "a\rb", "a\x1bb", "a\x9bb", "a\udc80", "a\u202eb")],
    *[("actors", 0, "aliases", [v]) for v in ("PRC", "P\nRC", "P\x07RC")],
]


def _mutated(collection: str, index: int | None, field: str, value: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((CORPUS / "valid.json").read_text())
    (doc if index is None else doc[collection][index])[field] = value
    return doc


def _reader_accepts(doc: Any) -> bool:
    text = json.dumps(doc, ensure_ascii=True)  # a lone surrogate travels as its JSON escape
    try:
        sinotajik.parse(text)
    except DataError:
        return False
    return True


@pytest.mark.parametrize(("collection", "index", "field", "value"), _PATTERN_CASES)
def test_reader_and_json_schema_agree_on_patterns(collection: str, index: int | None, field: str, value: Any) -> None:
    """The reader accepts a value exactly when the published JSON Schema does (ids, codes, dates, text)."""
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(sinotajik.json_schema())
    doc = _mutated(collection, index, field, value)
    assert _reader_accepts(doc) == validator.is_valid(doc), (field, value)


def test_reader_and_json_schema_agree_on_the_text_corpus() -> None:
    """Every corpus file about patterns or text is refused by the reader and by the JSON Schema alike."""
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(sinotajik.json_schema())
    # Calendar days, reversed spans and references are checked by the reader only: left out.
    names = [n for n in BROKEN if n.startswith(("text-", "id-", "country-", "version-"))]
    names += ["bad-id.json", "bad-country-code.json", "date-datetime.json", "date-empty-start.json"]
    names += ["date-fullwidth-digits.json", "date-trailing-newline.json", "date-words.json", "date-two-slashes.json"]
    for name in [*names, "valid.json"]:
        doc = json.loads((CORPUS / name).read_text())
        assert _reader_accepts(doc) == validator.is_valid(doc) == (name == "valid.json"), name


# --------------------------------------------------------------------------- a size limit


def test_max_bytes_refuses_a_larger_file_before_reading_it_all(tmp_path: Path) -> None:
    """load(path, max_bytes=...) and parse(max_bytes=...) refuse larger input with one problem; smaller loads."""
    valid = CORPUS / "valid.json"
    size = valid.stat().st_size
    assert len(sinotajik.load(path=valid, max_bytes=size)) == 5
    with pytest.raises(DataError) as info:
        sinotajik.load(path=valid, max_bytes=size - 1)
    assert info.value.lines() == [f"{valid}: is larger than the limit of {size - 1:,} bytes"]
    with pytest.raises(DataError, match="is larger than the limit of 10 bytes"):
        sinotajik.parse(valid.read_bytes(), max_bytes=10)
    # A FIFO has no size to look at: reading stops one byte past the limit.
    fifo = tmp_path / "big.json"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as fh, contextlib.suppress(BrokenPipeError):
            fh.write(b" " * (4 * MB))

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with pytest.raises(DataError, match="is larger than the limit of 1,024 bytes"):
        sinotajik.load(path=fifo, max_bytes=1024)
    writer.join(timeout=60)


def test_max_bytes_on_the_command_line(cli: Runner) -> None:
    """--max-bytes 1K on validate and --data refuses the file with one line, exit 2; a bad size is a usage error."""
    valid = str(CORPUS / "valid.json")
    for argv in (["validate", valid, "--max-bytes", "1K"], ["info", "--data", valid, "--max-bytes", "1024"]):
        proc = cli(*argv)
        assert proc.returncode == 2
        assert proc.stderr == f"error: {valid}: is larger than the limit of 1,024 bytes\n"
    assert cli("validate", valid, "--max-bytes", "1M").returncode == 0
    proc = cli("validate", valid, "--max-bytes", "ten")
    assert proc.returncode == 2 and "'ten' is not a size" in proc.stderr
