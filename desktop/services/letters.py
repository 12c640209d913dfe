"""The print queue: letters casework queued, rendered, printed or exported, and each case's
correspondence history (Qt-free).

Casework queues a ``letter`` row (``desktop.services.correspondence.queue_letter``) with a
notification code ("N1" … "N19") as ``template_id``, the recipient, the language already resolved
from the recipient's recorded preference, and a JSON ``data`` dict. This module turns such a row
into a ``reports`` letter:

* **template** — :func:`resolve_template` maps the code plus the recipient kind / ``data["audience"]``
  (or ``data["template_file"]``, which the adults module stores) onto a ``reports/templates`` id;
* **placeholders** — the queued ``data`` (ISO dates become dates, ``{"cy", "en"}`` dicts become
  :class:`reports.BilingualText`) completed from the store where casework left a gap (the outline
  plan's outcomes and actions for N9/N19, "what happens next" for N12, …);
* **recipient** — the name queued, the address *current at print time* (a person's current
  address, an agency's address, a council practitioner's team at the council's address, an
  outside practitioner's agency); a person flagged "contact only through" someone is written to "c/o"
  that person or agency, at their address and in their language (``contact_via_no_address`` when
  they have none);
* **language** — the row's language; ``data["circular"]`` truthy → Standard 4
  (``letter_language(pref, circular=True)``: an English preference still gets Welsh too).

A letter that cannot be rendered is **held** with a reason instead of failing a batch:
``no_address`` (released automatically once an address is recorded: every listing re-checks the
held letters), ``missing_data:<field>,…`` (a placeholder nobody can fill), ``no_template`` (a code
with no template). Printing stores the PDF (base64 text in ``letter.pdf``, so sync carries it as
JSON), ``status='printed'``, ``printed_at``/``printed_by``, its outbox entry and one
``letter_printed`` audit entry (the changed fields, the PDF's SHA-256 and size — not the PDF) in one
transaction per letter.

Council identity: ``council.json`` in the profile folder if present, else
``reports/council.example.json`` (format documented there; see :func:`load_council`).

Permissions: everything here needs ``Can.MANAGE_LETTERS`` (admin staff, team managers), except
:meth:`LetterService.history` / :meth:`LetterService.pdf`, which also allow ``Can.VIEW_CASEWORK``
on a case in scope. Letters outside the person's case scope do not exist for them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desktop.errors import NotFound, PermissionDenied, ValidationError
from desktop.i18n import N_, format_date, translator
from desktop.services import correspondence_guard as guard
from desktop.services.permissions import Can
from desktop.services.scope import case_condition
from desktop.services.welsh_text import Quoted, decode_sources, joined, needs_welsh, read_sources, what_text
from desktop.store import Tx
from reports import (
    BilingualText,
    CouncilIdentity,
    LetterData,
    LetterError,
    LetterJob,
    MissingAddressError,
    Recipient,
    letter_language,
    render_letters,
)
from reports.batch import RENDER_LOCK, render_each
from reports.templates import RESERVED, TEMPLATE_DIR, load_template

EXAMPLE_COUNCIL = Path(__file__).resolve().parents[2] / "reports" / "council.example.json"
COUNCIL_FILE = "council.json"
_RENDER = RENDER_LOCK
"""One ReportLab build at a time in this process: the renderer keeps module-level caches (fonts,
styles), and PDF previews run PDFium on other threads. Batches render in worker processes."""


def _render(jobs: list[LetterJob], council: CouncilIdentity) -> bytes:
    with _RENDER:
        return render_letters(jobs, council)

Query = Callable[[str, Sequence[Any]], list[dict[str, Any]]]

# Notification code → template title shown in the queue (procedures.md §4).
TITLES: dict[str, str] = {
    "N1": N_("Change of co-ordinator"),
    "N2": N_("Change of lead practitioner"),
    "N3": N_("No co-ordinator named at the conference"),
    "N4": N_("No lead practitioner named"),
    "N5": N_("Register update request"),
    "N6": N_("Household change notice"),
    "N7": N_("Information pack to the receiving authority"),
    "N8": N_("Invitation to an initial child protection conference"),
    "N9": N_("Outline plan and summary of decisions"),
    "N11": N_("Invitation to a review conference"),
    "N12": N_("Removal from the child protection register"),
    "N13": N_("Access to a child denied"),
    "N16": N_("Outcome report"),
    "N17": N_("Adult safeguarding process closed"),
    "N19": N_("The plan and the right to complain"),
}

HELD_REASONS: dict[str, str] = {
    "no_address": N_("No postal address recorded for the recipient"),
    "missing_data": N_("Information the letter needs is missing: {fields}"),
    "no_template": N_("There is no letter template for this letter yet"),
    "event_passed": N_("The event it is about was on {date}, which has passed"),
    "needs_welsh": N_("Needs Welsh text, only in English so far: {what}"),
    # The correspondence guard (desktop/services/correspondence_guard.py); a manager may release these.
    "do_not_contact": N_("The recipient must not be contacted"),
    "risk_to_subject": N_("The recipient is recorded as posing a risk to someone this letter is about"),
    "contact_via": N_("The recipient may be contacted only through someone else"),
    "contact_via_no_address": N_("The recipient may be contacted only through someone else, who has no postal"
                                 " address recorded"),
    "no_consent": N_("The adult's consent to tell their family is not recorded"),
    "confidential_address": N_("The letter would show a confidential address"),
}
"""Why a letter is held: ``<code>`` or ``<code>:<detail>`` in ``letter.held_reason``, shown in words
by :meth:`QueuedLetter.held_text` (``{fields}``: the missing placeholders; ``{date}``: an ISO date;
``{what}``: the quoted free texts with no Welsh yet, :mod:`desktop.services.welsh_text`).
A new reason is one line here (and, if a person may print the letter anyway, one in
:data:`RELEASABLE`)."""

RELEASABLE = frozenset({"event_passed"})
"""Held reasons a person may override (release the letter to print anyway); the others go only
when what the letter lacks is recorded."""
GUARD_REASONS = frozenset(guard.REASONS)
"""Held reasons only a manager's recorded release lifts (the correspondence guard's: someone's safety)."""

