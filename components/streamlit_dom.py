"""The adapter to Streamlit's page markup: the one place that knows its classes and widgets.

The browser side is components/assets/streamlit-adapter.js, put in the page by `install`: the
map's frame finds the date slider through it (followSlider in footprint-map.js), and it gives
the slider's Page Up / Page Down a month (Shift: a year). Streamlit does not promise its markup,
so the selectors are written for one Streamlit series (WRITTEN_FOR): another one is reported on
the server's log and the browser's console, tests/test_streamlit_dom.py fails on it, and the
browser tests (tests/test_browser.py) check that the markup is still what the adapter expects.
After an upgrade: run the browser tests, fix the adapter if they fail, then move WRITTEN_FOR.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path

import streamlit as st

# The Streamlit series (major.minor) the selectors here and in streamlit-adapter.js were
# written and tested for.
WRITTEN_FOR = "1.67"
ADAPTER_SCRIPT = Path(__file__).resolve().parent / "assets" / "streamlit-adapter.js"
# The container the adapter's element sits in: it only carries style and script, so no room.
ADAPTER_KEY = "streamlit_adapter"
SANITISER_DROPS = re.compile(r"<[/\w!]")

log = logging.getLogger(__name__)


def series(version: str) -> str:
    """'1.67.0' -> '1.67': the part of a version that markup changes follow."""
    return ".".join(version.split(".")[:2])


def version_problem(running: str | None = None) -> str | None:
    """What is wrong when the running Streamlit is not the series the adapter was written for."""
    running = series(running or st.__version__)
    if running == WRITTEN_FOR:
        return None
    return (
        f"Streamlit {running} is running, but components/streamlit_dom.py was written for "
        f"Streamlit {WRITTEN_FOR}: run the browser tests and check the adapter."
    )


def widget_selector(key: str) -> str:
    """The CSS selector of a keyed widget's element (Streamlit marks it st-key-<key>)."""
    return f".st-key-{key}"


@lru_cache(maxsize=8)
def adapter_html(month_keys_on: tuple[str, ...], running: str) -> str:
    """The adapter's style and script for a page whose date sliders have these widget keys."""
    config = {"writtenFor": WRITTEN_FOR, "running": series(running), "monthKeysOn": month_keys_on}
    # The config is ours (keys and versions), but made safe for a script all the same.
    config_json = json.dumps(config).replace("<", "\\u003c")
    script = ADAPTER_SCRIPT.read_text(encoding="utf-8").replace(
        "FOOTPRINT_STREAMLIT_CONFIG", config_json
    )
    # Streamlit's HTML sanitiser drops a script whose text has "<" before a letter, digit, "/"
    # or "!" (it could be markup), so the adapter's source never has one.
    if SANITISER_DROPS.search(script):
        raise ValueError("streamlit-adapter.js has '<' before a word character, '/' or '!'")
    style = (
        f"{widget_selector(ADAPTER_KEY)} {{display: none;}}"
        # The slider's own first and last dates show only on hover, over the strip under it
        # (components/slider_strip.py), which always shows them: the strip's are kept.
        + "".join(
            f'{widget_selector(key)} [data-testid="stSliderTickBar"] {{display: none;}}'
            for key in month_keys_on
        )
    )
    return f"<style>{style}</style><script>{script}</script>"


_reported: set[str] = set()


def install(month_keys_on: tuple[str, ...] = ("date",)) -> None:
    """Puts the adapter in the page (once per page; the script keeps itself across reruns)."""
    problem = version_problem()
    if problem and problem not in _reported:
        _reported.add(problem)
        log.error(problem)
    with st.container(key=ADAPTER_KEY):
        st.html(adapter_html(month_keys_on, st.__version__), unsafe_allow_javascript=True)
