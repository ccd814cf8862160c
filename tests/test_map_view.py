"""Map builder tests: what st_folium would be sent, captured in Python (the map is opaque to AppTest)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit_folium

from components.assets import publish_sources
from components.dataset import load_dataset, load_schema
from components.map_view import (
    build_base_map,
    build_date_layer,
    map_bounds,
    nearest_site,
    site_payload,
)
from components.timeline import movements_between, snapshot
from tests.conftest import tiny_tables, write_tables

MAP_SCRIPT = Path(__file__).resolve().parent.parent / "components" / "assets" / "footprint-map.js"


def positions(dataset) -> dict[str, int]:
    return {source_id: n for n, source_id in enumerate(dataset.sources["source_id"])}


def component_args(dataset, day: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Runs st_folium as the app does and returns the arguments it would send to the browser."""
    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw) or {})
    snap = snapshot(dataset, day)
    streamlit_folium.st_folium(
        build_base_map(map_bounds(dataset.sites)),
        key="footprint_map",
        feature_group_to_add=build_date_layer(
            snap.sites, positions(dataset), "/app/static/sources/test.json"
        ),
        returned_objects=["last_object_clicked"],
    )
    return sent


def payload_in(feature_group_script: str) -> dict:
    match = re.search(r"addSites\([^,]+, (\{.*\})\);", feature_group_script)
    assert match, feature_group_script[:300]
    return json.loads(match.group(1))


def test_base_map_script_and_component_key_are_identical_across_dates(
    tiny_dir, monkeypatch
) -> None:
    dataset = load_dataset(tiny_dir)
    early = component_args(dataset, "2005-01-01", monkeypatch)
    late = component_args(dataset, "2026-10-05", monkeypatch)
    assert early["script"] == late["script"]
    assert early["header"] == late["header"]
    assert early["key"] == late["key"]
    assert early["feature_group"] != late["feature_group"]


def test_layer_carries_each_site_with_its_status_and_certainty(tiny_dir, monkeypatch) -> None:
    dataset = load_dataset(tiny_dir)
    sites = payload_in(component_args(dataset, "2026-10-05", monkeypatch)["feature_group"])["sites"]
    by_id = {row[0]: row for row in sites}
    assert by_id["alpha"][5:8] == ["active", "disputed", "2014-11-01"]
    assert by_id["bravo"][5:8] == ["closed", "planned", "2026-10-01"]
    assert by_id["alpha"][1:3] == [33.8, 42.4]


def test_every_status_and_certainty_in_the_schema_has_a_marker_style() -> None:
    script = MAP_SCRIPT.read_text(encoding="utf-8")
    fields = {
        f["name"]: f
        for r in load_schema()["resources"]
        if r["name"] == "site_status"
        for f in r["schema"]["fields"]
    }
    status_block = script[script.index("var STATUS") : script.index("var CERTAINTY")]
    certainty_block = script[script.index("var CERTAINTY") : script.index("function escapeHtml")]
    for status in fields["status"]["constraints"]["enum"]:
        assert re.search(
            rf"\b{status}: \{{ color: \"#[0-9A-F]{{6}}\", shape: \"\w+\"", status_block
        )
    shapes = re.findall(r'shape: "(\w+)"', status_block)
    colours = re.findall(r'color: "(#[0-9A-F]{6})"', status_block)
    assert len(set(shapes)) == len(shapes) == 4 and len(set(colours)) == 4
    for certainty in fields["certainty"]["constraints"]["enum"]:
        assert re.search(rf"\b{certainty}: \{{ stroke:", certainty_block)


def test_map_assets_are_local_urls_only(tiny_dir, monkeypatch) -> None:
    sent = component_args(load_dataset(tiny_dir), "2015-01-01", monkeypatch)
    for link in sent["js_links"] + sent["css_links"]:
        assert link.startswith("/app/static/"), link
    assert "http://" not in sent["script"] + sent["header"]
    assert "https://" not in sent["script"] + sent["header"]


HOSTILE = "</script><img src=x onerror=alert(1)>`${alert(2)}`'\"&"


def test_hostile_names_and_sources_are_escaped_in_the_generated_script(
    tmp_path, monkeypatch
) -> None:
    tables = tiny_tables()
    tables["sites"][0]["name_en"] = HOSTILE
    tables["sites"][0]["name_ar"] = HOSTILE + "\u2028x"
    tables["sources"][0]["publisher"] = HOSTILE
    dataset = load_dataset(write_tables(tmp_path / "hostile", tables))
    script = component_args(dataset, "2015-01-01", monkeypatch)["feature_group"]
    assert "</script" not in script and "<img" not in script and "'" not in script
    assert "\u2028" not in script
    payload = payload_in(script)
    assert payload["sites"][0][3] == HOSTILE  # the browser gets the text back exactly ...
    assert payload["sites"][0][4] == HOSTILE + "\u2028x"
    url = publish_sources(dataset.sources, tmp_path / "static")
    listed = json.loads((tmp_path / "static" / url.removeprefix("/app/static/")).read_text("utf-8"))
    assert listed[0][0] == HOSTILE
    js = MAP_SCRIPT.read_text(encoding="utf-8")
    # ... and footprint-map.js puts names into tooltips only through escapeHtml, popups as text.
    assert "bindTooltip(escapeHtml(site[3])" in js
    assert "innerHTML = site" not in js and "innerHTML = source" not in js


def test_movements_are_drawn_with_both_ends(tiny_dir) -> None:
    import datetime as dt

    dataset = load_dataset(tiny_dir)
    snap = snapshot(dataset, "2025-08-15")
    moves = movements_between(dataset, dt.date(2025, 8, 1), dt.date(2025, 8, 31))
    payload = site_payload(snap.sites, positions(dataset), "", moves)
    assert payload["moves"] == [
        [33.8, 42.4, 36.2, 44.0, "Alpha Base → Bravo Camp, 2025-08: Convoy north.", "reported"]
    ]


def test_sources_are_indices_into_one_list_published_per_dataset(tiny_dir, tmp_path) -> None:
    dataset = load_dataset(tiny_dir)
    url = publish_sources(dataset.sources, tmp_path)
    assert url.startswith("/app/static/sources/") and url.endswith(".json")
    assert publish_sources(dataset.sources, tmp_path) == url  # same data, same file
    listed = json.loads((tmp_path / url.removeprefix("/app/static/")).read_text("utf-8"))
    assert listed == [["Pub A", "2011-06-01", "https://example.org/a"], ["ناشر", "2025-10", ""]]
    payload = site_payload(snapshot(dataset, "2020-01-01").sites, positions(dataset), url)
    assert {row[0]: row[8] for row in payload["sites"]} == {"alpha": [0, 1], "bravo": [1]}
    assert payload["sourcesUrl"] == url


def test_bounds_fit_the_data_and_click_maps_to_nearest_site(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    (south, west), (north, east) = map_bounds(dataset.sites)
    assert south < 33.8 and north > 36.2 and west < 42.4 and east > 44.0
    sites = snapshot(dataset, "2020-01-01").sites
    assert nearest_site(sites, 33.81, 42.41) == "alpha"
    assert nearest_site(sites, 36.19, 44.0) == "bravo"
    assert nearest_site(sites, 20.0, 20.0) is None
    assert nearest_site(sites.iloc[0:0], 33.8, 42.4) is None
