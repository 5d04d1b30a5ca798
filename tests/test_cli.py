"""The command line, end to end through the installed console script."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import sinotajik
from conftest import Runner
from sinotajik._cli import main


def _assert_clean_failure(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip(), "an error must say what is wrong"


def test_version_flag(cli: Runner) -> None:
    """--version prints the code's version."""
    proc = cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"sinotajik {sinotajik.__version__}"


def test_python_dash_m(cli: Runner) -> None:
    """python -m sinotajik is the same command."""
    proc = subprocess.run(
        [sys.executable, "-m", "sinotajik", "info", "--format", "json"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["version"] == sinotajik.latest_version()


def test_info_shows_version_counts_checksum(cli: Runner) -> None:
    """info reports the dataset version, record counts and checksum of the latest release."""
    ds = sinotajik.load()
    proc = cli("info")
    assert proc.returncode == 0
    assert f"dataset version  {ds.version}" in proc.stdout
    assert f"sha256           {ds.sha256}" in proc.stdout
    assert f"events         {len(ds.events)}" in proc.stdout
    data = json.loads(cli("info", "--format", "json").stdout)
    assert data == {"version": ds.version, "sha256": ds.sha256, "records": ds.counts(), "total": len(ds)}


def test_info_pinned_version(cli: Runner) -> None:
    """info --release V describes exactly that release."""
    first = sinotajik.versions()[0]
    data = json.loads(cli("info", "--release", first.version, "--format", "json").stdout)
    assert (data["version"], data["sha256"]) == (first.version, first.sha256)


def test_timeline_is_in_date_order(cli: Runner) -> None:
    """timeline --format json lists every dated entry in honest-date order."""
    proc = cli("timeline", "--format", "json")
    assert proc.returncode == 0
    rows = json.loads(proc.stdout)
    expected = sinotajik.timeline(sinotajik.load())
    assert [r["record"] for r in rows] == [e.record for e in expected]
    dates = [sinotajik.parse_when(r["date"]) for r in rows]
    assert dates == sorted(dates)
    text = cli("timeline").stdout
    assert all(r["record"] in text for r in rows)


def test_validate_good_file(cli: Runner, tmp_path: Path) -> None:
    """validate accepts a valid file and says how many records it holds."""
    f = tmp_path / "ok.json"
    sinotajik.save(sinotajik.load(), f)
    proc = cli("validate", str(f))
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"{f}: valid ({len(sinotajik.load())} records")


def test_validate_bad_file_lists_every_problem(cli: Runner, tmp_path: Path) -> None:
    """validate exits 2 with one line per problem, each naming the file and path, no traceback."""
    doc = json.loads(sinotajik.dumps(sinotajik.load()))
    doc["events"][0]["date"] = "2021-02-30"
    doc["events"][0]["title"] = 5
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(doc))
    proc = cli("validate", str(f))
    _assert_clean_failure(proc)
    lines = proc.stderr.strip().splitlines()
    assert f"error: {f}: events[0].date: '2021-02-30' is not a valid day" in lines
    assert f"error: {f}: events[0].title: expected a string, got the number 5" in lines
    assert len(lines) == 2


def test_validate_missing_file(cli: Runner, tmp_path: Path) -> None:
    """A file that does not exist is one clear line and exit 2."""
    proc = cli("validate", str(tmp_path / "nope.json"))
    _assert_clean_failure(proc)
    assert "nope.json" in proc.stderr and "No such file" in proc.stderr


def test_unknown_version_and_bad_usage(cli: Runner) -> None:
    """An unknown release or an unknown command exits 2 with one line."""
    proc = cli("info", "--release", "1999.1.0")
    _assert_clean_failure(proc)
    assert "no bundled release '1999.1.0'" in proc.stderr
    proc = cli("frobnicate")
    _assert_clean_failure(proc)
    assert len(proc.stderr.strip().splitlines()) == 1


