"""A SQLite database of the dataset, ready for SQL, Datasette and DuckDB's SQLite reader.

[`write_sqlite`][sinotajik.write_sqlite] writes one file with the tables of
[`sinotajik.to_tables`][sinotajik.to_tables] (a table per record kind, a link table per list
field, ``citations``), plus:

* ``claims``: every claim of every event, agreement and facility in one tidy table with a
  ``contested`` column ([`sinotajik.claims_table`][sinotajik.claims_table]);
* primary keys, ``FOREIGN KEY`` clauses on every reference (``PRAGMA foreign_key_check``
  finds none broken in an export of a whole dataset), and indexes on every reference column
  and every derived ``*_earliest``/``*_latest`` day;
* ``search``: a full-text index (SQLite FTS5) over titles, summaries, claims and quotes, one
  row per text with its ``record``, ``kind`` (``event``...) and ``field`` (``title``,
  ``summary``, ``claims[0].statement``, ``citations[2].quote``).

Columns are typed ``TEXT``, ``INTEGER`` or ``REAL``; booleans are ``0``/``1``; dates are
their EDTF strings, the derived days ISO ``YYYY-MM-DD`` text, which sorts as dates.

[`datasette_metadata`][sinotajik.datasette_metadata] is the matching Datasette ``metadata.json``: title, licence,
source, and a description of every table and column, taken from the model's docstrings.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Union

from .._dataset import Dataset
from .._model import Agreement, Event, Facility, Record, Source
from .folder import _fresh_name
from .panel import claims_table
from .tables import _TABLES, _collect, _Table, to_tables

__all__ = ["datasette_metadata", "write_sqlite"]

Records = Union[Dataset, Iterable[Record]]

_SQL_TYPE = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"}
_LICENSE = ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")
_SOURCE = ("sinotajik", "https://github.com/sinotajik/sinotajik")

#: The tidy claims table: its columns, SQL types and descriptions.
_CLAIM_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("record", "TEXT", "The id of the event, agreement or facility the claim is about."),
    ("record_kind", "TEXT", "event, agreement or facility."),
    ("seq", "INTEGER", "The claim's 0-based position in its record's claims."),
    ("about", "TEXT", "What the claim concerns (existence, operator, date...)."),
    ("stance", "TEXT", "asserts, denies, disputes or declines_to_comment."),
    ("statement", "TEXT", "The claim in our own words."),
    ("by", "TEXT", "The id of the actor making the claim; empty when only a source makes it."),
    ("date", "TEXT", "When the claim was made (EDTF)."),
    ("date_earliest", "TEXT", "The first day the claim's date can denote."),
    ("date_latest", "TEXT", "The last day the claim's date can denote."),
    ("sources", "TEXT", "The ids of the sources cited for the claim, separated by ';'."),
    (
        "contested",
        "INTEGER",
        "1 when the record holds, on the same subject, a claim asserting and one denying or disputing.",
    ),
)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create(t: _Table) -> str:
    cols = [f"{_q(c.name)} {_SQL_TYPE[c.type]}{' NOT NULL' if c.required else ''}" for c in t.columns]
    cols.append(f"PRIMARY KEY ({', '.join(_q(k) for k in t.primary_key)})")
    cols.extend(f"FOREIGN KEY ({_q(c.name)}) REFERENCES {_q(c.ref)} (id)" for c in t.columns if c.ref is not None)
    return f"CREATE TABLE {_q(t.name)} (\n  " + ",\n  ".join(cols) + "\n)"


def _indexes(t: _Table) -> list[str]:
    out = []
    for c in t.columns:
        if (c.ref is not None and c.name != t.primary_key[0]) or c.kind in ("earliest", "latest"):
            out.append(f"CREATE INDEX {_q(f'idx_{t.name}_{c.name}')} ON {_q(t.name)} ({_q(c.name)})")
    return out


def _cell(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


def _texts(cols: dict[str, tuple[Any, ...]]) -> Iterable[tuple[str, str, str, str]]:
    """``(record, kind, field, text)`` for every title, summary, claim and quote."""
    kinds = {"sources": "source", "events": "event", "agreements": "agreement", "facilities": "facility"}
    for coll, kind in kinds.items():
        for r in cols[coll]:
            title = r.name if isinstance(r, Facility) else r.title
            yield r.id, kind, "name" if isinstance(r, Facility) else "title", title
            if isinstance(r, Source):
                continue
            assert isinstance(r, (Event, Agreement, Facility))
            yield r.id, kind, "summary", r.summary
            for i, c in enumerate(r.claims):
                yield r.id, kind, f"claims[{i}].statement", c.statement
                for j, cite in enumerate(c.citations):
                    if cite.quote:
                        yield r.id, kind, f"claims[{i}].citations[{j}].quote", cite.quote
            for j, cite in enumerate(r.citations):
                if cite.quote:
                    yield r.id, kind, f"citations[{j}].quote", cite.quote


def _fill(con: sqlite3.Connection, records: Records, version: str | None) -> None:
    tables = to_tables(records, version=version)
    for t in _TABLES:
        con.execute(_create(t))
        names = [c.name for c in t.columns]
        sql = f"INSERT INTO {_q(t.name)} ({', '.join(map(_q, names))}) VALUES ({', '.join('?' * len(names))})"
        con.executemany(sql, ([_cell(row[n]) for n in names] for row in tables[t.name]))
        for stmt in _indexes(t):
            con.execute(stmt)
    cols = ", ".join(f"{_q(n)} {ty}" for n, ty, _d in _CLAIM_COLUMNS)
    con.execute(f"CREATE TABLE claims ({cols}, PRIMARY KEY (record, seq), FOREIGN KEY (by) REFERENCES actors (id))")
    names = [n for n, _t, _d in _CLAIM_COLUMNS]
    con.executemany(
        f"INSERT INTO claims VALUES ({', '.join('?' * len(names))})",
        ([_cell(row[n]) for n in names] for row in claims_table(records)),
    )
    for n in ("by", "about", "date_earliest"):
        con.execute(f"CREATE INDEX {_q(f'idx_claims_{n}')} ON claims ({_q(n)})")
    _version, by_kind = _collect(records, version)
    con.execute("CREATE VIRTUAL TABLE search USING fts5(record UNINDEXED, kind UNINDEXED, field UNINDEXED, text)")
    con.executemany("INSERT INTO search (record, kind, field, text) VALUES (?, ?, ?, ?)", _texts(by_kind))


def write_sqlite(records: Records, path: str | os.PathLike[str], *, version: str | None = None) -> None:
    """Write the dataset as one SQLite database file (see the module notes for its tables).

    The file is built beside ``path`` under a temporary name, then renamed over it, so a
    reader never sees half a database. Query it with ``sqlite3``, serve it with
    ``datasette sinotajik.db --metadata metadata.json`` (see [`datasette_metadata`][sinotajik.datasette_metadata]), or
    attach it from DuckDB.

    Full-text search: ``SELECT record, field, snippet(search, 3, '[', ']', '…', 8) FROM
    search WHERE search MATCH 'outpost'``.

    Args:
        records: a Dataset or any iterable of records.
        path: the file to write (replaced when it exists; its folder must exist).
        version: the version to record in the ``dataset`` table (see
            [`sinotajik.to_tables`][sinotajik.to_tables]).

    Raises:
        IsADirectoryError: ``path`` is a folder.
        FileNotFoundError: the folder of ``path`` does not exist.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file", str(target))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(2, "the folder does not exist", str(folder))
    tmp = _fresh_name(target, "tmp")
    try:
        con = sqlite3.connect(tmp)
        try:
            with con:
                _fill(con, records, version)
            con.execute("VACUUM")
        finally:
            con.close()
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def datasette_metadata(records: Records, *, database: str = "sinotajik", version: str | None = None) -> dict[str, Any]:
    """The Datasette ``metadata.json`` for a database written by [`write_sqlite`][sinotajik.write_sqlite].

    It gives the title, licence (CC BY 4.0) and source, and for ``database`` a description of
    every table and column, from the model's docstrings. Datasette names a database after its
    file: pass the file's stem (``sinotajik`` for ``sinotajik.db``).

    Args:
        records: the records the database holds (for the version in the description).
        database: the database name, the stem of the SQLite file.
        version: the version to name; the Dataset's own, or ``unreleased`` for records.
    """
    version_, _cols = _collect(records, version)
    tables: dict[str, Any] = {}
    for t in _TABLES:
        tables[t.name] = {
            "description": t.description,
            "columns": {c.name: c.description for c in t.columns if c.description},
        }
    tables["claims"] = {
        "description": "Every claim of every event, agreement and facility, one tidy row each.",
        "columns": {n: d for n, _t, d in _CLAIM_COLUMNS},
    }
    tables["search"] = {
        "description": "Full-text index (FTS5) of titles, summaries, claims and quotes: WHERE search MATCH 'words'.",
        "columns": {
            "record": "The id of the record the text is from.",
            "kind": "source, event, agreement or facility.",
            "field": "Where in the record: title, name, summary, claims[0].statement, citations[2].quote.",
            "text": "The text.",
        },
    }
    return {
        "title": "sinotajik: China–Tajikistan security cooperation",
        "description": f"Dataset version {version_}: events, agreements, facilities, actors, places and sources, "
        "each fact with its citations; dates are EDTF strings with derived first and last days.",
        "license": _LICENSE[0],
        "license_url": _LICENSE[1],
        "source": _SOURCE[0],
        "source_url": _SOURCE[1],
        "databases": {database: {"tables": tables}},
    }
