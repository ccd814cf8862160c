"""Briefing steps: one slide per phase, with what changed since the slide before and its sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from components import derived
from components.dataset import Dataset
from components.i18n import number_words, t, term
from components.map_view import map_bounds
from components.timeline import Phase, Snapshot, data_as_of, figures_in_force, phases, snapshot

MAX_EVENTS_PER_STEP = 6
MIN_HALF_SPAN = 2.0
# Movements drawn on a date: those within this many days of it (the page and the deck alike).
MOVES_WINDOW = dt.timedelta(days=120)


@dataclass(frozen=True)
class SiteChange:
    site_id: str
    before: str | None  # None: the site was not on the map at the previous step
    after: str


@dataclass(frozen=True)
class Figure:
    """A count in force: its value, how the source put it (about, at most...) and how sure it is."""

    value: int
    qualifier: str = ""
    certainty: str = "reported"


@dataclass(frozen=True)
class FigureChange:
    force: str
    scope: str
    before: int | None
    after: int
    # How each count was put: two sources that disagree read as such, not as a plain change.
    before_figure: Figure | None = None
    after_figure: Figure | None = None


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


def step_day(phase: Phase, data_as_of: dt.date | None) -> dt.date:
    """A phase is shown as it ended (what it changed). One still running is shown as the newest
    report found it (or as it began, if that is later); one not begun, on its planned start."""
    if phase.end:
        return phase.end
    if phase.start is None:
        return phase.first_day
    if data_as_of is None:  # no source is dated: nothing says how far the record goes
        return phase.start
    return max(phase.start, data_as_of)


def _statuses(snap: Snapshot) -> dict[str, str]:
    return dict(zip(snap.sites["site_id"], snap.sites["status"]))


def _country_figures(snap: Snapshot) -> dict[tuple[str, str], Figure]:
    """The whole-scope count of troops present per force and scope (a convoy is not a garrison)."""
    return {
        (force, scope): Figure(
            int(row["value"]),
            row["qualifier"] if isinstance(row["qualifier"], str) else "",
            row["certainty"] if isinstance(row["certainty"], str) else "reported",
        )
        for (force, scope, site), row in figures_in_force(snap).items()
        if scope != "site"
    }


def briefing_steps(dataset: Dataset) -> list[Step]:
    """The slides in order; built once per dataset."""
    return derived.once(dataset, "briefing_steps", lambda: _build_steps(dataset))


def _build_steps(dataset: Dataset) -> list[Step]:
    steps: list[Step] = []
    previous: Snapshot | None = None
    as_of = data_as_of(dataset)
    for number, phase in enumerate(phases(dataset), start=1):
        day = step_day(phase, as_of)
        snap = snapshot(dataset, day)
        before = _statuses(previous) if previous else {}
        site_changes = tuple(
            SiteChange(site_id, before.get(site_id), status)
            for site_id, status in _statuses(snap).items()
            if before.get(site_id) != status
        )
        old_figures = _country_figures(previous) if previous else {}
        figure_changes = tuple(
            FigureChange(
                force,
                scope,
                old.value if (old := old_figures.get((force, scope))) else None,
                figure.value,
                old,
                figure,
            )
            for (force, scope), figure in _country_figures(snap).items()
            if old_figures.get((force, scope)) != figure
        )
        start = previous.when if previous else phase.first_day - dt.timedelta(days=1)
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
    return steps


def change_lines(step: Step, names: dict[str, str], lang: str = "en") -> list[str]:
    """'What changed since the previous step' as lines of text: sites first, then figures."""
    sites = [
        t(
            "status_changed" if change.before else "new_site",
            lang,
            site=names.get(change.site_id, change.site_id),
            before=term("status", change.before or "", lang),
            after=term("status", change.after, lang),
        )
        for change in step.site_changes
    ]
    figures = [
        t(
            "figure_changed",
            lang,
            force=term("force", change.force, lang),
            scope=term("scope", change.scope, lang),
            before=figure_words(change.before_figure, lang) if change.before_figure else "–",
            after=figure_words(change.after_figure or Figure(change.after), lang),
        )
        for change in step.figure_changes
    ]
    return sites + figures


def figure_words(figure: Figure, lang: str = "en") -> str:
    """'about 2,500', 'at most 2,000 (disputed)': the count as its source put it, and a
    disputed one said to be disputed."""
    words = number_words(figure.value, lang)
    if figure.qualifier and figure.qualifier != "exact":
        words = f"{term('qualifier', figure.qualifier, lang)} {words}"
    if figure.certainty == "disputed":
        words += f" ({t('disputed_mark', lang)})"
    return words
