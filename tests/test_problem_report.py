"""200,000 bad rows give a bounded report: counts by kind, the first problems per file, a download."""

from __future__ import annotations

import csv
import html
import io
import zipfile
from pathlib import Path

import pytest
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec
from streamlit.testing.v1 import AppTest

from components import dataset
from components.dataset import DatasetError
from components.report import FIRST_PER_FILE, problem_report
from components.upload import load_upload
from tests.conftest import COLUMNS, tiny_tables, write_tables
from tests.test_limits import load_in_capped_child

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BAD_ROWS = 200_000


def bad_events_zip(tmp_path: Path) -> bytes:
    """The tiny dataset with 200,000 events, each of an unknown kind."""
    directory = write_tables(tmp_path / "t", tiny_tables())
    files = {path.name: path.read_bytes() for path in directory.iterdir()}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS["events"], restval="", lineterminator="\n")
    writer.writeheader()
    row = dict(tiny_tables()["events"][0], kind="not-a-kind")
    for n in range(BAD_ROWS):
        writer.writerow({**row, "event_id": f"e{n}"})
    files["events.csv"] = out.getvalue().encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bad_zip(tmp_path_factory) -> bytes:
    return bad_events_zip(tmp_path_factory.mktemp("bad"))


def test_every_problem_is_counted_but_only_the_first_are_kept(bad_zip) -> None:
    with pytest.raises(DatasetError) as caught:
        load_upload("bad.zip", bad_zip)
    error = caught.value
    assert error.total == BAD_ROWS
    assert error.counts == {("events.csv", "kind"): BAD_ROWS}
    assert len(error.problems) == dataset.MAX_PROBLEMS_PER_FILE
    assert str(error.problems[0]).startswith("events.csv, line 2, column kind: 'not-a-kind'")
    assert len(str(error)) < 200_000
    report = problem_report(error)
    assert report.counts == [("events.csv", "kind", BAD_ROWS)]
    assert len(report.first) == FIRST_PER_FILE
    assert f"and {BAD_ROWS - dataset.MAX_PROBLEMS_PER_FILE:,} more" in report.text
    assert len(report.text) < 200_000


def test_bad_rows_are_reported_within_the_memory_cap(bad_zip, tmp_path) -> None:
    result = load_in_capped_child(tmp_path, "bad.zip", bad_zip)
    assert result.get("refused", [""])[0].startswith("events.csv, line 2, column kind:"), result


def test_the_page_shows_a_bounded_summary_and_offers_the_full_report(
    bad_zip, tiny_dir, monkeypatch
) -> None:
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(tiny_dir))
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    app.session_state["upload"] = UploadedFile(
        UploadedFileRec("one", "bad.zip", "application/zip", bad_zip), None
    )
    app.run()
    assert not app.exception
    assert "bad.zip was not loaded: 200,000 problem(s)" in html.unescape(app.error[0].value)
    shown = sum(len(m.value) for m in app.markdown)
    assert shown < 20_000  # was 34 MB of list items
    counts = next(f.value for f in app.dataframe if "Problems" in f.value.columns)
    assert counts.to_dict("records") == [
        {"File": "events.csv", "Column": "kind", "Problems": BAD_ROWS}
    ]
    assert any(b.proto.label == "Download the full report" for b in app.get("download_button"))


def test_a_few_problems_are_listed_in_full_without_a_summary(tmp_path, monkeypatch) -> None:
    tables = tiny_tables()
    tables["sites"][0]["lat"] = "north"
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(write_tables(tmp_path / "bad", tables)))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.dataframe and not app.get("download_button")
    assert any("north" in m.value for m in app.markdown)
