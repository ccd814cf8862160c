"""Shared test builders: the page run by Streamlit's AppTest on a data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run_app(data_dir: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    """The page on `data_dir` with the given link values, run once; it must not raise."""
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(data_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    # In a browser the map presses this once its markers are painted; then the rest is drawn.
    if "map_painted" in {button.key for button in app.button}:
        app.button(key="map_painted").click().run()
        assert not app.exception, [e.value for e in app.exception]
    return app
