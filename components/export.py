"""Exports of the view on a date: CSV, Excel, GeoJSON, a PNG and an offline HTML map, citations."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from components.assets import OWN_ASSETS_DIR, leaflet_source_dir
from components.briefing import MOVES_WINDOW
from components.dataset import Dataset
from components.i18n import day_words, is_rtl, map_labels, number_words, partial_date_words, t
from components.map_image import MapView, map_png
from components.map_view import catalog_content, map_bounds, script_json
from components.names import as_of_line
from components.style import script_style
from components.timeline import (
    SITE_COLUMNS,
    TROOP_COLUMNS,
    Snapshot,
    cited_cells,
    movements_between,
    source_labels,
)

# A spreadsheet treats a cell starting with one of these as a formula and may run it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EVENT_COLUMNS = ["event_id", "date", "kind", "title", "title_ar", "description", "site_ids", "certainty", "source_ids"]  # fmt: skip
# Sources named on a saved picture; the rest are counted (the citations export lists them all).
PICTURE_SOURCES = 3


def neutralise_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def snapshot_table(dataset: Dataset, snap: Snapshot) -> pd.DataFrame:
    """The sites on the date with their sources spelled out, as both exports carry them."""
    table = snap.sites[[c for c in SITE_COLUMNS if c != "period_row"]].copy()
    cited = [cited_cells(dataset, ids) for ids in table["source_ids"]]
    table["source_ids"] = [";".join(ids) for ids in table["source_ids"]]
    table["sources"] = [labels for labels, _ in cited]
    table["source_urls"] = [urls for _, urls in cited]
    # The nations and what names them, as the sources column does for the period itself.
    forces_cited = [
        cited_cells(dataset, ids) if ids else ("", "") for ids in table["forces_source_ids"]
    ]
    table["forces"] = [";".join(nations) for nations in table["forces"]]
    table["forces_source_ids"] = [";".join(ids) for ids in table["forces_source_ids"]]
    table["forces_sources"] = [labels for labels, _ in forces_cited]
    table.insert(0, "date", snap.when.isoformat())
    return table


def snapshot_csv(dataset: Dataset, snap: Snapshot) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets read the Arabic) with formula-like cells neutralised."""
    return table_csv(snapshot_table(dataset, snap))


def _sourced_rows(dataset: Dataset, table: pd.DataFrame, snap: Snapshot) -> pd.DataFrame:
    """A table of the view with its sources as outlet and date, and their links (seed articles
    have none: they are cited by outlet and date only)."""
    labels = source_labels(dataset)
    links = dict(zip(dataset.sources["source_id"], dataset.sources["url"]))
    result = table.copy()
    result.insert(0, "view_date", snap.when.isoformat())
    result["sources"] = [" | ".join(labels.get(i, i) for i in ids) for ids in table["source_ids"]]
    result["source_urls"] = [
        " | ".join(links[i] for i in ids if isinstance(links.get(i), str))
        for ids in table["source_ids"]
    ]
    result["source_ids"] = [";".join(ids) for ids in table["source_ids"]]
    return result


def troops_export_table(dataset: Dataset, snap: Snapshot) -> pd.DataFrame:
    """The troop figures in force on the date (reported and planned), with their sources."""
    return _sourced_rows(dataset, snap.troops[TROOP_COLUMNS], snap)


def events_export_table(dataset: Dataset, snap: Snapshot) -> pd.DataFrame:
    """The events near the date, as the page lists them, with their sites and sources."""
    events = snap.events[EVENT_COLUMNS].copy()
    events["site_ids"] = [";".join(ids) for ids in events["site_ids"]]
    return _sourced_rows(dataset, events, snap)


