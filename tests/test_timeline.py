"""Date queries on the tiny dataset: which sites, figures, phase and events hold on chosen days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from components.dataset import load_dataset
from components.timeline import (
    event_days,
    movements_between,
    phases,
    record_span,
    snapshot,
    troop_series,
)


@pytest.fixture
def tiny(tiny_dir: Path):
    return load_dataset(tiny_dir)


def statuses(snap) -> dict[str, str]:
    return dict(zip(snap.sites["site_id"], snap.sites["status"]))


def test_before_any_site_nothing_is_shown(tiny) -> None:
    snap = snapshot(tiny, "2003-03-31")
    assert snap.sites.empty
    assert snap.phase.phase_id == "early"


def test_month_precision_start_and_end_are_first_and_last_day(tiny) -> None:
    assert statuses(snapshot(tiny, "2003-04-01")) == {"alpha": "active"}
    assert statuses(snapshot(tiny, "2011-12-31")) == {"alpha": "active"}
    assert statuses(snapshot(tiny, "2012-01-01")) == {"alpha": "handed_over"}


def test_sites_columns_and_period_fields(tiny) -> None:
    snap = snapshot(tiny, dt.date(2020, 5, 5))
    row = snap.sites.set_index("site_id").loc["alpha"]
    assert (row["status"], row["certainty"], row["since"]) == ("active", "disputed", "2014-11-01")
    assert row["source_ids"] == ("src-a", "src-b")
    assert row["name"] == "Alpha Base" and row["lat"] == 33.8
    assert statuses(snap) == {"alpha": "active", "bravo": "active"}


def test_planned_closure_shows_after_its_start(tiny) -> None:
    snap = snapshot(tiny, "2026-10-01")
    assert statuses(snap) == {"alpha": "active", "bravo": "closed"}
    assert snap.sites.set_index("site_id").loc["bravo", "certainty"] == "planned"


def test_troops_keep_both_disputed_figures_of_the_latest_date(tiny) -> None:
    troops = snapshot(tiny, "2011-06-01").troops
    us_iraq = troops[(troops["force"] == "us") & (troops["scope"] == "iraq")]
    assert sorted(us_iraq["value"]) == [47000, 50000]
    assert set(us_iraq["certainty"]) == {"disputed"}
    assert us_iraq.set_index("figure_id").loc["f2", ["low", "high"]].tolist() == [45000, 50000]


def test_troops_before_a_figure_and_per_site_scope(tiny) -> None:
    assert snapshot(tiny, "2007-09-30").troops.empty
    assert snapshot(tiny, "2007-10-01").troops["value"].tolist() == [170000]
    troops = snapshot(tiny, "2025-07-01").troops
    assert troops.set_index("figure_id").loc["f5", "site_id"] == "alpha"


def test_a_plan_applies_from_its_first_source_until_it_is_due(tiny) -> None:
    def planned(day: str) -> list[str]:
        troops = snapshot(tiny, day).troops
        return troops.loc[troops["kind"] == "planned", "figure_id"].tolist()

    assert planned("2025-09-30") == []  # announced by a source published in October 2025
    assert planned("2025-10-01") == ["f4"]
    assert planned("2026-09-30") == ["f4"]
    assert planned("2026-10-01") == []


def test_phase_boundaries_and_open_end(tiny) -> None:
    assert snapshot(tiny, "2011-12-18").phase.phase_id == "early"
    assert snapshot(tiny, "2011-12-19").phase.phase_id == "gap"
    assert snapshot(tiny, "2014-06-30").phase.phase_id == "gap"
    late = snapshot(tiny, "2030-01-01").phase
    assert late.phase_id == "late" and late.end is None
    assert snapshot(tiny, "2003-03-19").phase is None
    assert [p.phase_id for p in phases(tiny)] == ["early", "gap", "late"]


def test_events_near_a_date(tiny) -> None:
    assert snapshot(tiny, "2011-12-01").events["event_id"].tolist() == ["e1"]
    assert snapshot(tiny, "2011-09-01").events.empty
    assert snapshot(tiny, "2025-09-20").events["event_id"].tolist() == ["e2"]


def test_data_as_of_is_the_newest_source(tiny) -> None:
    # The newest source is dated "2025-10": surely published by 1 October 2025, no later.
    snap = snapshot(tiny, "2026-01-01")
    assert snap.data_as_of == dt.date(2025, 10, 1)
    assert snap.after_last_report
    assert snapshot(tiny, "2025-10-02").after_last_report
    assert not snapshot(tiny, "2025-10-01").after_last_report


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "2025-09", "", None, 20250101])
def test_bad_query_dates_raise_value_error(tiny, bad) -> None:
    with pytest.raises(ValueError):
        snapshot(tiny, bad)


def test_span_events_movements_and_series(tiny) -> None:
    assert record_span(tiny, dt.date(2026, 1, 1)) == (dt.date(2003, 3, 20), dt.date(2026, 10, 1))
    # The slider reaches today when the record stops earlier.
    assert record_span(tiny, dt.date(2027, 5, 1))[1] == dt.date(2027, 5, 1)
    assert event_days(tiny) == [dt.date(2011, 12, 18), dt.date(2025, 8, 1)]
    moves = movements_between(tiny, dt.date(2025, 8, 15), dt.date(2025, 9, 1))
    assert moves[["from_name", "to_name", "to_lat"]].values.tolist() == [
        ["Alpha Base", "Bravo Camp", 36.2]
    ]
    assert movements_between(tiny, dt.date(2025, 9, 1), dt.date(2025, 12, 1)).empty
    series = troop_series(tiny)
    assert series["figure_id"].tolist() == ["f1", "f2", "f3"]
    assert troop_series(tiny, ("iraq", "kurdistan_region"))["figure_id"].tolist()[-1] == "f4"


def test_a_reported_figure_stops_being_in_force_after_two_years(tiny) -> None:
    assert snapshot(tiny, "2009-09-30").troops["figure_id"].tolist() == ["f1"]
    assert snapshot(tiny, "2009-10-01").troops.empty  # 731 days after 1 October 2007


def test_figures_in_force_list_whole_country_before_sites(tiny) -> None:
    troops = snapshot(tiny, "2025-07-01").troops
    assert troops["figure_id"].tolist() == ["f5"]
    troops = snapshot(tiny, "2011-06-01").troops
    assert troops["scope"].tolist() == ["iraq", "iraq"]
