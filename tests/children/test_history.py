"""The child's relationship with their social worker over time, and the voice entries."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.errors import ValidationError
from desktop.services.cases import CaseService
from desktop.services.children import ChildInNeedService, LookedAfterService, VoiceService


def test_worker_history_from_role_assignments_and_plain_allocations(world):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 1)
    LookedAfterService(w.as_("sm")).change_worker(ids["case"], ids["sw_cic"], on="2026-09-20",
                                                      reason="Gareth on long-term leave")
    CaseService(w.as_("tm_cin")).allocate(ids["case"], ids["tm_cin"])  # no role assignment: from the audit
    changes = VoiceService(w.as_("tm_cin")).worker_changes(ids["case"])
    history = changes["history"]
    assert [h["worker_id"] for h in history] == [ids["sw"], ids["sw_cic"], ids["tm_cin"]]
    assert history[1]["previous"] == "Gareth Rees" and history[1]["from_date"] == "2026-09-20"
    assert history[0]["to_date"] == "2026-09-20" and history[1]["reason"] == "Gareth on long-term leave"
    assert history[2]["previous_id"] == ids["sw_cic"] and history[1]["to_date"] == "2026-10-01"
    assert changes["changes"] == 2 and changes["workers_last_12_months"] == 3


def test_wishes_and_feelings_are_append_only_with_corrections(world):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 1)
    voice = VoiceService(w.sw)
    first = voice.record(ids["case"], ids["elis"], kind="wishes_feelings", recorded_on="2026-09-30", language="cy",
                         method="Yn yr ysgol", content="Dw i eisiau mynd i'r clwb ieuenctid.")
    fixed = voice.amend(first["id"], content="Dw i eisiau mynd i'r clwb ieuenctid ar ddydd Mawrth.",
                        reason="Missed the day he said")
    entries = voice.entries(ids["case"], ids["elis"])
    assert [e["id"] for e in entries] == [fixed["id"], first["id"]]
    assert entries[1]["amended_by"] == fixed["id"] and entries[0]["amends_id"] == first["id"]
    with pytest.raises(ValueError):  # the store refuses to change an append-only row
        w.sw.write(lambda tx: tx.update("child_voice", first["id"], {"content": "x"}))
    with pytest.raises(ValidationError):
        voice.record(ids["case"], ids["elis"], kind="diary", recorded_on="2026-09-30", content="x")


def test_icpc_request_on_a_looked_after_childs_case_makes_it_a_child_protection_case(world):
    w, ids = world, world.ids
    w.clock.day = date(2026, 10, 1)
    plan = ChildInNeedService(w.sw).start_plan(ids["case"], ids["elis"], started_on="2026-09-02")
    LookedAfterService(w.as_("sm")).become_looked_after(ids["case"], ids["elis"], started_on="2026-09-25",
                                                 legal_status="section_76")
    ended = w.sw.store.rows("SELECT status, ended_on, end_reason FROM cin_plan WHERE id = ?", [plan["id"]])[0]
    assert ended == {"status": "ended", "ended_on": "2026-09-25", "end_reason": "became_looked_after"}
    case = w.sw.store.rows("SELECT case_type, team_id FROM case_file WHERE id = ?", [ids["case"]])[0]
    assert case == {"case_type": "looked_after", "team_id": ids["cic_team"]}
    ChildInNeedService(w.sw).request_icpc(ids["case"], reason="Allegation against a family member at contact.")
    assert w.sw.store.rows("SELECT case_type FROM case_file WHERE id = ?", [ids["case"]])[0]["case_type"] == (
        "child_protection")
    reasons = [h["reason"] for h in LookedAfterService(w.sw).team_history(ids["case"])]
    assert reasons == ["became_looked_after", "icpc_requested"]
