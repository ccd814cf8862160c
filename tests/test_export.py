"""Exports: CSV and GeoJSON read back to the same snapshot, formulas are neutralised, HTML is offline."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np

from components.dataset import load_dataset
from components.export import (
    citations,
    citations_text,
    events_csv,
    neutralise_cell,
    snapshot_csv,
    snapshot_geojson,
    standalone_map_html,
    tables_xlsx,
    troops_csv,
    view_picture_png,
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
    # A seed article is cited by outlet and date; its file name never reaches an export.
    assert rows[0]["source_urls"] == "https://example.org/a"
    assert "001_8bfb806fada896e9" not in str(rows)
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
    assert '2. ناشر, "تقرير", 2025-10. no public address' in text
    assert "001_8bfb806fada896e9" not in text and "seed" not in text.lower()


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


def test_one_article_quoted_twice_is_cited_once() -> None:
    dataset = load_dataset()
    joined = 0
    for day in ("2020-03-20", "2025-09-01", "2025-11-10", "2026-03-05", "2026-11-01"):
        listed = citations(dataset, snapshot(dataset, day))
        documents = listed[["publisher", "title", "published", "url"]]
        assert not documents.duplicated().any(), day
        joined += listed["quote_english"].str.contains(" … ").sum()
    assert joined > 0  # some article is quoted for two facts on one of these dates


def test_troops_and_events_csv_carry_the_view_with_sources(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    snap = snapshot(dataset, "2011-06-01")
    troops = read_csv(troops_csv(dataset, snap))
    assert [r["figure_id"] for r in troops] == snap.troops["figure_id"].tolist()
    assert {r["view_date"] for r in troops} == {"2011-06-01"}
    by_id = {r["figure_id"]: r for r in troops}
    assert by_id["f3"]["sources"] == "ناشر, 2025-10"
    # A seed article is cited by outlet and date: no link, and never its file name.
    assert by_id["f3"]["source_urls"] == ""
    assert by_id["f2"]["source_urls"] == "https://example.org/a"
    events = read_csv(events_csv(dataset, snapshot(dataset, "2011-12-20")))
    assert [r["event_id"] for r in events] == ["e1"]
    assert events[0]["title_ar"] == "الانسحاب" and events[0]["site_ids"] == "alpha"
    for row in troops + events:
        assert "001_8bfb806fada896e9" not in ";".join(row.values())


def test_tables_workbook_has_figures_events_sources_and_no_formula(tiny_dir) -> None:
    from openpyxl import load_workbook

    dataset = load_dataset(tiny_dir)
    dataset.troop_figures["note"] = '=HYPERLINK("http://evil","x")'
    dataset.events["title"] = "@SUM(A1)"
    snap = snapshot(dataset, "2011-12-01")
    workbook = load_workbook(io.BytesIO(tables_xlsx(dataset, snap)))
    assert workbook.sheetnames == ["troop_figures", "events", "sources"]
    figures = list(workbook["troop_figures"].values)
    header = figures[0]
    note = figures[1][header.index("note")]
    assert note == '\'=HYPERLINK("http://evil","x")'
    assert [row[header.index("value")] for row in figures[1:]] == [47000, 50000]
    events = list(workbook["events"].values)
    assert events[1][events[0].index("title")] == "'@SUM(A1)"
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    sources = list(workbook["sources"].values)
    assert "seed_file" not in sources[0]
    assert [row[0] for row in sources[1:]] == citations(dataset, snap)["source_id"].tolist()


def test_map_picture_is_1920_by_1080_with_marker_colours(tiny_dir) -> None:
    from PIL import Image

    from components.style import STATUS_STYLES

    dataset = load_dataset(tiny_dir)
    snap = snapshot(dataset, "2026-10-05")
    image = Image.open(io.BytesIO(view_picture_png(dataset, snap, "ar"))).convert("RGB")
    assert image.size == (1920, 1080)
    pixels = np.asarray(image).astype(int)
    for style in STATUS_STYLES.values():  # the legend's, at least
        wanted = np.array([int(style.color[k : k + 2], 16) for k in (1, 3, 5)])
        assert (np.abs(pixels - wanted).max(axis=-1) <= 30).any(), style.color


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


def test_exports_carry_the_nations_and_cite_the_passages_that_name_them() -> None:
    from components.filters import SiteFilter

    dataset = load_dataset()
    snap = SiteFilter(forces=("uk",)).apply(snapshot(dataset, "2018-01-01"))
    (row,) = read_csv(snapshot_csv(dataset, snap))
    assert row["site_id"] == "besmaya"
    assert row["forces"].split(";") == ["spain", "us", "uk", "canada", "australia", "portugal"]
    assert "iraninsider.net" in row["forces_sources"]
    listed = set(citations(dataset, snap)["source_id"])
    assert "r-iraninsider-2020-07-besmaya-nations" in listed
    feature = json.loads(snapshot_geojson(dataset, snap))["features"][0]
    assert "uk" in feature["properties"]["forces"].split(";")
    # A period naming no nation exports an empty cell, not a guess.
    unstated = SiteFilter(forces=("not_stated",)).apply(snapshot(dataset, "2018-01-01"))
    assert {r["forces"] for r in read_csv(snapshot_csv(dataset, unstated))} == {""}
