"""Builds the folium map: a base map whose script is the same on every date, and a per-date layer."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import pandas as pd
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from components import derived
from components.assets import (
    STATIC_DIR,
    STATIC_URL,
    PrivateFile,
    asset_urls,
    publish_json,
    publish_private_json,
)
from components.dataset import OPEN_END_DAY, Dataset, day_numbers
from components.i18n import map_labels
from components.settings import ONLINE_TILES_ATTRIBUTION, ONLINE_TILES_URL
from components.style import script_style
from components.timeline import movements_between, period_day_spans, period_table

OUTLINES_URL = f"{STATIC_URL}/countries.geojson"
BASEMAP_URL = f"{STATIC_URL}/basemap.geojson"
# Characters escaped in JSON inside a script: <, > and & cannot close the tag or start a comment,
# and U+2028/U+2029 are line breaks to older JavaScript parsers.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
# An opening brace that would start a Jinja2 tag, comment or expression.
_TEMPLATE_START = re.compile(r"\{(?=[{%#])")
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
        window.footprintMap.setStyle({{ this.style_json }});
        window.footprintMap.setLabels({{ this.labels_json }});
        {% if this.high_contrast %}
        {{ this._parent.get_name() }}.getContainer().classList.add("fp-high-contrast");
        {% endif %}
        window.footprintMap.fillFrame({{ this._parent.get_name() }});
        window.footprintMap.addBasemap({{ this._parent.get_name() }}, {{ this.basemap_url|tojson }});
        window.footprintMap.addFullscreen({{ this._parent.get_name() }});
        window.footprintMap.addLegend({{ this._parent.get_name() }});
        {% if this.presenter_keys %}
        window.footprintMap.forwardPresenterKeys();
        {% endif %}
        window.footprintMap.fitBesideLegend({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% if this.follow_slider %}
        window.footprintMap.followSlider(
            {{ this._parent.get_name() }},
            {{ this.follow_slider|tojson }},
            {{ this.move_window_days|tojson }}
        );
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        outlines_url: str,
        filled: bool,
        bounds: Any,
        labels: dict[str, Any],
        follow_slider: str | None,
        move_window_days: int,
        presenter_keys: bool = False,
        high_contrast: bool = False,
    ):
        super().__init__()
        self.labels_json = script_json(labels)
        self.style_json = script_json(script_style())
        self.basemap_url = BASEMAP_URL
        self.presenter_keys = presenter_keys
        self.high_contrast = high_contrast
        self.follow_slider = follow_slider
        self.move_window_days = move_window_days
        self.bounds = [list(corner) for corner in bounds]
        self._name = "FootprintBase"
        self.outlines_url = outlines_url
        # Filled land reads well with no tiles; over tiles only the borders are drawn.
        self.filled = filled


class _ScriptText(Element):
    """Script put into the page as it is, where branca would compile it as a template first."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _DateLayer(MacroElement):
    """The sites and movements of one date, sent as compact JSON and drawn by footprint-map.js."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.footprintMap.addSites({{ this._parent.get_name() }}, {{ this.payload_json }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict[str, Any]):
        super().__init__()
        self._name = "FootprintDateLayer"
        self.payload_json = script_json(payload)

    def render(self, **kwargs: Any) -> None:
        """As MacroElement.render, without compiling the rendered script as a Jinja2 template
        again: at 10,000 sites that meant lexing half a megabyte of JSON on every rerun."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the layer inside a map"
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_ScriptText(script(self, kwargs)), name=self.get_name())


def map_bounds(sites: pd.DataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    """South-west and north-east corners around every site, padded so edge markers stay visible."""
    if sites.empty:
        return FALLBACK_BOUNDS
    south, north = float(sites["lat"].min()), float(sites["lat"].max())
    west, east = float(sites["lon"].min()), float(sites["lon"].max())
    pad_lat = max((north - south) * 0.03, 0.3)
    pad_lon = max((east - west) * 0.03, 0.3)
    return (
        (max(south - pad_lat, -85.0), max(west - pad_lon, -180.0)),
        (min(north + pad_lat, 85.0), min(east + pad_lon, 180.0)),
    )


def build_base_map(
    bounds: tuple[tuple[float, float], tuple[float, float]],
    online_tiles: bool = False,
    lang: str = "en",
    follow_slider: str | None = None,
    move_window_days: int = 0,
    presenter_keys: bool = False,
    high_contrast: bool = False,
) -> folium.Map:
    """A new map for every rerun (st_folium mutates it); same inputs give the same script.

    `follow_slider` is the widget key of the page's date slider (found through the page's
    adapter, components/streamlit_dom.py): the map then draws the slider's date in the browser as soon as it
    moves, from the catalogue, without waiting for the rerun. `move_window_days` must match the
    window the page uses for movements, so both paths draw the same arrows. With
    `presenter_keys` the slide keys pressed while the map has the focus go to the page's
    presenter (briefing mode); `high_contrast` sets the projector theme's larger type.
    """
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
        # Quarter zoom steps: the fit to the frame can fill it instead of falling a whole level short.
        zoom_snap=0.25,
    )
    # Set on the instance, not the class: other maps in the process keep folium's defaults.
    base.default_js, base.default_css = asset_urls()
    if online_tiles:
        folium.TileLayer(
            tiles=ONLINE_TILES_URL, attr=ONLINE_TILES_ATTRIBUTION, name="Basemap"
        ).add_to(base)
    _BaseScript(
        OUTLINES_URL,
        filled=not online_tiles,
        bounds=bounds,
        labels=map_labels(lang),
        follow_slider=follow_slider,
        move_window_days=move_window_days,
        presenter_keys=presenter_keys,
        high_contrast=high_contrast,
    ).add_to(base)
    return base


