"""Load and dump times of sinotajik's serialisation layer, with and without its optional parts.

Each case runs in a fresh process on a file from ``generate.py``: ``sinotajik.parse`` with the
collector running (as a library call runs), ``parse`` with the caller pausing the collector
around it, and ``sinotajik.dumps``, with orjson and as if orjson were not installed. ``--src``
measures another checkout (its ``src`` folder) the same way, to set old figures beside new::

    python benchmarks/generate.py 20000 -o /tmp/20k.json
    python benchmarks/serialisation.py /tmp/20k.json --src OTHER_CHECKOUT/src --label main
    python benchmarks/serialisation.py /tmp/20k.json

Prints one JSON object per case; the figures are medians.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

_CASE = r"""
import gc, json, statistics, sys, time
path, repeats, stdlib = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
if stdlib:
    sys.modules["orjson"] = None  # as if the extra were not installed
import sinotajik
data = open(path, "rb").read()

def median(fn):
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)

def paused():
    gc.disable()
    try:
        sinotajik.parse(data)
    finally:
        gc.enable()

ds = sinotajik.parse(data)
print(json.dumps({
    "records": sum(ds.counts().values()),
    "load_s": median(lambda: sinotajik.parse(data)),
    "load_collector_paused_s": median(paused),
    "dump_s": median(lambda: sinotajik.dumps(ds)),
    "dump_is_the_file": sinotajik.dumps(ds) == data,
}))
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file", help="a canonical dataset file (from benchmarks/generate.py)")
    p.add_argument("--src", help="the src folder of another checkout to measure instead")
    p.add_argument("--label", default="this checkout")
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args(argv)
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = os.path.abspath(args.src)
    for stdlib in (False, True):
        cmd = [sys.executable, "-c", _CASE, args.file, str(args.repeats), "1" if stdlib else "0"]
        out = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)
        out["case"] = f"{args.label}, {'standard library' if stdlib else 'orjson if installed'}"
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
