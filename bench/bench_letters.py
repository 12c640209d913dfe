"""Benchmark: letters and conference reports against plain ReportLab text (standalone, never in tests).

Prints, for each workload, the seconds taken and the ratio to ReportLab drawing the same amount
of plain text (same pages, same font, no templates, tables or page counting) in the same run:

* 1,000 bilingual two-page letters (4,000 pages), one PDF each as printing and export make them,
  on a pool of worker processes — target ≤ 10 s, and CPU per page ≤ 1.5× plain ReportLab's
  (measured in one process too, which is what each worker does);
* a 20-page conference report (Welsh part + English part) — target ≤ 2 s.

    python bench/bench_letters.py [--letters N] [--workers N]

Exit status 0; a figure over its target is flagged "OVER TARGET" in the output. Wall and CPU
time are both printed: on a shared machine the CPU figures are the comparable ones.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
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
from reports.batch import default_workers, letter_pool, render_each, shutdown_pool  # noqa: E402
from reports.fonts import FONT_DIR  # noqa: E402
from reports.layout import styles  # noqa: E402

COUNCIL = CouncilIdentity.from_json(ROOT / "reports" / "council.example.json")
ROUND = 100  # letters per round of the interleaved single-process and plain measurements
PLAIN_FONT = "BenchPlainDejaVuSans"  # the same TTF as the letters' body, registered as ReportLab's own TTFont
SENTENCE_CY = (
    "Mae'r teulu wedi gweithio'n galed gyda'r grŵp craidd, ac mae Dafydd yn mynd i'r ysgol bob dydd. "
)
SENTENCE_EN = "The family has worked hard with the core group, and Dafydd now goes to school every day. "


CHILDREN = ["Dafydd ap Llŷr", "Gwenllïan Tŵr", "Seren Hughes", "Osian Prys", "Mali Rhys", "Tomos Ŵyn"]
WORKERS = ["Eleri Owen", "Siôn Bevan", "Nia Rees", "Aled Parry"]


def letter_job(i: int, variant: int = 0) -> LetterJob:
    """A plan letter that runs to two pages in each language. Every letter differs (names, numbers and
    the free text carry ``i``), as a real batch does, so nothing can be reused between letters but
    the template's own words. ``variant`` gives the same letters to other children."""
    child = f"{CHILDREN[(i + variant) % len(CHILDREN)]} {i}"
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


