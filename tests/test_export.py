"""Exports: CSV and GeoJSON read back to the same snapshot, formulas are neutralised, HTML is offline."""

from __future__ import annotations

import csv
import io
import json
import re

from components.dataset import load_dataset
from components.export import (
    citations,
    citations_text,
    neutralise_cell,
    snapshot_csv,
    snapshot_geojson,
    standalone_map_html,
)
from components.map_view import publish_catalog, site_payload
from components.timeline import snapshot
from tests.conftest import tiny_tables, write_tables


def read_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_reads_back_to_the_same_snapshot(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    snap = snapshot(dataset, "2020-01-01")
    rows = read_csv(snapshot_csv(dataset, snap))
    assert [r["site_id"] for r in rows] == snap.sites["site_id"].tolist()
    assert [r["status"] for r in rows] == snap.sites["status"].tolist()
    assert [float(r["lat"]) for r in rows] == snap.sites["lat"].tolist()
    assert [r["since"] for r in rows] == snap.sites["since"].tolist()
    assert rows[0]["source_ids"] == "src-a;src-b"
    assert rows[0]["sources"] == "Pub A, 2011-06-01 | ناشر, 2025-10"
    assert rows[0]["source_urls"] == "https://example.org/a | seed: 001_8bfb806fada896e9.txt"
    assert {r["date"] for r in rows} == {"2020-01-01"}


def test_formula_cells_are_neutralised(tiny_dir) -> None:
    # The loader refuses such cells in CSV files; the export must still never pass one on
    # (data can reach it from elsewhere, e.g. a notebook), so they are planted after loading.
    dataset = load_dataset(tiny_dir)
    dataset.sites.loc[0, "name_en"] = '=HYPERLINK("http://evil","x")'
    dataset.sites.loc[1, "name_en"] = "@SUM(A1)"
    notes = dataset.site_status["period_id"] == "alpha-3"
    dataset.site_status.loc[notes, "note"] = "+cmd|' /C calc'!A0"
    snap = snapshot(dataset, "2020-01-01")
    rows = read_csv(snapshot_csv(dataset, snap))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil","x")'
    assert rows[1]["name"] == "'@SUM(A1)"
    assert rows[0]["period_note"] == "'+cmd|' /C calc'!A0"
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())
    features = json.loads(snapshot_geojson(dataset, snap))["features"]
    assert features[1]["properties"]["name"] == "'@SUM(A1)"
    assert neutralise_cell(-3.5) == -3.5 and neutralise_cell("-5 km") == "'-5 km"


def test_geojson_points_and_properties(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    collection = json.loads(snapshot_geojson(dataset, snapshot(dataset, "2026-10-01")))
    assert collection["type"] == "FeatureCollection" and collection["date"] == "2026-10-01"
    by_id = {f["properties"]["site_id"]: f for f in collection["features"]}
    assert by_id["bravo"]["geometry"] == {"type": "Point", "coordinates": [44.0, 36.2]}
    assert by_id["bravo"]["properties"]["status"] == "closed"
    assert by_id["bravo"]["properties"]["certainty"] == "planned"


def test_citations_cover_everything_on_screen(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    snap = snapshot(dataset, "2011-06-01")
    listed = citations(dataset, snap)
    assert listed["source_id"].tolist() == ["src-a", "src-b"]  # site + figures (f3 cites src-b)
    text = citations_text(dataset, snap)
    assert '1. Pub A, "Report A", 2011-06-01. https://example.org/a' in text
    assert "seed article 001_8bfb806fada896e9.txt" in text


def test_standalone_html_has_no_network_asset_and_escapes_data(tmp_path) -> None:
    tables = tiny_tables()
    tables["sources"][0]["publisher"] = "<script>alert(1)</script>"
    tables["sites"][0]["name_en"] = "</script><img src=x onerror=alert(1)>"
    dataset = load_dataset(write_tables(tmp_path / "hostile", tables))
    snap = snapshot(dataset, "2020-01-01")
    catalog = publish_catalog(dataset, tmp_path / "static")
    page = standalone_map_html(dataset, snap, site_payload("2020-01-01", snap.sites, catalog))
    assert not re.search(r"""<(script|img|iframe)[^>]+src=["']?https?:""", page)
    assert not re.search(r"""<link[^>]+href=["']?https?:""", page)
    assert not re.search(r"url\(\s*['\"]?https?:", page)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # in the citation list, as text
    assert "<img src=x" not in page
    assert page.count("<script>") == page.count("</script>") == 3
    assert "1 January 2020" in page


def test_standalone_html_follows_the_page_language(tmp_path) -> None:
    dataset = load_dataset(write_tables(tmp_path / "tiny", tiny_tables()))
    snap = snapshot(dataset, "2026-01-01")
    catalog = publish_catalog(dataset, tmp_path / "static")
    layer = site_payload("2026-01-01", snap.sites, catalog)
    arabic = standalone_map_html(dataset, snap, layer, "ar")
    english = standalone_map_html(dataset, snap, layer)
    assert '<html lang="ar" dir="rtl">' in arabic and '<html lang="en" dir="ltr">' in english
    assert "<h1>انتشار قوات التحالف في العراق: 1 كانون الثاني 2026</h1>" in arabic
    assert "<h2>المصادر</h2>" in arabic
    assert '"lang":"ar"' in arabic and '"lang":"en"' in english  # map words and place names
    assert '"since":"منذ"' in arabic
    # The Arabic outlet and its Latin date are separate isolated runs.
    assert '<bdi dir="auto">ناشر</bdi>, ' in arabic
    assert "Basemap: Natural Earth" in english and "footprintMap.addBasemap(map, {" in english
