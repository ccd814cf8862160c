"""Puts the files the map needs (Leaflet, our map script and styles, outlines, basemap) under static/."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import time
import weakref
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = REPO_DIR / "static"
OWN_ASSETS_DIR = Path(__file__).resolve().parent / "assets"
# Streamlit serves <app dir>/static/<file> at /app/static/<file> when enableStaticServing is on.
STATIC_URL = "/app/static"
# Served as they are; the two scripts are served as one file (MAP_SCRIPT_BUNDLE, below).
OWN_FILES = ("footprint-map.css", "countries.geojson", "basemap.geojson")
LEAFLET_FILES = ("leaflet.css",)


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


# Leaflet and footprint-map.js in one file: streamlit-folium loads its scripts one after the
# other, each waiting for the last, so two files cost the map's first paint a round trip more.
MAP_SCRIPT_BUNDLE = "footprint-map-bundle.js"


def asset_urls() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (name, url) lists for folium's default_js and default_css: local files only."""
    js = [("footprint", f"{STATIC_URL}/{MAP_SCRIPT_BUNDLE}")]
    css = [
        ("leaflet_css", f"{STATIC_URL}/vendor/leaflet/leaflet.css"),
        ("footprint_css", f"{STATIC_URL}/footprint-map.css"),
    ]
    return js, css


def _asset_copies(static_dir: Path) -> list[tuple[Path, Path]]:
    """(installed file, its place under static_dir) for every file the map needs."""
    leaflet_dir = leaflet_source_dir()
    vendor = static_dir / "vendor" / "leaflet"
    copies = [(OWN_ASSETS_DIR / name, static_dir / name) for name in OWN_FILES]
    copies += [(leaflet_dir / name, vendor / name) for name in LEAFLET_FILES]
    copies += [
        (image, vendor / "images" / image.name) for image in (leaflet_dir / "images").glob("*.png")
    ]
    return copies


def map_script_bundle() -> bytes:
    """Leaflet, then our map script, as one script (each file's own text, unchanged)."""
    parts = []
    for source in (leaflet_source_dir() / "leaflet.js", OWN_ASSETS_DIR / "footprint-map.js"):
        if not source.is_file():
            raise AssetError(f"{source.name} is missing; reinstall the app (`pip install .`)")
        parts.append(source.read_bytes())
    # A line break and a semicolon between them: neither file's last statement runs on.
    return b"\n;\n".join(parts)


def static_assets_present(static_dir: Path = STATIC_DIR) -> bool:
    """Whether every map asset is in place: a few stats, cheap enough for every rerun, so that
    static/ deleted while the server runs is noticed and restored."""
    try:
        return (static_dir / MAP_SCRIPT_BUNDLE).is_file() and all(
            target.is_file() for _, target in _asset_copies(static_dir)
        )
    except (AssetError, OSError):
        return False


def ensure_static_assets(static_dir: Path = STATIC_DIR) -> Path:
    """Copies every map asset into static_dir when missing or stale; returns static_dir."""
    for source, target in _asset_copies(static_dir):
        if not source.is_file():
            # The file's name only: this is shown on the page, and server paths stay private.
            raise AssetError(f"{source.name} is missing; reinstall the app (`pip install .`)")
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        # Written beside the target then renamed, so a concurrent request never reads half a file.
        write_atomically(target, source.read_bytes())
    bundle, target = map_script_bundle(), static_dir / MAP_SCRIPT_BUNDLE
    if not (target.is_file() and target.read_bytes() == bundle):
        write_atomically(target, bundle)
    return static_dir


def write_atomically(target: Path, body: bytes) -> None:
    """Writes `body` to `target` so that no reader ever sees half of it and no failure leaves a
    partial file: a temporary file with a unique name beside it (two writers never share one),
    then a rename; on any failure (a full disk) the temporary file is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; static files are served
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def publish_json(value: object, folder: str, static_dir: Path = STATIC_DIR) -> str:
    """Writes `value` as static/<folder>/<content hash>.json (once) and returns its URL.

    Named by content, so a dataset's file never changes under a browser that cached it, and two
    datasets (the bundled one and an analyst's) never overwrite each other. Written again if
    it went missing (static/ deleted while the server runs).
    """
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    name = hashlib.sha256(body).hexdigest()[:20] + ".json"
    target = static_dir / folder / name
    if not target.is_file():
        write_atomically(target, body)
    return f"{STATIC_URL}/{folder}/{name}"


# An uploaded dataset's catalogue is that session's own: it goes under an unguessable name in
# this folder, is deleted when the session lets go of the dataset (see PrivateFile), and both
# one file and the folder are bounded. Files older than PRIVATE_MAX_AGE_S are left over from a
# process that ended without cleaning up, and are removed.
PRIVATE_FOLDER = "session"
MAX_PRIVATE_FILE_BYTES = 32 * 1024 * 1024
MAX_PRIVATE_TOTAL_BYTES = 512 * 1024 * 1024
PRIVATE_MAX_AGE_S = 24 * 3600


class PrivateFile:
    """A file served under an unguessable URL that is deleted when this object is collected.

    Kept with the session's dataset (in its cache): the session ending, a new upload or going
    back to the bundled data drops the dataset, and with it the file.
    """

    def __init__(self, path: Path, url: str):
        self.path = path
        self.url = url
        self._finalizer = weakref.finalize(self, _remove_quietly, path)

    def remove(self) -> None:
        self._finalizer()


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # at worst the file stays until the age sweep


def publish_private_json(value: object, static_dir: Path = STATIC_DIR) -> PrivateFile:
    """Writes `value` under static/session/<random>.json; raises OSError with a reason when it is
    too large or the folder is full."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    if len(body) > MAX_PRIVATE_FILE_BYTES:
        raise OSError(
            f"this data's map catalogue would be {len(body) / 1_048_576:.0f} MB; the limit is "
            f"{MAX_PRIVATE_FILE_BYTES / 1_048_576:.0f} MB"
        )
    folder = static_dir / PRIVATE_FOLDER
    if _sweep_and_measure(folder) + len(body) > MAX_PRIVATE_TOTAL_BYTES:
        raise OSError("the server holds too many uploaded maps right now; try again later")
    name = secrets.token_urlsafe(24) + ".json"
    target = folder / name
    write_atomically(target, body)
    return PrivateFile(target, f"{STATIC_URL}/{PRIVATE_FOLDER}/{name}")


def _sweep_and_measure(folder: Path) -> int:
    """Removes files past PRIVATE_MAX_AGE_S and returns the size of those that stay."""
    total = 0
    now = time.time()
    for path in folder.glob("*") if folder.is_dir() else ():
        try:
            stat = path.stat()
            if now - stat.st_mtime > PRIVATE_MAX_AGE_S:
                path.unlink()
            else:
                total += stat.st_size
        except OSError:
            continue  # removed by another session meanwhile
    return total
