"""The one converter between the model and its wire form, and the canonical JSON.

What the wire form does (schema 1):

* records are JSON objects with the field names of the model; fields at their default value
  (``None``, empty tuple, the default enum) are omitted, and unknown keys are an error;
* dates and spans are EDTF strings (``"2016-10"``, ``"2021-08-18/2021-08-19"``), parsed
  into [`PartialDate`][sinotajik.PartialDate] / [`DateSpan`][sinotajik.DateSpan], never into
  ``datetime``;
* enumerations are their lower-case string values; tuples are JSON arrays;
* types are strict: a number is not accepted for a string, a string is not a list, ``true``
  is not a number (cattrs would coerce all of these by default);
* (all of the above is [`sinotajik.configure_converter`][sinotajik.configure_converter]'s configuration, shared with
  users' converters; see `sinotajik._converter`)
* every problem is collected with its path, e.g. ``events[3].date: '2021-02-30' is not a
  valid day``, and raised together as one [`DataError`][sinotajik.DataError].

A dataset document is ``{"schema": 1, "version": ..., "actors": [...], "places": [...],
"sources": [...], "events": [...], "agreements": [...], "facilities": [...]}``. Its canonical
form has sorted keys, records sorted by id, two-space indentation, UTF-8 without escapes and a
final newline, so that the same data always gives the same bytes and the same SHA-256.

JSON Lines holds the same document as a header line ``{"schema": 1, "version": ...}``
followed by one record per line, each with a ``"record"`` key naming its kind (``"event"``).

Records are built and taken apart by cattrs' generated functions, configured once by
[`sinotajik.configure_converter`][sinotajik.configure_converter]: a converter without detailed validation builds every
record first, and a value it refuses goes through the detailed converter of the same
configuration, which refuses it too and names every problem, so what is accepted and every
message are the detailed converter's. Problems quote long values shortened (``'xxxx…'
(1,048,576 characters)``), so that each stays one readable line. When some records of a
document cannot be built, the others are checked for broken references at once (see
`read_document`). The canonical text is written by orjson when it is installed, else by
the standard library, byte for byte the same (see `sinotajik._canonical`).
"""

from __future__ import annotations

import json
import operator
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, Union

import attrs

from . import _canonical
from ._converter import is_var_tuple, json_type, make_converter, shown
from ._dates import DateSpan, PartialDate, When
from ._document import KINDS, PLURAL, SCHEMA, SINGULAR, Document
from ._errors import DataError, Problem
from ._model import ValueEnum

__all__ = [
    "KINDS",
    "MULTI_LINE_BAD",
    "MULTI_LINE_FIELDS",
    "ONE_LINE_BAD",
    "SCHEMA",
    "Document",
    "canonical_json",
    "converter",
    "document_from_bytes",
    "from_dict",
    "read_document",
    "shown",
    "text_problems",
    "to_dict",
]

T = TypeVar("T")


# --------------------------------------------------------------------------- the converter
#
# The hooks live in the public converter module (sinotajik.make_converter), so that the library
# and its users structure and unstructure the model with one configuration.

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _key(k: object) -> str:
    """An object key as a path segment: as it is when plain, else quoted and shortened."""
    return k if isinstance(k, str) and _PLAIN_KEY.fullmatch(k) else shown(k, 60)


_is_var_tuple = is_var_tuple


if TYPE_CHECKING:
    import cattrs

    converter: cattrs.Converter
    """The configured cattrs converter: strict types, EDTF dates, enums as values, no extra keys."""

# Two converters of one configuration (sinotajik.make_converter), differing only in cattrs'
# ``detailed_validation``: without it cattrs' generated functions stop at the first problem and
# run about twice as fast, so every value is built by them first; a value they refuse goes
# through the detailed converter, which refuses it too and names every problem (or accepts it),
# so what is accepted and every message are the detailed converter's.
_converters: dict[bool, cattrs.Converter] = {}
_converter_lock = threading.Lock()


def _converter_for(detailed: bool) -> cattrs.Converter:
    """The library's converter with or without detailed validation, built on first use."""
    conv = _converters.get(detailed)
    if conv is None:
        with _converter_lock:
            conv = _converters.get(detailed)
            if conv is None:
                conv = _converters[detailed] = make_converter(detailed_validation=detailed)
    return conv


