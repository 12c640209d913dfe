"""The demo's child protection journeys show what a demo should: overdue visits for one sibling, a
missing co-ordinator escalation, visits nobody covers while the worker is away."""

from __future__ import annotations

from desktop.services.demo import build_demo
from desktop.services.my_work import MyWorkService
from desktop.store.crypto import KdfParams
from tests.child_protection.conftest import PASSWORD
from tests.conftest import demo_clock


def test_demo_child_protection_journeys(tmp_path):
    ctx = build_demo(tmp_path / "demo", PASSWORD, kdf=KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1),
                     clock=demo_clock())
    try:
        twr, jones = ctx.families["twr"], ctx.families["jones"]
        rhian = MyWorkService(ctx.session("sw_rhian")).view()
        v1 = {i.person_id for i in rhian.overdue if i.rule_id == "V1"}
        assert twr["osian"] in v1 and twr["seren"] not in v1
        senior = MyWorkService(ctx.session("senior")).view()
        assert {t.kind for t in senior.tasks if t.for_me} == {"no_coordinator"}
        manager = MyWorkService(ctx.session("tm_cp")).view()
        assert {i.person_id for i in manager.uncovered if i.rule_id == "V1"} == {jones["mason"], jones["ruby"]}
        moving = {i.person_id: i.status for i in manager.responsible if i.rule_id == "C17"}
        assert moving == {jones["mason"]: "overdue", jones["ruby"]: "overdue"}  # told 4 days ago
        languages = {r["language"] for r in ctx.store.rows("SELECT language FROM letter WHERE template_id = 'N8' AND recipient_kind = 'person'")}
        # Invitations are a circular (Standard 4): Welsh-only to the Welsh-speaking family, Welsh
        # and English together to the English-speaking one.
        assert languages == {"cy", "bilingual"}
    finally:
        ctx.store.close()
