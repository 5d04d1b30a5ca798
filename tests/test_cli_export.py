"""The export and schema commands, end to end through the installed console script."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import frictionless
import geojson_validator
import pytest

import sinotajik
from conftest import Runner
from sinotajik._cli import main


def _assert_clean_failure(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_export_json_to_stdout_is_the_canonical_document(cli: Runner) -> None:
    """export --format json prints exactly the canonical JSON of the latest release."""
    proc = cli("export", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.encode("utf-8") == sinotajik.dumps(sinotajik.load())


def test_export_jsonl_of_a_pinned_release_to_a_file(cli: Runner, tmp_path: Path) -> None:
    """export --format jsonl --release V --output F writes that release as JSON Lines."""
    out = tmp_path / "data.jsonl"
    proc = cli("export", "--format", "jsonl", "--release", "2026.11.0", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"wrote 9 records of dataset 2026.11.0 as jsonl to {out}\n"
    assert out.read_bytes() == sinotajik.dumps(sinotajik.load("2026.11.0"), format="jsonl")


def test_export_of_a_data_file(cli: Runner, tmp_path: Path) -> None:
    """export --data FILE exports the user's own dataset."""
    src = tmp_path / "mine.json"
    ds = sinotajik.load("2026.11.0")
    sinotajik.save(ds, src)
    proc = cli("export", "--format", "csv", "--data", str(src), "--output", str(tmp_path / "t"))
    assert proc.returncode == 0, proc.stderr
    assert sinotajik.read_csv(tmp_path / "t") == ds


def test_export_csv_folder_reads_back(cli: Runner, tmp_path: Path) -> None:
    """export --format csv writes the tables, says where, and they read back as the release."""
    proc = cli("export", "--format", "csv", "--output", str(tmp_path / "t"))
    assert proc.returncode == 0, proc.stderr
    ds = sinotajik.load()
    assert proc.stdout == f"wrote {len(ds)} records of dataset {ds.version} as csv to {tmp_path / 't'}\n"
    assert sinotajik.read_csv(tmp_path / "t") == ds
    proc = cli("export", "--format", "csv", "--bom", "--output", str(tmp_path / "t"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "t" / "events.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_datapackage_passes_frictionless(cli: Runner, tmp_path: Path) -> None:
    """export --format datapackage writes a package that frictionless validates."""
    proc = cli("export", "--format", "datapackage", "--output", str(tmp_path / "dp"))
    assert proc.returncode == 0, proc.stderr
    report = frictionless.validate(str(tmp_path / "dp" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]


def test_export_geojson_to_stdout_is_valid(cli: Runner) -> None:
    """export --format geojson prints a FeatureCollection that passes the GeoJSON validator."""
    proc = cli("export", "--format", "geojson")
    assert proc.returncode == 0, proc.stderr
    fc = json.loads(proc.stdout)
    assert fc == sinotajik.to_geojson(sinotajik.load())
    assert geojson_validator.validate_structure(fc, check_crs=True) == {}


def test_export_timelinejs_and_html_use_the_renderers(cli: Runner, tmp_path: Path) -> None:
    """timelinejs and html are the renderers' output, with --title passed on."""
    from sinotajik._render import to_html, to_timelinejs

    ds = sinotajik.load()
    proc = cli("export", "--format", "timelinejs", "--title", "Drills")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == to_timelinejs(ds, title="Drills")
    page = tmp_path / "t.html"
    proc = cli("export", "--format", "html", "--title", "Drills", "-o", str(page))
    assert proc.returncode == 0, proc.stderr
    assert page.read_text(encoding="utf-8") == to_html(ds, title="Drills")


def test_export_parquet_folder(cli: Runner, tmp_path: Path) -> None:
    """export --format parquet writes Parquet tables that pyarrow reads."""
    import pyarrow.parquet as pq

    proc = cli("export", "--format", "parquet", "--output", str(tmp_path / "pq"))
    assert proc.returncode == 0, proc.stderr
    assert pq.read_table(tmp_path / "pq" / "events.parquet").num_rows == len(sinotajik.load().events)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "csv"), "--format csv writes a folder of files: give --output FOLDER"),
        (("--format", "datapackage", "-o", ""), "--format datapackage writes a folder of files"),
        (("--format", "json", "--actor", "act-nope"), "--actor: no actor 'act-nope'"),
        (("--format", "json", "--from", "2021", "--to", "2020"), "--from 2021 is after --to 2020"),
        (("--format", "json", "--bom"), "--bom applies to --format csv only"),
        (("--format", "csv", "--title", "x", "-o", "x"), "--title applies to --format html and timelinejs only"),
        (("--format", "xml"), "invalid choice: 'xml'"),
    ],
)
def test_export_bad_arguments_exit_2_in_one_line(cli: Runner, args: tuple[str, ...], message: str) -> None:
    """Bad export arguments exit 2 with one line saying what is wrong."""
    proc = cli("export", *args)
    _assert_clean_failure(proc)
    assert message in proc.stderr


