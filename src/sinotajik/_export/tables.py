"""The relational tables: their layout, and the records as columns of cells.

Tables ([`to_tables`][sinotajik.to_tables], [`write_csv`][sinotajik.write_csv],
[`write_datapackage`][sinotajik.write_datapackage], [`to_pandas`][sinotajik.to_pandas],
[`to_arrow`][sinotajik.to_arrow], [`write_parquet`][sinotajik.write_parquet],
[`write_sqlite`][sinotajik.write_sqlite]) hold every field of every record:

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

The cells are built column by column (`_columns`): one list per column, straight from the
records, which every table export reads, so that the meaning of a cell is written once.

pandas and pyarrow are optional: install ``sinotajik[pandas]`` or ``sinotajik[arrow]``.
"""

from __future__ import annotations

import datetime as _dt
import importlib
from collections.abc import Iterable, Mapping
from typing import Any, Union

import attrs

from .._dataset import Dataset
from .._dates import bound_day
from .._document import KINDS, SCHEMA, SINGULAR
from .._model import Citation, Record
from .introspect import (
    _BOUNDS,
    _COUNTRY,
    _ITEM_NAMES,
    _REFS,
    _T,
    _VERSION,
    EDTF_DATE,
    EDTF_WHEN,
    _class_doc,
    _classify,
    _enum_values,
    _field_docs,
    _fields,
    _id_pattern,
)

__all__ = ["to_tables"]

Records = Union[Dataset, Iterable[Record]]
Row = dict[str, Any]

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

# --------------------------------------------------------------------------- records to columns


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
    from .panel import record_names

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


# --------------------------------------------------------------------------- optional libraries


def _require(module: str, extra: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{what} needs {module.split('.')[0]}: pip install 'sinotajik[{extra}]'") from None
