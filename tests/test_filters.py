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
