"""Exports: relational tables (CSV, Data Package, pandas, Parquet), GeoJSON, a JSON Schema.

Everything here is derived from the model by introspection, so that a field added to a record
appears in every export without a line changing here.

Tables ([`to_tables`][sinotajik.to_tables], [`write_csv`][sinotajik.write_csv],
[`write_datapackage`][sinotajik.write_datapackage], [`to_pandas`][sinotajik.to_pandas],
[`to_arrow`][sinotajik.to_arrow], [`write_parquet`][sinotajik.write_parquet]) hold every field of every record:

* ``dataset``: one row, the wire-format ``schema`` and the dataset ``version``;
* one table per record kind (``actors``, ``places``, ``sources``, ``events``, ``agreements``,
  ``facilities``), keyed by ``id``, with every single-valued field; a nested object is spread
  over prefixed columns (``coordinates_lat``, ``term_length``, ``recurrence_every``);
* one link table per list field, named ``<kind>_<field>`` (``event_participants``,
  ``agreement_milestones``, ``facility_history``, ``actor_aliases``), keyed by the owner's id
  in a column named after its kind (``event``) and ``seq``, the 0-based position in the list;
* ``citations``: every citation anywhere, keyed by ``record`` (the id), ``field`` (where in the
  record: ``citations``, ``claims[0].citations``, ``milestones[2].citations``) and ``seq``.

In the tables ``None`` is an empty cell, enumerations are their values and dates their EDTF
strings (``2016-10``, ``2021-08-18/2021-08-19``). Each date column ``x`` is followed by
``x_earliest`` and ``x_latest``: the first and last day it can denote (ignoring ``~ ? %``;
empty for an open end), derived so that spreadsheets and databases can sort and filter on real
dates; [`read_csv`][sinotajik.read_csv] ignores them. The one thing CSV cannot keep apart is an optional text
that is the empty string: it reads back as ``None``.

GeoJSON ([`to_geojson`][sinotajik.to_geojson], RFC 7946) has one Feature per place of each event, agreement and
facility, and one for each such record with no place. Its geometry is a Point only for a
place of ``site`` or ``town`` precision whose coordinates are recorded; every other feature
keeps ``"geometry": null`` and says why in ``no_point_reason``, so that a district, region or
country is never shown as a false point.

[`json_schema`][sinotajik.json_schema] describes the canonical JSON document (JSON Schema 2020-12) for programs in
other languages that consume the data.

pandas and pyarrow are optional: install ``sinotajik[pandas]`` or ``sinotajik[arrow]``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import enum
import errno
import hashlib
import importlib
import inspect
import io
import json
import math
import os
import re
import secrets
import shutil
import stat
import threading
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import attrs

from . import _model, _serialize
from ._dataset import Dataset
from ._dates import DateSpan, PartialDate, When, bound_day, format_when
from ._document import ID_PREFIX, KINDS, SCHEMA, SINGULAR, Document
from ._errors import DataError, Problem
from ._model import (
    Actor,
    Agreement,
    Citation,
    Claim,
    Event,
    Facility,
    LocationPrecision,
    Participant,
    Place,
    Position,
    Record,
)
from ._serialize import canonical_json, canonical_jsonl, structure

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = [
    "json_schema",
    "read_csv",
    "to_arrow",
    "to_geojson",
    "to_pandas",
    "to_tables",
    "write_csv",
    "write_datapackage",
    "write_parquet",
]

Records = Union[Dataset, Iterable[Record]]
Row = dict[str, Any]

# --------------------------------------------------------------------------- model facts

#: Fields that hold the id of another record, and the collection that record is in. The model
#: keeps references as plain strings; the integrity checks enforce the same map.
_REFS: dict[tuple[type[Any], str], str] = {
    (Citation, "source"): "sources",
    (Claim, "by"): "actors",
    (Participant, "actor"): "actors",
    (Position, "organisation"): "actors",
    (Actor, "parent"): "actors",
    (Place, "within"): "places",
    (Event, "places"): "places",
    (Event, "agreements"): "agreements",
    (Event, "facilities"): "facilities",
    (Event, "responds_to"): "events",
    (Agreement, "places"): "places",
    (Facility, "place"): "places",
    (Facility, "areas"): "places",
    (Facility, "funders"): "actors",
    (Facility, "builders"): "actors",
    (Facility, "operators"): "actors",
    (Facility, "owners"): "actors",
    (Facility, "agreements"): "agreements",
}

#: Column names for the items of lists of strings (``event_places.place``); ``value`` otherwise.
_ITEM_NAMES = {
    "aliases": "alias",
    "tags": "tag",
    "places": "place",
    "agreements": "agreement",
    "facilities": "facility",
    "responds_to": "responds_to",
    "areas": "place",
    "funders": "actor",
    "builders": "actor",
    "operators": "actor",
    "owners": "actor",
}

_EDTF_DAY = r"(?!0000)[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?[~?%]?"
#: An EDTF date as the reader accepts it: ``2016``, ``2016-10``, ``2016-10-05``, then ``~ ? %``.
EDTF_DATE = f"^{_EDTF_DAY}$"
#: An EDTF date or an inclusive span, either end open (``..``) but not both.
EDTF_WHEN = f"^(?:{_EDTF_DAY}|{_EDTF_DAY}/(?:{_EDTF_DAY}|\\.\\.)|\\.\\./{_EDTF_DAY})$"
_COUNTRY = "^[A-Z]{3}$"
_VERSION = "^[0-9A-Za-z][0-9A-Za-z.+-]*$"
_BOUNDS = {(_model.Coordinates, "lat"): (-90, 90), (_model.Coordinates, "lon"): (-180, 180)}


def _whole(pattern: str) -> str:
    r"""An anchored pattern that matches whole strings under ECMA-262 and Python ``re`` alike.

    In Python's ``re`` (which Python JSON Schema validators use) ``$`` also matches before a
    final line break, so ``^[A-Z]{3}$`` accepts ``"TJK\n"``; ``(?![\s\S])`` after it holds only
    at the very end, in both dialects.
    """
    return pattern + r"(?![\s\S])" if pattern.endswith("$") else pattern


def _text_pattern(name: str) -> str:
    """The JSON Schema pattern of a text field: no character the reader refuses in it."""
    bad = _serialize.MULTI_LINE_BAD if name in _serialize.MULTI_LINE_FIELDS else _serialize.ONE_LINE_BAD
    return f"^(?![\\s\\S]*[{bad}])"


def _id_pattern(kind: str) -> str:
    return f"^{ID_PREFIX[kind]}-[a-z0-9]+(?:-[a-z0-9]+)*$"


# --------------------------------------------------------------------------- introspection


@attrs.frozen
class _T:
    """What a field holds, as the exports see it."""

    kind: str  # str int float number bool enum date when object array
    optional: bool = False
    of: Any = None  # the enum or attrs class, or the element _T of an array


_NAMESPACE = {**vars(_model), **vars(_serialize)}


def _fields(cls: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    attrs.resolve_types(cls, globalns=_NAMESPACE)
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    return fields


def _classify(t: Any) -> _T:
    origin = get_origin(t)
    if origin is Union or origin is types.UnionType:
        args = get_args(t)
        rest = tuple(a for a in args if a is not type(None))
        optional = len(rest) != len(args)
        if set(rest) == {PartialDate, DateSpan}:
            return _T("when", optional)
        if set(rest) == {int, float}:
            return _T("number", optional)
        if len(rest) == 1:
            return attrs.evolve(_classify(rest[0]), optional=optional)
        raise TypeError(f"no export rule for {t!r}")
    if origin is tuple:
        args = get_args(t)
        if len(args) == 2 and args[1] is Ellipsis:
            return _T("array", of=_classify(args[0]))
        raise TypeError(f"no export rule for {t!r}")
    if t is PartialDate:
        return _T("date")
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return _T("enum", of=t)
    if attrs.has(t):
        return _T("object", of=t)
    simple = {str: "str", int: "int", float: "float", bool: "bool"}
    if t in simple:
        return _T(simple[t])
    raise TypeError(f"no export rule for {t!r}")


_ROLE = re.compile(r":\w+:`~?([^`]+)`")


def _clean(text: str) -> str:
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text)
    text = " ".join(text.replace("``", "").split())
    return text[:1].upper() + text[1:]


def _class_doc(cls: type[Any]) -> str:
    """The first paragraph of a class's docstring, as plain text."""
    doc = inspect.getdoc(cls) or ""
    return _clean(doc.split("\n\n", 1)[0])


