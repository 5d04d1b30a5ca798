"""A deterministic generator of realistic synthetic sinotajik datasets, for benchmarks.

``generate(n)`` returns the wire form (a JSON-ready dict) of a valid dataset of about ``n``
records: mostly events, with the actors, places, sources, agreements and facilities they refer
to. The same ``n`` and ``seed`` always give the same bytes. The records look like the curated
ones: dates of every precision (day, month, year, approximate ``~``, uncertain ``?``, spans,
open spans), two to four participants with roles, one or two places, one to three citations
with quotes, some quantities with hedges, claims with stances, tags and CAMEO codes; agencies
sit under states and places within regions, without cycles.

Run it to write a file: ``python benchmarks/generate.py 100000 -o /tmp/100k.json``.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import sys
from typing import Any

__all__ = ["canonical_bytes", "generate", "jsonl_bytes"]

# Shares of each kind in a generated dataset (they add up to 1).
SHARES = {
    "events": 0.70,
    "sources": 0.18,
    "actors": 0.05,
    "places": 0.04,
    "agreements": 0.015,
    "facilities": 0.015,
}
_SINGULAR = {
    "actors": "actor",
    "places": "place",
    "sources": "source",
    "events": "event",
    "agreements": "agreement",
    "facilities": "facility",
}

_WORDS = [
    "joint",
    "border",
    "security",
    "exercise",
    "counter",
    "terrorism",
    "drill",
    "police",
    "ministry",
    "internal",
    "affairs",
    "public",
    "delegation",
    "meeting",
    "summit",
    "cooperation",
    "agreement",
    "mountain",
    "badakhshan",
    "pamir",
    "dushanbe",
    "beijing",
    "khorugh",
    "murghob",
    "training",
    "centre",
    "outpost",
    "checkpoint",
    "brigade",
    "special",
    "forces",
    "rapid",
    "reaction",
    "unit",
    "intelligence",
    "sharing",
    "equipment",
    "supply",
    "construction",
    "funding",
    "logistics",
    "coordination",
    "patrol",
    "军事",
    "联合",
    "演习",
    "反恐",
    "边境",
    "Таджикистан",
    "учения",
    "граница",
    "безопасность",
    "сотрудничество",
]
_EVENT_KINDS = ("exercise", "drill", "meeting", "statement", "summit", "signing", "announcement", "report")
_ROLES = ("host", "participant", "organiser", "observer", "signatory", "party", "speaker", "subject")
_SOURCE_KINDS = ("state_media", "independent_news", "partisan_news", "wire", "analysis", "official_statement")
_LEVELS = ("high", "medium", "low")
# Default values ("exactly", "medium", false) are left out, as the canonical form omits them.
_QUALIFIERS = ("about", "nearly", "at_least", "more_than", "up_to")
_STANCES = ("asserts", "denies", "disputes", "declines_to_comment")
_COUNTRIES = ("CHN", "TJK", "AFG", "PAK", "RUS", "KGZ", "UZB", "KAZ")
_LANGUAGES = ("en", "ru", "zh-Hans", "zh-Hant", "tg", "fa")


# Shares for an events-heavy dataset (queries on a million events without 400k other records).
EVENT_SHARES = {
    "events": 0.95,
    "sources": 0.03,
    "actors": 0.01,
    "places": 0.006,
    "agreements": 0.002,
    "facilities": 0.002,
}


def _counts(n: int, shares: dict[str, float]) -> dict[str, int]:
    counts = {kind: max(2, round(n * share)) for kind, share in shares.items()}
    counts["events"] = max(1, n - sum(v for k, v in counts.items() if k != "events"))
    return counts


class _Gen:
    def __init__(self, n: int, seed: int, shares: dict[str, float]) -> None:
        self.r = random.Random(seed)
        self.n = _counts(n, shares)
        self.ids: dict[str, list[str]] = {}

    # ------------------------------------------------------------------ values

    def words(self, lo: int, hi: int) -> str:
        r = self.r
        return " ".join(r.choice(_WORDS) for _ in range(r.randint(lo, hi)))

    def day(self) -> tuple[int, int, int]:
        r = self.r
        year = r.choices((r.randint(1995, 2014), r.randint(2015, 2026)), weights=(1, 3))[0]
        month = r.randint(1, 12)
        return year, month, r.randint(1, calendar.monthrange(year, month)[1])

    def date(self) -> str:
        """A date at a random precision, sometimes approximate or uncertain."""
        r = self.r
        y, m, d = self.day()
        p = r.random()
        text = f"{y:04d}-{m:02d}-{d:02d}" if p < 0.6 else f"{y:04d}-{m:02d}" if p < 0.85 else f"{y:04d}"
        q = r.random()
        return text + ("~" if q < 0.05 else "?" if q < 0.08 else "%" if q < 0.09 else "")

    def when(self) -> str:
        """An event date: mostly single dates, some closed spans, a few open spans."""
        r = self.r
        p = r.random()
        if p < 0.85:
            return self.date()
        y, m, d = self.day()
        if p < 0.97:
            end_day = min(d + r.randint(1, 10), calendar.monthrange(y, m)[1])
            return f"{y:04d}-{m:02d}-{d:02d}/{y:04d}-{m:02d}-{end_day:02d}"
        return f"{y:04d}-{m:02d}/.." if p < 0.99 else f"../{y:04d}"

    def citations(self, lo: int = 1, hi: int = 3) -> list[dict[str, Any]]:
        r = self.r
        out = []
        for _ in range(r.randint(lo, hi)):
            c: dict[str, Any] = {"source": r.choice(self.ids["sources"])}
            if r.random() < 0.8:
                c["quote"] = self.words(8, 25)
            if "quote" not in c or r.random() < 0.3:
                c["locator"] = f"paragraph {r.randint(1, 30)}"
            if r.random() < 0.2:
                c["supports"] = r.choice(("date", "participants", "places", "quantities"))
            out.append(c)
        return out

    def quantity(self) -> dict[str, Any]:
        r = self.r
        q: dict[str, Any] = {
            "what": r.choice(("participants", "troops", "vehicles", "debt", "border_posts")),
            "value": r.choice((r.randint(1, 5000), round(r.uniform(1, 1e9), 2))),
            "unit": r.choice(("person", "vehicle", "USD", "facility")),
            "citations": self.citations(1, 1),
        }
        if r.random() < 0.7:
            q["qualifier"] = r.choice(_QUALIFIERS)
        if r.random() < 0.5:
            q["confidence"] = r.choice(("high", "low"))
        return q

    def claim(self) -> dict[str, Any]:
        r = self.r
        c: dict[str, Any] = {
            "about": r.choice(("existence", "operator", "frequency", "participants")),
            "stance": r.choice(_STANCES),
            "statement": self.words(6, 20),
            "citations": self.citations(1, 2),
        }
        if r.random() < 0.8:
            c["by"] = r.choice(self.ids["actors"])
        if r.random() < 0.7:
            c["date"] = self.date()
        return c

    def participants(self, lo: int, hi: int) -> list[dict[str, Any]]:
        r = self.r
        actors = r.sample(self.ids["actors"], r.randint(lo, hi))
        out = []
        for a in actors:
            p: dict[str, Any] = {"actor": a, "role": r.choice(_ROLES)}
            if r.random() < 0.1:
                p["note"] = self.words(3, 8)
            out.append(p)
        return out

    # ------------------------------------------------------------------ records

    def actor(self, i: int, rid: str) -> dict[str, Any]:
        r = self.r
        n_states = max(1, len(self.ids["actors"]) // 10)
        rec: dict[str, Any] = {"id": rid, "name": self.words(2, 6).title(), "citations": self.citations(1, 2)}
        if i < n_states:
            rec["kind"] = "state"
            rec["country"] = _COUNTRIES[i % len(_COUNTRIES)]
        else:
            rec["kind"] = r.choice(("agency", "agency", "person", "organisation"))
            rec["country"] = r.choice(_COUNTRIES)
            # Parents always come earlier in the list, so chains never loop.
            rec["parent"] = self.ids["actors"][r.randrange(i)]
        if r.random() < 0.6:
            rec["aliases"] = [self.words(1, 4) for _ in range(r.randint(1, 4))]
        if rec["kind"] == "person" and r.random() < 0.7:
            rec["positions"] = [
                {"title": self.words(2, 5), "organisation": self.ids["actors"][r.randrange(i)], "start": self.date()}
            ]
        return rec

    def place(self, i: int, rid: str) -> dict[str, Any]:
        r = self.r
        precision = r.choice(("site", "town", "town", "district", "region", "country")) if i else "country"
        rec: dict[str, Any] = {
            "id": rid,
            "name": self.words(1, 3).title(),
            "precision": precision,
            "country": r.choice(_COUNTRIES),
            "citations": self.citations(1, 1),
        }
        if i:
            rec["within"] = self.ids["places"][r.randrange(i)]
        if precision in ("site", "town"):
            rec["coordinates"] = {"lat": round(r.uniform(35, 42), 5), "lon": round(r.uniform(66, 80), 5)}
        if r.random() < 0.5:
            rec["aliases"] = [self.words(1, 2) for _ in range(r.randint(1, 3))]
        return rec

    def source(self, i: int, rid: str) -> dict[str, Any]:
        r = self.r
        rec: dict[str, Any] = {
            "id": rid,
            "publisher": self.words(1, 3).title(),
            "title": self.words(5, 14),
            "kind": r.choice(_SOURCE_KINDS),
            "reliability": r.choice(_LEVELS),
            "reliability_note": self.words(5, 15),
            "language": r.choice(_LANGUAGES),
            "url": f"https://news.example.org/{rid}",
        }
        if r.random() < 0.9:
            rec["published"] = self.date()
        if r.random() < 0.3:
            rec["author"] = self.words(2, 3).title()
        if r.random() < 0.1:
            rec["translation_of"] = "zh-Hans"
        return rec

    def event(self, i: int, rid: str) -> dict[str, Any]:
        r = self.r
        rec: dict[str, Any] = {
            "id": rid,
            "kind": r.choice(_EVENT_KINDS),
            "title": self.words(4, 12),
            "summary": self.words(20, 60),
            "date": self.when(),
            "citations": self.citations(1, 3),
            "participants": self.participants(2, 4),
            "places": r.sample(self.ids["places"], r.randint(1, 2)),
        }
        if r.random() < 0.3:
            rec["quantities"] = [self.quantity() for _ in range(r.randint(1, 2))]
        if r.random() < 0.2:
            rec["date_note"] = self.words(5, 15)
        if r.random() < 0.3:
            rec["series"] = r.choice(("Cooperation", "Interaction", "Peace Mission", "Coordination"))
        if r.random() < 0.1:
            rec["agreements"] = [r.choice(self.ids["agreements"])]
        if r.random() < 0.05:
            rec["facilities"] = [r.choice(self.ids["facilities"])]
        if r.random() < 0.6:
            rec["tags"] = sorted(set(r.sample(("ct", "border", "police", "military", "gbao", "sco"), r.randint(1, 3))))
        if r.random() < 0.3:
            rec["codes"] = [{"scheme": "cameo", "code": r.choice(("057", "062", "072", "111"))}]
        if r.random() < 0.7:
            rec["confidence"] = r.choice(("high", "low"))
        if r.random() < 0.1:
            rec["claims"] = [self.claim()]
        return rec

    def agreement(self, i: int, rid: str) -> dict[str, Any]:
        r = self.r
        rec: dict[str, Any] = {
            "id": rid,
            "kind": r.choice(("treaty", "intergovernmental_agreement", "mou", "contract", "mechanism")),
            "title": self.words(4, 10),
            "summary": self.words(15, 40),
            "status": r.choice(("signed", "in_force", "draft", "agreed")),
            "citations": self.citations(1, 2),
            "parties": self.participants(2, 3),
            "milestones": [
                {
                    "status": r.choice(("signed", "ratified", "in_force")),
                    "date": self.when(),
                    "citations": self.citations(1, 1),
                }
                for _ in range(r.randint(1, 3))
            ],
        }
        if r.random() < 0.5:
            rec["term"] = {"length": r.randint(1, 10), "unit": "year"}
            if r.random() < 0.5:
                rec["term"]["auto_renewal"] = True
        if r.random() < 0.6:
            rec["provisions"] = [
                {
                    "kind": r.choice(("joint_exercises", "training", "funding", "construction")),
                    "summary": self.words(5, 15),
                    "citations": self.citations(1, 1),
                }
            ]
        return rec

    def facility(self, i: int, rid: str) -> dict[str, Any]:
        r = self.r
        rec: dict[str, Any] = {
            "id": rid,
            "kind": r.choice(("border_post", "checkpoint", "training_centre", "base", "outpost")),
            "name": self.words(2, 5).title(),
            "summary": self.words(15, 40),
            "status": r.choice(("reported", "operational", "officially_denied", "planned")),
            "citations": self.citations(1, 2),
            "place": r.choice(self.ids["places"]),
            "funders": [r.choice(self.ids["actors"])],
            "history": [
                {
                    "status": r.choice(("reported", "operational")),
                    "date": self.date(),
                    "citations": self.citations(1, 1),
                }
            ],
        }
        if r.random() < 0.3:
            rec["claims"] = [self.claim()]
        return rec

    def document(self) -> dict[str, Any]:
        prefix = {"actors": "act", "places": "plc", "sources": "src", "events": "evt", "agreements": "agr"}
        prefix["facilities"] = "fac"
        for kind, count in self.n.items():
            width = len(str(count))
            # Zero-padded numbers keep ids sorted in generation order (the canonical order).
            self.ids[kind] = [f"{prefix[kind]}-synthetic-{i:0{width}d}" for i in range(count)]
        doc: dict[str, Any] = {"schema": 1, "version": f"bench-{sum(self.n.values())}"}
        for kind in ("actors", "places", "sources", "agreements", "facilities", "events"):
            make = getattr(self, _SINGULAR[kind])
            doc[kind] = [make(i, rid) for i, rid in enumerate(self.ids[kind])]
        return doc


def generate(n: int, *, seed: int = 20261123, shares: dict[str, float] | None = None) -> dict[str, Any]:
    """The wire form of a valid synthetic dataset of about ``n`` records (by default 70% events)."""
    return _Gen(n, seed, shares or SHARES).document()


def canonical_bytes(doc: dict[str, Any]) -> bytes:
    """The document's canonical JSON (sorted keys, two-space indent), as ``sinotajik.dumps`` writes it."""
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def jsonl_bytes(doc: dict[str, Any]) -> bytes:
    """The document as JSON Lines: a header line, then one record per line."""
    lines = [json.dumps({"schema": doc["schema"], "version": doc["version"]}, sort_keys=True)]
    for kind in ("actors", "places", "sources", "events", "agreements", "facilities"):
        for rec in doc[kind]:
            lines.append(json.dumps({"record": _SINGULAR[kind], **rec}, ensure_ascii=False, sort_keys=True))
    return ("\n".join(lines) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="about how many records")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--seed", type=int, default=20261123)
    p.add_argument("--jsonl", action="store_true", help="write JSON Lines instead of JSON")
    args = p.parse_args(argv)
    doc = generate(args.n, seed=args.seed)
    data = jsonl_bytes(doc) if args.jsonl else canonical_bytes(doc)
    if args.output:
        with open(args.output, "wb") as fh:
            fh.write(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
