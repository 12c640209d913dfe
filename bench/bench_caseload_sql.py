"""The caseload read by SQL a page at a time (issue 22, item 4) against the whole-list read, in one run.

Builds a senior manager's profile with ``--cases`` cases (every case in scope), signs in again, and
times (median of ``--runs``) the first page of 200 in the list's first order (by name), in case-file
order and for a search, the count of every case in scope, and the whole-list read
(``CaseService.caseload``) those replace. Also what the triggers that keep ``caseload_index`` cost a
bulk load (the same cases loaded with the triggers dropped) and the migration's one-off build.
Never run as a timed test.

    python bench/bench_caseload_sql.py [--cases 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import PASSWORD, create_profile, populate  # noqa: E402
from desktop.services.cases import CaseloadQuery, CaseService  # noqa: E402
from desktop.services.session import Session  # noqa: E402
from desktop.store.caseload_index import COLUMNS  # noqa: E402


def _median_ms(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def _drop_triggers(session: Session) -> None:
    def drop(tx: Any) -> None:
        names = tx.db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'caseload_index_%'").fetchall()
        for (name,) in names:
            tx.db.conn.execute(f"DROP TRIGGER [{name}]")

    session.store.write(drop, actor=session.user.id)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    out: dict[str, Any] = {"cases": args.cases}
    with tempfile.TemporaryDirectory() as tmp:
        session = create_profile(Path(tmp) / "with", fast_kdf=True)
        start = time.perf_counter()
        populate(session, args.cases)
        out["bulk_load_with_triggers_s"] = round(time.perf_counter() - start, 1)

        def rebuild(tx: Any) -> float:
            tx.db.conn.execute("DELETE FROM caseload_index")
            begin = time.perf_counter()
            tx.db.conn.execute(f"INSERT INTO caseload_index SELECT {COLUMNS} FROM caseload_source")  # noqa: S608
            return time.perf_counter() - begin

        out["migration_build_s"] = round(session.store.write(rebuild, actor=session.user.id), 1)
        session.close()
        session = Session.sign_in(Path(tmp) / "with", PASSWORD, backup=False, wait=True)
        cases = CaseService(session)
        for name, query in [("first_page_by_name_ms", CaseloadQuery(sort="subjects")),
                            ("first_page_case_file_order_ms", CaseloadQuery()),
                            ("first_page_search_jones_by_name_ms", CaseloadQuery(terms=("jones",), sort="subjects"))]:
            out[name] = _median_ms(lambda q=query: cases.caseload_page(q, None, 200), args.runs)  # type: ignore[misc]
        out["count_ms"] = _median_ms(lambda: cases.caseload_count(CaseloadQuery()), args.runs)
        out["whole_list_read_ms"] = _median_ms(cases.caseload, args.runs)
        session.close()
        plain = create_profile(Path(tmp) / "without", fast_kdf=True)
        _drop_triggers(plain)
        start = time.perf_counter()
        populate(plain, args.cases)
        out["bulk_load_without_triggers_s"] = round(time.perf_counter() - start, 1)
        plain.close()
    out.update(cores=os.cpu_count(), load_average_start=round(load_start, 2),
               load_average_end=round(os.getloadavg()[0], 2))
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
