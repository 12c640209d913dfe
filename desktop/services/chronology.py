"""The chronology: one time-ordered view, per case and per child or adult, of every significant event
the system knows (Qt-free).

Each kind of record is a **source** (:func:`register_source`): a function ``fn(store, case_id)`` that
returns the :class:`Event` s of one case from its own tables with a few indexed queries. The sources
shipped (:mod:`desktop.services.chronology_sources`) cover the notes flagged as significant events,
visits, reports, strategy discussions and meetings, section 47 and section 126 enquiries and their
outcomes, conferences and their decisions, register changes, becoming looked after, placements and
moves, legal status and proceedings, changes of co-ordinator, lead practitioner and allocated worker,
letters sent, complaints, and the case opening and closing. A casework module adds its own with one
``register_source`` line.

An event's words are kept as an English msgid with named parameters (:class:`Words`), so the same
events are shown in the interface language and exported in Welsh, English or both
(:func:`reports.chronology.render_chronology`).

``ChronologyService(session)`` (casework only — ``Can.VIEW_CASEWORK``; a case out of scope is
``NotFound``; every read audited):

* ``for_case(case_id, *, person_id=None, types=None, start=None, end=None) -> Chronology`` — the events,
  oldest first (date, then time, then the order they were recorded); for one person, the events about
  them and those about the whole case or household; ``types`` keeps only those :data:`TYPES`;
  ``start``/``end`` (inclusive) the period. The people's active safety flags come with it
  (:meth:`Chronology.safety`: a flag's words only, never whom it names or an address).
* ``render(case_id, *, language, person_id=None, types=None, start=None, end=None) -> bytes`` — the PDF,
  in ``cy``, ``en`` or ``bilingual`` (Welsh first), marked OFFICIAL-SENSITIVE.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from desktop.domain.validation import parse_date
from desktop.errors import ValidationError
from desktop.i18n import N_, _, format_date, translator
from desktop.services.reads import read_casework

TYPES: dict[str, str] = {
    "note": N_("Significant events in notes"),
    "report": N_("Reports and referrals"),
    "visit": N_("Visits"),
    "strategy": N_("Strategy discussions and meetings"),
    "enquiry": N_("Enquiries and their outcomes"),
    "conference": N_("Conferences and decisions"),
    "register": N_("Register changes"),
    "placement": N_("Placements and moves"),
    "legal": N_("Legal status and proceedings"),
    "worker": N_("Changes of worker, co-ordinator or lead practitioner"),
    "letter": N_("Letters sent"),
    "complaint": N_("Complaints"),
    "case": N_("The case opened, moved or closed"),
}
"""The kinds of event a reader can filter by (key → English msgid)."""


class Msg(NamedTuple):
    """A parameter that is itself words to translate (a code's label; "" for none)."""

    msgid: str


class Words(NamedTuple):
    """Words to show in any language: an English msgid and its named parameters (plain text, a
    :class:`Msg` translated in the same language, or a date in words in that language)."""

    msgid: str
    params: Mapping[str, str | Msg | tuple[Msg, ...] | date] = {}

    def text(self, lang: str | None = None) -> str:
        """In ``lang`` (``None``: the interface language); a tuple of :class:`Msg` is a list ("a, b")."""
        gettext = translator(lang).gettext if lang else _

        def value(v: str | Msg | tuple[Msg, ...] | date) -> str:
            if isinstance(v, str):
                return v
            if isinstance(v, date):
                return format_date(v, "long", lang=lang)
            if isinstance(v, Msg):
                return gettext(v.msgid) if v.msgid else ""
            return ", ".join(gettext(m.msgid) for m in v)

        return gettext(self.msgid).format(**{k: value(v) for k, v in self.params.items()})


class Event(NamedTuple):
    """One significant event (a named tuple: a chronology holds thousands)."""

    on: date
    type: str
    """One of :data:`TYPES`."""
    what: Words
    """What happened, in a line ("Strategy discussion held")."""
    detail: str = ""
    """What was written about it, as written (a note's text, the decisions); never translated."""
    people: tuple[str, ...] = ()
    """The people it is about (ids); empty when it is about the whole case."""
    names: str = ""
    """Their names, as shown."""
    by: str = ""
    """Who recorded it or acted, by name ("" when not known)."""
    at: str | None = None
    """The time (hh:mm), when recorded."""
    source: str = ""
    """Which record it comes from: "<table>:<id>"."""
    order: str = ""
    """A tiebreak within a day (when the record was made)."""

    @property
    def key(self) -> tuple[date, str, str, str]:
        return self.on, self.at or "", self.order, self.source


Source = Callable[[Any, str], list[Event]]
_SOURCES: dict[str, Source] = {}


def register_source(name: str, fn: Source) -> None:
    """Add (or replace) a chronology source: ``fn(store, case_id) -> list[Event]``."""
    _SOURCES[name] = fn


def sources() -> dict[str, Source]:
    import desktop.services.chronology_sources  # noqa: F401 - registers the shipped sources

    return dict(_SOURCES)


@dataclass(frozen=True, slots=True)
class Chronology:
    """What was asked for and what was found."""

    case_id: str
    case_reference: str
    subjects: dict[str, str]
    """The case's children or adult: id → name."""
    events: list[Event]
    person_id: str | None = None
    types: frozenset[str] | None = None
    start: date | None = None
    end: date | None = None

    flags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Active safety flags (kinds) of the people the events are about, by person id."""
    flagged: dict[str, str] = field(default_factory=dict)
    """The names of those flagged people, by id."""

    @property
    def person_name(self) -> str:
        return self.subjects.get(self.person_id or "", "")

    def safety(self, event: Event, lang: str | None = None) -> str:
        """The safety flags of the people ``event`` names as who it is about, in ``lang`` (default: the
        interface language): "Name: Address confidential; …", "" when none (an event about the whole
        case names nobody). Only the flags' kinds in words: never whom a flag names, nor an address."""
        from desktop.services.safety_flags import KIND_WORDS

        gettext = translator(lang).gettext if lang else _
        parts = []
        for pid in dict.fromkeys(event.people):
            if self.flags.get(pid):
                words = ", ".join(gettext(KIND_WORDS[k]) for k in self.flags[pid])
                # L10N: one person's safety flags, e.g. "Dafydd Tŵr: Do not contact"
                parts.append(gettext("{name}: {flags}").format(name=self.flagged.get(pid, ""), flags=words))
        return "; ".join(parts)

    def who(self, event: Event, lang: str | None = None) -> str:
        """"Who it is about" with their safety flags, if any."""
        safety = self.safety(event, lang)
        if not safety:
            return event.names
        gettext = translator(lang).gettext if lang else _
        # L10N: the people an event is about, then their safety flags: "Mererid Tŵr (safety: Mererid Tŵr: …)"
        return gettext("{names} (safety: {flags})").format(names=event.names or "—", flags=safety)


class ChronologyService:
    """Thread contract: any thread (reads, plus the audit entry of the read)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def for_case(self, case_id: str, *, person_id: str | None = None, types: Collection[str] | None = None,
                 start: Any = None, end: Any = None) -> Chronology:
        """The case's chronology (see the module docstring)."""
        case = read_casework(self.session, case_id, "chronology", person_id)
        first, last = parse_date(start, "start"), parse_date(end, "end")
        if first and last and last < first:
            raise ValidationError(N_("The end of the period is before its start."), field="end")
        wanted = frozenset(types) if types is not None else None
        if wanted is not None and not wanted <= set(TYPES):
            raise ValidationError(N_("Choose kinds of event from the list."), field="types")
        store = self.session.store
        subjects = {r["id"]: r["name"] for r in store.rows(
            "SELECT p.id, TRIM(COALESCE(p.preferred_name, p.given_names, '') || ' ' || COALESCE(p.family_name, ''))"
            " AS name FROM case_member m JOIN person p ON p.id = m.person_id WHERE m.case_id = ? AND m.deleted = 0"
            " AND m.role = 'subject' ORDER BY m.created_at", [case_id])}
        if person_id is not None and person_id not in subjects:
            raise ValidationError(N_("Choose a child or adult of this case."), field="person_id")
        events: list[Event] = []
        for fn in sources().values():
            events += fn(store, case_id)
        chosen = [e for e in events
                  if (wanted is None or e.type in wanted)
                  and (first is None or e.on >= first) and (last is None or e.on <= last)
                  and (person_id is None or not e.people or person_id in e.people)]
        chosen.sort(key=lambda e: e.key)
        flags, flagged = _flags(store, {p for e in chosen for p in e.people})
        return Chronology(case_id, case["reference"], subjects, chosen, person_id, wanted, first, last, flags, flagged)

    def render(self, case_id: str, *, language: str, person_id: str | None = None,
               types: Collection[str] | None = None, start: Any = None, end: Any = None) -> bytes:
        """The chronology as a PDF in ``language`` (``cy``, ``en`` or ``bilingual``: Welsh first)."""
        from desktop.services.correspondence_guard import redact, secrets
        from desktop.services.letters import load_council
        from reports.chronology import render_chronology
        from reports.report_common import report_languages

        if language not in ("cy", "en", "bilingual"):
            raise ValidationError(N_("Choose Welsh, English or both."), field="language")
        chronology = self.for_case(case_id, person_id=person_id, types=types, start=start, end=end)
        # A chronology goes to conferences and courts: no confidential address may be printed in it.
        chronology = redact(chronology, secrets(self.session.store.rows))
        council = load_council(self.session.profile.folder)
        return render_chronology(chronology, council, report_languages(language), made_on=self.session.today(),
                                 made_by=self.session.user.name)


def _flags(store: Any, people: set[str]) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Active safety flags (kinds, in a fixed order) and names of those of ``people`` who have any."""
    from desktop.services.safety_flags import KIND_WORDS

    if not people:
        return {}, {}
    ids = sorted(people)
    marks = ", ".join("?" for _i in ids)
    kinds: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for r in store.rows(
            "SELECT f.person_id, f.kind, TRIM(COALESCE(p.preferred_name, p.given_names, '') || ' '"
            " || COALESCE(p.family_name, '')) AS name FROM person_flag f JOIN person p ON p.id = f.person_id"
            f" WHERE f.deleted = 0 AND f.cleared_on IS NULL AND f.person_id IN ({marks})", ids):
        kinds.setdefault(r["person_id"], set()).add(r["kind"])
        names[r["person_id"]] = r["name"]
    return {pid: tuple(k for k in KIND_WORDS if k in ks) for pid, ks in kinds.items()}, names
