"""Small builders for sync tests: a case with a subject, visits, field edits."""

from __future__ import annotations

import uuid
from typing import Any


def make_case(laptop: Any, family: str = "Jones") -> tuple[str, str]:
    """A case allocated to ``laptop``'s user with one subject; returns (case_id, person_id)."""
    case = str(uuid.uuid4())

    def write(tx: Any) -> str:
        pid = tx.insert("person", {"family_name": family, "given_names": "Dylan"})["id"]
        tx.insert("case_file", {"id": case, "reference": f"R-{case[:6]}", "case_type": "child_protection",
                                "team_id": laptop.session.user.team_id, "allocated_worker_id": laptop.uid,
                                "opened_on": "2026-11-01"}, case_id=case)  # fmt: skip
        tx.insert("case_member", {"person_id": pid, "role": "subject"}, case_id=case)
        return pid

    return case, laptop.write(write)


def add_visit(laptop: Any, case: str, text: str) -> str:
    return laptop.write(
        lambda tx: tx.insert("cp_visit", {"visited_on": "2026-11-20", "visitor_id": laptop.uid, "location": "home",
                                          "observations": text}, case_id=case)["id"]  # fmt: skip
    )


def edit(laptop: Any, table: str, row_id: str, **changes: Any) -> None:
    laptop.write(lambda tx: tx.update(table, row_id, changes))


def visits(laptop: Any, case: str) -> dict[str, str]:
    return {r["id"]: r["observations"] for r in laptop.store.rows("SELECT id, observations FROM cp_visit WHERE case_id = ?", [case])}
