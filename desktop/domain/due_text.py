"""Plain-language reasons for due items, in Welsh or English (Qt-free).

``reason(item)`` speaks the interface language; ``reason(item, lang="cy")`` a fixed language (letters,
reports, the CLI). Every reason is one whole sentence per rule and state — never translated pieces
joined together, because Welsh mutates — with ``ngettext`` for every count and named ``{placeholders}``:
``{date}`` (the due date), ``{n}`` (a count) and, for A7, ``{conference}`` (the conference date).

Which count ``{n}`` is depends on the rule: for visit and other rolling rules it is the time since the
child/adult was last seen (or since the clock started) — "Not seen alone for 12 working days"; for
one-off deadlines it is how far past the due date we are — "… overdue by 3 working days". A working-day
rule counts working days, any other calendar days (``DueItem.overdue_unit``). Not-yet-overdue items say
"… due by {date}".

The msgids are English; the lead extracts them with Babel (the literal ``gettext``/``ngettext`` calls
below) and translates them in ``locales/``. ``# L10N:`` comments carry notes for translators.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from desktop import i18n
from desktop.domain.engine import OVERDUE, DueItem
from desktop.domain.rules import RULE_TITLES, Rule


class _T(Protocol):
    def gettext(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...
    def format_date(self, value: date | None, style: str = "medium") -> str: ...


class _Interface:
    """The interface language, looked up at each call (it can change at runtime)."""

    @staticmethod
    def gettext(message: str) -> str:
        return i18n._(message)

    @staticmethod
    def ngettext(singular: str, plural: str, n: int) -> str:
        return i18n.ngettext(singular, plural, n)

    @staticmethod
    def format_date(value: date | None, style: str = "medium") -> str:
        return i18n.format_date(value, style=style)


_INTERFACE = _Interface()
_translators: dict[str, i18n.Translator] = {}


def _translator(lang: str | None) -> _T:
    if lang is None:
        return _INTERFACE
    t = _translators.get(lang)
    if t is None:
        t = _translators[lang] = i18n.translator(lang)
    return t


# (rule id, unit of the count) -> (sentence chooser, which count: "over" = days overdue,
# "elapsed" = time since the clock's anchor). A chooser gets n=None for a not-yet-overdue item.
_REASONS: dict[tuple[str, str], tuple[Callable[[_T, int | None], str], str]] = {}


def _c1(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Next actions on the report to be decided and recorded by {date}")
    return t.ngettext(
        "Next actions on the report overdue by {n} working day (due by {date})",
        "Next actions on the report overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("C1", "working_days")] = (_c1, "over")


def _c6(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Initial child protection conference due by {date}")
    return t.ngettext(
        "Initial child protection conference overdue by {n} working day (due by {date})",
        "Initial child protection conference overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("C6", "working_days")] = (_c6, "over")


def _c7(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Outline plan and summary of decisions to be circulated by {date}")
    return t.ngettext(
        "Outline plan and summary of decisions overdue by {n} working day (due by {date})",
        "Outline plan and summary of decisions overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("C7", "working_days")] = (_c7, "over")


def _c8(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Full conference record to be circulated by {date}")
    return t.ngettext(
        "Full conference record overdue by {n} working day (due by {date})",
        "Full conference record overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("C8", "working_days")] = (_c8, "over")


def _c9(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Comments on the conference record due to the chair by {date}")
    return t.ngettext(
        "Comments on the conference record overdue by {n} working day (due by {date})",
        "Comments on the conference record overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("C9", "working_days")] = (_c9, "over")


def _c10(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("First core group meeting due by {date}")
    return t.ngettext(
        "First core group meeting overdue by {n} working day (due by {date})",
        "First core group meeting overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("C10", "working_days")] = (_c10, "over")


def _c11(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Next core group meeting due by {date}")
    return t.ngettext(
        "No core group meeting for {n} day (due by {date})",
        "No core group meeting for {n} days (due by {date})",
        n,
    )


_REASONS[("C11", "days")] = (_c11, "elapsed")


def _c12(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Child protection review conference due by {date}")
    # L10N: {n} counts calendar days.
    return t.ngettext(
        "Child protection review conference overdue by {n} day (due by {date})",
        "Child protection review conference overdue by {n} days (due by {date})",
        n,
    )


_REASONS[("C12", "days")] = (_c12, "over")


def _c17(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Written information to the receiving authority due by {date}")
    return t.ngettext(
        "Written information to the receiving authority overdue by {n} day (due by {date})",
        "Written information to the receiving authority overdue by {n} days (due by {date})",
        n,
    )


_REASONS[("C17", "days")] = (_c17, "over")


def _c18(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Request a transfer-in conference by {date} (the stay here is getting long)")
    return t.ngettext(
        "Request for a transfer-in conference overdue by {n} day (due by {date})",
        "Request for a transfer-in conference overdue by {n} days (due by {date})",
        n,
    )


_REASONS[("C18", "days")] = (_c18, "over")


def _c19(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Transfer-in conference due by {date}")
    return t.ngettext(
        "Transfer-in conference overdue by {n} working day (due by {date})",
        "Transfer-in conference overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("C19", "working_days")] = (_c19, "over")


def _v1(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Child to be seen alone by {date}")
    # L10N: {n} is a count of working days since the child was last seen alone (or since registration).
    return t.ngettext(
        "Not seen alone for {n} working day (due by {date})",
        "Not seen alone for {n} working days (due by {date})",
        n,
    )


_REASONS[("V1", "working_days")] = (_v1, "elapsed")


def _v2(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Child to be seen at home by {date}")
    return t.ngettext(
        "Not seen at home for {n} day (due by {date})",
        "Not seen at home for {n} days (due by {date})",
        n,
    )


_REASONS[("V2", "days")] = (_v2, "elapsed")


def _v4(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Child’s bedroom to be seen before the review conference, by {date}")
    return t.ngettext(
        "Child’s bedroom not seen before the review conference: {n} day overdue (due by {date})",
        "Child’s bedroom not seen before the review conference: {n} days overdue (due by {date})",
        n,
    )


_REASONS[("V4", "days")] = (_v4, "over")


def _v5a(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Child to be seen by {date}")
    return t.ngettext(
        "Not seen for {n} working day (due by {date})",
        "Not seen for {n} working days (due by {date})",
        n,
    )


_REASONS[("V5a", "working_days")] = (_v5a, "elapsed")


def _v5b(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Child to be seen alone by {date}")
    return t.ngettext(
        "Not seen alone for {n} day (due by {date})",
        "Not seen alone for {n} days (due by {date})",
        n,
    )


_REASONS[("V5b", "days")] = (_v5b, "elapsed")


def _a1(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Section 126 enquiries to be completed by {date}")
    return t.ngettext(
        "Section 126 enquiries overdue by {n} working day (due by {date})",
        "Section 126 enquiries overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("A1", "working_days")] = (_a1, "over")


def _a2(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Adult strategy discussion or meeting due by {date}")
    return t.ngettext(
        "Adult strategy discussion or meeting overdue by {n} working day (due by {date})",
        "Adult strategy discussion or meeting overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("A2", "working_days")] = (_a2, "over")


def _a3(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Adult to be seen after the strategy meeting by {date}")
    return t.ngettext(
        "Adult not seen after the strategy meeting: {n} working day overdue (due by {date})",
        "Adult not seen after the strategy meeting: {n} working days overdue (due by {date})",
        n,
    )


_REASONS[("A3", "working_days")] = (_a3, "over")


def _a4(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Adult to be offered the opportunity to be seen alone by {date}")
    return t.ngettext(
        "Not offered the opportunity to be seen alone for {n} day (due by {date})",
        "Not offered the opportunity to be seen alone for {n} days (due by {date})",
        n,
    )


_REASONS[("A4", "days")] = (_a4, "elapsed")


def _a4_wd(t: _T, n: int | None) -> str:
    if n is None:
        return _a4(t, None)
    return t.ngettext(
        "Not offered the opportunity to be seen alone for {n} working day (due by {date})",
        "Not offered the opportunity to be seen alone for {n} working days (due by {date})",
        n,
    )


_REASONS[("A4", "working_days")] = (_a4_wd, "elapsed")


def _a5(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Care and support protection plan review due by {date}")
    return t.ngettext(
        "Care and support protection plan not reviewed for {n} day (due by {date})",
        "Care and support protection plan not reviewed for {n} days (due by {date})",
        n,
    )


_REASONS[("A5", "days")] = (_a5, "elapsed")


def _a7(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Agency reports for the conference on {conference} due to the chair by {date}")
    # L10N: {conference} is the date of the adult protection conference; {date} the deadline before it.
    return t.ngettext(
        "Agency reports for the conference on {conference} overdue by {n} working day (due by {date})",
        "Agency reports for the conference on {conference} overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("A7", "working_days")] = (_a7, "over")


def _a9(t: _T, n: int | None) -> str:
    if n is None:
        # L10N: {date} is the last day an adult protection and support order is in force.
        return t.gettext("Adult protection and support order in force until {date}: record its end")
    return t.ngettext(
        "Adult protection and support order lapsed {n} day ago (in force until {date}): record its end",
        "Adult protection and support order lapsed {n} days ago (in force until {date}): record its end",
        n,
    )


_REASONS[("A9", "days")] = (_a9, "over")


def _l1(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Care and support plan due by {date}")
    return t.ngettext(
        "Care and support plan overdue by {n} working day (due by {date})",
        "Care and support plan overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("L1", "working_days")] = (_l1, "over")


def _l2(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Placement plan due by {date}")
    return t.ngettext(
        "Placement plan overdue by {n} working day (due by {date})",
        "Placement plan overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("L2", "working_days")] = (_l2, "over")


def _l3a(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Statutory visit due by {date}")
    return t.ngettext(
        "No statutory visit for {n} day (due by {date})",
        "No statutory visit for {n} days (due by {date})",
        n,
    )


_REASONS[("L3a", "days")] = (_l3a, "elapsed")
_REASONS[("L3s", "days")] = (_l3a, "elapsed")
_REASONS[("L3b", "days")] = (_l3a, "elapsed")
_REASONS[("L3c", "days")] = (_l3a, "elapsed")
_REASONS[("L4a", "days")] = (_l3a, "elapsed")
_REASONS[("L4b", "days")] = (_l3a, "elapsed")
_REASONS[("L5a", "days")] = (_l3a, "elapsed")
_REASONS[("L5b", "days")] = (_l3a, "elapsed")


def _l6a(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Assessment and review of the placement with parent due by {date}")
    return t.ngettext(
        "Assessment and review of the placement with parent overdue by {n} working day (due by {date})",
        "Assessment and review of the placement with parent overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("L6a", "working_days")] = (_l6a, "over")


def _l6b(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Decision on the placement with parent due by {date}")
    return t.ngettext(
        "Decision on the placement with parent overdue by {n} working day (due by {date})",
        "Decision on the placement with parent overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("L6b", "working_days")] = (_l6b, "over")


def _l7(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Looked-after child review due by {date}")
    return t.ngettext(
        "Looked-after child review overdue by {n} day (due by {date})",
        "Looked-after child review overdue by {n} days (due by {date})",
        n,
    )


_REASONS[("L7", "days")] = (_l7, "over")
_REASONS[("L7s", "days")] = (_l7, "over")


def _l9a(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Health assessment due by {date}")
    return t.ngettext(
        "Health assessment overdue by {n} day (due by {date})",
        "Health assessment overdue by {n} days (due by {date})",
        n,
    )


_REASONS[("L9a", "days")] = (_l9a, "over")
_REASONS[("L9b", "days")] = (_l9a, "over")
_REASONS[("L9", "days")] = (_l9a, "over")


def _l10(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Personal education plan due by {date}")
    return t.ngettext(
        "Personal education plan overdue by {n} working day (due by {date})",
        "Personal education plan overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("L10", "working_days")] = (_l10, "over")


def _cin1(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Child in Need plan review due by {date}")
    return t.ngettext(
        "Child in Need plan review overdue by {n} day (due by {date})",
        "Child in Need plan review overdue by {n} days (due by {date})",
        n,
    )


_REASONS[("CIN1", "days")] = (_cin1, "over")
_REASONS[("CIN2", "days")] = (_cin1, "over")


def _cin3(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Assessment to be completed by {date}")
    return t.ngettext(
        "Assessment overdue by {n} working day (due by {date})",
        "Assessment overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("CIN3", "working_days")] = (_cin3, "over")


def _c3(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Strategy discussion due by {date}")
    return t.ngettext(
        "Strategy discussion overdue by {n} working day (due by {date})",
        "Strategy discussion overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("C3", "working_days")] = (_c3, "over")


def _c20(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Pre-birth conference due by {date}")
    return t.ngettext(
        "Pre-birth conference overdue by {n} day (due by {date})",
        "Pre-birth conference overdue by {n} days (due by {date})",
        n,
    )


_REASONS[("C20", "days")] = (_c20, "over")


def _p1(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Care proceedings to be concluded by {date} (26 weeks)")
    return t.ngettext(
        "Care proceedings past 26 weeks by {n} day (due by {date})",
        "Care proceedings past 26 weeks by {n} days (due by {date})",
        n,
    )


_REASONS[("P1", "days")] = (_p1, "over")


def _p1x(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Care proceedings to be concluded by {date} (the time the court extended to)")
    return t.ngettext(
        "Care proceedings past the time the court extended to by {n} day (due by {date})",
        "Care proceedings past the time the court extended to by {n} days (due by {date})",
        n,
    )


_REASONS[("P1x", "days")] = (_p1x, "over")


def _a10(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Designated Officer to be told of the allegation by {date}")
    return t.ngettext(
        "Designated Officer not yet told of the allegation: {n} working day late (due by {date})",
        "Designated Officer not yet told of the allegation: {n} working days late (due by {date})",
        n,
    )


_REASONS[("A10", "working_days")] = (_a10, "over")


def _l11a(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("GP registration due by {date}")
    return t.ngettext(
        "GP registration overdue by {n} working day (due by {date})",
        "GP registration overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("L11a", "working_days")] = (_l11a, "over")


def _l11b(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Dental check due by {date}")
    return t.ngettext(
        "Dental check overdue by {n} day (due by {date})",
        "Dental check overdue by {n} days (due by {date})",
        n,
    )


_REASONS[("L11b", "days")] = (_l11b, "over")


def _k1(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Complaint to be acknowledged by {date}")
    return t.ngettext(
        "Complaint acknowledgement overdue by {n} working day (due by {date})",
        "Complaint acknowledgement overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("K1", "working_days")] = (_k1, "over")


def _k2a(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Stage 1 discussion of the complaint due by {date}")
    return t.ngettext(
        "Stage 1 discussion of the complaint overdue by {n} working day (due by {date})",
        "Stage 1 discussion of the complaint overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("K2a", "working_days")] = (_k2a, "over")


def _k2b(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Written resolution of the complaint due by {date}")
    return t.ngettext(
        "Written resolution of the complaint overdue by {n} working day (due by {date})",
        "Written resolution of the complaint overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("K2b", "working_days")] = (_k2b, "over")


def _k3(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Stage 2 complaint response due by {date}")
    return t.ngettext(
        "Stage 2 complaint response overdue by {n} working day (due by {date})",
        "Stage 2 complaint response overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("K3", "working_days")] = (_k3, "over")


def _s1(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Case supervision due by {date}")
    return t.ngettext(
        "Case not supervised for {n} day (due by {date})",
        "Case not supervised for {n} days (due by {date})",
        n,
    )


_REASONS[("S1", "days")] = (_s1, "elapsed")


def _so1(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Manager's sign-off due by {date}")
    return t.ngettext(
        "Manager's sign-off overdue by {n} working day (due by {date})",
        "Manager's sign-off overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("SO1", "working_days")] = (_so1, "over")


def _so2(t: _T, n: int | None) -> str:
    if n is None:
        return t.gettext("Returned record to be revised and sent back by {date}")
    return t.ngettext(
        "Returned record overdue by {n} working day (due by {date})",
        "Returned record overdue by {n} working days (due by {date})",
        n,
    )


_REASONS[("SO2", "working_days")] = (_so2, "over")


def _generic(t: _T, n: int | None, unit: str) -> str:
    # Rules without their own sentences (local RSB rules, or an override that changed the unit).
    if n is None:
        # L10N: {title} is the translated name of a timescale rule, e.g. "Core group meeting".
        return t.gettext("{title}: due by {date}")
    if unit == "working_days":
        # L10N: {title} is the translated name of a timescale rule, e.g. "Core group meeting".
        return t.ngettext(
            "{title}: overdue by {n} working day (due by {date})",
            "{title}: overdue by {n} working days (due by {date})",
            n,
        )
    # L10N: {title} is the translated name of a timescale rule, e.g. "Core group meeting".
    return t.ngettext(
        "{title}: overdue by {n} day (due by {date})",
        "{title}: overdue by {n} days (due by {date})",
        n,
    )


def title(rule_id: str, lang: str | None = None) -> str:
    """The rule's translated title ("Child seen alone"); the id itself for an unknown rule."""
    msgid = RULE_TITLES.get(rule_id)
    return _translator(lang).gettext(msgid) if msgid else rule_id


