"""The briefing deck: slides, pictures and sources in PowerPoint and PDF, in English and Arabic."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn

from components.briefing import briefing_steps
from components.dataset import DATA_DIR, load_dataset
from components.deck import (
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    SOURCES_PER_SLIDE,
    build_deck,
    clean,
    main,
    write_pdf,
    write_pptx,
)
from components.i18n import day_words, t
from components.style import CHANGED_RING_COLOR, STATUS_STYLES, certainty_style
from tests.conftest import tiny_tables, write_tables

PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    PDFTOPPM is None or PDFTOTEXT is None,
    reason="pdftoppm/pdftotext missing: install Debian's poppler-utils (.ci/run does)",
)
HOSTILE = "<b>Bold</b> {{ 7*7 }} ${x^2}$ &amp; </a:t><script>alert(1)</script>"


@pytest.fixture(scope="module")
def bundled():
    return load_dataset(DATA_DIR)


@pytest.fixture(scope="module", params=["en", "ar"])
def built(request, bundled):
    """The bundled data's deck in one language: the Deck, the .pptx reopened, the PDF bytes."""
    deck = build_deck(bundled, request.param)
    pptx = Presentation(io.BytesIO(write_pptx(deck)))
    return request.param, deck, pptx, write_pdf(deck)


def slide_text(slide) -> str:
    return "\n".join(
        paragraph.text
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
    )


def test_slides_are_title_then_one_per_step_then_sources(built, bundled) -> None:
    lang, deck, pptx, _ = built
    steps = briefing_steps(bundled)
    source_slides = math.ceil(len(deck.sources) / SOURCES_PER_SLIDE)
    assert len(pptx.slides) == 1 + len(steps) + source_slides
    assert [s.kind for s in deck.slides] == ["title"] + ["step"] * len(steps) + [
        "sources"
    ] * source_slides
    assert pptx.slide_width / pptx.slide_height == pytest.approx(16 / 9, abs=0.01)
    title = slide_text(pptx.slides[0])
    as_of = steps[0].snap.data_as_of
    assert t("title", lang) in title
    assert day_words(as_of, lang) in title
    for slide in list(pptx.slides)[1 + len(steps) :]:
        assert t("sources", lang) in slide_text(slide)


def test_each_step_slide_has_its_map_date_title_and_figures(built, bundled) -> None:
    lang, _, pptx, _ = built
    for step, slide in zip(briefing_steps(bundled), list(pptx.slides)[1:]):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        image = Image.open(io.BytesIO(pictures[0].image.blob))
        assert image.size == (1920, 1080)
        text = slide_text(slide)
        assert step.phase.name_in(lang) in text
        assert day_words(step.day, lang) in text
        assert t("what_changed", lang) in text
        assert t("figures_in_force", lang, day=day_words(step.day, lang)) in text
        # Slides past the newest source say they show plans, the others do not.
        plan = t("deck_plan", lang, day=day_words(step.snap.data_as_of, lang))
        assert (plan in text) == step.snap.after_last_report


def test_every_source_cited_on_a_slide_is_listed_at_the_end(built, bundled) -> None:
    _lang, deck, pptx, _ = built
    steps = briefing_steps(bundled)
    slides = list(pptx.slides)
    listed_text = "\n".join(slide_text(s) for s in slides[1 + len(steps) :])
    listed = {int(n) for n in re.findall(r"^\[(\d+)\] ", listed_text, flags=re.M)}
    assert listed == set(range(1, len(deck.sources) + 1))
    sources = bundled.sources.set_index("source_id")
    for step, slide in zip(steps, slides[1:]):
        text = slide_text(slide)
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
        assert cited and cited <= listed
        # The phase's own sources are among them, by outlet, and in the speaker notes.
        notes = slide.notes_slide.notes_text_frame.text
        for source_id in step.phase.source_ids:
            publisher = sources.loc[source_id, "publisher"]
            assert publisher in listed_text and publisher in notes
        for number in cited:
            assert f"[{number}] " in notes


