"""Naive baseline for scripts/bench.py: a new folium.Map with one CircleMarker per site every rerun.

This is how most streamlit-folium apps are written, so the benchmark can say how much the real
app (app.py: constant base map, one compact layer through feature_group_to_add) gains over it.
It loads and queries the data with the same functions as app.py and has the same date slider.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import sys
from pathlib import Path

import folium
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import st_folium

# `streamlit run` puts this file's directory on sys.path, not the repository's root.
REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from components.assets import asset_urls, ensure_static_assets  # noqa: E402
from components.dataset import DATA_DIR, Dataset, load_dataset  # noqa: E402
from components.timeline import record_span, snapshot  # noqa: E402

COLOURS = {
    "active": "#0072B2",
    "drawdown": "#E69F00",
    "handed_over": "#009E73",
    "closed": "#6E6E6E",
}
DEFAULT_DATE = dt.date(2024, 9, 27)
JQUERY_STAND_IN = """window.$ = window.$ || function (markup) {
  var holder = document.createElement("template"); holder.innerHTML = markup.trim();
  return [holder.content.firstChild]; };"""


class _Script(MacroElement):
    """A fixed piece of JavaScript in the map's script, where it runs in order with the markers."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str):
        super().__init__()
        self._name = "Script"
        self.code = code


class _ShownDate(MacroElement):
    """Instrumentation only: tells the benchmark which date the map shows, as app.py's map does.

    Its script runs after every marker's script, so the date is set once the markers exist.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.footprintMapDate = {{ this.day|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, day: str):
        super().__init__()
        self._name = "ShownDate"
        self.day = day


@st.cache_resource(show_spinner=False)
def cached_dataset(path: str) -> Dataset:
    """Loaded once per directory, as a typical app caches its data; the map is what is naive."""
    return load_dataset(path)


def build_map(dataset: Dataset, day: dt.date) -> folium.Map:
    """A fresh map with every site of the day as its own CircleMarker, tooltip and popup."""
    snap = snapshot(dataset, day)
    fmap = folium.Map(location=[33.2, 43.7], zoom_start=6, tiles=None)
    # Leaflet from the app's own static files (no CDN), exactly as app.py gets it, so both maps
    # load the same scripts and the comparison is about how the map is built.
    fmap.default_js, fmap.default_css = asset_urls()
    # folium's popups call jQuery's $(html) to parse their HTML; folium would fetch jQuery from a
    # CDN, which this offline setup cannot reach, so a two-line stand-in does the same parsing.
    # Added first, so its script runs before the markers' (the component ignores header scripts).
    _Script(JQUERY_STAND_IN).add_to(fmap)
    for site in snap.sites.itertuples(index=False):
        popup = (
            f"<b>{html.escape(str(site.name))}</b><br>{html.escape(str(site.name_ar or ''))}"
            f"<br>{html.escape(str(site.status))} since {html.escape(str(site.since))}"
            f" ({html.escape(str(site.certainty))})"
        )
        folium.CircleMarker(
            location=[float(site.lat), float(site.lon)],
            radius=7,
            color="#1A1A1A",
            weight=1,
            fill=True,
            fill_color=COLOURS.get(site.status, "#0072B2"),
            fill_opacity=0.9,
            tooltip=html.escape(f"{site.name} — {site.status}"),
            popup=folium.Popup(popup, max_width=320),
        ).add_to(fmap)
    _ShownDate(day.isoformat()).add_to(fmap)
    return fmap


ensure_static_assets()
data = cached_dataset(os.environ.get("FOOTPRINT_DATA_DIR") or str(DATA_DIR))
first_day, last_day = record_span(data)
if "date" not in st.session_state:
    st.session_state["date"] = min(max(DEFAULT_DATE, first_day), last_day)
    wanted = st.query_params.get("date")
    if wanted:
        try:
            st.session_state["date"] = min(max(dt.date.fromisoformat(wanted), first_day), last_day)
        except ValueError:
            pass

st.title("Naive baseline")
st.slider(
    "Date",
    min_value=first_day,
    max_value=last_day,
    step=dt.timedelta(days=1),
    format="D MMM YYYY",
    key="date",
)
when: dt.date = st.session_state["date"]
st.markdown(f"### {when.isoformat()}")
st_folium(build_map(data, when), key="naive_map", height=620, use_container_width=True)
