"""Properties under random input: only DataError comes out, and the fast paths agree with the detailed ones.

Random JSON, random bytes and random mutations of valid files (a node replaced, a key dropped
or added, a reference pointed elsewhere, bytes cut or flipped) are fed to the loader: it
returns a Dataset or raises DataError, never anything else, and every problem is one line.
The fast structuring, checking and writing paths are compared with the detailed converter,
the detailed checks and the standard library's JSON writer on the same inputs.
"""

from __future__ import annotations

import copy
import gc
import json
import threading
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sinotajik
from sinotajik import DataError, Dataset, parse
from sinotajik._serialize import Document, _detailed, _jsonable, converter, document_dict, structure, to_dict
from strategies import datasets, records

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
# Values that make sense somewhere in a record, so that mutations reach the deeper checks.
_PLAUSIBLE_TEXT = ["", " ", "drill", "Drill", "2021-02-30", "2021-13", "2021-08-18/2021-08-17", "../..", "2016-10~"]
_PLAUSIBLE_REFS = ["CN", "CHN", "act-nope", "src-nope", "plc-nope", "Act_A", "evt-x"]
plausible = st.sampled_from([*_PLAUSIBLE_TEXT, *_PLAUSIBLE_REFS, None, 0, -1, 1.5, True, [], {}, [None], ["x"]])


def _outcome(fn: Any) -> tuple[str, Any]:
    """What a call gives: ("ok", value) or ("error", the problems as lines); anything else fails the test."""
    try:
        return "ok", fn()
    except DataError as exc:
        lines = [str(p) for p in exc.problems]
        assert lines, "a DataError always lists at least one problem"
        assert all("\n" not in line and "\r" not in line for line in lines), lines
        return "error", lines