def _field_docs(cls: type[Any]) -> dict[str, str]:
    """Field descriptions from the ``Attributes:`` section of a Google-style docstring."""
    out: dict[str, str] = {}
    current: list[str] = []
    inside = False
    for line in (inspect.getdoc(cls) or "").splitlines():
        if line.strip() == "Attributes:":
            inside = True
            continue
        if not inside:
            continue
        if line and not line.startswith(" "):
            break
        m = re.match(r"^    ([A-Za-z_]\w*(?:, [A-Za-z_]\w*)*): ?(.*)$", line)
        if m:
            current = m.group(1).split(", ")
            for name in current:
                out[name] = m.group(2)
        elif current and line.startswith("      "):
            for name in current:
                out[name] += " " + line.strip()
    return {k: _clean(v) for k, v in out.items()}


def _enum_values(cls: type[enum.Enum]) -> list[str]:
    return [str(m.value) for m in cls]


# --------------------------------------------------------------------------- table layout


@attrs.frozen
class _Column:
    """A column of a table: where its value sits in the record and how it is typed."""

    name: str
    type: str  # Table Schema type: string integer number boolean date
    kind: str  # a _T kind, or key / seq / earliest / latest
    path: tuple[str, ...] = ()
    description: str = ""
    required: bool = False
    nullable: bool = False  # the field itself may be None (not only its enclosing object)
    has_default: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    ref: str | None = None
    bounds: tuple[float, float] | None = None


@attrs.frozen
class _Table:
    """A table: its name, what it holds, its columns and primary key."""

    name: str
    description: str
    columns: tuple[_Column, ...]
    primary_key: tuple[str, ...]
    kind: str | None = None  # the record collection it belongs to
    field: str | None = None  # for a link table, the list field it unfolds
    item: type[Any] | None = None  # the attrs class of the list's items; None for strings