def test_seed_articles_are_cited_by_outlet_and_date_never_by_file(built, bundled) -> None:
    _, _deck, pptx, _ = built
    everything = "\n".join(slide_text(s) + s.notes_slide.notes_text_frame.text for s in pptx.slides)
    seeds = bundled.sources["seed_file"].dropna()
    assert len(seeds) > 0
    for seed in set(seeds):
        assert seed not in everything
        assert Path(seed).stem not in everything


def test_arabic_deck_runs_right_to_left_with_a_complex_script_font(built) -> None:
    lang, _, pptx, _ = built
    paragraphs = [
        p
        for slide in pptx.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        if p.runs
    ]
    directions = {p._p.pPr.get("rtl") if p._p.pPr is not None else None for p in paragraphs}
    fonts = {r._r.rPr.find(qn("a:cs")).get("typeface") for p in paragraphs for r in p.runs}
    assert fonts == {"Arial"}
    arabic = [p for p in paragraphs if re.search("[\u0600-\u06ff]", p.text)]
    if lang == "ar":
        assert len(arabic) > len(paragraphs) / 2
        for paragraph in paragraphs:
            # Arabic runs right to left; an English quote or a link keeps its own direction.
            direction = paragraph._p.pPr.get("rtl")
            assert direction == ("1" if paragraph in arabic else None), paragraph.text
            assert paragraph.alignment == PP_ALIGN.RIGHT
    else:
        assert directions == {None}


def render_pages(pdf: bytes, folder: Path, dpi: int = 50) -> list[np.ndarray]:
    (folder / "deck.pdf").write_bytes(pdf)
    subprocess.run(
        [PDFTOPPM, "-r", str(dpi), "-png", str(folder / "deck.pdf"), str(folder / "page")],
        check=True,
        timeout=300,
    )
    return [np.asarray(Image.open(p).convert("RGB")) for p in sorted(folder.glob("page-*.png"))]


def has_colour(pixels: np.ndarray, colour: str, tolerance: int = 40) -> bool:
    wanted = np.array([int(colour[k : k + 2], 16) for k in (1, 3, 5)])
    return bool((np.abs(pixels.astype(int) - wanted).max(axis=-1) <= tolerance).any())


@needs_poppler
def test_pdf_pages_show_maps_with_the_marker_colours(built, bundled, tmp_path) -> None:
    lang, deck, _, pdf = built
    steps = {step.phase.name_in(lang): step for step in briefing_steps(bundled)}
    pages = render_pages(pdf, tmp_path, dpi=60)
    assert len(pages) == len(deck.slides)
    for slide, page in zip(deck.slides, pages):
        height, width = page.shape[:2]
        assert width / height == pytest.approx(SLIDE_WIDTH / SLIDE_HEIGHT, abs=0.02)
        assert page.std() > 5  # never a blank page
        if slide.kind != "step":
            continue
        box = slide.picture_box
        crop = page[
            int(box.y / SLIDE_HEIGHT * height) : int((box.y + box.h) / SLIDE_HEIGHT * height),
            int(box.x / SLIDE_WIDTH * width) : int((box.x + box.w) / SLIDE_WIDTH * width),
        ]
        assert len(np.unique(crop.reshape(-1, 3), axis=0)) > 50  # a picture, not a flat box
        # Every status has its colour in the legend, and the ring marks what changed.
        for style in STATUS_STYLES.values():
            assert has_colour(crop, style.color), (slide.title, style.color)
        assert has_colour(crop, CHANGED_RING_COLOR)
        # Above the legend, the map itself: each status of a site in view has its colour.
        step = steps[slide.title]
        (south, west), (north, east) = step.fit
        sites = step.snap.sites
        in_view = sites[
            sites["lat"].between(south, north)
            & sites["lon"].between(west, east)
            # A faded fill (planned, unconfirmed) blends into another colour.
            & sites["certainty"].map(lambda c: certainty_style(c).fill_opacity >= 0.9)
        ]
        above_legend = crop[: int(crop.shape[0] * 0.72)]
        for status in set(in_view["status"]):
            assert has_colour(above_legend, STATUS_STYLES[status].color), (slide.title, status)


