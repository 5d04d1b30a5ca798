"""msgspec and pydantic models of the same shape as sinotajik's, for the comparison benchmarks.

Same fields, same defaults, same enumerations (sinotajik's own ``str`` enums), unknown fields
forbidden, values frozen, tuples for lists. Two differences favour the alternatives and are
stated in the results: dates stay plain strings (neither library knows EDTF, so nothing checks
``2021-02-30``), and there are no integrity checks (ids, references, citations, cycles).
"""

from __future__ import annotations

from typing import Any, Union

import msgspec
from pydantic import BaseModel, ConfigDict, Field

from sinotajik import (
    ActorKind,
    AgreementKind,
    AgreementStatus,
    Confidence,
    EventKind,
    FacilityKind,
    FacilityStatus,
    IdScheme,
    LocationPrecision,
    ProvisionKind,
    Qualifier,
    Reliability,
    Role,
    SourceKind,
    Stance,
    TimeUnit,
)

__all__ = ["MsgspecDocument", "PydanticDocument", "msgspec_types"]

_S = {"frozen": True, "kw_only": True, "omit_defaults": True, "forbid_unknown_fields": True}


# --------------------------------------------------------------------------- msgspec


class MCitation(msgspec.Struct, **_S):  # type: ignore[call-arg]
    source: str
    quote: str | None = None
    locator: str | None = None
    supports: str | None = None


class MClaim(msgspec.Struct, **_S):  # type: ignore[call-arg]
    about: str
    stance: Stance
    statement: str
    citations: tuple[MCitation, ...]
    by: str | None = None
    date: str | None = None


class MQuantity(msgspec.Struct, **_S):  # type: ignore[call-arg]
    what: str
    value: Union[int, float]
    unit: str
    citations: tuple[MCitation, ...]
    qualifier: Qualifier = Qualifier.EXACTLY
    confidence: Confidence = Confidence.MEDIUM
    note: str | None = None
    date: str | None = None


class MParticipant(msgspec.Struct, **_S):  # type: ignore[call-arg]
    actor: str
    role: Role
    note: str | None = None


class MExternalId(msgspec.Struct, **_S):  # type: ignore[call-arg]
    scheme: IdScheme
    value: str


class MPosition(msgspec.Struct, **_S):  # type: ignore[call-arg]
    title: str
    organisation: str | None = None
    start: str | None = None
    end: str | None = None
    citations: tuple[MCitation, ...] = ()


class MCoordinates(msgspec.Struct, **_S):  # type: ignore[call-arg]
    lat: float
    lon: float


class MEventCode(msgspec.Struct, **_S):  # type: ignore[call-arg]
    scheme: str
    code: str


class MRecurrence(msgspec.Struct, **_S):  # type: ignore[call-arg]
    every: int
    unit: TimeUnit
    qualifier: Qualifier = Qualifier.EXACTLY


class MTerm(msgspec.Struct, **_S):  # type: ignore[call-arg]
    length: int
    unit: TimeUnit
    auto_renewal: bool = False
    note: str | None = None


class MProvision(msgspec.Struct, **_S):  # type: ignore[call-arg]
    kind: ProvisionKind
    summary: str
    citations: tuple[MCitation, ...]
    recurrence: MRecurrence | None = None


class MMilestone(msgspec.Struct, **_S):  # type: ignore[call-arg]
    status: AgreementStatus
    date: str | None
    citations: tuple[MCitation, ...]
    note: str | None = None


class MStatusChange(msgspec.Struct, **_S):  # type: ignore[call-arg]
    status: FacilityStatus
    date: str | None
    citations: tuple[MCitation, ...]
    note: str | None = None


class MActor(msgspec.Struct, **_S):  # type: ignore[call-arg]
    id: str
    kind: ActorKind
    name: str
    citations: tuple[MCitation, ...]
    aliases: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    positions: tuple[MPosition, ...] = ()
    external_ids: tuple[MExternalId, ...] = ()
    note: str | None = None


