"""The briefing as a slide deck: a PowerPoint file and a PDF of the same slides, with every source.

`python -m components.deck OUT.pptx [--lang ar] [--data DIR] [--pdf]`

One slide per briefing step (the map at the step's date, fitted and ringed as in the app, the
date in large type, the title, the summary, what changed, the troop figures in force, events),
a title slide with the data's as-of date, and closing slides listing the numbered sources. Slides
are described once (Slide) and drawn twice: by python-pptx, and by matplotlib for the PDF.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import re
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from components import derived
from components.briefing import MOVES_WINDOW, Step, briefing_steps, change_lines
from components.dataset import DATA_DIR, Dataset, DatasetError, load_dataset
from components.i18n import (
    day_words,
    is_rtl,
    languages,
    number_words,
    partial_date_words,
    t,
    term,
)
from components.map_image import FONT, RLM, MapView, map_png
from components.names import event_titles, phase_label, site_names
from components.timeline import movements_between

SLIDE_WIDTH, SLIDE_HEIGHT = 13.333, 7.5  # inches: 16:9
PPTX_FONT = "Arial"  # shapes Arabic in PowerPoint and LibreOffice (complex-script font too)
TEXT_COLOR = "1A1A1A"
MUTED_COLOR = "555555"
LINK_COLOR = "0B5CAD"
PLAN_FILL = "FCE3CF"
PLAN_TEXT = "8A3B00"
MAX_CHANGE_LINES = 6
MAX_FIGURE_LINES = 6
SOURCES_PER_SLIDE = 14
PICTURE_TYPE_SCALE = 1.5
QUOTE_CHARS = 220
# Average glyph width as a share of the font size (DejaVu Sans, wider than Arial), used to wrap
# text for the PDF and to shrink a box's text until it fits; generous so PowerPoint fits too.
CHAR_WIDTH_EM = 0.56
LINE_SPACING = 1.22
# Arabic script (letters, presentation forms): a paragraph with any runs right to left.
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Characters XML 1.0 forbids (a .pptx is XML): dropped from data text, which may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in inches from the top left corner."""

    x: float
    y: float
    w: float
    h: float

    def mirrored(self) -> Box:
        """The same box reflected left to right, for right-to-left slides."""
        return Box(SLIDE_WIDTH - self.x - self.w, self.y, self.w, self.h)


@dataclass(frozen=True)
class Paragraph:
    text: str
    size: float  # points
    bold: bool = False
    italic: bool = False
    color: str = TEXT_COLOR
    link: str = ""  # an http(s) address the text opens


@dataclass(frozen=True)
class TextBlock:
    box: Box
    paragraphs: tuple[Paragraph, ...]
    fill: str = ""  # background colour, empty for none


@dataclass(frozen=True)
class Slide:
    """One slide as both renderers draw it."""

    kind: str  # "title", "step" or "sources"
    title: str
    texts: tuple[TextBlock, ...]
    notes: str
    picture: bytes | None = None
    picture_box: Box | None = None
    picture_description: str = ""
    cited: tuple[int, ...] = ()  # numbers of the sources this slide cites


@dataclass(frozen=True)
class CitedSource:
    """One article, numbered: several passages of it (source rows) share its number."""

    number: int
    publisher: str
    published: str
    url: str
    passages: tuple[str, ...]


@dataclass(frozen=True)
class Deck:
    lang: str
    slides: tuple[Slide, ...]
    sources: tuple[CitedSource, ...]


def right_to_left(paragraph: Paragraph, lang: str) -> bool:
    """In a right-to-left deck, paragraphs in Arabic script run right to left; an English quote
    or a link keeps its own direction (its full stop and quote marks stay at its end)."""
    return is_rtl(lang) and bool(ARABIC_SCRIPT.search(paragraph.text))


def clean(value: object) -> str:
    """Data text as plain text for a slide: a string, without characters XML cannot hold."""
    return _NOT_XML.sub("", "" if value is None else str(value))


