"""Letters from paired Welsh/English templates (Qt-free).

Contract: :func:`render_letter` returns complete PDF bytes or raises a :class:`LetterError`
(or :class:`MissingAddressError`) before anything is drawn; a letter is never produced with a
language side or a value missing.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from desktop.i18n import N_, format_number
from reports.errors import LetterError, MissingAddressError, TemplateValidationError
from reports.fastdraw import FastCondPageBreak, FastParagraph, FastSpacer
from reports.fonts import REGULAR
from reports.layout import (
    LETTERHEAD_H,
    MARGIN,
    PAGE_H,
    PAGE_W,
    DocumentBuilder,
    Part,
    common,
    draw_letterhead,
    esc,
    long_date,
    styles,
)
from reports.model import BilingualText, CouncilIdentity, FieldValue, LetterData
from reports.replay import REPLAY
from reports.templates import LetterTemplate, load_template

LANGUAGE_MODES = ("cy", "en", "bilingual")
_LONG_CELL = 220  # characters: a longer table value is set as paragraphs so it can break across pages
_HEADING_ROOM = 3  # body lines that must fit under a heading, else it starts the next page
_MOST_KEPT = PAGE_H / 2  # the most a page may lose to keeping the last block with the closing
_CLOSING_LINES = 2  # lines of the last paragraph that go to the next page with the closing if it does not fit


# -- cheaper building blocks ------------------------------------------------------------------------
# A batch lays out thousands of letters, so the per-flowable costs that ReportLab's general
# machinery adds (markup parsing, KeepTogether re-measuring at every frame, a Table for two
# side-by-side blocks) are replaced here by equivalents that do the same layout with less work.


def _style(name: str) -> ParagraphStyle:
    return _flat_heading() if name == "h3_flat" else styles()[name]


@lru_cache(maxsize=2048)
def _parsed(text: str, style_name: str) -> tuple[ParagraphStyle, list[Any]]:
    """The parsed markup of a paragraph (the template's own words, headings, the closing and the
    Standard 7 box recur in every letter; values make the rest differ, so they miss the cache)."""
    parser = ParaParser()
    parser.caseSensitive = 1
    style, frags, _bullet = parser.parse(cleanBlockQuotedText(text), _style(style_name))
    if frags is None:
        raise ValueError(f"paragraph markup error: {text[:30]!r}")
    return style, frags


@lru_cache(maxsize=64)
def _plain_fragment(style_name: str) -> tuple[ParagraphStyle, Any]:
    """What the parser makes of one word in the style: every text without markup is this one
    fragment with its own (whitespace-cleaned) text."""
    style, frags = _parsed("x", style_name)
    return style, frags[0]


_ODD_SPACES = ("\xa0", "\u200b")  # where ReportLab's whitespace is not Python's (no-break, zero-width)


def _clean(text: str) -> str:
    """``cleanBlockQuotedText(text)``: whitespace runs made one space, the ends stripped. Without the
    two characters ReportLab treats apart from Python, that is ``str.split`` and a join."""
    if _ODD_SPACES[0] in text or _ODD_SPACES[1] in text:
        return cleanBlockQuotedText(text)
    return " ".join(text.split())


def _copy(frag: Any) -> Any:
    """``copy.copy(frag)`` (a fragment is an attribute bag) without the copy protocol's detours."""
    new = object.__new__(type(frag))
    new.__dict__.update(frag.__dict__)
    return new


def _fragments(text: str, style_name: str) -> tuple[ParagraphStyle, list[Any]]:
    """The fragments ReportLab's parser makes of ``text``. Text without tags or entities (most of a
    letter, values escaped) is one fragment, made without the parser; the rest is parsed."""
    if "<" not in text and "&" not in text:
        clean = _clean(text)
        if clean:
            style, probe = _plain_fragment(style_name)
            frag = _copy(probe)  # the parser copies the style's fragment for its text the same way
            frag.text = clean
            return style, [frag]
    if len(text) > 600:  # long free text is never repeated: do not keep it
        return _parsed.__wrapped__(text, style_name)
    style, frags = _parsed(text, style_name)
    return style, list(frags)


