"""Checks on a structured document that types alone cannot express.

Ids (format, prefix, uniqueness), references between records (every actor, place, source,
agreement and facility named exists and is of the right kind), cycles in ``parent`` and
``within`` chains, at least one citation on every record and claim, and a few value rules
(ISO country codes, coordinates only at site or town precision, position years in order).
Every problem is reported with its path; nothing stops at the first one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from ._converter import shown
from ._document import ID_PREFIX, Document
from ._errors import Problem
from ._model import (
    Actor,
    Agreement,
    Citation,
    Claim,
    Event,
    Facility,
    LocationPrecision,
    Place,
    Position,
    Quantity,
    Source,
)

__all__ = ["check_document"]

ID_RE = re.compile(r"[a-z]{3}-[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY_RE = re.compile(r"[A-Z]{3}")
# Matched whole (fullmatch), ASCII only: exactly what the JSON Schema patterns accept.
_VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]*")


@attrs.define
class _Checker:
    doc: Document
    # For a document some of whose records could not be built: where each built record stood
    # in the file, the ids of the others (they exist, so references to them are fine), and
    # whether the version could be read.
    file_positions: dict[str, list[int]] | None = None
    other_ids: dict[str, str] = attrs.field(factory=dict)
    check_version: bool = True
    problems: list[Problem] = attrs.field(factory=list)
    kind_of: dict[str, str] = attrs.field(factory=dict)

    def at(self, kind: str, i: int) -> str:
        """The path of the ``i``-th record of ``kind``, as it stood in the file."""
        where = self.file_positions
        return f"{kind}[{where[kind][i] if where and kind in where else i}]"

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # ------------------------------------------------------------------ references

    def ref(self, path: str, ref: str | None, *kinds: str) -> None:
        if ref is None:
            return
        kind = self.kind_of.get(ref)
        if kind is None:
            self.add(path, f"{shown(ref)} does not exist")
        elif kind not in kinds:
            noun = "facility" if kind == "facilities" else kind[:-1]
            self.add(path, f"{shown(ref)} is a {noun}, expected {' or '.join(kinds)}")

    def refs(self, path: str, refs: Iterable[str], *kinds: str) -> None:
        get = self.kind_of.get
        for i, r in enumerate(refs):
            if get(r) not in kinds:  # paths are written only for the problems
                self.ref(f"{path}[{i}]", r, *kinds)

    def citations(self, path: str, cites: tuple[Citation, ...], required: bool = True) -> None:
        if required and not cites:
            self.add(path, "needs at least one citation")
        get = self.kind_of.get
        for i, c in enumerate(cites):
            quote = c.quote
            if get(c.source) == "sources" and (quote.strip() if quote is not None else c.locator):
                continue  # nothing to report: no path written
            p = f"{path}[{i}]"
            self.ref(f"{p}.source", c.source, "sources")
            if not (c.quote or c.locator):
                self.add(p, "needs a quote or a locator")
            if c.quote is not None and not c.quote.strip():
                self.add(f"{p}.quote", "is blank")

    def claims(self, path: str, claims: tuple[Claim, ...]) -> None:
        for i, cl in enumerate(claims):
            p = f"{path}[{i}]"
            self.ref(f"{p}.by", cl.by, "actors")
            self.citations(f"{p}.citations", cl.citations)

    def quantities(self, path: str, qs: tuple[Quantity, ...]) -> None:
        for i, q in enumerate(qs):
            self.citations(f"{path}[{i}].citations", q.citations)

    def country(self, path: str, code: str | None) -> None:
        if code is not None and not _COUNTRY_RE.fullmatch(code):
            self.add(path, f"{shown(code)} is not an ISO 3166-1 alpha-3 code (three capital letters)")

    def positions(self, path: str, ps: tuple[Position, ...]) -> None:
        for i, pos in enumerate(ps):
            p = f"{path}[{i}]"
            self.ref(f"{p}.organisation", pos.organisation, "actors")
            self.citations(f"{p}.citations", pos.citations, required=False)
            if pos.start is not None and pos.end is not None and pos.start._first_day() > pos.end._last_day():
                self.add(p, f"ends ({pos.end}) before it starts ({pos.start})")

    # ------------------------------------------------------------------ records

    def run(self) -> list[Problem]:
        if self.check_version and not _VERSION_RE.fullmatch(self.doc.version):
            self.add("version", f"{shown(self.doc.version)} is not a valid version label")
        # Where each id was first seen: its collection (kind_of) and its index there. Only
        # untracked values (strings, ints): 100,000 tuples here would cost the load a full
        # collection. Paths are written only for problems.
        first_index: dict[str, int] = {}
        kind_of = self.kind_of
        fullmatch = ID_RE.fullmatch
        for kind, i, rec in self.doc.records():
            rid = rec.id
            if not fullmatch(rid):
                example = "e.g. 'evt-2016-10-exercise'"
                self.add(
                    f"{self.at(kind, i)}.id",
                    f"{shown(rid)} is not a valid id (lower-case words joined by '-', {example})",
                )
            elif not rid.startswith(ID_PREFIX[kind] + "-"):
                self.add(f"{self.at(kind, i)}.id", f"{shown(rid)} should start with '{ID_PREFIX[kind]}-'")
            j = first_index.get(rid)
            if j is not None:
                self.add(f"{self.at(kind, i)}.id", f"duplicate id {shown(rid)} (also at {self.at(kind_of[rid], j)})")
            else:
                first_index[rid] = i
                kind_of[rid] = kind
        for rid, kind in self.other_ids.items():
            self.kind_of.setdefault(rid, kind)
        for kind in ID_PREFIX:
            check = getattr(self, f"check_{kind}")
            for i, rec in enumerate(getattr(self.doc, kind)):
                check(self.at(kind, i), rec)
        self.cycles("actors", "parent")
        self.cycles("places", "within")
        return self.problems

    def check_actors(self, p: str, a: Actor) -> None:
        self.country(f"{p}.country", a.country)
        self.ref(f"{p}.parent", a.parent, "actors")
        self.positions(f"{p}.positions", a.positions)
        self.citations(f"{p}.citations", a.citations)

    def check_places(self, p: str, pl: Place) -> None:
        self.country(f"{p}.country", pl.country)
        self.ref(f"{p}.within", pl.within, "places")
        self.citations(f"{p}.citations", pl.citations)
        if pl.coordinates is not None:
            if pl.precision not in (LocationPrecision.SITE, LocationPrecision.TOWN):
                self.add(
                    f"{p}.coordinates",
                    f"a {pl.precision.value}-level place has no point; give coordinates only for a site or town",
                )
            if not -90 <= pl.coordinates.lat <= 90:
                self.add(f"{p}.coordinates.lat", f"{pl.coordinates.lat} is outside -90..90")
            if not -180 <= pl.coordinates.lon <= 180:
                self.add(f"{p}.coordinates.lon", f"{pl.coordinates.lon} is outside -180..180")

    def check_sources(self, p: str, s: Source) -> None:
        if not s.language.strip():
            self.add(f"{p}.language", "is blank")

    def check_events(self, p: str, e: Event) -> None:
        # The most numerous records: empty collections are skipped before any path is written.
        self.citations(f"{p}.citations", e.citations)
        if e.places:
            self.refs(f"{p}.places", e.places, "places")
        get = self.kind_of.get
        for i, part in enumerate(e.participants):
            if get(part.actor) != "actors":
                self.ref(f"{p}.participants[{i}].actor", part.actor, "actors")
        if e.agreements:
            self.refs(f"{p}.agreements", e.agreements, "agreements")
        if e.facilities:
            self.refs(f"{p}.facilities", e.facilities, "facilities")
        if e.responds_to:
            self.refs(f"{p}.responds_to", e.responds_to, "events")
            if e.id in e.responds_to:
                self.add(f"{p}.responds_to", f"{e.id!r} cannot respond to itself")
        if e.quantities:
            self.quantities(f"{p}.quantities", e.quantities)
        if e.claims:
            self.claims(f"{p}.claims", e.claims)

    def check_agreements(self, p: str, a: Agreement) -> None:
        self.citations(f"{p}.citations", a.citations)
        for i, part in enumerate(a.parties):
            self.ref(f"{p}.parties[{i}].actor", part.actor, "actors")
        for i, m in enumerate(a.milestones):
            self.citations(f"{p}.milestones[{i}].citations", m.citations)
        for i, pr in enumerate(a.provisions):
            self.citations(f"{p}.provisions[{i}].citations", pr.citations)
        self.refs(f"{p}.places", a.places, "places")
        self.quantities(f"{p}.quantities", a.quantities)
        self.claims(f"{p}.claims", a.claims)

    def check_facilities(self, p: str, f: Facility) -> None:
        self.citations(f"{p}.citations", f.citations)
        self.ref(f"{p}.place", f.place, "places")
        self.refs(f"{p}.areas", f.areas, "places")
        for field in ("funders", "builders", "operators", "owners"):
            self.refs(f"{p}.{field}", getattr(f, field), "actors")
        for i, h in enumerate(f.history):
            self.citations(f"{p}.history[{i}].citations", h.citations)
        self.refs(f"{p}.agreements", f.agreements, "agreements")
        self.quantities(f"{p}.counts", f.counts)
        self.claims(f"{p}.claims", f.claims)

    def cycles(self, kind: str, attr: str) -> None:
        """Report each loop in the ``attr`` chains once, at the record where it closes.

        Each record is walked once (linear time, also for chains of a million records): a walk
        stops at a record an earlier walk has finished, and finds a loop when it comes back to
        a record of its own walk.
        """
        recs = getattr(self.doc, kind)
        up = {r.id: getattr(r, attr) for r in recs}
        index = {r.id: self.at(kind, i) for i, r in enumerate(recs)}
        done: set[str] = set()
        for start in up:
            if start in done:
                continue
            walk: list[str] = []
            position: dict[str, int] = {}
            cur: str | None = start
            while cur is not None and cur in up and cur not in done and cur not in position:
                position[cur] = len(walk)
                walk.append(cur)
                cur = up[cur]
            if cur is not None and cur in position:
                loop = walk[position[cur] :]
                self.add(f"{index[cur]}.{attr}", f"forms a cycle: {_chain_text([*loop, cur])}")
            done.update(walk)


def _chain_text(ids: list[str]) -> str:
    """``a -> b -> a``; a long chain keeps its ends, and odd ids are quoted and shortened."""
    shown_ids = [i if ID_RE.fullmatch(i) and len(i) <= 80 else shown(i, 60) for i in ids]
    if len(shown_ids) > 12:
        hidden = len(shown_ids) - 8
        shown_ids = [*shown_ids[:5], f"… ({hidden:,} more)", *shown_ids[-3:]]
    return " -> ".join(shown_ids)


def check_document(
    doc: Document,
    *,
    positions: dict[str, list[int]] | None = None,
    other_ids: dict[str, str] | None = None,
    check_version: bool = True,
) -> list[Problem]:
    """Every integrity problem in ``doc``, each with its path (empty when all is well).

    Args:
        doc: the document to check.
        positions: for records picked out of a larger file, the index each had there (by
            collection), so that paths name the file's records.
        other_ids: ids of records of the file that are not in ``doc`` (they could not be
            built), by collection; references to them are not reported.
        check_version: whether to check the version label.
    """
    checker = _Checker(doc, file_positions=positions, other_ids=other_ids or {}, check_version=check_version)
    return checker.run()
