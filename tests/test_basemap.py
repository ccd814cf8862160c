"""Checks the bundled basemap context (governorates, region, rivers, cities) and its builder."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
BASEMAP = ROOT / "components" / "assets" / "basemap.geojson"
SCRIPT = ROOT / "scripts" / "build_basemap.py"
ARABIC = re.compile("[\u0600-\u06ff]")


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_basemap", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


def features(kind: str) -> list[dict]:
    collection = json.loads(BASEMAP.read_text(encoding="utf-8"))
    return [f for f in collection["features"] if f["properties"]["kind"] == kind]


def test_basemap_is_small_and_credits_its_sources() -> None:
    assert BASEMAP.stat().st_size < 60_000  # loaded on every page: tens of KB, not MB
    attribution = json.loads(BASEMAP.read_text(encoding="utf-8"))["attribution"]
    assert "Natural Earth" in attribution and "GeoNames" in attribution


def test_all_eighteen_governorates_inside_iraq_with_both_names() -> None:
    governorates = features("governorate")
    assert len(governorates) == 18
    for feature in governorates:
        assert ARABIC.search(feature["properties"]["name_ar"])
        for polygon in feature["geometry"]["coordinates"]:
            for lon, lat in polygon[0]:
                assert 38.7 <= lon <= 48.7 and 29.0 <= lat <= 37.4, feature["properties"]


def test_kurdistan_region_border_runs_round_its_three_governorates() -> None:
    (region,) = features("region")
    lines = region["geometry"]["coordinates"]
    points = [point for line in lines for point in line]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    # From the Syrian border to the Iranian one, and south to below Sulaymaniyah (35.5 N).
    assert min(lons) < 42.6 and max(lons) > 46.0
    assert min(lats) < 35.0 and max(lats) > 37.2
    # No inner border: the points where Erbil and Sulaymaniyah meet, and no other governorate
    # does, are all well away from the line.
    rings = {
        f["properties"]["code"]: {
            tuple(p) for polygon in f["geometry"]["coordinates"] for p in polygon[0]
        }
        for f in features("governorate")
    }
    outside = set().union(*(r for code, r in rings.items() if code not in {"IQ.AR", "IQ.SU"}))
    inner = (rings["IQ.AR"] & rings["IQ.SU"]) - outside
    assert len(inner) >= 5
    for lon, lat in inner:
        nearest = min(abs(lon - x) + abs(lat - y) for x, y in points)
        assert nearest > 0.05, (lon, lat)


def test_rivers_and_cities_are_named_in_english_and_arabic() -> None:
    rivers = {f["properties"]["name"]: f["properties"]["name_ar"] for f in features("river")}
    assert rivers["Tigris"] == "دجلة" and rivers["Euphrates"] == "الفرات"
    cities = {f["properties"]["name"]: f for f in features("city")}
    assert {"Baghdad", "Erbil", "Basra", "Mosul", "Kirkuk"} <= set(cities)
    assert cities["Baghdad"]["properties"]["name_ar"] == "بغداد"
    assert cities["Erbil"]["properties"]["name_ar"] == "أربيل"
    lon, lat = cities["Baghdad"]["geometry"]["coordinates"]
    assert abs(lat - 33.34) < 0.1 and abs(lon - 44.4) < 0.1


def test_arabic_name_skips_kurdish_and_persian_spellings() -> None:
    assert builder.arabic_name(["Karbala", "كةربالا", "کربلا", "كربلاء"]) == "كربلاء"
    assert builder.arabic_name(["Erbil", "اربیل", "أربيل"]) == "أربيل"
    assert builder.arabic_name(["Mosul", "موسڵ", "موصل", "الموصل"]) == "الموصل"


def test_region_border_keeps_only_arcs_that_one_governorate_owns() -> None:
    # Two squares side by side share arc 1: the region's border is arcs 0 and 2 only.
    topology = {
        "type": "Topology",
        "arcs": [
            [[0, 0], [0, 1], [1, 1]],
            [[1, 1], [1, 0]],
            [[1, 0], [0, 0]],
            [[1, 1], [2, 1], [2, 0], [1, 0]],
        ],
        "objects": {
            "irq": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "id": code, "arcs": [[0, 1, 2]]}
                    if code == "IQ.AR"
                    else {"type": "Polygon", "id": code, "arcs": [[3, ~1]]}
                    if code == "IQ.SU"
                    else {"type": "Polygon", "id": code, "arcs": [[3]]}
                    for code in builder.GOVERNORATES
                ],
            }
        },
    }
    region = builder.governorate_features(topology, 0.0)[-1]
    assert region["properties"]["kind"] == "region"
    # Erbil alone uses arcs 0 and 2; arc 1 it shares with Sulaymaniyah, arc 3 Sulaymaniyah with
    # Duhok: inner borders. Governorates outside the region use arc 3 too, and do not count.
    assert region["geometry"]["coordinates"] == [
        [[0, 0], [0, 1], [1, 1]],
        [[1, 0], [0, 0]],
    ]


def test_rivers_are_cut_to_the_map_area() -> None:
    line = [[36.0, 37.0], [38.5, 36.9], [40.0, 35.0], [51.0, 30.0], [47.0, 30.5], [48.0, 30.0]]
    assert builder.clipped(line) == [[[38.5, 36.9], [40.0, 35.0]], [[47.0, 30.5], [48.0, 30.0]]]
