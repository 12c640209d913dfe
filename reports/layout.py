"""Shared page machinery: styles, letterhead, per-part page numbering (Qt-free).

A document is a list of :class:`Part`\\ s, each in one language. Every part starts on a new page
with its own first-page template. Pages are numbered per part ("Tudalen 1 o 2" for the Welsh letter,
then "Page 1 of 2" for the English one, as GOV.UK Notify numbers bilingual letters: each language
version of a letter is complete on its own, and each letter of a batch is numbered on its own), unless
a part ``continues`` the one before: a bilingual report is one document, numbered through ("Tudalen 3
o 4" is the first English page of a four-page report). Totals are known only after layout, so the
canvas keeps every page and draws footers on save.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate
from reportlab.platypus.flowables import Flowable

from desktop.i18n import format_date
from reports.fonts import BOLD, REGULAR, register_fonts
from reports.model import CouncilIdentity
from reports.replay import REPLAY

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
FOOTER_H = 16 * mm
LETTERHEAD_H = 50 * mm
RUNNING_HEAD_H = 12 * mm
GREY = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1F4E79")

COMMON_FILE = Path(__file__).resolve().parent / "templates" / "_common.json"


@lru_cache(maxsize=1)
def common_strings() -> dict[str, dict[str, str]]:
    """Fixed letter furniture in both languages (page footer, closing, Standard 7 statement)."""
    return json.loads(COMMON_FILE.read_text(encoding="utf-8"))


def common(key: str, lang: str) -> str:
    return common_strings()[key][lang]


def long_date(value: Any, lang: str) -> str:
    """A date written out for a letter: "23 Tachwedd 2026" / "23 November 2026"."""
    return format_date(value, "d MMMM y", lang)


def esc(text: str) -> str:
    """Escape a value for ReportLab paragraph markup (values are never markup)."""
    return escape(text)


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles, all in the bundled font family (never a built-in PDF font)."""
    fam = register_fonts()
    base = ParagraphStyle("body", fontName=fam, bulletFontName=fam, fontSize=10.5, leading=14.5, spaceAfter=7)
    out = {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, spaceAfter=2),
        "small_right": ParagraphStyle(
            "small_right", parent=base, fontSize=8.5, leading=11, alignment=TA_RIGHT
        ),
        "subject": ParagraphStyle(
            "subject", parent=base, fontName=BOLD, fontSize=11.5, leading=15, spaceAfter=9
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=8, textColor=ACCENT
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=8,
            spaceAfter=5,
            textColor=ACCENT,
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=4, spaceAfter=4
        ),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=14, bulletIndent=3, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12.5, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=BOLD, fontSize=9.5, leading=12.5, spaceAfter=0
        ),
        "notice": ParagraphStyle("notice", parent=base, fontSize=9, leading=12, spaceAfter=2, textColor=GREY),
    }
    out["standard7"] = ParagraphStyle(
        "standard7",
        parent=out["notice"],
        borderWidth=0.5,
        borderColor=colors.HexColor("#999999"),
        borderPadding=(4, 5, 4, 5),
        leftIndent=5,
        rightIndent=5,
        spaceBefore=4,
    )
    for key in ("h1", "h2", "h3"):
        out[key].keepWithNext = 1  # never strand a heading at the foot of a page
    return out


@dataclass
class Part:
    """One language version of a document: its flowables start on a fresh first page."""

    lang: str
    story: list[Flowable] = field(default_factory=list)
    running_title: str = ""  # shown at the top of continuation pages
    continues: bool = False  # numbered on from the part before (the second language of one report)


