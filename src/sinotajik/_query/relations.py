"""Relations between records: an agreement's events, an event's responses, an actor's history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from .._document import is_dataset
from .._model import Actor, Agreement, Claim, Event, Facility, Record
from .facts import CLASS_NAME, date_key, with_article
from .filters import where
from .selection import select

if TYPE_CHECKING:
    from .._dataset import Dataset

R = TypeVar("R", bound=Record)


def _as_list(records: Iterable[Record]) -> tuple[list[Record], Dataset | None]:
    if is_dataset(records):
        return list(records), records
    return list(records), None


def _find(records: Iterable[Record], rid: str, cls: type[R]) -> tuple[R, list[Record], Dataset | None]:
    recs, ds = _as_list(records)
    rec: Record | None = ds.get(rid, None) if ds is not None else next((r for r in recs if r.id == rid), None)
    if rec is None:
        raise KeyError(f"no record with id {rid!r}")
    if not isinstance(rec, cls):
        raise ValueError(f"{rid!r} is {with_article(CLASS_NAME[type(rec)])}, not {with_article(CLASS_NAME[cls])}")
    return rec, recs, ds


def agreement_events(records: Iterable[Record], agreement_id: str) -> list[Event]:
    """The events that name an agreement (in their ``agreements``), earliest first.

    Args:
        records: a Dataset or any records that include the agreement.
        agreement_id: the agreement's id.

    Raises:
        KeyError: no record has this id. ValueError: the record is not an agreement.
    """
    _, recs, _ = _find(records, agreement_id, Agreement)
    out = [r for r in recs if isinstance(r, Event) and agreement_id in r.agreements]
    return sorted(out, key=date_key)


def event_responses(records: Iterable[Record], event_id: str) -> list[Event]:
    """The events that answer an event (list it in their ``responds_to``), earliest first.

    For an attack: the condemnations, advisories, talks and measures recorded as responses.

    Args:
        records: a Dataset or any records that include the event.
        event_id: the event's id.

    Raises:
        KeyError: no record has this id. ValueError: the record is not an event.
    """
    _, recs, _ = _find(records, event_id, Event)
    out = [r for r in recs if isinstance(r, Event) and event_id in r.responds_to]
    return sorted(out, key=date_key)


def agreement_facilities(records: Iterable[Record], agreement_id: str) -> list[Facility]:
    """The facilities that name an agreement (built or run under it), earliest first.

    Raises:
        KeyError: no record has this id. ValueError: the record is not an agreement.
    """
    _, recs, _ = _find(records, agreement_id, Agreement)
    out = [r for r in recs if isinstance(r, Facility) and agreement_id in r.agreements]
    return sorted(out, key=date_key)


def actor_history(
    records: Iterable[Record], actor_id: str, *, subordinates: bool = False
) -> list[Event | Agreement | Facility]:
    """The events, agreements and facilities an actor takes part in, in date order.

    "Takes part" is what [`where.actor`][sinotajik.where.actor] matches: a participant, party, funder,
    builder, operator or owner, or the author of one of the record's claims. Records are
    ordered by their earliest date (an agreement's first dated milestone, a facility's first
    dated step); undated ones come last, then by id.

    Args:
        records: a Dataset or any records that include the actor.
        actor_id: the actor's id.
        subordinates: count the actor's subordinates too (a state's agencies and their units).

    Raises:
        KeyError: no record has this id. ValueError: the record is not an actor.
    """
    _, recs, ds = _find(records, actor_id, Actor)
    f = where.actor(actor_id, subordinates=subordinates) & where.kind(Event, Agreement, Facility)
    found: list[Any] = select(ds if ds is not None else recs, f)
    return sorted(found, key=date_key)


def facility_claims(records: Iterable[Record], facility_id: str) -> list[tuple[str, Claim]]:
    """The claims about a facility: its own, then those on the events that name it.

    Returns:
        ``(record id, claim)`` pairs: the facility's claims in their order, then each
        naming event's claims, events in date order.

    Raises:
        KeyError: no record has this id. ValueError: the record is not a facility.
    """
    fac, recs, _ = _find(records, facility_id, Facility)
    out: list[tuple[str, Claim]] = [(fac.id, c) for c in fac.claims]
    events = sorted((r for r in recs if isinstance(r, Event) and facility_id in r.facilities), key=date_key)
    for e in events:
        out.extend((e.id, c) for c in e.claims)
    return out
