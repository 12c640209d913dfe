"""The written information pack to a receiving authority (N7, C17) through the real encrypted store and
the real renderer: the PDF read back in English, Welsh and both, with the values in words; C17 closed in
"My work" once it is sent, the correspondence entry keeping the PDF, the reads and the sending audited;
the refusals (no authority or address, a transfer closed or going the other way, Welsh missing) change
nothing and read in the user's language."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.errors import PermissionDenied, ValidationError
from desktop.services.child_protection.plan import PlanService
from desktop.services.child_protection.transfers import TransferService
from desktop.services.letters import LetterService
from desktop.services.my_work import MyWorkService
from tests.casework import World
from tests.child_protection.helpers import determine_all, initial_conference, strategy

ADDRESS = "Neuadd y Sir\nSpa Road East\nLlandrindod Wells\nLD1 5LG"


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _c17_due(w: World) -> bool:
    return any(i.rule_id == "C17" and i.person_id == w.ids["elis"] for i in MyWorkService(w.sw).all_items(w.clock.day))


def _plan(w: World, *, welsh: bool) -> None:
    """A detailed plan: an outcome for Elis with an action, one for Mali (not Elis's), and an action
    towards no outcome; the Welsh of each given when ``welsh``."""
    cy = (lambda text: {"description_cy": text}) if welsh else (lambda text: {})
    PlanService(w.sw).revise(w.ids["case"], outcomes=[
        {"description": "Elis goes to school every day", "measure": "Attendance", "person_id": w.ids["elis"],
         **cy("Mae Elis yn mynd i'r ysgol bob dydd")},
        {"description": "Mali sees the health visitor", "measure": "Visits", "person_id": w.ids["mali"],
         **cy("Mae Mali yn gweld yr ymwelydd iechyd")}],
        actions=[
        {"description": "Walk Elis to school", "owner_kind": "person", "owner_id": w.ids["mam"], "outcome_index": 0,
         "due_on": "2026-12-18", **cy("Cerdded Elis i'r ysgol")},
        {"description": "Weigh Mali", "owner_kind": "practitioner", "owner_id": w.ids["nurse"], "outcome_index": 1,
         **cy("Pwyso Mali")},
        {"description": "Check the new tenancy", "owner_kind": "practitioner", "owner_id": w.ids["sw"],
         **cy("Gwirio'r denantiaeth newydd")}])


@pytest.fixture
def moving(world: World) -> World:
    """Both children registered on 26 October 2026 (the outline plan in both languages), a detailed plan
    in English only, and Elis's family moving to Powys (told on Friday 20 November, a temporary stay)."""
    w = world
    strategy(w, "2026-10-12")
    determine_all(w)
    initial_conference(w, "2026-10-26", decisions=[
        {"person_id": w.ids[child], "registered": True, "categories": ["neglect", "emotional"],
         "coordinator_id": w.ids["sw"], "outline_plan": f"Keep {child} safe at home",
         "outline_plan_cy": f"Cadw {child} yn ddiogel gartref", "first_core_group_on": "2026-11-20",
         "next_review_on": "2027-01-26",
         "core_group": [{"practitioner_id": w.ids["nurse"], "role": "Health visitor"}, {"agency_id": w.ids["school"]},
                        {"person_id": w.ids["mam"], "member_kind": "person"}]}
        for child in ("elis", "mali")])
    _plan(w, welsh=False)
    w.clock.day = date(2026, 11, 20)
    w.ids["transfer"] = TransferService(w.sw).move_out(
        w.ids["case"], w.ids["elis"], notified_on="2026-11-20", receiving_la="Cyngor Sir Powys", permanent=False,
        new_address="Flat 2, 5 Stryd y Bont, Y Trallwng SY21 7AA", expected_until="2027-03-31",
        notes="Moving in with the grandmother while the house is repaired.")["id"]
    w.clock.day = date(2026, 11, 23)
    return w


def _send(w: World, lang: str, **kw: Any) -> tuple[Any, list[bytes]]:
    delivered: list[bytes] = []
    args: dict[str, Any] = {"authority": "Cyngor Sir Powys", "address": ADDRESS, "language": lang,
                            "sent_on": "2026-11-23", **kw}
    sent = TransferService(w.sw).send_information_pack(w.ids["transfer"], deliver=delivered.append, **args)
    return sent, delivered


def test_the_english_pack_says_what_the_receiving_authority_needs_and_closes_c17(moving: World) -> None:
    w, ids = moving, moving.ids
    assert _c17_due(w)
    sent, delivered = _send(w, "en")
    assert delivered == [sent.pdf]
    text = _text(sent.pdf)
    for words in (
        "Cyngor Sir Powys", "Spa Road East", "LD1 5LG",  # addressed to the receiving authority
        "Date: 23 November 2026", "Our ref:",
        "Child protection transfer: information for the receiving authority about Elis Jones",
        "Date of birth 1 May 2016",  # in words
        "We were told of the move on 20 November 2026", "Flat 2, 5 Stryd y Bont, Y Trallwng SY21 7AA",
        "Kind of move Temporary", "Likely to stay until 31 March 2027",
        "Moving in with the grandmother while the house is repaired.",
        "Date registered 26 October 2026", "Registration categories Neglect; Emotional / psychological abuse",
        "Next review conference 26 January 2027",
        "1. Elis goes to school every day", "Walk Elis to school Catrin Jones 18 December 2026",
        "Other actions in the plan", "Check the new tenancy",
        "Initial child protection conference", "Held on 26 October 2026",
        "Name placed on the child protection register", "Keep elis safe at home",
        "Bethan Hughes Health visitor Bwrdd Iechyd Hywel Dda 01267 000000", "Ysgol Gynradd Llanelli — — —",
        "Catrin Jones Family member — —",
        "Siân Roberts Social worker Gwasanaethau Cymdeithasol Sir Gâr 01554 111111",
        "Nia Morgan Team manager", "Yours sincerely,", "We welcome correspondence in Welsh", "Page 1 of",
    ):
        assert words in text, (words, text)
    assert "Mali sees the health visitor" not in text and "Weigh Mali" not in text  # Mali is not moving
    assert "Tudalen" not in text and "Annwyl" not in text
    assert not [key for key, value in ids.items() if value in text]  # never an internal id

    assert not _c17_due(w)  # C17 closed in My work
    transfer = w.sw.store.rows("SELECT information_sent_on, closed_on FROM cp_transfer WHERE id = ?",
                               [ids["transfer"]])[0]
    assert transfer == {"information_sent_on": "2026-11-23", "closed_on": None}  # open until their conference
    kept = w.sw.store.rows("SELECT other_la, other_la_address, other_la_language FROM cp_transfer WHERE id = ?",
                           [ids["transfer"]])[0]
    assert kept == {"other_la": "Cyngor Sir Powys", "other_la_address": ADDRESS, "other_la_language": "en"}
    letters = LetterService(w.sw).history(ids["case"])
    pack = next(x for x in letters if x.code == "N7")
    assert (pack.status, pack.recipient_name, pack.language, pack.has_pdf) == ("printed", "Cyngor Sir Powys", "en",
                                                                                True)
    assert pack.title("en") == "Information pack to the receiving authority"
    assert LetterService(w.sw).pdf(pack.id) == sent.pdf
    audit = w.sw.store.rows("SELECT action, entity, entity_id, after FROM audit WHERE case_id = ? AND"
                            " (entity = 'cp_transfer_pack' OR action = 'letter_printed')", [ids["case"]])
    assert {(a["action"], a["entity"], a["entity_id"]) for a in audit} >= {
        ("read", "cp_transfer_pack", ids["transfer"]), ("letter_printed", "letter", pack.id)}
    printed = next(a for a in audit if a["action"] == "letter_printed")
    assert json.loads(printed["after"])["sha256"] == hashlib.sha256(sent.pdf).hexdigest()


def test_a_welsh_pack_waits_for_the_welsh_of_the_plan_then_reads_in_welsh(moving: World) -> None:
    w = moving
    for language in ("cy", "bilingual"):
        with pytest.raises(ValidationError) as refused:
            _send(w, language)
        assert refused.value.field == "language"
        assert "the plan's outcomes" in refused.value.message("en") and "the plan's actions" in refused.value.message("en")
        assert refused.value.message("cy").startswith("Ni ellir gwneud y pecyn yn Gymraeg eto")
    assert w.sw.store.rows("SELECT information_sent_on FROM cp_transfer")[0]["information_sent_on"] is None
    assert not w.sw.store.rows("SELECT 1 FROM letter WHERE template_id = 'N7'")
    assert _c17_due(w)

    _plan(w, welsh=True)
    sent, _delivered = _send(w, "cy")
    text = _text(sent.pdf)
    for words in ("Cyngor Sir Powys", "Dyddiad: 23 Tachwedd 2026", "1 Mai 2016", "31 Mawrth 2027",
                  "26 Hydref 2026", "Esgeulustod", "1. Mae Elis yn mynd i'r ysgol bob dydd", "Cerdded Elis i'r ysgol",
                  "Gwirio'r denantiaeth newydd", "Cadw elis yn ddiogel gartref", "Siân Roberts", "Nia Morgan",
                  "Yn gywir,", "Tudalen 1 o",
                  # what the worker wrote only in English stays as written
                  "Moving in with the grandmother while the house is repaired."):
        assert words in text, (words, text)
    assert "Page 1 of" not in text and "Elis goes to school every day" not in text
    assert not _c17_due(w)


def test_a_bilingual_pack_is_the_welsh_pack_then_the_english(moving: World) -> None:
    w = moving
    _plan(w, welsh=True)
    sent, _delivered = _send(w, "bilingual")
    text = _text(sent.pdf)
    welsh, english = text.index("Mae Elis yn mynd i'r ysgol bob dydd"), text.index("Elis goes to school every day")
    assert welsh < english
    assert text.index("Tudalen 1 o") < text.index("Page 1 of")
    assert "Dear colleague," in text and text.index("Yn gywir,") < text.index("Yours sincerely,")


def test_refused_packs_change_nothing_and_say_why_in_the_users_language(moving: World) -> None:
    w, ids = moving, moving.ids
    transfers = TransferService(w.sw)
    cases = [({"authority": "  "}, "other_la", "Enter the receiving local authority."),
             ({"address": "\n \n"}, "address", "Enter the receiving authority's postal address."),
             ({"language": "fr"}, "language", "Choose the language of the pack."),
             ({"sent_on": "2026-11-19"}, "on_date", "The date is before the move was notified.")]
    for change, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            _send(w, "en", **change)
        assert (refused.value.field, refused.value.message("en")) == (field, message)
        assert refused.value.message("cy") != message  # translated
    with pytest.raises(PermissionDenied):
        TransferService(w.users["custodian"]).send_information_pack(
            ids["transfer"], authority="Powys", address=ADDRESS, language="en", sent_on="2026-11-23")
    assert w.sw.store.rows("SELECT information_sent_on FROM cp_transfer")[0]["information_sent_on"] is None
    assert not w.sw.store.rows("SELECT 1 FROM letter WHERE template_id = 'N7'")

    def fails(pdf: bytes) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):  # not delivered: not recorded as sent
        transfers.send_information_pack(ids["transfer"], authority="Powys", address=ADDRESS, language="en",
                                        sent_on="2026-11-23", deliver=fails)
    assert not w.sw.store.rows("SELECT 1 FROM letter WHERE template_id = 'N7'")

    transfers.close(ids["transfer"], on="2026-11-23", reason="The family stayed.")
    with pytest.raises(ValidationError) as finished:
        _send(w, "en")
    assert finished.value.message("en") == "This transfer is finished."
    assert not w.sw.store.rows("SELECT 1 FROM letter WHERE template_id = 'N7'")


