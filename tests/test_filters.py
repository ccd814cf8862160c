"""Filters narrow the sites of a view and nothing else."""

from __future__ import annotations

from components.dataset import load_dataset
from components.filters import SiteFilter
from components.timeline import snapshot


def test_filters_keep_only_matching_sites_and_an_empty_filter_keeps_all() -> None:
    snap = snapshot(load_dataset(), "2025-11-01")
    assert SiteFilter().apply(snap) is snap
    active = SiteFilter(statuses=("active",)).apply(snap)
    assert set(active.sites["status"]) == {"active"}
    assert len(active.sites) == (snap.sites["status"] == "active").sum()
    iraq_handed = SiteFilter(statuses=("handed_over",), countries=("Iraq",)).apply(snap)
    assert set(iraq_handed.sites["country"]) == {"Iraq"}
    assert set(iraq_handed.sites["status"]) == {"handed_over"}
    assert active.troops is snap.troops and active.events is snap.events
    disputed = SiteFilter(certainties=("disputed",)).apply(snap)
    assert set(disputed.sites["certainty"]) <= {"disputed"}


def test_a_force_filter_keeps_sites_whose_sources_name_that_nation() -> None:
    snap = snapshot(load_dataset(), "2018-01-01")
    uk = SiteFilter(forces=("uk",)).apply(snap)
    assert uk.sites["site_id"].tolist() == ["besmaya"]
    us = SiteFilter(forces=("us",)).apply(snap)
    assert len(us.sites) >= 5 and all("us" in named for named in us.sites["forces"])
    # Sites whose sources say only "the coalition" are found under "not stated", never as a nation.
    unstated = SiteFilter(forces=("not_stated",)).apply(snap)
    assert {"al_qaim", "mosul"} <= set(unstated.sites["site_id"])
    assert all(named == () for named in unstated.sites["forces"])
    assert not set(unstated.sites["site_id"]) & set(us.sites["site_id"])
    either = SiteFilter(forces=("uk", "not_stated")).apply(snap)
    assert set(either.sites["site_id"]) == {"besmaya"} | set(unstated.sites["site_id"])
    # In 2005 the U.K. is named at the Basra airport base, in 2009 with the U.S. after the handover.
    data = load_dataset()
    basra_2005 = SiteFilter(forces=("uk",)).apply(snapshot(data, "2005-06-01")).sites
    assert basra_2005["site_id"].tolist() == ["cob_basra"]
    basra_2009 = SiteFilter(forces=("us",)).apply(snapshot(data, "2009-04-15")).sites
    assert "cob_basra" in set(basra_2009["site_id"])
    # Combined with another filter, both must match.
    assert SiteFilter(forces=("uk",), statuses=("handed_over",)).apply(snap).sites.empty


def test_a_force_filter_on_a_table_without_forces_keeps_only_not_stated() -> None:
    snap = snapshot(load_dataset(), "2018-01-01")
    bare = snap.sites.drop(columns="forces")
    assert not SiteFilter(forces=("us",)).keeps(bare).any()
    assert SiteFilter(forces=("not_stated",)).keeps(bare).all()
