"""What every command module of the command line shares: exit codes, errors and arguments.

The command modules (this subpackage's ``__init__`` and ``query``, ``export``, ``diff``,
``chart``) import these helpers from here, so that none of them imports another's
internals and the command line has no import cycle.
"""

from __future__ import annotations

import argparse
import errno
import json
import re
from typing import Any, TextIO

from .._dataset import Dataset
from .._io import load, write_file

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "OutputError",
    "UsageError",
    "add_base_args",
    "add_data_args",
    "add_format",
    "add_max_bytes",
    "add_output",
    "dataset_from_args",
    "emit_json",
    "write_output",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 128 + 13
EXIT_TERMINATED = 128 + 15


class UsageError(Exception):
    """A bad argument value: reported in one line, exit code 2."""


class OutputError(Exception):
    """The output could not be written in full: exit code 1 (141 for a closed pipe)."""

    def __init__(self, where: str, exc: OSError) -> None:
        super().__init__(f"{where}: {exc.strerror or exc}")
        self.where = where
        self.errno = exc.errno


def dataset_from_args(args: argparse.Namespace) -> Dataset:
    """The dataset a command works on: ``--data FILE`` (on ``--base V``), else ``--release V``, else the latest."""
    base = getattr(args, "base", None)
    if getattr(args, "data", None):
        return load(
            path=args.data,
            base=base,
            on_conflict=getattr(args, "on_conflict", "error"),
            max_bytes=getattr(args, "max_bytes", None),
        )
    if base:
        raise UsageError("--base VERSION lays a file of your own over a release: give --data FILE too")
    release = getattr(args, "release", None)
    if release and (release.lower().endswith((".json", ".jsonl", ".ndjson")) or "/" in release or "\\" in release):
        raise UsageError(
            f"--release {release}: a release is a version (see 'sinotajik versions'); for a file use --data FILE"
        )
    return load(release)


def emit_json(out: TextIO, payload: Any) -> None:
    """Write ``payload`` as indented JSON with sorted keys."""
    out.write(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def add_output(p: argparse.ArgumentParser) -> None:
    """Add ``--output PATH`` (written atomically; default: standard output)."""
    p.add_argument("-o", "--output", metavar="PATH", help="write to this file instead of standard output")


#: Errors that leave an output incomplete, rather than show a bad path or permission.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EPIPE})


def write_output(args: argparse.Namespace, out: TextIO, text: str, what: str) -> None:
    """Write ``text`` to ``--output`` and say so, or to ``out`` when none is given.

    The file is written by `sinotajik._io.write_file`: a regular file atomically, a
    device or FIFO directly. A full disk or an I/O error raises `OutputError`.
    """
    if not getattr(args, "output", None):
        out.write(text)
        return
    from pathlib import Path

    path = Path(args.output)
    if path.is_dir():
        raise UsageError(f"--output {path}: is a folder, not a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"--output {path}: the folder {folder} does not exist")
    try:
        write_file(path, text.encode("utf-8"))
    except OSError as exc:
        if exc.errno in _OUTPUT_ERRNOS:
            raise OutputError(str(path), exc) from None
        raise
    out.write(f"wrote {what} to {path}\n")


def add_format(p: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")) -> None:
    """Add ``--format`` with these choices; the first is the default."""
    p.add_argument("--format", choices=choices, default=choices[0], help=f"output format (default: {choices[0]})")


class _DeprecatedRelease(argparse.Action):
    """``--version VERSION`` on a command: the old spelling of ``--release``, with a warning."""

    def __call__(self, parser: argparse.ArgumentParser, ns: argparse.Namespace, values: Any, opt: Any = None) -> None:
        ns.release = values
        ns.deprecated = [*getattr(ns, "deprecated", []), "--version VERSION on a command is deprecated: use --release"]


def add_base_args(p: argparse.ArgumentParser) -> None:
    """Add ``--base VERSION`` and ``--on-conflict`` (a file of your own records on a release)."""
    p.add_argument(
        "--base",
        metavar="VERSION",
        help="lay the file's records over this bundled release (your file keeps only your own records)",
    )
    p.add_argument(
        "--on-conflict",
        choices=("error", "replace"),
        default="error",
        help="with --base, a record of the file whose id is in the base: error (default) or replace it",
    )


def add_data_args(p: argparse.ArgumentParser) -> None:
    """Add ``--release VERSION`` / ``--data FILE`` (mutually exclusive), ``--base VERSION`` and ``--max-bytes``."""
    g = p.add_mutually_exclusive_group()
    g.add_argument("--release", metavar="VERSION", help="a bundled dataset release (default: the latest)")
    g.add_argument("--version", dest="release", action=_DeprecatedRelease, help=argparse.SUPPRESS)
    g.add_argument("--data", metavar="FILE", help="a dataset file of your own (JSON or JSON Lines) instead")
    add_base_args(p)
    add_max_bytes(p)


def _size(text: str) -> int:
    """``50M`` -> 52428800: a whole number of bytes, with an optional K, M or G (powers of 1024)."""
    m = re.fullmatch(r"([0-9]+)([KMG]?)", text.strip(), re.IGNORECASE)
    if m is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size (a whole number of bytes, or with K, M or G)")
    unit: int = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[m.group(2).upper()]
    return int(m.group(1)) * unit


def add_max_bytes(p: argparse.ArgumentParser) -> None:
    """Add ``--max-bytes SIZE``: refuse a dataset file larger than this (a load takes ~7x its size)."""
    p.add_argument(
        "--max-bytes",
        type=_size,
        metavar="SIZE",
        help="refuse a dataset file larger than SIZE (bytes, or 50M, 2G); loading takes about 7x its size in memory",
    )
