"""A case's chronology as a PDF for a conference or a court (Qt-free).

Contract: :func:`render_chronology` returns one PDF: a part per language asked for (Welsh first when
both), each starting on a fresh page with its own page count, in the style of the conference report
(the council's name and OFFICIAL-SENSITIVE on the first page of each part, the running title on the
others, "Tudalen 1 o 3" / "Page 1 of 3"). Each part says what it covers — the case, the child or adult,
the period, the kinds of event — and lists the events oldest first: the date (and time), what happened,
who it is about, what was written and who recorded it. What workers wrote is shown as written, in the
language they wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from desktop.i18n import N_
from reports.labels import label
from reports.layout import DocumentBuilder, Part, esc, long_date, styles
from reports.model import CouncilIdentity
from reports.report_common import REPORT_TOP, grid, kv_table, report_heading

L = {
    "title": N_("Chronology"),
    "case": N_("Case"),
    "about": N_("About"),
    "everyone": N_("Everyone in the case"),
    "period": N_("Period"),
    "from_to": N_("{start} to {end}"),
    "from": N_("From {start}"),
    "to": N_("Up to {end}"),
    "all_time": N_("From the start of the case"),
    "kinds": N_("Kinds of event"),
    "all_kinds": N_("Every kind"),
    "made": N_("Made"),
    "made_by": N_("{date} by {name}"),
    "count": N_("Events"),
    "date": N_("Date"),
    "what": N_("What happened"),
    "who": N_("Who it is about"),
    "detail": N_("What was recorded"),
    "by": N_("Recorded by"),
    "none": N_("No events in this period."),
    "notice": N_("The words workers wrote are shown as they were written, in the language they used."),
}


def _t(lang: str, key: str) -> str:
    return label(lang, L[key])


def _period(lang: str, start: date | None, end: date | None) -> str:
    if start and end:
        return _t(lang, "from_to").format(start=long_date(start, lang), end=long_date(end, lang))
    if start:
        return _t(lang, "from").format(start=long_date(start, lang))
    if end:
        return _t(lang, "to").format(end=long_date(end, lang))
    return _t(lang, "all_time")


def _story(chronology: Any, lang: str, made_on: date, made_by: str) -> list[Flowable]:
    from desktop.services.chronology import TYPES

    st = styles()
    kinds = (", ".join(label(lang, TYPES[t]) for t in TYPES if t in chronology.types)
             if chronology.types is not None else _t(lang, "all_kinds"))
    rows = [
        (_t(lang, "case"), chronology.case_reference),
        (_t(lang, "about"), chronology.person_name or ", ".join(chronology.subjects.values())
         or _t(lang, "everyone")),
        (_t(lang, "period"), _period(lang, chronology.start, chronology.end)),
        (_t(lang, "kinds"), kinds),
        (_t(lang, "made"), _t(lang, "made_by").format(date=long_date(made_on, lang), name=made_by)),
        (_t(lang, "count"), str(len(chronology.events))),
    ]
    story: list[Flowable] = [Paragraph(esc(_t(lang, "title")), st["h1"]), kv_table(rows, 40 * mm),
                             Spacer(1, 3 * mm), Paragraph(esc(_t(lang, "notice")), st["notice"]),
                             Spacer(1, 2 * mm)]
    if not chronology.events:
        return story + [Paragraph(esc(_t(lang, "none")), st["body"])]
    table_rows = []
    for e in chronology.events:
        when = long_date(e.on, lang) + (f" {e.at}" if e.at else "")
        table_rows.append([when, e.what.text(lang), chronology.who(e, lang) or "—", e.detail or "", e.by or ""])
    story.append(grid([_t(lang, k) for k in ("date", "what", "who", "detail", "by")], table_rows,
                      [24 * mm, 42 * mm, 26 * mm, None, 24 * mm]))
    return story


def render_chronology(chronology: Any, council: CouncilIdentity, languages: Sequence[str] = ("cy", "en"), *,
                      made_on: date, made_by: str) -> bytes:
    """The chronology (a :class:`desktop.services.chronology.Chronology`) as PDF bytes."""
    parts: list[Part] = []
    for lang in languages:
        if lang not in ("cy", "en"):
            raise ValueError(f"unsupported report language {lang!r}")
        title = f"{_t(lang, 'title')} – {chronology.case_reference}"
        parts.append(Part(lang, _story(chronology, lang, made_on, made_by), running_title=title))
    builder = DocumentBuilder(council, first_page=report_heading(council), first_top=REPORT_TOP,
                              contact_footer=False, title=label(languages[0], L["title"]))
    return builder.build(parts)


ALL_LABELS: list[str] = list(L.values())
"""Every msgid this module shows (each has a Welsh translation: tests/test_i18n.py)."""
