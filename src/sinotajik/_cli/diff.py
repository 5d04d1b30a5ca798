"""The ``diff`` command: what changed between two dataset versions or files.

Each side is a bundled release (``2026.11.0``) or a dataset file (``.json`` or ``.jsonl``).
An argument is read as a file when it names an existing file, ends in ``.json``, ``.jsonl``
or ``.ndjson``, or contains a path separator; otherwise it is a bundled release. The exit
code is 0 whether or not the two differ, unless ``--exit-code`` asks for 1 when they do (as
``git diff --exit-code`` does); bad input exits 2.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, TextIO

from .._dataset import Dataset
from .._diff import diff
from .._errors import ReleaseError
from .._io import load, versions
from .common import EXIT_OK, add_format, emit_json

__all__ = ["EXIT_DIFFERENT", "load_side", "register"]

EXIT_DIFFERENT = 1
"""The exit code of ``diff --exit-code`` when the two sides differ."""

_FILE_SUFFIXES = (".json", ".jsonl", ".ndjson")


def load_side(spec: str, base: str | None = None) -> Dataset:
    """The dataset an argument names: a dataset file (laid over ``base`` if given), or else a bundled release.

    Raises:
        ReleaseError: not a file, and not a bundled release (the message lists those there are).
        DataError: the file is not a valid dataset.
        OSError: the file cannot be read.
    """
    looks_like_path = (
        spec.lower().endswith(_FILE_SUFFIXES) or os.sep in spec or (os.altsep is not None and os.altsep in spec)
    )
    if looks_like_path or Path(spec).is_file():
        return load(path=spec, base=base)
    known = [r.version for r in versions()]
    if spec not in known:
        raise ReleaseError(
            f"{spec!r} is neither a dataset file nor a bundled release (this package has: {', '.join(known)})"
        )
    return load(spec)


def _cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    result = diff(load_side(args.old, args.base), load_side(args.new, args.base))
    if args.format == "json":
        emit_json(out, result.to_json())
    else:
        out.write(result.to_text())
    if args.exit_code and not result.is_empty:
        return EXIT_DIFFERENT
    return EXIT_OK


def register(sub: Any) -> None:
    """Add the ``diff`` command to the ``sinotajik`` parser's subcommands."""
    p = sub.add_parser(
        "diff",
        help="records added, removed and changed between two versions or files",
        description=(
            "Compare two datasets record by record: each of OLD and NEW is a bundled release "
            "(see 'sinotajik versions') or a dataset file (.json or .jsonl). Changed records list "
            "each changed field as a path such as citations[2].quote with its value before and "
            "after. Exits 0 whether or not they differ, unless --exit-code is given."
        ),
        epilog="Example: sinotajik diff 2026.11.2 my-records.json --base 2026.11.2",
    )
    p.add_argument("old", metavar="OLD", help="a bundled release (e.g. 2026.11.0) or a dataset file")
    p.add_argument("new", metavar="NEW", help="a bundled release or a dataset file")
    p.add_argument(
        "--base",
        metavar="VERSION",
        help="lay each dataset file given over this bundled release (files of your own records)",
    )
    add_format(p)
    p.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when the records differ, 0 when they are the same (like git diff --exit-code)",
    )
    p.set_defaults(func=_cmd_diff)
