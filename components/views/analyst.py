"""The analyst view: the map and its date first, the tools beside it, then figures, chart,
tables, site detail and exports."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from components import export, map_view, panels, slider_strip, streamlit_dom, tools_panel
from components.briefing import MOVES_WINDOW
from components.chart import cached_troop_spec, with_selected_date
from components.compare import compare
from components.dataset import Dataset
from components.first_screen import first_screen_only
from components.i18n import day_words, t
from components.timeline import event_days, movements_between, phases, record_span, snapshot
from components.views.map_frame import show_map
from components.views.session import Session

# The analyst view's date slider's widget key: the map follows it in the browser while the
# rerun runs (followSlider in footprint-map.js, through components/streamlit_dom.py's adapter).
DATE_SLIDER = Session.date.key
# The slider writes its own label with English month names; other languages get digits.
SLIDER_DATE_FORMAT = {"en": "D MMM YYYY"}
# The frame's height as drawn before the page's style sizes it to the screen (page.css).
MAP_HEIGHT = 520
CHART_SCOPES = ("iraq", "federal_iraq", "kurdistan_region")
# After this long with no word from the map, what is below it is drawn all the same.
MAP_PAINT_WAIT_S = 3.0


def step_event(session: Session, days: list[dt.date], forward: bool) -> None:
    """The slider's date moves to the next (or previous) day with an event."""
    later = [d for d in days if d > session.date]
    earlier = [d for d in days if d < session.date]
    if forward and later:
        session.date = later[0]
    elif not forward and earlier:
        session.date = earlier[-1]


def jump_to_phase(session: Session, starts: dict[str, dt.date]) -> None:
    if session.phase_jump in starts:
        session.date = starts[session.phase_jump]
    session.phase_jump = None


def take_map_click(session: Session, clicked: dict | None, sites) -> None:
    """A marker click picks its site: by the id in the marker's tooltip, else by position."""
    clicked = clicked or {}
    point = clicked.get("last_object_clicked")
    tooltip = clicked.get("last_object_clicked_tooltip")
    if not point or (point, tooltip) == session.last_click:
        return
    session.last_click = (point, tooltip)
    picked = map_view.clicked_site(tooltip, set(sites["site_id"])) or map_view.nearest_site(
        sites, point["lat"], point["lng"]
    )
    if picked:
        session.site = picked


def mark_map_painted(session: Session) -> None:
    session.map_has_painted = True


def below_the_map_ready(session: Session) -> bool:
    """False on a session's first run until the map has painted its first markers.

    The chart and tables below the first screen bring the page's heaviest code (Vega, the data
    grid): sent with the map, their drawing holds the map's iframe back by a second or more
    (BENCHMARKS.md). So the first run stops after the map and its controls, and the map
    (footprint-map.js, signalPainted) presses the hidden button below once its markers are on
    screen; the rerun it starts draws the rest. Should the map never say so, a timer does.
    """
    if session.map_has_painted:
        return True
    with st.container(key="map_painted_signal"):
        st.button("map painted", key="map_painted", on_click=mark_map_painted, args=(session,))

    @st.fragment(run_every=MAP_PAINT_WAIT_S)
    def fallback() -> None:
        if session.map_paint_waited:
            mark_map_painted(session)
            st.rerun()
        session.map_paint_waited = True

    fallback()
    return False


