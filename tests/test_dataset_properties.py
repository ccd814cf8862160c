"""Property test: whatever tables it is given, the loader returns a Dataset or raises DatasetError."""

from __future__ import annotations

import csv
import io
import string

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from components.dataset import Dataset, DatasetError, load_dataset_from_bytes
from tests.conftest import COLUMNS, FILES, tiny_tables

TABLES = list(FILES)
# Values that probe the converters: numbers at the edges, dates that do not exist, formulas,
# separators, quotes, line breaks, NUL and non-Latin text.
AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "-0",
        "1e309",
        "nan",
        "-inf",
        "0x10",
        "1_000",
        "99999999999999999999",
        "2011-02-29",
        "2024-02-29",
        "0000",
        "2011-00",
        "2011-1-1",
        "9999-12-31",
        "=1+1",
        "@SUM(A1)",
        "-2+3",
        "+cmd|' /C calc'!A0",
        ";",
        ";;",
        "alpha;",
        "src-a;src-a",
        '"',
        '""',
        "a,b",
        "\n",
        "\r\n",
        "\x00",
        "قاعدة",
        "\u202e",
        "alpha",
        "bravo",
        "src-b",
    ]
)
CELL = st.one_of(AWKWARD, st.text(max_size=12), st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{1,3})?"))


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def tiny_grid() -> dict[str, tuple[list[str], list[list[str]]]]:
    return {
        name: (COLUMNS[name], [[row.get(c, "") for c in COLUMNS[name]] for row in rows])
        for name, rows in tiny_tables().items()
    }


@st.composite
def mutated_tiny(draw: st.DrawFn) -> dict[str, bytes]:
    """The tiny valid dataset with cells replaced, rows dropped or doubled, columns removed."""
    grid = tiny_grid()
    for _ in range(draw(st.integers(0, 6))):
        name = draw(st.sampled_from(TABLES))
        header, rows = grid[name]
        action = draw(
            st.sampled_from(["cell", "cell", "cell", "drop", "double", "column", "ragged"])
        )
        if action == "cell" and rows:
            row = draw(st.integers(0, len(rows) - 1))
            column = draw(st.integers(0, len(header) - 1))
            rows[row][column] = draw(CELL)
        elif action == "drop" and rows:
            rows.pop(draw(st.integers(0, len(rows) - 1)))
        elif action == "double" and rows:
            rows.append(list(rows[draw(st.integers(0, len(rows) - 1))]))
        elif action == "column":
            column = draw(st.integers(0, len(header) - 1))
            grid[name] = (
                header[:column] + header[column + 1 :],
                [row[:column] + row[column + 1 :] for row in rows],
            )
        elif action == "ragged" and rows:
            rows[draw(st.integers(0, len(rows) - 1))].append(draw(CELL))
    files = {FILES[name]: to_csv(*grid[name]) for name in TABLES}
    if draw(st.booleans()):
        # Occasionally a whole table is replaced by random bytes or dropped.
        victim = FILES[draw(st.sampled_from(TABLES))]
        replacement = draw(st.one_of(st.none(), st.binary(max_size=200)))
        if replacement is None:
            del files[victim]
        else:
            files[victim] = replacement
    return files


@st.composite
def random_tables(draw: st.DrawFn) -> dict[str, bytes]:
    """Every table random: raw bytes, or CSV text with the right or a random header."""
    files = {}
    for name in TABLES:
        kind = draw(st.sampled_from(["bytes", "text", "csv"]))
        if kind == "bytes":
            files[FILES[name]] = draw(st.binary(max_size=300))
        elif kind == "text":
            files[FILES[name]] = draw(
                st.text(alphabet=string.printable + "ب\x00", max_size=300)
            ).encode()
        else:
            header = COLUMNS[name] if draw(st.booleans()) else draw(st.lists(CELL, max_size=6))
            width = len(header)
            rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=4))
            files[FILES[name]] = to_csv(header, rows)
    return files


def outcome(files: dict[str, bytes]) -> None:
    try:
        result = load_dataset_from_bytes(files)
    except DatasetError as error:
        assert error.problems, "a DatasetError must say what is wrong"
        assert all(isinstance(str(problem), str) for problem in error.problems)
        event("refused")
        return
    assert isinstance(result, Dataset)
    event("loaded")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_tiny())
def test_mutated_tiny_dataset_loads_or_raises_dataset_error(files: dict[str, bytes]) -> None:
    outcome(files)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables())
def test_random_tables_load_or_raise_dataset_error(files: dict[str, bytes]) -> None:
    outcome(files)


def test_unmutated_tiny_grid_loads() -> None:
    # Guards the property tests: their starting point must be a valid dataset.
    grid = tiny_grid()
    dataset = load_dataset_from_bytes({FILES[n]: to_csv(*grid[n]) for n in TABLES})
    assert len(dataset.sites) == 2
