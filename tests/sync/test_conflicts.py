"""Two and three laptops against one server: conflicts kept and resolved by a person, merges, visits,
edit against delete, and pulled data never overwriting an unsent change."""

from __future__ import annotations

import json

from desktop.sync import conflicts
from desktop.sync.status import read_status
from tests.sync.helpers import add_visit, edit, make_case, visits


def _shared_case(srv, laptops):
    w, m = laptops("wendy"), laptops("mari")
    case, pid = make_case(w)
    w.sync()
    m.sync()
    assert m.row("case_file", case) is not None
    return w, m, case, pid


def test_same_field_conflict_keeps_both_and_is_resolved_by_a_person(srv, laptops) -> None:
    w, m, case, pid = _shared_case(srv, laptops)
    # Both offline: the same field of the case, different values.
    edit(w, "case_file", case, close_reason="moved away")
    edit(m, "case_file", case, close_reason="needs met")
    assert w.sync().conflicts == 0
    rep = m.sync()
    assert rep.conflicts == 1 and rep.verified
    assert m.outbox() == []  # acknowledged: the server holds the conflict
    [c] = conflicts.open_conflicts(m.store)
    assert (c.entity, c.entity_id, c.field) == ("case_file", case, "close_reason")
    assert c.server_value == "moved away" and c.client_value == "needs met"
    assert c.server_by == w.uid and c.client_by == m.uid and c.server_at and c.client_local_time
    assert conflicts.flagged_cases(m.store) == {case}
    assert m.row("case_file", case)["close_reason"] == "moved away"  # the server's value shows meanwhile
    assert read_status(m.store).conflicts == 1
    # Wendy sees it too: her case is flagged.
    w.sync()
    assert [x.id for x in conflicts.open_conflicts(w.store, case)] == [c.id]
    # A person decides: Mari keeps her own value.
    m.client.resolve(c.id, "client", note="checked with family")
    assert conflicts.open_conflicts(m.store) == []
    assert m.row("case_file", case)["close_reason"] == "needs met"
    w.sync()
    assert w.row("case_file", case)["close_reason"] == "needs met"
    assert conflicts.open_conflicts(w.store) == []
    # Audited on the server and on the laptop that decided.
    [audit] = srv.sql("SELECT detail FROM audit WHERE action = 'conflict.resolve'")
    assert audit["detail"]["choice"] == "client" and audit["detail"]["note"] == "checked with family"
    [local] = m.store.rows("SELECT * FROM audit WHERE action = 'sync.conflict_resolved'")
    assert json.loads(local["after"])["choice"] == "client" and local["case_id"] == case


def test_different_fields_merge(srv, laptops) -> None:
    w, m, case, pid = _shared_case(srv, laptops)
    edit(w, "person", pid, given_names="Dafydd")
    edit(m, "person", pid, phone="01970 123456")
    w.sync()
    assert m.sync().conflicts == 0
    w.sync()
    for lap in (w, m):
        row = lap.row("person", pid)
        assert (row["given_names"], row["phone"]) == ("Dafydd", "01970 123456")
        assert conflicts.open_conflicts(lap.store) == []


def test_three_laptops_visits_from_two_workers_are_both_kept(srv, laptops) -> None:
    w, m, case, pid = _shared_case(srv, laptops)
    w2 = laptops("wendy")  # wendy's second laptop
    a = add_visit(w, case, "seen at home")
    b = add_visit(m, case, "seen at school")
    c = add_visit(w2, case, "seen at nursery")
    for lap in (w, m, w2, w, m):
        lap.sync()
    want = {a: "seen at home", b: "seen at school", c: "seen at nursery"}
    for lap in (w, m, w2):
        assert visits(lap, case) == want
    # Each laptop shows who recorded each visit, and when (the recording device's clock).
    assert m.row("cp_visit", a)["created_by"] == w.uid and m.row("cp_visit", b)["created_by"] == m.uid
    assert w.row("cp_visit", b)["created_at"] == m.store.rows("SELECT created_at FROM cp_visit WHERE id = ?", [b])[0]["created_at"]
    assert srv.sql("SELECT count(*) AS n FROM rows WHERE entity = 'cp_visit'")[0]["n"] == 3


def test_edit_against_delete_is_a_conflict(srv, laptops) -> None:
    w, m, case, pid = _shared_case(srv, laptops)
    addr = w.write(lambda tx: tx.insert("address", {"person_id": pid, "line1": "1 Stryd Fawr"})["id"])
    w.sync()
    m.sync()
    w.write(lambda tx: tx.delete("address", addr, reason="moved"))
    edit(m, "address", addr, line1="1A Stryd Fawr")
    w.sync()
    assert m.sync().conflicts == 1
    [c] = conflicts.open_conflicts(m.store)
    assert c.is_delete and c.server_value == {"deleted": True}
    assert m.row("address", addr)["deleted"] == 1  # the server's state shows until a person decides
    m.client.resolve(c.id, "client")
    assert m.row("address", addr)["deleted"] == 0 and m.row("address", addr)["line1"] == "1A Stryd Fawr"
    w.sync()
    assert w.row("address", addr)["deleted"] == 0 and w.row("address", addr)["line1"] == "1A Stryd Fawr"


