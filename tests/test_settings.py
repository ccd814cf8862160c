"""The offline/online tile setting: environment over file, bad values fall back to offline and say so."""

from __future__ import annotations

import re
from pathlib import Path

from components.map_view import build_base_map
from components.settings import read_map_settings


def test_default_is_offline_without_file_or_environment(tmp_path: Path) -> None:
    assert read_map_settings({}, tmp_path / "none.toml").tiles == "offline"


def test_file_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "footprint.toml"
    config.write_text('[map]\ntiles = "online"\n', encoding="utf-8")
    assert read_map_settings({}, config).tiles == "online"
    assert read_map_settings({"FOOTPRINT_TILES": "OFFLINE"}, config).tiles == "offline"


def test_bad_values_fall_back_to_offline_with_a_reason(tmp_path: Path) -> None:
    config = tmp_path / "footprint.toml"
    config.write_text("[map\ntiles = ", encoding="utf-8")
    broken = read_map_settings({}, config)
    assert broken.tiles == "offline" and "footprint.toml cannot be read" in broken.problem
    wrong = read_map_settings({"FOOTPRINT_TILES": "satellite"}, config)
    assert wrong.tiles == "offline"
    assert (
        wrong.problem
        == "FOOTPRINT_TILES: tiles must be offline or online, not 'satellite'; using offline"
    )


def test_offline_map_names_no_outside_host_and_online_map_adds_tiles() -> None:
    bounds = ((29.0, 38.8), (37.4, 48.6))
    offline = build_base_map(bounds, online_tiles=False).get_root().render()
    online = build_base_map(bounds, online_tiles=True).get_root().render()
    assert "basemaps.cartocdn.com" not in offline
    assert "basemaps.cartocdn.com" in online
    outline_call = re.compile(
        r'addOutlines\(\s*\w+, "/app/static/countries.geojson", (true|false)\s*\)'
    )
    assert outline_call.search(offline).group(1) == "true"  # filled land when there are no tiles
    assert outline_call.search(online).group(1) == "false"
