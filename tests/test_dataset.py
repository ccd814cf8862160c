"""Loader tests: the tiny dataset loads; each kind of broken file gives DatasetError naming the place."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.dataset import DatasetError, load_dataset, load_dataset_from_bytes
from tests.conftest import COLUMNS, FILES, tiny_tables, write_tables


def test_tiny_dataset_loads_with_parsed_dates_and_lists(tiny_dir: Path) -> None:
    dataset = load_dataset(tiny_dir)
    assert len(dataset.sites) == 2
    alpha = dataset.site_status.set_index("period_id").loc["alpha-1"]
    assert alpha["start_first"].date().isoformat() == "2003-04-01"
    assert alpha["end_last"].date().isoformat() == "2011-12-31"
    assert alpha["end_precision"] == "month"
    assert dataset.sites.set_index("site_id").loc["bravo", "source_ids"] == ("src-a", "src-b")
    assert dataset.sites["lat"].tolist() == [33.8, 36.2]


def broken(tmp_path: Path, table: str, index: int, column: str, value: str) -> Path:
    tables = tiny_tables()
    tables[table][index][column] = value
    return write_tables(tmp_path / "broken", tables)


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(directory)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("table", "index", "column", "value", "expected"),
    [
        (
            "sites",
            0,
            "source_ids",
            "src-a;nope",
            "sites.csv, line 2, column source_ids: unknown sources id 'nope'",
        ),
        (
            "site_status",
            1,
            "site_id",
            "ghost",
            "site_status.csv, line 3, column site_id: unknown sites id 'ghost'",
        ),
        (
            "events",
            1,
            "date",
            "2025-13",
            "events.csv, line 3, column date: '2025-13': month 13 does not exist",
        ),
        (
            "events",
            0,
            "date",
            "18/12/2011",
            "events.csv, line 2, column date: '18/12/2011' is not a date",
        ),
        (
            "troop_figures",
            0,
            "date",
            "2023-02-30",
            "troop_figures.csv, line 2, column date: '2023-02-30': day 30 does not exist",
        ),
        (
            "sites",
            1,
            "lat",
            "136.2",
            "sites.csv, line 3, column lat: '136.2' is above the maximum 90",
        ),
        ("sites", 1, "lon", "east", "sites.csv, line 3, column lon: 'east' is not a number"),
        ("sites", 0, "lat", "nan", "sites.csv, line 2, column lat: 'nan' is not a finite number"),
        (
            "site_status",
            0,
            "status",
            "occupied",
            "site_status.csv, line 2, column status: 'occupied' is not one of",
        ),
        (
            "site_status",
            0,
            "certainty",
            "rumoured",
            "site_status.csv, line 2, column certainty: 'rumoured' is not one of",
        ),
        (
            "sites",
            1,
            "site_id",
            "alpha",
            "sites.csv, line 3, column site_id: duplicate id 'alpha' (first on line 2)",
        ),
        (
            "site_status",
            1,
            "start",
            "2011-06",
            "site_status.csv, line 3, column start: period of 'alpha' starting 2011-06 overlaps the one on line 2",
        ),
        (
            "site_status",
            0,
            "end",
            "2002",
            "site_status.csv, line 2, column end: 2002 is before start 2003-04",
        ),
        (
            "phases",
            1,
            "start",
            "2011-12-18",
            "phases.csv, line 3, column start: period starting 2011-12-18 overlaps",
        ),
        ("sites", 0, "name_en", "  ", "sites.csv, line 2, column name_en: is required but empty"),
        (
            "troop_figures",
            0,
            "value",
            "12.5",
            "troop_figures.csv, line 2, column value: '12.5' is not a whole number",
        ),
        (
            "troop_figures",
            0,
            "value",
            "-3",
            "troop_figures.csv, line 2, column value: '-3' is below the minimum 0",
        ),
        (
            "troop_figures",
            1,
            "low",
            "48000",
            "troop_figures.csv, line 3, column value: 47000 is outside low-high",
        ),
        (
            "troop_figures",
            4,
            "site_id",
            "",
            "troop_figures.csv, line 6, column site_id: scope is site but no site_id",
        ),
        (
            "troop_figures",
            0,
            "site_id",
            "alpha",
            "troop_figures.csv, line 2, column site_id: given but scope is 'iraq'",
        ),
        (
            "movements",
            0,
            "to_site_id",
            "alpha",
            "movements.csv, line 2, column to_site_id: same as from_site_id",
        ),
        (
            "sources",
            0,
            "url",
            "javascript:alert(1)",
            "sources.csv, line 2, column url: 'javascript:alert(1)' does not have the expected form",
        ),
        (
            "sources",
            0,
            "source_id",
            "Bad Id",
            "sources.csv, line 2, column source_id: 'Bad Id' does not have the expected form",
        ),
    ],
)
def test_each_broken_cell_is_reported_by_file_line_and_column(
    tmp_path: Path, table: str, index: int, column: str, value: str, expected: str
) -> None:
    found = problems_of(broken(tmp_path, table, index, column, value))
    assert any(problem.startswith(expected) for problem in found), found


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["sites"][0]["lat"] = "x"
    tables["sites"][1]["kind"] = "castle"
    tables["events"][0]["date"] = "soon"
    found = problems_of(write_tables(tmp_path / "many", tables))
    assert len(found) == 3
    assert [p.split(",")[0] for p in found] == ["sites.csv", "sites.csv", "events.csv"]


def test_missing_file_and_missing_column(tiny_dir: Path) -> None:
    (tiny_dir / FILES["phases"]).unlink()
    assert problems_of(tiny_dir) == ["phases.csv: file is missing"]


def test_missing_column_is_named(tiny_dir: Path) -> None:
    path = tiny_dir / FILES["sites"]
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(",lon,", ",longitude,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "sites.csv, line 1, column lon: required column is missing" in problems_of(tiny_dir)


def test_extra_column_is_ignored_with_a_warning(tiny_dir: Path) -> None:
    path = tiny_dir / FILES["events"]
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([lines[0] + ",mine", *(line + ",x" for line in lines[1:])]) + "\n",
        encoding="utf-8",
    )
    dataset = load_dataset(tiny_dir)
    assert dataset.warnings == ["events.csv: extra columns ignored: mine"]
    assert "mine" not in dataset.events.columns


def test_undecodable_file_is_reported(tiny_dir: Path) -> None:
    path = tiny_dir / FILES["sites"]
    path.write_bytes(path.read_bytes() + "Qal'at,خطأ\n".encode("cp1256"))
    found = problems_of(tiny_dir)
    assert len(found) == 1 and found[0].startswith("sites.csv, line 4: is not UTF-8 text")


def test_nul_bytes_and_ragged_rows_and_empty_files(tiny_dir: Path) -> None:
    (tiny_dir / FILES["events"]).write_bytes(b"event_id,date\x00\n")
    (tiny_dir / FILES["movements"]).write_text("", encoding="utf-8")
    path = tiny_dir / FILES["phases"]
    path.write_text(path.read_text(encoding="utf-8") + "extra,cells,only\n", encoding="utf-8")
    found = problems_of(tiny_dir)
    assert "events.csv, line 1: contains a NUL byte; this is not a CSV text file" in found
    assert "movements.csv, line 1: is empty: it needs a header row" in found
    assert f"phases.csv, line 5: has 3 cells; the header has {len(COLUMNS['phases'])}" in found


def test_unbalanced_quote_is_not_valid_csv(tiny_dir: Path) -> None:
    path = tiny_dir / FILES["sources"]
    path.write_text(path.read_text(encoding="utf-8") + 'src-c,"Pub C\n', encoding="utf-8")
    found = problems_of(tiny_dir)
    assert (
        len(found) == 1 and found[0].startswith("sources.csv, line") and "not valid CSV" in found[0]
    )


def test_oversized_file_is_refused_before_parsing(
    tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("components.dataset.MAX_FILE_BYTES", 100)
    found = problems_of(tiny_dir)
    assert any(p.startswith("sites.csv: is ") and "the limit is 100" in p for p in found)


def test_not_a_directory_is_a_dataset_error(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: is not a directory"]


def test_bytes_entry_point_applies_the_same_rules(tiny_dir: Path) -> None:
    files = {path.name: path.read_bytes() for path in tiny_dir.iterdir()}
    assert len(load_dataset_from_bytes(files).sites) == 2
    files["sites.csv"] = files["sites.csv"].replace(b"33.8", b"-95")
    with pytest.raises(DatasetError, match="column lat: '-95' is below the minimum -90"):
        load_dataset_from_bytes(files)


def test_hostile_text_is_kept_verbatim_for_the_renderers_to_escape(tmp_path: Path) -> None:
    tables = tiny_tables()
    hostile = "<img src=x onerror=alert(1)>`${alert(2)}`</script>"
    tables["sites"][0]["name_en"] = hostile
    dataset = load_dataset(write_tables(tmp_path / "hostile", tables))
    assert dataset.sites.loc[0, "name_en"] == hostile
