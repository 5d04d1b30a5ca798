"""Follow one actor through the records, and see what was known about it at given dates.

Run: python examples/filter_by_actor_and_as_of.py [ACTOR_ID]

The default actor is China's Ministry of Public Security (act-chn-mps). Its units count for
it (``subordinates=True``). "As of" a date, the dataset holds only what the cited sources had
published by the end of that day: this is what an analyst could have known then.
"""

from __future__ import annotations

import sys

import sinotajik
from sinotajik import where

DATA_VERSION = "2026.11.2"
AS_OF = ("2016-01-01", "2021-08-17", "2021-08-19", "2021-10-14", "2021-10-28")


def main(actor_id: str = "act-chn-mps") -> None:
    ds = sinotajik.load(DATA_VERSION)
    actor = ds.get(actor_id, kind=sinotajik.Actor)
    involved = where.actor(actor_id, subordinates=True) & where.kind("event", "agreement", "facility")

    history = sinotajik.actor_history(ds, actor_id, subordinates=True)
    print(f"{actor.name} ({actor_id}) in release {ds.version}: {len(history)} records")
    for rec in history:
        entries = sinotajik.timeline([rec])
        label = entries[0].label if entries else "undated"
        print(f"  {label:<18} {rec.id}")

    print()
    print("the same filter, as of each date:")
    seen: set[str] = set()
    for day in AS_OF:
        known = {r.id for r in sinotajik.select(ds.as_of(day), involved)}
        new = ", ".join(sorted(known - seen)) or "nothing new"
        print(f"  as of {day}: {len(known)} of {len(history)} records known; new: {new}")
        seen |= known

    print()
    print(f"claims about these records that deny or dispute, in release {ds.version}:")
    for rec in sinotajik.select(ds, involved & where.contested()):
        for claim in rec.claims:
            if claim.stance in (sinotajik.Stance.DENIES, sinotajik.Stance.DISPUTES):
                who = ds.get(claim.by, kind=sinotajik.Actor).name if claim.by else "a source"
                print(f"  {rec.id}: {claim.stance} {claim.about} ({who})")


if __name__ == "__main__":
    main(*sys.argv[1:2])
