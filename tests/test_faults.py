"""Faults: a full disk, concurrent writers, static/ deleted while running, pipes and huge files as tables."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from components import assets
from components.assets import write_atomically
from components.dataset import MAX_FILE_BYTES, DatasetError, load_dataset
from components.upload import MAX_UPLOAD_BYTES
from tests.conftest import tiny_tables, write_tables
from tests.fixtures import run_validate

ROOT = Path(__file__).resolve().parent.parent


def validate(*args: str) -> subprocess.CompletedProcess[str]:
    # A pipe or /dev/zero read as a table would hang or never end: the timeout would fail this.
    return run_validate(*args, timeout=60)


def test_a_failed_write_leaves_neither_a_partial_file_nor_a_temporary_one(
    tmp_path, monkeypatch
) -> None:
    target = tmp_path / "catalog" / "a.json"
    write_atomically(target, b"old")

    def disk_full(handle, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", disk_full)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["a.json"]


def test_concurrent_writers_of_one_file_never_collide(tmp_path) -> None:
    target = tmp_path / "catalog" / "same.json"
    bodies = [bytes([65 + n]) * 200_000 for n in range(8)]
    failures: list[BaseException] = []

    def writer(body: bytes) -> None:
        try:
            for _ in range(20):
                write_atomically(target, body)
                assert target.read_bytes() in bodies  # never half of one
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert [p.name for p in target.parent.iterdir()] == ["same.json"]


def test_static_assets_come_back_after_the_folder_is_deleted(tmp_path) -> None:
    static = tmp_path / "static"
    assets.ensure_static_assets(static)
    assert assets.static_assets_present(static)
    shutil.rmtree(static)
    assert not assets.static_assets_present(static)
    assets.ensure_static_assets(static)
    assert assets.static_assets_present(static)


def test_the_page_restores_static_after_it_was_deleted(tiny_dir, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(tiny_dir))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    shutil.rmtree(assets.STATIC_DIR)
    app.run()
    assert not app.exception and not app.error
    assert assets.static_assets_present(assets.STATIC_DIR)
    assert list((assets.STATIC_DIR / "catalog").glob("*.json"))  # the catalogue too


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "d", tiny_tables())


def test_a_pipe_as_a_table_is_refused_not_waited_for(data_dir) -> None:
    (data_dir / "events.csv").unlink()
    os.mkfifo(data_dir / "events.csv")
    with pytest.raises(DatasetError) as caught:
        load_dataset(data_dir)
    assert [str(p) for p in caught.value.problems] == [
        "events.csv: is not a regular file (a pipe, a device or a folder)"
    ]
    done = validate(str(data_dir))
    assert done.returncode == 1 and "events.csv: is not a regular file" in done.stdout


def test_dev_zero_as_a_table_is_refused(data_dir) -> None:
    (data_dir / "sources.csv").unlink()
    (data_dir / "sources.csv").symlink_to("/dev/zero")
    done = validate(str(data_dir))
    assert done.returncode == 1
    assert "sources.csv: is not a regular file (a pipe, a device or a folder)" in done.stdout


def test_a_huge_table_is_refused_by_its_size_unread(data_dir) -> None:
    with (data_dir / "sites.csv").open("r+b") as handle:
        handle.truncate(2 * 1024**3)  # sparse: 2 GB that take no disk
    done = validate(str(data_dir))
    assert done.returncode == 1
    assert f"sites.csv: is 2,147,483,648 bytes; the limit is {MAX_FILE_BYTES:,}" in done.stdout


def test_pipes_devices_and_huge_files_given_to_validate(tmp_path) -> None:
    os.mkfifo(tmp_path / "data.zip")
    done = validate(str(tmp_path / "data.zip"))
    assert done.returncode == 1 and "data.zip: is not a regular file" in done.stdout
    done = validate("/dev/zero")
    assert done.returncode == 1 and "zero: is not a regular file" in done.stdout
    with (tmp_path / "huge.zip").open("wb") as handle:
        handle.truncate(2 * 1024**3)
    done = validate(str(tmp_path / "huge.zip"))
    assert done.returncode == 1
    assert f"huge.zip: is 2048.0 MB; the limit is {MAX_UPLOAD_BYTES // 1_048_576} MB" in done.stdout


def test_a_pipe_as_the_data_directory_on_the_page(tmp_path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    directory = write_tables(tmp_path / "d", tiny_tables())
    (directory / "phases.csv").unlink()
    os.mkfifo(directory / "phases.csv")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(directory))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    assert not app.exception
    assert "cannot be shown" in app.error[0].value
