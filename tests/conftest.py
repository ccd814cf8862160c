"""Shared fixtures: a tiny hand-made dataset whose answers are known, written as CSV files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from components.dataset import DATA_DIR, load_schema

COLUMNS = {
    r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in load_schema()["resources"]
}
FILES = {r["name"]: r["path"] for r in load_schema()["resources"]}


def tiny_tables() -> dict[str, list[dict[str, str]]]:
    """Two sites, three phases and a few figures, with dates chosen to test the edges."""
    return {
        "sources": [
            {
                "source_id": "src-a",
                "publisher": "Pub A",
                "title": "Report A",
                "published": "2011-06-01",
                "language": "en",
                "url": "https://example.org/a",
                "quote_original": "A says.",
                "quote_english": "A says.",
                "accessed": "2026-11-23",
            },
            {
                "source_id": "src-b",
                "publisher": "ناشر",
                "title": "تقرير",
                "published": "2025-10",
                "language": "ar",
                "seed_file": "001_8bfb806fada896e9.txt",
                "quote_original": "نص",
                "quote_english": "Text",
                "accessed": "2026-11-23",
            },
        ],
        "sites": [
            {
                "site_id": "alpha",
                "name_en": "Alpha Base",
                "name_ar": "قاعدة ألفا",
                "lat": "33.8",
                "lon": "42.4",
                "location_precision": "site",
                "country": "Iraq",
                "kind": "air_base",
                "source_ids": "src-a",
            },
            {
                "site_id": "bravo",
                "name_en": "Bravo Camp",
                "lat": "36.2",
                "lon": "44.0",
                "location_precision": "locality",
                "country": "Iraq",
                "kind": "camp",
                "source_ids": "src-a;src-b",
            },
        ],
        "site_status": [
            {
                "period_id": "alpha-1",
                "site_id": "alpha",
                "status": "active",
                "start": "2003-04",
                "end": "2011-12",
                "certainty": "reported",
                "source_ids": "src-a",
            },
            {
                "period_id": "alpha-2",
                "site_id": "alpha",
                "status": "handed_over",
                "start": "2012",
                "end": "2014-10",
                "certainty": "reported",
                "source_ids": "src-a",
            },
            {
                "period_id": "alpha-3",
                "site_id": "alpha",
                "status": "active",
                "start": "2014-11-01",
                "end": "",
                "certainty": "disputed",
                "note": "Sources differ.",
                "source_ids": "src-a;src-b",
            },
            {
                "period_id": "bravo-1",
                "site_id": "bravo",
                "status": "active",
                "start": "2014-06-15",
                "end": "2026-09-30",
                "certainty": "reported",
                "source_ids": "src-b",
            },
            {
                "period_id": "bravo-2",
                "site_id": "bravo",
                "status": "closed",
                "start": "2026-10-01",
                "end": "",
                "certainty": "planned",
                "source_ids": "src-b",
            },
        ],
        "troop_figures": [
            {
                "figure_id": "f1",
                "date": "2007-10",
                "force": "us",
                "scope": "iraq",
                "value": "170000",
                "qualifier": "about",
                "kind": "reported",
                "counts": "presence",
                "certainty": "reported",
                "source_ids": "src-a",
            },
            {
                "figure_id": "f2",
                "date": "2011-01-01",
                "force": "us",
                "scope": "iraq",
                "value": "47000",
                "low": "45000",
                "high": "50000",
                "qualifier": "about",
                "kind": "reported",
                "counts": "presence",
                "certainty": "disputed",
                "source_ids": "src-a",
            },
            {
                "figure_id": "f3",
                "date": "2011-01-01",
                "force": "us",
                "scope": "iraq",
                "value": "50000",
                "qualifier": "about",
                "kind": "reported",
                "counts": "presence",
                "certainty": "disputed",
                "source_ids": "src-b",
            },
            {
                "figure_id": "f4",
                "date": "2026-09",
                "force": "coalition_total",
                "scope": "kurdistan_region",
                "value": "500",
                "qualifier": "at_most",
                "kind": "planned",
                "counts": "target",
                "certainty": "planned",
                "source_ids": "src-b",
            },
            {
                "figure_id": "f5",
                "date": "2025-06",
                "force": "us",
                "scope": "site",
                "site_id": "alpha",
                "value": "1500",
                "qualifier": "about",
                "kind": "reported",
                "counts": "presence",
                "certainty": "reported",
                "source_ids": "src-b",
            },
        ],
        "events": [
            {
                "event_id": "e1",
                "date": "2011-12-18",
                "kind": "withdrawal",
                "title": "Exit",
                "title_ar": "الانسحاب",
                "site_ids": "alpha",
                "certainty": "reported",
                "source_ids": "src-a",
            },
            {
                "event_id": "e2",
                "date": "2025-08",
                "kind": "convoy",
                "title": "Convoy",
                "site_ids": "alpha;bravo",
                "certainty": "reported",
                "source_ids": "src-b",
            },
        ],
        "phases": [
            {
                "phase_id": "early",
                "name": "Early",
                "start": "2003-03-20",
                "end": "2011-12-18",
                "dates_certainty": "reported",
                "date_source_ids": "src-a",
                "summary": "Early years.",
                "source_ids": "src-a",
            },
            {
                "phase_id": "gap",
                "name": "Gap",
                "start": "2011-12-19",
                "end": "2014-06",
                "dates_certainty": "reported",
                "date_source_ids": "src-a",
                "summary": "No forces.",
                "source_ids": "src-a",
            },
            {
                "phase_id": "late",
                "name": "Late",
                "start": "2014-07",
                "end": "",
                "planned_start": "2014-07",
                "planned_end": "2026-09",
                "dates_certainty": "reported",
                "date_source_ids": "src-b",
                "summary": "Return.",
                "source_ids": "src-b",
            },
        ],
        "movements": [
            {
                "movement_id": "m1",
                "date": "2025-08",
                "from_site_id": "alpha",
                "to_site_id": "bravo",
                "description": "Convoy north.",
                "certainty": "reported",
                "source_ids": "src-b",
            },
        ],
    }


def write_tables(directory: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    """Writes tables as the loader expects them: one UTF-8 CSV per resource, schema column order."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (directory / FILES[name]).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS[name], restval="")
            writer.writeheader()
            writer.writerows(rows)
    return directory


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "tiny", tiny_tables())


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data, for tests that break one thing in it."""
    target = tmp_path / "bundled"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so fixtures can tell a failed test (browser logs)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
