"""A session's first run sends the map first; the rest comes once the map has painted."""

from __future__ import annotations

from components.first_screen import HOLDING, first_screen_only
from tests.fixtures import first_run


def test_the_first_run_sends_the_map_and_its_date_and_the_rest_follows(
    tiny_dir, monkeypatch
) -> None:
    app = first_run(tiny_dir, monkeypatch, date="2020-06-01", lang="ar", status="active")
    assert app.session_state[HOLDING] is True
    # The map and its date heading; no slider, no settings, no tools yet.
    assert any("2020" in h.value for h in app.markdown if h.value.startswith("###"))
    assert not app.slider and not app.sidebar.selectbox and not app.sidebar.toggle
    assert not app.multiselect
    assert "map_painted" in {button.key for button in app.button}
    # The map says it has painted: everything else comes, with the link's values kept.
    app.button(key="map_painted").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state[HOLDING] is False
    assert str(app.slider(key="date").value) == "2020-06-01"
    assert app.selectbox(key="lang").value == "ar"
    assert app.multiselect(key="f_status").value == ["active"]
    assert app.toggle(key="briefing").value is False
    # Held back once per session only: a later run never leaves the settings out again.
    app.slider(key="date").set_value(app.slider(key="date").value).run()
    assert app.selectbox(key="lang").value == "ar" and app.slider


def test_a_session_that_opens_on_a_briefing_sends_everything_at_once(tiny_dir, monkeypatch) -> None:
    app = first_run(tiny_dir, monkeypatch, mode="briefing", step="1")
    assert app.session_state[HOLDING] is False
    assert app.sidebar.selectbox and app.toggle(key="briefing").value is True


def test_holding_back_ends_with_the_first_paint_and_never_starts_again() -> None:
    state: dict = {"briefing": False}
    assert first_screen_only(state) is True
    assert first_screen_only(state) is True
    state["map_has_painted"] = True
    assert first_screen_only(state) is False
    state["map_has_painted"] = False  # e.g. cleared: still not again
    assert first_screen_only(state) is False
    assert first_screen_only({"briefing": True}) is False
