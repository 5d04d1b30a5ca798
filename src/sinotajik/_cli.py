"""The ``sinotajik`` command line. It only wires the library's functions to arguments.

Exit codes: 0 success, 2 bad usage or bad input (one line per problem on stderr, no
traceback), 1 anything unexpected.

Commands live here (``info``, ``validate``, ``versions``, ``timeline``) and in the modules
named in ``_COMMAND_MODULES``: each has ``register(sub)`` adding its subparsers, whose
handlers take ``(args, out)`` and return an exit code. Shared helpers for them:
:func:`add_data_args`, :func:`add_format`, :func:`dataset_from_args`, :func:`emit_json`,
:func:`add_output` / :func:`write_output` (``--output PATH``, written atomically), and
:class:`UsageError` for a bad argument value (exit 2, one line).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from ._dataset import Dataset
from ._errors import DataError, ReleaseError
from ._io import latest_version, load, versions, write_atomic

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """A bad argument value: reported in one line, exit code 2."""


#: Modules adding further commands, each with ``register(sub)``.
_COMMAND_MODULES: tuple[str, ...] = ("._cli_diff", "._cli_export", "._cli_query")

#: The commands each of those modules adds, so that a command imports only what it uses. A
#: command missing here still works (every module is then imported), only more slowly.
_MODULE_COMMANDS: dict[str, tuple[str, ...]] = {
    "._cli_diff": ("diff",),
    "._cli_export": ("export", "schema"),
    "._cli_query": ("list", "show"),
}
_OWN_COMMANDS = ("info", "validate", "timeline", "versions")


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports usage errors in one line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sinotajik")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``: the package version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> NoReturn:
        sys.stdout.write(f"sinotajik {_package_version()}\n")
        parser.exit()


def _command_of(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv`` (the top level takes no option with a value)."""
    return next((a for a in argv if not a.startswith("-")), None)


def dataset_from_args(args: argparse.Namespace) -> Dataset:
    """The dataset a command works on: ``--data FILE``, else ``--version V``, else the latest."""
    if getattr(args, "data", None):
        return load(path=args.data)
    return load(getattr(args, "version", None))


