"""Honest dates: partial, approximate and uncertain dates and spans.

Sources rarely give a full day. A fact known only to the year or month keeps that precision
here, and a span may be open at either end. On the wire both are written in a small subset of
EDTF (ISO 8601-2, level 0 and 1):

=========================  ==============================================
``2021-08-18``             a day
``2016-10``                a month
``2016``                   a year
``2022-11-21~``            approximately (``~``); ``?`` uncertain; ``%`` both
``2021-08-18/2021-08-19``  a span, inclusive at both ends
``2016-10/..``             a span open at the end (``../2016`` open at the start)
=========================  ==============================================

Ordering (``sort_key``) is total and documented: by earliest possible day, then by precision
(a year sorts before the months and days that start with it, a month before its days), then
by latest possible day, then a single date before a span, then exact before approximate before
uncertain. ``overlaps`` and ``within`` answer with a [`Certainty`][sinotajik.Certainty]: ``CERTAINLY`` when
every reading of the date satisfies the test, ``POSSIBLY`` when some reading does, and ``NOT``
when none does. Approximate or uncertain dates are never "certainly" anything, and widen by one
unit of their precision (a year, a month or a week) for "possibly".

Pendulum is used for calendar arithmetic only; no timezone is involved anywhere.
"""

from __future__ import annotations

import enum
import re
from typing import Union

import attrs
import pendulum

__all__ = [
    "Certainty",
    "DateSpan",
    "PartialDate",
    "Precision",
    "When",
    "format_when",
    "parse_date",
    "parse_when",
]

_MIN_YEAR = 1
_MAX_YEAR = 9999


class Precision(enum.IntEnum):
    """How much of a date a source gives: a year, a month or a day."""

    YEAR = 1
    MONTH = 2
    DAY = 3


class Certainty(enum.Enum):
    """The answer of a date test over every reading of a partial date."""

    NOT = "not"
    POSSIBLY = "possibly"
    CERTAINLY = "certainly"

    def __bool__(self) -> bool:
        """A certainty is true when the test holds at least possibly."""
        return self is not Certainty.NOT


# ASCII digits only, matched whole (fullmatch): "2021-08-18\n" and full-width digits are not dates.
_DATE_RE = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?(?P<q>[~?%])?")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date_error(text: str, why: str) -> ValueError:
    return ValueError(f"{text!r} {why}")


@attrs.frozen(order=False)
class PartialDate:
    """A calendar date known to a year, a month or a day, possibly approximate or uncertain.

    Build one with [`parse_date`][sinotajik.parse_date] (``"2016-10"``) or the constructor
    (``PartialDate(year=2016, month=10)``); the constructor checks the calendar.
    """

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    def __attrs_post_init__(self) -> None:
        text = self._edtf_body()
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise _date_error(text, f"has a year outside {_MIN_YEAR}..{_MAX_YEAR}")
        if self.month is None and self.day is not None:
            raise _date_error(text, "has a day without a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise _date_error(text, "is not a valid month")
        if self.day is not None:
            assert self.month is not None
            last = pendulum.date(self.year, self.month, 1).days_in_month
            if not 1 <= self.day <= last:
                raise _date_error(text, "is not a valid day")

    def _edtf_body(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    @property
    def precision(self) -> Precision:
        """The finest unit this date is known to."""
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def earliest(self) -> pendulum.Date:
        """The first day this date can denote (ignoring the ``~``/``?`` flags)."""
        return pendulum.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> pendulum.Date:
        """The last day this date can denote (ignoring the ``~``/``?`` flags)."""
        if self.day is not None:
            return self.earliest
        if self.month is not None:
            return self.earliest.end_of("month")
        return pendulum.date(self.year, 12, 31)

    @property
    def exact(self) -> bool:
        """True when the date is neither approximate nor uncertain."""
        return not (self.approximate or self.uncertain)

    def _possible_bounds(self) -> tuple[pendulum.Date, pendulum.Date]:
        lo, hi = self.earliest, self.latest
        if self.exact:
            return lo, hi
        if self.precision is Precision.DAY:
            return _shift(lo, days=-7), _shift(hi, days=7)
        if self.precision is Precision.MONTH:
            return _shift(lo, months=-1), _shift(hi, months=1).end_of("month")
        return _shift(lo, years=-1), _shift(hi, years=1)

    def sort_key(self) -> tuple[int, int, int, int, int, int, int, int, int]:
        """The key of the documented total order (see the module docstring)."""
        return (
            self.earliest.toordinal(),
            int(self.precision),
            self.latest.toordinal(),
            0,
            _flag_rank(self),
            0,
            0,
            0,
            0,
        )

    def __str__(self) -> str:
        """The EDTF form, e.g. ``2016-10`` or ``2022-11-21~``."""
        return self._edtf_body() + _flag_suffix(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, (PartialDate, DateSpan)):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, (PartialDate, DateSpan)):
            return NotImplemented
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, (PartialDate, DateSpan)):
            return NotImplemented
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, (PartialDate, DateSpan)):
            return NotImplemented
        return self.sort_key() >= other.sort_key()

    def overlaps(self, other: When) -> Certainty:
        """Whether this date and ``other`` share a day: certainly, possibly or not."""
        return _overlaps(self, other)

    def within(self, other: When) -> Certainty:
        """Whether every day of this date lies inside ``other``: certainly, possibly or not."""
        return _within(self, other)


