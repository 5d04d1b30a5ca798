"""The sealed Dataset: records by kind, an id index, its version and checksum.

A Dataset is *sealed*: its derived state (the id index, the checksum, the query caches) is
not an argument of the constructor, so neither a caller nor `attrs.evolve` can pass in
or copy a stale one. Building one — ``Dataset(version=..., events=...)``, ``attrs.evolve``,
[`Dataset.from_records`][sinotajik.Dataset.from_records] — always sorts each collection by id and runs every integrity
check; only bundled releases, already checked in CI and verified by their checksum, are
built without the checks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, TypeVar, overload

import attrs

from ._converter import shown
from ._dates import PartialDate
from ._document import KINDS, SCHEMA, SINGULAR, Document
from ._errors import DataError, Problem
from ._integrity import check_document
from ._model import Actor, Agreement, Event, Facility, Place, Record, Source
from ._serialize import canonical_json, document_dict, read_document

__all__ = ["Dataset"]

_CLASS_KIND = {cls: kind for kind, cls in KINDS.items()}

R = TypeVar("R", Actor, Place, Source, Event, Agreement, Facility)
D = TypeVar("D")

_NO_DEFAULT: Any = object()


def _by_id(records: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(records, key=lambda r: r.id))


def _wrong_kind(kind: str, i: int, rec: object) -> Problem:
    return Problem(f"{kind}[{i}]", f"is {_a(type(rec).__name__)}, not {_a(KINDS[kind].__name__)}")


class _Derived:
    """What a Dataset computes from its records on demand (its checksum), held by that dataset alone.

    Not a constructor argument, not compared, not copied by ``attrs.evolve`` (which builds a
    new dataset, and so a new holder); a dataset never changes, so it never goes stale.
    """

    __slots__ = ("sha256",)

    def __init__(self, sha256: str | None = None) -> None:
        self.sha256 = sha256


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Dataset:
    """An immutable, checked set of records: what [`sinotajik.load`][sinotajik.load] returns.

    Each collection is a tuple sorted by id. Build one from records of your own with
    [`from_records`][sinotajik.Dataset.from_records] (or ``Dataset(version=..., events=(...), ...)``); it is checked the
    same way as a file (ids, references, citations), and so is every copy made with
    `attrs.evolve`. The id index and the checksum are derived, never passed in.

    Two datasets are equal when their versions and every collection are equal.
    [`sinotajik.to_dict`][sinotajik.to_dict] gives the canonical document (``{"schema": 1, "version": ...,
    "actors": [...], ...}``).

    Attributes:
        version: the dataset version (a CalVer such as ``2026.11.0`` for bundled releases;
            ``2026.11.2+mine`` for a file of your own on a bundled release).
        actors: the records, by kind.
        places: the records, by kind.
        sources: the records, by kind.
        events: the records, by kind.
        agreements: the records, by kind.
        facilities: the records, by kind.

    Raises:
        DataError: when built from records that fail the integrity checks.
    """

    version: str
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    sources: tuple[Source, ...] = ()
    events: tuple[Event, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    facilities: tuple[Facility, ...] = ()
    _index: Mapping[str, Record] = attrs.field(init=False, eq=False, repr=False)
    _derived: _Derived = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not isinstance(self.version, str):
            raise TypeError(f"version must be a string, not {type(self.version).__name__}")
        for kind, cls in KINDS.items():
            recs = getattr(self, kind)
            if isinstance(recs, (str, bytes)) or not isinstance(recs, Iterable):
                raise TypeError(f"{kind} must be an iterable of {cls.__name__}, not {type(recs).__name__}")
            recs = tuple(recs)
            problems.extend(_wrong_kind(kind, i, r) for i, r in enumerate(recs) if type(r) is not cls)
            object.__setattr__(self, kind, recs)
        if problems:
            raise DataError(problems)
        problems = check_document(self.to_document())
        if problems:
            raise DataError(problems)
        for kind in KINDS:
            object.__setattr__(self, kind, _by_id(getattr(self, kind)))
        self._seal()

    def _seal(self, sha256: str | None = None) -> None:
        """Build the derived state (the id index, the checksum holder) from the collections."""
        index: dict[str, Record] = {}
        for kind in KINDS:
            for r in getattr(self, kind):
                index[r.id] = r
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_derived", _Derived(sha256))

    # ------------------------------------------------------------------ construction

    @classmethod
    def _from_document(cls, doc: Document, *, check: bool = True, sha256: str | None = None) -> Dataset:
        if check:
            problems = check_document(doc)
            if problems:
                raise DataError(problems)
        # The records are checked (or a bundled release, checked in CI and by its checksum):
        # build without running the checks a second time.
        ds: Dataset = object.__new__(cls)
        object.__setattr__(ds, "version", doc.version)
        for kind in KINDS:
            object.__setattr__(ds, kind, _by_id(getattr(doc, kind)))
        ds._seal(sha256)
        return ds

    @classmethod
    def from_records(cls, records: Iterable[Record], *, version: str = "unreleased") -> Dataset:
        """A checked Dataset from any records (e.g. a filtered selection plus your own).

        Raises:
            DataError: listing every id, reference or citation problem with its path.
        """
        return cls._from_document(cls._records_document(records, version))

    def _to_wire(self) -> dict[str, Any]:
        """The canonical document as plain data (the converter's unstructured form)."""
        return document_dict(self.to_document())

    @classmethod
    def _from_wire(cls, data: Mapping[str, Any]) -> Dataset:
        """A checked Dataset from a document given as plain data (the converter's structure hook)."""
        return cls._from_document(read_document(data)[0])

    def to_document(self) -> Document:
        """The wire-level document of this dataset (what the canonical JSON is made from)."""
        return Document(schema=SCHEMA, version=self.version, **{k: getattr(self, k) for k in KINDS})

    # ------------------------------------------------------------------ identity

    @property
    def sha256(self) -> str:
        """The SHA-256 (hex) of the dataset's canonical JSON bytes."""
        derived = self._derived
        if derived.sha256 is None:
            derived.sha256 = hashlib.sha256(canonical_json(self.to_document())).hexdigest()
        return derived.sha256

    def __eq__(self, other: object) -> bool:
        """Datasets are equal when their versions and all their collections are equal."""
        if not isinstance(other, Dataset):
            return NotImplemented
        if self is other:
            return True
        return all(getattr(self, f.name) == getattr(other, f.name) for f in _COMPARED)

    def __ne__(self, other: object) -> bool:
        """The negation of ``==``."""
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        """Hash by version and record counts (records are compared on equality)."""
        return hash((self.version, *(len(getattr(self, k)) for k in KINDS)))

    def __repr__(self) -> str:
        """One line: version, counts and a short checksum (never the records)."""
        counts = " ".join(f"{k}={n}" for k, n in self.counts().items())
        return f"<Dataset {self.version} ({len(self)} records: {counts}) sha256 {self.sha256[:12]}…>"

    # ------------------------------------------------------------------ access

    @overload
    def get(self, id: str, /) -> Record: ...
    @overload
    def get(self, id: str, /, *, kind: type[R]) -> R: ...
    @overload
    def get(self, id: str, default: None, /) -> Record | None: ...
    @overload
    def get(self, id: str, default: D, /) -> Record | D: ...
    @overload
    def get(self, id: str, default: D, /, *, kind: type[R]) -> R | D: ...

    def get(self, id: str, default: Any = _NO_DEFAULT, /, *, kind: type[Any] | None = None) -> Any:
        """The record with this id; with ``kind``, typed as that class and checked to be one.

        ``ds.get("fac-vakhon-base", kind=Facility)`` is typed [`Facility`][sinotajik.Facility];
        ``ds.get(rid, None)`` is ``Record | None``.

        Args:
            id: the record's id.
            default: returned when there is no record with this id (else ``KeyError``).
            kind: the record class expected (one of the values of
                [`RECORD_KINDS`][sinotajik.RECORD_KINDS]).

        Raises:
            KeyError: when there is no such record and no default is given.
            TypeError: when the record is of another kind than ``kind``.
        """
        rec = self._index.get(id)
        if rec is None:
            if default is not _NO_DEFAULT:
                return default
            raise KeyError(f"no record with id {shown(id)} in dataset {self.version}")
        if kind is not None and type(rec) is not kind:
            if kind not in _CLASS_KIND:
                raise TypeError(f"kind must be a record class, not {kind!r}")
            raise TypeError(
                f"{shown(id)} is {_a(SINGULAR[_CLASS_KIND[type(rec)]])}, not {_a(SINGULAR[_CLASS_KIND[kind]])}"
            )
        return rec

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

    @overload
    def find(self, text: str) -> list[Record]: ...
    @overload
    def find(self, text: str, *, kind: type[R]) -> list[R]: ...

    def find(self, text: str, *, kind: type[Any] | None = None) -> list[Any]:
        """The records whose names, aliases, titles or summaries contain every word of ``text``, best first.

        Case- and accent-insensitive, in every script the records are written in:
        ``ds.find("Zhao Kezhi")``, ``ds.find("赵克志")`` and ``ds.find("zhao")`` all find the
        actor ``act-zhao-kezhi``; ``ds.find("Vakhon base", kind=Facility)`` is a
        ``list[Facility]``. A record whose name or alias *is* the text comes first, then
        those with every word in a name or title, then in the id, then in a summary (see
        [`where.text`][sinotajik.where.text], the filter that does the matching).

        Raises:
            ValueError: a query with no letters or digits.
        """
        from ._query import find

        return find(self, text, kind=kind)

    # ------------------------------------------------------------------ overlay

    def merge(
        self,
        other: Dataset | Iterable[Record],
        *,
        on_conflict: Literal["error", "replace"] = "error",
        version: str | None = None,
    ) -> Dataset:
        """The records of ``other`` added to this dataset: your own records on a release.

        ``other`` may reference records that are only in this dataset (a bundled actor, a
        place); the result is checked as a whole. ``diff(self, merged)`` shows exactly the
        records of ``other``.

        Args:
            other: the records to add (a Dataset or any records).
            on_conflict: what to do when ``other`` has a record whose id is already here:
                ``"error"`` (the default) raises, ``"replace"`` keeps the record of ``other``.
            version: the merged version; by default ``<this version>+<other's version>``
                (``2026.11.2+mine``), or ``<this version>+local`` for plain records.

        Raises:
            DataError: an id conflict (with ``on_conflict="error"``) or any integrity problem,
                each with the path of the record in ``other``.
            ValueError: an unknown ``on_conflict`` policy.
        """
        if isinstance(other, Dataset):
            label = other.version
            doc = other.to_document()
        else:
            label = "local"
            doc = Dataset._records_document(other, label)
        if version is None:
            version = f"{self.version}+{label}"
        return self._overlay(doc, on_conflict=on_conflict, version=version)

    @staticmethod
    def _records_document(records: Iterable[Record], version: str) -> Document:
        cols: dict[str, list[Any]] = {kind: [] for kind in KINDS}
        for r in records:
            kind = _CLASS_KIND.get(type(r))
            if kind is None:
                raise DataError([Problem("", f"{type(r).__name__} is not a record type")])
            cols[kind].append(r)
        return Document(schema=SCHEMA, version=version, **{k: tuple(v) for k, v in cols.items()})

    def _overlay(
        self,
        doc: Document,
        *,
        on_conflict: str = "error",
        version: str,
        relabel: Any = None,
    ) -> Dataset:
        """Merge the records of ``doc`` (as they stand in a user's file) over this dataset.

        Problems are reported with the paths of ``doc`` (``events[3].places[0]``), passed
        through ``relabel`` (which names JSON Lines line numbers).
        """
        if on_conflict not in ("error", "replace"):
            raise ValueError(f"on_conflict must be 'error' or 'replace', not {on_conflict!r}")
        problems: list[Problem] = []
        if on_conflict == "error":
            for kind, i, rec in doc.records():
                if rec.id in self._index:
                    problems.append(Problem(f"{kind}[{i}].id", f"{shown(rec.id)} is already in {self.version}"))
        base_ids = {r.id: kind for kind in KINDS for r in getattr(self, kind)}
        problems.extend(check_document(doc, other_ids=base_ids, check_version=False))
        if problems:
            raise DataError(relabel(problems) if relabel else problems)
        mine = {r.id for _, _, r in doc.records()}
        cols = {kind: (*(r for r in getattr(self, kind) if r.id not in mine), *getattr(doc, kind)) for kind in KINDS}
        merged = Document(schema=SCHEMA, version=version, **cols)
        # Whatever the checks of the records alone could not see (a cycle through replaced
        # records, the merged version label) is found here, with the merged dataset's paths.
        return Dataset._from_document(merged)

    # ------------------------------------------------------------------ knowledge time

    def as_of(self, date: str | PartialDate, *, keep_undated: bool = False) -> Dataset:
        """What an analyst could have known on ``date``: only what the cited sources had published.

        ``ds.as_of("2019-01-01")`` applies these rules and returns a new dataset versioned
        ``<version>+as-of-<date>`` (valid, as a part of this checked one):

        * **Sources** are *known* when certainly published by the end of ``date``
          ([`sinotajik.published_by`][sinotajik.published_by]: ``2018-12`` is published by ``2019-01-01``, ``2019``
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
        from ._query.asof import as_of_records

        version, records = as_of_records(self, date, keep_undated)
        # Trimmed from this checked dataset, keeping every record a kept one names: valid by
        # construction (a property test holds it to the integrity checks), so not checked again.
        return self._from_document(Document(schema=SCHEMA, version=version, **records), check=False)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0].lower() in "aeiou" else f"a {noun}"


_COMPARED = tuple(f for f in attrs.fields(Dataset) if f.eq)
