"""People, validation in the user's language, roles and scope enforced by services."""

from __future__ import annotations

import pytest

from desktop.errors import NotFound, PermissionDenied, ValidationError
from desktop.i18n import set_language
from desktop.services.cases import CaseService, age_on
from desktop.services.persons import PersonService
from desktop.services.session import Session


def test_impossible_values_are_refused_with_a_message_and_change_nothing(session: Session) -> None:
    persons = PersonService(session)
    person = persons.create({"given_names": "Osian", "family_name": "ap Llŷr", "date_of_birth": "2021-04-09"})
    # Writes only: reading the person back is audited too, on the writer thread, whenever it lands.
    writes = "SELECT count(*) AS n FROM audit WHERE action != 'read'"
    audit_before = session.store.rows(writes)[0]["n"]
    with pytest.raises(ValidationError) as err:
        persons.update(person["id"], {"date_of_birth": "2027-01-01"})
    assert err.value.field == "date_of_birth"
    assert err.value.message("en") == "The date of birth cannot be in the future."
    with pytest.raises(ValidationError) as empty:
        persons.update(person["id"], {"family_name": "  "})
    assert empty.value.field == "family_name"
    assert persons.get(person["id"])["date_of_birth"] == "2021-04-09"
    assert session.store.rows(writes)[0]["n"] == audit_before


def test_validation_message_follows_the_interface_language(session: Session) -> None:
    persons = PersonService(session)
    set_language("cy")
    with pytest.raises(ValidationError) as err:
        persons.create({"family_name": ""})
    assert err.value.message() != "Enter a family name."
    assert err.value.message() == err.value.message("cy")


def test_unborn_child_needs_an_expected_date(session: Session) -> None:
    persons = PersonService(session)
    with pytest.raises(ValidationError) as err:
        persons.create({"family_name": "Jones", "unborn": 1})
    assert err.value.field == "expected_date"
    baby = persons.create({"family_name": "Jones", "unborn": 1, "expected_date": "2027-02-14"})
    assert baby["expected_date"] == "2027-02-14"


def test_language_preference_records_when_and_by_whom(session: Session) -> None:
    persons = PersonService(session)
    person = persons.create({"family_name": "Tŵr"})
    assert person["correspondence_language"] == "unknown" and person["language_asked_on"] is None
    updated = persons.update(person["id"], {"correspondence_language": "cy"})
    assert updated["language_asked_on"] == "2026-11-23"
    assert updated["language_asked_by"] == session.user.id


def test_address_history_keeps_the_old_address(session: Session) -> None:
    persons = PersonService(session)
    person = persons.create({"family_name": "Tŵr"})
    persons.add_address(person["id"], {"line1": "1 Heol Awst", "town": "Caerfyrddin", "postcode": "SA31 1AA",
                                       "from_date": "2024-01-01"})
    persons.add_address(person["id"], {"line1": "2 Stryd y Bont", "town": "Llanelli", "postcode": "SA15 2BB",
                                       "from_date": "2026-10-01"})
    history = persons.get(person["id"])["addresses"]
    assert [a["line1"] for a in history] == ["2 Stryd y Bont", "1 Heol Awst"]
    assert history[1]["to_date"] == "2026-10-01" and history[0]["to_date"] is None
    with pytest.raises(ValidationError, match="postcode"):
        persons.add_address(person["id"], {"line1": "3 Lôn", "postcode": "NOT A CODE"})


def test_admin_staff_edit_contact_details_but_not_casework_fields(make_session, clock) -> None:
    from desktop.services.session import Session as S
    from desktop.services.session import User
    from tests.conftest import PASSWORD

    worker = make_session()
    persons = PersonService(worker)
    person = persons.create({"family_name": "Jones", "date_of_birth": "2018-03-02"})
    case = CaseService(worker).create("child_protection", subject_ids=[person["id"]])
    worker.close()
    # One profile per folder: the admin is a second user, in the same team, on the worker's store.
    s = S.sign_in(worker.profile.folder, PASSWORD, backup=False, clock=clock)
    admin_id = s.write(lambda tx: tx.insert("practitioner", {"given_names": "Bethan", "family_name": "Morris",
                                                            "app_role": "admin_staff", "team_id": s.user.team_id}))["id"]
    admin_session = S(s.profile, s.store, User(admin_id, "Bethan", "Morris", "admin_staff", s.user.team_id, None))
    admin_persons = PersonService(admin_session)
    updated = admin_persons.update(person["id"], {"phone": "01267 111222", "correspondence_language": "en"})
    assert updated["phone"] == "01267 111222"
    with pytest.raises(PermissionDenied):
        admin_persons.update(person["id"], {"date_of_birth": "2019-01-01"})
    assert PersonService(s).get(person["id"])["date_of_birth"] == "2018-03-02", "the refused change wrote nothing"
    assert CaseService(admin_session).open(case["id"]).case["id"] == case["id"]
    s.close()


def test_a_worker_cannot_see_another_workers_case(make_session) -> None:
    s = make_session()
    persons, cases = PersonService(s), CaseService(s)
    mine = persons.create({"family_name": "Mine"})
    my_case = cases.create("child_protection", subject_ids=[mine["id"]])
    other_id = s.write(lambda tx: tx.insert("practitioner", {"given_names": "Tom", "family_name": "Bevan",
                                                            "app_role": "social_worker", "team_id": s.user.team_id}))["id"]
    theirs = persons.create({"family_name": "Theirs"})
    their_case = cases.create("child_protection", subject_ids=[theirs["id"]], worker_id=other_id)
    assert [r.case_id for r in cases.caseload()] == [my_case["id"]]
    with pytest.raises(NotFound):
        cases.open(their_case["id"])
    with pytest.raises(NotFound):
        persons.get(theirs["id"])
    # Cover arrangement: Rhian covers Tom's caseload today, so she sees it.
    s.write(lambda tx: tx.insert("cover", {"covering_id": s.user.id, "covered_id": other_id,
                                           "from_date": "2026-11-20", "to_date": "2026-11-27"}))
    assert {r.case_id for r in cases.caseload()} == {my_case["id"], their_case["id"]}


def test_opening_a_case_is_audited(session: Session) -> None:
    person = PersonService(session).create({"family_name": "Evans", "date_of_birth": "2016-02-29"})
    case = CaseService(session).create("child_in_need", subject_ids=[person["id"]])
    told: list[tuple[set[str], set[str]]] = []
    session.store.add_commit_listener(lambda tables, cases: told.append((tables, cases)))
    view = CaseService(session).open(case["id"])
    assert view.subjects[0]["family_name"] == "Evans"
    opens = session.store.rows("SELECT actor FROM audit WHERE action = 'open' AND entity_id = ?", [case["id"]])
    assert [o["actor"] for o in opens] == [session.user.id]
    assert told == [], "opening changes nothing anyone shows: no screen is told to read again"


def test_age_in_years_and_months() -> None:
    from datetime import date

    assert age_on("2016-02-29", date(2026, 11, 23)) == (10, 8)
    assert age_on("2026-06-30", date(2026, 11, 23)) == (0, 4)
    assert age_on(None, date(2026, 11, 23)) is None