_TABLE_TYPE = {
    "str": "string",
    "enum": "string",
    "date": "string",
    "when": "string",
    "int": "integer",
    "float": "number",
    "number": "number",
    "bool": "boolean",
}


def _value_columns(
    cls: type[Any], prefix: str = "", path: tuple[str, ...] = (), parent_optional: bool = False
) -> list[_Column]:
    """The columns of every single-valued field of ``cls``, nested objects spread out."""
    docs = _field_docs(cls)
    out: list[_Column] = []
    for f in _fields(cls):
        t = _classify(f.type)
        if t.kind == "array":
            continue
        name, where = prefix + f.name, (*path, f.name)
        optional = t.optional or parent_optional
        desc = docs.get(f.name, "")
        if t.kind == "object":
            out.extend(_value_columns(t.of, f"{name}_", where, optional))
            continue
        pattern = None
        if t.kind == "date":
            pattern = EDTF_DATE
        elif t.kind == "when":
            pattern = EDTF_WHEN
        elif f.name == "country":
            pattern = _COUNTRY
        out.append(
            _Column(
                name=name,
                type=_TABLE_TYPE[t.kind],
                kind=t.kind,
                path=where,
                description=desc,
                required=not optional,
                nullable=t.optional,
                has_default=f.default is not attrs.NOTHING,
                enum=tuple(_enum_values(t.of)) if t.kind == "enum" else (),
                pattern=pattern,
                ref=_REFS.get((cls, f.name)),
                bounds=_BOUNDS.get((cls, f.name)),
            )
        )
        if t.kind in ("date", "when"):
            for end, word in (("earliest", "first"), ("latest", "last")):
                out.append(
                    _Column(
                        name=f"{name}_{end}",
                        type="date",
                        kind=end,
                        path=where,
                        description=(
                            f"The {word} day {name} can denote, derived from it (ignores ~ ? %; "
                            "empty when that end is open or there is no date)."
                        ),
                    )
                )
    return out


def _is_citations(t: _T) -> bool:
    return t.kind == "array" and t.of.kind == "object" and t.of.of is Citation


def _build_tables() -> tuple[_Table, ...]:
    tables = [
        _Table(
            name="dataset",
            description="The dataset these tables hold: one row with its wire-format schema and version.",
            columns=(
                _Column("schema", "integer", "int", description="The wire-format schema.", required=True),
                _Column(
                    "version",
                    "string",
                    "str",
                    description="The dataset version.",
                    required=True,
                    pattern=_VERSION,
                ),
            ),
            primary_key=("version",),
        )
    ]
    for kind, cls in KINDS.items():
        main = _value_columns(cls)
        main[0] = attrs.evolve(main[0], pattern=_id_pattern(kind))  # ``id`` comes first
        tables.append(_Table(kind, _class_doc(cls), tuple(main), ("id",), kind))
        one = SINGULAR[kind]
        docs = _field_docs(cls)
        for f in _fields(cls):
            t = _classify(f.type)
            if t.kind != "array" or _is_citations(t):
                continue
            keys = (
                _Column(one, "string", "key", description=f"The id of the {one}.", required=True, ref=kind),
                _Column("seq", "integer", "seq", description="The 0-based position in the list.", required=True),
            )
            what = docs.get(f.name, "")
            desc = f"The {f.name} of {kind}, one row each, in order" + (f": {what}" if what else ".")
            if t.of.kind == "object":
                item = t.of.of
                for g in _fields(item):
                    sub = _classify(g.type)
                    if sub.kind == "array" and not _is_citations(sub):
                        raise TypeError(f"no export rule for a list in a list: {item.__name__}.{g.name}")
                cols = keys + tuple(_value_columns(item))
                tables.append(_Table(f"{one}_{f.name}", desc, cols, (one, "seq"), kind, f.name, item))
            else:
                value = _Column(
                    _ITEM_NAMES.get(f.name, "value"),
                    "string",
                    "str",
                    description=what,
                    required=True,
                    ref=_REFS.get((cls, f.name)),
                )
                tables.append(_Table(f"{one}_{f.name}", desc, (*keys, value), (one, "seq"), kind, f.name))
    tables.append(
        _Table(
            name="citations",
            description=(
                "Every citation of every record, claim, figure, position, provision and lifecycle step: "
                + _class_doc(Citation)
            ),
            columns=(
                _Column("record", "string", "key", description="The id of the record that cites.", required=True),
                _Column(
                    "field",
                    "string",
                    "str",
                    description="Where in the record: citations, or e.g. claims[0].citations.",
                    required=True,
                ),
                _Column("seq", "integer", "seq", description="The 0-based position in that list.", required=True),
                *_value_columns(Citation),
            ),
            primary_key=("record", "field", "seq"),
        )
    )
    return tuple(tables)


_TABLES = _build_tables()
_BY_NAME = {t.name: t for t in _TABLES}
_CLASS_KIND = {cls: kind for kind, cls in KINDS.items()}


def _citation_fields(cls: type[Any]) -> list[tuple[str, str | None]]:
    """``(field, None)`` for a list of citations; ``(field, sub)`` for citations in list items."""
    out: list[tuple[str, str | None]] = []
    for f in _fields(cls):
        t = _classify(f.type)
        if _is_citations(t):
            out.append((f.name, None))
        elif t.kind == "array" and t.of.kind == "object":
            out.extend((f.name, g.name) for g in _fields(t.of.of) if _is_citations(_classify(g.type)))
    return out


