"""Loads the footprint tables from a data directory and validates them against data/datapackage.json."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from components.dates import parse_partial_date

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCHEMA_PATH = DATA_DIR / "datapackage.json"
LIST_SEPARATOR = ";"
# A table larger than this is refused before parsing, so a hostile file cannot exhaust memory.
MAX_FILE_BYTES = 50 * 1024 * 1024
# Work and memory follow rows and cells, not bytes: a few kilobytes of zip can unpack to
# millions of blank lines or empty cells. A table may have at most this many rows after its
# header (blank ones included, though they are not kept) and this many cells in all; reading
# stops at the first row past either limit. Ten thousand sites with ten events each fit.
MAX_TABLE_ROWS = 200_000
MAX_TABLE_CELLS = 2_000_000
# What a spreadsheet writes in a cell whose formula failed. Exported to CSV it looks like text,
# so "#DIV/0!" would pass as a site's name; it is refused wherever it appears.
SPREADSHEET_ERRORS = frozenset(
    {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    }
)  # fmt: skip
# Invisible characters that change how text reads without showing: bidirectional embeddings,
# overrides and isolates (a right-to-left override makes "cod.exe" show as "exe.doc") and
# zero-width spaces and joiners that make two names look the same. The zero-width (non-)joiner
# and the left-to-right and right-to-left marks stay allowed: Persian, Kurdish and Arabic
# spelling uses them.
HIDDEN_CHARACTERS = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
# Whole numbers (troop figures) above this are refused: no count is that large, and a value such
# as 1e300 would overflow the page's 64-bit columns and chart.
MAX_INTEGER = 10**12
# One physical line longer than this is not a table row (a cell is at most 131,072 characters,
# csv's own limit); refusing it before parsing bounds the cells one record can hold.
MAX_LINE_CHARS = 1_000_000
# Fields named here are read as the last day of their span (an end "2011-12" means 31 Dec 2011).
END_FIELDS = frozenset({"end"})
# A spreadsheet evaluates a cell starting with "=" and, for "+", "-" or "@" followed by a name or
# "(" or by a number and an operator, also treats it as a formula. Such a cell would be changed
# (or run: "+cmd|' /C calc'!A0") when an analyst opens our data in Excel, so it is refused.
# Plain negative numbers ("-3"), a "- " bullet and text with a dash further in are not formulas.
FORMULA_START = re.compile(r"=|[+\-@][A-Za-z_(]|[+\-][0-9][0-9.,]*[-+*/^&]")
# Rough bounding boxes (lat_min, lat_max, lon_min, lon_max) of the countries the record deals
# with, slightly generous at the borders. A site outside its country's box usually has latitude and
# longitude swapped or mistyped; a country not listed here is not checked.
COUNTRY_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "iraq": (29.0, 37.5, 38.5, 48.7),
    "kuwait": (28.5, 30.2, 46.5, 48.6),
    "syria": (32.3, 37.4, 35.6, 42.4),
    "jordan": (29.1, 33.4, 34.9, 39.4),
    "turkey": (35.8, 42.2, 25.6, 44.9),
    "türkiye": (35.8, 42.2, 25.6, 44.9),
    "iran": (25.0, 39.8, 44.0, 63.4),
    "saudi arabia": (16.3, 32.2, 34.5, 55.7),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located as precisely as it can be."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


# A file with a problem on every one of 200,000 rows would otherwise give a report of tens of
# megabytes: the first this many problems of each file are kept in full, the rest only counted.
MAX_PROBLEMS_PER_FILE = 1_000


def problem_kind(problem: Problem) -> tuple[str, str]:
    """What problems are counted by: their file and column ("" for the whole row or file)."""
    return problem.file, problem.column or ""


class ProblemLog(list):
    """The problems found, as a list: the first MAX_PROBLEMS_PER_FILE of each file kept, every
    one counted by kind (file and column) in `counts`."""

    def __init__(self, problems: Iterable[Problem] = ()):
        super().__init__()
        self.counts: Counter[tuple[str, str]] = Counter()
        self.kept: Counter[str] = Counter()
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        self.counts[problem_kind(problem)] += 1
        if self.kept[problem.file] < MAX_PROBLEMS_PER_FILE:
            self.kept[problem.file] += 1
            super().append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def count_more(self, file: str, column: str | None, count: int) -> None:
        """Counts problems that were not even made into messages (past the per-file limit)."""
        if count > 0:
            self.counts[(file, column or "")] += count


class DatasetError(Exception):
    """Raised for any bad data; the message lists the problems by file, line and column.

    `problems` holds the first MAX_PROBLEMS_PER_FILE of each file; `counts` counts all of them
    by file and column, and `total` is their number.
    """

    def __init__(self, problems: Iterable[Problem], counts: Counter[tuple[str, str]] | None = None):
        log = problems if isinstance(problems, ProblemLog) else ProblemLog(problems)
        self.problems = list(log)
        self.counts = Counter(counts if counts is not None else log.counts)
        self.total = sum(self.counts.values())
        count = self.total
        header = f"The dataset has {count:,} problem{'s' if count != 1 else ''}:"
        lines = [header, *(f"- {p}" for p in self.problems)]
        if count > len(self.problems):
            lines.append(f"- ... and {count - len(self.problems):,} more, not listed")
        super().__init__("\n".join(lines))


# Compared by identity (eq=False), so derived values can be kept per dataset (components/derived.py).
@dataclass(eq=False)
class Dataset:
    """The validated tables. Partial-date columns are expanded into *_first, *_last and *_precision."""

    path: Path
    sources: pd.DataFrame
    sites: pd.DataFrame
    site_status: pd.DataFrame
    troop_figures: pd.DataFrame
    events: pd.DataFrame
    phases: pd.DataFrame
    movements: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


def load_schema() -> dict[str, Any]:
    """The project's single schema (the loader always validates against this one)."""
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def resources_by_name(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {resource["name"]: resource for resource in schema["resources"]}


class UnreadableFile(ValueError):
    """A path that is not a regular file of a readable size; the message says which."""

    def __init__(self, message: str, size: int | None = None):
        super().__init__(message)
        self.size = size  # the file's size when that is what is wrong


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Checked before reading: a FIFO would block for ever, /dev/zero never end and a 2 GB file
    fill memory. The file is opened without blocking and checked through the open handle, so a
    path swapped for a pipe after a check cannot block the read either.
    """
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("is not a regular file (a pipe, a device or a folder)")
        if info.st_size > limit:
            raise UnreadableFile(f"is {info.st_size:,} bytes; the limit is {limit:,}", info.st_size)
        with os.fdopen(os.dup(handle), "rb") as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(handle)
    if len(data) > limit:  # it grew while being read
        raise UnreadableFile(f"is more than {limit:,} bytes; the limit is {limit:,}", len(data))
    return data


def load_dataset(path: str | Path | None = None) -> Dataset:
    """Reads every table in `path` (default: the bundled data/), validates it, raises DatasetError."""
    directory = Path(path) if path is not None else DATA_DIR
    if not directory.is_dir():
        raise DatasetError([Problem(str(directory), None, None, "is not a directory")])
    files = {}
    problems = ProblemLog()
    for resource in load_schema()["resources"]:
        file_path = directory / resource["path"]
        try:
            files[resource["path"]] = read_regular_file(file_path, MAX_FILE_BYTES)
        except FileNotFoundError:
            problems.append(Problem(resource["path"], None, None, "file is missing"))
        except UnreadableFile as error:
            problems.append(Problem(resource["path"], None, None, str(error)))
        except OSError as error:
            problems.append(
                Problem(resource["path"], None, None, f"cannot be read ({error.strerror})")
            )
    if problems:
        raise DatasetError(problems)
    return load_dataset_from_bytes(files, directory)


def load_dataset_from_bytes(files: dict[str, bytes], origin: Path | str = "upload") -> Dataset:
    """Validates tables given as {file name: raw bytes}: the same rules whatever they came from."""
    schema = load_schema()
    problems = ProblemLog()
    warnings: list[str] = []
    tables: dict[str, pd.DataFrame] = {}
    for resource in schema["resources"]:
        raw = files.get(resource["path"])
        if raw is None:
            problems.append(Problem(resource["path"], None, None, "file is missing"))
            continue
        table = _read_table(resource, raw, problems, warnings)
        if table is not None:
            tables[resource["name"]] = table
    if not problems:
        _check_keys(schema, tables, problems)
        _check_rules(tables, problems)
    if problems:
        raise DatasetError(problems)
    return Dataset(path=Path(origin), warnings=warnings, **tables)


def _read_table(
    resource: dict[str, Any], raw: bytes, problems: ProblemLog, warnings: list[str]
) -> pd.DataFrame | None:
    name = resource["path"]
    if len(raw) > MAX_FILE_BYTES:
        problems.append(
            Problem(name, None, None, f"is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(
            Problem(
                name, line, None, f"is not UTF-8 text (byte {error.start}); save it as UTF-8 CSV"
            )
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(
            Problem(name, line, None, "contains a NUL byte; this is not a CSV text file")
        )
        return None
    del text  # checked; the reader decodes the bytes again line by line
    records, record_lines = _read_records(name, raw, problems)
    if records is None:
        return None
    if not records or not any(cell.strip() for cell in records[0]):
        problems.append(Problem(name, 1, None, "is empty: it needs a header row"))
        return None
    fields = resource["schema"]["fields"]
    header = [cell.strip() for cell in records[0]]
    expected = [f["name"] for f in fields]
    before = len(problems)
    for column in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(name, 1, column, "column appears more than once"))
    # A column the schema does not require may be left out (tables made before it was added keep
    # loading); it reads as empty, and a warning says so.
    optional = {f["name"] for f in fields if not f.get("constraints", {}).get("required")}
    for column in expected:
        if column not in header and column not in optional:
            problems.append(Problem(name, 1, column, "required column is missing"))
    absent = [c for c in expected if c not in header and c in optional]
    if absent:
        warnings.append(f"{name}: missing optional columns read as empty: {', '.join(absent)}")
    extra = [c for c in header if c not in expected]
    if extra:
        warnings.append(f"{name}: extra columns ignored: {', '.join(extra)}")
    if len(problems) > before:
        return None
    # An absent optional column reads from position -1: a cell every record is given below.
    positions = [header.index(column) if column in header else -1 for column in expected]
    kept: list[list[str]] = []
    kept_lines: list[int] = []
    # Problems are keyed by (record, field) and sorted at the end, so they come out row by row
    # although the cells are converted column by column.
    found: list[tuple[int, int, Problem]] = []
    ragged = 0
    for record, line in zip(records[1:], record_lines[1:]):
        if len(record) != len(header):
            ragged += 1
            if ragged <= MAX_PROBLEMS_PER_FILE:
                message = f"has {len(record)} cells; the header has {len(header)}"
                found.append((line, -1, Problem(name, line, None, message)))
            continue
        kept.append([*record, ""] if absent else record)
        kept_lines.append(line)
    columns: dict[str, list[Any]] = {"line_no": kept_lines}
    line_numbers = np.asarray(kept_lines, dtype=np.int64)
    for index, (spec, position) in enumerate(zip(fields, positions)):
        # Tables repeat values (enums, referenced ids, dates), so each distinct text of a column
        # is converted once and spread to its rows with numpy: ten thousand sites and a hundred
        # thousand events load several times faster than converting cell by cell, with the same
        # code and so the same messages.
        texts = [record[position].strip() for record in kept]
        codes, uniques = pd.factorize(np.asarray(texts, dtype=object), sort=False)
        results = [_convert_cell(spec, text) for text in uniques]
        failed = np.array([message is not None for _, message in results], dtype=bool)
        # One pass over the failing rows, however many distinct bad values there are.
        failing = np.flatnonzero(failed[codes]) if len(codes) else np.empty(0, dtype=np.int64)
        # Past the per-file limit the rows are only counted: no message is made for them.
        problems.count_more(name, spec["name"], len(failing) - MAX_PROBLEMS_PER_FILE)
        for row in failing[:MAX_PROBLEMS_PER_FILE]:
            line = int(line_numbers[row])
            message = results[codes[row]][1]
            found.append((line, index, Problem(name, line, spec["name"], message)))
        for k, output in enumerate(_output_columns([spec])):
            distinct = np.empty(len(results), dtype=object)
            for unique, (values, _) in enumerate(results):
                distinct[unique] = values[k]  # item by item: a tuple must stay one cell
            # Back to a list, so pandas infers each column's type as it did from rows.
            columns[output] = distinct[codes].tolist()
    problems.count_more(name, None, ragged - MAX_PROBLEMS_PER_FILE)
    found.sort(key=lambda item: (item[0], item[1]))
    problems.extend(problem for _, _, problem in found)
    all_columns = ["line_no", *_output_columns(fields)]
    if not kept:
        return _empty_table(fields, all_columns)
    return pd.DataFrame(columns, columns=all_columns)


def _empty_table(fields: list[dict[str, Any]], all_columns: list[str]) -> pd.DataFrame:
    """A header-only table with the column types a filled one gets, so date and number queries
    on it find nothing instead of failing (an empty column would otherwise hold objects)."""
    types: dict[str, str] = {"line_no": "int64"}
    for spec in fields:
        if field_kind(spec) == "partial-date":
            types[f"{spec['name']}_first"] = types[f"{spec['name']}_last"] = "datetime64[s]"
        elif spec["type"] == "number":
            types[spec["name"]] = "float64"
        elif spec["type"] == "integer":
            required = spec.get("constraints", {}).get("required")
            types[spec["name"]] = "int64" if required else "float64"
    return pd.DataFrame({c: pd.Series([], dtype=types.get(c, object)) for c in all_columns})


class _LongLine(Exception):
    """A physical line over MAX_LINE_CHARS: reading stops there."""


def _lines(raw: bytes) -> Iterator[str]:
    """The text's physical lines, as open(newline="") gives them, each checked for length first."""
    for line in io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline=""):
        if len(line) > MAX_LINE_CHARS:
            raise _LongLine
        yield line


