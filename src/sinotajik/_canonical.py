"""Canonical JSON text: the standard library's, or orjson's when it is installed, byte for byte.

The canonical text of a document is what ``json.dumps(obj, ensure_ascii=False, indent=2,
sort_keys=True, allow_nan=False)`` writes, UTF-8 encoded, with a final newline. orjson (the
``orjson`` extra) writes the same bytes several times faster, with two exceptions that are
handled here, in the style of cattrs' ``preconf.orjson``:

* floats: orjson writes ``1e-05`` as ``0.00001``; `configure_orjson` makes a converter
  unstructure every float to an ``orjson.Fragment`` of Python's own ``repr``, so both agree;
* what orjson cannot write as the standard library does (an integer beyond 64 bits, a
  non-finite float, a lone surrogate) raises `Unsupported`, and the caller falls back
  to the standard library, which writes it or raises its own error.

A property test holds the two writers to identical bytes on random datasets.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import cattrs

__all__ = ["Unsupported", "configure_orjson", "orjson_dumps", "orjson_installed", "stdlib_dumps"]


class Unsupported(Exception):
    """A value orjson would not write as the standard library does."""


def stdlib_dumps(obj: Any) -> bytes:
    """The canonical text of ``obj`` (plain JSON data), written by the standard library."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    return (text + "\n").encode("utf-8")


_orjson: list[Any] = []


def _module() -> Any:
    """The orjson module, or ``None`` when it is not installed (looked up once)."""
    if not _orjson:
        try:
            import orjson
        except ImportError:
            _orjson.append(None)
        else:
            _orjson.append(orjson)
    return _orjson[0]


def orjson_installed() -> bool:
    """Whether the canonical text can be written by orjson."""
    return _module() is not None


def _float_fragment(v: float) -> Any:
    if not math.isfinite(v):
        raise Unsupported(f"{v!r} is not a finite number")
    return _module().Fragment(float.__repr__(v))


def configure_orjson(conv: cattrs.Converter) -> None:
    """Make ``conv`` unstructure floats as orjson fragments holding Python's ``repr`` of them.

    Only for a converter whose output goes straight to `orjson_dumps`.
    """
    conv.register_unstructure_hook(float, _float_fragment)


def orjson_dumps(obj: Any, default: Callable[[Any], Any] | None = None) -> bytes:
    """The canonical text of ``obj`` (unstructured by a converter set up by `configure_orjson`).

    ``default``, if given, is what orjson calls for a value it cannot write itself; it
    returns the value's unstructured form (from such a converter too).

    Raises:
        Unsupported: when orjson cannot write ``obj`` exactly as `stdlib_dumps` does.
    """
    orjson = _module()
    try:
        options = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
        data: bytes = orjson.dumps(obj, default=default, option=options)
    except orjson.JSONEncodeError as exc:  # a big integer, a lone surrogate...
        raise Unsupported(str(exc)) from None
    return data
