"""The page, run by Streamlit's AppTest: slider, ?date= and ?site= links, bad links, bad data."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import tiny_tables, write_tables
from tests.fixtures import run_app


def table(app: AppTest, first_column: str):
    for frame in app.dataframe:
        if first_column in frame.value.columns and frame.value.columns[0] == first_column:
            return frame.value
    raise AssertionError(f"no table starting with {first_column}")


def heading(app: AppTest) -> str:
    return next(m.value for m in app.markdown if m.value.startswith("### "))


def test_slider_moves_the_sites_table_and_url(tiny_dir, monkeypatch) -> None:
    app = run_app(tiny_dir, monkeypatch, date="2005-06-01")
    assert app.slider(key="date").value == dt.date(2005, 6, 1)
    assert app.slider(key="date").proto.format == "D MMM YYYY"
    assert table(app, "Site")["Status"].tolist() == ["Active"]
    app.slider(key="date").set_value(dt.date(2012, 6, 1)).run()
    assert table(app, "Site")["Status"].tolist() == ["Handed over"]
    assert app.query_params["date"] == ["2012-06-01"] or app.query_params["date"] == "2012-06-01"
    assert "Gap" in heading(app)
    app.slider(key="date").set_value(dt.date(2020, 1, 1)).run()
    sites = table(app, "Site").set_index("Id")
    assert sites.loc["alpha", "Certainty"] == "Disputed"
    assert sites.loc["bravo", "Status"] == "Active"


def test_troop_figures_in_force_keep_disputed_pairs(tiny_dir, monkeypatch) -> None:
    app = run_app(tiny_dir, monkeypatch, date="2011-06-01")
    phase_figures, figures = [f.value for f in app.dataframe if "Figure" in f.value.columns]
    assert sorted(phase_figures["Figure"]) == [47000, 50000, 170000]
    assert sorted(figures["Figure"]) == [47000, 50000]
    assert set(figures["Certainty"]) == {"Disputed"}


def test_site_link_opens_its_detail(tiny_dir, monkeypatch) -> None:
    app = run_app(tiny_dir, monkeypatch, date="2020-01-01", site="bravo")
    assert app.selectbox(key="site").value == "bravo"
    assert any(h.value == "Bravo Camp" for h in app.subheader)
    history = table(app, "From")
    assert history["Status"].tolist() == ["Active", "Closed"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date": "not-a-date"}, "is not a date written as YYYY-MM-DD"),
        ({"date": "1990-01-01"}, "is outside the record"),
        ({"date": "2025-02-30"}, "is not a date written as YYYY-MM-DD"),
        ({"site": "<script>alert(1)</script>"}, "is not in the data"),
    ],
)
def test_bad_link_values_warn_and_fall_back(tiny_dir, monkeypatch, params, expected) -> None:
    app = run_app(tiny_dir, monkeypatch, **params)
    shown = [w.value for w in app.warning]
    assert all("<script>" not in w for w in shown)
    warnings = [html.unescape(w) for w in shown]
    assert any(expected in w for w in warnings), warnings
    assert app.slider(key="date").value == dt.date(2024, 9, 27)
    assert app.selectbox(key="site").value is None


def test_event_buttons_step_between_events(tiny_dir, monkeypatch) -> None:
    app = run_app(tiny_dir, monkeypatch, date="2005-01-01")
    next(b for b in app.button if "Next event" in b.label).click().run()
    assert app.slider(key="date").value == dt.date(2011, 12, 18)
    next(b for b in app.button if "Next event" in b.label).click().run()
    assert app.slider(key="date").value == dt.date(2025, 8, 1)
    next(b for b in app.button if "Previous event" in b.label).click().run()
    assert app.slider(key="date").value == dt.date(2011, 12, 18)


def test_dates_after_the_newest_source_say_so(tiny_dir, monkeypatch) -> None:
    app = run_app(tiny_dir, monkeypatch, date="2026-06-01")
    assert any("Data as of 1 October 2025" in html.unescape(w.value) for w in app.warning)
    app.slider(key="date").set_value(dt.date(2025, 1, 1)).run()
    assert not any("Data as of" in w.value for w in app.warning)


def test_broken_data_shows_every_problem_not_a_traceback(tmp_path, monkeypatch) -> None:
    tables = tiny_tables()
    tables["sites"][0]["lat"] = "north"
    tables["site_status"][0]["status"] = "<b>occupied</b>"
    app = run_app(write_tables(tmp_path / "bad", tables), monkeypatch)
    assert app.error and "cannot be shown" in app.error[0].value
    listing = next(m.value for m in app.markdown if "sites" in m.value)
    assert "<b>" not in listing
    assert "sites.csv, line 2, column lat: 'north' is not a number" in html.unescape(listing)
    assert "'<b>occupied</b>' is not one of" in html.unescape(listing)


def test_hostile_site_name_is_escaped_in_the_page(tmp_path, monkeypatch) -> None:
    tables = tiny_tables()
    tables["sites"][1]["name_en"] = "<img src=x onerror=alert(1)> $x$ `y`"
    app = run_app(
        write_tables(tmp_path / "hostile", tables), monkeypatch, date="2020-01-01", site="bravo"
    )
    assert (
        table(app, "Site").set_index("Id").loc["bravo", "Site"].startswith("<img")
    )  # plain-text cell
    for block in app.markdown:
        assert "<img" not in block.value


def test_briefing_link_opens_that_step_with_its_date_and_phase(tiny_dir, monkeypatch) -> None:
    app = run_app(tiny_dir, monkeypatch, mode="briefing", step="2")
    titles = [m.value for m in app.markdown if m.value.startswith("## ")]
    assert titles and "Gap" in html.unescape(titles[0])
    assert "Step 2 of 3" in titles[0] and "30 June 2014" in titles[0]  # a phase shows as it ended
    assert not app.slider  # analyst controls are hidden
    changes = next(m.value for m in app.markdown if m.value.startswith("- "))
    # The site's name is an isolated run (FSI…PDI), so it keeps its order in Arabic lines.
    assert "\u2068Alpha Base\u2069: Active → Handed over" in html.unescape(changes)
    next(b for b in app.button if "Next" in b.label).click().run()
    assert app.query_params["step"] in (["3"], "3")
    assert "Late" in html.unescape(next(m.value for m in app.markdown if m.value.startswith("## ")))
    assert next(b for b in app.button if "Next" in b.label).disabled


def test_briefing_first_last_and_leaving_at_the_slide_date(tiny_dir, monkeypatch) -> None:
    app = run_app(tiny_dir, monkeypatch, mode="briefing", step="2")
    app.button(key="brief_last").click().run()
    assert app.query_params["step"] in (["3"], "3")
    app.button(key="brief_first").click().run()
    assert app.query_params["step"] in (["1"], "1")
    assert app.button(key="brief_first").disabled and app.button(key="brief_previous").disabled
    # Leaving takes one click and opens the analyst view at the slide's date (2011-12-18).
    app.button(key="brief_leave").click().run()
    assert app.slider(key="date").value == dt.date(2011, 12, 18)
    assert app.query_params["date"] in (["2011-12-18"], "2011-12-18")
    assert "mode" not in app.query_params


def test_slides_after_the_newest_source_say_they_show_plans(monkeypatch) -> None:
    from components.briefing import briefing_steps
    from components.dataset import DATA_DIR, load_dataset

    last = len(briefing_steps(load_dataset(DATA_DIR)))  # After Sep 2026: planned, not reported
    app = run_app(DATA_DIR, monkeypatch, mode="briefing", step=str(last))
    assert any("it shows plans, not events" in w.value for w in app.warning)
    app = run_app(DATA_DIR, monkeypatch, mode="briefing", step="2")
    assert not any("shows plans" in w.value for w in app.warning)


def test_bad_step_warns_and_opens_the_first(tiny_dir, monkeypatch) -> None:
    app = run_app(tiny_dir, monkeypatch, mode="briefing", step="99")
    assert any("is not between 1 and 3" in html.unescape(w.value) for w in app.warning)
    assert "Step 1 of 3" in next(m.value for m in app.markdown if m.value.startswith("## "))


def test_arabic_interface(tiny_dir, monkeypatch) -> None:
    app = run_app(tiny_dir, monkeypatch, lang="ar", date="2012-06-01")
    assert app.title[0].value == "انتشار قوات التحالف في العراق"
    assert app.slider(key="date").label == "التاريخ"
    assert app.slider(key="date").proto.format == "YYYY-MM-DD"  # no English month names
    heading = html.unescape(heading_of(app))
    # One line over the map: the date and the phase's name; its dates are in the phase panel.
    assert heading == "### 1 حزيران 2012 · Gap"
    assert any(
        html.unescape(c.value).startswith("كما جرى فعلاً: 19 كانون الأول 2011 – ")
        for c in app.caption
    )
    sites = next(f.value for f in app.dataframe if "الموقع" in f.value.columns)
    assert sites["الحالة"].tolist() == ["سُلّم"]
    assert sites["الموقع"].tolist() == ["قاعدة ألفا"]  # the Arabic name from the data
    style = "".join(str(h.proto) for h in app.get("html"))
    assert "direction: rtl" in style


def heading_of(app: AppTest) -> str:
    return next(m.value for m in app.markdown if m.value.startswith("### "))


def test_upload_replaces_the_data_for_this_session_and_bad_upload_lists_problems(
    tiny_dir, monkeypatch, tmp_path
) -> None:
    import io
    import zipfile

    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    def zipped(directory) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in directory.iterdir():
                archive.write(path, path.name)
        return buffer.getvalue()

    def uploaded(name: str, data: bytes, file_id: str) -> UploadedFile:
        return UploadedFile(UploadedFileRec(file_id, name, "application/zip", data), None)

    app = run_app(tiny_dir, monkeypatch, date="2020-01-01")
    tables = tiny_tables()
    tables["sites"][1]["name_en"] = "Charlie Field"
    mine = write_tables(tmp_path / "mine", tables)
    app.session_state["upload"] = uploaded("mine.zip", zipped(mine), "one")
    app.run()
    assert not app.exception
    assert "Charlie Field" in table(app, "Site")["Site"].tolist()
    assert any("mine.zip" in html.unescape(c.value) for c in app.sidebar.caption)
    tables["sites"][0]["lat"] = "north"
    broken = write_tables(tmp_path / "broken", tables)
    app.session_state["upload"] = uploaded("broken.zip", zipped(broken), "two")
    app.run()
    assert "broken.zip was not loaded: 1 problem" in html.unescape(app.error[0].value)
    listing = html.unescape(next(m.value for m in app.markdown if "north" in m.value))
    assert "sites.csv, line 2, column lat: 'north' is not a number" in listing
    assert "Charlie Field" in table(app, "Site")["Site"].tolist()  # the last good data stays


def test_event_titles_follow_the_language_where_the_data_has_them(tiny_dir, monkeypatch) -> None:
    english = run_app(tiny_dir, monkeypatch, date="2011-12-20")
    assert table(english, "Date")["Event"].tolist() == ["Exit"]
    arabic = run_app(tiny_dir, monkeypatch, lang="ar", date="2011-12-20")
    assert table(arabic, "التاريخ")["الحدث"].tolist() == ["الانسحاب"]
    assert table(arabic, "التاريخ")["النوع"].tolist() == ["انسحاب"]  # kind "withdrawal"
    # An event with no Arabic title keeps its English one rather than showing nothing.
    arabic.slider(key="date").set_value(dt.date(2025, 8, 15)).run()
    assert table(arabic, "التاريخ")["الحدث"].tolist() == ["Convoy"]


@pytest.mark.parametrize(
    ("day", "phase", "plan", "figure", "after_sources"),
    [
        ("2011-12-25", "Residual presence 2012-14", "2008 agreements & 2011 exit", 147, False),
        ("2013-06-01", "Residual presence 2012-14", None, 147, False),
        ("2014-07-01", "Return against ISIS", None, 500, False),
        ("2025-11-01", "Phase 1: federal Iraq", "Phase 2: Erbil", None, False),
        ("2026-02-01", "Phase 2: Erbil", None, 2500, False),
        ("2026-11-01", "Phase 2: Erbil", "After Sep 2026", 2500, True),
    ],
)
def test_bundled_record_shows_phase_plan_and_figures_across_the_years(
    monkeypatch, day, phase, plan, figure, after_sources
) -> None:
    from components.dataset import DATA_DIR

    app = run_app(DATA_DIR, monkeypatch, date=day)
    assert phase in html.unescape(heading(app))
    notes = " ".join(n.value for n in [*app.caption, *app.info])
    if plan:
        assert f"By the plan, this date was in {plan}" in html.unescape(notes)
    else:
        assert "By the plan" not in html.unescape(notes)
    warnings = " ".join(w.value for w in app.warning)
    assert ("plans and the last reports" in html.unescape(warnings)) == after_sources
    if after_sources:
        assert "newest source is" in html.unescape(warnings)
    # The figures in force come after the phase's own figures in the side panel.
    figures = [
        f.value for f in app.dataframe if "Counts" in f.value.columns and "As of" in f.value.columns
    ][-1]
    in_force = figures[figures["Counts"] == "troops present"]
    if figure is not None:
        assert figure in set(in_force["Figure"])
    # A convoy never stands in for a garrison.
    assert 500 not in set(in_force["Figure"]) or day.startswith("2014")


def test_compare_filters_and_search_from_a_link(monkeypatch) -> None:
    from components.compare import compare as compare_dates
    from components.dataset import DATA_DIR, load_dataset

    app = run_app(
        DATA_DIR, monkeypatch, date="2020-09-01", compare="2019-12-01", status="handed_over"
    )
    heading_text = next(
        m.value for m in app.markdown if m.value.startswith("#### What changed from")
    )
    assert "2019-12-01" in heading_text and "2020-09-01" in heading_text
    changes = table(app, "What")
    expected = compare_dates(load_dataset(DATA_DIR), "2019-12-01", "2020-09-01")
    sites = changes[changes["What"] == "site"]
    assert len(sites) == len(expected.sites)
    # The filter narrows the sites table, and the link keeps compare and filter.
    assert set(table(app, "Site")["Status"]) == {"Handed over"}
    assert any("Filtered:" in c.value for c in app.caption)
    params = {k: app.query_params[k] for k in ("compare", "status")}
    assert all(
        v in (["2019-12-01"], "2019-12-01", ["handed_over"], "handed_over") for v in params.values()
    )
    # Search by an Arabic name opens that site's detail.
    app.text_input(key="search").set_value("عين الاسد").run()
    assert app.session_state["site"] == "ain_al_asad"


def test_bad_compare_and_filter_values_warn(monkeypatch) -> None:
    from components.dataset import DATA_DIR

    app = run_app(DATA_DIR, monkeypatch, date="2020-09-01", compare="soon", status="<script>")
    warnings = html.unescape(" ".join(w.value for w in app.warning))
    assert "'soon'" in warnings and "'<script>'" in warnings
    assert not any(m.value.startswith("#### What changed") for m in app.markdown)


def test_a_force_filter_narrows_the_table_and_the_csv_and_stays_in_the_link(monkeypatch) -> None:
    import io

    import pandas as pd
    from streamlit.runtime.media_file_manager import MediaFileManager

    from components.dataset import DATA_DIR

    # The CSV is built when its button is pressed: keep the builder to press it here.
    builders: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        builders[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    app = run_app(DATA_DIR, monkeypatch, date="2018-01-01", force="uk")
    assert app.multiselect(key="f_force").value == ["uk"]
    sites = table(app, "Site")
    assert sites["Id"].tolist() == ["besmaya"]
    assert "U.K." in sites["Forces"].iloc[0] and "Spain" in sites["Forces"].iloc[0]
    exported = pd.read_csv(io.BytesIO(builders["coalition-footprint-2018-01-01.csv"]()))
    assert exported["site_id"].tolist() == ["besmaya"]
    assert "uk" in exported["forces"].iloc[0].split(";")
    assert exported["forces_sources"].iloc[0]  # the sources that name the nations
    link = app.query_params["force"]
    assert link in ("uk", ["uk"])
    # Choosing "not stated" as well widens the view, and the link follows.
    app.multiselect(key="f_force").set_value(["uk", "not_stated"]).run()
    widened = table(app, "Site")
    assert {"besmaya", "al_qaim", "mosul"} <= set(widened["Id"])
    assert set(widened.loc[widened["Id"] != "besmaya", "Forces"]) == {"not stated"}
    assert app.query_params["force"] in ("uk,not_stated", ["uk,not_stated"])


def test_a_force_filter_reads_in_arabic_and_a_bad_force_warns(monkeypatch) -> None:
    from components.dataset import DATA_DIR

    app = run_app(DATA_DIR, monkeypatch, date="2018-01-01", force="uk,<b>narnia</b>", lang="ar")
    warnings = html.unescape(" ".join(w.value for w in app.warning))
    assert "'<b>narnia</b>'" in warnings
    assert app.multiselect(key="f_force").value == ["uk"]
    assert app.multiselect(key="f_force").label == "القوات المعروضة (الدول)"
    sites = table(app, "الموقع")
    assert "المملكة المتحدة" in sites["القوات"].iloc[0]


def test_a_site_history_names_its_nations_and_lists_the_passages_that_name_them(
    monkeypatch,
) -> None:
    from components.dataset import DATA_DIR

    app = run_app(DATA_DIR, monkeypatch, date="2018-01-01", site="besmaya")
    history = table(app, "From")
    forces = dict(zip(history["Status"] + " " + history["From"], history["Forces"]))
    assert forces["Active 2015 (year only)"].startswith("Spain, U.S., U.K.")
    assert forces["Handed over 25 July 2020"] == "not stated"
    # The passage naming the nations is among the site's sources, in Arabic and in English.
    assert any("iraninsider.net" in html.unescape(e.label) for e in app.expander)
    shown = " ".join(m.value for m in app.markdown)
    assert "بريطانية" in shown and "British" in shown


def test_the_strip_and_the_adapter_sit_under_the_date_slider(tiny_dir, monkeypatch) -> None:
    from components.dataset import load_dataset
    from components.slider_strip import short_day
    from components.timeline import record_span

    app = run_app(tiny_dir, monkeypatch, date="2005-06-01", lang="ar")
    bodies = [h.proto.body for h in app.get("html")]
    strip = next(body for body in bodies if 'class="fp-strip"' in body)
    first, last = record_span(load_dataset(tiny_dir))
    # The slider's own range, named at both ends in the page's language, before any touch.
    assert short_day(first, "ar") in strip and short_day(last, "ar") in strip
    assert strip.count('class="fp-strip-band"') == 3  # the tiny dataset's three phases
    adapter = next(h.proto for h in app.get("html") if "footprintStreamlit" in h.proto.body)
    assert adapter.unsafe_allow_javascript
    assert '"monthKeysOn": ["date"]' in adapter.body


def test_an_empty_last_reported_cell_is_empty_not_none(monkeypatch) -> None:
    from components.dataset import DATA_DIR

    app = run_app(DATA_DIR, monkeypatch, date="2026-06-01", lang="ar")
    sites = table(app, "الموقع")
    shown = sites["آخر تقرير"]
    assert not shown.isna().any() and "None" not in set(shown.astype(str))
    assert "" in set(shown)  # periods whose sources carry no date
