"""The tables as Arrow tables and Parquet files (needs ``sinotajik[arrow]``).

[`to_arrow`][sinotajik.to_arrow] hands the column lists of `tables` to ``pyarrow.array``
with each column's type, without building a row anywhere;
[`write_parquet`][sinotajik.write_parquet] writes them into a folder atomically.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .._document import SCHEMA
from .folder import _write_folder
from .tables import _TABLES, Records, _columns, _require

if TYPE_CHECKING:
    import pyarrow

__all__ = ["to_arrow", "write_parquet"]


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
