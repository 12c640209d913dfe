"""Committee performance report (seed 004): tables and ReportLab charts from plain numbers.

Contract: ``render_committee_report(stats, lang, council)`` → PDF bytes; ``lang`` is "cy",
"en" or "bilingual" (Welsh part then English part, each numbered on its own). Percentages are
computed here from the counts in :class:`CommitteeStats`; nothing reads the database.
"""

from __future__ import annotations

from datetime import date
from statistics import mean, median

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from desktop.i18n import N_, format_date, format_number
from reports.conference import CATEGORY_LABELS
from reports.fonts import BOLD, REGULAR
from reports.labels import label
from reports.layout import MARGIN, PAGE_W, DocumentBuilder, Part, esc, long_date, styles
from reports.model import REGISTRATION_CATEGORIES, CommitteeStats, CouncilIdentity, MeasureFigures, Timeliness
from reports.report_common import REPORT_TOP, grid, kv_table, report_heading, report_languages

PALETTE = [
    colors.HexColor(c) for c in ("#1F4E79", "#2E75B6", "#9DC3E6", "#C55A11", "#F4B183", "#548235", "#A9D18E")
]
WIDTH = PAGE_W - 2 * MARGIN

L = {
    "title": N_("Safeguarding performance report to committee"),
    "period": N_("Reporting period"),
    "timeliness": N_("Work done within timescales"),
    "timeliness_note": N_("Every time a timescale fell due in the period is counted, whether the visit or"
                          " meeting happened or not. Carried over: due before the period and still not done when"
                          " it began. Outstanding: not done by the end of the period, as My work showed that day."
                          " Left undone: the child or adult left the plan or register first."),
    "suppressed_note": N_("[c]: a number from 1 to 4, or a percentage made from one, is not shown, so that no"
                          " child or adult can be recognised (as official statistics do)."),
    "measure": N_("Measure"),
    "fell_due": N_("Fell due"),
    "carried": N_("Carried over"),
    "on_time": N_("On time"),
    "late": N_("Late"),
    "outstanding": N_("Outstanding"),
    "ended": N_("Left undone"),
    "percent": N_("Percentage"),
    "pct_on_time": N_("Per cent on time"),
    "excepted": N_("Fell due while a manager's recorded exception applied (counted apart, not above)"),
    "chart_on_time": N_("Done on time, as a percentage of what fell due"),
    "population_child_protection": N_("Children on the child protection register"),
    "population_adult_at_risk": N_("Adults at risk"),
    "population_looked_after": N_("Looked-after children"),
    "population_child_in_need": N_("Children in need"),
    "register": N_("Child protection register"),
    "on_register": N_("Children on the register at the end of the period"),
    "registrations": N_("Registrations in the period"),
    "re_registrations": N_("Re-registrations in the period"),
    "re_rate": N_("Re-registrations as a percentage of registrations"),
    "deregistrations": N_("De-registrations in the period"),
    "avg_days": N_("Average days on the register (children de-registered)"),
    "median_days": N_("Median days on the register"),
    "max_days": N_("Longest time on the register (days)"),
    "by_category": N_("Children on the register by category"),
    "category": N_("Category"),
    "children": N_("Children"),
    "category_note": N_("A child may be registered under more than one category, so these add up to more than"
                        " the number of children."),
    "permanence": N_("Babies placed in their permanent home within 3 months"),
    "group": N_("Group"),
    "babies": N_("Babies"),
    "placed": N_("Placed within 3 months"),
    "with_court": N_("Court proceedings open"),
    "without_court": N_("No court proceedings open"),
    "all_babies": N_("All babies"),
    "welsh": N_("Welsh language"),
    "open_cases": N_("Open cases"),
    "welsh_pref": N_("Cases with a Welsh language preference"),
    "letters": N_("Letters sent"),
    "welsh_letters": N_("Letters sent in Welsh or bilingually"),
    "same_time": N_("Welsh version sent at the same time as the English"),
    "caseload": N_("Open cases by team"),
    "team": N_("Team"),
    "cases": N_("Cases"),
    "no_data": N_("No data for this period"),
    "coverage": N_("Cases counted"),
    "coverage_laptop": N_("The cases held on the laptop that made this report"),
    "coverage_council": N_("Every case in the council, from the server"),
    "coverage_team": N_("The cases of one team, from the server: {team}"),
    "trend": N_("Trend: done on time, month by month"),
    "trend_note": N_("For each of the last twelve months, what fell due that month and the percentage of it done"
                     " on time, counted as above for that month alone. The last month ends on the last day of the"
                     " reporting period. —: nothing fell due."),
    "trend_fell_due": N_("Fell due"),
}


