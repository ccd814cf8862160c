"""Comparing two dates: the change table agrees with the status periods, figures and events."""

from __future__ import annotations

import datetime as dt

import pytest

from components.compare import compare, comparison_table
from components.dataset import load_dataset
from components.timeline import snapshot


@pytest.fixture(scope="module")
def data():
    return load_dataset()


def test_site_changes_are_exactly_the_sites_whose_status_differs(data) -> None:
    first, second = "2019-12-01", "2020-09-01"
    result = compare(data, second, first)  # either order
    assert result.first.when == dt.date(2019, 12, 1)
    before = snapshot(data, first).sites.set_index("site_id")
    after = snapshot(data, second).sites.set_index("site_id")
    expected = {
        site
        for site in set(before.index) | set(after.index)
        if site not in before.index
        or site not in after.index
        or before.loc[site, "status"] != after.loc[site, "status"]
        or before.loc[site, "certainty"] != after.loc[site, "certainty"]
    }
    assert set(result.sites["site_id"]) == expected
    # The 2020 handovers are among them, each before -> after as the periods say.
    taji = result.sites.set_index("site_id").loc["taji"]
    assert (taji["before_status"], taji["after_status"]) == ("active", "handed_over")
    assert "ev-2020-08-23-taji-handover" in set(result.events["event_id"])
    assert "ev-2021-12-09-combat-role-ends" not in set(result.events["event_id"])


def test_figures_that_changed_are_listed_with_both_values(data) -> None:
    result = compare(data, "2011-11-01", "2013-01-01")
    us = result.figures[(result.figures["force"] == "us") & (result.figures["scope"] == "iraq")]
    assert us[["before", "after"]].values.tolist() == [[36000, 147]]


def test_same_date_has_no_changes_and_the_export_carries_sources(data) -> None:
    same = compare(data, "2025-11-01", "2025-11-01")
    assert same.sites.empty and same.figures.empty and same.events.empty
    table = comparison_table(data, compare(data, "2025-08-01", "2026-02-01"))
    assert set(table["what"]) == {"site", "figure", "event"}
    assert (table["sources"] != "").all()
    assert "001_8bfb806fada896e9" not in table.to_csv()


def test_the_map_overlay_gives_the_other_date_and_ghosts(data, tmp_path) -> None:
    from components.filters import SiteFilter
    from components.map_view import publish_catalog
    from components.tools_panel import compare_map

    catalog = publish_catalog(data, static_dir=tmp_path)
    result = compare(data, "2019-12-01", "2020-09-01")
    place = {site: n for n, site in enumerate(data.sites["site_id"])}
    # The map at the earlier date: sites there only later are ghosts.
    overlay = compare_map(result, dt.date(2019, 12, 1), SiteFilter(), catalog, "en")
    assert overlay["other"] == "1 September 2020" and not overlay["shownIsLater"]
    assert overlay["day"] == (dt.date(2020, 9, 1) - dt.date(1970, 1, 1)).days
    earlier = set(result.first.sites["site_id"])
    later_only = {site for site in result.second.sites["site_id"] if site not in earlier}
    assert later_only == {"abu_ghraib", "kuwait"}
    assert {row[0] for row in overlay["ghosts"]} == {place[site] for site in later_only}
    # Each ghost is the site's layer row at the other date.
    kuwait = next(row for row in overlay["ghosts"] if row[0] == place["kuwait"])
    assert kuwait[1] == "active"
    # At the later date nothing was gone, so there are no ghosts; a filter narrows them.
    at_later = compare_map(result, dt.date(2020, 9, 1), SiteFilter(), catalog, "en")
    assert at_later["ghosts"] == [] and at_later["shownIsLater"]
    only_iraq = compare_map(
        result, dt.date(2019, 12, 1), SiteFilter(countries=("Iraq",)), catalog, "en"
    )
    assert [row[0] for row in only_iraq["ghosts"]] == [place["abu_ghraib"]]


def test_the_preview_is_the_head_of_the_full_table(data) -> None:
    from components.compare import change_count, comparison_preview

    result = compare(data, "2003-01-01", "2026-01-01")
    full = comparison_table(data, result)
    assert change_count(result) == len(full) > 5
    assert comparison_preview(data, result, 5).equals(full.head(5))
    assert comparison_preview(data, result, len(full) + 10).equals(full)


def test_a_site_on_one_map_only_has_an_empty_side_not_nan(data) -> None:
    result = compare(data, "2019-12-01", "2020-09-01")
    kuwait = result.sites.set_index("site_id").loc["kuwait"]
    assert kuwait["change"] == "appeared" and kuwait["before_status"] is None
    row = comparison_table(data, result).set_index("id").loc["kuwait"]
    assert row["before"] == "" and row["after"] == "active (reported)"


@pytest.mark.parametrize(
    ("one", "other"),
    [("2003-01-01", "2026-06-01"), ("2011-12-31", "2012-01-01"), ("2024-09-27", "2014-11-10")],
)
def test_every_site_change_row_says_what_each_snapshot_says(data, one, other) -> None:
    result = compare(data, one, other)
    before = result.first.sites.set_index("site_id")
    after = result.second.sites.set_index("site_id")
    for row in result.sites.itertuples(index=False):
        old = before.loc[row.site_id] if row.site_id in before.index else None
        new = after.loc[row.site_id] if row.site_id in after.index else None
        assert row.before_status == (None if old is None else old["status"])
        assert row.after_certainty == (None if new is None else new["certainty"])
        assert row.name == (new if new is not None else old)["name"]
        expected = tuple(old["source_ids"]) if old is not None else ()
        expected += tuple(
            i for i in (new["source_ids"] if new is not None else ()) if i not in expected
        )
        assert row.source_ids == expected


@pytest.mark.parametrize(
    ("one", "other"),
    [("2008-06-01", "2010-06-01"), ("2003-01-01", "2026-06-01"), ("2019-12-01", "2020-09-01")],
)
def test_a_change_of_nations_is_listed_where_both_dates_name_some(data, one, other) -> None:
    result = compare(data, one, other)
    before = result.first.sites.set_index("site_id")["forces"]
    after = result.second.sites.set_index("site_id")["forces"]
    expected = {
        site
        for site in set(before.index) & set(after.index)
        if before[site] and after[site] and set(before[site]) != set(after[site])
    }
    assert set(result.forces["site_id"]) == expected
    for row in result.forces.itertuples(index=False):
        assert (row.before, row.after) == (tuple(before[row.site_id]), tuple(after[row.site_id]))


def test_basra_passing_from_british_to_us_control_is_a_change_of_nations(data) -> None:
    # Both dates show COB Basra active (reported): only the nations say what changed.
    result = compare(data, "2008-06-01", "2010-06-01")
    assert "cob_basra" not in result.changed_site_ids  # the map rings status changes only
    row = comparison_table(data, result).set_index("id").loc["cob_basra"]
    assert (row["what"], row["before"], row["after"]) == ("forces", "uk", "us; uk")
    assert "The Guardian, 2009-04-01" in row["sources"]
