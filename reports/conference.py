"""Child protection conference (initial/review) and adult protection conference reports.

Contract: ``render_conference_report`` returns one PDF holding the Welsh report then the English
report (each starting on a new page, each numbered on its own: "Tudalen 1 o 3" … "Page 1 of 3"),
or only the languages asked for. Inputs are the plain dataclasses of :mod:`reports.model`.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from desktop.i18n import N_, NC_
from reports.labels import label
from reports.layout import DocumentBuilder, Part, esc, long_date, styles
from reports.model import (
    AdultConference,
    AgencyReport,
    Attendee,
    ChildConference,
    CouncilIdentity,
    PlanOutcome,
)
from reports.report_common import REPORT_TOP, grid, kv_table, paras, report_heading, text_for

TITLES = {
    "initial": N_("Initial child protection conference report"),
    "review": N_("Review child protection conference report"),
    "adult": N_("Adult protection conference report"),
}
CATEGORY_LABELS = {
    "physical": N_("Physical abuse"),
    "emotional": N_("Emotional / psychological abuse"),
    "sexual": N_("Sexual abuse"),
    "financial": N_("Financial abuse"),
    "neglect": N_("Neglect"),
}
LANGUAGE_NAMES = {"cy": N_("Welsh"), "en": N_("English")}
L = {
    "details": N_("Conference details"),
    "date": N_("Date"),
    "venue": N_("Venue"),
    "chair": N_("Chair"),
    "record_taker": N_("Record taker"),
    "language": N_("Language of the conference"),
    "reference": N_("Reference"),
    "children": N_("Children"),
    "name": N_("Name"),
    "dob": N_("Date of birth"),
    "decision": N_("Decision"),
    "categories": N_("Registration categories"),
    "coordinator": N_("Care and support protection plan co-ordinator"),
    "registered": N_("Name placed on the child protection register"),
    "remains": N_("Name remains on the child protection register"),
    "not_registered": N_("Not registered"),
    "deregistered": N_("Name removed from the child protection register"),
    "attendance": N_("Attendance by agency"),
    "agency": N_("Agency"),
    "role": N_("Role"),
    "attendance_col": N_("Attendance"),
    "present": N_("Present"),
    "apologies": N_("Apologies"),
    "written_report": N_("Written report"),
    "received": N_("Received"),
    "not_received": N_("Not received"),
    "quorum": N_("Quorum"),
    "agencies_present": N_("Agencies present: {count}"),
    "quorate": N_("Quorate: three or more agencies or professional groupings were present."),
    "quorate_chair": N_("Quorate at the chair's discretion: two agencies were present."),
    "not_quorate": N_("Not quorate: fewer than three agencies or professional groupings were present."),
    "agency_reports": N_("Summaries of agency reports"),
    "author": N_("Author"),
    "received_on": N_("Received"),
    "shared_on": N_("Shared with the family"),
    "core_group": N_("Core group contributions"),
    "member": N_("Member"),
    "contribution": N_("Contribution"),
    "decisions": N_("Decisions for each child"),
    "reasons": N_("Reasons"),
    "dissent": N_("Dissent recorded"),
    "no_coordinator": N_(
        "No co-ordinator named: the senior manager responsible for safeguarding must be told immediately."
    ),
    "plan": N_("Outline plan"),
    # The adult plan: Welsh "cynllun diogelu gofal a chymorth", not the children's "cynllun amddiffyn, …".
    "adult_plan": NC_("adult", "Care and support protection plan"),
    "outcome": N_("Outcome"),
    "action": N_("Action"),
    "owner": N_("Who is responsible"),
    "due": N_("By when"),
    "next": N_("Next steps"),
    "first_core_group": N_("First core group meeting"),
    "next_review": N_("Next review conference"),
    "none": N_("None recorded"),
    "adult": N_("Adult at risk"),
    "lead_coordinator": N_("Lead co-ordinator"),
    "lead_practitioner": N_("Lead practitioner"),
    "advocate": N_("Advocate"),
    "participation": N_("How the adult took part"),
    "concerns": N_("Concerns"),
    "conf_decisions": N_("Decisions of the conference"),
    "review_date": N_("Review date"),
}


def _t(lang: str, key: str) -> str:
    return label(lang, L[key])


def _date(value, lang: str) -> str:
    return long_date(value, lang) if value else "—"


def _details(lang: str, rows: list[tuple[str, str]]) -> list[Flowable]:
    return [Paragraph(esc(_t(lang, "details")), styles()["h2"]), kv_table(rows), Spacer(1, 3 * mm)]


def _attendance(lang: str, attendees: list[Attendee], chair_discretion: bool | None) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Paragraph(esc(_t(lang, "attendance")), st["h2"])]
    if not attendees:
        return out + [Paragraph(esc(_t(lang, "none")), st["body"])]
    ordered = sorted(attendees, key=lambda a: (a.agency.casefold(), a.name.casefold()))
    rows = [
        [
            a.agency,
            a.name,
            a.role,
            _t(lang, "present" if a.attended else "apologies"),
            _t(lang, "received" if a.report_submitted else "not_received"),
        ]
        for a in ordered
    ]
    out.append(
        grid(
            [_t(lang, k) for k in ("agency", "name", "role", "attendance_col", "written_report")],
            rows,
            [36 * mm, 30 * mm, 34 * mm, 32 * mm, None],
        )
    )
    agencies = len({a.agency.strip().casefold() for a in attendees if a.attended})
    out.append(Spacer(1, 2 * mm))
    if chair_discretion is None:  # the quorum rule (WSP c4-p8) is for child conferences only
        out.append(Paragraph(esc(_t(lang, "agencies_present").format(count=agencies)), st["body"]))
    else:
        out.append(Paragraph(esc(_t(lang, "quorum")), st["h3"]))
        out.append(Paragraph(esc(_t(lang, "agencies_present").format(count=agencies)), st["body"]))
        if agencies >= 3:
            verdict = "quorate"
        elif agencies == 2 and chair_discretion:
            verdict = "quorate_chair"
        else:
            verdict = "not_quorate"
        out.append(Paragraph(esc(_t(lang, verdict)), st["body"]))
    return out


def _agency_reports(lang: str, reports: list[AgencyReport]) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Paragraph(esc(_t(lang, "agency_reports")), st["h2"])]
    if not reports:
        return out + [Paragraph(esc(_t(lang, "none")), st["body"])]
    for r in reports:
        meta = [f"{_t(lang, 'author')}: {r.author}"]
        if r.received:
            meta.append(f"{_t(lang, 'received_on')}: {long_date(r.received, lang)}")
        if r.shared_with_family:
            meta.append(f"{_t(lang, 'shared_on')}: {long_date(r.shared_with_family, lang)}")
        out.append(
            KeepTogether([Paragraph(esc(r.agency), st["h3"]), Paragraph(esc(" · ".join(meta)), st["notice"])])
        )
        out += paras(r.summary, lang)
    return out


def _plan(lang: str, outcomes: list[PlanOutcome], title: str = "plan") -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Paragraph(esc(_t(lang, title)), st["h2"])]
    if not outcomes:
        return out + [Paragraph(esc(_t(lang, "none")), st["body"])]
    for i, outcome in enumerate(outcomes, start=1):
        out.append(Paragraph(f"{i}. {esc(text_for(outcome.description, lang))}", st["h3"]))
        if outcome.actions:
            rows = [[text_for(a.description, lang), a.owner, _date(a.due, lang)] for a in outcome.actions]
            out.append(
                grid([_t(lang, "action"), _t(lang, "owner"), _t(lang, "due")], rows, [95 * mm, 40 * mm, None])
            )
            out.append(Spacer(1, 2 * mm))
    return out


def _categories(lang: str, codes: list[str]) -> str:
    return "; ".join(label(lang, CATEGORY_LABELS.get(c, c)) for c in codes) or "—"


def _child_story(conf: ChildConference, lang: str) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [Paragraph(esc(label(lang, TITLES[conf.kind])), st["h1"])]
    rows = [
        (_t(lang, "date"), long_date(conf.conference_date, lang)),
        (_t(lang, "venue"), conf.venue or "—"),
        (_t(lang, "chair"), conf.chair),
        (_t(lang, "record_taker"), conf.record_taker or "—"),
        (
            _t(lang, "language"),
            label(lang, LANGUAGE_NAMES.get(conf.conference_language, conf.conference_language)),
        ),
    ]
    if conf.reference:
        rows.append((_t(lang, "reference"), conf.reference))
    story += _details(lang, rows)

    def decision(c) -> str:
        if c.deregistered:
            return _t(lang, "deregistered")
        if c.registered:
            return _t(lang, "remains" if conf.kind == "review" else "registered")
        return _t(lang, "not_registered")

    story.append(Paragraph(esc(_t(lang, "children")), st["h2"]))
    story.append(
        grid(
            [_t(lang, k) for k in ("name", "dob", "decision", "categories", "coordinator")],
            [
                [
                    c.name,
                    _date(c.date_of_birth, lang),
                    decision(c),
                    _categories(lang, c.categories),
                    c.coordinator or "—",
                ]
                for c in conf.children
            ],
            [32 * mm, 26 * mm, 42 * mm, 36 * mm, None],
        )
    )
    story += _attendance(lang, conf.attendees, conf.quorum_chair_discretion)
    story += _agency_reports(lang, conf.agency_reports)
    story.append(Paragraph(esc(_t(lang, "core_group")), st["h2"]))
    if conf.core_group_contributions:
        story.append(
            grid(
                [_t(lang, "member"), _t(lang, "agency"), _t(lang, "contribution")],
                [[c.member, c.agency, text_for(c.contribution, lang)] for c in conf.core_group_contributions],
                [35 * mm, 35 * mm, None],
            )
        )
    else:
        story.append(Paragraph(esc(_t(lang, "none")), st["body"]))
    story.append(Paragraph(esc(_t(lang, "decisions")), st["h2"]))
    for c in conf.children:
        block: list[Flowable] = [
            Paragraph(esc(c.name), st["h3"]),
            Paragraph(f"<b>{esc(_t(lang, 'decision'))}:</b> {esc(decision(c))}", st["body"]),
        ]
        if c.registered:
            block.append(
                Paragraph(
                    f"<b>{esc(_t(lang, 'categories'))}:</b> {esc(_categories(lang, c.categories))}",
                    st["body"],
                )
            )
        if c.coordinator:
            block.append(
                Paragraph(f"<b>{esc(_t(lang, 'coordinator'))}:</b> {esc(c.coordinator)}", st["body"])
            )
        elif c.registered:
            block.append(Paragraph(f"<b>{esc(_t(lang, 'no_coordinator'))}</b>", st["body"]))
        story.append(KeepTogether(block))
        if text_for(c.decision_reasons, lang):
            story.append(Paragraph(f"<i>{esc(_t(lang, 'reasons'))}</i>", st["body"]))
            story += paras(c.decision_reasons, lang)
        if text_for(c.dissent, lang):
            story.append(Paragraph(f"<i>{esc(_t(lang, 'dissent'))}</i>", st["body"]))
            story += paras(c.dissent, lang)
    story += _plan(lang, conf.outcomes)
    story.append(Paragraph(esc(_t(lang, "next")), st["h2"]))
    story.append(
        kv_table(
            [
                (_t(lang, "first_core_group"), _date(conf.first_core_group_date, lang)),
                (_t(lang, "next_review"), _date(conf.next_review_date, lang)),
            ]
        )
    )
    return story


def _adult_story(conf: AdultConference, lang: str) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [Paragraph(esc(label(lang, TITLES["adult"])), st["h1"])]
    rows = [
        (_t(lang, "date"), long_date(conf.conference_date, lang)),
        (_t(lang, "venue"), conf.venue or "—"),
        (_t(lang, "chair"), conf.chair),
        (_t(lang, "record_taker"), conf.record_taker or "—"),
        (_t(lang, "adult"), conf.adult_name),
        (_t(lang, "dob"), _date(conf.adult_date_of_birth, lang)),
        (_t(lang, "lead_coordinator"), conf.lead_coordinator),
        (_t(lang, "lead_practitioner"), conf.lead_practitioner or "—"),
        (_t(lang, "advocate"), conf.advocate or "—"),
    ]
    if conf.reference:
        rows.append((_t(lang, "reference"), conf.reference))
    story += _details(lang, rows)
    story.append(Paragraph(esc(_t(lang, "participation")), st["h2"]))
    story += paras(conf.adult_participation, lang) or [Paragraph(esc(_t(lang, "none")), st["body"])]
    story += _attendance(lang, conf.attendees, None)
    story += _agency_reports(lang, conf.agency_reports)
    story.append(Paragraph(esc(_t(lang, "concerns")), st["h2"]))
    story += paras(conf.concerns, lang) or [Paragraph(esc(_t(lang, "none")), st["body"])]
    story.append(Paragraph(esc(_t(lang, "conf_decisions")), st["h2"]))
    if conf.decisions:
        story += [Paragraph(esc(text_for(d, lang)), st["bullet"], bulletText="•") for d in conf.decisions]
    else:
        story.append(Paragraph(esc(_t(lang, "none")), st["body"]))
    story += _plan(lang, conf.outcomes, "adult_plan")  # an adult has no "outline plan": that is the ICPC's
    story.append(
        Paragraph(f"<b>{esc(_t(lang, 'review_date'))}:</b> {esc(_date(conf.review_date, lang))}", st["body"])
    )
    return story


def render_conference_report(
    conference: ChildConference | AdultConference,
    council: CouncilIdentity,
    languages: Sequence[str] = ("cy", "en"),
) -> bytes:
    """The conference report as one PDF: a part per language in ``languages`` (default Welsh
    then English), each on fresh pages with its own page count."""
    parts: list[Part] = []
    for lang in languages:
        if lang not in ("cy", "en"):
            raise ValueError(f"unsupported report language {lang!r}")
        if isinstance(conference, AdultConference):
            story, title = _adult_story(conference, lang), label(lang, TITLES["adult"])
        else:
            story, title = _child_story(conference, lang), label(lang, TITLES[conference.kind])
        parts.append(Part(lang, story, running_title=title, continues=True))  # one report, numbered through
    builder = DocumentBuilder(
        council, first_page=report_heading(council), first_top=REPORT_TOP, contact_footer=False
    )
    return builder.build(parts)


ALL_LABELS: list[str] = [*TITLES.values(), *CATEGORY_LABELS.values(), *LANGUAGE_NAMES.values(), *L.values()]
"""Every msgid this module shows (the tests check each has a Welsh translation or draft)."""
