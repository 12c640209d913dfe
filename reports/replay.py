"""Drawing that every letter repeats, written once per process and replayed (Qt-free).

The letterhead, the footers, the Standard 7 box and the signature are the same drawing on every
letter of a batch: the same operators at the same places, in the same fonts. Only one thing can
differ between two letters: the code each character has in the letter's own font subsets (codes
are given out in the order a letter first uses its characters). :class:`Replay` draws a thing for
real the first time, keeping what it appended to the page and which characters of which fonts it
used; the next time the same thing is drawn where the canvas is in the same state and every one of
those characters already has the same code (and its font the same name) in the document, the kept
operators are appended instead — the very bytes the drawing would write. Anything else (a
character not coded yet, other codes, another font state) is drawn for real and kept too.

A replayed drawing must leave the canvas as it found it (``saveState`` … ``restoreState``) and have
no effect on the document beyond fonts and codes, except asking for a PDF version, which is
asked again when it is replayed. Images and links are never replayed (callers do not use it for them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reports.fonts import font_codes, recording_text

_KEPT = 512  # drawings remembered per process (each a few hundred bytes of operators)
_STATES_KEPT = 8  # code states remembered per drawing (letters of one batch share a few)


@dataclass
class _Drawing:
    """One thing's drawing: the characters it used per font, and its operators per code state."""

    fonts: list[tuple[Any, str]]  # (font, its distinct characters, sorted)
    kept: dict[tuple[Any, ...], tuple[list[str], tuple[str, ...]]] = field(default_factory=dict)

    def signature(self, doc: Any) -> tuple[Any, ...] | None:
        """What decides the bytes besides the thing itself: the document's fonts, and each used
        character's code and each font's name in it; None if a character has no code yet."""
        parts: list[Any] = [tuple(doc.fontMapping.items())]
        for font, chars in self.fonts:
            coded = font_codes(font, chars, doc)
            if coded is None:
                return None
            parts.append(coded)
        return tuple(parts)


class Replay:
    """Thread-safe store of drawings (see the module docstring)."""

    def __init__(self, size: int = _KEPT) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, _Drawing] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def draw(self, canvas: Any, key: Hashable, draw: Callable[[], None]) -> bool:
        """Append the operators ``draw()`` appends to ``canvas`` for the thing named ``key``
        (everything the drawing depends on besides the canvas and the document); True if they
        were replayed, False if drawn."""
        doc = canvas._doc  # noqa: SLF001
        state = (key, canvas._fontname, canvas._fontsize, canvas._leading,  # noqa: SLF001
                 tuple(sorted(canvas._extgstate._d.items())), canvas.bottomup,  # noqa: SLF001
                 getattr(canvas, "_enforceColorSpace", None))
        with self._lock:
            drawing = self._items.get(state)
            if drawing is not None:
                self._items.move_to_end(state)
        if drawing is not None:
            signature = drawing.signature(doc)
            hit = drawing.kept.get(signature) if signature is not None else None
            if hit is not None:
                operators, asked = hit
                canvas._code.extend(operators)  # noqa: SLF001
                for feature in asked:
                    doc.ensureMinPdfVersion(feature)
                return True
        if "ensureMinPdfVersion" in vars(doc):  # drawn inside another recording: just draw
            draw()
            return False
        code = canvas._code  # noqa: SLF001
        start = len(code)
        before = code[-1] if code else None
        with recording_text() as used, _asks_version(doc) as asked:
            draw()
        if canvas._code is not code or (start and code[start - 1] is not before):  # noqa: SLF001
            return False  # the drawing changed what was there before it: not kept
        fonts = sorted(((font, "".join(sorted(chars))) for font, chars in used.items()),
                       key=lambda pair: pair[0].fontName)
        if drawing is None or drawing.fonts != fonts:
            drawing = _Drawing(fonts)
        signature = drawing.signature(doc)
        if signature is None:
            return False
        with self._lock:
            kept = drawing.kept
            if len(kept) >= _STATES_KEPT:
                del kept[next(iter(kept))]  # the oldest code state
            kept[signature] = (code[start:], tuple(asked))
            self._items[state] = drawing
            self._items.move_to_end(state)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return False


@contextmanager
def _asks_version(doc: Any) -> Any:
    """Notes the PDF features the drawing asks ``doc`` for (ReportLab asks for transparency, PDF
    1.4, whenever a colour is set), to ask again when it is replayed."""
    asked: list[str] = []
    ensure = doc.ensureMinPdfVersion

    def spy(*features: str) -> Any:
        asked.extend(features)
        return ensure(*features)

    doc.ensureMinPdfVersion = spy
    try:
        yield asked
    finally:
        del doc.ensureMinPdfVersion


REPLAY = Replay()
