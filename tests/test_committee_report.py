"""Committee report (seed 004): headings and numbers in both languages, charts in bundled fonts."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports import CommitteeStats, CouncilIdentity, Timeliness, render_committee_report
from reports.committee import ALL_LABELS, L
from reports.labels import label, untranslated

EXAMPLE = Path(__file__).resolve().parent.parent / "reports" / "council.example.json"


@pytest.fixture(scope="module")
def council() -> CouncilIdentity:
    return CouncilIdentity.from_json(EXAMPLE)


def stats() -> CommitteeStats:
    return CommitteeStats(
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        visits_seen_alone=Timeliness(420, 376),
        visits_at_home=Timeliness(210, 199),
        initial_conferences=Timeliness(38, 33),
        review_conferences=Timeliness(61, 58),
        core_groups=Timeliness(240, 221),
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
        caseload_per_worker={"Eleri Owen": 18, "Ifan Jones": 22, "Siôn Prys": 19},
    )


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


HEADINGS = ("title", "timeliness", "register", "by_category", "permanence", "welsh", "caseload")
NUMBERS = (
    "420",
    "376",
    "89.5%",
    "87",
    "44",
    "11.4%",
    "237",
    "40%",
    "16.7%",
    "75%",
    "143 (23.4%)",
    "2,210",
    "1,530 (69.2%)",
    "1,530 (100%)",
    "22",
    "19.7",
)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_headings_and_numbers(council, lang):
    text = text_of(render_committee_report(stats(), lang, council))
    for key in HEADINGS:
        assert label(lang, L[key]) in text, key
    for number in NUMBERS:
        assert number in text, number
    assert "Siôn Prys" in text
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
    assert text.index("Tudalen 1 o") < text.index("Page 1 of")


def test_empty_period_does_not_fail(council):
    empty = CommitteeStats(date(2026, 4, 1), date(2026, 6, 30))
    text = text_of(render_committee_report(empty, "en", council))
    assert label("en", L["no_data"]) in text
    assert "—" in text


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