def _conv() -> cattrs.Converter:
    """The detailed converter: it names every problem with its path."""
    return _converter_for(True)


def __getattr__(name: str) -> Any:
    if name == "converter":
        return _conv()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MISSING = object()


# --------------------------------------------------------------------------- errors


def _problems(exc: BaseException, path: str) -> Iterator[Problem]:
    from cattrs.errors import (
        ClassValidationError,
        ForbiddenExtraKeysError,
        IterableValidationError,
        IterableValidationNote,
    )

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
        for key in sorted(exc.extra_fields, key=str):
            yield Problem(f"{path}.{_key(key)}" if path else _key(key), "unknown field")
    elif isinstance(exc, KeyError):
        yield Problem(path, "required field is missing")
    elif isinstance(exc, (TypeError, ValueError)):
        yield Problem(path, str(exc))
    else:
        yield Problem(path, f"{type(exc).__name__}: {exc}")


def structure(data: object, cls: type[T], path: str = "") -> T:
    """Structure ``data`` into ``cls``, or raise [`DataError`][sinotajik.DataError] listing every problem.

    cattrs' functions without detailed validation try first; whatever they refuse goes through
    the detailed converter, which either accepts it too or names every problem.
    """
    try:
        return _converter_for(False).structure(data, cls)
    except Exception:  # noqa: BLE001 - the detailed converter decides below
        pass
    if cls is Document and isinstance(data, Mapping) and not path:
        return _document_record_by_record(data)  # type: ignore[return-value]
    return _detailed(data, cls, path)


def _document_record_by_record(raw: Mapping[Any, Any]) -> Document:
    """A document whose fast path failed: each record alone, the detailed converter only for bad ones.

    The problems, their paths, messages and order are those the detailed converter gives for
    the whole document (fields in order, records by index, unknown keys last), but a large file
    with a few bad records costs little more than a good one.
    """
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    positions: dict[str, list[int]] = {}
    other_ids: dict[str, str] = {}
    masked: list[str] = []
    fields = attrs.fields(Document)
    for f in fields:
        if f.name not in raw:
            if f.default is attrs.NOTHING:
                problems.append(Problem(f.name, "required field is missing"))
            continue
        v = raw[f.name]
        cls = KINDS.get(f.name)
        try:
            if cls is not None and isinstance(v, (list, tuple)):
                out = []
                where = positions[f.name] = []
                for i, item in enumerate(v):
                    at = f"{f.name}[{i}]"
                    try:
                        out.append(structure(item, cls, at))
                        where.append(i)
                    except DataError as exc:
                        problems.extend(exc.problems)
                        repaired = _stand_in(item, cls, at, exc.problems)
                        if repaired is not None:
                            out.append(repaired[0])
                            where.append(i)
                            masked.extend(f"{at}.{name}" for name in repaired[1])
                            continue
                        rid = item.get("id") if isinstance(item, Mapping) else None
                        if isinstance(rid, str):
                            other_ids.setdefault(rid, f.name)
                values[f.name] = tuple(out)
            else:
                values[f.name] = structure(v, f.type, f.name)  # type: ignore[arg-type]
        except DataError as exc:
            problems.extend(exc.problems)
    known = {f.name for f in fields}
    extra = [k for k in raw if k not in known]
    if extra:
        problems.extend(Problem(_key(k), "unknown field") for k in sorted(extra, key=str))
    if problems:
        version_ok = "version" in values
        values.setdefault("schema", SCHEMA)
        values.setdefault("version", "")
        raise _IncompleteDocument(problems, Document(**values), positions, other_ids, masked, version_ok)
    return Document(**values)


def _placeholder(t: Any) -> Any:
    """A wire value of type ``t`` that stands in for a bad one, or ``_MISSING``."""
    if t is str:
        return "x"
    if isinstance(t, type) and issubclass(t, ValueEnum):
        return next(iter(t)).value
    if t is PartialDate or t == When:
        return "0001"
    if _is_var_tuple(t):
        return []
    return _MISSING


