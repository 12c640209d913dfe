"""The chronology on the real demo profile: every kind of significant event the system knows, oldest
first, per case and per child, filtered by kind and period, audited, casework only; and its PDF read
back in Welsh, English and both (Welsh first), marked OFFICIAL-SENSITIVE."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.errors import PermissionDenied, ValidationError
from desktop.services.chronology import TYPES, ChronologyService
from desktop.services.notes import NoteService
from tests.casework_records.conftest import audited


def _text(pdf: bytes) -> list[str]:
    """Each page's text, with the table's line breaks as spaces."""
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_tŵr_chronology_holds_every_kind_of_event_in_time_order(demo: Any) -> None:
    chronology = ChronologyService(demo.session("sw_rhian")).for_case(demo.cases["twr_cp"])
    kinds = {e.type for e in chronology.events}
    assert {"case", "worker", "report", "strategy", "enquiry", "conference", "register", "visit", "note"} <= kinds
    assert [e.key for e in chronology.events] == sorted(e.key for e in chronology.events)
    words = [e.what.text("en") for e in chronology.events]
    assert words[0] == "Case opened"
    assert "Initial child protection conference held" in words
    assert "Placed on the child protection register (Neglect)" in words
    assert "Injury or harm (Phone call)" in words  # the school's call the demo flagged
    assert "Visit: access to the children or the home was refused" in words
    note = next(e for e in chronology.events if e.type == "note")
    assert note.detail.startswith("Ffoniodd yr ysgol") and note.names == "Seren Tŵr" and note.at == "09:40"
    # Welsh words for the same events (a code's label translated too).
    assert "Rhoddwyd ar y gofrestr amddiffyn plant (Esgeulustod)" in [e.what.text("cy") for e in chronology.events]


def test_looked_after_and_adult_chronologies_have_their_own_events(demo: Any) -> None:
    senior = ChronologyService(demo.session("senior"))
    tyler = {e.what.text("en") for e in senior.for_case(demo.cases["tyler_lac"]).events}
    assert "Became looked after" in tyler and any(w.startswith("Placed: ") for w in tyler)
    assert any(w.startswith("Legal status: ") for w in tyler) and "Statutory visit" in tyler
    adult = {e.type for e in senior.for_case(demo.cases["parry_adult"]).events}
    assert {"report", "enquiry", "strategy", "visit"} <= adult


def test_a_childs_chronology_keeps_their_events_and_the_whole_cases(demo: Any) -> None:
    service = ChronologyService(demo.session("sw_rhian"))
    seren, osian = demo.families["twr"]["seren"], demo.families["twr"]["osian"]
    everyone = service.for_case(demo.cases["twr_cp"]).events
    hers = service.for_case(demo.cases["twr_cp"], person_id=seren)
    assert hers.person_name == "Seren Tŵr"
    assert all(not e.people or seren in e.people for e in hers.events)
    assert any(e.people == (osian,) for e in everyone)
    assert not any(e.people == (osian,) for e in hers.events)  # Osian's own events are not hers
    assert any(not e.people for e in hers.events)  # the case opened: about everyone
    with pytest.raises(ValidationError) as refused:
        service.for_case(demo.cases["twr_cp"], person_id=demo.families["twr"]["gwenllian"])  # a parent
    assert refused.value.field == "person_id"


def test_kinds_and_a_period_narrow_it(demo: Any) -> None:
    service = ChronologyService(demo.session("sw_rhian"))
    case = demo.cases["twr_cp"]
    visits = service.for_case(case, types=["visit", "note"])
    assert visits.events and {e.type for e in visits.events} == {"visit", "note"}
    start, end = demo.today - timedelta(days=20), demo.today - timedelta(days=6)
    period = service.for_case(case, start=start.isoformat(), end=end.isoformat())
    assert period.events and all(start <= e.on <= end for e in period.events)
    with pytest.raises(ValidationError) as backwards:
        service.for_case(case, start=end.isoformat(), end=start.isoformat())
    assert backwards.value.field == "end"
    with pytest.raises(ValidationError) as unknown:
        service.for_case(case, types=["gossip"])
    assert unknown.value.field == "types"
    with pytest.raises(ValidationError) as bad:
        service.for_case(case, start="yesterday")
    assert bad.value.field == "start"


def test_only_the_latest_version_of_a_corrected_note_is_in_it(demo: Any) -> None:
    notes = NoteService(demo.session("sw_rhian"))
    case = demo.cases["twr_cp"]
    first = notes.record(case, kind="meeting", occurred_on=(demo.today - timedelta(days=2)).isoformat(),
                         body="Cyfarfod gyda'r heddlu.", language="cy", significant=True, category="police")
    notes.amend(first["id"], reason="Wrong kind.", kind="phone", occurred_on=(demo.today - timedelta(days=2)).isoformat(),
                body="Galwad gyda'r heddlu.", language="cy", significant=True, category="police")
    details = [e.detail for e in ChronologyService(demo.session("sw_rhian")).for_case(case).events]
    assert "Galwad gyda'r heddlu." in details and "Cyfarfod gyda'r heddlu." not in details


@pytest.mark.parametrize("who", ["admin", "custodian"])
def test_the_chronology_is_casework(demo: Any, who: str) -> None:
    with pytest.raises(PermissionDenied):
        ChronologyService(demo.session(who)).for_case(demo.cases["twr_cp"])
    with pytest.raises(PermissionDenied):
        ChronologyService(demo.session(who)).render(demo.cases["twr_cp"], language="en")


def test_opening_it_is_audited(demo: Any) -> None:
    before = audited(demo, "sw_rhian", "chronology", demo.cases["twr_cp"])
    ChronologyService(demo.session("sw_rhian")).for_case(demo.cases["twr_cp"])
    assert audited(demo, "sw_rhian", "chronology", demo.cases["twr_cp"]) == before + 1


def test_the_pdf_reads_back_in_each_language_welsh_first_and_marked(demo: Any) -> None:
    service = ChronologyService(demo.session("sw_rhian"))
    case, seren = demo.cases["twr_cp"], demo.families["twr"]["seren"]
    welsh = "\n".join(_text(service.render(case, language="cy", person_id=seren)))
    assert "Cronoleg" in welsh and "SWYDDOGOL-SENSITIF" in welsh and "Seren Tŵr" in welsh
    assert "Ffoniodd yr ysgol" in welsh  # what was written, as written
    assert "Tudalen 1 o" in welsh and "OFFICIAL-SENSITIVE" not in welsh
    english = "\n".join(_text(service.render(case, language="en", types=["note", "visit"])))
    assert "Chronology" in english and "OFFICIAL-SENSITIVE" in english and "Page 1 of" in english
    assert "Injury or harm (Phone call)" in english and "Initial child protection conference" not in english
    pages = _text(service.render(case, language="bilingual"))
    first_english = next(i for i, p in enumerate(pages) if "OFFICIAL-SENSITIVE" in p)
    assert first_english > 0 and all("SWYDDOGOL-SENSITIF" in p for p in pages[:1])
    assert "Cronoleg" in pages[0] and "Chronology" in pages[first_english]
    with pytest.raises(ValidationError) as refused:
        service.render(case, language="fr")
    assert refused.value.field == "language"


def test_every_kind_of_event_can_be_asked_for_by_name(demo: Any) -> None:
    chronology = ChronologyService(demo.session("senior")).for_case(demo.cases["twr_cp"], types=list(TYPES))
    assert chronology.types == frozenset(TYPES) and chronology.events
    assert chronology.start is None and isinstance(chronology.events[0].on, date)