def analyst_view(
    session: Session, dataset: Dataset, catalog, online_tiles: bool, lang: str
) -> None:
    """The map and its date first (the first screen at 1280x720 and up); then the controls."""
    first_day, last_day = record_span(dataset)
    all_phases = phases(dataset)
    when = session.date
    whole = snapshot(dataset, when)
    site_filter = tools_panel.current_filter(session)
    # Filters narrow the map, the tables and the exports; the phase and figures stay whole.
    snap = site_filter.apply(whole)
    other = session.compare_date if session.compare_on else None
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

    # A session's first run sends the map and its date first (components/first_screen.py); the
    # page's adapter comes with it, since the map reports its first paint through it.
    held_back = first_screen_only(session.store)
    streamlit_dom.install(month_keys_on=(DATE_SLIDER,))
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
            take_map_click(session, clicked, snap.sites)
        st.caption(t("sites_count", lang, count=len(snap.sites), days=MOVES_WINDOW.days))
        if site_filter.active:
            st.caption(t("filtered", lang, count=len(snap.sites), total=len(whole.sites)))
    if held_back:
        if catalog is None:  # no map to wait for: the rest at once
            mark_map_painted(session)
            st.rerun()
        below_the_map_ready(session)  # the map's signal (or its timer) brings the rest
        return
    with side_column:
        # The slider sits beside the map (under it on a phone), before anything else.
        st.slider(
            t("date", lang),
            min_value=first_day,
            max_value=last_day,
            step=dt.timedelta(days=1),
            format=SLIDER_DATE_FORMAT.get(lang, "YYYY-MM-DD"),
            key=DATE_SLIDER,
        )
        st.html(slider_strip.cached_strip_html(dataset, first_day, last_day, lang))
        nav_back, nav_forward = st.columns(2)
        days = event_days(dataset)
        nav_back.button(
            t("previous_event", lang),
            on_click=step_event,
            args=(session, days, False),
            width="stretch",
        )
        nav_forward.button(
            t("next_event", lang), on_click=step_event, args=(session, days, True), width="stretch"
        )
        panels.render_as_of(dataset, snap, lang)
        phase_starts = {p.name: p.first_day for p in all_phases}
        phase_names = {p.name: p.name_in(lang) for p in all_phases}
        st.pills(
            t("jump_to_phase", lang),
            options=list(phase_starts),
            format_func=lambda name: panels.safe_text(phase_names[name]),
            key=Session.phase_jump.key,
            on_change=jump_to_phase,
            args=(session, phase_starts),
        )
        tools_panel.render_tools(session, dataset, lang, first_day, last_day)
        panels.render_phase_panel(dataset, snap, lang, with_figures=False)
    if catalog is not None and not below_the_map_ready(session):
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
            key=Session.site.key,
        )
        if session.site:
            panels.render_site_detail(dataset, session.site, when, lang)
    export_section(dataset, snap, payload, lang)


def export_section(dataset: Dataset, snap, layer: dict | None, lang: str) -> None:
    """Downloads for the selected date; each file is made only when its button is pressed
    (with no rerun: nothing on the page changes, and a second click during a rerun is kept)."""
    st.markdown(f"#### {t('export', lang)}")
    stem = f"coalition-footprint-{snap.when.isoformat()}"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    downloads = [
        ("export_csv", export.snapshot_csv, (dataset, snap), f"{stem}.csv", "text/csv"),
        ("export_geojson", export.snapshot_geojson, (dataset, snap), f"{stem}.geojson", "application/geo+json"),
        ("export_html", export.standalone_map_html, (dataset, snap, layer, lang), f"{stem}.html", "text/html"),
        ("export_citations", export.citations_text, (dataset, snap), f"{stem}-sources.txt", "text/plain"),
        ("export_png", export.view_picture_png, (dataset, snap, lang), f"{stem}.png", "image/png"),
        ("export_troops_csv", export.troops_csv, (dataset, snap), f"{stem}-troop-figures.csv", "text/csv"),
        ("export_events_csv", export.events_csv, (dataset, snap), f"{stem}-events.csv", "text/csv"),
        ("export_tables_xlsx", export.tables_xlsx, (dataset, snap), f"{stem}-tables.xlsx", xlsx),
    ]  # fmt: skip
    if layer is None:  # no map drawn (its files could not be written): no map to save either
        downloads = [d for d in downloads if d[0] != "export_html"]
    for row in (downloads[:4], downloads[4:]):
        for column, (label, build, args, name, mime) in zip(st.columns(len(row)), row):
            column.download_button(
                t(label, lang), partial(build, *args), name, mime, on_click="ignore"
            )
    with st.expander(t("citations_on_screen", lang)):
        st.dataframe(export.citations(dataset, snap), hide_index=True, width="stretch")
