"""A manager's absence, cover and allocation made on a laptop reach the server through the administration
path (server/manager_changes.py): ``covers`` and the allocation change as if an administrator had made
them, scope follows on every laptop, the laptop's row and the server's are one row; what a team manager
may not arrange is refused in words and kept."""

from __future__ import annotations

import uuid

import pytest

from desktop.domain.manager_reach import NotYourTeam
from desktop.i18n import set_language
from desktop.services.cases import CaseService
from desktop.services.my_work import MyWorkService
from desktop.sync.status import needs_attention
from tests.sync.helpers import make_case


def _uid(srv, username: str) -> str:
    return str(srv.sql("SELECT id FROM users WHERE username = %s", (username,))[0]["id"])


def _cases(laptop) -> set[str]:
    return {r["id"] for r in laptop.store.rows("SELECT id FROM case_file WHERE deleted = 0")}


def test_absence_and_cover_recorded_offline_reach_the_server_and_the_covering_worker_gets_the_cases(
        srv, laptops) -> None:  # fmt: skip
    w, g = laptops("wendy"), laptops("gwyn")
    case, _ = make_case(w)
    w.sync()
    g.sync()
    assert case not in _cases(g)
    m = laptops("mari")
    # Offline: the manager records wendy's absence and gwyn's cover; both show on her laptop at once.
    absence = MyWorkService(m.session).record_absence(w.uid, from_date="2026-11-23", to_date="2026-12-04",
                                                      reason="leave")  # fmt: skip
    cover = MyWorkService(m.session).assign_cover(g.uid, from_date="2026-11-23", to_date="2026-12-04",
                                                  covered_id=w.uid)  # fmt: skip
    report = m.sync()
    assert report.refused == 0 and needs_attention(m.store) == [] and report.verified and not report.repaired
    # Through the administration path: the cover is in ``covers`` under the laptop's own id, published once.
    [c] = srv.sql("SELECT id::text AS id, cover_user_id::text AS a, covered_user_id::text AS b, starts_on::text AS s,"
                  " ends_on::text AS e FROM covers")  # fmt: skip
    assert c == {"id": cover["id"], "a": g.uid, "b": w.uid, "s": "2026-11-23", "e": "2026-12-04"}
    assert srv.sql("SELECT count(*) AS n FROM rows WHERE entity = 'cover'")[0]["n"] == 1
    assert srv.sql("SELECT data->>'reason' AS r FROM rows WHERE entity = 'practitioner_absence' AND id = %s",
                   (uuid.UUID(absence["id"]),))[0]["r"] == "leave"  # fmt: skip
    # The manager's laptop holds the one row of each, not a copy pulled back beside it.
    assert m.store.rows("SELECT count(*) AS n FROM cover")[0]["n"] == 1
    assert m.store.rows("SELECT count(*) AS n FROM practitioner_absence")[0]["n"] == 1
    # The covering worker's laptop pulls the cover, the absence and the covered worker's case (scope).
    g.sync()
    assert case in _cases(g)
    assert g.row("cover", cover["id"])["covered_id"] == w.uid
    assert g.row("practitioner_absence", absence["id"])["practitioner_id"] == w.uid


def test_a_manager_allocates_within_the_team_and_not_beyond_it(srv, laptops) -> None:
    srv.team("B")
    srv.user("bryn", "social_worker", "B")
    w, g = laptops("wendy"), laptops("gwyn")
    case, _ = make_case(w)
    w.sync()
    m = laptops("mari")
    assert case in _cases(m)
    CaseService(m.session).allocate(case, g.uid)
    assert m.sync().refused == 0
    assert str(srv.sql("SELECT worker_id FROM cases WHERE case_id = %s", (uuid.UUID(case),))[0]["worker_id"]) == g.uid
    [h] = srv.sql("SELECT worker_id::text AS w, changed_by FROM allocation_history WHERE case_id = %s"
                  " ORDER BY id DESC LIMIT 1", (uuid.UUID(case),))  # fmt: skip
    assert h == {"w": g.uid, "changed_by": "push:mari"}
    g.sync()
    assert case in _cases(g) and g.row("case_file", case)["allocated_worker_id"] == g.uid
    # To another team's worker: the laptop refuses it before writing anything (the server's own rule,
    # desktop/domain/manager_reach.py) ...
    with pytest.raises(NotYourTeam):
        CaseService(m.session).allocate(case, _uid(srv, "bryn"))
    # ... and the server refuses it from a laptop that wrote it anyway (an older version): refused with its
    # own reason, kept, and nothing changes on the server.
    history = srv.count("allocation_history")
    m.write(lambda tx: tx.update("case_file", case, {"allocated_worker_id": _uid(srv, "bryn")}))
    assert m.sync().refused == 1
    [att] = needs_attention(m.store)
    assert (att["entity"], att["reason"]) == ("case_file", "not_your_team")
    assert "own team" in att["message"]
    set_language("cy")
    try:
        assert "eu tîm eu hunain" in needs_attention(m.store)[0]["message"]
    finally:
        set_language("en")
    assert str(srv.sql("SELECT worker_id FROM cases WHERE case_id = %s", (uuid.UUID(case),))[0]["worker_id"]) == g.uid
    assert srv.count("allocation_history") == history


def test_a_cover_of_one_case_brings_that_case_only_to_the_covering_worker(srv, laptops) -> None:
    w, g = laptops("wendy"), laptops("gwyn")
    case, _ = make_case(w)
    other, _ = make_case(w, "Price")
    w.sync()
    m = laptops("mari")
    cover = MyWorkService(m.session).assign_cover(g.uid, from_date="2026-11-23", to_date="2026-11-30", case_id=case)
    report = m.sync()
    assert report.refused == 0 and needs_attention(m.store) == []
    # The cover is a row of that case on both sides: the laptop's and the server's counts agree at once.
    assert report.verified and not report.repaired
    [c] = srv.sql("SELECT id::text AS id, case_id::text AS c, covered_user_id FROM covers")
    assert c == {"id": cover["id"], "c": case, "covered_user_id": None}
    assert m.store.rows("SELECT count(*) AS n FROM cover")[0]["n"] == 1
    assert m.row("cover", cover["id"])["case_id"] == case
    report = g.sync()
    assert report.verified and not report.repaired
    assert case in _cases(g) and other not in _cases(g)
    assert g.row("cover", cover["id"])["case_id"] == case


def test_a_social_workers_cover_is_refused_as_before(srv, laptops) -> None:
    w = laptops("wendy")
    g = _uid(srv, "gwyn")
    w.write(lambda tx: tx.insert("cover", {"covering_id": w.uid, "covered_id": g, "from_date": "2026-11-23",
                                           "to_date": "2026-11-30"}))  # fmt: skip
    assert w.sync().refused == 1
    [att] = needs_attention(w.store)
    assert (att["entity"], att["reason"]) == ("cover", "reference_data")
    assert "only by a manager" in att["message"]
    assert srv.count("covers") == 0
