"""A case's family network as a PDF (Qt-free): the genogram, then who is who — each person's
relationships with parental responsibility and its basis, the other cases they are on that the reader
may see, and their safety flags — one part per language, Welsh first, marked OFFICIAL-SENSITIVE."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from desktop.domain.types import label as code_label
from desktop.i18n import N_, translator
from reports.fonts import BOLD, REGULAR, register_fonts
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
BOX_W, BOX_H, GAP_X, GAP_Y = 40 * mm, 17 * mm, 26 * mm, 13 * mm
SYMBOL = 7 * mm  # the side of a person's square, circle or diamond
KEY_H = 9 * mm  # the key under the diagram
RED = colors.HexColor("#B71C1C")
INK, LINE, PR_LINE = colors.HexColor("#263238"), colors.HexColor("#607D8B"), colors.HexColor("#1A237E")


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
    """The genogram as a ReportLab drawing no wider than ``width``, drawn as on screen: a square for a
    male, a circle for a female, a diamond where the sex is not recorded; the case's children or adult
    with a double outline and their name in bold; a cross through someone who has died; a flagged person
    in red with the flag's words under the name; a line per relationship named along it, thick and dark
    where it carries parental responsibility; the key under it all."""
    from desktop.services.family import DIED, KEY

    register_fonts()  # the text is measured before any page is built
    natural_w, natural_h, centres = layout(places)
    scale = min(1.0, width / natural_w)
    group = Group()

    def centre(pid: str) -> tuple[float, float]:
        return centres[pid]

    for link in network.links:
        (x1, y1), (x2, y2) = centre(link.person_id), centre(link.related_person_id)
        pr = link.parental_responsibility
        group.add(Line(x1, y1, x2, y2, strokeColor=PR_LINE if pr else LINE, strokeWidth=1.8 if pr else 0.8))
    for person in network.people:
        x, y = centre(person.id)
        flagged = bool(person.flags)
        colour = RED if flagged else INK
        symbol(group, person.symbol, x, y, SYMBOL, colour, 1.4 if person.subject or flagged else 0.8,
               double=person.subject, died=bool(person.died_on))
        name_y = y - SYMBOL / 2 - 9
        _plate(group, x, name_y, person.name, BOLD if person.subject else REGULAR, 7.5)
        group.add(String(x, name_y, person.name, fontName=BOLD if person.subject else REGULAR, fontSize=7.5,
                         textAnchor="middle"))
        if flagged:
            below = person.flags[0].text(lang)
        elif person.died_on:
            below = label(lang, DIED).format(date=long_date(date.fromisoformat(person.died_on), lang))
        else:
            below = long_date(date.fromisoformat(person.date_of_birth), lang) if person.date_of_birth else ""
        if below:
            _plate(group, x, name_y - 8, below, REGULAR, 6)
            group.add(String(x, name_y - 8, below, fontName=REGULAR, fontSize=6, textAnchor="middle",
                             fillColor=RED if flagged else colors.HexColor("#455A64")))
    for link in network.links:  # each line's name over everything, nearer the person it is about
        (x1, y1), (x2, y2) = centre(link.person_id), centre(link.related_person_id)
        # Between generations nearer the person (crossing lines keep apart); within one, in the gap between
        # the two symbols.
        t = 0.5 if y1 == y2 else 0.3
        lx, ly = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
        words = code_label(link.kind, lang)
        _plate(group, lx, ly + 1.5, words, REGULAR, 6.5, colors.HexColor("#ECEFF1"))
        group.add(String(lx, ly + 1.5, words, fontName=REGULAR, fontSize=6.5, textAnchor="middle",
                         fillColor=colors.HexColor("#37474F")))
    x, size = 0.0, 3.2 * mm
    for key in ("square", "circle", "diamond", "subject", "died", "pr"):
        if key == "pr":
            group.add(Line(x, size / 2, x + 2 * size, size / 2, strokeColor=PR_LINE, strokeWidth=1.8))
            right = x + 2 * size
        else:
            symbol(group, key if key in ("square", "circle", "diamond") else "square", x + size / 2, size / 2, size,
                   INK, 0.7, double=key == "subject", died=key == "died")
            right = x + size
        words = label(lang, KEY[key])
        group.add(String(right + 1.5 * mm, 0.8, words, fontName=REGULAR, fontSize=6.5))
        x = right + 1.5 * mm + stringWidth(words, REGULAR, 6.5) + 5 * mm
    group.scale(scale, scale)
    drawing = Drawing(natural_w * scale, natural_h * scale)
    drawing.add(group)
    return drawing


def layout(places: dict[str, tuple[int, int]]) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """The drawing's natural width and height, and the centre of each person's symbol (at the top of their
    place; their name and a line of text go under it), before any scaling."""
    rows = max((r for r, _c in places.values()), default=0) + 1
    cols = max((c for _r, c in places.values()), default=0) + 1
    natural_w = max(cols * (BOX_W + GAP_X), 4 * (BOX_W + 4 * mm))
    natural_h = rows * (BOX_H + GAP_Y) - GAP_Y + KEY_H + 3 * mm
    return natural_w, natural_h, {pid: (c * (BOX_W + GAP_X) + BOX_W / 2, natural_h - r * (BOX_H + GAP_Y) - SYMBOL / 2 - 1)
                                  for pid, (r, c) in places.items()}


def symbol(group: Group, kind: str, x: float, y: float, size: float, colour: Any, width: float, *,
           double: bool = False, died: bool = False) -> None:
    """A square, circle or diamond of side ``size`` centred on (``x``, ``y``), white inside; ``double``: a
    second outline inside it; ``died``: a cross through it."""
    sizes = [size, size - 2.6 * width - 2] if double else [size]
    for i, side in enumerate(sizes):
        fill = colors.white if i == 0 else None
        h = side / 2
        if kind == "square":
            group.add(Rect(x - h, y - h, side, side, fillColor=fill, strokeColor=colour, strokeWidth=width))
        elif kind == "circle":
            group.add(Circle(x, y, h, fillColor=fill, strokeColor=colour, strokeWidth=width))
        else:
            group.add(Polygon([x, y + h, x + h, y, x, y - h, x - h, y], fillColor=fill, strokeColor=colour,
                              strokeWidth=width))
    if died:
        h = size / 2 + 1.2
        group.add(Line(x - h, y + h, x + h, y - h, strokeColor=colour, strokeWidth=max(0.7, width - 0.3)))
        group.add(Line(x - h, y - h, x + h, y + h, strokeColor=colour, strokeWidth=max(0.7, width - 0.3)))


def _plate(group: Group, x: float, y: float, text: str, font: str, size: float, fill: Any = colors.white) -> None:
    """A ground under a line of text (centred on ``x``, baseline ``y``) so the lines behind do not cross it."""
    w = stringWidth(text, font, size) + 3
    group.add(Rect(x - w / 2, y - size * 0.28, w, size * 1.12, fillColor=fill, strokeColor=None, strokeWidth=0))


def _story(network: Any, places: dict[str, tuple[int, int]], lang: str, made_on: date) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        Paragraph(esc(_t(lang, "title")), st["h1"]),
        kv_table([(_t(lang, "case"), network.reference), (_t(lang, "made"), long_date(made_on, lang))], 40 * mm),
        Spacer(1, 3 * mm), Paragraph(esc(_t(lang, "notice")), st["notice"]), Spacer(1, 3 * mm),
        genogram(network, places, lang, PAGE_W - 2 * MARGIN), Spacer(1, 5 * mm)]
    names = {p.id: p.name for p in network.people}
    rows = []
    # The case's children or adult first, then everyone else oldest first: the same order every time it is printed.
    for p in sorted(network.people, key=lambda p: (not p.subject, p.date_of_birth or "9999", p.name)):
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