def _shift(d: pendulum.Date, *, years: int = 0, months: int = 0, days: int = 0) -> pendulum.Date:
    """``d`` moved by the given amount, clamped to the supported years 1..9999."""
    try:
        return d.add(years=years, months=months, days=days)
    except (ValueError, OverflowError):
        return pendulum.date(_MIN_YEAR, 1, 1) if (years + months + days) < 0 else pendulum.date(_MAX_YEAR, 12, 31)


def _flag_rank(d: PartialDate) -> int:
    return (1 if d.approximate else 0) + (2 if d.uncertain else 0)


def _flag_suffix(d: PartialDate) -> str:
    if d.approximate and d.uncertain:
        return "%"
    if d.approximate:
        return "~"
    if d.uncertain:
        return "?"
    return ""


@attrs.frozen(order=False)
class DateSpan:
    """An inclusive span between two partial dates; ``None`` at an end means open (``..``).

    A span must have at least one end, and its start may not lie after its end.
    """

    start: PartialDate | None
    end: PartialDate | None

    def __attrs_post_init__(self) -> None:
        if self.start is None and self.end is None:
            raise ValueError("'../..' is a span with neither start nor end")
        if self.start is not None and self.end is not None and self.start.earliest > self.end.latest:
            raise ValueError(f"{str(self)!r} is a reversed span: it ends before it starts")

    @property
    def precision(self) -> Precision:
        """The precision of the start (or, for a span open at the start, of the end)."""
        anchor = self.start if self.start is not None else self.end
        assert anchor is not None
        return anchor.precision

    @property
    def earliest(self) -> pendulum.Date | None:
        """The first day the span can cover, or ``None`` when it is open at the start."""
        return None if self.start is None else self.start.earliest

    @property
    def latest(self) -> pendulum.Date | None:
        """The last day the span can cover, or ``None`` when it is open at the end."""
        return None if self.end is None else self.end.latest

    @property
    def exact(self) -> bool:
        """True when both ends are present and neither is approximate or uncertain."""
        return self.start is not None and self.end is not None and self.start.exact and self.end.exact

    def sort_key(self) -> tuple[int, int, int, int, int, int, int, int, int]:
        """The key of the documented total order (see the module docstring)."""
        s, e = self.start, self.end
        lo = s.earliest.toordinal() if s is not None else 0
        hi = e.latest.toordinal() if e is not None else pendulum.date(_MAX_YEAR, 12, 31).toordinal() + 1
        return (
            lo,
            int(s.precision) if s is not None else 0,
            hi,
            1,
            _flag_rank(s) if s is not None else 0,
            int(e.precision) if e is not None else 0,
            e.earliest.toordinal() if e is not None else 0,
            _flag_rank(e) if e is not None else 0,
            s.latest.toordinal() if s is not None else 0,
        )

    def __str__(self) -> str:
        """The EDTF form, e.g. ``2021-08-18/2021-08-19`` or ``2016-10/..``."""
        left = ".." if self.start is None else str(self.start)
        right = ".." if self.end is None else str(self.end)
        return f"{left}/{right}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, (PartialDate, DateSpan)):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, (PartialDate, DateSpan)):
            return NotImplemented
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, (PartialDate, DateSpan)):
            return NotImplemented
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, (PartialDate, DateSpan)):
            return NotImplemented
        return self.sort_key() >= other.sort_key()

    def overlaps(self, other: When) -> Certainty:
        """Whether this span and ``other`` share a day: certainly, possibly or not."""
        return _overlaps(self, other)

    def within(self, other: When) -> Certainty:
        """Whether every day of this span lies inside ``other``: certainly, possibly or not."""
        return _within(self, other)


When = Union[PartialDate, DateSpan]
"""A single partial date or a span: what a record's ``date`` field holds."""

_OPEN_LO = pendulum.date(1, 1, 1)
_OPEN_HI = pendulum.date(_MAX_YEAR, 12, 31)

_Interval = tuple[pendulum.Date, pendulum.Date]


def _possible(w: When) -> _Interval:
    """The hull of every day ``w`` may cover under any reading (widened for ``~``/``?``)."""
    if isinstance(w, PartialDate):
        return w._possible_bounds()
    lo = _OPEN_LO if w.start is None else w.start._possible_bounds()[0]
    hi = _OPEN_HI if w.end is None else w.end._possible_bounds()[1]
    return lo, hi


