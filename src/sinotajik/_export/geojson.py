"""GeoJSON (RFC 7946) for maps: [`to_geojson`][sinotajik.to_geojson].

One Feature per place of each event, agreement and facility, and one for each such record
with no place. Its geometry is a Point only for a place of ``site`` or ``town`` precision
whose coordinates are recorded; every other feature keeps ``"geometry": null`` and says why in
``no_point_reason``, so that a district, region or country is never shown as a false point.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

from .._dataset import Dataset
from .._dates import DateSpan, When, format_when
from .._document import SINGULAR
from .._model import Agreement, Event, Facility, LocationPrecision, Place, Record
from .tables import Records, _collect

__all__ = ["to_geojson"]


def _day(d: _dt.date | None) -> _dt.date | None:
    return None if d is None else _dt.date(d.year, d.month, d.day)


_POINT_PRECISIONS = (LocationPrecision.SITE, LocationPrecision.TOWN)


def _steps(rec: Any) -> list[tuple[str, Any]]:
    """``(status, date)`` of an agreement's milestones or a facility's history, in order."""
    if isinstance(rec, Agreement):
        return [(m.status.value, m.date) for m in rec.milestones]
    if isinstance(rec, Facility):
        return [(h.status.value, h.date) for h in rec.history]
    return []


def _record_when(rec: Any) -> When | None:
    """An event's date; for an agreement or facility, the span of its dated steps."""
    if isinstance(rec, Event):
        date: When = rec.date
        return date
    dated = [d for _s, d in _steps(rec) if d is not None]
    if not dated:
        return None
    first = min(dated, key=lambda d: d.sort_key())
    last = max(dated, key=lambda d: (d.latest is None, d.latest or _dt.date.min))
    start = first.start if isinstance(first, DateSpan) else first
    end = last.end if isinstance(last, DateSpan) else last
    if start == end and start is not None:
        return start
    try:
        return DateSpan(start, end)
    except ValueError:  # reversed or open at both ends: no honest span
        return None


def _iso(d: Any) -> str | None:
    day = _day(d)
    return None if day is None else day.isoformat()


def _admin_region(place: Place, gazetteer: Mapping[str, Place]) -> str | None:
    """The place's first-level region: its own ``admin_region``, else the region it lies within."""
    seen: set[str] = set()
    cur: Place | None = place
    while cur is not None and cur.id not in seen:
        if cur.admin_region:
            return cur.admin_region
        if cur.precision is LocationPrecision.REGION:
            return cur.name
        seen.add(cur.id)
        cur = gazetteer.get(cur.within) if cur.within else None
    return None


def _feature(
    rec: Any, kind: str, pid: str | None, gazetteer: Mapping[str, Place], role: str | None = None
) -> dict[str, Any]:
    geometry: dict[str, Any] | None = None
    place = None if pid is None else gazetteer.get(pid)
    if pid is None:
        reason: str | None = "no place is recorded for this record"
    elif place is None:
        reason = "the place is not among the records"
    elif place.precision not in _POINT_PRECISIONS:
        reason = f"a {place.precision.value}-level place is not shown as a point"
    elif place.coordinates is None:
        reason = "no coordinates are recorded for this place"
    else:
        reason = None
        lon, lat = round(place.coordinates.lon, 6), round(place.coordinates.lat, 6)
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    date = _record_when(rec)
    props = {
        "record": rec.id,
        "record_kind": SINGULAR[kind],
        "kind": rec.kind.value,
        "title": rec.name if isinstance(rec, Facility) else rec.title,
        "summary": rec.summary,
        "status": rec.status.value if not isinstance(rec, Event) else None,
        "confidence": rec.confidence.value,
        "date": None if date is None else str(date),
        "date_label": None if date is None else format_when(date),
        "date_earliest": None if date is None else _iso(date.earliest),
        "date_latest": None if date is None else _iso(date.latest),
        "steps": [
            {
                "status": status,
                "date": None if d is None else str(d),
                "date_earliest": None if d is None else _iso(d.earliest),
                "date_latest": None if d is None else _iso(d.latest),
            }
            for status, d in _steps(rec)
        ],
        "place": pid,
        "place_role": role,
        "place_name": None if place is None else place.name,
        "place_precision": None if place is None else place.precision.value,
        "place_country": None if place is None else place.country,
        "place_admin_region": None if place is None else _admin_region(place, gazetteer),
        "no_point_reason": reason,
    }
    fid = rec.id if pid is None else f"{rec.id}@{pid}"
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": props}


def _record_places(rec: Any) -> list[tuple[str, str]]:
    """``(place id, role)`` of a record, without repeats: ``place`` or ``area`` for facilities."""
    if isinstance(rec, Facility):
        pairs = ([(rec.place, "place")] if rec.place else []) + [(a, "area") for a in rec.areas]
    else:
        pairs = [(p, "place") for p in rec.places]
    out: dict[str, str] = {}
    for pid, role in pairs:
        out.setdefault(pid, role)
    return list(out.items())


def to_geojson(
    records: Records,
    *,
    context: Dataset | Iterable[Record] | None = None,
    places: Iterable[Record] | None = None,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946) every event, agreement and facility is a feature.

    There is one Feature per place of each record (an event in two towns gives two; a
    facility's ``place`` and each of its ``areas``), with id ``<record>@<place>``, and one
    Feature with id ``<record>`` for a record with no place at all, so that nothing is
    missing from a map's table. Its geometry is a Point (``[lon, lat]``, WGS 84, rounded to 6
    decimal places, about 10 cm, as RFC 7946 advises) only for a place of ``site`` or
    ``town`` precision with recorded coordinates; otherwise it is ``null`` and the
    ``no_point_reason`` property says why: a district, region or country is never reduced to
    a point.

    Properties are the same keys on every feature: record, record kind, kind, title, summary,
    status, confidence; the date with its label and ISO bounds (``date_earliest``,
    ``date_latest``) — for an agreement or a facility, the span from its first to its last
    dated milestone or history step, so a time-slider map can place it; ``steps``, the list
    of those milestones or steps (``status``, ``date`` and its bounds; empty for events);
    and the place's id, role (``place``, or ``area`` for a district a facility programme
    covers), name, precision, country and first-level region (``place_admin_region``: the
    place's own, else the name of the region it lies within).

    Args:
        records: a Dataset or any iterable of records.
        context: the dataset (or any records) in which to look up the places the records
            refer to, besides the places among the records (e.g. ``context=ds`` when
            ``records`` is a selection of events) — the keyword every renderer takes.
        places: the former name of ``context`` (deprecated; it warns).
    """
    if places is not None:
        import warnings

        warnings.warn("to_geojson(places=...) is deprecated: use context=", DeprecationWarning, stacklevel=2)
        context = places if context is None else context
    _version, cols = _collect(records, None)
    gazetteer = {p.id: p for p in (context or ()) if isinstance(p, Place)}
    gazetteer.update((p.id, p) for p in cols["places"])
    features: list[dict[str, Any]] = []
    for kind in ("events", "agreements", "facilities"):
        for rec in cols[kind]:
            located = _record_places(rec)
            if not located:
                features.append(_feature(rec, kind, None, gazetteer))
            features.extend(_feature(rec, kind, pid, gazetteer, role) for pid, role in located)
    return {"type": "FeatureCollection", "features": features}
