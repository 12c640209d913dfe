"""The Welsh review of December 2026 stays mended (``docs/welsh-style.md`` says why each rule holds).

* The adult plan is the *cynllun diogelu gofal a chymorth* and the children's the *cynllun amddiffyn,
  gofal a chymorth*, in the catalogue (by ``msgctxt`` where one English string serves both), in the
  adult conference report's PDF and in the letters.
* Text about a person whose gender is not known carries no masculine-only forms.
* Every count that qualifies a word is a plural (``ngettext``/``NN_``) entry, and the Welsh forms
  mutate as the review asked.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from pypdf import PdfReader

from desktop.errors import DiogelError
from desktop.i18n import NC_, NN_, _, format_message, set_language, translator
from desktop.store.profile import MIN_PASSWORD_LENGTH, check_password
from reports import (
    AdultConference,
    Attendee,
    BilingualText,
    CouncilIdentity,
    PlanAction,
    PlanOutcome,
    render_conference_report,
)
from reports.templates import TEMPLATE_DIR
from tests.test_i18n import KEYWORDS

ROOT = Path(__file__).resolve().parent.parent
CY_PO = ROOT / "locales" / "cy" / "LC_MESSAGES" / "diogel.po"
CHILD_PLAN = "amddiffyn, gofal a chymorth"
ADULT_PLAN = "diogelu gofal a chymorth"


def _source_messages() -> list[tuple[str, str | None, str | tuple[str, ...]]]:
    """(path, context, message) for every message marked in the source, as ``make locales-extract``
    finds them (the Makefile's keywords)."""
    out = []
    for package in ("desktop", "ui", "reports"):
        for path, _line, message, _comments, context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            out.append((f"{package}/{path}", context, message))
    return out


SOURCE = _source_messages()


def _welsh_catalogue():
    with CY_PO.open("rb") as fh:
        return read_po(fh, locale="cy")


def _strings(entry) -> tuple[str, ...]:
    return entry.string if isinstance(entry.string, tuple) else (entry.string,)


# -- the care and support protection plan: adults "diogelu", children "amddiffyn" ------------------------


def test_the_shared_plan_msgid_has_a_welsh_form_for_each_population() -> None:
    cy = translator("cy")
    adult = cy.gettext(NC_("adult", "Care and support protection plan"))
    assert ADULT_PLAN in adult.lower() and "amddiffyn" not in adult.lower(), adult
    # the child protection plan dialog's title, with whatever context it is marked in
    child_contexts = {ctx for path, ctx, m in SOURCE
                      if m == "Care and support protection plan" and "/child_protection/" in path}
    assert child_contexts and "adult" not in child_contexts
    for ctx in child_contexts:
        child = cy.gettext(NC_(ctx, "Care and support protection plan") if ctx else "Care and support protection plan")
        assert CHILD_PLAN in child.lower(), child
    # English shows the msgid itself, never the context marker
    assert translator("en").gettext(NC_("adult", "Care and support protection plan")) == (
        "Care and support protection plan"
    )
    set_language("cy")
    try:
        assert _(NC_("adult", "Care and support protection plan")) == adult
    finally:
        set_language("en")


def test_adult_rule_a5_and_its_due_texts_say_diogelu() -> None:
    from desktop.domain.rules import RULE_TITLES

    cy = translator("cy")
    texts = [
        cy.gettext(RULE_TITLES["A5"]),
        cy.gettext("Care and support protection plan review due by {date}"),
        *(cy.ngettext("Care and support protection plan not reviewed for {n} day (due by {date})",
                      "Care and support protection plan not reviewed for {n} days (due by {date})", n)
          for n in (0, 1, 2, 3, 6, 7)),
    ]
    for text in texts:
        assert ADULT_PLAN in text and "amddiffyn" not in text, text


def _population(path: str, context: str | None, msgid: str) -> str | None:
    # A msgid that names the adult ("Adult's care and support protection plan") is the adult's wherever
    # its code lives (the oversight list of records is shared by both populations).
    if context == "adult" or "/adults/" in path or msgid.lower().startswith("adult"):
        return "adult"
    if context == "child" or "/child_protection/" in path:
        return "child"
    return None


def test_every_plan_msgid_in_adult_or_child_code_uses_that_populations_welsh() -> None:
    """Every "care and support protection plan" string in adult code (or with context "adult") says
    *diogelu*, in child protection code *amddiffyn*; and no such msgid is used by both without a
    ``msgctxt`` to tell them apart (that is how row 1 of the review happened)."""
    cat = _welsh_catalogue()
    populations: dict[tuple[str | None, str], set[str]] = {}
    wrong = []
    for path, context, message in SOURCE:
        msgid = message[0] if isinstance(message, tuple) else message
        if "care and support protection plan" not in msgid.lower():
            continue
        population = _population(path, context, msgid)
        if population is None:
            continue
        populations.setdefault((context, msgid), set()).add(population)
        entry = cat.get(msgid, context=context)
        assert entry is not None, (context, msgid)
        want, not_want = (ADULT_PLAN, CHILD_PLAN) if population == "adult" else (CHILD_PLAN, ADULT_PLAN)
        for text in _strings(entry):
            if want not in text.lower() or not_want in text.lower():
                wrong.append((path, context, msgid, text))
    assert wrong == []
    shared = [key for key, found in populations.items() if len(found) > 1]
    assert shared == [], "give each population its own msgctxt (NC_/pgettext)"
    assert ("adult", "Care and support protection plan") in populations


ADULT_LETTERS = {"n2_lead_practitioner_change_adult", "n2_lead_practitioner_change_agency",
                 "n2_lead_practitioner_change_family", "n4_escalation_no_lead_practitioner",
                 "n16_outcome_report_adult", "n17_closure_adult", "n17_closure_agency", "n19_plan_adult"}


def _welsh_letter_text(template_id: str) -> str:
    data = json.loads((TEMPLATE_DIR / f"{template_id}.json").read_text("utf-8"))
    return json.dumps(data["cy"], ensure_ascii=False)


def test_letters_use_each_populations_plan() -> None:
    ids = sorted(p.stem for p in TEMPLATE_DIR.glob("n*.json"))
    assert ADULT_LETTERS <= set(ids)
    for tid in ids:
        text = _welsh_letter_text(tid).lower()
        if tid in ADULT_LETTERS:
            assert CHILD_PLAN not in text, tid
        else:
            assert ADULT_PLAN not in text, tid
    assert ADULT_PLAN in _welsh_letter_text("n19_plan_adult")
    assert CHILD_PLAN in _welsh_letter_text("n19_plan_family")


def test_adult_conference_report_pdf_names_the_adult_plan() -> None:
    council = CouncilIdentity.from_json(ROOT / "reports" / "council.example.json")
    conf = AdultConference(
        conference_date=date(2026, 11, 25),
        adult_name="Gwenllïan Tŵr",
        chair="Rhian Hughes",
        lead_coordinator="Siôn Prys",
        lead_practitioner="Nia Rees",
        adult_participation=BilingualText(cy="Daeth i'r gynhadledd.", en="Attended the conference."),
        advocate=None,
        attendees=[Attendee("Ann Bowen", "Nyrs", "Bwrdd Iechyd", True, True)],
        concerns="Camdriniaeth ariannol.",
        decisions=[BilingualText(cy="Adolygu ymhen chwe wythnos.", en="Review in six weeks.")],
        outcomes=[PlanOutcome("Rheoli arian yn ddiogel", [PlanAction("Atwrneiaeth", "Siôn Prys")])],
        review_date=date(2027, 1, 6),
    )
    pdf = render_conference_report(conf, council, ("cy",))
    welsh = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Cynllun diogelu gofal a chymorth" in welsh
    assert CHILD_PLAN not in welsh.lower()
    english = render_conference_report(conf, council, ("en",))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(english)).pages)
    assert "Care and support protection plan" in " ".join(text.split())


