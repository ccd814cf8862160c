"""Coalition Footprint in Iraq: the Streamlit page. Wiring only; the work is in components/."""

from __future__ import annotations

import datetime as dt
import json
import os
from functools import partial
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from components import deck, export, map_view, panels, slider_strip, streamlit_dom, tools_panel
from components.assets import AssetError, ensure_static_assets, static_assets_present
from components.briefing import MOVES_WINDOW, briefing_steps, change_lines
from components.chart import cached_troop_spec, with_selected_date
from components.compare import compare
from components.dataset import DATA_DIR, Dataset, DatasetError, load_dataset
from components.i18n import LANGUAGES, RIGHT_TO_LEFT, day_words, partial_date_words, t
from components.names import phase_span
from components.report import FIRST_PER_FILE, ProblemReport, problem_report
from components.settings import read_map_settings
from components.timeline import (
    event_days,
    movements_between,
    phases,
    record_span,
    snapshot,
)
from components.upload import bundled_zip, load_upload, template_xlsx, template_zip
from components.url_state import read_link

# The analyst view's date slider's widget key: the map follows it in the browser while the
# rerun runs (followSlider in footprint-map.js, through components/streamlit_dom.py's adapter).
DATE_SLIDER = "date"
# The slider writes its own label with English month names; other languages get digits.
SLIDER_DATE_FORMAT = {"en": "D MMM YYYY"}
# The frames' heights as drawn before the page's style sizes them to the screen (page_style).
MAP_HEIGHT = 520
BRIEFING_MAP_HEIGHT = 560
DEFAULT_DATE = dt.date(2024, 9, 27)
PLAY_SPEEDS = {"speed_month": 30, "speed_quarter": 91, "speed_year": 365}
CHART_SCOPES = ("iraq", "federal_iraq", "kurdistan_region")

st.set_page_config(page_title="Coalition Footprint in Iraq", layout="wide")


@st.cache_resource(show_spinner=False)
def cached_dataset(path: str, stamp: tuple[float, ...]) -> Dataset:
    """Loads once per data directory and file modification times (stamp is only a cache key)."""
    return load_dataset(path)


@st.cache_resource(show_spinner=False)
def static_assets_problem() -> str | None:
    """Puts the map's files under static/ once per server; returns what went wrong, if anything."""
    try:
        ensure_static_assets()
    except AssetError as error:
        return str(error)
    except OSError as error:
        return error.strerror if error.filename else str(error)  # no server path on the page
    return None


def map_catalog(data: Dataset, lang: str, private: bool) -> map_view.MapCatalog | None:
    """The map's per-dataset catalogue under static/; None (and a message) if it cannot be written.

    An upload's (`private`) is this session's own and is deleted when the session drops it.
    """
    try:
        return map_view.publish_catalog(data, private=private)
    except OSError as error:
        # The reason without the file's path: server paths stay private.
        reason = error.strerror if error.filename else str(error)
        st.error(t("map_cannot_draw", lang, problem=panels.safe_text(reason)))
        return None


@st.cache_resource(
    scope="session", on_release=map_view.release_private_catalogs, show_spinner=False
)
def session_uploads() -> list[Dataset]:
    """This session's uploaded dataset; its private map file is deleted when the session ends
    (Streamlit releases session-scoped resources then), or at once when it is replaced or left."""
    return []


def take_upload(lang: str) -> None:
    """A valid upload replaces the data for this session only; a bad one lists its problems."""
    uploaded = st.session_state.get("upload")
    if uploaded is None or uploaded.file_id == st.session_state.get("upload_seen"):
        return
    st.session_state["upload_seen"] = uploaded.file_id
    st.session_state["upload_name"] = uploaded.name
    try:
        data = load_upload(uploaded.name, uploaded.getvalue())
    except DatasetError as error:
        st.session_state["upload_problems"] = problem_report(error)
        return
    st.session_state["upload_problems"] = None
    st.session_state["user_dataset"] = data
    st.session_state["user_dataset_name"] = uploaded.name
    uploads = session_uploads()
    map_view.release_private_catalogs(uploads)
    uploads.append(data)
    first, last = record_span(data)
    st.session_state["date"] = min(max(st.session_state.get("date", first), first), last)
    st.session_state["site"] = None
    st.session_state["step"] = 1
    st.session_state.pop("play_date", None)


def forget_upload() -> None:
    map_view.release_private_catalogs(session_uploads())
    for name in ("user_dataset", "user_dataset_name", "upload_problems"):
        st.session_state.pop(name, None)
    st.session_state["site"] = None
    st.session_state["step"] = 1


