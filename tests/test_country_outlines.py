"""Checks the bundled offline country outlines and the TopoJSON decoder that built them."""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTLINES = ROOT / "components" / "assets" / "countries.geojson"
SCRIPT = ROOT / "scripts" / "build_country_outlines.py"

EXPECTED = {
    "Iraq": "368",
    "Kuwait": "414",
    "Syria": "760",
    "Turkey": "792",
    "Iran": "364",
    "Saudi Arabia": "682",
    "Jordan": "400",
}


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_country_outlines", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return geometry["coordinates"]


def _points(geometry: dict[str, Any]) -> list[list[float]]:
    return [p for polygon in _polygons(geometry) for ring in polygon for p in ring]


def _bounds(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    pts = _points(geometry)
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), max(xs), min(ys), max(ys)


# --- The committed file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outlines() -> dict[str, Any]:
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_name(outlines: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["name"]: f for f in outlines["features"]}


def test_is_feature_collection_with_attribution(outlines: dict[str, Any]) -> None:
    assert outlines["type"] == "FeatureCollection"
    assert outlines["attribution"].startswith(
        "Made with Natural Earth (public domain), via the world-atlas npm package 2."
    )


def test_seven_named_features_with_iso_codes(outlines: dict[str, Any]) -> None:
    features = outlines["features"]
    assert len(features) == 7
    found = {f["properties"]["name"]: f["properties"]["iso_n3"] for f in features}
    assert found == EXPECTED
    for feature in features:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_iraq_bounds(by_name: dict[str, dict[str, Any]]) -> None:
    west, east, south, north = _bounds(by_name["Iraq"]["geometry"])
    assert west == pytest.approx(38.8, abs=0.15)
    assert east == pytest.approx(48.6, abs=0.15)
    assert south == pytest.approx(29.1, abs=0.15)
    assert north == pytest.approx(37.4, abs=0.15)


def test_neighbours_sit_where_expected(by_name: dict[str, dict[str, Any]]) -> None:
    # Coarse sanity checks that would catch swapped axes or a wrong transform.
    _, _, _, turkey_north = _bounds(by_name["Turkey"]["geometry"])
    assert turkey_north > 41.5
    _, iran_east, _, _ = _bounds(by_name["Iran"]["geometry"])
    assert iran_east > 62.5
    _, _, saudi_south, _ = _bounds(by_name["Saudi Arabia"]["geometry"])
    assert saudi_south < 17.5
    k_west, k_east, k_south, k_north = _bounds(by_name["Kuwait"]["geometry"])
    assert 46 < k_west < k_east < 49 and 28 < k_south < k_north < 30.5


def test_every_ring_closed_and_long_enough(outlines: dict[str, Any]) -> None:
    rings = 0
    for feature in outlines["features"]:
        for polygon in _polygons(feature["geometry"]):
            assert polygon, feature["properties"]["name"]
            for ring in polygon:
                rings += 1
                assert len(ring) >= 4
                assert ring[0] == ring[-1]
                assert all(a != b for a, b in itertools.pairwise(ring)), "consecutive duplicate"
    assert rings >= 7


def test_coordinates_in_region_and_rounded(outlines: dict[str, Any]) -> None:
    # The brief suggested lon 25..63, lat 12..42, but Natural Earth has Turkey's Black Sea
    # coast at 42.1 N and Iran's eastern edge at 63.3 E, so the box is half a degree wider.
    for feature in outlines["features"]:
        for lon, lat in _points(feature["geometry"]):
            assert 25 <= lon <= 63.5, (feature["properties"]["name"], lon, lat)
            assert 12 <= lat <= 42.5, (feature["properties"]["name"], lon, lat)
            assert round(lon, 3) == lon and round(lat, 3) == lat


def test_file_is_small() -> None:
    assert OUTLINES.stat().st_size < 150_000


# --- Decoder unit tests on a hand-made topology ------------------------------------------------

# Two unit squares side by side sharing the edge x=1, plus a separate island square, quantized
# with scale (0.5, 0.25) and translate (40, 30), so grid (x, y) -> (40 + x/2, 30 + y/4).
TINY: dict[str, Any] = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [40, 30]},
    "arcs": [
        [[1, 0], [0, 1]],  # 0: shared edge (1,0) -> (1,1)
        [[1, 1], [-1, 0], [0, -1], [1, 0]],  # 1: (1,1) -> (0,1) -> (0,0) -> (1,0)
        [[1, 1], [1, 0], [0, -1], [-1, 0]],  # 2: (1,1) -> (2,1) -> (2,0) -> (1,0)
        [[5, 5], [1, 0], [0, 1], [-1, 0], [0, -1]],  # 3: island (5,5)..(5,5)
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "001", "properties": {"name": "West"}, "arcs": [[0, 1]]},
                {
                    "type": "Polygon",
                    "id": "002",
                    "properties": {"name": "East"},
                    "arcs": [[-3, -1]],
                },
                {
                    "type": "MultiPolygon",
                    "id": "003",
                    "properties": {"name": "Islands"},
                    "arcs": [[[0, 1]], [[3]]],
                },
            ],
        }
    },
}