class MPlace(msgspec.Struct, **_S):  # type: ignore[call-arg]
    id: str
    name: str
    precision: LocationPrecision
    country: str
    citations: tuple[MCitation, ...]
    aliases: tuple[str, ...] = ()
    admin_region: str | None = None
    within: str | None = None
    coordinates: MCoordinates | None = None
    external_ids: tuple[MExternalId, ...] = ()
    note: str | None = None


class MSource(msgspec.Struct, **_S):  # type: ignore[call-arg]
    id: str
    publisher: str
    title: str
    kind: SourceKind
    reliability: Reliability
    reliability_note: str
    language: str
    published: str | None = None
    date_note: str | None = None
    url: str | None = None
    translation_of: str | None = None
    author: str | None = None
    seed: str | None = None


class MEvent(msgspec.Struct, **_S):  # type: ignore[call-arg]
    id: str
    kind: EventKind
    title: str
    summary: str
    date: str
    citations: tuple[MCitation, ...]
    date_note: str | None = None
    places: tuple[str, ...] = ()
    participants: tuple[MParticipant, ...] = ()
    quantities: tuple[MQuantity, ...] = ()
    series: str | None = None
    agreements: tuple[str, ...] = ()
    facilities: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    codes: tuple[MEventCode, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    confidence_note: str | None = None
    claims: tuple[MClaim, ...] = ()


class MAgreement(msgspec.Struct, **_S):  # type: ignore[call-arg]
    id: str
    kind: AgreementKind
    title: str
    summary: str
    status: AgreementStatus
    citations: tuple[MCitation, ...]
    parties: tuple[MParticipant, ...] = ()
    milestones: tuple[MMilestone, ...] = ()
    term: MTerm | None = None
    provisions: tuple[MProvision, ...] = ()
    places: tuple[str, ...] = ()
    quantities: tuple[MQuantity, ...] = ()
    tags: tuple[str, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    confidence_note: str | None = None
    claims: tuple[MClaim, ...] = ()


class MFacility(msgspec.Struct, **_S):  # type: ignore[call-arg]
    id: str
    kind: FacilityKind
    name: str
    summary: str
    status: FacilityStatus
    citations: tuple[MCitation, ...]
    place: str | None = None
    funders: tuple[str, ...] = ()
    builders: tuple[str, ...] = ()
    operators: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    history: tuple[MStatusChange, ...] = ()
    counts: tuple[MQuantity, ...] = ()
    agreements: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    confidence_note: str | None = None
    claims: tuple[MClaim, ...] = ()


class MsgspecDocument(msgspec.Struct, **_S):  # type: ignore[call-arg]
    """A whole dataset as msgspec Structs."""

    schema: int
    version: str
    actors: tuple[MActor, ...] = ()
    places: tuple[MPlace, ...] = ()
    sources: tuple[MSource, ...] = ()
    events: tuple[MEvent, ...] = ()
    agreements: tuple[MAgreement, ...] = ()
    facilities: tuple[MFacility, ...] = ()


def msgspec_types() -> dict[str, Any]:
    """The msgspec record types by collection name."""
    return {
        "actors": MActor,
        "places": MPlace,
        "sources": MSource,
        "events": MEvent,
        "agreements": MAgreement,
        "facilities": MFacility,
    }


# --------------------------------------------------------------------------- pydantic


class _P(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class PCitation(_P):
    source: str
    quote: str | None = None
    locator: str | None = None
    supports: str | None = None


class PClaim(_P):
    about: str
    stance: Stance
    statement: str
    citations: tuple[PCitation, ...]
    by: str | None = None
    date: str | None = None


class PQuantity(_P):
    what: str
    value: Union[int, float]
    unit: str
    citations: tuple[PCitation, ...]
    qualifier: Qualifier = Qualifier.EXACTLY
    confidence: Confidence = Confidence.MEDIUM
    note: str | None = None
    date: str | None = None


class PParticipant(_P):
    actor: str
    role: Role
    note: str | None = None


class PExternalId(_P):
    scheme: IdScheme
    value: str


class PPosition(_P):
    title: str
    organisation: str | None = None
    start: str | None = None
    end: str | None = None
    citations: tuple[PCitation, ...] = ()


class PCoordinates(_P):
    lat: float
    lon: float


class PEventCode(_P):
    scheme: str
    code: str


class PRecurrence(_P):
    every: int
    unit: TimeUnit
    qualifier: Qualifier = Qualifier.EXACTLY


class PTerm(_P):
    length: int
    unit: TimeUnit
    auto_renewal: bool = False
    note: str | None = None


class PProvision(_P):
    kind: ProvisionKind
    summary: str
    citations: tuple[PCitation, ...]
    recurrence: PRecurrence | None = None


class PMilestone(_P):
    status: AgreementStatus
    date: str | None
    citations: tuple[PCitation, ...]
    note: str | None = None


class PStatusChange(_P):
    status: FacilityStatus
    date: str | None
    citations: tuple[PCitation, ...]
    note: str | None = None


class PActor(_P):
    id: str
    kind: ActorKind
    name: str
    citations: tuple[PCitation, ...]
    aliases: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    positions: tuple[PPosition, ...] = ()
    external_ids: tuple[PExternalId, ...] = ()
    note: str | None = None


class PPlace(_P):
    id: str
    name: str
    precision: LocationPrecision
    country: str
    citations: tuple[PCitation, ...]
    aliases: tuple[str, ...] = ()
    admin_region: str | None = None
    within: str | None = None
    coordinates: PCoordinates | None = None
    external_ids: tuple[PExternalId, ...] = ()
    note: str | None = None


class PSource(_P):
    id: str
    publisher: str
    title: str
    kind: SourceKind
    reliability: Reliability
    reliability_note: str
    language: str
    published: str | None = None
    date_note: str | None = None
    url: str | None = None
    translation_of: str | None = None
    author: str | None = None
    seed: str | None = None


class PEvent(_P):
    id: str
    kind: EventKind
    title: str
    summary: str
    date: str
    citations: tuple[PCitation, ...]
    date_note: str | None = None
    places: tuple[str, ...] = ()
    participants: tuple[PParticipant, ...] = ()
    quantities: tuple[PQuantity, ...] = ()
    series: str | None = None
    agreements: tuple[str, ...] = ()
    facilities: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    codes: tuple[PEventCode, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    confidence_note: str | None = None
    claims: tuple[PClaim, ...] = ()


class PAgreement(_P):
    id: str
    kind: AgreementKind
    title: str
    summary: str
    status: AgreementStatus
    citations: tuple[PCitation, ...]
    parties: tuple[PParticipant, ...] = ()
    milestones: tuple[PMilestone, ...] = ()
    term: PTerm | None = None
    provisions: tuple[PProvision, ...] = ()
    places: tuple[str, ...] = ()
    quantities: tuple[PQuantity, ...] = ()
    tags: tuple[str, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    confidence_note: str | None = None
    claims: tuple[PClaim, ...] = ()


class PFacility(_P):
    id: str
    kind: FacilityKind
    name: str
    summary: str
    status: FacilityStatus
    citations: tuple[PCitation, ...]
    place: str | None = None
    funders: tuple[str, ...] = ()
    builders: tuple[str, ...] = ()
    operators: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    history: tuple[PStatusChange, ...] = ()
    counts: tuple[PQuantity, ...] = ()
    agreements: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    confidence_note: str | None = None
    claims: tuple[PClaim, ...] = ()


class PydanticDocument(_P):
    """A whole dataset as pydantic models."""

    # "schema" shadows a BaseModel attribute, so the field is aliased.
    schema_: int = Field(alias="schema")
    version: str
    actors: tuple[PActor, ...] = ()
    places: tuple[PPlace, ...] = ()
    sources: tuple[PSource, ...] = ()
    events: tuple[PEvent, ...] = ()
    agreements: tuple[PAgreement, ...] = ()
    facilities: tuple[PFacility, ...] = ()
