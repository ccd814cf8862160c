"""The state of the footprint on a date: sites and their status, troop figures, phase, nearby events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from components import derived
from components.dataset import OPEN_END_DAY, Dataset, day_numbers
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
    "certainty",  # as shown on the date: the period's own, or approximate / unconfirmed (see below)
    "recorded_certainty",  # the period's certainty as the data gives it
    "role",
    "role_ar",
    "forces",  # nations a source places at the site in the period; () when none is named
    "forces_source_ids",
    "since",
    "since_precision",
    "until",
    "until_precision",
    "last_reported",
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
    "counts",
    "certainty",
    "as_of",
    "as_of_precision",
    "note",
    "source_ids",
]
EVENTS_WINDOW_DAYS = 45
# A reported figure older than this no longer describes the date (a 2003 count is not 2025's).
FIGURE_MAX_AGE_DAYS = 730
SCOPE_ORDER = {"iraq": 0, "federal_iraq": 1, "kurdistan_region": 2, "site": 3, "gulf_region": 4}
# Statuses that say forces are there: after the newest source that reports one, it is not confirmed.
PRESENCE_STATUSES = frozenset({"active", "drawdown"})
# Certainties a date can be shown with besides the data's own (reported, planned, disputed):
# approximate = the date falls inside the coarse span of the period's start or end (written
# only to the year or month), so the status on that day is not known; unconfirmed = the date is
# after the newest source of a presence period that has no end: nothing reports it any more.
SHOWN_CERTAINTIES = ("reported", "planned", "disputed", "approximate", "unconfirmed")


@dataclass(frozen=True)
class Phase:
    """A named phase of the record: its dates as it happened and as planned, kept apart."""

    phase_id: str
    name: str
    start: dt.date | None  # as it happened; None while no source reports it has begun
    end: dt.date | None  # as it happened; None while no source reports its end
    summary: str
    source_ids: tuple[str, ...]
    name_ar: str = ""
    summary_ar: str = ""
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    dates_certainty: str = "reported"
    dates_note: str = ""
    date_source_ids: tuple[str, ...] = ()
    dates_note_ar: str = ""

    @property
    def first_day(self) -> dt.date:
        """Where the phase starts on the slider: as it happened, or as planned if not begun."""
        start = self.start or self.planned_start
        assert start is not None  # the loader refuses a phase with neither
        return start

    @property
    def begun(self) -> bool:
        return self.start is not None

    @property
    def off_plan(self) -> bool:
        """True when the phase began or ended on other days than planned (or has not ended yet)."""
        if self.planned_start is None and self.planned_end is None:
            return False
        return self.start != self.planned_start or self.end != self.planned_end

    def name_in(self, lang: str) -> str:
        translated = getattr(self, f"name_{lang}", None) if lang != "en" else None
        return translated or self.name

    def dates_note_in(self, lang: str) -> str:
        translated = getattr(self, f"dates_note_{lang}", None) if lang != "en" else None
        return translated or self.dates_note

    def summary_in(self, lang: str) -> str:
        translated = getattr(self, f"summary_{lang}", None) if lang != "en" else None
        return translated or self.summary


@dataclass(frozen=True)
class Snapshot:
    """What the data says on one date."""

    when: dt.date
    sites: pd.DataFrame
    troops: pd.DataFrame
    phase: Phase | None  # the phase the date falls in as it happened
    events: pd.DataFrame
    data_as_of: dt.date | None  # None when no source has a publication date
    planned_phase: Phase | None = None  # the phase the plan had for this date
    newest_source_id: str | None = None  # the source published last (data_as_of)

    @property
    def plan_differs(self) -> bool:
        """True when the plan had another phase on this date than the one that happened."""
        if self.planned_phase is None:
            return False
        return self.phase is None or self.phase.phase_id != self.planned_phase.phase_id

    @property
    def after_last_report(self) -> bool:
        """True when the date is past the newest source: only plans speak for it."""
        return self.data_as_of is not None and self.when > self.data_as_of


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def _index(dataset: Dataset) -> Mapping[str, Any]:
    """Arrays sorted for date queries, built once per dataset, read-only."""
    return derived.once(dataset, "timeline", lambda: _build_index(dataset))


def _build_index(dataset: Dataset) -> Mapping[str, Any]:
    periods = dataset.site_status.sort_values(["site_id", "start_first"], kind="stable")
    periods = periods.reset_index(drop=True)
    sites = dataset.sites.set_index("site_id", drop=False)
    # A source is surely out by the first day of what its date says ("2026" counts as 1 Jan), so a
    # period is confirmed up to there and no further.
    published_first = dataset.sources.set_index("source_id")["published_first"].dropna()
    last_reported = _newest_source_days(periods["source_ids"], published_first)
    pieces = _shown_pieces(periods, last_reported)
    periods = periods.iloc[pieces["period"]].reset_index(drop=True)
    site_rows = sites.loc[periods["site_id"]].reset_index(drop=True)
    reported_on = pd.to_datetime(
        np.where(last_reported >= 0, last_reported, np.iinfo(np.int64).min)[pieces["period"]],
        unit="D",
        errors="coerce",
    )
    # One row per shown piece of a period: the site's fixed columns next to the period's, ready
    # to be picked by date. A period is cut where what can be said of it changes (its coarse
    # start or end, the day after its newest source), so a date picks exactly one piece.
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
            "certainty": pieces["certainty"],
            "recorded_certainty": periods["certainty"],
            "role": periods["role"],
            "role_ar": periods["role_ar"],
            "forces": periods["forces"],
            "forces_source_ids": periods["forces_source_ids"],
            "since": periods["start"],
            "since_precision": periods["start_precision"],
            "until": periods["end"],
            "until_precision": periods["end_precision"],
            "last_reported": [
                None if pd.isna(day) else day.date().isoformat() for day in reported_on
            ],
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
    phase_order = dataset.phases["start_first"].fillna(dataset.phases["planned_start_first"])
    phases = dataset.phases.assign(_order=phase_order).sort_values("_order")
    phases = phases.drop(columns="_order").reset_index(drop=True)
    events = dataset.events.sort_values(["date_first", "event_id"]).reset_index(drop=True)
    # The newest day some source is surely published by (a source dated "2026" counts as 1 Jan).
    dated = dataset.sources.dropna(subset=["published_first"])
    newest = dated.sort_values(["published_first", "source_id"]).tail(1)
    index = {
        "periods": joined,
        "period_start": pieces["first"],
        "period_end": pieces["last"],
        "period_site": site_codes,
        "figure_day": day_numbers(figures["date_first"]),
        "figure_due": day_numbers(figures["date_last"]),
        "figure_announced": day_numbers(announced),
        "figure_reported": (figures["kind"] == "reported").to_numpy(),
        "figure_presence": (figures["counts"] == "presence").to_numpy(),
        "figure_group": pd.factorize(
            figures["force"] + "|" + figures["scope"] + "|" + figures["site_id"].fillna("")
        )[0],
        "phases": phases,
        "phase_start": day_numbers(phases["start_first"]),
        "phase_end": day_numbers(phases["end_last"]),
        "phase_planned_start": day_numbers(phases["planned_start_first"]),
        "phase_planned_end": day_numbers(phases["planned_end_last"]),
        "events": events,
        "event_first": day_numbers(events["date_first"]),
        "event_last": day_numbers(events["date_last"]),
        # With no dated source at all, nothing says how recent the data is.
        "data_as_of": newest["published_first"].iloc[0].date() if len(newest) else None,
        "newest_source_id": newest["source_id"].iloc[0] if len(newest) else None,
    }
    for value in index.values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False  # shared by every session: nobody may change it
    return MappingProxyType(index)


def _newest_source_days(source_ids: pd.Series, published: pd.Series) -> np.ndarray:
    """Per period, the day its newest dated source came out (days since 1970; -1 when none dated)."""
    days = dict(zip(published.index, day_numbers(published)))
    return np.array(
        [max((days[i] for i in ids if i in days), default=-1) for ids in source_ids],
        dtype=np.int64,
    )


def _shown_pieces(periods: pd.DataFrame, last_reported: np.ndarray) -> dict[str, np.ndarray]:
    """Cuts each period where the certainty a date can be shown with changes.

    Returns parallel arrays: the period each piece belongs to, its first and last day, and the
    certainty shown on its days. Days inside a start or end written only to the year or month
    are 'approximate' (the data does not say on which of them the status began or ended); days
    after the newest source of an open-ended presence period are 'unconfirmed'. A plan stays a
    plan, and a disputed period stays disputed where its days are otherwise reported.
    """
    start_first = day_numbers(periods["start_first"])
    start_last = day_numbers(periods["start_last"])
    end_first = day_numbers(periods["end_first"])
    end_last = day_numbers(periods["end_last"])
    coarse_start = (periods["start_precision"] != "day").to_numpy()
    coarse_end = (periods["end_precision"].isin(["year", "month"])).to_numpy()
    certainty = periods["certainty"].to_numpy()
    presence = periods["status"].isin(PRESENCE_STATUSES).to_numpy()
    open_ended = periods["end"].isna().to_numpy()
    owner: list[int] = []
    firsts: list[int] = []
    lasts: list[int] = []
    shown: list[str] = []
    for row in range(len(periods)):
        first, last = int(start_first[row]), int(end_last[row])
        cuts = {first}
        if coarse_start[row] and start_last[row] < last:
            cuts.add(int(start_last[row]) + 1)
        if coarse_end[row] and first < end_first[row] <= last:
            cuts.add(int(end_first[row]))
        unconfirmed_from = OPEN_END_DAY
        if open_ended[row] and presence[row] and certainty[row] != "planned":
            if last_reported[row] >= 0 and first <= last_reported[row]:
                unconfirmed_from = int(last_reported[row]) + 1
                cuts.add(unconfirmed_from)
        ordered = sorted(cuts)
        for k, piece_first in enumerate(ordered):
            piece_last = ordered[k + 1] - 1 if k + 1 < len(ordered) else last
            if certainty[row] == "planned":
                label = "planned"
            elif piece_first >= unconfirmed_from:
                label = "unconfirmed"
            elif certainty[row] == "disputed":
                label = "disputed"
            elif (coarse_start[row] and piece_first <= start_last[row]) or (
                coarse_end[row] and piece_first >= end_first[row]
            ):
                label = "approximate"
            else:
                label = str(certainty[row])
            owner.append(row)
            firsts.append(piece_first)
            lasts.append(piece_last)
            shown.append(label)
    return {
        "period": np.asarray(owner, dtype=np.int64),
        "first": np.asarray(firsts, dtype=np.int64),
        "last": np.asarray(lasts, dtype=np.int64),
        "certainty": np.asarray(shown, dtype=object),
    }


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
        phase=_phase_on(index, today, "phase_start", "phase_end"),
        events=_events_near(index, today, EVENTS_WINDOW_DAYS),
        data_as_of=index["data_as_of"],
        planned_phase=_phase_on(index, today, "phase_planned_start", "phase_planned_end"),
        newest_source_id=index["newest_source_id"],
    )


def _sites_on(index: Mapping[str, Any], today: int) -> pd.DataFrame:
    """For each site, the period that contains the day (periods never overlap, so at most one)."""
    covering = (index["period_start"] <= today) & (index["period_end"] >= today)
    rows = index["periods"].iloc[np.flatnonzero(covering)]
    return rows.reset_index(drop=True)[SITE_COLUMNS]


def _troops_on(dataset: Dataset, index: Mapping[str, Any], today: int) -> pd.DataFrame:
    """Figures in force: the latest presence count per force and scope (ties kept: sources that
    disagree), troops in transit near their date, and plans from their announcement to their due date.

    Only a presence count is carried forward: a convoy's 500 is not a garrison of 500 the next year.
    """
    reported = (
        index["figure_presence"]
        & (index["figure_day"] <= today)
        & (index["figure_day"] >= today - FIGURE_MAX_AGE_DAYS)
    )
    in_transit = (
        index["figure_reported"]
        & ~index["figure_presence"]
        & (index["figure_day"] <= today)
        & (index["figure_day"] >= today - EVENTS_WINDOW_DAYS)
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
    figures = dataset.troop_figures.iloc[np.flatnonzero(chosen | in_transit | planned)]
    result = figures.rename(columns={"date": "as_of", "date_precision": "as_of_precision"})
    result = result.assign(_scope_order=result["scope"].map(SCOPE_ORDER))
    result = result.sort_values(["kind", "_scope_order", "force", "as_of"], kind="stable")
    return result.reset_index(drop=True)[TROOP_COLUMNS]


def figures_in_force(snap: Snapshot) -> dict[tuple[str, str, str], pd.Series]:
    """The count of troops present per force, scope and site ('' for a whole scope) on the
    snapshot's date, the first where sources disagree. Transit counts and plans are not in force."""
    present = snap.troops[snap.troops["counts"] == "presence"]
    figures: dict[tuple[str, str, str], pd.Series] = {}
    for _, row in present.iterrows():
        site = row["site_id"] if isinstance(row["site_id"], str) else ""
        figures.setdefault((row["force"], row["scope"], site), row)
    return figures