# -- gender-neutral wording ---------------------------------------------------------------------------

MASCULINE_ONLY = ["ar ei ben ei hun", "ar ei phen ei hun", "ben/phen", "ei farn", "ganddo alluedd", "ei feddwl",
                  "wrtho", "dewiswch ef", "penodwch ef", "ef sy'n", "iddo'i hun", "ei waith ei hun",
                  "ei gydsyniad", "ei ddisgresiwn", "a'i deulu", "gyda'i rieni", "ei reolwr", "ei fanylion"]
"""Forms that can only mean a man (or a grammatically masculine person noun) wherever they appear in this
catalogue: none may come back, in the interface or in a letter."""

PERSON_FORMS = MASCULINE_ONLY + [
    "ef", "iddo", "ganddo", "amdano", "ohono", "arno", "ag ef", "ei weld", "'i weld", "i'w weld", "ei ben",
    "ei enwi", "'i enwi", "ei benodi", "'i benodi", "ei gofrestru", "'i gofrestru", "'i letya", "'i leoli",
    "i'w fabwysiadu", "ei gyflogi", "ei gyfarwyddo", "'i ddad-gofrestru", "'i remandio", "ei drosglwyddo",
    "i'w amddiffyn",
]
"""Masculine pronouns and participles that, said of a person, assume the person is male."""