class SourceBook:
    """Numbers sources in the order the deck first cites them; one number per article.

    A seed article (no URL) is told apart by its file, but cited only by outlet and date.
    """

    def __init__(self, dataset: Dataset, lang: str):
        self.lang = lang
        self.rows = dataset.sources.set_index("source_id")
        self.numbers: dict[tuple[str, str, str], int] = {}
        self.entries: dict[int, dict] = {}

    def cite(self, source_ids: Iterable[str]) -> list[int]:
        numbers: list[int] = []
        for source_id in source_ids:
            if source_id not in self.rows.index:
                continue
            row = self.rows.loc[source_id]
            url = row["url"] if isinstance(row["url"], str) else ""
            seed = row["seed_file"] if isinstance(row["seed_file"], str) else ""
            published = row["published"] if isinstance(row["published"], str) else ""
            key = (str(row["publisher"]), published, url or seed)
            if key not in self.numbers:
                number = len(self.numbers) + 1
                self.numbers[key] = number
                self.entries[number] = {
                    "publisher": clean(row["publisher"]),
                    "published": partial_date_words(published, self.lang)
                    if published
                    else t("undated", self.lang),
                    "url": clean(url),
                    "passages": [],
                }
            number = self.numbers[key]
            passage = clean(self._quote(row))
            if passage and passage not in self.entries[number]["passages"]:
                self.entries[number]["passages"].append(passage)
            if number not in numbers:
                numbers.append(number)
        return sorted(numbers)

    def _quote(self, row: pd.Series) -> str:
        if (
            self.lang != "en"
            and row["language"] == self.lang
            and isinstance(row["quote_original"], str)
        ):
            return row["quote_original"]
        return row["quote_english"] if isinstance(row["quote_english"], str) else ""

    def sources(self) -> tuple[CitedSource, ...]:
        return tuple(
            CitedSource(n, e["publisher"], e["published"], e["url"], tuple(e["passages"]))
            for n, e in sorted(self.entries.items())
        )


def separator(lang: str) -> str:
    """A list comma; the Arabic one is followed by a right-to-left mark, so a number after it
    (a date's day) stays with the Arabic that follows instead of the Latin before it."""
    return "،\u200f " if is_rtl(lang) else ", "