def reason(item: DueItem, lang: str | None = None) -> str:
    """One sentence saying what is due and why, in ``lang`` (default: the interface language)."""
    t = _translator(lang)
    entry = _REASONS.get((item.rule_id, item.overdue_unit))
    overdue = item.status == OVERDUE
    if entry is None:
        n = item.days_overdue if overdue else None
        template = _generic(t, n, item.overdue_unit)
    else:
        chooser, count = entry
        n = None
        if overdue:
            n = item.elapsed if count == "elapsed" and item.elapsed is not None else item.days_overdue
        template = chooser(t, n)
    return template.format(
        date=t.format_date(item.due),
        n=n,
        conference=t.format_date(item.scheduled),
        title=title(item.rule_id, lang),
    )


def has_own_sentences(rule_id: str) -> bool:
    """True when the rule has its own sentences (else :func:`reason` uses the generic ones)."""
    return any(key[0] == rule_id for key in _REASONS)


def _span(t: _T, n: int, unit: str) -> str:
    if unit == "working_days":
        return t.ngettext("{n} working day", "{n} working days", n).format(n=n)
    if unit == "weeks":
        return t.ngettext("{n} week", "{n} weeks", n).format(n=n)
    if unit == "months":
        return t.ngettext("{n} month", "{n} months", n).format(n=n)
    return t.ngettext("{n} day", "{n} days", n).format(n=n)


