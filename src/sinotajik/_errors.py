"""The exceptions sinotajik raises, and where they sit among Python's own.

::

    Exception
    └── SinotajikError                 every error sinotajik raises on purpose (catch this)
        ├── DataError                  bad data: every problem as ``path: message``;
        │                              also a ValueError
        └── ReleaseError               a bundled release that is unknown, or fails its checksum

Not in the tree, because they mean what Python's own do: ``Dataset.get`` and the relation
functions raise ``KeyError`` for an unknown id (as a mapping does), and a bad argument raises
``ValueError`` or ``TypeError``. tests/test_api.py checks this drawing against the classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

__all__ = ["DataError", "Problem", "ReleaseError", "SinotajikError"]


class SinotajikError(Exception):
    """The root of every error sinotajik raises on purpose."""


@attrs.frozen
class Problem:
    """One problem in a piece of data: where it is (``events[3].date``) and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        """``path: message``, or the message alone when the problem is with the whole input."""
        return f"{self.path}: {self.message}" if self.path else self.message


class DataError(SinotajikError, ValueError):
    """Bad data: every problem found, each with its path, one per line.

    Attributes:
        problems: the problems, in the order found (never empty).
        source: where the data came from (a file name), if known.
    """

    problems: tuple[Problem, ...]
    source: str | None

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems = tuple(problems) or (Problem("", "invalid data"),)
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        head = f"{self.source}: " if self.source else ""
        n = len(self.problems)
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} in the data"]
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)

    def lines(self) -> Sequence[str]:
        """One self-contained line per problem, prefixed with the source when known."""
        head = f"{self.source}: " if self.source else ""
        return [f"{head}{p}" for p in self.problems]

    def with_source(self, source: str) -> DataError:
        """The same problems, attributed to ``source``."""
        return DataError(self.problems, source)


class ReleaseError(SinotajikError):
    """A bundled dataset release that does not exist or does not match its checksum."""
