"""What the model's fields hold, as the exports see it.

Everything the exports write is derived from the attrs classes by introspection, so that a
field added to a record appears in every export without a line changing in them: the kind of
value each field holds, the fields that refer to other records, the patterns of dates, ids
and codes, and the descriptions in the classes' docstrings.
"""

from __future__ import annotations

import enum
import inspect
import re
import types
from typing import Any, Union, get_args, get_origin

import attrs

from .. import _model, _serialize
from .._dates import DateSpan, PartialDate
from .._document import ID_PREFIX
from .._model import Actor, Agreement, Citation, Claim, Event, Facility, Participant, Place, Position

__all__: list[str] = []

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
