"""Reads and checks the shareable view in the URL (?date=YYYY-MM-DD&site=<id>); no streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from components.dates import parse_query_date
from components.i18n import day_words

MAX_SHOWN = 40


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