def _nodes(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every node of a JSON tree."""
    out = [path]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out.extend(_nodes(v, (*path, k)))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out.extend(_nodes(v, (*path, i)))
    return out


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        tree = tree[p]
    return tree


@st.composite
def mutated_documents(draw: Any) -> Any:
    """The wire form of a valid dataset with one to three random changes."""
    ds = draw(datasets())
    tree = json.loads(sinotajik.dumps(ds))
    ids = [r.id for r in ds]
    for _ in range(draw(st.integers(1, 3))):
        paths = _nodes(tree)
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["replace", "plausible", "reference", "drop", "add", "wrap"]))
        if not path:
            if op == "replace":
                tree = draw(json_values)
            continue
        parent, last = _get(tree, path[:-1]), path[-1]
        if op == "replace":
            parent[last] = draw(json_values)
        elif op == "plausible":
            parent[last] = draw(plausible)
        elif op == "reference" and isinstance(parent[last], str):
            parent[last] = draw(st.sampled_from(ids or ["act-x"]))
        elif op == "drop":
            del parent[last]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["colour", "id", "kind", "x\ny", "record"]))] = draw(json_values)
        elif op == "wrap":
            parent[last] = [parent[last]]
    return tree


@FUZZ
@given(json_values)
def test_random_json_gives_only_data_error(value: Any) -> None:
    """Any JSON value at all, as a file, gives a Dataset or a DataError."""
    text = json.dumps(value)
    _outcome(lambda: parse(text))
    _outcome(lambda: parse(text, format="jsonl"))


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_give_only_data_error(data: bytes) -> None:
    """Arbitrary bytes, read as JSON or JSON Lines, give a Dataset or a DataError."""
    _outcome(lambda: parse(data))
    _outcome(lambda: parse(data, format="jsonl"))


@FUZZ
@given(mutated_documents())
def test_mutated_files_give_only_data_error(tree: Any) -> None:
    """A valid file with random changes loads, or fails with DataError naming where."""
    kind, result = _outcome(lambda: parse(json.dumps(tree)))
    if kind == "ok":
        assert isinstance(result, Dataset)
    elif isinstance(tree, dict) and "schema" in tree and "version" in tree:
        # Inside a well-formed document every problem names where it is.
        assert all(not line.startswith(":") for line in result)


@FUZZ
@given(datasets(), st.data())
def test_damaged_bytes_give_only_data_error(ds: Dataset, data: st.DataObject) -> None:
    """Canonical bytes cut short, with a byte changed or bytes inserted, give a Dataset or a DataError."""
    for fmt in ("json", "jsonl"):
        raw = bytearray(sinotajik.dumps(ds, format=fmt))
        op = data.draw(st.sampled_from(["truncate", "flip", "insert"]))
        i = data.draw(st.integers(0, len(raw) - 1))
        if op == "truncate":
            del raw[i:]
        elif op == "flip":
            raw[i] = data.draw(st.integers(0, 255))
        else:
            raw[i:i] = data.draw(st.binary(min_size=1, max_size=8))
        _outcome(lambda: parse(bytes(raw), format=fmt))  # noqa: B023 - called at once


@FUZZ
@given(mutated_documents())
def test_fast_structuring_agrees_with_the_detailed_converter(tree: Any) -> None:
    """The fast path accepts exactly what the detailed converter accepts, with the same problems in the same order."""
    if not isinstance(tree, dict):
        return
    fast = _outcome(lambda: structure(copy.deepcopy(tree), Document))
    slow = _outcome(lambda: _detailed(copy.deepcopy(tree), Document))
    assert fast == slow


@FUZZ
@given(mutated_documents())
def test_structural_problems_come_first_then_the_checks(tree: Any) -> None:
    """parse() lists the detailed converter's problems first, in its order, then only new integrity problems."""
    if not isinstance(tree, dict) or tree.get("schema") != 1:
        return
    try:
        text = json.dumps(tree, allow_nan=False)  # a tree holding inf or nan is not JSON
    except ValueError:
        return
    kind, structural = _outcome(lambda: _detailed(copy.deepcopy(tree), Document))
    if kind == "ok":
        return
    _, everything = _outcome(lambda: parse(text))
    assert everything[: len(structural)] == structural
    assert len(set(everything)) == len(everything)


@settings(max_examples=60, deadline=None)
@given(datasets())
def test_canonical_writer_matches_the_standard_library(ds: Dataset) -> None:
    """dumps() writes byte for byte what json.dumps(indent=2, sort_keys=True) writes of the wire form."""
    expected = json.dumps(document_dict(ds.to_document()), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert sinotajik.dumps(ds) == expected.encode("utf-8")


@settings(max_examples=100, deadline=None)
@given(records)
def test_fast_wire_form_matches_cattrs(rec: Any) -> None:
    """to_dict() gives exactly cattrs' unstructured form, for every record type."""
    assert to_dict(rec) == _jsonable(converter.unstructure(rec))
    for f in attrs.fields(type(rec)):
        value = getattr(rec, f.name)
        for v in value if isinstance(value, tuple) else (value,):
            # Nested values (citations, coordinates, dates...) on their own too.
            assert to_dict(v) == _jsonable(converter.unstructure(v))


def test_every_bundled_release_is_written_identically() -> None:
    """Each bundled release re-serialises to exactly its shipped bytes with the fast writer."""
    import hashlib

    for rel in sinotajik.versions():
        assert hashlib.sha256(sinotajik.dumps(sinotajik.load(rel.version))).hexdigest() == rel.sha256


def test_concurrent_parses_are_correct_and_restore_the_collector() -> None:
    """Many threads parsing at once each get their own correct Dataset, and the collector ends as it began."""
    data = sinotajik.dumps(sinotajik.load())
    bad = data.replace(b'"summary"', b'"summery"', 1)
    results: dict[int, Any] = {}
    barrier = threading.Barrier(8)

    def worker(i: int) -> None:
        barrier.wait()
        results[i] = _outcome(lambda: parse(bad if i % 2 else data))

    assert gc.isenabled()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled()
    for i, (kind, value) in results.items():
        if i % 2:
            assert kind == "error" and any("summery: unknown field" in p for p in value)
        else:
            assert kind == "ok" and value == sinotajik.load()


def test_a_load_leaves_a_disabled_collector_disabled() -> None:
    """When the caller has turned the collector off, loading does not turn it back on."""
    data = sinotajik.dumps(sinotajik.load())
    gc.disable()
    try:
        parse(data)
        with pytest.raises(DataError):
            parse(b"{")
        assert not gc.isenabled()
    finally:
        gc.enable()


@FUZZ
@given(mutated_documents())
def test_building_record_by_record_accepts_what_the_converter_accepts(tree: Any) -> None:
    """The load path that lets each record's JSON go builds the same document, or refuses what the converter refuses."""
    from sinotajik._serialize import _consume

    if not isinstance(tree, dict):
        return
    kind, expected = _outcome(lambda: structure(copy.deepcopy(tree), Document))
    consumed = _consume(copy.deepcopy(tree))
    if kind == "ok":
        assert consumed == expected
    else:
        assert consumed is None


def test_a_mapping_given_to_from_dict_is_left_as_it_was() -> None:
    """from_dict(document, Dataset) does not consume the caller's document (only a tree parsed from bytes is)."""
    doc = sinotajik.to_dict(sinotajik.load())
    before = copy.deepcopy(doc)
    sinotajik.from_dict(doc, Dataset)
    assert doc == before
