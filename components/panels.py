"""Streamlit panels beside the map: phase, troop figures, site detail, sites and events tables."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable
from functools import partial

import pandas as pd
import streamlit as st

from components import derived
from components.chart import site_history_chart
from components.dataset import Dataset
from components.i18n import (
    day_words,
    in_language,
    is_rtl,
    number_words,
    partial_date_words,
    precise_date_words,
    t,
    term,
)
from components.names import (
    as_of_line,
    event_titles,
    phase_dates_lines,
    plan_note,
    site_names,
)
from components.timeline import Phase, Snapshot, source_labels

# Characters that mean something to HTML or to Streamlit's markdown ($ for maths, ` for code).
_SPECIAL = frozenset("&<>\"'\\`*_{}[]()#+-.!|$~:")


def safe_text(value: object) -> str:
    """Data text made inert for st.markdown: every HTML or markdown character becomes an entity."""
    return "".join(f"&#{ord(c)};" if c in _SPECIAL else c for c in str(value))


def safe_block(value: object, rtl: bool = False, lang: str = "") -> str:
    """One paragraph of data text as escaped HTML, right-to-left for Arabic and Persian."""
    direction = ' dir="rtl"' if rtl else (' dir="ltr"' if lang else "")
    language = f' lang="{html.escape(lang)}"' if lang else ""
    body = safe_text(value).replace("\n", "<br>")
    return f'<div class="fp-text"{direction}{language}>{body}</div>'


# Unicode's first-strong isolate and its end: a run between them is laid out on its own.
FSI, PDI = "\u2068", "\u2069"


def screen_source_labels(dataset: Dataset) -> dict[str, str]:
    """'Publisher, date' labels for the screen, each run isolated, so that a label mixing
    scripts ("Shafaq News (شفق نيوز), 2025-11-07") reads in order on a page of either direction
    (without, the date after an Arabic run is laid out as part of it). Made once per dataset."""
    return derived.once(
        dataset,
        "screen_source_labels",
        lambda: {
            source_id: f"{FSI}{publisher}{PDI}, {FSI}{published if isinstance(published, str) else t('undated', 'en')}{PDI}"
            for source_id, publisher, published in zip(
                dataset.sources["source_id"],
                dataset.sources["publisher"],
                dataset.sources["published"],
            )
        },
    )


def _joined_sources(ids: tuple[str, ...], labels: dict[str, str]) -> str:
    """Source labels in order, each document once (several quotes of one article share a label)."""
    return "; ".join(dict.fromkeys(labels.get(i, i) for i in ids))


def troops_table(
    troops: pd.DataFrame, labels: dict[str, str], names: dict[str, str], lang: str = "en"
) -> pd.DataFrame:
    """Figures as analysts read them: figure, force, scope, reported or planned, as of, source."""
    return pd.DataFrame(
        {
            t("col_figure", lang): troops["value"].astype(int),
            t("col_range", lang): [
                f"{number_words(int(lo), lang)}–{number_words(int(hi), lang)}"
                if pd.notna(lo) and pd.notna(hi)
                else ""
                for lo, hi in zip(troops["low"], troops["high"])
            ],
            t("col_qualifier", lang): [term("qualifier", q, lang) for q in troops["qualifier"]],
            t("col_force", lang): [term("force", f, lang) for f in troops["force"]],
            t("col_scope", lang): [
                names.get(site, site)
                if scope == "site" and isinstance(site, str)
                else term("scope", scope, lang)
                for scope, site in zip(troops["scope"], troops["site_id"])
            ],
            t("col_kind", lang): [term("kind", k, lang) for k in troops["kind"]],
            t("col_counts", lang): [term("counts", c, lang) for c in troops["counts"]],
            t("col_certainty", lang): [term("certainty", c, lang) for c in troops["certainty"]],
            t("col_as_of", lang): [precise_date_words(d, lang) for d in troops["as_of"]],
            t("col_source", lang): [_joined_sources(ids, labels) for ids in troops["source_ids"]],
        }
    )


def phase_figures(dataset: Dataset, phase: Phase) -> pd.DataFrame:
    """Every troop figure dated inside the phase."""
    figures = dataset.troop_figures
    end = pd.Timestamp(phase.end) if phase.end else pd.Timestamp.max
    start = pd.Timestamp(phase.first_day)
    inside = (figures["date_first"] >= start) & (figures["date_first"] <= end)
    return figures[inside].rename(columns={"date": "as_of"}).sort_values("date_first")


def _each_distinct(values: pd.Series, convert: Callable[[str], str]) -> pd.Series:
    """Converts each distinct value once: thousands of rows share a handful of values. An empty
    cell stays empty (a table would show it as "None")."""
    shown = values.map({value: convert(value) for value in values.dropna().unique()})
    return shown.astype(object).where(shown.notna(), "")


def nations_in_words(codes: Iterable[str], lang: str) -> str:
    """Nation codes in the page's words: 'U.K., U.S.'."""
    return ", ".join(term("nation", code, lang) for code in codes)