@needs_poppler
def test_pdf_text_is_searchable_in_reading_order(built, tmp_path) -> None:
    lang, deck, _, pdf = built
    (tmp_path / "deck.pdf").write_bytes(pdf)
    text = subprocess.run(
        [PDFTOTEXT, str(tmp_path / "deck.pdf"), "-"],
        capture_output=True,
        check=True,
        text=True,
        timeout=120,
    ).stdout
    # Direction marks aside, the words come back in reading order: the Arabic was laid out
    # right to left as text (a picture of text, or letters reversed by hand, would not be).
    text = re.sub("[\u200e\u200f\u202a-\u202e]", "", text)
    assert t("title", lang) in text
    assert deck.slides[1].title in text


@pytest.fixture(scope="module")
def hostile_deck(tmp_path_factory):
    tables = tiny_tables()
    tables["sites"][0]["name_en"] = HOSTILE
    tables["sites"][0]["name_ar"] = HOSTILE
    dataset = load_dataset(write_tables(tmp_path_factory.mktemp("hostile"), tables))
    deck = build_deck(dataset, "en")
    return deck, write_pptx(deck), write_pdf(deck)


def test_a_hostile_site_name_is_plain_text_in_the_pptx(hostile_deck) -> None:
    _, pptx_bytes, _ = hostile_deck
    pptx = Presentation(io.BytesIO(pptx_bytes))
    texts = "\n".join(slide_text(s) for s in pptx.slides)
    assert HOSTILE in texts  # literally, as the data wrote it
    with io.BytesIO(pptx_bytes) as raw:
        import zipfile

        with zipfile.ZipFile(raw) as archive:
            xml = "".join(
                archive.read(name).decode("utf-8")
                for name in archive.namelist()
                if name.startswith("ppt/slides/slide")
            )
    assert "<b>" not in xml and "<script>" not in xml and "</a:t><script" not in xml
    assert "&lt;b&gt;Bold&lt;/b&gt;" in xml


@needs_poppler
def test_a_hostile_site_name_is_plain_text_in_the_pdf(hostile_deck, tmp_path) -> None:
    _, _, pdf = hostile_deck
    (tmp_path / "deck.pdf").write_bytes(pdf)
    text = subprocess.run(
        [PDFTOTEXT, "-raw", str(tmp_path / "deck.pdf"), "-"],
        capture_output=True,
        check=True,
        text=True,
        timeout=120,
    ).stdout
    # Not read as mathtext ($...$) nor markup: every character is there as written.
    assert "<b>Bold</b> {{ 7*7 }} ${x^2}$" in text


def test_text_that_xml_cannot_hold_is_dropped_not_fatal() -> None:
    assert clean("a\x00b\x0bc\ud7ffd") == "abc\ud7ffd"
    assert clean(None) == ""


def test_command_line_writes_pptx_and_pdf_and_explains_bad_input(tmp_path, capsys) -> None:
    data = write_tables(tmp_path / "tiny", tiny_tables())
    out = tmp_path / "deck.pptx"
    assert main([str(out), "--lang", "ar", "--data", str(data), "--pdf"]) == 0
    assert Presentation(str(out)).slides
    assert (tmp_path / "deck.pdf").read_bytes().startswith(b"%PDF")
    assert main([str(tmp_path / "missing" / "deck.pptx"), "--data", str(data)]) == 1
    assert "cannot be written" in capsys.readouterr().err
    broken = write_tables(tmp_path / "broken", {**tiny_tables(), "sites": []})
    assert main([str(out), "--data", str(broken)]) == 1
    assert "problem" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main([str(tmp_path / "deck.ppt")])
    assert usage.value.code == 2
