"""Filters: the [`Filter`][sinotajik.Filter] classes and their [`where`][sinotajik.where] constructors.

Each filter on one facet of a record (kind, actors, places, dates, tags, confidence,
sources, contested) states its meaning once, as a rule on one key of that facet
(``_accepts``); both the test of one record and the index answer use that rule.
"""

from __future__ import annotations

import abc
import bisect
import enum
import itertools
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from .._dates import Certainty, DateSpan, PartialDate, When, certainty_of, day_intervals, month_days, parse_date
from .._document import is_dataset
from .._model import Actor, Confidence, Place, Record, Role, Source
from .facts import (
    ACTORS,
    CLASS_NAME,
    CONFIDENCE,
    CONTESTED,
    DATED_CLASSES,
    DATES,
    ENUM_CLASS,
    KINDS,
    NAME_CLASS,
    PLACES,
    PLURAL,
    RECORD_CLASSES,
    ROLE_NAMES,
    SOURCES,
    SUBKIND_ENUM,
    SUBKIND_OWNERS,
    TAGS,
    Facet,
    KindSpec,
    with_article,
)
from .index import Index, Interval, index_of, union
from .resolve import Resolver

if TYPE_CHECKING:
    from .._dataset import Dataset

S = TypeVar("S", bound=str)

# --------------------------------------------------------------------------- filters


def _missing(ix: Index, name: str, ids: AbstractSet[str], cls: type[Any]) -> Iterator[str]:
    for rid in sorted(ids):
        rec = ix.lookup(rid)
        if rec is None:
            yield f"{name}: no {CLASS_NAME[cls]} {rid!r}"
        elif not isinstance(rec, cls):
            yield f"{name}: {rid!r} is {with_article(CLASS_NAME[type(rec)])}, not {with_article(CLASS_NAME[cls])}"


def reject_unknown(f: Filter, ix: Index, version: str) -> None:
    """Raise ``ValueError`` when a filter names ids (or tags) the dataset does not have."""
    problems = list(f._unknown(ix))
    if problems:
        raise ValueError(f"{'; '.join(problems)} in dataset {version}")


@attrs.frozen
class Filter(abc.ABC):
    """A test on records, built with [`where`][sinotajik.where] and combined with ``&``, ``|`` and ``~``.

    Filters are immutable and hashable. ``a & b`` keeps what both keep, ``a | b`` what
    either keeps, ``~a`` what ``a`` does not keep.
    """

    def matches(self, record: Record, context: Dataset | Iterable[Record] | None = None) -> bool:
        """Whether ``record`` passes this filter.

        Args:
            record: any record.
            context: the records that resolve the actors' and places' references (a Dataset,
                or any records); without it, only the record itself is known.

        Raises:
            ValueError: ``context`` is a Dataset without an actor, place or source this
                filter names (or without a record carrying a tag it names).
        """
        if is_dataset(context):
            ix = index_of(context)
            reject_unknown(self, ix, context.version)
            res = ix.resolver
        else:
            res = Resolver([record] if context is None else context)
        return self._test(record, res)

    @abc.abstractmethod
    def _test(self, rec: Record, res: Resolver) -> bool:
        """Whether ``rec`` passes, looking references up through ``res`` (the naive path)."""

    @abc.abstractmethod
    def _ids(self, ix: Index) -> AbstractSet[int]:
        """The ids of the records that pass, from the index (the fast path)."""

    def _unknown(self, ix: Index) -> Iterator[str]:
        """A message for each id (or tag) this filter names that ``ix`` does not hold."""
        return iter(())

    def _positions(self, ix: Index) -> list[int]:
        """The positions of the records that pass, in dataset order."""
        return sorted(self._ids(ix))

    def __and__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        return _And((*_parts(self, _And), *_parts(other, _And)))

    def __or__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        return _Or((*_parts(self, _Or), *_parts(other, _Or)))

    def __invert__(self) -> Filter:
        return self.part if isinstance(self, _Not) else _Not(self)


