"""Every page says where it is: a report (one document, Welsh then English) is numbered through; each
letter of a batch, and each language version of a bilingual letter, is numbered on its own."""

from __future__ import annotations

import re

from reports import CouncilIdentity, render_committee_report, render_conference_report
from reports.letters import LetterJob, render_letters
from tests.test_committee_report import stats
from tests.test_letters import letter
from tests.test_reports import EXAMPLE, conference, pages_text

FOOTER = re.compile(r"(?:Tudalen (\d+) o (\d+)|Page (\d+) of (\d+))")


def footers(pdf: bytes) -> list[tuple[int, int]]:
    out = []
    for text in pages_text(pdf):
        found = FOOTER.findall(text)
        assert len(found) == 1, f"one page footer per page: {found}"
        cy_page, cy_total, en_page, en_total = found[0]
        out.append((int(cy_page or en_page), int(cy_total or en_total)))
    return out


def test_a_bilingual_report_is_numbered_through() -> None:
    council = CouncilIdentity.from_json(EXAMPLE)
    for pdf in (render_conference_report(conference(), council),
                render_committee_report(stats(), "bilingual", council)):
        numbers = footers(pdf)
        n = len(numbers)
        assert numbers == [(i, n) for i in range(1, n + 1)], numbers


def test_each_letter_and_each_language_of_a_letter_is_numbered_on_its_own() -> None:
    council = CouncilIdentity.from_json(EXAMPLE)
    long = "\n\n".join(["Mae'r teulu wedi gweithio'n galed gyda'r grŵp craidd. " * 12] * 14)
    jobs = [LetterJob("n19_plan_family", "cy", letter(rationale=long)),
            LetterJob("n19_plan_family", "bilingual", letter()),
            LetterJob("n19_plan_family", "en", letter())]
    numbers = footers(render_letters(jobs, council))
    runs: list[list[tuple[int, int]]] = []
    for page, total in numbers:
        if page == 1:
            runs.append([])
        runs[-1].append((page, total))
    assert len(runs) == 4, "the Welsh letter, the bilingual letter's two versions, the English letter"
    for run in runs:
        assert run == [(i, len(run)) for i in range(1, len(run) + 1)], numbers
    assert len(runs[0]) >= 2, "the long letter runs over a page"
