"""Load a dataset file of your own, see every problem in it, and save it canonically.

Run: python examples/load_your_own_file.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import sinotajik

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "mine.json"
    # Start from the bundled data, add a record of your own with a mistake in it.
    doc = json.loads(sinotajik.dumps(sinotajik.load()))
    doc["events"].append(
        {
            "id": "evt-2099-01-01-my-event",
            "kind": "meeting",
            "title": "My event",
            "summary": "An example record.",
            "date": "2021-02-30",  # no such day
            "citations": [{"source": "src-missing", "quote": "..."}],  # no such source
        }
    )
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        sinotajik.load(path=path)
    except sinotajik.DataError as err:
        print("the file has problems, nothing was loaded:")
        for line in err.lines():
            print("  " + line)

    # Fix both and load again.
    doc["events"][-1]["date"] = "2021-02-28"
    doc["events"][-1]["citations"][0]["source"] = doc["sources"][0]["id"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    mine = sinotajik.load(path=path)
    print(f"loaded {len(mine)} records; my event: {mine.get('evt-2099-01-01-my-event').title}")
    sinotajik.save(mine, path)  # canonical, byte-stable, written atomically
