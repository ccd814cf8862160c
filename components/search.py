"""Finding a site by any of its names: English, Arabic, Kurdish, Persian, other spellings.

Names are compared folded: case, Latin diacritics, Arabic vowel marks and letter variants, the
Arabic article and its Latin transliterations (al-, el-) all fall away, so "ain al asad",
"Ayn al-Asad" and "عين الأسد" find the same base; a near miss ("Ain al Assad") still matches.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

import pandas as pd

NAME_COLUMNS = ("name_en", "name_ar", "name_ku", "name_fa")
# Letters Arabic writes in several ways that readers take as one.
_ARABIC_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
        "ی": "ي",
        "ـ": None,  # tatweel
    }
)
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
_ARTICLE = re.compile(r"^(?:al|el|ال)[-\s]?(?=\w{2})")
_SEPARATORS = re.compile(r"[\s\-‐–—_'’`ʿʾ.,;:()/\"]+")
_ARTICLES = frozenset({"al", "el", "ال"})
# Latin spellings of one Arabic sound: Hareer/Harir, Assad/Asad, Qaim/Qa'im.
_TRANSLITERATION = (
    (re.compile(r"ee|ie"), "i"),
    (re.compile(r"oo|ou"), "u"),
    (re.compile(r"([a-z])\1"), r"\1"),
)
# A query this similar to a name (0 to 1) counts as a near miss.
NEAR_MISS = 0.8
MAX_QUERY = 100


def fold(text: str) -> str:
    """A name reduced to what a search compares: 'Al-Asad Airbase' -> 'asad airbase'."""
    text = unicodedata.normalize("NFKD", str(text)[:MAX_QUERY].casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _ARABIC_MARKS.sub("", text.translate(_ARABIC_FOLDS))
    for pattern, replacement in _TRANSLITERATION:
        text = pattern.sub(replacement, text)
    words = [_ARTICLE.sub("", word) for word in _SEPARATORS.split(text) if word]
    return " ".join(word for word in words if word and word not in _ARTICLES)


def site_names(sites: pd.DataFrame) -> dict[str, list[str]]:
    """Every name the data gives each site, in every language and spelling."""
    names: dict[str, list[str]] = {}
    for row in sites.itertuples(index=False):
        found = [getattr(row, column) for column in NAME_COLUMNS]
        found += list(row.other_names) if isinstance(row.other_names, tuple) else []
        names[row.site_id] = [n for n in found if isinstance(n, str) and n.strip()]
    return names


def find_sites(sites: pd.DataFrame, query: str, limit: int = 5) -> list[str]:
    """Site ids whose names match the query, best first: whole name, start of a word, inside a
    name, then near misses. An empty or unmatched query finds nothing."""
    wanted = fold(query)
    if not wanted:
        return []
    scores: dict[str, float] = {}
    for site_id, names in site_names(sites).items():
        best = 0.0
        for name in names:
            folded = fold(name)
            if not folded:
                continue
            if folded == wanted:
                best = max(best, 4.0)
            elif folded.startswith(wanted) or f" {wanted}" in f" {folded}":
                best = max(best, 3.0)
            elif wanted in folded:
                best = max(best, 2.0)
            else:
                best = max(best, _near(wanted, folded))
        if best > 0:
            scores[site_id] = best
    return sorted(scores, key=lambda site_id: (-scores[site_id], site_id))[:limit]


def _near(wanted: str, folded: str) -> float:
    """A similarity in (0, 1] when the query nearly spells the name or one of its word runs."""
    words = folded.split()
    size = max(1, len(wanted.split()))
    runs = [" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))]
    ratio = max(SequenceMatcher(None, wanted, run).ratio() for run in [folded, *runs])
    return ratio if ratio >= NEAR_MISS else 0.0
