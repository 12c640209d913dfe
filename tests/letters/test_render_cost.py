"""The cheaper rendering paths of a letter (reports/fonts, reports/letters) change the work, never
the output: a letter made with every cache warm is byte for byte the letter made with them cold.
PDFs are made in ReportLab's invariant mode (fixed dates and document ids) so bytes compare."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from reports import BilingualText, CouncilIdentity, LetterData, LetterJob, Recipient, render_letters
from reports.fonts import clear_subset_cache, subsets_cached

COUNCIL = CouncilIdentity.from_json(Path(__file__).resolve().parents[2] / "reports" / "council.example.json")


@pytest.fixture(autouse=True)
def invariant() -> Iterator[None]:
    before = rl_config.invariant
    rl_config.invariant = 1
    yield
    rl_config.invariant = before


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
