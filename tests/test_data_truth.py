"""Rules that keep the bundled record honest: nothing reported past its newest source, plans apart
from outcomes, figures that say what they count, places not stacked, seeds cited by outlet."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from components.dataset import load_dataset
from components.timeline import (
    PRESENCE_STATUSES,
    period_day_spans,
    period_table,
    phases,
    snapshot,
    source_labels,
)

# Columns shown to users somewhere (tables, popups, slides, exports); ids and seed_file are not.
HIDDEN_COLUMNS = {"seed_file", "line_no"}
SEED_NAME = re.compile(
    r"seed\s*0\d\d|\bseed (article|file)|\[seed|[0-9]{3}_[0-9a-f]{16}\.txt|المصدر\s*0\d\d", re.I
)


@pytest.fixture(scope="module")
def data():
    return load_dataset()


def _newest(ids: tuple[str, ...], published: dict[str, pd.Timestamp]) -> pd.Timestamp | None:
    days = [published[i] for i in ids if i in published]
    return max(days) if days else None


@pytest.fixture(scope="module")
def published_last(data) -> dict[str, pd.Timestamp]:
    dated = data.sources.dropna(subset=["published_last"])
    return dict(zip(dated["source_id"], dated["published_last"]))


def test_no_period_is_reported_beyond_its_newest_source(data, published_last) -> None:
    """A period starts no later than its newest source; an end is reported by the period's own
    sources or by those of the period that follows it (which say what came next)."""
    late: list[str] = []
    for _site, periods in data.site_status.groupby("site_id"):
        periods = periods.sort_values("start_first").reset_index(drop=True)
        for n, row in periods.iterrows():
            if row["certainty"] == "planned":
                continue
            own = _newest(row["source_ids"], published_last)
            if own is not None and row["start_first"] > own:
                late.append(f"{row['period_id']} starts {row['start']} after its sources")
            if pd.isna(row["end_first"]):
                continue
            following = periods.iloc[n + 1]["source_ids"] if n + 1 < len(periods) else ()
            telling = tuple(row["source_ids"]) + tuple(following)
            if any(i not in published_last for i in telling):
                continue  # an undated source (an encyclopedia page) may be the newer one
            told = _newest(telling, published_last)
            if told is not None and row["end_first"] > told:
                late.append(f"{row['period_id']} ends {row['end']} after every source of it")
    assert late == []


def test_after_its_newest_source_an_open_presence_is_shown_unconfirmed(data) -> None:
    table = period_table(data)
    starts, _ = period_day_spans(data)
    checked = 0
    for row, first in zip(table.itertuples(index=False), starts):
        open_ended = not isinstance(row.until, str)
        if not open_ended or row.status not in PRESENCE_STATUSES:
            continue
        if not isinstance(row.last_reported, str):
            continue
        day = dt.date(1970, 1, 1) + dt.timedelta(days=int(first))
        if day > dt.date.fromisoformat(row.last_reported):
            assert row.certainty in ("unconfirmed", "planned"), row.site_id
            checked += 1
    assert checked >= 3  # Erbil, Harir and the Victory logistics centre at least
    late = snapshot(data, "2026-11-01").sites.set_index("site_id")
    for site_id in ("erbil_air_base", "harir", "camp_victory"):
        assert late.loc[site_id, "certainty"] == "unconfirmed", site_id


def test_no_figure_describes_a_date_after_its_sources(data, published_last) -> None:
    reported = data.troop_figures[data.troop_figures["kind"] == "reported"]
    late = [
        row.figure_id
        for row in reported.itertuples(index=False)
        if (newest := _newest(row.source_ids, published_last)) is not None
        and row.date_first > newest
    ]
    assert late == []


def test_no_phase_boundary_is_reported_beyond_its_sources(data, published_last) -> None:
    late = []
    for phase in phases(data):
        newest = _newest(phase.date_source_ids, published_last)
        assert newest is not None, phase.phase_id
        for day in (phase.start, phase.end):
            if day is not None and pd.Timestamp(day) > newest:
                late.append((phase.phase_id, day))
    assert late == []


def test_every_phase_has_planned_and_actual_dates_or_says_which_are_unknown(data) -> None:
    for phase in phases(data):
        missing = [
            name
            for name, day in (
                ("start", phase.start),
                ("planned_start", phase.planned_start),
                ("planned_end", phase.planned_end),
            )
            if day is None
        ]
        if missing or phase.end is None:
            assert len(phase.dates_note) > 20, (phase.phase_id, missing)
        assert phase.date_source_ids, phase.phase_id


def test_phase_one_ran_past_its_plan_and_phase_two_began_in_january_2026(data) -> None:
    by_id = {phase.phase_id: phase for phase in phases(data)}
    one, two = by_id["phase1_federal"], by_id["phase2_erbil"]
    assert one.planned_start == one.start == dt.date(2024, 9, 27)
    assert one.planned_end == dt.date(2025, 9, 30) and one.end == dt.date(2026, 1, 17)
    assert two.start == dt.date(2026, 1, 18) and two.planned_start == dt.date(2025, 10, 1)
    assert two.end is None  # no source reports its end
    assert not by_id["after"].begun
    # The anonymous "under 500" target is attributed, never stated as the agreed terms.
    assert "under 500" in two.summary and "not the text of the agreement" in two.summary


@pytest.mark.parametrize(
    ("day", "happened", "planned"),
    [
        ("2025-11-01", "phase1_federal", "phase2_erbil"),
        ("2026-02-01", "phase2_erbil", "phase2_erbil"),
        ("2026-11-01", "phase2_erbil", "after"),
        ("2013-06-01", "residual_2012_14", None),
    ],
)
def test_a_date_shows_the_phase_that_happened_and_the_plan(data, day, happened, planned) -> None:
    snap = snapshot(data, day)
    assert snap.phase is not None and snap.phase.phase_id == happened
    assert (snap.planned_phase.phase_id if snap.planned_phase else None) == planned
    assert snap.plan_differs == (planned is not None and planned != happened)


def test_the_2012_14_phase_says_who_stayed(data) -> None:
    phase = next(p for p in phases(data) if p.phase_id == "residual_2012_14")
    assert "Absence" not in phase.name
    assert "147" in phase.summary and "100" in phase.summary
    assert phase.end == dt.date(2014, 6, 14)  # the 275 began deploying on 15 June 2014


def test_no_two_sites_share_a_point_unless_the_data_says_so(data) -> None:
    sites = data.sites
    declared = {
        frozenset((site, other))
        for site, others in zip(sites["site_id"], sites["shares_location_with"])
        for other in others
    }
    stacked = [
        frozenset(group["site_id"])
        for _, group in sites.groupby([sites["lat"].round(4), sites["lon"].round(4)])
        if len(group) > 1
    ]
    assert [pair for pair in stacked if pair not in declared] == []


def test_no_user_visible_text_names_a_seed_file(data) -> None:
    found = []
    for name in ("sources", "sites", "site_status", "troop_figures", "events", "phases"):
        table = data.table(name)
        for column in table.columns:
            if column in HIDDEN_COLUMNS or column.endswith("_id") or column.endswith("_ids"):
                continue
            for value in table[column]:
                if isinstance(value, str) and SEED_NAME.search(value):
                    found.append((name, column, value[:60]))
    found += [
        (i, "label", label) for i, label in source_labels(data).items() if SEED_NAME.search(label)
    ]
    assert found == []


def test_every_figure_says_what_it_counts_and_a_convoy_is_never_a_garrison(data) -> None:
    assert data.troop_figures["counts"].notna().all()
    convoy = data.troop_figures.set_index("figure_id").loc["tf-2011-12-18-us-last-convoy"]
    assert convoy["counts"] == "transit"
    for day in ("2012-06-01", "2013-06-01", "2014-03-01"):
        troops = snapshot(data, day).troops
        assert "tf-2011-12-18-us-last-convoy" not in set(troops["figure_id"]), day
        us = troops[(troops["force"] == "us") & (troops["scope"] == "iraq")]
        assert 500 not in set(us["value"]), day
    # The pre-invasion build-up was around the Gulf, not inside Iraq.
    gulf = data.troop_figures.set_index("figure_id").loc["tf-2003-02-22-us-gulf"]
    assert gulf["scope"] == "gulf_region"


def test_coarse_dates_are_shown_as_approximate_inside_their_span(data) -> None:
    # Camp Speicher's active period ends "2011": its handover day is not known.
    speicher = snapshot(data, "2011-11-15").sites.set_index("site_id").loc["camp_speicher"]
    assert speicher["certainty"] == "approximate"
    # No site is shown active at the start of 2014, before the return began in June.
    early = snapshot(data, "2014-03-01").sites
    assert early[early["status"].isin(PRESENCE_STATUSES)]["site_id"].tolist() == []


def test_altun_kupri_is_a_plan_and_the_phase_two_deadline_is_drawn_in_erbil(data) -> None:
    altun = data.site_status[data.site_status["site_id"] == "altun_kupri"]
    assert set(altun["certainty"]) == {"planned"}
    deadline = data.events.set_index("event_id").loc["ev-2026-09-phase2-deadline"]
    assert deadline["site_ids"][0] == "erbil_air_base"


def test_the_record_reaches_2026_and_attacks_are_events_of_their_own(data) -> None:
    attacks = data.events[data.events["kind"] == "attack"]
    assert (attacks["date_first"] >= pd.Timestamp("2026-02-28")).sum() >= 4
    harir = data.site_status[data.site_status["site_id"] == "harir"]
    assert (harir["start_first"] >= pd.Timestamp("2026-01-01")).any()
    victory = data.site_status[data.site_status["site_id"] == "camp_victory"]
    assert victory["role"].fillna("").str.contains("logistics").any()


def test_a_slide_never_reports_a_convoy_as_the_troops_left(data) -> None:
    from components.briefing import briefing_steps

    exit_step = next(s for s in briefing_steps(data) if s.phase.phase_id == "agreements_exit")
    after = {(c.force, c.scope): c.after for c in exit_step.figure_changes}
    assert after[("us", "iraq")] == 147  # who stayed, not the 500 of the last convoy


def test_a_slide_says_how_a_count_was_put_and_that_sources_disagree(data) -> None:
    # Phase 2's slide: WION's "fewer than 2,000" (14 Jan 2026) then Shafaq News' "about 2,500"
    # (18 Jan 2026), both disputed: a disagreement, not a rise, and it must read as one.
    from components.briefing import briefing_steps, change_lines

    step = next(s for s in briefing_steps(data) if s.phase.phase_id == "phase2_erbil")
    change = next(c for c in step.figure_changes if (c.force, c.scope) == ("us", "iraq"))
    rows = data.troop_figures.set_index("figure_id")
    wion, shafaq = rows.loc["tf-2026-01-14-us-under2000"], rows.loc["tf-2026-01-18-us-2500"]
    assert (change.before, change.after) == (wion["value"], shafaq["value"])
    assert (wion["certainty"], shafaq["certainty"]) == ("disputed", "disputed")
    line = next(line for line in change_lines(step, {}) if line.startswith("U.S. (Iraq)"))
    assert line == "U.S. (Iraq): at most 2,000 (disputed) → about 2,500 (disputed)"
    arabic = next(line for line in change_lines(step, {}, "ar") if "2,500" in line)
    assert arabic.count("متنازع عليه") == 2 and "على الأكثر" in arabic


# How a quoted passage names each nation (English or the source's own language). "U.S.-led" or
# "US-led" alone does not place U.S. troops at a site, so it does not count.
NATION_WORDS = {
    "us": r"\bU\.?S\b(?!\.?-led)|\bAmerican|United States|أمريك|أميرك|امريك|آمریکا|américain",
    "uk": r"\bBritish|\bU\.?K\.?\b|Britain|بريطاني",
    "australia": r"Australia|أسترالي",
    "canada": r"Canad[ai]|كندي",
    "croatia": r"Croatia",
    "denmark": r"Danish|Denmark",
    "france": r"French|France|فرنسي",
    "germany": r"German|ألمان",
    "hungary": r"Hungar",
    "italy": r"Ital(y|ian)|إيطالي",
    "norway": r"Norw(ay|egian)",
    "portugal": r"Portug|برتغالي",
    "spain": r"Spain|Spanish|إسبان",
    "sweden": r"Swed(en|ish)",
}


def test_every_nation_at_a_site_is_named_by_a_quote_it_cites(data) -> None:
    quotes = dict(
        zip(
            data.sources["source_id"],
            data.sources["quote_original"] + " " + data.sources["quote_english"],
        )
    )
    unsupported = []
    named = 0
    for row in data.site_status.itertuples(index=False):
        cited = " ".join(quotes[i] for i in row.forces_source_ids)
        for nation in row.forces:
            named += 1
            if not re.search(NATION_WORDS[nation], cited):
                unsupported.append((row.period_id, nation))
    assert unsupported == []
    assert named >= 45  # the U.S. at most presence periods, and twelve other nations


def test_nations_vocabulary_matches_the_schema_and_the_filter(data) -> None:
    from components.dataset import load_schema, resources_by_name
    from components.i18n import VOCABULARY

    fields = resources_by_name(load_schema())["site_status"]["schema"]["fields"]
    allowed = next(f for f in fields if f["name"] == "forces")["x-item-enum"]
    assert set(allowed) == set(NATION_WORDS)
    assert set(allowed) | {"not_stated"} == set(VOCABULARY["nation"])
    used = {n for forces in data.site_status["forces"] for n in forces}
    assert {"us", "uk", "spain", "france", "italy", "germany"} <= used


def test_a_coalition_only_source_leaves_the_nation_unstated(data) -> None:
    # Al-Qaim and Mosul: the sources say "US-led coalition" only, so no nation is named.
    periods = data.site_status.set_index("period_id")
    for period_id in ("al_qaim-2017-active", "mosul-2016-active"):
        assert periods.loc[period_id, "forces"] == (), period_id
    # The U.K. is named at Besmaya 2015-2020 by a source that lists the nations there.
    assert "uk" in periods.loc["besmaya-2015-active", "forces"]


@pytest.mark.parametrize(
    ("site_id", "word"),
    [
        ("erbil_air_base", "مطار أربيل"),
        ("k1_kirkuk", "كي وان"),
        ("besmaya", "بسماية"),
        ("syria", "سوريا"),
        ("camp_speicher", "سبايكر"),
    ],
)
def test_arabic_names_added_for_issue_14_are_in_a_cited_quote(data, site_id, word) -> None:
    site = data.sites.set_index("site_id").loc[site_id]
    assert word in site["name_ar"]
    quotes = data.sources.set_index("source_id")["quote_original"]
    assert any(word in quotes[i] for i in site["source_ids"]), site_id
