"""Scope loss purges only after unsent changes are in; verification mismatches are repaired by fetching
again (after a backup) without touching the outbox; sign-out is refused while anything is unsent."""

from __future__ import annotations

import json
import uuid

from desktop.services.signout import can_sign_out
from desktop.sync.status import needs_attention, read_status, status_lines
from tests.server.harness import PASSWORD
from tests.sync.helpers import add_visit, edit, make_case, visits


def _case_rows(lap, case: str) -> int:
    return sum(
        lap.store.rows(f"SELECT count(*) AS n FROM [{t}] WHERE case_id = ?", [case])[0]["n"]
        for t in ("case_file", "case_member", "cp_visit")
    )


def test_deallocation_never_strands_unsent_work(srv, laptops) -> None:
    """A case re-allocated while its worker's laptop holds an unsent visit: the visit (made while the case
    was hers) is accepted within the grace window, only then does the case leave her laptop, and the new
    worker sees the visit."""
    w = laptops("wendy")
    case, pid = make_case(w)
    keep, _ = make_case(w, family="Evans")
    w.sync()
    vid = add_visit(w, case, "seen; written offline before the case moved")
    edit(w, "person", pid, given_names="Dai")  # and an edit of the child's details
    srv.clock.advance(hours=2)
    srv.allocate(uuid.UUID(case), "A", "gwyn")  # re-allocated while wendy is offline
    srv.clock.advance(days=3)
    w.client.sign_in("wendy", PASSWORD)  # three days later: a new token
    w.client.pull()  # the removal arrives first (as when a pull runs before the unsent change is out)
    assert _case_rows(w, case) > 0, "purged while a change for the case was unsent"
    assert read_status(w.store).waiting_purge >= 1
    report = w.sync()  # the changes go in ...
    assert report.refused == 0 and srv.sql("SELECT count(*) AS n FROM quarantine")[0]["n"] == 0
    assert needs_attention(w.store) == []
    # ... and only now does the case leave this laptop; the other case stays.
    assert _case_rows(w, case) == 0
    assert w.row("person", pid) is None
    assert w.row("case_file", keep) is not None
    purged = [json.loads(r["after"]) for r in w.store.rows("SELECT after FROM audit WHERE action = 'sync.purge'")]
    assert {(p["unit"], p["id"]) for p in purged} == {("case", case), ("person", pid)}, purged
    # Gwyn now has the case, back-filled, with wendy's visit and edit.
    g = laptops("gwyn")
    assert g.row("case_file", case) is not None
    assert vid in visits(g, case) and g.row("person", pid)["given_names"] == "Dai"
    # The case's allocation reached every laptop from the server.
    assert g.row("case_file", case)["allocated_worker_id"] == g.uid


def test_after_the_grace_window_late_work_waits_in_needs_attention(srv, laptops) -> None:
    w = laptops("wendy")
    case, pid = make_case(w)
    w.sync()
    srv.allocate(uuid.UUID(case), "A", "gwyn")
    srv.clock.advance(days=srv.settings.grace_days + 1)
    vid = add_visit(w, case, "far too late")
    w.client.sign_in("wendy", PASSWORD)  # the old token has expired meanwhile
    w.sync()  # the server keeps it (in quarantine: out of scope now) ...
    [q] = srv.sql("SELECT reason, entity_id::text AS id FROM quarantine")
    assert (q["reason"], q["id"]) == ("out_of_scope", vid)
    # ... the case leaves this laptop; the refused entry is never dropped: it waits on the "needs
    # attention" list with the reason.
    assert _case_rows(w, case) == 0
    [att] = needs_attention(w.store)
    assert att["entity_id"] == vid and att["reason"] == "out_of_scope"
    assert any("attention" in line for line in status_lines(read_status(w.store)))


def test_verification_mismatch_refetches_without_touching_the_outbox(srv, laptops) -> None:
    w = laptops("wendy")
    case, pid = make_case(w)
    v1 = add_visit(w, case, "one")
    add_visit(w, case, "two")
    w.sync()
    assert w.client.verify().ok
    # Damage the local copy behind sync's back: a row lost, a version wrong, an extra stray row.
    member = w.store.rows("SELECT id FROM case_member WHERE case_id = ?", [case])[0]["id"]

    def damage(tx) -> None:
        tx.db.execute("DELETE FROM cp_visit WHERE id = ?", [v1])
        tx.db.execute("UPDATE case_member SET version = version + 1000 WHERE id = ?", [member])

    w.write(damage)
    # Unsent local work that the repair must leave exactly as it is.
    edit(w, "person", pid, given_names="Dai")
    v3 = add_visit(w, case, "three, unsent")
    outbox_before = w.outbox()
    comp = w.client.verify()
    assert case in comp.mismatched
    report = w.client.verify_and_repair()
    assert report.repaired == [case] and report.verified
    assert report.backup is not None and report.backup.exists()
    assert w.outbox() == outbox_before
    assert v1 in visits(w, case) and v3 in visits(w, case)
    assert w.row("person", pid)["given_names"] == "Dai"  # the unsent change was not overwritten
    # Then it all goes in.
    w.sync()
    assert w.outbox() == [] and w.client.verify().ok


