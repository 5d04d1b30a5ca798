"""sinotajik: the reference library and dataset on China–Tajikistan security cooperation.

Load the bundled dataset, pinned to a release if you publish with it::

    import sinotajik

    ds = sinotajik.load()                      # the latest bundled release
    ds = sinotajik.load("2026.11.0")           # exactly this release, on any later code
    for entry in sinotajik.timeline(ds):
        print(entry.label, entry.headline)

Everything listed in ``__all__`` is public; the modules whose names start with ``_`` are not.
One table, ``_PUBLIC``, names every public name and the private module that defines it;
``__all__`` is made from it. The model, dates and errors are imported with the package; every
other name on first use, so that importing the package stays light.
"""

from __future__ import annotations

import contextlib
import importlib
import typing as _typing

import attrs

#: Every public name and the private module that defines it: the one list of the public API.
_PUBLIC: dict[str, str] = {
    # errors
    "DataError": "._errors",
    "Problem": "._errors",
    "ReleaseError": "._errors",
    "SinotajikError": "._errors",
    # dates
    "Certainty": "._dates",
    "DateSpan": "._dates",
    "PartialDate": "._dates",
    "Precision": "._dates",
    "When": "._dates",
    "format_when": "._dates",
    "parse_date": "._dates",
    "parse_when": "._dates",
    # model
    "Actor": "._model",
    "ActorKind": "._model",
    "Agreement": "._model",
    "AgreementKind": "._model",
    "AgreementStatus": "._model",
    "Citation": "._model",
    "Claim": "._model",
    "Confidence": "._model",
    "Coordinates": "._model",
    "Event": "._model",
    "EventCode": "._model",
    "EventKind": "._model",
    "ExternalId": "._model",
    "Facility": "._model",
    "FacilityKind": "._model",
    "FacilityStatus": "._model",
    "IdScheme": "._model",
    "LocationPrecision": "._model",
    "Milestone": "._model",
    "Participant": "._model",
    "Place": "._model",
    "Position": "._model",
    "Provision": "._model",
    "ProvisionKind": "._model",
    "Qualifier": "._model",
    "Quantity": "._model",
    "RECORD_KINDS": "._model",
    "Record": "._model",
    "Recurrence": "._model",
    "Reliability": "._model",
    "Role": "._model",
    "Source": "._model",
    "SourceKind": "._model",
    "Stance": "._model",
    "StatusChange": "._model",
    "Term": "._model",
    "TimeUnit": "._model",
    # converter
    "configure_converter": "._converter",
    "make_converter": "._converter",
    # dataset
    "Dataset": "._dataset",
    # io
    "Release": "._io",
    "dumps": "._io",
    "latest_version": "._io",
    "load": "._io",
    "parse": "._io",
    "save": "._io",
    "versions": "._io",
    # serialize
    "from_dict": "._serialize",
    "to_dict": "._serialize",
    # query
    "Filter": "._query",
    "actor_history": "._query",
    "agreement_events": "._query",
    "agreement_facilities": "._query",
    "event_responses": "._query",
    "facility_claims": "._query",
    "published_by": "._query",
    "select": "._query",
    "where": "._query",
    # timeline
    "TimelineEntry": "._timeline",
    "timeline": "._timeline",
    # render
    "to_html": "._render",
    "to_markdown": "._render",
    "to_svg": "._render",
    "to_text": "._render",
    "to_timelinejs": "._render",
    # export
    "json_schema": "._export.schema",
    "read_csv": "._export.csvfiles",
    "to_arrow": "._export.arrow",
    "to_geojson": "._export.geojson",
    "to_pandas": "._export.frames",
    "to_tables": "._export.tables",
    "write_csv": "._export.csvfiles",
    "write_datapackage": "._export.datapackage",
    "write_parquet": "._export.arrow",
    # diff
    "DatasetDiff": "._diff",
    "FieldChange": "._diff",
    "RecordChange": "._diff",
    "diff": "._diff",
    # panel
    "claims_table": "._export.panel",
    "to_panel": "._export.panel",
    # sqlite
    "datasette_metadata": "._export.sqlite",
    "write_sqlite": "._export.sqlite",
    # network
    "ActorNetwork": "._export.network",
    "actor_network": "._export.network",
    "to_networkx": "._export.network",
    "write_graphml": "._export.network",
    # chart
    "plot_years": "._chart",
}

