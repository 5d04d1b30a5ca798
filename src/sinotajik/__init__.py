"""sinotajik: the reference library and dataset on China–Tajikistan security cooperation.

Load the bundled dataset, pinned to a release if you publish with it::

    import sinotajik

    ds = sinotajik.load()                      # the latest bundled release
    ds = sinotajik.load("2026.11.0")           # exactly this release, on any later code
    for entry in sinotajik.timeline(ds):
        print(entry.label, entry.headline)

Everything listed in ``__all__`` is public; the modules whose names start with ``_`` are not.
Importing the package is light: the serialisation layer and the data load on first use.
"""

from __future__ import annotations

import contextlib
import importlib
import typing as _typing

import attrs

from ._dates import (
    Certainty,
    DateSpan,
    PartialDate,
    Precision,
    When,
    format_when,
    parse_date,
    parse_when,
)
from ._errors import DataError, Problem, ReleaseError, SinotajikError
from ._model import (
    RECORD_KINDS,
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Citation,
    Claim,
    Confidence,
    Coordinates,
    Event,
    EventCode,
    EventKind,
    ExternalId,
    Facility,
    FacilityKind,
    FacilityStatus,
    IdScheme,
    LocationPrecision,
    Milestone,
    Participant,
    Place,
    Position,
    Provision,
    ProvisionKind,
    Qualifier,
    Quantity,
    Record,
    Recurrence,
    Reliability,
    Role,
    Source,
    SourceKind,
    Stance,
    StatusChange,
    Term,
    TimeUnit,
)

if _typing.TYPE_CHECKING:
    from ._chart import plot_years
    from ._converter import configure_converter, make_converter
    from ._dataset import Dataset
    from ._diff import DatasetDiff, FieldChange, RecordChange, diff
    from ._export import (
        json_schema,
        read_csv,
        to_arrow,
        to_geojson,
        to_pandas,
        to_tables,
        write_csv,
        write_datapackage,
        write_parquet,
    )
    from ._io import Release, dumps, latest_version, load, parse, save, versions
    from ._network import ActorNetwork, actor_network, to_networkx, write_graphml
    from ._panel import claims_table, to_panel
    from ._query import (
        Filter,
        actor_history,
        agreement_events,
        agreement_facilities,
        event_responses,
        facility_claims,
        published_by,
        select,
        where,
    )
    from ._render import to_html, to_markdown, to_svg, to_text, to_timelinejs
    from ._serialize import from_dict, to_dict
    from ._sqlite import datasette_metadata, write_sqlite
    from ._timeline import TimelineEntry, timeline

__all__ = [
    "Actor",
    "ActorKind",
    "ActorNetwork",
    "Agreement",
    "AgreementKind",
    "AgreementStatus",
    "Certainty",
    "Citation",
    "Claim",
    "Confidence",
    "Coordinates",
    "DataError",
    "Dataset",
    "DatasetDiff",
    "DateSpan",
    "Event",
    "EventCode",
    "EventKind",
    "ExternalId",
    "Facility",
    "FacilityKind",
    "FacilityStatus",
    "FieldChange",
    "Filter",
    "IdScheme",
    "LocationPrecision",
    "Milestone",
    "PartialDate",
    "Participant",
    "Place",
    "Position",
    "Precision",
    "Problem",
    "Provision",
    "ProvisionKind",
    "Qualifier",
    "Quantity",
    "RECORD_KINDS",
    "Record",
    "RecordChange",
    "Recurrence",
    "Release",
    "ReleaseError",
    "Reliability",
    "Role",
    "SinotajikError",
    "Source",
    "SourceKind",
    "Stance",
    "StatusChange",
    "Term",
    "TimeUnit",
    "TimelineEntry",
    "When",
    "__version__",
    "actor_history",
    "actor_network",
    "agreement_events",
    "agreement_facilities",
    "claims_table",
    "configure_converter",
    "datasette_metadata",
    "diff",
    "dumps",
    "event_responses",
    "facility_claims",
    "format_when",
    "from_dict",
    "json_schema",
    "latest_version",
    "load",
    "make_converter",
    "parse",
    "parse_date",
    "parse_when",
    "plot_years",
    "published_by",
    "read_csv",
    "save",
    "select",
    "timeline",
    "to_arrow",
    "to_dict",
    "to_geojson",
    "to_html",
    "to_markdown",
    "to_networkx",
    "to_pandas",
    "to_panel",
    "to_svg",
    "to_tables",
    "to_text",
    "to_timelinejs",
    "versions",
    "where",
    "write_csv",
    "write_datapackage",
    "write_graphml",
    "write_parquet",
    "write_sqlite",
]

# Names served on first access, so that ``import sinotajik`` does not import cattrs, json and
# the release machinery until they are needed.
_LAZY = {
    "configure_converter": "._converter",
    "make_converter": "._converter",
    "Dataset": "._dataset",
    "json_schema": "._export",
    "read_csv": "._export",
    "to_arrow": "._export",
    "to_geojson": "._export",
    "to_pandas": "._export",
    "to_tables": "._export",
    "write_csv": "._export",
    "write_datapackage": "._export",
    "write_parquet": "._export",
    "DatasetDiff": "._diff",
    "FieldChange": "._diff",
    "RecordChange": "._diff",
    "diff": "._diff",
    "Filter": "._query",
    "actor_history": "._query",
    "agreement_events": "._query",
    "agreement_facilities": "._query",
    "event_responses": "._query",
    "facility_claims": "._query",
    "published_by": "._query",
    "select": "._query",
    "where": "._query",
    "Release": "._io",
    "dumps": "._io",
    "latest_version": "._io",
    "load": "._io",
    "parse": "._io",
    "save": "._io",
    "versions": "._io",
    "from_dict": "._serialize",
    "to_dict": "._serialize",
    "TimelineEntry": "._timeline",
    "timeline": "._timeline",
    "to_html": "._render",
    "to_markdown": "._render",
    "to_svg": "._render",
    "to_text": "._render",
    "to_timelinejs": "._render",
    "claims_table": "._panel",
    "to_panel": "._panel",
    "write_sqlite": "._sqlite",
    "datasette_metadata": "._sqlite",
    "ActorNetwork": "._network",
    "actor_network": "._network",
    "to_networkx": "._network",
    "write_graphml": "._network",
    "plot_years": "._chart",
}


def _public(obj: _typing.Any) -> _typing.Any:
    """Make a public class or function report ``sinotajik`` as its module (reprs, API docs)."""
    if getattr(obj, "__module__", "").startswith("sinotajik._"):
        if attrs.has(obj):
            # Resolve string annotations while the defining module is still the one named.
            attrs.resolve_types(obj)
        with contextlib.suppress(AttributeError, TypeError):  # builtins, aliases
            obj.__module__ = "sinotajik"
    return obj


def __getattr__(name: str) -> _typing.Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: _typing.Any = version("sinotajik")
        except PackageNotFoundError:  # pragma: no cover - an uninstalled source tree
            value = "0+unknown"
    elif name in _LAZY:
        value = _public(getattr(importlib.import_module(_LAZY[name], __name__), name))
    else:
        raise AttributeError(f"module 'sinotajik' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


for _name in __all__:
    if _name in globals():
        _public(globals()[_name])
del _name
