"""Committee performance report (seed 004): tables and ReportLab charts from plain numbers.

Contract: ``render_committee_report(stats, lang, council)`` → PDF bytes; ``lang`` is "cy",
"en" or "bilingual" (Welsh part then English part, each numbered on its own). Percentages are
computed here from the counts in :class:`CommitteeStats`; nothing reads the database.
"""

from __future__ import annotations

from statistics import mean, median

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from desktop.i18n import N_, format_number
from reports.conference import CATEGORY_LABELS
from reports.fonts import REGULAR
from reports.labels import label
from reports.layout import MARGIN, PAGE_W, DocumentBuilder, Part, esc, long_date, styles
from reports.model import REGISTRATION_CATEGORIES, CommitteeStats, CouncilIdentity, Timeliness
from reports.report_common import REPORT_TOP, grid, kv_table, report_heading, report_languages

PALETTE = [
    colors.HexColor(c) for c in ("#1F4E79", "#2E75B6", "#9DC3E6", "#C55A11", "#F4B183", "#548235", "#A9D18E")
]
WIDTH = PAGE_W - 2 * MARGIN

L = {
    "title": N_("Safeguarding performance report to committee"),
    "period": N_("Reporting period"),
    "timeliness": N_("Work done within timescales"),
    "measure": N_("Measure"),
    "due": N_("Due"),
    "in_time": N_("Within timescale"),
    "percent": N_("Percentage"),
    "seen_alone": N_("Child seen alone within 10 working days"),
    "seen_home": N_("Child seen at home within 4 weeks"),
    "icpc": N_("Initial conferences within 15 working days"),
    "rcpc": N_("Review conferences within timescale"),
    "core": N_("Core group meetings within timescale"),
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
    "category_note": N_("A child may be registered under more than one category."),
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
    "caseload": N_("Caseload per worker"),
    "worker": N_("Worker"),
    "cases": N_("Cases"),
    "avg_caseload": N_("Average caseload"),
    "no_data": N_("No data for this period"),
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


def _hbar(
    labels: list[str], values: list[float], lang: str, max_value: float | None, percent: bool
) -> Drawing:
    """A horizontal bar chart in the bundled font (chart text defaults to Helvetica otherwise)."""
    row_h = 8 * mm
    height = max(30 * mm, row_h * len(labels) + 16 * mm)
    d = _drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 78 * mm, 10 * mm
    chart.width, chart.height = WIDTH - 92 * mm, height - 16 * mm
    # ReportLab draws the first category at the bottom; reverse so the chart reads like the table.
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    top = max_value if max_value is not None else max([*values, 1])
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = 20 if percent else max(1, int(round(top / 5)))
    if percent:
        chart.valueAxis.labelTextFormat = lambda v: f"{format_number(v, lang)}%"
    chart.bars[0].fillColor = PALETTE[1]
    chart.bars[0].strokeColor = None
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabelFormat = (
        (lambda v: f"{format_number(round(v, 1), lang)}%") if percent else (lambda v: format_number(v, lang))
    )
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    return d


def _pie(labels: list[str], values: list[int], lang: str) -> Drawing:
    d = _drawing(WIDTH, 62 * mm)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 12 * mm, 6 * mm, 50 * mm, 50 * mm
    pie.data = values
    pie.labels = [format_number(v, lang) for v in values]
    pie.slices.fontName = REGULAR
    pie.slices.fontSize = 8
    pie.slices.strokeColor = colors.white
    for i in range(len(values)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    d.add(pie)
    legend = Legend()
    legend.x, legend.y = 80 * mm, 50 * mm
    legend.fontName = REGULAR
    legend.fontSize = 8.5
    legend.alignment = "right"
    legend.columnMaximum = 10  # one column: Welsh category names are long
    legend.dx = legend.dy = 8
    legend.deltay = 15
    legend.autoXPadding = 6
    legend.colorNamePairs = [
        (PALETTE[i % len(PALETTE)], f"{name} ({format_number(v, lang)})")
        for i, (name, v) in enumerate(zip(labels, values, strict=True))
    ]
    d.add(legend)
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
    ]

    # 1. Timeliness
    rows: list[tuple[str, Timeliness]] = [
        (_t(lang, "seen_alone"), s.visits_seen_alone),
        (_t(lang, "seen_home"), s.visits_at_home),
        (_t(lang, "icpc"), s.initial_conferences),
        (_t(lang, "rcpc"), s.review_conferences),
        (_t(lang, "core"), s.core_groups),
    ]
    table = grid(
        [_t(lang, k) for k in ("measure", "due", "in_time", "percent")],
        [[name, _num(t.due, lang), _num(t.in_time, lang), _pct(t.percent, lang)] for name, t in rows],
        [90 * mm, 22 * mm, 32 * mm, None],
    )
    charted = [(name, t.percent) for name, t in rows if t.percent is not None]
    chart = (
        _hbar([n for n, _ in charted], [p for _, p in charted], lang, 100, True)
        if charted
        else _no_data(lang)
    )
    story += [Paragraph(esc(_t(lang, "timeliness")), h2), table, Spacer(1, 3 * mm), chart]

    # 2. Register
    days = s.days_on_register
    reg_rows = [
        (_t(lang, "on_register"), _num(s.children_on_register, lang)),
        (_t(lang, "registrations"), _num(s.registrations, lang)),
        (_t(lang, "re_registrations"), _num(s.re_registrations, lang)),
        (_t(lang, "re_rate"), _pct(_ratio(s.re_registrations, s.registrations), lang)),
        (_t(lang, "deregistrations"), _num(s.deregistrations, lang)),
        (_t(lang, "avg_days"), _num(float(mean(days)), lang) if days else "—"),
        (_t(lang, "median_days"), _num(float(median(days)), lang) if days else "—"),
        (_t(lang, "max_days"), _num(max(days), lang) if days else "—"),
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
                [[n, _num(v, lang)] for n, v in zip(cat_names, cat_values, strict=True)],
                [110 * mm, None],
            ),
            Spacer(1, 2 * mm),
        ]
        if sum(cat_values) > 0:
            cat_block.append(_pie(cat_names, cat_values, lang))
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
            [[n, _num(t.due, lang), _num(t.in_time, lang), _pct(t.percent, lang)] for n, t in perm],
            [90 * mm, 22 * mm, 32 * mm, None],
        ),
        Spacer(1, 3 * mm),
    ]
    charted = [(n, t.percent) for n, t in perm if t.percent is not None]
    perm_block.append(
        _hbar([n for n, _ in charted], [p for _, p in charted], lang, 100, True)
        if charted
        else _no_data(lang)
    )
    story.append(KeepTogether(perm_block))

    # 4. Welsh language (Standards 2, 4, 5)
    welsh_rows = [
        (_t(lang, "open_cases"), _num(s.open_cases, lang)),
        (
            _t(lang, "welsh_pref"),
            f"{_num(s.welsh_preference_cases, lang)} ({_pct(_ratio(s.welsh_preference_cases, s.open_cases), lang)})",
        ),
        (_t(lang, "letters"), _num(s.letters_sent, lang)),
        (
            _t(lang, "welsh_letters"),
            f"{_num(s.welsh_letters_sent, lang)} ({_pct(_ratio(s.welsh_letters_sent, s.letters_sent), lang)})",
        ),
        (
            _t(lang, "same_time"),
            f"{_num(s.welsh_letters_same_time, lang)} ({_pct(_ratio(s.welsh_letters_same_time, s.welsh_letters_sent), lang)})",
        ),
    ]
    story.append(KeepTogether([Paragraph(esc(_t(lang, "welsh")), h2), kv_table(welsh_rows, 110 * mm)]))

    # 5. Caseload
    workers = sorted(s.caseload_per_worker.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    load_block: list[Flowable] = [Paragraph(esc(_t(lang, "caseload")), h2)]
    if workers:
        load_block += [
            grid(
                [_t(lang, "worker"), _t(lang, "cases")],
                [[w, _num(n, lang)] for w, n in workers],
                [110 * mm, None],
            ),
            Paragraph(
                f"<b>{esc(_t(lang, 'avg_caseload'))}:</b> {esc(_num(float(mean(n for _, n in workers)), lang))}",
                st["body"],
            ),
            Spacer(1, 2 * mm),
            _hbar([w for w, _ in workers], [n for _, n in workers], lang, None, False),
        ]
    else:
        load_block.append(_no_data(lang))
    story.append(KeepTogether(load_block))
    return story


def render_committee_report(stats: CommitteeStats, lang: str, council: CouncilIdentity) -> bytes:
    """The committee report as PDF bytes in ``lang`` ("cy", "en" or "bilingual")."""
    parts = [
        Part(code, _story(stats, code), running_title=_t(code, "title")) for code in report_languages(lang)
    ]
    builder = DocumentBuilder(
        council, first_page=report_heading(council), first_top=REPORT_TOP, contact_footer=False
    )
    return builder.build(parts)


ALL_LABELS: list[str] = list(L.values())
