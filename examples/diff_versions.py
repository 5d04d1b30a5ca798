"""Compare two pinned dataset releases before moving a project from one to the other.

Run: python examples/diff_versions.py [OLD [NEW]]

By default it compares the first and the latest bundled releases. It prints the summary
``sinotajik diff`` prints, which fields changed most often, and checks that applying the diff
to the old release gives back the new one exactly (same checksum).
"""

from __future__ import annotations

import sys
from collections import Counter

import sinotajik


def main(old_version: str | None = None, new_version: str | None = None) -> None:
    releases = sinotajik.versions()
    old = sinotajik.load(old_version or releases[0].version)
    new = sinotajik.load(new_version or releases[-1].version)
    d = sinotajik.diff(old, new)

    print(d.to_text().splitlines()[0])
    by_kind = Counter(type(r).__name__ for r in d.added)
    print("added by kind:", ", ".join(f"{n} {k}" for k, n in sorted(by_kind.items())) or "none")

    fields = Counter(f.path.split("[")[0].split(".")[0] for c in d.changed for f in c.changes)
    print("most changed fields:", ", ".join(f"{name} ({n})" for name, n in fields.most_common(5)) or "none")

    rebuilt = sinotajik.Dataset.from_records(d.apply(old), version=new.version)
    assert rebuilt.sha256 == new.sha256
    print(f"applying the diff to {old.version} gives {new.version} exactly (sha256 {new.sha256[:12]}…)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
