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
* (all of the above is :func:`sinotajik.configure_converter`'s configuration, shared with
  users' converters; see :mod:`sinotajik._converter`)
* every problem is collected with its path, e.g. ``events[3].date: '2021-02-30' is not a
  valid day``, and raised together as one :class:`~sinotajik.DataError`.

A dataset document is ``{"schema": 1, "version": ..., "actors": [...], "places": [...],
"sources": [...], "events": [...], "agreements": [...], "facilities": [...]}``. Its canonical
form has sorted keys, records sorted by id, two-space indentation, UTF-8 without escapes and a
final newline, so that the same data always gives the same bytes and the same SHA-256.

JSON Lines holds the same document as a header line ``{"schema": 1, "version": ...}``
followed by one record per line, each with a ``"record"`` key naming its kind (``"event"``).

Two paths, one behaviour. Records are built by functions generated from the model's attrs
fields (the *fast path*: exact type checks, no bookkeeping); a value the fast path does not
accept goes through the detailed cattrs converter, which accepts it too or names every
problem, so what is accepted and every message are the converter's. The converter (and cattrs
itself) is only set up when first needed. Problems quote long values shortened
(``'xxxx…' (1,048,576 characters)``), so that each stays one readable line. When some records
of a document cannot be built, the others are checked for broken references at once (see
:func:`read_document`). The canonical text is written by generated functions too, byte for
byte what ``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`` writes.
"""

from __future__ import annotations

import json
import math
import re
import threading
import types
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, Union, get_args, get_origin

import attrs

from . import _model
from ._converter import _json_type, is_var_tuple, make_converter, shown
from ._dates import DateSpan, PartialDate, When, parse_date, parse_when
from ._errors import DataError, Problem
from ._model import Actor, Agreement, Event, Facility, Place, Record, Source, _StrEnum

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

_converter: list[cattrs.Converter] = []
_converter_lock = threading.Lock()


def _conv() -> cattrs.Converter:
    """The detailed cattrs converter, built on first use.

    Loading a valid file never needs it (the fast path builds every record), so neither cattrs
    nor the converter's generated hooks cost anything until a file has a problem.
    """
    if not _converter:
        with _converter_lock:
            if not _converter:
                _converter.append(make_converter())
    return _converter[0]


def __getattr__(name: str) -> Any:
    if name == "converter":
        return _conv()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- fast path
#
# Profiling a bulk load showed where the time of the detailed converter goes: cattrs' detailed
# validation wraps every field in try/except and note bookkeeping, every value passes through a
# hook call, frozen attrs ``__init__`` sets each slot through ``object.__setattr__``, and each
# EDTF date is parsed afresh. The fast path below is generated per class from its attrs fields:
# exact type checks inline, slots set through their descriptors (the model classes have no
# validators, converters or post-init hooks, which is checked when the code is generated),
# dates parsed once per distinct string. It never reports anything: on any doubt it raises, and
# the caller runs the detailed converter on that value, so errors and their messages are the
# detailed converter's, word for word.

_DATE_CACHE: dict[str, PartialDate] = {}
_WHEN_CACHE: dict[str, When] = {}
_CACHE_LIMIT = 1 << 17


def _memo(cache: dict[str, Any], parse: Callable[[str], Any], v: object) -> Any:
    """``parse(v)`` for a string ``v``, remembered (EDTF values repeat across records)."""
    if type(v) is not str:
        raise TypeError("not a string")
    value = cache.get(v)
    if value is None:
        value = parse(v)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[v] = value
    return value


def _cached_date(v: object) -> PartialDate:
    date: PartialDate = _memo(_DATE_CACHE, parse_date, v)
    return date


def _cached_when(v: object) -> When:
    when: When = _memo(_WHEN_CACHE, parse_when, v)
    return when


class _Rejected(Exception):
    """Raised by the fast path when a value needs the detailed converter."""


_REJECT = _Rejected()
_MISSING = object()
_FACTORY: Any = type(attrs.Factory(list))


def _split_optional(t: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None``, else ``(t, False)``."""
    if get_origin(t) in (Union, types.UnionType):
        args = get_args(t)
        rest = tuple(a for a in args if a is not type(None))
        if len(rest) < len(args):
            return (rest[0] if len(rest) == 1 else Union[rest]), True
    return t, False


