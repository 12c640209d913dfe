"""Issue 20: a manager's safety flags travel with the person to every laptop that holds them, with the
address they protect, so the correspondence guard on another laptop holds the letter too; the server takes
a flag or a release only from a manager."""

from __future__ import annotations

from typing import Any

from desktop.services.correspondence import queue_letter
from desktop.services.letters import LetterBuilder, load_council
from desktop.services.safety_flags import SafetyFlagService
from desktop.sync.status import needs_attention
from tests.sync.helpers import make_case

REFUGE = {"line1": "Fflat 3, 17 Heol y Lloches", "town": "Caerfyrddin", "postcode": "SA31 9ZZ"}


def _person(laptop: Any, case: str, name: str, address: dict[str, str]) -> str:
    def write(tx: Any) -> str:
        pid = tx.insert("person", {"family_name": "Jones", "given_names": name})["id"]
        tx.insert("case_member", {"person_id": pid, "role": "parent"}, case_id=case)
        tx.insert("address", {"person_id": pid, **address})
        return str(pid)

    return str(laptop.write(write))


def _held(laptop: Any, letter_id: str) -> str | None:
    row = laptop.store.rows("SELECT l.*, c.reference AS case_reference FROM letter l LEFT JOIN case_file c"
                            " ON c.id = l.case_id WHERE l.id = ?", [letter_id])[0]
    builder = LetterBuilder(lambda q, p: laptop.store.rows(q, p), load_council(None), laptop.session.today())
    return builder.prepare(row).held


def test_flags_set_on_one_laptop_hold_letters_on_another(srv, laptops) -> None:
    w, m = laptops("wendy"), laptops("mari")
    case, child = make_case(w)
    father = _person(w, case, "Gethin", {"line1": "2 Stryd y Bont", "town": "Llanelli", "postcode": "SA15 1AA"})
    mother = _person(w, case, "Mererid", REFUGE)
    data = {"audience": "family", "child_name": "Dylan Jones", "child_dob": "2018-09-09",
            "coordinator_name": "Wendy", "coordinator_phone": "01267 234567", "plan_date": "2026-11-20",
            "next_review_date": "2027-02-20", "rationale": "Cynllun"}
    to_father = w.write(lambda tx: queue_letter(tx, case_id=case, template_id="N19", recipient_kind="person",
                                                recipient_id=father, data=data))["id"]
    naming = w.write(lambda tx: queue_letter(tx, case_id=case, template_id="N19", recipient_kind="person",
                                             recipient_id=mother, data={**data, "rationale": "Gweler 17 Heol y Lloches"}))["id"]
    assert _held(w, to_father) is None and _held(w, naming) is None
    assert w.sync().verified and m.sync().verified
    flags = SafetyFlagService(m.session)
    risk = flags.set_flag(father, "risk_to", "Alleged to have harmed Dylan", related_person_id=child)
    flags.set_flag(mother, "address_confidential", "Refuge")
    assert m.sync().verified and w.sync().verified
    pulled = w.row("person_flag", risk.id)
    assert (pulled["kind"], pulled["related_person_id"], pulled["reason"]) == ("risk_to", child,
                                                                            "Alleged to have harmed Dylan")
    assert [f.text("en") for f in SafetyFlagService(w.session).flags(mother)] == ["Address confidential"]
    assert _held(w, to_father) == "risk_to_subject"
    assert _held(w, naming) == "confidential_address"
    # The address the flag protects kept its history on the server: the same rows, nothing else.
    assert [a["line1"] for a in w.store.rows("SELECT line1 FROM address WHERE person_id = ?", [mother])] == [
        REFUGE["line1"]]
    assert len(srv.sql("SELECT 1 FROM rows WHERE entity = 'person_flag'")) == 2


def test_the_server_takes_a_flag_or_a_release_only_from_a_manager(srv, laptops) -> None:
    w = laptops("wendy")
    case, child = make_case(w)
    other = _person(w, case, "Gethin", {"line1": "2 Stryd y Bont", "town": "Llanelli", "postcode": "SA15 1AA"})
    assert w.sync().verified
    w.write(lambda tx: tx.insert("person_flag", {"person_id": other, "kind": "do_not_contact", "reason": "x",
                                                 "set_on": "2026-11-20"}))
    letter = w.write(lambda tx: queue_letter(tx, case_id=case, template_id="N19", recipient_kind="person",
                                             recipient_id=other, data={}))["id"]
    w.write(lambda tx: tx.insert("letter_release", {"letter_id": letter, "held_reason": "do_not_contact",
                                                    "flags_digest": "x", "reason": "Mine"}, case_id=case))
    report = w.sync()
    assert report.refused == 2
    assert sorted((a["entity"], a["reason"]) for a in needs_attention(w.store)) == [
        ("letter_release", "role"), ("person_flag", "role")]
