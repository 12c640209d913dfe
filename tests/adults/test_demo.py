"""The demo's adult journeys: Welsh- and English-speaking adults, a delegation to health, a capacity
assessment with a best-interests decision, and work overdue."""

from __future__ import annotations

from pathlib import Path

from desktop.services.demo import build_demo
from desktop.services.my_work import MyWorkService
from desktop.store.crypto import KdfParams
from tests.conftest import demo_clock


def test_demo_adult_journeys(tmp_path: Path) -> None:
    ctx = build_demo(tmp_path / "demo", "demo password 1234",
                     kdf=KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1), clock=demo_clock())
    try:
        items = [i for i in MyWorkService(ctx.session("sw_adult")).all_items() if i.population == "adult_at_risk"]
        got = {(i.person_name, i.rule_id): i.status for i in items}
        assert got[("Eirlys Parry", "A4")] == "overdue" and got[("Eirlys Parry", "A5")] == "overdue"
        assert ("Margaret Williams", "A7") in got and got[("Dilys Hughes", "A1")] == "overdue"
        rows = ctx.store.rows
        delegation = rows("SELECT * FROM adult_delegation WHERE case_id = ?", [ctx.cases["williams_adult"]])
        assert len(delegation) == 1 and delegation[0]["statutory_responsibility"] == "local_authority"
        assert rows("SELECT count(*) AS n FROM adult_best_interests")[0]["n"] == 1
        languages = {r["correspondence_language"] for r in rows(
            "SELECT p.correspondence_language FROM adult_strategy s JOIN person p ON p.id = s.person_id")}
        assert languages == {"cy", "en"}
    finally:
        ctx.store.close()
