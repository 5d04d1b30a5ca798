"""The tables as pandas DataFrames: [`to_pandas`][sinotajik.to_pandas] (needs ``sinotajik[pandas]``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .._dataset import Dataset
from .._model import Record
from .tables import _TABLES, Records, _columns, _name_columns, _require

if TYPE_CHECKING:
    import pandas

__all__ = ["to_pandas"]


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
