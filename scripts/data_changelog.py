"""Print the data section of a changelog entry: what changed between two dataset versions.

Usage (from the repository root)::

    python scripts/data_changelog.py 2026.11.0 2026.11.1 > changelog.d/<n>.data.md
    python scripts/data_changelog.py 2026.11.0 my-records.json --heading-level 0

OLD and NEW are bundled releases or dataset files (``.json``/``.jsonl``), as for
``sinotajik diff``. The Markdown is built from :func:`sinotajik.diff`: a heading (unless
``--heading-level 0``), the counts, then the added, removed and changed records with their
kinds, ids and titles; a changed record lists the fields that changed. It is printed to
standard output and nothing is written: the maintainer puts it into the changelog.

Exit codes: 0 success, 2 bad input (one line per problem on standard error).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sinotajik import DataError, DatasetDiff, Record, ReleaseError, diff  # noqa: E402
from sinotajik._cli.diff import load_side  # noqa: E402
from sinotajik._diff import record_title  # noqa: E402


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _md(text: str) -> str:
    """Text safe inside a Markdown list item (no line breaks, no stray emphasis or links)."""
    out = " ".join(text.split())
    for ch in "\\`*_[]<>|":
        out = out.replace(ch, "\\" + ch)
    return out


def _line(kind: str, rec_id: str, title: str) -> str:
    return f"- {kind} `{rec_id}`: {_md(title)}"


def _kind(rec: Record) -> str:
    return type(rec).__name__.lower()


_PLURALS = {"facility": "facilities"}


def _by_kind(kinds: list[str]) -> str:
    """`` (3 actors, 1 event)``: how many of each kind, in document order; empty for none."""
    counts: dict[str, int] = {}
    for k in kinds:
        counts[k] = counts.get(k, 0) + 1
    parts = [f"{n} {k if n == 1 else _PLURALS.get(k, k + 's')}" for k, n in counts.items()]
    return f" ({', '.join(parts)})" if parts else ""


def _top_fields(paths: list[str]) -> list[str]:
    """The top-level fields of the changed paths, once each, in the order they come."""
    out: list[str] = []
    for p in paths:
        top = p.split(".", 1)[0].split("[", 1)[0]
        if top not in out:
            out.append(top)
    return out


def render(d: DatasetDiff, *, heading_level: int = 3) -> str:
    """The Markdown section for a diff."""
    old = d.old_version or "old"
    new = d.new_version or "new"
    lines: list[str] = []
    if heading_level > 0:
        lines += [f"{'#' * heading_level} Data: {new} (compared with {old})", ""]
    n = d.counts()
    if d.is_empty:
        lines.append(f"No record changed between {old} and {new}.")
        return "\n".join(lines) + "\n"
    added = _by_kind([_kind(r) for r in d.added])
    removed = _by_kind([_kind(r) for r in d.removed])
    changed = _by_kind([c.kind for c in d.changed])
    lines.append(
        f"{_plural(n['added'], 'record')} added{added}, {n['removed']} removed{removed} and "
        f"{n['changed']} changed{changed} between {old} and {new}."
    )
    sub = "#" * (heading_level + 1) + " " if heading_level > 0 else ""
    if d.added:
        lines += ["", f"{sub}Added" if sub else "Added:", ""]
        lines += [_line(_kind(r), r.id, record_title(r)) for r in d.added]
    if d.removed:
        lines += ["", f"{sub}Removed" if sub else "Removed:", ""]
        lines += [_line(_kind(r), r.id, record_title(r)) for r in d.removed]
    if d.changed:
        lines += ["", f"{sub}Changed" if sub else "Changed:", ""]
        for c in d.changed:
            fields = ", ".join(f"`{f}`" for f in _top_fields([f.path for f in c.changes]))
            lines.append(f"{_line(c.kind, c.id, c.title)} ({fields})")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="data_changelog.py",
        description="Print the Markdown data section of a changelog entry, built from sinotajik.diff.",
        epilog="Example: python scripts/data_changelog.py 2026.11.0 2026.11.1",
    )
    parser.add_argument("old", metavar="OLD", help="a bundled release or a dataset file")
    parser.add_argument("new", metavar="NEW", help="a bundled release or a dataset file")
    parser.add_argument(
        "--heading-level",
        type=int,
        default=3,
        choices=range(0, 6),
        metavar="N",
        help="Markdown level of the section heading, 0 for none (default: 3)",
    )
    args = parser.parse_args(argv)
    try:
        d = diff(load_side(args.old), load_side(args.new))
    except DataError as exc:
        for line in exc.lines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    except (ReleaseError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(d, heading_level=args.heading_level))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
