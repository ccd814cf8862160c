"""Coalition Footprint in Iraq: the Streamlit page. Wiring only; the views are in components/views/.

Each run: read the view (from the link on a session's first run), load the data, draw the
sidebar and the analyst or briefing view, and write the view back into the link.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components import tools_panel
from components.briefing import briefing_steps
from components.i18n import languages, t
from components.settings import read_map_settings
from components.streamlit_dom import translated_chrome
from components.timeline import record_span
from components.url_state import View
from components.views.analyst import analyst_view
from components.views.briefing import briefing_view
from components.views.loading import load_or_explain, map_assets_ready, map_catalog
from components.views.page import page_messages, page_style
from components.views.session import Session
from components.views.sidebar import sidebar

# The date a session opens on when its link names none: the 2024 joint statement.
DEFAULT_DATE = dt.date(2024, 9, 27)

st.set_page_config(page_title="Coalition Footprint in Iraq", layout="wide")
session = Session.current()
bundled = load_or_explain()
if not session.started:
    # The first run of a session takes its view from the link; bad values warn and fall back.
    first, last = record_span(bundled)
    view, session.url_warnings = View.from_query(
        st.query_params,
        first=first,
        last=last,
        default_date=DEFAULT_DATE,
        sites=set(bundled.sites["site_id"]),
        step_count=len(briefing_steps(bundled)),
        languages=languages(),
        filter_choices=tools_panel.filter_choices(bundled),
    )
    session.show(view)

map_settings = read_map_settings()
online_tiles = sidebar(session, map_settings)
lang = session.lang
dataset = session.user_dataset if session.user_dataset is not None else bundled
page_style(lang, session.briefing, session.high_contrast)
translated_chrome(lang)
if not session.briefing:
    st.title(t("title", lang))
    st.caption(t("tagline", lang))
page_messages(session, dataset, map_settings.problem)
map_assets_ready(lang)
catalog = map_catalog(dataset, lang, private=session.user_dataset is not None)
if session.briefing:
    briefing_view(session, dataset, catalog, online_tiles, lang)
else:
    analyst_view(session, dataset, catalog, online_tiles, lang)

# The link always holds the view, so a link pasted into a briefing opens the same thing.
wanted = session.view().to_query()
for name in [n for n in st.query_params if n not in wanted]:
    del st.query_params[name]
for name, value in wanted.items():
    if st.query_params.get(name) != value:
        st.query_params[name] = value
