"""The committee's row source on the laptop (desktop.services.committee_source): live rows only, a
column looked up through a foreign key, "only where set", and the visits the seen-alone measure counts —
a corrected visit counts once (as its amendment), a visit where access was denied counts not at all."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.services.committee_measures import v1
from desktop.services.committee_source import StoreRows, Tables


def test_rows_lookups_and_amendments(make_session: Any) -> None:
    s = make_session(role="team_manager")
    me = s.user

    def write(tx: Any) -> dict[str, str]:
        case = tx.insert("case_file", {"reference": "R-1", "case_type": "child_protection", "team_id": me.team_id,
                                       "allocated_worker_id": me.id, "opened_on": "2026-01-01"})["id"]
        child = tx.insert("person", {"family_name": "Prawf"})["id"]
        tx.insert("register_entry", {"person_id": child, "registered_on": "2026-02-02", "categories": "[]",
                                     "status": "active"}, case_id=case)
        ids = {}
        for key, on, denied, amends in (("kept", "2026-03-02", 0, None), ("denied", "2026-03-09", 1, None),
                                        ("wrong", "2026-03-16", 0, None)):
            ids[key] = tx.insert("cp_visit", {"visited_on": on, "visitor_id": me.id, "location": "home",
                                              "access_denied": denied, "amends_id": amends}, case_id=case)["id"]
        ids["fixed"] = tx.insert("cp_visit", {"visited_on": "2026-03-17", "visitor_id": me.id, "location": "home",
                                              "amends_id": ids["wrong"]}, case_id=case)["id"]
        gone = tx.insert("cp_visit", {"visited_on": "2026-03-23", "visitor_id": me.id, "location": "home"},
                         case_id=case)["id"]
        for visit in (*ids.values(), gone):
            tx.insert("cp_visit_child", {"visit_id": visit, "person_id": child, "seen": 1, "seen_alone": 1,
                                         "seen_at_home": 0, "bedroom_seen": 0}, case_id=case)
        tx.db.execute("UPDATE cp_visit SET deleted = 1 WHERE id = ?", [gone])
        return {**ids, "gone": gone, "child": child}

    ids = s.write(write)
    source = StoreRows(s.store)
    looked_up = sorted(source.rows("cp_visit_child", ("visit_id", "visit_id.visited_on", "visit_id.access_denied")),
                       key=lambda r: r[0] == ids["gone"])
    assert {r[0]: r[1:] for r in looked_up} == {
        ids["kept"]: ("2026-03-02", 0), ids["denied"]: ("2026-03-09", 1), ids["wrong"]: ("2026-03-16", 0),
        ids["fixed"]: ("2026-03-17", 0), ids["gone"]: (None, None)}  # a deleted visit looks up nothing
    assert source.rows("cp_visit", ("amends_id",), ("amends_id",)) == [(ids["wrong"],)]
    assert Tables(source).amended("cp_visit") == {ids["wrong"]}
    [history] = v1(Tables(source))
    assert sorted(date.fromordinal(d).isoformat() for d in history.events) == ["2026-03-02", "2026-03-17"]