def _read_records(
    name: str, raw: bytes, problems: list[Problem]
) -> tuple[list[list[str]] | None, list[int]]:
    """The header and every non-blank record with its first line; None after a problem.

    Blank records are counted but not kept, and reading stops at the first record past
    MAX_TABLE_ROWS or MAX_TABLE_CELLS, so memory follows what the table really holds.
    """
    records: list[list[str]] = []
    record_lines: list[int] = []
    reader = csv.reader(_lines(raw), strict=True)
    last_line = 0
    rows = cells = 0
    try:
        for record in reader:
            line = last_line + 1
            last_line = reader.line_num
            if records:
                rows += 1
                if rows > MAX_TABLE_ROWS:
                    message = (
                        f"has more than {MAX_TABLE_ROWS:,} rows (blank ones included); "
                        f"the limit is {MAX_TABLE_ROWS:,}"
                    )
                    problems.append(Problem(name, line, None, message))
                    return None, []
                if not "".join(record).strip():
                    continue  # blank lines are harmless
            cells += len(record)
            if cells > MAX_TABLE_CELLS:
                message = (
                    f"has more than {MAX_TABLE_CELLS:,} cells; the limit is {MAX_TABLE_CELLS:,}"
                )
                problems.append(Problem(name, line, None, message))
                return None, []
            records.append(record)
            record_lines.append(line)
    except _LongLine:
        message = f"has a line longer than {MAX_LINE_CHARS:,} characters; this is not a table row"
        problems.append(Problem(name, reader.line_num + 1, None, message))
        return None, []
    except csv.Error as error:
        problems.append(Problem(name, reader.line_num, None, f"is not valid CSV ({error})"))
        return None, []
    return records, record_lines