def data_panel(lang: str) -> None:
    """The sidebar's own-data section: upload, templates, and the way back to the bundled data."""
    st.markdown(f"**{t('your_data', lang)}**")
    st.file_uploader(t("upload_label", lang), type=["zip", "xlsx"], key="upload")
    take_upload(lang)
    if st.session_state.get("user_dataset") is not None:
        # The name as uploaded (a Path would cut it at any "/"), as text, never markdown.
        name = panels.safe_text(st.session_state.get("user_dataset_name", ""))
        st.caption(t("using_upload", lang, name=name))
        st.button(t("back_to_bundled", lang), on_click=forget_upload)
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


def data_directory() -> Path:
    return Path(os.environ.get("FOOTPRINT_DATA_DIR") or DATA_DIR)


def load_or_explain() -> Dataset:
    directory = data_directory()
    csv_files = sorted(directory.glob("*.csv")) if directory.is_dir() else []
    stamp = tuple(p.stat().st_mtime for p in csv_files)
    try:
        return cached_dataset(str(directory), stamp)
    except DatasetError as error:
        st.error(t("data_cannot_show", "en", place=panels.safe_text(directory.name)))
        # The directory by its last part only: server paths stay private.
        show_problems(problem_report(error, rename={str(directory): directory.name}), "en")
        st.stop()
        raise


def read_link_once(dataset: Dataset, first: dt.date, last: dt.date, step_count: int) -> None:
    """The first run of a session takes its view from the URL; bad values warn and fall back."""
    if "date" in st.session_state:
        return
    link = read_link(
        st.query_params,
        first,
        last,
        set(dataset.sites["site_id"]),
        step_count,
        LANGUAGES,
        tools_panel.filter_choices(dataset),
    )
    st.session_state["date"] = link.date or min(max(DEFAULT_DATE, first), last)
    st.session_state["site"] = link.site
    st.session_state["step"] = link.step
    st.session_state["lang"] = link.lang or "en"
    st.session_state["briefing"] = link.briefing
    st.session_state["url_warnings"] = link.warnings
    st.session_state["compare_on"] = link.compare is not None
    st.session_state["compare_date"] = link.compare
    for kind, chosen in (
        ("status", link.statuses),
        ("certainty", link.certainties),
        ("country", link.countries),
    ):
        st.session_state[tools_panel.FILTER_KEYS[kind]] = list(chosen)


def page_style(lang: str, briefing: bool, high_contrast: bool = False) -> None:
    """Right-to-left layout for Arabic on the app's own containers; the map sized to the screen;
    large type (and a high-contrast theme) for briefings."""
    rules = [
        # Less room above the title, so the map, its date and legend fit the first screen.
        '[data-testid="stMain"] .block-container {padding-top: 3rem; padding-bottom: 2rem;}'
        '[data-testid="stMain"] h1 {font-size: 2rem; padding: 0 0 0.25rem;}'
        '[data-testid="stMain"] h3 {font-size: 1.5rem; padding: 0.25rem 0;}'
        # The map frames follow the screen's height (footprint-map.js fills the frame).
        # Captions a shade darker than Streamlit's, for a 4.5:1 contrast on white (WCAG AA).
        '[data-testid="stApp"] [data-testid="stCaptionContainer"], '
        '[data-testid="stApp"] [data-testid="stCaptionContainer"] p {color: #5E5D5B; opacity: 1;}'
        '[data-testid="stApp"] [data-testid="stCaptionContainer"] {opacity: 1;}'
        # Elements that only carry style or script take no room.
        ".st-key-arabic_chrome, .st-key-presenter_keys, .st-key-map_painted_signal "
        "{display: none;}"
        ".st-key-analyst_map iframe {height: clamp(300px, calc(100vh - 215px), 820px) !important;}"
        ".st-key-briefing_map iframe {height: clamp(300px, calc(100vh - 165px), 900px) !important;}"
        "@media (max-width: 640px) {"
        ".st-key-analyst_map iframe, .st-key-briefing_map iframe "
        "{height: clamp(260px, 55vh, 520px) !important;}"
        '[data-testid="stMain"] h1 {font-size: 1.6rem;}}'
    ]
    if lang in RIGHT_TO_LEFT:
        rules.append(
            '[data-testid="stMain"] .block-container, [data-testid="stSidebar"] '
            "{direction: rtl; text-align: right;}"
            # Streamlit sets text-align: left on its own element boxes, so say it on them too.
            '[data-testid="stMain"] .block-container :is(div, p, h1, h2, h3, h4, li, label), '
            '[data-testid="stSidebar"] :is(div, p, label) {text-align: right;}'
            '.fp-text[dir="ltr"] {text-align: left;}'
            # List bullets sit on the right in Arabic, so the indent moves there too.
            '[data-testid="stMain"] .block-container ul {padding-right: 1.4em; padding-left: 0;}'
            '[data-testid="stMain"] .block-container li {margin-right: 0.2em;}'
            # The map and the time axis keep running left to right, as maps and timelines do.
            '[data-testid="stSlider"], iframe, [data-testid="stVegaLiteChart"] {direction: ltr;}'
        )
    if briefing:
        rules.append(
            '[data-testid="stMain"] .block-container {max-width: 100%; padding: 3.75rem 1.5rem 0.5rem;}'
            # Projector type: at least 20 px at 1080 lines, smaller only on smaller screens.
            ".st-key-slide_text :is(p, li, .fp-text) {font-size: max(16px, 1.9vh); line-height: 1.45;}"
            ".st-key-slide_text [data-testid='stCaptionContainer'] p {font-size: max(14px, 1.5vh);}"
            '[data-testid="stMain"] h2 {font-size: max(1.5rem, 3.2vh); padding: 0;}'
            ".fp-big-date {font-size: max(2rem, 5vh); font-weight: 700; line-height: 1.1;}"
            # The slide's words scroll inside their column, so the slide never runs past the screen.
            ".st-key-slide_text {max-height: calc(100vh - 165px); overflow-y: auto;}"
        )
        if high_contrast:
            rules.append(
                '[data-testid="stApp"], [data-testid="stHeader"] {background: #FFFFFF; color: #000000;}'
                '[data-testid="stMain"] :is(p, li, h1, h2, h3, span, div) {color: #000000;}'
                '[data-testid="stMain"] button {border: 2px solid #000000; color: #000000;}'
                ".st-key-slide_text :is(p, li, .fp-text) {font-weight: 500;}"
                '[data-testid="stCaptionContainer"] p {color: #000000; opacity: 1;}'
            )
    if rules:
        st.html(f"<style>{''.join(rules)}</style>")