class _NumberedCanvas(Canvas):
    """Keeps every page until ``save`` so footers can say "page X of Y" within each part."""

    def __init__(self, *args: Any, footer: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        # Canvas selects Helvetica on every page unless told otherwise: keep built-in fonts out.
        kwargs["initialFontName"] = REGULAR
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._footer = footer
        self.diogel_part = 0  # set by the first-page template of each part
        self.diogel_numbering = 0  # the run of parts numbered together
        self.diogel_lang = "en"

    def showPage(self) -> None:  # noqa: N802 - ReportLab API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(page["diogel_numbering"] for page in self._pages)
        seen: Counter[int] = Counter()
        for page in self._pages:
            self.__dict__.update(page)
            seen[self.diogel_numbering] += 1
            self._footer(self, seen[self.diogel_numbering], totals[self.diogel_numbering])
            Canvas.showPage(self)
        Canvas.save(self)


class DocumentBuilder:
    """Builds a multi-part PDF with a letterhead (letters) or a report heading on first pages.

    ``first_page`` draws the top of each part's first page; ``first_top`` is the height it
    takes. Contract: ``build`` returns the PDF bytes or raises; it never writes files.
    """

    def __init__(
        self,
        council: CouncilIdentity,
        *,
        first_page: Callable[[Canvas, str], None],
        first_top: float,
        title: str = "",
        contact_footer: bool = True,
    ) -> None:
        register_fonts()
        self.council = council
        self.first_page = first_page
        self.first_top = first_top
        self.title = title
        self.contact_footer = contact_footer
        self._running: dict[int, str] = {}
        self._numbering: dict[int, int] = {}  # part → the run of parts it is numbered with

    def _templates(self, langs: Sequence[str]) -> list[PageTemplate]:
        width = PAGE_W - 2 * MARGIN
        first_frame_h = PAGE_H - self.first_top - FOOTER_H - MARGIN / 2
        later_frame_h = PAGE_H - MARGIN - RUNNING_HEAD_H - FOOTER_H - MARGIN / 2
        bottom = FOOTER_H + MARGIN / 2
        out: list[PageTemplate] = []
        for lang in dict.fromkeys(langs):

            def on_first(canvas: Canvas, doc: Any, lang: str = lang) -> None:
                canvas.diogel_part += 1
                canvas.diogel_numbering = self._numbering[canvas.diogel_part]
                canvas.diogel_lang = lang
                self.first_page(canvas, lang)

            def on_later(canvas: Canvas, doc: Any, lang: str = lang) -> None:
                canvas.diogel_lang = lang
                self._running_head(canvas, lang)

            first = PageTemplate(
                id=f"first-{lang}",
                frames=[
                    Frame(
                        MARGIN, bottom, width, first_frame_h, id=f"f1-{lang}", leftPadding=0, rightPadding=0
                    )
                ],
                onPage=on_first,
                autoNextPageTemplate=f"later-{lang}",
            )
            later = PageTemplate(
                id=f"later-{lang}",
                frames=[
                    Frame(
                        MARGIN, bottom, width, later_frame_h, id=f"f2-{lang}", leftPadding=0, rightPadding=0
                    )
                ],
                onPage=on_later,
            )
            out += [first, later]
        return out

    def _running_head(self, canvas: Canvas, lang: str) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8.5)
        canvas.setFillColor(GREY)
        y = PAGE_H - MARGIN + 2 * mm
        canvas.drawString(MARGIN, y, self.council.name(lang))
        title = self._running.get(canvas.diogel_part, "")
        if title:
            canvas.drawRightString(PAGE_W - MARGIN, y, title[:90])
        canvas.setStrokeColor(colors.HexColor("#BBBBBB"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y - 2.5 * mm, PAGE_W - MARGIN, y - 2.5 * mm)
        canvas.restoreState()

    def _footer(self, canvas: Canvas, page: int, total: int) -> None:
        lang = canvas.diogel_lang
        c = self.council
        contact = f"{c.name(lang)} · {c.phone} · {c.email} · {c.website}" if self.contact_footer else None
        number = common("page", lang).format(page=page, total=total)

        def draw() -> None:
            canvas.saveState()
            canvas.setFont(REGULAR, 8)
            canvas.setFillColor(GREY)
            y = FOOTER_H - 4 * mm
            if contact is not None:
                canvas.drawString(MARGIN, y, contact)
            canvas.drawRightString(PAGE_W - MARGIN, y, number)
            canvas.restoreState()

        REPLAY.draw(canvas, ("footer", contact, number), draw)

    def build(self, parts: Sequence[Part]) -> bytes:
        if not parts:
            raise ValueError("a document needs at least one part")
        langs = [p.lang for p in parts]
        # The first part's first-page template must come first: ReportLab starts with index 0.
        ordered = [parts[0].lang] + [lang for lang in langs if lang != parts[0].lang]
        story: list[Flowable] = []
        run = 0
        for index, part in enumerate(parts, start=1):
            self._running[index] = part.running_title
            run += 0 if part.continues and index > 1 else 1
            self._numbering[index] = run
            if index > 1:
                story += [NextPageTemplate(f"first-{part.lang}"), PageBreak()]
            story += part.story
        buf = io.BytesIO()
        doc = BaseDocTemplate(
            buf,
            pagesize=A4,
            pageTemplates=self._templates(ordered),
            title=self.title,
            author=self.council.name(parts[0].lang),
            creator="Diogel",
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
        )
        doc.build(story, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, footer=self._footer, **k))
        return buf.getvalue()


def draw_letterhead(council: CouncilIdentity) -> Callable[[Canvas, str], None]:
    """Top of a letter's first page: logo, council name, department, address and contacts."""

    def draw(canvas: Canvas, lang: str) -> None:
        if council.logo is not None:  # an image is the document's own object: never replayed
            draw_now(canvas, lang)
            return
        key = ("letterhead", council.name(lang), council.department(lang), council.phone, council.email,
               council.website, tuple(council.address[:6]))
        REPLAY.draw(canvas, key, lambda: draw_now(canvas, lang))

    def draw_now(canvas: Canvas, lang: str) -> None:
        canvas.saveState()
        top = PAGE_H - MARGIN
        x = MARGIN
        if council.logo is not None:
            try:
                canvas.drawImage(
                    str(council.logo),
                    MARGIN,
                    top - 20 * mm,
                    width=30 * mm,
                    height=20 * mm,
                    preserveAspectRatio=True,
                    anchor="nw",
                    mask="auto",
                )
                x = MARGIN + 34 * mm
            except OSError:  # a broken logo must not stop a statutory letter
                x = MARGIN
        canvas.setFillColor(ACCENT)
        canvas.setFont(BOLD, 15)
        canvas.drawString(x, top - 6 * mm, council.name(lang))
        canvas.setFillColor(GREY)
        canvas.setFont(REGULAR, 9)
        if council.department(lang):
            canvas.drawString(x, top - 11 * mm, council.department(lang))
        y = top - 15 * mm
        canvas.setFont(REGULAR, 8.5)
        for line in (council.phone, council.email, council.website):
            canvas.drawString(x, y, line)
            y -= 3.8 * mm
        right = PAGE_W - MARGIN
        y = top - 2 * mm
        for line in council.address[:6]:
            canvas.drawRightString(right, y, line)
            y -= 3.8 * mm
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1)
        rule_y = PAGE_H - LETTERHEAD_H + 5 * mm
        canvas.line(MARGIN, rule_y, PAGE_W - MARGIN, rule_y)
        canvas.restoreState()

    return draw