def field_kind(spec: dict[str, Any]) -> str:
    """How the loader reads a schema field: 'partial-date' (a string marked "x-partial-date"),
    'list' (a Frictionless list), or the field's own type."""
    if spec.get("x-partial-date"):
        return "partial-date"
    return str(spec["type"])


def _output_columns(fields: list[dict[str, Any]]) -> list[str]:
    columns = []
    for spec in fields:
        columns.append(spec["name"])
        if field_kind(spec) == "partial-date":
            columns += [
                f"{spec['name']}_first",
                f"{spec['name']}_last",
                f"{spec['name']}_precision",
            ]
    return columns


def _convert_cell(spec: dict[str, Any], text: str) -> tuple[tuple[Any, ...], str | None]:
    """Converts one stripped cell by its field spec: (values for its output columns, problem or None).

    On a problem the values are empty ones (None, or () for a list), so the table keeps its shape.
    """
    constraints = spec.get("constraints", {})
    fmt = field_kind(spec)
    if fmt == "partial-date":
        empty: tuple[Any, ...] = (None, None, None, None)
    elif fmt == "list":
        empty = ((),)
    else:
        empty = (None,)
    if text == "":
        return empty, ("is required but empty" if constraints.get("required") else None)
    if text.upper() in SPREADSHEET_ERRORS:
        return empty, (
            f"{_show(text)} is a spreadsheet error value (its formula failed); type the value "
            "itself"
        )
    hidden = HIDDEN_CHARACTERS.search(text)
    if hidden:
        code = ord(hidden.group())
        name = unicodedata.name(hidden.group(), "invisible character")
        return empty, (
            f"{_show(text)} holds an invisible character, U+{code:04X} {name}, at position "
            f"{hidden.start() + 1}; remove it"
        )
    # "=" is refused in every field (even where it would fail as a number anyway, this message says
    # why); "+", "-" and "@" only in text fields, where a number such as "-3" is not expected.
    if text.startswith("=") or (fmt in ("string", "list") and FORMULA_START.match(text)):
        return empty, (
            f"{_show(text)} looks like a spreadsheet formula; a cell may not start with '=', "
            "or with '+', '-' or '@' followed by a name, '(' or a calculation"
        )
    if fmt == "list":
        items = tuple(item.strip() for item in text.split(LIST_SEPARATOR) if item.strip())
        if not items and constraints.get("required"):
            return empty, "is required but lists nothing"
        # Frictionless checks an enum against the whole list; the items' vocabulary is ours.
        allowed_items = spec.get("x-item-enum")
        if allowed_items is not None:
            unknown = [item for item in items if item not in allowed_items]
            if unknown:
                return empty, f"{_show(unknown[0])} is not one of: {', '.join(allowed_items)}"
        return (items,), None
    if spec["type"] in ("number", "integer"):
        try:
            number = float(text)
        except ValueError:
            return empty, f"{_show(text)} is not a number"
        if not math.isfinite(number):
            return empty, f"{_show(text)} is not a finite number"
        if spec["type"] == "integer":
            if number != int(number):
                return empty, f"{_show(text)} is not a whole number"
            if abs(number) > MAX_INTEGER:
                return empty, f"{_show(text)} is too large (at most {MAX_INTEGER:,})"
            number = int(number)
        if "minimum" in constraints and number < constraints["minimum"]:
            return empty, f"{_show(text)} is below the minimum {constraints['minimum']}"
        if "maximum" in constraints and number > constraints["maximum"]:
            return empty, f"{_show(text)} is above the maximum {constraints['maximum']}"
        return (number,), None
    if "enum" in constraints and text not in constraints["enum"]:
        allowed = ", ".join(constraints["enum"])
        return empty, f"{_show(text)} is not one of: {allowed}"
    if fmt == "partial-date":
        # The date parser says what is wrong in words; the field's pattern is for other tools.
        try:
            parsed = parse_partial_date(text)
        except ValueError as error:
            return empty, str(error)
        return (
            parsed.text,
            pd.Timestamp(parsed.first),
            pd.Timestamp(parsed.last),
            parsed.precision,
        ), None
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return empty, f"{_show(text)} does not have the expected form ({constraints['pattern']})"
    return (text,), None