def test_pulled_data_never_overwrites_an_unsent_change(srv, laptops) -> None:
    w, m, case, pid = _shared_case(srv, laptops)
    edit(w, "person", pid, given_names="Dai")  # unsent on wendy's laptop
    edit(m, "person", pid, given_names="David", family_name="Jones-Evans")
    m.sync()
    before = w.outbox()
    w.client.pull()
    row = w.row("person", pid)
    assert row["given_names"] == "Dai"  # kept: it has an unsent change
    assert row["family_name"] == "Jones-Evans"  # merged: no local change to it
    assert w.outbox() == before
    # When it is sent it meets the other value: a conflict, both kept.
    assert w.sync().conflicts == 1
    [c] = conflicts.open_conflicts(w.store)
    assert (c.server_value, c.client_value) == ("David", "Dai")


def test_delete_against_an_edit_is_a_conflict_too(srv, laptops) -> None:
    """The other direction: this laptop deletes while a colleague edits; nothing is lost either way."""
    w, m, case, pid = _shared_case(srv, laptops)
    addr = w.write(lambda tx: tx.insert("address", {"person_id": pid, "line1": "2 Heol"})["id"])
    w.sync()
    m.sync()
    edit(w, "address", addr, line1="2A Heol")
    m.write(lambda tx: tx.delete("address", addr, reason="wrong person"))
    w.sync()
    assert m.sync().conflicts == 1
    [c] = conflicts.open_conflicts(m.store)
    assert c.is_delete and c.client_value == {"deleted": True}
    assert c.server_value["changed"]["line1"] == "2A Heol" and c.server_by == w.uid
    row = m.row("address", addr)
    assert row["deleted"] == 0 and row["line1"] == "2A Heol"  # the colleague's edit shows, not lost
    m.client.resolve(c.id, "server")
    w.sync()
    assert w.row("address", addr)["deleted"] == 0 and conflicts.open_conflicts(w.store) == []


def test_three_laptops_edit_the_same_field(srv, laptops) -> None:
    w, m, case, pid = _shared_case(srv, laptops)
    g = laptops("wendy")  # wendy's second laptop
    edit(w, "person", pid, date_of_birth="2019-01-01")
    edit(m, "person", pid, date_of_birth="2019-01-02")
    edit(g, "person", pid, date_of_birth="2019-01-03")
    for lap in (w, m, g, w, m):
        lap.sync()
    open_ = conflicts.open_conflicts(w.store)
    assert len(open_) == 2
    assert {c.client_value for c in open_} == {"2019-01-02", "2019-01-03"}
    assert {c.server_value for c in open_} == {"2019-01-01"}
    for lap in (w, m, g):
        assert lap.row("person", pid)["date_of_birth"] == "2019-01-01"  # the server's value, both others kept
    for c in open_:
        w.client.resolve(c.id, "value", value="2019-01-02", note="birth certificate seen")
    for lap in (m, g):
        lap.sync()
    for lap in (w, m, g):
        assert lap.row("person", pid)["date_of_birth"] == "2019-01-02"
        assert conflicts.open_conflicts(lap.store) == []
    assert len(srv.sql("SELECT 1 FROM audit WHERE action = 'conflict.resolve'")) == 2


def test_a_conflict_with_nothing_on_the_servers_side_of_a_required_field_does_not_stop_sync(srv, laptops) -> None:
    """A conflict the server recorded before it read an absent field as the laptop's default has no server
    value for a field the laptop requires (a person's correspondence language). The laptop keeps its row
    as it is and lists the conflict; its sync goes on working (it failed, every time, before)."""
    import uuid

    w = laptops("wendy")
    case, pid = make_case(w)
    assert w.sync().verified
    srv.sql("INSERT INTO conflicts (id, entity, entity_id, case_id, scope_id, field, server_value, client_value,"
            " client_by, client_device, client_op_id, received_at) VALUES (%s, 'person', %s, %s, %s,"
            " 'correspondence_language', 'null'::jsonb, '\"cy\"'::jsonb, %s, 'w-laptop', %s, now())",
            (uuid.uuid4(), pid, case, case, w.uid, uuid.uuid4()))
    report = w.sync()
    assert report.verified
    assert w.row("person", pid)["correspondence_language"] == "unknown"
    [c] = conflicts.open_conflicts(w.store)
    assert (c.field, c.client_value) == ("correspondence_language", "cy")
    add_visit(w, case, "seen")
    assert w.sync().verified
