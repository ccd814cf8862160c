"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD): parsing, and the span of days each one covers."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISIONS = ("year", "month", "day")


class PartialDate(NamedTuple):
    """A date known to a year, a month or a day: the first and last day of that span."""

    first: dt.date
    last: dt.date
    precision: str
    text: str


def parse_partial_date(text: str) -> PartialDate:
    """Reads YYYY, YYYY-MM or YYYY-MM-DD; raises ValueError with a reason people can act on."""
    match = PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date written as YYYY, YYYY-MM or YYYY-MM-DD")
    year_text, month_text, day_text = match.groups()
    year = int(year_text)
    if year < 1900 or year > 2100:
        raise ValueError(f"{text!r}: year {year} is outside 1900-2100")
    if month_text is None:
        return PartialDate(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", text.strip())
    month = int(month_text)
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month} does not exist")
    month_days = calendar.monthrange(year, month)[1]
    if day_text is None:
        return PartialDate(
            dt.date(year, month, 1), dt.date(year, month, month_days), "month", text.strip()
        )
    day = int(day_text)
    if not 1 <= day <= month_days:
        raise ValueError(f"{text!r}: day {day} does not exist in {year}-{month:02d}")
    exact = dt.date(year, month, day)
    return PartialDate(exact, exact, "day", text.strip())


def parse_query_date(value: object) -> dt.date:
    """Turns a date, datetime or full ISO string into a date; raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        parsed = parse_partial_date(value)
        if parsed.precision != "day":
            raise ValueError(f"{value!r} is not a full date (YYYY-MM-DD)")
        return parsed.first
    raise ValueError(f"{value!r} is not a date")