def _stand_in(item: object, cls: type[Any], at: str, problems: tuple[Problem, ...]) -> tuple[Any, set[str]] | None:
    """The record ``item`` with its bad fields left out or replaced by placeholders, and their names.

    It is never returned to anyone: it only lets the integrity checks look at the rest of a
    bad record (its references and citations), and every problem they find in a replaced
    field is dropped. ``None`` when the record cannot stand in (not an object, no id...).
    """
    if not isinstance(item, Mapping):
        return None
    fields = attrs.fields_dict(cls)
    bad: set[str] = set()
    for p in problems:
        rest = p.path[len(at) :] if p.path.startswith(at) else ""
        if not rest.startswith("."):
            return None
        bad.add(re.split(r"[.\[]", rest[1:], maxsplit=1)[0])
    if "id" in bad:
        return None
    fixed = {k: v for k, v in item.items() if k in fields and k not in bad}
    for name in bad & fields.keys():
        if fields[name].default is attrs.NOTHING:
            fixed[name] = _placeholder(fields[name].type)
            if fixed[name] is _MISSING:
                return None
    try:
        return structure(fixed, cls), bad & fields.keys()
    except DataError:
        return None


class _IncompleteDocument(DataError):
    """The problems of a document some of whose records could not be built, and the records that could.

    The records that were built (``partial``, at their original ``positions``) can still be
    checked for broken references, duplicate ids and the like, so that one pass reports those
    problems too; ``other_ids`` are the ids of the records that could not be built, which the
    checks count as existing. A record with bad fields stands in with those fields replaced
    (see `_stand_in`); ``masked`` are the paths of those fields.
    """

    def __init__(
        self,
        problems: list[Problem],
        partial: Document,
        positions: dict[str, list[int]],
        other_ids: dict[str, str],
        masked: list[str],
        version_ok: bool,
    ) -> None:
        super().__init__(problems)
        self.partial = partial
        self.positions = positions
        self.other_ids = other_ids
        self.masked = masked
        self.version_ok = version_ok

    def hides(self, path: str) -> bool:
        """Whether a problem at ``path`` is in a field that was replaced by a placeholder."""
        return any(path == m or path.startswith((m + ".", m + "[")) for m in self.masked)


def _detailed(data: object, cls: type[T], path: str = "") -> T:
    try:
        return _conv().structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - turned into our single error type
        raise DataError(list(_problems(exc, path))) from None


def _consume(raw: dict[str, Any]) -> Document | None:
    """The document from a JSON tree this module parsed, letting each record's JSON go once built.

    A load's heap only grows, and with the garbage collector running each of its full
    collections walks all of it. Dropping each record's parsed JSON as soon as its record is
    built keeps that heap about half as large, which measured on 100,000 records nearly halves
    the time of parsing and structuring (the collector is left running: no process-wide switch).

    It accepts exactly what ``structure(raw, Document)`` accepts without detailed validation
    (the same hooks, record by record, then the document's other fields). On anything it
    refuses it returns ``None``, the tree partly consumed: the caller reads the text again and
    takes the detailed path, which names every problem.
    """
    conv = _converter_for(False)
    try:
        records: dict[str, Any] = {}
        for kind, cls in KINDS.items():
            items = raw.get(kind, [])
            if type(items) is not list:
                return None
            hook = conv.get_structure_hook(cls)
            built = []
            for i, item in enumerate(items):
                built.append(hook(item, cls))
                items[i] = None  # the record's JSON is no longer needed
            records[kind] = tuple(built)
        shell = conv.structure({**raw, **{kind: [] for kind in KINDS}}, Document)
    except Exception:  # noqa: BLE001 - the detailed path decides, on a fresh tree
        return None
    return attrs.evolve(shell, **records)


def from_dict(data: Mapping[str, Any], cls: type[T]) -> T:
    """Build a record (or any model value, or a whole Dataset) from its wire form, strictly.

    ``from_dict(to_dict(ds), sinotajik.Dataset)`` builds a checked Dataset from a document.

    Raises:
        DataError: listing every problem with its path.
    """
    build = getattr(cls, "_from_document", None)
    if build is not None:  # a Dataset: its document, checked
        return build(read_document(data)[0])  # type: ignore[no-any-return]
    return structure(data, cls)