def plain_style() -> ParagraphStyle:
    """The letters' body style in the same font file, through ReportLab's own ``TTFont``: the
    bundled font (``reports.fonts``) has cheaper paths of its own, which the baseline must not
    borrow, or "plain ReportLab" would be measured with this project's work in it."""
    if PLAIN_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(PLAIN_FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    return ParagraphStyle("plain", parent=styles()["body"], fontName=PLAIN_FONT, bulletFontName=PLAIN_FONT)


def plain(pages: int, text: str) -> tuple[float, float]:
    """(wall, CPU) seconds for ReportLab to lay out ``pages`` pages of plain paragraphs in the
    same font, normalised to exactly ``pages`` pages."""
    style = plain_style()
    per_page = 9  # paragraphs of this length fill about one A4 page
    story = [Paragraph(text, style) for _ in range(pages * per_page)]
    start, cpu = time.perf_counter(), time.process_time()
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    scale = pages / max(len(PdfReader(io.BytesIO(buf.getvalue())).pages), 1)
    return wall * scale, cpu * scale


def plain_documents(documents: int, pages_each: int, text: str) -> float:
    """CPU seconds for ReportLab to make ``documents`` separate PDFs of ``pages_each`` pages of plain
    paragraphs (each PDF embeds its own font subset, as each letter's does)."""
    style = plain_style()
    cpu = time.process_time()
    for _ in range(documents):
        story = [Paragraph(text, style) for _ in range(pages_each * 9)]
        SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(story)
    return time.process_time() - cpu


def _flag(seconds: float, target: float) -> str:
    return "ok" if seconds <= target else "OVER TARGET"


def _children_cpu(pids: list[int]) -> float:
    """User + system CPU seconds of the given live processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000, help="letters in the batch (default 1,000)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    args = parser.parse_args(argv)
    workers = default_workers() if args.workers is None else args.workers
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start; "
          f"{workers} worker processes")
    jobs = [letter_job(i) for i in range(args.letters)]

    # 1. The batch on every core: one PDF per letter, in order (what printing and export do).
    pool = letter_pool(workers)
    list(render_each(jobs[:8], COUNCIL, workers=workers))  # start the workers (fonts loaded once each)
    pids = list(pool._executor._processes) if pool is not None and pool._executor is not None else []  # noqa: SLF001
    before = _children_cpu(pids)
    start, cpu = time.perf_counter(), time.process_time()
    pdfs = [r.pdf for r in render_each(jobs, COUNCIL, workers=workers)]
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu + _children_cpu(pids) - before
    assert all(pdfs)
    pages = sum(len(PdfReader(io.BytesIO(p)).pages) for p in pdfs if p)
    target = 10.0 * args.letters / 1000

    # 2. The same letters in this process alone (the single-process path, which is what each worker
    # does) and plain ReportLab drawing the same pages, interleaved in rounds of ROUND letters so
    # that both meet the same load on a shared machine. Letters are rendered twice a round: as a
    # batch renders them (reports.batch.batch_collection), and others like them with Python's
    # default collector.
    page_counts = [len(PdfReader(io.BytesIO(p)).pages) for p in pdfs if p]
    wall1 = cpu1 = cpu_default = base_wall = base_cpu = docs_cpu = 0.0
    for first in range(0, len(jobs), ROUND):
        part = jobs[first:first + ROUND]
        part_pages = sum(page_counts[first:first + ROUND])

        def as_a_batch(part: list[LetterJob] = part) -> None:
            nonlocal wall1, cpu1
            start1, started = time.perf_counter(), time.process_time()
            for r in render_each(part, COUNCIL, workers=0):
                assert r.pdf
            wall1 += time.perf_counter() - start1
            cpu1 += time.process_time() - started

        def with_default_collector(first: int = first, part: list[LetterJob] = part,
                                   part_pages: int = part_pages) -> None:
            # Other letters of the same shape (a letter's own paragraphs are remembered, so the
            # same letters again would be cheaper than any real batch), normalised to these pages.
            nonlocal cpu_default
            others = [letter_job(i, variant=1) for i in range(first, first + len(part))]
            started = time.process_time()
            other_pdfs = [render_letters([job], COUNCIL) for job in others]
            other_cpu = time.process_time() - started
            other_pages = sum(len(PdfReader(io.BytesIO(p)).pages) for p in other_pdfs)
            cpu_default += other_cpu * part_pages / max(other_pages, 1)

        # Each goes first in every other round: what runs second finds the processor's caches warm.
        passes = [as_a_batch, with_default_collector]
        for run in passes if (first // ROUND) % 2 == 0 else passes[::-1]:
            run()
        w, c = plain(part_pages, SENTENCE_EN * 6)
        base_wall += w
        base_cpu += c
        docs_cpu += plain_documents(len(part), max(1, round(part_pages / len(part))), SENTENCE_EN * 6)
    print(
        f"{args.letters:,} bilingual letters, one PDF each, {pages:,} pages: on {workers} workers {wall:.2f} s wall "
        f"[{_flag(wall, target)}: target {target:.0f} s], {cpu:.2f} s CPU (all processes); in one process "
        f"{wall1:.2f} s wall, {cpu1:.2f} s CPU; plain ReportLab text, same pages: {base_wall:.2f} s wall, "
        f"{base_cpu:.2f} s CPU; CPU per page {1000 * cpu1 / pages:.2f} ms in one process, "
        f"{1000 * cpu / pages:.2f} ms on the pool, plain {1000 * base_cpu / pages:.2f} ms: ratio "
        f"{cpu1 / base_cpu:.2f} (one process), {cpu / base_cpu:.2f} (pool) [target 1.5]; plain ReportLab making "
        f"the same {args.letters:,} separate PDFs: {docs_cpu:.2f} s CPU, ratio {cpu1 / docs_cpu:.2f}; with Python's "
        f"default collector (not as a batch renders) {cpu_default:.2f} s CPU, ratio {cpu_default / base_cpu:.2f}; "
        f"speed-up {wall1 / wall:.2f}x; "
        f"load average {os.getloadavg()[0]:.2f} at the end"
    )
    shutdown_pool()

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