def _fast_value_code(t: Any, env: dict[str, Any], out: list[str], indent: str) -> None:
    """Append code that checks and converts the local ``v`` of type ``t`` in place."""
    inner, optional = _split_optional(t)
    if optional:
        out.append(f"{indent}if v is not None:")
        _fast_value_code(inner, env, out, indent + "    ")
        return
    n = len(env)
    if t is str:
        out.append(f"{indent}if type(v) is not str: raise _REJECT")
    elif t is int:
        out.append(f"{indent}if type(v) is not int: raise _REJECT")
    elif t is bool:
        out.append(f"{indent}if type(v) is not bool: raise _REJECT")
    elif t is float:
        out.append(f"{indent}if type(v) is float:")
        out.append(f"{indent}    if not _isfinite(v): raise _REJECT")
        out.append(f"{indent}elif type(v) is int: v = float(v)")
        out.append(f"{indent}else: raise _REJECT")
    elif set(get_args(t)) == {int, float}:
        out.append(f"{indent}if type(v) is float:")
        out.append(f"{indent}    if not _isfinite(v): raise _REJECT")
        out.append(f"{indent}elif type(v) is not int: raise _REJECT")
    elif t is PartialDate:
        out.append(f"{indent}v = _cached_date(v)")
    elif t == When:
        out.append(f"{indent}v = _cached_when(v)")
    elif isinstance(t, type) and issubclass(t, _StrEnum):
        env[f"_e{n}"] = {m.value: m for m in t}
        out.append(f"{indent}v = _e{n}[v]")
    elif isinstance(t, type) and attrs.has(t):
        env[f"_c{n}"] = _fast_hook(t)
        out.append(f"{indent}v = _c{n}(v)")
    elif _is_var_tuple(t):
        elem = get_args(t)[0]
        out.append(f"{indent}if type(v) is not list: raise _REJECT")
        if elem is str:
            out.append(f"{indent}for x in v:")
            out.append(f"{indent}    if type(x) is not str: raise _REJECT")
            out.append(f"{indent}v = tuple(v)")
        elif isinstance(elem, type) and attrs.has(elem):
            env[f"_c{n}"] = _fast_hook(elem)
            out.append(f"{indent}v = tuple([_c{n}(x) for x in v])")
        else:
            env[f"_h{n}"] = _conv().get_structure_hook(t)
            env[f"_t{n}"] = t
            out.append(f"{indent}v = _h{n}(v, _t{n})")
    else:
        # Anything else goes through the detailed converter's own hook (correct, if slower).
        env[f"_h{n}"] = _conv().get_structure_hook(t)
        env[f"_t{n}"] = t
        out.append(f"{indent}v = _h{n}(v, _t{n})")


_FAST: dict[type[Any], Callable[[object], Any]] = {}


def _fast_hook(cls: type[Any]) -> Callable[[object], Any]:
    """The generated fast structuring function of an attrs class (built once, then cached)."""
    fn = _FAST.get(cls)
    if fn is not None:
        return fn
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    plain = (
        getattr(cls, "__attrs_post_init__", None) is None
        and getattr(cls, "__attrs_pre_init__", None) is None
        and "__slots__" in cls.__dict__
        and all(
            f.init and f.validator is None and f.converter is None and not isinstance(f.default, _FACTORY)
            for f in fields
        )
    )
    name = cls.__name__
    env: dict[str, Any] = {
        "_MISSING": _MISSING,
        "_REJECT": _REJECT,
        "_isfinite": math.isfinite,
        "_cached_date": _cached_date,
        "_cached_when": _cached_when,
        "_cls": cls,
        "_keys": frozenset(f.name for f in fields),
        "_new": object.__new__,
    }
    # Registered before the body is built, so that recursive types resolve to this function.
    _FAST[cls] = lambda o: env[f"fast_{name}"](o)
    try:
        fn = _compile_fast(cls, name, fields, plain, env)
    except BaseException:
        del _FAST[cls]
        raise
    _FAST[cls] = fn
    return fn


