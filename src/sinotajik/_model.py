"""The typed domain model: what the sources say, record by record.

Six kinds of record stand at the top level of a dataset, each with a stable id whose prefix
names its kind:

================  ========  =====================================================
record            prefix    what it is
================  ========  =====================================================
[`Actor`][sinotajik.Actor]    ``act-``  a state, agency, organisation, armed group or person
[`Place`][sinotajik.Place]    ``plc-``  a named place with an explicit location precision
[`Source`][sinotajik.Source]   ``src-``  a document we cite, with its kind and reliability
[`Event`][sinotajik.Event]    ``evt-``  an exercise, meeting, statement, summit, signing...
[`Agreement`][sinotajik.Agreement] ``agr-`` an agreement, contract, mechanism, joint statement
[`Facility`][sinotajik.Facility] ``fac-``  a border post, checkpoint, centre or base
================  ========  =====================================================

Records refer to each other by id only. Every event, agreement and facility carries
[`Citation`][sinotajik.Citation]s to sources, and disputed facts are kept as [`Claim`][sinotajik.Claim]s with a
[`Stance`][sinotajik.Stance], never resolved silently. All classes are frozen attrs classes with slots and
keyword-only arguments; collections are tuples. Enumerations serialise as their lower-case
string values.

The model knows nothing of files: see [`load`][sinotajik.load], [`to_dict`][sinotajik.to_dict] and
[`make_converter`][sinotajik.make_converter] for the wire format.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Union

import attrs

from ._dates import PartialDate, When

__all__ = [
    "Actor",
    "ActorKind",
    "Agreement",
    "AgreementKind",
    "AgreementStatus",
    "Citation",
    "Claim",
    "Confidence",
    "Coordinates",
    "Event",
    "EventCode",
    "EventKind",
    "ExternalId",
    "Facility",
    "FacilityKind",
    "FacilityStatus",
    "IdScheme",
    "LocationPrecision",
    "Milestone",
    "Participant",
    "Place",
    "Position",
    "Provision",
    "ProvisionKind",
    "Qualifier",
    "Quantity",
    "RECORD_KINDS",
    "Record",
    "Recurrence",
    "Reliability",
    "Role",
    "Source",
    "SourceKind",
    "Stance",
    "StatusChange",
    "Term",
    "TimeUnit",
]


class ValueEnum(str, enum.Enum):
    """An enumeration whose values are the lower-case strings used on the wire."""

    def __str__(self) -> str:
        return str(self.value)


# --------------------------------------------------------------------------- enumerations


class ActorKind(ValueEnum):
    """What sort of actor a record describes."""

    STATE = "state"
    AGENCY = "agency"
    """A ministry, service, military or police body; ``country`` names its state."""
    ORGANISATION = "organisation"
    """An international organisation or standing mechanism (SCO, QCCM)."""
    ARMED_GROUP = "armed_group"
    PERSON = "person"


class IdScheme(ValueEnum):
    """Registries whose identifiers let other datasets join ours."""

    WIKIDATA = "wikidata"
    ISO3166 = "iso3166"
    GEONAMES = "geonames"


class LocationPrecision(ValueEnum):
    """How precisely a place is known, from a single site down to a whole country."""

    SITE = "site"
    TOWN = "town"
    DISTRICT = "district"
    REGION = "region"
    COUNTRY = "country"


class SourceKind(ValueEnum):
    """What sort of document a source is."""

    STATE_MEDIA = "state_media"
    INDEPENDENT_NEWS = "independent_news"
    PARTISAN_NEWS = "partisan_news"
    """News from an outlet with a declared or documented editorial line (state-aligned abroad)."""
    WIRE = "wire"
    ANALYSIS = "analysis"
    GOVERNMENT_DOCUMENT = "government_document"
    OFFICIAL_STATEMENT = "official_statement"
    AGGREGATOR = "aggregator"
    """A rewrite or summary of other reporting, often without its own sourcing."""
    REFERENCE = "reference"


class Reliability(ValueEnum):
    """Our grade of a source for the facts we take from it."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Confidence(ValueEnum):
    """How sure we are of a record or a figure, given its sources."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Stance(ValueEnum):
    """The position a claim takes on what it is about."""

    ASSERTS = "asserts"
    DENIES = "denies"
    DISPUTES = "disputes"
    DECLINES_TO_COMMENT = "declines_to_comment"


class Role(ValueEnum):
    """The part an actor plays in an event or agreement."""

    HOST = "host"
    PARTICIPANT = "participant"
    ORGANISER = "organiser"
    OBSERVER = "observer"
    SIGNATORY = "signatory"
    PARTY = "party"
    SPEAKER = "speaker"
    SUBJECT = "subject"
    """The actor the event is about (e.g. the target of a warning or an offensive)."""
    REPORTER = "reporter"
    """The actor that published a report or announcement."""


class EventKind(ValueEnum):
    """What sort of event a record describes."""

    EXERCISE = "exercise"
    DRILL = "drill"
    MEETING = "meeting"
    STATEMENT = "statement"
    SUMMIT = "summit"
    SIGNING = "signing"
    ANNOUNCEMENT = "announcement"
    REPORT = "report"
    SECURITY_INCIDENT = "security_incident"
    MILITARY_CAMPAIGN = "military_campaign"


class AgreementKind(ValueEnum):
    """What sort of agreement a record describes."""

    TREATY = "treaty"
    INTERGOVERNMENTAL_AGREEMENT = "intergovernmental_agreement"
    MOU = "mou"
    CONTRACT = "contract"
    MECHANISM = "mechanism"
    JOINT_STATEMENT = "joint_statement"


class AgreementStatus(ValueEnum):
    """A stage in an agreement's life, from draft to expiry."""

    PROPOSED = "proposed"
    DRAFT = "draft"
    PUBLISHED = "published"
    AGREED = "agreed"
    SIGNED = "signed"
    RATIFIED = "ratified"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class ProvisionKind(ValueEnum):
    """What an agreement's provision commits the parties to."""

    JOINT_EXERCISES = "joint_exercises"
    INTELLIGENCE_SHARING = "intelligence_sharing"
    TRAINING = "training"
    EQUIPMENT_SUPPLY = "equipment_supply"
    CONSTRUCTION = "construction"
    FUNDING = "funding"
    COORDINATION = "coordination"
    BORDER_SECURITY = "border_security"
    LOGISTICS = "logistics"
    SECRECY = "secrecy"