def test_sign_out_is_refused_while_changes_are_unsent(srv, laptops) -> None:
    w = laptops("wendy")
    assert can_sign_out(w.session) == (True, "")
    case, pid = make_case(w)
    ok, reason = can_sign_out(w.session)
    assert not ok and "3 changes have not been sent" in reason
    w.sync()
    assert can_sign_out(w.session) == (True, "")
    # A refused change also blocks sign-out (it has not gone anywhere yet, as far as this laptop knows).
    srv.allocate(uuid.UUID(case), "A", "gwyn")
    srv.clock.advance(days=srv.settings.grace_days + 1)
    w.client.sign_in("wendy", PASSWORD)
    w.client.pull()
    add_visit(w, case, "late")
    w.sync()
    ok, reason = can_sign_out(w.session)
    assert not ok and "refused 1 change" in reason
    # Welsh too.
    from desktop.i18n import set_language

    set_language("cy")
    try:
        ok, reason_cy = can_sign_out(w.session)
        assert not ok and reason_cy
    finally:
        set_language("en")


def test_status_tells_the_truth(srv, laptops) -> None:
    w = laptops("wendy")
    st = read_status(w.store)
    assert st.last_success is not None and st.unsent == 0 and st.signed_in
    make_case(w)
    assert read_status(w.store).unsent == 3
    w.faults.down = True
    try:
        w.sync()
    except Exception as exc:  # noqa: BLE001
        assert "cannot be reached" in str(exc)
    w.faults.down = False
    st = read_status(w.store)
    assert st.unsent == 3 and st.last_error is not None
    assert any("failed" in line for line in status_lines(st))
    w.sync()
    st = read_status(w.store)
    assert st.unsent == 0 and st.in_step and not any("failed" in line for line in status_lines(st))
    assert json.loads(w.store.rows("SELECT after FROM audit WHERE action = 'sync.done' ORDER BY seq DESC")[0]["after"])["verified"]


def test_a_batch_the_server_cannot_take_is_split_and_only_the_bad_entry_waits(srv, laptops) -> None:
    """The server refuses a whole push for one invalid op (422); the client halves the batch until the
    bad entry is alone, marks it "needs attention" with the server's message, and sends the rest."""
    w = laptops("wendy")
    case, pid = make_case(w)
    good = [add_visit(w, case, f"ok {i}") for i in range(10)]
    bad = add_visit(w, case, "contains a NUL \x00 character")
    good += [add_visit(w, case, f"ok after {i}") for i in range(5)]
    w.sync()
    [att] = needs_attention(w.store)
    assert att["entity_id"] == bad and "NUL" in att["message"]
    assert set(good) <= {r["id"] for r in srv.sql("SELECT id::text AS id FROM rows WHERE entity = 'cp_visit'")}
    assert len(w.outbox()) == 1


def test_a_household_is_scoped_through_its_members_and_verifies(srv, laptops) -> None:
    """A household is no longer reference data (readable by all): it belongs to itself, and is in the scope
    of whoever has one of its members in scope; both laptops' copies verify without a repair."""
    from desktop.services.persons import PersonService

    w = laptops("wendy")
    case, pid = make_case(w)
    people = PersonService(w.session)
    home = people.create_household("Teulu Jones", {"line1": "1 Stryd Fawr", "town": "Caerfyrddin"})
    people.join_household(home["id"], pid)
    report = w.sync()
    assert report.refused == 0 and report.verified and report.repaired == []
    [row] = srv.sql("SELECT scope_id::text AS s FROM rows WHERE entity = 'household'")
    assert row["s"] == home["id"]
    m = laptops("mari")  # her team manager has the child, so the household too
    assert m.row("household", home["id"]) is not None
    g = laptops("gwyn")  # a colleague without the case has neither
    assert g.row("household", home["id"]) is None and g.row("person", pid) is None
    assert m.client.verify().ok and g.client.verify().ok