def _parts(f: Filter, cls: type[_And] | type[_Or]) -> tuple[Filter, ...]:
    return f.parts if isinstance(f, cls) else (f,)


@attrs.frozen
class _And(Filter):
    parts: tuple[Filter, ...]

    def _unknown(self, ix: Index) -> Iterator[str]:
        for p in self.parts:
            yield from p._unknown(ix)

    def _test(self, rec: Record, res: Resolver) -> bool:
        return all(p._test(rec, res) for p in self.parts)

    def _classes(self) -> tuple[tuple[type[Any], ...] | None, tuple[Filter, ...]]:
        """The record classes that whole-class kind parts (``kind=Event``) allow, and the other parts."""
        classes: set[type[Any]] | None = None
        rest: list[Filter] = []
        for p in self.parts:
            if isinstance(p, _Kind) and all(sub is None for _, sub in p.specs):
                got = {cls for cls, _ in p.specs}
                classes = got if classes is None else classes & got
            else:
                rest.append(p)
        if classes is None:
            return None, self.parts
        return tuple(c for c in RECORD_CLASSES if c in classes), tuple(rest)

    def _ids(self, ix: Index) -> AbstractSet[int]:
        classes, rest = self._classes()
        if classes is not None and any(isinstance(p, DateFilter) for p in rest):
            # Whole record classes narrow the date index searched, and then need no
            # intersection of their own.
            sets = sorted((self._part_ids(ix, p, classes) for p in rest), key=len)
        else:
            sets = sorted((p._ids(ix) for p in self.parts), key=len)
        return self._meet(ix, sets)

    @staticmethod
    def _part_ids(ix: Index, p: Filter, classes: tuple[type[Any], ...]) -> AbstractSet[int]:
        return frozenset(p.sorted_in(ix, classes)) if isinstance(p, DateFilter) else p._ids(ix)

    def _positions(self, ix: Index) -> list[int]:
        classes, rest = self._classes()
        if classes is None or not rest:
            return sorted(self._ids(ix))
        if len(rest) == 1 and isinstance(rest[0], DateFilter):
            return rest[0].sorted_in(ix, classes)  # already in order, and of these classes only
        # Each record class is a run of positions: rather than intersect with a class's
        # positions (a set as large as the class), sort what the other parts keep and cut out
        # the classes' runs.
        sets = sorted((self._part_ids(ix, p, classes) for p in rest), key=len)
        kept = sorted(self._meet(ix, sets))
        out: list[int] = []
        for cls in classes:
            run = ix.ranges[cls]
            out += kept[bisect.bisect_left(kept, run.start) : bisect.bisect_left(kept, run.stop)]
        return out

    @staticmethod
    def _meet(ix: Index, sets: list[AbstractSet[int]]) -> AbstractSet[int]:
        out = sets[0] if sets else ix.all_ids
        for other in sets[1:]:
            if not out:
                break
            out = out & other  # iterates over the smaller set
        return out

    def __repr__(self) -> str:
        return "(" + " & ".join(map(repr, self.parts)) + ")"


@attrs.frozen
class _Or(Filter):
    parts: tuple[Filter, ...]

    def _unknown(self, ix: Index) -> Iterator[str]:
        for p in self.parts:
            yield from p._unknown(ix)

    def _test(self, rec: Record, res: Resolver) -> bool:
        return any(p._test(rec, res) for p in self.parts)

    def _ids(self, ix: Index) -> AbstractSet[int]:
        return union(p._ids(ix) for p in self.parts)

    def __repr__(self) -> str:
        return "(" + " | ".join(map(repr, self.parts)) + ")"


@attrs.frozen
class _Not(Filter):
    part: Filter

    def _unknown(self, ix: Index) -> Iterator[str]:
        return self.part._unknown(ix)

    def _test(self, rec: Record, res: Resolver) -> bool:
        return not self.part._test(rec, res)

    def _ids(self, ix: Index) -> AbstractSet[int]:
        return ix.all_ids - self.part._ids(ix)

    def __repr__(self) -> str:
        return f"~{self.part!r}"


