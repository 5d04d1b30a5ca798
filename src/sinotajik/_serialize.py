"""The one converter between the model and its wire form, and the canonical JSON.

What the wire form does (schema 1):

* records are JSON objects with the field names of the model; fields at their default value
  (``None``, empty tuple, the default enum) are omitted, and unknown keys are an error;
* dates and spans are EDTF strings (``"2016-10"``, ``"2021-08-18/2021-08-19"``), parsed
  into :class:`~sinotajik.PartialDate` / :class:`~sinotajik.DateSpan`, never into
  ``datetime``;
* enumerations are their lower-case string values; tuples are JSON arrays;
* types are strict: a number is not accepted for a string, a string is not a list, ``true``
  is not a number (cattrs would coerce all of these by default);
* every problem is collected with its path, e.g. ``events[3].date: '2021-02-30' is not a
  valid day``, and raised together as one :class:`~sinotajik.DataError`.

A dataset document is ``{"schema": 1, "version": ..., "actors": [...], "places": [...],
"sources": [...], "events": [...], "agreements": [...], "facilities": [...]}``. Its canonical
form has sorted keys, records sorted by id, two-space indentation, UTF-8 without escapes and a
final newline, so that the same data always gives the same bytes and the same SHA-256.

JSON Lines holds the same document as a header line ``{"schema": 1, "version": ...}``
followed by one record per line, each with a ``"record"`` key naming its kind (``"event"``).
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar, Union, get_args

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from ._dates import DateSpan, PartialDate, When, parse_date, parse_when
from ._errors import DataError, Problem
from ._model import Actor, Agreement, Event, Facility, Place, Record, Source, _StrEnum

__all__ = [
    "KINDS",
    "SCHEMA",
    "Document",
    "canonical_json",
    "converter",
    "document_from_bytes",
    "from_dict",
    "to_dict",
]

SCHEMA = 1
"""The version of the wire format this code writes (and the newest it reads)."""

T = TypeVar("T")

#: Top-level collections in document order, with the record class each holds.
KINDS: dict[str, type[Any]] = {
    "actors": Actor,
    "places": Place,
    "sources": Source,
    "events": Event,
    "agreements": Agreement,
    "facilities": Facility,
}
_SINGULAR = {
    "actors": "actor",
    "places": "place",
    "sources": "source",
    "events": "event",
    "agreements": "agreement",
    "facilities": "facility",
}
_PLURAL = {v: k for k, v in _SINGULAR.items()}


@attrs.frozen(kw_only=True)
class Document:
    """A whole dataset as it stands on the wire: schema, version and the record collections."""

    schema: int
    version: str
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    sources: tuple[Source, ...] = ()
    events: tuple[Event, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    facilities: tuple[Facility, ...] = ()

    def records(self) -> Iterator[tuple[str, int, Record]]:
        """Every record with its collection name and index, in document order."""
        for kind in KINDS:
            for i, rec in enumerate(getattr(self, kind)):
                yield kind, i, rec


# --------------------------------------------------------------------------- strict hooks


def _json_type(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return f"the number {v!r}"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, (list, tuple)):
        return "a list"
    if isinstance(v, Mapping):
        return "an object"
    return type(v).__name__


def _str(v: object, _: Any) -> str:
    if not isinstance(v, str):
        raise TypeError(f"expected a string, got {_json_type(v)}")
    return v


def _int(v: object, _: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"expected a whole number, got {_json_type(v)}")
    return v


def _float(v: object, _: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"expected a number, got {_json_type(v)}")
    if not math.isfinite(v):
        raise ValueError(f"{v!r} is not a finite number")
    return float(v)


def _number(v: object, _: Any) -> int | float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"expected a number, got {_json_type(v)}")
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError(f"{v!r} is not a finite number")
    return v


def _bool(v: object, _: Any) -> bool:
    if not isinstance(v, bool):
        raise TypeError(f"expected true or false, got {_json_type(v)}")
    return v


def _partial_date(v: object, _: Any) -> PartialDate:
    if not isinstance(v, str):
        raise TypeError(f"expected an EDTF date string, got {_json_type(v)}")
    return parse_date(v)


def _when(v: object, _: Any) -> When:
    if not isinstance(v, str):
        raise TypeError(f"expected an EDTF date or span string, got {_json_type(v)}")
    return parse_when(v)


def _optional(fn: Callable[[object, Any], T]) -> Callable[[object, Any], T | None]:
    def hook(v: object, t: Any) -> T | None:
        return None if v is None else fn(v, t)

    return hook


_ENUM_VALUES: dict[type[enum.Enum], tuple[dict[object, enum.Enum], str]] = {}


def _enum(v: object, cls: type[enum.Enum]) -> enum.Enum:
    known = _ENUM_VALUES.get(cls)
    if known is None:
        values = {m.value: m for m in cls}
        known = _ENUM_VALUES[cls] = (values, ", ".join(sorted(str(k) for k in values)))
    values, allowed = known
    if not isinstance(v, str) or v not in values:
        shown = repr(v) if isinstance(v, str) else _json_type(v)
        raise ValueError(f"{shown} is not one of: {allowed}")
    return values[v]


def _is_var_tuple(t: Any) -> bool:
    args = get_args(t)
    return getattr(t, "__origin__", None) is tuple and len(args) == 2 and args[1] is Ellipsis


def _make_tuple_hook(conv: cattrs.Converter, t: Any) -> Callable[[object, Any], tuple[Any, ...]]:
    elem = get_args(t)[0]
    inner = conv.get_structure_hook(elem)

    def hook(v: object, _: Any) -> tuple[Any, ...]:
        if not isinstance(v, (list, tuple)):
            raise TypeError(f"expected a list, got {_json_type(v)}")
        out = []
        errors: list[Exception] = []
        for i, item in enumerate(v):
            try:
                out.append(inner(item, elem))
            except Exception as exc:  # noqa: BLE001 - every problem is collected below
                note = IterableValidationNote(f"Structuring {t} @ index {i}", i, elem)
                notes = [*getattr(exc, "__notes__", []), note]
                exc.__notes__ = notes  # type: ignore[attr-defined]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {t!r}", errors, t)
        return tuple(out)

    return hook


def _make_class_hook(conv: cattrs.Converter, cls: type[Any]) -> Callable[[object, Any], Any]:
    from cattrs.gen import make_dict_structure_fn

    inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

    def hook(v: object, _: Any) -> Any:
        if not isinstance(v, Mapping):
            raise TypeError(f"expected an object, got {_json_type(v)}")
        return inner(v, cls)

    return hook


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(
        omit_if_default=True,
        forbid_extra_keys=True,
        detailed_validation=True,
    )
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(bool, _bool)
    # Our enums subclass str, so they need a hook more specific than str's.
    conv.register_structure_hook(_StrEnum, _enum)
    conv.register_structure_hook(Union[int, float], _number)
    conv.register_structure_hook(PartialDate, _partial_date)
    conv.register_structure_hook(Union[PartialDate, None], _optional(_partial_date))
    conv.register_structure_hook(When, _when)
    conv.register_structure_hook(Union[PartialDate, DateSpan, None], _optional(_when))
    conv.register_structure_hook(Union[str, None], _optional(_str))
    conv.register_structure_hook(Union[int, None], _optional(_int))
    conv.register_unstructure_hook(PartialDate, str)
    conv.register_unstructure_hook(DateSpan, str)
    conv.register_unstructure_hook(When, str)
    conv.register_structure_hook_factory(_is_var_tuple, lambda t: _make_tuple_hook(conv, t))
    conv.register_structure_hook_factory(attrs.has, lambda t: _make_class_hook(conv, t))
    return conv


converter: cattrs.Converter = _make_converter()
"""The configured cattrs converter: strict types, EDTF dates, enums as values, no extra keys."""


# --------------------------------------------------------------------------- errors


def _problems(exc: BaseException, path: str) -> Iterator[Problem]:
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            if isinstance(note, IterableValidationNote):
                sub_path = f"{path}[{note.index}]"
            else:
                sub_path = f"{path}.{note.name}" if path else note.name
            yield from _problems(sub, sub_path)
        for sub in without:
            yield from _problems(sub, path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield Problem(f"{path}.{key}" if path else key, "unknown field")
    elif isinstance(exc, KeyError):
        yield Problem(path, "required field is missing")
    elif isinstance(exc, (TypeError, ValueError)):
        yield Problem(path, str(exc))
    else:
        yield Problem(path, f"{type(exc).__name__}: {exc}")


def structure(data: object, cls: type[T], path: str = "") -> T:
    """Structure ``data`` into ``cls``, or raise :class:`DataError` listing every problem."""
    try:
        return converter.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - turned into our single error type
        raise DataError(list(_problems(exc, path))) from None


def from_dict(data: Mapping[str, Any], cls: type[T]) -> T:
    """Build a record (or any model value) from its wire form, strictly.

    Raises:
        DataError: listing every problem with its path.
    """
    return structure(data, cls)


def to_dict(value: Any) -> Any:
    """The wire form of a record or any model value (a JSON-ready dict, list or scalar)."""
    return _jsonable(converter.unstructure(value))


def _jsonable(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    return v


# --------------------------------------------------------------------------- documents


def document_dict(doc: Document) -> dict[str, Any]:
    """The wire form of a document with every collection sorted by id."""
    out: dict[str, Any] = {"schema": doc.schema, "version": doc.version}
    for kind in KINDS:
        recs = sorted(getattr(doc, kind), key=lambda r: r.id)
        out[kind] = [to_dict(r) for r in recs]
    return out


def canonical_json(doc: Document) -> bytes:
    """The canonical, byte-stable JSON of a document (see the module docstring)."""
    text = json.dumps(document_dict(doc), ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def canonical_jsonl(doc: Document) -> bytes:
    """The canonical JSON Lines form of a document: a header, then one record per line."""
    d = document_dict(doc)
    lines = [json.dumps({"schema": d["schema"], "version": d["version"]}, sort_keys=True)]
    for kind in KINDS:
        for rec in d[kind]:
            lines.append(
                json.dumps(
                    {"record": _SINGULAR[kind], **rec},
                    ensure_ascii=False,
                    sort_keys=True,
                    allow_nan=False,
                )
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        raise DataError([Problem("", "starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([Problem("", f"is not UTF-8 text (bad byte at offset {exc.start})")]) from None


def _json_loads(text: str, where: str = "") -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise DataError([Problem(where, msg)]) from None
    except RecursionError:
        raise DataError([Problem(where, "JSON is nested too deeply")]) from None
    except ValueError as exc:
        raise DataError([Problem(where, str(exc))]) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


def _jsonl_to_dict(text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Regroup JSON Lines into a document dict; also map ``events[2]`` to its line number."""
    # Split on "\n" only: str.splitlines() would also split inside strings at U+0085, U+2028...
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not lines:
        raise DataError([Problem("", "is empty: expected a JSON Lines header line")])
    n0, first = lines[0]
    header = _json_loads(first, f"line {n0}")
    if not isinstance(header, dict):
        raise DataError([Problem(f"line {n0}", "the header must be an object with schema and version")])
    doc: dict[str, Any] = dict(header)
    origin: dict[str, int] = {}
    problems: list[Problem] = []
    for kind in KINDS:
        doc.setdefault(kind, [])
    for n, line in lines[1:]:
        try:
            obj = _json_loads(line, f"line {n}")
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(f"line {n}", f"expected an object, got {_json_type(obj)}"))
            continue
        kind_name = obj.pop("record", None)
        if kind_name not in _PLURAL:
            allowed = ", ".join(sorted(_PLURAL))
            problems.append(Problem(f"line {n}.record", f"{kind_name!r} is not one of: {allowed}"))
            continue
        plural = _PLURAL[kind_name]
        origin[f"{plural}[{len(doc[plural])}]"] = n
        doc[plural].append(obj)
    if problems:
        raise DataError(problems)
    return doc, origin