_HOLE = "\ue000{}\ue001"  # a value's place in a parsed shape (private-use characters no value has)


@lru_cache(maxsize=64)
def _parsed_shape(shape: str, count: int, style_name: str) -> tuple[ParagraphStyle, list[Any]]:
    return _parsed.__wrapped__(shape.format(*(_HOLE.format(n) for n in range(count))), style_name)


def _plain_value(value: str) -> bool:
    """A value the parser takes as it is: no markup characters, whitespace already clean, and none
    of the spaces that change how ReportLab cleans the whole paragraph's whitespace."""
    return (
        bool(value) and "<" not in value and ">" not in value and "&" not in value
        and "\ue000" not in value and "\ue001" not in value
        and _ODD_SPACES[0] not in value and _ODD_SPACES[1] not in value and " ".join(value.split()) == value
    )


def _shaped(shape: str, values: Sequence[str], style_name: str) -> tuple[ParagraphStyle, list[Any]]:
    """The fragments the parser makes of ``shape.format(*escaped values)`` (markup of the letter's
    own, e.g. an address's line breaks or a bold label, around values that differ every letter):
    the shape is parsed once with holes for the values, which are filled in a copy of its fragments.
    A value the parser would change (markup characters, untidy whitespace) is parsed with the shape."""
    if not all(_plain_value(v) for v in values):
        return _parsed.__wrapped__(shape.format(*(esc(v) for v in values)), style_name)
    style, frags = _parsed_shape(shape, len(values), style_name)
    holes = [(_HOLE.format(n), v) for n, v in enumerate(values)]
    out = []
    for frag in frags:
        frag = _copy(frag)
        text = getattr(frag, "text", "")
        if "\ue000" in text:
            for hole, value in holes:
                text = text.replace(hole, value)
            frag.text = text
        out.append(frag)
    return style, out


_TAG = re.compile(r"<\s*/?\s*([A-Za-z]+)")
_DRAWN_ONLY = frozenset({"b", "i", "br", "strong", "em"})
"""Markup that only changes what is drawn: a paragraph with any other tag (a link or an anchor adds to
the document, an image is its own object) is never replayed."""

_LINES_KEPT = 1024  # broken paragraphs remembered per process


class _Lines:
    """Line breaks of the paragraphs a batch repeats (headings, the closing, the signature, the
    Standard 7 box, the template's own sentences), keyed by text, style, bullet and widths."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > _LINES_KEPT:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_lines = _Lines()


class _RepeatedParagraph(FastParagraph):
    """A paragraph whose line breaking is done once per distinct (text, style, bullet, widths).

    ReportLab's broken-line structure is read, never changed, by drawing and splitting (a split
    makes new fragments and new paragraphs, which are ordinary and not remembered), so one
    structure serves every letter that repeats the paragraph."""

    _key: tuple[Any, ...] | None = None  # set by :func:`_para`; None for the halves of a split
    _replay = False  # set by :func:`_para`: only text and line breaks (no links, anchors, images)

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - ReportLab API
        """What :class:`FastParagraph` leaves to ReportLab (the Standard 7 box, the signature) is
        drawn once per distinct paragraph and code state and replayed (:mod:`reports.replay`)."""
        if self._key is None or debug or not self._replay:
            super().drawPara(debug)
            return
        key = ("paragraph", self._key, tuple(self._wrapWidths), self.width, self.height)
        REPLAY.draw(self.canv, key, lambda: Paragraph.drawPara(self, debug))

    def breakLines(self, width: Any) -> Any:  # noqa: N802 - ReportLab API
        if self._key is None:
            return super().breakLines(width)
        key = (*self._key, tuple(width))
        lines = _lines.get(key)
        if lines is None:
            lines = super().breakLines(width)
            _lines.put(key, lines)
        return lines


def _para(text: str, style_name: str, bullet: str | None = None) -> Paragraph:
    """``Paragraph(text, styles()[style_name])`` with the markup parsed, and the lines broken, once
    per distinct text. ReportLab never mutates parsed fragments (line breaking and splitting copy
    them)."""
    style, frags = _fragments(text, style_name)
    if len(text) > 600:  # long free text is never repeated: do not keep its lines
        return FastParagraph(text, style, bulletText=bullet, frags=frags)
    para = _RepeatedParagraph(text, style, bulletText=bullet, frags=frags)
    para._key = (text, style_name, bullet)
    para._replay = {tag.lower() for tag in _TAG.findall(text)} <= _DRAWN_ONLY
    return para


def clear_render_caches() -> None:
    """Forget remembered line breaks and parsed markup (tests compare cold and warm renders)."""
    _lines.clear()
    _parsed.cache_clear()
    _plain_fragment.cache_clear()
    _parsed_shape.cache_clear()
    _closing_height.cache_clear()
    REPLAY.clear()


@lru_cache(maxsize=1)
def _flat_heading() -> ParagraphStyle:
    """``h3`` without ``keepWithNext``: a :func:`_heading` keeps itself with what follows through a
    conditional page break instead of ReportLab's KeepTogether grouping."""
    return ParagraphStyle("h3_flat", parent=styles()["h3"], keepWithNext=0)


