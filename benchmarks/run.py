"""Run the sinotajik benchmark suite and write docs/benchmarks.md.

One command, from the repository root::

    pip install -e ".[bench]" && python benchmarks/run.py

It generates deterministic synthetic datasets (``benchmarks/generate.py``, cached in
``benchmarks/.results/``), measures every case in a fresh worker process, and writes the
results with the machine, the versions, the command and each target (met or missed, and why)
to ``docs/benchmarks.md``; the raw numbers go to ``benchmarks/.results/results.json``.

Every number is a median of several runs, and every comparison is a ratio measured in the same
run on the same data. ``--quick`` runs small sizes only (a few minutes), for trying changes.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import importlib.metadata as md
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".results"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import serialisation  # noqa: E402
import targets  # noqa: E402

# --------------------------------------------------------------------------- helpers


def _median_time(fn: Callable[[], Any], repeats: int, *, cleanup: Callable[[Any], None] | None = None) -> float:
    """The median wall time of ``fn()`` over ``repeats`` runs; its result is freed between runs, untimed."""
    times = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if cleanup is not None:
            cleanup(result)
        del result
    return statistics.median(times)


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def data_file(n: int, *, events_heavy: bool = False) -> Path:
    """The cached synthetic dataset of ``n`` records (generated on first use).

    The load/dump files are canonical JSON (what ``sinotajik.save`` writes); the events-heavy
    files for the query benchmarks, whose loading is not timed, are compact JSON.
    """
    CACHE.mkdir(exist_ok=True)
    path = CACHE / (f"events-{n}.json" if events_heavy else f"synthetic-{n}.json")
    if not path.exists():
        t0 = time.perf_counter()
        doc = generate.generate(n, shares=generate.EVENT_SHARES if events_heavy else None)
        data = json.dumps(doc, ensure_ascii=False).encode() if events_heavy else generate.canonical_bytes(doc)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        print(f"  generated {path.name} ({len(data) / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def _worker(*args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; it prints one JSON object."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------- workers


def work_load_dump(lib: str, n: int, repeats: int) -> dict[str, Any]:
    """Load (and dump) the synthetic file of ``n`` records with one library."""
    data = data_file(n).read_bytes()
    out: dict[str, Any] = {"lib": lib, "n": n, "bytes": len(data), "repeats": repeats}
    gc.collect()
    base_rss = _rss()
    if lib == "sinotajik":
        import sinotajik

        load: Callable[[], Any] = lambda: sinotajik.parse(data)  # noqa: E731
        dump: Callable[[Any], Any] = sinotajik.dumps
    elif lib in ("msgspec", "msgspec-paused"):
        import msgspec
        from models import MsgspecDocument

        decoder = msgspec.json.Decoder(MsgspecDocument)
        encoder = msgspec.json.Encoder()
        load = lambda: decoder.decode(data)  # noqa: E731
        if lib == "msgspec-paused":
            # msgspec with the collector paused around the decode, as sinotajik.parse does.
            load = lambda: _paused(lambda: decoder.decode(data))  # noqa: E731
        dump = encoder.encode
    elif lib == "pydantic":
        from models import PydanticDocument

        load = lambda: PydanticDocument.model_validate_json(data)  # noqa: E731
        dump = lambda d: d.model_dump_json(exclude_defaults=True, by_alias=True)  # noqa: E731
    elif lib == "json":
        load = lambda: json.loads(data)  # noqa: E731
        dump = lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True, indent=2)  # noqa: E731
    else:
        raise SystemExit(f"unknown library {lib}")
    # The first load also measures memory: what the result keeps once the load is over.
    gc.collect()
    t0 = time.perf_counter()
    obj = load()
    first = time.perf_counter() - t0
    gc.collect()
    out["retained_bytes"] = _rss() - base_rss
    out["load_s"] = statistics.median([first, *(_median_time(load, 1) for _ in range(repeats - 1))])
    out["dump_s"] = _median_time(lambda: dump(obj), repeats)
    if n <= 200_000:
        # What the loaded objects occupy, traced allocation by allocation. Resident memory
        # also counts memory freed during the load but kept by the allocator (sinotajik frees
        # the parsed JSON tree; msgspec never builds one), so this is the fair comparison.
        import tracemalloc

        del obj
        gc.collect()
        tracemalloc.start()
        obj = load()
        gc.collect()
        out["traced_bytes"] = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    if lib == "sinotajik" and n <= 200_000:
        out["breakdown"] = _load_breakdown(data, repeats)
    if lib == "sinotajik" and n <= 200_000:
        out.update(_dump_paths(obj, repeats))
    return out


def _dump_paths(ds: Any, repeats: int) -> dict[str, Any]:
    """Which writer ``dump_s`` measured, and the pure path (the standard library's writer) beside it.

    ``dump_s`` is ``sinotajik.dumps``: orjson writes the canonical bytes when the ``orjson``
    extra is installed. ``dump_pure_s`` times the standard library's writer on the same
    dataset (what ``dumps`` does without the extra), byte for byte the same output.
    """
    from sinotajik._canonical import orjson_installed, stdlib_dumps
    from sinotajik._serialize import document_dict

    doc = ds.to_document()
    return {
        "dump_writer": "orjson" if orjson_installed() else "stdlib",
        "dump_pure_s": _median_time(lambda: stdlib_dumps(document_dict(doc)), repeats),
    }


def _load_breakdown(data: bytes, repeats: int) -> dict[str, float]:
    """Where the time of sinotajik.parse goes: JSON parsing, structuring, checks, the Dataset."""
    from sinotajik._dataset import Dataset
    from sinotajik._integrity import check_document
    from sinotajik._serialize import Document, _detailed, structure

    raw = json.loads(data)
    doc = _paused(lambda: structure(raw, Document))
    out = {
        "json_loads_s": _median_time(lambda: json.loads(data), repeats),
        "json_loads_gc_off_s": _gc_off(lambda: json.loads(data), repeats),
        "structure_s": _gc_off(lambda: structure(raw, Document), repeats),
        "structure_detailed_s": _gc_off(lambda: _detailed(raw, Document), 1),
        "checks_s": _gc_off(lambda: check_document(doc), repeats),
        "build_s": _gc_off(lambda: Dataset._from_document(doc, check=False), repeats),
    }
    return out


def _paused(fn: Callable[[], Any]) -> Any:
    gc.disable()
    try:
        return fn()
    finally:
        gc.enable()


def _gc_off(fn: Callable[[], Any], repeats: int) -> float:
    gc.disable()
    try:
        return _median_time(fn, repeats)
    finally:
        gc.enable()


def work_cold(repeats: int) -> dict[str, Any]:
    """Interpreter start-up plus imports (and a load) in fresh processes, interleaved."""
    csv = CACHE / "release-events.csv"
    _write_release_csv(csv)
    cases = {
        "python": "pass",
        "attrs+pendulum": "import attrs, pendulum",
        "attrs+cattrs+pendulum": "import attrs, cattrs, pendulum",
        "sinotajik": "import sinotajik",
        "sinotajik.load()": "import sinotajik; sinotajik.load()",
        "pandas.read_csv": f"import pandas; pandas.read_csv({str(csv)!r})",
    }
    # Bytecode caches are written (whatever PYTHONDONTWRITEBYTECODE says) and warm, as they are
    # for an installed package; otherwise sinotajik alone would be compiled at every start.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    argvs = {name: [sys.executable, "-c", code] for name, code in cases.items()}
    # The command line, as installed (the console script beside this interpreter).
    import sinotajik

    script = Path(sys.executable).parent / "sinotajik"
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "sinotajik"]
    shown = sinotajik.load().events[0].id
    for name, args in (("sinotajik info", ["info"]), ("sinotajik timeline", ["timeline"])):
        argvs[name] = [*cli, *args]
    argvs["sinotajik show"] = [*cli, "show", shown]
    for argv in argvs.values():
        subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
    import resource

    wall: dict[str, list[float]] = {k: [] for k in argvs}
    cpu: dict[str, list[float]] = {k: [] for k in argvs}
    for _ in range(repeats):
        for name, argv in argvs.items():
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
            wall[name].append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return {
        "wall": {name: statistics.median(ts) for name, ts in wall.items()},
        "cpu": {name: statistics.median(ts) for name, ts in cpu.items()},
    }


def _write_release_csv(path: Path) -> None:
    """The bundled release's records as one CSV row each (id, kind, title, date, summary, citations)."""
    import csv

    import sinotajik

    CACHE.mkdir(exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "kind", "title", "date", "summary", "citations"])
        for r in sinotajik.load():
            title = getattr(r, "title", None) or getattr(r, "name", "")
            date = getattr(r, "date", None) or getattr(r, "published", None) or ""
            cites = ";".join(c.source for c in getattr(r, "citations", ()))
            w.writerow([r.id, getattr(r, "kind", ""), title, str(date), getattr(r, "summary", ""), cites])