class _Keyed(Filter):
    """A filter on one facet of a record: its meaning is one rule on a key, ``_accepts``.

    The test on one record accepts it when the rule accepts one of its keys; the index
    answers by testing each distinct key it holds once, with the same rule, and joining the
    positions of the keys accepted. ``_hint`` may name a superset of the keys the rule can
    accept, so that the index looks only those up; it never changes the answer.
    """

    facet: ClassVar[Facet]

    @abc.abstractmethod
    def _accepts(self, key: Any, res: Resolver) -> bool:
        """Whether the filter accepts a record having this key."""

    def _hint(self) -> Iterable[Any] | None:
        return None

    def _test(self, rec: Record, res: Resolver) -> bool:
        return any(self._accepts(k, res) for k in self.facet.keys(rec))

    def _ids(self, ix: Index) -> AbstractSet[int]:
        def compute() -> AbstractSet[int]:
            groups = ix.groups(self.facet)
            hint = self._hint()
            keys = groups if hint is None else [k for k in hint if k in groups]
            res = ix.resolver
            return ix.union_of(self.facet, [k for k in keys if self._accepts(k, res)])

        return ix.answer(self, compute)


@attrs.frozen
class _Kind(_Keyed):
    specs: frozenset[KindSpec]
    facet = KINDS

    def _accepts(self, key: Any, res: Resolver) -> bool:
        cls = ENUM_CLASS[type(key)]
        return (cls, None) in self.specs or (cls, str(key.value)) in self.specs

    def __repr__(self) -> str:
        names = sorted(CLASS_NAME[c] + (f":{s}" if s else "") for c, s in self.specs)
        return f"where.kind({', '.join(map(repr, names))})"


_ANY_ROLE: tuple[str | None, ...] = (*sorted(ROLE_NAMES), None)


@attrs.frozen
class _Actor(_Keyed):
    ids: frozenset[str]
    countries: frozenset[str]
    roles: frozenset[str]
    subordinates: bool
    facet = ACTORS

    def _unknown(self, ix: Index) -> Iterator[str]:
        return _missing(ix, "where.actor", self.ids, Actor)

    def _accepts(self, key: Any, res: Resolver) -> bool:
        a, role = key
        if self.roles and role not in self.roles:
            return False
        named = a in self.ids or (self.subordinates and res.actor_below(a, self.ids))
        if self.ids and not named:
            return False
        return not self.countries or res.actor_country(a) in self.countries

    def _hint(self) -> Iterable[Any] | None:
        if not self.ids or self.subordinates:
            return None
        return [(a, r) for a in self.ids for r in (self.roles or _ANY_ROLE)]

    def __repr__(self) -> str:
        args = [repr(a) for a in sorted(self.ids)]
        if self.countries:
            args.append(f"country={tuple(sorted(self.countries))!r}")
        if self.roles:
            args.append(f"role={tuple(sorted(self.roles))!r}")
        if self.subordinates:
            args.append("subordinates=True")
        return f"where.actor({', '.join(args)})"


@attrs.frozen
class _Place(_Keyed):
    ids: frozenset[str]
    countries: frozenset[str]
    inside: bool
    facet = PLACES

    def _unknown(self, ix: Index) -> Iterator[str]:
        return _missing(ix, "where.place", self.ids, Place)

    def _accepts(self, key: Any, res: Resolver) -> bool:
        named = key in self.ids or (self.inside and res.place_inside(key, self.ids))
        if self.ids and not named:
            return False
        return not self.countries or res.place_country.get(key) in self.countries

    def _hint(self) -> Iterable[Any] | None:
        return self.ids if self.ids and not self.inside else None

    def __repr__(self) -> str:
        args = [repr(p) for p in sorted(self.ids)]
        if self.countries:
            args.append(f"country={tuple(sorted(self.countries))!r}")
        if not self.inside:
            args.append("inside=False")
        return f"where.place({', '.join(args)})"


