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

Pendulum is used for calendar arithmetic only; no timezone is involved anywhere. Parsing,
ordering and the date tests count days as integers (proleptic Gregorian ordinals), so pendulum
is imported only when a calendar date is asked for (``earliest``, ``latest``).
"""

from __future__ import annotations

import enum
import re
from typing import TYPE_CHECKING, Union

import attrs

if TYPE_CHECKING:
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

_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Days before the first of each month in a common year (index 1..12).
_DAYS_BEFORE_MONTH = (0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_days(year: int, month: int) -> int:
    return 29 if month == 2 and _leap(year) else _DAYS_IN_MONTH[month]


def _ordinal(year: int, month: int, day: int) -> int:
    """``datetime.date(year, month, day).toordinal()``, without building a date."""
    y = year - 1
    before = _DAYS_BEFORE_MONTH[month] + (1 if month > 2 and _leap(year) else 0)
    return y * 365 + y // 4 - y // 100 + y // 400 + before + day


_MIN_ORDINAL = 1  # 0001-01-01
_MAX_ORDINAL = _ordinal(_MAX_YEAR, 12, 31)


def _pendulum_date(ordinal: int) -> pendulum.Date:
    import pendulum

    return pendulum.Date.fromordinal(ordinal)


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
            if not 1 <= self.day <= month_days(self.year, self.month):
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
        return _pendulum_date(self._first_day())

    @property
    def latest(self) -> pendulum.Date:
        """The last day this date can denote (ignoring the ``~``/``?`` flags)."""
        return _pendulum_date(self._last_day())

    def _first_day(self) -> int:
        """The ordinal of [`earliest`][sinotajik.PartialDate.earliest]."""
        return _ordinal(self.year, self.month or 1, self.day or 1)

    def _last_day(self) -> int:
        """The ordinal of [`latest`][sinotajik.PartialDate.latest]."""
        if self.day is not None:
            return _ordinal(self.year, self.month or 1, self.day)
        if self.month is not None:
            return _ordinal(self.year, self.month, month_days(self.year, self.month))
        return _ordinal(self.year, 12, 31)

    @property
    def exact(self) -> bool:
        """True when the date is neither approximate nor uncertain."""
        return not (self.approximate or self.uncertain)

    def _possible_days(self) -> tuple[int, int]:
        """The first and last possible day (ordinals), widened by one unit for ``~``/``?``.

        The widening is clamped to the supported years 1..9999.
        """
        if self.exact:
            return self._first_day(), self._last_day()
        y, m = self.year, self.month
        if self.day is not None:
            assert m is not None
            day = _ordinal(y, m, self.day)
            return max(day - 7, _MIN_ORDINAL), min(day + 7, _MAX_ORDINAL)
        if m is not None:
            py, pm = (y, m - 1) if m > 1 else (y - 1, 12)
            ny, nm = (y, m + 1) if m < 12 else (y + 1, 1)
            lo = _MIN_ORDINAL if py < _MIN_YEAR else _ordinal(py, pm, 1)
            hi = _MAX_ORDINAL if ny > _MAX_YEAR else _ordinal(ny, nm, month_days(ny, nm))
            return lo, hi
        lo = _MIN_ORDINAL if y - 1 < _MIN_YEAR else _ordinal(y - 1, 1, 1)
        hi = _MAX_ORDINAL if y + 1 > _MAX_YEAR else _ordinal(y + 1, 12, 31)
        return lo, hi

    def _possible_bounds(self) -> tuple[pendulum.Date, pendulum.Date]:
        lo, hi = self._possible_days()
        return _pendulum_date(lo), _pendulum_date(hi)

    def sort_key(self) -> tuple[int, int, int, int, int, int, int, int, int]:
        """The key of the documented total order (see the module docstring)."""
        return (
            self._first_day(),
            int(self.precision),
            self._last_day(),
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
        if self.start is not None and self.end is not None and self.start._first_day() > self.end._last_day():
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
        lo = s._first_day() if s is not None else 0
        hi = e._last_day() if e is not None else _MAX_ORDINAL + 1
        return (
            lo,
            int(s.precision) if s is not None else 0,
            hi,
            1,
            _flag_rank(s) if s is not None else 0,
            int(e.precision) if e is not None else 0,
            e._first_day() if e is not None else 0,
            _flag_rank(e) if e is not None else 0,
            s._last_day() if s is not None else 0,
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

_Days = tuple[int, int]
"""An inclusive interval of days, as ordinals."""


def possible_days(w: When) -> _Days:
    """The hull of every day ``w`` may cover under any reading (widened for ``~``/``?``)."""
    if isinstance(w, PartialDate):
        return w._possible_days()
    lo = _MIN_ORDINAL if w.start is None else w.start._possible_days()[0]
    hi = _MAX_ORDINAL if w.end is None else w.end._possible_days()[1]
    return lo, hi


def _core_days(w: When) -> _Days | None:
    """The days ``w`` covers under every reading, or ``None`` when no day is sure.

    A day-precise exact date covers its day; a coarser date (``2016``) covers *some* day of
    its range, so no day surely. A span surely covers from its latest possible start to its
    earliest possible end; an open end (``..``) runs on indefinitely.
    """
    if isinstance(w, PartialDate):
        if w.day is not None and w.exact:
            day = w._first_day()
            return day, day
        return None
    s, e = w.start, w.end
    if (s is not None and not s.exact) or (e is not None and not e.exact):
        return None
    lo = _MIN_ORDINAL if s is None else s._last_day()
    hi = _MAX_ORDINAL if e is None else e._first_day()
    return (lo, hi) if lo <= hi else None


def bound_day(w: When, latest: bool) -> int | None:
    """The ordinal of ``w.latest`` (``latest``) or ``w.earliest``; ``None`` at an open end."""
    if isinstance(w, PartialDate):
        return w._last_day() if latest else w._first_day()
    if latest:
        return None if w.end is None else w.end._last_day()
    return None if w.start is None else w.start._first_day()


def day_intervals(w: When) -> tuple[_Days, _Days | None]:
    """The possible and the sure days of ``w``: what every date test compares."""
    return possible_days(w), _core_days(w)


def possible_dates(w: When) -> tuple[pendulum.Date, pendulum.Date]:
    """`possible_days` as calendar dates."""
    lo, hi = possible_days(w)
    return _pendulum_date(lo), _pendulum_date(hi)


def _core(w: When) -> tuple[pendulum.Date, pendulum.Date] | None:
    """`_core_days` as calendar dates."""
    core = _core_days(w)
    return None if core is None else (_pendulum_date(core[0]), _pendulum_date(core[1]))


def _inside(a: _Days, b: _Days | None) -> bool:
    return b is not None and b[0] <= a[0] and a[1] <= b[1]


def _meet(a: _Days, b: _Days) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def certainty_of(pa: _Days, ca: _Days | None, pb: _Days, cb: _Days | None, within: bool) -> Certainty:
    """``a.within(b)`` (``within``) or ``a.overlaps(b)``, given each one's possible and sure days."""
    if not _meet(pa, pb):
        return Certainty.NOT
    if within:
        if ca is not None and not _inside(ca, pb):
            return Certainty.NOT
        return Certainty.CERTAINLY if _inside(pa, cb) else Certainty.POSSIBLY
    if (ca is not None and cb is not None and _meet(ca, cb)) or _inside(pa, cb) or _inside(pb, ca):
        return Certainty.CERTAINLY
    return Certainty.POSSIBLY


def _overlaps(a: When, b: When) -> Certainty:
    return certainty_of(possible_days(a), _core_days(a), possible_days(b), _core_days(b), False)


def _within(a: When, b: When) -> Certainty:
    return certainty_of(possible_days(a), _core_days(a), possible_days(b), _core_days(b), True)


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
