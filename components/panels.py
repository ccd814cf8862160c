"""Streamlit panels beside the map: phase, troop figures, site detail, sites and events tables."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from components.chart import FORCE_LABELS, SCOPE_LABELS, site_history_chart
from components.dataset import Dataset
from components.dates import describe_day, describe_partial_date
from components.map_view import CERTAINTY_LABELS, STATUS_LABELS
from components.timeline import Phase, Snapshot, source_labels

# Characters that mean something to HTML or to Streamlit's markdown ($ for maths, ` for code).
_SPECIAL = frozenset("&<>\"'\\`*_{}[]()#+-.!|$~:")


def safe_text(value: object) -> str:
    """Data text made inert for st.markdown: every HTML or markdown character becomes an entity."""
    return "".join(f"&#{ord(c)};" if c in _SPECIAL else c for c in str(value))


def safe_block(value: object, rtl: bool = False, lang: str = "") -> str:
    """One paragraph of data text as escaped HTML, right-to-left for Arabic and Persian."""
    direction = ' dir="rtl"' if rtl else ""
    language = f' lang="{html.escape(lang)}"' if lang else ""
    body = safe_text(value).replace("\n", "<br>")
    return f'<div class="fp-text"{direction}{language}>{body}</div>'


def phase_label(phase: Phase) -> str:
    end = describe_day(phase.end) if phase.end else "open"
    return f"{phase.name} ({describe_day(phase.start)} – {end})"


def site_names(dataset: Dataset) -> dict[str, str]:
    return dict(zip(dataset.sites["site_id"], dataset.sites["name_en"]))


def troops_table(
    troops: pd.DataFrame, names: dict[str, str], site_names: dict[str, str]
) -> pd.DataFrame:
    """Figures as analysts read them: figure, force, scope, reported or planned, as of, source."""
    return pd.DataFrame(
        {
            "Figure": troops["value"].astype(int),
            "Range": [
                f"{int(lo):,}–{int(hi):,}" if pd.notna(lo) and pd.notna(hi) else ""
                for lo, hi in zip(troops["low"], troops["high"])
            ],
            "Qualifier": troops["qualifier"],
            "Force": troops["force"].map(FORCE_LABELS).fillna(troops["force"]),
            "Scope": [
                site_names.get(site, site)
                if scope == "site" and isinstance(site, str)
                else SCOPE_LABELS.get(scope, scope)
                for scope, site in zip(troops["scope"], troops["site_id"])
            ],
            "Kind": troops["kind"],
            "Certainty": troops["certainty"],
            "As of": [describe_partial_date(d) for d in troops["as_of"]],
            "Source": troops["source_ids"].map(lambda ids: "; ".join(names.get(i, i) for i in ids)),
        }
    )


def phase_figures(dataset: Dataset, phase: Phase) -> pd.DataFrame:
    """Every troop figure dated inside the phase."""
    figures = dataset.troop_figures
    end = pd.Timestamp(phase.end) if phase.end else pd.Timestamp.max
    inside = (figures["date_first"] >= pd.Timestamp(phase.start)) & (figures["date_first"] <= end)
    return figures[inside].rename(columns={"date": "as_of"}).sort_values("date_first")


def sites_table(sites: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Site": sites["name"],
            "Status": sites["status"].map(STATUS_LABELS).fillna(sites["status"]),
            "Since": [describe_partial_date(d) for d in sites["since"]],
            "Certainty": sites["certainty"].map(CERTAINTY_LABELS).fillna(sites["certainty"]),
            "Country": sites["country"],
            "Kind": sites["kind"],
            "Id": sites["site_id"],
        }
    )


def events_table(events: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Date": [describe_partial_date(d) for d in events["date"]],
            "Event": events["title"],
            "Kind": events["kind"],
            "Certainty": events["certainty"],
            "Source": events["source_ids"].map(lambda ids: "; ".join(names.get(i, i) for i in ids)),
        }
    )


def render_phase_panel(dataset: Dataset, snap: Snapshot) -> None:
    phase = snap.phase
    if phase is None:
        st.info("No named phase covers this date.")
        return
    st.subheader(safe_text(phase.name))
    end = describe_day(phase.end) if phase.end else "open"
    st.caption(f"{describe_day(phase.start)} – {end}")
    st.markdown(safe_block(phase.summary), unsafe_allow_html=True)
    names = source_labels(dataset)
    st.caption("Sources: " + safe_text("; ".join(names.get(i, i) for i in phase.source_ids)))
    figures = phase_figures(dataset, phase)
    st.markdown("**Troop figures reported in this phase**")
    if figures.empty:
        st.caption("No figures in the data for this phase.")
    else:
        st.dataframe(
            troops_table(figures, names, site_names(dataset)), hide_index=True, width="stretch"
        )


def render_troops_now(dataset: Dataset, snap: Snapshot) -> None:
    st.markdown(f"**Troop figures in force on {describe_day(snap.when)}**")
    if snap.troops.empty:
        st.caption("No figure in the data reaches this date.")
        return
    table = troops_table(snap.troops, source_labels(dataset), site_names(dataset))
    st.dataframe(table, hide_index=True, width="stretch", key="troops_now")


def render_site_detail(dataset: Dataset, site_id: str, when: dt.date) -> None:
    """A site's whole history: periods, events, movements and every source with its quote."""
    site = dataset.sites.set_index("site_id").loc[site_id]
    st.subheader(safe_text(site["name_en"]))
    names = [site[c] for c in ("name_ar", "name_ku", "name_fa") if isinstance(site[c], str)]
    for name in names:
        st.markdown(safe_block(name, rtl=True), unsafe_allow_html=True)
    place = ", ".join(str(v) for v in (site["governorate"], site["country"]) if isinstance(v, str))
    st.caption(
        f"{safe_text(site['kind'])} · {safe_text(place)} · {site['lat']:.4f}, {site['lon']:.4f} "
        f"(location precision: {safe_text(site['location_precision'])})"
    )
    if isinstance(site["note"], str):
        st.markdown(safe_block(site["note"]), unsafe_allow_html=True)
    periods = dataset.site_status[dataset.site_status["site_id"] == site_id].sort_values(
        "start_first"
    )
    history = pd.DataFrame(
        {
            "From": [describe_partial_date(d) for d in periods["start"]],
            "To": [
                describe_partial_date(d) if isinstance(d, str) else "open" for d in periods["end"]
            ],
            "Status": periods["status"].map(STATUS_LABELS).fillna(periods["status"]),
            "Certainty": periods["certainty"],
            "Note": periods["note"].fillna(""),
            "Now": [
                "◀"
                if start.date() <= when <= (end.date() if pd.notna(end) else dt.date.max)
                else ""
                for start, end in zip(periods["start_first"], periods["end_last"])
            ],
        }
    )
    st.markdown("**Status history** (faded: planned or disputed)")
    last_day = max(dataset.site_status["start_last"].max(), dataset.site_status["end_last"].max())
    st.altair_chart(site_history_chart(periods, when, last_day.date()), width="stretch")
    st.dataframe(history, hide_index=True, width="stretch")
    events = dataset.events[dataset.events["site_ids"].map(lambda ids: site_id in ids)]
    if not events.empty:
        st.markdown("**Events**")
        st.dataframe(events_table(events, source_labels(dataset)), hide_index=True, width="stretch")
    moves = dataset.movements[
        (dataset.movements["from_site_id"] == site_id)
        | (dataset.movements["to_site_id"] == site_id)
    ]
    if not moves.empty:
        st.markdown("**Movements**")
        place_names = dataset.sites.set_index("site_id")["name_en"]
        st.dataframe(
            pd.DataFrame(
                {
                    "Date": [describe_partial_date(d) for d in moves["date"]],
                    "From": moves["from_site_id"].map(place_names),
                    "To": moves["to_site_id"].map(place_names),
                    "What": moves["description"],
                    "Certainty": moves["certainty"],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    cited: list[str] = list(site["source_ids"])
    for column in ("source_ids",):
        for table in (periods, events, moves):
            for ids in table[column]:
                cited += [i for i in ids if i not in cited]
    st.markdown("**Sources**")
    render_sources(dataset, cited)


def render_sources(dataset: Dataset, source_ids: list[str]) -> None:
    """Each source with its quote: original language (right-to-left where it is) and English."""
    sources = dataset.sources.set_index("source_id")
    for source_id in dict.fromkeys(source_ids):
        if source_id not in sources.index:
            continue
        row = sources.loc[source_id]
        published = row["published"]
        when = describe_partial_date(published) if isinstance(published, str) else "undated"
        title = f"{row['publisher']} — {row['title']} ({when})"
        with st.expander(safe_text(title)):
            rtl = row["language"] in ("ar", "fa", "ku")
            st.markdown(
                safe_block(row["quote_original"], rtl=rtl, lang=row["language"]),
                unsafe_allow_html=True,
            )
            if row["language"] != "en":
                st.markdown(safe_block(row["quote_english"]), unsafe_allow_html=True)
            if isinstance(row["url"], str):
                st.link_button("Open the source", row["url"])
            if isinstance(row["seed_file"], str):
                st.caption(f"Seed article: {safe_text(row['seed_file'])}")
            st.caption(f"Id: {safe_text(source_id)} · accessed {safe_text(row['accessed'])}")