PERSON_NEUTRAL = [
    "2 Not at risk, but may have other care and support needs",
    "A case needs at least one person it is about.",
    "A child may be registered under more than one category, so these add up to more than the number of"
    " children.",
    "A child seen alone was seen: check the answers.",
    "A child who was not seen cannot be seen alone, at home or have their bedroom seen.",
    "A delegation gives the role to another statutory partner; this practitioner works for social services,"
    " so appoint them as lead co-ordinator instead.",
    "A person cannot be related to themselves.",
    "A worker cannot cover their own work.",
    "Access was denied, so the adult cannot have been seen.",
    "Accommodated under section 76 (short breaks)",
    "Accommodated under section 76 (single period)",
    "Adult not seen after the strategy meeting: {n} working day overdue (due by {date})",
    "Adult offered the opportunity to be seen alone",
    "Adult seen after the strategy meeting",
    "Adult to be offered the opportunity to be seen alone by {date}",
    "An IMCA was instructed",
    "Appoint the lead co-ordinator first: they arrange and chair the strategy meeting.",
    "Child seen",
    "Child seen alone",
    "Child seen at home",
    "Child to be seen alone by {date}",
    "Choose a child who is a subject of this case.",
    "Choose the practitioner the role is delegated to.",
    "De-registered",
    "Determination 3: an adult at risk who needs action to protect them",
    "Enter how often the adult is to be seen, as a number and a unit.",
    "Enter the practitioner the allegation is about.",
    "Gave written views",
    "Given the opportunity to be seen alone",
    "Has capacity for this decision",
    "Lacks capacity for this decision",
    "No co-ordinator named at the conference",
    "No lead co-ordinator appointed yet.",
    "No lead practitioner is named: record why one could not be identified. The senior manager will be told"
    " at once.",
    "No lead practitioner named",
    "None identified",
    "None named",
    "None named: escalated {n} day ago",
    "Not offered the opportunity to be seen alone for {n} day (due by {date})",
    "Not offered the opportunity to be seen alone for {n} working day (due by {date})",
    "Not registered",
    "Not registered here",
    "Not seen alone for {n} day (due by {date})",
    "Not seen alone for {n} working day (due by {date})",
    "Not seen at home for {n} day (due by {date})",
    "Not seen for {n} working day (due by {date})",
    "Nothing can be given: check the enquirer's identity and that their agency is a partner agency. The"
    " enquiry has been logged.",
    "Offered the chance to be seen alone",
    "On the register; co-ordinator named",
    "Only 2 agencies are present: the conference is quorate only if the chair records their discretion and"
    " the reason.",
    "Only a child on the child protection register is transferred.",
    "Only the outgoing co-ordinator or their line manager can change the co-ordinator.",
    "Only the person this task is for can acknowledge it.",
    "Placed for adoption",
    "Placed with parents",
    "Record how the adult took part in the conference, or that they refused.",
    "Record speaking to (or seeing) the child before completing the assessment.",
    "Record which child the enquiry is about.",
    "Record who was told of the change verbally: the agencies, the adult and their family.",
    "Record why the adult was not given the opportunity to be seen alone.",
    "Registered",
    "Registered here",
    "Remanded to local authority accommodation",
    "Seen",
    "Seen alone",
    "Seen at home",
    "Seen takes the place of seen alone",
    "The adult did not consent to the report: record why it was made without their consent.",
    "The adult does not agree to the plan: record how regular contact with them continues.",
    "The adult does not agree to the plan: tell them they can change their mind at any time, and record that"
    " you have.",
    "The adult gave their views in writing.",
    "The adult refused to take part: record the support available to them for the outcome report.",
    "The adult was seen alone, so they were seen: tick 'seen'.",
    "The adult was told they can change their mind at any time",
    "The capacity assessment found the adult has capacity to make this decision, so it is theirs to make: a"
    " best-interests decision cannot be recorded.",
    "The child was seen alone",
    "The lead co-ordinator must be employed within social services. To give the role to another statutory"
    " partner, record a delegation instead.",
    "The strategy group can only make the timescale for seeing the adult alone more frequent than the"
    " procedures' minimum, never less frequent.",
    "The strategy meeting is arranged and chaired by the lead co-ordinator; choose them as chair.",
    "There is no lead practitioner to change: name one at the strategy meeting.",
    "This case has no adult recorded as its subject.",
    "Views given through a practitioner",
    "Who the complaint concerns:",
    "Why not offered the chance to be seen alone:",
    "Why the report was made without their consent:",
]
"""Msgids about a person whose gender the text cannot know (a child, an adult, a practitioner, a
co-ordinator): the review found masculine forms in these, and they were reworded."""


