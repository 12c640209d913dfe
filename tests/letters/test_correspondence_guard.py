"""The correspondence guard against real encrypted demo profiles: every letter template, in Welsh and in
English, to a recipient flagged as posing a risk to the child, and carrying a confidential address, is
held and never produced (the PDFs that do come out are read back and searched); a manager's recorded
release lets one go until the flags change; N2 to the family waits for the adult's consent."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.errors import PermissionDenied, ValidationError
from desktop.services.adults import LeadPractitionerService
from desktop.services.chronology import ChronologyService
from desktop.services.conference_reports import ConferenceReportService
from desktop.services.correspondence import queue_letter
from desktop.services.demo import build_demo
from desktop.services.exchange import export_profile, import_into_new_profile
from desktop.services.letters import LetterBuilder, LetterService, Prepared, load_council, resolve_template
from desktop.services.notes import NoteService
from desktop.services.persons import PersonService
from desktop.services.safety_flags import SafetyFlagService
from desktop.services.session import Session
from reports import LetterError, render_letters
from reports.templates import load_template, template_ids
from tests.conftest import demo_clock, fast_kdf
from tests.letters.conftest import DEMO_PASSWORD

REFUGE = {"line1": "Fflat 3, 17 Heol y Lloches", "town": "Caerfyrddin", "postcode": "SA31 9ZZ",
          "from_date": "2026-01-01"}
HOME = {"line1": "2 Stryd y Bont", "town": "Llanelli", "postcode": "SA15 1AA", "from_date": "2020-01-01"}
TEMPLATES = list(template_ids())


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _leaked(text: str) -> bool:
    flat = text.casefold().replace(",", " ")
    return "heol y lloches" in " ".join(flat.split()) or "SA319ZZ" in "".join(text.upper().split())


def _data(template_id: str, marker: str) -> dict[str, Any]:
    t = load_template(template_id)
    data: dict[str, Any] = {}
    for name in sorted(t.data_fields):
        data[name] = [marker] if name in t.list_fields else marker
    return data


@pytest.fixture
def world(demo_session) -> dict[str, Any]:
    s = demo_session("team_manager")
    case = s.store.rows("SELECT c.id, m.person_id FROM case_file c JOIN case_member m ON m.case_id = c.id"
                        " AND m.role = 'subject' AND m.deleted = 0 WHERE c.case_type = 'child_protection'"
                        " ORDER BY c.reference LIMIT 1")[0]
    persons = PersonService(s)
    people = {}
    for name, pref in (("Bleddyn", "cy"), ("Brian", "en")):
        p = persons.create({"given_names": name, "family_name": "Prawf", "correspondence_language": pref},
                           case_id=case["id"], case_role="parent")
        persons.add_address(p["id"], HOME)
        people[pref] = p["id"]
    mother = persons.create({"given_names": "Mererid", "family_name": "Prawf", "correspondence_language": "cy"},
                            case_id=case["id"], case_role="parent")
    persons.add_address(mother["id"], REFUGE)
    return {"s": s, "case": case["id"], "child": case["person_id"], "people": people, "mother": mother["id"]}


def _queue(s: Any, case_id: str, template_id: str, recipient: str, data: dict[str, Any]) -> str:
    row = s.write(lambda tx: queue_letter(tx, case_id=case_id, template_id=template_id, recipient_kind="person",
                                          recipient_id=recipient, data=data))
    return str(row["id"])


def test_without_flags_every_template_prints_the_address_it_is_given(world: dict[str, Any]) -> None:
    """The control: with nothing flagged, the refuge's address written into a letter is printed (so the
    search below would find a leak), and the mother's own letter carries it in the address block."""
    s, service = world["s"], LetterService(world["s"])
    for tid in TEMPLATES:
        lid = _queue(s, world["case"], tid, world["people"]["en"], _data(tid, "Heol y Lloches SA31 9ZZ"))
        assert _leaked(_text(service.preview(lid))), tid
    own = _queue(s, world["case"], "n19_plan_family", world["mother"], _data("n19_plan_family", "Cynllun"))
    assert _leaked(_text(service.preview(own)))


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_no_letter_goes_to_a_person_who_poses_a_risk_to_the_child(world: dict[str, Any], tmp_path: Path,
                                                                  lang: str) -> None:
    s, service = world["s"], LetterService(world["s"])
    father = world["people"][lang]
    SafetyFlagService(s).set_flag(father, "risk_to", "Alleged to have harmed the child",
                                  related_person_id=world["child"])
    ids = {tid: _queue(s, world["case"], tid, father, _data(tid, "Manylion")) for tid in TEMPLATES}
    waiting = {q.id: q for q in service.queue()}
    for tid, lid in ids.items():
        assert waiting[lid].status == "held" and waiting[lid].held_reason == "risk_to_subject", tid
        assert "risk" in waiting[lid].held_text("en") and waiting[lid].held_text("cy") != waiting[lid].held_text("en")
        with pytest.raises(LetterError):
            service.preview(lid)
    result = service.print_letters(list(ids.values()), out_dir=tmp_path / "out", workers=0)
    assert not result.printed and set(result.held.values()) == {"risk_to_subject"}
    assert not list((tmp_path / "out").iterdir())
    assert not s.store.rows("SELECT 1 FROM letter WHERE id IN ({}) AND (pdf IS NOT NULL OR status = 'printed')"
                            .format(",".join("?" * len(ids))), list(ids.values()))


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_a_confidential_address_never_appears_in_any_letter(world: dict[str, Any], tmp_path: Path,
                                                            lang: str) -> None:
    s, service = world["s"], LetterService(world["s"])
    SafetyFlagService(s).set_flag(world["mother"], "address_confidential", "Refuge: fled domestic abuse")
    reader = world["people"][lang]
    body = {tid: _queue(s, world["case"], tid, reader, _data(tid, "Mae hi yn Fflat 3, 17 Heol y Lloches"))
            for tid in TEMPLATES}
    postcode = {tid: _queue(s, world["case"], tid, reader, _data(tid, "cod post sa319zz")) for tid in TEMPLATES}
    clean = {tid: _queue(s, world["case"], tid, reader, _data(tid, "Dim cyfeiriad")) for tid in TEMPLATES}
    own = _queue(s, world["case"], "n19_plan_family", world["mother"], _data("n19_plan_family", "Cynllun"))
    waiting = {q.id: q for q in service.queue()}
    for lid in [*body.values(), *postcode.values(), own]:
        assert (waiting[lid].status, waiting[lid].held_reason) == ("held", "confidential_address")
    result = service.print_letters([*body.values(), *postcode.values(), own, *clean.values()],
                                   out_dir=tmp_path / "out", workers=0)
    assert sorted(result.printed) == sorted(clean.values())
    files = list((tmp_path / "out").iterdir())
    assert len(files) == len(TEMPLATES)
    for f in files:
        text = _text(f.read_bytes())
        assert "Dim cyfeiriad" in text and not _leaked(text), f.name


