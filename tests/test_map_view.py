"""Map builder tests: what st_folium would be sent, captured in Python (the map is opaque to AppTest)."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

import pytest
import streamlit_folium

from components.dataset import load_dataset, load_schema
from components.i18n import VOCABULARY
from components.map_view import (
    build_base_map,
    build_date_layer,
    clicked_site,
    map_bounds,
    nearest_site,
    publish_catalog,
    short_name,
    site_payload,
)
from components.style import CERTAINTY_STYLES, STATUS_STYLES, script_style
from components.timeline import SHOWN_CERTAINTIES, movements_between, snapshot
from tests.conftest import tiny_tables, write_tables

MAP_SCRIPT = Path(__file__).resolve().parent.parent / "components" / "assets" / "footprint-map.js"


def component_args(
    dataset, day: str, monkeypatch: pytest.MonkeyPatch, static_dir: Path | None = None
) -> dict:
    """Runs st_folium as the app does and returns the arguments it would send to the browser."""
    static_dir = static_dir or Path(tempfile.mkdtemp())
    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw) or {})
    snap = snapshot(dataset, day)
    streamlit_folium.st_folium(
        build_base_map(map_bounds(dataset.sites)),
        key="footprint_map",
        feature_group_to_add=build_date_layer(
            site_payload(day, snap.sites, publish_catalog(dataset, static_dir))
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
    payload = payload_in(component_args(dataset, "2026-10-05", monkeypatch)["feature_group"])
    # Rows point into the catalogue by position: alpha is site 0, bravo site 1.
    by_place = {row[0]: row[1:4] for row in payload["sites"]}
    # alpha's open period is disputed, and its newest source is of Oct 2025: in 2026 it is shown
    # as unconfirmed, not as a fact.
    assert by_place == {
        0: ["active", "unconfirmed", "2014-11-01"],
        1: ["closed", "planned", "2026-10-01"],
    }
    assert payload["date"] == "2026-10-05"


def test_every_status_and_certainty_in_the_schema_has_a_marker_style() -> None:
    fields = {
        f["name"]: f
        for r in load_schema()["resources"]
        if r["name"] == "site_status"
        for f in r["schema"]["fields"]
    }
    statuses = fields["status"]["constraints"]["enum"]
    assert set(STATUS_STYLES) == set(statuses)
    shapes = [style.shape for style in STATUS_STYLES.values()]
    colours = [style.color for style in STATUS_STYLES.values()]
    assert len(set(shapes)) == len(shapes) == 4 and len(set(colours)) == 4
    assert all(re.fullmatch(r"#[0-9A-F]{6}", colour) for colour in colours)
    # Every certainty a date can be shown with: the schema's, and the ones the timeline derives.
    assert set(fields["certainty"]["constraints"]["enum"]) <= set(SHOWN_CERTAINTIES)
    assert set(CERTAINTY_STYLES) == set(SHOWN_CERTAINTIES)
    assert set(VOCABULARY["certainty"]) == set(SHOWN_CERTAINTIES)


def test_the_map_script_takes_its_marker_vocabulary_from_the_shared_module(
    tiny_dir, monkeypatch
) -> None:
    # One vocabulary for the browser map and the deck's pictures: the script holds no colour of
    # its own, and the base map sends the shared module's colours and shapes.
    script = MAP_SCRIPT.read_text(encoding="utf-8")
    assert not re.findall(r"#[0-9A-Fa-f]{6}", script)
    sent = component_args(load_dataset(tiny_dir), "2015-01-01", monkeypatch)["script"]
    match = re.search(r"footprintMap\.setStyle\((\{.*?\})\);", sent)
    assert match, sent
    assert json.loads(match.group(1)) == script_style()
    assert sent.index("setStyle(") < sent.index("setLabels(") < sent.index("addLegend(")


def test_map_assets_are_local_urls_only(tiny_dir, monkeypatch) -> None:
    sent = component_args(load_dataset(tiny_dir), "2015-01-01", monkeypatch)
    for link in sent["js_links"] + sent["css_links"]:
        assert link.startswith("/app/static/"), link
    assert "http://" not in sent["script"] + sent["header"]
    assert "https://" not in sent["script"] + sent["header"]


def test_the_map_loads_one_script_holding_leaflet_then_ours(
    tiny_dir, monkeypatch, tmp_path
) -> None:
    # streamlit-folium waits for each script before asking for the next: one file, one wait.
    from components import assets

    sent = component_args(load_dataset(tiny_dir), "2015-01-01", monkeypatch)
    assert sent["js_links"] == [f"/app/static/{assets.MAP_SCRIPT_BUNDLE}"]
    assets.ensure_static_assets(tmp_path)
    bundle = (tmp_path / assets.MAP_SCRIPT_BUNDLE).read_bytes()
    leaflet = (assets.leaflet_source_dir() / "leaflet.js").read_bytes()
    assert bundle.startswith(leaflet) and bundle.endswith(MAP_SCRIPT.read_bytes())
    # An edited map script is bundled again; a missing bundle means the assets are not ready.
    (tmp_path / assets.MAP_SCRIPT_BUNDLE).unlink()
    assert not assets.static_assets_present(tmp_path)
    assets.ensure_static_assets(tmp_path)
    assert (tmp_path / assets.MAP_SCRIPT_BUNDLE).read_bytes() == bundle


HOSTILE = "</script><img src=x onerror=alert(1)>`${alert(2)}`'\"&"


def test_hostile_names_and_sources_are_escaped_in_the_generated_script(
    tmp_path, monkeypatch
) -> None:
    tables = tiny_tables()
    tables["sites"][0]["name_en"] = HOSTILE
    tables["sites"][0]["name_ar"] = HOSTILE + "\u2028x"
    tables["sources"][0]["publisher"] = HOSTILE
    tables["movements"][0]["description"] = HOSTILE + "\u2028x"
    dataset = load_dataset(write_tables(tmp_path / "hostile", tables))
    script = component_args(dataset, "2025-08-15", monkeypatch)["feature_group"]
    assert "</script" not in script and "<img" not in script and "'" not in script
    assert payload_in(script)["sites"][0][0] == 0  # names stay out of the per-date layer
    catalog = publish_catalog(dataset, tmp_path / "static")
    listed = json.loads(
        (tmp_path / "static" / catalog.url.removeprefix("/app/static/")).read_text("utf-8")
    )
    assert listed["sites"][0][3] == HOSTILE  # the browser gets the text back exactly ...
    assert listed["sites"][0][4] == HOSTILE + "\u2028x"
    assert listed["sources"][0][0] == HOSTILE
    # ... and the map shows it as text: tests/test_browser.py::test_hostile_names_run_no_script.


def test_movements_are_drawn_with_both_ends(tiny_dir, tmp_path) -> None:
    import datetime as dt

    dataset = load_dataset(tiny_dir)
    snap = snapshot(dataset, "2025-08-15")
    moves = movements_between(dataset, dt.date(2025, 8, 1), dt.date(2025, 8, 31))
    payload = site_payload("2025-08-15", snap.sites, publish_catalog(dataset, tmp_path), moves)
    assert payload["moves"] == [
        [33.8, 42.4, 36.2, 44.0, "Alpha Base → Bravo Camp, 2025-08: Convoy north.", "reported"]
    ]


def test_catalogue_is_published_once_per_dataset_and_rows_index_it(tiny_dir, tmp_path) -> None:
    dataset = load_dataset(tiny_dir)
    catalog = publish_catalog(dataset, tmp_path)
    assert catalog.url.startswith("/app/static/catalog/") and catalog.url.endswith(".json")
    assert publish_catalog(dataset, tmp_path) is catalog  # built once per dataset
    other = load_dataset(tiny_dir)
    assert publish_catalog(other, tmp_path).url == catalog.url  # same data, same file
    listed = json.loads((tmp_path / catalog.url.removeprefix("/app/static/")).read_text("utf-8"))
    assert listed["sources"] == [
        ["Pub A", "2011-06-01", "https://example.org/a"],
        ["ناشر", "2025-10", ""],
    ]
    assert listed["sites"] == [
        ["alpha", 33.8, 42.4, "Alpha Base", "قاعدة ألفا", "Alpha Base"],
        ["bravo", 36.2, 44.0, "Bravo Camp", "", "Bravo Camp"],
    ]
    payload = site_payload("2020-01-01", snapshot(dataset, "2020-01-01").sites, catalog)
    assert {row[0]: row[4] for row in payload["sites"]} == {0: [0, 1], 1: [1]}
    assert payload["catalog"] == catalog.url


def test_bounds_fit_the_data_and_click_maps_to_nearest_site(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    (south, west), (north, east) = map_bounds(dataset.sites)
    assert south < 33.8 and north > 36.2 and west < 42.4 and east > 44.0
    sites = snapshot(dataset, "2020-01-01").sites
    assert nearest_site(sites, 33.81, 42.41) == "alpha"
    assert nearest_site(sites, 36.19, 44.0) == "bravo"
    assert nearest_site(sites, 20.0, 20.0) is None
    assert nearest_site(sites.iloc[0:0], 33.8, 42.4) is None


def test_briefing_marks_changed_sites_and_can_move_the_view(tiny_dir, tmp_path) -> None:
    dataset = load_dataset(tiny_dir)
    sites = snapshot(dataset, "2020-01-01").sites
    catalog = publish_catalog(dataset, tmp_path)
    payload = site_payload(
        "2020-01-01", sites, catalog, changed=frozenset({"bravo"}), fit=((33.0, 42.0), (37.0, 45.0))
    )
    assert [len(row) for row in payload["sites"]] == [5, 6]  # only bravo carries the flag
    assert payload["sites"][1][5] == 1
    assert payload["fit"] == [[33.0, 42.0], [37.0, 45.0]]
    assert "fit" not in site_payload("2020-01-01", sites, catalog)


def test_map_words_follow_the_language(tiny_dir, monkeypatch) -> None:
    bounds = map_bounds(load_dataset(tiny_dir).sites)
    arabic = build_base_map(bounds, lang="ar").get_root().render()
    english = build_base_map(bounds, lang="en").get_root().render()
    assert "\u0646\u0634\u0637" in arabic or "نشط" in arabic  # "active"
    assert '"active":"Active"' in english


def test_catalogue_carries_every_period_and_movement_for_drawing_in_the_browser(
    tiny_dir, tmp_path
) -> None:
    dataset = load_dataset(tiny_dir)
    catalog = publish_catalog(dataset, tmp_path)
    listed = json.loads((tmp_path / catalog.url.removeprefix("/app/static/")).read_text("utf-8"))
    assert listed["states"] == catalog.period_rows  # the rows a date's layer picks from
    edges = ["2003-04-01", "2003-04-30", "2003-05-01", "2011-11-30", "2011-12-01", "2011-12-31"]
    edges += ["2012-01-01", "2012-12-31", "2013-01-01", "2014-09-30", "2014-10-01", "2014-10-31"]
    edges += ["2014-11-01", "2025-10-01", "2025-10-02", "2025-08-01", "2025-08-31"]
    days = {day: (dt.date.fromisoformat(day) - dt.date(1970, 1, 1)).days for day in edges}
    # alpha: 2003-04 to 2011-12, 2012 to 2014-10, from 2014-11-01 with no end; each period is
    # cut where its month or year of start or end is, and after its newest source (2025-10).
    assert listed["spans"][:8] == [
        [days["2003-04-01"], days["2003-04-30"]],
        [days["2003-05-01"], days["2011-11-30"]],
        [days["2011-12-01"], days["2011-12-31"]],
        [days["2012-01-01"], days["2012-12-31"]],
        [days["2013-01-01"], days["2014-09-30"]],
        [days["2014-10-01"], days["2014-10-31"]],
        [days["2014-11-01"], days["2025-10-01"]],
        [days["2025-10-02"], None],
    ]
    shown = [row[2] for row in listed["states"][:8]]
    coarse_or_after = ["approximate", "reported", "approximate", "approximate", "reported"]
    assert shown == [*coarse_or_after, "approximate", "disputed", "unconfirmed"]
    assert len(listed["spans"]) == len(listed["states"])
    # The movement of 2025-08 covers the whole month; the rest of it is the layer's own row.
    assert listed["moves"] == [
        [
            days["2025-08-01"],
            days["2025-08-31"],
            33.8,
            42.4,
            36.2,
            44.0,
            "Alpha Base → Bravo Camp, 2025-08: Convoy north.",
            "reported",
        ]
    ]


def test_base_map_follows_the_slider_only_when_asked(tiny_dir) -> None:
    bounds = map_bounds(load_dataset(tiny_dir).sites)
    # The slider by its widget key: the page's adapter (components/streamlit_dom.py) finds it.
    following = build_base_map(bounds, follow_slider="date", move_window_days=120)
    script = following.get_root().render()
    assert re.search(r'followSlider\(\s*map_\w+,\s*"date",\s*120\s*\)', script)
    assert "followSlider" not in build_base_map(bounds).get_root().render()
    hostile = build_base_map(bounds, follow_slider="</script><script>alert(1)//")
    assert "</script><script>" not in hostile.get_root().render()


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Camp Victory (Victory Base Complex) / Camp al-Nasr", "Camp Victory"),
        (
            "Coalition headquarters in Baghdad (FOB Union III, International Zone)",
            "Coalition headquarters in Baghdad",
        ),
        ("Coalition (French) compound at the Iraqi 6th Division HQ, Abu Ghraib", "Abu Ghraib"),
        ("Kuwait (destination, country level)", "Kuwait"),
        (
            "A very long site name that has no comma to cut it at all",
            "A very long site name that has no…",
        ),
        ("(only an aside)", "(only an aside)"),
    ],
)
def test_short_names_beside_markers_drop_asides(name: str, short: str) -> None:
    assert short_name(name) == short
    assert len(short_name(name)) <= 34


def test_a_click_is_matched_to_the_site_in_the_marker_tooltip() -> None:
    known = {"besmaya", "coalition_hq_baghdad"}
    # Two sites on one spot: the tooltip says which marker was under the pointer.
    assert clicked_site("[[besmaya]]Besmaya Range Complex — Active", known) == "besmaya"
    assert clicked_site("[[coalition_hq_baghdad]]HQ [[besmaya]] — Active", known) == (
        "coalition_hq_baghdad"
    )
    assert clicked_site("[[unknown]]x", known) is None
    assert clicked_site(None, known) is None
    assert clicked_site("no tag", known) is None


def test_the_date_layer_is_not_compiled_as_a_template_on_every_rerun(tiny_dir, monkeypatch) -> None:
    """branca compiles each rendered macro as a Jinja2 template again; at 10,000 sites the
    layer's JSON made that a large part of a rerun, so the layer's script skips it."""
    import branca.element

    compiled: list[str] = []
    template = branca.element.Template

    def recording(source, *args, **kwargs):
        compiled.append(str(source))
        return template(source, *args, **kwargs)

    monkeypatch.setattr(branca.element, "Template", recording)
    sent = component_args(load_dataset(tiny_dir), "2020-06-01", monkeypatch)
    payload = payload_in(sent["feature_group"])
    assert payload["sites"]
    assert not [source for source in compiled if "addSites(" in source]
