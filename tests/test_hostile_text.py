"""Text from data that looks like template syntax or hides its direction reaches the page inert."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import streamlit_folium

from components.dataset import load_dataset
from components.map_view import (
    build_base_map,
    build_date_layer,
    map_bounds,
    publish_catalog,
    site_payload,
)
from components.timeline import movements_between, snapshot
from tests.conftest import tiny_tables, write_tables

TEMPLATE_TEXT = "{{ 7*7 }} {% for x in y %} {# open comment {{{"


def sent_to_browser(dataset, day: dt.date, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict:
    """The arguments st_folium would send for the app's map on `day`, movements included."""
    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw) or {})
    snap = snapshot(dataset, day)
    window = dt.timedelta(days=120)
    moves = movements_between(dataset, day - window, day + window)
    catalog = publish_catalog(dataset, tmp_path / "static")
    streamlit_folium.st_folium(
        build_base_map(map_bounds(dataset.sites)),
        key="footprint_map",
        feature_group_to_add=build_date_layer(
            site_payload(day.isoformat(), snap.sites, catalog, moves)
        ),
        returned_objects=["last_object_clicked"],
    )
    return sent


def test_template_syntax_in_names_and_descriptions_is_drawn_as_text(tmp_path, monkeypatch) -> None:
    tables = tiny_tables()
    tables["sites"][0]["name_en"] = "Alpha " + TEMPLATE_TEXT
    tables["movements"][0]["description"] = TEMPLATE_TEXT
    dataset = load_dataset(write_tables(tmp_path / "template", tables))
    script = sent_to_browser(dataset, dt.date(2025, 8, 15), monkeypatch, tmp_path)["feature_group"]
    assert "49" not in script  # never evaluated
    assert "{{" not in script and "{%" not in script and "{#" not in script
    match = re.search(r"addSites\([^,]+, (\{.*\})\);", script)
    assert match, script[:300]
    label = json.loads(match.group(1))["moves"][0][4]
    assert label == f"Alpha {TEMPLATE_TEXT} → Bravo Camp, 2025-08: {TEMPLATE_TEXT}"


def test_page_with_template_syntax_in_data_renders_without_error(tmp_path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    tables = tiny_tables()
    tables["sites"][0]["name_en"] = "Alpha " + TEMPLATE_TEXT
    tables["movements"][0]["description"] = TEMPLATE_TEXT
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(write_tables(tmp_path / "t", tables)))
    app = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"))
    app.query_params["date"] = "2025-08-15"
    app.run(timeout=60)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error


def upload_on_page(tiny_dir: Path, monkeypatch, name: str, data: bytes):
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(tiny_dir))
    app = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"))
    app.run(timeout=60)
    app.session_state["upload"] = UploadedFile(
        UploadedFileRec("one", name, "application/zip", data), None
    )
    app.run(timeout=60)
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_uploaded_file_name_is_shown_as_text_not_markdown(tiny_dir, monkeypatch) -> None:
    import html
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in tiny_dir.iterdir():
            archive.write(path, path.name)
    name = "**bold** [link](https://evil.example) <b>x</b> $y$.zip"
    app = upload_on_page(tiny_dir, monkeypatch, name, buffer.getvalue())
    caption = next(c.value for c in app.sidebar.caption if "for this session only" in c.value)
    assert "**" not in caption and "[link]" not in caption and "<b>" not in caption
    assert name in html.unescape(caption)


@pytest.mark.parametrize(
    "value",
    ["#DIV/0!", "#N/A", "#REF!", "#value!", "#NAME?"],
)
def test_spreadsheet_error_values_are_refused(tmp_path, value) -> None:
    from components.dataset import DatasetError

    tables = tiny_tables()
    tables["sites"][0]["name_en"] = value
    with pytest.raises(DatasetError) as caught:
        load_dataset(write_tables(tmp_path / "e", tables))
    assert [str(p) for p in caught.value.problems] == [
        f"sites.csv, line 2, column name_en: {value!r} is a spreadsheet error value (its "
        "formula failed); type the value itself"
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Alpha\u202eesab", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("Al\u200bpha", "U+200B ZERO WIDTH SPACE"),
        ("\u2067Alpha\u2069", "U+2067 RIGHT-TO-LEFT ISOLATE"),
        ("Alpha\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ],
)
def test_hidden_direction_and_zero_width_characters_are_refused(tmp_path, text, code) -> None:
    from components.dataset import DatasetError

    tables = tiny_tables()
    tables["sites"][0]["name_en"] = text
    with pytest.raises(DatasetError) as caught:
        load_dataset(write_tables(tmp_path / "h", tables))
    (problem,) = caught.value.problems
    assert problem.column == "name_en" and code in problem.message


def test_persian_and_arabic_spelling_marks_are_kept(tmp_path) -> None:
    tables = tiny_tables()
    tables["sites"][0]["name_ar"] = "قاعدة\u200cألفا\u200f"  # zero-width non-joiner, RLM
    dataset = load_dataset(write_tables(tmp_path / "p", tables))
    assert dataset.sites["name_ar"][0] == "قاعدة\u200cألفا\u200f"


def test_workbook_cells_past_column_100_are_reported_not_dropped(tiny_dir) -> None:
    import io

    import openpyxl

    from components.dataset import DatasetError
    from components.upload import load_upload
    from tests.test_limits import far_cell_workbook

    book = openpyxl.load_workbook(io.BytesIO(far_cell_workbook(tiny_dir, 3)))
    book["sites"].cell(row=2, column=150, value="hidden note")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(DatasetError) as caught:
        load_upload("wide.xlsx", buffer.getvalue())
    assert [str(p) for p in caught.value.problems] == [
        "wide.xlsx: sheet sites has a cell in column 150 (row 2); a sheet may have at most 100 "
        "columns"
    ]


def test_messages_on_the_page_name_no_server_path(tmp_path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    missing = tmp_path / "deep" / "secret-server-dir"
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(missing))
    app = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"))
    app.run(timeout=60)
    assert not app.exception
    shown = " ".join(e.value for e in app.error) + " ".join(m.value for m in app.markdown)
    assert "secret" in shown and str(tmp_path) not in shown and "/deep" not in shown
