"""CSV tables: [`write_csv`][sinotajik.write_csv] and [`read_csv`][sinotajik.read_csv].

Text a spreadsheet would run as a formula is neutralised with a leading ``'`` that
[`read_csv`][sinotajik.read_csv] takes off again.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .. import _serialize
from .._dataset import Dataset
from .._document import KINDS, SCHEMA, SINGULAR, Document
from .._errors import DataError, Problem
from .._serialize import structure
from .folder import _write_folder
from .introspect import _classify, _fields
from .tables import _BY_NAME, _CITATION_FIELDS, _TABLES, Records, _Column, _columns, _Table

__all__ = ["read_csv", "write_csv"]


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, _dt.date):
        return v.isoformat()
    return str(v)


_LINE_END = "\r\n"

# A spreadsheet runs a cell that starts with = + - @ (or TAB or CR before one) as a formula
# (OWASP "CSV injection"). Such a text cell is written with a ' in front, which spreadsheets
# show as text; read_csv takes one ' off a cell that starts with ' and then one of these, so
# that every text reads back exactly. A text that itself starts with ' and one of them gets a
# ' in front in either mode, which keeps that rule exact.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def _text_cell(text: str, escape_formulas: bool) -> str:
    """A text cell, with a ' in front when a spreadsheet would run it (see ``_FORMULA_START``)."""
    if _FORMULA_START.match(text) and (escape_formulas or text.startswith("'")):
        return "'" + text
    return text


def _read_text_cell(text: str) -> str:
    """The text of a cell written by `_text_cell`."""
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


def _csv_files(
    records: Records, version: str | None, bom: bool = False, escape_formulas: bool = False
) -> dict[str, bytes]:
    tables = _columns(records, version)
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for t in _TABLES:
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator=_LINE_END)
        w.writerow([c.name for c in t.columns])
        text_columns = {i for i, c in enumerate(t.columns) if c.kind == "str"}
        table = tables[t.name]
        for n, row in enumerate(zip(*(table[c.name] for c in t.columns), strict=True), 2):
            cells = [_cell(v) for v in row]
            for i in text_columns:
                cells[i] = _text_cell(cells[i], escape_formulas)
            if any("\x00" in cell for cell in cells):
                # Python 3.10's csv module cannot write it, and spreadsheets drop it.
                bad = next(c.name for c, cell in zip(t.columns, cells, strict=True) if "\x00" in cell)
                problems.append(Problem(f"{t.name}.csv row {n}, {bad}", "holds a NUL character, which CSV cannot"))
                continue
            w.writerow(cells)
        data = buf.getvalue().encode("utf-8")
        files[f"{t.name}.csv"] = (b"\xef\xbb\xbf" + data) if bom else data
    if problems:
        raise DataError(problems)
    return files


def write_csv(
    records: Records,
    folder: str | os.PathLike[str],
    *,
    version: str | None = None,
    bom: bool = False,
    escape_formulas: bool = True,
) -> None:
    """Write every field of the records as CSV tables (one file per table) into ``folder``.

    The files are UTF-8, comma-separated, with a header row and CRLF line ends (RFC 4180).
    The folder is written atomically: a temporary folder, then a rename. An existing folder is
    replaced only when it holds nothing but files an export writes.

    Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return) get a ``'`` in front, which spreadsheets show as text
    and [`read_csv`][sinotajik.read_csv] takes off again, so the text reads back exactly. Numbers (such as
    ``-77.0164``), dates and ids are never changed.

    Args:
        records: a Dataset or any iterable of records.
        folder: the folder to write (created when missing; the folder it goes in must exist).
        version: the version to record in ``dataset.csv`` (see [`to_tables`][sinotajik.to_tables]).
        bom: start each file with a UTF-8 byte-order mark, which Excel needs to read it as UTF-8.
        escape_formulas: put a ``'`` before text that a spreadsheet would run as a formula
            (the default); ``False`` writes such text as it is, for programs that read CSV.

    Raises:
        FileExistsError: ``folder`` is a file, or holds files no export writes.
        FileNotFoundError: the folder ``folder`` goes in does not exist.
        DataError: a text holds a NUL character, which CSV cannot (nothing is written).
    """
    _write_folder(folder, _csv_files(records, version, bom, escape_formulas))


_INT = re.compile(r"[+-]?[0-9]+")
_OMIT = object()  # an empty cell that stands for the field's default: the key is left out


