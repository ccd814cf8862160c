"""The first screen first: what a session's first run leaves out so its map paints sooner.

A session's first run in the analyst view sends the title, the date and the map, and little
else: the sidebar's widgets and the controls beside the map (slider, pills, tools, phase) bring
code of their own that the page loads, parses and draws on the same main thread as the map's
frame, which they held back (BENCHMARKS.md). They come with the run the map starts once its
first markers are painted (components/views/analyst.py, below_the_map_ready), as the chart and tables already did.

Preloading the map's files from the page (<link rel="preload">, so that the frame would find
them in the browser's cache) was measured too and made the first markers later with an empty
cache, not sooner: it is not done (BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from components.views.session import Session

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
        state[HOLDING] = not state.get(Session.briefing.key, False)
    if state[HOLDING] and state.get(Session.map_has_painted.key):
        state[HOLDING] = False
    return bool(state[HOLDING])
