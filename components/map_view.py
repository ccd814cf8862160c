"""Builds the folium map: a base map whose script is the same on every date, and a per-date layer."""

from __future__ import annotations

import math
from typing import Any

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from components.assets import STATIC_URL, asset_urls
from components.settings import ONLINE_TILES_ATTRIBUTION, ONLINE_TILES_URL

OUTLINES_URL = f"{STATIC_URL}/countries.geojson"
STATUS_LABELS = {
    "active": "Active",
    "drawdown": "Drawdown",
    "handed_over": "Handed over",
    "closed": "Closed",
}
CERTAINTY_LABELS = {"reported": "Reported", "planned": "Planned", "disputed": "Disputed"}
# Used when a dataset has no sites at all, so the map still opens somewhere sensible.
FALLBACK_BOUNDS = ((29.0, 38.8), (37.4, 48.6))


class _BaseScript(MacroElement):
    """Adds outlines and legend once; the script has no data in it, so it never changes by date."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.footprintMap.addOutlines(
            {{ this._parent.get_name() }}, {{ this.outlines_url|tojson }}, {{ this.filled|tojson }}
        );
        window.footprintMap.addLegend({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, outlines_url: str, filled: bool):
        super().__init__()
        self._name = "FootprintBase"
        self.outlines_url = outlines_url
        # Filled land reads well with no tiles; over tiles only the borders are drawn.
        self.filled = filled


class _DateLayer(MacroElement):
    """The sites and movements of one date, sent as compact JSON and drawn by footprint-map.js."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.footprintMap.addSites({{ this._parent.get_name() }}, {{ this.payload|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict[str, Any]):
        super().__init__()
        self._name = "FootprintDateLayer"
        # tojson escapes <, >, & and ' so no data value can close the script or break out of it.
        self.payload = payload


def map_bounds(sites: pd.DataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    """South-west and north-east corners around every site, padded so edge markers stay visible."""
    if sites.empty:
        return FALLBACK_BOUNDS
    south, north = float(sites["lat"].min()), float(sites["lat"].max())
    west, east = float(sites["lon"].min()), float(sites["lon"].max())
    pad_lat = max((north - south) * 0.08, 0.5)
    pad_lon = max((east - west) * 0.08, 0.5)
    return (
        (max(south - pad_lat, -85.0), max(west - pad_lon, -180.0)),
        (min(north + pad_lat, 85.0), min(east + pad_lon, 180.0)),
    )


def build_base_map(
    bounds: tuple[tuple[float, float], tuple[float, float]], online_tiles: bool = False
) -> folium.Map:
    """A new map for every rerun (st_folium mutates it); same inputs give the same script."""
    (south, west), (north, east) = bounds
    center = ((south + north) / 2, (west + east) / 2)
    span = max(north - south, (east - west) * math.cos(math.radians(center[0])), 1e-6)
    zoom = max(2, min(12, int(math.log2(360 / span)) + 1))
    base = folium.Map(
        location=[round(center[0], 4), round(center[1], 4)],
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    # Set on the instance, not the class: other maps in the process keep folium's defaults.
    base.default_js, base.default_css = asset_urls()
    if online_tiles:
        folium.TileLayer(
            tiles=ONLINE_TILES_URL, attr=ONLINE_TILES_ATTRIBUTION, name="Basemap"
        ).add_to(base)
    _BaseScript(OUTLINES_URL, filled=not online_tiles).add_to(base)
    return base


def site_payload(
    sites: pd.DataFrame, sources: pd.DataFrame, movements: pd.DataFrame | None = None
) -> dict[str, Any]:
    """Compact rows for footprint-map.js: each site once, each cited source once."""
    by_id = sources.set_index("source_id")
    source_index: dict[str, int] = {}
    source_rows: list[list[str]] = []

    def cite(source_id: str) -> int:
        if source_id not in source_index:
            source_index[source_id] = len(source_rows)
            row = by_id.loc[source_id]
            url = row["url"] if isinstance(row["url"], str) else ""
            published = row["published"] if isinstance(row["published"], str) else "undated"
            source_rows.append([row["publisher"], published, url])
        return source_index[source_id]

    site_rows = [
        [
            site_id,
            round(float(lat), 5),
            round(float(lon), 5),
            name,
            name_ar if isinstance(name_ar, str) else "",
            status,
            certainty,
            since,
            [cite(source_id) for source_id in source_ids],
        ]
        for site_id, lat, lon, name, name_ar, status, certainty, since, source_ids in zip(
            sites["site_id"],
            sites["lat"],
            sites["lon"],
            sites["name"],
            sites["name_ar"],
            sites["status"],
            sites["certainty"],
            sites["since"],
            sites["source_ids"],
        )
    ]
    moves = []
    if movements is not None:
        for move in movements.itertuples(index=False):
            label = f"{move.from_name} → {move.to_name}, {move.date}: {move.description}"
            moves.append(
                [move.from_lat, move.from_lon, move.to_lat, move.to_lon, label, move.certainty]
            )
    return {"sites": site_rows, "sources": source_rows, "moves": moves}


def build_date_layer(
    sites: pd.DataFrame, sources: pd.DataFrame, movements: pd.DataFrame | None = None
) -> folium.FeatureGroup:
    """The layer st_folium swaps in place (feature_group_to_add) when the date changes."""
    group = folium.FeatureGroup(name="Sites on the selected date")
    _DateLayer(site_payload(sites, sources, movements)).add_to(group)
    return group


def nearest_site(
    sites: pd.DataFrame, lat: float, lon: float, max_degrees: float = 0.5
) -> str | None:
    """The site whose marker was clicked: st_folium reports only the marker's position."""
    if sites.empty:
        return None
    distance = (sites["lat"] - lat) ** 2 + ((sites["lon"] - lon) * math.cos(math.radians(lat))) ** 2
    best = distance.idxmin()
    if distance[best] > max_degrees**2:
        return None
    return str(sites.loc[best, "site_id"])
