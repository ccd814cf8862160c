"""Text from data that looks like template syntax or hides its direction reaches the page inert."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import streamlit_folium

from components.dataset import load_dataset
from components.map_view import (
    build_base_map,
    build_date_layer,
    map_bounds,
    publish_catalog,
    site_payload,
)
from components.timeline import movements_between, snapshot
from tests.conftest import tiny_tables, write_tables

TEMPLATE_TEXT = "{{ 7*7 }} {% for x in y %} {# open comment {{{"


def sent_to_browser(dataset, day: dt.date, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict:
    """The arguments st_folium would send for the app's map on `day`, movements included."""
    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw) or {})
    snap = snapshot(dataset, day)
    window = dt.timedelta(days=120)
    moves = movements_between(dataset, day - window, day + window)
    catalog = publish_catalog(dataset, tmp_path / "static")
    streamlit_folium.st_folium(
        build_base_map(map_bounds(dataset.sites)),
        key="footprint_map",
        feature_group_to_add=build_date_layer(
            site_payload(day.isoformat(), snap.sites, catalog, moves)
        ),
        returned_objects=["last_object_clicked"],
    )
    return sent


def test_template_syntax_in_names_and_descriptions_is_drawn_as_text(tmp_path, monkeypatch) -> None:
    tables = tiny_tables()
    tables["sites"][0]["name_en"] = "Alpha " + TEMPLATE_TEXT
    tables["movements"][0]["description"] = TEMPLATE_TEXT
    dataset = load_dataset(write_tables(tmp_path / "template", tables))
    script = sent_to_browser(dataset, dt.date(2025, 8, 15), monkeypatch, tmp_path)["feature_group"]
    assert "49" not in script  # never evaluated
    assert "{{" not in script and "{%" not in script and "{#" not in script
    match = re.search(r"addSites\([^,]+, (\{.*\})\);", script)
    assert match, script[:300]
    label = json.loads(match.group(1))["moves"][0][4]
    assert label == f"Alpha {TEMPLATE_TEXT} → Bravo Camp, 2025-08: {TEMPLATE_TEXT}"


def test_page_with_template_syntax_in_data_renders_without_error(tmp_path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    tables = tiny_tables()
    tables["sites"][0]["name_en"] = "Alpha " + TEMPLATE_TEXT
    tables["movements"][0]["description"] = TEMPLATE_TEXT
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(write_tables(tmp_path / "t", tables)))
    app = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"))
    app.query_params["date"] = "2025-08-15"
    app.run(timeout=60)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error