@dataclass(frozen=True)
class MapCatalog:
    """What the browser fetches once per dataset: every site's place and names, every source."""

    url: str
    # One layer row per status period, made once: a date's layer only picks rows by period_row.
    period_rows: list[list[Any]]
    # Where the file is, so a rerun can tell it went missing (static/ deleted while running).
    path: Path | None = None
    # An uploaded dataset's catalogue: its own unguessable file, deleted with this object.
    private_file: PrivateFile | None = None


def catalog_content(dataset: Dataset, timeline: bool = True) -> dict[str, list[list[Any]]]:
    """Sites as [id, lat, lon, English name, Arabic name, short English name]; sources as
    [publisher, date, url].

    With `timeline`, also what the browser needs to draw any date by itself (followSlider):
    every status period as its layer row ("states") and its first and last day since 1970
    ("spans", null when open-ended), and every movement as [first day, last day, *layer row].
    """
    sites = dataset.sites
    sources = dataset.sources
    content = {
        "sites": [
            [
                site_id,
                round(float(lat), 5),
                round(float(lon), 5),
                name,
                _text(name_ar),
                short_name(name),
            ]
            for site_id, lat, lon, name, name_ar in zip(
                sites["site_id"], sites["lat"], sites["lon"], sites["name_en"], sites["name_ar"]
            )
        ],
        "sources": [
            [publisher, _text(published) or "undated", _text(url)]
            for publisher, published, url in zip(
                sources["publisher"], sources["published"], sources["url"]
            )
        ],
    }
    if timeline:
        content["states"] = _period_rows(dataset)
        content["spans"] = _period_spans(dataset)
        moves = movements_between(dataset, dt.date.min, dt.date.max)
        content["moves"] = [
            [first, last, *move_row(move)]
            for first, last, move in zip(
                _open_days(moves["date_first"]),
                _open_days(moves["date_last"]),
                moves.itertuples(index=False),
            )
        ]
    return content


SHORT_NAME_CHARS = 34


def short_name(name: str) -> str:
    """A label to print beside a marker: the name without its asides (parentheses, "/ other
    name"); a long one keeps only what follows its last comma, usually the place."""
    short = re.sub(r"\s*\([^)]*\)", "", name).split(" / ")[0].strip() or name.strip()
    if len(short) > SHORT_NAME_CHARS and ", " in short:
        short = short.rsplit(", ", 1)[1]
    if len(short) > SHORT_NAME_CHARS:
        short = short[: SHORT_NAME_CHARS - 1].rstrip() + "…"
    return short


def _period_rows(dataset: Dataset) -> list[list[Any]]:
    """One layer row per status period: [site index, status, certainty, since, [source index]]."""
    site_index = {site_id: n for n, site_id in enumerate(dataset.sites["site_id"])}
    source_index = {source_id: n for n, source_id in enumerate(dataset.sources["source_id"])}
    periods = period_table(dataset)
    return [
        [site_index[site_id], status, certainty, since, [source_index[i] for i in ids]]
        for site_id, status, certainty, since, ids in zip(
            periods["site_id"],
            periods["status"],
            periods["certainty"],
            periods["since"],
            periods["source_ids"],
        )
    ]


def _period_spans(dataset: Dataset) -> list[list[int | None]]:
    """[first day, last day] of each period in period_table's order, as snapshot compares them."""
    starts, ends = period_day_spans(dataset)
    return [
        [int(first), None if last >= OPEN_END_DAY else int(last)]
        for first, last in zip(starts, ends)
    ]


def _open_days(values: pd.Series) -> list[int | None]:
    return [None if day >= OPEN_END_DAY else int(day) for day in day_numbers(values)]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def publish_catalog(
    dataset: Dataset, static_dir: Path = STATIC_DIR, private: bool = False
) -> MapCatalog:
    """Writes the dataset's catalogue under static/ (once per dataset) and indexes it.

    The bundled data's catalogue is named by its content. An upload's (`private`) is that
    session's alone: an unguessable name, only ever sent to that session, and the file is
    deleted when the session drops the dataset (it ends, loads another, or goes back to the
    bundled data), since the catalogue is kept with the dataset (components/derived.py). A file that went missing
    is written again.
    """
    key = ("map_catalog", str(static_dir), private)
    catalog = derived.known(dataset, key)
    if catalog is not None and catalog.path is not None and catalog.path.is_file():
        return catalog
    content = catalog_content(dataset)
    if private:
        private_file = publish_private_json(content, static_dir)
        url, path = private_file.url, private_file.path
    else:
        private_file = None
        url = publish_json(content, "catalog", static_dir)
        path = static_dir / url.removeprefix(f"{STATIC_URL}/")
    catalog = MapCatalog(url, content["states"], path, private_file)
    # A catalogue whose file went missing is replaced, not kept beside the new one.
    derived.forget(dataset, lambda k: k != key)
    return derived.once(dataset, key, lambda: catalog)