class FacilityKind(ValueEnum):
    """What sort of facility a record describes."""

    BORDER_POST = "border_post"
    CHECKPOINT = "checkpoint"
    COMMAND_CENTRE = "command_centre"
    TRAINING_CENTRE = "training_centre"
    BASE = "base"
    OUTPOST = "outpost"
    FACILITY_GROUP = "facility_group"
    """Several facilities built under one programme, counted rather than named one by one."""


class FacilityStatus(ValueEnum):
    """A stage in a facility's life, or how it is known."""

    AGREED = "agreed"
    PLANNED = "planned"
    UNDER_CONSTRUCTION = "under_construction"
    OPERATIONAL = "operational"
    REPORTED = "reported"
    OFFICIALLY_DENIED = "officially_denied"
    HANDED_OVER = "handed_over"
    CLOSED = "closed"


class Qualifier(ValueEnum):
    """How a source hedges a number: "nearly 100", "at least 2 billion"."""

    EXACTLY = "exactly"
    ABOUT = "about"
    NEARLY = "nearly"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    UP_TO = "up_to"


class TimeUnit(ValueEnum):
    """Units for terms and recurrences."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


# --------------------------------------------------------------------------- small values


@attrs.frozen(kw_only=True)
class Citation:
    """A pointer into a source that supports a record, a claim or a figure.

    Attributes:
        source: the id of the [`Source`][sinotajik.Source].
        quote: a short verbatim quote (about 25 words at most), in the source's language.
        locator: where in the source (paragraph, page, table row, caption), if useful.
        supports: which part of the record this backs (``date``, ``participants``...), when
            not the record as a whole.
    """

    source: str
    quote: str | None = None
    locator: str | None = None
    supports: str | None = None


@attrs.frozen(kw_only=True)
class Claim:
    """A statement about a record by an actor or a source, with its stance.

    Attributes:
        about: what the claim concerns (``existence``, ``operator``, ``frequency``, ``date``...).
        stance: asserts, denies, disputes or declines to comment.
        statement: the claim in our own words.
        citations: where it is recorded (at least one).
        by: the actor making it; ``None`` when only a source makes it ("a security source").
        date: when the claim was made, as precisely as known.
    """

    about: str
    stance: Stance
    statement: str
    citations: tuple[Citation, ...]
    by: str | None = None
    date: PartialDate | None = None


@attrs.frozen(kw_only=True)
class Quantity:
    """A number a source gives, with its hedge: "nearly 100 officers" is ``NEARLY 100 person``.

    Attributes:
        what: what is counted or measured (``participants``, ``debt``, ``border_posts``).
        value: the number as given (an integer or a decimal).
        unit: ``person``, ``USD``, ``CNY``, ``facility``...
        citations: the sources that give this figure (at least one).
        qualifier: exactly, about, nearly, at least, more than, at most, less than, up to.
        confidence: how far the figure can be trusted; ``low`` ones stay in, flagged.
        note: why the confidence is what it is, or any other caveat.
        date: the date the figure refers to, when it is not the record's own.
    """

    what: str
    value: int | float
    unit: str
    citations: tuple[Citation, ...]
    qualifier: Qualifier = Qualifier.EXACTLY
    confidence: Confidence = Confidence.MEDIUM
    note: str | None = None
    date: PartialDate | None = None


@attrs.frozen(kw_only=True)
class Participant:
    """An actor's part in an event or an agreement.

    Attributes:
        actor: the id of the [`Actor`][sinotajik.Actor].
        role: host, participant, organiser, observer, signatory, party, speaker, subject, reporter.
        note: the capacity the actor acted in (a position held then), or other detail.
    """

    actor: str
    role: Role
    note: str | None = None


@attrs.frozen(kw_only=True)
class ExternalId:
    """An identifier of the same thing in another registry (e.g. Wikidata ``Q863``).

    Attributes:
        scheme: the registry (``wikidata``, ``iso3166``, ``geonames``).
        value: the identifier in that registry.
    """

    scheme: IdScheme
    value: str


@attrs.frozen(kw_only=True)
class Position:
    """A position a person held, and when.

    Attributes:
        title: the position's title as the sources give it.
        organisation: the id of the actor the position is in, if recorded.
        start: when it began, as precisely as known.
        end: when it ended; ``None`` when ongoing or unknown.
        citations: sources for the position and its dates.
    """

    title: str
    organisation: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    citations: tuple[Citation, ...] = ()


@attrs.frozen(kw_only=True)
class Coordinates:
    """A WGS 84 point, in decimal degrees (only for site- or town-precision places).

    Attributes:
        lat: latitude, -90..90.
        lon: longitude, -180..180.
    """

    lat: float
    lon: float


@attrs.frozen(kw_only=True)
class EventCode:
    """A code from an event ontology (``cameo`` ``062``, ``plover`` ``COOPERATE``).

    Attributes:
        scheme: the ontology (``cameo``, ``plover``).
        code: the code in that ontology.
    """

    scheme: str
    code: str


@attrs.frozen(kw_only=True)
class Recurrence:
    """How often something recurs: "at least once every 2 years".

    Attributes:
        every: the number of units between occurrences.
        unit: day, month or year.
        qualifier: exactly, at least, at most...
    """

    every: int
    unit: TimeUnit
    qualifier: Qualifier = Qualifier.EXACTLY


@attrs.frozen(kw_only=True)
class Term:
    """How long an agreement runs, and whether it renews itself.

    Attributes:
        length: the number of units.
        unit: day, month or year.
        auto_renewal: whether the agreement renews itself at the end of its term.
        note: any caveat on the term.
    """

    length: int
    unit: TimeUnit
    auto_renewal: bool = False
    note: str | None = None


@attrs.frozen(kw_only=True)
class Provision:
    """A typed provision of an agreement.

    Attributes:
        kind: what the provision commits to (joint exercises, intelligence sharing...).
        summary: the provision in our own words.
        citations: sources for the provision (at least one).
        recurrence: how often, for recurring commitments such as exercises.
    """

    kind: ProvisionKind
    summary: str
    citations: tuple[Citation, ...]
    recurrence: Recurrence | None = None


@attrs.frozen(kw_only=True)
class Milestone:
    """A dated step in an agreement's lifecycle.

    Attributes:
        status: the stage reached (proposed, draft, published, agreed, signed, ratified...).
        date: when, as precisely as known; ``None`` when undated.
        citations: sources for the step (at least one).
        note: how the date was established, or other detail.
    """

    status: AgreementStatus
    date: When | None
    citations: tuple[Citation, ...]
    note: str | None = None


@attrs.frozen(kw_only=True)
class StatusChange:
    """A dated step in a facility's history, or how it was reported or denied.

    Attributes:
        status: agreed, planned, under construction, operational, reported, officially denied...
        date: when, as precisely as known; ``None`` when undated.
        citations: sources for the step (at least one).
        note: how the date was established, or other detail.
    """

    status: FacilityStatus
    date: When | None
    citations: tuple[Citation, ...]
    note: str | None = None


# --------------------------------------------------------------------------- records


@attrs.frozen(kw_only=True)
class Actor:
    """A state, agency, organisation, armed group or person.

    Attributes:
        id: stable id, ``act-...``.
        kind: state, agency, organisation, armed group or person.
        name: the canonical name in English.
        citations: sources that attest the actor (at least one).
        aliases: other names, transliterations and spellings found in the sources,
            misspellings included (so that searches find them).
        country: ISO 3166-1 alpha-3 of the state (for a state, its own code; for an agency
            or person, the state it belongs to).
        parent: the actor this one belongs to (a ministry's state, a unit's ministry).
        positions: for people, the positions they held and when.
        external_ids: identifiers in other registries (Wikidata...), to join other datasets.
        note: anything a reader should know (e.g. how a misspelling was resolved).
    """

    id: str
    kind: ActorKind
    name: str
    citations: tuple[Citation, ...]
    aliases: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    positions: tuple[Position, ...] = ()
    external_ids: tuple[ExternalId, ...] = ()
    note: str | None = None


@attrs.frozen(kw_only=True)
class Place:
    """A named place, with how precisely it is located.

    Coordinates are only allowed at ``site`` or ``town`` precision: a region or country is
    never reduced to a fake point.

    Attributes:
        id: stable id, ``plc-...``.
        name: the canonical name in English transliteration.
        precision: site, town, district, region or country.
        country: ISO 3166-1 alpha-3 of the country it lies in.
        citations: sources that name the place (at least one).
        aliases: other names and spellings in the sources.
        admin_region: the first-level administrative region, by name.
        within: the id of the place containing this one (a district's region).
        coordinates: a point, only for sites and towns and only when a source gives it.
        external_ids: identifiers in other registries.
        note: anything a reader should know.
    """

    id: str
    name: str
    precision: LocationPrecision
    country: str
    citations: tuple[Citation, ...]
    aliases: tuple[str, ...] = ()
    admin_region: str | None = None
    within: str | None = None
    coordinates: Coordinates | None = None
    external_ids: tuple[ExternalId, ...] = ()
    note: str | None = None


@attrs.frozen(kw_only=True)
class Source:
    """A document we cite: who published it, when, how, and how far we trust it.

    Attributes:
        id: stable id, ``src-<publisher>-<date>-<slug>``.
        publisher: the outlet, agency or institution.
        title: the title as published; when it is not known, the title says so.
        kind: state media, independent news, partisan news, wire, analysis, government
            document, official statement, aggregator or reference.
        reliability: our grade (high, medium, low) for the facts we take from it.
        reliability_note: why, in a sentence or two (errors, sourcing, editorial line).
        language: the BCP 47 tag of the text we read (``en``, ``ru``, ``zh-Hant``).
        published: the publication date, as precisely as known.
        date_note: how we know the publication date.
        url: where it was published, as found.
        translation_of: the language of the original when the text we read is a translation.
        author: the byline, when known.
        seed: the file name of the seed document in ``shared/seeds/`` this source is, if any.
    """

    id: str
    publisher: str
    title: str
    kind: SourceKind
    reliability: Reliability
    reliability_note: str
    language: str
    published: PartialDate | None = None
    date_note: str | None = None
    url: str | None = None
    translation_of: str | None = None
    author: str | None = None
    seed: str | None = None

    @property
    def is_translation(self) -> bool:
        """True when the text we read is a translation."""
        return self.translation_of is not None


@attrs.frozen(kw_only=True)
class Event:
    """Something that happened on a date: an exercise, meeting, statement, summit, signing...

    Attributes:
        id: stable id, ``evt-<date>-<place>-<slug>``.
        kind: exercise, drill, meeting, statement, summit, signing, announcement, report,
            security incident or military campaign.
        title: a short title in our words.
        summary: what happened, in our own words.
        date: when, as an EDTF date or span at the precision the sources give.
        citations: sources for the event (at least one).
        date_note: how the date was established (e.g. a relative date resolved).
        places: ids of the places where it happened.
        participants: actors with their roles.
        quantities: figures the sources give (participants, money...), with hedges.
        series: the name of the recurring series this is one instance of, if any.
        agreements: ids of related agreements.
        facilities: ids of related facilities.
        responds_to: ids of the events this one answers (a condemnation, an embassy advisory
            or talks held because of an attack list the attack).
        tags: free keywords (``counter-terrorism``, ``police``...).
        codes: optional CAMEO / PLOVER codes.
        confidence: high, medium or low, given the sources.
        confidence_note: why, when not obvious.
        claims: what actors or sources say about the event where they differ or deny.
    """

    id: str
    kind: EventKind
    title: str
    summary: str
    date: When
    citations: tuple[Citation, ...]
    date_note: str | None = None
    places: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    series: str | None = None
    agreements: tuple[str, ...] = ()
    facilities: tuple[str, ...] = ()
    responds_to: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    codes: tuple[EventCode, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    confidence_note: str | None = None
    claims: tuple[Claim, ...] = ()


@attrs.frozen(kw_only=True)
class Agreement:
    """An agreement, contract, mechanism or joint statement, and its lifecycle.

    Attributes:
        id: stable id, ``agr-<date>-<slug>``.
        kind: treaty, intergovernmental agreement, MoU, contract, mechanism or joint statement.
        title: a short title in our words (or the official one).
        summary: what it is, in our own words.
        status: the latest stage the sources establish.
        citations: sources for the agreement (at least one).
        parties: the actors bound by it, with their roles (party, signatory).
        milestones: dated lifecycle steps (drafted, published, signed, ratified...).
        term: how long it runs.
        provisions: typed provisions (joint exercises, intelligence sharing...).
        places: ids of the places it concerns.
        quantities: figures (costs, amounts) with hedges.
        tags: free keywords.
        confidence: high, medium or low, given the sources.
        confidence_note: why, when not obvious.
        claims: contradictions, e.g. whether it was signed or only drafted.
    """

    id: str
    kind: AgreementKind
    title: str
    summary: str
    status: AgreementStatus
    citations: tuple[Citation, ...]
    parties: tuple[Participant, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    term: Term | None = None
    provisions: tuple[Provision, ...] = ()
    places: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    tags: tuple[str, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    confidence_note: str | None = None
    claims: tuple[Claim, ...] = ()


@attrs.frozen(kw_only=True)
class Facility:
    """A border post, checkpoint, command or training centre, or base.

    Attributes:
        id: stable id, ``fac-<place>-<slug>``.
        kind: border post, checkpoint, command centre, training centre, base, outpost, or a
            group of facilities built under one programme.
        name: a short name in our words.
        summary: what it is, in our own words.
        status: the latest stage the sources establish (``reported`` when only reported).
        citations: sources for the facility (at least one).
        place: the id of where it is (for a programme, the region that holds its areas).
        areas: ids of the places (districts) a programme or group of facilities covers.
        funders: ids of the actors that pay for it.
        builders: ids of the actors that build it.
        operators: ids of the actors that run or man it.
        owners: ids of the actors that own it.
        history: dated steps, reports and official denials.
        counts: how many, for a group of facilities, and other figures.
        agreements: ids of the agreements it rests on.
        tags: free keywords.
        confidence: high, medium or low, given the sources.
        confidence_note: why, when not obvious.
        claims: whose existence or role is denied or disputed, by whom.
    """

    id: str
    kind: FacilityKind
    name: str
    summary: str
    status: FacilityStatus
    citations: tuple[Citation, ...]
    place: str | None = None
    areas: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    builders: tuple[str, ...] = ()
    operators: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    history: tuple[StatusChange, ...] = ()
    counts: tuple[Quantity, ...] = ()
    agreements: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    confidence_note: str | None = None
    claims: tuple[Claim, ...] = ()


Record = Union[Actor, Place, Source, Event, Agreement, Facility]
"""Any top-level record."""


def _repr_html_(self: Record) -> str:
    """Jupyter's view of a record: a card like an entry of the HTML timeline."""
    from ._notebook import record_html

    return record_html(self)


for _cls in (Actor, Place, Source, Event, Agreement, Facility):
    _cls._repr_html_ = _repr_html_  # type: ignore[union-attr]
del _cls


RECORD_KINDS: Mapping[str, type[Record]] = MappingProxyType(
    {
        "actors": Actor,
        "places": Place,
        "sources": Source,
        "events": Event,
        "agreements": Agreement,
        "facilities": Facility,
    }
)
"""The six collections of a dataset, in document order, each with its record class.

``RECORD_KINDS["facilities"] is Facility``; the keys are the attribute names of
[`Dataset`][sinotajik.Dataset] and the top-level keys of a dataset file.
"""