def css_string(text: str) -> str:
    """Text as a CSS string literal (for content:), every character past ASCII escaped."""
    return (
        '"' + "".join(c if c.isascii() and c not in '"\\' else f"\\{ord(c):x} " for c in text) + '"'
    )


def arabic_chrome(lang: str) -> None:
    """Streamlit writes a few words itself, in English: on an Arabic page, its uploader's button
    and limit get Arabic words through CSS (React keeps redrawing them), its skip link and the
    button's name for screen readers by script."""
    if lang not in RIGHT_TO_LEFT:
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
        f"if (link) {{ link.textContent = {json.dumps(t('skip_to_content', lang))}; link.lang = 'ar'; }}"
        f"var buttons = document.querySelectorAll('{dropzone} button');"
        "buttons.forEach(function (b) {"
        f" b.setAttribute('aria-label', {json.dumps(t('upload_button', lang))}); }});"
        "if ((!link || !buttons.length) && tries++ < 30) setTimeout(name, 100);"
        "})(); })();</script>",
        unsafe_allow_javascript=True,
    )


def set_date(day: dt.date) -> None:
    st.session_state["date"] = day


def step_event(days: list[dt.date], forward: bool) -> None:
    current = st.session_state["date"]
    later = [d for d in days if d > current]
    earlier = [d for d in days if d < current]
    if forward and later:
        set_date(later[0])
    elif not forward and earlier:
        set_date(earlier[-1])


def jump_to_phase(starts: dict[str, dt.date]) -> None:
    chosen = st.session_state.get("phase_jump")
    if chosen in starts:
        set_date(starts[chosen])
    st.session_state["phase_jump"] = None


def move_step(delta: int, count: int) -> None:
    st.session_state["step"] = min(max(st.session_state["step"] + delta, 1), count)
    st.session_state["playing"] = False
    st.session_state.pop("play_date", None)


def show_map(
    dataset: Dataset,
    payload: dict,
    online_tiles: bool,
    lang: str,
    height: int,
    follow_slider: str | None,
    high_contrast: bool = False,
) -> dict | None:
    return st_folium(
        map_view.build_base_map(
            map_view.map_bounds(dataset.sites),
            online_tiles,
            lang,
            follow_slider=follow_slider,
            move_window_days=MOVES_WINDOW.days,
            presenter_keys=follow_slider is None,
            high_contrast=high_contrast,
        ),
        # streamlit-folium builds the base map once per key: the analyst view's map (following
        # the slider) and the briefing map (no slider) must not be taken for each other.
        key="footprint_map" if follow_slider else "footprint_map_briefing",
        feature_group_to_add=map_view.build_date_layer(payload),
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        height=height,
        use_container_width=True,
    )