def _relabel(problems: tuple[Problem, ...], origin: dict[str, int]) -> list[Problem]:
    out = []
    for p in problems:
        head = p.path.split(".", 1)[0]
        if head in origin:
            out.append(Problem(f"line {origin[head]} ({p.path})", p.message))
        else:
            out.append(p)
    return out


def document_from_bytes(data: bytes, *, fmt: str = "json") -> Document:
    """Parse and structure a document from JSON or JSON Lines bytes (no integrity checks).

    Raises:
        DataError: on any problem; nothing is returned half-built.
    """
    if not data.strip():
        raise DataError([Problem("", "is empty")])
    text = _decode(data)
    origin: dict[str, int] = {}
    if fmt == "jsonl":
        raw, origin = _jsonl_to_dict(text)
    elif fmt == "json":
        raw = _json_loads(text)
    else:
        raise ValueError(f"unknown format {fmt!r}: expected 'json' or 'jsonl'")
    if not isinstance(raw, dict):
        raise DataError([Problem("", f"expected a JSON object at the top level, got {_json_type(raw)}")])
    schema = raw.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA:
        raise DataError(
            [Problem("schema", f"{schema} is newer than this version of sinotajik reads ({SCHEMA}); upgrade sinotajik")]
        )
    if schema != SCHEMA:
        raise DataError([Problem("schema", f"{schema!r} is not a schema this version reads ({SCHEMA})")])
    try:
        return structure(raw, Document)
    except DataError as exc:
        raise DataError(_relabel(exc.problems, origin)) from None
