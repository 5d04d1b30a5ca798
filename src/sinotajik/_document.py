"""The wire-level document: the record collections of a dataset file, before any checks.

The lowest layer above the model: the converter, the integrity checks and the reader all
speak of a `Document`, and the Dataset is built from one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeGuard

import attrs

from ._model import Actor, Agreement, Event, Facility, Place, Record, Source

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["ID_PREFIX", "KINDS", "PLURAL", "SCHEMA", "SINGULAR", "Document", "is_dataset", "is_dataset_class"]

SCHEMA = 1
"""The version of the wire format this code writes (and the newest it reads)."""

#: Top-level collections in document order, with the record class each holds.
KINDS: dict[str, type[Any]] = {
    "actors": Actor,
    "places": Place,
    "sources": Source,
    "events": Event,
    "agreements": Agreement,
    "facilities": Facility,
}
SINGULAR = {
    "actors": "actor",
    "places": "place",
    "sources": "source",
    "events": "event",
    "agreements": "agreement",
    "facilities": "facility",
}
PLURAL = {v: k for k, v in SINGULAR.items()}
#: The prefix of the ids of each collection (``evt-2016-10-exercise``).
ID_PREFIX = {
    "actors": "act",
    "places": "plc",
    "sources": "src",
    "events": "evt",
    "agreements": "agr",
    "facilities": "fac",
}


@attrs.frozen(kw_only=True)
class Document:
    """A whole dataset as it stands on the wire: schema, version and the record collections."""

    schema: int
    version: str
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    sources: tuple[Source, ...] = ()
    events: tuple[Event, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    facilities: tuple[Facility, ...] = ()

    def records(self) -> Iterator[tuple[str, int, Record]]:
        """Every record with its collection name and index, in document order."""
        for kind in KINDS:
            for i, rec in enumerate(getattr(self, kind)):
                yield kind, i, rec


def is_dataset_class(t: object) -> bool:
    """Whether ``t`` is the Dataset class, known by the methods that carry its wire form.

    The converter, the document layer and the queries do not import the Dataset class (it is
    built on them); they recognise it by these methods.
    """
    return isinstance(t, type) and hasattr(t, "_from_wire") and hasattr(t, "_to_wire")


def is_dataset(obj: object) -> TypeGuard[Dataset]:
    """Whether ``obj`` is a Dataset (see `is_dataset_class`)."""
    return is_dataset_class(type(obj))
