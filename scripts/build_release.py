"""Compile the human-edited records in ``data/records/`` into a bundled, immutable release.

Usage (from the repository root, with sinotajik installed in development mode)::

    python scripts/build_release.py fmt      # rewrite every record file in canonical form
    python scripts/build_release.py validate # the sources are valid (no release written)
    python scripts/build_release.py check    # CI: sources valid, canonical, and equal to the release
    python scripts/build_release.py build    # write src/sinotajik/releases/<version>.json + manifest

``data/release.json`` names the version the sources compile to and its release day. A
release file, once written, is never changed: ``build`` refuses to overwrite a release whose
bytes would differ. To change the data, bump the version in ``data/release.json`` first.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "data" / "records"
RELEASE_META = ROOT / "data" / "release.json"
RELEASES = ROOT / "src" / "sinotajik" / "releases"
MANIFEST = RELEASES / "manifest.json"

sys.path.insert(0, str(ROOT / "src"))

from sinotajik import DataError, parse  # noqa: E402
from sinotajik._serialize import KINDS, SCHEMA, to_dict  # noqa: E402


def _pretty(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def record_files() -> dict[str, list[Path]]:
    """Record files by collection (``events`` ...), sorted by name."""
    return {kind: sorted((RECORDS / kind).glob("*.json")) for kind in KINDS}


def assemble() -> tuple[dict[str, Any], list[str]]:
    """The document dict built from the record files, and any file-level problems."""
    meta = json.loads(RELEASE_META.read_text(encoding="utf-8"))
    doc: dict[str, Any] = {"schema": SCHEMA, "version": meta["version"]}
    problems: list[str] = []
    for kind, files in record_files().items():
        doc[kind] = []
        for f in files:
            rel = f.relative_to(ROOT)
            try:
                rec = json.loads(f.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems.append(f"{rel}: {exc}")
                continue
            if not isinstance(rec, dict) or rec.get("id") != f.stem:
                problems.append(f"{rel}: the file name must be the record's id")
            doc[kind].append(rec)
    return doc, problems


def compile_release() -> tuple[bytes, str, int, str]:
    """(canonical bytes, version, record count, released day) of the sources, or exit 1."""
    doc, problems = assemble()
    try:
        ds = parse(json.dumps(doc, ensure_ascii=False), source="data/records")
    except DataError as exc:
        # Name the file of each problem: ``events[3]`` is the 4th file of data/records/events.
        files = record_files()
        for p in exc.problems:
            head = p.path.split(".", 1)[0]
            kind, _, idx = head.partition("[")
            where = p.path
            if kind in files and idx.rstrip("]").isdigit():
                f = files[kind][int(idx.rstrip("]"))]
                where = f"{f.relative_to(ROOT)}" + p.path[len(head) :]
            problems.append(f"{where}: {p.message}")
    if problems:
        for line in problems:
            print(f"error: {line}", file=sys.stderr)
        raise SystemExit(1)
    from sinotajik import dumps

    meta = json.loads(RELEASE_META.read_text(encoding="utf-8"))
    return dumps(ds), ds.version, len(ds), meta["released"]


def cmd_fmt() -> int:
    """Rewrite every record file in canonical form (sorted keys, defaults omitted)."""
    doc, problems = assemble()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    ds = parse(json.dumps(doc, ensure_ascii=False), source="data/records")
    changed = 0
    for rec in ds:
        kind = next(k for k, cls in KINDS.items() if isinstance(rec, cls))
        path = RECORDS / kind / f"{rec.id}.json"
        text = _pretty(to_dict(rec))
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed += 1
    print(f"{changed} file(s) reformatted")
    return 0


def cmd_check() -> int:
    """Fail unless the sources are valid, canonical, and compile to the bundled release."""
    data, version, _, _ = compile_release()
    failures = []
    doc, _ = assemble()
    ds = parse(json.dumps(doc, ensure_ascii=False))
    for rec in ds:
        kind = next(k for k, cls in KINDS.items() if isinstance(rec, cls))
        path = RECORDS / kind / f"{rec.id}.json"
        if path.read_text(encoding="utf-8") != _pretty(to_dict(rec)):
            failures.append(f"{path.relative_to(ROOT)}: not in canonical form (run: scripts/build_release.py fmt)")
    target = RELEASES / f"{version}.json"
    if not target.exists():
        failures.append(f"release {version} is not built (run: python scripts/build_release.py build)")
    elif target.read_bytes() != data:
        failures.append(f"{target.relative_to(ROOT)} differs from data/records: bump data/release.json, then build")
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if manifest["latest"] != version:
        failures.append(f"manifest's latest is {manifest['latest']}, data/release.json says {version}")
    for item in manifest["releases"]:
        f = RELEASES / item["file"]
        if hashlib.sha256(f.read_bytes()).hexdigest() != item["sha256"]:
            failures.append(f"{f.relative_to(ROOT)} does not match its manifest checksum")
    for line in failures:
        print(f"error: {line}", file=sys.stderr)
    if not failures:
        print(f"ok: data/records compile to release {version} ({hashlib.sha256(data).hexdigest()})")
    return 1 if failures else 0


def cmd_build() -> int:
    """Write the release for data/release.json's version and add it to the manifest."""
    data, version, count, released = compile_release()
    target = RELEASES / f"{version}.json"
    if target.exists() and target.read_bytes() != data:
        print(
            f"error: release {version} exists with other content; releases are immutable. "
            "Bump the version in data/release.json.",
            file=sys.stderr,
        )
        return 1
    RELEASES.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {"releases": []}
    entries = [r for r in manifest["releases"] if r["version"] != version]
    entries.append(
        {
            "version": version,
            "file": target.name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "schema": SCHEMA,
            "records": count,
            "released": released,
        }
    )
    manifest = {"latest": version, "releases": entries}
    MANIFEST.write_text(_pretty(manifest), encoding="utf-8")
    print(f"built release {version}: {count} records, sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


def cmd_validate() -> int:
    """Check that the sources compile (every problem is listed with its file)."""
    _data, version, count, _ = compile_release()
    print(f"ok: {count} records valid for version {version}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("fmt", "validate", "check", "build"))
    args = parser.parse_args()
    commands = {"fmt": cmd_fmt, "validate": cmd_validate, "check": cmd_check, "build": cmd_build}
    return commands[args.command]()


if __name__ == "__main__":
    raise SystemExit(main())
