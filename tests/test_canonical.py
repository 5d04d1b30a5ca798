"""The canonical bytes: orjson (the optional extra) and the standard library write the same ones."""

from __future__ import annotations

import hashlib
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import sinotajik
from sinotajik import Dataset
from sinotajik._canonical import Unsupported, orjson_dumps, orjson_installed, stdlib_dumps
from sinotajik._model import Coordinates
from sinotajik._serialize import _document_dict, _orjson_conv, canonical_json, document_dict, orjson_canonical_json
from strategies import datasets


def _both(doc: Any) -> tuple[bytes, bytes]:
    """What canonical_json writes with orjson (records unstructured as orjson meets them), and the standard library's."""
    fast = orjson_canonical_json(doc)
    assert fast == orjson_dumps(_document_dict(doc, _orjson_conv()))  # the same as from the whole tree
    return fast, stdlib_dumps(document_dict(doc))


def test_orjson_is_installed_for_the_tests() -> None:
    """The test environment has the orjson extra, so that both writers are compared."""
    assert orjson_installed()


@settings(max_examples=80, deadline=None)
@given(datasets())
def test_orjson_and_the_standard_library_write_identical_bytes(ds: Dataset) -> None:
    """On random datasets the orjson writer and the standard library's give the same bytes."""
    fast, reference = _both(ds.to_document())
    assert fast == reference


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_is_written_as_python_writes_it(lat: float, lon: float) -> None:
    """Floats orjson would write otherwise (``1e-05`` as ``0.00001``) come out as Python's repr."""
    conv = _orjson_conv()
    point = Coordinates(lat=lat, lon=lon)
    assert orjson_dumps(conv.unstructure(point)) == stdlib_dumps(sinotajik.to_dict(point))


def test_small_floats_keep_their_exponent() -> None:
    """1e-05 is written ``1e-05`` by both writers (orjson alone would write ``0.00001``)."""
    out = orjson_dumps(_orjson_conv().unstructure(Coordinates(lat=1e-05, lon=-2.5e-07)))
    assert b'"lat": 1e-05' in out and b'"lon": -2.5e-07' in out


def _with_quantity_value(value: Any) -> Any:
    ds = sinotajik.load()
    event = next(e for e in ds.events if e.quantities)
    changed = attrs.evolve(event, quantities=(attrs.evolve(event.quantities[0], value=value), *event.quantities[1:]))
    doc = ds.to_document()
    return attrs.evolve(doc, events=tuple(changed if e.id == event.id else e for e in doc.events))


def test_values_orjson_cannot_write_fall_back_to_the_standard_library() -> None:
    """An integer beyond 64 bits makes orjson refuse; canonical_json then writes the standard library's bytes."""
    doc = _with_quantity_value(2**70)
    try:
        orjson_dumps(_document_dict(doc, _orjson_conv()))
    except Unsupported:
        pass
    else:  # pragma: no cover - orjson would have to start writing big integers
        raise AssertionError("orjson wrote a 70-bit integer")
    try:
        orjson_canonical_json(doc)
    except Unsupported:
        pass
    else:  # pragma: no cover
        raise AssertionError("orjson wrote a 70-bit integer")
    assert canonical_json(doc) == stdlib_dumps(document_dict(doc))
    assert str(2**70).encode() in canonical_json(doc)


def test_a_non_finite_float_falls_back_to_the_standard_library_error() -> None:
    """A NaN met while orjson writes (inside its default) is refused by the standard library, as before."""
    doc = _with_quantity_value(float("nan"))
    try:
        orjson_canonical_json(doc)
    except Unsupported:
        pass
    else:  # pragma: no cover
        raise AssertionError("orjson wrote NaN")


def test_quantity_floats_match_between_writers() -> None:
    """A quantity with a small float value is written identically by both writers."""
    fast, reference = _both(_with_quantity_value(3.5e-06))
    assert fast == reference
    assert b"3.5e-06" in fast


def test_every_bundled_release_is_written_identically_by_both_writers() -> None:
    """orjson and the standard library each rewrite every bundled release to its pinned checksum."""
    for rel in sinotajik.versions():
        doc = sinotajik.load(rel.version).to_document()
        for data in _both(doc):
            assert hashlib.sha256(data).hexdigest() == rel.sha256