@attrs.frozen
class DateFilter(_Keyed):
    """``where.date``: a record passes when one of its dates is (possibly or certainly) in the window."""

    window: DateSpan
    certain: bool
    within: bool
    #: The window's possible and sure days.
    days: tuple[Interval, Interval | None] = attrs.field(init=False, eq=False, repr=False)
    facet = DATES

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "days", day_intervals(self.window))

    def certainty(self, when: When) -> Certainty:
        """How surely ``when`` falls in this window (overlaps it, or lies within it)."""
        return self._certainty(*day_intervals(when))

    def _certainty(self, possible: Interval, sure: Interval | None) -> Certainty:
        pw, cw = self.days
        return certainty_of(possible, sure, pw, cw, self.within)

    def accepts(self, when: When) -> bool:
        """Whether a date passes: certainly, or at least possibly, as the filter asks."""
        return self._accepts(when, None)

    def _accepts_days(self, possible: Interval, sure: Interval | None) -> bool:
        if self._meeting_is_enough():
            # Possibly overlapping: exactly when the possible days meet (certainty_of is NOT
            # then, and only then), which the index also answers in bulk by bisection.
            pw = self.days[0]
            return possible[0] <= pw[1] and pw[0] <= possible[1]
        c = self._certainty(possible, sure)
        return c is Certainty.CERTAINLY if self.certain else c is not Certainty.NOT

    def _meeting_is_enough(self) -> bool:
        return not self.certain and not self.within

    def _accepts(self, key: Any, res: Resolver | None) -> bool:
        return self._accepts_days(*day_intervals(key))

    def _ids(self, ix: Index) -> AbstractSet[int]:
        return frozenset(self.sorted_in(ix, DATED_CLASSES))

    def sorted_in(self, ix: Index, classes: Iterable[type[Any]]) -> list[int]:
        """The positions of the records of these classes that pass, ascending.

        The index gives the groups of records whose dates' possible days meet the window;
        the filter's rule is applied once per group (records with the same days).
        """
        lo, hi = self.days[0]
        out: list[int] = []
        for cls in RECORD_CLASSES:
            if cls not in classes or cls not in DATED_CLASSES:
                continue
            dates = ix.dates(cls)
            if self._meeting_is_enough():
                runs = dates.positions_meeting(lo, hi)
            else:
                runs = [positions for p, s, positions in dates.meeting(lo, hi) if self._accepts_days(p, s)]
            found = list(itertools.chain.from_iterable(runs))
            found.sort()  # one ascending run per group: merged rather than sorted from scratch
            if DATES.by_class[cls][1]:  # one date per record
                out += found
            else:  # a record with several dates in the window is listed once
                out += dict.fromkeys(found)
        return out

    def __repr__(self) -> str:
        s, e = self.window.start, self.window.end
        args = [repr(None if s is None else str(s)), repr(None if e is None else str(e))]
        if self.certain:
            args.append("certain=True")
        if self.within:
            args.append("within=True")
        return f"where.date({', '.join(args)})"


@attrs.frozen
class _Tag(_Keyed):
    tags: frozenset[str]
    facet = TAGS

    def _unknown(self, ix: Index) -> Iterator[str]:
        groups = ix.groups(TAGS)
        for t in sorted(self.tags):
            if t not in groups:
                yield f"where.tag: no record is tagged {t!r}"

    def _accepts(self, key: Any, res: Resolver) -> bool:
        return key in self.tags

    def _hint(self) -> Iterable[Any] | None:
        return self.tags

    def __repr__(self) -> str:
        return f"where.tag({', '.join(map(repr, sorted(self.tags)))})"


