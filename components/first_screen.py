"""The first screen first: what a session's first run leaves out so its map paints sooner.

A session's first run in the analyst view sends the title, the date and the map, and little
else: the sidebar's widgets and the controls beside the map (slider, pills, tools, phase) bring
code of their own that the page loads, parses and draws on the same main thread as the map's
frame, which they held back (BENCHMARKS.md). They come with the run the map starts once its
first markers are painted (app.py, below_the_map_ready), as the chart and tables already did.
Meanwhile the page asks for the map's own files, so that they are in the browser's cache when
the frame asks for them.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from typing import Any

from components.assets import asset_urls
from components.map_view import BASEMAP_URL, OUTLINES_URL

# Session-state key: True while this session's first analyst screen is held to the map.
HOLDING = "first_screen_only"


def first_screen_only(state: MutableMapping[str, Any]) -> bool:
    """Whether this run sends only the first screen.

    True from a session's first run in the analyst view until the map has painted (or its
    timer gave up waiting, which sets "map_has_painted" too); never again after that, and never
    for a session that opens on a briefing. Widgets left out are never drawn before, so their
    values (set from the link) wait in the session state and nothing is lost.
    """
    if HOLDING not in state:
        state[HOLDING] = not state.get("briefing", False)
    if state[HOLDING] and state.get("map_has_painted"):
        state[HOLDING] = False
    return bool(state[HOLDING])


def preload_script(catalog_url: str) -> str:
    """A script for the page that asks for the map's files before the map's frame exists.

    The frame is the page's own origin, so it finds them in the HTTP cache instead of asking
    the server again one after the other (scripts, then styles, then data). Nothing is fetched
    that the map would not fetch itself.
    """
    scripts, styles = asset_urls()
    files = [(url, "script") for _, url in scripts] + [(url, "style") for _, url in styles]
    files += [(url, "fetch") for url in (catalog_url, OUTLINES_URL, BASEMAP_URL)]
    links = json.dumps(files).replace("<", "\\u003c")
    return (
        "<script>(function () {"
        f"{links}.forEach(function (file) {{"
        "  if (document.head.querySelector('link[rel=preload][href=\"' + file[0] + '\"]')) return;"
        "  var link = document.createElement('link');"
        "  link.rel = 'preload'; link.href = file[0]; link.as = file[1];"
        # fetch() asks in CORS mode: the preload must too, or the cached copy is not used.
        "  if (file[1] === 'fetch') link.crossOrigin = 'anonymous';"
        "  document.head.appendChild(link);"
        "});"
        "})();</script>"
    )
