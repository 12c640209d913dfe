"""Case notes on the real encrypted demo profile: recorded with who was involved, refused with the field
named and nothing written, corrected by amendment (the original kept), never shown to admin staff or the
custodian, every read audited, and found by full-text search in Welsh and English (FTS5 inside the
encrypted database) across the cases in scope only."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.errors import NotFound, PermissionDenied, ValidationError
from desktop.services.note_search import fts_query, welsh_forms
from desktop.services.notes import NoteService
from tests.casework_records.conftest import audited, count


def _note(ctx: Any, **extra: Any) -> dict[str, Any]:
    fam = ctx.families["twr"]
    values = dict(kind="phone", occurred_on="2026-11-20", occurred_at="10:05", language="cy",
                  body="Ffoniodd y nain: roedd ei hwyres yn crio yn yr ysgol.", people=[fam["seren"]],
                  agencies=[ctx.agencies["ysgol_y_dderwen"]], others="Mrs Ellis, nain")
    values.update(extra)
    return NoteService(ctx.session("sw_rhian")).record(ctx.cases["twr_cp"], **values)


def test_a_note_is_recorded_with_who_was_involved_and_read_back_newest_first(demo: Any) -> None:
    row = _note(demo, significant=True, category="disclosure")
    assert {p["person_id"] for p in row["parties"] if p["person_id"]} == {demo.families["twr"]["seren"]}
    notes = NoteService(demo.session("sw_rhian")).for_case(demo.cases["twr_cp"])
    mine = next(n for n in notes if n.id == row["id"])
    assert mine.people == {demo.families["twr"]["seren"]: "Seren Tŵr"}
    assert list(mine.agencies.values()) == ["Ysgol Gynradd y Dderwen"]
    assert (mine.kind, mine.occurred_at, mine.language, mine.significant, mine.category) == (
        "phone", "10:05", "cy", True, "disclosure")
    assert mine.author_name == "Rhian Evans" and mine.others == "Mrs Ellis, nain"
    assert [n.occurred_on for n in notes] == sorted((n.occurred_on for n in notes), reverse=True)
    only = NoteService(demo.session("sw_rhian")).for_case(demo.cases["twr_cp"], significant_only=True)
    assert only and all(n.significant for n in only)
    osian = NoteService(demo.session("sw_rhian")).for_case(demo.cases["twr_cp"], person_id=demo.families["twr"]["osian"])
    assert row["id"] not in {n.id for n in osian}  # about Seren only


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "fax"}, "kind"),
    ({"occurred_on": ""}, "occurred_on"),
    ({"occurred_on": "2026-11-24"}, "occurred_on"),  # tomorrow
    ({"occurred_on": "24/11/2026x"}, "occurred_on"),
    ({"occurred_at": "25:00"}, "occurred_at"),
    ({"body": "   "}, "body"),
    ({"language": "fr"}, "language"),
    ({"significant": True}, "category"),
    ({"category": "injury"}, "category"),
    ({"significant": True, "category": "gossip"}, "category"),
    ({"people": ["not-on-the-case"]}, "people"),
    ({"agencies": ["no-such-agency"]}, "agencies"),
])
def test_a_refused_note_names_its_field_and_writes_nothing(demo: Any, change: dict[str, Any], field: str) -> None:
    before = (count(demo, "case_note"), count(demo, "case_note_party"), count(demo, "outbox"))
    with pytest.raises(ValidationError) as refused:
        _note(demo, **change)
    assert refused.value.field == field
    assert (count(demo, "case_note"), count(demo, "case_note_party"), count(demo, "outbox")) == before


def test_a_correction_is_a_new_version_and_the_original_is_kept(demo: Any) -> None:
    notes = NoteService(demo.session("sw_rhian"))
    first = _note(demo)
    fixed = notes.amend(first["id"], reason="Wrong child named.", kind="phone", occurred_on="2026-11-20",
                        body="Ffoniodd y nain: roedd ei hwyr yn crio yn yr ysgol.", language="cy",
                        people=[demo.families["twr"]["osian"]])
    listed = {n.id for n in notes.for_case(demo.cases["twr_cp"])}
    assert fixed["id"] in listed and first["id"] not in listed
    versions = notes.versions(fixed["id"])
    assert [v.id for v in versions] == [first["id"], fixed["id"]]
    assert versions[1].corrected and versions[1].amendment_reason == "Wrong child named."
    assert "hwyres" in versions[0].body  # the original text is still there
    with pytest.raises(ValidationError) as refused:
        notes.amend(first["id"], reason="Again.", kind="phone", occurred_on="2026-11-20", body="x")
    assert refused.value.field == "note"
    with pytest.raises(ValidationError) as no_reason:
        notes.amend(fixed["id"], reason=" ", kind="phone", occurred_on="2026-11-20", body="x")
    assert no_reason.value.field == "reason"
    with pytest.raises(ValueError, match="append-only"):
        demo.store.write(lambda tx: tx.update("case_note", first["id"], {"body": "rewritten"}), actor="x")


@pytest.mark.parametrize("who", ["admin", "custodian"])
def test_admin_staff_and_the_custodian_never_see_note_text(demo: Any, who: str) -> None:
    note = _note(demo)
    service = NoteService(demo.session(who))
    for call in (lambda: service.for_case(demo.cases["twr_cp"]), lambda: service.get(note["id"]),
                 lambda: service.search("nain"), lambda: service.record(demo.cases["twr_cp"], kind="phone",
                                                                        occurred_on="2026-11-20", body="x")):
        with pytest.raises(PermissionDenied):
            call()


def test_a_case_out_of_scope_is_as_if_it_did_not_exist(demo: Any) -> None:
    adult_worker = NoteService(demo.session("sw_adult"))
    with pytest.raises(NotFound):
        adult_worker.for_case(demo.cases["twr_cp"])
    with pytest.raises(NotFound):
        adult_worker.record(demo.cases["twr_cp"], kind="phone", occurred_on="2026-11-20", body="x")
    _note(demo, body="Geiriau prin iawn: sebonllyd.")
    assert adult_worker.search("sebonllyd") == []
    assert [h.note.case_id for h in NoteService(demo.session("sw_rhian")).search("sebonllyd")] == [demo.cases["twr_cp"]]


def test_reading_notes_is_audited(demo: Any) -> None:
    note = _note(demo)
    case = demo.cases["twr_cp"]
    before = audited(demo, "sw_rhian", "case_note", case)
    service = NoteService(demo.session("sw_rhian"))
    service.for_case(case)
    service.get(note["id"])
    service.search("nain")
    assert audited(demo, "sw_rhian", "case_note", case) == before + 3


def test_search_finds_welsh_words_in_their_mutated_forms_and_english_by_prefix(demo: Any) -> None:
    _note(demo, body="Dywedodd y tad fod ei blentyn yn saff gyda'i fam-gu.")
    _note(demo, language="en", body="The headteacher phoned about attendance at Ysgol Gynradd y Dderwen.")
    rhian = NoteService(demo.session("sw_rhian"))
    found = rhian.search("plentyn")  # radical form typed; the note says "ei blentyn"
    assert any("[blentyn]" in h.snippet for h in found)
    assert any("[head" in h.snippet.lower() for h in rhian.search("head"))  # a prefix
    assert rhian.search("plentyn mam-gu")  # every word, each in its own form
    assert not rhian.search("plentyn attendance")  # both must be in the same note
    # Diacritics either way: the demo's notes say "Gwenllïan"; this one "Tŵr", the next "Llyr".
    _note(demo, language="en", body="Spoke to Mr Tŵr about the rota.")
    _note(demo, language="en", body="Dafydd ap Llyr rang back.")
    assert rhian.search("Gwenllian") and rhian.search("twr rota") and rhian.search("Llŷr rang")
    # English words are not mutated: "blentyn" typed finds the Welsh note, "attendances" finds nothing.
    assert rhian.search("blentyn") and not rhian.search("attendances")
    assert rhian.search('  "  * NEAR( ') == []  # nothing searchable: no FTS syntax reaches SQLite


def test_search_shows_the_newest_first_and_stops_at_its_limit(demo: Any) -> None:
    for day in ("2026-11-02", "2026-11-19", "2026-11-10"):
        _note(demo, occurred_on=day, body=f"Nodyn am y cymydog swnllyd ({day}).")
    notes = NoteService(demo.session("sw_rhian"))
    assert [str(h.note.occurred_on) for h in notes.search("swnllyd")] == ["2026-11-19", "2026-11-10", "2026-11-02"]
    last_two = notes.search("swnllyd", limit=2)  # the two recorded last
    assert sorted(str(h.note.occurred_on) for h in last_two) == ["2026-11-10", "2026-11-19"]


def test_a_corrected_note_is_found_by_its_new_words_only(demo: Any) -> None:
    notes = NoteService(demo.session("sw_rhian"))
    first = _note(demo, body="Cwrdd â'r athro ddydd Llun.")
    notes.amend(first["id"], reason="Wrong day.", kind="phone", occurred_on="2026-11-20", language="cy",
                body="Cwrdd â'r athro ddydd Mawrth.")
    assert notes.search("Llun") == [] or all(h.note.id != first["id"] for h in notes.search("Llun"))
    assert [h.note.body for h in notes.search("Mawrth athro")] == ["Cwrdd â'r athro ddydd Mawrth."]


def test_the_index_follows_the_table_whoever_writes_it(demo: Any) -> None:
    """Triggers, not the service, keep the index: it holds exactly the current notes (live, not corrected)
    — a correction takes the old text out, a row soft-deleted (as a sync or a purge might) leaves it."""
    notes = NoteService(demo.session("sw_rhian"))
    note = _note(demo, body="Gair unigryw: ffotosynthesis.")
    assert notes.search("ffotosynthesis")
    demo.store.write(lambda tx: tx.db.execute("UPDATE case_note SET deleted = 1 WHERE id = ?", [note["id"]]),
                     actor="sync")
    assert notes.search("ffotosynthesis") == []
    first = _note(demo, body="Cyn y cywiriad: cwningen.")
    notes.amend(first["id"], reason="Typo.", kind="phone", occurred_on="2026-11-20", language="cy",
                body="Ar ôl y cywiriad: ysgyfarnog.")
    current = int(demo.store.rows(
        "SELECT count(*) AS n FROM case_note n WHERE n.deleted = 0 AND NOT EXISTS"
        " (SELECT 1 FROM case_note a WHERE a.amends_id = n.id AND a.deleted = 0)")[0]["n"])
    assert count(demo, "case_note_search") == current
    assert int(demo.store.rows("SELECT count(*) AS n FROM case_note_fts")[0]["n"]) == current
    assert demo.store.rows("SELECT count(*) AS n FROM case_note_fts WHERE case_note_fts MATCH 'cwningen'")[0]["n"] == 0


def test_the_query_is_built_from_words_only() -> None:
    assert fts_query("") is None and fts_query(' "* : ') is None
    query = fts_query('plentyn "NEAR"')
    assert query is not None and query.count(" AND ") == 1 and '"near"*' in query
    assert welsh_forms("pentref") == ["bentref", "mhentref", "pentref", "phentref"]
    assert {"ysgol", "hysgol"} <= set(welsh_forms("ysgol"))  # h-prothesis: "ei hysgol"
    assert "chwaer" in welsh_forms("chwaer") and "hwaer" not in welsh_forms("chwaer")
    assert welsh_forms("ffenest") == ["ffenest"]  # ff is a letter of its own: it does not mutate
    assert set(welsh_forms("Tŵr")) >= {"twr", "dwr", "nhwr", "thwr"}


def test_search_finds_a_welsh_noun_in_either_number_when_its_plural_begins_differently(demo: Any) -> None:
    """"plentyn" finds "ei phlant" (plural, aspirate mutation) and "plant" finds "ei blentyn"; "llygad" finds
    "llygaid"; a regular plural needs no list ("ysgol" finds "ysgolion"); English is not touched."""
    _note(demo, body="Roedd ei phlant yn chwarae'n dawel.")
    _note(demo, body="Clais bach o dan ei lygaid chwith.")
    _note(demo, body="Mae'r ddwy ysgolion yn cydweithio.")
    _note(demo, language="en", body="The plant pots were on the floor.")
    rhian = NoteService(demo.session("sw_rhian"))
    assert any("[phlant]" in h.snippet for h in rhian.search("plentyn"))
    assert any("[blentyn]" in h.snippet for h in rhian.search("plant"))  # the demo's note: "ei blentyn"
    assert any("[lygaid]" in h.snippet for h in rhian.search("llygad"))
    assert rhian.search("ysgol")
    assert not any("pots" in h.snippet for h in rhian.search("plentyn"))  # English is matched as typed
    assert "plant" in welsh_forms("plentyn") and "mhlentyn" in welsh_forms("plant")
    assert welsh_forms("ci") == ["ci"]  # short words are left alone, as before
