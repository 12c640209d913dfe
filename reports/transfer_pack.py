"""The written information pack to a receiving authority (WSP c4-p10; N7, C17) as one PDF (Qt-free).

Contract: :func:`render_transfer_pack` returns the PDF bytes of one letter to the receiving authority, in
the letter look (the council's letterhead, the authority's name and address beside the date and our
reference, the closing and the Welsh Language Standard 7 statement), with what the receiving authority
needs set out under headings: the child and the move, the register entry, the current protection plan's
outcomes and actions, the last conference, the core group and the key contacts. ``language`` is "cy",
"en" or "bilingual" (the complete Welsh pack, then the complete English one, each numbered on its own, as
letters are). Fixed words come from the catalogue; what workers wrote is shown as :class:`BilingualText`
(each side in its own language) or, where only one language was written, as it was written: the caller
(:mod:`desktop.services.child_protection.transfer_pack`) refuses a Welsh pack whose quoted free texts
lack their Welsh, as the print queue holds such a letter. No internal id is ever printed.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from desktop.i18n import N_
from reports.conference import CATEGORY_LABELS
from reports.labels import label
from reports.layout import (
    LETTERHEAD_H,
    DocumentBuilder,
    Part,
    common,
    draw_letterhead,
    esc,
    long_date,
    styles,
)

# The letter's own blocks (address beside date, the closing with the Standard 7 box, the closing kept
# with the end of the text), so the pack looks like every other letter the council sends.
from reports.letters import _closing, _closing_height, _keep_with_closing, _SideBySide, part_languages
from reports.model import CouncilIdentity, PackContact, TransferPack
from reports.report_common import grid, kv_table, paras, text_for

L = {
    "salutation": N_("Dear colleague,"),
    "subject": N_("Child protection transfer: information for the receiving authority about {child}"),
    "intro": N_(
        "{child} is on our child protection register. We were told on {notified} that the family is moving to"
        " your area. The Wales Safeguarding Procedures ask us to send you this written information within"
        " three days of that notification, so that you can plan the child's protection and a transfer-in"
        " conference."),
    "ask": N_("Please contact the social worker named above about the transfer-in conference and the handover."),
    "child": N_("The child"),
    "name": N_("Name"),
    "dob": N_("Date of birth"),
    "move": N_("The family's move"),
    "told_on": N_("We were told of the move on"),
    "new_address": N_("New or temporary address"),
    "kind_of_move": N_("Kind of move"),
    "permanent": N_("Permanent"),
    "temporary": N_("Temporary"),
    "until": N_("Likely to stay until"),
    "not_known": N_("Not known"),
    "move_notes": N_("What we know of the move"),
    "as_written": N_("As written by the worker, in the language they used."),
    "register": N_("The child protection register"),
    "registered_on": N_("Date registered"),
    "categories": N_("Registration categories"),
    "coordinator": N_("Care and support protection plan co-ordinator"),
    "next_review": N_("Next review conference"),
    "plan": N_("The current care and support protection plan"),
    "outline": N_("Outline plan"),
    "action": N_("Action"),
    "owner": N_("Who is responsible"),
    "due": N_("By when"),
    "no_plan": N_("No detailed plan has been agreed yet."),
    "conference": N_("The last child protection conference"),
    "held_on": N_("Held on"),
    "kind": N_("Kind of conference"),
    "initial": N_("Initial child protection conference"),
    "review": N_("Review child protection conference"),
    "decision": N_("Decision"),
    "registered": N_("Name placed on the child protection register"),
    "remains": N_("Name remains on the child protection register"),
    "no_conference": N_("No conference has been held here."),
    "core_group": N_("Core group members and key contacts"),
    "role": N_("Role"),
    "agency": N_("Agency"),
    "contact": N_("Contact"),
    "none": N_("None recorded"),
    "workers": N_("The social worker and team manager"),
    "social_worker": N_("Social worker"),
    "team_manager": N_("Team manager"),
}
_TABLE_ROOM = 40 * mm  # a heading, a table's header and two rows


def _t(lang: str, key: str) -> str:
    return label(lang, L[key])


def _date(value: date | None, lang: str) -> str:
    return long_date(value, lang) if value else _t(lang, "not_known")


def _head(pack: TransferPack, lang: str) -> Flowable:
    """The authority's name and address beside the date and our reference, as on every letter."""
    st = styles()
    address = "<br/>".join(esc(line) for line in [pack.authority, *pack.authority_address] if line.strip())
    meta = (f"<b>{esc(common('date', lang))}:</b> {esc(long_date(pack.made_on, lang))}<br/>"
            f"<b>{esc(common('our_ref', lang))}:</b> {esc(pack.reference)}")
    return _SideBySide(Paragraph(address, st["body"]), Paragraph(meta, st["small_right"]), 100 * mm)


