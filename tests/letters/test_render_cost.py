"""The cheaper rendering paths of a letter (reports/fonts, reports/letters) change the work, never
the output: a letter made with every cache warm is byte for byte the letter made with them cold.
PDFs are made in ReportLab's invariant mode (fixed dates and document ids) so bytes compare."""

from __future__ import annotations

import gc
import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from reports import BilingualText, CouncilIdentity, LetterData, LetterJob, Recipient, render_letters
from reports.batch import GC_YOUNG, batch_collection, render_each
from reports.fonts import _FILES as FONT_FILES
from reports.fonts import FONT_DIR, REGULAR, clear_subset_cache, register_fonts, subsets_cached
from reports.layout import esc
from reports.letters import _clean, _fragments, _para, _parsed, _shaped, _style, clear_render_caches

COUNCIL = CouncilIdentity.from_json(Path(__file__).resolve().parents[2] / "reports" / "council.example.json")


pytestmark = pytest.mark.usefixtures("reportlab_invariant")


def _job(child: str, language: str = "bilingual") -> LetterJob:
    return LetterJob("n19_plan_family", language, LetterData(
        recipient=Recipient("Gwenllïan Tŵr", ["1 Heol y Bryn", "Tregŵyr", "SA4 3AA"]),
        letter_date=date(2026, 11, 23), reference="CP/2026/0042",
        fields={"child_name": child, "plan_date": date(2026, 11, 20),
                "rationale": BilingualText(cy=f"Mae {child} yn mynd i'r ysgol. " * 40,
                                           en=f"{child} goes to school. " * 40),
                "outcomes": [BilingualText(cy=f"Canlyniad i {child}", en=f"Outcome for {child}")],
                "family_actions": [BilingualText(cy="Cam un", en="Action one")],
                "support": [BilingualText(cy="Cymorth", en="Support")],
                "next_review_date": date(2027, 2, 19), "coordinator_name": "Eleri Owen",
                "coordinator_phone": "01234 567000"}))


def test_a_font_subset_made_once_is_embedded_exactly_as_each_letter_needs_it() -> None:
    # Two letters whose names use different Welsh letters need different subsets of the face.
    first, second = _job("Dafydd ap Llŷr"), _job("Ẁyn Ŷmlaen Âberystwyth")
    clear_subset_cache()
    cold_second = render_letters([second], COUNCIL)
    clear_subset_cache()
    render_letters([first], COUNCIL)
    made = subsets_cached()
    assert made >= 2  # the regular and the bold face at least
    warm_second = render_letters([second], COUNCIL)
    assert warm_second == cold_second  # not the first letter's subset, nor any other
    assert render_letters([second], COUNCIL) == cold_second
    assert subsets_cached() > made  # the second letter's own subsets were made and kept
    again = subsets_cached()
    render_letters([first], COUNCIL)
    assert subsets_cached() == again  # nothing made again for a letter already seen
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(warm_second)).pages)
    assert "Ẁyn Ŷmlaen Âberystwyth" in text


def test_a_letter_made_after_others_is_byte_for_byte_the_letter_made_cold() -> None:
    # Every cache cold, then warm with letters that share headings, the closing and Standard 7
    # but not the values, in each language mode.
    for language in ("cy", "en", "bilingual"):
        target = _job("Seren Hughes", language)
        clear_subset_cache()
        clear_render_caches()
        cold = render_letters([target], COUNCIL)
        for child in ("Osian Prys", "Mali Rhys", "Tomos Ŵyn"):
            render_letters([_job(child, language)], COUNCIL)
        assert render_letters([target], COUNCIL) == cold, language


TEXTS = [
    "Plain words",
    "Mae'r teulu wedi gweithio'n galed gyda'r grŵp craidd: Gwenllïan, Ŷ, ẁ ẃ ẅ ỳ.",
    "  spaces   inside\tand tabs\nand a new line  ",
    "a non-breaking\xa0space and quotes \" ' > 3",
    "x",
    "Tudalen 1 o 2",
]


@pytest.mark.parametrize("style_name", ["body", "bullet", "h3_flat", "small_right", "standard7"])
def test_text_without_markup_gets_the_fragments_the_parser_makes(style_name: str) -> None:
    # The parser's fragments come from the cached parse; compare with a fresh parse each time.
    for text in TEXTS:
        clear_render_caches()
        style, fast = _fragments(text, style_name)
        parsed_style, parsed = _parsed.__wrapped__(text, style_name)
        assert style is parsed_style
        assert [f.__dict__ for f in fast] == [f.__dict__ for f in parsed], text


def test_whitespace_is_cleaned_as_reportlab_cleans_it() -> None:
    odd = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2007\u200a\u200b\u2028\u2029\u202f\u205f\u3000"
    texts = [*TEXTS, "", "   ", "a\nb", " x \n\n y ", *(f" a{c}b{c} c{c}" for c in odd), "a\xa0 b\u200bc"]
    for text in texts:
        assert _clean(text) == cleanBlockQuotedText(text), repr(text)


