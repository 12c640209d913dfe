"""The chronology's "Who it is about" carries the safety flags of the people an event names — on screen in
full, and in the PDF only as far as it is safe: the flag's words (never whom it names), and never a confidential
address (the PDF read back, Welsh and English)."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from desktop.services.chronology import ChronologyService
from desktop.services.notes import NoteService
from desktop.services.persons import PersonService
from desktop.services.safety_flags import SafetyFlagService

REFUGE = {"line1": "Fflat 3, 17 Heol y Lloches", "town": "Caerfyrddin", "postcode": "SA31 9ZZ",
          "from_date": "2026-01-01"}


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_chronology_pdf_gives_flag_words_never_an_address_or_whom_a_flag_names(demo_session: Any) -> None:
    s = demo_session("team_manager")
    case = s.store.rows("SELECT c.id, m.person_id FROM case_file c JOIN case_member m ON m.case_id = c.id"
                        " AND m.role = 'subject' AND m.deleted = 0 WHERE c.case_type = 'child_protection'"
                        " ORDER BY c.reference LIMIT 1")[0]
    persons, flags = PersonService(s), SafetyFlagService(s)
    mother = persons.create({"given_names": "Mererid", "family_name": "Lloches"}, case_id=case["id"],
                            case_role="parent")["id"]
    persons.add_address(mother, REFUGE)
    uncle = persons.create({"given_names": "Dylan", "family_name": "Perygl"}, case_id=case["id"],
                           case_role="relative")["id"]
    flags.set_flag(mother, "address_confidential", "Refuge")
    flags.set_flag(uncle, "risk_to", "Alleged assault", related_person_id=mother)
    NoteService(s).record(case["id"], kind="phone", occurred_on=s.today().isoformat(), significant=True,
                          category="household", people=[mother, uncle],
                          body="Mae'r fam yn byw yn Fflat 3, 17 Heol y Lloches, SA31 9ZZ.")
    service = ChronologyService(s)
    screen = service.for_case(case["id"])
    event = next(e for e in screen.events if "Heol y Lloches" in e.detail)
    assert screen.who(event, "en").endswith(
        "(safety: Mererid Lloches: Address confidential; Dylan Perygl: Poses a risk to another person)")
    pdf = _text(service.render(case["id"], language="bilingual"))
    assert "Mererid Lloches: Cyfeiriad cyfrinachol" in pdf and "Mererid Lloches: Address confidential" in pdf
    assert "Dylan Perygl: Yn peri risg i berson arall" in pdf and "Dylan Perygl: Poses a risk to another person" in pdf
    assert "Lloches, SA31" not in pdf and "Heol y Lloches" not in pdf and "SA31 9ZZ" not in pdf
    assert "Alleged assault" not in pdf and "Refuge" not in pdf  # the flags' reasons stay on the screen
