"""The strip under the date slider: where events and site status changes fall, phases as bands.

Built in Python as a little HTML (no chart library: it is on the first screen), once per
dataset, slider range and language. Positions are fractions of the slider's range, written as percentages, so
the strip lines up with the slider's track at any width (the page's style insets it by the
slider thumb's radius, as Streamlit insets the track). It always runs left to right, as the
slider does, also on an Arabic page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

import pandas as pd

from components import derived
from components.dataset import Dataset
from components.i18n import day_words, short_day_words, t
from components.names import phase_span
from components.timeline import phases

# Colours on white and on the bands, for a 3:1 contrast of the marks at least (WCAG non-text).
EVENT_TICK_COLOR = "#31333F"
CHANGE_TICK_COLOR = "#B3470B"
BAND_COLORS = ("#DCE6F2", "#BFD0E6")
PLANNED_BAND_OPACITY = 0.45
# The slider's thumb radius: Streamlit draws the track this far inside the slider's box.
TRACK_INSET_PX = 6


@dataclass(frozen=True)
class Band:
    """A phase on the strip, from one fraction of the slider's range to another."""

    start: float
    end: float
    name: str
    span: str  # its dates in words
    planned: bool  # not begun: drawn from the plan's dates, lighter


@dataclass(frozen=True)
class Tick:
    """A day with something on it, at its fraction of the slider's range."""

    day: dt.date
    fraction: float
    count: int


@dataclass(frozen=True)
class StripMarks:
    """Everything the strip shows for one dataset, slider range and language."""

    first: dt.date
    last: dt.date
    bands: tuple[Band, ...]
    events: tuple[Tick, ...]
    changes: tuple[Tick, ...]


def fraction_of(day: dt.date, first: dt.date, last: dt.date) -> float:
    """Where a day falls on a slider from `first` to `last` (0 at the left end, 1 at the right)."""
    length = (last - first).days
    if length <= 0:
        return 0.0
    return min(max((day - first).days / length, 0.0), 1.0)


def _ticks(days: list[dt.date], first: dt.date, last: dt.date) -> tuple[Tick, ...]:
    """One tick per distinct day inside the range, counting what falls on it."""
    counts: dict[dt.date, int] = {}
    for day in days:
        if first <= day <= last:
            counts[day] = counts.get(day, 0) + 1
    return tuple(
        Tick(day, fraction_of(day, first, last), count) for day, count in sorted(counts.items())
    )


def _days(values: pd.Series) -> list[dt.date]:
    return [stamp.date() for stamp in values.dropna()]


def status_change_days(dataset: Dataset) -> list[dt.date]:
    """Days a site's status changes: each status period's first day, and the day after each end
    (where a site leaves the map or its next period begins)."""
    status = dataset.site_status
    ends = status["end_last"].dropna() + pd.Timedelta(days=1)
    return _days(status["start_first"]) + _days(ends)


def strip_marks(dataset: Dataset, first: dt.date, last: dt.date, lang: str = "en") -> StripMarks:
    """The bands and ticks of the slider from `first` to `last` (the slider's own range)."""
    ordered = sorted(phases(dataset), key=lambda phase: phase.first_day)
    bands = []
    for n, phase in enumerate(ordered):
        begin = phase.first_day
        end = phase.end if phase.begun else phase.planned_end
        if end is None:
            # Open: up to the next phase's start, else to the end of the slider.
            later = [p.first_day for p in ordered[n + 1 :] if p.first_day > begin]
            end = later[0] - dt.timedelta(days=1) if later else last
        if end < first or begin > last:
            continue
        bands.append(
            Band(
                start=fraction_of(begin, first, last),
                # The end day is inside the phase: the band reaches the start of the next day.
                end=fraction_of(min(end + dt.timedelta(days=1), last), first, last),
                name=phase.name_in(lang),
                span=phase_span(phase.start or phase.planned_start, end, lang),
                planned=not phase.begun,
            )
        )
    return StripMarks(
        first=first,
        last=last,
        bands=tuple(bands),
        events=_ticks(_days(dataset.events["date_first"]), first, last),
        changes=_ticks(status_change_days(dataset), first, last),
    )


def short_day(day: dt.date, lang: str = "en") -> str:
    """'1 Jan 2003', as the slider writes its dates; in Arabic the month in full."""
    return short_day_words(day, lang)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.3f}%"