def take_map_click(clicked: dict | None, sites) -> None:
    """A marker click picks its site: by the id in the marker's tooltip, else by position."""
    clicked = clicked or {}
    point = clicked.get("last_object_clicked")
    tooltip = clicked.get("last_object_clicked_tooltip")
    if not point or (point, tooltip) == st.session_state.get("last_click"):
        return
    st.session_state["last_click"] = (point, tooltip)
    picked = map_view.clicked_site(tooltip, set(sites["site_id"])) or map_view.nearest_site(
        sites, point["lat"], point["lng"]
    )
    if picked:
        st.session_state["site"] = picked


def mark_map_painted() -> None:
    st.session_state["map_has_painted"] = True


# After this long with no word from the map, what is below it is drawn all the same.
MAP_PAINT_WAIT_S = 3.0


def below_the_map_ready() -> bool:
    """False on a session's first run until the map has painted its first markers.

    The chart and tables below the first screen bring the page's heaviest code (Vega, the data
    grid): sent with the map, their drawing holds the map's iframe back by a second or more
    (BENCHMARKS.md). So the first run stops after the map and its controls, and the map
    (footprint-map.js, signalPainted) presses the hidden button below once its markers are on
    screen; the rerun it starts draws the rest. Should the map never say so, a timer does.
    """
    if st.session_state.get("map_has_painted"):
        return True
    with st.container(key="map_painted_signal"):
        st.button("map painted", key="map_painted", on_click=mark_map_painted)

    @st.fragment(run_every=MAP_PAINT_WAIT_S)
    def fallback() -> None:
        if st.session_state.get("map_paint_waited"):
            mark_map_painted()
            st.rerun()
        st.session_state["map_paint_waited"] = True

    fallback()
    return False


def analyst_view(dataset: Dataset, catalog, online_tiles: bool, lang: str) -> None:
    """The map and its date first (the first screen at 1280x720 and up); then the controls."""
    first_day, last_day = record_span(dataset)
    all_phases = phases(dataset)
    when: dt.date = st.session_state["date"]
    whole = snapshot(dataset, when)
    site_filter = tools_panel.current_filter(st.session_state)
    # Filters narrow the map, the tables and the exports; the phase and figures stay whole.
    snap = site_filter.apply(whole)
    other = tools_panel.compare_date(st.session_state)
    comparison = None
    if other is not None:
        comparison = compare(dataset, whole, other)
        kept = set(snap.sites["site_id"])
        changed = frozenset(i for i in comparison.changed_site_ids if i in kept)
    else:
        changed = frozenset()
    # The phase's name only: its dates are in the phase panel, and one line keeps the map high.
    phase_text = snap.phase.name_in(lang) if snap.phase else t("no_phase", lang)
    st.markdown(f"### {day_words(when, lang)} · {panels.safe_text(phase_text)}")

    map_column, side_column = st.columns([2, 1])
    payload = None  # the map's layer for this date, reused by the offline HTML export
    with map_column:
        if catalog is not None:
            moves = movements_between(dataset, when - MOVES_WINDOW, when + MOVES_WINDOW)
            overlay = None
            if comparison is not None:
                overlay = tools_panel.compare_map(comparison, when, site_filter, catalog, lang)
            payload = map_view.site_payload(
                when.isoformat(), snap.sites, catalog, moves, changed=changed, compare=overlay
            )
            with st.container(key="analyst_map"):
                clicked = show_map(dataset, payload, online_tiles, lang, MAP_HEIGHT, DATE_SLIDER)
            take_map_click(clicked, snap.sites)
        st.caption(t("sites_count", lang, count=len(snap.sites), days=MOVES_WINDOW.days))
        if site_filter.active:
            st.caption(t("filtered", lang, count=len(snap.sites), total=len(whole.sites)))
    with side_column:
        # The slider sits beside the map (under it on a phone), before anything else.
        st.slider(
            t("date", lang),
            min_value=first_day,
            max_value=last_day,
            step=dt.timedelta(days=1),
            format=SLIDER_DATE_FORMAT.get(lang, "YYYY-MM-DD"),
            key="date",
        )
        st.html(slider_strip.cached_strip_html(dataset, first_day, last_day, lang))
        streamlit_dom.install(month_keys_on=(DATE_SLIDER,))
        nav_back, nav_forward = st.columns(2)
        days = event_days(dataset)
        nav_back.button(
            t("previous_event", lang), on_click=step_event, args=(days, False), width="stretch"
        )
        nav_forward.button(
            t("next_event", lang), on_click=step_event, args=(days, True), width="stretch"
        )
        panels.render_as_of(dataset, snap, lang)
        phase_starts = {p.name: p.first_day for p in all_phases}
        phase_names = {p.name: p.name_in(lang) for p in all_phases}
        st.pills(
            t("jump_to_phase", lang),
            options=list(phase_starts),
            format_func=lambda name: panels.safe_text(phase_names[name]),
            key="phase_jump",
            on_change=jump_to_phase,
            args=(phase_starts,),
        )
        tools_panel.render_tools(dataset, lang, first_day, last_day)
        panels.render_phase_panel(dataset, snap, lang, with_figures=False)
    if catalog is not None and not below_the_map_ready():
        return
    if comparison is not None:
        tools_panel.render_comparison(dataset, comparison, lang)
    # The figure tables take the page's width, so none of their columns is cut.
    panels.render_phase_figures(dataset, snap, lang)
    panels.render_troops_now(dataset, snap, lang)

    labels = panels.screen_source_labels(dataset)
    st.markdown(f"#### {t('troops_over_time', lang)}")
    log_scale = st.toggle(t("log_scale", lang), value=True)
    spec = cached_troop_spec(dataset, CHART_SCOPES, log_scale, lang)
    st.vega_lite_chart(with_selected_date(spec, when), width="stretch")

    names = panels.site_names(dataset, lang)
    detail_column, table_column = st.columns([2, 3])
    with table_column:
        st.markdown(f"#### {t('sites_on_date', lang)}")
        st.dataframe(panels.sites_table(snap.sites, names, lang), hide_index=True, width="stretch")
        st.markdown(f"#### {t('events_near', lang)}")
        if snap.events.empty:
            st.caption(t("no_events", lang, days=45))
        else:
            table = panels.events_table(snap.events, labels, lang)
            st.dataframe(table, hide_index=True, width="stretch")
    with detail_column:
        st.selectbox(
            t("site_detail", lang),
            options=list(names),
            format_func=lambda site_id: names[site_id],
            index=None,
            placeholder=t("choose_site", lang),
            key="site",
        )
        if st.session_state.get("site"):
            panels.render_site_detail(dataset, st.session_state["site"], when, lang)
    export_section(dataset, snap, payload, lang)


