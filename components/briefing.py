"""Briefing steps: one slide per phase, with what changed since the slide before and its sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from components.dataset import Dataset
from components.map_view import map_bounds
from components.timeline import Phase, Snapshot, phases, snapshot

MAX_EVENTS_PER_STEP = 6
MIN_HALF_SPAN = 2.0


@dataclass(frozen=True)
class SiteChange:
    site_id: str
    before: str | None  # None: the site was not on the map at the previous step
    after: str


@dataclass(frozen=True)
class FigureChange:
    force: str
    scope: str
    before: int | None
    after: int


@dataclass(frozen=True)
class Step:
    """One slide: the state at the end of a phase and how it differs from the slide before."""

    number: int
    phase: Phase
    day: dt.date
    snap: Snapshot
    site_changes: tuple[SiteChange, ...]
    figure_changes: tuple[FigureChange, ...]
    events: pd.DataFrame
    fit: tuple[tuple[float, float], tuple[float, float]]

    @property
    def changed_site_ids(self) -> frozenset[str]:
        return frozenset(change.site_id for change in self.site_changes)


def widened(
    bounds: tuple[tuple[float, float], tuple[float, float]], half_span: float = MIN_HALF_SPAN
) -> tuple[tuple[float, float], tuple[float, float]]:
    """At least 2 x half_span degrees each way, so a one-site step still shows where it is."""
    (south, west), (north, east) = bounds
    mid_lat, mid_lon = (south + north) / 2, (west + east) / 2
    half_lat = max((north - south) / 2, half_span)
    half_lon = max((east - west) / 2, half_span)
    return ((mid_lat - half_lat, mid_lon - half_lon), (mid_lat + half_lat, mid_lon + half_lon))


def step_day(phase: Phase) -> dt.date:
    """A phase is shown as it ended (what it changed); a phase still open, as it began."""
    return phase.end or phase.start


def _statuses(snap: Snapshot) -> dict[str, str]:
    return dict(zip(snap.sites["site_id"], snap.sites["status"]))


def _country_figures(snap: Snapshot) -> dict[tuple[str, str], int]:
    """The reported whole-scope figure per force and scope (the first where sources differ)."""
    reported = snap.troops[(snap.troops["kind"] == "reported") & (snap.troops["scope"] != "site")]
    figures: dict[tuple[str, str], int] = {}
    for force, scope, value in zip(reported["force"], reported["scope"], reported["value"]):
        figures.setdefault((force, scope), int(value))
    return figures


def briefing_steps(dataset: Dataset) -> list[Step]:
    """The slides in order; built once per dataset (kept in dataset.cache)."""
    if "briefing_steps" in dataset.cache:
        return dataset.cache["briefing_steps"]
    steps: list[Step] = []
    previous: Snapshot | None = None
    for number, phase in enumerate(phases(dataset), start=1):
        day = step_day(phase)
        snap = snapshot(dataset, day)
        before = _statuses(previous) if previous else {}
        site_changes = tuple(
            SiteChange(site_id, before.get(site_id), status)
            for site_id, status in _statuses(snap).items()
            if before.get(site_id) != status
        )
        old_figures = _country_figures(previous) if previous else {}
        figure_changes = tuple(
            FigureChange(force, scope, old_figures.get((force, scope)), value)
            for (force, scope), value in _country_figures(snap).items()
            if old_figures.get((force, scope)) != value
        )
        start = previous.when if previous else phase.start - dt.timedelta(days=1)
        events = dataset.events[
            (dataset.events["date_first"] > pd.Timestamp(start))
            & (dataset.events["date_first"] <= pd.Timestamp(day))
        ].sort_values("date_first")
        changed = snap.sites[snap.sites["site_id"].isin({c.site_id for c in site_changes})]
        steps.append(
            Step(
                number=number,
                phase=phase,
                day=day,
                snap=snap,
                site_changes=site_changes,
                figure_changes=figure_changes,
                events=events.tail(MAX_EVENTS_PER_STEP).reset_index(drop=True),
                fit=widened(map_bounds(changed if not changed.empty else snap.sites)),
            )
        )
        previous = snap
    dataset.cache["briefing_steps"] = steps
    return steps
