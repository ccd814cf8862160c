"""The synthetic dataset generator: its output loads, has the sizes asked for, and never overlaps."""

from __future__ import annotations

import pandas as pd
import pytest

from components.dataset import load_dataset
from components.synthetic import write_synthetic_dataset
from components.timeline import record_span, snapshot


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    directory = write_synthetic_dataset(
        tmp_path_factory.mktemp("synthetic") / "data", 40, periods_per_site=3, events=120
    )
    return directory, load_dataset(directory)


def test_dataset_loads_with_the_requested_sizes(synthetic) -> None:
    _, dataset = synthetic
    assert len(dataset.sites) == 40
    assert len(dataset.site_status) == 40 * 3
    assert len(dataset.events) == 120
    assert dataset.site_status.groupby("site_id").size().eq(3).all()
    assert set(dataset.site_status["site_id"]) == set(dataset.sites["site_id"])


def test_periods_of_a_site_never_overlap_and_only_the_last_is_open(synthetic) -> None:
    _, dataset = synthetic
    for _, periods in dataset.site_status.groupby("site_id"):
        ordered = periods.sort_values("start_first")
        starts = list(ordered["start_first"])
        ends = list(ordered["end_last"])
        for end, next_start in zip(ends[:-1], starts[1:]):
            assert not pd.isna(end)
            assert end < next_start
        assert pd.isna(ends[-1])


def test_snapshots_show_sites_in_the_middle_of_the_record(synthetic) -> None:
    _, dataset = synthetic
    first, last = record_span(dataset)
    shown = snapshot(dataset, first + (last - first) / 2).sites
    assert 0 < len(shown) <= 40
    assert set(shown["status"]) <= {"active", "drawdown", "handed_over", "closed"}


def test_same_seed_gives_the_same_files_and_rewrites_the_directory(tmp_path) -> None:
    first = write_synthetic_dataset(tmp_path / "a", 5, events=10, seed=3)
    (first / "stray.txt").write_text("left over")
    again = write_synthetic_dataset(tmp_path / "a", 5, events=10, seed=3)
    other = write_synthetic_dataset(tmp_path / "b", 5, events=10, seed=4)
    assert not (again / "stray.txt").exists()
    assert (first / "sites.csv").read_bytes() == (again / "sites.csv").read_bytes()
    assert (first / "sites.csv").read_bytes() != (other / "sites.csv").read_bytes()


def test_a_site_with_a_single_open_period_is_valid(tmp_path) -> None:
    dataset = load_dataset(write_synthetic_dataset(tmp_path / "d", 3, periods_per_site=1))
    assert len(dataset.site_status) == 3
    assert dataset.site_status["end_last"].isna().all()


def test_impossible_sizes_are_refused(tmp_path) -> None:
    with pytest.raises(ValueError):
        write_synthetic_dataset(tmp_path / "e", 2, periods_per_site=0)
    with pytest.raises(ValueError):
        write_synthetic_dataset(tmp_path / "f", -1)
