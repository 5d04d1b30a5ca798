"""Records as canonical JSON or JSON Lines, and a selection closed over the records it refers to."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .._dataset import Dataset
from .._document import SCHEMA, Document
from .._model import Record
from .._serialize import canonical_json, canonical_jsonl
from .introspect import _REFS, _classify, _fields
from .tables import Records, _collect

__all__: list[str] = []

# --------------------------------------------------------------------------- canonical JSON


def dumps_records(records: Records, *, format: str = "json", version: str | None = None) -> bytes:
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


def with_references(selection: Iterable[Record], dataset: Dataset) -> list[Record]:
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