def test_a_transfer_in_has_no_pack(world: World) -> None:
    w, ids = world, world.ids
    w.clock.day = date(2026, 11, 2)
    into = TransferService(w.sw).move_in(ids["case"], ids["mali"], notified_on="2026-11-02", sending_la="Gwynedd",
                                         permanent=True)
    with pytest.raises(ValidationError) as refused:
        TransferService(w.sw).send_information_pack(into["id"], authority="Gwynedd", address=ADDRESS, language="en",
                                                    sent_on="2026-11-02")
    assert refused.value.message("en") == "That step belongs to a transfer the other way."


def test_the_authoritys_address_may_be_given_on_the_move_out(registered: World) -> None:
    w, ids = registered, registered.ids
    w.clock.day = date(2026, 11, 20)
    out = TransferService(w.sw).move_out(ids["case"], ids["mali"], notified_on="2026-11-20", receiving_la="Powys",
                                         receiving_address="  Neuadd y Sir \r\n\n Llandrindod Wells ")
    assert out["other_la_address"] == "Neuadd y Sir\nLlandrindod Wells"  # a line each, trimmed
    into = TransferService(w.sw).move_in(ids["case"], ids["elis"], notified_on="2026-11-20", sending_la="Gwynedd",
                                         permanent=True, sending_address="Stryd y Jêl\nCaernarfon")
    assert into["other_la_address"] == "Stryd y Jêl\nCaernarfon"
