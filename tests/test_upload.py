"""Uploads: each kind of bad file gives DatasetError naming the file and the fault; templates load."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from components import upload
from components.dataset import DATA_DIR, DatasetError, load_dataset, load_schema
from components.upload import (
    bundled_zip,
    load_upload,
    read_upload,
    template_xlsx,
    template_zip,
)
from tests.conftest import tiny_tables, write_tables

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def tiny_files(tmp_path: Path, tables: dict | None = None) -> dict[str, bytes]:
    directory = write_tables(tmp_path / "t", tables or tiny_tables())
    return {path.name: path.read_bytes() for path in directory.iterdir()}


def zipped(files: dict[str, bytes], folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(folder + name, content)
    return buffer.getvalue()


def problems(name: str, data: bytes) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_upload(name, data)
    return [str(problem) for problem in caught.value.problems]


def tiny_problems(tmp_path: Path, table: str, index: int, column: str, value: str) -> list[str]:
    tables = tiny_tables()
    tables[table][index][column] = value
    return problems("mine.zip", zipped(tiny_files(tmp_path, tables)))


# --- zip uploads ------------------------------------------------------------------------------


def test_zip_of_tiny_tables_loads_even_inside_one_folder_with_mac_litter(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    data = zipped(files, "my-data/")
    with zipfile.ZipFile(io.BytesIO(data), "a") as archive:
        archive.writestr("__MACOSX/my-data/._sites.csv", b"\x00\x05\x16\x07junk")
        archive.writestr("my-data/.DS_Store", b"\x00\x00\x00\x01Bud1")
        archive.writestr("my-data/notes.txt", b"not a table")
    dataset = load_upload("mine.zip", data)
    assert sorted(dataset.sites["site_id"]) == ["alpha", "bravo"]
    assert str(dataset.path) == "mine.zip"


def test_bundled_zip_loads_to_the_bundled_data() -> None:
    dataset = load_upload("bundled.zip", bundled_zip())
    bundled = load_dataset(DATA_DIR)
    assert dataset.sites["site_id"].tolist() == bundled.sites["site_id"].tolist()
    assert len(dataset.sources) == len(bundled.sources)


def test_not_csv_png_renamed_inside_the_zip(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    files["sites.csv"] = PNG
    found = problems("mine.zip", zipped(files))
    assert found == ["sites.csv, line 1: is not UTF-8 text (byte 0); save it as UTF-8 CSV"]


def test_wrong_encoding_cp1256_arabic_is_reported_with_its_line(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    text = files["sites.csv"].decode("utf-8")
    files["sites.csv"] = text.encode("cp1256")  # Arabic names in Windows Arabic, not UTF-8
    found = problems("mine.zip", zipped(files))
    assert len(found) == 1
    assert found[0].startswith("sites.csv, line 2: is not UTF-8 text")


def test_empty_upload_and_empty_table(tmp_path: Path) -> None:
    assert problems("mine.zip", b"") == ["mine.zip: is empty"]
    files = tiny_files(tmp_path)
    files["events.csv"] = b""
    assert problems("mine.zip", zipped(files)) == [
        "events.csv, line 1: is empty: it needs a header row"
    ]


def test_empty_zip_reports_every_table_missing() -> None:
    found = problems("mine.zip", zipped({}))
    tables = [resource["path"] for resource in load_schema()["resources"]]
    assert found == [f"{table}: file is missing" for table in tables]


def test_very_large_upload_is_refused_with_its_size_and_the_limit() -> None:
    data = b"PK\x03\x04" + b"\x00" * upload.MAX_UPLOAD_BYTES
    found = problems("huge.zip", data)
    assert len(found) == 1
    assert found[0].startswith("huge.zip: is 20.0 MB; the limit is 20 MB")


def test_missing_tables_are_named(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    del files["phases.csv"], files["movements.csv"]
    assert problems("mine.zip", zipped(files)) == [
        "phases.csv: file is missing",
        "movements.csv: file is missing",
    ]


def test_extra_columns_give_a_warning_and_still_load(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    lines = files["sites.csv"].decode("utf-8").splitlines()
    lines = [lines[0] + ",analyst_note", *(line + ",checked" for line in lines[1:])]
    files["sites.csv"] = ("\n".join(lines) + "\n").encode("utf-8")
    dataset = load_upload("mine.zip", zipped(files))
    assert dataset.warnings == ["sites.csv: extra columns ignored: analyst_note"]
    assert "analyst_note" not in dataset.sites.columns


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("sites", "name_en", '=HYPERLINK("http://x","Alpha")'),
        ("sites", "note", "+cmd|' /C calc'!A0"),
        ("events", "title", "@SUM(A1)"),
        ("events", "title", "-2+3"),
        ("sites", "lat", "=33.8"),  # "=" is refused even in a number field
        ("sites", "source_ids", "=src-a"),
    ],
)
def test_formula_cells_are_reported(tmp_path: Path, table: str, column: str, value: str) -> None:
    found = tiny_problems(tmp_path, table, 0, column, value)
    assert len(found) == 1, found
    assert found[0].startswith(f"{table}.csv, line 2, column {column}: ")
    assert "looks like a spreadsheet formula" in found[0]


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("sites", "note", "- checked against two maps"),
        ("sites", "note", "Alpha-Bravo road; +5 km"),
        ("sites", "name_en", "-5"),
        ("sites", "lon", "+42.4"),
        ("sites", "name_en", "@ the airport"),
    ],
)
def test_ordinary_values_with_signs_are_not_formulas(
    tmp_path: Path, table: str, column: str, value: str
) -> None:
    tables = tiny_tables()
    tables[table][0][column] = value
    dataset = load_upload("mine.zip", zipped(tiny_files(tmp_path, tables)))
    cell = dataset.table(table).loc[0, column]
    assert cell == (float(value) if column == "lon" else value)


def test_duplicate_ids(tmp_path: Path) -> None:
    found = tiny_problems(tmp_path, "events", 1, "event_id", "e1")
    assert found == ["events.csv, line 3, column event_id: duplicate id 'e1' (first on line 2)"]


def test_dangling_references(tmp_path: Path) -> None:
    found = tiny_problems(tmp_path, "movements", 0, "to_site_id", "charlie")
    assert found == ["movements.csv, line 2, column to_site_id: unknown sites id 'charlie'"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("25/08/2025", "'25/08/2025' is not a date"),
        ("2025-02-29", "day 29 does not exist"),
        ("August 2025", "is not a date"),
    ],
)
def test_unparseable_dates(tmp_path: Path, value: str, message: str) -> None:
    found = tiny_problems(tmp_path, "movements", 0, "date", value)
    assert len(found) == 1
    assert found[0].startswith("movements.csv, line 2, column date: ") and message in found[0]


def test_latitude_and_longitude_swapped(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["sites"][1].update(lat="44.0", lon="36.2")
    found = problems("mine.zip", zipped(tiny_files(tmp_path, tables)))
    assert found == [
        "sites.csv, line 3, column lat: lat 44.0, lon 36.2 is outside Iraq; "
        "are latitude and longitude swapped?"
    ]


def test_point_outside_its_country_without_a_swap_gives_the_box(tmp_path: Path) -> None:
    found = tiny_problems(tmp_path, "sites", 0, "lon", "12.5")
    assert found == [
        "sites.csv, line 2, column lat: lat 33.8, lon 12.5 is outside Iraq; "
        "expected lat 29.0 to 37.5, lon 38.5 to 48.7"
    ]


def test_latitude_out_of_range_and_unknown_countries(tmp_path: Path) -> None:
    found = tiny_problems(tmp_path, "sites", 0, "lat", "95")
    assert found == ["sites.csv, line 2, column lat: '95' is above the maximum 90"]
    tables = tiny_tables()
    # A country with no box is not checked; a listed one in another case is.
    tables["sites"][0].update(country="Atlantis", lat="-10", lon="-30")
    tables["sites"][1].update(country="KUWAIT")
    found = problems("mine.zip", zipped(tiny_files(tmp_path, tables)))
    assert found == [
        "sites.csv, line 3, column lat: lat 36.2, lon 44.0 is outside KUWAIT; "
        "expected lat 28.5 to 30.2, lon 46.5 to 48.6"
    ]


def test_zip_with_path_traversal_is_refused(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    for evil in ("../sites.csv", "/etc/sites.csv", "a/../../sites.csv", "C:\\sites.csv"):
        data = zipped({**files, evil: b"x"})
        assert problems("evil.zip", data) == [
            f"evil.zip: has an entry with an unsafe path: {evil!r}"
        ], evil


def test_zip_bomb_is_refused_before_extracting(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = zipped({"sites.csv": b"0" * (upload.MAX_UNCOMPRESSED_BYTES + 1)})
    assert len(bomb) < 1_000_000  # highly compressed: the upload limit alone would let it in
    opened: list[str] = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append("open"))
    found = problems("bomb.zip", bomb)
    assert found == ["bomb.zip: would unpack to 100 MB; the limit is 100 MB"]
    assert opened == []


def test_zip_that_lies_about_its_size_is_caught_while_reading(tmp_path: Path) -> None:
    data = bytearray(zipped({"sites.csv": b"a" * 5000}, ""))
    # Patch the declared uncompressed size (central directory, offset 24 of the entry) to 10.
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    found = problems("liar.zip", bytes(data))
    assert len(found) == 1 and found[0].startswith("liar.zip: entry 'sites.csv'")


def test_too_many_members_and_tables_in_two_folders(tmp_path: Path) -> None:
    many = zipped({f"n{n}.txt": b"" for n in range(upload.MAX_ZIP_MEMBERS + 1)})
    assert problems("many.zip", many) == [
        "many.zip: has 51 entries; a .zip file may have at most 50"
    ]
    files = tiny_files(tmp_path)
    split = zipped({("a/" if name < "m" else "b/") + name: data for name, data in files.items()})
    assert problems("split.zip", split) == [
        "split.zip: has CSV files in several folders (a, b); put all tables in one folder"
    ]


def test_corrupt_and_password_protected_zips(tmp_path: Path) -> None:
    good = zipped(tiny_files(tmp_path))
    found = problems("cut.zip", good[: len(good) // 2])
    assert len(found) == 1 and found[0].startswith("cut.zip: is not a valid .zip file")
    assert problems("pic.zip", PNG) == [
        "pic.zip: is not a .zip file (it does not start like a zip file)"
    ]
    # Python cannot write encrypted zips; setting the "encrypted" flag bit is what readers check.
    data = bytearray(good)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 0x1
            start = data.find(signature, start + 4)
    found = problems("locked.zip", bytes(data))
    assert len(found) == 1 and "is password-protected" in found[0]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel .xls"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
        ("sites.csv", b"site_id\n", "is a single CSV file"),
        ("photo.png", PNG, "is not a .zip of CSV tables or an .xlsx workbook"),
        ("broken.xlsx", b"PK\x03\x04garbage", "is not a valid .xlsx workbook"),
    ],
)
def test_other_files_are_refused_naming_the_file(name: str, data: bytes, expected: str) -> None:
    found = problems(name, data)
    assert len(found) == 1 and found[0].startswith(f"{name}: ") and expected in found[0], found


# --- workbooks --------------------------------------------------------------------------------


def workbook_from_dir(directory: Path, edit=None) -> bytes:
    """template_xlsx filled with the CSV tables of `directory` (numbers typed as numbers)."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    for resource in load_schema()["resources"]:
        sheet = book[resource["name"]]
        sheet.delete_rows(2, sheet.max_row)
        with (directory / resource["path"]).open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                texts = [record.get(spec["name"]) or "" for spec in resource["schema"]["fields"]]
                sheet.append(upload._typed_row(resource["schema"]["fields"], texts))
    if edit:
        edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_round_trip_of_the_bundled_data_gives_the_same_sites() -> None:
    dataset = load_upload("bundled.xlsx", workbook_from_dir(DATA_DIR))
    bundled = load_dataset(DATA_DIR)
    columns = ["site_id", "name_en", "name_ar", "lat", "lon", "country", "source_ids"]
    assert dataset.sites[columns].equals(bundled.sites[columns])
    assert dataset.troop_figures["value"].tolist() == bundled.troop_figures["value"].tolist()
    assert dataset.sources["quote_original"].tolist() == bundled.sources["quote_original"].tolist()


