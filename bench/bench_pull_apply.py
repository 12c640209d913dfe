"""A first sync's pull applied on the laptop (issue 22, item 4): what keeping ``caseload_index`` costs it.

Builds ``--cases`` cases (with their people, members, workers and team) in one profile, turns every row
into pulled changes in a shuffled order, and applies them in pages of ``--page`` rows (as the client
does: each page one transaction, through ``SyncClient._apply_page``) into three fresh profiles, turn
about: as the store does now (the triggers note the cases touched; their rows are written once each
before the page commits), with triggers that work a case's row out for every row written (the first
version of m0022, recreated here), and with the triggers dropped (the plain baseline: no index kept).
Wall and process CPU time of the apply only. Never run as a timed test.

    python bench/bench_pull_apply.py [--cases 5000] [--page 500]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import create_profile, populate, pulled_changes  # noqa: E402
from desktop.services.session import Session  # noqa: E402
from desktop.store.caseload_index import COLUMNS  # noqa: E402
from desktop.sync.client import SyncClient  # noqa: E402


def _changes(source: Session) -> list[dict[str, Any]]:
    return pulled_changes(source, random.Random(22))


_PER_ROW = {  # the first m0022: each trigger worked the case's row out itself
    "case_insert": ("AFTER INSERT ON case_file", "NEW.id"),
    "case_update": ("AFTER UPDATE OF reference, id ON case_file", "NEW.id"),
    "case_delete": ("AFTER DELETE ON case_file", "OLD.id"),
    "member_insert": ("AFTER INSERT ON case_member", "NEW.case_id"),
    "member_update": ("AFTER UPDATE ON case_member", "NEW.case_id"),
    "member_delete": ("AFTER DELETE ON case_member", "OLD.case_id"),
    "person_update": ("AFTER UPDATE OF given_names, family_name, date_of_birth, expected_date, la_number,"
                      " nhs_number, deleted, id ON person",
                      "(SELECT case_id FROM case_member WHERE person_id = NEW.id)"),
    "person_delete": ("AFTER DELETE ON person", "(SELECT case_id FROM case_member WHERE person_id = OLD.id)"),
}


def _apply(folder: Path, changes: list[dict[str, Any]], page: int, mode: str) -> dict[str, float]:
    laptop = create_profile(folder, fast_kdf=True)

    def triggers(tx: Any) -> None:
        for (name,) in tx.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                          " AND name LIKE 'caseload_index_%'").fetchall():
            tx.db.conn.execute(f"DROP TRIGGER [{name}]")
        if mode == "per-row triggers":
            for name, (when, cases) in _PER_ROW.items():
                where = f"case_id IN {cases}" if cases.startswith("(") else f"case_id = {cases}"
                tx.db.conn.execute(f"CREATE TRIGGER caseload_index_{name} {when} BEGIN INSERT OR REPLACE INTO"
                                   f" caseload_index SELECT {COLUMNS} FROM caseload_source WHERE {where}; END")

    if mode != "now":
        laptop.store.write(triggers, actor=laptop.user.id)
    client = SyncClient(laptop.store, SimpleNamespace(token="t"), actor=laptop.user.id)  # type: ignore[arg-type]
    wall, cpu = time.perf_counter(), time.process_time()
    for n, start in enumerate(range(0, len(changes), page)):
        body = {"changes": changes[start:start + page], "removals": [], "cursor": f"c{n}", "seq": n,
                "has_more": start + page < len(changes)}
        laptop.store.write(lambda tx, body=body: client._apply_page(tx, body, "cursor", False, None),  # noqa: SLF001
                           actor=laptop.user.id)
    out: dict[str, Any] = {"wall_s": round(time.perf_counter() - wall, 2),
                           "cpu_s": round(time.process_time() - cpu, 2)}
    indexed = laptop.store.rows("SELECT count(*) AS n FROM caseload_index")[0]["n"]
    out["index_rows"] = indexed
    laptop.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--page", type=int, default=500)
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        source = create_profile(Path(tmp) / "source", fast_kdf=True)
        populate(source, args.cases)
        changes = _changes(source)
        source.close()
        out: dict[str, Any] = {"cases": args.cases, "changes": len(changes), "page": args.page}
        for mode in ("now", "per-row triggers", "no index"):
            out[mode] = _apply(Path(tmp) / mode.replace(" ", "_"), changes, args.page, mode)
    out["per_row_over_now_cpu"] = round(out["per-row triggers"]["cpu_s"] / out["now"]["cpu_s"], 2)
    out["now_over_no_index_cpu"] = round(out["now"]["cpu_s"] / out["no index"]["cpu_s"], 2)
    out.update(cores=os.cpu_count(), load_average_start=round(load_start, 2),
               load_average_end=round(os.getloadavg()[0], 2))
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