def _forces_words(sites: pd.DataFrame, lang: str) -> list[str]:
    """The nations a period's sources name, in words; 'not stated' where they name none."""
    if "forces" not in sites.columns:
        return [t("forces_not_stated", lang)] * len(sites)
    unstated = t("forces_not_stated", lang)
    return [nations_in_words(named, lang) if named else unstated for named in sites["forces"]]


def sites_table(sites: pd.DataFrame, names: dict[str, str], lang: str = "en") -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_site", lang): sites["site_id"].map(names).fillna(sites["name"]),
            t("col_status", lang): _each_distinct(
                sites["status"], partial(term, "status", lang=lang)
            ),
            # Short (mostly "U.S."), so it stays in view when the long columns are cut.
            t("col_forces", lang): _forces_words(sites, lang),
            t("col_since", lang): _each_distinct(
                sites["since"], partial(precise_date_words, lang=lang)
            ),
            t("col_certainty", lang): _each_distinct(
                sites["certainty"], partial(term, "certainty", lang=lang)
            ),
            t("col_last_reported", lang): _each_distinct(
                sites["last_reported"], partial(partial_date_words, lang=lang)
            ),
            t("col_role", lang): in_language(sites, "role", lang).fillna(""),
            t("col_country", lang): _each_distinct(
                sites["country"], partial(term, "country", lang=lang)
            ),
            t("col_kind", lang): _each_distinct(sites["kind"], partial(term, "kind", lang=lang)),
            t("col_id", lang): sites["site_id"],
        }
    )


def events_table(events: pd.DataFrame, labels: dict[str, str], lang: str = "en") -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_date", lang): [partial_date_words(d, lang) for d in events["date"]],
            t("col_event", lang): event_titles(events, lang),
            t("col_kind", lang): [term("event_kind", k, lang) for k in events["kind"]],
            t("col_certainty", lang): [term("certainty", c, lang) for c in events["certainty"]],
            t("col_source", lang): [_joined_sources(ids, labels) for ids in events["source_ids"]],
        }
    )


def figure_columns(lang: str) -> dict[str, object]:
    """Troop figures shown with thousands separators (170,000), still sorted as numbers."""
    return {t("col_figure", lang): st.column_config.NumberColumn(format="localized")}


def render_phase_panel(
    dataset: Dataset, snap: Snapshot, lang: str = "en", with_figures: bool = True
) -> None:
    """The phase's name, dates, summary and sources; and its figures unless `with_figures` is
    False (the page then shows them where a wide table fits, render_phase_figures)."""
    phase = snap.phase
    if phase is None:
        st.info(t("no_phase_covers", lang))
        return
    st.subheader(safe_text(phase.name_in(lang)))
    labels = screen_source_labels(dataset)
    for line in phase_dates_lines(phase, lang):
        st.caption(safe_text(line))
    if phase.dates_note_in(lang):
        st.caption(safe_text(phase.dates_note_in(lang)))
    st.caption(
        safe_text(t("dates_sources", lang, list=_joined_sources(phase.date_source_ids, labels)))
    )
    note = plan_note(snap, lang)
    if note:
        st.info(safe_text(note))
    st.markdown(safe_block(phase.summary_in(lang), rtl=is_rtl(lang)), unsafe_allow_html=True)
    st.caption(safe_text(t("sources_colon", lang, list=_joined_sources(phase.source_ids, labels))))
    if with_figures:
        render_phase_figures(dataset, snap, lang)


def render_phase_figures(dataset: Dataset, snap: Snapshot, lang: str = "en") -> None:
    phase = snap.phase
    if phase is None:
        return
    labels = screen_source_labels(dataset)
    figures = phase_figures(dataset, phase)
    st.markdown(f"**{t('figures_in_phase', lang)}**")
    if figures.empty:
        st.caption(t("no_figures_in_phase", lang))
    else:
        table = troops_table(figures, labels, site_names(dataset, lang), lang)
        st.dataframe(table, hide_index=True, width="stretch", column_config=figure_columns(lang))


def render_as_of(dataset: Dataset, snap: Snapshot, lang: str = "en") -> None:
    """How far the data goes; past the newest source, a warning naming it: plans, not events."""
    newest = source_labels(dataset).get(snap.newest_source_id or "", "")
    past, line = as_of_line(snap, lang, newest)
    if past:
        st.warning(safe_text(line))
    else:
        st.caption(safe_text(line))


def render_troops_now(dataset: Dataset, snap: Snapshot, lang: str = "en") -> None:
    st.markdown(f"**{t('figures_in_force', lang, day=day_words(snap.when, lang))}**")
    if snap.troops.empty:
        st.caption(t("no_figure_reaches", lang))
        return
    table = troops_table(
        snap.troops, screen_source_labels(dataset), site_names(dataset, lang), lang
    )
    st.dataframe(table, hide_index=True, width="stretch", column_config=figure_columns(lang))


