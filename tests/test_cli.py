"""The validate command: report and exit code for a good directory, a bad one, uploads and bad usage."""

from __future__ import annotations

import subprocess
from pathlib import Path

from components.upload import bundled_zip
from tests.conftest import tiny_tables, write_tables
from tests.fixtures import run_validate


def validate(*args: str) -> subprocess.CompletedProcess[str]:
    return run_validate(*args)


def test_valid_directory_prints_ok_and_exits_0(tiny_dir: Path) -> None:
    result = validate("validate", str(tiny_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(
        "OK: 2 sites, 5 status periods, 5 troop figures"
    )


def test_bad_directory_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["sites"][0]["lat"] = "x"
    tables["events"][1]["date"] = "soon"
    result = validate("validate", str(write_tables(tmp_path / "bad", tables)))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "sites.csv, line 2, column lat: 'x' is not a number",
        "events.csv, line 3, column date: 'soon' is not a date written as YYYY, YYYY-MM or YYYY-MM-DD",
        "FAILED: 2 problems",
    ]


def test_zip_and_bad_upload_files(tmp_path: Path) -> None:
    archive = tmp_path / "bundled.zip"
    archive.write_bytes(bundled_zip())
    result = validate("validate", str(archive))
    assert result.returncode == 0 and result.stdout.startswith("OK: 20 sites"), result.stdout
    picture = tmp_path / "data.png"
    picture.write_bytes(b"\x89PNG\r\n")
    result = validate("validate", str(picture))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "data.png: is not a .zip of CSV tables or an .xlsx workbook"
    )


def test_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    result = validate("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "is not a directory" in result.stdout and "Traceback" not in result.stderr


def test_bad_usage_exits_2() -> None:
    for args in ((), ("check", "data"), ("validate",), ("validate", "a", "b")):
        result = validate(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("usage: python -m components.validate ")
    assert validate("--help").returncode == 0
