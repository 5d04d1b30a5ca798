"""Export the joint exercises and drills as a GeoJSON map layer (RFC 7946).

Run: python examples/geojson_map.py [OUTPUT.geojson]

Without an argument the file is written to a temporary folder. Open it in QGIS, geojson.io or
kepler.gl, or commit it to GitHub, which draws .geojson files as maps. A place gets a point
only when it is a site or a town with cited coordinates: a district, region or country is
never reduced to a fake point, so its feature has no geometry and says why.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import sinotajik
from sinotajik import Event, where

DATA_VERSION = "2026.11.2"  # pinned: the first release with sourced coordinates


def main(out: Path) -> None:
    ds = sinotajik.load(DATA_VERSION)
    exercises = sinotajik.select(ds, where.kind("exercise", "drill"), kind=Event)
    # A selection holds no places: look them up in the whole dataset.
    geo = sinotajik.to_geojson(exercises, context=ds)
    out.write_text(json.dumps(geo, ensure_ascii=False, indent=2), encoding="utf-8")

    features = geo["features"]
    points = [f for f in features if f["geometry"] is not None]
    print(f"{out.name}: {len(features)} features for {len(exercises)} exercises and drills, {len(points)} with a point")
    for f in points:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        print(f"  {p['date_label']:<16} {p['place_name']:<12} {lat:8.4f} {lon:8.4f}  {p['title']}")
    reasons = Counter(f["properties"]["no_point_reason"] for f in features if f["geometry"] is None)
    for reason, n in sorted(reasons.items()):
        print(f"  without a point ({n}): {reason}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp) / "exercises.geojson")
