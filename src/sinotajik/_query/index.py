"""The lazy index [`select`][sinotajik.select] answers filters from on a Dataset.

Records are numbered by their position in the dataset (actors, places, sources, events,
agreements, facilities, each by id), so each record class is a run of positions and an
answer is put back in dataset order by sorting integers. The index groups positions by the
very keys a filter's test reads from one record (the facets of ``facts``): a filter is
answered by testing each distinct key once, with the filter's own rule, and joining the
positions of the keys it accepts. Each facet is grouped on first use, column by column, in
one pass; dates are grouped by distinct date, each date's days computed once.

One index per Dataset, kept in a registry keyed by a weak reference to the dataset: it is
never part of the dataset's fields (``attrs.asdict``, ``attrs.evolve``), cannot be passed
in, and a dataset is immutable, so it never goes stale.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, TypeVar, Union

from .._dates import When, day_intervals
from .._model import Record
from .facts import DATES, NAME_CLASS, Facet
from .resolve import Resolver

if TYPE_CHECKING:
    from .._dataset import Dataset

T = TypeVar("T")

Interval = tuple[int, int]
"""Possible or sure days, as ordinals."""

EMPTY: frozenset[Any] = frozenset()

# Dates are kept in buckets by how many days they may span; within a bucket, sorted by first
# possible day, a window's candidates lie between two bisections: those starting at most the
# bucket's longest span before the window, and not after its end.
_BUCKET_LIMITS = (0, 31, 92, 400, 1200)

_ID = operator.attrgetter("id")

#: How many date groups a block of the date index merges.
_BLOCK = 16

#: How many answers of single filters an index remembers (a filter is hashable; an answer
#: may hold a position for most of the records, so only the last few are kept).
_ANSWERS_KEPT = 32


Days = tuple[Interval, Union[Interval, None]]
"""A date's possible days and sure days (``None``: none are sure), as ``day_intervals`` gives them."""