def _h2(lang: str, key: str) -> Paragraph:
    return Paragraph(esc(_t(lang, key)), styles()["h2"])


def _none(lang: str, key: str = "none") -> Paragraph:
    return Paragraph(esc(_t(lang, key)), styles()["body"])


def _categories(lang: str, codes: list[str]) -> str:
    return "; ".join(label(lang, CATEGORY_LABELS.get(c, c)) for c in codes) or _t(lang, "not_known")


def _child_and_move(pack: TransferPack, lang: str) -> list[Flowable]:
    out: list[Flowable] = [_h2(lang, "child"), kv_table([
        (_t(lang, "name"), pack.child_name),
        (_t(lang, "dob"), _date(pack.child_dob, lang)),
    ]), Spacer(1, 2 * mm), _h2(lang, "move")]
    rows = [(_t(lang, "told_on"), long_date(pack.notified_on, lang)),
            (_t(lang, "new_address"), pack.new_address or _t(lang, "not_known")),
            (_t(lang, "kind_of_move"), _t(lang, "permanent" if pack.permanent else "temporary"))]
    if not pack.permanent:
        rows.append((_t(lang, "until"), _date(pack.expected_until, lang)))
    out.append(kv_table(rows))
    if pack.move_notes.strip():
        out += [Paragraph(esc(_t(lang, "move_notes")), styles()["h3"]),
                Paragraph(esc(_t(lang, "as_written")), styles()["notice"]), *paras(pack.move_notes, lang)]
    return out


def _register(pack: TransferPack, lang: str) -> list[Flowable]:
    return [_h2(lang, "register"), kv_table([
        (_t(lang, "registered_on"), _date(pack.registered_on, lang)),
        (_t(lang, "categories"), _categories(lang, pack.categories)),
        (_t(lang, "coordinator"), pack.coordinator or _t(lang, "not_known")),
        (_t(lang, "next_review"), _date(pack.next_review_on, lang)),
    ])]


def _plan(pack: TransferPack, lang: str) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [_h2(lang, "plan")]
    if text_for(pack.outline, lang):
        out += [Paragraph(esc(_t(lang, "outline")), st["h3"]), *paras(pack.outline, lang)]
    if not pack.outcomes:
        return out + [_none(lang, "no_plan")]
    for i, outcome in enumerate(pack.outcomes, start=1):
        out.append(Paragraph(f"{i}. {esc(text_for(outcome.description, lang))}", st["h3"]))
        if outcome.actions:
            rows = [[text_for(a.description, lang), a.owner, _date(a.due, lang) if a.due else "—"]
                    for a in outcome.actions]
            out += [grid([_t(lang, "action"), _t(lang, "owner"), _t(lang, "due")], rows, [95 * mm, 40 * mm, None]),
                    Spacer(1, 2 * mm)]
    return out