def timescale(rule: Rule, lang: str | None = None) -> str:
    """The rule's timescale in words, from its numbers in the rule table: "within 15 working days",
    "every 4 weeks", "within 3 months, then every 6 months"."""
    t = _translator(lang)
    spans = [_span(t, n, unit) for n, unit in rule.steps]
    if rule.kind == "rolling":
        return t.gettext("every {span}").format(span=spans[0])
    if rule.kind == "chain" and len(spans) > 2:
        # L10N: the first looked-after review, the second, then the others
        return t.gettext("within {first}, then {second}, then every {then}").format(
            first=spans[0], second=spans[1], then=spans[-1])
    if rule.kind == "chain" and len(spans) > 1:
        # L10N: the first review, then the others, e.g. "within 3 months, then every 6 months"
        return t.gettext("within {first}, then every {then}").format(first=spans[0], then=spans[-1])
    return t.gettext("within {span}").format(span=spans[0])


def measure(rule: Rule, lang: str | None = None) -> str:
    """A committee measure's name: the rule's title and its timescale, e.g. "Child seen alone (every 10
    working days)"."""
    # L10N: a measure in the committee report: the rule's name, then its timescale in brackets
    return _translator(lang).gettext("{title} ({timescale})").format(title=title(rule.id, lang),
                                                                      timescale=timescale(rule, lang))


def problem(rule_id: str, lang: str | None = None) -> str:
    """The reason shown for an item whose due date could not be worked out (never dropped)."""
    t = _translator(lang)
    # L10N: {title} is the translated name of a timescale rule, e.g. "Child seen alone".
    return t.gettext(
        "{title}: the due date could not be worked out from the dates recorded. Check the dates, "
        "or ask for the bank-holiday calendar to be updated."
    ).format(title=title(rule_id, lang))
