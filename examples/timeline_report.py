"""Print a short report of the bundled dataset: what it holds and its history by year.

Run: python examples/timeline_report.py [VERSION]
"""

from __future__ import annotations

import sys
from collections import Counter

import sinotajik


def main(version: str | None = None) -> None:
    ds = sinotajik.load(version)
    print(f"sinotajik dataset {ds.version} (sha256 {ds.sha256[:12]}…)")
    print(", ".join(f"{n} {kind}" for kind, n in ds.counts().items()))
    entries = sinotajik.timeline(ds)
    per_year = Counter(e.date.earliest.year for e in entries if e.date.earliest is not None)
    print()
    for year in sorted(per_year):
        print(f"{year}: {per_year[year]} dated entries")
    print()
    print("First and last entries:")
    for e in entries[:3] + entries[-3:]:
        print(f"  {e.label:<18} {e.headline}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
