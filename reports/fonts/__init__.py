"""Bundled DejaVu Sans fonts, registered once with ReportLab as the family ``Diogel``.

DejaVu carries every Welsh letter (ŵ ŷ Ŵ Ŷ ẁ ẃ ẅ ỳ â ê î ô û ï ë), which the 14 built-in PDF fonts
do not, so no report or letter may use a built-in font for text. The TTFs and their licence
(``LICENSE.txt``, Bitstream Vera / DejaVu) ship inside this package so a frozen build finds them.
"""

from __future__ import annotations

import threading
import weakref
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

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

_SUBSETS_KEPT = 64
"""Distinct font subsets remembered per process. A subset is the characters a document uses from
one face, in the order it first used them; letters of one batch share a handful of them."""


class _LRU:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Any, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


_subset_files = _LRU(_SUBSETS_KEPT)  # (font file, subset) -> the subset font program
_compressed = _LRU(2 * _SUBSETS_KEPT)  # a font program or ToUnicode map -> its Flate-compressed bytes


def clear_subset_cache() -> None:
    """Forget every remembered subset (tests render with a cold cache and a warm one)."""
    _subset_files.clear()
    _compressed.clear()
    _Widths._written.clear()
    _formatted.clear()


def subsets_cached() -> int:
    """How many distinct subsets this process remembers."""
    return len(_subset_files)


class _CachedFlate(pdfdoc.PDFStreamFilterZCompress):
    """Flate compression that compresses a given subset's font program or ToUnicode map once per
    process, keyed by its bytes (every PDF still carries its own copy of the compressed bytes)."""

    def encode(self, text: bytes | str) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else text
        cached = _compressed.get(data)
        if cached is None:
            cached = zlib.compress(data)
            _compressed.put(data, cached)
        return cached


_CACHED_FLATE = _CachedFlate()


class _SubsetCachingFace(TTFontFace):
    """A font face that makes each distinct subset once per process, not once per document.

    Every letter is its own PDF and embeds its own subset of each face it uses, so a batch of
    1,000 letters would otherwise cut and compress the same few subsets thousands of times. The
    subset (which characters, with which codes) is exactly what ReportLab would make for that
    document: only the work is remembered, so each PDF is byte for byte what it was."""

    def makeSubset(self, subset: Sequence[int]) -> bytes:  # noqa: N802 - ReportLab API
        key = (self.filename, tuple(subset))
        program = _subset_files.get(key)
        if program is None:
            program = super().makeSubset(subset)
            _subset_files.put(key, program)
        return program

    def addSubsetObjects(self, doc: Any, fontname: str, subset: Sequence[int]) -> Any:  # noqa: N802
        ref = super().addSubsetObjects(doc, fontname, subset)
        stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if isinstance(stream, pdfdoc.PDFStream) and stream.filters == [pdfdoc.PDFZCompress]:
            stream.filters = [_CACHED_FLATE]
        return ref


class _Widths(pdfdoc.PDFArray):
    """A font subset's glyph widths, written out once per distinct subset (a pure function of
    the numbers: ReportLab formats each of them, a few hundred a letter, in Python)."""

    _written = _LRU(_SUBSETS_KEPT)

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803 - ReportLab API
        key = tuple(self.sequence)
        out = self._written.get(key)
        if out is None:
            out = super().format(document, IND)
            self._written.put(key, out)
        return out


class _Codes:
    """One document's character -> code table for the codes ReportLab has already given out in
    subset 0, kept in step with its assignments (a dict that only grows, in insertion order)."""

    __slots__ = ("chars", "seen", "state", "table")

    def __init__(self, state: Any) -> None:
        self.state = state  # ReportLab's TTFont.State for the document
        self.seen = 0
        self.table: dict[int, int] = {}  # for str.translate
        self.chars: set[str] = set()  # the same characters, to check a text against

    def update(self) -> None:
        assignments: dict[int, int] = self.state.assignments
        if len(assignments) == self.seen:
            return
        if len(assignments) < self.seen:  # never expected: start again rather than be wrong
            self.seen, self.table, self.chars = 0, {}, set()
        for code, n in islice(assignments.items(), self.seen, None):
            if n < 256:
                self.table[code] = n
                self.chars.add(chr(code))
        if 32 in assignments and assignments[32] < 256:
            self.table[0xA0] = assignments[32]  # ReportLab sets a no-break space as a space
            self.chars.add("\xa0")
        self.seen = len(assignments)


