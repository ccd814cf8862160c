"""The session's state, typed: the one place that names the keys of st.session_state.

Widgets keyed with one of these names (`Session.date.key`) keep their value in the same entry,
so a widget, a callback and a view all read and write one value. The view that a link can
carry is read and written as one `View` (components/url_state.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from typing import Any, Generic, TypeVar, overload

import streamlit as st

from components.url_state import FILTER_KINDS, View

Value = TypeVar("Value")


class Entry(Generic[Value]):
    """One session key with its type and its value when unset."""

    def __init__(self, key: str, default: Value) -> None:
        self.key = key
        self.default = default

    @overload
    def __get__(self, owner: None, kind: type) -> Entry[Value]: ...
    @overload
    def __get__(self, owner: Session, kind: type) -> Value: ...
    def __get__(self, owner: Session | None, kind: type) -> Value | Entry[Value]:
        if owner is None:
            return self  # Session.date is the entry itself: Session.date.key names the widget
        return owner.store.get(self.key, self.default)

    def __set__(self, owner: Session, value: Value) -> None:
        owner.store[self.key] = value

    def __delete__(self, owner: Session) -> None:
        owner.store.pop(self.key, None)


# The filters' widget keys, by the filter's name in the URL.
FILTER_KEYS = {kind: f"f_{kind}" for kind in FILTER_KINDS}


class Session:
    """Typed access to one session's state (st.session_state, or a dict in tests)."""

    # The view a link can carry.
    date: Entry[dt.date] = Entry("date", dt.date(2024, 9, 27))
    site: Entry[str | None] = Entry("site", None)
    briefing: Entry[bool] = Entry("briefing", False)
    step: Entry[int] = Entry("step", 1)
    lang: Entry[str] = Entry("lang", "en")
    compare_on: Entry[bool] = Entry("compare_on", False)
    compare_date: Entry[dt.date | None] = Entry("compare_date", None)
    # The link's warnings, shown on every run of the session.
    url_warnings: Entry[list[str]] = Entry("url_warnings", [])
    # Briefing playback.
    playing: Entry[bool] = Entry("playing", False)
    play_date: Entry[dt.date | None] = Entry("play_date", None)
    play_speed: Entry[str | None] = Entry("play_speed", None)
    high_contrast: Entry[bool] = Entry("high_contrast", False)
    # The analyst view's helpers.
    phase_jump: Entry[str | None] = Entry("phase_jump", None)
    search: Entry[str] = Entry("search", "")
    search_hits: Entry[list[str] | None] = Entry("search_hits", None)
    last_click: Entry[tuple | None] = Entry("last_click", None)
    map_has_painted: Entry[bool] = Entry("map_has_painted", False)
    map_paint_waited: Entry[bool] = Entry("map_paint_waited", False)
    online_tiles: Entry[bool | None] = Entry("online_tiles", None)
    # An analyst's own data.
    upload: Entry[Any] = Entry("upload", None)
    upload_seen: Entry[str | None] = Entry("upload_seen", None)
    upload_name: Entry[str] = Entry("upload_name", "")
    upload_problems: Entry[Any] = Entry("upload_problems", None)
    user_dataset: Entry[Any] = Entry("user_dataset", None)
    user_dataset_name: Entry[str] = Entry("user_dataset_name", "")

    def __init__(self, store: MutableMapping[str, Any]) -> None:
        self.store = store

    @classmethod
    def current(cls) -> Session:
        return cls(st.session_state)

    @property
    def started(self) -> bool:
        """True once the session has taken its view (from the link, on its first run)."""
        return Session.date.key in self.store

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {kind: tuple(self.store.get(key) or ()) for kind, key in FILTER_KEYS.items()}

    def view(self) -> View:
        """The view on screen, as a link would carry it."""
        return View(
            date=self.date,
            site=self.site,
            briefing=self.briefing,
            step=self.step,
            lang=self.lang,
            compare=self.compare_date if self.compare_on else None,
            filters=self.filters(),
        )

    def show(self, view: View) -> None:
        """Puts a view on screen (a link's, on the session's first run)."""
        self.date = view.date
        self.site = view.site
        self.briefing = view.briefing
        self.step = view.step
        self.lang = view.lang
        self.compare_on = view.compare is not None
        self.compare_date = view.compare
        for kind, key in FILTER_KEYS.items():
            self.store[key] = list(view.filters.get(kind, ()))

    def stop_playing(self) -> None:
        self.playing = False
        del self.play_date