def _phase_on(index: Mapping[str, Any], today: int, start: str, end: str) -> Phase | None:
    """The phase whose span (as happened, or as planned, by the columns named) holds the day.

    A phase with no start in those columns (not begun, or never planned) holds no day.
    """
    starts = index[start]
    known = starts != OPEN_END_DAY
    inside = np.flatnonzero(known & (starts <= today) & (index[end] >= today))
    if len(inside) == 0:
        return None
    return phase_from_row(index["phases"].iloc[inside[0]])


def _day_or_none(value: Any) -> dt.date | None:
    return None if pd.isna(value) else value.date()


def _text_or_empty(value: Any) -> str:
    return value if isinstance(value, str) else ""


def phase_from_row(row: pd.Series) -> Phase:
    return Phase(
        phase_id=row["phase_id"],
        name=row["name"],
        start=_day_or_none(row["start_first"]),
        end=_day_or_none(row["end_last"]),
        summary=row["summary"],
        source_ids=tuple(row["source_ids"]),
        name_ar=_text_or_empty(row["name_ar"]),
        summary_ar=_text_or_empty(row["summary_ar"]),
        planned_start=_day_or_none(row["planned_start_first"]),
        planned_end=_day_or_none(row["planned_end_last"]),
        dates_certainty=row["dates_certainty"],
        dates_note=_text_or_empty(row["dates_note"]),
        dates_note_ar=_text_or_empty(row["dates_note_ar"]),
        date_source_ids=tuple(row["date_source_ids"]),
    )