def test_versions_lists_releases(cli: Runner) -> None:
    """versions lists every bundled release with its checksum, marking the latest."""
    data = json.loads(cli("versions", "--format", "json").stdout)
    assert [d["version"] for d in data] == [r.version for r in sinotajik.versions()]
    assert [d["latest"] for d in data].count(True) == 1


def test_every_command_has_help_with_an_example(cli: Runner) -> None:
    """--help works for each command and shows an example."""
    for cmd in ("info", "validate", "timeline", "versions"):
        proc = cli(cmd, "--help")
        assert proc.returncode == 0
        assert "Example: sinotajik" in proc.stdout


# --------------------------------------------------------------------------- terminal safety


def _bidi_dataset(tmp_path: Path) -> Path:
    """A valid dataset whose event summary holds a right-to-left override and an isolate.

    Multi-line text may hold bidirectional controls (they are refused in one-line fields),
    so this is the strongest text a loaded dataset can put before a terminal.
    """
    doc = json.loads((Path(__file__).parent / "corpus" / "valid.json").read_text())
    doc["events"][0]["summary"] = "Police held a drill.\u202e)lanif( \u2066x\u2069"
    f = tmp_path / "bidi.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return f


def test_show_and_export_escape_bidi_controls_for_the_terminal(cli: Runner, tmp_path: Path) -> None:
    """show prints bidi controls as visible escapes; JSON to a terminal as JSON escapes, to a pipe exactly."""
    data = _bidi_dataset(tmp_path)
    proc = cli("show", "evt-2021-08-18-drill", "--data", str(data))
    assert proc.returncode == 0, proc.stderr
    assert "\u202e" not in proc.stdout and "\u2066" not in proc.stdout
    assert "Police held a drill.\\u202e)lanif( \\u2066x\\u2069" in proc.stdout
    # JSON to a pipe keeps its exact bytes: the canonical file, byte for byte.
    proc = cli("export", "--data", str(data), "--format", "json")
    assert proc.stdout.encode() == sinotajik.dumps(sinotajik.load(path=data))
    # JSON to a terminal carries the same characters as JSON escapes.

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    assert main(["show", "evt-2021-08-18-drill", "--data", str(data), "--format", "json"], stdout=out) == 0
    assert "\u202e" not in out.getvalue() and "\\u202e" in out.getvalue()
    assert json.loads(out.getvalue())["record"]["summary"].endswith("\u202e)lanif( \u2066x\u2069")


def test_a_file_name_with_escape_sequences_is_shown_escaped(cli: Runner, tmp_path: Path) -> None:
    """validate of a file whose name holds ESC and CR prints the name escaped, on one line."""
    src = Path(__file__).parent / "corpus" / "valid.json"
    evil = tmp_path / "x\x1b]0;owned\x07\rerror: forged.json"
    evil.write_bytes(src.read_bytes())
    proc = cli("validate", str(evil))
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\r" not in proc.stdout and "\x07" not in proc.stdout
    assert proc.stdout.count("\n") == 1
    assert "x\\x1b]0;owned\\x07\\x0derror: forged.json: valid" in proc.stdout
    evil.write_text("{", encoding="utf-8")
    proc = cli("validate", str(evil))
    assert proc.returncode == 2
    assert "\x1b" not in proc.stderr and "\r" not in proc.stderr and proc.stderr.count("\n") == 1


