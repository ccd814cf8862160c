"""Deployment settings: whether the map may fetch online tiles (file footprint.toml, env FOOTPRINT_TILES)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "footprint.toml"
TILE_MODES = ("offline", "online")
# A light, neutral basemap; used only when the setting allows requests to leave the machine.
ONLINE_TILES_URL = "https://{s}.basemaps.cartocdn.com/light_nolabels/{z}/{x}/{y}.png"
ONLINE_TILES_ATTRIBUTION = "&copy; OpenStreetMap contributors &copy; CARTO"


@dataclass(frozen=True)
class MapSettings:
    tiles: str
    problem: str | None = None  # what was wrong with the configured value, if anything


def read_map_settings(
    environ: dict[str, str] | None = None, settings_file: Path = SETTINGS_FILE
) -> MapSettings:
    """The environment wins over the file; anything unreadable falls back to offline, and says so."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get("FOOTPRINT_TILES"):
        value, origin = environ["FOOTPRINT_TILES"].strip().lower(), "FOOTPRINT_TILES"
    elif settings_file.is_file():
        try:
            config = tomllib.loads(settings_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            return MapSettings(
                "offline", f"{settings_file.name} cannot be read ({error}); using offline"
            )
        value, origin = (
            str(config.get("map", {}).get("tiles", "offline")).lower(),
            settings_file.name,
        )
    else:
        return MapSettings("offline")
    if value not in TILE_MODES:
        return MapSettings(
            "offline", f"{origin}: tiles must be offline or online, not {value!r}; using offline"
        )
    return MapSettings(value)
