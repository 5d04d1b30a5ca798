"""A Frictionless Data Package (v2): the CSV tables and a ``datapackage.json`` describing them."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from typing import Any

from .csvfiles import _LINE_END, _csv_files
from .folder import _write_folder
from .tables import _TABLES, Records, _collect, _Column

__all__ = ["write_datapackage"]

_PROFILE = "https://datapackage.org/profiles/2.0/"


def json_bytes(obj: Any) -> bytes:
    """Indented UTF-8 JSON with sorted keys and a final newline."""
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n").encode("utf-8")


def _field_descriptor(c: _Column) -> dict[str, Any]:
    d: dict[str, Any] = {"name": c.name, "type": c.type}
    if c.description:
        d["description"] = c.description
    cons: dict[str, Any] = {}
    if c.required:
        cons["required"] = True
    if c.enum:
        cons["enum"] = list(c.enum)
    if c.pattern:
        # Table Schema patterns are implicitly anchored XML Schema regexes: no anchors, no look-ahead.
        cons["pattern"] = c.pattern.replace("(?!0000)", "")[1:-1]
    if c.bounds:
        cons["minimum"], cons["maximum"] = c.bounds
    if cons:
        d["constraints"] = cons
    return d


def _datapackage(version: str, files: Mapping[str, bytes]) -> dict[str, Any]:
    resources = []
    for t in _TABLES:
        data = files[f"{t.name}.csv"]
        keys = []
        for c in t.columns:
            if c.ref is not None:
                ref: dict[str, Any] = {"fields": ["id"]}
                if c.ref != t.name:  # a reference within the same table names no resource
                    ref = {"resource": c.ref, **ref}
                keys.append({"fields": [c.name], "reference": ref})
        schema: dict[str, Any] = {
            "$schema": _PROFILE + "tableschema.json",
            "fields": [_field_descriptor(c) for c in t.columns],
            "primaryKey": list(t.primary_key),
            "missingValues": [""],
        }
        if keys:
            schema["foreignKeys"] = keys
        resources.append(
            {
                "$schema": _PROFILE + "dataresource.json",
                "name": t.name,
                "type": "table",
                "path": f"{t.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
                "description": t.description,
                "dialect": {
                    "$schema": _PROFILE + "tabledialect.json",
                    "header": True,
                    "delimiter": ",",
                    "lineTerminator": _LINE_END,
                    "quoteChar": '"',
                    "doubleQuote": True,
                },
                "schema": schema,
            }
        )
    return {
        "$schema": _PROFILE + "datapackage.json",
        "name": "sinotajik",
        "title": "sinotajik: China–Tajikistan security cooperation",
        "description": (
            "Events, agreements, facilities, actors, places and sources of China–Tajikistan security "
            "cooperation, each fact with its citations; partial dates are EDTF strings."
        ),
        "version": version,
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "keywords": ["china", "tajikistan", "central asia", "security", "edtf"],
        "resources": resources,
    }


def write_datapackage(
    records: Records,
    folder: str | os.PathLike[str],
    *,
    version: str | None = None,
    escape_formulas: bool = False,
) -> None:
    """Write a Frictionless Data Package (v2): the CSV tables and a ``datapackage.json``.

    A data package is read by programs, so text is written as it is by default; pass
    ``escape_formulas=True`` for tables that people will open in a spreadsheet (see
    [`write_csv`][sinotajik.write_csv]).

    The descriptor gives each table's schema (types, descriptions from the model's docstrings,
    enumerations, patterns), primary key and foreign keys, and each file's size and SHA-256,
    so that ``frictionless validate datapackage.json`` checks the whole folder.

    A selection whose records refer to records left out of it fails the foreign-key check:
    export the referenced records with it.

    Args:
        records: a Dataset or any iterable of records.
        folder: the folder to write atomically (see [`write_csv`][sinotajik.write_csv]).
        version: the package version; the Dataset's own, or ``unreleased`` for records.
        escape_formulas: put a ``'`` before text a spreadsheet would run as a formula.

    Raises:
        FileExistsError: ``folder`` is a file, or holds files no export writes.
        DataError: a text holds a NUL character, which CSV cannot (nothing is written).
    """
    version_, _cols = _collect(records, version)
    files = _csv_files(records, version_, escape_formulas=escape_formulas)
    files["datapackage.json"] = json_bytes(_datapackage(version_, files))
    _write_folder(folder, files)