def work_query(n_events: int, repeats: int) -> dict[str, Any]:
    """Date-window, actor + kind and kind queries and the timeline, on ``n_events`` events."""
    import bisect
    import random

    import pandas as pd

    import sinotajik
    from sinotajik import DateSpan, Event, EventKind, parse_date

    n = round(n_events / generate.EVENT_SHARES["events"])
    data = data_file(n, events_heavy=True).read_bytes()
    t0 = time.perf_counter()
    ds = sinotajik.parse(data)
    load_s = time.perf_counter() - t0
    del data
    # parse pauses the collector, so every object it built is still in the youngest generation:
    # the next few automatic collections would each walk the whole dataset (seconds at 1M
    # records) inside whatever is timed next. Settle that debt here, untimed, as _median_time
    # does before every case.
    gc.collect()
    events = ds.events
    out: dict[str, Any] = {"events": len(events), "records": len(ds), "load_s": load_s}
    rng = random.Random(7)

    # Queries: 30-day windows, an actor with a kind, a kind alone.
    starts = [parse_date(f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-01") for _ in range(20)]
    windows = [DateSpan(start=s, end=parse_date(str(s.earliest.add(days=29)))) for s in starts]
    actor_counts: dict[str, int] = {}
    for e in events[:20000]:
        for p in e.participants:
            actor_counts[p.actor] = actor_counts.get(p.actor, 0) + 1
    actor = sorted(actor_counts, key=lambda a: (-actor_counts[a], a))[len(actor_counts) // 2]
    kind = EventKind.DRILL

    # --- sinotajik's query module
    has_query = hasattr(sinotajik, "select") and hasattr(sinotajik, "where")
    out["query_module"] = has_query
    if has_query:
        from sinotajik import select, where

        # The index is built part by part, on the first query that needs each part: the build is
        # the first query of every kind of filter.
        first_queries = {
            "kind": where.kind("drill"),
            "date": where.date("2019-01-01", "2019-01-30"),
            "actor": where.actor(country="CHN"),
            "place": where.place(country="TJK"),
            "tag": where.tag("police"),
            "source": where.source(ds.sources[0].id),
            "confidence": where.confidence("high"),
            "contested": where.contested(),
        }
        parts: dict[str, float] = {}
        for name, f in first_queries.items():
            t0 = time.perf_counter()
            select(ds, f)
            parts[name] = time.perf_counter() - t0
        out["index_parts_s"] = parts
        out["index_build_s"] = sum(parts.values())
        hits = [len(select(ds, where.date(str(w.start), str(w.end)), kind=Event)) for w in windows]
        out["window_hits"] = statistics.median(hits)
        out["window_s"] = _per_call(lambda w: select(ds, where.date(str(w.start), str(w.end)), kind=Event), windows)
        out["actor_kind_s"] = _per_call(lambda _: select(ds, where.actor(actor) & where.kind("drill")), range(20))
        out["actor_kind_hits"] = len(select(ds, where.actor(actor) & where.kind("drill")))
        out["kind_s"] = _per_call(lambda _: select(ds, where.kind("drill")), range(5))

    # --- country and place filters, against a scan with each actor's and place's country at hand
    if has_query:
        from sinotajik import Actor, Place

        parent = {a.id: a for a in ds.actors}

        def actor_country(a: Actor) -> str | None:
            seen = set()
            while a.country is None and a.parent is not None and a.parent not in seen:
                seen.add(a.parent)
                a = parent[a.parent]
            return a.country

        country_of = {a.id: actor_country(a) for a in ds.actors}
        place_country = {p.id: p.country for p in ds.places if isinstance(p, Place)}
        out["country_s"] = _per_call(lambda _: select(ds, where.actor(country="CHN"), kind=Event), range(5))
        out["country_hits"] = len(select(ds, where.actor(country="CHN"), kind=Event))
        out["naive_country_s"] = _per_call(
            lambda _: [e for e in events if any(country_of.get(p.actor) == "CHN" for p in e.participants)], range(2)
        )
        out["place_s"] = _per_call(lambda _: select(ds, where.place(country="TJK"), kind=Event), range(5))
        out["place_hits"] = len(select(ds, where.place(country="TJK"), kind=Event))
        out["naive_place_s"] = _per_call(
            lambda _: [e for e in events if any(place_country.get(p) == "TJK" for p in e.places)], range(2)
        )
        out["as_of_s"] = _median_time(lambda: ds.as_of("2020-06-30"), 1 if n_events > 200_000 else 3)

    # --- the Parquet export, and the same window queried from it by DuckDB and Polars
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pass
    else:
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="sinotajik-bench-")) / "parquet"
        try:
            t0 = time.perf_counter()
            sinotajik.write_parquet(ds, folder)
            out["write_parquet_s"] = time.perf_counter() - t0
            out["parquet_bytes"] = sum(f.stat().st_size for f in folder.iterdir())
            out.update(_parquet_windows(folder / "events.parquet", windows))
        finally:
            shutil.rmtree(folder.parent, ignore_errors=True)

    # --- a bare bisect over a date-sorted list (the floor for a window query)
    t0 = time.perf_counter()
    by_date = sorted(events, key=lambda e: e.date.sort_key())
    firsts = [e.date.sort_key()[0] for e in by_date]
    out["bisect_build_s"] = time.perf_counter() - t0

    def bisect_window(w: DateSpan) -> list[Event]:
        lo, hi = w.start.earliest.toordinal(), w.end.latest.toordinal()  # type: ignore[union-attr]
        return by_date[bisect.bisect_left(firsts, lo) : bisect.bisect_right(firsts, hi)]

    out["bisect_hits"] = statistics.median(len(bisect_window(w)) for w in windows)
    out["bisect_window_s"] = _per_call(bisect_window, windows)

    # --- a naive scan over every event
    out["naive_window_s"] = _per_call(lambda w: [e for e in events if e.date.overlaps(w)], windows[:2])
    out["naive_actor_kind_s"] = _per_call(
        lambda _: [e for e in events if e.kind is kind and any(p.actor == actor for p in e.participants)], range(2)
    )
    out["naive_kind_s"] = _per_call(lambda _: [e for e in events if e.kind is kind], range(2))

    # --- a pandas mask on the same data (frames built once, untimed in the queries)
    t0 = time.perf_counter()
    lo_hi = [_possible_days(e.date) for e in events]
    frame = pd.DataFrame(
        {
            "id": [e.id for e in events],
            "kind": pd.Categorical([e.kind.value for e in events]),
            "lo": [x[0] for x in lo_hi],
            "hi": [x[1] for x in lo_hi],
        }
    )
    parts = pd.DataFrame(
        [(i, p.actor) for i, e in enumerate(events) for p in e.participants], columns=["row", "actor"]
    ).astype({"actor": "category"})
    out["pandas_build_s"] = time.perf_counter() - t0

    def pandas_window(w: DateSpan) -> Any:
        lo, hi = _possible_days(w)
        return frame[(frame["lo"] <= hi) & (frame["hi"] >= lo)]

    def pandas_actor_kind(_: Any) -> Any:
        rows = parts.loc[parts["actor"] == actor, "row"].unique()
        sub = frame.iloc[rows]
        return sub[sub["kind"] == kind.value]

    out["pandas_window_s"] = _per_call(pandas_window, windows)
    out["pandas_actor_kind_s"] = _per_call(pandas_actor_kind, range(20))
    out["pandas_kind_s"] = _per_call(lambda _: frame[frame["kind"] == kind.value], range(20))

    # --- timelines
    out["timeline_s"] = _median_time(lambda: sinotajik.timeline(ds), max(1, repeats // 2))
    out["naive_timeline_s"] = _median_time(lambda: sorted(events, key=lambda e: e.date.sort_key()), 1)
    out["pandas_timeline_s"] = _median_time(lambda: frame.sort_values(["lo", "hi", "id"]), repeats)
    return out


def _parquet_windows(path: Path, windows: list[Any]) -> dict[str, Any]:
    """The 30-day windows asked of the Parquet events table with DuckDB and with Polars."""
    out: dict[str, Any] = {}
    bounds = [(w.start.earliest.isoformat(), w.end.latest.isoformat()) for w in windows]
    sql = f"SELECT id FROM read_parquet('{path}') WHERE date_earliest <= CAST(? AS DATE) AND date_latest >= CAST(? AS DATE) ORDER BY id"  # noqa: E501
    try:
        import duckdb
    except ImportError:
        pass
    else:
        con = duckdb.connect()
        out["duckdb_window_s"] = _per_call(lambda b: con.execute(sql, [b[1], b[0]]).fetchall(), bounds)
        out["duckdb_window_hits"] = statistics.median(len(con.execute(sql, [b[1], b[0]]).fetchall()) for b in bounds)
    try:
        import polars as pl
    except ImportError:
        pass
    else:
        import datetime as dt

        def polars_window(b: tuple[str, str]) -> Any:
            lo, hi = dt.date.fromisoformat(b[0]), dt.date.fromisoformat(b[1])
            q = pl.scan_parquet(path).filter((pl.col("date_earliest") <= hi) & (pl.col("date_latest") >= lo))
            return q.select("id").sort("id").collect()

        out["polars_window_s"] = _per_call(polars_window, bounds)
        out["polars_window_hits"] = statistics.median(len(polars_window(b)) for b in bounds)
    return out


def _possible_days(w: Any) -> tuple[int, int]:
    from sinotajik._dates import possible_dates

    lo, hi = possible_dates(w)
    return lo.toordinal(), hi.toordinal()


def _per_call(fn: Callable[[Any], Any], args: Any) -> float:
    """The median time of ``fn(a)`` over the arguments (each run once, after one warm-up call)."""
    args = list(args)
    fn(args[0])
    times = []
    for a in args:
        t0 = time.perf_counter()
        fn(a)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _deep_records(depth: int) -> list[Any]:
    """A valid dataset whose actors hang in one ``parent`` chain and places in one ``within`` chain, ``depth`` deep."""
    from sinotajik import (
        Actor,
        ActorKind,
        Citation,
        Event,
        EventKind,
        LocationPrecision,
        Participant,
        Place,
        Reliability,
        Role,
        Source,
        SourceKind,
        parse_date,
    )

    cite = (Citation(source="src-x", quote="q"),)
    out: list[Any] = [
        Source(
            id="src-x",
            publisher="P",
            title="T",
            kind=SourceKind.WIRE,
            reliability=Reliability.HIGH,
            reliability_note="n",
            language="en",
            published=parse_date("2020-05"),
        )
    ]
    for i in range(depth):
        up = {"parent": f"act-d{i - 1:05d}"} if i else {"country": "CHN"}
        kind = ActorKind.AGENCY if i else ActorKind.STATE
        out.append(Actor(id=f"act-d{i:05d}", kind=kind, name=f"A{i}", citations=cite, **up))  # type: ignore[arg-type]
        within = {"within": f"plc-d{i - 1:05d}"} if i else {}
        precision = LocationPrecision.DISTRICT if i else LocationPrecision.REGION
        out.append(
            Place(id=f"plc-d{i:05d}", name=f"P{i}", precision=precision, country="TJK", citations=cite, **within)
        )  # type: ignore[arg-type]
    out += [
        Event(
            id=f"evt-d{i:05d}",
            kind=EventKind.DRILL,
            title="t",
            summary="s",
            date=parse_date("2020-05-02"),
            citations=cite,
            places=(f"plc-d{i:05d}",),
            participants=(Participant(actor=f"act-d{i:05d}", role=Role.ORGANISER),),
        )
        for i in range(0, depth, 7)
    ]
    return out


def work_hierarchy(depths: list[int], repeats: int) -> dict[str, Any]:
    """A query through ``parent`` and ``within`` chains of growing depth, on a fresh Dataset each time.

    The time includes building the index parts the filter needs (each run has a new Dataset),
    so a walk that restarts from every record would show as time growing with the square of
    the depth; a linear one doubles when the depth doubles.
    """
    from sinotajik import Dataset, Event, select, where

    out: dict[str, Any] = {"depths": depths, "query_s": []}
    for depth in depths:
        records = _deep_records(depth)
        f = where.actor("act-d00000", subordinates=True) | where.actor(country="CHN") | where.place("plc-d00000")
        datasets = [Dataset.from_records(records) for _ in range(repeats)]
        times = []
        for ds in datasets:
            t0 = time.perf_counter()
            hits = select(ds, f, kind=Event)
            times.append(time.perf_counter() - t0)
        assert len(hits) == len(range(0, depth, 7))
        out["query_s"].append(statistics.median(times))
    return out


def _worker_main(argv: list[str]) -> None:
    task, *rest = argv
    if task == "load":
        result = work_load_dump(rest[0], int(rest[1]), int(rest[2]))
    elif task == "cold":
        result = work_cold(int(rest[0]))
    elif task == "query":
        result = work_query(int(rest[0]), int(rest[1]))
    elif task == "hierarchy":
        result = work_hierarchy([int(d) for d in rest[0].split(",")], int(rest[1]))
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(result))


# --------------------------------------------------------------------------- the run


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        import psutil

        mem = psutil.virtual_memory().total
    except ImportError:
        pass
    versions = {}
    for dist in ("sinotajik", "attrs", "cattrs", "pendulum", "msgspec", "pydantic", "pandas", "numpy", "psutil"):
        try:
            versions[dist] = md.version(dist)
        except md.PackageNotFoundError:
            versions[dist] = "not installed"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    dirty = subprocess.run(["git", "status", "--porcelain", "src"], capture_output=True, text=True, cwd=ROOT)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem / 2**30, 1) if mem else None,
        "os": platform.platform(),
        "python": platform.python_version() + " (" + platform.python_implementation() + ")",
        "versions": versions,
        "commit": commit.stdout.strip() + (" + uncommitted changes in src/" if dirty.stdout.strip() else ""),
        "load_average_start": os.getloadavg(),
    }