def _core(w: When) -> _Interval | None:
    """The days ``w`` covers under every reading, or ``None`` when no day is sure.

    A day-precise exact date covers its day; a coarser date (``2016``) covers *some* day of
    its range, so no day surely. A span surely covers from its latest possible start to its
    earliest possible end; an open end (``..``) runs on indefinitely.
    """
    if isinstance(w, PartialDate):
        if w.exact and w.precision is Precision.DAY:
            return w.earliest, w.earliest
        return None
    if any(x is not None and not x.exact for x in (w.start, w.end)):
        return None
    lo = _OPEN_LO if w.start is None else w.start.latest
    hi = _OPEN_HI if w.end is None else w.end.earliest
    return (lo, hi) if lo <= hi else None


def _inside(a: _Interval, b: _Interval | None) -> bool:
    return b is not None and b[0] <= a[0] and a[1] <= b[1]


def _meet(a: _Interval, b: _Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _overlaps(a: When, b: When) -> Certainty:
    pa, pb = _possible(a), _possible(b)
    if not _meet(pa, pb):
        return Certainty.NOT
    ca, cb = _core(a), _core(b)
    if (ca is not None and cb is not None and _meet(ca, cb)) or _inside(pa, cb) or _inside(pb, ca):
        return Certainty.CERTAINLY
    return Certainty.POSSIBLY


def _within(a: When, b: When) -> Certainty:
    pa, pb = _possible(a), _possible(b)
    ca = _core(a)
    if not _meet(pa, pb) or (ca is not None and not _inside(ca, pb)):
        return Certainty.NOT
    if _inside(pa, _core(b)):
        return Certainty.CERTAINLY
    return Certainty.POSSIBLY


def parse_date(text: str) -> PartialDate:
    """Parse one EDTF date (``2016``, ``2016-10``, ``2016-10-05``, optionally ``~ ? %``).

    Raises:
        ValueError: naming the value, e.g. ``'2021-02-30' is not a valid day``.
    """
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a date string")
    m = _DATE_RE.fullmatch(text)
    if m is None:
        raise _date_error(text, "is not an EDTF date (YYYY, YYYY-MM or YYYY-MM-DD, then ~ ? %)")
    q = m.group("q") or ""
    return PartialDate(
        year=int(m.group("y")),
        month=int(m.group("m")) if m.group("m") else None,
        day=int(m.group("d")) if m.group("d") else None,
        approximate=q in ("~", "%"),
        uncertain=q in ("?", "%"),
    )


def _parse_date_in(text: str, whole: str) -> PartialDate:
    try:
        return parse_date(text)
    except ValueError as exc:
        if text == whole:
            raise
        raise ValueError(f"{whole!r}: {exc}") from None


def parse_when(text: str) -> When:
    """Parse an EDTF date or span (``2021-08-18/2021-08-19``, ``2016-10/..``).

    Raises:
        ValueError: naming the value, e.g. ``'2021-13' is not a valid month``.
    """
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a date string")
    if "/" not in text:
        return parse_date(text)
    left, _sep, right = text.partition("/")
    if "/" in right:
        raise ValueError(f"{text!r} has more than one '/'")
    if "" in (left, right):
        # EDTF reads an empty end as *unknown*, which differs from open (``..``); this format
        # records only open ends, so the empty form is refused rather than silently rewritten.
        fixed = f"{left or '..'}/{right or '..'}"
        raise ValueError(
            f"{text!r} has an empty end (unknown in EDTF, which is not recorded); write {fixed!r} for an open end"
        )
    start = None if left == ".." else _parse_date_in(left, text)
    end = None if right == ".." else _parse_date_in(right, text)
    return DateSpan(start=start, end=end)


def format_when(when: When) -> str:
    """A short human label: ``2016``, ``Oct 2016``, ``18 Aug 2021``, ``18–19 Aug 2021``, ``~Nov 2022``."""
    if isinstance(when, PartialDate):
        return _format_one(when)
    s, e = when.start, when.end
    if s is None:
        assert e is not None
        return f"until {_format_one(e)}"
    if e is None:
        return f"from {_format_one(s)}"
    if s.exact and e.exact and s.precision is Precision.DAY and e.precision is Precision.DAY:
        if s.year == e.year and s.month == e.month:
            return f"{s.day}–{e.day} {_MONTHS[e.month - 1]} {e.year}"  # type: ignore[operator]
        if s.year == e.year:
            return f"{s.day} {_MONTHS[s.month - 1]} – {_format_one(e)}"  # type: ignore[operator]
    return f"{_format_one(s)} – {_format_one(e)}"


def _format_one(d: PartialDate) -> str:
    prefix = "~" if d.approximate else ""
    suffix = "?" if d.uncertain else ""
    if d.precision is Precision.YEAR:
        body = f"{d.year}"
    elif d.precision is Precision.MONTH:
        assert d.month is not None
        body = f"{_MONTHS[d.month - 1]} {d.year}"
    else:
        assert d.month is not None
        body = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{prefix}{body}{suffix}"