def test_a_manager_releases_a_held_letter_with_a_reason_until_the_flags_change(world: dict[str, Any]) -> None:
    s, service, flags = world["s"], LetterService(world["s"]), SafetyFlagService(world["s"])
    father = world["people"]["en"]
    flag = flags.set_flag(father, "risk_to", "Alleged to have harmed the child", related_person_id=world["child"])
    lid = _queue(s, world["case"], "n19_plan_family", father, _data("n19_plan_family", "Cynllun"))
    assert service.get(lid).status == "queued"
    service.queue()
    assert service.get(lid).held_reason == "risk_to_subject"
    with pytest.raises(ValidationError):
        service.release_guarded(lid, "   ")
    released = service.release_guarded(lid, "Court ordered that he is told of the plan")
    assert (released.status, released.held_reason) == ("queued", None)
    audit = s.store.rows("SELECT after FROM audit WHERE entity = 'letter_release'")
    assert audit and "Court ordered" in audit[-1]["after"]
    assert s.store.rows("SELECT 1 FROM outbox WHERE entity = 'letter_release'")
    service.queue()
    assert service.get(lid).status == "queued"  # it stays released
    assert "Cynllun" in _text(service.preview(lid))
    flags.set_flag(father, "do_not_contact", "He has threatened staff")
    service.queue()
    assert service.get(lid).held_reason == "do_not_contact"
    flags.clear(flags.flags(father)[-1].id, "Threat withdrawn; police advice")
    service.queue()
    # The flags changed since the release (one set and cleared), so it is held again for the risk.
    assert service.get(lid).held_reason == "risk_to_subject"
    assert flag.id in {f.id for f in flags.flags(father)}


