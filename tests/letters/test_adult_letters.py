"""Adults' letters (N2 through the real service; N4, N16, N17 with the data those modules queue)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.services.correspondence import queue_letter
from desktop.services.letters import LetterBuilder, load_council
from desktop.services.session import Session
from tests.conftest import demo_clock, fast_kdf

PW = "demo-password-123"


@pytest.fixture(scope="module")
def senior(tmp_path_factory: pytest.TempPathFactory):
    from desktop.services.demo import build_demo

    folder = tmp_path_factory.mktemp("sm") / "demo"
    ctx = build_demo(folder, PW, role="senior_manager", kdf=fast_kdf(), clock=demo_clock())
    ctx.store.close()
    s = Session.sign_in(folder, PW, backup=False, clock=demo_clock())
    yield s
    s.close()


def _prepare(s: Session, letter_id: str):
    row = s.store.rows("SELECT l.*, c.reference AS case_reference FROM letter l LEFT JOIN case_file c"
                       " ON c.id = l.case_id WHERE l.id = ?", [letter_id])[0]
    return LetterBuilder(lambda q, p: s.store.rows(q, p), load_council(None), s.today()).prepare(row)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_lead_practitioner_change_letters_render_for_every_audience(senior: Session) -> None:
    from desktop.services.adults import LeadPractitionerService
    from reports import render_letters

    s = senior
    case = s.store.rows(
        "SELECT c.id FROM case_file c WHERE c.case_type = 'adult_at_risk' AND EXISTS (SELECT 1 FROM role_assignment r"
        " WHERE r.case_id = c.id AND r.role = 'lead_practitioner' AND r.deleted = 0) ORDER BY c.reference")[0]["id"]
    new = s.store.rows("SELECT id FROM practitioner WHERE app_role = 'social_worker' ORDER BY family_name")[0]["id"]
    today = s.today().isoformat()
    out = LeadPractitionerService(s).change(case, new_id=new, effective_on=today, verbal_to=["the adult", "GP"],
                                            verbal_on=today)
    seen = set()
    for letter in out["letters"]:
        prep = _prepare(s, letter["id"])
        assert prep.held is None, prep.held
        seen.add(prep.job.template_id)
        text = _text(render_letters([prep.job], load_council(None)))
        assert " ".join(letter["recipient_name"].split()) in text
    assert seen == {"n2_lead_practitioner_change_agency", "n2_lead_practitioner_change_adult",
                    "n2_lead_practitioner_change_family"}


def test_escalation_outcome_and_closure_letters(senior: Session) -> None:
    s = senior
    case = s.store.rows("SELECT id FROM case_file WHERE case_type = 'adult_at_risk' ORDER BY reference")[0]["id"]
    adult = s.store.rows("SELECT person_id FROM case_member WHERE case_id = ? AND role = 'subject'", [case])[0]["person_id"]
    manager = s.store.rows("SELECT id FROM practitioner WHERE app_role = 'senior_manager'")[0]["id"]
    agency = s.store.rows("SELECT id FROM agency WHERE address IS NOT NULL LIMIT 1")[0]["id"]
    facts = {"adult_name": "Margaret Prawf", "adult_dob": "1941-02-11"}

    def write(tx):
        n4 = queue_letter(tx, case_id=case, template_id="N4", recipient_kind="practitioner", recipient_id=manager,
                          data={**facts, "lead_coordinator": "Julie Harris", "meeting_date": "2026-11-02",
                                "no_lead_reason": "", "audience": "senior_manager",
                                "template_file": "n4_escalation_no_lead_practitioner", "escalation_id": "e1"})
        n16 = queue_letter(tx, case_id=case, template_id="N16", recipient_kind="person", recipient_id=adult,
                           data={**facts, "strategy_meeting_date": "2026-10-20", "lead_coordinator": "Julie Harris",
                                 "lead_coordinator_phone": "01267 111111", "outcome_summary": "Risk reduced.",
                                 "decisions": ["Support at home continues."], "support_offered": ["Advocate"],
                                 "conference_date": "2026-11-10", "audience": "adult",
                                 "template_file": "n16_outcome_report_adult"})
        n17 = queue_letter(tx, case_id=case, template_id="N17", recipient_kind="agency", recipient_id=agency,
                           data={**facts, "closed_on": "2026-11-20", "reasons": "Safe.", "lead_coordinator": "J",
                                 "lead_coordinator_phone": "1", "audience": "agency",
                                 "template_file": "n17_closure_agency"})
        return n4, n16, n17

    n4, n16, n17 = s.write(write)
    assert _prepare(s, n4["id"]).job.template_id == "n4_escalation_no_lead_practitioner"
    prep16 = _prepare(s, n16["id"])
    assert prep16.held in (None, "no_address")
    if prep16.job is not None:
        assert prep16.job.template_id == "n16_outcome_report_adult"
    prep17 = _prepare(s, n17["id"])
    assert prep17.held is None and prep17.job.template_id == "n17_closure_agency"
    from reports import render_letters

    assert "Margaret Prawf" in _text(render_letters([prep17.job], load_council(None)))


def test_council_default_is_the_example(tmp_path: Path) -> None:
    assert load_council(None).name_en == "Example County Council"