def release_private_catalogs(datasets: list[Dataset]) -> None:
    """Deletes the private catalogue files of these (uploaded) datasets and forgets them."""
    for dataset in datasets:
        private = derived.forget(
            dataset, lambda k: not (k[:1] == ("map_catalog",) and k[-1] is True)
        )
        for catalog in private:
            if catalog.private_file is not None:
                catalog.private_file.remove()
    datasets.clear()


def site_payload(
    day: str,
    sites: pd.DataFrame,
    catalog: MapCatalog,
    movements: pd.DataFrame | None = None,
    changed: frozenset[str] = frozenset(),
    fit: tuple[tuple[float, float], tuple[float, float]] | None = None,
    compare: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What changes with the date: each site's status, as indices into the catalogue.

    The date travels with the layer, so the page (and its tests) can tell which day it shows.
    `compare` is compare_overlay's view of a second date (compare mode).
    """
    period_rows = sites["period_row"].tolist()
    site_rows = [catalog.period_rows[row] for row in period_rows]
    if changed:
        # Lists, not the frame's isin: a string column's isin takes a second at 10,000 sites.
        site_rows = [
            [*row, 1] if site_id in changed else row
            for site_id, row in zip(sites["site_id"].tolist(), site_rows)
        ]
    moves = [] if movements is None else [move_row(m) for m in movements.itertuples(index=False)]
    payload = {"date": day, "catalog": catalog.url, "sites": site_rows, "moves": moves}
    if fit is not None:
        # Briefing steps move the view through the layer, so the base map (and iframe) stays.
        payload["fit"] = [list(corner) for corner in fit]
    if compare is not None:
        payload["compare"] = compare
    return payload


def compare_overlay(
    shown: pd.DataFrame,
    other: pd.DataFrame,
    other_when: dt.date,
    catalog: MapCatalog,
    earlier: str,
    later: str,
    other_day: str,
    shown_is_later: bool,
) -> dict[str, Any]:
    """What the map adds in compare mode: the other date (as days since 1970, and in words) and
    the "ghosts", layer rows of sites on the map only at the other date, drawn apart.

    `shown` and `other` are the sites of the map's date and of the other date (filtered alike).
    The browser works out each ringed site's status at the other date from the catalogue, as
    it does when following the slider, so the layer carries nothing per changed site.
    """
    # Plain lists: iterating the frames' string columns costs seconds at 10,000 sites.
    shown_ids = set(shown["site_id"].tolist())
    ghosts = [
        catalog.period_rows[row]
        for site_id, row in zip(other["site_id"].tolist(), other["period_row"].tolist())
        if site_id not in shown_ids
    ]
    return {
        "day": (other_when - dt.date(1970, 1, 1)).days,
        "earlier": earlier,
        "later": later,
        "other": other_day,
        "shownIsLater": shown_is_later,
        "ghosts": ghosts,
    }


def move_row(move: Any) -> list[Any]:
    """A movement (a row of movements_between) as [from lat, from lon, to lat, to lon, label, certainty]."""
    label = f"{move.from_name} → {move.to_name}, {move.date}: {move.description}"
    return [move.from_lat, move.from_lon, move.to_lat, move.to_lon, label, move.certainty]


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script>: compact, UTF-8, no character that could end the tag.

    Nor any template tag: branca compiles each element's rendered script as a Jinja2 template
    again, so "{{", "{%" or "{#" from data would be run or break the map. Compact JSON never
    has those outside strings (an object starts with '{"' or '{}'), so each such "{" is in a
    string, where \\u007b is the same character to JavaScript.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return _TEMPLATE_START.sub(r"\\u007b", text)


def build_date_layer(payload: dict[str, Any]) -> folium.FeatureGroup:
    """The layer st_folium swaps in place (feature_group_to_add) when the date changes."""
    group = folium.FeatureGroup(name="Sites on the selected date")
    _DateLayer(payload).add_to(group)
    return group


SITE_TAG = re.compile(r"\[\[(.+?)\]\]")


def clicked_site(tooltip: object, known: set[str]) -> str | None:
    """The site id footprint-map.js puts in each marker's tooltip ("[[id]]", hidden), which
    streamlit-folium returns as the clicked object's tooltip text; None when there is none."""
    if not isinstance(tooltip, str):
        return None
    found = SITE_TAG.search(tooltip)
    return found.group(1) if found and found.group(1) in known else None


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
