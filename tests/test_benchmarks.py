"""The benchmark data generator makes valid, canonical, reproducible datasets (so the benchmarks measure real loads)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import sinotajik

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sinotajik_bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_data_is_valid_and_canonical() -> None:
    """A generated dataset loads without a problem and is already in canonical form, in JSON and JSON Lines."""
    gen = _generator()
    doc = gen.generate(400)
    data = gen.canonical_bytes(doc)
    ds = sinotajik.parse(data)
    assert len(ds) == 400 and len(ds.events) == 280
    assert sinotajik.dumps(ds) == data
    assert sinotajik.dumps(ds, format="jsonl") == gen.jsonl_bytes(doc)


def test_generated_data_covers_every_date_precision() -> None:
    """Events carry day, month and year dates, approximate and uncertain ones, closed and open spans."""
    ds = sinotajik.parse(_generator().canonical_bytes(_generator().generate(2000)))
    dates = [e.date for e in ds.events]
    singles = [d for d in dates if isinstance(d, sinotajik.PartialDate)]
    spans = [d for d in dates if isinstance(d, sinotajik.DateSpan)]
    assert {d.precision for d in singles} == set(sinotajik.Precision)
    assert any(d.approximate for d in singles) and any(d.uncertain for d in singles)
    assert any(s.start is not None and s.end is not None for s in spans)
    assert any(s.start is None for s in spans) and any(s.end is None for s in spans)
    assert all(e.participants and e.citations and e.places for e in ds.events)


def test_generation_is_deterministic() -> None:
    """The same size and seed give the same bytes; another seed gives other data."""
    gen = _generator()
    assert gen.canonical_bytes(gen.generate(300)) == gen.canonical_bytes(gen.generate(300))
    assert gen.canonical_bytes(gen.generate(300)) != gen.canonical_bytes(gen.generate(300, seed=1))
