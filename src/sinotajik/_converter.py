"""The public cattrs converter of the model, in the style of cattrs' ``preconf`` modules.

[`configure_converter`][sinotajik.configure_converter] sets up any `cattrs.Converter` for sinotajik's model;
[`make_converter`][sinotajik.make_converter] returns a new one, already configured. The library reads and writes
its own files with this same configuration (see `sinotajik._serialize`), so a record
embedded in a class of your own round-trips exactly as it does in a dataset file::

    import attrs, sinotajik

    @attrs.frozen
    class Note:
        event: sinotajik.Event
        seen: sinotajik.PartialDate

    conv = sinotajik.make_converter()
    note = conv.structure(conv.unstructure(Note(ev, sinotajik.parse_date("2024-05"))), Note)

What it does, exactly:

* **dates**: [`PartialDate`][sinotajik.PartialDate] and [`DateSpan`][sinotajik.DateSpan] (and their
  union [`When`][sinotajik.When]) unstructure to EDTF strings (``"2016-10"``, ``"2019~"``,
  ``"2021-08-18/2021-08-19"``) and structure only from such strings — never from
  ``datetime`` or dicts;
* **enums**: every enumeration of the model unstructures to its lower-case string value and
  structures only from one of its values (``"exercise"``), naming the allowed values otherwise;
* **tuples**: variable-length tuples (``tuple[X, ...]``) unstructure to lists and structure
  from lists (or tuples), every item checked, each problem with its index;
* **attrs classes** (the model's and your own): unstructure to dicts that leave out fields at
  their default value, and structure only from mappings; **unknown keys are rejected**;
* **a Dataset** unstructures to its canonical document (``{"schema": 1, "version": ...,
  "actors": [...], ...}``, as [`sinotajik.to_dict`][sinotajik.to_dict] gives) and structures from one,
  checked like a file;
* **primitives are strict**: ``str`` accepts only strings, ``int`` only whole numbers (not
  ``true``), ``float`` only finite numbers (``int`` too), ``bool`` only ``true``/``false``;
  cattrs' default would coerce ``5`` into ``"5"`` and ``"1"`` into ``True``.

With ``detailed_validation`` (the default of [`make_converter`][sinotajik.make_converter]) a failure raises cattrs'
exception group, which `cattrs.transform_error` turns into ``path: message`` lines; the
library turns it into one [`DataError`][sinotajik.DataError] instead.
"""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, Union, get_args

import attrs

from ._dates import DateSpan, PartialDate, When, parse_date, parse_when
from ._document import is_dataset_class
from ._model import ValueEnum

if TYPE_CHECKING:
    import cattrs

__all__ = ["configure_converter", "make_converter"]

T = TypeVar("T")


# --------------------------------------------------------------------------- messages


def shown(v: object, limit: int = 80) -> str:
    """``repr(v)``, shortened when long, so that one problem stays one readable line.

    ``'aaaa…' (1,048,576 characters)`` for a long string; other long values are cut at
    ``limit`` characters and end with ``…``.
    """
    text = repr(v)
    if len(text) <= limit:
        return text
    if isinstance(v, str):
        head = repr(v[:40])
        return f"{head[:-1]}…{head[-1]} ({len(v):,} characters)"
    return text[:limit] + "…"


def _shorten_message(message: str, value: object) -> str:
    """A message that quotes ``value`` in full, with the quote shortened if it is long."""
    full = repr(value)
    return message.replace(full, shown(value)) if len(full) > 80 else message


def json_type(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        number = repr(v)
        return f"the number {number}" if len(number) <= 40 else f"a number of {len(number):,} digits"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, (list, tuple)):
        return "a list"
    if isinstance(v, Mapping):
        return "an object"
    return type(v).__name__


# --------------------------------------------------------------------------- strict hooks


def _str(v: object, _: Any) -> str:
    if type(v) is str:  # what JSON gives: the common case, tested first
        return v
    if not isinstance(v, str):
        raise TypeError(f"expected a string, got {json_type(v)}")
    return v


def _int(v: object, _: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"expected a whole number, got {json_type(v)}")
    return v


def _float(v: object, _: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"expected a number, got {json_type(v)}")
    try:
        value = float(v)
    except OverflowError:
        raise ValueError(f"{json_type(v)} is too large") from None
    if not math.isfinite(value):
        raise ValueError(f"{v!r} is not a finite number")
    return value


