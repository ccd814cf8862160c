"""The troop-figure chart: reported figures as points and steps, plans dashed, ranges as bands."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from components import derived, names
from components.dataset import Dataset
from components.i18n import number_words, t, term
from components.style import FORCE_COLORS, SELECTED_DATE_COLOR, STATUS_STYLES
from components.timeline import source_labels, troop_series

# Okabe-Ito colours, by force id, so the chart and the map speak the same visual language.
LINE_GAP_DAYS = 3 * 365
# Tick marks on the symmetric-log troop axis: zero, then each power of ten.
LOG_TICKS = [0, 10, 100, 1_000, 10_000, 100_000]


def chart_frame(
    series: pd.DataFrame,
    source_names: dict[str, str],
    lang: str = "en",
    site_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Adds the labels the chart shows (force, scope, site, source) to troop_series() rows."""
    frame = series.copy()
    sites = frame["site_id"].fillna("").astype(str)
    frame["site_label"] = [(site_names or {}).get(site, site) for site in sites]
    frame["day"] = frame["date_first"]
    frame["force_label"] = [term("force", f, lang) for f in frame["force"]]
    frame["scope_label"] = [term("scope", s, lang) for s in frame["scope"]]
    frame["kind_label"] = [term("kind", k, lang) for k in frame["kind"]]
    frame["counts_label"] = [term("counts", c, lang) for c in frame["counts"]]
    frame["certainty_label"] = [term("certainty", c, lang) for c in frame["certainty"]]
    frame["sources"] = frame["source_ids"].map(
        lambda ids: "; ".join(source_names.get(i, i) for i in ids)
    )
    frame["range"] = [
        f"{number_words(int(lo), lang)}–{number_words(int(hi), lang)}"
        if pd.notna(lo) and pd.notna(hi)
        else ""
        for lo, hi in zip(frame["low"], frame["high"])
    ]
    # A line joins reported figures of one force and scope (and site: 0 left at one base and
    # 200 at another are two places, not a rise), but not across a long silence: a 2003 count
    # and a 2020 count are two separate stories, not a level held for 17 years.
    frame = frame.sort_values("day", kind="stable")
    keys = frame["force"] + "|" + frame["scope"] + "|" + sites.loc[frame.index]
    # Only counts of troops present make a line: a convoy's 500 is not a level held afterwards.
    reported = frame["counts"] == "presence"
    gap = frame["day"].where(reported).groupby(keys).diff() > pd.Timedelta(days=LINE_GAP_DAYS)
    breaks = gap.astype(int).groupby(keys).cumsum()
    frame["segment"] = (keys + "|" + breaks.astype(str)).where(reported, "")
    return frame.drop(columns=["source_ids", "date_first"]).reset_index(drop=True)


def selected_date_rule(selected: dt.date) -> alt.Chart:
    """The vertical line at the slider's date (the same in the troop and site-history charts)."""
    return (
        alt.Chart(pd.DataFrame({"day": [pd.Timestamp(selected)]}))
        .mark_rule(color=SELECTED_DATE_COLOR, strokeWidth=2)
        .encode(x="day:T")
    )


# The dataset holding the selected date. Streamlit sends a spec's named datasets apart from the
# spec, and the browser swaps a dataset in place when the spec is unchanged; a date written into
# the spec itself would make the browser rebuild the whole chart on every slider change.
SELECTED_DATE_DATASET = "selected_date"


def with_selected_date(spec: dict, selected: dt.date) -> dict:
    """A copy of a chart spec built by troop_chart whose date rule points at `selected`.

    Building and validating the Altair chart costs tens of milliseconds; the app builds it once
    per dataset and moves only the rule on each rerun. The rule is the spec's last layer, and
    its date is data (SELECTED_DATE_DATASET), so the spec is the same on every date.
    """
    layers = list(spec["layer"])
    datasets = dict(spec.get("datasets", {}))
    # The rule built by selected_date_rule keeps its mark and encoding; only its data moves.
    datasets.pop(layers[-1]["data"]["name"], None)
    layers[-1] = {**layers[-1], "data": {"name": SELECTED_DATE_DATASET}}
    # Written as Altair writes the figures' days, so both are read as the same kind of time.
    datasets[SELECTED_DATE_DATASET] = [{"day": f"{selected.isoformat()}T00:00:00"}]
    return {**spec, "layer": layers, "datasets": datasets}


def cached_troop_spec(
    dataset: Dataset, scopes: tuple[str, ...], log_scale: bool, lang: str = "en"
) -> dict:
    """The troop chart's spec, built and validated once per dataset, scopes and scale."""

    def build() -> dict:
        frame = chart_frame(
            troop_series(dataset, scopes),
            source_labels(dataset),
            lang,
            names.site_names(dataset, lang),
        )
        return troop_chart(frame, dt.date(2000, 1, 1), log_scale, lang).to_dict()

    return derived.once(dataset, ("troop_chart", scopes, log_scale, lang), build)


