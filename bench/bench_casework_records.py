"""Issue 19's speed, each beside a plain baseline from the same run (never a timed test):

* **chronology** — one case with about 2,000 events from several sources (significant notes, visits
  with their children, complaints, printed letters): ``ChronologyService.for_case`` and the Chronology
  tab opened and filled offscreen (target ≤ 200 ms); baseline: the same rows read raw (``SELECT *``
  of each source table for the case, no events made).
* **search** — 50,000 notes in Welsh and English over 500 cases: ``NoteService.search`` (FTS5 inside
  the encrypted database, Welsh mutations, scoped, the newest 200 hits with their snippets, audited) for common,
  rare, mutated and two-word queries, as a senior manager (every case) and as a social worker (their
  cases) (target ≤ 100 ms); baseline: ``LIKE '%word%'`` over the same table.
* **saving** — a note with two people involved against a visit with two children, through their
  services (row + child rows + outbox + audit, encrypted, durable), alternately on the same profile:
  p50/p95 each (target: a note as fast as a visit).

    python bench/bench_casework_records.py [--notes 50000] [--events 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.synthetic import GIVEN, create_profile, populate  # noqa: E402
from desktop.services.session import Session, User  # noqa: E402

WELSH = ["Roedd ei blentyn yn yr ysgol", "Ffoniodd y feithrinfa am bresenoldeb", "Dywedodd fy mhlentyn ei fod yn drist",
         "Ymweliad â'r cartref gyda'r heddlu", "Mae'r fam yn poeni am yr arian", "Cafodd y plant frecwast",
         "Gwelwyd clais ar ei braich", "Bydd yr ysgol yn anfon cofnod", "Trafodwyd y cynllun gyda'r teulu",
         "Roedd y tŷ yn lân ac yn gynnes", "Siaradodd y meddyg teulu am ei iechyd", "Mae Tŵr yn byw gyda'i nain"]
ENGLISH = ["The school rang about attendance", "Mother was worried about money", "The children had breakfast",
           "A bruise was seen on her arm", "The health visitor called", "Police attended after a disturbance",
           "The house was clean and warm", "Father asked for contact", "The plan was discussed with the family",
           "The GP spoke about his health", "Housing confirmed the tenancy", "Nursery reported he was tired"]
QUERIES = ["ysgol", "plentyn", "school attendance", "Tŵr", "ffotosynthesis", "brec"]


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 2),
            "p95": round(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))], 2)}


def _std(session: Session) -> tuple[str, str, str, str]:
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    return now, session.user.id, now, session.user.id


def add_notes(session: Session, count: int, seed: int = 19) -> int:
    """``count`` notes over every case (bulk: the index is built by the same triggers real writes fire)."""
    rng = random.Random(seed)
    cases = [r["id"] for r in session.store.rows("SELECT id FROM case_file")]
    std, today = _std(session), date(2026, 11, 23)

    def load(tx: Any) -> int:
        rows = []
        for i in range(count):
            cy = rng.random() < 0.5
            words = WELSH if cy else ENGLISH
            body = ". ".join(rng.sample(words, 4)) + f". {rng.choice(GIVEN)} ({i})."
            significant = rng.random() < 0.15
            rows.append((str(uuid.uuid4()), rng.choice(cases), *std, rng.choice(("phone", "home_visit", "meeting")),
                         (today - timedelta(days=rng.randint(0, 700))).isoformat(), "cy" if cy else "en", body,
                         int(significant), "other" if significant else None, session.user.id))
        tx.db.conn.executemany(
            "INSERT INTO case_note (id, case_id, created_at, created_by, updated_at, updated_by, kind, occurred_on,"
            " language, body, significant, category, author_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    return int(session.write(load))


def worker_session(session: Session) -> Session:
    """A session as one of the synthetic social workers (their cases only)."""
    r = session.store.rows("SELECT p.* FROM practitioner p JOIN case_file c ON c.allocated_worker_id = p.id"
                           " GROUP BY p.id ORDER BY count(*) DESC LIMIT 1")[0]
    return Session(session.profile, session.store,
                   User(r["id"], r["given_names"], r["family_name"], r["app_role"], r["team_id"], r["scw_number"]))


def bench_search(session: Session, notes: int, runs: int) -> dict[str, Any]:
    from desktop.services.notes import NoteService

    start = time.perf_counter()
    add_notes(session, notes)
    loaded = ms(start)
    worker = worker_session(session)
    out: dict[str, Any] = {"notes": notes, "load_ms_with_index": round(loaded)}
    for who, s in (("senior_manager", session), ("social_worker", worker)):
        service = NoteService(s)
        for query in QUERIES:
            times, hits = [], 0
            for _ in range(runs):
                t = time.perf_counter()
                hits = len(service.search(query))
                times.append(ms(t))
            out[f"{who}:{query}"] = {**summary(times), "hits": hits}
    db = session.store.read()
    for word in ("ysgol", "ffotosynthesis"):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            db.execute("SELECT id FROM case_note WHERE body LIKE ? LIMIT 200", [f"%{word}%"]).fetchall()
            times.append(ms(t))
        out[f"baseline LIKE %{word}%"] = summary(times)
    return out


def add_chronology(session: Session, events: int, seed: int = 5) -> str:
    """One case with about ``events`` events: significant notes, visits, complaints and printed letters."""
    rng = random.Random(seed)
    case_id = session.store.rows("SELECT case_id FROM case_member GROUP BY case_id ORDER BY count(*) DESC LIMIT 1")[0][
        "case_id"]
    kids = [r["person_id"] for r in session.store.rows("SELECT person_id FROM case_member WHERE case_id = ?", [case_id])]
    std, today = _std(session), date(2026, 11, 23)
    notes, visits, children, complaints, letters = [], [], [], [], []
    share = events // 4
    for i in range(events):
        day = (today - timedelta(days=rng.randint(0, 1500))).isoformat()
        kind = i % 4
        if kind in (0, 1):
            notes.append((str(uuid.uuid4()), case_id, *std, "phone", day, "en", rng.choice(ENGLISH), 1, "health",
                          session.user.id))
        elif kind == 2:
            vid = str(uuid.uuid4())
            visits.append((vid, case_id, *std, day, session.user.id, "home", rng.choice(WELSH)))
            children += [(str(uuid.uuid4()), case_id, *std, vid, k, 1, 1, 1, 0, day) for k in kids]
        elif len(complaints) < share // 2:
            complaints.append((str(uuid.uuid4()), case_id, *std, "A relative", day, "oral", rng.choice(ENGLISH)))
        else:
            letters.append((str(uuid.uuid4()), case_id, *std, "N6", "person", kids[0], "Gwenllïan Tŵr", "cy", "{}",
                            "printed", f"{day}T10:00:00+00:00", session.user.id))

    def load(tx: Any) -> None:
        ex = tx.db.conn.executemany
        ex("INSERT INTO case_note (id, case_id, created_at, created_by, updated_at, updated_by, kind, occurred_on,"
           " language, body, significant, category, author_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", notes)
        ex("INSERT INTO cp_visit (id, case_id, created_at, created_by, updated_at, updated_by, visited_on, visitor_id,"
           " location, observations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", visits)
        ex("INSERT INTO cp_visit_child (id, case_id, created_at, created_by, updated_at, updated_by, visit_id,"
           " person_id, seen, seen_alone, seen_at_home, bedroom_seen, visited_on)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", children)
        ex("INSERT INTO complaint (id, case_id, created_at, created_by, updated_at, updated_by, complainant_name,"
           " received_on, channel, about) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", complaints)
        ex("INSERT INTO letter (id, case_id, created_at, created_by, updated_at, updated_by, template_id,"
           " recipient_kind, recipient_id, recipient_name, language, data, status, printed_at, printed_by)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", letters)

    session.write(load)
    return str(case_id)


def bench_chronology(session: Session, events: int, runs: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from desktop.services.chronology import ChronologyService
    from ui.chronology import ChronologyTab

    case_id = add_chronology(session, events)
    service = ChronologyService(session)
    found = len(service.for_case(case_id).events)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        service.for_case(case_id)
        times.append(ms(t))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tab_times = []
    for _ in range(max(3, runs // 4)):
        t = time.perf_counter()
        tab = ChronologyTab(session, case_id)
        tab.resize(1366, 600)
        tab.show()
        app.processEvents()
        tab_times.append(ms(t))
        tab.close()
        tab.deleteLater()
        app.processEvents()
    db = session.store.read()
    raw = []
    for _ in range(runs):
        t = time.perf_counter()
        n = 0
        for table in ("case_note", "cp_visit", "cp_visit_child", "complaint", "letter", "cp_strategy", "cp_enquiry",
                      "register_history", "case_file"):
            column = "id" if table == "case_file" else "case_id"
            n += len(db.execute(f"SELECT * FROM {table} WHERE {column} = ?", [case_id]).fetchall())
        raw.append(ms(t))
    return {"events": found, "service": summary(times), "tab_opened_and_filled": summary(tab_times),
            "baseline_raw_rows": summary(raw)}


def bench_saves(session: Session, saves: int) -> dict[str, Any]:
    from desktop.services.child_protection.visits import VisitService
    from desktop.services.notes import NoteService

    case_id = session.store.rows("SELECT case_id FROM case_member GROUP BY case_id HAVING count(*) >= 2 LIMIT 1")[0][
        "case_id"]
    kids = [r["person_id"] for r in session.store.rows("SELECT person_id FROM case_member WHERE case_id = ?",
                                                       [case_id])][:2]
    notes, visits = NoteService(session), VisitService(session)
    body = ("Ffoniodd yr ysgol: roedd ei blentyn heb frecwast eto. The nursery will write. " * 6).strip()
    note_times, visit_times = [], []
    day = session.today().isoformat()
    for _ in range(saves):
        t = time.perf_counter()
        notes.record(case_id, kind="phone", occurred_on=day, occurred_at="09:30", body=body, language="cy",
                     significant=True, category="education", people=kids)
        note_times.append(ms(t))
        t = time.perf_counter()
        visits.record(case_id, visited_on=day, location="home", observations=body,
                      children=[{"person_id": k, "seen": True, "seen_alone": True, "seen_at_home": True} for k in kids])
        visit_times.append(ms(t))
    return {"saves": saves, "note": summary(note_times), "visit": summary(visit_times),
            "ratio_p50": round(statistics.median(note_times) / statistics.median(visit_times), 2)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        session = create_profile(Path(tmp) / "p", fast_kdf=True)
        populate(session, 500, children_per_case=(1, 2, 3))
        results["saving"] = bench_saves(session, args.saves)
        results["chronology"] = bench_chronology(session, args.events, args.runs)
        results["search"] = bench_search(session, args.notes, args.runs)
        session.close()
    print(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