def test_templates_hold_headers_in_schema_order_and_load() -> None:
    with zipfile.ZipFile(io.BytesIO(template_zip())) as archive:
        for resource in load_schema()["resources"]:
            header = archive.read(resource["path"]).decode("utf-8").splitlines()[0]
            assert header == ",".join(f["name"] for f in resource["schema"]["fields"])
        assert "datapackage.json" in archive.namelist()
    for name, data in (("t.zip", template_zip()), ("t.xlsx", template_xlsx())):
        dataset = load_upload(name, data)
        assert len(dataset.site_status) == 1 and len(dataset.events) == 1
        assert set(dataset.sites["site_id"]) <= set(load_dataset(DATA_DIR).sites["site_id"])


def test_xlsx_dates_numbers_and_formula_cells(tiny_dir: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        book["events"]["B2"] = dt.datetime(2011, 12, 18)  # a real Excel date cell
        book["sites"]["B3"] = '=A2&" Camp"'  # a formula: reported, never evaluated
        book.create_sheet("read me")["A1"] = "analyst's notes, ignored"

    data = workbook_from_dir(tiny_dir, edit)
    found = problems("mine.xlsx", data)
    assert found == [
        "mine.xlsx, sheet sites, line 3, column name_en: '=A2&\" Camp\"' looks like a "
        "spreadsheet formula; a cell may not start with '=', or with '+', '-' or '@' followed "
        "by a name, '(' or a calculation"
    ]
    files = read_upload("mine.xlsx", workbook_from_dir(tiny_dir, edit))
    assert b"e1,2011-12-18,withdrawal" in files["events.csv"]
    assert b"alpha,Alpha Base,\xd9\x82" in files["sites.csv"]
    assert b",33.8,42.4," in files["sites.csv"] and b",170000," in files["troop_figures.csv"]


def test_xlsx_rows_are_sheet_rows_even_with_line_breaks_in_cells(tiny_dir: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        book["sources"]["H2"] = "first line\nsecond line\nthird"
        book["sites"]["I3"] = "castle"  # location_precision, row 3

    found = problems("mine.xlsx", workbook_from_dir(tiny_dir, edit))
    assert len(found) == 1
    assert found[0].startswith("mine.xlsx, sheet sites, line 3, column location_precision:")

    # A multi-line cell shifts CSV lines; the problem below it must still name sheet row 3.
    def edit_sources(book: openpyxl.Workbook) -> None:
        book["sources"]["H2"] = "first line\nsecond line\nthird"
        book["sources"]["E3"] = "xx"  # language, row 3

    found = problems("mine.xlsx", workbook_from_dir(tiny_dir, edit_sources))
    assert found == [
        "mine.xlsx, sheet sources, line 3, column language: 'xx' is not one of: ar, fa, ku, en, fr, de, tr, es, it"
    ]


def test_xlsx_missing_sheet_is_named(tiny_dir: Path) -> None:
    data = workbook_from_dir(tiny_dir, lambda book: book.remove(book["phases"]))
    assert problems("mine.xlsx", data) == ["mine.xlsx: has no sheet named 'phases'"]


def test_xlsx_zip_bomb_is_refused(monkeypatch: pytest.MonkeyPatch, tiny_dir: Path) -> None:
    monkeypatch.setattr(upload, "MAX_UNCOMPRESSED_BYTES", 1000)
    found = problems("mine.xlsx", workbook_from_dir(tiny_dir))
    assert len(found) == 1 and found[0].startswith("mine.xlsx: would unpack to")
