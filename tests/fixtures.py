"""Shared test builders: the page run by Streamlit's AppTest on a data directory, and what the
browser tests wait for instead of a fixed time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def run_validate(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The validate command (`python -m components.validate`) run as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "components.validate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def first_run(data_dir: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    """The page on `data_dir` with the given link values, its first run only (before the map
    says it has painted); it must not raise."""
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(data_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def run_app(data_dir: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    """The page on `data_dir` with the given link values, as a browser ends up with it; it must
    not raise."""
    app = first_run(data_dir, monkeypatch, **params)
    # In a browser the map presses this once its markers are painted; then the rest is drawn.
    if "map_painted" in {button.key for button in app.button}:
        app.button(key="map_painted").click().run()
        assert not app.exception, [e.value for e in app.exception]
    return app


# Streamlit marks its app element with the script's state; "notRunning" once a run is over.
IDLE = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""


def wait_until_idle(page, timeout: int = 30_000) -> None:
    """Waits until the page's script run is over (call it after something shows that the run
    asked for has started, or it may return before that run)."""
    page.wait_for_function(IDLE, timeout=timeout)


def wait_for_frame_height(page, selector: str, expected: float, timeout: int = 20_000) -> None:
    """Waits until the page's style has sized a frame to `expected` pixels tall (within 2 px)."""
    page.wait_for_function(
        """([selector, expected]) => {
            const frame = document.querySelector(selector);
            return frame !== null && Math.abs(frame.getBoundingClientRect().height - expected) <= 2;
        }""",
        arg=[selector, expected],
        timeout=timeout,
    )
