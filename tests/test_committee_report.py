"""Committee report (seed 004): headings and numbers in both languages, charts in bundled fonts."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports import CommitteeStats, CouncilIdentity, MeasureFigures, Timeliness, render_committee_report
from reports.committee import ALL_LABELS, L
from reports.labels import label, untranslated

EXAMPLE = Path(__file__).resolve().parent.parent / "reports" / "council.example.json"


@pytest.fixture(scope="module")
def council() -> CouncilIdentity:
    return CouncilIdentity.from_json(EXAMPLE)


def measure(rule: str, population: str, name: str, *counts: int) -> MeasureFigures:
    fell_due, carried, on_time, late, outstanding, ended = counts
    return MeasureFigures(rule, population, {"cy": f"{name} (cy)", "en": name}, fell_due=fell_due, carried=carried,
                          on_time=on_time, late=late, outstanding=outstanding, ended=ended)


def stats() -> CommitteeStats:
    return CommitteeStats(
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        measures=[
            measure("V1", "child_protection", "Seen alone", 420, 12, 376, 30, 20, 6),
            measure("C11", "child_protection", "Core groups", 240, 0, 221, 19, 0, 0),
            measure("C12", "child_protection", "Review conferences", 61, 0, 0, 40, 21, 0),  # nobody on time
            measure("A1", "adult_at_risk", "Enquiries", 3, 0, 2, 1, 0, 0),  # small numbers
            measure("L7", "looked_after", "Reviews", 0, 0, 0, 0, 0, 0),  # nothing fell due
        ],
        children_on_register=87,
        register_by_category={"neglect": 51, "emotional": 30, "physical": 14, "sexual": 6, "financial": 2},
        registrations=44,
        re_registrations=5,
        deregistrations=39,
        days_on_register=[120, 200, 365, 90, 410],
        babies_with_court=Timeliness(6, 1),
        babies_without_court=Timeliness(4, 3),
        open_cases=612,
        welsh_preference_cases=143,
        letters_sent=2210,
        welsh_letters_sent=1530,
        welsh_letters_same_time=1530,
        open_cases_by_team={"Tîm Diogelu Plant": 240, "Tîm Plant mewn Angen": 372},
    )


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


HEADINGS = ("title", "timeliness", "register", "by_category", "permanence", "welsh", "caseload")
NUMBERS = (
    "420 12 376 30 20 6 89.5%",  # seen alone: fell due, carried, on time, late, outstanding, left undone, %
    "61 0 0 40 21 0 0%",  # reviews: a zero is a zero
    "[c] 0 [c] [c] 0 0 [c]",  # enquiries: 3 fell due, 2 on time: hidden, and so is the percentage
    "87",
    "44",
    "11.4%",
    "237",
    "[c] [c] [c]",  # babies: 6 with court proceedings, 1 placed: the 1 and its percentage hidden
    "143 (23.4%)",
    "2,210",
    "1,530 (69.2%)",
    "1,530 (100%)",
    "372",
)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_headings_and_numbers(council, lang):
    text = text_of(render_committee_report(stats(), lang, council))
    for key in HEADINGS:
        assert label(lang, L[key]) in text, key
    for number in NUMBERS:
        assert number in text, number
    assert "Tîm Plant mewn Angen" in text
    if lang == "cy":
        assert "1 Ebrill 2026" in text and "30 Medi 2026" in text and "Tudalen 1 o" in text
        assert "Adroddiad perfformiad diogelu i'r pwyllgor" in text  # Welsh draft until the catalogue has one
        assert "Esgeulustod" in text
    else:
        assert "1 April 2026" in text and "Page 1 of" in text
        assert "Safeguarding performance report to committee" in text and "Neglect" in text


def test_bilingual_is_welsh_then_english(council):
    text = text_of(render_committee_report(stats(), "bilingual", council))
    assert text.index(label("cy", L["title"])) < text.index(label("en", L["title"]))
    assert text.index("Tudalen 1 o") < text.index(label("en", L["title"]))
    assert "Page 1 of" not in text, "one report, numbered through"


def test_empty_period_does_not_fail(council):
    empty = CommitteeStats(date(2026, 4, 1), date(2026, 6, 30))
    text = text_of(render_committee_report(empty, "en", council))
    assert label("en", L["no_data"]) in text
    assert "—" in text


def test_a_zero_is_drawn_and_a_hidden_value_says_so(council):
    """Nobody on time draws a red mark and "0%"; a hidden value draws "[c]", never an empty row."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(render_committee_report(stats(), "en", council))) as pdf:
        page = pdf.pages[0]
        red = [r for r in page.rects if r.get("non_stroking_color") and tuple(
            round(c, 2) for c in r["non_stroking_color"]) == (round(0x8E / 255, 2), 0.0, 0.0)]
        assert red, "the zero bar is drawn"
        words = page.extract_words()
        chart_words = [w["text"] for w in words if w["top"] > min(r["top"] for r in red) - 20]
    assert "0%" in chart_words


def test_charts_use_only_bundled_fonts(council):
    reader = PdfReader(io.BytesIO(render_committee_report(stats(), "bilingual", council)))
    names = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()
    }
    assert names and all("DejaVuSans" in n for n in names), names


def test_every_committee_label_has_welsh():
    assert untranslated(ALL_LABELS) == []


def test_unknown_language_rejected(council):
    with pytest.raises(ValueError):
        render_committee_report(stats(), "fr", council)


def test_the_trend_shows_each_month_honestly(council):
    """Twelve months a measure: a percentage where enough fell due, "[c]" where it would reveal one to four
    children, "0%" in red where nobody was on time, "—" where nothing fell due; months named in the
    report's language; and the cases counted are said."""
    from reports import MonthFigures

    s = stats()
    months = [date(2025, 10 + i, 1) if i < 3 else date(2026, i - 2, 1) for i in range(12)]
    points = [(40, 30), (3, 2), (20, 0), (0, 0)] + [(10, 10)] * 8  # fell due, on time
    s.measures[0].trend = [MonthFigures(m, m, fell_due=f, on_time=o, late=f - o) for m, (f, o) in zip(
        months, points, strict=True)]
    s.coverage, s.team = "team", "Tîm Gogledd"
    en = text_of(render_committee_report(s, "en", council))
    assert "Trend: done on time, month by month" in en
    assert "Cases counted: The cases of one team, from the server: Tîm Gogledd" in en
    row = en[en.index("Oct 25 Nov 25"):]
    assert "Seen alone 75% [c] 0% — 100% 100%" in row
    cy = text_of(render_committee_report(s, "cy", council))
    assert "Tuedd: a wnaed mewn pryd, fis wrth fis" in cy and "Hyd 25 Tach 25 Rhag 25 Ion 26" in cy
    s.measures[0].trend = []
    assert "Trend: done on time" in text_of(render_committee_report(s, "en", council))  # said, with no data
