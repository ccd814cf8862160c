"""Checks of the bundled data itself: it loads, every fact is sourced, seeds are cited and quoted exactly."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from components.dataset import load_dataset
from components.timeline import snapshot

SEEDS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
SEED_FILES = {
    "000_e585fd7ea51515cb.txt",
    "001_8bfb806fada896e9.txt",
    "002_65050dfcc07e9038.txt",
    "003_ce323faa9758fc94.txt",
    "004_d647934a0683ee08.txt",
}
REQUIRED_PHASES = {
    "invasion_surge",
    "agreements_exit",
    "residual_2012_14",
    "return_isis",
    "handovers_2020",
    "advise_assist",
    "phase1_federal",
    "phase2_erbil",
    "after",
}
FACT_TABLES = ("sites", "site_status", "troop_figures", "events", "phases", "movements")


@pytest.fixture(scope="module")
def data():
    return load_dataset()


def test_bundled_data_loads_without_warnings(data) -> None:
    assert data.warnings == []
    assert len(data.sites) >= 15 and len(data.sources) >= 50


def test_every_seed_is_cited_by_a_fact(data) -> None:
    seed_of = dict(zip(data.sources["source_id"], data.sources["seed_file"]))
    cited_seeds = {
        seed_of[source_id]
        for name in FACT_TABLES
        for ids in data.table(name)["source_ids"]
        for source_id in ids
        if isinstance(seed_of[source_id], str)
    }
    assert cited_seeds >= SEED_FILES


def squash(text: str) -> str:
    """Compares text as read, not as typed: Unicode form, zero-width joiners and spacing folded."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u200c\u200d\u200e\u200f\ufeff\u00ad]", "", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seed_quotes_are_copied_exactly_from_the_seed(data) -> None:
    seeds = {
        name: squash(p.read_text(encoding="utf-8"))
        for name in SEED_FILES
        for p in [SEEDS_DIR / name]
    }
    rows = data.sources[data.sources["seed_file"].notna()]
    assert len(rows) >= 5
    missing = [
        source_id
        for source_id, seed, quote in zip(
            rows["source_id"], rows["seed_file"], rows["quote_original"]
        )
        if not all(
            part.strip() in seeds[seed] for part in squash(quote).split("...") if part.strip()
        )
    ]
    assert missing == []


def test_every_source_is_used_and_has_a_url_or_a_seed(data) -> None:
    cited = {i for name in FACT_TABLES for ids in data.table(name)["source_ids"] for i in ids}
    cited |= {i for ids in data.site_status["forces_source_ids"] for i in ids}
    unused = set(data.sources["source_id"]) - cited
    assert unused == set()
    no_origin = data.sources[data.sources["url"].isna() & data.sources["seed_file"].isna()]
    assert no_origin["source_id"].tolist() == []


def test_coordinates_are_in_the_region_and_cross_checked(data) -> None:
    sites = data.sites
    outside = sites[~sites["lat"].between(12, 42) | ~sites["lon"].between(25, 63)]
    assert outside["site_id"].tolist() == []
    single = sites[(sites["location_precision"] != "region") & (sites["source_ids"].map(len) < 2)]
    assert single["site_id"].tolist() == []


def test_every_site_has_a_history(data) -> None:
    assert set(data.sites["site_id"]) == set(data.site_status["site_id"])


def test_required_sites_phases_and_years_are_present(data) -> None:
    assert REQUIRED_PHASES <= set(data.phases["phase_id"])
    for site_id in (
        "ain_al_asad",
        "harir",
        "erbil_air_base",
        "camp_victory",
        "coalition_hq_baghdad",
        "balad",
        "taji",
        "altun_kupri",
    ):
        assert site_id in set(data.sites["site_id"]), site_id
    assert {"Kuwait", "Syria"} <= set(data.sites["country"])
    years = set(
        data.troop_figures.loc[data.troop_figures["kind"] == "reported", "date_first"].dt.year
    )
    assert {2007, 2011, 2014, 2020, 2021, 2023, 2024, 2025} <= years
    planned = data.troop_figures[data.troop_figures["kind"] == "planned"]
    assert (planned["date_first"].dt.year == 2026).any()


def test_the_seed_2023_figures_hold_in_august_2023(data) -> None:
    troops = snapshot(data, "2023-08-20").troops
    us = troops[(troops["force"] == "us") & (troops["scope"] == "iraq")]
    assert 2500 in set(us["value"])


def test_phase_two_target_is_a_plan_not_a_report(data) -> None:
    troops = snapshot(data, "2025-12-01").troops
    targets = troops[troops["as_of"].str.startswith("2026")]
    assert not targets.empty and set(targets["kind"]) == {"planned"}


def test_every_event_and_phase_has_an_arabic_title(data) -> None:
    arabic = re.compile(r"[\u0600-\u06FF]")
    for event_id, title in zip(data.events["event_id"], data.events["title_ar"]):
        assert isinstance(title, str) and arabic.search(title), event_id
    for phase_id, name, note in zip(
        data.phases["phase_id"], data.phases["name_ar"], data.phases["dates_note_ar"]
    ):
        assert isinstance(name, str) and arabic.search(name), phase_id
        assert isinstance(note, str) and arabic.search(note), phase_id


def test_every_event_kind_has_words_in_both_languages() -> None:
    from components.dataset import load_schema
    from components.i18n import VOCABULARY

    kinds = next(
        field["constraints"]["enum"]
        for resource in load_schema()["resources"]
        if resource["name"] == "events"
        for field in resource["schema"]["fields"]
        if field["name"] == "kind"
    )
    assert set(kinds) == set(VOCABULARY["event_kind"])
    for english, arabic in VOCABULARY["event_kind"].values():
        assert english and re.search(r"[\u0600-\u06FF]", arabic)