def _heading(text: str) -> list[Flowable]:
    """A heading never stranded at the foot of a page: if it and a few body lines do not fit, it
    starts the next page (what ``keepWithNext`` does, without re-measuring the next block)."""
    h3, body = _flat_heading(), styles()["body"]
    room = h3.spaceBefore + h3.leading + h3.spaceAfter + _HEADING_ROOM * body.leading
    return [FastCondPageBreak(room), _para(text, "h3_flat")]


class _SideBySide(Flowable):
    """Two paragraphs side by side, top-aligned (the address and the date/reference block): what a
    one-row Table with no padding draws, at a fraction of a Table's cost."""

    def __init__(self, left: Paragraph, right: Paragraph, left_width: float) -> None:
        super().__init__()
        self.left, self.right, self.left_width = left, right, left_width
        self._heights = (0.0, 0.0)

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        _w, lh = self.left.wrap(self.left_width, aH)
        _w, rh = self.right.wrap(aW - self.left_width, aH)
        self._heights = (lh, rh)
        self.width, self.height = aW, max(lh, rh)
        return self.width, self.height

    def draw(self) -> None:
        lh, rh = self._heights
        self.left.drawOn(self.canv, 0, self.height - lh)
        self.right.drawOn(self.canv, self.left_width, self.height - rh)


def letter_language(preference: str | None, *, circular: bool = False) -> str:
    """The letter language for a recipient's recorded wish.

    "cy" → "cy"; "en" → "en"; anything else (unknown, ``None``, "bilingual") → "bilingual"
    (Welsh Language Standard 5). With ``circular=True`` (the same correspondence to several
    people, e.g. N9 to everyone invited) an English preference still gets "bilingual": the
    Commissioner found an English-only bulk mailing in breach even where English was preferred
    (Standard 4).
    """
    pref = (preference or "").strip().lower()
    if pref == "cy":
        return "cy"
    if pref == "en" and not circular:
        return "en"
    return "bilingual"


def household_language(preferences: Sequence[str | None]) -> str:
    """One letter to several people of a household (Standard 3): all Welsh → "cy", all English
    → "en", anything else (one wants Welsh, or a wish is unknown) → "bilingual"."""
    langs = {letter_language(p) for p in preferences} or {"bilingual"}
    return langs.pop() if len(langs) == 1 else "bilingual"


def part_languages(language: str) -> list[str]:
    """Language parts in print order; Welsh is always read first (Standard 6 guidance)."""
    return ["cy", "en"] if language == "bilingual" else [language]


