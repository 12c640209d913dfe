"""Conference reports: real PDFs read back with pypdf."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports import (
    AdultConference,
    AgencyReport,
    Attendee,
    BilingualText,
    ChildConference,
    ConferenceChild,
    CoreGroupContribution,
    CouncilIdentity,
    PlanAction,
    PlanOutcome,
    render_conference_report,
)
from reports.conference import ALL_LABELS as CONFERENCE_LABELS
from reports.conference import CATEGORY_LABELS, L
from reports.labels import label, untranslated
from reports.report_common import MARKING

EXAMPLE = Path(__file__).resolve().parent.parent / "reports" / "council.example.json"


@pytest.fixture(scope="module")
def council() -> CouncilIdentity:
    return CouncilIdentity.from_json(EXAMPLE)


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def attendees(agencies: int) -> list[Attendee]:
    names = ["Gwasanaethau Cymdeithasol", "Heddlu Dyfed-Powys", "Bwrdd Iechyd", "Ysgol Gynradd Tregŵyr"]
    people = [Attendee(f"Person {i}", "Ymarferydd", names[i], True, i % 2 == 0) for i in range(agencies)]
    people.append(Attendee("Mr Bowen", "Pennaeth", "Ysgol Uwchradd", attended=False, report_submitted=True))
    return people


def conference(kind: str = "initial", agencies: int = 3, **kw) -> ChildConference:
    return ChildConference(
        kind=kind,
        conference_date=date(2026, 11, 20),
        chair="Rhian Hughes",
        venue="Neuadd y Sir",
        record_taker="Ifan Jones",
        conference_language="cy",
        children=[
            ConferenceChild(
                "Dafydd ap Llŷr",
                date(2019, 3, 4),
                registered=True,
                categories=["neglect", "emotional"],
                coordinator="Eleri Owen",
                decision_reasons="Pryderon parhaus am esgeulustod.",
            ),
            ConferenceChild("Gwenllïan Tŵr", date(2021, 5, 6), registered=False),
        ],
        attendees=attendees(agencies),
        agency_reports=[
            AgencyReport(
                "Heddlu Dyfed-Powys",
                "Sarjant Huws",
                BilingualText(cy="Dau ddigwyddiad domestig.", en="Two domestic incidents."),
                date(2026, 11, 17),
            )
        ],
        core_group_contributions=[CoreGroupContribution("Nia Rees", "Bwrdd Iechyd", "Ymweliadau wythnosol.")],
        outcomes=[
            PlanOutcome(
                "Bydd Dafydd yn ddiogel gartref.",
                [PlanAction("Ymweld bob wythnos", "Nia Rees", date(2026, 12, 1))],
            )
        ],
        first_core_group_date=date(2026, 12, 4),
        next_review_date=date(2027, 2, 19),
        **kw,
    )


def test_initial_conference_report_welsh_then_english(council):
    pages = pages_text(render_conference_report(conference(), council))
    welsh = [i for i, t in enumerate(pages) if "Tudalen" in t]
    english = [i for i, t in enumerate(pages) if "Page " in t]
    assert welsh and english and max(welsh) < min(english)
    cy, en = " ".join(pages[i] for i in welsh), " ".join(pages[i] for i in english)
    for text in (cy, en):
        assert "Dafydd ap Llŷr" in text and "Gwenllïan Tŵr" in text
        assert "Heddlu Dyfed-Powys" in text and "Nia Rees" in text and "Eleri Owen" in text
    assert label("cy", "Initial child protection conference report") in cy
    assert "Initial child protection conference report" in en
    assert "20 Tachwedd 2026" in cy and "19 Chwefror 2027" in cy
    assert "20 November 2026" in en and "19 February 2027" in en
    assert label("cy", CATEGORY_LABELS["neglect"]) in cy and "Neglect" in en
    assert "Dau ddigwyddiad domestig." in cy and "Two domestic incidents." in en
    assert label("cy", L["quorate"]) in cy and label("en", L["quorate"]) in en
    assert label("en", L["agencies_present"]).format(count=3) in en
    # One report, numbered through: the English version starts on the page after the Welsh.
    assert f"Tudalen 1 o {len(pages)}" in pages[0]
    assert f"Page {min(english) + 1} of {len(pages)}" in pages[min(english)]
    assert label("cy", MARKING) in pages[0]


@pytest.mark.parametrize(
    ("agencies", "discretion", "verdict"),
    [(2, False, "not_quorate"), (2, True, "quorate_chair"), (4, False, "quorate"), (1, True, "not_quorate")],
)
def test_quorum(council, agencies, discretion, verdict):
    pdf = render_conference_report(
        conference(agencies=agencies, quorum_chair_discretion=discretion), council, ("en",)
    )
    text = " ".join(pages_text(pdf))
    assert label("en", L[verdict]) in text
    assert label("en", L["agencies_present"]).format(count=agencies) in text


def test_review_conference_decisions_and_missing_coordinator(council):
    conf = conference("review")
    conf.children[0].deregistered = True
    conf.children[0].registered = False
    conf.children[1].registered = True
    conf.children[1].categories = ["physical"]
    text = " ".join(pages_text(render_conference_report(conf, council, ("en",))))
    assert "Review child protection conference report" in text
    assert label("en", L["deregistered"]) in text
    assert label("en", L["remains"]) in text
    assert label("en", L["no_coordinator"]) in text
    assert "Tudalen" not in text


def test_long_report_flows_and_keeps_the_end(council):
    conf = conference()
    conf.agency_reports = [
        AgencyReport(
            f"Asiantaeth {i}", "Awdur", "\n\n".join(["Paragraff hir am y teulu a'r grŵp craidd. " * 10] * 6)
        )
        for i in range(12)
    ]
    conf.agency_reports[-1].summary += "\n\nDIWEDD YR ADRODDIAD ŵŷ"
    pages = pages_text(render_conference_report(conf, council, ("cy",)))
    assert len(pages) >= 6
    whole = " ".join(pages)
    assert "DIWEDD YR ADRODDIAD ŵŷ" in whole
    assert f"Tudalen {len(pages)} o {len(pages)}" in pages[-1]
    # the running head names the report on continuation pages
    assert label("cy", "Initial child protection conference report") in pages[1]


def test_adult_protection_conference_report(council):
    conf = AdultConference(
        conference_date=date(2026, 11, 25),
        adult_name="Gwenllïan Tŵr",
        chair="Rhian Hughes",
        lead_coordinator="Siôn Prys",
        lead_practitioner="Nia Rees",
        adult_participation=BilingualText(cy="Daeth gyda'i heiriolwr.", en="Attended with her advocate."),
        advocate="Eiriolaeth Cymru",
        attendees=attendees(3),
        concerns="Camdriniaeth ariannol gan aelod o'r teulu.",
        decisions=[
            BilingualText(cy="Cynllun diogelu gofal a chymorth.", en="Care and support protection plan.")
        ],
        outcomes=[PlanOutcome("Rheoli arian yn ddiogel", [PlanAction("Atwrneiaeth", "Siôn Prys")])],
        review_date=date(2027, 1, 6),
    )
    pages = pages_text(render_conference_report(conf, council))
    whole = " ".join(pages)
    assert label("cy", "Adult protection conference report") in whole
    assert "Adult protection conference report" in whole
    assert "Daeth gyda'i heiriolwr." in whole and "Attended with her advocate." in whole
    assert whole.count("Siôn Prys") >= 4
    assert "6 Ionawr 2027" in whole and "6 January 2027" in whole
    # the adult quorum rule is not the child one: no verdict printed
    assert label("en", L["quorate"]) not in whole


def test_report_uses_only_bundled_fonts(council):
    reader = PdfReader(io.BytesIO(render_conference_report(conference(), council)))
    names = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()
    }
    assert names and all("DejaVuSans" in n for n in names), names


def test_every_report_label_has_welsh():
    assert untranslated([*CONFERENCE_LABELS, MARKING]) == []


def test_unknown_language_rejected(council):
    with pytest.raises(ValueError):
        render_conference_report(conference(), council, ("fr",))
