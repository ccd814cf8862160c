"""The message catalogue: a third language is one catalogue entry, and the page then speaks it,
with dates and numbers from Babel for its locale and its direction taken from the entry."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from components import i18n
from components.dataset import DATA_DIR
from components.i18n import (
    CATALOGUES,
    Catalogue,
    day_words,
    is_rtl,
    languages,
    number_words,
    partial_date_words,
    t,
    term,
)
from tests.fixtures import run_app

# Brackets no message has of its own: pseudo text is easy to tell from English left behind.
OPEN, CLOSE = "⟦", "⟧"


def pseudo(text: str) -> str:
    return OPEN + text + CLOSE


@pytest.fixture
def pseudo_locale(monkeypatch: pytest.MonkeyPatch) -> str:
    """'xx': every English message and term in brackets, French dates, written right to left."""
    english = CATALOGUES["en"]
    entry = Catalogue(
        name="Pseudo",
        locale="fr",
        rtl=True,
        text={key: pseudo(text) for key, text in english.text.items()},
        vocabulary={
            group: {value: pseudo(words) for value, words in values.items()}
            for group, values in english.vocabulary.items()
        },
    )
    monkeypatch.setitem(CATALOGUES, "xx", entry)
    return "xx"


def test_english_and_arabic_dates_and_numbers_come_from_babel() -> None:
    day = dt.date(2024, 9, 27)
    assert day_words(day, "en") == "27 September 2024"
    # Iraq's month names (not the Egyptian سبتمبر), and Latin digits as the sources print them.
    assert day_words(day, "ar") == "27 أيلول 2024"
    assert partial_date_words("2014-06", "ar") == "حزيران 2014"
    assert partial_date_words("2014", "ar") == "2014"
    assert number_words(2500, "en") == "2,500" and number_words(2500, "ar") == "2,500"


def test_a_third_language_is_one_catalogue_entry(pseudo_locale: str) -> None:
    assert languages()["xx"] == "Pseudo"
    assert is_rtl("xx") and not is_rtl("en")
    assert t("title", "xx") == pseudo(t("title", "en"))
    assert t("sites_count", "xx", count=3, days=45).startswith(OPEN)
    assert term("status", "active", "xx") == pseudo(term("status", "active", "en"))
    assert day_words(dt.date(2024, 9, 28), "xx") == "28 septembre 2024"
    assert partial_date_words("2014-06", "xx") == "juin 2014"
    # French groups thousands with a narrow no-break space.
    assert re.fullmatch(r"12\D345", number_words(12345, "xx"))


def test_an_unknown_code_falls_back_to_english() -> None:
    assert t("title", "zz") == t("title", "en") and not is_rtl("zz")
    assert i18n.catalogue("zz") is CATALOGUES["en"]


def test_the_page_speaks_the_third_language(monkeypatch, pseudo_locale) -> None:
    app = run_app(DATA_DIR, monkeypatch, lang="xx", date="2024-09-28")
    assert app.title[0].value == pseudo(t("title", "en"))
    # The heading's date through Babel's French, the phase name from the data (English here).
    assert app.markdown[0].value.startswith("### 28 septembre 2024")
    language = next(s for s in app.selectbox if s.key == "lang")
    assert "xx" in language.options or "Pseudo" in language.options
    # Right to left, as the entry says: the page's style includes the right-to-left sheet.
    styles = " ".join(str(h.proto.body) for h in app.get("html"))
    assert "direction: rtl" in styles
    # Every button the app labels itself speaks the language (the data's words may not).
    labels = [b.label for b in app.button if b.key != "map_painted"]
    assert labels and all(label.startswith(OPEN) for label in labels), labels
    assert app.query_params["lang"] in ("xx", ["xx"])
