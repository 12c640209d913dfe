"""Issue 19's records are normal synced tables: a note with who was involved, a supervision with its
action and a sign-off written on one laptop reach the server and the other laptop, where the note is found
by full-text search (the index follows the pulled rows) and the action waits in its owner's My work; the
server takes a supervision or a sign-off decision only from a manager."""

from __future__ import annotations

from datetime import timedelta

from desktop.services.notes import NoteService
from desktop.services.oversight import SignOffService
from desktop.services.supervision import SupervisionService
from desktop.services.tasks import TaskService
from desktop.sync.status import needs_attention
from tests.sync.helpers import make_case


def test_notes_supervision_and_sign_off_travel_between_laptops(srv, laptops) -> None:
    w, m = laptops("wendy"), laptops("mari")
    case, pid = make_case(w)
    today = w.session.today()  # the laptops keep the machine's clock: every date is relative to it
    note = NoteService(w.session).record(case, kind="home_visit", occurred_on=today.isoformat(), language="cy",
                                         body="Roedd ei blentyn yn chwarae yn yr ardd.", people=[pid],
                                         significant=True, category="household")
    assert w.sync().verified
    assert m.sync().verified
    assert m.row("case_note", note["id"])["body"] == "Roedd ei blentyn yn chwarae yn yr ardd."
    assert [p["person_id"] for p in m.store.rows("SELECT person_id FROM case_note_party WHERE note_id = ?",
                                                 [note["id"]])] == [pid]
    found = NoteService(m.session).search("plentyn gardd")  # pulled rows are in the index: mutated forms
    assert [h.note.id for h in found] == [note["id"]]
    saved = SupervisionService(m.session).record(
        case, held_on=today.isoformat(), discussion="The garden; the plan.",
        actions=[{"description": "Visit again with the health visitor", "owner_id": w.uid,
                  "due_on": (today + timedelta(days=7)).isoformat()}])
    assert m.sync().verified and w.sync().verified
    [task] = [t for t in TaskService(w.session).open_tasks() if t.kind == "supervision_action"]
    assert task.for_me and task.text == "Supervision action: Visit again with the health visitor"
    TaskService(w.session).acknowledge(task.id, "Visited on the 26th.")
    assert w.sync().verified and m.sync().verified
    [action] = SupervisionService(m.session).last(case).actions  # type: ignore[union-attr]
    assert action.id == saved["actions"][0]["id"] and action.outcome == "Visited on the 26th."
    signoff = m.write(lambda tx: tx.insert("signoff", {
        "record_kind": "case_closure", "record_id": case, "decision": "returned", "comments": "Not yet.",
        "decided_on": today.isoformat(), "decided_by": m.uid}, case_id=case))
    assert m.sync().verified and w.sync().verified
    assert w.row("signoff", signoff["id"])["comments"] == "Not yet."
    assert SignOffService(w.session).kinds()  # the configuration every laptop reads the same


def test_the_server_takes_supervision_and_sign_off_only_from_a_manager(srv, laptops) -> None:
    w = laptops("wendy")
    case, _pid = make_case(w)
    w.write(lambda tx: tx.insert("supervision", {"held_on": "2026-11-20", "discussion": "Self-supervised.",
                                                 "supervisor_id": w.uid}, case_id=case))
    w.write(lambda tx: tx.insert("signoff", {"record_kind": "case_closure", "record_id": case,
                                             "decision": "signed_off", "decided_on": "2026-11-20",
                                             "decided_by": w.uid}, case_id=case))
    w.write(lambda tx: tx.insert("signoff", {"record_kind": "case_closure", "record_id": case,
                                             "decision": "resubmitted", "comments": "Dates added.",
                                             "decided_on": "2026-11-20", "decided_by": w.uid}, case_id=case))
    report = w.sync()
    assert report.refused == 2
    refused = needs_attention(w.store)
    assert sorted((a["entity"], a["reason"]) for a in refused) == [("signoff", "role"), ("supervision", "role")]
    assert [r["entity"] for r in srv.sql("SELECT entity FROM rows WHERE entity = 'signoff'")] == ["signoff"]


def test_a_plan_changed_on_one_laptop_after_its_sign_off_on_another_waits_again(srv, laptops) -> None:
    """The manager signs a Child in Need plan off on their laptop while the worker, offline, adds an action
    on theirs: once both have synced, both laptops show the plan waiting for sign-off again (the decision
    keeps the plan's content token as the manager saw it; the worker's change made a new one, m0035)."""
    from desktop.services.children import ChildInNeedService

    w, m = laptops("wendy"), laptops("mari")
    case, pid = make_case(w)
    today = w.session.today()
    plan = ChildInNeedService(w.session).start_plan(case, pid, started_on=today.isoformat())
    assert w.sync().verified and m.sync().verified
    ref = f"cin_plan:{plan['id']}"
    SignOffService(m.session).sign_off(ref, "Agreed.")
    ChildInNeedService(w.session).add_action(plan["id"], description="School nurse to see Dylan weekly",
                                             owner_kind="agency", owner_name="School nursing")
    assert m.sync().verified and w.sync().verified and m.sync().verified
    for laptop in (w, m):
        [item] = [i for i in SignOffService(laptop.session).for_case(case) if i.ref == ref]
        assert item.state == "waiting" and item.changed_on == today
        assert [d.decision for d in item.history] == ["signed_off"]