def export_section(dataset: Dataset, snap, layer: dict | None, lang: str) -> None:
    """Downloads for the selected date; each file is made only when its button is pressed
    (the newer ones without a rerun: nothing on the page changes)."""
    st.markdown(f"#### {t('export', lang)}")
    stem = f"coalition-footprint-{snap.when.isoformat()}"
    csv_col, geo_col, html_col, cite_col = st.columns(4)
    csv_col.download_button(
        t("export_csv", lang),
        partial(export.snapshot_csv, dataset, snap),
        f"{stem}.csv",
        "text/csv",
    )
    geo_col.download_button(
        t("export_geojson", lang),
        partial(export.snapshot_geojson, dataset, snap),
        f"{stem}.geojson",
        "application/geo+json",
    )
    if layer is not None:
        html_col.download_button(
            t("export_html", lang),
            partial(export.standalone_map_html, dataset, snap, layer, lang),
            f"{stem}.html",
            "text/html",
        )
    cite_col.download_button(
        t("export_citations", lang),
        partial(export.citations_text, dataset, snap),
        f"{stem}-sources.txt",
        "text/plain",
    )
    pictures_and_tables = [
        ("export_png", export.view_picture_png, (dataset, snap, lang), f"{stem}.png", "image/png"),
        ("export_troops_csv", export.troops_csv, (dataset, snap), f"{stem}-troop-figures.csv", "text/csv"),
        ("export_events_csv", export.events_csv, (dataset, snap), f"{stem}-events.csv", "text/csv"),
        (
            "export_tables_xlsx",
            export.tables_xlsx,
            (dataset, snap),
            f"{stem}-tables.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]  # fmt: skip
    for column, (label, build, args, name, mime) in zip(
        st.columns(len(pictures_and_tables)), pictures_and_tables
    ):
        # Built when pressed, with no rerun (a second click during a rerun would be lost).
        column.download_button(t(label, lang), partial(build, *args), name, mime, on_click="ignore")
    with st.expander(t("citations_on_screen", lang)):
        st.dataframe(export.citations(dataset, snap), hide_index=True, width="stretch")


def leave_briefing(day: dt.date) -> None:
    """One click back to the analyst view, at the date the slide (or the playback) shows."""
    st.session_state["briefing"] = False
    st.session_state["date"] = day
    st.session_state["playing"] = False
    st.session_state.pop("play_date", None)


def go_to_step(number: int) -> None:
    st.session_state["step"] = number
    st.session_state["playing"] = False
    st.session_state.pop("play_date", None)


def toggle_play(start: dt.date) -> None:
    """Play starts from the slide on screen (or where it was paused) and moves on from there."""
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing and "play_date" not in st.session_state:
        st.session_state["play_date"] = start


# Which way "back" points: in Arabic the page runs right to left, so back is to the right.
NAV_ICONS = {
    "en": (":material/first_page:", ":material/chevron_left:", ":material/chevron_right:", ":material/last_page:"),
    "ar": (":material/last_page:", ":material/chevron_right:", ":material/chevron_left:", ":material/first_page:"),
}  # fmt: skip


def briefing_controls(steps: list, step, lang: str) -> None:
    """First, previous, next, last, play, leave: one row, each a button the presenter's keys press."""
    first_icon, back_icon, forward_icon, last_icon = NAV_ICONS.get(lang, NAV_ICONS["en"])
    count = len(steps)
    cells = st.columns([1, 1, 1, 1, 1.2, 1.4], vertical_alignment="center")
    cells[0].button(
        t("first_step", lang),
        icon=first_icon,
        key="brief_first",
        on_click=go_to_step,
        args=(1,),
        disabled=step.number == 1,
        width="stretch",
    )
    cells[1].button(
        t("previous_step", lang),
        icon=back_icon,
        key="brief_previous",
        on_click=move_step,
        args=(-1, count),
        disabled=step.number == 1,
        width="stretch",
    )
    cells[2].button(
        t("next_step", lang),
        icon=forward_icon,
        key="brief_next",
        on_click=move_step,
        args=(1, count),
        disabled=step.number == count,
        width="stretch",
        icon_position="right" if lang == "en" else "left",
    )
    cells[3].button(
        t("last_step", lang),
        icon=last_icon,
        key="brief_last",
        on_click=go_to_step,
        args=(count,),
        disabled=step.number == count,
        width="stretch",
        icon_position="right" if lang == "en" else "left",
    )
    playing = st.session_state.get("playing", False)
    cells[4].button(
        t("pause", lang) if playing else t("play", lang),
        icon=":material/pause:" if playing else ":material/play_arrow:",
        key="brief_play",
        on_click=toggle_play,
        args=(step.day,),
        width="stretch",
    )
    shown_day = st.session_state.get("play_date") or step.day
    cells[5].button(
        t("leave_briefing", lang), icon=":material/close:", key="brief_leave",
        on_click=leave_briefing, args=(shown_day,), width="stretch", type="primary",
    )  # fmt: skip


def briefing_view(dataset: Dataset, catalog, online_tiles: bool, lang: str) -> None:
    """One slide per screen: title and controls, then the map beside the date and the words."""
    steps = briefing_steps(dataset)
    if not steps:
        st.info(t("no_briefing_steps", lang))
        return
    step = steps[min(st.session_state["step"], len(steps)) - 1]
    title_column, controls_column = st.columns([1.6, 3.4], vertical_alignment="center")
    title_column.markdown(
        f"## {panels.safe_text(step.phase.name_in(lang))}\n"
        f"{t('step', lang, n=step.number, total=len(steps))} · "
        f"{panels.safe_text(phase_span(step.phase.start, step.phase.end, lang))}"
    )
    with controls_column:
        briefing_controls(steps, step, lang)
    high_contrast = st.session_state.get("high_contrast", False)
    if catalog is not None:
        briefing_slide(dataset, catalog, step, online_tiles, lang, high_contrast)
    presenter_keys()
    deck_downloads(dataset, lang)


def deck_downloads(dataset: Dataset, lang: str) -> None:
    """The briefing to take away; the deck is built when a button is pressed, once per language."""
    stem = "coalition-footprint-briefing" + ("" if lang == "en" else f"-{lang}")
    st.markdown(f"**{t('deck_download', lang)}**")
    pptx_col, pdf_col, _ = st.columns([1, 1, 2])
    pptx_col.download_button(
        t("deck_pptx", lang),
        partial(deck.deck_pptx, dataset, lang),
        f"{stem}.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        on_click="ignore",
    )
    pdf_col.download_button(
        t("deck_pdf", lang),
        partial(deck.deck_pdf, dataset, lang),
        f"{stem}.pdf",
        "application/pdf",
        on_click="ignore",
    )


def slide_words(dataset: Dataset, step, lang: str) -> None:
    """The slide's summary, what changed since the slide before, its events and sources."""
    names = panels.site_names(dataset, lang)
    if step.snap.after_last_report:
        st.warning(t("slide_shows_plans", lang, day=day_words(step.snap.data_as_of, lang)))
    st.markdown(
        panels.safe_block(step.phase.summary_in(lang), rtl=lang in RIGHT_TO_LEFT),
        unsafe_allow_html=True,
    )
    st.markdown(f"**{t('what_changed', lang)}**")
    # Names isolated: an English name inside an Arabic line keeps its brackets in place.
    isolated = {site: panels.FSI + name + panels.PDI for site, name in names.items()}
    lines = change_lines(step, isolated, lang)
    st.markdown(
        "\n".join(f"- {panels.safe_text(line)}" for line in lines) or t("nothing_changed", lang)
    )
    if not step.events.empty:
        st.markdown(f"**{t('events', lang)}**")
        st.markdown(
            "\n".join(
                f"- {panels.safe_text(partial_date_words(d, lang))}: {panels.safe_text(title)}"
                for d, title in zip(step.events["date"], panels.event_titles(step.events, lang))
            )
        )
    labels = panels.screen_source_labels(dataset)
    st.caption(
        panels.safe_text(
            t("sources_colon", lang, list="; ".join(labels[i] for i in step.phase.source_ids))
        )
    )


def briefing_slide(
    dataset: Dataset, catalog, step, online_tiles: bool, lang: str, high_contrast: bool
) -> None:
    """The map and the date in large type; while playing, a fragment moves the date forward
    every second on its own (the words stay the slide's)."""
    playing = st.session_state.get("playing", False)

    @st.fragment(run_every=1.0 if playing else None)
    def animated() -> None:
        if st.session_state.get("playing"):
            last = record_span(dataset)[1]
            days = PLAY_SPEEDS.get(st.session_state.get("play_speed"), 30)
            day = min(st.session_state["play_date"] + dt.timedelta(days=days), last)
            st.session_state["play_date"] = day
            if day >= last:
                st.session_state["playing"] = False
                st.rerun()  # a full rerun redraws the fragment without its timer
        day = st.session_state.get("play_date") or step.day
        moves = movements_between(dataset, day - MOVES_WINDOW, day + MOVES_WINDOW)
        if day == step.day:
            snap = step.snap
            payload = map_view.site_payload(
                day.isoformat(), snap.sites, catalog, moves, step.changed_site_ids, step.fit
            )
        else:
            snap = snapshot(dataset, day)
            payload = map_view.site_payload(day.isoformat(), snap.sites, catalog, moves)
        map_column, words_column = st.columns([3, 2])
        with map_column, st.container(key="briefing_map"):
            show_map(dataset, payload, online_tiles, lang, BRIEFING_MAP_HEIGHT, None, high_contrast)
        with words_column, st.container(key="slide_text"):
            st.markdown(
                f'<div class="fp-big-date" role="status">{day_words(day, lang)}</div>',
                unsafe_allow_html=True,
            )
            st.caption(t("sites_count", lang, count=len(snap.sites), days=MOVES_WINDOW.days))
            slide_words(dataset, step, lang)
            speed_column, contrast_column = st.columns(2, vertical_alignment="center")
            speed_column.selectbox(
                t("speed", lang),
                list(PLAY_SPEEDS),
                format_func=partial(t, lang=lang),
                key="play_speed",
            )
            contrast_column.toggle(t("high_contrast", lang), key="high_contrast")
            if st.session_state.get("high_contrast", False) != high_contrast:
                st.rerun()  # the theme is the page's style and the map's: a full rerun

    animated()


# The presenter's keys, handled in the page itself (footprint-map.js hands them up from the map):
# each presses one of the slide buttons above, found by its key's class.
PRESENTER_SCRIPT = """
<script>
(function () {
  var doc = document;
  if (window.footprintPresenter) return;
  var KEYS = {
    ArrowRight: "brief_next", " ": "brief_next", PageDown: "brief_next", n: "brief_next",
    N: "brief_next", ArrowLeft: "brief_previous", PageUp: "brief_previous", p: "brief_previous",
    P: "brief_previous", Home: "brief_first", End: "brief_last"
  };
  function press(key) {
    var name = KEYS[key];
    if (!name) return false;
    var next = doc.querySelector(".st-key-brief_next");
    // Right to left, "next" lies to the left: the arrow keys follow the buttons' arrows.
    if (next && getComputedStyle(next).direction === "rtl" && /^Arrow/.test(key)) {
      name = key === "ArrowLeft" ? "brief_next" : "brief_previous";
    }
    var button = doc.querySelector(".st-key-" + name + " button");
    if (!button) return false;
    if (!button.disabled) button.click();
    return true;
  }
  window.footprintPresenter = { handle: press };
  doc.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || !KEYS[event.key]) return;
    var focus = doc.activeElement;
    var tag = focus ? focus.tagName : "BODY";
    // Typing in a field, moving a slider or choosing in a list keeps its keys.
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || (focus && (focus.isContentEditable ||
        focus.closest("[role=slider], [role=combobox], [role=listbox], [data-baseweb=select]")))) return;
    // A focused button presses itself on Space.
    if (tag === "BUTTON" && event.key === " ") return;
    if (press(event.key)) event.preventDefault();
  }, true);
  // Presenting starts with the sidebar (settings, uploads) out of the way: collapsed once, as soon
  // as Streamlit has laid it out (within 3 s), and left to the presenter after that.
  var tries = 0;
  (function collapseSidebar() {
    var sidebar = doc.querySelector('[data-testid="stSidebar"]');
    var collapse = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    var open = sidebar && sidebar.getAttribute("data-collapsed") === "false" &&
      sidebar.getBoundingClientRect().width > 0;
    if (open && collapse) { collapse.click(); return; }
    if (tries++ < 30) setTimeout(collapseSidebar, 100);
  })();
})();
</script>
"""


def presenter_keys() -> None:
    """Installs the presenter's keys in the page (once; the script keeps itself)."""
    with st.container(key="presenter_keys"):
        st.html(PRESENTER_SCRIPT, unsafe_allow_javascript=True)


def sync_url(briefing: bool, lang: str) -> None:
    """The URL always holds the view, so a link pasted into a briefing opens the same thing."""
    wanted = {"lang": lang} if lang != "en" else {}
    if briefing:
        wanted.update({"mode": "briefing", "step": str(st.session_state["step"])})
    else:
        wanted["date"] = st.session_state["date"].isoformat()
        if st.session_state.get("site"):
            wanted["site"] = st.session_state["site"]
        other = tools_panel.compare_date(st.session_state)
        if other is not None:
            wanted["compare"] = other.isoformat()
        for kind, key in tools_panel.FILTER_KEYS.items():
            if st.session_state.get(key):
                wanted[kind] = ",".join(st.session_state[key])
    for name in [n for n in st.query_params if n not in wanted]:
        del st.query_params[name]
    for name, value in wanted.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


bundled = load_or_explain()
read_link_once(bundled, *record_span(bundled), len(briefing_steps(bundled)))
with st.sidebar:
    st.markdown(f"**{t('settings', st.session_state['lang'])}**")
    st.selectbox(
        t("language", st.session_state["lang"]),
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
    )
    lang = st.session_state["lang"]
    st.toggle(t("briefing_mode", lang), key="briefing")
    map_settings = read_map_settings()
    online_tiles = st.toggle(
        t("online_tiles", lang), value=map_settings.tiles == "online", key="online_tiles"
    )
    st.divider()
    data_panel(lang)
user_dataset = st.session_state.get("user_dataset")
dataset = user_dataset if user_dataset is not None else bundled
briefing = st.session_state["briefing"]
page_style(lang, briefing, st.session_state.get("high_contrast", False))
arabic_chrome(lang)
if not briefing:
    st.title(t("title", lang))
    st.caption(t("tagline", lang))
for warning in st.session_state.get("url_warnings", []):
    st.warning(panels.safe_text(warning) + " " + t("default_view", lang))
report = st.session_state.get("upload_problems")
if report:
    name = panels.safe_text(st.session_state.get("upload_name", ""))
    st.error(t("upload_refused", lang, name=name, count=f"{report.total:,}"))
    show_problems(report, lang)
for warning in [*dataset.warnings, map_settings.problem]:
    if warning:
        st.warning(panels.safe_text(warning))
if not static_assets_present():
    static_assets_problem.clear()  # static/ was deleted while running: copy the files again
assets_problem = static_assets_problem()
if assets_problem:
    st.error(t("map_cannot_draw", lang, problem=panels.safe_text(assets_problem)))
catalog = map_catalog(dataset, lang, private=user_dataset is not None)
if briefing:
    briefing_view(dataset, catalog, online_tiles, lang)
else:
    analyst_view(dataset, catalog, online_tiles, lang)
sync_url(briefing, lang)
