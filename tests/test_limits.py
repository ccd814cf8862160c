"""Hostile uploads cost memory in proportion to their content: measured in a child process with a cap."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from components import dataset, upload
from tests.conftest import COLUMNS, tiny_tables, write_tables

ROOT = Path(__file__).resolve().parent.parent
# What loading may add to the address space of a process that has already imported everything.
# Loading the tiny dataset fits easily; the failures this guards against took 0.5 to 2.8 GB.
MEMORY_BUDGET = 300 * 1024 * 1024

# Runs in a fresh interpreter: imports first, then caps the address space at what the imports
# took plus the budget, then loads. A MemoryError (or a kill) means the budget was exceeded.
CHILD = """
import json, resource, sys
import openpyxl  # imported by the upload path on demand; counted before the cap
from components.dataset import DatasetError
from components.upload import load_upload
name, path, budget = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(path, "rb").read()
with open("/proc/self/status") as status:
    size = next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (size + budget, size + budget))
try:
    loaded = load_upload(name, data)
except DatasetError as error:
    print(json.dumps({"refused": [str(p) for p in error.problems][:5]}))
except MemoryError:
    print(json.dumps({"memory_error": True}))
else:
    print(json.dumps({"sites": len(loaded.sites)}))
"""


def load_in_capped_child(tmp_path: Path, name: str, data: bytes) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, name, str(path), str(MEMORY_BUDGET)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        # One thread pool, few malloc arenas, and Arrow (pandas' string columns) on the system
        # allocator: their address-space reservations (a gigabyte for Arrow's own allocator,
        # barely touched) are not what is measured.
        env={
            "ARROW_DEFAULT_MEMORY_POOL": "system",
            "PATH": "/usr/bin:/bin",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MALLOC_ARENA_MAX": "2",
            "PYTHONPATH": str(ROOT),
        },
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def tiny_files(tmp_path: Path) -> dict[str, bytes]:
    directory = write_tables(tmp_path / "t", tiny_tables())
    return {path.name: path.read_bytes() for path in directory.iterdir()}


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_the_cap_lets_a_valid_upload_load(tmp_path: Path) -> None:
    assert load_in_capped_child(tmp_path, "mine.zip", zipped(tiny_files(tmp_path))) == {"sites": 2}


def test_blank_lines_after_a_header_are_refused_within_the_memory_cap(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    files["events.csv"] = files["events.csv"] + b"\n" * 20_000_000
    data = zipped(files)
    assert len(data) < 200_000  # a small upload: the cost must follow the content, not the bytes
    result = load_in_capped_child(tmp_path, "blank.zip", data)
    assert result.get("refused") == [
        f"events.csv, line {dataset.MAX_TABLE_ROWS + 2}: has more than "
        f"{dataset.MAX_TABLE_ROWS:,} rows (blank ones included); the limit is "
        f"{dataset.MAX_TABLE_ROWS:,}"
    ], result


def test_many_tiny_cells_are_refused_within_the_memory_cap(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    width = len(COLUMNS["sites"])
    rows = dataset.MAX_TABLE_CELLS // width + 10
    assert rows < dataset.MAX_TABLE_ROWS  # the cell limit, not the row limit, is what refuses
    files["sites.csv"] += (b"x" + b"," * (width - 1) + b"\n") * rows
    result = load_in_capped_child(tmp_path, "cells.zip", zipped(files))
    assert result.get("refused", [""])[0].endswith(
        f"has more than {dataset.MAX_TABLE_CELLS:,} cells; the limit is {dataset.MAX_TABLE_CELLS:,}"
    ), result


def test_one_line_of_a_million_cells_is_refused_within_the_memory_cap(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    files["sites.csv"] = files["sites.csv"] + b"," * 40_000_000 + b"\n"
    result = load_in_capped_child(tmp_path, "wide.zip", zipped(files))
    assert "refused" in result, result
    assert result["refused"][0].startswith("sites.csv, line 4:"), result


def far_cell_workbook(tiny_dir: Path, row: int) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in COLUMNS:
        sheet = book.create_sheet(name)
        with (tiny_dir / f"{name}.csv").open(encoding="utf-8") as handle:
            for line in handle.read().splitlines():
                sheet.append(line.split(","))
    book["events"].cell(row=row, column=1, value="far")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_workbook_with_a_cell_far_down_is_refused_within_the_memory_cap(
    tiny_dir: Path, tmp_path: Path
) -> None:
    data = far_cell_workbook(tiny_dir, 499_999)
    result = load_in_capped_child(tmp_path, "far.xlsx", data)
    assert result.get("refused") == [
        f"far.xlsx: sheet events has a cell in row 499,999; a sheet may have at most "
        f"{upload.MAX_SHEET_ROWS:,} rows"
    ], result


def test_workbook_with_a_cell_in_the_last_row_is_refused_within_the_memory_cap(
    tiny_dir: Path, tmp_path: Path
) -> None:
    data = far_cell_workbook(tiny_dir, 1_048_576)
    result = load_in_capped_child(tmp_path, "last.xlsx", data)
    assert "refused" in result and "row 1,048,576" in result["refused"][0], result


def test_row_and_cell_limits_are_stated_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{dataset.MAX_TABLE_ROWS:,} rows" in readme
    assert f"{dataset.MAX_TABLE_CELLS:,} cells" in readme


def test_upload_limits_are_what_the_loader_uses() -> None:
    # A workbook sheet may not hold more rows than a table: the same limit, said once.
    assert upload.MAX_SHEET_ROWS == dataset.MAX_TABLE_ROWS + 1  # the header row


def shared_strings_workbook(tiny_dir: Path, count: int) -> bytes:
    """A valid workbook plus a shared text table of `count` strings that no cell uses."""
    source = zipfile.ZipFile(io.BytesIO(far_cell_workbook(tiny_dir, 3)))
    out = io.BytesIO()
    relation = (
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="/xl/sharedStrings.xml" Id="rIdShared"/>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", relation + b"</Relationships>")
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", override + b"</Types>")
            archive.writestr(info, content)
        strings = b"".join(b"<si><t>s%d</t></si>" % n for n in range(count))
        archive.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">%s</sst>' % (count, count, strings),
        )
    return out.getvalue()


def test_a_workbook_with_a_huge_unused_text_table_is_refused_within_the_memory_cap(
    tiny_dir: Path, tmp_path: Path
) -> None:
    assert load_in_capped_child(tmp_path, "ok.xlsx", shared_strings_workbook(tiny_dir, 100)) == {
        "sites": 2
    }
    data = shared_strings_workbook(tiny_dir, 2_000_000)  # 45 MB of text, 5 MB zipped
    assert len(data) < upload.MAX_UPLOAD_BYTES
    result = load_in_capped_child(tmp_path, "text.xlsx", data)
    assert result.get("refused", [""])[0].startswith("text.xlsx: holds 4"), result
    assert result["refused"][0].endswith(
        "MB of text; the limit is 32 MB (split the data, or upload a .zip of CSV tables)"
    ), result


def test_a_sheet_is_refused_past_the_cell_limit(tiny_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(upload, "MAX_TABLE_CELLS", 30)
    with pytest.raises(upload.DatasetError) as caught:
        upload.load_upload("cells.xlsx", far_cell_workbook(tiny_dir, 3))
    assert [str(p) for p in caught.value.problems] == [
        "cells.xlsx: sheet sites has more than 30 filled cells (row 3); the limit is 30"
    ]