class _Font(TTFont):
    """The bundled TrueType font with ReportLab's per-document work made cheaper, never changed:

    * subsets cut and compressed once per process (:class:`_SubsetCachingFace`);
    * text whose every character already has a code in subset 0 (nearly every line after the
      first few of a letter) is encoded with ``str.translate`` instead of a Python loop per
      character; anything else goes through ReportLab's own ``splitString``, which gives out
      new codes exactly as before;
    * each subset's widths array and ToUnicode map written and compressed once per process.
    """

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name, str(path))
        self.face.__class__ = _SubsetCachingFace  # same state, the subset work remembered
        self._codes: WeakKeyDictionary[Any, _Codes] = WeakKeyDictionary()
        self._last: tuple[weakref.ref[Any], _Codes] | None = None  # the document drawn last

    def _codes_for(self, doc: Any) -> _Codes | None:
        last = self._last
        if last is not None and last[0]() is doc:
            return last[1]
        state = self.state.get(doc)
        if state is None:
            return None
        codes = self._codes.get(doc)
        if codes is None or codes.state is not state:
            codes = self._codes[doc] = _Codes(state)
        self._last = (weakref.ref(doc), codes)
        return codes

    def known(self, text: str, doc: Any) -> bytes | None:
        """``text`` in subset 0's codes when every character of it already has one in ``doc``
        (what ``splitString`` gives as its one piece), else None (nothing given out)."""
        codes = self._codes_for(doc)
        if codes is None or not text:
            return None
        codes.update()
        if codes.chars.issuperset(text):
            return text.translate(codes.table).encode("latin-1")
        return None

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:  # noqa: N802
        if isinstance(text, str):
            used = getattr(_recorded, "used", None)
            if used is not None:
                used.setdefault(self, set()).update(text)
            if not text and self._codes_for(doc) is not None:
                return []
            encoded = self.known(text, doc)
            if encoded is not None:
                return [(0, encoded)]
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - ReportLab API
        state = self.state.get(doc)
        subsets = (
            [(self.getSubsetInternalName(n, doc)[1:], tuple(subset)) for n, subset in enumerate(state.subsets)]
            if state is not None else []
        )
        self._last = None
        super().addObjects(doc)  # ReportLab forgets the document's state here
        self._codes.pop(doc, None)
        fonts = doc.idToObject["BasicFonts"].dict
        objects = doc.idToObject
        for name, subset in subsets:
            pdf_font = fonts.get(name)
            if pdf_font is None:
                continue
            if isinstance(getattr(pdf_font, "Widths", None), pdfdoc.PDFArray):
                pdf_font.Widths = _Widths(pdf_font.Widths.sequence)
            cmap = getattr(pdf_font, "ToUnicode", None)
            stream = objects.get(getattr(cmap, "name", None))
            if isinstance(stream, pdfdoc.PDFStream) and stream.filters == [pdfdoc.PDFZCompress]:
                stream.filters = [_CACHED_FLATE]
            # Each object below is what ReportLab made; its written form is kept per subset.
            base, key = pdf_font.BaseFont, (self.face.filename, subset)
            _once(stream, _OnceStream, ("cmap", base, key))
            _once(objects.get(f"fontFile:{self.face.filename}({base})"), _OnceStream, ("program", key))
            _once(objects.get(f"fontDescriptor:{base}"), _OnceDescriptor, ("descriptor", self.face.filename, base))
            _once(pdf_font, _OnceFont, ("font", name, base, key))


_formatted = _LRU(8 * _SUBSETS_KEPT)  # (kind, what, object numbers referred to) -> the object written


class _FormattedOnce:
    """Written as ReportLab writes it, once per process for each distinct key and the numbers of
    the objects it refers to (a font's dictionaries and streams repeat letter after letter)."""

    _diogel_key: Any = None

    def _diogel_refs(self) -> tuple[Any, ...]:
        return ()

    def format(self, document: Any) -> bytes:
        numbers = document.idToObjectNumberAndVersion
        refs = tuple(numbers.get(getattr(ref, "name", None)) for ref in self._diogel_refs())
        if self._diogel_key is None or None in refs or not isinstance(document.encrypt, pdfdoc.NoEncryption):
            return super().format(document)  # type: ignore[misc]
        key = (self._diogel_key, refs)
        out = _formatted.get(key)
        if out is None:
            out = super().format(document)  # type: ignore[misc]
            _formatted.put(key, out)
        return out


class _OnceStream(_FormattedOnce, pdfdoc.PDFStream):
    """A font program or ToUnicode map (compressed once already; no references in it)."""


class _OnceDescriptor(_FormattedOnce, pdfdoc.PDFDictionary):
    def _diogel_refs(self) -> tuple[Any, ...]:
        return (self.dict.get("FontFile2"),)


class _OnceFont(_FormattedOnce, pdfdoc.PDFTrueTypeFont):
    def _diogel_refs(self) -> tuple[Any, ...]:
        return (getattr(self, "ToUnicode", None), getattr(self, "FontDescriptor", None))


def _once(obj: Any, cls: type, key: tuple[Any, ...]) -> None:
    """Make ``obj`` (exactly ReportLab's class that ``cls`` extends) written once per ``key``."""
    base: Any = cls.__mro__[2]
    if type(obj) is base and (base is not pdfdoc.PDFStream or getattr(obj, "filters", None) == [_CACHED_FLATE]):
        obj.__class__ = cls
        setattr(obj, "_diogel_key", key)  # noqa: B010 - set on an object whose class was just swapped


_recorded = threading.local()


@contextmanager
def recording_text() -> Iterator[dict[Any, set[str]]]:
    """The characters each bundled font encodes in this thread while the block runs (nestable)."""
    outer = getattr(_recorded, "used", None)
    used: dict[Any, set[str]] = {}
    _recorded.used = used
    try:
        yield used
    finally:
        _recorded.used = outer
        if outer is not None:
            for font, chars in used.items():
                outer.setdefault(font, set()).update(chars)


def font_codes(font: Any, chars: str, doc: Any) -> tuple[str, bytes] | None:
    """``font``'s name in ``doc`` and the codes ``chars`` have in its subset 0 there, or None if
    it is not a bundled font, not used in ``doc`` yet, or one of the characters has no such code."""
    if not isinstance(font, _Font):
        return None
    codes = font._codes_for(doc)  # noqa: SLF001
    if codes is None:
        return None
    codes.update()
    state = font.state.get(doc)
    if state is None or state.internalName is None or not codes.chars.issuperset(chars):
        return None
    return state.internalName, chars.translate(codes.table).encode("latin-1")


def _font(name: str, path: Path) -> TTFont:
    return _Font(name, path)


def register_fonts() -> str:
    """Register the family once (idempotent, thread-safe) and return its name for styles.

    Paragraph markup ``<b>``/``<i>`` maps to the bold/oblique faces through ``addMapping``.
    """
    global _registered
    with _lock:
        if not _registered:
            for name, filename in _FILES.items():
                pdfmetrics.registerFont(_font(name, FONT_DIR / filename))
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
