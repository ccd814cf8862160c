"""Puts the files the map needs (Leaflet, our map script and styles, outlines, basemap) under static/."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = REPO_DIR / "static"
OWN_ASSETS_DIR = Path(__file__).resolve().parent / "assets"
# Streamlit serves <app dir>/static/<file> at /app/static/<file> when enableStaticServing is on.
STATIC_URL = "/app/static"
OWN_FILES = ("footprint-map.js", "footprint-map.css", "countries.geojson", "basemap.geojson")
LEAFLET_FILES = ("leaflet.js", "leaflet.css")


class AssetError(RuntimeError):
    """A file the map needs is missing from the installation; the message says what to install."""


def leaflet_source_dir() -> Path:
    try:
        import xstatic.pkg.leaflet as leaflet_package
    except ImportError as error:
        raise AssetError(
            "Leaflet is not installed: run `pip install .` (it installs XStatic-Leaflet)"
        ) from error
    return Path(leaflet_package.BASE_DIR)


def asset_urls() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (name, url) lists for folium's default_js and default_css: local files only."""
    js = [
        ("leaflet", f"{STATIC_URL}/vendor/leaflet/leaflet.js"),
        ("footprint", f"{STATIC_URL}/footprint-map.js"),
    ]
    css = [
        ("leaflet_css", f"{STATIC_URL}/vendor/leaflet/leaflet.css"),
        ("footprint_css", f"{STATIC_URL}/footprint-map.css"),
    ]
    return js, css


def ensure_static_assets(static_dir: Path = STATIC_DIR) -> Path:
    """Copies every map asset into static_dir when missing or stale; returns static_dir."""
    leaflet_dir = leaflet_source_dir()
    vendor = static_dir / "vendor" / "leaflet"
    copies = [(OWN_ASSETS_DIR / name, static_dir / name) for name in OWN_FILES]
    copies += [(leaflet_dir / name, vendor / name) for name in LEAFLET_FILES]
    copies += [
        (image, vendor / "images" / image.name) for image in (leaflet_dir / "images").glob("*.png")
    ]
    for source, target in copies:
        if not source.is_file():
            raise AssetError(f"{source} is missing; reinstall the app (`pip install .`)")
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write next to the target then rename, so a concurrent request never reads half a file.
        partial = target.with_suffix(target.suffix + ".partial")
        shutil.copyfile(source, partial)
        partial.replace(target)
    return static_dir


def publish_json(value: object, folder: str, static_dir: Path = STATIC_DIR) -> str:
    """Writes `value` as static/<folder>/<content hash>.json (once) and returns its URL.

    Named by content, so a dataset's file never changes under a browser that cached it, and two
    datasets (the bundled one and an analyst's) never overwrite each other.
    """
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    name = hashlib.sha256(body.encode()).hexdigest()[:20] + ".json"
    target = static_dir / folder / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        partial.write_text(body, encoding="utf-8")
        partial.replace(target)
    return f"{STATIC_URL}/{folder}/{name}"
