"""The state of the footprint on a date: sites and their status, troop figures, phase, nearby events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from components.dataset import Dataset, day_numbers
from components.dates import parse_query_date

SITE_COLUMNS = [
    "site_id",
    "name",
    "name_ar",
    "lat",
    "lon",
    "location_precision",
    "country",
    "governorate",
    "kind",
    "status",
    "certainty",
    "since",
    "since_precision",
    "until",
    "period_note",
    "source_ids",
    "period_row",  # position in period_table(): lets renderers reuse per-period work
]
TROOP_COLUMNS = [
    "figure_id",
    "force",
    "scope",
    "site_id",
    "value",
    "low",
    "high",
    "qualifier",
    "kind",
    "certainty",
    "as_of",
    "as_of_precision",
    "note",
    "source_ids",
]
EVENTS_WINDOW_DAYS = 45
# A reported figure older than this no longer describes the date (a 2003 count is not 2025's).
FIGURE_MAX_AGE_DAYS = 730
SCOPE_ORDER = {"iraq": 0, "federal_iraq": 1, "kurdistan_region": 2, "site": 3}


@dataclass(frozen=True)
class Phase:
    """A named phase of the record."""

    phase_id: str
    name: str
    start: dt.date
    end: dt.date | None
    summary: str
    source_ids: tuple[str, ...]
    name_ar: str = ""
    summary_ar: str = ""

    def name_in(self, lang: str) -> str:
        return self.name_ar if lang == "ar" and self.name_ar else self.name

    def summary_in(self, lang: str) -> str:
        return self.summary_ar if lang == "ar" and self.summary_ar else self.summary


@dataclass(frozen=True)
class Snapshot:
    """What the data says on one date."""

    when: dt.date
    sites: pd.DataFrame
    troops: pd.DataFrame
    phase: Phase | None
    events: pd.DataFrame
    data_as_of: dt.date | None  # None when no source has a publication date

    @property
    def after_last_report(self) -> bool:
        """True when the date is past the newest source: only plans speak for it."""
        return self.data_as_of is not None and self.when > self.data_as_of


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def _index(dataset: Dataset) -> dict[str, Any]:
    """Arrays sorted for date queries, built once per dataset and kept in dataset.cache."""
    if "timeline" in dataset.cache:
        return dataset.cache["timeline"]
    periods = dataset.site_status.sort_values(["site_id", "start_first"], kind="stable")
    periods = periods.reset_index(drop=True)
    sites = dataset.sites.set_index("site_id", drop=False)
    site_rows = sites.loc[periods["site_id"]].reset_index(drop=True)
    # One row per period: the site's fixed columns next to the period's, ready to be picked by date.
    joined = pd.DataFrame(
        {
            "site_id": periods["site_id"],
            "name": site_rows["name_en"],
            "name_ar": site_rows["name_ar"],
            "lat": site_rows["lat"].astype(float),
            "lon": site_rows["lon"].astype(float),
            "location_precision": site_rows["location_precision"],
            "country": site_rows["country"],
            "governorate": site_rows["governorate"],
            "kind": site_rows["kind"],
            "status": periods["status"],
            "certainty": periods["certainty"],
            "since": periods["start"],
            "since_precision": periods["start_precision"],
            "until": periods["end"],
            "period_note": periods["note"],
            "source_ids": periods["source_ids"],
            "period_row": np.arange(len(periods)),
        }
    )
    site_codes = pd.factorize(periods["site_id"])[0]
    figures = dataset.troop_figures
    published = dataset.sources.set_index("source_id")["published_first"].dropna()
    # A plan is known from its earliest dated source; with none dated, only from its due date.
    announced = pd.Series(
        [
            min((published[i] for i in ids if i in published.index), default=due)
            for ids, due in zip(figures["source_ids"], figures["date_first"])
        ],
        index=figures.index,
        dtype="datetime64[s]",
    )
    phases = dataset.phases.sort_values("start_first").reset_index(drop=True)
    events = dataset.events.sort_values(["date_first", "event_id"]).reset_index(drop=True)
    # The newest day some source is surely published by (a source dated "2026" counts as 1 Jan).
    latest_source = dataset.sources["published_first"].max()
    index = {
        "periods": joined,
        "period_start": day_numbers(periods["start_first"]),
        "period_end": day_numbers(periods["end_last"]),
        "period_site": site_codes,
        "figure_day": day_numbers(figures["date_first"]),
        "figure_due": day_numbers(figures["date_last"]),
        "figure_announced": day_numbers(announced),
        "figure_reported": (figures["kind"] == "reported").to_numpy(),
        "figure_group": pd.factorize(
            figures["force"] + "|" + figures["scope"] + "|" + figures["site_id"].fillna("")
        )[0],
        "phases": phases,
        "phase_start": day_numbers(phases["start_first"]),
        "phase_end": day_numbers(phases["end_last"]),
        "events": events,
        "event_first": day_numbers(events["date_first"]),
        "event_last": day_numbers(events["date_last"]),
        "data_as_of": None if pd.isna(latest_source) else latest_source.date(),
    }
    dataset.cache["timeline"] = index
    return index


def period_table(dataset: Dataset) -> pd.DataFrame:
    """Every status period joined to its site, in the order snapshot's period_row refers to."""
    return _index(dataset)["periods"]


