"""The immutable Dataset: records by kind, an id index, its version and checksum."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, overload

import attrs

from ._dates import PartialDate
from ._errors import DataError, Problem
from ._integrity import check_document
from ._model import Actor, Agreement, Event, Facility, Place, Record, Source
from ._serialize import KINDS, SCHEMA, Document, canonical_json

__all__ = ["Dataset"]

_CLASS_KIND = {cls: kind for kind, cls in KINDS.items()}


def _by_id(records: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(records, key=lambda r: r.id))


@attrs.frozen(eq=False)
class Dataset:
    """An immutable, checked set of records: what :func:`sinotajik.load` returns.

    Each collection is a tuple sorted by id. Build one from records of your own with
    :meth:`from_records`; it is checked the same way as a file (ids, references, citations).

    Attributes:
        version: the dataset version (a CalVer such as ``2026.11.0`` for bundled releases).
        actors, places, sources, events, agreements, facilities: the records, by kind.
    """

    version: str
    actors: tuple[Actor, ...]
    places: tuple[Place, ...]
    sources: tuple[Source, ...]
    events: tuple[Event, ...]
    agreements: tuple[Agreement, ...]
    facilities: tuple[Facility, ...]
    _index: Mapping[str, Record] = attrs.field(repr=False, alias="_index")
    _cache: dict[str, Any] = attrs.field(repr=False, alias="_cache", factory=dict)

    # ------------------------------------------------------------------ construction

    @classmethod
    def _from_document(cls, doc: Document, *, check: bool = True, sha256: str | None = None) -> Dataset:
        if check:
            problems = check_document(doc)
            if problems:
                raise DataError(problems)
        cols = {kind: _by_id(getattr(doc, kind)) for kind in KINDS}
        index: dict[str, Record] = {}
        for recs in cols.values():
            for r in recs:
                index[r.id] = r
        ds = cls(version=doc.version, _index=index, **cols)  # type: ignore[arg-type]
        if sha256 is not None:
            ds._cache["sha256"] = sha256
        return ds

    @classmethod
    def from_records(cls, records: Iterable[Record], *, version: str = "unreleased") -> Dataset:
        """A checked Dataset from any records (e.g. a filtered selection plus your own).

        Raises:
            DataError: listing every id, reference or citation problem with its path.
        """
        cols: dict[str, list[Any]] = {kind: [] for kind in KINDS}
        for r in records:
            kind = _CLASS_KIND.get(type(r))
            if kind is None:
                raise DataError([Problem("", f"{type(r).__name__} is not a record type")])
            cols[kind].append(r)
        doc = Document(schema=SCHEMA, version=version, **{k: tuple(v) for k, v in cols.items()})
        return cls._from_document(doc)

    def to_document(self) -> Document:
        """The wire-level document of this dataset (what the canonical JSON is made from)."""
        return Document(schema=SCHEMA, version=self.version, **{k: getattr(self, k) for k in KINDS})

    # ------------------------------------------------------------------ identity

    @property
    def sha256(self) -> str:
        """The SHA-256 (hex) of the dataset's canonical JSON bytes."""
        if "sha256" not in self._cache:
            self._cache["sha256"] = hashlib.sha256(canonical_json(self.to_document())).hexdigest()
        value: str = self._cache["sha256"]
        return value

    def __eq__(self, other: object) -> bool:
        """Datasets are equal when their versions and records are equal."""
        if not isinstance(other, Dataset):
            return NotImplemented
        return self.version == other.version and all(getattr(self, k) == getattr(other, k) for k in KINDS)

    def __hash__(self) -> int:
        """Hash by version and record counts (records are compared on equality)."""
        return hash((self.version, *(len(getattr(self, k)) for k in KINDS)))

    # ------------------------------------------------------------------ access

    @overload
    def get(self, id: str) -> Record: ...
    @overload
    def get(self, id: str, default: Any, /) -> Record | Any: ...

    def get(self, id: str, *args: Any) -> Record | Any:
        """The record with this id.

        Raises:
            KeyError: when there is none and no default is given.
        """
        try:
            return self._index[id]
        except KeyError:
            if args:
                return args[0]
            raise KeyError(f"no record with id {id!r} in dataset {self.version}") from None

    def __contains__(self, id: object) -> bool:
        """True when a record with this id is in the dataset."""
        return id in self._index

    def __iter__(self) -> Iterator[Record]:
        """Every record: actors, places, sources, events, agreements, then facilities."""
        for kind in KINDS:
            yield from getattr(self, kind)

    def __len__(self) -> int:
        """The number of records of every kind."""
        return len(self._index)

    def _repr_html_(self) -> str:
        """Jupyter's view: version, checksum and the records of each kind, in a small table."""
        from ._notebook import dataset_html

        return dataset_html(self)

    def counts(self) -> dict[str, int]:
        """The number of records of each kind, in document order."""
        return {kind: len(getattr(self, kind)) for kind in KINDS}

    # ------------------------------------------------------------------ knowledge time

    def as_of(self, date: str | PartialDate, *, keep_undated: bool = False) -> Dataset:
        """What an analyst could have known on ``date``: only what the cited sources had published.

        ``ds.as_of("2019-01-01")`` applies these rules and returns a new, checked dataset
        versioned ``<version>+as-of-<date>``:

        * **Sources** are *known* when certainly published by the end of ``date``
          (:func:`sinotajik.published_by`: ``2018-12`` is published by ``2019-01-01``, ``2019``
          is not). Sources with no publication date are not known — nothing shows they were
          out by then — unless ``keep_undated=True``.
        * An **event, agreement or facility** is kept when at least one of its own
          (record-level) citations is to a known source. Every citation in it is then cut to
          the known sources; a claim, quantity, milestone, provision, history step or count
          left with no citation is dropped, and so are links to agreements and facilities that
          were not kept. When the only milestones (history steps) giving an agreement's
          (facility's) ``status`` are dropped, the status becomes that of the latest surviving
          dated one, if any. Titles, summaries and dates are not rewritten.
        * An **actor or place** is kept when one of its own citations is to a known source,
          or when a kept record names it (participant, party, place, claim author, parent,
          containing place, organisation of a kept position). Its citations are cut to the
          known sources when any remain. One kept *only* because a kept record names it keeps
          its citations as they are, since every record needs one: those are the only
          citations of later sources that can remain, and such sources stay in the result for
          that reason alone. Positions whose citations all came later are dropped.

        Args:
            date: the day (``"2019-01-01"``); a month or a year means its last day.
            keep_undated: treat sources with no publication date as published by then.

        Raises:
            ValueError: a bad or approximate date.
        """
        from ._query import as_of

        return as_of(self, date, keep_undated=keep_undated)