class DateIndex:
    """The records of one class grouped by the days their dates may cover, sorted for bisection.

    Records whose dates cover the same possible and sure days form one group, its positions
    ascending; each distinct date's days are computed once. Groups are kept in buckets by
    how many days they may span, each bucket sorted by first possible day: the groups meeting
    a window lie between two bisections (those starting at most the bucket's longest span
    before the window, and not after its end).
    """

    def __init__(self, recs: tuple[Any, ...], start: int, fn: Callable[[Any], Any], single: bool) -> None:
        days_of: dict[int, Days] = {}  # by the date object: equal dates parsed once are one object
        groups: dict[Days, list[int]] = {}

        by_value: dict[When, Days] = {}  # equal dates parsed apart: their days computed once

        def days(d: When) -> Days:
            got = days_of.get(id(d))
            if got is None:
                got = by_value.get(d)
                if got is None:
                    got = by_value[d] = day_intervals(d)
                days_of[id(d)] = got
            return got

        if single:
            # Column-wise: each record's date object, each distinct object's group once, then
            # one pass appending positions to their group's list.
            dates = list(map(fn, recs))
            lists: list[list[int]] = []
            slot: dict[int, int] = {}  # date object id -> the index of its group's list
            numbered: dict[Days, int] = {}
            for d in {id(d): d for d in dates if d is not None}.values():
                k = days(d)
                n = numbered.get(k)
                if n is None:
                    n = numbered[k] = len(lists)
                    lists.append(groups.setdefault(k, []))
                slot[id(d)] = n
            at = slot.get
            for i, n in enumerate(map(at, map(id, dates)), start):
                if n is not None:
                    lists[n].append(i)
        else:
            get = groups.get
            for i, value in enumerate(map(fn, recs), start):
                for d in value:
                    k = days(d)
                    got = get(k)
                    if got is None:
                        groups[k] = [i]
                    elif got[-1] != i:
                        got.append(i)
        buckets: list[list[tuple[int, int, Interval | None, list[int]]]] = [[] for _ in range(len(_BUCKET_LIMITS) + 1)]
        for ((lo, hi), sure), positions in groups.items():
            buckets[bisect.bisect_left(_BUCKET_LIMITS, hi - lo)].append((lo, hi, sure, positions))
        self.buckets: list[tuple[int, list[int], list[int], list[Interval | None], list[list[int]]]] = []
        #: For each bucket, every run of ``_BLOCK`` groups (in bucket order) merged into one
        #: ascending list, with the fewest days any of them reaches: a window meeting every group
        #: of a block takes the block as one run, so an answer merges few runs.
        self.blocks: list[tuple[list[list[int]], list[int]]] = []
        for b in buckets:
            if b:
                b.sort(key=lambda x: x[0])
                longest = max(hi - lo for lo, hi, _, _ in b)
                columns = ([x[0] for x in b], [x[1] for x in b], [x[2] for x in b], [x[3] for x in b])
                self.buckets.append((longest, *columns))
                merged = [
                    sorted(itertools.chain.from_iterable(columns[3][j : j + _BLOCK])) for j in range(0, len(b), _BLOCK)
                ]
                self.blocks.append((merged, [min(columns[1][j : j + _BLOCK]) for j in range(0, len(b), _BLOCK)]))

    def meeting(self, lo: int, hi: int) -> Iterator[tuple[Interval, Interval | None, list[int]]]:
        """``(possible days, sure days, positions)`` of each group whose possible days meet ``lo..hi``."""
        for longest, los, his, sure, positions in self.buckets:
            first = bisect.bisect_left(los, lo - longest)
            last = bisect.bisect_right(los, hi, first)
            for i in range(first, last):
                if his[i] >= lo:
                    yield (los[i], his[i]), sure[i], positions[i]

    def positions_meeting(self, lo: int, hi: int) -> list[list[int]]:
        """The positions of the groups whose possible days meet ``lo..hi``, as a few ascending runs."""
        out: list[list[int]] = []
        for (longest, los, his, _, positions), (merged, reach) in zip(self.buckets, self.blocks, strict=True):
            first = bisect.bisect_left(los, lo - longest)
            last = bisect.bisect_right(los, hi, first)
            # Groups from ``first`` to ``last`` start before the window ends; those starting
            # before it must reach it. A whole block inside the range whose every group reaches
            # the window is taken as it is.
            i = first
            while i < last:
                j = i // _BLOCK
                if i % _BLOCK == 0 and i + _BLOCK <= last and reach[j] >= lo:
                    out.append(merged[j])
                    i += _BLOCK
                    continue
                end = min(last, (j + 1) * _BLOCK)
                out += [positions[k] for k in range(i, end) if his[k] >= lo]
                i = end
        return out


def _group(recs: Iterable[Any], start: int, fn: Callable[[Any], Any], single: bool, out: dict[Any, list[int]]) -> None:
    """Add each record's positions under its keys: one pass, positions ascending, no repeats."""
    get = out.get
    if single:
        for i, k in enumerate(map(fn, recs), start):
            if k is None:
                continue
            got = get(k)
            if got is None:
                out[k] = [i]
            else:
                got.append(i)
        return
    for i, ks in enumerate(map(fn, recs), start):
        for k in ks:
            got = get(k)
            if got is None:
                out[k] = [i]
            elif got[-1] != i:
                got.append(i)