def _number(v: object, _: Any) -> int | float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"expected a number, got {json_type(v)}")
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError(f"{v!r} is not a finite number")
    return v


def _bool(v: object, _: Any) -> bool:
    if not isinstance(v, bool):
        raise TypeError(f"expected true or false, got {json_type(v)}")
    return v


# Dates and spans are immutable and their strings repeat across records: each distinct string
# is parsed once (a failed parse is not remembered, so its message is always the parser's).
_parse_date = functools.lru_cache(maxsize=1 << 16)(parse_date)
_parse_when = functools.lru_cache(maxsize=1 << 16)(parse_when)


def _partial_date(v: object, _: Any) -> PartialDate:
    if not isinstance(v, str):
        raise TypeError(f"expected an EDTF date string, got {json_type(v)}")
    try:
        return _parse_date(v)
    except ValueError as exc:
        raise ValueError(_shorten_message(str(exc), v)) from None


def _when(v: object, _: Any) -> When:
    if not isinstance(v, str):
        raise TypeError(f"expected an EDTF date or span string, got {json_type(v)}")
    try:
        return _parse_when(v)
    except ValueError as exc:
        raise ValueError(_shorten_message(str(exc), v)) from None


def _optional(fn: Callable[[object, Any], T]) -> Callable[[object, Any], T | None]:
    def hook(v: object, t: Any) -> T | None:
        return None if v is None else fn(v, t)

    return hook


def _make_enum_hook(cls: type[enum.Enum]) -> Callable[[object, Any], enum.Enum]:
    """The structure hook of one enumeration: a value's member, or a message naming the allowed values."""
    values: dict[object, enum.Enum] = {m.value: m for m in cls}
    allowed = ", ".join(sorted(str(k) for k in values))
    get = values.get

    def hook(v: object, _: Any) -> enum.Enum:
        member = get(v) if type(v) is str else None
        if member is None:
            what = shown(v) if isinstance(v, str) else json_type(v)
            raise ValueError(f"{what} is not one of: {allowed}")
        return member

    return hook


def _enum(v: object, cls: type[enum.Enum]) -> enum.Enum:
    """The hook of an enumeration defined after the converter was configured."""
    return _make_enum_hook(cls)(v, cls)


def _enum_value(v: enum.Enum) -> Any:
    return v.value


def is_var_tuple(t: Any) -> bool:
    """Whether ``t`` is ``tuple[X, ...]``."""
    args = get_args(t)
    return getattr(t, "__origin__", None) is tuple and len(args) == 2 and args[1] is Ellipsis


def _make_tuple_hook(conv: cattrs.Converter, t: Any) -> Callable[[object, Any], tuple[Any, ...]]:
    from cattrs.errors import IterableValidationError, IterableValidationNote

    elem = get_args(t)[0]
    inner = conv.get_structure_hook(elem)

    if not conv.detailed_validation:  # the first problem is enough: no bookkeeping
        if elem is str and inner is _str:  # tuples of strings, the most common: no call per item

            def strings(v: object, _: Any) -> tuple[Any, ...]:
                if type(v) is not list and not isinstance(v, (list, tuple)):
                    raise TypeError(f"expected a list, got {json_type(v)}")
                out = tuple(v)
                for item in out:
                    if type(item) is not str:
                        inner(item, elem)  # raises for anything but a string
                return out

            return strings

        def fast(v: object, _: Any) -> tuple[Any, ...]:
            if not isinstance(v, (list, tuple)):
                raise TypeError(f"expected a list, got {json_type(v)}")
            return tuple([inner(item, elem) for item in v])

        return fast

    def hook(v: object, _: Any) -> tuple[Any, ...]:
        if not isinstance(v, (list, tuple)):
            raise TypeError(f"expected a list, got {json_type(v)}")
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


def _make_tuple_unstructure(conv: cattrs.Converter, t: Any) -> Callable[[Any], list[Any]]:
    from cattrs.fns import identity

    elem = get_args(t)[0]
    inner = conv.get_unstructure_hook(elem)
    if inner == identity:  # strings: the list of the items themselves
        return list
    return lambda v: [inner(x) for x in v]


def _optional_str(v: Any) -> str | None:
    return None if v is None else str(v)


