"""Letters on every core (reports/batch.py and LetterService.print_letters): real worker processes,
real PDFs read back. Order kept, the same text as the single-process path, progress reported in
order, and a cancel that stops the pool with nothing half-written."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.services.letters import LetterService
from reports import BilingualText, CouncilIdentity, LetterData, LetterJob, MissingAddressError, Recipient
from reports.batch import CHUNK, LetterPool, letter_pool, render_each

COUNCIL = CouncilIdentity.from_json(Path(__file__).resolve().parents[2] / "reports" / "council.example.json")


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _job(i: int, *, address: bool = True) -> LetterJob:
    """A plan letter whose every value carries ``i`` (so a letter put in the wrong place shows)."""
    child = f"Plentyn {i} Tŵr"
    return LetterJob("n19_plan_family", ("cy", "en", "bilingual")[i % 3], LetterData(
        recipient=Recipient(f"Derbynnydd {i}", [f"{i} Heol y Bryn", "Tregŵyr"] if address else []),
        letter_date=date(2026, 11, 23), reference=f"CP/{i:04d}",
        fields={"child_name": child, "plan_date": date(2026, 11, 20),
                "rationale": BilingualText(cy=f"Rheswm {i}. " * 30, en=f"Reason {i}. " * 30),
                "outcomes": [BilingualText(cy=f"Canlyniad {i}", en=f"Outcome {i}")],
                "family_actions": [BilingualText(cy=f"Cam {i}", en=f"Action {i}")],
                "support": [BilingualText(cy=f"Cymorth {i}", en=f"Support {i}")],
                "next_review_date": date(2027, 2, 19), "coordinator_name": f"Cydlynydd {i}",
                "coordinator_phone": f"01234 5{i:05d}"}))


def test_the_pool_keeps_the_order_and_gives_the_text_of_the_single_process_path() -> None:
    jobs = [_job(i, address=i != 5) for i in range(14)]
    pooled = list(render_each(jobs, COUNCIL, workers=2))
    single = list(render_each(jobs, COUNCIL, workers=0))
    assert [r.index for r in pooled] == list(range(14)) == [r.index for r in single]
    # A letter that cannot be made is reported in its own place, and the rest still render.
    assert isinstance(pooled[5].error, MissingAddressError) and pooled[5].pdf is None
    assert isinstance(single[5].error, MissingAddressError)
    for i, (p, s) in enumerate(zip(pooled, single, strict=True)):
        if i == 5:
            continue
        assert p.error is None and p.pdf is not None and s.pdf is not None
        text = _text(p.pdf)
        assert text == _text(s.pdf)
        assert f"Derbynnydd {i} " in text + " " and f"CP/{i:04d}" in text and f"Plentyn {i} Tŵr" in text


def test_closing_the_generator_withdraws_what_the_pool_still_has_queued() -> None:
    pool = LetterPool(2)
    try:
        jobs = [_job(i) for i in range(60)]
        gen = pool.render_each(jobs, COUNCIL, chunk=2)
        first = next(gen)
        assert first.index == 0 and first.pdf
        gen.close()
        deadline = time.monotonic() + 20
        while pool.pending() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pool.pending() == 0  # nothing left queued or running
    finally:
        pool.shutdown()


@pytest.fixture
def team_manager_letters(demo_session):  # type: ignore[no-untyped-def]
    s = demo_session("team_manager")
    service = LetterService(s)
    waiting = [q for q in service.queue() if q.status == "queued"]
    assert len(waiting) >= 20
    return s, service, waiting


def test_an_export_on_the_pool_reports_progress_in_order_and_writes_what_the_single_path_renders(
    team_manager_letters, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    s, service, waiting = team_manager_letters
    ids = [q.id for q in waiting]
    expected = {lid: _text(service.preview(lid)) for lid in ids}  # rendered here, one at a time
    seen: list[tuple[int, int]] = []
    out = tmp_path / "out"
    result = service.print_letters(ids, out_dir=out, progress=lambda d, t: seen.append((d, t)), workers=2)
    assert seen == [(n, len(ids)) for n in range(1, len(ids) + 1)]
    assert result.printed == ids and not result.errors and not result.held and not result.cancelled
    for lid in ids:
        assert _text(result.files[lid].read_bytes()) == expected[lid]
        assert service.pdf(lid) == result.files[lid].read_bytes()  # the stored PDF is the file
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in result.files.values())


def test_cancel_stops_the_pool_and_leaves_nothing_half_written(team_manager_letters, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s, service, waiting = team_manager_letters
    ids = [q.id for q in waiting]
    stop_after = 3
    done: list[int] = []
    pool = letter_pool(2)
    assert pool is not None
    before = pool.submitted
    out = tmp_path / "out"
    result = service.print_letters(ids, out_dir=out, progress=lambda d, _t: done.append(d),
                                   cancelled=lambda: len(done) >= stop_after, workers=2)
    assert result.cancelled
    assert result.printed == ids[:stop_after] and done == [1, 2, 3]
    # Every file on disk is whole and belongs to a letter marked printed; no partial file is left.
    assert sorted(p.name for p in out.iterdir()) == sorted(result.files[lid].name for lid in result.printed)
    for lid in result.printed:
        assert _text(result.files[lid].read_bytes())
    printed = {r["id"] for r in s.store.rows("SELECT id FROM letter WHERE status = 'printed'")}
    assert printed & set(ids) == set(ids[:stop_after])
    assert {q.id for q in service.queue(recheck=False) if q.status == "queued"} >= set(ids[stop_after:])
    # The pool was never handed the whole batch: one chunk in hand and one queued per worker at most.
    assert pool.submitted - before <= 2 * pool.workers + 1 < len(ids) / CHUNK
    deadline = time.monotonic() + 20
    while pool.pending() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.pending() == 0  # the pool stopped: nothing of the batch is still rendering or queued