def _t(lang: str, key: str) -> str:
    return label(lang, L[key])


def _num(value: float | int, lang: str) -> str:
    return format_number(round(value, 1) if isinstance(value, float) else value, lang)


def _pct(value: float | None, lang: str) -> str:
    return "—" if value is None else f"{format_number(round(value, 1), lang)}%"


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose initial font is ours (ReportLab graphics otherwise start in Helvetica)."""
    d = Drawing(width, height)
    d.initialFontName = REGULAR
    return d


SMALL = range(1, 5)
"""Counts from 1 to 4 are not shown (official statistics' disclosure control)."""
ZERO_COLOUR = colors.HexColor("#8e0000")


def _count(value: int, lang: str) -> str:
    return "[c]" if value in SMALL else _num(value, lang)


def _share(part: int, whole: int, lang: str) -> str:
    """A percentage, unless it would reveal a small number."""
    if whole == 0:
        return "—"
    if part in SMALL or whole in SMALL:
        return "[c]"
    return _pct(100.0 * part / whole, lang)


def _fitted_widths(header: list[str]) -> list[float | None]:
    """The measure column takes what the number columns leave; each number column is as wide as the
    longest word of its heading (Welsh headings are longer), so no word is broken."""
    pad = 12  # the table's cell padding, both sides, in points
    widest_value = stringWidth("100.0%", REGULAR, 9.5)
    numbers = [max(widest_value, *(stringWidth(w, BOLD, 9.5) for w in h.split())) + pad for h in header[1:]]
    return [WIDTH - sum(numbers), *numbers]


def _bars(rows: list[tuple[str, float | None]], lang: str, *, percent: bool, top: float | None = None) -> Drawing:
    """One bar per row, drawn by hand so that a zero is seen (a red mark and "0%") and a hidden value
    says "[c]" instead of a bar. Long labels wrap in the left column."""
    label_w, gap, row_h = 70 * mm, 3 * mm, 9 * mm
    bar_w = WIDTH - label_w - gap - 18 * mm
    height = row_h * len(rows) + 4 * mm
    d = _drawing(WIDTH, height)
    limit = top if top is not None else max([v or 0 for _n, v in rows] + [1])
    for i, (name, value) in enumerate(rows):
        y = height - (i + 1) * row_h
        lines = simpleSplit(name, REGULAR, 7.5, label_w)[:2]
        for n, line in enumerate(lines):
            d.add(String(0, y + row_h / 2 + 4 * (len(lines) - 1) - 8 * n - 2.5, line, fontName=REGULAR,
                         fontSize=7.5))
        x0 = label_w + gap
        d.add(Rect(x0, y + 2 * mm, bar_w, row_h - 4 * mm, fillColor=colors.HexColor("#eef2f5"), strokeColor=None))
        if value is None:
            d.add(String(x0 + 2, y + row_h / 2 - 3, "[c]", fontName=REGULAR, fontSize=8))
            continue
        text = f"{format_number(round(value, 1), lang)}%" if percent else format_number(value, lang)
        if value == 0:
            d.add(Rect(x0, y + 2 * mm, 1.5 * mm, row_h - 4 * mm, fillColor=ZERO_COLOUR, strokeColor=None))
            d.add(String(x0 + 3 * mm, y + row_h / 2 - 3, text, fontName=BOLD, fontSize=8, fillColor=ZERO_COLOUR))
            continue
        length = bar_w * min(value, limit) / limit
        d.add(Rect(x0, y + 2 * mm, length, row_h - 4 * mm, fillColor=PALETTE[1], strokeColor=None))
        d.add(String(x0 + length + 2, y + row_h / 2 - 3, text, fontName=REGULAR, fontSize=8))
    return d


def _no_data(lang: str) -> Drawing:
    d = _drawing(WIDTH, 10 * mm)
    d.add(String(0, 3 * mm, _t(lang, "no_data"), fontName=REGULAR, fontSize=9))
    return d


def _story(s: CommitteeStats, lang: str) -> list[Flowable]:
    st = styles()
    h2 = st["h2"]
    story: list[Flowable] = [
        Paragraph(esc(_t(lang, "title")), st["h1"]),
        Paragraph(
            f"<b>{esc(_t(lang, 'period'))}:</b> {esc(long_date(s.period_start, lang))} – {esc(long_date(s.period_end, lang))}",
            st["body"],
        ),
        Paragraph(f"<b>{esc(_t(lang, 'coverage'))}:</b> {esc(_coverage(s, lang))}", st["body"]),
    ]

    # 1. Timescales: what fell due, and what became of it (per population)
    story += [Paragraph(esc(_t(lang, "timeliness")), h2), Paragraph(esc(_t(lang, "timeliness_note")), st["notice"])]
    header = [_t(lang, k) for k in ("measure", "fell_due", "carried", "on_time", "late", "outstanding", "ended",
                                    "pct_on_time")]
    for population in ("child_protection", "adult_at_risk", "looked_after", "child_in_need"):
        measures = [m for m in s.measures if m.population == population]
        if not measures:
            continue
        rows = [[m.title[lang], _count(m.fell_due, lang), _count(m.carried, lang), _count(m.on_time, lang),
                 _count(m.late, lang), _count(m.outstanding, lang), _count(m.ended, lang),
                 _share(m.on_time, m.fell_due, lang)] for m in measures]
        charted = [(m.title[lang], None if _share(m.on_time, m.fell_due, lang) == "[c]" else m.percent_on_time)
                   for m in measures if m.fell_due]
        block: list[Flowable] = [
            Paragraph(esc(_t(lang, f"population_{population}")), st["h3"]),
            grid(header, rows, _fitted_widths(header)),
        ]
        excepted = [(m.title[lang], _count(m.excepted, lang)) for m in measures if m.excepted]
        if excepted:
            block += [Paragraph(esc(_t(lang, "excepted")), st["notice"]), kv_table(excepted, 110 * mm)]
        story.append(KeepTogether(block))
        # The chart keeps with its caption, not with the table: kept all together, a population's table and
        # chart were taller than what the first page leaves, and the first page went out nearly empty.
        if charted:
            story.append(KeepTogether([Spacer(1, 2 * mm), Paragraph(esc(_t(lang, "chart_on_time")), st["notice"]),
                                       _bars(charted, lang, percent=True, top=100)]))
    story.append(Paragraph(esc(_t(lang, "suppressed_note")), st["notice"]))

    # 1a. The trend: each measure month by month over the last twelve months
    story += _trend(s, lang)

    # 2. Register
    days = s.days_on_register
    # Times on the register of fewer than 5 children would describe those children: not shown.
    few = "[c]" if len(days) in SMALL else "—"
    many = len(days) >= 5
    reg_rows = [
        (_t(lang, "on_register"), _count(s.children_on_register, lang)),
        (_t(lang, "registrations"), _count(s.registrations, lang)),
        (_t(lang, "re_registrations"), _count(s.re_registrations, lang)),
        (_t(lang, "re_rate"), _share(s.re_registrations, s.registrations, lang)),
        (_t(lang, "deregistrations"), _count(s.deregistrations, lang)),
        (_t(lang, "avg_days"), _num(float(mean(days)), lang) if many else few),
        (_t(lang, "median_days"), _num(float(median(days)), lang) if many else few),
        (_t(lang, "max_days"), _num(max(days), lang) if many else few),
    ]
    story += [Paragraph(esc(_t(lang, "register")), h2), kv_table(reg_rows, 110 * mm)]
    cats = [c for c in REGISTRATION_CATEGORIES if c in s.register_by_category] + sorted(
        c for c in s.register_by_category if c not in REGISTRATION_CATEGORIES
    )
    cat_names = [label(lang, CATEGORY_LABELS.get(c, c)) for c in cats]
    cat_values = [s.register_by_category[c] for c in cats]
    cat_block: list[Flowable] = [Paragraph(esc(_t(lang, "by_category")), st["h3"])]
    if cats:
        cat_block += [
            grid(
                [_t(lang, "category"), _t(lang, "children")],
                [[n, _count(v, lang)] for n, v in zip(cat_names, cat_values, strict=True)],
                [110 * mm, None],
            ),
            Spacer(1, 2 * mm),
        ]
        if sum(cat_values) > 0:  # bars, not a pie: a child may be under several categories
            cat_block.append(_bars([(n, None if v in SMALL else float(v))
                                    for n, v in zip(cat_names, cat_values, strict=True)], lang, percent=False))
        cat_block.append(Paragraph(esc(_t(lang, "category_note")), st["notice"]))
    else:
        cat_block.append(_no_data(lang))
    story.append(KeepTogether(cat_block))

    # 3. Permanence (seed 004: with and without court proceedings open)
    total = Timeliness(
        s.babies_with_court.due + s.babies_without_court.due,
        s.babies_with_court.in_time + s.babies_without_court.in_time,
    )
    perm = [
        (_t(lang, "with_court"), s.babies_with_court),
        (_t(lang, "without_court"), s.babies_without_court),
        (_t(lang, "all_babies"), total),
    ]
    perm_block: list[Flowable] = [
        Paragraph(esc(_t(lang, "permanence")), h2),
        grid(
            [_t(lang, k) for k in ("group", "babies", "placed", "percent")],
            [[n, _count(t.due, lang), _count(t.in_time, lang), _share(t.in_time, t.due, lang)] for n, t in perm],
            [90 * mm, 22 * mm, 32 * mm, None],
        ),
        Spacer(1, 3 * mm),
    ]
    charted = [(n, None if _share(t.in_time, t.due, lang) == "[c]" else t.percent) for n, t in perm if t.due]
    perm_block.append(_bars(charted, lang, percent=True, top=100) if charted else _no_data(lang))
    story.append(KeepTogether(perm_block))

    # 4. Welsh language (Standards 2, 4, 5)
    def with_share(part: int, whole: int) -> str:
        return f"{_count(part, lang)} ({_share(part, whole, lang)})"

    welsh_rows = [
        (_t(lang, "open_cases"), _count(s.open_cases, lang)),
        (_t(lang, "welsh_pref"), with_share(s.welsh_preference_cases, s.open_cases)),
        (_t(lang, "letters"), _count(s.letters_sent, lang)),
        (_t(lang, "welsh_letters"), with_share(s.welsh_letters_sent, s.letters_sent)),
        (_t(lang, "same_time"), with_share(s.welsh_letters_same_time, s.welsh_letters_sent)),
    ]
    story.append(KeepTogether([Paragraph(esc(_t(lang, "welsh")), h2), kv_table(welsh_rows, 110 * mm)]))

    # 5. Open cases by team (never by worker)
    teams = sorted(s.open_cases_by_team.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    load_block: list[Flowable] = [Paragraph(esc(_t(lang, "caseload")), h2)]
    if teams:
        load_block.append(grid([_t(lang, "team"), _t(lang, "cases")], [[t, _count(n, lang)] for t, n in teams],
                               [110 * mm, None]))
    else:
        load_block.append(_no_data(lang))
    story.append(KeepTogether(load_block))
    return story


def _coverage(s: CommitteeStats, lang: str) -> str:
    if s.coverage == "team":
        return _t(lang, "coverage_team").format(team=s.team)
    return _t(lang, f"coverage_{s.coverage}")


def _month(start: date, lang: str) -> str:
    return format_date(start, "LLL yy", lang)


def _trend_table(measures: list[MeasureFigures], lang: str) -> Table:
    """Measures down, months across: the percentage done on time ([c] when it would reveal a small
    number, — when nothing fell due)."""
    st = styles()
    cell = st["small"]
    months = measures[0].trend
    head = [Paragraph(esc(_t(lang, "measure")), cell)] + [
        Paragraph(esc(_month(m.start, lang)).replace(" ", "<br/>"), cell) for m in months]
    rows = [[Paragraph(esc(m.title[lang]), cell)] + [Paragraph(_share(p.on_time, p.fell_due, lang), cell)
                                                      for p in m.trend] for m in measures]
    month_w = 11.5 * mm
    table = Table([head, *rows], colWidths=[WIDTH - month_w * len(months)] + [month_w] * len(months),
                  repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4ECF5")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#BBBBBB")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def _trend_chart(m: MeasureFigures, lang: str) -> Drawing:
    """Twelve columns, one a month: the percentage done on time, with what fell due under each month. A
    zero is a red mark and "0%"; a hidden value says "[c]"; a month where nothing fell due says "—"."""
    height, top_pad, foot, gutter = 34 * mm, 9 * mm, 9 * mm, 16 * mm
    grey = colors.HexColor("#444444")
    d = _drawing(WIDTH, height)
    d.add(String(0, height - 3.5 * mm, simpleSplit(m.title[lang], BOLD, 8, WIDTH)[0], fontName=BOLD, fontSize=8))
    col_w = (WIDTH - gutter) / len(m.trend)
    plot_h = height - top_pad - foot
    d.add(Rect(gutter, foot, WIDTH - gutter, 0.4, fillColor=colors.HexColor("#999999"), strokeColor=None))
    for y, text in ((foot + plot_h, "100%"), (foot, "0%")):
        d.add(String(gutter - 1.5 * mm, y - 1, text, fontName=REGULAR, fontSize=6.5, textAnchor="end", fillColor=grey))
    for line in simpleSplit(_t(lang, "trend_fell_due"), REGULAR, 6.5, gutter - 2 * mm)[:1]:
        d.add(String(0, foot - 7.2 * mm, line, fontName=REGULAR, fontSize=6.5, fillColor=grey))
    for i, p in enumerate(m.trend):
        centre = gutter + i * col_w + col_w / 2
        d.add(String(centre, foot - 3.5 * mm, _month(p.start, lang), fontName=REGULAR, fontSize=7,
                     textAnchor="middle"))
        d.add(String(centre, foot - 7.2 * mm, _count(p.fell_due, lang), fontName=REGULAR, fontSize=6.5,
                     textAnchor="middle", fillColor=grey))
        shown = _share(p.on_time, p.fell_due, lang)
        bar_w = col_w * 0.6
        if shown in ("—", "[c]"):
            d.add(String(centre, foot + 1.5 * mm, shown, fontName=REGULAR, fontSize=7.5, textAnchor="middle"))
            continue
        value = p.percent_on_time or 0.0
        if value == 0:
            d.add(Rect(centre - bar_w / 2, foot, bar_w, 1.2 * mm, fillColor=ZERO_COLOUR, strokeColor=None))
            d.add(String(centre, foot + 2.2 * mm, shown, fontName=BOLD, fontSize=7.5, textAnchor="middle",
                         fillColor=ZERO_COLOUR))
            continue
        h = plot_h * min(value, 100.0) / 100.0
        d.add(Rect(centre - bar_w / 2, foot, bar_w, h, fillColor=PALETTE[1], strokeColor=None))
        d.add(String(centre, foot + h + 1.2 * mm, shown, fontName=REGULAR, fontSize=7, textAnchor="middle"))
    return d


def _trend(s: CommitteeStats, lang: str) -> list[Flowable]:
    st = styles()
    measured = [m for m in s.measures if m.trend and any(p.fell_due for p in m.trend)]
    head: list[Flowable] = [Paragraph(esc(_t(lang, "trend")), st["h2"]),
                            Paragraph(esc(_t(lang, "trend_note")), st["notice"])]
    if not measured:
        return [KeepTogether([*head, _no_data(lang)])]
    out: list[Flowable] = []
    for population in ("child_protection", "adult_at_risk", "looked_after", "child_in_need"):
        group = [m for m in measured if m.population == population]
        if not group:
            continue
        out.append(KeepTogether([*head, Paragraph(esc(_t(lang, f"population_{population}")), st["h3"]),
                                 _trend_table(group, lang), Spacer(1, 2 * mm)]))
        head = []  # the section's heading stays with its first table
        out += [KeepTogether([_trend_chart(m, lang), Spacer(1, 2 * mm)]) for m in group]
    return out


def render_committee_report(stats: CommitteeStats, lang: str, council: CouncilIdentity) -> bytes:
    """The committee report as PDF bytes in ``lang`` ("cy", "en" or "bilingual")."""
    parts = [
        Part(code, _story(stats, code), running_title=_t(code, "title"), continues=True)
        for code in report_languages(lang)
    ]
    builder = DocumentBuilder(
        council, first_page=report_heading(council), first_top=REPORT_TOP, contact_footer=False
    )
    return builder.build(parts)


ALL_LABELS: list[str] = list(L.values())
