"""The briefing view: one slide per screen (map, date in large type, summary, what changed),
the presenter's controls and keys, playback, and the deck to take away."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from components import deck, map_view, panels, streamlit_dom
from components.briefing import MOVES_WINDOW, Step, briefing_steps, change_lines
from components.dataset import Dataset
from components.i18n import day_words, is_rtl, partial_date_words, t
from components.names import phase_span
from components.timeline import movements_between, record_span, snapshot
from components.views.map_frame import show_map
from components.views.session import Session

# The frame's height as drawn before the page's style sizes it to the screen (page.css).
BRIEFING_MAP_HEIGHT = 560
PLAY_SPEEDS = {"speed_month": 30, "speed_quarter": 91, "speed_year": 365}
# Which way "back" points: right to left, the page runs the other way, so back is to the right.
NAV_ICONS_LTR = (":material/first_page:", ":material/chevron_left:", ":material/chevron_right:", ":material/last_page:")  # fmt: skip
NAV_ICONS_RTL = (":material/last_page:", ":material/chevron_right:", ":material/chevron_left:", ":material/first_page:")  # fmt: skip


def leave_briefing(session: Session, day: dt.date) -> None:
    """One click back to the analyst view, at the date the slide (or the playback) shows."""
    session.briefing = False
    session.date = day
    session.stop_playing()


def go_to_step(session: Session, number: int) -> None:
    session.step = number
    session.stop_playing()


def move_step(session: Session, delta: int, count: int) -> None:
    session.step = min(max(session.step + delta, 1), count)
    session.stop_playing()


def toggle_play(session: Session, start: dt.date) -> None:
    """Play starts from the slide on screen (or where it was paused) and moves on from there."""
    session.playing = not session.playing
    if session.playing and session.play_date is None:
        session.play_date = start


def briefing_controls(session: Session, steps: list[Step], step: Step, lang: str) -> None:
    """First, previous, next, last, play, leave: one row, each a button the presenter's keys press."""
    first_icon, back_icon, forward_icon, last_icon = (
        NAV_ICONS_RTL if is_rtl(lang) else NAV_ICONS_LTR
    )
    trailing = "left" if is_rtl(lang) else "right"
    count = len(steps)
    cells = st.columns([1, 1, 1, 1, 1.2, 1.4], vertical_alignment="center")
    buttons = [
        ("first_step", first_icon, "brief_first", go_to_step, (session, 1), step.number == 1, "left"),
        ("previous_step", back_icon, "brief_previous", move_step, (session, -1, count), step.number == 1, "left"),
        ("next_step", forward_icon, "brief_next", move_step, (session, 1, count), step.number == count, trailing),
        ("last_step", last_icon, "brief_last", go_to_step, (session, count), step.number == count, trailing),
    ]  # fmt: skip
    for cell, (label, icon, key, action, args, disabled, icon_side) in zip(cells, buttons):
        cell.button(
            t(label, lang),
            icon=icon,
            key=key,
            on_click=action,
            args=args,
            disabled=disabled,
            width="stretch",
            icon_position=icon_side,
        )
    cells[4].button(
        t("pause", lang) if session.playing else t("play", lang),
        icon=":material/pause:" if session.playing else ":material/play_arrow:",
        key="brief_play",
        on_click=toggle_play,
        args=(session, step.day),
        width="stretch",
    )
    shown_day = session.play_date or step.day
    cells[5].button(
        t("leave_briefing", lang), icon=":material/close:", key="brief_leave",
        on_click=leave_briefing, args=(session, shown_day), width="stretch", type="primary",
    )  # fmt: skip


def briefing_view(
    session: Session, dataset: Dataset, catalog, online_tiles: bool, lang: str
) -> None:
    """One slide per screen: title and controls, then the map beside the date and the words."""
    steps = briefing_steps(dataset)
    if not steps:
        st.info(t("no_briefing_steps", lang))
        return
    step = steps[min(session.step, len(steps)) - 1]
    title_column, controls_column = st.columns([1.6, 3.4], vertical_alignment="center")
    title_column.markdown(
        f"## {panels.safe_text(step.phase.name_in(lang))}\n"
        f"{t('step', lang, n=step.number, total=len(steps))} · "
        f"{panels.safe_text(phase_span(step.phase.start, step.phase.end, lang))}"
    )
    with controls_column:
        briefing_controls(session, steps, step, lang)
    if catalog is not None:
        briefing_slide(session, dataset, catalog, step, online_tiles, lang)
    streamlit_dom.presenter_keys()
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


def slide_words(dataset: Dataset, step: Step, lang: str) -> None:
    """The slide's summary, what changed since the slide before, its events and sources."""
    names = panels.site_names(dataset, lang)
    if step.snap.after_last_report:
        st.warning(t("slide_shows_plans", lang, day=day_words(step.snap.data_as_of, lang)))
    st.markdown(
        panels.safe_block(step.phase.summary_in(lang), rtl=is_rtl(lang)),
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
    session: Session, dataset: Dataset, catalog, step: Step, online_tiles: bool, lang: str
) -> None:
    """The map and the date in large type; while playing, a fragment moves the date forward
    every second on its own (the words stay the slide's)."""
    high_contrast = session.high_contrast

    @st.fragment(run_every=1.0 if session.playing else None)
    def animated() -> None:
        if session.playing:
            last = record_span(dataset)[1]
            days = PLAY_SPEEDS.get(session.play_speed, 30)
            day = min(session.play_date + dt.timedelta(days=days), last)
            session.play_date = day
            if day >= last:
                session.playing = False
                st.rerun()  # a full rerun redraws the fragment without its timer
        day = session.play_date or step.day
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
                key=Session.play_speed.key,
            )
            contrast_column.toggle(t("high_contrast", lang), key=Session.high_contrast.key)
            if session.high_contrast != high_contrast:
                st.rerun()  # the theme is the page's style and the map's: a full rerun

    animated()
