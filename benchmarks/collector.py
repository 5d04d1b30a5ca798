"""How much of a load and of the query index build is Python's garbage collector.

The library leaves the collector alone (issue 14); this script, not the library, pauses it
around the same work to measure its share, in one process, the two cases taking turns::

    python benchmarks/collector.py benchmarks/.results/events-105263.json --rounds 3

For each round it parses the file with the collector running and paused, and builds every
part of the query index (the first query of each kind of filter, as ``run.py`` times it) on a
fresh copy of the dataset with the collector running and paused. Prints medians as JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(fn: Callable[[], Any], paused: bool) -> tuple[float, Any]:
    gc.collect()
    if paused:
        gc.disable()
    try:
        t0 = time.perf_counter()
        result = fn()
        return time.perf_counter() - t0, result
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("file", help="a dataset file (from benchmarks/generate.py)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--no-load", action="store_true", help="time the index build only (the file is parsed once)")
    args = p.parse_args(argv)

    import attrs

    import sinotajik
    from sinotajik import select, where

    data = Path(args.file).read_bytes()
    ds = sinotajik.parse(data)
    queries = [
        where.kind("drill"),
        where.date("2019-01-01", "2019-01-30"),
        where.actor(country="CHN"),
        where.place(country="TJK"),
        where.tag("police"),
        where.source(ds.sources[0].id),
        where.confidence("high"),
        where.contested(),
    ]

    def build(fresh: Any) -> None:
        for f in queries:
            select(fresh, f)

    times: dict[str, list[float]] = {"load_on": [], "load_paused": [], "index_on": [], "index_paused": []}
    for _ in range(args.rounds):
        for paused in (False, True):
            mode = "paused" if paused else "on"
            if not args.no_load:
                t, loaded = _timed(lambda: sinotajik.parse(data), paused)
                times[f"load_{mode}"].append(t)
                del loaded
            fresh = attrs.evolve(ds)  # a new Dataset: its index is built afresh
            t, _ = _timed(lambda fresh=fresh: build(fresh), paused)
            times[f"index_{mode}"].append(t)
            del fresh
    out: dict[str, Any] = {"records": sum(ds.counts().values())}
    out.update({k: statistics.median(v) for k, v in times.items() if v})
    if times["load_on"]:
        out["load_collector_share"] = 1 - out["load_paused"] / out["load_on"]
    out["index_collector_share"] = 1 - out["index_paused"] / out["index_on"]
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