def _parse_cell(text: str, col: _Column) -> Any:
    """A cell's wire value; ``_OMIT`` for an empty cell that means the field's default."""
    if text == "":
        if col.has_default:
            return _OMIT
        if col.nullable:
            return None
        return "" if col.kind == "str" else _OMIT
    if col.kind == "int" or col.kind == "seq":
        if not _INT.fullmatch(text):
            raise ValueError(f"{text!r} is not a whole number")
        return int(text)
    if col.kind in ("float", "number"):
        if col.kind == "number" and _INT.fullmatch(text):
            return int(text)
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number")
        return value
    if col.kind == "bool":
        low = text.strip().lower()
        if low not in ("true", "false"):
            raise ValueError(f"{text!r} is not true or false")
        return low == "true"
    if col.kind == "str":
        return _read_text_cell(text)
    return text


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for name in path[:-1]:
        target = target.setdefault(name, {})
    target[path[-1]] = value


def _item_dict(row: Mapping[str, str], cols: Iterable[_Column], fail: Callable[[str, str], None]) -> dict[str, Any]:
    cols = [c for c in cols if c.path and c.kind not in ("earliest", "latest")]
    # A nested object (``coordinates``) is there when any of its cells is filled in.
    filled = {c.path[:i] for c in cols if row.get(c.name) for i in range(1, len(c.path))}
    out: dict[str, Any] = {}
    for c in cols:
        if len(c.path) > 1 and c.path[:-1] not in filled:
            continue
        try:
            v = _parse_cell(row.get(c.name) or "", c)
        except ValueError as exc:
            fail(c.name, str(exc))
            continue
        if v is not _OMIT:
            _set(out, c.path, v)
    return out


def _read_table(folder: Path, t: _Table, problems: list[Problem]) -> list[tuple[int, dict[str, str]]] | None:
    """The rows of one table, or None when its file is missing; what is wrong goes to ``problems``."""
    path = folder / f"{t.name}.csv"
    if not path.exists():
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(f"{t.name}.csv", f"is not UTF-8 text (bad byte at offset {exc.start})"))
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        with _csv_field_limit:
            # csv refuses fields over 131,072 characters by default; a valid long summary is one.
            limit = csv.field_size_limit(_MAX_FIELD)
            try:
                return _table_rows(reader, t, problems)
            finally:
                csv.field_size_limit(limit)
    except csv.Error as exc:
        problems.append(Problem(f"{t.name}.csv line {reader.line_num}", f"is not valid CSV: {exc}"))
        return []


_csv_field_limit = threading.Lock()
_MAX_FIELD = 2**31 - 1


