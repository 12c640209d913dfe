"""reports.fastdraw draws a paragraph, a spacer and a conditional page break with the very bytes
ReportLab draws: the same story through both, in ReportLab's invariant mode, makes the same PDF."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer

from reports.fastdraw import FastCondPageBreak, FastParagraph, FastSpacer
from reports.layout import ACCENT, styles

WELSH = "Mae'r teulu wedi gweithio'n galed gyda'r grŵp craidd, ac mae Gwenllïan Tŵr yn mynd i'r ysgol. "
MANY = "".join(chr(c) for c in range(0x100, 0x17F)) + " " + "".join(chr(c) for c in range(0x391, 0x3C9))


pytestmark = pytest.mark.usefixtures("reportlab_invariant")


def _cases() -> list[tuple[str, ParagraphStyle, str | None]]:
    st = styles()
    indented = ParagraphStyle("indented", parent=st["body"], firstLineIndent=18, leftIndent=6)
    coloured = ParagraphStyle("coloured", parent=st["body"], textColor=ACCENT, fontSize=12, leading=15)
    unbroken = ParagraphStyle("unbroken", parent=st["body"], splitLongWords=0)
    numbered = ParagraphStyle("numbered", parent=st["bullet"], bulletColor=ACCENT, bulletFontSize=12,
                              bulletOffsetY=2, bulletIndent=5, leftIndent=30)
    return [
        ("Annwyl Gwenllïan,", st["body"], None),  # the first text: every character gets a new code
        (WELSH * 3, st["body"], None),
        ("Canlyniad 1: " + WELSH, st["bullet"], "•"),  # a bullet, and the text moved past it
        (WELSH * 2, indented, None),
        (WELSH, numbered, "12."),  # a coloured, larger, raised bullet of more than one character
        (WELSH, numbered, "Ŵ"),  # a bullet character the document has no code for yet
        ("Cynllun amddiffyn plant", st["subject"], None),  # the bold face
        (WELSH, coloured, None),
        (MANY, st["body"], None),  # more than 256 characters: a second subset mid-paragraph
        (WELSH + MANY[:40], st["bullet"], "•"),
        ("Tudalen 1 o 2 a gofod\xa0caled", st["small"], None),  # a no-break space
        ("Hirgrwnrhywbeth" * 8 + " " + WELSH, unbroken, None),  # overflows its line: word spacing
        ("Hirgrwnrhywbeth" * 8 + "\xa0a " + WELSH, unbroken, "•"),  # and a no-break space in it
        # ReportLab's own drawing, through FastParagraph as well:
        ("Tudalen&nbsp;1 o 2", st["small"], None),  # an entity: more than one fragment
        ("<b>Dyddiad:</b> 23 Tachwedd 2026", st["body"], None),  # markup: more than one font
        (WELSH, st["small_right"], None),  # right-aligned
        (WELSH, st["standard7"], None),  # a border
    ]


def _pdf(cls: type[Paragraph], spacer: type[Spacer] = Spacer, cond: type[CondPageBreak] = CondPageBreak) -> bytes:
    story = []
    for n, (text, style, bullet) in enumerate(_cases()):
        story += [cond(40 * n), cls(text, style, bulletText=bullet), spacer(1, 6)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build(story * 6)  # several pages; later ones with every code given out
    return buf.getvalue()


def test_fast_paragraphs_are_byte_for_byte_reportlab_s(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: dict[str, set[bool]] = {}
    draw_fast = FastParagraph._draw_fast

    def spy(self: FastParagraph, *args: object) -> bool:
        fast = draw_fast(self, *args)
        drawn.setdefault(self.getPlainText()[:8], set()).add(fast)
        return fast

    bullets: list[bool] = []
    bullet = FastParagraph._bullet

    def bullet_spy(self: FastParagraph, *args: object) -> object:
        made = bullet(self, *args)
        bullets.append(made is not None)
        return made

    monkeypatch.setattr(FastParagraph, "_draw_fast", spy)
    monkeypatch.setattr(FastParagraph, "_bullet", bullet_spy)
    assert _pdf(FastParagraph) == _pdf(Paragraph)
    assert _pdf(FastParagraph, FastSpacer, FastCondPageBreak) == _pdf(Paragraph)
    # The cheaper path drew the simple paragraphs and left the others to ReportLab.
    assert {"Dyddiad:", "Tudalen\xa0"} <= {start for start, fast in drawn.items() if fast == {False}}
    assert {"Annwyl G", "Cynllun ", "Canlynia", "Tudalen ", "Hirgrwnr", MANY[:8]} <= {start for start, fast in drawn.items()
                                                                 if fast == {True}}
    assert all(bullets) and len(bullets) >= 4 * 6 * 2  # every bullet drawn on the fast path
    assert drawn[WELSH[:8]] == {True, False}  # the body, bullet, indented and coloured; right-aligned and boxed


@pytest.mark.parametrize("text", ["Annwyl Gwenllïan,", WELSH * 2])
def test_a_document_of_one_fast_paragraph_is_reportlab_s(text: str) -> None:
    # Nothing else in the document asks for what ReportLab's colour setting asks of it (its PDF
    # version, for a colour with an alpha).
    def pdf(cls: type[Paragraph]) -> bytes:
        buf = io.BytesIO()
        SimpleDocTemplate(buf).build([cls(text, styles()["body"])])
        return buf.getvalue()

    assert pdf(FastParagraph) == pdf(Paragraph)
