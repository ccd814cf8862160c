"""Loads the footprint tables from a data directory and validates them against data/datapackage.json."""

from __future__ import annotations

import csv
import io
import json
import math
import re
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
# Fields named here are read as the last day of their span (an end "2011-12" means 31 Dec 2011).
END_FIELDS = frozenset({"end"})


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


class DatasetError(Exception):
    """Raised for any bad data; the message lists every problem by file, line and column."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        header = f"The dataset has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([header, *(f"- {p}" for p in self.problems)]))


@dataclass
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
    # Derived lookups and arrays for fast date queries; filled by components.timeline on first use.
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


def load_schema() -> dict[str, Any]:
    """The project's single schema (the loader always validates against this one)."""
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def resources_by_name(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {resource["name"]: resource for resource in schema["resources"]}


def load_dataset(path: str | Path | None = None) -> Dataset:
    """Reads every table in `path` (default: the bundled data/), validates it, raises DatasetError."""
    directory = Path(path) if path is not None else DATA_DIR
    if not directory.is_dir():
        raise DatasetError([Problem(str(directory), None, None, "is not a directory")])
    files = {}
    problems: list[Problem] = []
    for resource in load_schema()["resources"]:
        file_path = directory / resource["path"]
        try:
            files[resource["path"]] = file_path.read_bytes()
        except FileNotFoundError:
            problems.append(Problem(resource["path"], None, None, "file is missing"))
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
    problems: list[Problem] = []
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
    resource: dict[str, Any], raw: bytes, problems: list[Problem], warnings: list[str]
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
    records, record_lines = [], []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        last_line = 0
        for record in reader:
            records.append(record)
            record_lines.append(last_line + 1)
            last_line = reader.line_num
    except csv.Error as error:
        problems.append(Problem(name, reader.line_num, None, f"is not valid CSV ({error})"))
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
    for column in expected:
        if column not in header:
            problems.append(Problem(name, 1, column, "required column is missing"))
    extra = [c for c in header if c not in expected]
    if extra:
        warnings.append(f"{name}: extra columns ignored: {', '.join(extra)}")
    if len(problems) > before:
        return None
    positions = {column: header.index(column) for column in expected}
    rows: list[dict[str, Any]] = []
    for record, line in zip(records[1:], record_lines[1:]):
        if not any(cell.strip() for cell in record):
            continue  # blank lines are harmless
        if len(record) != len(header):
            problems.append(
                Problem(name, line, None, f"has {len(record)} cells; the header has {len(header)}")
            )
            continue
        row: dict[str, Any] = {"line_no": line}
        for spec in fields:
            row.update(_read_cell(name, line, spec, record[positions[spec["name"]]], problems))
        rows.append(row)
    return pd.DataFrame(rows, columns=["line_no", *_output_columns(fields)])


def _output_columns(fields: list[dict[str, Any]]) -> list[str]:
    columns = []
    for spec in fields:
        columns.append(spec["name"])
        if spec.get("format") == "partial-date":
            columns += [
                f"{spec['name']}_first",
                f"{spec['name']}_last",
                f"{spec['name']}_precision",
            ]
    return columns


def _read_cell(
    file: str, line: int, spec: dict[str, Any], raw: str, problems: list[Problem]
) -> dict[str, Any]:
    """Converts one cell by its field spec; records a problem and returns an empty value when bad."""
    column = spec["name"]
    constraints = spec.get("constraints", {})
    text = raw.strip()
    fmt = spec.get("format")
    empty: dict[str, Any] = {column: None}
    if fmt == "partial-date":
        empty.update({f"{column}_first": None, f"{column}_last": None, f"{column}_precision": None})
    if fmt == "list":
        empty[column] = ()

    def problem(message: str) -> dict[str, Any]:
        problems.append(Problem(file, line, column, message))
        return empty

    if text == "":
        return problem("is required but empty") if constraints.get("required") else empty
    if fmt == "list":
        items = tuple(item.strip() for item in text.split(LIST_SEPARATOR) if item.strip())
        if not items and constraints.get("required"):
            return problem("is required but lists nothing")
        return {column: items}
    if spec["type"] in ("number", "integer"):
        try:
            number = float(text)
        except ValueError:
            return problem(f"{_show(text)} is not a number")
        if not math.isfinite(number):
            return problem(f"{_show(text)} is not a finite number")
        if spec["type"] == "integer":
            if number != int(number):
                return problem(f"{_show(text)} is not a whole number")
            number = int(number)
        if "minimum" in constraints and number < constraints["minimum"]:
            return problem(f"{_show(text)} is below the minimum {constraints['minimum']}")
        if "maximum" in constraints and number > constraints["maximum"]:
            return problem(f"{_show(text)} is above the maximum {constraints['maximum']}")
        return {column: number}
    if "enum" in constraints and text not in constraints["enum"]:
        allowed = ", ".join(constraints["enum"])
        return problem(f"{_show(text)} is not one of: {allowed}")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return problem(f"{_show(text)} does not have the expected form ({constraints['pattern']})")
    if fmt == "partial-date":
        try:
            parsed = parse_partial_date(text)
        except ValueError as error:
            return problem(str(error))
        return {
            column: parsed.text,
            f"{column}_first": pd.Timestamp(parsed.first),
            f"{column}_last": pd.Timestamp(parsed.last),
            f"{column}_precision": parsed.precision,
        }
    return {column: text}


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
        for foreign in resources[name]["schema"].get("foreignKeys", []):
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
    _check_spans("phases.csv", tables["phases"], None, problems)
    figures = tables["troop_figures"]
    for row in figures.itertuples(index=False):
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


def day_numbers(values: pd.Series) -> np.ndarray:
    """Timestamps as whole days since 1970 (missing -> a far-future sentinel), for fast comparison."""
    far_future = np.iinfo(np.int64).max
    as_days = values.astype("datetime64[s]").to_numpy().astype("datetime64[D]").astype(np.int64)
    return np.where(values.isna().to_numpy(), far_future, as_days)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _check_spans(
    file: str, table: pd.DataFrame, group: str | None, problems: list[Problem]
) -> None:
    """Each span ends on or after it starts; spans in one group (site, or all phases) never overlap."""
    spans = table.assign(
        span_start=day_numbers(table["start_first"]), span_end=day_numbers(table["end_last"])
    )
    for row in spans.itertuples(index=False):
        if row.span_end < row.span_start:
            problems.append(
                Problem(file, row.line_no, "end", f"{row.end} is before start {row.start}")
            )
    groups = spans.groupby(group, sort=False) if group else [(None, spans)]
    for _, members in groups:
        ordered = members.sort_values(["span_start", "line_no"])
        previous = None
        for row in ordered.itertuples(index=False):
            if previous is not None and row.span_start <= previous.span_end:
                owner = f" of {getattr(row, group)!r}" if group else ""
                ended = previous.end or "no end"
                problems.append(
                    Problem(
                        file,
                        row.line_no,
                        "start",
                        f"period{owner} starting {row.start} overlaps the one on line "
                        f"{previous.line_no} ({previous.start} to {ended})",
                    )
                )
            previous = row