def to_dict(value: Any) -> Any:
    """The wire form of a record or any model value (a JSON-ready dict, list or scalar).

    For a [`Dataset`][sinotajik.Dataset] it is the canonical document: ``{"schema": 1,
    "version": ..., "actors": [...], ...}`` with every collection sorted by id — the derived
    state (index, caches) is not part of it.
    """
    if isinstance(value, Document):
        return document_dict(value)
    to_document = getattr(type(value), "to_document", None)
    if to_document is not None:  # a Dataset
        return document_dict(to_document(value))
    return _jsonable(_converter_for(False).unstructure(value))


def _jsonable(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    return v


# --------------------------------------------------------------------------- documents


def _record_id(r: Any) -> str:
    return r.id  # type: ignore[no-any-return]


_BY_ID = operator.attrgetter("id")


def document_dict(doc: Document) -> dict[str, Any]:
    """The wire form of a document with every collection sorted by id."""
    return _document_dict(doc, _converter_for(False))


def _document_dict(doc: Document, conv: cattrs.Converter) -> dict[str, Any]:
    out: dict[str, Any] = {"schema": doc.schema, "version": doc.version}
    for kind, cls in KINDS.items():
        recs = sorted(getattr(doc, kind), key=_record_id)
        hook = conv.get_unstructure_hook(cls)
        out[kind] = [hook(r) for r in recs]
    return out


_orjson_converter: list[cattrs.Converter] = []


def _orjson_conv() -> cattrs.Converter:
    """The library's converter, its floats set up for orjson (see `sinotajik._canonical`)."""
    if not _orjson_converter:
        with _converter_lock:
            if not _orjson_converter:
                conv = make_converter(detailed_validation=False)
                _canonical.configure_orjson(conv)
                _orjson_converter.append(conv)
    return _orjson_converter[0]


_orjson_hooks: list[tuple[dict[type[Any], Callable[[Any], Any]], cattrs.Converter]] = []


def _orjson_records() -> tuple[dict[type[Any], Callable[[Any], Any]], cattrs.Converter]:
    """The converter orjson's ``default`` unstructures with, and its hooks by class so far.

    It is the library's converter set up for orjson (`_orjson_conv`'s floats) that leaves
    tuples, enumerations and dates as they are: orjson writes a tuple as an array and an
    enumeration as its value, and calls ``default`` for the records in a tuple and for dates.
    """
    if not _orjson_hooks:
        with _converter_lock:
            if not _orjson_hooks:
                from cattrs.fns import identity

                conv = make_converter(detailed_validation=False)
                _canonical.configure_orjson(conv)
                conv.register_unstructure_hook_factory(_is_var_tuple, lambda _t: identity)
                for enum_cls in ValueEnum.__subclasses__():
                    conv.register_unstructure_hook(enum_cls, identity)
                for date_type in (PartialDate, DateSpan, When, Union[PartialDate, None], Union[When, None]):
                    conv.register_unstructure_hook(date_type, identity)
                _orjson_hooks.append(({}, conv))
    return _orjson_hooks[0]


def orjson_canonical_json(doc: Document) -> bytes:
    """The canonical JSON of a document written by orjson.

    orjson calls ``default`` for each record, part of a record and date it meets: cattrs'
    generated unstructure function of the value's class (see `_orjson_records`), or the EDTF
    text of a date, made once per date object (dates are shared between records). Each dict is
    written as soon as it is made and freed at once, so that a dump never holds the whole
    unstructured tree: on a large dataset the garbage collector would otherwise walk that tree
    again and again (about half the time of a dump of 100,000 records).

    Raises:
        sinotajik._canonical.Unsupported: when orjson cannot write it as the standard library
            does (see `sinotajik._canonical`).
    """
    hooks, conv = _orjson_records()
    # Keyed by id(): every date is held by the document for the whole dump, so ids stay theirs.
    texts: dict[int, str] = {}

    def default(obj: Any) -> Any:
        tp = type(obj)
        if tp is PartialDate or tp is DateSpan:
            text = texts.get(id(obj))
            if text is None:
                text = texts[id(obj)] = str(obj)
            return text
        hook = hooks.get(tp)
        if hook is None:
            hook = hooks[tp] = conv.get_unstructure_hook(tp)
        return hook(obj)

    out: dict[str, Any] = {"schema": doc.schema, "version": doc.version}
    for kind in KINDS:
        out[kind] = sorted(getattr(doc, kind), key=_BY_ID)
    return _canonical.orjson_dumps(out, default=default)


def canonical_json(doc: Document) -> bytes:
    """The canonical, byte-stable JSON of a document (see the module docstring).

    Written by orjson when it is installed (the ``orjson`` extra), else by the standard
    library; both give the same bytes (a property test holds them to it).
    """
    if _canonical.orjson_installed():
        try:
            return orjson_canonical_json(doc)
        except _canonical.Unsupported:
            pass  # a value orjson writes differently: the standard library writes it
    return _canonical.stdlib_dumps(document_dict(doc))


def canonical_jsonl(doc: Document) -> bytes:
    """The canonical JSON Lines form of a document: a header, then one record per line."""
    d = document_dict(doc)
    lines = [json.dumps({"schema": d["schema"], "version": d["version"]}, sort_keys=True)]
    for kind in KINDS:
        for rec in d[kind]:
            lines.append(
                json.dumps(
                    {"record": SINGULAR[kind], **rec},
                    ensure_ascii=False,
                    sort_keys=True,
                    allow_nan=False,
                )
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        raise DataError([Problem("", "starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM")])
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            message = f"is {name} text (it starts with a {name} byte-order mark); save it as UTF-8"
            raise DataError([Problem("", message)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([Problem("", f"is not UTF-8 text (bad byte at offset {exc.start})")]) from None


class _Duplicates(dict):  # type: ignore[type-arg]
    """A JSON object in which some key occurs more than once (the last value kept, as JSON does)."""

    duplicates: list[str]


def _object_hook(found: list[str]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """A JSON object's dict; one with a repeated key is marked and noted in ``found``."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        d = dict(pairs)
        if len(d) != len(pairs):
            marked = _Duplicates(d)
            seen: set[str] = set()
            marked.duplicates = [k for k, _v in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
            found.extend(marked.duplicates)
            return marked
        return d

    return hook


def _json_loads(text: str, where: str = "", found: list[str] | None = None) -> Any:
    """Parse JSON text; repeated keys are noted in ``found`` (see `text_problems`)."""
    try:
        hook = _object_hook(found if found is not None else [])
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise DataError([Problem(where, msg)]) from None
    except RecursionError:
        raise DataError([Problem(where, "JSON is nested too deeply")]) from None
    except ValueError as exc:
        if "digits" in str(exc) and "limit" in str(exc):  # int("9" * 5000): Python's own limit
            raise DataError([Problem(where, "a number has too many digits (more than 4,300)")]) from None
        raise DataError([Problem(where, str(exc))]) from None


#: Fields whose text may run over several lines; every other text is one line.
MULTI_LINE_FIELDS = frozenset(
    {"summary", "note", "quote", "statement", "date_note", "confidence_note", "reliability_note"}
)
_SURROGATES = r"\ud800-\udfff"
#: What one-line text may not hold: C0 and C1 controls, DEL, line and paragraph separators,
#: bidirectional embeddings, overrides and isolates, and lone surrogates (not Unicode text).
ONE_LINE_BAD = r"\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069" + _SURROGATES
#: What multi-line text may not hold: controls other than tab and line feed, and lone surrogates.
MULTI_LINE_BAD = r"\x00-\x08\x0b-\x1f\x7f-\x9f" + _SURROGATES
_ONE_LINE_BAD = re.compile(f"[{ONE_LINE_BAD}]")
_MULTI_LINE_BAD = re.compile(f"[{MULTI_LINE_BAD}]")
_LONE_SURROGATE = re.compile(f"[{_SURROGATES}]")
# JSON text that may hold any of them: an escape of a control, separator, bidi control or
# surrogate, or one of those written raw. Text without a match needs no walk.
_SUSPECT = re.compile(
    r"\\[bfnrt]|\\u(?:00[01]|007f|00[89]|d[89a-f]|202|206)|[\x7f-\x9f\u2028-\u202e\u2066-\u2069]",
    re.IGNORECASE,
)


def _char_name(c: str) -> str:
    code = ord(c)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate {c!r}, which is not Unicode text"
    if c in "\n\r\u2028\u2029":
        return f"a line break {c!r}"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"a bidirectional control {c!a}"
    return f"the control character {c!r}"


# The same test on the UTF-8 bytes, as searches that skip ahead to a backslash, DEL or a lead
# byte: an escape of a control, separator, bidirectional control or surrogate (any case, as
# _SUSPECT's), DEL, a C1 control (C2 80-9F), a separator or bidirectional control (E2 80 A8-AE,
# E2 81 A6-A9). It finds everything _SUSPECT finds in the decoded text; a regex search of the
# whole text takes about as long as parsing the JSON.
_ESCAPE_BYTES = re.compile(rb"\\(?:[bfnrtBFNRT]|[uU](?:00[01]|007[fF]|00[89]|[dD][89a-fA-F]|202|206))")
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_SEPARATOR_BYTES = re.compile(rb"\xe2(?:\x80[\xa8-\xae]|\x81[\xa6-\xa9])")


def _may_hold_bad_text(data: bytes) -> bool:
    """Whether UTF-8 JSON ``data`` may hold text `text_problems` reports (where ``_SUSPECT`` would match)."""
    if b"\x7f" in data:
        return True
    if b"\\" in data and _ESCAPE_BYTES.search(data) is not None:
        return True
    if b"\xc2" in data and _C1_BYTES.search(data) is not None:
        return True
    return b"\xe2" in data and _SEPARATOR_BYTES.search(data) is not None


def text_problems(raw: object, *, suspect: str | None = None) -> list[Problem]:
    """Text that no field may hold, and objects with repeated keys, in a parsed JSON document.

    One-line fields (every text but `MULTI_LINE_FIELDS`, and every key) may hold no
    control character, line break or bidirectional control; multi-line fields may hold tab
    and line feed but no other control. No text may hold a lone surrogate. ``suspect`` is
    the JSON text ``raw`` came from: when nothing in it could be such a character, and no
    object repeated a key, the walk is skipped.
    """
    out: list[Problem] = []

    def walk(v: object, path: str, multi: bool) -> None:
        if type(v) is str:
            m = (_MULTI_LINE_BAD if multi else _ONE_LINE_BAD).search(v)
            if m is not None:
                tail = "" if multi or _LONE_SURROGATE.match(m.group()) else "; it must be one line of plain text"
                out.append(Problem(path, f"{shown(v)} holds {_char_name(m.group())}{tail}"))
        elif isinstance(v, dict):
            if isinstance(v, _Duplicates):
                for k in dict.fromkeys(v.duplicates):
                    out.append(Problem(path, f"the field {_key(k)} is given more than once"))
            for k, x in v.items():
                where = f"{path}.{_key(k)}" if path else _key(k)
                m = _ONE_LINE_BAD.search(k) if isinstance(k, str) else None
                if m is not None:
                    out.append(Problem(where, f"the field name holds {_char_name(m.group())}"))
                walk(x, where, k in MULTI_LINE_FIELDS)
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, f"{path}[{i}]", multi)

    if suspect is None or _SUSPECT.search(suspect):
        walk(raw, "", False)
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


def _jsonl_to_dict(text: str, found: list[str]) -> tuple[dict[str, Any], dict[str, int]]:
    """Regroup JSON Lines into a document dict; also map ``events[2]`` to its line number."""
    # Split on "\n" only: str.splitlines() would also split inside strings at U+0085, U+2028...
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not lines:
        raise DataError([Problem("", "is empty: expected a JSON Lines header line")])
    n0, first = lines[0]
    header = _json_loads(first, f"line {n0}", found)
    if not isinstance(header, dict):
        raise DataError([Problem(f"line {n0}", "the header must be an object with schema and version")])
    if "record" in header:
        message = 'the first line must be the header {"schema": 1, "version": ...}, not a record'
        raise DataError([Problem(f"line {n0}", message)])
    doc: dict[str, Any] = dict(header)
    origin: dict[str, int] = {}
    problems: list[Problem] = []
    for kind in KINDS:
        if kind in doc:
            problems.append(Problem(f"line {n0}.{kind}", "records belong on lines of their own, not in the header"))
        doc[kind] = []
    for n, line in lines[1:]:
        try:
            obj = _json_loads(line, f"line {n}", found)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(f"line {n}", f"expected an object, got {json_type(obj)}"))
            continue
        kind_name = obj.pop("record", None)
        if not isinstance(kind_name, str) or kind_name not in PLURAL:
            allowed = ", ".join(sorted(PLURAL))
            what = shown(kind_name) if isinstance(kind_name, str) or kind_name is None else json_type(kind_name)
            problems.append(Problem(f"line {n}.record", f"{what} is not one of: {allowed}"))
            continue
        plural = PLURAL[kind_name]
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
    return read_document(data, fmt=fmt)[0]


def read_document(
    data: bytes | Mapping[str, Any],
    *,
    fmt: str = "json",
    known_ids: Mapping[str, str] | None = None,
    default_version: str | None = None,
) -> tuple[Document, Callable[[list[Problem]], list[Problem]]]:
    """A document from JSON or JSON Lines bytes, and the function that names lines in its problems.

    ``data`` may also be the already parsed document (a dict). For a file of records laid over
    a base dataset, ``known_ids`` are the base's ids (by collection), which references may
    name, and ``default_version`` the version used when the file gives none.

    In JSON Lines, ``relabel(problems)`` turns ``events[3].date`` into ``line 7
    (events[3].date)``, for the integrity problems found later; in JSON it changes nothing.
    When some records cannot be built, the integrity checks are run on the others at once, so
    that broken references are reported with the structural problems.

    Raises:
        DataError: on any problem; nothing is returned half-built.
    """
    origin: dict[str, int] = {}
    found: list[str] = []
    text: str | None = None
    if isinstance(data, Mapping):
        raw: Any = dict(data)
    else:
        if not data or data.isspace():  # as `not data.strip()`, without copying the data
            raise DataError([Problem("", "is empty")])
        text = _decode(data)
        if fmt == "jsonl":
            raw, origin = _jsonl_to_dict(text, found)
        elif fmt == "json":
            raw = _json_loads(text, "", found)
        else:
            raise ValueError(f"unknown format {fmt!r}: expected 'json' or 'jsonl'")
    if not isinstance(raw, dict):
        raise DataError([Problem("", f"expected a JSON object at the top level, got {json_type(raw)}")])
    if default_version is not None and "version" not in raw:
        raw["version"] = default_version
    if "schema" not in raw:
        raise DataError([Problem("schema", "required field is missing")])
    schema = raw.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA:
        raise DataError(
            [Problem("schema", f"{schema} is newer than this version of sinotajik reads ({SCHEMA}); upgrade sinotajik")]
        )
    if schema != SCHEMA:
        raise DataError([Problem("schema", f"{schema!r} is not a schema this version reads ({SCHEMA})")])

    def relabel(problems: list[Problem]) -> list[Problem]:
        return _relabel(tuple(problems), origin) if origin else problems

    # Text no field may hold (controls, lone surrogates) and repeated keys are reported after
    # the structural problems and before the integrity problems of the same document.
    suspect = text
    if isinstance(data, bytes) and text is not None and not found:
        # The bytes answer what _SUSPECT would find in the text, faster: walk, or skip the walk.
        suspect = None if _may_hold_bad_text(data) else ""
    elif found or text is None:
        suspect = None
    bad_text = text_problems(raw, suspect=suspect)
    built = _consume(raw) if text is not None else None
    if built is None and text is not None:  # some value was refused: the tree is read again
        raw = _jsonl_to_dict(text, [])[0] if fmt == "jsonl" else _json_loads(text)
        if default_version is not None and "version" not in raw:
            raw["version"] = default_version
    try:
        doc = built if built is not None else structure(raw, Document)
    except _IncompleteDocument as exc:
        # Also report what the integrity checks find among the records that could be built.
        from ._integrity import check_document

        other_ids = {**(known_ids or {}), **exc.other_ids}
        more = check_document(exc.partial, positions=exc.positions, other_ids=other_ids, check_version=exc.version_ok)
        more = [p for p in more if not exc.hides(p.path)]
        raise DataError(relabel([*exc.problems, *bad_text, *more])) from None
    except DataError as exc:
        raise DataError(relabel([*exc.problems, *bad_text])) from None
    if bad_text:
        from ._integrity import check_document

        raise DataError(relabel([*bad_text, *check_document(doc, other_ids=dict(known_ids or {}))]))
    return doc, relabel
