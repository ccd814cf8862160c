"""The analyst's tools beside the map: find a site by any name, filter the view, compare two dates."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from components.compare import Comparison, change_count, comparison_preview, comparison_table
from components.dataset import Dataset
from components.export import table_csv
from components.filters import NOT_STATED, SiteFilter
from components.i18n import VOCABULARY, day_words, t, term
from components.map_view import compare_overlay
from components.names import site_names
from components.panels import nations_in_words, safe_text
from components.search import find_sites
from components.views.session import FILTER_KEYS, Session

# Each filter, in the order shown, with the vocabulary its values are written in.
FILTER_WORDS = {
    "status": "status",
    "certainty": "certainty",
    "country": "country",
    "force": "nation",
}


def force_choices(dataset: Dataset) -> list[str]:
    """The nations the data names at some site (in the vocabulary's order), then 'not stated'."""
    named = {nation for forces in dataset.site_status["forces"] for nation in forces}
    return [nation for nation in VOCABULARY["nation"] if nation in named] + [NOT_STATED]


def filter_choices(dataset: Dataset) -> dict[str, list[str]]:
    """The values each filter can take: the vocabularies, and the countries and nations in the
    data."""
    return {
        "status": list(VOCABULARY["status"]),
        "certainty": list(VOCABULARY["certainty"]),
        "country": sorted(dataset.sites["country"].dropna().unique()),
        "force": force_choices(dataset),
    }


def current_filter(session: Session) -> SiteFilter:
    """The filter the session's widgets hold (read before the map is drawn)."""
    chosen = session.filters()
    return SiteFilter(
        statuses=chosen["status"],
        certainties=chosen["certainty"],
        countries=chosen["country"],
        forces=chosen["force"],
    )


def compare_map(
    comparison: Comparison, when: dt.date, site_filter: SiteFilter, catalog: Any, lang: str
) -> dict[str, Any]:
    """The map's compare overlay: the other date, and ghosts of sites on the map only at the
    other date (both dates' sites narrowed by the same filter)."""
    shown_is_later = comparison.second.when == when
    shown, other = (
        (comparison.second, comparison.first)
        if shown_is_later
        else (comparison.first, comparison.second)
    )
    return compare_overlay(
        site_filter.apply(shown).sites,
        site_filter.apply(other).sites,
        other.when,
        catalog,
        earlier=day_words(comparison.first.when, lang),
        later=day_words(comparison.second.when, lang),
        other_day=day_words(other.when, lang),
        shown_is_later=shown_is_later,
    )


def _search(session: Session, dataset: Dataset) -> None:
    """Jumps to the best match of the search box (its detail opens below the map)."""
    found = find_sites(dataset.sites, session.search, limit=5)
    session.search_hits = found
    if found:
        session.site = found[0]


def render_tools(
    session: Session, dataset: Dataset, lang: str, first: dt.date, last: dt.date
) -> None:
    """The search box, the filters and the comparison's second date, in one expander."""
    with st.expander(t("tools", lang), expanded=False):
        st.text_input(
            t("search_site", lang),
            key=Session.search.key,
            placeholder=t("search_placeholder", lang),
            max_chars=100,
            on_change=_search,
            args=(session, dataset),
        )
        hits = session.search_hits
        if hits is not None and session.search:
            names = site_names(dataset, lang)
            st.caption(
                safe_text(
                    t("search_found", lang, list=", ".join(names[h] for h in hits))
                    if hits
                    else t("search_none", lang)
                )
            )
        choices = filter_choices(dataset)
        for kind, words in FILTER_WORDS.items():
            st.multiselect(
                t(f"filter_{kind}", lang),
                choices[kind],
                format_func=lambda value, words=words: term(words, value, lang),
                key=FILTER_KEYS[kind],
                placeholder=t("choose_options", lang),
            )
        st.toggle(t("compare_toggle", lang), key=Session.compare_on.key)
        if session.compare_on:
            if session.compare_date is None:
                session.compare_date = first
            st.date_input(
                t("compare_with", lang),
                min_value=first,
                max_value=last,
                key=Session.compare_date.key,
            )


# The change table on screen stops here; the CSV has every row.
PREVIEW_ROWS = 1_000


def comparison_csv(dataset: Dataset, comparison: Comparison) -> bytes:
    """Every change between the two dates as CSV, with its sources (made when asked for)."""
    return table_csv(comparison_table(dataset, comparison))


def _nations_in_words(table: pd.DataFrame, column: str, lang: str) -> list[str]:
    """The column as it is, but a change of nations in the page's words ('U.K., U.S.')."""
    return [
        nations_in_words(value.split("; "), lang) if what == "forces" else value
        for what, value in zip(table["what"], table[column])
    ]


def render_comparison(dataset: Dataset, comparison: Comparison, lang: str) -> None:
    """The changes between the two dates, with sources (at most PREVIEW_ROWS on screen), and
    all of them as CSV."""
    names = site_names(dataset, lang)
    first, second = comparison.first.when, comparison.second.when
    st.markdown(
        f"#### {t('compare_heading', lang, first=first.isoformat(), second=second.isoformat())}"
    )
    total = change_count(comparison)
    if not total:
        st.caption(t("compare_nothing", lang))
        return
    table = comparison_preview(dataset, comparison, PREVIEW_ROWS)
    shown = pd.DataFrame(
        {
            t("col_what", lang): table["what"],
            t("col_site", lang): [
                names.get(i, n) if w in ("site", "forces") else n
                for w, i, n in zip(table["what"], table["id"], table["name"])
            ],
            t("col_change", lang): table["change"],
            t("col_before", lang): _nations_in_words(table, "before", lang),
            t("col_after", lang): _nations_in_words(table, "after", lang),
            t("col_date", lang): table["date"],
            t("col_source", lang): table["sources"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    if total > len(table):
        st.caption(t("compare_preview", lang, shown=f"{len(table):,}", total=f"{total:,}"))
    st.download_button(
        t("compare_csv", lang),
        partial(comparison_csv, dataset, comparison),
        f"coalition-footprint-{first.isoformat()}-vs-{second.isoformat()}.csv",
        "text/csv",
        on_click="ignore",
    )