# Fixed templates; codes with audiences are resolved in resolve_template.
_FIXED = {
    "N3": "n3_escalation_no_coordinator",
    "N4": "n4_escalation_no_lead_practitioner",
    "N5": "n5_register_custodian",
    "N6": "n6_core_group_update",
    "N8": "n8_icpc_invitation",
    "N9": "n9_outline_plan",
    "N11": "n11_review_invitation",
    "N12": "n12_deregistration",
    "N13": "n13_denied_access",
    "N16": "n16_outcome_report_adult",
}
# Codes whose letter to an agency is a different letter from the family's (N8: the parents' invitation
# explains the conference to a family; an agency is asked for its report and attendance).
_AGENCY_LETTER = {"N8": "n8_icpc_invitation_agency"}
_BY_AUDIENCE = {
    "N1": "n1_coordinator_change_{audience}",
    "N2": "n2_lead_practitioner_change_{audience}",
    "N17": "n17_closure_{audience}",
    "N19": "n19_plan_{audience}",
}
_INTERNAL_KEYS = frozenset({"audience", "template_file", "recipient_address", "circular", "conference_id",
                            "escalation_id", "change_kind", "no_lead_reason", "released", "welsh_sources"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Texts the print queue adds to letters. The lead's catalogue wins; until a msgid is translated
# this draft Welsh is used, so a Welsh letter never carries English filler.
_DRAFT_CY: dict[str, str] = {
    "Not applicable": "Amherthnasol",
    "None": "Dim",
    "Not yet named": "Heb ei enwi eto",
    "Registration categories: {categories}": "Categorïau cofrestru: {categories}",
    "To be confirmed by the co-ordinator": "I'w gadarnhau gan y cydlynydd",
    "The outcomes will be set out in the detailed plan agreed at the first core group meeting.":
        "Bydd y canlyniadau'n cael eu nodi yn y cynllun manwl a gytunir yng nghyfarfod cyntaf y grŵp craidd.",
    "The actions, and who is responsible for each, will be agreed at the first core group meeting.":
        "Bydd y camau gweithredu, a phwy sy'n gyfrifol am bob un, yn cael eu cytuno yng nghyfarfod cyntaf"
        " y grŵp craidd.",
    "{action} ({owner})": "{action} ({owner})",
    "{action} ({owner}, by {due})": "{action} ({owner}, erbyn {due})",
    "Your social worker will talk to you about any support you and your family may still need.":
        "Bydd eich gweithiwr cymdeithasol yn siarad â chi am unrhyw gymorth y gallai fod ei angen arnoch chi"
        " a'ch teulu o hyd.",
    "If you have new worries about a child's safety, contact social services straight away.":
        "Os oes gennych bryderon newydd am ddiogelwch plentyn, cysylltwch â'r gwasanaethau cymdeithasol"
        " ar unwaith.",
    "Please update your agency's records: none of the names in this letter is on the child protection"
    " register any more.":
        "Diweddarwch gofnodion eich asiantaeth: nid yw'r un o'r enwau yn y llythyr hwn ar y gofrestr amddiffyn"
        " plant mwyach.",
    "Continue to report any new concerns about a child to social services straight away.":
        "Parhewch i roi gwybod i'r gwasanaethau cymdeithasol ar unwaith am unrhyw bryderon newydd am"
        " blentyn.",
    "What we want to achieve will be agreed with you in the detailed plan at the first core group meeting.":
        "Bydd yr hyn rydym am ei gyflawni'n cael ei gytuno â chi yn y cynllun manwl yng nghyfarfod cyntaf y"
        " grŵp craidd.",
    "What you need to do will be agreed with you at the first core group meeting.":
        "Bydd yr hyn sydd angen i chi ei wneud yn cael ei gytuno â chi yng nghyfarfod cyntaf y grŵp craidd.",
    "Your social worker will visit you regularly and support you with the plan.":
        "Bydd eich gweithiwr cymdeithasol yn ymweld â chi'n rheolaidd ac yn eich cefnogi gyda'r cynllun.",
    "What we want to achieve will be agreed with you as the plan is reviewed.":
        "Bydd yr hyn rydym am ei gyflawni yn cael ei gytuno â chi wrth i'r cynllun gael ei adolygu.",
    "Nothing is asked of you in the plan at present.":
        "Nid yw'r cynllun yn gofyn i chi wneud dim ar hyn o bryd.",
    "Your lead practitioner will keep in touch and support you with the plan.":
        "Bydd eich ymarferydd arweiniol yn cadw mewn cysylltiad ac yn eich cefnogi gyda'r cynllun.",
}
for _msgid in _DRAFT_CY:
    N_(_msgid)


def bi(msgid: str, *, drafts: dict[str, str] | None = None, **params: Any) -> BilingualText:
    """``msgid`` in Welsh and English (catalogue first, then the draft Welsh in ``drafts`` or the
    print queue's own drafts). ``params`` may be :class:`BilingualText`, dates or plain text; each
    side gets its own language."""
    out: dict[str, str] = {}
    for lang in ("cy", "en"):
        text = translator(lang).gettext(msgid)
        if lang == "cy" and text == msgid:
            text = (drafts or {}).get(msgid) or _DRAFT_CY.get(msgid, msgid)
        values = {k: _side(v, lang) for k, v in params.items()}
        out[lang] = text.format(**values)
    return BilingualText(cy=out["cy"], en=out["en"])


def _side(value: Any, lang: str) -> str:
    from reports.layout import long_date

    if isinstance(value, BilingualText):
        return value.get(lang) or ""
    if isinstance(value, date):
        return long_date(value, lang)
    return str(value)


def load_council(profile_folder: Path | None) -> CouncilIdentity:
    """The sending council: ``<profile>/council.json`` if it exists, else the bundled example
    (``reports/council.example.json``, a fictional council)."""
    if profile_folder is not None and (Path(profile_folder) / COUNCIL_FILE).is_file():
        return CouncilIdentity.from_json(Path(profile_folder) / COUNCIL_FILE)
    return CouncilIdentity.from_json(EXAMPLE_COUNCIL)


def resolve_template(code: str, recipient_kind: str, data: dict[str, Any]) -> str | None:
    """The ``reports`` template id for a queued letter, or ``None`` if there is none.

    A code that already is a template id is used as it is; ``data["template_file"]`` wins when
    it names an existing template; else N1/N2/N17/N19 take ``data["audience"]`` (default: "family"
    for a person — "adult" for N2/N17 adults' letters when the person is the adult — and
    "agency" otherwise), and N8 to an agency is the agency invitation, not the parents' letter."""
    if (TEMPLATE_DIR / f"{code}.json").is_file():
        return code
    file = data.get("template_file")
    if file and (TEMPLATE_DIR / f"{file}.json").is_file():
        return str(file)
    if code in _AGENCY_LETTER and (data.get("audience") or ("family" if recipient_kind == "person"
                                                             else "agency")) == "agency":
        return _AGENCY_LETTER[code]
    if code in _FIXED:
        return _FIXED[code]
    if code in _BY_AUDIENCE:
        audience = data.get("audience") or ("family" if recipient_kind == "person" else "agency")
        tid = _BY_AUDIENCE[code].format(audience=audience)
        return tid if (TEMPLATE_DIR / f"{tid}.json").is_file() else None
    return None


def _value(raw: Any) -> Any:
    """A queued JSON value as a letter value: ISO date → date, {"cy","en"} → BilingualText."""
    if isinstance(raw, dict) and ("cy" in raw or "en" in raw):
        return BilingualText(cy=raw.get("cy"), en=raw.get("en"))
    if isinstance(raw, list):
        return [_value(v) for v in raw]
    if isinstance(raw, str) and _ISO_DATE.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return raw
    return raw


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, list) and not value)


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class QueuedLetter:
    """One row of the queue or of a case's correspondence history (no PDF bytes)."""

    id: str
    case_id: str | None
    case_reference: str
    code: str
    template_id: str | None
    recipient_kind: str
    recipient_id: str
    recipient_name: str
    language: str
    status: str
    held_reason: str | None
    created_at: str
    printed_at: str | None = None
    printed_by: str | None = None
    printed_by_name: str = ""
    has_pdf: bool = False
    recipient_flags: tuple[str, ...] = ()
    """The recipient's active safety flags (kinds, in the order of ``safety_flags.KIND_WORDS``)."""

    def title(self, lang: str | None = None) -> str:
        """The template's title in ``lang`` (default: interface language)."""
        msgid = TITLES.get(self.code, self.code)
        return translator(lang).gettext(msgid) if lang else _gettext(msgid)

    def held_text(self, lang: str | None = None) -> str:
        """Why the letter is held, as a sentence ("" when it is not held)."""
        if not self.held_reason:
            return ""
        kind, _sep, detail = self.held_reason.partition(":")
        msgid = HELD_REASONS.get(kind, self.held_reason)
        text = translator(lang).gettext(msgid) if lang else _gettext(msgid)
        if "{what}" in text:
            return text.format(what=what_text(detail, lang))
        if "{date}" in text:
            try:
                return text.format(date=format_date(date.fromisoformat(detail), lang=lang))
            except ValueError:
                return text.format(date=detail)
        return text.format(fields=detail.replace(",", ", ")) if "{fields}" in text else text

    @property
    def releasable(self) -> bool:
        """Held for a reason a person may override (:meth:`LetterService.release`)."""
        return self.status == "held" and (self.held_reason or "").partition(":")[0] in RELEASABLE