def _previous() -> dict[str, Any] | None:
    """The results of the run before the last one, if kept."""
    path = CACHE / "results-previous.json"
    previous = json.loads(path.read_text()) if path.exists() else None
    return previous if previous and "machine" in previous else None  # a run that measured something


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p.add_argument("--quick", action="store_true", help="small sizes only, for trying changes")
    p.add_argument("--sizes", help="record counts for load/dump (default 1000,100000,1000000)")
    p.add_argument("--query-sizes", help="event counts for queries (default 100000,1000000)")
    p.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"), help="the page to write")
    p.add_argument(
        "--only",
        help="re-run only these parts (cold,load,serial,query), keeping the others from the last results.json",
    )
    p.add_argument("--render-only", action="store_true", help="rewrite the page from the last results.json")
    args = p.parse_args(argv)
    if args.worker:
        _worker_main(args.worker)
        return 0
    if args.render_only:
        results = json.loads((CACHE / "results.json").read_text())
        Path(args.out).write_text(targets.render(results, _previous()), encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    parts = set((args.only or "cold,load,serial,query").split(","))
    sizes = [int(s) for s in (args.sizes or ("1000,20000" if args.quick else "1000,100000,1000000")).split(",")]
    qsizes = [int(s) for s in (args.query_sizes or ("20000" if args.quick else "10000,100000,1000000")).split(",")]
    command = "python benchmarks/run.py" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    started = time.perf_counter()
    results: dict[str, Any] = {}
    if args.only and (CACHE / "results.json").exists():
        # The other parts are kept from the last run (a first run with --only has none).
        results = json.loads((CACHE / "results.json").read_text())
        results.setdefault("parts", {})
    results.update(machine=machine(), command=command.strip(), date=_dt.date.today().isoformat())
    print("machine:", results["machine"]["cpu"], "| load average", results["machine"]["load_average_start"], flush=True)

    if "cold" in parts:
        print("cold start ...", flush=True)
        results["cold"] = _worker("cold", "5" if args.quick else "15")

    if "load" in parts:
        results["load"] = []
    for n in sizes if "load" in parts else []:
        data_file(n)
        for lib in ("json", "msgspec", "msgspec-paused", "pydantic", "sinotajik"):
            # Medians of 7, 5 or 3 runs; at a million records the slow references run once.
            slow = not lib.startswith(("sinotajik", "msgspec"))
            repeats = 7 if n <= 10_000 else 5 if n <= 200_000 else 1 if slow else 3
            print(f"load/dump {lib} {n:,} ...", flush=True)
            results["load"].append(_worker("load", lib, str(n), str(repeats)))

    if "serial" in parts:
        # The serialiser before issue 14 and now, with and without its optional accelerators.
        n = 20_000 if args.quick else 100_000
        print(f"serialisation before and after, {n:,} records ...", flush=True)
        results["serial"] = serialisation.measure(data_file(n), CACHE, rounds=3)

    if "query" in parts:
        results["query"] = []
    for n in qsizes if "query" in parts else []:
        data_file(round(n / generate.EVENT_SHARES["events"]), events_heavy=True)
        print(f"queries on {n:,} events ...", flush=True)
        results["query"].append(_worker("query", str(n), "5" if n <= 200_000 else "3"))

    if "query" in parts:
        print("hierarchy depths ...", flush=True)
        results["hierarchy"] = _worker("hierarchy", "1000,2000,4000,8000", "5")

    results["machine"]["load_average_end"] = os.getloadavg()
    results["duration_s"] = time.perf_counter() - started
    # When parts were re-run, each part says when and under what load it was measured.
    stamp = {
        "date": results["date"],
        "commit": results["machine"]["commit"],
        "load_average": [results["machine"]["load_average_start"][0], os.getloadavg()[0]],
    }
    results.setdefault("parts", {}).update({part: stamp for part in parts})
    CACHE.mkdir(exist_ok=True)
    # The run before is kept beside this one, so that the page says whether each target reproduces.
    last, before = CACHE / "results.json", CACHE / "results-previous.json"
    if last.exists() and "machine" in json.loads(last.read_text()):
        previous = json.loads(last.read_text())
        if args.only and before.exists():
            # Only some parts re-ran: the others are still the last run's, so they are compared
            # with the run before that, and the re-run parts with the last run's.
            older = json.loads(before.read_text())
            older.update({part: previous[part] for part in parts if part in previous})
            older.setdefault("parts", {}).update({p: previous.get("parts", {}).get(p) for p in parts})
            previous = older
        before.write_text(json.dumps(previous, indent=2))
    last.write_text(json.dumps(results, indent=2))
    Path(args.out).write_text(targets.render(results, _previous()), encoding="utf-8")
    print(f"wrote {args.out} in {results['duration_s'] / 60:.1f} min", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
