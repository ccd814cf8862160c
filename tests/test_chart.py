"""Troop chart: labels, line breaks over long silences, plans kept apart, the selected-date rule."""

from __future__ import annotations

import datetime as dt

from components.chart import (
    cached_troop_spec,
    chart_frame,
    site_history_chart,
    troop_chart,
    with_selected_date,
)
from components.dataset import load_dataset
from components.timeline import source_labels, troop_series


def test_lines_break_over_long_gaps_and_plans_have_no_line(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    frame = chart_frame(
        troop_series(dataset, ("iraq", "kurdistan_region")), {"src-a": "Pub A, 2011-06-01"}
    )
    by_id = frame.set_index("figure_id")
    # 2007-10 and 2011-01 are more than three years apart: two separate line segments.
    assert by_id.loc["f1", "segment"] != by_id.loc["f2", "segment"]
    assert by_id.loc["f2", "segment"] == by_id.loc["f3", "segment"]
    assert by_id.loc["f4", "segment"] == ""  # the plan
    assert by_id.loc["f2", "range"] == "45,000–50,000"
    assert by_id.loc["f1", "sources"] == "Pub A, 2011-06-01"
    assert by_id.loc["f4", "force_label"] == "Coalition total"


def test_chart_has_log_scale_and_a_rule_at_the_selected_date(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    frame = chart_frame(troop_series(dataset), {})
    spec = troop_chart(frame, dt.date(2011, 6, 1)).to_dict()
    layers = spec["layer"]
    y_axes = [layer["encoding"]["y"] for layer in layers if "y" in layer.get("encoding", {})]
    # Symmetric log: zero (a planned full exit) and single digits have a place on it, where a
    # log scale drew them under the plot. Every layer shares one scale and one axis.
    assert y_axes and all(y["scale"]["type"] == "symlog" for y in y_axes)
    assert all(y["axis"]["values"] == [0, 10, 100, 1_000, 10_000, 100_000] for y in y_axes)
    rule = layers[-1]
    assert rule["mark"]["type"] == "rule"
    linear = troop_chart(frame, dt.date(2011, 6, 1), log_scale=False).to_dict()
    assert all(
        layer["encoding"]["y"]["scale"] == {"zero": True}
        for layer in linear["layer"]
        if "y" in layer.get("encoding", {})
    )


def test_site_history_chart_runs_open_periods_to_the_end(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    periods = dataset.site_status[dataset.site_status["site_id"] == "alpha"]
    spec = site_history_chart(periods, dt.date(2020, 1, 1), dt.date(2026, 10, 1)).to_dict()
    rows = next(rows for rows in spec["datasets"].values() if rows and "status" in rows[0])
    assert [row["status"] for row in rows] == ["Active", "Handed over", "Active"]
    assert rows[-1]["end"].startswith("2026-10-01") and rows[-1]["to"] == "open"


def test_cached_spec_moves_only_the_date_rule(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    spec = cached_troop_spec(dataset, ("iraq",), True)
    assert cached_troop_spec(dataset, ("iraq",), True) is spec  # built once per dataset
    moved = with_selected_date(spec, dt.date(2011, 12, 18))
    assert moved["layer"][:-1] == spec["layer"][:-1]
    rule = moved["layer"][-1]
    assert rule["mark"]["type"] == "rule"
    assert moved["datasets"][rule["data"]["name"]] == [{"day": "2011-12-18T00:00:00"}]
    assert rule["encoding"] == spec["layer"][-1]["encoding"]  # x: the same "day" field
    assert spec["layer"][-1] != rule  # the cached spec itself is untouched
    assert rule["data"]["name"] not in spec.get("datasets", {})
    # Only the date's dataset differs between two dates: the browser keeps the chart and
    # swaps that dataset instead of rebuilding the chart.
    later = with_selected_date(spec, dt.date(2020, 1, 3))
    assert {**later, "datasets": None} == {**moved, "datasets": None}
    changed = [n for n in moved["datasets"] if moved["datasets"][n] != later["datasets"][n]]
    assert changed == [rule["data"]["name"]]


def test_a_convoy_is_a_point_of_its_own_not_a_level_held_afterwards() -> None:
    dataset = load_dataset()
    frame = chart_frame(troop_series(dataset, ("iraq",)), source_labels(dataset))
    convoy = frame[frame["figure_id"] == "tf-2011-12-18-us-last-convoy"].iloc[0]
    assert convoy["counts"] == "transit" and convoy["segment"] == ""
    # The line through 2012-2014 is drawn from counts of troops present, none of them 500.
    joined = frame[(frame["segment"] != "") & (frame["force"] == "us")]
    between = joined[(joined["day"] > "2011-12-01") & (joined["day"] < "2014-06-15")]
    assert not between.empty and 500 not in set(between["value"])


def test_site_history_takes_its_colours_and_words_from_the_shared_vocabulary(tiny_dir) -> None:
    from components.i18n import term
    from components.style import STATUS_STYLES

    dataset = load_dataset(tiny_dir)
    periods = dataset.site_status[dataset.site_status["site_id"] == "alpha"]
    spec = site_history_chart(periods, dt.date(2020, 1, 1), dt.date(2026, 10, 1), "ar").to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["range"] == [style.color for style in STATUS_STYLES.values()]
    assert scale["domain"] == [term("status", key, "ar") for key in STATUS_STYLES]


def test_figures_at_two_sites_are_two_lines_not_one(tiny_dir) -> None:
    dataset = load_dataset(tiny_dir)
    series = troop_series(dataset, ("iraq", "kurdistan_region"))
    # The same force's count at two bases, a month apart: 0 left at one and 200 at the other
    # are two places, not a rise from 0 to 200.
    at_sites = series.iloc[[1, 2]].copy()
    at_sites["scope"] = "site"
    at_sites["site_id"] = ["alpha", "beta"]
    at_sites["figure_id"] = ["s1", "s2"]
    frame = chart_frame(at_sites, {}, site_names={"alpha": "Alpha Base"}).set_index("figure_id")
    assert frame.loc["s1", "segment"] != frame.loc["s2", "segment"]
    assert frame.loc["s1", "site_label"] == "Alpha Base" and frame.loc["s2", "site_label"] == "beta"
    # Two counts at one site are still one line.
    at_sites["site_id"] = ["alpha", "alpha"]
    same = chart_frame(at_sites, {}).set_index("figure_id")
    assert same.loc["s1", "segment"] == same.loc["s2", "segment"] != ""