@dataclass
class LetterJob:
    """One letter in a batch (see :func:`render_letters`)."""

    template_id: str
    language: str
    data: LetterData


def _template(template_id: str) -> LetterTemplate:
    try:
        return load_template(template_id)
    except FileNotFoundError:
        raise LetterError(N_("There is no letter template called {template}."), template_id) from None
    except TemplateValidationError:
        raise LetterError(
            N_("The letter template {template} is not valid: its Welsh and English versions do not match."),
            template_id,
        ) from None


def _scalar(value: Any, lang: str, template_id: str, name: str) -> str:
    if isinstance(value, BilingualText):
        text = value.get(lang)
        if text is None or not text.strip():
            msg = (
                N_("The letter {template} has no Welsh text for {field}.")
                if lang == "cy"
                else N_("The letter {template} has no English text for {field}.")
            )
            raise LetterError(msg, template_id, name)
        return text
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return long_date(value, lang)
    if isinstance(value, bool):  # bool is an int; refuse rather than print "True"
        raise LetterError(
            N_("The letter {template} has a yes/no value for {field}, which needs text."), template_id, name
        )
    if isinstance(value, int | float):
        return format_number(value, lang)
    if isinstance(value, str):
        return value
    raise LetterError(
        N_("The letter {template} has a value of the wrong kind for {field}."), template_id, name
    )


def _resolve(tpl: LetterTemplate, lang: str, data: LetterData, council: CouncilIdentity) -> dict[str, Any]:
    """Every placeholder's text for ``lang`` (lists stay lists). Raises on anything missing."""
    reserved = {
        "recipient_name": data.recipient.salutation_name or data.recipient.name,
        "council_phone": council.phone,
        "council_email": council.email,
        "council_website": council.website,
        "complaints_phone": council.complaints_phone or council.phone,
        "complaints_email": council.complaints_email or council.email,
    }
    values: dict[str, Any] = {}
    for name in sorted(tpl.placeholders):
        raw: FieldValue | None = reserved[name] if name in reserved else data.fields.get(name)
        empty = (
            raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw)
        )
        if empty:
            raise LetterError(N_("The letter {template} needs a value for {field}."), tpl.id, name)
        if isinstance(raw, list):
            items = [_scalar(v, lang, tpl.id, name) for v in raw]
            values[name] = items if name in tpl.list_fields else "; ".join(items)
        else:
            text = _scalar(raw, lang, tpl.id, name)
            values[name] = [text] if name in tpl.list_fields else text
    return values


def _escaped(values: dict[str, Any]) -> dict[str, str]:
    """The text values as paragraph markup (escaped; a value's line breaks kept), made once a part."""
    return {k: esc(v).replace("\n", "<br/>") for k, v in values.items() if isinstance(v, str)}


def _fill(text: str, escaped: dict[str, str]) -> str:
    """Template text with the escaped values of :func:`_escaped`."""
    return text.format_map(escaped)


def _paragraphs(text: str, style_name: str) -> list[Flowable]:
    """A filled paragraph; a blank line inside a value starts a new paragraph (so long text
    can break between paragraphs as well as lines)."""
    return [_para(chunk, style_name) for chunk in text.split("<br/><br/>") if chunk.strip()]


def _table(rows: list[list[str]], escaped: dict[str, str]) -> list[Flowable]:
    out: list[Flowable] = []
    cells: list[list[Paragraph]] = []

    def flush() -> None:
        if cells:
            t = Table([list(r) for r in cells], colWidths=[62 * mm, None], hAlign="LEFT")
            t.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), REGULAR),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
                        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ]
                )
            )
            out.extend([t, FastSpacer(1, 3 * mm)])
            cells.clear()

    for label, value in rows:
        filled = _fill(value, escaped)
        if len(filled) > _LONG_CELL:
            # A table row cannot break across pages; long free text becomes paragraphs.
            flush()
            out.extend(_heading(_fill(label, escaped)))
            out.extend(_paragraphs(filled, "body"))
        else:
            cells.append([_para(_fill(label, escaped), "cell_bold"), _para(filled, "cell")])
    flush()
    return out


