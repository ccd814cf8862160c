"""Coalition Footprint in Iraq: the Streamlit page. Wiring only; the work is in components/."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from components import map_view, panels
from components.assets import AssetError, ensure_static_assets
from components.chart import cached_troop_spec, with_selected_date
from components.dataset import DATA_DIR, Dataset, DatasetError, load_dataset
from components.dates import describe_day
from components.settings import read_map_settings
from components.timeline import (
    event_days,
    movements_between,
    phases,
    record_span,
    snapshot,
    source_labels,
)
from components.url_state import read_date_param, read_site_param

MOVES_WINDOW = dt.timedelta(days=120)
MAP_HEIGHT = 620
DEFAULT_DATE = dt.date(2024, 9, 27)

st.set_page_config(page_title="Coalition Footprint in Iraq", layout="wide")


@st.cache_resource(show_spinner=False)
def cached_dataset(path: str, stamp: tuple[float, ...]) -> Dataset:
    """Loads once per data directory and file modification times (stamp is only a cache key)."""
    return load_dataset(path)


@st.cache_resource(show_spinner=False)
def static_assets_problem() -> str | None:
    """Puts the map's files under static/ once per server; returns what went wrong, if anything."""
    try:
        ensure_static_assets()
    except (AssetError, OSError) as error:
        return str(error)
    return None


def map_catalog(data: Dataset) -> map_view.MapCatalog | None:
    """The map's per-dataset catalogue under static/; None (and a message) if it cannot be written."""
    try:
        return map_view.publish_catalog(data)
    except OSError as error:
        st.error(f"The map cannot be drawn: {panels.safe_text(error)}")
        return None


def data_directory() -> Path:
    return Path(os.environ.get("FOOTPRINT_DATA_DIR") or DATA_DIR)


def load_or_explain() -> Dataset:
    directory = data_directory()
    stamp = (
        tuple(p.stat().st_mtime for p in sorted(directory.glob("*.csv")))
        if directory.is_dir()
        else ()
    )
    try:
        return cached_dataset(str(directory), stamp)
    except DatasetError as error:
        st.error(f"The data in {panels.safe_text(directory)} cannot be shown.")
        st.markdown("\n".join(f"- {panels.safe_text(p)}" for p in error.problems))
        st.stop()
        raise


def set_date(day: dt.date) -> None:
    st.session_state["date"] = day


def step_event(days: list[dt.date], forward: bool) -> None:
    current = st.session_state["date"]
    later = [d for d in days if d > current]
    earlier = [d for d in days if d < current]
    if forward and later:
        set_date(later[0])
    elif not forward and earlier:
        set_date(earlier[-1])


def jump_to_phase(starts: dict[str, dt.date]) -> None:
    chosen = st.session_state.get("phase_jump")
    if chosen in starts:
        set_date(starts[chosen])
    st.session_state["phase_jump"] = None


dataset = load_or_explain()
assets_problem = static_assets_problem()
catalog = map_catalog(dataset)
first_day, last_day = record_span(dataset)
all_phases = phases(dataset)
days_with_events = event_days(dataset)

if "date" not in st.session_state:
    wanted, date_warning = read_date_param(st.query_params.get("date"), first_day, last_day)
    site_wanted, site_warning = read_site_param(
        st.query_params.get("site"), set(dataset.sites["site_id"])
    )
    st.session_state["date"] = wanted or min(max(DEFAULT_DATE, first_day), last_day)
    st.session_state["site"] = site_wanted
    st.session_state["url_warnings"] = [w for w in (date_warning, site_warning) if w]

st.title("Coalition Footprint in Iraq")
st.caption(
    "Where U.S. and coalition forces were, what changed, and who says so. Every figure cites its source."
)
for warning in st.session_state.get("url_warnings", []):
    st.warning(panels.safe_text(warning) + " Showing the default view instead.")
for warning in dataset.warnings:
    st.warning(panels.safe_text(warning))

map_settings = read_map_settings()
if map_settings.problem:
    st.warning(panels.safe_text(map_settings.problem))

