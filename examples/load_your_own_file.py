"""Keep only your own records in a file, lay them over a pinned release, see every problem.

Your file cites a bundled actor and place and a source of its own; it does not copy the
release. Run: python examples/load_your_own_file.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import sinotajik

BASE = "2026.11.2"  # the release your records build on

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "mine.json"
    doc = {
        "schema": 1,
        "sources": [
            {
                "id": "src-my-notes",
                "publisher": "Own research",
                "title": "My field notes",
                "kind": "analysis",
                "reliability": "medium",
                "reliability_note": "first-hand notes",
                "language": "en",
            }
        ],
        "events": [
            {
                "id": "evt-2099-01-01-my-event",
                "kind": "meeting",
                "title": "My event",
                "summary": "An example record.",
                "date": "2021-02-30",  # no such day
                "places": ["plc-dushanbe"],  # a bundled place
                "participants": [{"actor": "act-chn-mps", "role": "participant"}],  # a bundled actor
                "citations": [{"source": "src-missing", "quote": "..."}],  # no such source
            }
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        sinotajik.load(path=path, base=BASE)
    except sinotajik.DataError as err:
        print("the file has problems, nothing was loaded:")
        for line in err.lines():
            print("  " + line)

    # Fix both and load again, on the pinned release.
    doc["events"][0]["date"] = "2021-02-28"
    doc["events"][0]["citations"][0]["source"] = "src-my-notes"
    path.write_text(json.dumps(doc), encoding="utf-8")
    mine = sinotajik.load(path=path, base=BASE)
    event = mine.get("evt-2099-01-01-my-event", kind=sinotajik.Event)
    actor = mine.get(event.participants[0].actor, kind=sinotajik.Actor)
    print(f"loaded {mine.version}: {len(mine)} records; my event: {event.title}, with {actor.name}")
    added = sinotajik.diff(sinotajik.load(BASE), mine).added
    print("my records:", ", ".join(r.id for r in added))
