"""Exports of the view on a date: CSV, GeoJSON, a standalone offline HTML map, a citation list."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from components.assets import OWN_ASSETS_DIR, leaflet_source_dir
from components.dataset import Dataset
from components.i18n import RIGHT_TO_LEFT, day_words, map_labels, t
from components.map_view import catalog_content, map_bounds, script_json
from components.timeline import SITE_COLUMNS, Snapshot

# A spreadsheet treats a cell starting with one of these as a formula and may run it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cited(dataset: Dataset, source_ids: tuple[str, ...]) -> tuple[str, str]:
    """'publisher, date' and URLs of the sources, each joined with ' | ' for one cell."""
    sources = dataset.sources.set_index("source_id")
    labels, urls = [], []
    for source_id in source_ids:
        row = sources.loc[source_id]
        published = row["published"] if isinstance(row["published"], str) else "undated"
        labels.append(f"{row['publisher']}, {published}")
        urls.append(row["url"] if isinstance(row["url"], str) else f"seed: {row['seed_file']}")
    return " | ".join(labels), " | ".join(urls)


def snapshot_table(dataset: Dataset, snap: Snapshot) -> pd.DataFrame:
    """The sites on the date with their sources spelled out, as both exports carry them."""
    table = snap.sites[[c for c in SITE_COLUMNS if c != "period_row"]].copy()
    cited = [_cited(dataset, ids) for ids in table["source_ids"]]
    table["source_ids"] = [";".join(ids) for ids in table["source_ids"]]
    table["sources"] = [labels for labels, _ in cited]
    table["source_urls"] = [urls for _, urls in cited]
    table.insert(0, "date", snap.when.isoformat())
    return table


def snapshot_csv(dataset: Dataset, snap: Snapshot) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets read the Arabic) with formula-like cells neutralised."""
    table = snapshot_table(dataset, snap)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.itertuples(index=False):
        writer.writerow(["" if pd.isna(v) else neutralise_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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
    for ids in [
        *(i for group in groups for i in group),
        snap.phase.source_ids if snap.phase else (),
        extra_ids,
    ]:
        wanted += [source_id for source_id in ids if source_id not in wanted]
    sources = dataset.sources.set_index("source_id")
    rows = []
    for source_id in wanted:
        row = sources.loc[source_id]
        rows.append(
            {
                "source_id": source_id,
                "publisher": row["publisher"],
                "title": row["title"],
                "published": row["published"] if isinstance(row["published"], str) else "undated",
                "url": row["url"] if isinstance(row["url"], str) else "",
                "seed_file": row["seed_file"] if isinstance(row["seed_file"], str) else "",
                "quote_english": row["quote_english"],
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "source_id",
            "publisher",
            "title",
            "published",
            "url",
            "seed_file",
            "quote_english",
        ],
    )


def citations_text(dataset: Dataset, snap: Snapshot) -> str:
    """The citation list as plain text, one numbered entry per source."""
    lines = [f"Sources for the coalition footprint on {day_words(snap.when)}", ""]
    for n, row in enumerate(citations(dataset, snap).itertuples(index=False), start=1):
        where = row.url or f"seed article {row.seed_file}"
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
            else f" ({html.escape(t('seed_article', lang, name=row.seed_file))})"
        )
        entries.append(
            f'<li>{title}.{link}<br><q dir="auto">{html.escape(row.quote_english)}</q></li>'
        )
    direction = "rtl" if lang in RIGHT_TO_LEFT else "ltr"
    summary = t(
        "export_summary",
        lang,
        phase=phase,
        day=day_words(snap.data_as_of, lang),
        count=f"{len(snap.sites):,}",
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
