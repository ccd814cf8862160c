"""The strip under the date slider: ticks where the bundled data's events and status changes
fall, phase bands from the phases table, and nothing from the data unescaped."""

from __future__ import annotations

import csv
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from components.dataset import DATA_DIR, load_dataset
from components.slider_strip import fraction_of, strip_html, strip_marks
from tests.conftest import tiny_tables, write_tables

# A fixed slider range, so the fractions do not move with today's date.
FIRST, LAST = dt.date(2003, 1, 1), dt.date(2026, 12, 31)
HOSTILE = '<img src=x onerror="alert(1)">" onmouseover="alert(2)'


@pytest.fixture(scope="module")
def bundled():
    return load_dataset()


def rows(table: str) -> list[dict[str, str]]:
    with (Path(DATA_DIR) / f"{table}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def first_day(text: str) -> dt.date:
    """The first day of a YYYY / YYYY-MM / YYYY-MM-DD date, read here without the loader."""
    parts = [int(part) for part in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(text: str) -> dt.date:
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def percent(day: dt.date) -> str:
    return f"{(day - FIRST).days / (LAST - FIRST).days * 100:.3f}%"


def test_a_tick_for_every_event_day_of_the_bundled_data_at_its_fraction(bundled) -> None:
    marks = strip_marks(bundled, FIRST, LAST)
    days = [first_day(row["date"]) for row in rows("events")]
    expected = {day: days.count(day) for day in days if FIRST <= day <= LAST}
    assert {tick.day: tick.count for tick in marks.events} == expected
    html = strip_html(marks)
    shown = re.findall(r'class="fp-strip-event" data-day="([\d-]+)" style="left:([\d.]+%)"', html)
    assert sorted(shown) == sorted((day.isoformat(), percent(day)) for day in expected)
    # The invasion, 20 March 2003: 78 days into a 8,765-day slider.
    assert ("2003-03-20", "0.890%") in shown


def test_a_tick_for_every_status_change_of_the_bundled_data(bundled) -> None:
    starts = {first_day(row["start"]) for row in rows("site_status")}
    ends = {
        last_day(row["end"]) + dt.timedelta(days=1) for row in rows("site_status") if row["end"]
    }
    marks = strip_marks(bundled, FIRST, LAST)
    assert {tick.day for tick in marks.changes} == {d for d in starts | ends if FIRST <= d <= LAST}
    # Ain al-Asad handed over on 1 January 2012 (its first period ends on 31 December 2011).
    handover = next(tick for tick in marks.changes if tick.day == dt.date(2012, 1, 1))
    assert handover.fraction == pytest.approx((dt.date(2012, 1, 1) - FIRST).days / 8765)


def test_phase_bands_follow_the_phases_table(bundled) -> None:
    marks = strip_marks(bundled, FIRST, LAST)
    table = rows("phases")
    assert [band.name for band in marks.bands] == [row["name"] for row in table]
    for band, row in zip(marks.bands, table):
        begun = bool(row["start"])
        start = first_day(row["start"] or row["planned_start"])
        assert band.start == pytest.approx(fraction_of(start, FIRST, LAST))
        assert band.planned is (not begun)
    # Bands meet end to start where one phase ends the day before the next begins.
    for band, following in zip(marks.bands, marks.bands[1:]):
        if not following.planned and not band.planned:
            assert band.end == pytest.approx(following.start, abs=1e-9)
    # The first phase, Invasion & surge: 20 March 2003 up to and including 16 November 2008.
    invasion = marks.bands[0]
    assert invasion.start == pytest.approx(78 / 8765)
    assert invasion.end == pytest.approx((dt.date(2008, 11, 17) - FIRST).days / 8765)
    assert all(0 <= band.start <= band.end <= 1 for band in marks.bands)


def test_arabic_strip_names_phases_in_arabic_and_still_runs_left_to_right(bundled) -> None:
    html = strip_html(strip_marks(bundled, FIRST, LAST, "ar"), "ar")
    assert '<div class="fp-strip" dir="ltr">' in html
    assert "الغزو وزيادة القوات" in html
    assert "كانون الثاني 2003" in html  # the first date, under the left end
    english = strip_html(strip_marks(bundled, FIRST, LAST))
    assert "1 Jan 2003" in english and "31 Dec 2026" in english
    # The same places in both languages: only the words differ.
    lefts = re.compile(r"left:([\d.]+%)")
    assert lefts.findall(html) == lefts.findall(english)


class Collector(HTMLParser):
    """The elements, attributes and text of a piece of HTML, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_hostile_phase_names_stay_text(tmp_path) -> None:
    tables = tiny_tables()
    for phase in tables["phases"]:
        phase["name"] = HOSTILE + phase["phase_id"]
    data = load_dataset(write_tables(tmp_path / "data", tables))
    first, last = dt.date(2010, 1, 1), dt.date(2027, 1, 1)
    html = strip_html(strip_marks(data, first, last), "en")
    page = Collector()
    page.feed(html)
    assert "img" not in page.tags
    assert not [name for name, _ in page.attributes if name.startswith("on")]
    titles = [value for name, value in page.attributes if name == "title"]
    assert any(title.startswith(HOSTILE) for title in titles)


def test_summary_counts_what_the_strip_shows(bundled) -> None:
    marks = strip_marks(bundled, FIRST, LAST)
    label = re.search(r'aria-label="([^"]+)"', strip_html(marks)).group(1)
    assert f"{len(marks.bands)} phases" in label
    assert f"{sum(t.count for t in marks.events)} events" in label
    assert f"{sum(t.count for t in marks.changes)} site status changes" in label


def test_a_one_day_range_puts_everything_at_the_left_end() -> None:
    day = dt.date(2020, 1, 1)
    assert fraction_of(day, day, day) == 0.0
    assert fraction_of(dt.date(2030, 1, 1), day, dt.date(2021, 1, 1)) == 1.0