def numbers_text(numbers: Iterable[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def source_note(source: CitedSource, lang: str) -> str:
    """A source in full, for speaker notes: number, outlet, date, link and every passage."""
    lines = [
        f"[{source.number}] {source.publisher}{separator(lang)}{source.published}. "
        f"{source.url or t('deck_no_link', lang)}"
    ]
    lines += [f"    “{passage}”" for passage in source.passages]
    return "\n".join(lines)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _limited(lines: list[str], limit: int, lang: str) -> list[str]:
    """At most `limit` lines; the rest is counted (speaker notes carry them all)."""
    if len(lines) <= limit:
        return lines
    return [*lines[: limit - 1], t("deck_more", lang, count=len(lines) - limit + 1)]


def figure_lines(step: Step, book: SourceBook, names: dict[str, str], lang: str) -> list[str]:
    """The troop figures in force at the step, each with its kind, date and sources."""
    lines = []
    troops = step.snap.troops
    for row in troops.itertuples(index=False):
        scope = (
            names.get(row.site_id, row.site_id)
            if row.scope == "site" and isinstance(row.site_id, str)
            else term("scope", row.scope, lang)
        )
        value = number_words(int(row.value), lang)
        if pd.notna(row.low) and pd.notna(row.high):
            value += f" ({number_words(int(row.low), lang)}–{number_words(int(row.high), lang)})"
        qualifier = term("qualifier", row.qualifier, lang) if isinstance(row.qualifier, str) else ""
        when = partial_date_words(row.as_of, lang) if isinstance(row.as_of, str) else ""
        cited = numbers_text(book.cite(row.source_ids))
        lines.append(
            f"{term('force', row.force, lang)} · {scope}: {qualifier} {value} "
            f"({term('kind', row.kind, lang)}{separator(lang)}{when}) {cited}".replace("  ", " ")
        )
    return lines


def _layout(box: Box, lang: str) -> Box:
    return box.mirrored() if is_rtl(lang) else box


def _heading(text: str) -> Paragraph:
    return Paragraph(text, 13, bold=True)


def step_slide(
    dataset: Dataset, step: Step, total: int, book: SourceBook, names: dict[str, str], lang: str
) -> Slide:
    """The map at the step's date with what the app's briefing shows beside it."""
    snap = step.snap
    phase = step.phase
    cited: list[int] = []

    def cite(ids: Iterable[str]) -> str:
        numbers = book.cite(ids)
        cited.extend(n for n in numbers if n not in cited)
        return numbers_text(numbers)

    summary_cites = cite(phase.source_ids)
    site_rows = snap.sites.set_index("site_id")
    changes = change_lines(step, names, lang)
    # Each site's change cites the sources of the status it changed to.
    for k, change in enumerate(step.site_changes):
        if change.site_id in site_rows.index:
            changes[k] += " " + cite(site_rows.loc[change.site_id, "source_ids"])
    figures = figure_lines(step, book, names, lang)
    for ids in snap.troops["source_ids"]:
        cite(ids)
    events = [
        f"{partial_date_words(day, lang)}: {title} {cite(ids)}"
        for day, title, ids in zip(
            step.events["date"], event_titles(step.events, lang), step.events["source_ids"]
        )
    ]
    title = clean(phase.name_in(lang))
    texts = [
        TextBlock(
            _layout(Box(0.45, 0.2, 7.4, 0.8), lang),
            (Paragraph(day_words(step.day, lang), 38, bold=True),),
        ),
        TextBlock(_layout(Box(0.45, 0.98, 7.4, 0.55), lang), (Paragraph(title, 22, bold=True),)),
        TextBlock(
            _layout(Box(8.0, 0.25, 4.9, 0.4), lang),
            (
                Paragraph(
                    f"{t('step', lang, n=step.number, total=total)} · {clean(phase_label(phase, lang))}",
                    12,
                    color=MUTED_COLOR,
                ),
            ),
        ),
        TextBlock(
            _layout(Box(8.0, 1.65, 4.9, 3.3), lang),
            (
                Paragraph(f"{clean(phase.summary_in(lang))} {summary_cites}", 12.5),
                *((_heading(t("events", lang)),) if events else ()),
                *(Paragraph(clean(line), 10.5) for line in events),
            ),
        ),
        TextBlock(
            _layout(Box(8.0, 5.0, 4.9, 2.05), lang),
            (
                _heading(t("figures_in_force", lang, day=day_words(step.day, lang))),
                *(
                    Paragraph(clean(line), 10.5)
                    for line in _limited(figures, MAX_FIGURE_LINES, lang)
                    or [t("no_figure_reaches", lang)]
                ),
            ),
        ),
        TextBlock(
            _layout(Box(0.45, 5.85, 7.4, 1.25), lang),
            (
                _heading(t("what_changed", lang)),
                *(
                    Paragraph(clean(line), 10.5)
                    for line in _limited(changes, MAX_CHANGE_LINES, lang)
                    or [t("nothing_changed", lang)]
                ),
            ),
        ),
        TextBlock(
            _layout(Box(0.45, 7.1, 12.45, 0.32), lang),
            (
                Paragraph(
                    t("deck_cited", lang, list=", ".join(map(str, sorted(cited)))),
                    9,
                    color=MUTED_COLOR,
                ),
            ),
        ),
    ]
    if snap.after_last_report:
        texts.append(
            TextBlock(
                _layout(Box(8.0, 0.7, 4.9, 0.8), lang),
                (
                    Paragraph(
                        t("deck_plan", lang, day=day_words(snap.data_as_of, lang)),
                        13,
                        bold=True,
                        color=PLAN_TEXT,
                    ),
                ),
                fill=PLAN_FILL,
            )
        )
    moves = movements_between(dataset, step.day - MOVES_WINDOW, step.day + MOVES_WINDOW)
    # The slide shows the date and title itself; the picture's type is enlarged, as the
    # picture is shown at about half the slide's width.
    view = MapView(
        sites=snap.sites,
        bounds=step.fit,
        heading="",
        lang=lang,
        moves=moves,
        changed=step.changed_site_ids,
        scale=PICTURE_TYPE_SCALE,
    )
    sources = {s.number: s for s in book.sources()}
    notes = [title, "", *changes] if len(changes) > MAX_CHANGE_LINES else [title]
    notes += ["", t("sources", lang), *(source_note(sources[n], lang) for n in sorted(cited))]
    return Slide(
        kind="step",
        title=title,
        texts=tuple(texts),
        notes="\n".join(clean(line) for line in notes),
        picture=map_png(view),
        picture_box=_layout(Box(0.45, 1.6, 7.4, 7.4 * 9 / 16), lang),
        picture_description=f"{t('title', lang)}: {day_words(step.day, lang)}, {title}",
        cited=tuple(sorted(cited)),
    )


def title_slide(steps: list[Step], lang: str) -> Slide:
    """The title, the data's as-of date (its newest source) and the span of the steps."""
    as_of = steps[0].snap.data_as_of if steps else None
    lines = [
        Paragraph(t("title", lang), 44, bold=True),
        Paragraph(t("tagline", lang), 18, color=MUTED_COLOR),
    ]
    if as_of:
        lines.append(
            Paragraph(t("deck_title_as_of", lang, day=day_words(as_of, lang)), 22, bold=True)
        )
    if steps:
        span = t(
            "deck_span",
            lang,
            count=len(steps),
            first=day_words(steps[0].day, lang),
            last=day_words(steps[-1].day, lang),
        )
        lines.append(Paragraph(span, 16))
    lines.append(Paragraph(t("outlines_attribution", lang), 11, color=MUTED_COLOR))
    return Slide(
        kind="title",
        title=t("title", lang),
        texts=(TextBlock(_layout(Box(0.9, 1.8, 11.5, 4.5), lang), tuple(lines)),),
        notes="\n".join(p.text for p in lines),
    )


def source_slides(sources: tuple[CitedSource, ...], lang: str) -> list[Slide]:
    """The numbered sources, SOURCES_PER_SLIDE to a slide in two columns; quotes shortened
    there, every passage in full in the slide's notes."""
    parts = max(1, math.ceil(len(sources) / SOURCES_PER_SLIDE))
    slides = []
    for part in range(parts):
        chunk = sources[part * SOURCES_PER_SLIDE : (part + 1) * SOURCES_PER_SLIDE]
        title = (
            t("deck_sources_title", lang, part=part + 1, parts=parts)
            if parts > 1
            else t("sources", lang)
        )
        columns = [chunk[: SOURCES_PER_SLIDE // 2], chunk[SOURCES_PER_SLIDE // 2 :]]
        texts = [
            TextBlock(_layout(Box(0.45, 0.25, 12.4, 0.7), lang), (Paragraph(title, 28, bold=True),))
        ]
        for k, column in enumerate(columns):
            paragraphs: list[Paragraph] = []
            for source in column:
                paragraphs.append(
                    Paragraph(
                        f"[{source.number}] {source.publisher}{separator(lang)}{source.published}",
                        10.5,
                        bold=True,
                    )
                )
                paragraphs.append(
                    Paragraph(
                        source.url or t("deck_no_link", lang),
                        8.5,
                        color=LINK_COLOR if source.url else MUTED_COLOR,
                        link=source.url if source.url.startswith(("http://", "https://")) else "",
                    )
                )
                if source.passages:
                    paragraphs.append(
                        Paragraph(
                            f"“{_shorten(source.passages[0], QUOTE_CHARS)}”",
                            9,
                            italic=not is_rtl(lang),
                        )
                    )
                if len(source.passages) > 1:
                    paragraphs.append(
                        Paragraph(
                            t("deck_more_passages", lang, count=len(source.passages) - 1),
                            8.5,
                            color=MUTED_COLOR,
                        )
                    )
            if paragraphs:
                texts.append(
                    TextBlock(_layout(Box(0.45 + k * 6.3, 1.0, 6.05, 6.3), lang), tuple(paragraphs))
                )
        slides.append(
            Slide(
                kind="sources",
                title=title,
                texts=tuple(texts),
                notes="\n".join(source_note(source, lang) for source in chunk),
                cited=tuple(source.number for source in chunk),
            )
        )
    return slides


def build_deck(dataset: Dataset, lang: str = "en") -> Deck:
    """Every slide of the briefing in `lang`; text is fitted to its box (see fitted)."""
    steps = briefing_steps(dataset)
    names = {site_id: clean(name) for site_id, name in site_names(dataset, lang).items()}
    book = SourceBook(dataset, lang)
    slides = [title_slide(steps, lang)]
    slides += [step_slide(dataset, step, len(steps), book, names, lang) for step in steps]
    sources = book.sources()
    slides += source_slides(sources, lang)
    return Deck(lang, tuple(fitted(slide) for slide in slides), sources)


def cached_deck(dataset: Dataset, lang: str = "en") -> Deck:
    """The deck, built once per dataset and language (the page offers it as .pptx and .pdf)."""
    return derived.once(dataset, ("deck", lang), lambda: build_deck(dataset, lang))


def deck_pptx(dataset: Dataset, lang: str = "en") -> bytes:
    return write_pptx(cached_deck(dataset, lang))


def deck_pdf(dataset: Dataset, lang: str = "en") -> bytes:
    return write_pdf(cached_deck(dataset, lang))


def wrapped(paragraph: Paragraph, width_inches: float, scale: float = 1.0) -> list[str]:
    """The paragraph's lines at its size times `scale` in a box `width_inches` wide."""
    chars = max(8, int(width_inches * 72 / (paragraph.size * scale * CHAR_WIDTH_EM)))
    return textwrap.wrap(paragraph.text, chars, break_long_words=True, break_on_hyphens=False) or [
        ""
    ]


def block_height(block: TextBlock, scale: float = 1.0) -> float:
    """Inches the block's text needs at `scale`, with the paragraph spacing both renderers use."""
    points = 0.0
    for paragraph in block.paragraphs:
        lines = len(wrapped(paragraph, block.box.w - 0.2, scale))
        points += lines * paragraph.size * scale * LINE_SPACING + paragraph.size * scale * 0.3
    return points / 72 + 0.1


def fitted(slide: Slide) -> Slide:
    """Shrinks each text block's type until its text fits its box (never below 60 %)."""
    blocks = []
    for block in slide.texts:
        scale = 1.0
        while scale > 0.6 and block_height(block, scale) > block.box.h:
            scale -= 0.05
        if scale < 1.0:
            block = replace(
                block,
                paragraphs=tuple(
                    replace(p, size=round(p.size * scale, 1)) for p in block.paragraphs
                ),
            )
        blocks.append(block)
    return replace(slide, texts=tuple(blocks))


def write_pptx(deck: Deck) -> bytes:
    """The deck as a PowerPoint file (16:9), right to left in Arabic, with speaker notes."""
    from lxml import etree
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.oxml.ns import qn
    from pptx.util import Inches, Pt

    rtl = is_rtl(deck.lang)
    presentation = Presentation()
    presentation.slide_width = Inches(SLIDE_WIDTH)
    presentation.slide_height = Inches(SLIDE_HEIGHT)
    blank = presentation.slide_layouts[6]
    for slide in deck.slides:
        page = presentation.slides.add_slide(blank)
        if slide.picture and slide.picture_box:
            box = slide.picture_box
            picture = page.shapes.add_picture(
                io.BytesIO(slide.picture),
                Inches(box.x),
                Inches(box.y),
                Inches(box.w),
                Inches(box.h),
            )
            picture._element.nvPicPr.cNvPr.set("descr", slide.picture_description)
        for block in slide.texts:
            box = block.box
            shape = page.shapes.add_textbox(
                Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)
            )
            if block.fill:
                shape.fill.solid()
                shape.fill.fore_color.rgb = RGBColor.from_string(block.fill)
            frame = shape.text_frame
            frame.word_wrap = True
            frame.vertical_anchor = MSO_ANCHOR.TOP
            for k, paragraph in enumerate(block.paragraphs):
                line = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
                line.alignment = PP_ALIGN.RIGHT if rtl else PP_ALIGN.LEFT
                line.space_after = Pt(paragraph.size * 0.3)
                if right_to_left(paragraph, deck.lang):
                    line._p.get_or_add_pPr().set("rtl", "1")
                run = line.add_run()
                run.text = paragraph.text
                font = run.font
                font.size = Pt(paragraph.size)
                font.bold = paragraph.bold
                font.italic = paragraph.italic
                font.color.rgb = RGBColor.from_string(paragraph.color)
                font.name = PPTX_FONT
                properties = run._r.get_or_add_rPr()
                # Arabic is drawn with the complex-script font, not the Latin one.
                etree.SubElement(properties, qn("a:cs")).set("typeface", PPTX_FONT)
                properties.set("lang", "ar-IQ" if rtl else "en-GB")
                if paragraph.link:
                    run.hyperlink.address = paragraph.link
        page.notes_slide.notes_text_frame.text = slide.notes
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def write_pdf(deck: Deck) -> bytes:
    """The same slides as a PDF (matplotlib; DejaVu Sans embedded, Arabic shaped right to left)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.image import imread
    from matplotlib.patches import Rectangle

    rtl = is_rtl(deck.lang)
    buffer = io.BytesIO()
    # TrueType fonts (not Type 3) keep the text searchable and copyable.
    with (
        matplotlib.rc_context({"pdf.fonttype": 42}),
        PdfPages(buffer, metadata={"Title": t("title", deck.lang), "CreationDate": None}) as pdf,
    ):
        for slide in deck.slides:
            fig = Figure(figsize=(SLIDE_WIDTH, SLIDE_HEIGHT), facecolor="white")
            FigureCanvasAgg(fig)

            def area(box: Box) -> tuple[float, float, float, float]:
                return (
                    box.x / SLIDE_WIDTH,
                    1 - (box.y + box.h) / SLIDE_HEIGHT,
                    box.w / SLIDE_WIDTH,
                    box.h / SLIDE_HEIGHT,
                )

            if slide.picture and slide.picture_box:
                axes = fig.add_axes(area(slide.picture_box))
                axes.imshow(
                    imread(io.BytesIO(slide.picture), format="png"), interpolation="antialiased"
                )
                axes.axis("off")
            for block in slide.texts:
                box = block.box
                if block.fill:
                    fig.add_artist(
                        Rectangle(
                            area(box)[:2],
                            *area(box)[2:],
                            transform=fig.transFigure,
                            facecolor="#" + block.fill,
                            edgecolor="none",
                        )
                    )
                x = (box.x + box.w - 0.1) if rtl else (box.x + 0.1)
                y = box.y + 0.05
                for paragraph in block.paragraphs:
                    lines = wrapped(paragraph, box.w - 0.2)
                    # One text per paragraph (not per line): drawing text dominates the PDF's time.
                    fig.text(
                        x / SLIDE_WIDTH,
                        1 - (y + paragraph.size * (LINE_SPACING - 1) / 72) / SLIDE_HEIGHT,
                        # As in PowerPoint's right-to-left paragraphs, each line is laid out
                        # right to left even when it starts with a Latin word.
                        "\n".join(
                            RLM + line if right_to_left(paragraph, deck.lang) else line
                            for line in lines
                        ),
                        fontsize=paragraph.size,
                        fontweight="bold" if paragraph.bold else "normal",
                        fontstyle="italic" if paragraph.italic else "normal",
                        color="#" + paragraph.color,
                        ha="right" if rtl else "left",
                        multialignment="right" if rtl else "left",
                        va="top",
                        linespacing=LINE_SPACING,
                        fontfamily=FONT,
                        parse_math=False,
                        url=paragraph.link or None,
                    )
                    y += len(lines) * paragraph.size * LINE_SPACING / 72 + paragraph.size * 0.3 / 72
            pdf.savefig(fig)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Writes the deck; 0 = written, 1 = bad data or unwritable file, 2 = bad usage."""
    parser = argparse.ArgumentParser(
        prog="python -m components.deck", description=__doc__.splitlines()[0]
    )
    parser.add_argument("out", type=Path, help="the .pptx file to write")
    parser.add_argument("--lang", choices=list(languages()), default="en")
    parser.add_argument(
        "--data", type=Path, default=DATA_DIR, help="data directory (default: the bundled data)"
    )
    parser.add_argument(
        "--pdf", action="store_true", help="also write the same slides as a PDF beside it"
    )
    options = parser.parse_args(argv)
    if options.out.suffix.lower() != ".pptx":
        parser.error(f"{options.out} must end in .pptx")
    try:
        dataset = load_dataset(options.data)
    except DatasetError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{options.data}: cannot be read ({error.strerror or error})", file=sys.stderr)
        return 1
    started = dt.datetime.now()
    deck = build_deck(dataset, options.lang)
    outputs = [(options.out, write_pptx(deck))]
    if options.pdf:
        outputs.append((options.out.with_suffix(".pdf"), write_pdf(deck)))
    for path, content in outputs:
        try:
            path.write_bytes(content)
        except OSError as error:
            print(f"{path}: cannot be written ({error.strerror or error})", file=sys.stderr)
            return 1
        print(f"wrote {path} ({len(content):,} bytes)")
    seconds = (dt.datetime.now() - started).total_seconds()
    print(f"{len(deck.slides)} slides, {len(deck.sources)} sources, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
