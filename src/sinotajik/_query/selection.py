"""Selecting records: [`select`][sinotajik.select] (by filter) and ``find`` (by name)."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .._document import is_dataset
from .._model import Record
from .facts import CLASS_NAME, RECORD_CLASSES
from .filters import Filter, _Kind, _Text, reject_unknown, where
from .index import index_of
from .resolve import Resolver

if TYPE_CHECKING:
    from .._dataset import Dataset

R = TypeVar("R", bound=Record)


@overload
def select(
    records: Iterable[Record],
    matching: Filter | None = None,
    *,
    kind: type[R],
    context: Dataset | Iterable[Record] | None = None,
) -> list[R]: ...
@overload
def select(
    records: Iterable[R],
    matching: Filter | None = None,
    *,
    kind: None = None,
    context: Dataset | Iterable[Record] | None = None,
) -> list[R]: ...


def select(
    records: Iterable[Any],
    matching: Filter | None = None,
    *,
    kind: type[Any] | None = None,
    context: Dataset | Iterable[Record] | None = None,
) -> list[Any]:
    """The records that pass a filter, in the order of the input.

    Args:
        records: a [`Dataset`][sinotajik.Dataset] (answered from its cached index, in dataset
            order) or any iterable of records (tested one by one, in its order).
        matching: a filter built with [`where`][sinotajik.where]; ``None`` keeps every record.
        kind: a record class ([`Event`][sinotajik.Event]...): keep only records of that class,
            and type the result accordingly (``list[Event]``).
        context: for a plain iterable, the records that resolve actors' parents and
            countries and places' ``within`` chains (a Dataset, or any records); by default
            the input records themselves. Ignored for a Dataset, which resolves its own.

    Returns:
        A new list; the same answer whichever path is taken.

    Raises:
        ValueError: ``records`` (or ``context``) is a Dataset without an actor, place or
            source the filter names, or without a record carrying a tag it names: a typo is
            an error, not an empty result.
        TypeError: ``kind`` is not a record class.
    """
    if kind is not None and kind not in CLASS_NAME:
        raise TypeError(f"kind must be a record class ({', '.join(c.__name__ for c in RECORD_CLASSES)}), not {kind!r}")
    if kind is not None:
        matching = _Kind(frozenset({(kind, None)})) if matching is None else _Kind(frozenset({(kind, None)})) & matching
    if is_dataset(records):
        if matching is None:
            return list(records)
        ix = index_of(records)
        reject_unknown(matching, ix, records.version)
        positions = matching._positions(ix)
        if len(positions) < 2:
            return [ix.records[i] for i in positions]
        return list(operator.itemgetter(*positions)(ix.records))
    recs = list(records)
    if matching is None:
        return recs
    if is_dataset(context):
        cix = index_of(context)
        reject_unknown(matching, cix, context.version)
        res = cix.resolver
    else:
        res = Resolver(recs if context is None else context)
    return [r for r in recs if matching._test(r, res)]


def find(records: Iterable[Record], text: str, *, kind: type[Any] | None = None) -> list[Any]:
    """The records matching ``text`` (see [`where.text`][sinotajik.where.text]), best match first.

    Raises:
        ValueError: a query with no letters or digits.
        TypeError: ``kind`` is not a record class.
    """
    from .._search import rank

    f = where.text(text)  # checks the query
    assert isinstance(f, _Text)
    if kind is not None and kind not in CLASS_NAME:
        raise TypeError(f"kind must be a record class ({', '.join(c.__name__ for c in RECORD_CLASSES)}), not {kind!r}")
    recs = records if kind is None else (r for r in records if type(r) is kind)
    return [r for _, r in rank(recs, text)]