def _events_near(index: Mapping[str, Any], today: int, window: int) -> pd.DataFrame:
    near = (index["event_last"] >= today - window) & (index["event_first"] <= today + window)
    return index["events"].iloc[np.flatnonzero(near)].reset_index(drop=True)


def data_as_of(dataset: Dataset) -> dt.date | None:
    """The day the newest dated source came out (None when no source is dated)."""
    return _index(dataset)["data_as_of"]


def phases(dataset: Dataset) -> list[Phase]:
    """Every phase in date order."""
    return [phase_from_row(row) for _, row in _index(dataset)["phases"].iterrows()]


def record_span(dataset: Dataset, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of the slider: from the record's first day to its last, or to today if
    that is later, so the page can say of today what the record does (and does not) know."""
    firsts = [
        dataset.site_status["start_first"].min(),
        dataset.phases["start_first"].min(),
        dataset.phases["planned_start_first"].min(),
        dataset.troop_figures["date_first"].min(),
        dataset.events["date_first"].min(),
    ]
    lasts = [
        dataset.site_status["end_last"].max(),
        dataset.site_status["start_last"].max(),
        dataset.phases["start_last"].max(),
        dataset.phases["end_last"].max(),
        dataset.phases["planned_start_last"].max(),
        dataset.phases["planned_end_last"].max(),
        dataset.troop_figures["date_last"].max(),
        dataset.events["date_last"].max(),
    ]
    first = min(value for value in firsts if not pd.isna(value))
    last = max(value for value in lasts if not pd.isna(value))
    return first.date(), max(last.date(), today or dt.date.today())


def event_days(dataset: Dataset) -> list[dt.date]:
    """Distinct first days of events, sorted: the stops for 'previous/next event'.

    Made once per dataset: at 100,000 events, turning every date into a
    day took tens of milliseconds on every rerun. A copy is returned, as callers may keep it.
    """
    days = derived.once(
        dataset,
        "event_days",
        lambda: sorted(set(_index(dataset)["events"]["date_first"].dropna().dt.date)),
    )
    return list(days)


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
        "site_id",
        "value",
        "low",
        "high",
        "qualifier",
        "kind",
        "counts",
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


def cited_cells(dataset: Dataset, source_ids: tuple[str, ...]) -> tuple[str, str]:
    """'publisher, date' and URLs of the sources, each joined with ' | ' for one table cell."""
    # Thousands of rows share a few lists of sources: each list is spelled out once per dataset.
    return derived.once(
        dataset, ("cited_cells", tuple(source_ids)), lambda: _cited_cells(dataset, source_ids)
    )


def _cited_cells(dataset: Dataset, source_ids: tuple[str, ...]) -> tuple[str, str]:
    citations = derived.once(dataset, "citations", lambda: _citations(dataset))
    labels = [citations[source_id][0] for source_id in source_ids]
    urls = [citations[source_id][1] for source_id in source_ids]
    # Several quotes of one article are one citation.
    return " | ".join(dict.fromkeys(labels)), " | ".join(u for u in dict.fromkeys(urls) if u)


def _citations(dataset: Dataset) -> dict[str, tuple[str, str]]:
    """Per source id, its 'publisher, date' and its URL ("" for a seed: no public address)."""
    return {
        source_id: (
            f"{publisher}, {published if isinstance(published, str) else 'undated'}",
            url if isinstance(url, str) else "",
        )
        for source_id, publisher, published, url in zip(
            dataset.sources["source_id"],
            dataset.sources["publisher"],
            dataset.sources["published"],
            dataset.sources["url"],
        )
    }
