"""A letter to a person flagged "contact only through <person or agency>" is redirected: addressed to the
person "c/o" (Welsh "d/o") the one named, at that contact's own address and in that contact's language —
every letter template, in Welsh and in English, through an agency and through a person, the PDF read back.
Where the contact has no address the letter is held saying so; a confidential address never comes through
the redirect (neither the recipient's own nor the contact's)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.services.correspondence import queue_letter
from desktop.services.letters import LetterService
from desktop.services.persons import PersonService
from desktop.services.safety_flags import SafetyFlagService
from reports import LetterError
from reports.templates import load_template, template_ids

TEMPLATES = list(template_ids())
HOME = {"line1": "2 Stryd y Bont", "town": "Llanelli", "postcode": "SA15 1AA", "from_date": "2020-01-01"}
REFUGE = {"line1": "Fflat 3, 17 Heol y Lloches", "town": "Caerfyrddin", "postcode": "SA31 9ZZ",
          "from_date": "2026-01-01"}
CONTACT = {"line1": "9 Rhodfa'r Cyfreithwyr", "town": "Abertawe", "postcode": "SA1 5QQ", "from_date": "2019-01-01"}
AGENCY_ADDRESS = "44 Lon y Gamlas\nCastell-nedd\nSA11 3PP"
OTHER = {"cy": "en", "en": "cy"}


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _data(template_id: str) -> dict[str, Any]:
    t = load_template(template_id)
    return {name: (["Manylion"] if name in t.list_fields else "Manylion") for name in sorted(t.data_fields)}


@pytest.fixture
def world(demo_session) -> dict[str, Any]:
    s = demo_session("team_manager")
    case = s.store.rows("SELECT c.id, m.person_id FROM case_file c JOIN case_member m ON m.case_id = c.id"
                        " AND m.role = 'subject' AND m.deleted = 0 WHERE c.case_type = 'child_protection'"
                        " ORDER BY c.reference LIMIT 1")[0]
    return {"s": s, "case": case["id"], "child": case["person_id"], "persons": PersonService(s),
            "flags": SafetyFlagService(s), "letters": LetterService(s)}


def _person(world: dict[str, Any], given: str, language: str, address: dict[str, str] | None) -> str:
    p = world["persons"].create({"given_names": given, "family_name": "Prawf", "correspondence_language": language},
                                case_id=world["case"], case_role="parent")
    if address:
        world["persons"].add_address(p["id"], address)
    return str(p["id"])


def _agency(world: dict[str, Any], language: str, address: str | None = AGENCY_ADDRESS) -> str:
    row = world["s"].write(lambda tx: tx.insert("agency", {
        "name": "Cymorth Teg", "agency_type": "voluntary", "address": address, "correspondence_language": language}))
    return str(row["id"])


def _queue(world: dict[str, Any], template_id: str, recipient: str) -> str:
    row = world["s"].write(lambda tx: queue_letter(tx, case_id=world["case"], template_id=template_id,
                                                   recipient_kind="person", recipient_id=recipient,
                                                   data=_data(template_id)))
    return str(row["id"])


@pytest.mark.parametrize("through", ["agency", "person"])
@pytest.mark.parametrize("lang", ["cy", "en"])
def test_every_letter_goes_care_of_the_contact_at_their_address_in_their_language(world: dict[str, Any],
                                                                                  through: str, lang: str) -> None:
    # The father prefers the other language and lives at HOME: neither may decide the letter.
    father = _person(world, "Bleddyn", OTHER[lang], HOME)
    if through == "agency":
        via, via_name, via_line = _agency(world, lang), "Cymorth Teg", "44 Lon y Gamlas"
        world["flags"].set_flag(father, "contact_via", "Through his support worker", via_agency_id=via)
    else:
        via, via_name, via_line = _person(world, "Gwenllian", lang, CONTACT), "Gwenllian Prawf", "9 Rhodfa'r Cyfreithwyr"
        world["flags"].set_flag(father, "contact_via", "Through his solicitor", related_person_id=via)
    service = world["letters"]
    ids = {tid: _queue(world, tid, father) for tid in TEMPLATES}
    waiting = {q.id: q for q in service.queue()}
    care_of = {"cy": f"d/o {via_name}", "en": f"c/o {via_name}"}[lang]
    for tid, lid in ids.items():
        assert (waiting[lid].status, waiting[lid].held_reason) == ("queued", None), (tid, waiting[lid].held_reason)
        text = _text(service.preview(lid))
        assert f"Bleddyn Prawf {care_of} {via_line}" in text, (tid, text[:300])
        assert {"cy": "c/o ", "en": "d/o "}[lang] not in text, tid  # one language: the contact's
        assert "Stryd y Bont" not in text and "SA15 1AA" not in text, tid
        assert ("Annwyl" in text) == (lang == "cy") and ("Dear" in text) == (lang == "en"), tid


def test_no_usable_address_for_the_contact_holds_the_letter_until_one_is_recorded(world: dict[str, Any]) -> None:
    father = _person(world, "Bleddyn", "en", HOME)
    solicitor = _person(world, "Gwenllian", "cy", None)
    world["flags"].set_flag(father, "contact_via", "Through his solicitor", related_person_id=solicitor)
    service = world["letters"]
    lid = _queue(world, "n19_plan_family", father)
    held = {q.id: q for q in service.queue()}[lid]
    assert (held.status, held.held_reason) == ("held", "contact_via_no_address")
    assert "no postal address" in held.held_text("en") and held.held_text("cy") != held.held_text("en")
    with pytest.raises(LetterError):
        service.preview(lid)  # never sent to the father's own address instead
    world["persons"].add_address(solicitor, CONTACT)
    assert {q.id: q.status for q in service.queue()}[lid] == "queued"
    assert "d/o Gwenllian Prawf 9 Rhodfa'r Cyfreithwyr" in _text(service.preview(lid))


def test_an_agency_without_an_address_holds_the_letter(world: dict[str, Any]) -> None:
    father = _person(world, "Bleddyn", "en", HOME)
    world["flags"].set_flag(father, "contact_via", "Through the agency", via_agency_id=_agency(world, "en", None))
    lid = _queue(world, "n19_plan_family", father)
    assert {q.id: q.held_reason for q in world["letters"].queue()}[lid] == "contact_via_no_address"


def test_the_redirect_never_carries_a_confidential_address(world: dict[str, Any]) -> None:
    """The mother lives at a refuge: a letter to her own address is held; redirected through an agency it
    goes without the refuge in it. A contact whose own address is confidential holds the letter."""
    service, flags = world["letters"], world["flags"]
    mother = _person(world, "Mererid", "cy", REFUGE)
    flags.set_flag(mother, "address_confidential", "Refuge")
    direct = _queue(world, "n19_plan_family", mother)
    assert {q.id: q.held_reason for q in service.queue()}[direct] == "confidential_address"
    flags.set_flag(mother, "contact_via", "Through the refuge's outreach worker", via_agency_id=_agency(world, "cy"))
    assert {q.id: q.status for q in service.queue()}[direct] == "queued"
    text = _text(service.preview(direct))
    assert "Mererid Prawf d/o Cymorth Teg 44 Lon y Gamlas" in text
    assert "Lloches" not in text and "SA31" not in text
    # A father who may be reached only through the mother: her refuge is never his letter's address.
    father = _person(world, "Bleddyn", "en", HOME)
    flags.set_flag(father, "contact_via", "Through the mother", related_person_id=mother)
    flags.clear(next(f.id for f in flags.flags(mother) if f.kind == "contact_via"), "She asks for letters at home")
    through_her = _queue(world, "n19_plan_family", father)
    held = {q.id: q.held_reason for q in service.queue()}
    assert held[through_her] == "confidential_address" and held[direct] == "confidential_address"


def test_a_contact_who_poses_a_risk_to_the_child_holds_the_letter(world: dict[str, Any]) -> None:
    father = _person(world, "Bleddyn", "en", HOME)
    uncle = _person(world, "Dylan", "en", CONTACT)
    world["flags"].set_flag(uncle, "risk_to", "Alleged harm", related_person_id=world["child"])
    world["flags"].set_flag(father, "contact_via", "Through his brother", related_person_id=uncle)
    lid = _queue(world, "n19_plan_family", father)
    assert {q.id: q.held_reason for q in world["letters"].queue()}[lid] == "risk_to_subject"