def _matches(text: str, forms: list[str]) -> list[str]:
    """The forms found in ``text`` as whole words ("wrtho" is not in "Gwrthodwyd"); a form that starts
    with an apostrophe is found after the word it is joined to ("wedi'i weld")."""
    found = []
    for form in forms:
        before = "" if form.startswith("'") else r"(?<![\w'])"
        if re.search(before + re.escape(form) + r"(?![\w])", text, re.IGNORECASE):
            found.append(form)
    return found


def test_person_neutral_msgids_have_no_masculine_forms() -> None:
    cat = _welsh_catalogue()
    found = []
    for msgid in PERSON_NEUTRAL:
        entry = cat.get(msgid)
        assert entry is not None, f"msgid gone from the catalogue: {msgid!r} (update this list)"
        for text in _strings(entry):
            if hits := _matches(text, PERSON_FORMS):
                found.append((msgid, text, hits))
    assert found == []


def test_no_translation_or_welsh_letter_uses_a_masculine_only_form() -> None:
    found = [(m.id, s) for m in _welsh_catalogue() if m.id for s in _strings(m) if _matches(s, MASCULINE_ONLY)]
    for path in sorted(TEMPLATE_DIR.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        text = json.dumps(data.get("cy", data), ensure_ascii=False)
        found += [(path.name, hit) for hit in _matches(text, MASCULINE_ONLY + ["ei enwi", "ei benodi", "ei weld",
                                                                               "'i benodi", "'i enwi"])]
    assert found == []


def test_the_forms_list_catches_what_the_review_found() -> None:
    """The lists are not vacuous: the translations the review quoted are caught."""
    assert _matches("Mae ganddo alluedd ar gyfer y penderfyniad hwn", PERSON_FORMS)
    assert _matches("Rhoddodd ei farn yn ysgrifenedig", MASCULINE_ONLY)
    assert _matches("Heb ei weld ar ei ben ei hun ers 3 diwrnod (erbyn {date})", MASCULINE_ONLY)
    assert _matches("dewiswch ef yn gadeirydd", PERSON_FORMS)
    assert not _matches("Ni welwyd y plentyn heb neb arall yn bresennol ers 3 diwrnod", PERSON_FORMS)


# -- counts: ngettext everywhere, six Welsh forms that mutate -------------------------------------------

COUNTS = ("count", "n", "rows", "entries", "seconds", "shown", "total")
COUNT_BEFORE_A_WORD = re.compile(r"\{(" + "|".join(COUNTS) + r")\} (?!of\b)[A-Za-z]")
"""A count followed by a word ("{count} problems", "{seconds} seconds"): the word agrees with the number
in English and mutates after it in Welsh, so the message must be a plural one. A count after a colon or
in brackets ("Overdue: {n}", "{section} ({n})") needs no plural."""
SINGULAR_ALLOWED = {
    "When action {n} is due": "{n} numbers the action (“action 2”); it counts nothing",
    "The conference is not quorate: at least 3 agencies or professional groupings must be present"
    " ({n} present).": "“present” is an adjective: it agrees with no number in either language",
    "Audit chain re-forged: entry {entries} is not the one the server was told of on {date}.":
        "{entries} numbers one entry (“entry 5”); it counts nothing",
}


def test_every_count_that_qualifies_a_word_is_a_plural_message() -> None:
    singular = sorted({m for _path, _ctx, m in SOURCE if isinstance(m, str) and COUNT_BEFORE_A_WORD.search(m)})
    assert [m for m in singular if m not in SINGULAR_ALLOWED] == []
    assert set(SINGULAR_ALLOWED) <= set(singular), "an allowed exception is gone: drop it from the list"


def test_the_count_rule_catches_the_reviews_row_23() -> None:
    for msgid in ("Audit chain: {count} entries verified.", "Imported {rows} rows into {folder}.",
                  "Letter templates are not valid: {count} problems."):
        assert COUNT_BEFORE_A_WORD.search(msgid)
    assert not COUNT_BEFORE_A_WORD.search("Overdue: {n}")


@pytest.mark.parametrize(
    ("singular", "plural", "n", "welsh"),
    [
        ("{count} conflict to resolve", "{count} conflicts to resolve", 2, "2 wrthdaro i'w datrys"),
        ("{count} conflict to resolve", "{count} conflicts to resolve", 1, "1 gwrthdaro i'w ddatrys"),
        ("{count} change needs attention", "{count} changes need attention", 4, "4 newid sydd angen sylw"),
        ("{n} year old", "{n} years old", 1, "1 flwydd oed"),
        ("{n} year old", "{n} years old", 4, "4 oed"),
        ("{n} year old", "{n} years old", 13, "13 oed"),
        ("{count} held", "{count} held", 1, "1 wedi'i ddal yn ôl"),
        ("{count} held", "{count} held", 5, "5 wedi'u dal yn ôl"),
        ("Audit chain: {count} entry verified.", "Audit chain: {count} entries verified.", 2,
         "Cadwyn archwilio: gwiriwyd 2 gofnod."),
        ("Audit chain: {count} entry verified.", "Audit chain: {count} entries verified.", 3,
         "Cadwyn archwilio: gwiriwyd 3 chofnod."),
        ("Imported {rows} row into {folder}.", "Imported {rows} rows into {folder}.", 2,
         "Mewnforiwyd 2 res i {folder}."),
        ("Letter templates are not valid: {count} problem.", "Letter templates are not valid: {count} problems.",
         6, "Nid yw'r templedi llythyrau'n ddilys: 6 phroblem."),
    ],
)
def test_welsh_plural_forms_mutate(singular: str, plural: str, n: int, welsh: str) -> None:
    text = translator("cy").ngettext(singular, plural, n)
    assert text.format(count=n, n=n, rows=n, folder="{folder}") == welsh


def test_a_marked_plural_error_takes_its_form_from_its_count() -> None:
    msgid = NN_("Too many wrong passwords. Try again in {seconds} second.",
                "Too many wrong passwords. Try again in {seconds} seconds.", "seconds")
    assert DiogelError(msgid, seconds=1).message("en") == "Too many wrong passwords. Try again in 1 second."
    assert DiogelError(msgid, seconds=30).message("en") == "Too many wrong passwords. Try again in 30 seconds."
    assert DiogelError(msgid, seconds=2).message("cy") == (
        "Gormod o gyfrineiriau anghywir. Rhowch gynnig arall arni ymhen 2 eiliad.")
    # the sync status keeps its last error as JSON with text parameters: the plural survives the trip
    again = json.loads(json.dumps({"msgid": msgid, "params": {"seconds": "1"}}))
    assert format_message(again["msgid"], again["params"], "en") == "Too many wrong passwords. Try again in 1 second."


def test_a_real_service_error_is_plural() -> None:
    with pytest.raises(DiogelError) as caught:
        check_password("x")
    assert caught.value.message("en") == f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
    assert caught.value.message("cy") == f"Rhaid i'r cyfrinair fod ag o leiaf {MIN_PASSWORD_LENGTH} nod."


def test_the_makefile_extracts_what_the_tests_check() -> None:
    """``make locales-extract`` and these tests must agree on the markers, or a ``NC_``/``NN_`` message
    would never reach the catalogue."""
    line = next(x for x in (ROOT / "Makefile").read_text().splitlines() if x.startswith("KEYWORDS"))
    names = {spec.split(":")[0] for spec in re.findall(r"-k (\S+)", line)}
    assert names == set(KEYWORDS)
    assert "-k NC_:1c,2" in line and "-k NN_:1,2" in line


def test_action_groups_are_verbs_in_their_own_context() -> None:
    """The case page's groups "Record" and "Plan" are what the worker does; in their own msgctxt a later
    noun ("a record", "a plan") cannot take the verb's Welsh, nor the groups the noun's."""
    from ui.action_bar import GROUP_LABELS, Group

    cy = translator("cy")
    assert cy.gettext(GROUP_LABELS[Group.RECORD]) == "Cofnodi"
    assert cy.gettext(GROUP_LABELS[Group.PLAN]) == "Cynllunio"
    assert translator("en").gettext(GROUP_LABELS[Group.PLAN]) == "Plan"
    contexts = {ctx for _path, ctx, m in SOURCE if m in ("Record", "Plan")}
    assert "action group" in contexts and None not in contexts, "every other use has its own context"
