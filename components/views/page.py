"""The page around the views: its style, Streamlit's own words in Arabic, and the messages on top."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

from components import panels
from components.dataset import Dataset
from components.i18n import is_rtl, number_words, t
from components.report import ProblemReport
from components.views.session import Session
from components.views.sidebar import show_problems

HERE = Path(__file__).resolve().parent


@functools.cache
def style_sheet(name: str) -> str:
    """One of the page's style sheets (components/views/*.css), read once per server."""
    return (HERE / f"{name}.css").read_text(encoding="utf-8")


def page_style(lang: str, briefing: bool, high_contrast: bool = False) -> None:
    """The page's style: right to left for Arabic on the app's own containers, the map sized to
    the screen, large type (and a high-contrast theme) for briefings."""
    sheets = ["page"]
    if is_rtl(lang):
        sheets.append("page-rtl")
    if briefing:
        sheets.append("page-briefing")
        if high_contrast:
            sheets.append("page-contrast")
    st.html("<style>" + "".join(style_sheet(name) for name in sheets) + "</style>")


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
        # still be drawing when this runs, so it looks again for up to 3 s.
        "<script>(function () { var tries = 0; (function name() {"
        "var link = document.querySelector('[data-testid=\"stSkipToContent\"]');"
        f"if (link) {{ link.textContent = {json.dumps(t('skip_to_content', lang))}; link.lang = {json.dumps(lang)}; }}"
        f"var buttons = document.querySelectorAll('{dropzone} button');"
        "buttons.forEach(function (b) {"
        f" b.setAttribute('aria-label', {json.dumps(t('upload_button', lang))}); }});"
        "if ((!link || !buttons.length) && tries++ < 30) setTimeout(name, 100);"
        "})(); })();</script>",
        unsafe_allow_javascript=True,
    )


def page_messages(session: Session, dataset: Dataset, settings_problem: str | None) -> None:
    """What the page must say before anything else: a link's values that were not used, an
    upload refused with its problems, the data's own warnings."""
    lang = session.lang
    for warning in session.url_warnings:
        st.warning(panels.safe_text(warning) + " " + t("default_view", lang))
    report: ProblemReport | None = session.upload_problems
    if report:
        name = panels.safe_text(session.upload_name)
        st.error(t("upload_refused", lang, name=name, count=number_words(report.total, lang)))
        show_problems(report, lang)
    for warning in [*dataset.warnings, settings_problem]:
        if warning:
            st.warning(panels.safe_text(warning))