def _compile_fast(cls: type[Any], name: str, fields: Any, plain: bool, env: dict[str, Any]) -> Callable[[object], Any]:
    out = [f"def fast_{name}(o):", "    if type(o) is not dict or not _keys.issuperset(o): raise _REJECT"]
    if plain:
        out.append("    r = _new(_cls)")
    for i, f in enumerate(fields):
        if f.default is attrs.NOTHING:
            out.append(f"    v = o[{f.name!r}]")
            _fast_value_code(f.type, env, out, "    ")
        else:
            env[f"_d{i}"] = f.default
            out.append(f"    v = o.get({f.name!r}, _MISSING)")
            out.append("    if v is _MISSING:")
            out.append(f"        v = _d{i}")
            out.append("    else:")
            _fast_value_code(f.type, env, out, "        ")
        if plain:
            env[f"_s{i}"] = cls.__dict__[f.name].__set__
            out.append(f"    _s{i}(r, v)")
        else:
            out.append(f"    a{i} = v")
    if plain:
        out.append("    return r")
    else:
        args = ", ".join(f"{f.alias}=a{i}" for i, f in enumerate(fields))
        out.append(f"    return _cls({args})")
    exec(compile("\n".join(out), f"<sinotajik fast structure {name}>", "exec"), env)
    return env[f"fast_{name}"]  # type: ignore[no-any-return]


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
    """Structure ``data`` into ``cls``, or raise :class:`DataError` listing every problem.

    Attrs classes take the generated fast path first; whatever it does not accept goes
    through the detailed converter, which either accepts it too or names every problem.
    """
    if attrs.has(cls):
        try:
            return _fast_hook(cls)(data)  # type: ignore[no-any-return]
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
    if isinstance(t, type) and issubclass(t, _StrEnum):
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
    (see :func:`_stand_in`); ``masked`` are the paths of those fields.
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

    For a :class:`~sinotajik.Dataset` it is the canonical document: ``{"schema": 1,
    "version": ..., "actors": [...], ...}`` with every collection sorted by id — the derived
    state (index, caches) is not part of it.
    """
    if isinstance(value, Document):
        return document_dict(value)
    to_document = getattr(type(value), "to_document", None)
    if to_document is not None:  # a Dataset
        return document_dict(to_document(value))
    fast = _UNSTRUCTURE.get(type(value))
    if fast is None and type(value) in _MODEL_CLASSES:
        fast = _fast_unstructure_hook(type(value))
    if fast is not None:
        return fast(value)
    return _jsonable(_conv().unstructure(value))


def _jsonable(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    return v


# The wire form is made by generated functions too: one per class, with the fields in order,
# values at their default left out (compared with ``!=``, as cattrs does) and tuples as
# lists. It gives exactly what ``_jsonable(converter.unstructure(value))`` gives (a test pins
# this), about five times faster.

_UNSTRUCTURE: dict[type[Any], Callable[[Any], Any]] = {}
# The classes whose wire form is their fields (dates have their own: EDTF strings).
_MODEL_CLASSES = frozenset(getattr(_model, name) for name in _model.__all__ if attrs.has(getattr(_model, name)))


def _unstructure_expr(t: Any, x: str, env: dict[str, Any]) -> str:
    """A Python expression giving the wire form of the value in ``x``, of type ``t``."""
    inner, optional = _split_optional(t)
    if optional:
        return f"(None if {x} is None else {_unstructure_expr(inner, x, env)})"
    n = len(env)
    if t in (str, int, float, bool) or set(get_args(t)) == {int, float}:
        return x
    if isinstance(t, type) and issubclass(t, _StrEnum):
        return x  # an enum member is a str; cattrs leaves it as it is, and so does this
    if t is PartialDate or t is DateSpan or t == When:
        return f"_str({x})"
    if isinstance(t, type) and attrs.has(t):
        env[f"_u{n}"] = _fast_unstructure_hook(t)
        return f"_u{n}({x})"
    if _is_var_tuple(t):
        elem = get_args(t)[0]
        item = _unstructure_expr(elem, "y", env)
        return f"list({x})" if item == "y" else f"[{item} for y in {x}]"
    env[f"_g{n}"] = lambda y, t=t: _jsonable(_conv().unstructure(y, t))
    return f"_g{n}({x})"


def _fast_unstructure_hook(cls: type[Any]) -> Callable[[Any], Any]:
    """The generated wire-form function of an attrs class (built once, then cached)."""
    fn = _UNSTRUCTURE.get(cls)
    if fn is not None:
        return fn
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    name = cls.__name__
    env: dict[str, Any] = {"_str": str}
    _UNSTRUCTURE[cls] = lambda r: env[f"unstructure_{name}"](r)
    required = [f for f in fields if f.default is attrs.NOTHING]
    items = ", ".join(f"{f.name!r}: {_unstructure_expr(f.type, f'r.{f.name}', env)}" for f in required)
    out = [f"def unstructure_{name}(r):", f"    res = {{{items}}}"]
    for i, f in enumerate(fields):
        if f.default is attrs.NOTHING:
            continue
        default = f.default
        if isinstance(default, _FACTORY):
            env[f"_f{i}"] = default.factory
            out.append(f"    v = r.{f.name}")
            out.append(f"    if v != _f{i}():")
        else:
            env[f"_d{i}"] = default
            out.append(f"    v = r.{f.name}")
            out.append(f"    if v != _d{i}:")
        out.append(f"        res[{f.name!r}] = {_unstructure_expr(f.type, 'v', env)}")
    out.append("    return res")
    exec(compile("\n".join(out), f"<sinotajik fast unstructure {name}>", "exec"), env)
    fn = env[f"unstructure_{name}"]
    _UNSTRUCTURE[cls] = fn
    return fn  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- canonical JSON text

_encode_str: Callable[[str], str] = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
)


def _emit(v: Any, indent: str, out: list[str]) -> None:
    """Append the JSON of ``v`` exactly as ``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)``.

    ``indent`` is the newline and spaces of the line ``v`` starts on. The standard library
    writes indented JSON with its pure-Python encoder, a generator per container and a call
    per token; this does the same job with one function and a flat list of pieces.
    """
    t = type(v)
    if t is str:
        out.append(_encode_str(v))
    elif t is dict:
        if not v:
            out.append("{}")
            return
        inner = indent + "  "
        sep = "{" + inner
        for k in sorted(v):
            out.append(sep)
            out.append(_encode_str(k))
            out.append(": ")
            _emit(v[k], inner, out)
            sep = "," + inner
        out.append(indent)
        out.append("}")
    elif t is list:
        if not v:
            out.append("[]")
            return
        inner = indent + "  "
        sep = "[" + inner
        for x in v:
            out.append(sep)
            _emit(x, inner, out)
            sep = "," + inner
        out.append(indent)
        out.append("]")
    elif v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif t is int:
        out.append(int.__repr__(v))
    elif t is float:
        if not math.isfinite(v):
            raise ValueError("Out of range float values are not JSON compliant: " + repr(v))
        out.append(float.__repr__(v))
    elif isinstance(v, str):
        out.append(_encode_str(v))
    else:
        # Anything unusual (an int or float subclass, a tuple) is written by the standard library.
        text = json.dumps(v, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
        out.append(text.replace("\n", indent))


# Records are written straight to canonical text by generated functions, one per class, with
# the keys already in sorted order and no intermediate dicts. Their output is byte for byte
# what ``json.dumps(document_dict(doc), indent=2, sort_keys=True, ensure_ascii=False)`` gives
# (a test pins this on random datasets and on every bundled release).

_EMIT: dict[type[Any], Callable[[Any, str, list[str]], None]] = {}


def _str_list(v: tuple[str, ...], indent: str) -> str:
    if not v:
        return "[]"
    inner = indent + "  "
    return "[" + inner + ("," + inner).join(map(_encode_str, v)) + indent + "]"


def _emit_value_code(t: Any, env: dict[str, Any], out: list[str], pad: str) -> None:
    """Code that appends the canonical text of the local ``v`` (of type ``t``) at indent ``i1``."""
    inner, optional = _split_optional(t)
    if optional:
        out.append(f"{pad}if v is None:")
        out.append(f'{pad}    ap("null")')
        out.append(f"{pad}else:")
        _emit_value_code(inner, env, out, pad + "    ")
        return
    n = len(env)
    if t is str or (isinstance(t, type) and issubclass(t, _StrEnum)):
        out.append(f"{pad}ap(_enc(v))")
    elif t is PartialDate or t is DateSpan or t == When:
        out.append(f"{pad}ap(_enc(str(v)))")
    elif isinstance(t, type) and attrs.has(t):
        env[f"_w{n}"] = _emitter(t)
        out.append(f"{pad}_w{n}(v, i1, o)")
    elif _is_var_tuple(t) and get_args(t)[0] is str:
        out.append(f"{pad}ap(_str_list(v, i1))")
    elif _is_var_tuple(t) and isinstance(get_args(t)[0], type) and attrs.has(get_args(t)[0]):
        env[f"_w{n}"] = _emitter(get_args(t)[0])
        out.append(f"{pad}if not v:")
        out.append(f'{pad}    ap("[]")')
        out.append(f"{pad}else:")
        out.append(f"{pad}    i2 = i1 + '  '")
        out.append(f"{pad}    s2 = '[' + i2")
        out.append(f"{pad}    for x in v:")
        out.append(f"{pad}        ap(s2)")
        out.append(f"{pad}        _w{n}(x, i2, o)")
        out.append(f"{pad}        s2 = ',' + i2")
        out.append(f"{pad}    ap(i1 + ']')")
    else:
        # Numbers, booleans and anything else: their wire form, written by the general emitter.
        env[f"_x{n}"] = lambda y, t=t: _unstructure_any(y, t)
        out.append(f"{pad}_emit(_x{n}(v), i1, o)")


def _unstructure_any(v: Any, t: Any) -> Any:
    if attrs.has(type(v)):
        return _fast_unstructure_hook(type(v))(v)
    if type(v) in (str, int, float, bool) or v is None:
        return v
    return _jsonable(_conv().unstructure(v, t))


def _emitter(cls: type[Any]) -> Callable[[Any, str, list[str]], None]:
    """The generated canonical-text writer of an attrs class (built once, then cached)."""
    fn = _EMIT.get(cls)
    if fn is not None:
        return fn
    attrs.resolve_types(cls)
    name = cls.__name__
    env: dict[str, Any] = {"_enc": _encode_str, "_str_list": _str_list, "_emit": _emit}
    _EMIT[cls] = lambda r, i, o: env[f"emit_{name}"](r, i, o)
    out = [f"def emit_{name}(r, indent, o):", "    ap = o.append", "    i1 = indent + '  '", "    sep = '{' + i1"]
    for i, f in enumerate(sorted(attrs.fields(cls), key=lambda f: f.name)):
        key = json.dumps(f.name, ensure_ascii=False) + ": "
        out.append(f"    v = r.{f.name}")
        pad = "    "
        if f.default is not attrs.NOTHING:
            if isinstance(f.default, _FACTORY):
                env[f"_f{i}"] = f.default.factory
                out.append(f"    if v != _f{i}():")
            else:
                env[f"_d{i}"] = f.default
                out.append(f"    if v != _d{i}:")
            pad = "        "
        out.append(f"{pad}ap(sep + {key!r})")
        _emit_value_code(f.type, env, out, pad)
        out.append(f"{pad}sep = ',' + i1")
    out.append("    ap('{}' if sep[0] == '{' else indent + '}')")
    exec(compile("\n".join(out), f"<sinotajik fast emit {name}>", "exec"), env)
    fn = env[f"emit_{name}"]
    _EMIT[cls] = fn
    return fn  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- documents


def _record_id(r: Any) -> str:
    return r.id  # type: ignore[no-any-return]


def document_dict(doc: Document) -> dict[str, Any]:
    """The wire form of a document with every collection sorted by id."""
    out: dict[str, Any] = {"schema": doc.schema, "version": doc.version}
    for kind in KINDS:
        recs = sorted(getattr(doc, kind), key=_record_id)
        out[kind] = [to_dict(r) for r in recs]
    return out


def canonical_json(doc: Document) -> bytes:
    """The canonical, byte-stable JSON of a document (see the module docstring)."""
    top: dict[str, Any] = {"schema": doc.schema, "version": doc.version}
    top.update((kind, getattr(doc, kind)) for kind in KINDS)
    o: list[str] = []
    ap = o.append
    sep = "{\n  "
    for key in sorted(top):
        ap(sep + _encode_str(key) + ": ")
        if key in KINDS:
            recs = sorted(top[key], key=_record_id)
            item_sep = "[\n    "
            for r in recs:
                ap(item_sep)
                _emitter(type(r))(r, "\n    ", o)
                item_sep = ",\n    "
            ap("\n  ]" if recs else "[]")
        else:
            _emit(top[key], "\n  ", o)
        sep = ",\n  "
    ap("\n}\n")
    return "".join(o).encode("utf-8")


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
    """Parse JSON text; repeated keys are noted in ``found`` (see :func:`text_problems`)."""
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


def text_problems(raw: object, *, suspect: str | None = None) -> list[Problem]:
    """Text that no field may hold, and objects with repeated keys, in a parsed JSON document.

    One-line fields (every text but :data:`MULTI_LINE_FIELDS`, and every key) may hold no
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
            problems.append(Problem(f"line {n}", f"expected an object, got {_json_type(obj)}"))
            continue
        kind_name = obj.pop("record", None)
        if not isinstance(kind_name, str) or kind_name not in _PLURAL:
            allowed = ", ".join(sorted(_PLURAL))
            what = shown(kind_name) if isinstance(kind_name, str) or kind_name is None else _json_type(kind_name)
            problems.append(Problem(f"line {n}.record", f"{what} is not one of: {allowed}"))
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
        if not data.strip():
            raise DataError([Problem("", "is empty")])
        text = _decode(data)
        if fmt == "jsonl":
            raw, origin = _jsonl_to_dict(text, found)
        elif fmt == "json":
            raw = _json_loads(text, "", found)
        else:
            raise ValueError(f"unknown format {fmt!r}: expected 'json' or 'jsonl'")
    if not isinstance(raw, dict):
        raise DataError([Problem("", f"expected a JSON object at the top level, got {_json_type(raw)}")])
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
    bad_text = text_problems(raw, suspect=None if found or text is None else text)
    try:
        doc = structure(raw, Document)
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
