"""The directory forms choose from: agencies, staff, and the people on a case (scope-checked)."""

from __future__ import annotations

import pytest

from desktop.errors import NotFound
from desktop.services.cases import CaseService
from desktop.services.directory import Choice, DirectoryService
from desktop.services.persons import PersonService
from desktop.services.session import Session, User
from tests.casework import add_practitioner


def test_staff_and_agencies_with_what_tells_them_apart(session: Session) -> None:
    def write(tx):  # type: ignore[no-untyped-def]
        school = tx.insert("agency", {"name": "Ysgol y Dref", "agency_type": "education"})["id"]
        council = tx.insert("agency", {"name": "Cyngor Sir", "agency_type": "social_services"})["id"]
        add_practitioner(tx, "Nia", "Athro", None, None, school, scw=None, employed=0, title="Head teacher")
        add_practitioner(tx, "Ioan", "Bevan", None, None, council, title="Independent Reviewing Officer")
        gone = add_practitioner(tx, "Hen", "Aelod", None, None, council)
        add_practitioner(tx, "Huw", "Price", "senior_manager", None, council)
        tx.update("practitioner", gone, {"active": 0})
        return school

    school = session.write(write)
    directory = DirectoryService(session)
    agencies = directory.agencies()
    assert Choice(school, "Ysgol y Dref", "education") in agencies
    assert [a.name for a in agencies] == sorted(a.name for a in agencies)
    everyone = {p.name: p for p in directory.practitioners()}
    assert everyone["Nia Athro"].detail == "Head teacher, Ysgol y Dref"
    assert "Hen Aelod" not in everyone, "someone who has left is not offered"
    ours = [p.name for p in directory.practitioners(social_services_only=True)]
    assert "Ioan Bevan" in ours and "Nia Athro" not in ours
    assert [p.name for p in directory.practitioners(role="senior_manager")] == ["Huw Price"], "one role's staff"
    gone_id = session.store.rows("SELECT id FROM practitioner WHERE family_name = 'Aelod'")[0]["id"]
    assert directory.practitioner_names([gone_id]) == {gone_id: "Hen Aelod"}, "old records still name them"


def test_the_people_on_a_case_subjects_in_order_and_each_once(session: Session) -> None:
    persons = PersonService(session)
    elis = persons.create({"given_names": "Elis", "family_name": "Tŵr"})
    seren = persons.create({"given_names": "Seren", "preferred_name": "Sioni", "family_name": "Tŵr"})
    mam = persons.create({"given_names": "Angharad", "family_name": "Tŵr"})
    cases = CaseService(session)
    case = cases.create(case_type="child_protection", subject_ids=[elis["id"], seren["id"]])
    cases.add_member(case["id"], mam["id"], "parent")
    cases.add_member(case["id"], mam["id"], "carer")
    directory = DirectoryService(session)
    assert directory.case_children(case["id"]) == [Choice(elis["id"], "Elis Tŵr"), Choice(seren["id"], "Sioni Tŵr")]
    assert directory.case_people(case["id"], subjects=False) == [Choice(mam["id"], "Angharad Tŵr")]
    assert len(directory.case_people(case["id"])) == 3


def test_the_people_on_a_case_outside_scope_are_not_read(session: Session) -> None:
    persons = PersonService(session)
    child = persons.create({"given_names": "Elis", "family_name": "Tŵr"})
    case = CaseService(session).create(case_type="child_protection", subject_ids=[child["id"]])
    stranger = Session(session.profile, session.store, User("someone-else", "A", "B", "social_worker", "other-team",
                                                            None))
    with pytest.raises(NotFound):
        DirectoryService(stranger).case_people(case["id"])