VALUES = [
    ["Gwenllïan Tŵr 17", "1 Heol y Bryn", "Tregŵyr", "SA4 3AA"],
    ["Dyddiad", "23 Tachwedd 2026", "Ein cyf", "CP/2026/0042"],
    ["Smith & Sons", "<b>not bold</b>", "a > b"],  # markup characters: the parser's own escapes
    ["  spaces  around ", "two  spaces", "tab\there", "line\nbreak"],  # whitespace the parser cleans
    ["no-break\xa0space", "zero\u200bwidth", "x"],
]


@pytest.mark.parametrize("values", VALUES)
@pytest.mark.parametrize("style_name", ["body", "small_right"])
def test_a_shape_filled_with_values_gets_the_fragments_the_parser_makes(values: list[str], style_name: str) -> None:
    for shape in ("<br/>".join(f"{{{n}}}" for n in range(len(values))),
                  "<br/>".join(f"<b>{{{n}}}:</b> {{{n}}}" for n in range(len(values)))):
        clear_render_caches()
        for _round in range(2):  # the shape parsed, then remembered
            style, fast = _shaped(shape, values, style_name)
            parsed_style, parsed = _parsed.__wrapped__(shape.format(*(esc(v) for v in values)), style_name)
            assert style is parsed_style
            assert [f.__dict__ for f in fast] == [f.__dict__ for f in parsed], (shape, values)


def test_line_breaks_are_remembered_per_width_and_style() -> None:
    text = "Mae croeso i chi ohebu â ni yn Gymraeg. Byddwn yn ateb gohebiaeth Gymraeg yn Gymraeg. " * 3
    clear_render_caches()
    for style_name, width in (("body", 400.0), ("body", 150.0), ("notice", 150.0), ("body", 400.0)):
        remembered = _para(text, style_name)
        plain = Paragraph(text, _style(style_name))
        assert remembered.wrap(width, 10_000) == plain.wrap(width, 10_000), (style_name, width)
        assert [line[1] for line in remembered.blPara.lines] == [line[1] for line in plain.blPara.lines]


def test_text_is_encoded_with_the_codes_reportlab_gives() -> None:
    # The same texts through the bundled font and through ReportLab's own TTFont, each with its
    # own document: new characters get codes in the same order, known ones the same bytes.
    register_fonts()
    ours = pdfmetrics.getFont(REGULAR)
    theirs = TTFont("plain-reportlab", str(FONT_DIR / "DejaVuSans.ttf"))
    ours_doc, theirs_doc = PDFDocument(), PDFDocument()
    texts = [
        "", "Annwyl Gwenllïan,", "Mae'r teulu", "Tŵr ŵ ŷ Ŵ Ŷ ẁ ẃ ẅ ỳ â ê î ô û ï ë",
        "no-break\xa0space", "Tŵr again, and ïë", "missing glyph \U0001F600 here", "Ŷ\xa0ẁ",
        "".join(chr(c) for c in range(0x100, 0x250)),  # more than one subset's worth of new characters
        "Tudalen 1 o 2 ŵ", "ĀĂĄ after the first subset is full",
    ]
    for text in texts:
        assert ours.splitString(text, ours_doc) == theirs.splitString(text, theirs_doc), text


def _with_reportlab_fonts(monkeypatch: pytest.MonkeyPatch, job: LetterJob) -> bytes:
    """``job`` rendered with ReportLab's own TTFont for every face (no cheaper path), caches cold."""
    register_fonts()
    with monkeypatch.context() as patch:
        for name, filename in FONT_FILES.items():
            patch.setitem(pdfmetrics._fonts, name, TTFont(name, str(FONT_DIR / filename)))
        clear_render_caches()
        return render_letters([job], COUNCIL)


def test_a_letter_is_byte_for_byte_what_reportlab_s_own_fonts_make(monkeypatch: pytest.MonkeyPatch) -> None:
    # Seren Ñ and Seren Ø each bring one character no other text of the letter has: their subsets
    # are the same size and differ in one glyph and its width (Ñ is narrower than Ø).
    jobs = [_job("Seren Ñ"), _job("Seren Ø"), _job("Ẁyn Ŷmlaen", "cy"), _job("Dafydd ap Llŷr", "en")]
    expected = [_with_reportlab_fonts(monkeypatch, job) for job in jobs]
    clear_subset_cache()
    clear_render_caches()
    for _round in range(2):  # cold, then with everything remembered from the other letters
        for job, pdf in zip(jobs, expected, strict=True):
            assert render_letters([job], COUNCIL) == pdf, job.data.fields["child_name"]


def test_a_batch_collects_garbage_less_often_and_puts_the_collector_back() -> None:
    before = gc.get_threshold()
    seen: list[int] = []
    with batch_collection():
        seen.append(gc.get_threshold()[0])
        with batch_collection():  # nested (another thread's batch, a chunk inside a batch)
            seen.append(gc.get_threshold()[0])
        seen.append(gc.get_threshold()[0])  # the inner one leaving does not put it back yet
    assert seen == [GC_YOUNG] * 3
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), batch_collection():
        raise RuntimeError("a letter failed")
    assert gc.get_threshold() == before
    # The single-process path renders inside it and leaves the collector as it found it.
    pdfs = [r.pdf for r in render_each([_job("Seren Hughes"), _job("Osian Prys", "cy")], COUNCIL, workers=0)]
    assert all(pdfs) and gc.get_threshold() == before
