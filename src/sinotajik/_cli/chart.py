"""The ``chart`` command: dated entries per year by kind, as a PNG or SVG picture.

It wires [`sinotajik.plot_years`][sinotajik.plot_years] to the filter flags of ``list`` (see
the ``query`` module of the command line), so ``sinotajik chart --kind exercise --output exercises.png``
draws the exercises only. Needs ``sinotajik[plot]`` (matplotlib).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from .common import EXIT_OK, UsageError, add_data_args
from .filterargs import add_filter_args
from .query import select_from_args

__all__ = ["register"]


def _cmd_chart(args: argparse.Namespace, out: TextIO) -> int:
    from .._chart import plot_years

    path = Path(args.output)
    if path.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"sinotajik chart: --output {path}: give a file ending in .png or .svg")
    if path.is_dir():
        raise UsageError(f"--output {path}: is a folder, not a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"--output {path}: the folder {folder} does not exist")
    _ds, selection = select_from_args(args)
    try:
        plot_years(selection, path, by=args.by, title=args.title)
    except ImportError as exc:
        raise UsageError(f"sinotajik chart: {exc}") from None
    out.write(f"wrote a chart of {len(selection)} records to {path}\n")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add the ``chart`` command to the ``sinotajik`` parser's subcommands."""
    p = sub.add_parser(
        "chart",
        help="draw dated entries per year by kind, certain and possible apart (PNG or SVG)",
        description=(
            "Draw the dated entries (events, agreement milestones, facility history steps) per "
            "year, coloured by kind: solid for entries certainly in the year, pale and hatched for "
            "those only possibly in it. Needs sinotajik[plot] (matplotlib)."
        ),
        epilog="Example: sinotajik chart --output entries-per-year.png",
    )
    p.add_argument("--output", "-o", metavar="FILE", required=True, help="the .png or .svg file to write")
    p.add_argument(
        "--by",
        choices=("record_kind", "kind"),
        default="record_kind",
        help="colour by record kind (default) or by the records' own kind",
    )
    p.add_argument("--title", help="the chart's title")
    add_data_args(p)
    add_filter_args(p)
    p.set_defaults(func=_cmd_chart)