def render_site_detail(dataset: Dataset, site_id: str, when: dt.date, lang: str = "en") -> None:
    """A site's whole history: periods, events, movements and every source with its quote."""
    site = dataset.sites.set_index("site_id").loc[site_id]
    st.subheader(safe_text(site["name_en"]))
    for column in ("name_ar", "name_ku", "name_fa"):
        if isinstance(site[column], str):
            st.markdown(safe_block(site[column], rtl=True), unsafe_allow_html=True)
    place = ", ".join(str(v) for v in (site["governorate"], site["country"]) if isinstance(v, str))
    st.caption(
        f"{safe_text(term('kind', site['kind'], lang))} · {safe_text(place)} · "
        f"{site['lat']:.4f}, {site['lon']:.4f} "
        f"({t('location_precision', lang)}: {safe_text(site['location_precision'])})"
    )
    if isinstance(site["note"], str):
        st.markdown(safe_block(site["note"]), unsafe_allow_html=True)
    periods = dataset.site_status[dataset.site_status["site_id"] == site_id].sort_values(
        "start_first"
    )
    history = pd.DataFrame(
        {
            t("col_from", lang): [precise_date_words(d, lang) for d in periods["start"]],
            t("col_to", lang): [
                precise_date_words(d, lang) if isinstance(d, str) else t("open", lang)
                for d in periods["end"]
            ],
            t("col_status", lang): [term("status", s, lang) for s in periods["status"]],
            t("col_role", lang): periods["role"].fillna(""),
            t("col_forces", lang): _forces_words(periods, lang),
            t("col_certainty", lang): [term("certainty", c, lang) for c in periods["certainty"]],
            t("col_note", lang): periods["note"].fillna(""),
            t("col_now", lang): [
                "◀"
                if start.date() <= when <= (end.date() if pd.notna(end) else dt.date.max)
                else ""
                for start, end in zip(periods["start_first"], periods["end_last"])
            ],
        }
    )
    st.markdown(f"**{t('status_history', lang)}**")
    last_day = max(dataset.site_status["start_last"].max(), dataset.site_status["end_last"].max())
    st.altair_chart(site_history_chart(periods, when, last_day.date(), lang), width="stretch")
    st.dataframe(history, hide_index=True, width="stretch")
    labels = screen_source_labels(dataset)
    events = dataset.events[dataset.events["site_ids"].map(lambda ids: site_id in ids)]
    if not events.empty:
        st.markdown(f"**{t('events', lang)}**")
        st.dataframe(events_table(events, labels, lang), hide_index=True, width="stretch")
    moves = dataset.movements[
        (dataset.movements["from_site_id"] == site_id)
        | (dataset.movements["to_site_id"] == site_id)
    ]
    if not moves.empty:
        st.markdown(f"**{t('movements', lang)}**")
        names = site_names(dataset, lang)
        st.dataframe(
            pd.DataFrame(
                {
                    t("col_date", lang): [partial_date_words(d, lang) for d in moves["date"]],
                    t("col_from", lang): moves["from_site_id"].map(names),
                    t("col_to", lang): moves["to_site_id"].map(names),
                    t("col_what", lang): moves["description"],
                    t("col_certainty", lang): [
                        term("certainty", c, lang) for c in moves["certainty"]
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    cited: list[str] = list(site["source_ids"])
    # The passages that name the nations at the site are listed with the rest.
    cited_columns = [(periods, "source_ids"), (events, "source_ids"), (moves, "source_ids")]
    if "forces_source_ids" in periods.columns:
        cited_columns.append((periods, "forces_source_ids"))
    for table, column in cited_columns:
        for ids in table[column]:
            cited += [i for i in ids if i not in cited]
    st.markdown(f"**{t('sources', lang)}**")
    render_sources(dataset, cited, lang)


def render_sources(dataset: Dataset, source_ids: list[str], lang: str = "en") -> None:
    """Each source with its quote: original language (right-to-left where it is) and English."""
    sources = dataset.sources.set_index("source_id")
    for source_id in dict.fromkeys(source_ids):
        if source_id not in sources.index:
            continue
        row = sources.loc[source_id]
        published = row["published"]
        when = (
            partial_date_words(published, lang)
            if isinstance(published, str)
            else t("undated", lang)
        )
        title = f"{row['publisher']} — {row['title']} ({when})"
        with st.expander(safe_text(title)):
            rtl = row["language"] in ("ar", "fa", "ku")
            st.markdown(
                safe_block(row["quote_original"], rtl=rtl, lang=row["language"]),
                unsafe_allow_html=True,
            )
            if row["language"] != "en":
                st.markdown(safe_block(row["quote_english"], lang="en"), unsafe_allow_html=True)
            if isinstance(row["url"], str):
                st.link_button(t("open_source", lang), row["url"])
            st.caption(safe_text(t("source_id", lang, id=source_id, day=row["accessed"])))