@attrs.frozen
class _Confidence(_Keyed):
    levels: frozenset[Confidence]
    facet = CONFIDENCE

    def _accepts(self, key: Any, res: Resolver) -> bool:
        return key in self.levels

    def __repr__(self) -> str:
        return f"where.confidence({', '.join(repr(c.value) for c in Confidence if c in self.levels)})"


@attrs.frozen
class _Text(Filter):
    query: str

    def _test(self, rec: Record, res: Resolver) -> bool:
        from .._search import fold, score, words

        return score(rec, fold(self.query), words(self.query)) > 0

    def _ids(self, ix: Index) -> AbstractSet[int]:
        # No index: every record is scored, with the same test.
        res = ix.resolver
        return frozenset(i for i, rec in enumerate(ix.records) if self._test(rec, res))

    def __repr__(self) -> str:
        return f"where.text({self.query!r})"


@attrs.frozen
class _Source(_Keyed):
    ids: frozenset[str]
    facet = SOURCES

    def _unknown(self, ix: Index) -> Iterator[str]:
        return _missing(ix, "where.source", self.ids, Source)

    def _accepts(self, key: Any, res: Resolver) -> bool:
        return key in self.ids

    def _hint(self) -> Iterable[Any] | None:
        return self.ids

    def __repr__(self) -> str:
        return f"where.source({', '.join(map(repr, sorted(self.ids)))})"


@attrs.frozen
class _Contested(_Keyed):
    facet = CONTESTED

    def _accepts(self, key: Any, res: Resolver) -> bool:
        return key is True

    def __repr__(self) -> str:
        return "where.contested()"


# --------------------------------------------------------------------------- constructors


def _strings(values: Iterable[str], what: str) -> frozenset[str]:
    out = frozenset(values)
    for v in out:
        if not isinstance(v, str) or not v:
            raise ValueError(f"{v!r} is not a valid {what}")
    return out


def _one_or_many(value: S | Iterable[S] | None) -> tuple[S, ...]:
    if value is None:
        return ()
    if isinstance(value, str):  # a string (or a string enum) is one value, not many
        return (value,)
    return tuple(value)


def kind_specs(kind: object) -> list[KindSpec]:
    if isinstance(kind, type) and kind in CLASS_NAME:
        return [(kind, None)]
    if isinstance(kind, enum.Enum) and type(kind) in ENUM_CLASS:
        return [(ENUM_CLASS[type(kind)], str(kind.value))]
    if not isinstance(kind, str):
        raise ValueError(f"{kind!r} is not a record kind or sub-kind")
    text = kind.strip().lower()
    if text in NAME_CLASS:
        return [(NAME_CLASS[text], None)]
    head, sep, tail = text.partition(":")
    if sep:
        cls = NAME_CLASS.get(head)
        if cls is None:
            raise ValueError(f"unknown record kind {head!r} in {kind!r} (expected one of {', '.join(PLURAL)})")
        if tail not in {str(m.value) for m in SUBKIND_ENUM[cls]}:
            known = ", ".join(str(m.value) for m in SUBKIND_ENUM[cls])
            raise ValueError(f"{tail!r} is not a kind of {head} (expected one of {known})")
        return [(cls, tail)]
    owners = SUBKIND_OWNERS.get(text)
    if not owners:
        raise ValueError(
            f"unknown kind {kind!r}: expected a record kind ({', '.join(PLURAL)}), a sub-kind such as "
            "'exercise' or 'agency', or 'record:sub-kind' such as 'event:drill'"
        )
    if len(owners) > 1:
        choices = " or ".join(f"'{CLASS_NAME[c]}:{text}'" for c in owners)
        raise ValueError(f"kind {kind!r} is ambiguous: say {choices}")
    return [(owners[0], text)]


def _window_bound(value: str | PartialDate | None, end: bool) -> PartialDate | None:
    if value is None:
        return None
    d = parse_date(value) if isinstance(value, str) else value
    if not isinstance(d, PartialDate):
        raise ValueError(f"{value!r} is not a date")
    if not d.exact:
        raise ValueError(f"{d}: a window's ends must be exact dates (no '~', '?' or '%')")
    month = d.month or (12 if end else 1)
    return PartialDate(year=d.year, month=month, day=d.day or (month_days(d.year, month) if end else 1))