def _table_rows(reader: Iterator[list[str]], t: _Table, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    header = next(reader, None)
    if header is None:
        problems.append(Problem(f"{t.name}.csv", "is empty: expected a header row"))
        return []
    known = {c.name for c in t.columns}
    for name in header:
        if name not in known:
            problems.append(Problem(f"{t.name}.csv", f"unknown column {name!r}"))
    for c in t.columns:
        if c.name not in header and c.kind not in ("earliest", "latest"):
            problems.append(Problem(f"{t.name}.csv", f"missing column {c.name!r}"))
    rows = []
    for n, cells in enumerate(reader, 2):
        if not any(cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(f"{t.name}.csv row {n}", f"has {len(cells)} cells, the header {len(header)}"))
            continue
        rows.append((n, dict(zip(header, cells, strict=True))))
    return rows


def _reporter(problems: list[Problem], table: str, n: int) -> Callable[[str, str], None]:
    def fail(col: str, msg: str) -> None:
        problems.append(Problem(f"{table}.csv row {n}, {col}", msg))

    return fail


def _seq(row: Mapping[str, str], fail: Callable[[str, str], None]) -> int | None:
    text = row.get("seq", "")
    if not _INT.fullmatch(text):
        fail("seq", f"{text!r} is not a whole number")
        return None
    return int(text)


def _empty_lists(cls: type[Any], item: dict[str, Any]) -> None:
    """Required lists start empty, so that a record without rows reads as having none."""
    for f in _fields(cls):
        if _classify(f.type).kind == "array" and f.default is attrs.NOTHING:
            item.setdefault(f.name, [])


def read_csv(folder: str | os.PathLike[str]) -> Dataset:
    """Read back CSV tables (from [`write_csv`][sinotajik.write_csv] or `write_datapackage`).

    The tables may have been edited (in a spreadsheet, say): the result is checked like any
    dataset file. Rows are put back in ``seq`` order; the derived ``*_earliest``/``*_latest``
    columns are ignored; a missing link-table file counts as an empty table.

    Raises:
        DataError: listing every problem with its file and row (``events.csv row 5, date``) or
            its record path; no partial dataset is returned.
        OSError: the folder or a file cannot be read.
    """
    where = Path(folder)
    problems: list[Problem] = []
    meta = _read_table(where, _BY_NAME["dataset"], problems)
    if meta is None:
        raise DataError([Problem("dataset.csv", "is missing: this is not a folder of sinotajik tables")], str(folder))
    raw: dict[str, Any] = {}
    if len(meta) != 1:
        problems.append(Problem("dataset.csv", f"has {len(meta)} rows, expected 1"))
    else:
        first = meta[0][1]
        schema = first.get("schema", "")
        raw["schema"] = int(schema) if _INT.fullmatch(schema) else schema
        raw["version"] = first.get("version", "")
        if raw["schema"] != SCHEMA:
            problems.append(Problem("dataset.csv", f"schema {schema!r} is not one this version reads ({SCHEMA})"))
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    origin: dict[str, str] = {}
    for kind, cls in KINDS.items():
        t = _BY_NAME[kind]
        raw[kind] = []
        by_kind[kind] = {}
        for n, row in _read_table(where, t, problems) or []:
            rec = _item_dict(row, t.columns, _reporter(problems, t.name, n))
            _empty_lists(cls, rec)
            origin[f"{kind}[{len(raw[kind])}]"] = f"{kind}.csv row {n}"
            raw[kind].append(rec)
            by_kind[kind].setdefault(row.get("id", ""), rec)
    for t in _TABLES:
        if t.kind is None or t.field is None:
            continue
        owner = t.columns[0].name
        grouped: dict[str, list[tuple[int, Any]]] = {}
        for n, row in _read_table(where, t, problems) or []:
            fail = _reporter(problems, t.name, n)
            rid = row.get(owner, "")
            if rid not in by_kind[t.kind]:
                fail(owner, f"no {owner} with id {rid!r} in {t.kind}.csv")
                continue
            seq = _seq(row, fail)
            if seq is None:
                continue
            if t.item is None:
                value: Any = _read_text_cell(row.get(t.columns[2].name, ""))
            else:
                value = _item_dict(row, t.columns, fail)
                _empty_lists(t.item, value)
            grouped.setdefault(rid, []).append((seq, value))
        for rid, items in grouped.items():
            by_kind[t.kind][rid][t.field] = [v for _s, v in sorted(items, key=lambda x: x[0])]
    _attach_citations(where, by_kind, problems)
    if problems:
        raise DataError(problems, str(folder))
    # The same rules for text as a JSON file: no controls in one-line fields, no lone surrogates.
    bad_text = _serialize.text_problems(raw)
    try:
        ds = Dataset._from_document(structure(raw, Document))
    except DataError as exc:
        raise DataError(_relabel([*exc.problems, *bad_text], origin), str(folder)) from None
    if bad_text:
        raise DataError(_relabel(bad_text, origin), str(folder))
    return ds


_CITE_FIELD = re.compile(r"(?:([a-z_]+)\[([0-9]+)\]\.)?([a-z_]+)")


def _attach_citations(where: Path, by_kind: dict[str, dict[str, dict[str, Any]]], problems: list[Problem]) -> None:
    t = _BY_NAME["citations"]
    grouped: dict[tuple[str, str, str], list[tuple[int, int, dict[str, Any]]]] = {}
    for n, row in _read_table(where, t, problems) or []:
        fail = _reporter(problems, "citations", n)
        rid, field = row.get("record", ""), row.get("field", "")
        kind = next((k for k, recs in by_kind.items() if rid in recs), None)
        if kind is None:
            fail("record", f"no record with id {rid!r}")
            continue
        m = _CITE_FIELD.fullmatch(field)
        allowed = _CITATION_FIELDS[KINDS[kind]]
        if m is None or ((m.group(1), m.group(3)) if m.group(1) else (m.group(3), None)) not in allowed:
            fail("field", f"{field!r} is not a list of citations in a {SINGULAR[kind]}")
            continue
        seq = _seq(row, fail)
        if seq is None:
            continue
        grouped.setdefault((kind, rid, field), []).append((seq, n, _item_dict(row, t.columns, fail)))
    for (kind, rid, field), items in grouped.items():
        m = _CITE_FIELD.fullmatch(field)
        assert m is not None
        target = by_kind[kind][rid]
        if m.group(1):
            outer, index = m.group(1), int(m.group(2))
            lst = target.get(outer)
            if not isinstance(lst, list) or index >= len(lst) or not isinstance(lst[index], dict):
                problems.append(Problem(f"citations.csv row {items[0][1]}, field", f"{rid} has no {outer}[{index}]"))
                continue
            target = lst[index]
        target[m.group(3)] = [c for _s, _n, c in sorted(items, key=lambda x: x[0])]


def _relabel(problems: Iterable[Problem], origin: Mapping[str, str]) -> list[Problem]:
    out = []
    for p in problems:
        head = p.path.split(".", 1)[0]
        out.append(Problem(f"{origin[head]} ({p.path})", p.message) if head in origin else p)
    return out