_CITATION_FIELDS = {cls: _citation_fields(cls) for cls in KINDS.values()}

# --------------------------------------------------------------------------- records to rows


def _collect(records: Records, version: str | None) -> tuple[str, dict[str, tuple[Any, ...]]]:
    """The version and the records by collection, each sorted by id."""
    if isinstance(records, Dataset):
        return version or records.version, {k: getattr(records, k) for k in KINDS}
    cols: dict[str, list[Any]] = {k: [] for k in KINDS}
    for r in records:
        kind = _CLASS_KIND.get(type(r))
        if kind is None:
            raise TypeError(f"{type(r).__name__} is not a record type")
        cols[kind].append(r)
    return version or "unreleased", {k: tuple(sorted(v, key=lambda r: r.id)) for k, v in cols.items()}


def _day(d: _dt.date | None) -> _dt.date | None:
    return None if d is None else _dt.date(d.year, d.month, d.day)


Columns = dict[str, list[Any]]


def _fetch(objs: list[Any], path: tuple[str, ...]) -> list[Any]:
    """The value at ``path`` of each object, ``None`` where an object on the way is ``None``."""
    name = path[0]
    values = [getattr(o, name) for o in objs]
    for name in path[1:]:
        values = [None if v is None else getattr(v, name) for v in values]
    return values


def _column_values(objs: list[Any], columns: Iterable[_Column]) -> Columns:
    """The cells of ``columns`` for each object, column by column: what every table export writes.

    This is where the meaning of a cell is written once: the field's value at the column's
    path; an enumeration's value; a date's EDTF string; the first or last day a date can
    denote (``*_earliest``/``*_latest``) as a `datetime.date`.
    """
    out: Columns = {}
    fetched: dict[tuple[str, ...], list[Any]] = {}
    for col in columns:
        values = fetched.get(col.path)
        if values is None:
            values = fetched[col.path] = _fetch(objs, col.path)
        if col.kind in ("earliest", "latest"):
            latest = col.kind == "latest"
            from_day = _dt.date.fromordinal
            days = [None if v is None else bound_day(v, latest) for v in values]
            out[col.name] = [None if d is None else from_day(d) for d in days]
        elif col.kind == "enum":
            out[col.name] = [None if v is None else v.value for v in values]
        elif col.kind in ("date", "when"):
            out[col.name] = [None if v is None else str(v) for v in values]
        else:
            out[col.name] = values
    return out


def _table_columns(
    records: Records, version: str | None
) -> tuple[Mapping[str, tuple[Any, ...]], Mapping[str, Columns]]:
    """The records by collection, and every table as its columns (name to cells, in order)."""
    version_, cols = _collect(records, version)
    out: dict[str, Columns] = {"dataset": {"schema": [SCHEMA], "version": [version_]}}
    for kind in KINDS:
        recs = list(cols[kind])
        out[kind] = _column_values(recs, _BY_NAME[kind].columns)
        for t in _TABLES:
            if t.kind != kind or t.field is None:
                continue
            owners: list[str] = []
            seqs: list[int] = []
            items: list[Any] = []
            for rec in recs:
                lst = getattr(rec, t.field)
                if lst:
                    owners.extend([rec.id] * len(lst))
                    seqs.extend(range(len(lst)))
                    items.extend(lst)
            table: Columns = {t.columns[0].name: owners, "seq": seqs}
            if t.item is None:
                table[t.columns[2].name] = items
            else:
                table.update(_column_values(items, t.columns[2:]))
            out[t.name] = table
    record: list[str] = []
    where: list[str] = []
    seqs = []
    cites: list[Citation] = []
    for kind in KINDS:
        for rec in cols[kind]:
            for field, sub in _CITATION_FIELDS[type(rec)]:
                if sub is None:
                    lists: list[tuple[str, tuple[Citation, ...]]] = [(field, getattr(rec, field))]
                else:
                    lists = [(f"{field}[{i}].{sub}", getattr(x, sub)) for i, x in enumerate(getattr(rec, field))]
                for at, cs in lists:
                    if cs:
                        record.extend([rec.id] * len(cs))
                        where.extend([at] * len(cs))
                        seqs.extend(range(len(cs)))
                        cites.extend(cs)
    out["citations"] = {"record": record, "field": where, "seq": seqs}
    out["citations"].update(_column_values(cites, _BY_NAME["citations"].columns[3:]))
    return cols, {t.name: out[t.name] for t in _TABLES}


def _name_columns(t: _Table) -> dict[str, str]:
    """The reference columns of a table that [`to_tables`][sinotajik.to_tables] names with ``names=True``."""
    return {c.name: f"{c.name}_name" for c in t.columns if c.ref is not None and c.kind != "key"}


def _add_names(
    tables: Mapping[str, Columns], cols: Mapping[str, tuple[Any, ...]], context: Iterable[Record] = ()
) -> dict[str, Columns]:
    """The tables with a ``<column>_name`` column after each reference column."""
    from ._panel import record_names

    lookup = record_names(context)
    lookup.update(record_names(r for recs in cols.values() for r in recs))
    out: dict[str, Columns] = {}
    for t in _TABLES:
        named = _name_columns(t)
        table: Columns = {}
        for name, values in tables[t.name].items():
            table[name] = values
            if name in named:
                table[named[name]] = [None if v is None else lookup.get(v) for v in values]
        out[t.name] = table
    return out