def _show(text: str) -> str:
    """A cell value quoted for a message, shortened so a huge hostile cell cannot flood it."""
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _check_keys(
    schema: dict[str, Any], tables: dict[str, pd.DataFrame], problems: list[Problem]
) -> None:
    """Primary keys unique; every foreign key (single or list cell) names an existing row."""
    resources = resources_by_name(schema)
    for name, table in tables.items():
        file = resources[name]["path"]
        key = resources[name]["schema"]["primaryKey"]
        seen: dict[str, int] = {}
        for line, value in zip(table["line_no"], table[key]):
            if not isinstance(value, str):
                continue
            if value in seen:
                problems.append(
                    Problem(
                        file,
                        line,
                        key,
                        f"duplicate id {_show(value)} (first on line {seen[value]})",
                    )
                )
            else:
                seen[value] = line
        schema_of = resources[name]["schema"]
        # Keys over list fields live under an extension key: Frictionless checks single values only.
        foreign_keys = schema_of.get("foreignKeys", []) + schema_of.get("x-list-foreign-keys", [])
        for foreign in foreign_keys:
            column = foreign["fields"]
            target = foreign["reference"]["resource"]
            known = set(tables[target][foreign["reference"]["fields"]].dropna())
            for line, cell in zip(table["line_no"], table[column]):
                values = cell if isinstance(cell, tuple) else (cell,)
                for value in values:
                    if isinstance(value, str) and value not in known:
                        problems.append(
                            Problem(file, line, column, f"unknown {target} id {_show(value)}")
                        )


