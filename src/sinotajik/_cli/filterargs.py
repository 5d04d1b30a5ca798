"""The filter flags of the commands that select records, without the query machinery.

`add_filter_args` adds them to a command's parser; `sinotajik._cli.query` turns them into a
[`Filter`][sinotajik.Filter]. This module imports the query subpackage only when a flag that
needs it for checking (``--kind``, ``--role``) is given, so that a command run without filters
(``sinotajik timeline``) does not pay for importing it.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable

from .._dates import PartialDate, parse_date

__all__ = ["add_filter_args", "filters_given"]

_COUNTRY_RE = re.compile(r"[A-Za-z]{3}")


# --------------------------------------------------------------------------- argument types


def _exact_date(text: str) -> PartialDate:
    try:
        d = parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not d.exact:
        raise argparse.ArgumentTypeError(f"{text!r} must be an exact date (YYYY, YYYY-MM or YYYY-MM-DD, no ~ ? %)")
    return d


def _values(raw: Iterable[str] | None) -> list[str]:
    """Repeated and comma-separated flag values, in order, without blanks or repeats."""
    out: list[str] = []
    for item in raw or ():
        for v in item.split(","):
            v = v.strip()
            if v and v not in out:
                out.append(v)
    return out


def _country(text: str) -> str:
    for v in _values([text]):
        if not _COUNTRY_RE.fullmatch(v):
            raise argparse.ArgumentTypeError(f"{v!r} is not an ISO 3166-1 alpha-3 code (e.g. CHN, TJK)")
    return text.upper()


def _role(text: str) -> str:
    from .._query.facts import ROLE_NAMES  # only when --role is given

    for v in _values([text]):
        if v.lower() not in ROLE_NAMES:
            raise argparse.ArgumentTypeError(f"unknown role {v!r} (expected one of {', '.join(sorted(ROLE_NAMES))})")
    return text.lower()


def _kind(text: str) -> str:
    from .._query import where  # only when --kind is given

    for v in _values([text]):
        try:
            where.kind(v)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return text


# --------------------------------------------------------------------------- the flags


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """Add the common filter flags and ``--as-of`` to a command's parser.

    Use `select_from_args` (or `dataset_from_filter_args` and
    `filters_from_args`) in the command's handler.
    """
    g = p.add_argument_group("filters", "repeat a flag or separate values by commas for alternatives")
    actions: list[argparse.Action] = []
    actions.append(
        g.add_argument(
            "--kind", action="append", type=_kind, metavar="KIND", help="record kind or sub-kind (exercise, agency...)"
        )
    )
    actions.append(
        g.add_argument("--actor", action="append", metavar="ID", help="the record names this actor (e.g. act-chn-mps)")
    )
    actions.append(
        g.add_argument(
            "--subordinates",
            action="store_true",
            help="with --actor, count actors below it too (a state's agencies, a ministry's units)",
        )
    )
    actions.append(
        g.add_argument(
            "--role",
            action="append",
            type=_role,
            metavar="ROLE",
            help="with --actor (or alone, for any actor): its role (host, participant, funder, claimant...)",
        )
    )
    actions.append(
        g.add_argument(
            "--country",
            action="append",
            type=_country,
            metavar="ISO3",
            help="an actor of this state takes part (agencies and people count for it), or the record is located in it",
        )
    )
    actions.append(
        g.add_argument(
            "--place", action="append", metavar="ID", help="located at this place or inside it (e.g. a region)"
        )
    )
    actions.append(
        g.add_argument(
            "--from",
            dest="date_from",
            type=_exact_date,
            metavar="DATE",
            help="window start: YYYY, YYYY-MM or YYYY-MM-DD",
        )
    )
    actions.append(
        g.add_argument("--to", dest="date_to", type=_exact_date, metavar="DATE", help="window end (included)")
    )
    actions.append(
        g.add_argument(
            "--certain",
            action="store_true",
            help="with --from/--to: only records certainly in the window (default: possibly, as a year-only date is)",
        )
    )
    actions.append(g.add_argument("--tag", action="append", metavar="TAG", help="carries this tag"))
    actions.append(g.add_argument("--confidence", choices=("low", "medium", "high"), help="at least this confidence"))
    actions.append(g.add_argument("--source", action="append", metavar="ID", help="cites this source"))
    actions.append(
        g.add_argument(
            "--text",
            action="append",
            metavar="WORDS",
            help="every word is in its name, aliases, title or summary (any script, any case or accent)",
        )
    )
    actions.append(
        g.add_argument("--contested", action="store_true", help="only records whose claims disagree or deny")
    )
    actions.append(
        g.add_argument(
            "--as-of",
            dest="as_of",
            type=_exact_date,
            metavar="DATE",
            help="only what the cited sources had published by this date (knowledge time)",
        )
    )
    # The flags of the group, so that a command can tell whether any filter was asked for.
    p.set_defaults(query_prog=p.prog, filter_dests=tuple(a.dest for a in actions))


def filters_given(args: argparse.Namespace) -> bool:
    """Whether any flag of `add_filter_args` (``--as-of`` included) was given on the command line.

    A command with none of them can use the whole dataset without the query subpackage.
    """
    return any(getattr(args, dest, None) for dest in getattr(args, "filter_dests", ()))
