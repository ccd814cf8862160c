"""Loading for the page: the bundled (or configured) data once per change, the map's files once
per server, the dataset's map catalogue; each failure said on the page without server paths."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from components import map_view, panels
from components.assets import AssetError, ensure_static_assets, static_assets_present
from components.dataset import DATA_DIR, Dataset, DatasetError, load_dataset
from components.i18n import t
from components.report import problem_report
from components.views.sidebar import show_problems


@st.cache_resource(show_spinner=False)
def cached_dataset(path: str, stamp: tuple[float, ...]) -> Dataset:
    """Loads once per data directory and file modification times (stamp is only a cache key)."""
    return load_dataset(path)


@st.cache_resource(show_spinner=False)
def static_assets_problem() -> str | None:
    """Puts the map's files under static/ once per server; returns what went wrong, if anything."""
    try:
        ensure_static_assets()
    except AssetError as error:
        return str(error)
    except OSError as error:
        return error.strerror if error.filename else str(error)  # no server path on the page
    return None


def map_assets_ready(lang: str) -> None:
    """The map's files in place (again, if static/ was deleted while running), or a message."""
    if not static_assets_present():
        static_assets_problem.clear()
    problem = static_assets_problem()
    if problem:
        st.error(t("map_cannot_draw", lang, problem=panels.safe_text(problem)))


def map_catalog(data: Dataset, lang: str, private: bool) -> map_view.MapCatalog | None:
    """The map's per-dataset catalogue under static/; None (and a message) if it cannot be written.

    An upload's (`private`) is this session's own and is deleted when the session drops it.
    """
    try:
        return map_view.publish_catalog(data, private=private)
    except OSError as error:
        # The reason without the file's path: server paths stay private.
        reason = error.strerror if error.filename else str(error)
        st.error(t("map_cannot_draw", lang, problem=panels.safe_text(reason)))
        return None


def data_directory() -> Path:
    return Path(os.environ.get("FOOTPRINT_DATA_DIR") or DATA_DIR)


def load_or_explain() -> Dataset:
    """The data the page shows by default; a dataset that cannot be shown stops the page with
    its problems listed."""
    directory = data_directory()
    csv_files = sorted(directory.glob("*.csv")) if directory.is_dir() else []
    stamp = tuple(p.stat().st_mtime for p in csv_files)
    try:
        return cached_dataset(str(directory), stamp)
    except DatasetError as error:
        st.error(t("data_cannot_show", "en", place=panels.safe_text(directory.name)))
        # The directory by its last part only: server paths stay private.
        show_problems(problem_report(error, rename={str(directory): directory.name}), "en")
        st.stop()
        raise