def _letter_story(
    tpl: LetterTemplate, lang: str, data: LetterData, council: CouncilIdentity, values: dict[str, Any]
) -> list[Flowable]:
    side = tpl.sides[lang]
    escaped = _escaped(values)
    story: list[Flowable] = []
    via = [common("care_of", lang).format(name=data.recipient.care_of)] if data.recipient.care_of else []
    lines = [line for line in [data.recipient.name, *via, *data.recipient.address] if line.strip()]
    addr_style, addr = _shaped("<br/>".join(f"{{{n}}}" for n in range(len(lines))), lines, "body")
    meta = [common("date", lang), long_date(data.letter_date, lang)]
    if data.reference:
        meta += [common("our_ref", lang), data.reference]
    shape = "<br/>".join(f"<b>{{{n}}}:</b> {{{n + 1}}}" for n in range(0, len(meta), 2))
    meta_style, meta_frags = _shaped(shape, meta, "small_right")
    head = _SideBySide(Paragraph("", addr_style, frags=addr), FastParagraph("", meta_style, frags=meta_frags),
                       100 * mm)
    story += [head, FastSpacer(1, 9 * mm)]
    story.append(_para(_fill(side["salutation"], escaped), "body"))
    story.append(_para(_fill(side["subject"], escaped), "subject"))
    for block in side["body"]:
        if isinstance(block, str):
            story += _paragraphs(_fill(block, escaped), "body")
            continue
        kind, value = next(iter(block.items()))
        if kind == "heading":
            story += _heading(_fill(value, escaped))
        elif kind == "items":
            story += [_para(_fill(item, escaped), "bullet", "•") for item in value]
            story.append(FastSpacer(1, 1.5 * mm))
        elif kind == "list":
            story += [_para(esc(item).replace("\n", "<br/>"), "bullet", "•") for item in values[value]]
            story.append(FastSpacer(1, 1.5 * mm))
        elif kind == "table":
            story += _table(value, escaped)
    if data.signatory is not None:
        sign_name = data.signatory.name
        sign_title = data.signatory.title.get(lang) or ""
    else:
        sign_name, sign_title = council.signatory_name, council.signatory_title(lang)
    closing = _closing(lang, sign_name, sign_title, council.name(lang))
    _keep_with_closing(story, _closing_height(lang, sign_name, sign_title, council.name(lang)))
    story += closing
    return story


def _keep_with_closing(story: list[Flowable], closing_h: float) -> None:
    """Keep the sign-off (and the Standard 7 statement) on a page with the end of the last
    paragraph, so a last page never holds only "Yours sincerely," and the signature.

    A conditional page break before the last block asks for room for that block and the closing
    together (much cheaper in a batch than KeepTogether, which re-measures its contents at every
    frame it is offered). A last paragraph longer than :data:`_CLOSING_LINES` lines is split first,
    so only its last lines move to the next page with the closing, not the whole paragraph."""
    width = PAGE_W - 2 * MARGIN
    last = len(story) - 1
    while last >= 0 and isinstance(story[last], Spacer | CondPageBreak):
        last -= 1
    if last < 0:
        story.append(FastCondPageBreak(closing_h))
        return
    after = sum(f.wrap(width, PAGE_H)[1] for f in story[last + 1:])  # the spacers after it
    block = story[last]
    _w, height = block.wrap(width, PAGE_H)
    if isinstance(block, Paragraph):
        keep = _CLOSING_LINES * block.style.leading
        if height > keep + block.style.leading / 2:
            parts = block.split(width, height - keep)
            if len(parts) == 2:
                tail = parts[1]
                _w, tail_h = tail.wrap(width, PAGE_H)
                story[last:last + 1] = [parts[0], FastCondPageBreak(tail_h + tail.getSpaceBefore() + after + closing_h),
                                        tail]
                return
    need = height + block.getSpaceBefore() + block.getSpaceAfter() + after + closing_h
    if need > _MOST_KEPT:  # a block too tall to move whole (a long table): it splits; the closing stays whole
        story.append(FastCondPageBreak(closing_h))
    else:
        story.insert(last, FastCondPageBreak(need))


