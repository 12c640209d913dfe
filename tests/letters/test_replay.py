"""reports.replay: a drawing replayed is the drawing made, byte for byte, and it is replayed only
where the document's codes for its characters are the ones it was made with."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import BOLD, REGULAR, register_fonts
from reports.layout import ACCENT
from reports.replay import Replay

THING = "Gwenllïan Tŵr"
SAME = "Gwenllïan Tŵr, Tudalen 1 o 2"  # every character of the thing, in the order the thing uses them
OTHER = "2 o 1 nadulaT ,rŵT naïllnewG"  # the same characters first used in another order: other codes


@pytest.fixture(autouse=True)
def invariant() -> Iterator[None]:
    before = rl_config.invariant
    rl_config.invariant = 1
    register_fonts()
    yield
    rl_config.invariant = before


def _thing(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFont(BOLD, 12)
    canvas.setFillColor(ACCENT)
    canvas.drawString(50, 700, THING)
    canvas.setFont(REGULAR, 9)
    canvas.drawRightString(500, 680, "Tudalen 1 o 2")
    canvas.restoreState()


def _pdf(before: str, replay: Replay | None, drawn: list[bool]) -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, initialFontName=REGULAR)
    for face in (BOLD, REGULAR):
        canvas.setFont(face, 10)
        canvas.drawString(10, 10, before)
    if replay is None:
        _thing(canvas)
    else:
        drawn.append(replay.draw(canvas, ("thing",), lambda: _thing(canvas)))
    canvas.setFont(REGULAR, 10)
    canvas.drawString(10, 30, "ŷ after it")  # new codes after the thing follow the thing's
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def test_a_drawing_is_replayed_only_where_the_codes_are_the_same() -> None:
    replay = Replay()
    replayed: list[bool] = []
    for before in (SAME, SAME, OTHER, OTHER, SAME, "", ""):
        assert _pdf(before, replay, replayed) == _pdf(before, None, []), before
    # Drawn, replayed; drawn with the other codes, replayed; replayed with the first codes; and with
    # no codes given out yet (the thing gives them out) drawn each time.
    assert replayed == [False, True, False, True, True, False, False]


def test_a_drawing_that_asks_for_pdf_1_4_asks_when_replayed() -> None:
    replay = Replay()
    first = _pdf(SAME, replay, [])
    assert b"%PDF-1.4" in first[:10]  # setFillColor asked for transparency
    replayed: list[bool] = []
    assert _pdf(SAME, replay, replayed) == first and replayed == [True]


def test_a_paragraph_with_a_link_is_drawn_every_time() -> None:
    # A link adds an annotation to the document: replaying only the page's operators would lose it.
    from reportlab.platypus import SimpleDocTemplate

    from reports.letters import _para, clear_render_caches

    clear_render_caches()
    text = 'Gweler <a href="https://www.enghraifft.example">ein gwefan</a> am fwy.'
    for _round in range(3):
        buf = io.BytesIO()
        # The fonts used first, so the link's paragraph could be replayed but for its link.
        SimpleDocTemplate(buf).build([_para("Annwyl Gwenllïan,", "body"), _para(text, "body")])
        assert buf.getvalue().count(b"(https://www.enghraifft.example)") == 1  # its annotation
