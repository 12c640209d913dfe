"""A case's family network as a PDF (Qt-free): the genogram, then who is who — each person's
relationships with parental responsibility and its basis, the other cases they are on that the reader
may see, and their safety flags — one part per language, Welsh first, marked OFFICIAL-SENSITIVE."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from desktop.domain.types import label as code_label
from desktop.i18n import N_, translator
from reports.fonts import BOLD, REGULAR
from reports.labels import label
from reports.layout import MARGIN, PAGE_W, DocumentBuilder, Part, esc, long_date, styles
from reports.model import CouncilIdentity
from reports.report_common import REPORT_TOP, grid, kv_table, report_heading

L = {
    "title": N_("Family network"),
    "case": N_("Case"),
    "made": N_("Made"),
    "person": N_("Person"),
    "born": N_("Date of birth"),
    "relations": N_("Relationships"),
    "other_cases": N_("Other cases"),
    "safety": N_("Safety"),
    "relation": N_("{relation}: {person}"),
    "pr": N_("parental responsibility ({basis})"),
    "pr_unknown": N_("parental responsibility (basis not recorded)"),
    "notice": N_("Only the people and cases the person who made this may see are shown."),
}
BOX_W, BOX_H, GAP_X, GAP_Y = 40 * mm, 13 * mm, 26 * mm, 16 * mm
RED = colors.HexColor("#B71C1C")


def _t(lang: str, key: str) -> str:
    return label(lang, L[key])


def relation_text(link: Any, other_name: str, lang: str) -> str:
    """"Step-parent: Dafydd ap Llŷr, parental responsibility (…)" in ``lang``."""
    text = _t(lang, "relation").format(relation=code_label(link.kind, lang), person=other_name)
    if link.parental_responsibility:
        pr = (_t(lang, "pr").format(basis=code_label(link.pr_basis, lang)) if link.pr_basis
              else _t(lang, "pr_unknown"))
        text = f"{text}, {pr}"
    return text


def genogram(network: Any, places: dict[str, tuple[int, int]], lang: str, width: float) -> Drawing:
    """The genogram as a ReportLab drawing no wider than ``width``: a box per person (the case's
    subjects in bold, a flagged person in red), a line per relationship named in the middle."""
    rows = max((r for r, _c in places.values()), default=0) + 1
    cols = max((c for _r, c in places.values()), default=0) + 1
    natural_w, natural_h = cols * (BOX_W + GAP_X), rows * (BOX_H + GAP_Y)
    scale = min(1.0, width / natural_w)
    group = Group()

    def centre(pid: str) -> tuple[float, float]:
        r, c = places[pid]
        return c * (BOX_W + GAP_X) + BOX_W / 2, natural_h - r * (BOX_H + GAP_Y) - BOX_H / 2

    for link in network.links:
        (x1, y1), (x2, y2) = centre(link.person_id), centre(link.related_person_id)
        group.add(Line(x1, y1, x2, y2, strokeColor=colors.HexColor("#607D8B"), strokeWidth=0.8))
        # Between generations nearer the person (crossing lines keep apart); within one, in the gap between
        # the two boxes (a third of the way along lies under the first box, which is drawn over it).
        t = 0.5 if y1 == y2 else 0.3
        lx, ly = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
        group.add(String(lx, ly + 1.5, code_label(link.kind, lang), fontName=REGULAR,
                         fontSize=6.5, textAnchor="middle", fillColor=colors.HexColor("#37474F")))
    for person in network.people:
        x, y = centre(person.id)
        flagged = bool(person.flags)
        group.add(Rect(x - BOX_W / 2, y - BOX_H / 2, BOX_W, BOX_H, rx=2, ry=2, fillColor=colors.white,
                       strokeColor=RED if flagged else colors.HexColor("#263238"),
                       strokeWidth=1.6 if person.subject or flagged else 0.7))
        group.add(String(x, y + 1, person.name, fontName=BOLD if person.subject else REGULAR, fontSize=7.5,
                         textAnchor="middle"))
        below = person.flags[0].text(lang) if flagged else (
            long_date(date.fromisoformat(person.date_of_birth), lang) if person.date_of_birth else "")
        group.add(String(x, y - 8, below, fontName=REGULAR, fontSize=6, textAnchor="middle",
                         fillColor=RED if flagged else colors.HexColor("#455A64")))
    group.scale(scale, scale)
    drawing = Drawing(natural_w * scale, natural_h * scale)
    drawing.add(group)
    return drawing


def _story(network: Any, places: dict[str, tuple[int, int]], lang: str, made_on: date) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        Paragraph(esc(_t(lang, "title")), st["h1"]),
        kv_table([(_t(lang, "case"), network.reference), (_t(lang, "made"), long_date(made_on, lang))], 40 * mm),
        Spacer(1, 3 * mm), Paragraph(esc(_t(lang, "notice")), st["notice"]), Spacer(1, 3 * mm),
        genogram(network, places, lang, PAGE_W - 2 * MARGIN), Spacer(1, 5 * mm)]
    names = {p.id: p.name for p in network.people}
    rows = []
    for p in network.people:
        relations = [relation_text(link, names[link.related_person_id], lang)
                     for link in network.links if link.person_id == p.id]
        cases = [f"{c.reference} ({code_label(c.case_type, lang)})" for c in p.other_cases]
        rows.append([p.name, long_date(date.fromisoformat(p.date_of_birth), lang) if p.date_of_birth else "",
                     "\n".join(relations), "\n".join(cases), "; ".join(f.text(lang) for f in p.flags)])
    story.append(grid([_t(lang, k) for k in ("person", "born", "relations", "other_cases", "safety")], rows,
                      [32 * mm, 24 * mm, None, 30 * mm, 30 * mm]))
    return story


def render_family(network: Any, places: dict[str, tuple[int, int]], council: CouncilIdentity,
                  languages: Sequence[str] = ("cy", "en"), *, made_on: date) -> bytes:
    """The family network (a :class:`desktop.services.family.FamilyNetwork`) as PDF bytes."""
    parts: list[Part] = []
    for lang in languages:
        if lang not in ("cy", "en"):
            raise ValueError(f"unsupported report language {lang!r}")
        parts.append(Part(lang, _story(network, places, lang, made_on),
                          running_title=f"{_t(lang, 'title')} – {network.reference}"))
    builder = DocumentBuilder(council, first_page=report_heading(council), first_top=REPORT_TOP,
                              contact_footer=False, title=translator(languages[0]).gettext(L["title"]))
    return builder.build(parts)


ALL_LABELS: list[str] = list(L.values())
"""Every msgid this module shows (each has a Welsh translation: tests/test_i18n.py)."""
