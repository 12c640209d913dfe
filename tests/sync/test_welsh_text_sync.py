"""Needs Welsh text across laptops: the Welsh written on one laptop (here a visit's observations, added
from the print queue as an amendment of the visit) reaches the server and releases the letter held for
it on the laptop that queued it. The ``_cy`` columns travel like every column (the server's row spec is
derived from the laptop's migrations)."""

from __future__ import annotations

from typing import Any

from desktop.services.correspondence import queue_letter
from desktop.services.letters import LetterBuilder, load_council
from desktop.services.welsh_text import WelshTextService, source
from tests.sync.helpers import make_case


def _prepared(laptop: Any, letter_id: str) -> Any:
    row = laptop.store.rows("SELECT l.*, c.reference AS case_reference FROM letter l LEFT JOIN case_file c"
                            " ON c.id = l.case_id WHERE l.id = ?", [letter_id])[0]
    return LetterBuilder(lambda q, p: laptop.store.rows(q, p), load_council(None), laptop.session.today()).prepare(row)


def test_the_welsh_added_on_one_laptop_releases_the_letter_on_another(srv, laptops) -> None:
    w, m = laptops("wendy"), laptops("mari")
    case, child = make_case(w)

    def record(tx: Any) -> tuple[str, str]:
        parent = tx.insert("person", {"family_name": "Jones", "given_names": "Nia", "correspondence_language": "cy"})
        tx.insert("case_member", {"person_id": parent["id"], "role": "parent"}, case_id=case)
        tx.insert("address", {"person_id": parent["id"], "line1": "2 Stryd y Bont", "town": "Llanelli",
                              "postcode": "SA15 1AA"})
        visit = tx.insert("cp_visit", {"visited_on": "2026-11-20", "visitor_id": w.uid, "location": "home",
                                       "access_denied": 1, "observations": "Nobody answered the door."},
                          case_id=case)
        tx.insert("cp_visit_child", {"visit_id": visit["id"], "person_id": child, "seen": 0, "seen_alone": 0,
                                     "seen_at_home": 0, "bedroom_seen": 0, "visited_on": "2026-11-20"}, case_id=case)
        letter = queue_letter(tx, case_id=case, template_id="N13", recipient_kind="person",
                              recipient_id=parent["id"], data={
                                  "child_name": "Dylan Jones", "child_dob": "2018-09-09", "visit_date": "2026-11-20",
                                  "visitor_name": "Wendy", "what_happened": "Nobody answered the door.",
                                  "coordinator_name": "Wendy", "coordinator_phone": "01267 234567",
                                  "welsh_sources": {"what_happened": [source("cp_visit", visit["id"],
                                                                             "observations")]}})
        return visit["id"], letter["id"]

    visit_id, letter_id = w.write(record)
    assert _prepared(w, letter_id).held == "needs_welsh:visit_observations"
    assert w.sync().verified and m.sync().verified
    assert _prepared(m, letter_id).held == "needs_welsh:visit_observations"

    (needed,) = WelshTextService(m.session).needed(letter_id)
    WelshTextService(m.session).add(letter_id, {needed.key: "Ni atebodd neb y drws."})
    assert m.sync().verified and w.sync().verified
    amendment = w.store.rows("SELECT id, observations_cy FROM cp_visit WHERE amends_id = ?", [visit_id])
    assert [r["observations_cy"] for r in amendment] == ["Ni atebodd neb y drws."]
    kids = w.store.rows("SELECT person_id, seen FROM cp_visit_child WHERE visit_id = ?", [amendment[0]["id"]])
    assert [(k["person_id"], k["seen"]) for k in kids] == [(child, 0)]  # the visit's facts came with it
    prep = _prepared(w, letter_id)
    assert prep.held is None and prep.job is not None
    assert prep.job.data.fields["what_happened"].cy == "Ni atebodd neb y drws."