def _gettext(msgid: str) -> str:
    from desktop.i18n import _

    return _(msgid)


@dataclass
class Prepared:
    """A letter ready to render (``job``) or the reason it is held (``held``)."""

    letter_id: str
    job: LetterJob | None = None
    held: str | None = None
    quoted: list[Quoted] = field(default_factory=list)
    digest: str = ""
    """The correspondence guard's fingerprint of the flags it saw ("" when it did not run)."""


@dataclass
class BatchResult:
    """What a print/export run did: ``printed`` letter ids (with their files when exported),
    ``held`` id → reason, ``errors`` id → message for letters that failed to render."""

    printed: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    held: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    cancelled: bool = False


# --------------------------------------------------------------------------------------------
# Building a letter from a queued row


class LetterBuilder:
    """Turns queued ``letter`` rows into :class:`Prepared` letters using ``query`` (a ``Tx.query``
    or ``Store.rows``); read-only."""

    def __init__(self, query: Query, council: CouncilIdentity, today: date) -> None:
        self.q = query
        self.council = council
        self.today = today
        self.quoted: list[Quoted] = []

    # -- recipient ----------------------------------------------------------------------------
    def address(self, kind: str, rid: str) -> list[str]:
        """The recipient's postal address now ([] when none is recorded)."""
        if kind == "person":
            rows = self.q(
                "SELECT line1, line2, town, county, postcode, country FROM address WHERE person_id = ?"
                " AND deleted = 0 AND to_date IS NULL ORDER BY COALESCE(from_date, '') DESC LIMIT 1", [rid])
            if not rows:
                return []
            a = rows[0]
            lines = [str(a[k]) for k in ("line1", "line2", "town", "county", "postcode") if a.get(k)]
            if a.get("country") and a["country"] != "GB":
                lines.append(a["country"])
            return lines
        if kind == "agency":
            rows = self.q("SELECT address FROM agency WHERE id = ? AND deleted = 0", [rid])
            return _lines(rows[0]["address"]) if rows else []
        rows = self.q(
            "SELECT p.employed_by_social_services AS internal, p.job_title, t.name AS team, a.name AS agency,"
            " a.address AS agency_address FROM practitioner p LEFT JOIN team t ON t.id = p.team_id"
            " LEFT JOIN agency a ON a.id = p.agency_id WHERE p.id = ?", [rid])
        if not rows:
            return []
        p = rows[0]
        if p["agency_address"]:
            return [x for x in [p["agency"], *_lines(p["agency_address"])] if x]
        if p["internal"]:  # internal post: the team at the council's address
            return [x for x in [p["team"], self.council.name_en, *self.council.address] if x]
        return []

    def _contact(self, route: guard.Route) -> tuple[str, str]:
        """The name and recorded language preference of the person or agency a letter goes through."""
        if route.kind == "agency":
            rows = self.q("SELECT name, correspondence_language FROM agency WHERE id = ?", [route.id])
            return (rows[0]["name"], rows[0]["correspondence_language"]) if rows else ("", "unknown")
        rows = self.q("SELECT given_names, family_name, correspondence_language FROM person WHERE id = ?", [route.id])
        if not rows:
            return "", "unknown"
        r = rows[0]
        return " ".join(x for x in (r["given_names"], r["family_name"]) if x), r["correspondence_language"]

    # -- the letter ---------------------------------------------------------------------------
    def prepare(self, row: dict[str, Any]) -> Prepared:
        data = json.loads(row["data"] or "{}")
        self.quoted = []
        tid = resolve_template(row["template_id"], row["recipient_kind"], data)
        if tid is None:
            return Prepared(row["id"], held="no_template")
        route = guard.contact_route(self.q, row["recipient_id"]) if row["recipient_kind"] == "person" else None
        care_of, preference = "", row["language"]
        if route is not None:
            # "Contact only through": the letter goes c/o that person or agency, at their address and
            # in their language; never at the recipient's own (it may be the address being protected).
            address = self.address(route.kind, route.id)
            if not address:
                return Prepared(row["id"], held="contact_via_no_address")
            care_of, preference = self._contact(route)
        else:
            address = self.address(row["recipient_kind"], row["recipient_id"])
            if not address and data.get("recipient_address"):
                address = _lines(data["recipient_address"])
            if not address:
                return Prepared(row["id"], held="no_address")
        fields = {k: _value(v) for k, v in data.items() if k not in _INTERNAL_KEYS}
        self._complete(row, tid, data, fields)
        needed = load_template(tid).data_fields
        missing = sorted(n for n in needed if _empty(fields.get(n)))
        if missing:
            return Prepared(row["id"], held="missing_data:" + ",".join(missing))
        template = load_template(tid)
        # Someone's safety first: a letter the guard holds is held for that, whatever else it lacks.
        verdict = guard.check_letter(self.q, row, data, [care_of, *address] if care_of else address, fields,
                                     notification=template.notification, audience=template.audience, via=route)
        if verdict.held:
            return Prepared(row["id"], held=verdict.held, digest=verdict.digest)
        event = template.event_date
        when = fields.get(event) if event else None
        if isinstance(when, date) and when < self.today and "event_passed" not in data.get("released", []):
            return Prepared(row["id"], held=f"event_passed:{when.isoformat()}", digest=verdict.digest)
        language = preference
        if data.get("circular") or route is not None:
            language = letter_language(language if language in ("cy", "en") else None,
                                       circular=bool(data.get("circular")))
        welsh = needs_welsh(self.quoted) if language != "en" else None
        if welsh:
            return Prepared(row["id"], held=welsh, quoted=self.quoted)
        recipient = Recipient(name=row["recipient_name"], address=address, care_of=care_of or None,
                              language_preference=preference if preference in ("cy", "en") else None)
        letter = LetterData(recipient=recipient, letter_date=self.today,
                            fields={k: v for k, v in fields.items() if k in needed and k not in RESERVED},
                            reference=row.get("case_reference") or "")
        return Prepared(row["id"], job=LetterJob(tid, language, letter), quoted=self.quoted, digest=verdict.digest)

    def _complete(self, row: dict[str, Any], tid: str, data: dict[str, Any], f: dict[str, Any]) -> None:
        """Fill what casework leaves to the print queue (only empty placeholders are touched)."""
        code = row["template_id"]
        lists = load_template(tid).list_fields
        for name, entries in decode_sources(data).items():  # free texts re-read from their record
            quoted = read_sources(self.q, name, entries, row.get("case_id"))
            self.quoted += quoted
            if quoted:
                f[name] = [i for q in quoted for i in q.items()] if name in lists else joined(quoted)
        conference_id = _source_id(row.get("source_event"), "cp_conference") or data.get("conference_id")
        if code == "N9":
            self._n9(row, conference_id, f)
        elif code in ("N8", "N11"):
            for name in ("conference_time", "venue", "report_due_date"):
                if _empty(f.get(name)):
                    f[name] = bi("To be confirmed by the co-ordinator")
        elif code == "N12":
            if isinstance(f.get("reasons"), str):
                f["reasons"] = [p.strip() for p in f["reasons"].split("\n") if p.strip()]
            if _empty(f.get("next_steps")):
                if data.get("audience", "family" if row["recipient_kind"] == "person" else "agency") == "family":
                    f["next_steps"] = [
                        bi("Your social worker will talk to you about any support you and your family may still need."),
                        bi("If you have new worries about a child's safety, contact social services straight away.")]
                else:
                    f["next_steps"] = [
                        # Worded for one child or several: the letter names them.
                        bi("Please update your agency's records: none of the names in this letter is on the child"
                           " protection register any more."),
                        bi("Continue to report any new concerns about a child to social services straight away.")]
        elif tid == "n19_plan_family":
            outcomes, family, others = self._plan(row["case_id"], ("outcomes", "family_actions", "support"))
            if _empty(f.get("outcomes")):
                f["outcomes"] = outcomes or [bi(
                    "What we want to achieve will be agreed with you in the detailed plan at the first core "
                    "group meeting.")]
            if _empty(f.get("family_actions")):
                f["family_actions"] = family or [bi(
                    "What you need to do will be agreed with you at the first core group meeting.")]
            if _empty(f.get("support")):
                f["support"] = others or [bi("Your social worker will visit you regularly and support you with the plan.")]
            if _empty(f.get("next_review_date")):
                f["next_review_date"] = bi("To be confirmed by the co-ordinator")
        elif tid == "n19_plan_adult":
            outcomes, yours, support = self._adult_plan(row["case_id"], row["recipient_id"])
            if _empty(f.get("outcomes")):
                f["outcomes"] = outcomes or [bi("What we want to achieve will be agreed with you as the plan is reviewed.")]
            if _empty(f.get("your_actions")):
                f["your_actions"] = yours or [bi("Nothing is asked of you in the plan at present.")]
            if _empty(f.get("support")):
                f["support"] = support or [bi("Your lead practitioner will keep in touch and support you with the plan.")]
            if _empty(f.get("review_date")):
                f["review_date"] = bi("To be confirmed by the co-ordinator")

    def _n9(self, row: dict[str, Any], conference_id: str | None, f: dict[str, Any]) -> None:
        if _empty(f.get("coordinator_name")):  # none named at the ICPC (N3 has gone to the senior manager)
            f["coordinator_name"] = bi("Not yet named")
        if _empty(f.get("categories")):
            f["categories"] = bi("None")
        for name in ("first_core_group_date", "next_review_date"):
            if _empty(f.get(name)):
                f[name] = bi("Not applicable")
        if _empty(f.get("decisions")):
            decisions: list[Any] = []
            if f.get("registration_decision"):
                decisions.append(f["registration_decision"])
            if isinstance(f.get("categories"), BilingualText) and f["categories"].en not in (None, "None"):
                decisions.append(bi("Registration categories: {categories}", categories=f["categories"]))
            f["decisions"] = decisions
        outcomes, family, others = self._plan(row["case_id"])
        if _empty(f.get("outcomes")):
            f["outcomes"] = outcomes or self._outline(row["case_id"]) or [bi(
                "The outcomes will be set out in the detailed plan agreed at the first core group meeting.")]
        if _empty(f.get("actions")):
            f["actions"] = family + others or [bi(
                "The actions, and who is responsible for each, will be agreed at the first core group meeting.")]

    def _outline(self, case_id: str | None) -> list[Any]:
        """The active outline plan, a line per item (each line beside its Welsh line, when the Welsh
        has as many lines; otherwise the Welsh is not usable and the letter needs it)."""
        rows = self.q("SELECT id, outline, outline_cy FROM cp_plan WHERE case_id = ? AND deleted = 0"
                      " AND status = 'active' ORDER BY version_no DESC LIMIT 1", [case_id]) if case_id else []
        if not rows or not (rows[0]["outline"] or "").strip():
            return []
        quoted = Quoted("outcomes", "cp_plan", rows[0]["id"], "outline", rows[0]["outline"], rows[0]["outline_cy"])
        self.quoted.append(quoted)
        en = list(dict.fromkeys(_lines(rows[0]["outline"])))
        cy = list(dict.fromkeys(_lines(rows[0]["outline_cy"])))
        if not quoted.welsh:
            return list(en)
        if len(cy) == len(en):
            return [BilingualText(cy=c, en=e) for c, e in zip(cy, en, strict=True)]
        return [BilingualText(cy=" ".join(cy), en=" ".join(en))]

    def _plan(self, case_id: str | None, placeholders: tuple[str, str, str] = ("outcomes", "actions", "actions")
              ) -> tuple[list[Any], list[Any], list[Any]]:
        """The active plan's outcomes, family actions and other actions (the support first), as letter
        list items; each free text is quoted (:attr:`quoted`) under the placeholder that shows it."""
        outcomes_in, family_in, others_in = placeholders
        if not case_id:
            return [], [], []
        plan = self.q("SELECT id, support, support_cy FROM cp_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'"
                      " ORDER BY version_no DESC LIMIT 1", [case_id])
        if not plan:
            return [], [], []
        pid = plan[0]["id"]
        outcomes: list[Any] = []
        for r in self.q("SELECT id, description, description_cy FROM cp_plan_outcome WHERE plan_id = ? AND deleted = 0"
                        " ORDER BY position", [pid]):
            quoted = Quoted(outcomes_in, "cp_plan_outcome", r["id"], "description", r["description"],
                            r["description_cy"])
            self.quoted.append(quoted)
            outcomes.append(quoted.value())
        family: list[Any] = []
        others: list[Any] = []
        for a in self.q("SELECT id, description, description_cy, owner_kind, owner_name, due_on FROM cp_plan_action"
                        " WHERE plan_id = ? AND deleted = 0 AND status != 'done' ORDER BY COALESCE(due_on, '')",
                        [pid]):
            action = Quoted(family_in if a["owner_kind"] == "person" else others_in, "cp_plan_action", a["id"],
                            "description", a["description"], a["description_cy"])
            self.quoted.append(action)
            (family if a["owner_kind"] == "person" else others).append(_action_item(action, a))
        if (plan[0]["support"] or "").strip():
            support = Quoted(others_in, "cp_plan", pid, "support", plan[0]["support"], plan[0]["support_cy"], lines=True)
            self.quoted.append(support)
            others = support.items() + others
        return outcomes, family, others


    def _adult_plan(self, case_id: str | None, adult_id: str) -> tuple[list[Any], list[Any], list[Any]]:
        """The adult's active plan as letter list items: its outcomes, the actions the adult takes (an
        action owned by them, by id or by their name) and every other action still open (the support
        others give); each free text quoted (:attr:`quoted`) under the placeholder that shows it."""
        plan = self.q("SELECT id FROM adult_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'"
                      " ORDER BY started_on DESC LIMIT 1", [case_id]) if case_id else []
        if not plan:
            return [], [], []
        pid = plan[0]["id"]
        outcomes: list[Any] = []
        for r in self.q("SELECT id, description, description_cy FROM adult_plan_outcome WHERE plan_id = ?"
                        " AND deleted = 0 ORDER BY position", [pid]):
            quoted = Quoted("outcomes", "adult_plan_outcome", r["id"], "description", r["description"],
                            r["description_cy"])
            self.quoted.append(quoted)
            outcomes.append(quoted.value())
        person = self.q("SELECT TRIM(COALESCE(given_names, '') || ' ' || COALESCE(family_name, '')) AS name"
                        " FROM person WHERE id = ?", [adult_id])
        name = person[0]["name"].casefold() if person else None
        yours: list[Any] = []
        others: list[Any] = []
        for a in self.q("SELECT id, description, description_cy, owner_kind, owner_id, owner_name, due_on"
                        " FROM adult_plan_action WHERE plan_id = ? AND deleted = 0 AND status != 'done'"
                        " ORDER BY COALESCE(due_on, ''), created_at", [pid]):
            mine = a["owner_kind"] == "person" and (a["owner_id"] == adult_id or (
                not a["owner_id"] and (a["owner_name"] or "").strip().casefold() == name))
            action = Quoted("your_actions" if mine else "support", "adult_plan_action", a["id"], "description",
                            a["description"], a["description_cy"])
            self.quoted.append(action)
            (yours if mine else others).append(_action_item(action, a))
        return outcomes, yours, others