def test_only_a_manager_releases_and_only_a_guarded_letter(demo_session, world: dict[str, Any]) -> None:
    s, service = world["s"], LetterService(world["s"])
    lid = _queue(s, world["case"], "n19_plan_family", world["people"]["cy"], _data("n19_plan_family", "Cynllun"))
    with pytest.raises(ValidationError):
        service.release_guarded(lid, "No reason to hold it")
    admin = demo_session("admin_staff")
    with pytest.raises(PermissionDenied):
        LetterService(admin).release_guarded(lid, "Because")
    with pytest.raises(PermissionDenied):
        SafetyFlagService(admin).set_flag(world["people"]["cy"], "do_not_contact", "Because")


@pytest.fixture
def senior(tmp_path: Path) -> Iterator[Session]:
    """A senior manager's demo of their own (each test changes what it holds)."""
    folder = tmp_path / "senior"
    build_demo(folder, DEMO_PASSWORD, role="senior_manager", kdf=fast_kdf(), clock=demo_clock()).store.close()
    s = Session.sign_in(folder, DEMO_PASSWORD, backup=False, clock=demo_clock())
    yield s
    s.close()


def test_n2_to_the_family_waits_for_the_adults_consent(senior: Session) -> None:
    """The change of lead practitioner (N2), queued by the real service: the family's letter is held while
    the adult's latest report records no consent, and goes (in the relative's language) once it does."""
    s = senior
    case = s.store.rows(
        "SELECT c.id FROM case_file c WHERE c.case_type = 'adult_at_risk' AND EXISTS (SELECT 1 FROM role_assignment r"
        " WHERE r.case_id = c.id AND r.role = 'lead_practitioner' AND r.deleted = 0) ORDER BY c.reference")[0]["id"]
    report = s.store.rows("SELECT id FROM adult_report WHERE case_id = ? AND deleted = 0"
                          " ORDER BY received_on DESC, created_at DESC LIMIT 1", [case])[0]["id"]
    s.write(lambda tx: tx.update("adult_report", report, {"consent_given": 0, "no_consent_reason": "Refused"}))
    new = s.store.rows("SELECT id FROM practitioner WHERE app_role = 'social_worker' ORDER BY family_name")[0]["id"]
    today = s.today().isoformat()
    out = LeadPractitionerService(s).change(case, new_id=new, effective_on=today, verbal_to=["the adult"],
                                            verbal_on=today)
    held = {}
    for letter in out["letters"]:
        prep = _builder_prepare(s, letter["id"])
        held[resolve_template("N2", letter["recipient_kind"], json.loads(letter["data"]))] = prep.held
    assert held["n2_lead_practitioner_change_family"] == "no_consent"
    assert held["n2_lead_practitioner_change_adult"] is None and held["n2_lead_practitioner_change_agency"] is None
    s.write(lambda tx: tx.update("adult_report", report, {"consent_given": 1, "no_consent_reason": None}))
    family = [x for x in out["letters"] if json.loads(x["data"]).get("audience") == "family"]
    for letter in family:
        prep = _builder_prepare(s, letter["id"])
        assert prep.held is None and prep.job is not None
        assert " ".join(letter["recipient_name"].split()) in _text(render_letters([prep.job], load_council(None)))


def _builder_prepare(s: Session, letter_id: str) -> Prepared:
    row = s.store.rows("SELECT l.*, c.reference AS case_reference FROM letter l LEFT JOIN case_file c"
                       " ON c.id = l.case_id WHERE l.id = ?", [letter_id])[0]
    return LetterBuilder(lambda q, p: s.store.rows(q, p), load_council(None), s.today()).prepare(row)