class where:  # a namespace, read as "where.actor(...)"
    """Constructors of [`Filter`][sinotajik.Filter]s: ``where.kind``, ``where.actor``, ``where.date``...

    Each returns an immutable filter; combine them with ``&`` (both), ``|`` (either) and
    ``~`` (not) and apply them with [`select`][sinotajik.select]::

        f = where.kind("exercise", "drill") & where.actor(country="CHN") & where.date("2016", "2019")
        exercises = select(ds, f, kind=Event)

    Values given to one constructor are alternatives: ``where.tag("police", "border")``
    keeps records with either tag. Each constructor's docstring says what it keeps.
    """

    def __init__(self) -> None:  # pragma: no cover - never instantiated
        raise TypeError("where is a namespace of filter constructors, e.g. where.kind('event')")

    @staticmethod
    def kind(*kinds: str | type[Any] | enum.Enum) -> Filter:
        """Records of any of these kinds or sub-kinds.

        Args:
            kinds: record kinds (``"event"``, ``"events"``, [`Event`][sinotajik.Event]), sub-kinds
                (``"exercise"``, ``"agency"``, ``"region"`` for places, ``EventKind.DRILL``)
                or ``"record:sub-kind"`` (``"event:drill"``).

        Raises:
            ValueError: an unknown or ambiguous kind, or none at all.
        """
        if not kinds:
            raise ValueError("where.kind() needs at least one kind")
        specs: set[KindSpec] = set()
        for k in kinds:
            specs.update(kind_specs(k))
        return _Kind(frozenset(specs))

    @staticmethod
    def actor(
        *ids: str,
        country: str | Iterable[str] | None = None,
        role: str | Role | Iterable[str | Role] | None = None,
        subordinates: bool = False,
    ) -> Filter:
        """Records that name an actor matching every condition given.

        An event names its participants, an agreement its parties, a facility its funders,
        builders, operators and owners; every record also names the authors of its claims
        (role ``claimant``); an actor record names itself (with no role).

        Args:
            ids: actor ids; the record names one of them (any, when none is given).
            country: ISO 3166-1 alpha-3 codes; the actor counts for one of these states: its
                own ``country``, or else its nearest ``parent``'s. So ``country="CHN"``
                matches China's Ministry of Public Security as well as China.
            role: the actor's role: a [`Role`][sinotajik.Role] (``host``, ``participant``...), a
                facility role (``funder``, ``builder``, ``operator``, ``owner``) or
                ``claimant``.
            subordinates: with ids, also match actors below them in the ``parent`` chain
                (a state's agencies, a ministry's units): an agency counts for its state.

        Raises:
            ValueError: an unknown role or an empty value.
        """
        roles: set[str] = set()
        for r in _one_or_many(role):
            name = str(r.value) if isinstance(r, Role) else str(r).strip().lower()
            if name not in ROLE_NAMES:
                raise ValueError(f"unknown role {r!r} (expected one of {', '.join(sorted(ROLE_NAMES))})")
            roles.add(name)
        return _Actor(
            _strings(ids, "actor id"),
            _strings(_one_or_many(country), "country code"),
            frozenset(roles),
            bool(subordinates),
        )

    @staticmethod
    def place(*ids: str, country: str | Iterable[str] | None = None, inside: bool = True) -> Filter:
        """Records located at a place matching every condition given.

        Args:
            ids: place ids; the record's place is one of them (any, when none is given).
            country: ISO 3166-1 alpha-3 codes of the countries the place lies in.
            inside: also match places inside the given ones (a district of a region, a range
                within a district), following ``within`` chains. True by default.
        """
        return _Place(_strings(ids, "place id"), _strings(_one_or_many(country), "country code"), bool(inside))

    @staticmethod
    def date(
        start: str | PartialDate | None = None,
        end: str | PartialDate | None = None,
        *,
        certain: bool = False,
        within: bool = False,
    ) -> Filter:
        """Records with a date in the window from ``start`` to ``end`` (both included).

        The window runs from the first day of ``start`` to the last day of ``end``
        (``date("2016", "2019")`` is 1 Jan 2016 to 31 Dec 2019); either end may be left
        open. A record's dates are tested with the honest-date semantics of
        the *Dates and precision* page: a date known only to the year 2016 is *possibly* in a
        window from June 2016, and *certainly* in one covering all of 2016. An agreement or
        facility passes when one of its dated steps does.

        Args:
            start: the first day, month or year of the window (``None``: open).
            end: the last day, month or year of the window (``None``: open).
            certain: keep only records certainly in the window (default: possibly).
            within: a span must lie wholly inside the window; by default it passes when it
                overlaps the window (an exercise running across the window's start counts).

        Raises:
            ValueError: a bad date, an approximate end, no end at all, or start after end.
        """
        if start is None and end is None:
            raise ValueError("a date window needs a start, an end or both")
        lo = _window_bound(start, end=False)
        hi = _window_bound(end, end=True)
        if lo is not None and hi is not None and lo._first_day() > hi._first_day():
            raise ValueError(f"the window starts ({start}) after it ends ({end})")
        return DateFilter(DateSpan(start=lo, end=hi), bool(certain), bool(within))

    @staticmethod
    def tag(*tags: str) -> Filter:
        """Records carrying any of these tags (``counter-terrorism``, ``police``...)."""
        if not tags:
            raise ValueError("where.tag() needs at least one tag")
        return _Tag(_strings(tags, "tag"))

    @staticmethod
    def confidence(*levels: str | Confidence, at_least: str | Confidence | None = None) -> Filter:
        """Events, agreements and facilities with one of these confidences, or at least one.

        ``where.confidence("high")`` keeps high only; ``where.confidence(at_least="medium")``
        keeps medium and high.

        Raises:
            ValueError: an unknown level, or neither levels nor ``at_least``.
        """
        order = [Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH]

        def level(v: str | Confidence) -> Confidence:
            try:
                return Confidence(str(v.value) if isinstance(v, Confidence) else str(v).strip().lower())
            except ValueError:
                raise ValueError(f"unknown confidence {v!r} (expected low, medium or high)") from None

        chosen = {level(v) for v in levels}
        if at_least is not None:
            chosen.update(order[order.index(level(at_least)) :])
        if not chosen:
            raise ValueError("where.confidence() needs levels or at_least")
        return _Confidence(frozenset(chosen))

    @staticmethod
    def text(query: str) -> Filter:
        """Records whose names, aliases, titles or summaries contain every word of ``query``.

        Case- and accent-insensitive, in every script: ``where.text("border post")``,
        ``where.text("赵克志")``, ``where.text("vakhon")``. Words are matched as parts of the
        text (``"exercis"`` matches ``exercises``); a source is searched by title, publisher
        and author, every record by its id too. [`Dataset.find`][sinotajik.Dataset.find] ranks the matches.

        Raises:
            ValueError: a query with no letters or digits.
        """
        from .._search import words

        if not isinstance(query, str) or not words(query):
            raise ValueError(f"where.text() needs words to look for, not {query!r}")
        return _Text(query)

    @staticmethod
    def source(*ids: str) -> Filter:
        """Records citing any of these sources anywhere (a source record cites itself)."""
        if not ids:
            raise ValueError("where.source() needs at least one source id")
        return _Source(_strings(ids, "source id"))

    @staticmethod
    def contested() -> Filter:
        """Records whose claims disagree.

        A record is contested when one of its claims denies or disputes, or when two of its
        claims are about the same thing (``about``): the curators keep each version of a
        contested fact as a claim of its own.
        """
        return _Contested()