def _action_item(action: Quoted, row: dict[str, Any]) -> BilingualText:
    """A plan action as a letter's list item: what, who, and by when if it has a date."""
    if row["due_on"]:
        return bi("{action} ({owner}, by {due})", action=action.value(), owner=row["owner_name"],
                  due=date.fromisoformat(row["due_on"]))
    return bi("{action} ({owner})", action=action.value(), owner=row["owner_name"])


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r", "").split("\n") if line.strip()]


def _source_id(source: str | None, kind: str) -> str | None:
    if source and source.startswith(kind + ":"):
        return source.split(":", 1)[1]
    return None


# --------------------------------------------------------------------------------------------
# The service

_LIST_SQL = """
SELECT l.id, l.case_id, l.template_id, l.recipient_kind, l.recipient_id, l.recipient_name, l.language,
       l.data, l.status, l.held_reason, l.source_event, l.created_at, l.printed_at, l.printed_by,
       l.pdf IS NOT NULL AS has_pdf, c.reference AS case_reference,
       (SELECT group_concat(f.kind) FROM person_flag f WHERE l.recipient_kind = 'person'
        AND f.person_id = l.recipient_id AND f.deleted = 0 AND f.cleared_on IS NULL) AS recipient_flags,
       TRIM(COALESCE(pp.given_names, '') || ' ' || COALESCE(pp.family_name, '')) AS printed_by_name
FROM letter l
LEFT JOIN case_file c ON c.id = l.case_id
LEFT JOIN practitioner pp ON pp.id = l.printed_by
WHERE l.deleted = 0 AND (l.case_id IS NULL OR ({scope}))
"""


