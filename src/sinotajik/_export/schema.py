"""The canonical JSON document as JSON Schema 2020-12: [`json_schema`][sinotajik.json_schema].

For programs in other languages that consume the data.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import attrs

from .._document import KINDS, SCHEMA, Document
from .introspect import (
    _BOUNDS,
    _COUNTRY,
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
    _text_pattern,
    _whole,
)
from .tables import _CLASS_KIND

__all__ = ["json_schema"]


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