def test_records_built_in_memory_are_escaped_in_every_text_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records that never passed the reader (built in code) still print escaped in list, show, timeline, diff."""
    from sinotajik import _cli
    from sinotajik._cli import diff as _cli_diff
    from sinotajik._cli import query as _cli_query

    ds = sinotajik.load()
    ev = ds.events[0]
    bad = attrs.evolve(ev, title="T\x1b[2J\x1b]8;;https://evil.example\x07link\x9b31m\r\u202eX")
    evil = sinotajik.Dataset.from_records([bad if r is ev else r for r in ds], version="evil")
    monkeypatch.setattr(_cli_query, "dataset_from_args", lambda args: evil)
    monkeypatch.setattr(_cli, "dataset_from_args", lambda args: evil)  # a timeline without filters
    monkeypatch.setattr(_cli, "load", lambda *a, **k: evil)
    monkeypatch.setattr(_cli_diff, "load_side", lambda spec, base=None: evil if spec == "new" else ds)
    runs = [
        ["list", "events"],
        ["show", ev.id],
        ["timeline"],
        ["timeline", "--format", "markdown"],
        ["diff", "old", "new"],
    ]
    for argv in runs:
        out, err = io.StringIO(), io.StringIO()
        assert _cli.main(argv, stdout=out, stderr=err) == 0, (argv, err.getvalue())
        text = out.getvalue()
        for c in "\x1b\x07\x9b\r\u202e":
            assert c not in text, (argv, c)
        assert "T\\x1b" in text and "\\x07" in text, argv  # shown, escaped (list shortens the rest)


def test_every_command_is_mapped_to_the_module_that_adds_it() -> None:
    """The lazy command table names each sub-command's module, so a command imports only what it uses."""
    import argparse

    from sinotajik import _cli

    parser = _cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    mapped = set(_cli._OWN_COMMANDS).union(*_cli._MODULE_COMMANDS.values())
    assert set(sub.choices) == mapped
    assert set(_cli._MODULE_COMMANDS) == set(_cli._COMMAND_MODULES)
    # Asking for one command builds only its own sub-parser (plus the shared ones).
    only = next(a for a in _cli.build_parser("search")._actions if isinstance(a, argparse._SubParsersAction))
    assert "search" in only.choices and "chart" not in only.choices and "export" not in only.choices


def test_a_timeline_without_filters_does_not_import_the_query_subpackage() -> None:
    """`sinotajik timeline` alone leaves the query machinery unimported; a filter flag (a window) brings it in."""
    code = (
        "import io, sys\n"
        "from sinotajik._cli import main\n"
        "assert main(sys.argv[1:], stdout=io.StringIO()) == 0\n"
        "print('sinotajik._query' in sys.modules)\n"
    )
    plain = subprocess.run([sys.executable, "-c", code, "timeline"], capture_output=True, text=True, check=True)
    dated = subprocess.run(
        [sys.executable, "-c", code, "timeline", "--from", "2020"], capture_output=True, text=True, check=True
    )
    assert plain.stdout.strip() == "False"
    assert dated.stdout.strip() == "True"


def test_a_timeline_without_filters_is_the_one_the_query_path_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut for no filters prints exactly what selecting every record prints, in every format."""
    from sinotajik._cli import filterargs

    for fmt in ("text", "markdown", "json"):
        quick, full = io.StringIO(), io.StringIO()
        assert _main_quiet(["timeline", "--format", fmt], quick) == 0
        with monkeypatch.context() as m:
            m.setattr(filterargs, "filters_given", lambda args: True)
            assert _main_quiet(["timeline", "--format", fmt], full) == 0
        assert quick.getvalue() == full.getvalue() and quick.getvalue(), fmt


def test_filters_given_sees_every_filter_flag() -> None:
    """Each flag of add_filter_args, alone, counts as a filter; none given counts as none."""
    import argparse

    from sinotajik._cli.filterargs import add_filter_args, filters_given

    p = argparse.ArgumentParser()
    add_filter_args(p)
    examples = {
        "--kind": ["exercise"],
        "--actor": ["act-chn"],
        "--subordinates": [],
        "--role": ["host"],
        "--country": ["CHN"],
        "--place": ["plc-x"],
        "--from": ["2020"],
        "--to": ["2021"],
        "--certain": [],
        "--tag": ["t"],
        "--confidence": ["high"],
        "--source": ["src-x"],
        "--text": ["border"],
        "--contested": [],
        "--as-of": ["2020-01-01"],
    }
    assert not filters_given(p.parse_args([]))
    assert len(p.parse_args([]).filter_dests) == len(examples)
    for flag, values in examples.items():
        assert filters_given(p.parse_args([flag, *values])), flag


def _main_quiet(argv: list[str], out: io.StringIO) -> int:
    from sinotajik import _cli

    return _cli.main(argv, stdout=out, stderr=io.StringIO())