def _refuge_on(s: Session, case_id: str) -> str:
    """A parent on the case living at the refuge (not yet flagged)."""
    persons = PersonService(s)
    mother = persons.create({"given_names": "Mererid", "family_name": "Lloches"}, case_id=case_id, case_role="parent")
    persons.add_address(mother["id"], REFUGE)
    return str(mother["id"])


def test_conference_reports_and_the_chronology_never_print_a_confidential_address(senior: Session) -> None:
    """The child and adult conference reports (Welsh then English) and the chronology PDF (both languages),
    with the refuge's address written into their free text: printed while nobody is flagged, withheld once
    the address is confidential."""
    s = senior
    said = "Mae'r fam wedi symud i Fflat 3, 17 Heol y Lloches, Caerfyrddin SA31 9ZZ."
    child_conf = s.store.rows("SELECT id, case_id FROM cp_conference WHERE status = 'held' ORDER BY held_on")[0]
    adult_conf = s.store.rows("SELECT id, case_id FROM adult_conference ORDER BY created_at")[0]
    s.write(lambda tx: tx.update("cp_conference", child_conf["id"], {"report": said}))
    s.write(lambda tx: tx.update("adult_conference", adult_conf["id"], {"outcome_summary": said}))
    NoteService(s).record(child_conf["case_id"], kind="phone", occurred_on=s.today().isoformat(), body=said,
                          significant=True, category="household")
    mothers = [_refuge_on(s, child_conf["case_id"]), _refuge_on(s, adult_conf["case_id"])]
    reports, chronology = ConferenceReportService(s), ChronologyService(s)

    def documents() -> dict[str, str]:
        return {"child": _text(reports.render(child_conf["id"])), "adult": _text(reports.render(adult_conf["id"])),
                "chronology": _text(chronology.render(child_conf["case_id"], language="bilingual"))}

    before = documents()
    assert all(_leaked(text) for text in before.values()), before
    SafetyFlagService(s).set_flag(mothers[0], "address_confidential", "Refuge")
    after = documents()
    for name, text in after.items():
        assert not _leaked(text), name
        assert "Mae'r fam wedi symud i [cyfeiriad wedi'i atal / address withheld]" in text, name
    assert "Caerfyrddin" in after["child"]  # only the address went, not the rest of what was said


def test_flags_releases_and_the_address_history_survive_export_and_import(world: dict[str, Any],
                                                                          tmp_path: Path) -> None:
    """An export carries the flags, the release and the refuge's address history; the imported profile's
    print queue holds and releases exactly as the original did."""
    s, service, flags = world["s"], LetterService(world["s"]), SafetyFlagService(world["s"])
    father = world["people"]["en"]
    flags.set_flag(father, "risk_to", "Alleged harm", related_person_id=world["child"])
    flags.set_flag(world["mother"], "address_confidential", "Refuge")
    held = _queue(s, world["case"], "n19_plan_family", world["people"]["cy"], _data("n19_plan_family", "SA31 9ZZ"))
    released = _queue(s, world["case"], "n19_plan_family", father, _data("n19_plan_family", "Cynllun"))
    service.queue()
    service.release_guarded(released, "Court ordered")
    before = {q.id: (q.status, q.held_reason) for q in service.queue()}
    assert before[held] == ("held", "confidential_address") and before[released] == ("queued", None)
    data = json.loads(json.dumps(export_profile(s.store)))
    assert {r["kind"] for r in data["tables"]["person_flag"]} == {"risk_to", "address_confidential"}
    import_into_new_profile(tmp_path / "imported", data, DEMO_PASSWORD, kdf=fast_kdf())
    copy = Session.sign_in(tmp_path / "imported", DEMO_PASSWORD, backup=False, clock=demo_clock())
    try:
        after = {q.id: (q.status, q.held_reason) for q in LetterService(copy).queue()}
        assert after == before
        assert [a["line1"] for a in copy.store.rows("SELECT line1 FROM address WHERE person_id = ?",
                                                    [world["mother"]])] == [REFUGE["line1"]]
    finally:
        copy.close()