def troop_chart(
    frame: pd.DataFrame, selected: dt.date, log_scale: bool = True, lang: str = "en"
) -> alt.LayerChart:
    """Figures over time by force; a rule marks the selected date."""
    # Symmetric log, not log: the record has zeros (planned full exits) and single digits (a
    # handful left in Baghdad), which a log scale cannot place and drew under the plot.
    scale = alt.Scale(type="symlog", zero=True) if log_scale else alt.Scale(zero=True)
    colour = alt.Color(
        "force_label:N",
        title=t("col_force", lang),
        scale=alt.Scale(
            domain=[term("force", f, lang) for f in FORCE_COLORS],
            range=list(FORCE_COLORS.values()),
        ),
    )
    tooltip = [
        alt.Tooltip("date:N", title=t("col_as_of", lang)),
        alt.Tooltip("force_label:N", title=t("col_force", lang)),
        alt.Tooltip("scope_label:N", title=t("col_scope", lang)),
        alt.Tooltip("site_label:N", title=t("col_site", lang)),
        alt.Tooltip("value:Q", title=t("col_figure", lang), format=","),
        alt.Tooltip("range:N", title=t("col_range", lang)),
        alt.Tooltip("kind_label:N", title=t("col_kind", lang)),
        alt.Tooltip("counts_label:N", title=t("col_counts", lang)),
        alt.Tooltip("certainty_label:N", title=t("col_certainty", lang)),
        alt.Tooltip("sources:N", title=t("sources", lang)),
    ]
    x = alt.X("day:T", title=None)
    # labelExpr, not format: the symlog axis otherwise writes 1e+5.
    axis = (
        alt.Axis(values=LOG_TICKS, labelExpr="format(datum.value, ',')")
        if log_scale
        else alt.Axis(format=",")
    )
    title = t("troops_axis_log" if log_scale else "troops_axis", lang)
    y = alt.Y("value:Q", title=title, scale=scale, axis=axis)
    base = alt.Chart(frame)
    reported = base.transform_filter(alt.datum.counts == "presence")
    moving = base.transform_filter(alt.datum.counts == "transit")
    planned = base.transform_filter(alt.datum.kind == "planned")
    band = (
        reported.transform_filter("isValid(datum.low) && isValid(datum.high)")
        .mark_rule(strokeWidth=6, opacity=0.3)
        .encode(
            x=x,
            y=alt.Y("low:Q", scale=scale, axis=axis, title=title),
            y2="high:Q",
            color=colour,
        )
    )
    steps = reported.mark_line(interpolate="step-after", opacity=0.6).encode(
        x=x, y=y, color=colour, detail="segment:N"
    )
    points = reported.mark_point(filled=True, size=60).encode(
        x=x,
        y=y,
        color=colour,
        shape=alt.Shape("scope_label:N", title=t("col_scope", lang)),
        tooltip=tooltip,
    )
    # Troops in transit (a convoy, a departing contingent) are hollow triangles, never joined.
    transit = moving.mark_point(shape="triangle-down", size=90, filled=False, strokeWidth=2).encode(
        x=x, y=y, color=colour, tooltip=tooltip
    )
    # Plans are hollow diamonds with a dashed outline: a target, never joined to the counts.
    plans = planned.mark_point(
        shape="diamond", size=110, filled=False, strokeDash=[3, 2], strokeWidth=2
    ).encode(x=x, y=y, color=colour, tooltip=tooltip)
    return (
        alt.layer(band, steps, points, transit, plans, selected_date_rule(selected))
        .properties(height=300)
        .configure_axis(labelFontSize=13, titleFontSize=13)
        .configure_legend(labelFontSize=13, titleFontSize=13)
    )


def site_history_chart(
    periods: pd.DataFrame, selected: dt.date, last_day: dt.date, lang: str = "en"
) -> alt.LayerChart:
    """A site's status periods as one bar each along time; open periods run to the record's end."""
    frame = pd.DataFrame(
        {
            "start": periods["start_first"],
            "end": periods["end_last"].fillna(pd.Timestamp(last_day)),
            "status": [term("status", status, lang) for status in periods["status"]],
            "certainty": periods["certainty"],
            "from": periods["start"],
            "to": periods["end"].fillna("open"),
        }
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(height=18)
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            color=alt.Color(
                "status:N",
                title=t("col_status", lang),
                scale=alt.Scale(
                    domain=[term("status", status, lang) for status in STATUS_STYLES],
                    range=[style.color for style in STATUS_STYLES.values()],
                ),
            ),
            opacity=alt.condition(
                alt.datum.certainty == "reported", alt.value(1.0), alt.value(0.5)
            ),
            tooltip=["status:N", "certainty:N", "from:N", "to:N"],
        )
    )
    return alt.layer(bars, selected_date_rule(selected)).properties(height=60)