def test_decode_arc_sums_deltas_and_applies_transform() -> None:
    points = builder.decode_arc(
        [[4, 8], [2, -4], [-1, 1]], {"scale": [0.5, 0.25], "translate": [40, 30]}
    )
    # absolute grid: (4, 8), (6, 4), (5, 5)
    assert points == [[42.0, 32.0], [43.0, 31.0], [42.5, 31.25]]


def test_decode_arc_without_transform_is_absolute() -> None:
    assert builder.decode_arc([[44.5, 33.3], [44.6, 33.4]], None) == [[44.5, 33.3], [44.6, 33.4]]


def test_reversed_arc_index() -> None:
    arcs = builder.decode_arcs(TINY)
    assert builder.arc_points(arcs, 0) == [[40.5, 30.0], [40.5, 30.25]]
    assert builder.arc_points(arcs, ~0) == [[40.5, 30.25], [40.5, 30.0]]
    assert builder.arc_points(arcs, -3) == list(reversed(arcs[2]))
    assert arcs[2][0] == [40.5, 30.25]  # reversing did not mutate the decoded arc


def test_polygon_stitches_arcs_without_repeating_joints() -> None:
    arcs = builder.decode_arcs(TINY)
    west, east, _ = TINY["objects"]["countries"]["geometries"]
    assert builder.geometry_polygons(west, arcs) == [
        [[[40.5, 30.0], [40.5, 30.25], [40.0, 30.25], [40.0, 30.0], [40.5, 30.0]]]
    ]
    # East uses both arcs reversed (~2, ~0): it runs the shared edge the other way.
    assert builder.geometry_polygons(east, arcs) == [
        [[[40.5, 30.0], [41.0, 30.0], [41.0, 30.25], [40.5, 30.25], [40.5, 30.0]]]
    ]


def test_multipolygon_has_one_entry_per_polygon() -> None:
    arcs = builder.decode_arcs(TINY)
    islands = TINY["objects"]["countries"]["geometries"][2]
    polygons = builder.geometry_polygons(islands, arcs)
    assert len(polygons) == 2
    assert polygons[1] == [
        [[42.5, 31.25], [43.0, 31.25], [43.0, 31.5], [42.5, 31.5], [42.5, 31.25]]
    ]


def test_unsupported_geometry_rejected() -> None:
    with pytest.raises(ValueError):
        builder.geometry_polygons({"type": "LineString", "arcs": [0]}, [])


def test_clean_ring_rounds_dedupes_and_closes() -> None:
    ring = [[1.00001, 2.0], [1.0, 2.00004], [3.12345, 2.0], [3.12345, 4.0]]
    assert builder.clean_ring(ring) == [[1.0, 2.0], [3.123, 2.0], [3.123, 4.0], [1.0, 2.0]]


def test_simplify_drops_close_points_but_keeps_ring_valid() -> None:
    ring = [[0.0, 0.0], [0.001, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.002], [0.0, 0.0]]
    assert builder.simplify_ring(ring, 0.01) == [
        [0.0, 0.0],
        [1.0, 0.0],
        [1.0, 1.0],
        [0.0, 1.0],
        [0.0, 0.0],
    ]
    tiny = [[0.0, 0.0], [0.001, 0.0], [0.001, 0.001], [0.0, 0.001], [0.0, 0.0]]
    simplified = builder.simplify_ring(tiny, 0.01)
    assert len(simplified) >= 4 and simplified[0] == simplified[-1]


def test_build_collection_selects_by_name_and_checks_ids() -> None:
    collection = builder.build_collection(TINY, {"Islands": "003", "West": "001"}, 0.0, "9.9.9")
    assert [f["properties"] for f in collection["features"]] == [
        {"name": "Islands", "iso_n3": "003"},
        {"name": "West", "iso_n3": "001"},
    ]
    assert collection["features"][0]["geometry"]["type"] == "MultiPolygon"
    assert collection["features"][1]["geometry"]["type"] == "Polygon"
    assert collection["attribution"].endswith("world-atlas npm package 9.9.9")
    with pytest.raises(ValueError):
        builder.build_collection(TINY, {"West": "999"})
    with pytest.raises(KeyError):
        builder.build_collection(TINY, {"Nowhere": "004"})
