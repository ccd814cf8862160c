"""Turns an analyst's upload (a .zip of the CSV tables or an .xlsx workbook) into a validated Dataset, and builds templates."""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import posixpath
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from components.dataset import (
    DATA_DIR,
    MAX_TABLE_CELLS,
    MAX_TABLE_ROWS,
    SCHEMA_PATH,
    Dataset,
    DatasetError,
    Problem,
    UnreadableFile,
    field_kind,
    load_dataset_from_bytes,
    load_schema,
    read_regular_file,
)

# An upload larger than this is refused before it is opened (Streamlit holds it in memory).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Zip bombs: the sizes a zip declares are summed and checked before anything is decompressed.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# A dataset is seven tables; a zip with many more entries is not one, and each entry costs work.
MAX_ZIP_MEMBERS = 50
# An .xlsx is itself a zip of many XML parts (styles, themes, one per sheet), so it gets more room.
MAX_XLSX_MEMBERS = 200
# A sheet is read at most this wide and long: the schema has at most 15 columns, and a table at
# most MAX_TABLE_ROWS rows below its header. Sheets are streamed row by row as their XML holds
# them, so a single cell at row 1,048,576 costs one row's work and is refused at once.
MAX_SHEET_COLUMNS = 100
MAX_SHEET_ROWS = MAX_TABLE_ROWS + 1
# A workbook keeps its text in one shared table that openpyxl reads whole before any sheet, used
# by cells or not: 95 MB of it took 44 s and more memory than a 300 MB cap allowed. Its size as
# the zip declares it bounds what is unpacked (zipfile stops there), so it is checked first.
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
# Old binary Excel files (.xls) and password-protected .xlsx files are both OLE2 compound files.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_upload(name: str, data: bytes) -> dict[str, bytes]:
    """{table file name: CSV bytes} from an uploaded .zip or .xlsx; raises DatasetError if unusable."""
    check_upload_size(name, len(data))
    if not data:
        _refuse(name, "is empty")
    suffix = Path(name).suffix.lower()
    if suffix == ".xls" or data.startswith(OLE2_MAGIC):
        if suffix == ".xls":
            _refuse(name, "is an old Excel .xls workbook; save it as .xlsx (Excel Workbook)")
        _refuse(
            name,
            "is a password-protected workbook or an old .xls file; remove the password and "
            "save it as .xlsx",
        )
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(name, data)
    if suffix == ".zip":
        return _read_zip(name, data)
    if suffix == ".csv":
        _refuse(name, "is a single CSV file; upload a .zip holding all the tables")
    _refuse(name, "is not a .zip of CSV tables or an .xlsx workbook")


def load_upload(name: str, data: bytes) -> Dataset:
    """Reads and validates an upload; problems in a workbook name its sheet and row."""
    files = read_upload(name, data)
    try:
        return load_dataset_from_bytes(files, origin=name)
    except DatasetError as error:
        if Path(name).suffix.lower() not in (".xlsx", ".xlsm"):
            raise
        starts: dict[str, list[int]] = {}  # each sheet's record starts, worked out once
        counts = Counter(
            {(_sheet_place(name, file), column): n for (file, column), n in error.counts.items()}
        )
        raise DatasetError(
            [_in_workbook(name, files, p, starts) for p in error.problems], counts
        ) from None


def load_upload_file(path: str | Path) -> Dataset:
    """load_upload for a file on disk (the validate command), refusing an oversized one unread."""
    path = Path(path)
    try:
        data = read_regular_file(path, MAX_UPLOAD_BYTES)
    except UnreadableFile as error:
        if error.size is not None:
            check_upload_size(path.name, error.size)  # says it in megabytes, with what to do
        _refuse(path.name, str(error))
    return load_upload(path.name, data)