def _check_rules(tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Rules that span columns or rows: period order and overlaps, ranges, scopes."""
    _check_spans("site_status.csv", tables["site_status"], "site_id", problems)
    _check_forces(tables["site_status"], problems)
    _check_phases(tables["phases"], problems)
    figures = tables["troop_figures"]
    for row in figures.itertuples(index=False):
        expected_kind = COUNTS_KIND.get(row.counts)
        if expected_kind and row.kind != expected_kind:
            problems.append(
                Problem(
                    "troop_figures.csv",
                    row.line_no,
                    "kind",
                    f"{row.kind!r}, but a figure that counts {row.counts!r} is {expected_kind!r}",
                )
            )
        has_site = isinstance(row.site_id, str)
        if row.scope == "site" and not has_site:
            problems.append(
                Problem("troop_figures.csv", row.line_no, "site_id", "scope is site but no site_id")
            )
        if row.scope != "site" and has_site:
            problems.append(
                Problem(
                    "troop_figures.csv", row.line_no, "site_id", f"given but scope is {row.scope!r}"
                )
            )
        low = row.low if _present(row.low) else None
        high = row.high if _present(row.high) else None
        if low is not None and high is not None and low > high:
            problems.append(
                Problem("troop_figures.csv", row.line_no, "low", f"low {low} is above high {high}")
            )
        if (low is not None and row.value < low) or (high is not None and row.value > high):
            problems.append(
                Problem(
                    "troop_figures.csv", row.line_no, "value", f"{row.value} is outside low-high"
                )
            )
    for row in tables["movements"].itertuples(index=False):
        if row.from_site_id == row.to_site_id:
            problems.append(
                Problem("movements.csv", row.line_no, "to_site_id", "same as from_site_id")
            )
    _check_countries(tables["sites"], problems)
    dated = ("site_status", "phases", "troop_figures", "events")
    if all(tables[name].empty for name in dated):
        message = (
            "has no dated rows (status periods, phases, troop figures or events): there is no "
            "time span to show"
        )
        problems.append(Problem("dataset", None, None, message))


def _check_forces(periods: pd.DataFrame, problems: list[Problem]) -> None:
    """A nation named at a site is cited, and a citation for nations names some."""
    for line, forces, cited in zip(
        periods["line_no"], periods["forces"], periods["forces_source_ids"]
    ):
        if forces and not cited:
            problems.append(
                Problem(
                    "site_status.csv",
                    line,
                    "forces_source_ids",
                    "is empty, but forces names nations: cite the sources that name them",
                )
            )
        if cited and not forces:
            problems.append(
                Problem(
                    "site_status.csv",
                    line,
                    "forces",
                    "is empty, but forces_source_ids cites sources for it",
                )
            )


# What a figure counts decides whether it is a count or a plan: a garrison or a convoy is counted
# (reported); a ceiling or a target is announced (planned).
COUNTS_KIND = {
    "presence": "reported",
    "transit": "reported",
    "ceiling": "planned",
    "target": "planned",
}


def _check_phases(phases: pd.DataFrame, problems: list[Problem]) -> None:
    """A phase has an actual or a planned start; actual phases never overlap, nor do planned ones."""
    for row in phases.itertuples(index=False):
        if not isinstance(row.start, str) and not isinstance(row.planned_start, str):
            problems.append(
                Problem(
                    "phases.csv",
                    row.line_no,
                    "start",
                    "a phase needs a start as it happened or a planned_start",
                )
            )
        if not isinstance(row.start, str) and isinstance(row.end, str):
            problems.append(
                Problem("phases.csv", row.line_no, "end", "an end is given but no start")
            )
    # .loc with a boolean array: an empty object Series would index columns, not rows.
    begun = phases.loc[phases["start"].map(lambda value: isinstance(value, str)).astype(bool)]
    _check_spans("phases.csv", begun, None, problems)
    planned = phases.loc[
        phases["planned_start"].map(lambda value: isinstance(value, str)).astype(bool)
    ]
    _check_spans("phases.csv", planned, None, problems, prefix="planned_")


def _check_countries(sites: pd.DataFrame, problems: list[Problem]) -> None:
    """A site of a known country lies in that country's box; outside, lat and lon are often swapped."""
    for row in sites.itertuples(index=False):
        bounds = COUNTRY_BOUNDS.get(str(row.country).strip().casefold())
        if bounds is None:
            continue
        lat_min, lat_max, lon_min, lon_max = bounds
        if lat_min <= row.lat <= lat_max and lon_min <= row.lon <= lon_max:
            continue
        swapped = lat_min <= row.lon <= lat_max and lon_min <= row.lat <= lon_max
        hint = (
            "are latitude and longitude swapped?"
            if swapped
            else f"expected lat {lat_min} to {lat_max}, lon {lon_min} to {lon_max}"
        )
        problems.append(
            Problem(
                "sites.csv",
                row.line_no,
                "lat",
                f"lat {row.lat}, lon {row.lon} is outside {row.country}; {hint}",
            )
        )


# The day number day_numbers gives a missing date: later than any real day (an open end).
OPEN_END_DAY = np.iinfo(np.int64).max


def day_numbers(values: pd.Series) -> np.ndarray:
    """Timestamps as whole days since 1970 (missing -> OPEN_END_DAY), for fast comparison."""
    as_days = values.astype("datetime64[s]").to_numpy().astype("datetime64[D]").astype(np.int64)
    return np.where(values.isna().to_numpy(), OPEN_END_DAY, as_days)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _check_spans(
    file: str,
    table: pd.DataFrame,
    group: str | None,
    problems: list[Problem],
    prefix: str = "",
) -> None:
    """Each span ends on or after it starts; spans in one group (site, or all phases) never overlap.

    `prefix` picks the columns: "" for start and end, "planned_" for planned_start and planned_end.
    """
    # Whole-column arithmetic: looping over ten thousand site groups with pandas took seconds;
    # only rows with a problem are visited one by one, to word the message.
    start_column, end_column = f"{prefix}start", f"{prefix}end"
    span_start = day_numbers(table[f"{start_column}_first"])
    span_end = day_numbers(table[f"{end_column}_last"])
    lines = table["line_no"].to_numpy()
    starts = table[start_column].to_numpy()
    ends = table[end_column].to_numpy()
    for i in np.flatnonzero(span_end < span_start):
        problems.append(
            Problem(file, int(lines[i]), end_column, f"{ends[i]} is before start {starts[i]}")
        )
    if group:
        owners = table[group].to_numpy()
        # Codes number the groups in order of first appearance (missing ids get -1 and no check),
        # so problems come out group by group in the order the groups appear in the file.
        codes = pd.factorize(table[group], sort=False)[0]
    else:
        owners = None
        codes = np.zeros(len(table), dtype=np.int64)
    order = np.lexsort((lines, span_start, codes))
    order = order[codes[order] >= 0]
    if len(order) < 2:
        return
    previous, current = order[:-1], order[1:]
    overlapping = (codes[previous] == codes[current]) & (span_start[current] <= span_end[previous])
    for before, row in zip(previous[overlapping], current[overlapping]):
        owner = f" of {owners[row]!r}" if owners is not None else ""
        ended = ends[before] or "no end"
        problems.append(
            Problem(
                file,
                int(lines[row]),
                start_column,
                f"period{owner} starting {starts[row]} overlaps the one on line "
                f"{lines[before]} ({starts[before]} to {ended})",
            )
        )