def period_day_spans(dataset: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """First and last day (since 1970) of each period in period_table's order: a period is
    shown on every day between them, both included (an open end is OPEN_END_DAY)."""
    index = _index(dataset)
    return index["period_start"], index["period_end"]


def snapshot(dataset: Dataset, when: dt.date | dt.datetime | str) -> Snapshot:
    """The footprint on `when` (a date or 'YYYY-MM-DD'); raises ValueError for a bad date."""
    day = parse_query_date(when)
    index = _index(dataset)
    today = _day_number(day)
    return Snapshot(
        when=day,
        sites=_sites_on(index, today),
        troops=_troops_on(dataset, index, today),
        phase=_phase_on(index, today),
        events=_events_near(index, today, EVENTS_WINDOW_DAYS),
        data_as_of=index["data_as_of"],
    )


def _sites_on(index: dict[str, Any], today: int) -> pd.DataFrame:
    """For each site, the period that contains the day (periods never overlap, so at most one)."""
    covering = (index["period_start"] <= today) & (index["period_end"] >= today)
    rows = index["periods"].iloc[np.flatnonzero(covering)]
    return rows.reset_index(drop=True)[SITE_COLUMNS]


def _troops_on(dataset: Dataset, index: dict[str, Any], today: int) -> pd.DataFrame:
    """Latest reported figure per force and scope (ties kept: sources that disagree), plus live plans."""
    reported = (
        index["figure_reported"]
        & (index["figure_day"] <= today)
        & (index["figure_day"] >= today - FIGURE_MAX_AGE_DAYS)
    )
    chosen = np.zeros(len(reported), dtype=bool)
    if reported.any():
        groups = index["figure_group"][reported]
        days = index["figure_day"][reported]
        latest = pd.Series(days).groupby(groups).transform("max").to_numpy()
        chosen[np.flatnonzero(reported)[days == latest]] = True
    planned = (
        ~index["figure_reported"]
        & (index["figure_announced"] <= today)
        & (index["figure_due"] >= today)
    )
    figures = dataset.troop_figures.iloc[np.flatnonzero(chosen | planned)]
    result = figures.rename(columns={"date": "as_of", "date_precision": "as_of_precision"})
    result = result.assign(_scope_order=result["scope"].map(SCOPE_ORDER))
    result = result.sort_values(["kind", "_scope_order", "force", "as_of"], kind="stable")
    return result.reset_index(drop=True)[TROOP_COLUMNS]


def _phase_on(index: dict[str, Any], today: int) -> Phase | None:
    inside = np.flatnonzero((index["phase_start"] <= today) & (index["phase_end"] >= today))
    if len(inside) == 0:
        return None
    return phase_from_row(index["phases"].iloc[inside[0]])


def phase_from_row(row: pd.Series) -> Phase:
    end = row["end_last"]
    return Phase(
        phase_id=row["phase_id"],
        name=row["name"],
        start=row["start_first"].date(),
        end=None if pd.isna(end) else end.date(),
        summary=row["summary"],
        source_ids=tuple(row["source_ids"]),
        name_ar=row["name_ar"] if isinstance(row["name_ar"], str) else "",
        summary_ar=row["summary_ar"] if isinstance(row["summary_ar"], str) else "",
    )


def _events_near(index: dict[str, Any], today: int, window: int) -> pd.DataFrame:
    near = (index["event_last"] >= today - window) & (index["event_first"] <= today + window)
    return index["events"].iloc[np.flatnonzero(near)].reset_index(drop=True)


def phases(dataset: Dataset) -> list[Phase]:
    """Every phase in date order."""
    return [phase_from_row(row) for _, row in _index(dataset)["phases"].iterrows()]


def record_span(dataset: Dataset) -> tuple[dt.date, dt.date]:
    """First and last day the record speaks of: the slider's range."""
    firsts = [
        dataset.site_status["start_first"].min(),
        dataset.phases["start_first"].min(),
        dataset.troop_figures["date_first"].min(),
        dataset.events["date_first"].min(),
    ]
    lasts = [
        dataset.site_status["end_last"].max(),
        dataset.site_status["start_last"].max(),
        dataset.phases["start_last"].max(),
        dataset.phases["end_last"].max(),
        dataset.troop_figures["date_last"].max(),
        dataset.events["date_last"].max(),
    ]
    first = min(value for value in firsts if not pd.isna(value))
    last = max(value for value in lasts if not pd.isna(value))
    return first.date(), last.date()


def event_days(dataset: Dataset) -> list[dt.date]:
    """Distinct first days of events, sorted: the stops for 'previous/next event'."""
    days = _index(dataset)["events"]["date_first"].dropna().dt.date
    return sorted(set(days))


def movements_between(dataset: Dataset, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Relocations whose date span touches [start, end], with the coordinates of both ends."""
    moves = dataset.movements
    touching = (moves["date_last"].dt.date >= start) & (moves["date_first"].dt.date <= end)
    chosen = moves[touching]
    places = dataset.sites.set_index("site_id")
    result = chosen.assign(
        from_name=chosen["from_site_id"].map(places["name_en"]),
        from_lat=chosen["from_site_id"].map(places["lat"]).astype(float),
        from_lon=chosen["from_site_id"].map(places["lon"]).astype(float),
        to_name=chosen["to_site_id"].map(places["name_en"]),
        to_lat=chosen["to_site_id"].map(places["lat"]).astype(float),
        to_lon=chosen["to_site_id"].map(places["lon"]).astype(float),
    )
    return result.reset_index(drop=True)


def troop_series(dataset: Dataset, scopes: tuple[str, ...] = ("iraq",)) -> pd.DataFrame:
    """Figures over time for the chart: one row per figure in the given scopes, by date."""
    figures = dataset.troop_figures
    chosen = figures[figures["scope"].isin(scopes)]
    columns = [
        "figure_id",
        "date",
        "date_first",
        "date_precision",
        "force",
        "scope",
        "value",
        "low",
        "high",
        "qualifier",
        "kind",
        "certainty",
        "note",
        "source_ids",
    ]
    return chosen.sort_values(["date_first", "force"])[columns].reset_index(drop=True)


def source_labels(dataset: Dataset) -> dict[str, str]:
    """Short 'Publisher, date' labels for source ids, for tables and tooltips."""
    return {
        source_id: f"{publisher}, {published if isinstance(published, str) else 'undated'}"
        for source_id, publisher, published in zip(
            dataset.sources["source_id"], dataset.sources["publisher"], dataset.sources["published"]
        )
    }