def _columns(
    records: Records, version: str | None, names: bool = False, context: Iterable[Record] | None = None
) -> dict[str, Columns]:
    cols, tables = _table_columns(records, version)
    return _add_names(tables, cols, context or ()) if names else dict(tables)


def _rows(columns: Columns) -> list[Row]:
    names = list(columns)
    return [dict(zip(names, cells, strict=True)) for cells in zip(*columns.values(), strict=True)]


def to_tables(
    records: Records,
    *,
    version: str | None = None,
    names: bool = False,
    context: Dataset | Iterable[Record] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Every field of the records as relational tables of typed rows.

    The tables: ``dataset`` (one row: schema and version); one per record kind keyed by
    ``id`` (``events``), nested objects spread over prefixed columns (``coordinates_lat``);
    one per list field (``event_participants``) keyed by the owner's id (``event``) and
    ``seq``, its 0-based position; and ``citations``, every citation anywhere, keyed by
    ``record``, ``field`` (``citations``, ``claims[0].citations``) and ``seq``. Each date
    column ``x`` is followed by derived ``x_earliest`` and ``x_latest`` days. Cells are
    ``str``, ``int``, ``float``, ``bool``, `datetime.date` (the derived days) or ``None``.

    Args:
        records: a Dataset or any iterable of records (e.g. a selection).
        version: the version to record; the Dataset's own, or ``unreleased`` for records.
        names: beside each column that refers to another record (``actor``, ``place``,
            ``by``, ``parent``, ``source``...), add ``<column>_name`` with its name or title
            (``None`` when that record is neither among ``records`` nor in ``context``), so
            that no join is needed to read who is who.
        context: the dataset (or any records) in which to look up those names besides the
            records themselves (``context=ds`` for a selection) — the keyword every renderer
            and exporter takes.

    Returns:
        Table name to rows; every table is present, in a stable order, even when empty.
    """
    return {name: _rows(columns) for name, columns in _columns(records, version, names, context).items()}


# --------------------------------------------------------------------------- CSV


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


#: Every file name a folder export may write: an existing folder holding only these is replaced.
_OURS = frozenset([f"{t.name}.csv" for t in _TABLES] + [f"{t.name}.parquet" for t in _TABLES] + ["datapackage.json"])


def _fresh_name(target: Path, what: str) -> Path:
    """An unused hidden name beside ``target``."""
    while True:
        cand = target.with_name(f".{target.name}.{secrets.token_hex(6)}.{what}")
        if not os.path.lexists(cand):
            return cand


def _write_folder(folder: str | os.PathLike[str], files: Mapping[str, bytes]) -> None:
    """Write files into ``folder`` atomically: a temporary folder beside it, then renames.

    An existing folder is replaced only when it is empty or holds nothing but files an export
    writes; anything else is refused, so a mistyped path never deletes a user's files. The
    folder it goes in must exist (as for a file output). A new folder and its files get the
    usual modes less the umask; a replaced folder keeps its mode, and so does each file it
    held. A symbolic link to a folder is followed: the folder it points to is replaced and the
    link stays.
    """
    target = Path(folder)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    keep: dict[str, int] = {}
    folder_mode: int | None = None
    if target.exists():
        if not target.is_dir():
            raise FileExistsError(errno.EEXIST, "exists and is not a folder", str(folder))
        strangers = sorted(p.name for p in target.iterdir() if p.name not in _OURS or not p.is_file())
        if strangers:
            shown = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
            msg = f"exists and holds files no export writes ({shown}); choose a new or empty folder"
            raise FileExistsError(errno.EEXIST, msg, str(folder))
        folder_mode = stat.S_IMODE(target.stat().st_mode)
        keep = {p.name: stat.S_IMODE(p.stat().st_mode) for p in target.iterdir()}
    parent = target.parent
    if not parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"the folder {parent} does not exist", str(folder))
    tmp = _fresh_name(target, "tmp")
    os.mkdir(tmp)  # not tempfile.mkdtemp: its 0700 mode would outlive the rename
    old: Path | None = None
    try:
        for name, data in files.items():
            with open(tmp / name, "wb") as fh:
                if name in keep:
                    os.fchmod(fh.fileno(), keep[name])
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if folder_mode is not None:
            os.chmod(tmp, folder_mode)
        if target.exists():
            old = _fresh_name(target, "old")
            os.rename(target, old)
        try:
            os.rename(tmp, target)
        except BaseException:  # also SIGTERM or Ctrl-C between the two renames: put the old folder back
            if old is not None:
                os.rename(old, target)
                old = None
            raise
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.filename == str(folder) and exc.filename2 is None:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), str(folder)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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


# --------------------------------------------------------------------------- Data Package

_PROFILE = "https://datapackage.org/profiles/2.0/"


def _json_bytes(obj: Any) -> bytes:
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
    files["datapackage.json"] = _json_bytes(_datapackage(version_, files))
    _write_folder(folder, files)


# --------------------------------------------------------------------------- canonical JSON


def _dumps_records(records: Records, *, format: str = "json", version: str | None = None) -> bytes:
    """The canonical JSON or JSON Lines bytes of any records (no integrity check)."""
    version_, cols = _collect(records, version)
    doc = Document(schema=SCHEMA, version=version_, **cols)
    if format == "json":
        return canonical_json(doc)
    if format == "jsonl":
        return canonical_jsonl(doc)
    raise ValueError(f"unknown format {format!r}: expected 'json' or 'jsonl'")


# --------------------------------------------------------------------------- selections


def _referenced_ids(obj: Any) -> Iterator[str]:
    """The ids of the records ``obj`` (a record or a nested value) refers to."""
    cls = type(obj)
    for f in _fields(cls):
        value = getattr(obj, f.name)
        t = _classify(f.type)
        if (cls, f.name) in _REFS:
            yield from (value if isinstance(value, tuple) else (value,) if value else ())
        elif t.kind == "object" and value is not None:
            yield from _referenced_ids(value)
        elif t.kind == "array" and t.of.kind == "object":
            for item in value:
                yield from _referenced_ids(item)


def _with_references(selection: Iterable[Record], dataset: Dataset) -> list[Record]:
    """The selection plus every record it refers to, directly or not, found in ``dataset``.

    This makes a selection a valid dataset on its own: its actors (and their parents), places
    (and the places they lie within), cited sources, and related agreements and facilities
    with what they refer to in turn.
    """
    out: dict[str, Record] = {r.id: r for r in selection}
    todo = list(out.values())
    while todo:
        for rid in _referenced_ids(todo.pop()):
            if rid not in out:
                ref = dataset.get(rid, None)
                if ref is not None:
                    out[rid] = ref
                    todo.append(ref)
    return list(out.values())


# --------------------------------------------------------------------------- GeoJSON

_POINT_PRECISIONS = (LocationPrecision.SITE, LocationPrecision.TOWN)


def _steps(rec: Any) -> list[tuple[str, Any]]:
    """``(status, date)`` of an agreement's milestones or a facility's history, in order."""
    if isinstance(rec, Agreement):
        return [(m.status.value, m.date) for m in rec.milestones]
    if isinstance(rec, Facility):
        return [(h.status.value, h.date) for h in rec.history]
    return []


def _record_when(rec: Any) -> When | None:
    """An event's date; for an agreement or facility, the span of its dated steps."""
    if isinstance(rec, Event):
        date: When = rec.date
        return date
    dated = [d for _s, d in _steps(rec) if d is not None]
    if not dated:
        return None
    first = min(dated, key=lambda d: d.sort_key())
    last = max(dated, key=lambda d: (d.latest is None, d.latest or _dt.date.min))
    start = first.start if isinstance(first, DateSpan) else first
    end = last.end if isinstance(last, DateSpan) else last
    if start == end and start is not None:
        return start
    try:
        return DateSpan(start, end)
    except ValueError:  # reversed or open at both ends: no honest span
        return None


def _iso(d: Any) -> str | None:
    day = _day(d)
    return None if day is None else day.isoformat()


def _admin_region(place: Place, gazetteer: Mapping[str, Place]) -> str | None:
    """The place's first-level region: its own ``admin_region``, else the region it lies within."""
    seen: set[str] = set()
    cur: Place | None = place
    while cur is not None and cur.id not in seen:
        if cur.admin_region:
            return cur.admin_region
        if cur.precision is LocationPrecision.REGION:
            return cur.name
        seen.add(cur.id)
        cur = gazetteer.get(cur.within) if cur.within else None
    return None


def _feature(
    rec: Any, kind: str, pid: str | None, gazetteer: Mapping[str, Place], role: str | None = None
) -> dict[str, Any]:
    geometry: dict[str, Any] | None = None
    place = None if pid is None else gazetteer.get(pid)
    if pid is None:
        reason: str | None = "no place is recorded for this record"
    elif place is None:
        reason = "the place is not among the records"
    elif place.precision not in _POINT_PRECISIONS:
        reason = f"a {place.precision.value}-level place is not shown as a point"
    elif place.coordinates is None:
        reason = "no coordinates are recorded for this place"
    else:
        reason = None
        lon, lat = round(place.coordinates.lon, 6), round(place.coordinates.lat, 6)
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    date = _record_when(rec)
    props = {
        "record": rec.id,
        "record_kind": SINGULAR[kind],
        "kind": rec.kind.value,
        "title": rec.name if isinstance(rec, Facility) else rec.title,
        "summary": rec.summary,
        "status": rec.status.value if not isinstance(rec, Event) else None,
        "confidence": rec.confidence.value,
        "date": None if date is None else str(date),
        "date_label": None if date is None else format_when(date),
        "date_earliest": None if date is None else _iso(date.earliest),
        "date_latest": None if date is None else _iso(date.latest),
        "steps": [
            {
                "status": status,
                "date": None if d is None else str(d),
                "date_earliest": None if d is None else _iso(d.earliest),
                "date_latest": None if d is None else _iso(d.latest),
            }
            for status, d in _steps(rec)
        ],
        "place": pid,
        "place_role": role,
        "place_name": None if place is None else place.name,
        "place_precision": None if place is None else place.precision.value,
        "place_country": None if place is None else place.country,
        "place_admin_region": None if place is None else _admin_region(place, gazetteer),
        "no_point_reason": reason,
    }
    fid = rec.id if pid is None else f"{rec.id}@{pid}"
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": props}


def _record_places(rec: Any) -> list[tuple[str, str]]:
    """``(place id, role)`` of a record, without repeats: ``place`` or ``area`` for facilities."""
    if isinstance(rec, Facility):
        pairs = ([(rec.place, "place")] if rec.place else []) + [(a, "area") for a in rec.areas]
    else:
        pairs = [(p, "place") for p in rec.places]
    out: dict[str, str] = {}
    for pid, role in pairs:
        out.setdefault(pid, role)
    return list(out.items())


def to_geojson(
    records: Records,
    *,
    context: Dataset | Iterable[Record] | None = None,
    places: Iterable[Record] | None = None,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946) every event, agreement and facility is a feature.

    There is one Feature per place of each record (an event in two towns gives two; a
    facility's ``place`` and each of its ``areas``), with id ``<record>@<place>``, and one
    Feature with id ``<record>`` for a record with no place at all, so that nothing is
    missing from a map's table. Its geometry is a Point (``[lon, lat]``, WGS 84, rounded to 6
    decimal places, about 10 cm, as RFC 7946 advises) only for a place of ``site`` or
    ``town`` precision with recorded coordinates; otherwise it is ``null`` and the
    ``no_point_reason`` property says why: a district, region or country is never reduced to
    a point.

    Properties are the same keys on every feature: record, record kind, kind, title, summary,
    status, confidence; the date with its label and ISO bounds (``date_earliest``,
    ``date_latest``) — for an agreement or a facility, the span from its first to its last
    dated milestone or history step, so a time-slider map can place it; ``steps``, the list
    of those milestones or steps (``status``, ``date`` and its bounds; empty for events);
    and the place's id, role (``place``, or ``area`` for a district a facility programme
    covers), name, precision, country and first-level region (``place_admin_region``: the
    place's own, else the name of the region it lies within).

    Args:
        records: a Dataset or any iterable of records.
        context: the dataset (or any records) in which to look up the places the records
            refer to, besides the places among the records (e.g. ``context=ds`` when
            ``records`` is a selection of events) — the keyword every renderer takes.
        places: the former name of ``context`` (deprecated; it warns).
    """
    if places is not None:
        import warnings

        warnings.warn("to_geojson(places=...) is deprecated: use context=", DeprecationWarning, stacklevel=2)
        context = places if context is None else context
    _version, cols = _collect(records, None)
    gazetteer = {p.id: p for p in (context or ()) if isinstance(p, Place)}
    gazetteer.update((p.id, p) for p in cols["places"])
    features: list[dict[str, Any]] = []
    for kind in ("events", "agreements", "facilities"):
        for rec in cols[kind]:
            located = _record_places(rec)
            if not located:
                features.append(_feature(rec, kind, None, gazetteer))
            features.extend(_feature(rec, kind, pid, gazetteer, role) for pid, role in located)
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- JSON Schema


def _default_json(v: Any) -> Any:
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, tuple):
        return list(v)
    return v


def _type_schema(t: _T, cls: type[Any], name: str, ref: Callable[[type[Any]], dict[str, Any]]) -> dict[str, Any]:
    s: dict[str, Any]
    if t.kind == "array":
        s = {"type": "array", "items": _type_schema(t.of, cls, name, ref)}
    elif t.kind == "object":
        s = ref(t.of)
    elif t.kind == "enum":
        s = {"type": "string", "enum": _enum_values(t.of)}
    elif t.kind == "date":
        s = {"type": "string", "pattern": _whole(EDTF_DATE)}
    elif t.kind == "when":
        s = {"type": "string", "pattern": _whole(EDTF_WHEN)}
    elif t.kind == "str":
        s = {"type": "string"}
        if name == "id" and cls in _CLASS_KIND:
            s["pattern"] = _whole(_id_pattern(_CLASS_KIND[cls]))
        elif (cls, name) in _REFS:
            s["pattern"] = _whole(_id_pattern(_REFS[(cls, name)]))
        elif name == "country":
            s["pattern"] = _whole(_COUNTRY)
        else:
            s["pattern"] = _text_pattern(name)
    elif t.kind == "int":
        s = {"type": "integer"}
    elif t.kind == "bool":
        s = {"type": "boolean"}
    else:  # float, number
        s = {"type": "number"}
        if (cls, name) in _BOUNDS:
            s["minimum"], s["maximum"] = _BOUNDS[(cls, name)]
    if t.optional:
        s = {"anyOf": [s, {"type": "null"}]}
    return s


def _object_schema(cls: type[Any], ref: Callable[[type[Any]], dict[str, Any]]) -> dict[str, Any]:
    docs = _field_docs(cls)
    props: dict[str, Any] = {}
    required = []
    for f in _fields(cls):
        s = _type_schema(_classify(f.type), cls, f.name, ref)
        if docs.get(f.name):
            s = {"description": docs[f.name], **s}
        if f.default is attrs.NOTHING:
            required.append(f.name)
        elif not isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            s["default"] = _default_json(f.default)
        props[f.name] = s
    out: dict[str, Any] = {
        "type": "object",
        "title": cls.__name__,
        "description": _class_doc(cls),
        "properties": props,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the canonical JSON dataset document.

    It is generated from the model, so it covers every record type (under ``$defs``) and
    every field: enumerations as ``enum`` lists, dates as strings with an EDTF pattern, ids
    and references with their kind's prefix, unknown keys refused. A document that passes it
    is well-formed; [`sinotajik.load`][sinotajik.load] also checks what a schema cannot (that references
    exist, calendar days, cycles). Each JSON Lines record is a ``$defs`` entry plus a
    ``record`` key.
    """
    defs: dict[str, Any] = {}

    def ref(cls: type[Any]) -> dict[str, Any]:
        name = cls.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = _object_schema(cls, ref)
        return {"$ref": f"#/$defs/{name}"}

    root = _object_schema(Document, ref)
    root["title"] = f"sinotajik dataset (wire-format schema {SCHEMA})"
    root["properties"]["schema"] = {"description": "The wire-format schema.", "const": SCHEMA}
    root["properties"]["version"] = {
        "description": "The dataset version.",
        "type": "string",
        "pattern": _whole(_VERSION),
    }
    for kind, cls in KINDS.items():
        root["properties"][kind]["description"] = f"The {kind}, sorted by id: {_class_doc(cls)}"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **root, "$defs": dict(sorted(defs.items()))}


