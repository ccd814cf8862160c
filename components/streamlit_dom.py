"""The adapter to Streamlit's page markup: the one place whose scripts know its classes and widgets.

The browser side is components/assets/streamlit-adapter.js, put in the page by `install`: the
map's frame finds the date slider through it (followSlider in footprint-map.js), and it gives
the slider's Page Up / Page Down a month (Shift: a year). The presenter's keys (presenter.js:
slide buttons, the sidebar folded while presenting) and the words Streamlit writes itself on a
right-to-left page (`translated_chrome`) are here too. (The page's style sheets,
components/views/*.css, name Streamlit's containers as well; the browser tests check the
layout they give.) Streamlit does not promise its markup,
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

from components.i18n import is_rtl, t

# The Streamlit series (major.minor) the selectors here and in streamlit-adapter.js were
# written and tested for.
WRITTEN_FOR = "1.67"
ADAPTER_SCRIPT = Path(__file__).resolve().parent / "assets" / "streamlit-adapter.js"
PRESENTER_SCRIPT = Path(__file__).resolve().parent / "assets" / "presenter.js"
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


def css_string(text: str) -> str:
    """Text as a CSS string literal (for content:), every character past ASCII escaped."""
    return (
        '"' + "".join(c if c.isascii() and c not in '"\\' else f"\\{ord(c):x} " for c in text) + '"'
    )


def translated_chrome(lang: str) -> None:
    """Streamlit writes a few words itself, in English: on a right-to-left page, its uploader's
    button and limit get the page's words through CSS (React keeps redrawing them), its skip
    link and the button's name for screen readers by script."""
    if not is_rtl(lang):
        return
    limit = t("upload_limit", lang, mb=st.get_option("server.maxUploadSize"))
    dropzone = '[data-testid="stFileUploaderDropzone"]'
    st.container(key="arabic_chrome").html(
        "<style>"
        f"{dropzone} button [data-testid='stMarkdownContainer'] p {{display: none;}}"
        f"{dropzone} button [data-testid='stMarkdownContainer']::after "
        f"{{content: {css_string(t('upload_button', lang))};}}"
        f"{dropzone} [data-testid='stFileUploaderDropzoneInstructions'] span {{display: none;}}"
        f"{dropzone} [data-testid='stFileUploaderDropzoneInstructions'] div::after "
        f"{{content: {css_string(limit)}; font-size: 14px; opacity: 0.7;}}"
        "</style>"
        # The button's name for screen readers, which do not read the CSS words; the sidebar may
        # still be drawing when this runs (on a first visit it comes after the map's first
        # markers, components/first_screen.py), so it looks again for up to 10 s.
        "<script>(function () { var tries = 0; (function name() {"
        "var link = document.querySelector('[data-testid=\"stSkipToContent\"]');"
        f"if (link) {{ link.textContent = {json.dumps(t('skip_to_content', lang))}; link.lang = {json.dumps(lang)}; }}"
        f"var buttons = document.querySelectorAll('{dropzone} button');"
        "buttons.forEach(function (b) {"
        f" b.setAttribute('aria-label', {json.dumps(t('upload_button', lang))}); }});"
        "if ((!link || !buttons.length) && tries++ < 100) setTimeout(name, 100);"
        "})(); })();</script>",
        unsafe_allow_javascript=True,
    )


def presenter_keys() -> None:
    """Installs the presenter's keys in the page (once; the script keeps itself)."""
    script = PRESENTER_SCRIPT.read_text(encoding="utf-8")
    with st.container(key="presenter_keys"):
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
