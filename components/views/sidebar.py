"""The sidebar: language, mode and map settings, and an analyst's own data (upload, templates)."""

from __future__ import annotations

import streamlit as st

from components import map_view, panels
from components.dataset import Dataset, DatasetError
from components.first_screen import first_screen_only
from components.i18n import languages, t
from components.report import FIRST_PER_FILE, ProblemReport, problem_report
from components.settings import MapSettings
from components.timeline import record_span
from components.upload import bundled_zip, load_upload, template_xlsx, template_zip
from components.views.session import Session


@st.cache_resource(
    scope="session", on_release=map_view.release_private_catalogs, show_spinner=False
)
def session_uploads() -> list[Dataset]:
    """This session's uploaded dataset; its private map file is deleted when the session ends
    (Streamlit releases session-scoped resources then), or at once when it is replaced or left."""
    return []


def sidebar(session: Session, map_settings: MapSettings) -> bool:
    """Settings and own data; returns whether online tiles are on."""
    with st.sidebar:
        st.markdown(f"**{t('settings', session.lang)}**")
        if first_screen_only(session.store):
            # The settings come with the run the map starts once painted (first_screen.py).
            tiles = session.online_tiles
            return map_settings.tiles == "online" if tiles is None else tiles
        st.selectbox(
            t("language", session.lang),
            list(languages()),
            format_func=languages().get,
            key=Session.lang.key,
        )
        lang = session.lang
        st.toggle(t("briefing_mode", lang), key=Session.briefing.key)
        online_tiles = st.toggle(
            t("online_tiles", lang),
            value=map_settings.tiles == "online",
            key=Session.online_tiles.key,
        )
        st.divider()
        data_panel(session)
    return online_tiles


def take_upload(session: Session) -> None:
    """A valid upload replaces the data for this session only; a bad one lists its problems."""
    uploaded = session.upload
    if uploaded is None or uploaded.file_id == session.upload_seen:
        return
    session.upload_seen = uploaded.file_id
    session.upload_name = uploaded.name
    try:
        data = load_upload(uploaded.name, uploaded.getvalue())
    except DatasetError as error:
        session.upload_problems = problem_report(error)
        return
    session.upload_problems = None
    session.user_dataset = data
    session.user_dataset_name = uploaded.name
    uploads = session_uploads()
    map_view.release_private_catalogs(uploads)
    uploads.append(data)
    first, last = record_span(data)
    session.date = min(max(session.date if session.started else first, first), last)
    session.site = None
    session.step = 1
    del session.play_date


def forget_upload(session: Session) -> None:
    map_view.release_private_catalogs(session_uploads())
    del session.user_dataset
    del session.user_dataset_name
    del session.upload_problems
    session.site = None
    session.step = 1


def data_panel(session: Session) -> None:
    """The sidebar's own-data section: upload, templates, and the way back to the bundled data."""
    lang = session.lang
    st.markdown(f"**{t('your_data', lang)}**")
    st.file_uploader(t("upload_label", lang), type=["zip", "xlsx"], key=Session.upload.key)
    take_upload(session)
    if session.user_dataset is not None:
        # The name as uploaded (a Path would cut it at any "/"), as text, never markdown.
        name = panels.safe_text(session.user_dataset_name)
        st.caption(t("using_upload", lang, name=name))
        st.button(t("back_to_bundled", lang), on_click=forget_upload, args=(session,))
    st.download_button(
        t("template_zip", lang), template_zip, "footprint-template.zip", "application/zip"
    )
    st.download_button(
        t("template_xlsx", lang),
        template_xlsx,
        "footprint-template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.download_button(t("bundled_zip", lang), bundled_zip, "footprint-data.zip", "application/zip")


def show_problems(report: ProblemReport, lang: str) -> None:
    """A refused dataset's problems, bounded whatever their number: counts by file and column,
    the first problems of each file, and the full report as a download."""
    if not report.shown_all:
        st.markdown(t("problem_counts", lang))
        st.dataframe(
            {
                t("col_file", lang): [file for file, _, _ in report.counts],
                t("col_column", lang): [column for _, column, _ in report.counts],
                t("col_problems", lang): [count for _, _, count in report.counts],
            },
            hide_index=True,
            column_config={
                t("col_problems", lang): st.column_config.NumberColumn(format="localized")
            },
        )
        st.markdown(t("first_problems", lang, count=FIRST_PER_FILE))
    st.markdown("\n".join(f"- {panels.safe_text(p)}" for p in report.first))
    if not report.shown_all:
        st.download_button(
            t("full_report", lang), report.text, "footprint-problems.txt", "text/plain"
        )
