"""The map's frame on the page (streamlit-folium), shared by the analyst view and the briefing."""

from __future__ import annotations

from streamlit_folium import st_folium

from components import map_view
from components.briefing import MOVES_WINDOW
from components.dataset import Dataset


def show_map(
    dataset: Dataset,
    payload: dict,
    online_tiles: bool,
    lang: str,
    height: int,
    follow_slider: str | None,
    high_contrast: bool = False,
) -> dict | None:
    """The base map (built once per key by streamlit-folium) with this date's layer on it;
    returns what was clicked."""
    return st_folium(
        map_view.build_base_map(
            map_view.map_bounds(dataset.sites),
            online_tiles,
            lang,
            follow_slider=follow_slider,
            move_window_days=MOVES_WINDOW.days,
            presenter_keys=follow_slider is None,
            high_contrast=high_contrast,
        ),
        # streamlit-folium builds the base map once per key: the analyst view's map (following
        # the slider) and the briefing map (no slider) must not be taken for each other.
        key="footprint_map" if follow_slider else "footprint_map_briefing",
        feature_group_to_add=map_view.build_date_layer(payload),
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        height=height,
        use_container_width=True,
    )