def check_upload_size(name: str, size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        _refuse(
            name,
            f"is {size / 1_048_576:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1_048_576:.0f} MB "
            "(split the data, or load a directory with FOOTPRINT_DATA_DIR)",
        )


def _refuse(name: str, message: str) -> NoReturn:
    raise DatasetError([Problem(name, None, None, message)])


def _table_files() -> list[str]:
    return [resource["path"] for resource in load_schema()["resources"]]


def _open_zip(name: str, data: bytes, max_members: int, kind: str) -> zipfile.ZipFile:
    """Opens a zip after checking, from its directory alone, that extracting it is safe."""
    if not (data.startswith(ZIP_MAGIC) or data.startswith(EMPTY_ZIP_MAGIC)):
        _refuse(name, f"is not a {kind} (it does not start like a zip file)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        _refuse(name, f"is not a valid {kind} ({error})")
    if len(members) > max_members:
        _refuse(name, f"has {len(members)} entries; a {kind} may have at most {max_members}")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        _refuse(
            name,
            f"would unpack to {total / 1_048_576:.0f} MB; the limit is "
            f"{MAX_UNCOMPRESSED_BYTES / 1_048_576:.0f} MB",
        )
    for member in members:
        if member.flag_bits & 0x1:
            _refuse(
                name, f"is password-protected ({member.filename}); upload it without a password"
            )
        if not _safe_member_name(member.filename):
            _refuse(name, f"has an entry with an unsafe path: {member.filename!r}")
    return archive


def _safe_member_name(member: str) -> bool:
    """No absolute path, drive letter or '..' part: names must stay inside the archive."""
    unified = member.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        return False
    return ".." not in unified.split("/")


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> bytes:
    # The declared size was checked; reading one byte more catches an entry that lies about it.
    try:
        with archive.open(member) as handle:
            content = handle.read(member.file_size + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        _refuse(name, f"entry {member.filename!r} cannot be unpacked ({error})")
    if len(content) > member.file_size:
        _refuse(name, f"entry {member.filename!r} is larger than the zip says")
    return content


def _read_zip(name: str, data: bytes) -> dict[str, bytes]:
    archive = _open_zip(name, data, MAX_ZIP_MEMBERS, ".zip file")
    tables: dict[str, zipfile.ZipInfo] = {}
    folders: set[str] = set()
    for member in archive.infolist():
        parts = member.filename.replace("\\", "/").split("/")
        # Finder adds __MACOSX/ and ._ files, other tools .DS_Store and the like: not tables.
        if member.is_dir() or "__MACOSX" in parts or any(p.startswith(".") for p in parts if p):
            continue
        base = parts[-1].lower()
        if not base.endswith(".csv"):
            continue  # a README or datapackage.json beside the tables is fine
        folder = posixpath.dirname("/".join(parts))
        folders.add(folder)
        if base in tables:
            _refuse(name, f"holds {base} twice ({tables[base].filename}, {member.filename})")
        tables[base] = member
    if len(folders) > 1:
        shown = ", ".join(sorted(f or "(top level)" for f in folders))
        _refuse(name, f"has CSV files in several folders ({shown}); put all tables in one folder")
    # Only the schema's tables are unpacked; other CSV files are left alone.
    return {
        base: _read_member(archive, member, name)
        for base, member in tables.items()
        if base in _table_files()
    }


def _read_xlsx(name: str, data: bytes) -> dict[str, bytes]:
    import openpyxl  # only needed for workbooks; keeps importing this module cheap

    archive = _open_zip(name, data, MAX_XLSX_MEMBERS, ".xlsx workbook")
    for member in archive.infolist():
        if member.filename.lower().endswith("sharedstrings.xml"):
            if member.file_size > MAX_SHARED_STRINGS_BYTES:
                _refuse(
                    name,
                    f"holds {member.file_size / 1_048_576:.0f} MB of text; the limit is "
                    f"{MAX_SHARED_STRINGS_BYTES / 1_048_576:.0f} MB (split the data, or upload "
                    "a .zip of CSV tables)",
                )
    try:
        # read_only streams rows; data_only=False keeps formulas as "=..." text, never evaluated,
        # so the loader can report them.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (
        Exception
    ) as error:  # openpyxl raises many kinds on a damaged file; all mean "unreadable"
        _refuse(name, f"is not a readable .xlsx workbook ({type(error).__name__}: {error})")
    wanted = {path.removesuffix(".csv"): path for path in _table_files()}
    files: dict[str, bytes] = {}
    try:
        for sheet in book.worksheets:
            key = sheet.title.strip().lower().removesuffix(".csv")
            if key not in wanted:
                continue  # a notes or instructions sheet is allowed
            if wanted[key] in files:
                _refuse(name, f"has two sheets for the table {key}")
            files[wanted[key]] = _sheet_csv(name, sheet)
    except DatasetError:
        raise
    except Exception as error:
        _refuse(name, f"is not a readable .xlsx workbook ({type(error).__name__}: {error})")
    finally:
        book.close()
    return files


def _sheet_cells(sheet: Any) -> Iterator[tuple[int, dict[int, Any]]]:
    """(row number, {column number: value}) for each row the sheet's XML holds, in order.

    openpyxl's iter_rows pads the gaps between stored rows with empty ones (499,998 of them
    before a lone cell at row 499,999) and cuts each row at a fixed width, silently dropping the
    cells past it; its sheet parser yields only the stored rows, with every cell's column.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            values = {cell["column"]: cell["value"] for cell in cells if cell["value"] is not None}
            if values:
                yield number, values


def _sheet_csv(name: str, sheet: Any) -> bytes:
    """One sheet as CSV text, one record per sheet row (blank rows kept) so row numbers match."""
    rows: dict[int, list[str]] = {}
    cells = 0
    for number, values in _sheet_cells(sheet):
        cells += len(values)
        if cells > MAX_TABLE_CELLS:
            _refuse(
                name,
                f"sheet {sheet.title} has more than {MAX_TABLE_CELLS:,} filled cells (row "
                f"{number:,}); the limit is {MAX_TABLE_CELLS:,}",
            )
        if number > MAX_SHEET_ROWS:
            _refuse(
                name,
                f"sheet {sheet.title} has a cell in row {number:,}; a sheet may have at most "
                f"{MAX_SHEET_ROWS:,} rows",
            )
        wide = [column for column in values if column > MAX_SHEET_COLUMNS]
        if wide:
            _refuse(
                name,
                f"sheet {sheet.title} has a cell in column {max(wide):,} (row {number:,}); a "
                f"sheet may have at most {MAX_SHEET_COLUMNS} columns",
            )
        texts = [""] * max(values)
        for column, value in values.items():
            texts[column - 1] = _cell_text(value)
        if any(texts):
            rows[number] = texts
    # Cells past the header's last filled column are dropped, so empty formatted columns do not
    # count as extra cells; a row with data beyond the header still shows as ragged.
    header = rows.get(1, [])
    width = max((i + 1 for i, text in enumerate(header) if text), default=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    last = 0
    for number, texts in rows.items():
        out.write("\n" * (number - last - 1))  # blank sheet rows, so CSV records stay sheet rows
        writer.writerow(_trim(texts, width))
        last = number
    return out.getvalue().encode("utf-8")


def _trim(row: list[str], width: int) -> list[str]:
    last = max((i + 1 for i, text in enumerate(row) if text), default=0)
    row = row[: max(width, last)]
    return row + [""] * (width - len(row))


def _cell_text(value: Any) -> str:
    """A cell's value as the text a CSV would hold; dates as ISO, numbers unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        # A date cell has midnight as its time; any other time is kept so the loader reports it.
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # Excel stores every number as a float: 170000.0 is 170000
    return str(value)


def _sheet_place(name: str, file: str) -> str:
    return f"{name}, sheet {file.removesuffix('.csv')}"


def _in_workbook(
    name: str, files: dict[str, bytes], problem: Problem, starts: dict[str, list[int]]
) -> Problem:
    """A problem found in a sheet's CSV, re-addressed to the workbook's sheet and row."""
    sheet = problem.file.removesuffix(".csv")
    if problem.message == "file is missing":
        return Problem(name, None, None, f"has no sheet named {sheet!r}")
    line = problem.line
    raw = files.get(problem.file)
    if line is not None and raw is not None:
        # Sheet row n is CSV record n, which starts on a later line when cells hold line breaks.
        if problem.file not in starts:
            reader = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))
            found, last = [], 0
            for _ in reader:
                found.append(last + 1)
                last = reader.line_num
            starts[problem.file] = found
        record = bisect.bisect_left(starts[problem.file], line)
        if record < len(starts[problem.file]) and starts[problem.file][record] == line:
            line = record + 1
    return Problem(_sheet_place(name, problem.file), line, problem.column, problem.message)


