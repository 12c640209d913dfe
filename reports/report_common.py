"""Helpers shared by the conference and committee reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from desktop.i18n import N_
from reports.fonts import BOLD, REGULAR
from reports.labels import label
from reports.layout import ACCENT, GREY, MARGIN, PAGE_H, PAGE_W, esc, styles
from reports.model import BilingualText, CouncilIdentity

REPORT_TOP = MARGIN + 16 * mm
MARKING = N_("OFFICIAL-SENSITIVE")


def text_for(value: str | BilingualText | None, lang: str) -> str:
    """Free text for ``lang``; a missing translation falls back to the other language (records
    are translated later, and a report must still show what was written)."""
    if value is None:
        return ""
    if isinstance(value, BilingualText):
        return value.get(lang) or value.get("en" if lang == "cy" else "cy") or ""
    return value


def paras(value: str | BilingualText | None, lang: str, style: str = "body") -> list[Flowable]:
    text = text_for(value, lang)
    st = styles()[style]
    return [Paragraph(esc(chunk).replace("\n", "<br/>"), st) for chunk in text.split("\n\n") if chunk.strip()]


def grid(header: list[str], rows: list[list[Any]], widths: list[float | None] | None = None) -> Table:
    """A ruled table whose header repeats on every page and whose rows may break between pages.

    Cells are text (escaped here) or flowables."""
    st = styles()

    def cell(v: Any, bold: bool = False) -> Any:
        if isinstance(v, Flowable):
            return v
        # A line break in the text (one relationship, one case a line) stays one: a Paragraph would make it a space.
        return Paragraph(esc(str(v)).replace("\n", "<br/>"), st["cell_bold" if bold else "cell"])

    data = [[cell(h, True) for h in header]] + [[cell(v) for v in row] for row in rows]
    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4ECF5")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#BBBBBB")),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return t


def report_heading(council: CouncilIdentity) -> Callable[[Canvas, str], None]:
    """Top of a report part's first page: council name, security marking, a rule."""

    def draw(canvas: Canvas, lang: str) -> None:
        canvas.saveState()
        top = PAGE_H - MARGIN
        canvas.setFillColor(ACCENT)
        canvas.setFont(BOLD, 13)
        canvas.drawString(MARGIN, top - 5 * mm, council.name(lang))
        canvas.setFillColor(GREY)
        canvas.setFont(REGULAR, 8.5)
        if council.department(lang):
            canvas.drawString(MARGIN, top - 10 * mm, council.department(lang))
        canvas.setFont(BOLD, 8.5)
        canvas.drawRightString(PAGE_W - MARGIN, top - 5 * mm, label(lang, MARKING))
        canvas.setStrokeColor(ACCENT)
        canvas.line(MARGIN, top - 13 * mm, PAGE_W - MARGIN, top - 13 * mm)
        canvas.restoreState()

    return draw


def report_languages(lang: str) -> list[str]:
    """ "bilingual" → Welsh part then English part; otherwise the one language."""
    if lang == "bilingual":
        return ["cy", "en"]
    if lang not in ("cy", "en"):
        raise ValueError(f"unsupported report language {lang!r}")
    return [lang]


def kv_table(rows: list[tuple[str, str]], label_width: float = 62 * mm) -> Table:
    """Label/value rows (no header), labels in bold."""
    st = styles()
    data = [[Paragraph(esc(a), st["cell_bold"]), Paragraph(esc(b), st["cell"])] for a, b in rows]
    t = Table(data, colWidths=[label_width, None], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return t
