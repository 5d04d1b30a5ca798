r"""The ``sinotajik`` command line. It only wires the library's functions to arguments.

Exit codes: 0 success, 2 bad usage or bad input (one line per problem on stderr, no
traceback), 1 the output could not be written in full (disk full, I/O error; one line naming
the file or standard output) or anything unexpected, 141 standard output was closed early (as
by ``| head``; nothing is printed, as for a process that SIGPIPE ends), 143 ended by SIGTERM
(any temporary file removed first).

Record text is printed so that it cannot act on a terminal: in text output every control
character but the line break and tab (C0, DEL, C1, bidirectional overrides and isolates, line and
paragraph separators) is shown escaped (``\x1b``, ``\u202e``); JSON output escapes the same
characters as ``\uXXXX`` when it goes to a terminal (to a file or a pipe it keeps its exact
bytes), which JSON readers take for the same text.

Commands live here (``info``, ``validate``, ``versions``, ``timeline``) and in the modules
named in ``_COMMAND_MODULES``: each has ``register(sub)`` adding its subparsers, whose
handlers take ``(args, out)`` and return an exit code. The helpers they share
(``add_data_args``, ``add_format``, ``dataset_from_args``, ``emit_json``, ``add_output`` /
``write_output``, ``UsageError``) live in ``common``, which every command module imports,
so that no command module imports this one.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from .._errors import DataError, ReleaseError
from .._io import latest_version, load, versions
from .common import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_TERMINATED,
    OutputError,
    UsageError,
    add_base_args,
    add_data_args,
    add_format,
    add_max_bytes,
    add_output,
    dataset_from_args,
    emit_json,
    write_output,
)

__all__ = ["main"]


class _Terminated(BaseException):
    """Raised in the main thread on SIGTERM, so that ``finally`` blocks remove temporary files."""


#: Characters that act on a terminal or reorder what it shows: C0 controls but tab and line break,
#: DEL, C1 controls, bidirectional embeddings, overrides and isolates, line/paragraph separators.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
#: The same in JSON text: its own escapes already cover C0 controls.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


class _Guarded:
    """Standard output or error as the commands see it: escaped for a terminal, failures named.

    ``mode`` is ``text`` (controls shown escaped), ``json`` (the same characters as JSON
    escapes) or ``raw`` (HTML, SVG: their own escaping). A failed write raises
    `OutputError` naming ``where``.
    """

    def __init__(self, stream: TextIO, where: str, mode: str = "text") -> None:
        self.stream = stream
        self.where = where
        self.mode = mode

    def write(self, text: str) -> int:
        if self.mode == "text":
            text = _TERMINAL_UNSAFE.sub(_visible, text)
        elif self.mode == "json":
            text = _JSON_UNSAFE.sub(_json_escape, text)
        try:
            return self.stream.write(text)
        except OSError as exc:
            raise OutputError(self.where, exc) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            raise OutputError(self.where, exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


_JSON_FORMATS = frozenset({"json", "jsonl", "geojson", "timelinejs"})
_RAW_FORMATS = frozenset({"html", "svg", "csv", "datapackage", "parquet"})


def _mode(args: argparse.Namespace, stream: TextIO) -> str:
    """How ``stream`` is guarded for this command: text always; JSON only on a terminal.

    JSON sent to a file or a pipe keeps its exact bytes (``export --format json > f`` is the
    canonical file); on a terminal its bidi and C1 characters become JSON escapes.
    """
    fmt = getattr(args, "format", None) or "text"
    if fmt in _RAW_FORMATS:
        return "raw"
    if fmt in _JSON_FORMATS:
        try:
            return "json" if stream.isatty() else "raw"
        except (AttributeError, ValueError):  # a closed or unusual stream
            return "raw"
    return "text"


#: Modules adding further commands, each with ``register(sub)``.
_COMMAND_MODULES: tuple[str, ...] = (".diff", ".export", ".query", ".chart")

#: The commands each of those modules adds, so that a command imports only what it uses. A
#: command missing here still works (every module is then imported), only more slowly.
_MODULE_COMMANDS: dict[str, tuple[str, ...]] = {
    ".diff": ("diff",),
    ".export": ("export", "schema"),
    ".query": ("list", "show", "search"),
    ".chart": ("chart",),
}
_OWN_COMMANDS = ("info", "validate", "timeline", "versions")


def _terminal_columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` gives it, without importing shutil.

    (shutil imports the compression modules; argparse asks for the width at every
    ``add_argument``, through the help formatter it makes to check the argument.)
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, its width read as shutil reads it (see `_terminal_columns`)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        width = _terminal_columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports usage errors in one line, exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

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
    ds = load(path=args.file, base=args.base, on_conflict=args.on_conflict, max_bytes=args.max_bytes)
    base = load(args.base) if args.base else None
    if args.format == "json":
        payload = {"valid": True, "version": ds.version, "sha256": ds.sha256, "records": ds.counts()}
        if base is not None:
            payload["base"] = base.version
        emit_json(out, payload)
    elif base is not None:
        mine = len(ds) - len(base)
        out.write(
            f"{args.file}: valid on {base.version} ({len(ds)} records, {mine:+d} on the base, "
            f"version {ds.version}, sha256 {ds.sha256})\n"
        )
    else:
        out.write(f"{args.file}: valid ({len(ds)} records, version {ds.version}, sha256 {ds.sha256})\n")
    return EXIT_OK


def _cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    from .._render import render_timeline
    from .._timeline import timeline
    from .filterargs import filters_given

    if not filters_given(args):  # the whole dataset: no need for the query subpackage
        ds = dataset_from_args(args)
        entries = timeline(ds)
    else:
        from .query import select_from_args, window_from_args

        ds, records = select_from_args(args)
        entries = timeline(records)
        window = window_from_args(args)  # an agreement in the window keeps only its steps in it
        if window is not None:
            entries = [e for e in entries if window.accepts(e.date)]
    write_output(args, out, render_timeline(args.format, entries, ds), f"{len(entries)} entries")
    return EXIT_OK


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
        epilog="Example: sinotajik info --release 2026.11.0",
    )
    add_data_args(p)
    add_format(p)
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser(
        "validate",
        help="check a dataset file and list every problem",
        description="Check a JSON or JSON Lines dataset file; exit 2 and list every problem if it is invalid.",
        epilog="Example: sinotajik validate --base 2026.11.2 my-records.json",
    )
    p.add_argument("file", metavar="FILE")
    add_base_args(p)
    add_format(p)
    add_max_bytes(p)
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
    from .._render import FORMATS as TIMELINE_FORMATS
    from .filterargs import add_filter_args

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
    raw_out = stdout or sys.stdout
    out = _Guarded(raw_out, "standard output")
    err = _Guarded(stderr or sys.stderr, "standard error")
    parser = build_parser(_command_of(sys.argv[1:] if argv is None else argv))
    try:
        with _sigterm_raises():
            args = parser.parse_args(argv)
            if args.command is None:
                parser.print_help(out)
                return EXIT_BAD_INPUT
            for note in getattr(args, "deprecated", []):
                err.write(f"warning: {note}\n")
            out.mode = _mode(args, raw_out)
            func: Callable[[argparse.Namespace, TextIO], int] = args.func
            code = func(args, out)  # type: ignore[arg-type]
            out.flush()
            return code
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
    except OutputError as exc:
        if exc.errno == errno.EPIPE:
            _silence(raw_out)
            return EXIT_BROKEN_PIPE
        if exc.where == "standard output":
            _silence(raw_out)
            err.write(f"error: {exc}; the output is incomplete\n")
        else:
            err.write(f"error: {exc}; nothing was written\n")
        return EXIT_FAILED
    except OSError as exc:
        name = getattr(exc, "filename", None)
        err.write(f"error: {name + ': ' if name else ''}{exc.strerror or exc}\n")
        return EXIT_BAD_INPUT
    except _Terminated:
        return EXIT_TERMINATED
    except KeyboardInterrupt:  # pragma: no cover
        return 130


class _sigterm_raises:
    """While active (in the main thread), SIGTERM raises `_Terminated` instead of killing.

    Python's default is to die at once, leaving temporary files behind; raising lets every
    ``finally`` block and ``except BaseException`` clean-up run first.
    """

    def __enter__(self) -> None:
        self.previous: Any = None
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._raise)

    @staticmethod
    def _raise(signum: int, frame: object) -> None:
        raise _Terminated

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            import signal

            signal.signal(signal.SIGTERM, self.previous)


def _silence(stream: TextIO) -> None:
    """Drop what is left in ``stream``'s buffer, so that exiting does not fail on it again."""
    if stream is sys.__stdout__ and stream is not None:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
            pass


def run() -> NoReturn:
    """The console-script entry point."""
    raise SystemExit(main())