#: Modules imported with the package (light: attrs and the standard library only); the rest
#: of ``_PUBLIC`` is imported on first access.
_EAGER = ("._errors", "._dates", "._model")

__all__ = sorted([*_PUBLIC, "__version__"])

# What type checkers and the API docs see (``X as X`` re-exports, one line per module): the
# same names as _PUBLIC, which tests/test_api.py checks.
if _typing.TYPE_CHECKING:
    # isort: off
    from ._chart import plot_years as plot_years
    from ._converter import configure_converter as configure_converter, make_converter as make_converter
    from ._dataset import Dataset as Dataset
    from ._dates import (
        Certainty as Certainty,
        DateSpan as DateSpan,
        PartialDate as PartialDate,
        Precision as Precision,
        When as When,
        format_when as format_when,
        parse_date as parse_date,
        parse_when as parse_when,
    )
    from ._diff import (
        DatasetDiff as DatasetDiff,
        FieldChange as FieldChange,
        RecordChange as RecordChange,
        diff as diff,
    )
    from ._errors import (
        DataError as DataError,
        Problem as Problem,
        ReleaseError as ReleaseError,
        SinotajikError as SinotajikError,
    )
    from ._export.arrow import to_arrow as to_arrow, write_parquet as write_parquet
    from ._export.csvfiles import read_csv as read_csv, write_csv as write_csv
    from ._export.datapackage import write_datapackage as write_datapackage
    from ._export.frames import to_pandas as to_pandas
    from ._export.geojson import to_geojson as to_geojson
    from ._export.network import (
        ActorNetwork as ActorNetwork,
        actor_network as actor_network,
        to_networkx as to_networkx,
        write_graphml as write_graphml,
    )
    from ._export.panel import claims_table as claims_table, to_panel as to_panel
    from ._export.schema import json_schema as json_schema
    from ._export.sqlite import datasette_metadata as datasette_metadata, write_sqlite as write_sqlite
    from ._export.tables import to_tables as to_tables
    from ._io import (
        Release as Release,
        dumps as dumps,
        latest_version as latest_version,
        load as load,
        parse as parse,
        save as save,
        versions as versions,
    )
    from ._model import (
        RECORD_KINDS as RECORD_KINDS,
        Actor as Actor,
        ActorKind as ActorKind,
        Agreement as Agreement,
        AgreementKind as AgreementKind,
        AgreementStatus as AgreementStatus,
        Citation as Citation,
        Claim as Claim,
        Confidence as Confidence,
        Coordinates as Coordinates,
        Event as Event,
        EventCode as EventCode,
        EventKind as EventKind,
        ExternalId as ExternalId,
        Facility as Facility,
        FacilityKind as FacilityKind,
        FacilityStatus as FacilityStatus,
        IdScheme as IdScheme,
        LocationPrecision as LocationPrecision,
        Milestone as Milestone,
        Participant as Participant,
        Place as Place,
        Position as Position,
        Provision as Provision,
        ProvisionKind as ProvisionKind,
        Qualifier as Qualifier,
        Quantity as Quantity,
        Record as Record,
        Recurrence as Recurrence,
        Reliability as Reliability,
        Role as Role,
        Source as Source,
        SourceKind as SourceKind,
        Stance as Stance,
        StatusChange as StatusChange,
        Term as Term,
        TimeUnit as TimeUnit,
    )
    from ._query import (
        Filter as Filter,
        actor_history as actor_history,
        agreement_events as agreement_events,
        agreement_facilities as agreement_facilities,
        event_responses as event_responses,
        facility_claims as facility_claims,
        published_by as published_by,
        select as select,
        where as where,
    )
    from ._render import (
        to_html as to_html,
        to_markdown as to_markdown,
        to_svg as to_svg,
        to_text as to_text,
        to_timelinejs as to_timelinejs,
    )
    from ._serialize import from_dict as from_dict, to_dict as to_dict
    from ._timeline import TimelineEntry as TimelineEntry, timeline as timeline
    # isort: on


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
    elif name in _PUBLIC:
        value = _public(getattr(importlib.import_module(_PUBLIC[name], __name__), name))
    else:
        raise AttributeError(f"module 'sinotajik' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


for _name, _module in _PUBLIC.items():
    if _module in _EAGER:
        globals()[_name] = _public(getattr(importlib.import_module(_module, __name__), _name))
del _name, _module
