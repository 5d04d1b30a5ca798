"""Load and dump times of sinotajik's serialisation layer: before issue 14, and now with and without orjson.

``benchmarks/run.py`` runs this as its ``serial`` part and puts the table on the benchmark page.
Each case runs in a fresh process on a file from ``generate.py``, and the cases take turns
(one process each per round) so that a busy machine slows them alike:

- *before*: the code at ``BASELINE`` (the last commit before the serialisation rewrite of
  issue 14: records built by source code the library generated and ran with ``exec``, and the
  garbage collector paused for the whole process during a load), taken from git into the
  benchmark cache;
- *now*, with orjson (the ``orjson`` extra, which writes the canonical text), then with the
  standard library only (as if orjson were not installed).

A case times the first ``sinotajik.parse`` of the process (cold caches, as a program that loads
once), then ``sinotajik.dumps`` of its result, and checks that the dump is the input file byte
for byte. It can also be run alone::

    python benchmarks/generate.py 20000 -o /tmp/20k.json
    python benchmarks/serialisation.py /tmp/20k.json --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

BASELINE = "2563956"
"""The commit measured as *before*: main just before issues 11 and 14 changed the serialiser."""

CASES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("before (0.1 serialiser)", (), True),
    ("now, with orjson", (), False),
    ("now, standard library only", ("orjson",), False),
)
"""Each case: its label, the optional modules hidden from it, and whether it runs the baseline code."""

_CASE = r"""
import gc, json, sys, time
path, hidden = sys.argv[1], [m for m in sys.argv[2].split(",") if m]
for name in hidden:
    sys.modules[name] = None  # as if the extra were not installed
import sinotajik
data = open(path, "rb").read()
gc.collect()
start = time.perf_counter()
ds = sinotajik.parse(data)
load = time.perf_counter() - start
gc.collect()
start = time.perf_counter()
text = sinotajik.dumps(ds)
dump = time.perf_counter() - start
print(json.dumps({"records": sum(ds.counts().values()), "load_s": load, "dump_s": dump,
                  "dump_is_the_file": (text if isinstance(text, bytes) else text.encode()) == data}))
"""


def baseline_src(cache: Path) -> Path | None:
    """The ``src`` folder of ``BASELINE``, exported from git into ``cache`` once; ``None`` without git history."""
    folder = cache / f"baseline-{BASELINE}"
    if (folder / "src" / "sinotajik" / "__init__.py").exists():
        return folder / "src"
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", BASELINE, "src"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def _run(file: Path, hidden: tuple[str, ...], src: Path | None) -> dict[str, Any]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    cmd = [sys.executable, "-c", _CASE, str(file.resolve()), ",".join(hidden)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=HERE)
    if proc.returncode != 0:
        raise RuntimeError(f"serialisation case failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def measure(file: Path, cache: Path, rounds: int = 3) -> dict[str, Any]:
    """Every case of ``CASES`` on ``file``, ``rounds`` times in turn; medians per case."""
    src = baseline_src(cache)
    cases = [c for c in CASES if not c[2] or src is not None]
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in cases}
    for _ in range(rounds):
        for label, hidden, old in cases:
            runs[label].append(_run(file, hidden, src if old else None))
    out: list[dict[str, Any]] = []
    for label, hidden, old in cases:
        rs = runs[label]
        out.append(
            {
                "case": label,
                "hidden": list(hidden),
                "baseline": old,
                "records": rs[0]["records"],
                "load_s": statistics.median(r["load_s"] for r in rs),
                "dump_s": statistics.median(r["dump_s"] for r in rs),
                "dump_is_the_file": all(r["dump_is_the_file"] for r in rs),
            }
        )
    return {"file_bytes": file.stat().st_size, "rounds": rounds, "baseline_commit": BASELINE, "cases": out}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("file", help="a canonical dataset file (from benchmarks/generate.py)")
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args(argv)
    print(json.dumps(measure(Path(args.file), HERE / ".results", args.rounds), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
