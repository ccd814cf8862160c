"""The typed session accessor: one place for the session's keys, and the view as one value."""

from __future__ import annotations

import datetime as dt

from components.url_state import View
from components.views.session import FILTER_KEYS, Session


def test_a_new_session_reads_its_defaults_and_has_not_started() -> None:
    session = Session({})
    assert not session.started
    assert (session.step, session.lang, session.briefing, session.site) == (1, "en", False, None)
    assert session.filters() == {kind: () for kind in FILTER_KEYS}


def test_a_view_put_on_screen_is_the_view_read_back() -> None:
    store: dict = {}
    session = Session(store)
    view = View(
        date=dt.date(2020, 1, 3),
        site="ain_al_asad",
        lang="ar",
        compare=dt.date(2019, 12, 1),
        filters={"status": ("active",), "force": ("us", "not_stated")},
    )
    session.show(view)
    assert session.started and session.view() == view
    # The widgets keep their values under the same keys.
    assert store[Session.date.key] == dt.date(2020, 1, 3)
    assert store[FILTER_KEYS["force"]] == ["us", "not_stated"]
    # Turning the comparison off leaves its date for later but takes it out of the view.
    session.compare_on = False
    assert session.view().compare is None and session.compare_date == dt.date(2019, 12, 1)


def test_stopping_playback_forgets_where_it_was() -> None:
    session = Session({})
    session.playing = True
    session.play_date = dt.date(2012, 1, 1)
    session.stop_playing()
    assert not session.playing and session.play_date is None
    assert "play_date" not in session.store
