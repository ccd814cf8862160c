"""An upload's map catalogue stays with its session: unguessable name, deleted with it, bounded."""

from __future__ import annotations

import gc
import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec
from streamlit.testing.v1 import AppTest

from components import assets
from components.assets import STATIC_DIR, STATIC_URL
from components.dataset import load_dataset
from components.map_view import publish_catalog
from tests.conftest import tiny_tables, write_tables

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def private_files(static_dir: Path) -> set[Path]:
    folder = static_dir / assets.PRIVATE_FOLDER
    return set(folder.glob("*.json")) if folder.is_dir() else set()


def test_private_catalogue_has_an_unguessable_name_and_goes_with_its_dataset(tmp_path) -> None:
    directory = write_tables(tmp_path / "t", tiny_tables())
    first, second = load_dataset(directory), load_dataset(directory)
    one = publish_catalog(first, tmp_path / "static", private=True)
    two = publish_catalog(second, tmp_path / "static", private=True)
    assert one.url != two.url  # the same data in two sessions: two names, neither from content
    assert one.url.startswith(f"{STATIC_URL}/{assets.PRIVATE_FOLDER}/")
    assert len(one.url.rsplit("/", 1)[1].removesuffix(".json")) >= 32
    assert not (tmp_path / "static" / "catalog").exists()  # nothing world-known is written
    assert publish_catalog(first, tmp_path / "static", private=True) is one  # once per dataset
    assert one.path.is_file() and two.path.is_file()
    path = one.path
    del first, one
    gc.collect()
    assert not path.exists() and two.path.is_file()


def test_private_catalogues_are_bounded(tmp_path, monkeypatch) -> None:
    dataset = load_dataset(write_tables(tmp_path / "t", tiny_tables()))
    monkeypatch.setattr(assets, "MAX_PRIVATE_FILE_BYTES", 100)
    with pytest.raises(OSError, match="map catalogue would be 0 MB; the limit is 0 MB"):
        publish_catalog(dataset, tmp_path / "static", private=True)
    monkeypatch.setattr(assets, "MAX_PRIVATE_FILE_BYTES", 10**6)
    monkeypatch.setattr(assets, "MAX_PRIVATE_TOTAL_BYTES", 10_000)
    folder = tmp_path / "static" / assets.PRIVATE_FOLDER
    folder.mkdir(parents=True)
    (folder / "other-session.json").write_bytes(b"x" * 9_990)
    with pytest.raises(OSError, match="too many uploaded maps"):
        publish_catalog(dataset, tmp_path / "static", private=True)
    # A file left by a process that died without cleaning up is swept once it is old.
    old = time.time() - assets.PRIVATE_MAX_AGE_S - 60
    os.utime(folder / "other-session.json", (old, old))
    assert publish_catalog(dataset, tmp_path / "static", private=True).path.is_file()
    assert not (folder / "other-session.json").exists()


def test_a_missing_catalogue_is_written_again(tmp_path) -> None:
    dataset = load_dataset(write_tables(tmp_path / "t", tiny_tables()))
    for private in (False, True):
        catalog = publish_catalog(dataset, tmp_path / "static", private=private)
        catalog.path.unlink()
        again = publish_catalog(dataset, tmp_path / "static", private=private)
        assert again.path.is_file()


def zipped(directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in directory.iterdir():
            archive.write(path, path.name)
    return buffer.getvalue()


def test_an_upload_on_the_page_is_served_privately_and_removed_on_going_back(
    tiny_dir, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(tiny_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    public_before = set((STATIC_DIR / "catalog").glob("*.json"))
    private_before = private_files(STATIC_DIR)
    tables = tiny_tables()
    tables["sites"][1]["name_en"] = f"Secret site {time.time_ns()}"  # content no one has seen
    data = zipped(write_tables(tmp_path / "mine", tables))
    rec = UploadedFileRec("one", "mine.zip", "application/zip", data)
    app.session_state["upload"] = UploadedFile(rec, None)
    app.run()
    assert not app.exception
    mine = private_files(STATIC_DIR) - private_before
    assert len(mine) == 1
    assert set((STATIC_DIR / "catalog").glob("*.json")) == public_before
    (path,) = mine
    assert "Secret site" in path.read_text(encoding="utf-8")
    next(b for b in app.button if "Back to the bundled data" in b.label).click().run()
    assert not path.exists()  # removed at once, not when the garbage is collected
    assert not app.exception


def test_an_upload_is_removed_when_its_session_ends(tiny_dir, tmp_path, monkeypatch) -> None:
    from streamlit.runtime import caching

    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(tiny_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    before = private_files(STATIC_DIR)
    data = zipped(write_tables(tmp_path / "mine", tiny_tables()))
    rec = UploadedFileRec("one", "mine.zip", "application/zip", data)
    app.session_state["upload"] = UploadedFile(rec, None)
    app.run()
    (path,) = private_files(STATIC_DIR) - before
    # What Streamlit's AppSession.shutdown does for a session that disconnected.
    caching.clear_session_resource_cache("test session id")
    assert not path.exists()


def test_a_second_upload_replaces_the_first_file(tiny_dir, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(tiny_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    before = private_files(STATIC_DIR)
    data = zipped(write_tables(tmp_path / "mine", tiny_tables()))
    for file_id in ("one", "two"):
        rec = UploadedFileRec(file_id, "mine.zip", "application/zip", data)
        app.session_state["upload"] = UploadedFile(rec, None)
        app.run()
        assert len(private_files(STATIC_DIR) - before) == 1