def _conference(pack: TransferPack, lang: str) -> list[Flowable]:
    out: list[Flowable] = [_h2(lang, "conference")]
    if pack.conference_kind is None or pack.conference_on is None:
        return out + [_none(lang, "no_conference")]
    decision = "remains" if pack.conference_kind == "review" else "registered"
    out.append(kv_table([
        (_t(lang, "kind"), _t(lang, pack.conference_kind)),
        (_t(lang, "held_on"), long_date(pack.conference_on, lang)),
        (_t(lang, "decision"), _t(lang, decision) if pack.conference_registered else "—"),
        (_t(lang, "categories"), _categories(lang, pack.categories)),
        (_t(lang, "next_review"), _date(pack.next_review_on, lang)),
    ]))
    if text_for(pack.conference_outline, lang):
        out += [Paragraph(esc(_t(lang, "outline")), styles()["h3"]), *paras(pack.conference_outline, lang)]
    return out


def _people(lang: str, people: list[PackContact]) -> Flowable:
    return grid([_t(lang, k) for k in ("name", "role", "agency", "contact")],
                [[p.name, text_for(p.role, lang) or "—", p.agency or "—", p.reach() or "—"] for p in people],
                [40 * mm, 38 * mm, 45 * mm, None])


def _contacts(pack: TransferPack, lang: str) -> list[Flowable]:
    workers = [PackContact(who.name, _t(lang, key), who.agency, who.phone, who.email)
               for key, who in (("social_worker", pack.social_worker), ("team_manager", pack.team_manager))
               if who is not None]
    # A heading starts a new page unless its table's first rows fit under it (a table's header row repeats,
    # so ReportLab's keepWithNext lets a heading stand alone at a page's foot).
    return [CondPageBreak(_TABLE_ROOM), _h2(lang, "workers"), _people(lang, workers) if workers else _none(lang),
            CondPageBreak(_TABLE_ROOM), _h2(lang, "core_group"),
            _people(lang, pack.core_group) if pack.core_group else _none(lang)]


def _story(pack: TransferPack, lang: str, council: CouncilIdentity) -> list[Flowable]:
    st = styles()
    child, notified = esc(pack.child_name), esc(long_date(pack.notified_on, lang))
    story: list[Flowable] = [
        _head(pack, lang), Spacer(1, 9 * mm),
        Paragraph(esc(_t(lang, "salutation")), st["body"]),
        Paragraph(esc(_t(lang, "subject")).format(child=child), st["subject"]),
        Paragraph(esc(_t(lang, "intro")).format(child=child, notified=notified), st["body"]),
    ]
    story += _child_and_move(pack, lang)
    story += _register(pack, lang)
    story += _plan(pack, lang)
    story += _conference(pack, lang)
    story += _contacts(pack, lang)
    story += [Spacer(1, 3 * mm), Paragraph(esc(_t(lang, "ask")), st["body"])]  # the last words, kept with the closing
    name = pack.signatory or council.signatory_name
    title = text_for(pack.signatory_title, lang) if pack.signatory else council.signatory_title(lang)
    _keep_with_closing(story, _closing_height(lang, name, title, council.name(lang)))
    return story + _closing(lang, name, title, council.name(lang))


def render_transfer_pack(pack: TransferPack, council: CouncilIdentity) -> bytes:
    """The pack as PDF bytes in ``pack.language`` ("cy", "en" or "bilingual": Welsh first)."""
    if pack.language not in ("cy", "en", "bilingual"):
        raise ValueError(f"unsupported pack language {pack.language!r}")
    parts = [Part(lang, _story(pack, lang, council), running_title=pack.child_name)
             for lang in part_languages(pack.language)]
    builder = DocumentBuilder(council, first_page=draw_letterhead(council), first_top=LETTERHEAD_H,
                              title=label(part_languages(pack.language)[0], L["subject"]).format(child=pack.child_name))
    return builder.build(parts)


ALL_LABELS: list[str] = list(L.values())
"""Every msgid this module shows (each has a Welsh translation: tests/test_i18n.py)."""