def emit_json(out: TextIO, payload: Any) -> None:
    """Write ``payload`` as indented JSON with sorted keys."""
    out.write(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def _cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    ds = dataset_from_args(args)
    counts = ds.counts()
    if args.format == "json":
        emit_json(out, {"version": ds.version, "sha256": ds.sha256, "records": counts, "total": len(ds)})
        return EXIT_OK
    out.write(f"dataset version  {ds.version}\n")
    out.write(f"sha256           {ds.sha256}\n")
    out.write(f"records          {len(ds)}\n")
    for kind, n in counts.items():
        out.write(f"  {kind:<14} {n}\n")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    ds = load(path=args.file)
    if args.format == "json":
        emit_json(out, {"valid": True, "version": ds.version, "sha256": ds.sha256, "records": ds.counts()})
    else:
        out.write(f"{args.file}: valid ({len(ds)} records, version {ds.version}, sha256 {ds.sha256})\n")
    return EXIT_OK


def _cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    from ._cli_query import select_from_args, window_from_args
    from ._render import render_timeline
    from ._timeline import timeline

    ds, records = select_from_args(args)
    entries = timeline(records)
    window = window_from_args(args)  # an agreement in the window keeps only its steps in it
    if window is not None:
        entries = [e for e in entries if window.accepts(e.date)]
    write_output(args, out, render_timeline(args.format, entries, ds), f"{len(entries)} entries")
    return EXIT_OK


def add_output(p: argparse.ArgumentParser) -> None:
    """Add ``--output PATH`` (written atomically; default: standard output)."""
    p.add_argument("-o", "--output", metavar="PATH", help="write to this file instead of standard output")


def write_output(args: argparse.Namespace, out: TextIO, text: str, what: str) -> None:
    """Write ``text`` to ``--output`` atomically and say so, or to ``out`` when none is given."""
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
    write_atomic(path, text.encode("utf-8"))
    out.write(f"wrote {what} to {path}\n")


def _cmd_versions(args: argparse.Namespace, out: TextIO) -> int:
    rels = versions()
    latest = latest_version()
    if args.format == "json":
        emit_json(
            out,
            [
                {
                    "version": r.version,
                    "sha256": r.sha256,
                    "released": str(r.released),
                    "records": r.records,
                    "latest": r.version == latest,
                }
                for r in rels
            ],
        )
        return EXIT_OK
    for r in rels:
        mark = " (latest)" if r.version == latest else ""
        out.write(f"{r.version:<12} {r.released!s:<11} {r.records:>5} records  sha256 {r.sha256}{mark}\n")
    return EXIT_OK


def add_format(p: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")) -> None:
    """Add ``--format`` with these choices; the first is the default."""
    p.add_argument("--format", choices=choices, default=choices[0], help=f"output format (default: {choices[0]})")


def add_data_args(p: argparse.ArgumentParser) -> None:
    """Add ``--version VERSION`` / ``--data FILE`` (mutually exclusive)."""
    g = p.add_mutually_exclusive_group()
    g.add_argument("--version", dest="version", metavar="VERSION", help="a bundled release (default: the latest)")
    g.add_argument("--data", metavar="FILE", help="a dataset file of your own (JSON or JSON Lines) instead")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``sinotajik`` command.

    Given the ``command`` about to run, only the modules it needs are imported (all of them
    for ``--help`` or an unknown command).
    """
    known = command in _OWN_COMMANDS or any(command in cmds for cmds in _MODULE_COMMANDS.values())
    wanted = command if known else None
    parser = _Parser(
        prog="sinotajik",
        description="China–Tajikistan security cooperation: the bundled dataset and its tools.",
        epilog="Example: sinotajik timeline",
    )
    parser.add_argument("-V", "--version", action=_VersionAction, help="show program's version number and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "info",
        help="dataset version, record counts and checksum",
        description="Show the dataset's version, record counts and SHA-256.",
        epilog="Example: sinotajik info --version 2026.11.0",
    )
    add_data_args(p)
    add_format(p)
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser(
        "validate",
        help="check a dataset file and list every problem",
        description="Check a JSON or JSON Lines dataset file; exit 2 and list every problem if it is invalid.",
        epilog="Example: sinotajik validate my-records.json",
    )
    p.add_argument("file", metavar="FILE")
    add_format(p)
    p.set_defaults(func=_cmd_validate)

    if wanted in (None, "timeline"):
        _add_timeline(sub)

    p = sub.add_parser(
        "versions",
        help="the dataset releases bundled with this package",
        description="List the bundled dataset releases with their checksums.",
        epilog="Example: sinotajik versions",
    )
    add_format(p)
    p.set_defaults(func=_cmd_versions)

    import importlib

    for name in _COMMAND_MODULES:
        if wanted is None or wanted in _MODULE_COMMANDS.get(name, (wanted,)):
            importlib.import_module(name, __package__).register(sub)
    return parser


def _add_timeline(sub: Any) -> None:
    from ._cli_query import add_filter_args
    from ._render import FORMATS as TIMELINE_FORMATS

    p = sub.add_parser(
        "timeline",
        help="the records in date order",
        description="Print events, agreement milestones and facility history in date order.",
        epilog="Example: sinotajik timeline --format html --output timeline.html",
    )
    add_data_args(p)
    add_filter_args(p)
    add_format(p, TIMELINE_FORMATS)
    add_output(p)
    p.set_defaults(func=_cmd_timeline)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; return the exit code instead of exiting."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser(_command_of(sys.argv[1:] if argv is None else argv))
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(out)
            return EXIT_BAD_INPUT
        func: Callable[[argparse.Namespace, TextIO], int] = args.func
        return func(args, out)
    except UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_BAD_INPUT
    except DataError as exc:
        for line in exc.lines():
            err.write(f"error: {line}\n")
        return EXIT_BAD_INPUT
    except ReleaseError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except OSError as exc:
        name = getattr(exc, "filename", None)
        err.write(f"error: {name + ': ' if name else ''}{exc.strerror or exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # pragma: no cover
        return 130


def run() -> NoReturn:
    """The console-script entry point."""
    raise SystemExit(main())
