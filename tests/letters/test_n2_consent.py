"""N2 (change of lead practitioner) to an adult's family waits for the adult's consent, read from every record
that holds it (``correspondence_guard.CONSENT_SOURCES``): the reports (consent to the report) and the partnership
records (agreement to the plan, with changes of mind), on this case or any other case of the adult — the latest
answer wins; no answer anywhere holds the letter ("no_consent")."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.adults.partnership import PartnershipService
from desktop.services.adults.report import ReportService
from desktop.services.cases import CaseService
from desktop.services.correspondence import queue_letter
from desktop.services.correspondence_guard import consent_answer
from desktop.services.demo import build_demo
from desktop.services.letters import LetterBuilder, Prepared, load_council
from desktop.services.persons import PersonService
from desktop.services.session import Session
from reports.templates import load_template
from tests.conftest import demo_clock, fast_kdf
from tests.letters.conftest import DEMO_PASSWORD


@pytest.fixture(scope="module")
def senior_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("n2_consent") / "senior"
    build_demo(folder, DEMO_PASSWORD, role="senior_manager", kdf=fast_kdf(), clock=demo_clock()).store.close()
    return folder


@pytest.fixture
def s(senior_template: Path, tmp_path: Path) -> Iterator[Session]:
    folder = tmp_path / "senior"
    shutil.copytree(senior_template, folder)
    session = Session.sign_in(folder, DEMO_PASSWORD, backup=False, clock=demo_clock())
    yield session
    session.close()


def _days_ago(s: Session, n: int) -> str:
    from datetime import timedelta

    return (s.today() - timedelta(days=n)).isoformat()


def _adult_case(s: Session, adult: str | None = None) -> tuple[str, str]:
    """A new adult at risk's case (a new adult unless one is given) with nothing recorded on it."""
    persons = PersonService(s)
    if adult is None:
        adult = str(persons.create({"given_names": "Gwladys", "family_name": "Caniatâd"})["id"])
    case = CaseService(s).create("adult_at_risk", subject_ids=[adult])
    return str(case["id"]), adult


def _family_letter(s: Session, case_id: str) -> str:
    persons = PersonService(s)
    son = persons.create({"given_names": "Iolo", "family_name": "Caniatâd", "correspondence_language": "cy"},
                         case_id=case_id, case_role="relative")
    persons.add_address(son["id"], {"line1": "5 Heol y Capel", "town": "Llandeilo", "postcode": "SA19 6AA",
                                    "from_date": "2015-01-01"})
    fields = {n: "Manylion" for n in load_template("n2_lead_practitioner_change_family").data_fields}
    row = s.write(lambda tx: queue_letter(tx, case_id=case_id, template_id="N2", recipient_kind="person",
                                          recipient_id=son["id"], data={**fields, "audience": "family"}))
    return str(row["id"])


def _prepare(s: Session, letter_id: str) -> Prepared:
    row = s.store.rows("SELECT l.*, c.reference AS case_reference FROM letter l LEFT JOIN case_file c"
                       " ON c.id = l.case_id WHERE l.id = ?", [letter_id])[0]
    return LetterBuilder(lambda q, p: s.store.rows(q, p), load_council(None), s.today()).prepare(row)


def _report(s: Session, case_id: str, days_ago: int, consent: bool) -> dict[str, Any]:
    return ReportService(s).record(case_id, received_at=_days_ago(s, days_ago) + "T09:00", source_type="family",
                                   concerns="Pryderon", consent_given=consent,
                                   no_consent_reason=None if consent else "Ofn ymateb ei phartner")


def _partnership(s: Session, case_id: str, days_ago: int, agrees: bool) -> dict[str, Any]:
    return PartnershipService(s).record(case_id, recorded_on=_days_ago(s, days_ago), understands_rationale=True,
                                        agrees_to_plan=agrees, regular_contact=None if agrees else "Ymweliad wythnosol",
                                        told_may_change_mind=not agrees)


def test_no_consent_recorded_anywhere_holds_the_family_letter(s: Session) -> None:
    case, _adult = _adult_case(s)
    letter = _family_letter(s, case)
    assert consent_answer(lambda q, p: s.store.rows(q, p), case) is None
    assert _prepare(s, letter).held == "no_consent"


def test_the_report_is_a_source_and_the_latest_report_wins(s: Session) -> None:
    case, _adult = _adult_case(s)
    letter = _family_letter(s, case)
    _report(s, case, 20, True)
    prep = _prepare(s, letter)
    assert prep.held is None and prep.job is not None
    _report(s, case, 5, False)  # a later report made without her consent
    assert _prepare(s, letter).held == "no_consent"
    _report(s, case, 30, True)  # an older answer recorded later does not outrank the newer one
    assert _prepare(s, letter).held == "no_consent"


def test_the_partnership_record_is_a_source_with_changes_of_mind(s: Session) -> None:
    case, _adult = _adult_case(s)
    letter = _family_letter(s, case)
    _report(s, case, 20, False)
    assert _prepare(s, letter).held == "no_consent"
    _partnership(s, case, 10, True)  # later she agrees to the plan
    assert _prepare(s, letter).held is None
    _partnership(s, case, 2, False)  # and later changes her mind
    assert _prepare(s, letter).held == "no_consent"


def test_partnership_alone_without_any_report(s: Session) -> None:
    case, _adult = _adult_case(s)
    letter = _family_letter(s, case)
    _partnership(s, case, 3, True)
    assert _prepare(s, letter).held is None


def test_an_amended_partnership_record_gives_way_to_its_amendment(s: Session) -> None:
    """A record that another amends (as one synced from a laptop that corrected it) no longer answers."""
    case, adult = _adult_case(s)
    letter = _family_letter(s, case)
    wrong = _partnership(s, case, 3, True)
    assert _prepare(s, letter).held is None
    s.write(lambda tx: tx.insert("adult_partnership", {
        "person_id": adult, "recorded_on": _days_ago(s, 4), "understands_rationale": 1, "agrees_to_plan": 0,
        "regular_contact": "Ymweliad", "told_may_change_mind": 1, "amends_id": wrong["id"]}, case_id=case))
    assert _prepare(s, letter).held == "no_consent"


def test_consent_recorded_on_another_case_of_the_adult_counts(s: Session) -> None:
    earlier, adult = _adult_case(s)
    _report(s, earlier, 40, False)
    later, _same = _adult_case(s, adult)
    letter = _family_letter(s, earlier)
    assert _prepare(s, letter).held == "no_consent"
    _report(s, later, 6, True)  # her newest answer, given on her newer case
    assert _prepare(s, letter).held is None
