"""Every URL value goes through one strict parser: odd digits and huge numbers give a warning."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from components.url_state import read_date_param, read_link, read_step_param
from tests.fixtures import run_app

FIRST, LAST = dt.date(2003, 3, 20), dt.date(2026, 9, 30)
ODD_STEPS = ["²", "٣", "３", "1" * 4301, "0", "-1", "+2", " 2", "2 ", "1e1", "0x2", "2\n", "4"]


@pytest.mark.parametrize("value", ODD_STEPS)
def test_odd_steps_fall_back_to_the_first_with_a_warning(value: str) -> None:
    step, warning = read_step_param(value, 3)
    assert step == 1
    assert warning is not None and "is not between 1 and 3" in warning
    assert len(warning) < 120  # a huge value is shortened in the message


def test_plain_steps_are_read() -> None:
    assert read_step_param("3", 3) == (3, None)
    assert read_step_param("", 3) == (1, None)
    assert read_step_param(None, 3) == (1, None)


@pytest.mark.parametrize("value", ["٢٠٢٤-٠٩-٢٧", "2024-09-27\n", "2024-9-27", "²024-09-27"])
def test_dates_must_be_ascii_iso_days(value: str) -> None:
    day, warning = read_date_param(value, FIRST, LAST)
    assert day is None and "is not a date written as YYYY-MM-DD" in warning


def test_read_link_collects_every_warning() -> None:
    params = {"date": "x", "site": "nowhere", "step": "²", "lang": "xx" * 50, "mode": "slides"}
    link = read_link(params, FIRST, LAST, {"alpha"}, 3, ("en", "ar"))
    assert (link.date, link.site, link.step, link.lang, link.briefing) == (
        None,
        None,
        1,
        None,
        False,
    )
    assert len(link.warnings) == 5
    good = read_link({"mode": "briefing", "step": "2", "lang": "ar"}, FIRST, LAST, (), 3, ("ar",))
    assert (good.step, good.lang, good.briefing, good.warnings) == (2, "ar", True, [])


@pytest.mark.parametrize("value", ["²", "1" * 4301])
def test_crafted_step_links_warn_on_the_page(tiny_dir, monkeypatch, value: str) -> None:
    app = run_app(tiny_dir, monkeypatch, mode="briefing", step=value)
    warnings = [html.unescape(w.value) for w in app.warning]
    assert any("is not between 1 and 3" in w for w in warnings), warnings
    assert "Step 1 of 3" in next(m.value for m in app.markdown if m.value.startswith("## "))
    assert all("/work" not in w and "Traceback" not in w for w in warnings)


def test_compare_and_filters_are_read_strictly() -> None:
    from components.url_state import read_link

    choices = {"status": {"active", "closed"}, "certainty": {"reported"}, "country": {"Iraq"}}
    link = read_link(
        {
            "date": "2020-01-01",
            "compare": "2019-06-01",
            "status": "active,closed,<b>",
            "country": "Iraq",
        },
        dt.date(2003, 1, 1),
        dt.date(2026, 12, 31),
        {"a"},
        3,
        {"en"},
        choices,
    )
    assert link.compare == dt.date(2019, 6, 1)
    assert link.statuses == ("active", "closed") and link.countries == ("Iraq",)
    assert any("'<b>'" in w for w in link.warnings)
    forces = read_link(
        {"force": "uk,not_stated,narnia"},
        dt.date(2003, 1, 1),
        dt.date(2026, 12, 31),
        set(),
        1,
        {"en"},
        {"force": {"us", "uk", "not_stated"}},
    )
    assert forces.forces == ("uk", "not_stated")
    assert forces.warnings == ["The force 'narnia' in the link is not in the data."]
    bad = read_link(
        {"compare": "2019-6-1²"}, dt.date(2003, 1, 1), dt.date(2026, 1, 1), set(), 1, {"en"}
    )
    assert bad.compare is None and bad.warnings
