"""Bundled DejaVu Sans fonts, registered once with ReportLab as the family ``Diogel``.

DejaVu carries every Welsh letter (ŵ ŷ Ŵ Ŷ ẁ ẃ ẅ ỳ â ê î ô û ï ë), which the 14 built-in PDF fonts
do not, so no report or letter may use a built-in font for text. The TTFs and their licence
(``LICENSE.txt``, Bitstream Vera / DejaVu) ship inside this package so a frozen build finds them.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent
FAMILY = "Diogel"
REGULAR = "Diogel"
BOLD = "Diogel-Bold"
ITALIC = "Diogel-Italic"
BOLD_ITALIC = "Diogel-BoldItalic"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
WELSH_LETTERS = "ŵŷŴŶẁẃẅỳâêîôûïëÂÊÎÔÛẀẂẄỲáéíóúàèìòùäöüÿ"
"""Characters that a letter font must carry (tests check every one has a glyph)."""

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the family once (idempotent, thread-safe) and return its name for styles.

    Paragraph markup ``<b>``/``<i>`` maps to the bold/oblique faces through ``addMapping``.
    """
    global _registered
    with _lock:
        if not _registered:
            for name, filename in _FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
            addMapping(FAMILY, 0, 0, REGULAR)
            addMapping(FAMILY, 1, 0, BOLD)
            addMapping(FAMILY, 0, 1, ITALIC)
            addMapping(FAMILY, 1, 1, BOLD_ITALIC)
            pdfmetrics.registerFontFamily(
                FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
            )
            _registered = True
    return FAMILY


def missing_glyphs(text: str, font_name: str = REGULAR) -> set[str]:
    """Characters of ``text`` that ``font_name`` has no glyph for (empty set = all present)."""
    register_fonts()
    face = pdfmetrics.getFont(font_name).face
    return {ch for ch in text if not ch.isspace() and ord(ch) not in face.charToGlyph}
