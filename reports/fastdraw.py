"""A cheaper way to draw the commonest paragraph, with the very bytes ReportLab draws (Qt-free).

A letter page is some twenty short paragraphs (two or three lines each), most of them one font,
one colour, left-aligned. ReportLab draws each through general machinery: the canvas state saved
and restored twice, a text object, four layers of calls a line. For that case
:class:`FastParagraph` appends the same operators to the canvas itself, in the same order:

    q                                   (Flowable.drawOn: saveState)
    1 0 0 1 x y cm                      (translate)
    q                                   (drawPara: saveState)
    BT 1 0 0 1 x y Tm r g b rg /Fn+0 size Tf leading TL (•) Tj ET     (a bullet, as _drawBullet draws it)
    r g b rg                            (setFillColor)
    BT 1 0 0 1 x y Tm [dx 0 Td] /Fn+0 size Tf leading TL (line) Tj T* [-dx 0 Td] (line) Tj T* … ET
    Q                                   (restoreState)
    Q                                   (restoreState)

Text is encoded by the font's own ``splitString`` (which gives out subset codes exactly as it does
for ReportLab) and formatted as ``PDFTextObject._formatText`` formats it. Nothing of the canvas's
state changes between the outer ``q`` and ``Q`` in ReportLab's drawing either, so none is saved.
A line a little too long for its width has its word spacing narrowed as ReportLab narrows it
(``x Tw`` … ``0 Tw``). Anything else (markup, other alignments, a border or background, a colour
space, transparency, a built-in font) is drawn by ReportLab itself.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.platypus.flowables import CondPageBreak, Spacer
from reportlab.platypus.paragraph import Paragraph, _drawBullet

_NO_SPACE = -1e-8  # ReportLab's test for a line that needs word spacing (_leftDrawParaLine)
_NO_MOVE = 1e-6  # ReportLab's test for a cursor move worth writing (setXPos)


class FastParagraph(Paragraph):
    """A ``Paragraph`` that draws its simple case (see the module docstring) with less work."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if not self._draw_fast(canvas, x, y, _sW):
            super().drawOn(canvas, x, y, _sW)

    def _draw_fast(self, canvas: Any, x: float, y: float, avail: float) -> bool:
        """Draw as ReportLab would and return True, or return False having drawn nothing."""
        style = self.style
        blpara = getattr(self, "blPara", None)
        if blpara is None or blpara.kind != 0 or not blpara.lines:
            return False
        color = blpara.textColor
        alpha = getattr(color, "alpha", None)
        font = getFont(blpara.fontName)
        if (
            style.alignment != TA_LEFT
            or style.backColor
            or (style.borderColor and style.borderWidth)
            or getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
            or style.wordWrap in ("RTL", "LTR", "CJK")
            or getattr(self, "_offsets", None) is not None
            or getattr(self, "_showBoundary", False)
            or getattr(blpara, "us_lines", None)
            or getattr(blpara, "link", None)
            or not isinstance(color, Color)
            or isinstance(color, CMYKColor)
            or (alpha is not None and alpha != canvas._extgstate.getValue("ca"))  # noqa: SLF001
            or getattr(canvas, "_enforceColorSpace", None)
            or not canvas.bottomup
            or not font._dynamicFont  # noqa: SLF001
        ):
            return False
        x = self._hAlignAdjust(x, avail)
        code = canvas._code  # noqa: SLF001 - the page's operators, which every canvas call appends to
        code.append("q")
        code.append(f"{fp_str(1, 0, 0, 1, x, y)} cm")
        code.append("q")
        if _rl_paragraph.paraFontSizeHeightOffset:
            cur_y = self.height - blpara.fontSize
        else:
            cur_y = self.height - getattr(blpara, "ascent", blpara.fontSize)
        offset = style.firstLineIndent
        self.canv = canvas
        try:
            if self.bulletText:
                bullet = self._bullet(canvas, offset, cur_y)
                if bullet is None:
                    offset = _drawBullet(canvas, offset, cur_y, self.bulletText, style, rtl=False)
                else:
                    offset, bullet_code = bullet
                    code.append(bullet_code)
            code.append(f"{fp_str((color.red, color.green, color.blue))} rg")
            if alpha is not None:  # setting a colour with an alpha asks for PDF 1.4 (its gs is not written)
                canvas._doc.ensureMinPdfVersion("transparency")  # noqa: SLF001
            code.append(self._text(canvas, font, offset, cur_y))
        finally:
            del self.canv
        code.append("Q")
        code.append("Q")
        return True

    def _bullet(self, canvas: Any, offset: float, cur_y: float) -> tuple[float, str] | None:
        """A bullet of text in one colour anchored at its start, as ReportLab's ``_drawBullet``
        draws it (a text object of its own), with the first line's offset after it; None for
        any other bullet (ReportLab draws it)."""
        style = self.style
        text = self.bulletText
        color = getattr(style, "bulletColor", style.textColor)
        alpha = getattr(color, "alpha", None)
        font = getFont(style.bulletFontName)
        if (
            not isinstance(text, str)
            or style.bulletAnchor != "start"
            or not font._dynamicFont  # noqa: SLF001
            or not isinstance(color, Color)
            or isinstance(color, CMYKColor)
            or (alpha is not None and alpha != canvas._extgstate.getValue("ca"))  # noqa: SLF001
        ):
            return None
        doc = canvas._doc  # noqa: SLF001
        size = style.bulletFontSize
        x = style.bulletIndent - 0  # ReportLab's bullet width for a bullet anchored at its start
        parts = ["BT", f"1 0 0 1 {fp_str(x, cur_y + getattr(style, 'bulletOffsetY', 0))} Tm",
                 f"{fp_str((color.red, color.green, color.blue))} rg"]
        if alpha is not None:
            doc.ensureMinPdfVersion("transparency")
        end = x + stringWidth(text, style.bulletFontName, size)
        tmpl = f"{fp_str(size)} Tf {fp_str(size * 1.2)} TL"
        out = []
        current = -1
        for subset, chunk in font.splitString(text, doc):
            if subset != current:
                out.append(f"{font.getSubsetInternalName(subset, doc)} {tmpl}")
                current = subset
            out.append(f"({canvas._escape(chunk)}) Tj")  # noqa: SLF001
        parts.append(" ".join(out))
        parts.append("ET")
        return max(offset, end + size * 0.6 - style.leftIndent), " ".join(parts)

    def _text(self, canvas: Any, font: Any, offset: float, cur_y: float) -> str:
        """The text object's operators, as ``PDFTextObject.getCode`` joins them."""
        blpara = self.blPara
        doc = canvas._doc  # noqa: SLF001
        escape = canvas._escape  # noqa: SLF001
        parts = ["BT", f"1 0 0 1 {fp_str(self.style.leftIndent, cur_y)} Tm"]
        tmpl = f"{fp_str(blpara.fontSize)} Tf {fp_str(self.style.leading)} TL"
        current = -1  # the subset the text object last selected (none yet)
        move = offset > _NO_MOVE or offset < -_NO_MOVE
        for index, line in enumerate(blpara.lines):
            if index == 0 and move:
                parts.append(f"{fp_str(offset, 0)} Td")
            extra, words = line[0], line[1]
            text = " ".join(words)
            spaces = 0 if extra > _NO_SPACE else len(words) + text.count("\xa0") - 1
            if spaces > 0:  # the line is a little too long: its spaces are narrowed
                parts.append(f"{fp_str(extra / float(spaces))} Tw")
            out = []
            for subset, chunk in font.splitString(text, doc):
                if subset != current:
                    out.append(f"{font.getSubsetInternalName(subset, doc)} {tmpl}")
                    current = subset
                out.append(f"({escape(chunk)}) Tj")
            parts.append(" ".join(out) + " T*")
            if spaces > 0:
                parts.append(f"{fp_str(0)} Tw")
            if index == 0 and move:
                parts.append(f"{fp_str(-offset, 0)} Td")
        parts.append("ET")
        return " ".join(parts)


def _draw_nothing(flowable: Any, canvas: Any, x: float, y: float, avail: float) -> bool:
    """What ReportLab's ``Flowable.drawOn`` writes for a flowable that draws nothing (a state
    saved, moved to and restored), written at once; False if it would write more."""
    if getattr(flowable, "_showBoundary", False):
        return False
    code = canvas._code  # noqa: SLF001
    code.append("q")
    code.append(f"{fp_str(1, 0, 0, 1, flowable._hAlignAdjust(x, avail), y)} cm")  # noqa: SLF001
    code.append("Q")
    return True


class FastSpacer(Spacer):
    """A ``Spacer`` whose (empty) drawing is written without saving the canvas's state."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if not _draw_nothing(self, canvas, x, y, _sW):
            super().drawOn(canvas, x, y, _sW)


class FastCondPageBreak(CondPageBreak):
    """A ``CondPageBreak`` whose (empty) drawing is written without saving the canvas's state."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if not _draw_nothing(self, canvas, x, y, _sW):
            super().drawOn(canvas, x, y, _sW)