def _example_rows() -> dict[str, tuple[list[str], list[list[str]]]]:
    """{file name: (header, example rows)} from the bundled data, closed under references.

    One row per table, chosen with as few references as possible, plus the site and source rows
    those rows cite, so that the template itself validates and shows real, sourced examples.
    """
    schema = load_schema()
    bundled: dict[str, list[dict[str, str]]] = {}
    for resource in schema["resources"]:
        with (DATA_DIR / resource["path"]).open(encoding="utf-8-sig", newline="") as handle:
            bundled[resource["name"]] = list(csv.DictReader(handle))
    chosen: dict[str, list[dict[str, str]]] = {}
    sites: set[str] = set()
    sources: set[str] = set()

    def ids(cell: str | None) -> set[str]:
        return {item.strip() for item in (cell or "").split(";") if item.strip()}

    def needs(row: dict[str, str]) -> tuple[set[str], set[str]]:
        site_refs = ids(row.get("site_id")) | ids(row.get("site_ids"))
        site_refs |= ids(row.get("from_site_id")) | ids(row.get("to_site_id"))
        return site_refs, ids(row.get("source_ids"))

    for name in ("movements", "site_status", "troop_figures", "events", "phases"):
        rows = bundled[name]
        if not rows:
            chosen[name] = []
            continue
        # Fewest new references first; a tie keeps the earlier row, so the choice is stable.
        best = min(rows, key=lambda r: len(needs(r)[0] - sites) * 3 + len(needs(r)[1] - sources))
        site_refs, source_refs = needs(best)
        sites |= site_refs
        sources |= source_refs
        chosen[name] = [best]
    site_rows = [row for row in bundled["sites"] if row["site_id"] in sites] or bundled["sites"][:1]
    for row in site_rows:
        sources |= needs(row)[1]
    chosen["sites"] = site_rows
    chosen["sources"] = [row for row in bundled["sources"] if row["source_id"] in sources]
    examples = {}
    for resource in schema["resources"]:
        header = [spec["name"] for spec in resource["schema"]["fields"]]
        rows = [[row.get(column) or "" for column in header] for row in chosen[resource["name"]]]
        examples[resource["path"]] = (header, rows)
    return examples


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def template_zip() -> bytes:
    """A .zip with one CSV per table (header, example rows) and the schema and rules that document it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, (header, rows) in _example_rows().items():
            archive.writestr(path, _csv_bytes([header, *rows]))
        archive.writestr("datapackage.json", SCHEMA_PATH.read_bytes())
        archive.writestr("README.md", (DATA_DIR / "README.md").read_bytes())
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """A workbook with one sheet per table: header, example rows, text-formatted date columns."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    examples = _example_rows()
    for resource in load_schema()["resources"]:
        header, rows = examples[resource["path"]]
        sheet = book.create_sheet(resource["name"])
        sheet.append(header)
        for example in rows:
            sheet.append(_typed_row(resource["schema"]["fields"], example))
        for index, spec in enumerate(resource["schema"]["fields"], start=1):
            if field_kind(spec) != "partial-date":
                continue
            # Excel turns a typed "2011-12" into a day date, losing the month precision; cells
            # formatted as text keep what is typed, so the first rows of date columns are text.
            for row_number in range(2, 502):
                sheet.cell(row=row_number, column=index).number_format = "@"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _typed_row(fields: list[dict[str, Any]], texts: list[str]) -> list[Any]:
    """Numbers as numbers, so a sheet looks like what an analyst types; all else as text."""
    row: list[Any] = []
    for spec, text in zip(fields, texts):
        if text and spec["type"] == "integer":
            row.append(int(text))
        elif text and spec["type"] == "number":
            row.append(float(text))
        else:
            row.append(text)
    return row


def bundled_zip() -> bytes:
    """The bundled data as a .zip in the upload format, to start from or compare with."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _table_files():
            archive.writestr(path, (DATA_DIR / path).read_bytes())
        archive.writestr("datapackage.json", SCHEMA_PATH.read_bytes())
        archive.writestr("README.md", (DATA_DIR / "README.md").read_bytes())
    return buffer.getvalue()
