"""The print queue against real encrypted demo profiles: every queued letter renders, language,
held letters and their release, printing (PDF, printed_by, audit), permissions, adults' letters."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.errors import PermissionDenied
from desktop.services.correspondence import CIRCULARS, queue_letter
from desktop.services.letters import LetterService, load_council, resolve_template
from desktop.services.persons import PersonService
from reports import MissingAddressError


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_every_letter_the_demo_queues_renders_in_the_right_language(demo_session, tmp_path: Path) -> None:
    s = demo_session("team_manager")
    service = LetterService(s)
    waiting = service.queue()
    assert len(waiting) >= 30
    assert {q.code for q in waiting} >= {"N3", "N8", "N9", "N19"}
    assert all(q.template_id for q in waiting)
    # The demo's conferences have been held: their invitations wait, held, for a person to decide.
    held = [q for q in waiting if q.status == "held"]
    assert held and all(q.code in ("N8", "N11") and (q.held_reason or "").startswith("event_passed:")
                        for q in held), [(q.code, q.held_reason) for q in held]
    waiting = [q for q in waiting if q.status == "queued"]

    result = service.print_queue(out_dir=tmp_path / "out")
    assert not result.errors and set(result.held) == {q.id for q in held}
    assert len(result.printed) == len(waiting)
    prefs = {r["id"]: r["correspondence_language"] for r in s.store.rows("SELECT id, correspondence_language FROM person")}
    for q in waiting:
        pdf = (tmp_path / "out" / result.files[q.id].name).read_bytes()
        text = _squash(_text(pdf))
        assert _squash(q.recipient_name) in text
        if q.recipient_kind == "person":
            pref = prefs[q.recipient_id]
            # Standard 4: a circular (the same letter to several people) carries Welsh for everyone.
            english = "bilingual" if q.code in CIRCULARS else "en"
            assert q.language == ("cy" if pref == "cy" else english if pref == "en" else "bilingual")
        if q.language == "bilingual":
            assert "Tudalen 1 o" in text and "Page 1 of" in text
            assert text.index("Annwyl") < text.index("Dear")  # Welsh is read first
            assert text.index("Tudalen 1 o") < text.index("Page 1 of")
        elif q.language == "cy":
            assert "Tudalen 1 o" in text and "Annwyl" in text
            assert "Page 1 of" not in text and "Dear " not in text
        else:
            assert "Page 1 of" in text and "Tudalen" not in text
    assert {q.language for q in waiting} >= {"cy", "bilingual"}
    assert {q.id for q in service.queue()} == {q.id for q in held}
    assert service.queued_count() == 0


def test_welsh_preference_gets_welsh_only_and_unknown_gets_bilingual(demo_session) -> None:
    s = demo_session("team_manager")
    service = LetterService(s)
    case = s.store.rows("SELECT id FROM case_file WHERE case_type = 'child_protection' ORDER BY reference LIMIT 1")[0]
    persons = PersonService(s)
    address = {"line1": "1 Stryd Fawr", "town": "Aberteifi", "postcode": "SA43 1AA", "from_date": "2026-01-01"}
    ids = {}
    for pref in ("cy", "unknown", "en"):
        p = persons.create({"given_names": f"Test{pref}", "family_name": "Prawf", "correspondence_language": pref},
                           case_id=case["id"], case_role="parent")
        persons.add_address(p["id"], address)
        ids[pref] = p["id"]
    data = {"child_name": "Seren Tŵr", "child_dob": "2018-09-09", "coordinator_name": "Rhian Evans",
            "coordinator_phone": "01267 234567", "next_review_date": "2026-11-25", "plan_date": "2026-08-21",
            "rationale": "Cynllun / Plan", "audience": "family"}
    letters = s.write(lambda tx: {pref: queue_letter(tx, case_id=case["id"], template_id="N19", recipient_kind="person",
                                                     recipient_id=pid, data=data) for pref, pid in ids.items()})
    welsh = _squash(_text(service.preview(letters["cy"]["id"])))
    assert "Annwyl Testcy Prawf" in welsh and "Tudalen 1 o" in welsh and "Dear" not in welsh
    both = _squash(_text(service.preview(letters["unknown"]["id"])))
    assert both.index("Annwyl") < both.index("Dear") and "Tudalen 1 o" in both
    english = _squash(_text(service.preview(letters["en"]["id"])))
    assert "Dear Testen Prawf" in english and "Annwyl" not in english
    # A circular (Standard 4): an English preference still gets the Welsh version at the same time.
    circular = s.write(lambda tx: queue_letter(tx, case_id=case["id"], template_id="N19", recipient_kind="person",
                                               recipient_id=ids["en"], data={**data, "circular": True}))
    text = _squash(_text(service.preview(circular["id"])))
    assert text.index("Annwyl") < text.index("Dear")


def test_missing_address_holds_the_letter_until_one_is_recorded(demo_session) -> None:
    s = demo_session("team_manager")
    service = LetterService(s)
    case = s.store.rows("SELECT id FROM case_file WHERE case_type = 'child_protection' ORDER BY reference LIMIT 1")[0]
    persons = PersonService(s)
    p = persons.create({"given_names": "Heb", "family_name": "Gyfeiriad", "correspondence_language": "cy"},
                       case_id=case["id"], case_role="parent")
    data = {"child_name": "Seren Tŵr", "child_dob": "2018-09-09", "coordinator_name": "Rhian Evans",
            "coordinator_phone": "01267 234567", "next_review_date": "", "plan_date": "2026-08-21",
            "rationale": "Plan", "audience": "family"}
    letter = s.write(lambda tx: queue_letter(tx, case_id=case["id"], template_id="N19", recipient_kind="person",
                                             recipient_id=p["id"], data=data))
    assert letter["status"] == "held"
    held = {q.id: q for q in service.queue()}[letter["id"]]
    assert held.status == "held" and held.held_reason == "no_address"
    assert "address" in held.held_text("en")
    with pytest.raises(MissingAddressError):
        service.preview(letter["id"])
    result = service.print_letters([letter["id"]])
    assert result.held == {letter["id"]: "no_address"} and not result.printed

    persons.add_address(p["id"], {"line1": "2 Heol y Bont", "town": "Caerfyrddin", "postcode": "SA31 2BB",
                                  "from_date": "2026-11-01"})
    released = {q.id: q for q in service.queue()}[letter["id"]]
    assert released.status == "queued" and released.held_reason is None
    text = _squash(_text(service.preview(letter["id"])))
    assert "2 Heol y Bont" in text and "Annwyl Heb Gyfeiriad" in text
    assert service.print_letters([letter["id"]]).printed == [letter["id"]]


def test_printing_stores_the_pdf_who_printed_it_and_an_audit_entry(demo_session) -> None:
    s = demo_session("team_manager")
    service = LetterService(s)
    first = service.queue()[0]
    pdf = service.preview(first.id)
    after = service.mark_printed(first.id, pdf)
    assert after.status == "printed" and after.printed_by == s.user.id and after.printed_at
    assert after.printed_by_name == s.user.name
    row = s.store.rows("SELECT pdf, status, printed_by FROM letter WHERE id = ?", [first.id])[0]
    assert base64.b64decode(row["pdf"]) == pdf and pdf.startswith(b"%PDF")
    assert service.pdf(first.id) == pdf
    audit = s.store.rows("SELECT actor, after FROM audit WHERE action = 'letter_printed' AND entity_id = ?", [first.id])
    assert len(audit) == 1 and audit[0]["actor"] == s.user.id
    after_json = json.loads(audit[0]["after"])
    assert after_json["bytes"] == len(pdf) and after_json["status"] == "printed"
    assert after_json["printed_by"] == s.user.id and len(after_json["sha256"]) == 64
    # The PDF travels in the row and the sync outbox, not in the hash-chained audit.
    sizes = s.store.rows("SELECT max(length(after)) AS n FROM audit WHERE entity_id = ?", [first.id])[0]["n"]
    assert sizes < 2000
    outbox = s.store.rows("SELECT fields FROM outbox WHERE entity_id = ? AND kind = 'update'", [first.id])
    assert any(json.loads(o["fields"]).get("pdf") == row["pdf"] for o in outbox)
    history = service.history(first.case_id)
    printed = [h for h in history if h.id == first.id]
    assert printed and printed[0].status == "printed" and printed[0].has_pdf
    assert first.id not in {q.id for q in service.queue()}
    with pytest.raises(Exception, match="already been printed"):
        service.mark_printed(first.id, pdf)


def test_admin_staff_can_and_social_workers_cannot(demo_session) -> None:
    sw = demo_session("social_worker")
    with pytest.raises(PermissionDenied):
        LetterService(sw).queue()
    some = sw.store.rows("SELECT id FROM letter LIMIT 1")[0]["id"]
    with pytest.raises(PermissionDenied):
        LetterService(sw).mark_printed(some, b"%PDF-1.4")
    with pytest.raises(PermissionDenied):
        LetterService(sw).print_letters([some])
    with pytest.raises(PermissionDenied):
        LetterService(sw).queued_count()

    admin = demo_session("admin_staff")
    # Business support sits with the team whose letters it prints (scope: the team's cases).
    cp_team = admin.store.rows("SELECT team_id FROM case_file WHERE case_type = 'child_protection' LIMIT 1")[0]["team_id"]
    admin.write(lambda tx: tx.update("practitioner", admin.user.id, {"team_id": cp_team}))
    from desktop.services.session import Session
    from tests.conftest import demo_clock
    from tests.letters.conftest import DEMO_PASSWORD

    folder = admin.profile.folder
    admin.close()
    admin = Session.sign_in(folder, DEMO_PASSWORD, backup=False, clock=demo_clock())
    try:
        service = LetterService(admin)
        waiting = service.queue()
        assert waiting
        result = service.print_letters([waiting[0].id])
        assert result.printed == [waiting[0].id]
        assert service.get(waiting[0].id).printed_by == admin.user.id
    finally:
        admin.close()


def test_template_mapping_covers_every_code_casework_queues() -> None:
    assert resolve_template("N1", "agency", {"audience": "agency"}) == "n1_coordinator_change_agency"
    assert resolve_template("N1", "person", {"audience": "family"}) == "n1_coordinator_change_family"
    assert resolve_template("N1", "person", {}) == "n1_coordinator_change_family"
    assert resolve_template("N2", "person", {"audience": "adult", "template_file": "n2_lead_practitioner_change_adult"}) \
        == "n2_lead_practitioner_change_adult"
    assert resolve_template("N2", "agency", {"audience": "agency"}) == "n2_lead_practitioner_change_agency"
    for code, tid in {"N3": "n3_escalation_no_coordinator", "N4": "n4_escalation_no_lead_practitioner",
                      "N5": "n5_register_custodian", "N6": "n6_core_group_update",
                      "N8": "n8_icpc_invitation_agency", "N9": "n9_outline_plan", "N11": "n11_review_invitation", "N12": "n12_deregistration",
                      "N16": "n16_outcome_report_adult"}.items():
        assert resolve_template(code, "agency", {}) == tid
    assert resolve_template("N19", "person", {"audience": "family"}) == "n19_plan_family"
    assert resolve_template("n8_icpc_invitation", "person", {}) == "n8_icpc_invitation"
    # Issue 18: the parents' invitation is not sent to agencies.
    assert resolve_template("N8", "person", {"audience": "family"}) == "n8_icpc_invitation"
    assert resolve_template("N8", "agency", {"audience": "agency"}) == "n8_icpc_invitation_agency"
    assert resolve_template("N17", "agency", {"audience": "agency", "template_file": "n17_closure_agency"}) \
        == "n17_closure_agency"
    assert resolve_template("N17", "person", {"audience": "adult"}) == "n17_closure_adult"
    assert resolve_template("N99", "person", {}) is None  # held as "no_template"


def test_council_identity_from_the_profile_folder(tmp_path: Path) -> None:
    assert load_council(tmp_path).name_en == "Example County Council"
    raw = json.loads((Path(__file__).resolve().parents[2] / "reports" / "council.example.json").read_text("utf-8"))
    raw["name"] = {"cy": "Cyngor Prawf", "en": "Test Council"}
    (tmp_path / "council.json").write_text(json.dumps(raw), "utf-8")
    assert load_council(tmp_path).name_cy == "Cyngor Prawf"


def test_an_invitation_to_a_conference_already_past_is_held_until_released_or_cancelled(demo_session) -> None:
    """An invitation is ready to print until the day of the conference has passed (the clock's today);
    then it is held with the reason in words, in both languages; a person may release it (it prints,
    and stays released) or cancel it (off the queue, still in the case's correspondence)."""
    from datetime import timedelta

    from desktop.errors import ValidationError
    from desktop.i18n import format_date

    s = demo_session("team_manager")
    service = LetterService(s)
    case = s.store.rows("SELECT id FROM case_file WHERE case_type = 'child_protection' ORDER BY reference LIMIT 1")[0]
    persons = PersonService(s)
    parent = persons.create({"given_names": "Mared", "family_name": "Prawf", "correspondence_language": "en"},
                            case_id=case["id"], case_role="parent")
    persons.add_address(parent["id"], {"line1": "1 Stryd Fawr", "town": "Aberteifi", "postcode": "SA43 1AA",
                                       "from_date": "2026-01-01"})
    today = s.today()

    def invite(on: str) -> str:
        data = {"child_name": "Seren Tŵr", "child_dob": "2018-09-09", "conference_date": on,
                "conference_time": "10:00", "venue": "Neuadd y Sir", "chair_name": "Alun Rees",
                "coordinator_name": "Rhian Evans", "coordinator_phone": "01267 234567", "audience": "family"}
        return s.write(lambda tx: queue_letter(tx, case_id=case["id"], template_id="N8", recipient_kind="person",
                                               recipient_id=parent["id"], data=data))["id"]

    on_the_day, yesterday, past = (invite(str(today)), invite(str(today - timedelta(days=1))),
                                   invite(str(today - timedelta(days=90))))
    letters = {q.id: q for q in service.queue()}
    assert letters[on_the_day].status == "queued"  # the conference is today: still worth sending
    for lid, when in ((yesterday, today - timedelta(days=1)), (past, today - timedelta(days=90))):
        assert (letters[lid].status, letters[lid].held_reason) == ("held", f"event_passed:{when.isoformat()}")
        assert letters[lid].releasable
    shown = format_date(today - timedelta(days=90), lang="en")  # the app's one date form, not ISO
    assert letters[past].held_text("en") == f"The event it is about was on {shown}, which has passed"
    assert "which has passed" not in letters[past].held_text("cy") and letters[past].held_text("cy")
    assert service.print_letters([past]).held == {past: f"event_passed:{(today - timedelta(days=90)).isoformat()}"}

    released = service.release(past)
    assert released.status == "queued" and released.held_reason is None
    assert {q.id: q for q in service.queue()}[past].status == "queued"  # a re-check does not hold it again
    assert "Seren Tŵr" in _text(service.preview(past))
    with pytest.raises(ValidationError):
        service.release(on_the_day)  # not held: nothing to release

    cancelled = service.cancel(yesterday)
    assert cancelled.status == "cancelled"
    assert yesterday not in {q.id for q in service.queue()}
    assert {q.id: q.status for q in service.history(case["id"])}[yesterday] == "cancelled"
    assert service.cancel(yesterday).status == "cancelled"  # again: nothing changes
    audit = s.store.rows("SELECT action FROM audit WHERE entity_id = ?", [yesterday])
    assert audit  # the cancelling is in the audit trail


def test_a_letter_held_for_what_it_lacks_cannot_be_released(demo_session) -> None:
    from desktop.errors import ValidationError

    s = demo_session("team_manager")
    service = LetterService(s)
    case = s.store.rows("SELECT id FROM case_file WHERE case_type = 'child_protection' ORDER BY reference LIMIT 1")[0]
    p = PersonService(s).create({"given_names": "Heb", "family_name": "Gyfeiriad", "correspondence_language": "cy"},
                                case_id=case["id"], case_role="parent")
    letter = s.write(lambda tx: queue_letter(tx, case_id=case["id"], template_id="N19", recipient_kind="person",
                                             recipient_id=p["id"], data={"child_name": "Seren Tŵr"}))
    assert not service.get(letter["id"]).releasable
    with pytest.raises(ValidationError):
        service.release(letter["id"])
    assert service.get(letter["id"]).status == "held"


def test_join_names_in_welsh_and_english() -> None:
    from desktop.services.letter_children import join_names, per_child

    assert join_names(["Dafydd"], "cy") == "Dafydd"
    assert join_names(["Dafydd", "Seren"], "cy") == "Dafydd a Seren"
    assert join_names(["Dafydd", "Seren", "Osian"], "cy") == "Dafydd, Seren ac Osian"  # "ac" before a vowel
    assert join_names(["Seren", "Ŵyn"], "cy") == "Seren ac Ŵyn"
    assert join_names(["Dafydd", "Seren", "Osian"], "en") == "Dafydd, Seren and Osian"
    assert per_child([("Dafydd", "2026-12-01"), ("Seren", "2026-12-01")]) == "2026-12-01"  # the same: once
    assert per_child([("Dafydd", "2026-12-01"), ("Seren", "2027-01-05")]) == {
        "cy": "Dafydd: 1 Rhagfyr 2026; Seren: 5 Ionawr 2027", "en": "Dafydd: 1 December 2026; Seren: 5 January 2027"}


def test_a_parent_gets_one_letter_per_conference_naming_every_child(demo_session) -> None:
    """The demo's conference about two children: each recipient has one invitation, one outline plan
    (N9) and one plan letter (N19) for it, and each letter, read back, names both children in its
    language ("a"/"and")."""
    from collections import Counter

    s = demo_session("team_manager")
    service = LetterService(s)
    service.recheck()
    rows = s.store.rows("SELECT id, template_id, recipient_id, source_event, language, data FROM letter"
                        " WHERE source_event LIKE 'cp_conference:%'")
    per_event = Counter((r["template_id"], r["recipient_id"], r["source_event"]) for r in rows)
    assert per_event and max(per_event.values()) == 1, [k for k, n in per_event.items() if n > 1]
    # Household changes (N5/N6) and access denied (N13) too: one letter per recipient per change or visit.
    others = s.store.rows("SELECT template_id, recipient_id, source_event, created_at FROM letter"
                          " WHERE template_id IN ('N5', 'N6', 'N13')")
    assert others and max(Counter(tuple(r.values()) for r in others).values()) == 1
    several = [r for r in rows if isinstance(json.loads(r["data"])["child_name"], dict)]
    assert {r["template_id"] for r in several} >= {"N8", "N9", "N19"}
    for code in ("N8", "N9", "N19"):
        row = next(r for r in several if r["template_id"] == code)
        names = json.loads(row["data"])["child_name"]
        assert " a " in names["cy"] or " ac " in names["cy"]
        if code == "N8":
            service.release(row["id"])  # the conference has been held: print it anyway to read it
        text = _squash(_text(service.preview(row["id"])))
        if row["language"] in ("cy", "bilingual"):
            assert names["cy"] in text
        if row["language"] in ("en", "bilingual"):
            assert names["en"] in text


def test_a_removal_notice_for_two_children_reads_right_for_both(demo_session) -> None:
    """N12 naming two children: both names in each language, and the print queue's own next steps worded
    for one child or several (never "the child's name" beside two names)."""
    s = demo_session("team_manager")
    service = LetterService(s)
    case = s.store.rows("SELECT id FROM case_file WHERE case_type = 'child_protection' ORDER BY reference LIMIT 1")[0]
    agency = s.store.rows("SELECT id FROM agency WHERE address IS NOT NULL ORDER BY name LIMIT 1")[0]["id"]
    data = {"child_name": {"cy": "Elis Jones a Mali Jones", "en": "Elis Jones and Mali Jones"},
            "conference_date": "2026-11-20", "coordinator_name": "Rhian Evans",
            "reasons": "Elis Jones: safe now.\n\nMali Jones: safe now.", "audience": "agency"}
    letter = s.write(lambda tx: queue_letter(tx, case_id=case["id"], template_id="N12", recipient_kind="agency",
                                             recipient_id=agency, data=data))
    text = _squash(_text(service.preview(letter["id"])))
    assert "Elis Jones and Mali Jones" in text and "Elis Jones a Mali Jones" in text  # an agency: bilingual
    assert "none of the names in this letter is on the child protection register any more" in text
    assert "the child's name" not in text
