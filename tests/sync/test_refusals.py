"""The laptop side of the server's refusals: reference data, someone else's change id and a cursor the
server did not issue. Refused changes wait in "needs attention" with the reason in the person's language."""

from __future__ import annotations

import uuid

import pytest

from desktop.errors import ValidationError
from desktop.i18n import set_language
from desktop.services.my_work import MyWorkService
from desktop.services.session import load_user
from desktop.sync import local
from desktop.sync.status import needs_attention, read_status
from tests.sync.helpers import add_visit, edit, make_case


def test_a_laptop_cannot_change_someones_role_and_the_refusal_needs_attention(srv, laptops) -> None:
    """Attack 2 on real laptops: wendy's laptop rewrites gwyn's role in the shared reference data; the server
    refuses it, the change waits on wendy's "needs attention", and gwyn can still record visits."""
    w, g = laptops("wendy"), laptops("gwyn")
    edit(w, "practitioner", g.uid, app_role="admin_staff")
    report = w.sync()
    assert report.refused == 1
    [att] = needs_attention(w.store)
    assert (att["entity"], att["reason"]) == ("practitioner", "reference_data")
    assert "administrator" in att["message"]
    set_language("cy")
    try:
        [att_cy] = needs_attention(w.store)
        assert att_cy["message"] != att["message"] and "gweinyddwr" in att_cy["message"].lower()
    finally:
        set_language("en")
    g.sync()
    assert g.row("practitioner", g.uid)["app_role"] == "social_worker"
    assert load_user(g.store).role == "social_worker"
    case, _pid = make_case(g)
    add_visit(g, case, "seen")  # the victim's laptop still lets them record visits
    assert g.sync().refused == 0


def test_a_team_manager_cannot_arrange_cover_for_another_teams_worker(srv, laptops) -> None:
    """A team manager's cover reaches the server through the administration path (test_manager_changes_sync),
    for their own team's workers only: the laptop refuses another team's worker before writing
    (test_cover_reach), and a row written anyway (an older laptop's) is refused in words and kept."""
    srv.team("B")
    srv.user("bryn", "social_worker", "B")
    m, w = laptops("mari"), laptops("wendy")
    bryn = str(srv.sql("SELECT id FROM users WHERE username = 'bryn'")[0]["id"])
    with pytest.raises(ValidationError):
        MyWorkService(m.session).assign_cover(bryn, from_date="2026-11-23", to_date="2026-11-30", covered_id=w.uid)
    m.write(lambda tx: tx.insert("cover", {"covering_id": bryn, "covered_id": w.uid, "from_date": "2026-11-23",
                                           "to_date": "2026-11-30"}))  # fmt: skip
    assert m.sync().refused == 1
    [att] = needs_attention(m.store)
    assert (att["entity"], att["reason"]) == ("cover", "not_your_team")
    assert "senior manager" in att["message"]
    assert srv.sql("SELECT count(*) AS n FROM covers")[0]["n"] == 0
    assert read_status(m.store).attention == 1


def test_someone_elses_change_id_is_set_aside_and_the_rest_goes_in(srv, laptops) -> None:
    w, g = laptops("wendy"), laptops("gwyn")
    case_w, _ = make_case(w)
    w.sync()
    taken = srv.sql("SELECT op_id::text AS id FROM ops ORDER BY received_at LIMIT 1")[0]["id"]
    case_g, _ = make_case(g)
    visit = add_visit(g, case_g, "seen")
    # A copied profile, say: one of gwyn's entries carries an id wendy's laptop already used.
    g.write(lambda tx: tx.db.execute("UPDATE outbox SET op_id = ? WHERE entity_id = ?", [taken, visit]))
    report = g.sync()
    assert report.refused == 1 and report.acknowledged >= 3
    [att] = needs_attention(g.store)
    assert (att["entity_id"], att["reason"]) == (visit, "op_id_taken")
    assert "another person or laptop" in att["message"]
    # Wendy's own change was never touched, and gwyn was never answered with her result.
    assert srv.sql("SELECT user_id::text AS u FROM ops WHERE op_id = %s", (uuid.UUID(taken),))[0]["u"] == w.uid
    assert case_w != case_g


def test_a_cursor_the_server_did_not_issue_starts_the_pull_again(srv, laptops) -> None:
    w = laptops("wendy")
    case, _ = make_case(w)
    w.sync()
    # An old-format cursor (as an earlier server issued) or a damaged one.
    w.write(lambda tx: local.set_state(tx, cursor="c1.eyJuIjogNX0"))
    report = w.sync()
    assert report.verified
    assert local.get_state(w.store, "cursor").startswith("c2.")
    assert w.row("case_file", case) is not None


def test_a_practitioners_letter_language_set_on_the_server_reaches_every_laptop(srv, laptops) -> None:
    """The administrator records gwyn's language (``set-language``); wendy's laptop pulls it with gwyn's
    practitioner row. A practitioner whose language nobody recorded keeps ``unknown`` (a bilingual
    letter): their row from the server does not carry it."""
    from server import admin

    w = laptops("wendy")
    gwyn = str(srv.sql("SELECT id FROM users WHERE username = 'gwyn'")[0]["id"])
    assert w.row("practitioner", gwyn)["correspondence_language"] == "unknown"
    srv.admin(admin.set_language, "gwyn", "cy")
    w.sync()
    assert w.row("practitioner", gwyn)["correspondence_language"] == "cy"
    assert w.row("practitioner", w.uid)["correspondence_language"] == "unknown"