def table_csv(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets read the Arabic) with formula-like cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.itertuples(index=False):
        writer.writerow(["" if pd.isna(v) else neutralise_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def troops_csv(dataset: Dataset, snap: Snapshot) -> bytes:
    return table_csv(troops_export_table(dataset, snap))


def events_csv(dataset: Dataset, snap: Snapshot) -> bytes:
    return table_csv(events_export_table(dataset, snap))


def tables_xlsx(dataset: Dataset, snap: Snapshot) -> bytes:
    """One workbook: troop figures, events and the sources they cite, one sheet each.

    Every text cell is written as text (openpyxl would store a cell starting with '=' as a
    formula) and neutralised as in the CSV, so no cell runs when the workbook is opened.
    """
    from openpyxl import Workbook

    troops = troops_export_table(dataset, snap)
    events = events_export_table(dataset, snap)
    # No seed file names in what users take away (a seed is cited by outlet and date).
    cited = citations(dataset, snap).drop(columns=["seed_file"], errors="ignore")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in (("troop_figures", troops), ("events", events), ("sources", cited)):
        sheet = workbook.create_sheet(name)
        sheet.append([str(column) for column in table.columns])
        for row in table.itertuples(index=False):
            sheet.append([_excel_cell(value) for value in row])
        for cell in (c for line in sheet.iter_rows(min_row=2) for c in line):
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_cell(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return neutralise_cell(value)
    return value.item() if hasattr(value, "item") else value


def view_picture_png(
    dataset: Dataset, snap: Snapshot, lang: str = "en", moves: pd.DataFrame | None = None
) -> bytes:
    """The map on the date as a 1920x1080 PNG, framed as the page opens it, with its legend,
    the date, the data's as-of stamp and a line naming the sources behind it.

    `moves` defaults to the relocations the page draws on that date (within MOVES_WINDOW).
    """
    if moves is None:
        moves = movements_between(dataset, snap.when - MOVES_WINDOW, snap.when + MOVES_WINDOW)
    phase = snap.phase.name_in(lang) if snap.phase else t("no_phase", lang)
    stamp = as_of_line(snap, lang)[1]
    cited = citations(dataset, snap)
    named = list(
        dict.fromkeys(
            f"{publisher}, {_date_words(published, lang)}"
            for publisher, published in zip(cited["publisher"], cited["published"])
        )
    )
    shown = "; ".join(named[:PICTURE_SOURCES])
    if len(named) > PICTURE_SOURCES:
        shown += "; " + t("more_sources", lang, count=len(named) - PICTURE_SOURCES)
    view = MapView(
        sites=snap.sites,
        bounds=map_bounds(dataset.sites),
        heading=day_words(snap.when, lang),
        lang=lang,
        subheading=f"{phase} · {stamp}",
        footer=t("picture_sources", lang, list=shown) if named else "",
        moves=moves,
    )
    return map_png(view)


def _date_words(published: str, lang: str) -> str:
    try:
        return partial_date_words(published, lang)
    except ValueError:  # "undated"
        return t("undated", lang)


def snapshot_geojson(dataset: Dataset, snap: Snapshot) -> bytes:
    """A FeatureCollection of the sites on the date (points, WGS84) with status and sources."""
    table = snapshot_table(dataset, snap)
    features = []
    for row in table.to_dict(orient="records"):
        lon, lat = row.pop("lon"), row.pop("lat")
        properties = {k: (None if pd.isna(v) else neutralise_cell(v)) for k, v in row.items()}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": properties,
            }
        )
    collection = {"type": "FeatureCollection", "date": snap.when.isoformat(), "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def citations(dataset: Dataset, snap: Snapshot, extra_ids: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every source behind what is on screen: sites, figures, phase, events (and any extra)."""
    wanted: list[str] = []
    groups = [snap.sites["source_ids"], snap.troops["source_ids"], snap.events["source_ids"]]
    if "forces_source_ids" in snap.sites.columns:  # the passages naming the nations at a site
        groups.append(snap.sites["forces_source_ids"])
    for ids in [
        *(i for group in groups for i in group),
        snap.phase.source_ids if snap.phase else (),
        extra_ids,
    ]:
        wanted += [source_id for source_id in ids if source_id not in wanted]
    sources = dataset.sources.set_index("source_id")
    # One entry per document: the quotes of several source rows from one article are joined.
    documents: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for source_id in wanted:
        row = sources.loc[source_id]
        published = row["published"] if isinstance(row["published"], str) else "undated"
        url = row["url"] if isinstance(row["url"], str) else ""
        key = (row["publisher"], row["title"], published, url)
        entry = documents.setdefault(
            key,
            {
                "source_id": source_id,
                "publisher": row["publisher"],
                "title": row["title"],
                "published": published,
                "url": url,
                "quote_english": row["quote_english"],
            },
        )
        if row["quote_english"] not in entry["quote_english"]:
            entry["quote_english"] += " … " + row["quote_english"]
    return pd.DataFrame(
        list(documents.values()),
        columns=["source_id", "publisher", "title", "published", "url", "quote_english"],
    )


def citations_text(dataset: Dataset, snap: Snapshot) -> str:
    """The citation list as plain text, one numbered entry per source."""
    lines = [f"Sources for the coalition footprint on {day_words(snap.when)}", ""]
    for n, row in enumerate(citations(dataset, snap).itertuples(index=False), start=1):
        where = row.url or "no public address"
        lines.append(f'{n}. {row.publisher}, "{row.title}", {row.published}. {where}')
        lines.append(f'   "{row.quote_english}"')
    return "\n".join(lines) + "\n"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    # A library's own text could contain "</script"; splitting it keeps the tag closed only by us.
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


def standalone_map_html(
    dataset: Dataset, snap: Snapshot, layer: dict[str, Any], lang: str = "en"
) -> str:
    """One HTML file that opens with no network: Leaflet, styles, outlines, basemap and data
    inlined; its words, direction and place names in the page's language (`lang`)."""
    leaflet = leaflet_source_dir()
    countries = json.loads(_read(OWN_ASSETS_DIR / "countries.geojson"))
    basemap = json.loads(_read(OWN_ASSETS_DIR / "basemap.geojson"))
    styles = _read(leaflet / "leaflet.css") + "\n" + _read(OWN_ASSETS_DIR / "footprint-map.css")
    # Asset URLs inside the stylesheets (control icons) are dropped: nothing may be fetched.
    styles = styles.replace("url(images/", "url(data:,").replace("</style", "<\\/style")
    boot = (
        "var map = L.map('map', {zoomControl: true, zoomSnap: 0.25});"
        f"footprintMap.setStyle({script_json(script_style())});"
        f"footprintMap.setLabels({script_json(map_labels(lang))});"
        f"footprintMap.addOutlines(map, {script_json(countries)}, true);"
        f"footprintMap.addBasemap(map, {script_json(basemap)});"
        "footprintMap.addFullscreen(map);"
        "footprintMap.addLegend(map);"
        f"map.fitBounds({script_json([list(c) for c in map_bounds(dataset.sites)])});"
        "var group = L.featureGroup().addTo(map);"
        f"footprintMap.addSites(group, {script_json({**layer, 'catalog': catalog_content(dataset, timeline=False)})});"
    )
    phase = snap.phase.name_in(lang) if snap.phase else t("no_phase", lang)
    day = day_words(snap.when, lang)
    entries = []
    for row in citations(dataset, snap).itertuples(index=False):
        # Each run isolated: an Arabic outlet next to a Latin date reads in order either way.
        title = (
            f'<bdi dir="auto">{html.escape(row.publisher)}</bdi>, '
            f'“<bdi dir="auto">{html.escape(row.title)}</bdi>”, <bdi>{html.escape(row.published)}</bdi>'
        )
        link = (
            f' <a href="{html.escape(row.url)}" rel="noopener noreferrer" dir="ltr">'
            f"{html.escape(row.url)}</a>"
            if row.url
            else ""  # a seed article is cited by outlet and date alone
        )
        entries.append(
            f'<li>{title}.{link}<br><q dir="auto">{html.escape(row.quote_english)}</q></li>'
        )
    direction = "rtl" if is_rtl(lang) else "ltr"
    summary = t(
        "export_summary",
        lang,
        phase=phase,
        day=day_words(snap.data_as_of, lang) if snap.data_as_of else t("undated", lang),
        count=number_words(len(snap.sites), lang),
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{html.escape(lang)}" dir="{direction}"><head><meta charset="utf-8">',
            f"<title>{html.escape(t('export_title', lang, day=day))}</title>",
            f"<style>{styles}\nbody{{font-family:Arial,sans-serif;margin:16px;color:#1a1a1a}}"
            "#map{height:640px;border:1px solid #999;direction:ltr}</style>",
            _inline_script(_read(leaflet / "leaflet.js")),
            _inline_script(_read(OWN_ASSETS_DIR / "footprint-map.js")),
            "</head><body>",
            f"<h1>{html.escape(t('export_title', lang, day=day))}</h1>",
            f"<p>{html.escape(summary)}</p>",
            '<div id="map"></div>',
            _inline_script(boot),
            f"<h2>{html.escape(t('sources', lang))}</h2><ol>",
            *entries,
            "</ol></body></html>",
        ]
    )