# --------------------------------------------------------------------------- pandas and Arrow


def _require(module: str, extra: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{what} needs {module.split('.')[0]}: pip install 'sinotajik[{extra}]'") from None


def to_pandas(
    records: Records,
    *,
    version: str | None = None,
    names: bool = False,
    context: Dataset | Iterable[Record] | None = None,
) -> dict[str, pandas.DataFrame]:
    """The tables of [`to_tables`][sinotajik.to_tables] as pandas DataFrames (needs ``sinotajik[pandas]``).

    Columns have nullable dtypes: ``string``, ``Int64``, ``Float64``, ``boolean``,
    ``category`` (with every value of the enumeration) and ``datetime64[s]`` for the derived
    ``*_earliest``/``*_latest`` days. ``names=True`` adds the ``<column>_name`` string
    columns of [`to_tables`][sinotajik.to_tables].

    Raises:
        ImportError: pandas is not installed; the message names the extra to install.
    """
    pd = _require("pandas", "pandas", "to_pandas()")
    dtypes = {
        "string": "string",
        "integer": "Int64",
        "number": "Float64",
        "boolean": "boolean",
        "date": "datetime64[s]",
    }
    tables = _columns(records, version, names, context)
    out: dict[str, pandas.DataFrame] = {}
    for t in _TABLES:
        columns = tables[t.name]
        data = {}
        named = _name_columns(t) if names else {}
        for c in t.columns:
            dtype = pd.CategoricalDtype(list(c.enum)) if c.enum else dtypes[c.type]
            data[c.name] = pd.Series(columns[c.name], dtype=dtype)
            if c.name in named:
                data[named[c.name]] = pd.Series(columns[named[c.name]], dtype="string")
        out[t.name] = pd.DataFrame(data, columns=list(data))
    return out


def to_arrow(records: Records, *, version: str | None = None) -> dict[str, pyarrow.Table]:
    """The tables of [`to_tables`][sinotajik.to_tables] as Arrow tables (needs ``sinotajik[arrow]``).

    Types: ``string``, ``int64``, ``float64``, ``bool`` and ``date32`` (the derived days);
    required columns are not nullable. Each field's description is in its metadata, and the
    table's description, dataset version and schema in the schema's metadata.

    Raises:
        ImportError: pyarrow is not installed; the message names the extra to install.
    """
    pa = _require("pyarrow", "arrow", "to_arrow()")
    types_ = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }
    tables = _columns(records, version)
    version_ = tables["dataset"]["version"][0]
    out: dict[str, pyarrow.Table] = {}
    for t in _TABLES:
        fields = [
            pa.field(c.name, types_[c.type], nullable=not c.required, metadata={"description": c.description})
            for c in t.columns
        ]
        meta = {"description": t.description, "sinotajik.version": version_, "sinotajik.schema": str(SCHEMA)}
        columns = tables[t.name]
        # Straight from the column lists: no row dicts on the way.
        arrays = [pa.array(columns[c.name], type=types_[c.type]) for c in t.columns]
        out[t.name] = pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=meta))
    return out


def write_parquet(records: Records, folder: str | os.PathLike[str], *, version: str | None = None) -> None:
    """Write the tables as Parquet files, one per table, into ``folder`` (needs ``sinotajik[arrow]``).

    DuckDB, Polars and Spark read them directly (``SELECT * FROM 'folder/events.parquet'``).
    The folder is written atomically (see [`write_csv`][sinotajik.write_csv]).

    Raises:
        ImportError: pyarrow is not installed; the message names the extra to install.
        FileExistsError: ``folder`` is a file, or holds files no export writes.
    """
    pa = _require("pyarrow", "arrow", "write_parquet()")
    pq = _require("pyarrow.parquet", "arrow", "write_parquet()")
    files: dict[str, bytes] = {}
    for name, table in to_arrow(records, version=version).items():
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        files[f"{name}.parquet"] = sink.getvalue().to_pybytes()
    _write_folder(folder, files)
