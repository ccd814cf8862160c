"""Every URL value goes through one strict parser: odd digits and huge numbers give a warning."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from components.url_state import View, read_date_param, read_step_param
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


def read(params, sites=(), step_count=3, languages=("en", "ar"), choices=None, last=LAST):
    return View.from_query(
        params,
        first=FIRST,
        last=last,
        default_date=FIRST,
        sites=sites,
        step_count=step_count,
        languages=languages,
        filter_choices=choices,
    )


def test_a_link_collects_every_warning_and_falls_back() -> None:
    params = {"date": "x", "site": "nowhere", "step": "²", "lang": "xx" * 50, "mode": "slides"}
    view, warnings = read(params, {"alpha"})
    assert view == View(date=FIRST)
    assert len(warnings) == 5
    good, none = read({"mode": "briefing", "step": "2", "lang": "ar"}, languages=("ar",))
    assert (good.step, good.lang, good.briefing, none) == (2, "ar", True, [])


def test_a_view_survives_its_own_query() -> None:
    choices = {"status": {"active", "closed"}, "certainty": {"reported"}, "country": {"Iraq"}}
    analyst = View(
        date=dt.date(2020, 1, 1),
        site="alpha",
        lang="ar",
        compare=dt.date(2019, 6, 1),
        filters={"status": ("active", "closed"), "certainty": (), "country": ("Iraq",)},
    )
    briefing = View(date=FIRST, briefing=True, step=3)
    for view in (analyst, briefing):
        back, warnings = read(view.to_query(), {"alpha"}, choices=choices)
        assert warnings == []
        assert back == view
    assert "date" not in briefing.to_query() and "lang" not in briefing.to_query()


@pytest.mark.parametrize("value", ["²", "1" * 4301])
def test_crafted_step_links_warn_on_the_page(tiny_dir, monkeypatch, value: str) -> None:
    app = run_app(tiny_dir, monkeypatch, mode="briefing", step=value)
    warnings = [html.unescape(w.value) for w in app.warning]
    assert any("is not between 1 and 3" in w for w in warnings), warnings
    assert "Step 1 of 3" in next(m.value for m in app.markdown if m.value.startswith("## "))
    assert all("/work" not in w and "Traceback" not in w for w in warnings)


def test_compare_and_filters_are_read_strictly() -> None:
    choices = {"status": {"active", "closed"}, "certainty": {"reported"}, "country": {"Iraq"}}
    view, warnings = read(
        {
            "date": "2020-01-01",
            "compare": "2019-06-01",
            "status": "active,closed,<b>",
            "country": "Iraq",
        },
        {"a"},
        choices=choices,
    )
    assert view.compare == dt.date(2019, 6, 1)
    assert view.filters["status"] == ("active", "closed")
    assert view.filters["country"] == ("Iraq",)
    assert any("'<b>'" in w for w in warnings)
    bad, warnings = read({"compare": "2019-6-1²"}, last=dt.date(2026, 1, 1))
    assert bad.compare is None and warnings
    forces, warnings = read(
        {"force": "uk,not_stated,narnia"}, choices={"force": {"us", "uk", "not_stated"}}
    )
    assert forces.filters["force"] == ("uk", "not_stated")
    assert warnings == ["The force 'narnia' in the link is not in the data."]
