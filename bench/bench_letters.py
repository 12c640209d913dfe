"""Benchmark: letters and conference reports against plain ReportLab text (standalone, never in tests).

Prints, for each workload, the seconds taken and the ratio to ReportLab drawing the same amount
of plain text (same pages, same font, no templates, tables or page counting) in the same run:

* 1,000 bilingual two-page letters (4,000 pages) in one print batch — target ≤ 30 s;
* a 20-page conference report (Welsh part + English part) — target ≤ 2 s.

    python bench/bench_letters.py [--letters N]

Exit status 0; a figure over its target is flagged "OVER TARGET" in the output. Wall and CPU
time are both printed: on a shared machine the CPU figures are the comparable ones.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from reports import (  # noqa: E402
    AgencyReport,
    Attendee,
    BilingualText,
    ChildConference,
    ConferenceChild,
    CouncilIdentity,
    LetterData,
    LetterJob,
    PlanAction,
    PlanOutcome,
    Recipient,
    render_conference_report,
    render_letters,
)
from reports.layout import styles  # noqa: E402

COUNCIL = CouncilIdentity.from_json(ROOT / "reports" / "council.example.json")
SENTENCE_CY = (
    "Mae'r teulu wedi gweithio'n galed gyda'r grŵp craidd, ac mae Dafydd yn mynd i'r ysgol bob dydd. "
)
SENTENCE_EN = "The family has worked hard with the core group, and Dafydd now goes to school every day. "


CHILDREN = ["Dafydd ap Llŷr", "Gwenllïan Tŵr", "Seren Hughes", "Osian Prys", "Mali Rhys", "Tomos Ŵyn"]
WORKERS = ["Eleri Owen", "Siôn Bevan", "Nia Rees", "Aled Parry"]


def letter_job(i: int) -> LetterJob:
    """A plan letter that runs to two pages in each language. Every letter differs (names, numbers and
    the free text carry ``i``), as a real batch does, so nothing can be reused between letters but
    the template's own words."""
    child = f"{CHILDREN[i % len(CHILDREN)]} {i}"
    cy = SENTENCE_CY.replace("Dafydd", child)
    en = SENTENCE_EN.replace("Dafydd", child)
    rationale = BilingualText(
        cy="\n\n".join([cy * 4] * 3),
        en="\n\n".join([en * 4] * 3),
    )
    items = [BilingualText(cy=f"Canlyniad {n}: " + cy, en=f"Outcome {n}: " + en) for n in range(4)]
    data = LetterData(
        recipient=Recipient(f"Gwenllïan Tŵr {i}", [f"{i % 200 + 1} Heol y Bryn", "Tregŵyr", "SA4 3AA"]),
        letter_date=date(2026, 11, 23),
        reference=f"CP/2026/{i:04d}",
        fields={
            "child_name": child,
            "plan_date": date(2026, 11, 20),
            "rationale": rationale,
            "outcomes": items,
            "family_actions": items[:3],
            "support": items[:3],
            "next_review_date": date(2027, 2, 19),
            "coordinator_name": WORKERS[i % len(WORKERS)],
            "coordinator_phone": f"01234 {567000 + i}",
        },
    )
    return LetterJob("n19_plan_family", "bilingual", data)


def conference(pages_hint: int = 20) -> ChildConference:
    """An initial conference whose report is about ``pages_hint`` pages over both languages."""
    summary = BilingualText(cy="\n\n".join([SENTENCE_CY * 6] * 3), en="\n\n".join([SENTENCE_EN * 6] * 3))
    return ChildConference(
        kind="initial",
        conference_date=date(2026, 11, 20),
        chair="Rhian Hughes",
        children=[
            ConferenceChild(f"Plentyn {n}", date(2019, 3, 4), True, ["neglect"], coordinator="Eleri Owen")
            for n in range(3)
        ],
        attendees=[
            Attendee(f"Person {n}", "Ymarferydd", f"Asiantaeth {n % 6}", True, True) for n in range(14)
        ],
        agency_reports=[
            AgencyReport(f"Asiantaeth {n}", "Awdur", summary) for n in range(pages_hint // 2 + 3)
        ],
        outcomes=[
            PlanOutcome(
                BilingualText(cy=SENTENCE_CY, en=SENTENCE_EN),
                [PlanAction(SENTENCE_EN, "Nia Rees", date(2026, 12, 1))] * 3,
            )
            for _ in range(5)
        ],
        first_core_group_date=date(2026, 12, 4),
        next_review_date=date(2027, 2, 19),
    )


def plain(pages: int, text: str) -> tuple[float, float]:
    """(wall, CPU) seconds for ReportLab to lay out ``pages`` pages of plain paragraphs in the
    same font, normalised to exactly ``pages`` pages."""
    style = styles()["body"]
    per_page = 9  # paragraphs of this length fill about one A4 page
    story = [Paragraph(text, style) for _ in range(pages * per_page)]
    start, cpu = time.perf_counter(), time.process_time()
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    scale = pages / max(len(PdfReader(io.BytesIO(buf.getvalue())).pages), 1)
    return wall * scale, cpu * scale


def _flag(seconds: float, target: float) -> str:
    return "ok" if seconds <= target else "OVER TARGET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000, help="letters in the batch (default 1,000)")
    args = parser.parse_args(argv)
    render_letters([letter_job(0)], COUNCIL)  # warm up: font registration, template cache

    jobs = [letter_job(i) for i in range(args.letters)]
    start, cpu = time.perf_counter(), time.process_time()
    pdf = render_letters(jobs, COUNCIL)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    base_wall, base_cpu = plain(pages, SENTENCE_EN * 6)
    target = 30.0 * args.letters / 1000
    print(
        f"{args.letters:,} bilingual letters, {pages:,} pages, {len(pdf) / 1e6:.1f} MB: "
        f"{wall:.2f} s wall, {cpu:.2f} s CPU [{_flag(wall, target)}: target {target:.0f} s]; "
        f"plain ReportLab text, same pages: {base_wall:.2f} s wall, {base_cpu:.2f} s CPU; "
        f"ratio {wall / base_wall:.2f} wall, {cpu / base_cpu:.2f} CPU"
    )

    start, cpu = time.perf_counter(), time.process_time()
    report = render_conference_report(conference(), COUNCIL)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    pages = len(PdfReader(io.BytesIO(report)).pages)
    base_wall, base_cpu = plain(pages, SENTENCE_EN * 6)
    print(
        f"conference report (cy + en), {pages} pages: {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"[{_flag(wall, 2.0)}: target 2 s]; plain ReportLab text, same pages: {base_wall:.2f} s wall, "
        f"{base_cpu:.2f} s CPU; ratio {wall / base_wall:.2f} wall, {cpu / base_cpu:.2f} CPU"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