def _make_class_hook(conv: cattrs.Converter, cls: type[Any]) -> Callable[[object, Any], Any]:
    from cattrs.gen import make_dict_structure_fn

    inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

    def hook(v: object, _: Any) -> Any:
        if type(v) is not dict and not isinstance(v, Mapping):
            raise TypeError(f"expected an object, got {json_type(v)}")
        return inner(v, cls)

    return hook


def _make_class_unstructure(conv: cattrs.Converter, cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    from cattrs.gen import make_dict_unstructure_fn

    return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)


def _is_attrs(t: Any) -> bool:
    return isinstance(t, type) and attrs.has(t)


def _unstructure_dataset(ds: Any) -> dict[str, Any]:
    return ds._to_wire()  # type: ignore[no-any-return]


def _structure_dataset(v: object, cls: Any) -> Any:
    if not isinstance(v, Mapping):
        raise TypeError(f"expected an object, got {json_type(v)}")
    return cls._from_wire(v)  # a DataError lists every problem


def configure_converter(conv: cattrs.Converter) -> None:
    """Configure a cattrs converter for sinotajik's model (see the module docstring).

    After this call ``conv`` structures and unstructures records, dates and enumerations as
    sinotajik's files do:

    * dates and spans are EDTF strings (``"2016-10"``, ``"2021-08-18/2021-08-19"``);
    * enumerations are their string values, and only those are accepted;
    * ``tuple[X, ...]`` unstructures to a list and structures from a list;
    * attrs classes leave out fields at their default value, and unknown keys are rejected;
    * a [`Dataset`][sinotajik.Dataset] is its canonical document, checked when structured;
    * ``str``, ``int``, ``float`` and ``bool`` are strict (no coercion of ``5`` into ``"5"``).

    Hooks already registered for other types are left alone; the hooks registered here take
    precedence over cattrs' defaults for the types above.

    Args:
        conv: a `cattrs.Converter` (not a ``BaseConverter``: attrs classes are
            handled with the generated functions of `cattrs.gen`).
    """
    from cattrs.fns import identity

    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(bool, _bool)
    # The model's enums subclass str, so they need hooks more specific than str's.
    conv.register_structure_hook(ValueEnum, _enum)
    for enum_cls in ValueEnum.__subclasses__():  # the model's: one hook each, its values at hand
        conv.register_structure_hook(enum_cls, _make_enum_hook(enum_cls))
    conv.register_unstructure_hook(ValueEnum, _enum_value)
    for enum_cls in ValueEnum.__subclasses__():  # a dict lookup, no Python call per value
        conv.register_unstructure_hook(enum_cls, {m: m.value for m in enum_cls}.__getitem__)
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
    conv.register_unstructure_hook(Union[PartialDate, None], _optional_str)
    conv.register_unstructure_hook(Union[PartialDate, DateSpan, None], _optional_str)
    # Optional strings and numbers are written as they are: the value itself, inlined by cattrs'
    # generated functions (its default wraps each in a function that tests for None).
    conv.register_unstructure_hook(Union[str, None], identity)
    conv.register_unstructure_hook(Union[int, None], identity)
    conv.register_structure_hook_factory(is_var_tuple, lambda t: _make_tuple_hook(conv, t))
    conv.register_unstructure_hook_factory(is_var_tuple, lambda t: _make_tuple_unstructure(conv, t))
    conv.register_structure_hook_factory(_is_attrs, lambda t: _make_class_hook(conv, t))
    conv.register_unstructure_hook_factory(_is_attrs, lambda t: _make_class_unstructure(conv, t))
    # A whole Dataset is its canonical document, and is checked when structured.
    conv.register_structure_hook_func(is_dataset_class, _structure_dataset)
    conv.register_unstructure_hook_func(is_dataset_class, _unstructure_dataset)


def make_converter(*, detailed_validation: bool = True) -> cattrs.Converter:
    """A new cattrs converter, set up by [`configure_converter`][sinotajik.configure_converter].

    Args:
        detailed_validation: collect every problem with its path (cattrs' exception groups,
            readable with `cattrs.transform_error`); ``False`` stops at the first.

    Returns:
        A `cattrs.Converter`; register hooks for your own types on it as usual.
    """
    import cattrs

    conv = cattrs.Converter(omit_if_default=True, forbid_extra_keys=True, detailed_validation=detailed_validation)
    configure_converter(conv)
    return conv
