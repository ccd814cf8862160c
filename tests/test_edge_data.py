"""Valid edge data renders without a traceback, and data that cannot render is refused with a message."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.dataset import DatasetError, load_dataset
from tests.conftest import FILES, tiny_tables, write_tables
from tests.fixtures import run_app as render


def loads_or_is_refused(directory: Path) -> bool:
    """True when the validator accepts the data; a refusal must say what is wrong."""
    try:
        load_dataset(directory)
    except DatasetError as error:
        assert error.problems and all(p.message for p in error.problems)
        return False
    return True


def emptied(tmp_path: Path, names: list[str]) -> Path:
    """The tiny dataset with the named tables cut to their header (references to them removed)."""
    tables = tiny_tables()
    for name in names:
        tables[name] = []
    if "sites" in names:
        for name in ("site_status", "events", "movements"):
            tables[name] = []
        tables["troop_figures"] = [f for f in tables["troop_figures"] if f["scope"] != "site"]
    return write_tables(tmp_path / "-".join(names), tables)


ONE_AT_A_TIME = [[name] for name in FILES if name != "sources"]


@pytest.mark.parametrize("names", [*ONE_AT_A_TIME, ["site_status", "events", "movements"]])
@pytest.mark.parametrize("mode", ["analyst", "briefing"])
def test_header_only_tables_render_or_are_refused(tmp_path, monkeypatch, names, mode) -> None:
    directory = emptied(tmp_path, names)
    params = {"mode": "briefing"} if mode == "briefing" else {"date": "2020-01-01"}
    app = render(directory, monkeypatch, **params)
    if loads_or_is_refused(directory):
        # The page drew something (a slide has no page title: it keeps the screen for the map).
        assert (app.title or app.markdown or app.info) and not app.error, [
            e.value for e in app.error
        ]
        if mode == "briefing" and names == ["phases"]:
            assert any("no briefing slides" in i.value for i in app.info)
    else:
        assert "cannot be shown" in app.error[0].value


def test_every_table_header_only_is_refused_with_a_message(tmp_path, monkeypatch) -> None:
    directory = write_tables(tmp_path / "none", {name: [] for name in FILES})
    with pytest.raises(DatasetError) as caught:
        load_dataset(directory)
    assert [p.message for p in caught.value.problems] == [
        "has no dated rows (status periods, phases, troop figures or events): there is no "
        "time span to show"
    ]
    app = render(directory, monkeypatch)
    assert "cannot be shown" in app.error[0].value


def test_sources_without_any_publication_date_render(tmp_path, monkeypatch) -> None:
    tables = tiny_tables()
    for source in tables["sources"]:
        source["published"] = ""
    directory = write_tables(tmp_path / "undated", tables)
    for params in ({"date": "2020-01-01"}, {"mode": "briefing"}):
        app = render(directory, monkeypatch, **params)
        assert not app.error
    app = render(directory, monkeypatch, date="2020-01-01")
    assert any("No source in this data has a publication date" in c.value for c in app.caption)


def test_a_troop_figure_too_large_to_count_is_refused(tmp_path, monkeypatch) -> None:
    tables = tiny_tables()
    tables["troop_figures"][0]["value"] = "1e300"
    directory = write_tables(tmp_path / "huge", tables)
    with pytest.raises(DatasetError) as caught:
        load_dataset(directory)
    assert [str(p) for p in caught.value.problems] == [
        "troop_figures.csv, line 2, column value: '1e300' is too large (at most 1,000,000,000,000)"
    ]
    render(directory, monkeypatch)


def test_the_largest_allowed_troop_figure_renders(tmp_path, monkeypatch) -> None:
    tables = tiny_tables()
    tables["troop_figures"][0]["value"] = "1000000000000"
    tables["troop_figures"][0]["high"] = "1000000000000"
    directory = write_tables(tmp_path / "large", tables)
    assert loads_or_is_refused(directory)
    for params in ({"date": "2007-12-01"}, {"mode": "briefing"}):
        render(directory, monkeypatch, **params)