with st.sidebar:
    st.markdown("**Map settings**")
    online_tiles = st.toggle(
        "Online map tiles (needs internet; off: country outlines only, nothing leaves this machine)",
        value=map_settings.tiles == "online",
        key="online_tiles",
    )

st.slider(
    "Date",
    min_value=first_day,
    max_value=last_day,
    step=dt.timedelta(days=1),
    format="D MMM YYYY",
    key="date",
)
nav_back, nav_forward, _ = st.columns([1, 1, 4])
nav_back.button(
    "◀ Previous event", on_click=step_event, args=(days_with_events, False), width="stretch"
)
nav_forward.button(
    "Next event ▶", on_click=step_event, args=(days_with_events, True), width="stretch"
)
phase_starts = {p.name: p.start for p in all_phases}
st.pills(
    "Jump to a phase",
    options=list(phase_starts),
    format_func=panels.safe_text,
    key="phase_jump",
    on_change=jump_to_phase,
    args=(phase_starts,),
)

when: dt.date = st.session_state["date"]
snap = snapshot(dataset, when)
phase_text = panels.phase_label(snap.phase) if snap.phase else "no named phase"
st.markdown(f"### {describe_day(when)} · {panels.safe_text(phase_text)}")
if snap.after_last_report:
    st.warning(
        f"Data as of {describe_day(snap.data_as_of)}. This date is later than the newest source: "
        "what is shown for it are plans and the last reports, not events."
    )
else:
    st.caption(f"Data as of {describe_day(snap.data_as_of)}.")

map_column, side_column = st.columns([3, 2])
with map_column:
    if assets_problem:
        st.error(f"The map cannot be drawn: {panels.safe_text(assets_problem)}")
    moves = movements_between(dataset, when - MOVES_WINDOW, when + MOVES_WINDOW)
    clicked = None
    if catalog is not None:
        clicked = st_folium(
            map_view.build_base_map(map_view.map_bounds(dataset.sites), online_tiles),
            key="footprint_map",
            feature_group_to_add=map_view.build_date_layer(
                when.isoformat(), snap.sites, catalog, moves
            ),
            returned_objects=["last_object_clicked"],
            height=MAP_HEIGHT,
            use_container_width=True,
        )
    st.caption(
        f"{len(snap.sites)} sites on this date. Lines: relocations within "
        f"{MOVES_WINDOW.days} days of it. Country outlines: Natural Earth."
    )
    point = (clicked or {}).get("last_object_clicked")
    if point and point != st.session_state.get("last_click"):
        st.session_state["last_click"] = point
        picked = map_view.nearest_site(snap.sites, point["lat"], point["lng"])
        if picked:
            st.session_state["site"] = picked
with side_column:
    panels.render_phase_panel(dataset, snap)
    panels.render_troops_now(dataset, snap)

names = source_labels(dataset)
st.markdown("#### Troop figures over time")
log_scale = st.toggle("Log scale (so 2,500 reads next to 170,000)", value=True)
chart_spec = cached_troop_spec(dataset, ("iraq", "federal_iraq", "kurdistan_region"), log_scale)
st.vega_lite_chart(with_selected_date(chart_spec, when), width="stretch")

detail_column, table_column = st.columns([2, 3])
with table_column:
    st.markdown("#### Sites on this date")
    st.dataframe(
        panels.sites_table(snap.sites), hide_index=True, width="stretch", key="sites_table"
    )
    st.markdown("#### Events near this date")
    if snap.events.empty:
        st.caption("No event within 45 days.")
    else:
        st.dataframe(panels.events_table(snap.events, names), hide_index=True, width="stretch")
with detail_column:
    site_names = dict(zip(dataset.sites["site_id"], dataset.sites["name_en"]))
    st.selectbox(
        "Site detail",
        options=list(site_names),
        format_func=lambda site_id: site_names[site_id],
        index=None,
        placeholder="Choose a site, or click a marker",
        key="site",
    )
    if st.session_state.get("site"):
        panels.render_site_detail(dataset, st.session_state["site"], when)

st.query_params["date"] = when.isoformat()
if st.session_state.get("site"):
    st.query_params["site"] = st.session_state["site"]
elif "site" in st.query_params:
    del st.query_params["site"]
