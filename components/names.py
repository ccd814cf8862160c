"""Names in the reader's language (sites, events, phases and their dates), for the page, the exports
and the deck."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from components import derived
from components.dataset import Dataset
from components.i18n import day_words, in_language, t
from components.timeline import Phase, Snapshot


def site_names(dataset: Dataset, lang: str = "en") -> dict[str, str]:
    """Site names in the language's script where the data has them, English otherwise.

    Made once per dataset and language: every rerun asks three times, and at 10,000 sites each
    reading of the columns takes tens of milliseconds. A copy is returned, so a caller that
    changes it changes no one else's.
    """
    names = derived.once(
        dataset,
        ("site_names", lang),
        lambda: dict(
            zip(dataset.sites["site_id"], in_language(dataset.sites, "name", lang, "name_en"))
        ),
    )
    return dict(names)


def event_titles(events: pd.DataFrame, lang: str = "en") -> pd.Series:
    """Event titles in the language where the data has them (title_ar), English otherwise."""
    return in_language(events, "title", lang)


def phase_span(start: dt.date | None, end: dt.date | None, lang: str = "en") -> str:
    """'27 September 2024 – 17 January 2026', with words for a start or end not reported."""
    if start is None:
        return t("phase_not_begun", lang)
    last = day_words(end, lang) if end else t("phase_not_ended", lang)
    return f"{day_words(start, lang)} – {last}"


def phase_label(phase: Phase, lang: str = "en") -> str:
    """The phase as it happened; a phase not yet begun shows its planned start instead."""
    if not phase.begun and phase.planned_start:
        when = t("phase_planned_from", lang, day=day_words(phase.planned_start, lang))
        return f"{phase.name_in(lang)} ({when})"
    return f"{phase.name_in(lang)} ({phase_span(phase.start, phase.end, lang)})"


def plan_note(snap: Snapshot, lang: str = "en") -> str | None:
    """'By the plan, this date was in Phase 2 (...)' when the plan and what happened differ."""
    planned = snap.planned_phase
    if planned is None or not snap.plan_differs:
        return None
    return t("plan_differs", lang, phase=planned.name_in(lang), span=planned_span(planned, lang))


def planned_span(phase: Phase, lang: str = "en") -> str:
    """'1 October 2025 – 30 September 2026'; an end the plan did not set reads 'open'."""
    start = day_words(phase.planned_start, lang) if phase.planned_start else "…"
    end = day_words(phase.planned_end, lang) if phase.planned_end else t("open", lang)
    return f"{start} – {end}"


def phase_dates_lines(phase: Phase, lang: str = "en") -> list[str]:
    """The phase's dates as it happened and as planned, each on a line of its own."""
    lines = [t("phase_as_happened", lang, span=phase_span(phase.start, phase.end, lang))]
    if phase.planned_start or phase.planned_end:
        lines.append(t("phase_as_planned", lang, span=planned_span(phase, lang)))
    else:
        lines.append(t("phase_no_plan", lang))
    return lines


def as_of_line(snap: Snapshot, lang: str = "en", newest_source: str = "") -> tuple[bool, str]:
    """How far the data goes, in words, and whether the date lies past it (then only plans speak
    for it); the newest source is named when given. One wording for the page and the exports."""
    if snap.data_as_of is None:
        return False, t("no_dated_source", lang)
    day = day_words(snap.data_as_of, lang)
    if snap.after_last_report:
        key = "after_last_report_source" if newest_source else "after_last_report"
        return True, t(key, lang, day=day, source=newest_source)
    return False, t("data_as_of", lang, day=day)
