"""The shareable view (View) and its URL form, read strictly (?date=, site=, step=, lang=, mode=,
compare=, status=, certainty=, country=, force=); no streamlit here.

One strict parser for every value: ASCII digits only (str.isdigit accepts '²' and Arabic-Indic
digits, which int() then refuses or reads), bounded lengths, and a warning instead of an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from components.dates import parse_query_date
from components.i18n import day_words

MAX_SHOWN = 40
# A step number is at most this many ASCII digits: no briefing has a million slides, and int()
# of a long digit string costs time (Python refuses more than 4,300 digits with a traceback).
MAX_STEP_DIGITS = 6
ASCII_STEP = re.compile(rf"[0-9]{{1,{MAX_STEP_DIGITS}}}")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _shown(value: str) -> str:
    """The bad value, shortened, for a warning (the page escapes it when showing it)."""
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


def read_date_param(
    value: str | None, first: dt.date, last: dt.date
) -> tuple[dt.date | None, str | None]:
    """The date asked for in the URL, or None and a warning saying why it was not used."""
    if value is None or value == "":
        return None, None
    try:
        if not ISO_DAY.fullmatch(value):
            raise ValueError(value)
        day = parse_query_date(value)
    except ValueError:
        return None, f"The date '{_shown(value)}' in the link is not a date written as YYYY-MM-DD."
    if not first <= day <= last:
        return None, (
            f"The date {day_words(day)} in the link is outside the record "
            f"({day_words(first)} to {day_words(last)})."
        )
    return day, None


def read_site_param(value: str | None, known: Collection[str]) -> tuple[str | None, str | None]:
    """The site asked for in the URL, or None and a warning when the id is unknown."""
    if value is None or value == "":
        return None, None
    if value not in known:
        return None, f"The site '{_shown(value)}' in the link is not in the data."
    return value, None


def read_step_param(value: str | None, count: int) -> tuple[int, str | None]:
    """The 1-based briefing step asked for in the URL, or 1 and a warning when it is not one."""
    if value is None or value == "":
        return 1, None
    if ASCII_STEP.fullmatch(value) and 1 <= int(value) <= count:
        return int(value), None
    return 1, f"The step '{_shown(value)}' in the link is not between 1 and {count}."


def read_choice_param(
    value: str | None, choices: Collection[str], what: str
) -> tuple[str | None, str | None]:
    """One of a fixed set of values (a language, a mode), or None and a warning."""
    if value is None or value == "":
        return None, None
    if value not in choices:
        return None, f"The {what} '{_shown(value)}' in the link is not available."
    return value, None


MAX_LIST_ITEMS = 20


def read_list_param(
    value: str | None, choices: Collection[str], what: str
) -> tuple[tuple[str, ...], str | None]:
    """Comma-separated values from a fixed set (filters); unknown ones are dropped with a warning."""
    if value is None or value == "":
        return (), None
    items = [item.strip() for item in value.split(",")[:MAX_LIST_ITEMS] if item.strip()]
    kept = tuple(dict.fromkeys(item for item in items if item in choices))
    unknown = [item for item in items if item not in choices]
    if unknown:
        return kept, f"The {what} '{_shown(', '.join(unknown))}' in the link is not in the data."
    return kept, None


# The filters a link can carry, each a comma-separated list: adding one adds its name here.
FILTER_KINDS = ("status", "certainty", "country", "force")


@dataclass(frozen=True)
class View:
    """What the page shows: the analyst's date, site, second date and filters, or a briefing's
    step; and the language. The one state the URL, the session and the views share."""

    date: dt.date
    site: str | None = None
    briefing: bool = False
    step: int = 1
    lang: str = "en"
    compare: dt.date | None = None
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Every filter named, each a tuple: two views that show the same thing compare equal.
        filters = {kind: tuple(self.filters.get(kind, ())) for kind in FILTER_KINDS}
        object.__setattr__(self, "filters", filters)

    @classmethod
    def from_query(
        cls,
        params: Mapping[str, str],
        *,
        first: dt.date,
        last: dt.date,
        default_date: dt.date,
        sites: Collection[str],
        step_count: int,
        languages: Collection[str],
        filter_choices: Mapping[str, Collection[str]] | None = None,
    ) -> tuple[View, list[str]]:
        """The view a link asks for, every value through the strict parsers above; the warnings
        say what was not used and why (the view falls back to the default for it)."""
        choices = filter_choices or {}
        day, date_warning = read_date_param(params.get("date"), first, last)
        compare, compare_warning = read_date_param(params.get("compare"), first, last)
        site, site_warning = read_site_param(params.get("site"), sites)
        step, step_warning = read_step_param(params.get("step"), step_count)
        lang, lang_warning = read_choice_param(params.get("lang"), languages, "language")
        mode, mode_warning = read_choice_param(params.get("mode"), ("briefing",), "mode")
        warnings = [date_warning, site_warning, step_warning, lang_warning, mode_warning]
        warnings.append(compare_warning)
        filters = {}
        for kind in FILTER_KINDS:
            chosen, warning = read_list_param(params.get(kind), choices.get(kind, ()), kind)
            filters[kind] = chosen
            warnings.append(warning)
        view = cls(
            date=day or min(max(default_date, first), last),
            site=site,
            briefing=mode == "briefing",
            step=step,
            lang=lang or "en",
            compare=compare,
            filters=filters,
        )
        return view, [w for w in warnings if w]

    def to_query(self) -> dict[str, str]:
        """The parameters that give this view back: a briefing by its step, the analyst view by
        its date, site, second date and filters; defaults are left out."""
        query = {"lang": self.lang} if self.lang != "en" else {}
        if self.briefing:
            query.update({"mode": "briefing", "step": str(self.step)})
            return query
        query["date"] = self.date.isoformat()
        if self.site:
            query["site"] = self.site
        if self.compare is not None:
            query["compare"] = self.compare.isoformat()
        for kind in FILTER_KINDS:
            if self.filters.get(kind):
                query[kind] = ",".join(self.filters[kind])
        return query