class LetterService:
    """The print queue for the signed-in person (thread contract: any thread; writes go through
    the store's writer thread, one transaction per letter)."""

    def __init__(self, session: Any, council: CouncilIdentity | None = None) -> None:
        self.session = session
        self.council = council or load_council(session.profile.folder if session.profile else None)

    # -- reading ------------------------------------------------------------------------------
    def _rows(self, where: str = "", params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        condition, scope_params = case_condition(self.session.user, self.session.today())
        sql = _LIST_SQL.format(scope=condition) + where + " ORDER BY l.created_at, c.reference, l.recipient_name"
        return self.session.store.rows(sql, {**scope_params, **(params or {})})

    @staticmethod
    def _item(row: dict[str, Any]) -> QueuedLetter:
        data = json.loads(row["data"] or "{}")
        return QueuedLetter(
            id=row["id"], case_id=row["case_id"], case_reference=row["case_reference"] or "",
            code=row["template_id"], template_id=resolve_template(row["template_id"], row["recipient_kind"], data),
            recipient_kind=row["recipient_kind"], recipient_id=row["recipient_id"],
            recipient_name=row["recipient_name"], language=row["language"], status=row["status"],
            held_reason=row["held_reason"], created_at=row["created_at"], printed_at=row["printed_at"],
            printed_by=row["printed_by"], printed_by_name=row["printed_by_name"] or "", has_pdf=bool(row["has_pdf"]),
            recipient_flags=_kinds(row.get("recipient_flags")))

    def queue(self, *, recheck: bool = True, include_printed: bool = False) -> list[QueuedLetter]:
        """Letters waiting (queued and held; printed too with ``include_printed``), oldest first.

        With ``recheck`` every waiting letter is checked again first: a held letter whose reason
        has gone (an address recorded, the data completed) is released to ``queued``; a queued
        letter that can no longer be rendered is held with the reason (one transaction)."""
        self.session.require(Can.MANAGE_LETTERS)
        if recheck:
            self.recheck()
        statuses = "('queued', 'held', 'printed')" if include_printed else "('queued', 'held')"
        return [self._item(r) for r in self._rows(f" AND l.status IN {statuses}")]

    def queued_count(self) -> int:
        """How many letters are ready to print (the Letters area's badge); no re-check."""
        self.session.require(Can.MANAGE_LETTERS)
        condition, params = case_condition(self.session.user, self.session.today())
        rows = self.session.store.rows(
            "SELECT count(*) AS n FROM letter l LEFT JOIN case_file c ON c.id = l.case_id WHERE l.deleted = 0"
            f" AND l.status = 'queued' AND (l.case_id IS NULL OR ({condition}))", params)
        return int(rows[0]["n"])

    def get(self, letter_id: str) -> QueuedLetter:
        """One letter of a case in scope (``Can.MANAGE_LETTERS`` or ``Can.VIEW_CASEWORK``)."""
        self._require_view()
        rows = self._rows(" AND l.id = :letter_id", {"letter_id": letter_id})
        if not rows:
            raise NotFound(N_("That letter does not exist or is not in your caseload."))
        return self._item(rows[0])

    def history(self, case_id: str) -> list[QueuedLetter]:
        """A case's correspondence: every letter queued, held, printed or cancelled, newest first."""
        self._require_view()
        from desktop.services.scope import require_case

        require_case(self.session, case_id)
        rows = self._rows(" AND l.case_id = :case_id", {"case_id": case_id})
        return [self._item(r) for r in reversed(rows)]

    def pdf(self, letter_id: str) -> bytes | None:
        """The PDF stored when the letter was printed (``None`` if not printed)."""
        self._require_view()
        self.get(letter_id)
        rows = self.session.store.rows("SELECT pdf FROM letter WHERE id = ?", [letter_id])
        return _decode(rows[0]["pdf"]) if rows and rows[0]["pdf"] is not None else None

    def _require_view(self) -> None:
        if not (self.session.can(Can.MANAGE_LETTERS) or self.session.can(Can.VIEW_CASEWORK)):
            self.session.require(Can.MANAGE_LETTERS)

    # -- checking -----------------------------------------------------------------------------
    def _builder(self, query: Query) -> LetterBuilder:
        return LetterBuilder(query, self.council, self.session.today())

    def recheck(self) -> dict[str, int]:
        """Hold or release every waiting letter in scope by what it lacks now; returns counts
        ``{"released": n, "held": n}``. One transaction (nothing written if nothing changed)."""
        self.session.require(Can.MANAGE_LETTERS)
        rows = self._rows(" AND l.status IN ('queued', 'held')")
        builder = self._builder(lambda sql, p: self.session.store.rows(sql, p))
        changes: dict[str, dict[str, Any]] = {}
        for row in rows:
            prep = builder.prepare(row)
            status, reason = ("held", prep.held) if prep.held else ("queued", None)
            if (row["status"], row["held_reason"]) != (status, reason):
                changes[row["id"]] = {"status": status, "held_reason": reason}
        if changes:
            def write(tx: Tx) -> None:
                for lid, change in changes.items():
                    current = tx.get("letter", lid)
                    if current and current["status"] in ("queued", "held"):
                        tx.update("letter", lid, change)
            self.session.write(write)
        released = sum(1 for c in changes.values() if c["status"] == "queued")
        return {"released": released, "held": len(changes) - released}

    def release_guarded(self, letter_id: str, reason: str) -> QueuedLetter:
        """A manager lets a letter the correspondence guard held go, saying why: one
        ``letter_release`` row (synced, audited) for the reason it is held now and the flags the
        guard saw, and the letter back in the queue unless another reason still holds it. The
        release lasts while those flags are unchanged. Raises ``ValidationError`` without a reason
        or when the letter is not held by the guard."""
        self.session.require(Can.SAFETY)
        why = (reason or "").strip()
        if not why:
            raise ValidationError(N_("Say why the letter may be sent."), "reason")
        row, prep = self._prepare(letter_id)
        if row["status"] not in ("queued", "held") or prep.held not in GUARD_REASONS:
            raise ValidationError(N_("Only a letter held for someone's safety can be released."), "letter")
        held, digest = prep.held, prep.digest

        def write(tx: Tx) -> dict[str, Any]:
            tx.insert("letter_release", {"letter_id": letter_id, "held_reason": held,
                                         "flags_digest": digest, "reason": why}, case_id=row["case_id"])
            after = self._builder(tx.query).prepare(row)
            status, left = ("held", after.held) if after.held else ("queued", None)
            if (row["status"], row["held_reason"]) != (status, left):
                tx.update("letter", letter_id, {"status": status, "held_reason": left})
            return {**row, "status": status, "held_reason": left}

        return self._item(self.session.write(write))

    # -- rendering ----------------------------------------------------------------------------
    def _prepare(self, letter_id: str) -> tuple[dict[str, Any], Prepared]:
        rows = self._rows(" AND l.id = :letter_id", {"letter_id": letter_id})
        if not rows:
            raise NotFound(N_("That letter does not exist or is not in your caseload."))
        return rows[0], self._builder(lambda sql, p: self.session.store.rows(sql, p)).prepare(rows[0])

    def preview(self, letter_id: str) -> bytes:
        """The letter rendered now as PDF bytes (nothing is stored). A printed letter gives its
        stored PDF. Raises :class:`reports.LetterError` (or ``MissingAddressError``) when the letter
        is held, with the reason."""
        self.session.require(Can.MANAGE_LETTERS)
        row, prep = self._prepare(letter_id)
        if row["status"] == "printed":
            stored = self.pdf(letter_id)
            if stored:
                return stored
        if prep.job is None:
            raise _held_error(row, prep.held or "")
        return _render([prep.job], self.council)

    def render_batch(self, letter_ids: Iterable[str]) -> tuple[bytes | None, BatchResult]:
        """Waiting letters rendered together in one PDF (for one print run; nothing stored).
        Letters that cannot be rendered are left out and reported in ``held``/``errors``."""
        self.session.require(Can.MANAGE_LETTERS)
        result = BatchResult()
        jobs = []
        for lid in letter_ids:
            row, prep = self._prepare(lid)
            if prep.job is None:
                result.held[lid] = prep.held or ""
                continue
            try:
                _render([prep.job], self.council)  # validates; cheap enough per letter
            except LetterError as exc:
                result.errors[lid] = exc.message()
                continue
            jobs.append(prep.job)
            result.printed.append(lid)
        return (_render(jobs, self.council) if jobs else None), result

    def render_many(self, letter_ids: Iterable[str], *, cancelled: Callable[[], bool] | None = None,
                    workers: int | None = None) -> Iterator[tuple[str, bytes | None, str | None]]:
        """:meth:`preview` for many letters on every core: ``(id, pdf, None)`` or ``(id, None, why)``
        for each, in the order given (nothing is stored). Every letter is checked (role, scope) before
        this returns; the rendering happens as the result is iterated, and stops when ``cancelled()``
        turns true or the iterator is closed."""
        self.session.require(Can.MANAGE_LETTERS)
        ids = list(letter_ids)
        plan: list[tuple[str, bytes | None, str | None, LetterJob | None]] = []
        for lid in ids:
            row, prep = self._prepare(lid)
            stored = self.pdf(lid) if row["status"] == "printed" else None
            if stored:
                plan.append((lid, stored, None, None))
            elif prep.job is None:
                plan.append((lid, None, _held_error(row, prep.held or "").message(), None))
            else:
                plan.append((lid, None, None, prep.job))
        jobs = [job for *_rest, job in plan if job is not None]

        def produce() -> Iterator[tuple[str, bytes | None, str | None]]:
            rendered = render_each(jobs, self.council, cancelled=cancelled, workers=workers)
            try:
                for lid, pdf, why, job in plan:
                    if job is None:
                        yield lid, pdf, why
                        continue
                    outcome = next(rendered, None)
                    if outcome is None:
                        return  # cancelled
                    yield lid, outcome.pdf, outcome.error.message() if outcome.error else None
            finally:
                rendered.close()

        return produce()

    # -- a person's decision ------------------------------------------------------------------
    def release(self, letter_id: str) -> QueuedLetter:
        """Print a held letter anyway: its reason (one of :data:`RELEASABLE`, e.g. an event already
        past) is set aside for good and the letter is ready to print, unless it also lacks something
        (it is then held for that). Refused (``ValidationError``, nothing written) when the letter is
        not held for a reason a person may override."""
        self.session.require(Can.MANAGE_LETTERS)
        letter = self.get(letter_id)
        if not letter.releasable:
            raise ValidationError(N_("Only a letter held for a reason a person may set aside can be released."),
                                  field="letter")
        reason = (letter.held_reason or "").partition(":")[0]

        def write(tx: Tx) -> None:
            row = tx.get_existing("letter", letter_id)
            if row["status"] != "held" or (row["held_reason"] or "").partition(":")[0] != reason:
                raise ValidationError(N_("That letter has changed since it was shown: look at it again."),
                                      field="letter")
            data = json.loads(row["data"] or "{}")
            data["released"] = sorted({*data.get("released", []), reason})
            prep = self._builder(tx.query).prepare({**row, "data": json.dumps(data, ensure_ascii=False),
                                                    "case_reference": letter.case_reference})
            tx.update("letter", letter_id, {"data": json.dumps(data, ensure_ascii=False, default=str),
                                            "status": "held" if prep.held else "queued",
                                            "held_reason": prep.held})

        self.session.write(write)
        return self.get(letter_id)

    def cancel(self, letter_id: str) -> QueuedLetter:
        """Take a waiting letter off the queue for good (status ``cancelled``; it stays in the
        case's correspondence). A letter already cancelled is left as it is; a printed one is
        refused with :class:`reports.LetterError`."""
        self.session.require(Can.MANAGE_LETTERS)
        self.get(letter_id)

        def write(tx: Tx) -> None:
            row = tx.get_existing("letter", letter_id)
            if row["status"] == "cancelled":
                return
            if row["status"] not in ("queued", "held"):
                raise LetterError(N_("That letter has already been printed or cancelled."), row["template_id"])
            tx.update("letter", letter_id, {"status": "cancelled"})

        self.session.write(write)
        return self.get(letter_id)

    # -- printing -----------------------------------------------------------------------------
    def mark_printed(self, letter_id: str, pdf: bytes) -> QueuedLetter:
        """Store ``pdf`` in the letter row, status ``printed``, ``printed_at``/``printed_by`` and a
        ``letter_printed`` audit entry — one transaction. Raises ``NotFound``; a letter that is no
        longer waiting raises :class:`reports.LetterError`."""
        self.session.require(Can.MANAGE_LETTERS)
        self.get(letter_id)
        digest = hashlib.sha256(pdf).hexdigest()

        def write(tx: Tx) -> None:
            row = tx.get("letter", letter_id)
            if row is None or row["deleted"] or row["status"] not in ("queued", "held"):
                raise LetterError(N_("That letter has already been printed or cancelled."),
                                  row["template_id"] if row else "")
            _record_printed(tx, row, pdf, digest)

        self.session.write(write)
        return self.get(letter_id)

    def print_letters(
        self,
        letter_ids: Iterable[str],
        *,
        out_dir: Path | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        workers: int | None = None,
    ) -> BatchResult:
        """Render each letter on its own, optionally write it to ``out_dir`` (see
        :func:`export_name`), and mark it printed (one transaction per letter). A letter that
        cannot be rendered is held with the reason (or, for a renderer error, left queued and
        reported in ``errors``) and the run goes on. ``progress(done, total)`` is called after
        each letter, in the order given; ``cancelled()`` true stops before the next letter (those
        done stay done, each with its whole file; nothing after it is written or marked).

        The letters render on every core (:mod:`reports.batch`; ``workers=0`` renders in this
        process); reading the queue, writing the files and marking happen here, in order."""
        self.session.require(Can.MANAGE_LETTERS)
        ids = list(letter_ids)
        result = BatchResult()
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
        is_cancelled = cancelled or (lambda: False)
        prepared = [self._prepare(lid) for lid in ids]
        waiting = [(row, prep) for row, prep in prepared if row["status"] in ("queued", "held")]
        jobs = [prep.job for _row, prep in waiting if prep.job is not None]
        rendered = render_each(jobs, self.council, cancelled=is_cancelled, workers=workers)
        try:
            for n, (lid, (row, prep)) in enumerate(zip(ids, prepared, strict=True), 1):
                if is_cancelled():
                    result.cancelled = True
                    break
                if row["status"] not in ("queued", "held"):
                    pass
                elif prep.job is None:
                    self._hold(row, prep.held or "")
                    result.held[lid] = prep.held or ""
                else:
                    outcome = next(rendered, None)
                    if outcome is None:  # the renderer stopped: only a cancel does that
                        result.cancelled = True
                        break
                    if isinstance(outcome.error, MissingAddressError):
                        self._hold(row, "no_address")
                        result.held[lid] = "no_address"
                    elif outcome.error is not None:
                        result.errors[lid] = outcome.error.message()
                    else:
                        assert outcome.pdf is not None
                        self._deliver(lid, row, prep.job, outcome.pdf, out_dir, result)
                if progress is not None:
                    progress(n, len(ids))
        finally:
            rendered.close()  # withdraws whatever the pool still has queued
        return result

    def _deliver(self, lid: str, row: dict[str, Any], job: LetterJob, pdf: bytes, out_dir: Path | None,
                 result: BatchResult) -> None:
        """Write the letter's file whole (a temporary name, then renamed) and mark it printed; if the
        marking fails the file is taken away again, so a file on disk always means a printed letter."""
        path: Path | None = None
        if out_dir is not None:
            path = out_dir / export_name(row, job.template_id)
            partial = path.with_name(path.name + ".part")
            try:
                partial.write_bytes(pdf)
                partial.replace(path)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        try:
            self.mark_printed(lid, pdf)
        except BaseException:
            if path is not None:
                path.unlink(missing_ok=True)
            raise
        if path is not None:
            result.files[lid] = path
        result.printed.append(lid)

    def print_queue(self, **kwargs: Any) -> BatchResult:
        """:meth:`print_letters` for every waiting letter in scope (re-checked first)."""
        waiting = [q.id for q in self.queue() if q.status == "queued"]
        held = {q.id: q.held_reason or "" for q in self.queue(recheck=False) if q.status == "held"}
        result = self.print_letters(waiting, **kwargs)
        result.held = {**held, **result.held}
        return result

    def _hold(self, row: dict[str, Any], reason: str) -> None:
        if (row["status"], row["held_reason"]) == ("held", reason):
            return
        self.session.write(lambda tx: tx.update("letter", row["id"], {"status": "held", "held_reason": reason}))


def _record_printed(tx: Tx, row: dict[str, Any], pdf: bytes, digest: str) -> None:
    """``Tx.update`` for a printed letter, except that the audit entry carries the PDF's SHA-256
    and size instead of the PDF itself (the row and the sync outbox carry the PDF; a copy in the
    hash-chained audit would double the store for every letter ever printed)."""
    changes = {"status": "printed", "held_reason": None, "printed_at": tx.now, "printed_by": tx.actor,
               "pdf": base64.b64encode(pdf).decode("ascii")}
    sets = ", ".join(f"[{c}] = ?" for c in changes)
    tx.db.execute(f"UPDATE letter SET {sets}, updated_at = ?, updated_by = ? WHERE id = ?",
                  [*changes.values(), tx.now, tx.actor, row["id"]])
    base = {k: row.get(k) for k in changes}
    tx._outbox("letter", row["id"], row["case_id"], "update", changes, base, row["version"])  # noqa: SLF001
    summary = {k: v for k, v in changes.items() if k != "pdf"}
    tx.record("letter_printed", entity="letter", entity_id=row["id"], case_id=row["case_id"],
              before={k: v for k, v in base.items() if k != "pdf"},
              after={**summary, "template": row["template_id"], "recipient_kind": row["recipient_kind"],
                     "recipient_id": row["recipient_id"], "language": row["language"], "sha256": digest,
                     "bytes": len(pdf)})


def _kinds(joined: str | None) -> tuple[str, ...]:
    from desktop.services.safety_flags import KIND_WORDS

    found = set((joined or "").split(","))
    return tuple(k for k in KIND_WORDS if k in found)


def _decode(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return base64.b64decode(value)


def _held_error(row: dict[str, Any], reason: str) -> LetterError:
    if reason == "no_address":
        return MissingAddressError(
            N_("The letter {template} cannot be printed: {recipient} has no postal address."),
            row["template_id"], "address", recipient=row["recipient_name"])
    if reason.startswith("missing_data:"):
        return LetterError(N_("The letter {template} needs a value for {field}."), row["template_id"],
                           reason.split(":", 1)[1])
    if reason in GUARD_REASONS or reason == "contact_via_no_address":
        return LetterError(HELD_REASONS[reason], row["template_id"])
    return LetterError(N_("There is no letter template called {template}."), row["template_id"])


_SAFE = re.compile(r"[^A-Za-z0-9À-ÿŵŷŴŶ._-]+")


def export_name(row: dict[str, Any], template_id: str) -> str:
    """``<case ref>_<template id>_<recipient>_<letter id 8>.pdf`` with unsafe characters as ``-``."""
    parts = [row.get("case_reference") or "no-case", template_id, row["recipient_name"], row["id"][:8]]
    return "_".join(_SAFE.sub("-", p).strip("-") or "x" for p in parts) + ".pdf"


def assert_can_manage(session: Any) -> None:
    """Raise :class:`PermissionDenied` unless the person may manage letters."""
    if not session.can(Can.MANAGE_LETTERS):
        raise PermissionDenied(N_("Your role cannot print or send letters."))