def test_the_welsh_of_an_adult_closure_added_on_one_laptop_releases_its_letter_on_another(srv, laptops) -> None:
    """An adult closure never changes once recorded, so its reasons' Welsh, added on mari's laptop from the
    print queue, travels as a Welsh addition (m0027): wendy's laptop prints the closure letter in Welsh,
    and the closure row is still the one wendy recorded."""
    w, m = laptops("wendy"), laptops("mari")
    case, adult = make_case(w)

    def record(tx: Any) -> tuple[str, str]:
        tx.update("person", adult, {"correspondence_language": "cy"})
        tx.insert("address", {"person_id": adult, "line1": "4 Heol y Castell", "town": "Cydweli",
                              "postcode": "SA17 4AA"})
        closure = tx.insert("adult_closure", {"person_id": adult, "closed_on": "2026-11-20", "closed_by": w.uid,
                                              "decided_with": "lead_coordinator",
                                              "reasons": "She manages her own money safely now.",
                                              "agencies_notified": "[]"}, case_id=case)
        letter = queue_letter(tx, case_id=case, template_id="N17", recipient_kind="person", recipient_id=adult,
                              data={"closed_on": "2026-11-20", "reasons": "She manages her own money safely now.",
                                    "lead_coordinator": "Wendy", "lead_coordinator_phone": "01267 234567",
                                    "audience": "adult", "template_file": "n17_closure_adult",
                                    "welsh_sources": {"reasons": [source("adult_closure", closure["id"], "reasons")]}})
        return closure["id"], letter["id"]

    closure_id, letter_id = w.write(record)
    recorded = w.row("adult_closure", closure_id)
    assert _prepared(w, letter_id).held == "needs_welsh:closure_reasons"
    assert w.sync().verified and m.sync().verified
    (needed,) = WelshTextService(m.session).needed(letter_id)
    WelshTextService(m.session).add(letter_id, {needed.key: "Mae hi'n rheoli ei harian ei hun yn ddiogel bellach."})
    assert m.sync().verified and w.sync().verified
    prep = _prepared(w, letter_id)
    assert prep.held is None and prep.job is not None
    assert prep.job.data.fields["reasons"].cy == "Mae hi'n rheoli ei harian ei hun yn ddiogel bellach."
    after = w.row("adult_closure", closure_id)
    assert {k: v for k, v in after.items() if k != "version"} == {k: v for k, v in recorded.items() if k != "version"}
    assert srv.sql("SELECT count(*) AS n FROM rows WHERE entity = 'welsh_addition'")[0]["n"] == 1


def test_the_welsh_of_an_adults_plan_added_on_one_laptop_releases_the_plan_letter_on_another(srv, laptops) -> None:
    """The adult's plan letter (N19) quotes the plan's summary, outcomes and actions (m0030): their Welsh,
    added on mari's laptop from the print queue, travels in the plan's own rows, and wendy's laptop prints it."""
    w, m = laptops("wendy"), laptops("mari")
    case, adult = make_case(w)

    def record(tx: Any) -> str:
        tx.update("person", adult, {"correspondence_language": "cy"})
        tx.insert("address", {"person_id": adult, "line1": "4 Heol y Castell", "town": "Cydweli",
                              "postcode": "SA17 4AA"})
        plan = tx.insert("adult_plan", {"person_id": adult, "started_on": "2026-11-20",
                                        "summary": "Her son takes her pension."}, case_id=case)
        tx.insert("adult_plan_outcome", {"plan_id": plan["id"], "description": "She keeps her own money.",
                                         "measure": "Bank statements"}, case_id=case)
        tx.insert("adult_plan_action", {"plan_id": plan["id"], "description": "Visit every morning.",
                                        "owner_kind": "agency", "owner_name": "Gofal Cartref"}, case_id=case)
        return queue_letter(tx, case_id=case, template_id="N19", recipient_kind="person", recipient_id=adult,
                            data={"plan_date": "2026-11-20", "rationale": "Her son takes her pension.",
                                  "lead_practitioner": "Wendy", "lead_practitioner_phone": "01267 234567",
                                  "review_date": "2026-12-31", "audience": "adult",
                                  "welsh_sources": {"rationale": [source("adult_plan", plan["id"], "summary")]}})["id"]

    letter_id = w.write(record)
    assert _prepared(w, letter_id).held == "needs_welsh:outcomes,plan_actions,plan_summary"
    assert w.sync().verified and m.sync().verified
    welsh = {"Her son takes her pension.": "Mae ei mab yn cymryd ei phensiwn.",
             "She keeps her own money.": "Mae hi'n cadw ei harian ei hun.",
             "Visit every morning.": "Ymweld bob bore."}
    service = WelshTextService(m.session)
    service.add(letter_id, {f.key: welsh[f.english] for f in service.needed(letter_id)})
    assert m.sync().verified and w.sync().verified
    prep = _prepared(w, letter_id)
    assert prep.held is None and prep.job is not None
    fields = prep.job.data.fields
    assert fields["rationale"].cy == "Mae ei mab yn cymryd ei phensiwn."
    assert [o.cy for o in fields["outcomes"]] == ["Mae hi'n cadw ei harian ei hun."]
    assert "Ymweld bob bore." in fields["support"][0].cy