class Index:
    """Everything [`select`][sinotajik.select] needs to answer a filter on a Dataset without a full scan.

    Each part is built on first use, for the filters that need it, from the record columns
    of the dataset.
    """

    def __init__(self, ds: Dataset) -> None:
        from .._serialize import KINDS

        self.records: list[Record] = []
        self.columns: list[tuple[type[Any], tuple[Any, ...], int]] = []
        self.ranges: dict[type[Any], range] = {}
        for kind in KINDS:
            recs: tuple[Any, ...] = getattr(ds, kind)
            cls = NAME_CLASS[kind]
            start = len(self.records)
            self.columns.append((cls, recs, start))
            self.ranges[cls] = range(start, start + len(recs))
            self.records += recs
        self.resolver = Resolver(itertools.chain(ds.actors, ds.places))
        self._groups: dict[str, dict[Any, list[int]]] = {}
        self._sets: dict[tuple[str, Hashable], frozenset[int]] = {}
        self._dates: dict[type[Any], DateIndex] = {}
        self._answers: dict[Hashable, AbstractSet[int]] = {}
        self._all: frozenset[int] | None = None

    def lookup(self, rid: str) -> Record | None:
        """The record with this id, or ``None`` (each collection is sorted by id: bisection).

        The index keeps no reference to its dataset, which the registry must let die.
        """
        for _, recs, _ in self.columns:
            i = bisect.bisect_left(recs, rid, key=_ID)
            if i < len(recs) and recs[i].id == rid:
                return recs[i]  # type: ignore[no-any-return]
        return None

    @property
    def all_ids(self) -> AbstractSet[int]:
        """Every position."""
        if self._all is None:
            self._all = frozenset(range(len(self.records)))
        return self._all

    def groups(self, facet: Facet) -> dict[Any, list[int]]:
        """The positions of the records having each key of a facet (a record may be listed twice)."""
        got = self._groups.get(facet.name)
        if got is None:
            got = self._groups[facet.name] = {}
            for cls, recs, start in self.columns:
                how = facet.by_class.get(cls)
                if how is not None:
                    _group(recs, start, how[0], how[1], got)
        return got

    def positions(self, facet: Facet, key: Hashable) -> AbstractSet[int]:
        """The positions of the records having one key, as a set (made once, on first use)."""
        got = self._sets.get((facet.name, key))
        if got is None:
            got = self._sets[(facet.name, key)] = frozenset(self.groups(facet).get(key, ()))
        return got

    def union_of(self, facet: Facet, keys: list[Hashable]) -> AbstractSet[int]:
        """The positions of the records having any of these keys."""
        if not keys:
            return EMPTY
        if len(keys) == 1:
            return self.positions(facet, keys[0])
        groups = self.groups(facet)
        return frozenset(itertools.chain.from_iterable(groups[k] for k in keys))

    def answer(self, f: Hashable, compute: Callable[[], AbstractSet[int]]) -> AbstractSet[int]:
        """The answer of a single filter, remembered (for the last few distinct filters)."""
        got = self._answers.get(f)
        if got is None:
            got = compute()
            if len(self._answers) >= _ANSWERS_KEPT:
                del self._answers[next(iter(self._answers))]
            self._answers[f] = got
        return got

    def dates(self, cls: type[Any]) -> DateIndex:
        """The date index of one record class."""
        got = self._dates.get(cls)
        if got is None:
            fn, single = DATES.by_class[cls]
            recs, start = next((recs, start) for c, recs, start in self.columns if c is cls)
            got = self._dates[cls] = DateIndex(recs, start, fn, single)
        return got


class _Registry:
    """Each live Dataset's index, keyed by a weak reference: dropped with the dataset."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[Dataset], Index]] = {}

    def get(self, ds: Dataset) -> Index:
        key = id(ds)
        got = self._entries.get(key)
        if got is not None and got[0]() is ds:
            return got[1]
        ix = Index(ds)
        entries = self._entries
        self._entries[key] = (weakref.ref(ds, lambda _: entries.pop(key, None)), ix)
        return ix


_REGISTRY = _Registry()


def index_of(ds: Dataset) -> Index:
    """The index of a Dataset, built on first use and kept while the dataset lives."""
    return _REGISTRY.get(ds)


def union(sets: Iterable[AbstractSet[T]]) -> AbstractSet[T]:
    """The union of index sets; a single set is returned as it is, without a copy.

    Callers only read what ``_ids`` returns, so the index's own sets can be handed out.
    """
    parts = [x for x in sets if x]
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    return frozenset().union(*parts)
