"""The page around the views: its style, Streamlit's own words in Arabic, and the messages on top."""

from __future__ import annotations

import functools
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