def strip_html(marks: StripMarks, lang: str = "en") -> str:
    """The strip as HTML: bands and ticks placed by percentage (Streamlit's HTML element keeps
    no SVG), named for screen readers and on hover, then the slider's first and last dates.
    Every text from the data is escaped."""
    summary = t(
        "strip_summary",
        lang,
        phases=len(marks.bands),
        events=sum(tick.count for tick in marks.events),
        changes=sum(tick.count for tick in marks.changes),
        first=day_words(marks.first, lang),
        last=day_words(marks.last, lang),
    )
    parts = []
    for n, band in enumerate(marks.bands):
        planned = f" ({t('strip_planned', lang)})" if band.planned else ""
        opacity = f"opacity:{PLANNED_BAND_OPACITY};" if band.planned else ""
        title = escape(f"{band.name}: {band.span}{planned}")
        parts.append(
            f'<span class="fp-strip-band" title="{title}" style="left:{_percent(band.start)};'
            f"width:{_percent(max(band.end - band.start, 0.0))};"
            f'background:{BAND_COLORS[n % 2]};{opacity}"></span>'
        )
    # Events on the upper half, status changes on the lower: both stay visible where they meet.
    for kind, ticks in (("event", marks.events), ("change", marks.changes)):
        for tick in ticks:
            parts.append(
                f'<span class="fp-strip-{kind}" data-day="{tick.day.isoformat()}" '
                f'style="left:{_percent(tick.fraction)}"></span>'
            )
    direction = ' dir="rtl"' if lang == "ar" else ""
    key = (
        f'<span class="fp-strip-key" aria-hidden="true"{direction}>'
        f'<span class="fp-strip-swatch fp-strip-swatch-event"></span>'
        f"{escape(t('strip_events', lang))} "
        f'<span class="fp-strip-swatch fp-strip-swatch-change"></span>'
        f"{escape(t('strip_changes', lang))}</span>"
    )
    return (
        f"<style>{STRIP_CSS}</style>"
        f'<div class="fp-strip" dir="ltr">'
        f'<div class="fp-strip-track" role="img" aria-label="{escape(summary)}" '
        f'title="{escape(summary)}">{"".join(parts)}</div>'
        f'<div class="fp-strip-ends"><span class="fp-strip-first"{direction}>'
        f"{escape(short_day(marks.first, lang))}</span>{key}"
        f'<span class="fp-strip-last"{direction}>{escape(short_day(marks.last, lang))}</span>'
        "</div></div>"
    )


# Drawn right under the slider, inset as its track is; the key goes on a line of its own.
STRIP_CSS = (
    f".fp-strip {{margin: -0.9rem {TRACK_INSET_PX}px 0; direction: ltr; font-size: 12px;"
    " line-height: 1.3; color: #5E5D5B;}"
    ".fp-strip-track {position: relative; height: 20px;}"
    ".fp-strip-track span {position: absolute; top: 0; height: 20px;}"
    ".fp-strip-track .fp-strip-event, .fp-strip-track .fp-strip-change"
    " {width: 2px; margin-left: -1px; height: 8px;}"
    f".fp-strip-track .fp-strip-event {{top: 1px; background: {EVENT_TICK_COLOR};}}"
    f".fp-strip-track .fp-strip-change {{top: 11px; background: {CHANGE_TICK_COLOR};}}"
    ".fp-strip-ends {display: flex; flex-wrap: wrap; justify-content: space-between;"
    " gap: 0 0.5rem; margin-top: 2px; text-align: left;}"
    ".fp-strip-key {order: 3; flex-basis: 100%; text-align: center;}"
    ".fp-strip-swatch {display: inline-block; width: 2px; height: 10px; margin: 0 3px 0 6px;"
    " vertical-align: -1px;}"
    f".fp-strip-swatch-event {{background: {EVENT_TICK_COLOR};}}"
    f".fp-strip-swatch-change {{background: {CHANGE_TICK_COLOR};}}"
)


def cached_strip_html(dataset: Dataset, first: dt.date, last: dt.date, lang: str) -> str:
    """The strip's HTML, made once per dataset, slider range and language."""
    return derived.once(
        dataset,
        ("slider_strip", first, last, lang),
        lambda: strip_html(strip_marks(dataset, first, last, lang), lang),
    )