def _closing(lang: str, sign_name: str, sign_title: str, council_name: str) -> list[Flowable]:
    return [
        FastSpacer(1, 3 * mm),
        _para(esc(common("closing", lang)), "body"),
        FastSpacer(1, 8 * mm),
        _para(f"<b>{esc(sign_name)}</b><br/>{esc(sign_title)}<br/>{esc(council_name)}", "body"),
        FastSpacer(1, 5 * mm),
        _standard7_box(),
    ]


@lru_cache(maxsize=256)
def _closing_height(lang: str, sign_name: str, sign_title: str, council_name: str) -> float:
    total = 0.0
    for flowable in _closing(lang, sign_name, sign_title, council_name):
        _w, h = flowable.wrap(PAGE_W - 2 * MARGIN, PAGE_H)
        total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total + 2 * mm


def _standard7_box() -> Paragraph:
    """Welsh Language Standard 7 statement, in both languages (Welsh first) on every letter.

    One bordered paragraph rather than a table: it is on every letter part, and a table costs
    several times more to lay out in a 1,000-letter batch."""
    text = esc(common("standard7", "cy")) + "<br/><br/>" + esc(common("standard7", "en"))
    return _para(text, "standard7")


def _check_address(template_id: str, data: LetterData) -> None:
    if not [line for line in data.recipient.address if line and line.strip()]:
        raise MissingAddressError(
            N_("The letter {template} cannot be printed: {recipient} has no postal address."),
            template_id,
            "address",
            recipient=data.recipient.name,
        )


def _parts(job: LetterJob, council: CouncilIdentity) -> list[Part]:
    """Validate one job completely (all languages) and return its parts."""
    if job.language not in LANGUAGE_MODES:
        raise LetterError(N_("Unknown letter language {language}."), job.template_id, language=job.language)
    tpl = _template(job.template_id)
    if not job.data.recipient.name.strip():
        raise LetterError(N_("The letter {template} needs a value for {field}."), tpl.id, "recipient_name")
    _check_address(tpl.id, job.data)
    resolved = {lang: _resolve(tpl, lang, job.data, council) for lang in part_languages(job.language)}
    return [
        Part(lang, _letter_story(tpl, lang, job.data, council, values), running_title=job.data.recipient.name)
        for lang, values in resolved.items()
    ]


def render_letter(template_id: str, language: str, data: LetterData, council: CouncilIdentity) -> bytes:
    """One letter as PDF bytes. ``language``: "cy", "en" or "bilingual" (the complete Welsh
    letter, a page break, then the complete English letter; pages numbered per language)."""
    return render_letters([LetterJob(template_id, language, data)], council)


def render_letters(jobs: Iterable[LetterJob], council: CouncilIdentity) -> bytes:
    """Many letters in one PDF for a print batch; each letter (and each language part of it)
    starts on a new page with its own letterhead and page count. Every job is validated before
    any drawing, so one bad letter stops the batch with nothing produced."""
    parts: list[Part] = []
    for job in jobs:
        parts += _parts(job, council)
    if not parts:
        raise LetterError(N_("There are no letters to print."))
    builder = DocumentBuilder(council, first_page=draw_letterhead(council), first_top=LETTERHEAD_H, title="")
    return builder.build(parts)


def template_placeholders(template_id: str) -> Sequence[str]:
    """The names a caller must put in ``LetterData.fields`` for ``template_id``."""
    return sorted(_template(template_id).data_fields)
