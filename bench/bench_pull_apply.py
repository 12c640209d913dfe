"""A first sync's pull applied on the laptop (issue 22, item 4): what keeping ``caseload_index`` costs it.

Builds ``--cases`` cases (with their people, members, workers and team) in one profile, turns every row
into pulled changes in a shuffled order, and applies them in pages of ``--page`` rows (as the client
does: each page one transaction, through ``SyncClient._apply_page``) into three fresh profiles, turn
about: as the client does now (the index rows written once per page for the cases it touched), with
the triggers refreshing a case's row for every row of it (the code before), and with the triggers
dropped (the plain baseline: no index kept at all). Wall and process CPU time of the apply only.
Never run as a timed test.

    python bench/bench_pull_apply.py [--cases 5000] [--page 500]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import create_profile, populate  # noqa: E402
from desktop.services.session import Session  # noqa: E402
from desktop.store import caseload_index  # noqa: E402
from desktop.sync.client import SyncClient  # noqa: E402


def _changes(source: Session) -> list[dict[str, Any]]:
    changes = []
    for table in ("team", "practitioner", "person", "case_file", "case_member"):
        for row in source.store.rows(f"SELECT * FROM [{table}]"):  # noqa: S608 - fixed names
            data = {k: v for k, v in row.items() if k not in ("version", "deleted")}
            changes.append({"entity": table, "id": row["id"], "case_id": row.get("case_id"), "version": 1,
                            "deleted": False, "data": data})
    random.Random(22).shuffle(changes)
    return changes


@contextlib.contextmanager
def _live(_conn: Any) -> Iterator[None]:
    yield  # the triggers refresh each row's case as it is written (the code before)


def _apply(folder: Path, changes: list[dict[str, Any]], page: int, mode: str) -> dict[str, float]:
    laptop = create_profile(folder, fast_kdf=True)
    if mode == "no index":
        def drop(tx: Any) -> None:
            for (name,) in tx.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                              " AND name LIKE 'caseload_index_%'").fetchall():
                tx.db.conn.execute(f"DROP TRIGGER [{name}]")
        laptop.store.write(drop, actor=laptop.user.id)
    client = SyncClient(laptop.store, SimpleNamespace(token="t"), actor=laptop.user.id)  # type: ignore[arg-type]
    deferred = caseload_index.deferred
    if mode != "deferred":
        caseload_index.deferred = _live  # type: ignore[assignment]
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        for n, start in enumerate(range(0, len(changes), page)):
            body = {"changes": changes[start:start + page], "removals": [], "cursor": f"c{n}", "seq": n,
                    "has_more": start + page < len(changes)}
            laptop.store.write(lambda tx, body=body: client._apply_page(tx, body, "cursor", False, None),  # noqa: SLF001
                               actor=laptop.user.id)
        out = {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2)}
    finally:
        caseload_index.deferred = deferred  # type: ignore[assignment]
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
        for mode in ("deferred", "live", "no index"):
            out[mode] = _apply(Path(tmp) / mode.replace(" ", "_"), changes, args.page, mode)
    out["live_over_deferred"] = round(out["live"]["cpu_s"] / out["deferred"]["cpu_s"], 2)
    out["deferred_over_no_index"] = round(out["deferred"]["cpu_s"] / out["no index"]["cpu_s"], 2)
    out.update(cores=os.cpu_count(), load_average_start=round(load_start, 2),
               load_average_end=round(os.getloadavg()[0], 2))
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