def test_export_refuses_a_folder_with_other_files(cli: Runner, tmp_path: Path) -> None:
    """export into a folder holding files of the user's exits 2 and leaves them alone."""
    (tmp_path / "notes.txt").write_text("mine")
    proc = cli("export", "--format", "csv", "--output", str(tmp_path))
    _assert_clean_failure(proc)
    assert "holds files no export writes (notes.txt)" in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_export_to_a_missing_folder_exits_2(cli: Runner, tmp_path: Path) -> None:
    """A file output whose folder does not exist is a one-line error, exit 2."""
    proc = cli("export", "--format", "json", "--output", str(tmp_path / "no" / "such" / "file.json"))
    _assert_clean_failure(proc)
    assert "does not exist" in proc.stderr


def test_missing_extra_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without pyarrow, export --format parquet exits 2 naming the extra to install."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    out, err = io.StringIO(), io.StringIO()
    code = main(["export", "--format", "parquet", "--output", str(tmp_path / "pq")], stdout=out, stderr=err)
    assert code == 2
    assert err.getvalue() == ("sinotajik export: write_parquet() needs pyarrow: pip install 'sinotajik[arrow]'\n")
    assert not (tmp_path / "pq").exists()


def test_filters_export_the_selection_with_what_it_refers_to(cli: Runner) -> None:
    """With filters, json holds the selected records and everything they refer to: a valid dataset."""
    proc = cli("export", "--format", "json", "--kind", "drill", "--release", "2026.11.0")
    assert proc.returncode == 0, proc.stderr
    ds = sinotajik.parse(proc.stdout)
    assert ds.version == "2026.11.0+selection"
    full = sinotajik.load("2026.11.0")
    assert sorted(r.id for r in ds) == sorted(r.id for r in full if r.id != "act-zhao-kezhi")
    assert ds.events == full.events


def test_filtered_datapackage_passes_frictionless(cli: Runner, tmp_path: Path) -> None:
    """A filtered data package keeps its foreign keys whole, so it still validates."""
    proc = cli("export", "--format", "datapackage", "--kind", "exercise,drill", "--output", str(tmp_path / "dp"))
    assert proc.returncode == 0, proc.stderr
    report = frictionless.validate(str(tmp_path / "dp" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
    chosen = sinotajik.select(sinotajik.load(), sinotajik.where.kind("exercise", "drill"))
    assert chosen
    assert [e.id for e in sinotajik.read_csv(tmp_path / "dp").events] == sorted(e.id for e in chosen)


def test_filtered_geojson_and_timeline_hold_only_the_selection(cli: Runner) -> None:
    """geojson has features of the selected records only; timelinejs matches the timeline command."""
    fc = json.loads(cli("export", "--format", "geojson", "--kind", "drill").stdout)
    assert fc["features"] and {f["properties"]["kind"] for f in fc["features"]} == {"drill"}
    args = ("--format", "timelinejs", "--kind", "drill", "--from", "2019")
    proc = cli("export", *args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == cli("timeline", *args).stdout


def test_schema_prints_the_json_schema(cli: Runner, tmp_path: Path) -> None:
    """schema prints the JSON Schema; --output writes the same to a file."""
    proc = cli("schema")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == sinotajik.json_schema()
    out = tmp_path / "s.json"
    assert cli("schema", "--output", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == proc.stdout


def test_help_has_examples(cli: Runner) -> None:
    """--help of export and schema shows an example."""
    for cmd in ("export", "schema"):
        proc = cli(cmd, "--help")
        assert proc.returncode == 0
        assert "Example: sinotajik" in proc.stdout
