"""The ``export`` and ``schema`` commands: the dataset in the formats other tools read.

``export --format F`` writes one of:

============  ======  ==============================================================
format        writes  what
============  ======  ==============================================================
json          file    the canonical JSON document (``sinotajik.dumps``)
jsonl         file    the same as JSON Lines: a header, then one record a line
geojson       file    a GeoJSON FeatureCollection of located records (RFC 7946)
timelinejs    file    TimelineJS3 JSON
html          file    a self-contained HTML timeline page
graphml       file    the actor network: actors linked by shared events and agreements
csv           folder  one CSV table per record kind and list field, plus citations
datapackage   folder  the CSV tables and a Frictionless ``datapackage.json``
parquet       folder  the same tables as Parquet (needs ``sinotajik[arrow]``)
sqlite        file    a SQLite database with keys, indexes and full-text search, and
                      its Datasette ``<name>.metadata.json`` beside it
============  ======  ==============================================================

A file format goes to standard output unless ``--output PATH`` is given; a folder format
and sqlite need ``--output``. Everything is written atomically. ``schema`` prints the JSON Schema of
the canonical JSON format.

The filter flags of ``list`` (``--kind``, ``--actor``, ``--from``... see
the ``query`` module of the command line) select records. The data formats (json, jsonl, csv,
datapackage, parquet) then hold the selection plus every record it refers to, so that the
export is a valid dataset on its own, versioned ``<version>+selection``; geojson holds the
selected records' features, and timelinejs and html their timeline entries.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from .._dataset import Dataset
from .._export.arrow import write_parquet
from .._export.csvfiles import write_csv
from .._export.datapackage import json_bytes, write_datapackage
from .._export.geojson import to_geojson
from .._export.records import dumps_records, with_references
from .._export.schema import json_schema
from .._model import Record
from .._timeline import timeline
from .common import EXIT_OK, UsageError, add_data_args, add_format, write_output
from .filterargs import add_filter_args
from .query import filters_from_args, select_from_args, window_from_args

__all__ = ["DATABASE_FORMATS", "FILE_FORMATS", "FOLDER_FORMATS", "register"]

FILE_FORMATS = ("json", "jsonl", "geojson", "timelinejs", "html", "graphml")
"""Formats written as one file (to standard output unless ``--output`` is given)."""

DATABASE_FORMATS = ("sqlite",)
"""Formats written as a binary database file (``--output`` is required)."""

FOLDER_FORMATS = ("csv", "datapackage", "parquet")
"""Formats written as a folder of files (``--output`` is required)."""

_FOLDER_WRITERS: dict[str, Callable[..., None]] = {
    "csv": write_csv,
    "datapackage": write_datapackage,
    "parquet": write_parquet,
}


def _timeline_text(fmt: str, ds: Dataset, selection: list[Record], args: argparse.Namespace) -> str:
    from .._render import render_timeline

    entries = timeline(selection)
    window = window_from_args(args)  # as the timeline command: an agreement keeps its steps in the window
    if window is not None:
        entries = [e for e in entries if window.accepts(e.date)]
    return render_timeline(fmt, entries, ds, title=args.title)


def _write_database(records: Dataset | list[Record], output: str, version: str) -> None:
    """The SQLite file and, beside it, its Datasette metadata (``x.db`` -> ``x.metadata.json``)."""
    from pathlib import Path

    from .._export.sqlite import datasette_metadata, write_sqlite
    from .._io import write_atomic

    path = Path(output)
    if path.is_dir():
        raise UsageError(f"--output {path}: is a folder, not a file")
    if not (path.parent if str(path.parent) else Path(".")).is_dir():
        raise UsageError(f"--output {path}: the folder {path.parent} does not exist")
    write_sqlite(records, path, version=version)
    meta = datasette_metadata(records, database=path.stem, version=version)
    write_atomic(path.with_name(f"{path.stem}.metadata.json"), json_bytes(meta))


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    fmt: str = args.format
    prog = "sinotajik export"
    if fmt in FOLDER_FORMATS and not args.output:
        raise UsageError(f"{prog}: --format {fmt} writes a folder of files: give --output FOLDER")
    if fmt in DATABASE_FORMATS and not args.output:
        raise UsageError(f"{prog}: --format {fmt} writes a database file: give --output FILE")
    if args.bom and fmt != "csv":
        raise UsageError(f"{prog}: --bom applies to --format csv only")
    if args.escape_formulas is not None and fmt not in ("csv", "datapackage"):
        raise UsageError(f"{prog}: --[no-]escape-formulas applies to --format csv and datapackage only")
    if args.title is not None and fmt not in ("html", "timelinejs"):
        raise UsageError(f"{prog}: --title applies to --format html and timelinejs only")
    ds, selection = select_from_args(args)
    if filters_from_args(args) is None:
        records: Dataset | list[Record] = ds
        version = ds.version
    else:
        records = with_references(selection, ds)
        version = f"{ds.version}+selection"
    what = f"{len(records)} records of dataset {version} as {fmt}"
    try:
        if fmt in FOLDER_FORMATS:
            extra: dict[str, Any] = {"bom": True} if args.bom else {}
            if args.escape_formulas is not None:
                extra["escape_formulas"] = args.escape_formulas
            _FOLDER_WRITERS[fmt](records, args.output, version=version, **extra)
            out.write(f"wrote {what} to {args.output}\n")
            return EXIT_OK
        if fmt in DATABASE_FORMATS:
            _write_database(records, args.output, version)
            out.write(f"wrote {what} to {args.output}\n")
            return EXIT_OK
        if fmt in ("json", "jsonl"):
            text = dumps_records(records, format=fmt, version=version).decode("utf-8")
        elif fmt == "geojson":
            text = json_bytes(to_geojson(selection, context=ds)).decode("utf-8")
        elif fmt == "graphml":
            from .._export.network import graphml

            text = graphml(records, context=ds)
        else:
            text = _timeline_text(fmt, ds, selection, args)
    except ImportError as exc:  # an optional extra that is not installed
        raise UsageError(f"{prog}: {exc}") from None
    write_output(args, out, text, what)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    write_output(args, out, json_bytes(json_schema()).decode("utf-8"), "the JSON Schema")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add the ``export`` and ``schema`` commands to the ``sinotajik`` parser's subcommands."""
    p = sub.add_parser(
        "export",
        help="write the dataset as JSON, CSV, GeoJSON, a data package, Parquet, SQLite, GraphML or a timeline",
        description=(
            "Write the dataset in another format. json, jsonl, geojson, timelinejs, html and graphml are "
            "single files, written to standard output unless --output is given; csv, datapackage "
            "and parquet are folders of tables and need --output; sqlite writes a database file "
            "(--output FILE) and its Datasette metadata (FILE's name with .metadata.json) beside it. "
            "Output is written atomically; an "
            "existing folder is replaced only when it holds nothing but export files. With filters, "
            "the data formats hold the selected records and every record they refer to (a valid "
            "dataset on its own); geojson, timelinejs and html hold the selected records only."
        ),
        epilog="Example: sinotajik export --format csv --output sinotajik-tables",
    )
    add_format(p, (*FILE_FORMATS, *FOLDER_FORMATS, *DATABASE_FORMATS))
    p.add_argument(
        "--output",
        "-o",
        metavar="PATH",
        help="the file or folder to write (default for file formats: standard output)",
    )
    p.add_argument("--title", help="the page or slide title (html and timelinejs)")
    p.add_argument("--bom", action="store_true", help="start each CSV file with a UTF-8 BOM, for Excel")
    p.add_argument(
        "--escape-formulas",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=(
            "put a ' before text cells a spreadsheet would run as a formula (= + - @ tab CR); "
            "read_csv takes it off again (default: on for csv, off for datapackage)"
        ),
    )
    add_data_args(p)
    add_filter_args(p)
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser(
        "schema",
        help="the JSON Schema of the canonical JSON format",
        description=(
            "Print the JSON Schema (draft 2020-12) of the canonical JSON dataset document, generated "
            "from the model, so that programs in any language can validate what they read."
        ),
        epilog="Example: sinotajik schema --output sinotajik.schema.json",
    )
    p.add_argument("--output", "-o", metavar="PATH", help="the file to write (default: standard output)")
    p.set_defaults(func=_cmd_schema)
