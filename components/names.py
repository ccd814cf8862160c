"""Site names and event titles in the reader's language, for the page, the exports and the deck."""

from __future__ import annotations

import pandas as pd

from components.dataset import Dataset


def site_names(dataset: Dataset, lang: str = "en") -> dict[str, str]:
    """Site names in the language's script where the data has them, English otherwise."""
    english = dataset.sites["name_en"]
    if lang == "ar":
        english = dataset.sites["name_ar"].where(dataset.sites["name_ar"].notna(), english)
    return dict(zip(dataset.sites["site_id"], english))


def event_titles(events: pd.DataFrame, lang: str = "en") -> pd.Series:
    """Event titles in the language where the data has them (title_ar), English otherwise."""
    titles = events["title"]
    if lang == "ar" and "title_ar" in events:
        translated = events["title_ar"]
        titles = translated.where(translated.notna() & (translated != ""), titles)
    return titles
