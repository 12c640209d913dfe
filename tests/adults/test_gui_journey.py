"""The adult journey's other steps through their forms, opened from the tab's grouped actions (pytest-qt,
offscreen): each refusal shown beside the field it concerns with nothing saved, then saved through the
service and the row read back from the store; what does not apply now is disabled in its place."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

import ui.adults  # noqa: F401 - registers the case tab
from desktop.i18n import set_language
from desktop.services.adults import CapacityService, EnquiryService, PlanService, VisitService
from tests.adults.helpers import appoint, report_and_screen, strategy
from tests.conftest import settle
from tests.gui.forms import filled, saved
from ui.action_bar import Group
from ui.adults import apso_dialogs as apso
from ui.adults import step_dialogs as steps
from ui.adults.strategy_dialog import StrategyMeetingDialog
from ui.adults.tab import ACTIONS, FORMS, AdultTab
from ui.adults.visit_dialog import VisitCorrectionDialog, VisitDialog
from ui.conference_report_form import ConferenceReportForm

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("language_hub")]


@pytest.fixture
def w(world) -> Iterator:
    yield world
    from ui.tasks import forget_store
    from ui.windows import close_sensitive

    close_sensitive()
    forget_store(world.sw)


def _tab(qtbot, w, session=None) -> AdultTab:
    tab = AdultTab(session or w.sw, w.ids["case"])
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: not tab.loading, timeout=10_000)  # the case read on a worker
    return tab


def _open(qtbot, tab: AdultTab, name: str):
    """Open a form as a person does: its action in the bar (which must be enabled)."""
    action = tab.bar.action(name)
    assert action.isEnabled(), f"{name} does not apply now"
    action.trigger()
    dialog = tab.dialog
    filled(dialog)
    assert dialog is not None and dialog.objectName()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _save(qtbot, dialog) -> str:
    with qtbot.waitSignal(dialog.saved) as signal:
        assert saved(dialog, qtbot)
    settle(qtbot)  # the tab has read the case again
    tab = dialog.parent()
    if getattr(tab, "loading", None) is not None:
        qtbot.waitUntil(lambda: not tab.loading, timeout=10_000)  # the tab has read the case again
    return signal.args[0]


def _ready(w) -> dict:
    """Report screened, lead co-ordinator appointed, enquiries concluded (determination 3)."""
    out = report_and_screen(w)
    appoint(w)
    EnquiryService(w.sw).conclude(out["enquiry"]["id"], concluded_on="2026-11-02", determination="3",
                                  reason="At risk; action needed.")
    return out


def _row(w, table: str, row_id: str) -> dict:
    [row] = w.sw.store.rows(f"SELECT * FROM {table} WHERE id = ?", [row_id])
    return row


def test_the_actions_are_grouped_with_the_visit_first(qtbot, w) -> None:
    tab = _tab(qtbot, w)
    row = [tab.bar.layout().itemAt(i).widget() for i in range(tab.bar.layout().count() - 1)]
    assert row[0] is tab.bar.buttons["record_visit"] and row[0].text() == "Record visit…"
    assert [x.objectName() for x in row[1:]] == ["group_record", "group_plan", "group_meet", "group_notify",
                                                 "group_manage"]
    record = [a.objectName() for a in tab.bar.menus[Group.RECORD].menu().actions()]
    assert record[:5] == ["record_visit", "correct_visit", "record_report", "record_screening", "conclude_enquiry"]
    meetings = [a.objectName() for a in tab.bar.menus[Group.MEET].menu().actions()]
    assert meetings[0] == "record_strategy"
    assert len(tab.bar.actions_by_name) == len(ACTIONS) == len(FORMS)
    # Nothing reported yet: no report to screen, no enquiries, no plan to add to.
    for name in ("correct_visit", "record_screening", "conclude_enquiry", "plan_outcome", "review_plan", "hold_conference",
                 "end_delegation", "change_lead_practitioner", "advocate_answer"):
        assert not tab.bar.action(name).isEnabled(), name
    for name in ("record_report", "record_visit", "start_plan", "convene_conference", "appoint_coordinator"):
        assert tab.bar.action(name).isEnabled(), name
    set_language("cy")
    try:
        assert tab.bar.menus[Group.PLAN].text() == "Cynllunio"
        assert all(a.text() and a.text() != label for (_n, label, _g), a in
                   zip(ACTIONS, tab.bar.actions_by_name.values(), strict=True))
    finally:
        set_language("en")


EXPECTED_FORMS = {
    "record_visit": VisitDialog, "correct_visit": VisitCorrectionDialog, "record_report": steps.ReportDialog, "record_screening": steps.ScreeningDialog,
    "conclude_enquiry": steps.EnquiryDialog, "record_wishes": steps.WishesDialog,
    "record_capacity": steps.CapacityDialog, "correct_capacity": steps.CapacityCorrectionDialog,
    "record_best_interests": steps.BestInterestsDialog,
    "record_partnership": steps.PartnershipDialog, "offer_advocate": steps.AdvocacyDialog,
    "advocate_answer": steps.AdvocacyAnswerDialog, "start_plan": steps.PlanStartDialog,
    "plan_outcome": steps.PlanOutcomeDialog, "plan_action": steps.PlanActionDialog,
    "review_plan": steps.PlanReviewDialog, "plan_letter": steps.PlanLetterDialog,
    "record_strategy": StrategyMeetingDialog,
    "convene_conference": steps.ConveneConferenceDialog, "conference_report": steps.ConferenceReportDialog,
    "hold_conference": steps.HoldConferenceDialog, "appoint_coordinator": steps.AppointDialog,
    "delegate_coordinator": steps.DelegateDialog, "end_delegation": steps.EndDelegationDialog,
    "change_lead_practitioner": steps.LeadPractitionerDialog, "close_case": steps.ClosureDialog,
    "conference_pdf": ConferenceReportForm,
    "apso_apply": apso.ApsoApplicationDialog, "apso_decision": apso.ApsoDecisionDialog,
    "apso_entry": apso.ApsoEntryDialog, "apso_end": apso.ApsoEndDialog,
}
"""Each action of the bar and the form a person expects it to open (written out, not read from the tab)."""


def _open_every_enabled(qtbot, tab: AdultTab, opened: set[str]) -> None:
    for name, form_class in EXPECTED_FORMS.items():
        action = tab.bar.action(name)
        if not action.isEnabled():
            continue
        action.trigger()
        dialog = tab.dialog
        filled(dialog)
        qtbot.addWidget(dialog)
        assert type(dialog) is form_class and dialog.isVisible(), name
        dialog.reject()
        opened.add(name)


def test_every_action_opens_its_form(qtbot, w) -> None:
    from desktop.services.adults import ConferenceService, CoordinatorService, ReportService

    _ready(w)
    strategy(w, "2026-11-02", advocate_response="awaiting")
    tab = _tab(qtbot, w)
    opened: set[str] = set()
    _open_every_enabled(qtbot, tab, opened)
    assert "start_plan" in opened and "review_plan" not in opened
    # Later in the journey: a report waiting to be screened, enquiries open, a plan, a conference
    # waiting, the lead co-ordinator role delegated.
    reports = ReportService(w.sw)
    for _n in range(2):
        reports.record(w.ids["case"], received_at="2026-11-02T11:00", source_type="family", concerns="Again.",
                       consent_given=True)
    waiting = [r for r in reports.for_case(w.ids["case"]) if not r["screening_decision"]]
    reports.screen(waiting[0]["id"], decision="enquiries", screened_on="2026-11-02")
    PlanService(w.sw).start(w.ids["case"], started_on="2026-11-02")
    ConferenceService(w.sw).convene(w.ids["case"], scheduled_on="2026-11-20", agency_ids=[w.ids["police"]])
    CoordinatorService(w.sw).delegate(
        w.ids["case"], delegate_id=w.ids["health_lead"], delegate_role="Leads on the ward.",
        la_monitor_id=w.ids["tm"], la_monitor_role="Oversight.", rationale="In hospital.",
        reporting_arrangements="Fortnightly.")
    # An application waiting for the court and an order in force (s127).
    from desktop.services.adults import ApsoService
    from tests.adults.test_apso import APPLICATION

    orders = ApsoService(w.sw)
    orders.apply(w.ids["case"], applied_on="2026-11-02", officer_id=w.ids["sw"], **APPLICATION)
    granted = orders.apply(w.ids["case"], applied_on="2026-11-02", officer_id=w.ids["sw"], **APPLICATION)
    orders.decide(granted["id"], decision="granted", decided_on="2026-11-02", in_force_from="2026-11-02",
                  in_force_to="2026-11-06")
    tab.refresh()
    settle(qtbot)
    _open_every_enabled(qtbot, tab, opened)
    assert "conference_pdf" not in opened  # no conference held yet: no report to make
    conference = ConferenceService(w.sw).for_case(w.ids["case"])[0]
    ConferenceService(w.sw).hold(conference["id"], held_on=str(w.sw.today()), outcome_summary="Reviewed.",
                                 decisions=["Continue."], participation="attended")
    VisitService(w.sw).record(w.ids["case"], visited_on=str(w.sw.today()), location="home", seen=True,
                              offered_alone=True, seen_alone=True)
    CapacityService(w.sw).assess(w.ids["case"], decision="Where to live", assessed_on=str(w.sw.today()),
                                 assessor_id=w.ids["sw"], outcome="has_capacity", evidence="Weighed the options.")
    tab.refresh()
    settle(qtbot)
    tab.visits.setCurrentItem(tab.visits.topLevelItem(0))  # a visit chosen: it may be corrected
    _open_every_enabled(qtbot, tab, opened)
    assert opened == set(EXPECTED_FORMS) == set(tab.bar.actions_by_name)


def test_report_needs_a_reason_without_consent_then_screening_opens_enquiries(qtbot, w) -> None:
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "record_report")
    dialog.set_value("received_time", "09:30")
    dialog.set_value("source_type", "relevant_partner")
    qtbot.keyClicks(dialog.widgets["concerns"], "Son takes her pension; no food in the house.")
    dialog.editors["categories"].check("financial")
    assert not saved(dialog, qtbot)
    assert "without their consent" in dialog.error_text("no_consent_reason")
    assert w.count("adult_report") == 0
    qtbot.keyClicks(dialog.widgets["no_consent_reason"], "Others may be at risk.")
    report = _row(w, "adult_report", _save(qtbot, dialog))
    assert report["received_at"] == "2026-11-02T09:30" and report["consent_given"] == 0
    assert json.loads(report["suspected_categories"]) == ["financial"]
    assert tab.bar.action("record_screening").isEnabled(), "a report now waits to be screened"

    dialog = _open(qtbot, tab, "record_screening")
    assert dialog.value("report_id") == report["id"]
    assert dialog.widgets["report_id"].currentText() == "2 Nov 2026 at 09:30"
    assert not saved(dialog, qtbot)
    assert dialog.error_text("decision") == "Choose the screening decision."
    assert w.count("adult_enquiry") == 0
    dialog.set_value("decision", "enquiries")
    _save(qtbot, dialog)
    assert w.sw.store.rows("SELECT started_on FROM adult_enquiry") == [{"started_on": "2026-11-02"}]
    assert not tab.bar.action("record_screening").isEnabled() and tab.bar.action("conclude_enquiry").isEnabled()


def test_enquiry_concluded_with_determination(qtbot, w) -> None:
    out = report_and_screen(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "conclude_enquiry")
    assert dialog.value("enquiry_id") == out["enquiry"]["id"]
    qtbot.keyClicks(dialog.widgets["reason"], "Financial abuse by her son.")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("determination") == "Choose the determination."
    assert EnquiryService(w.sw).get(out["enquiry"]["id"])["concluded_on"] is None
    dialog.set_value("determination", "3")
    _save(qtbot, dialog)
    enquiry = EnquiryService(w.sw).get(out["enquiry"]["id"])
    assert (enquiry["concluded_on"], enquiry["determination"]) == ("2026-11-02", "3")


def test_appoint_refuses_someone_outside_social_services(qtbot, w) -> None:
    report_and_screen(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "appoint_coordinator")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("practitioner_id") == "Choose the lead co-ordinator."
    dialog.set_value("practitioner_id", w.ids["nurse"])
    assert "Alun Jones" in dialog.widgets["practitioner_id"].currentText()
    assert not saved(dialog, qtbot)
    assert "employed within social services" in dialog.error_text("practitioner_id")
    before = w.count("role_assignment")
    dialog.set_value("practitioner_id", w.ids["sw"])
    assignment = _row(w, "role_assignment", _save(qtbot, dialog))
    assert (assignment["role"], assignment["practitioner_id"]) == ("lead_coordinator", w.ids["sw"])
    assert w.count("role_assignment") == before + 1


def test_delegation_needs_all_four_records(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "delegate_coordinator")
    dialog.set_value("delegate_id", w.ids["health_lead"])
    assert not saved(dialog, qtbot)
    assert "role and responsibilities of the delegated" in dialog.error_text("delegate_role")
    qtbot.keyClicks(dialog.widgets["delegate_role"], "Leads the protection of Margaret on the ward.")
    assert not saved(dialog, qtbot)
    assert "monitoring and overview" in dialog.error_text("la_monitor_id")
    assert dialog.error_text("delegate_role") == ""
    dialog.set_value("la_monitor_id", w.ids["tm"])
    assert not saved(dialog, qtbot)
    assert "monitoring and" in dialog.error_text("la_monitor_role")
    qtbot.keyClicks(dialog.widgets["la_monitor_role"], "Team manager: monthly oversight.")
    assert not saved(dialog, qtbot)
    assert "rationale" in dialog.error_text("rationale")
    qtbot.keyClicks(dialog.widgets["rationale"], "She is in hospital for weeks.")
    assert not saved(dialog, qtbot)
    assert "reporting" in dialog.error_text("reporting_arrangements")
    set_language("cy")
    try:
        assert dialog.error_text("reporting_arrangements") not in ("", "reporting")
    finally:
        set_language("en")
    assert w.count("adult_delegation") == 0
    qtbot.keyClicks(dialog.widgets["reporting_arrangements"], "Fortnightly report to the team manager.")
    delegation = _row(w, "adult_delegation", _save(qtbot, dialog))
    assert delegation["statutory_responsibility"] == "local_authority"
    assert delegation["reporting_arrangements"] == "Fortnightly report to the team manager."
    assert "Delegated lead co-ordinator: Sioned Bowen" in tab.journey.text()
    assert not tab.bar.action("delegate_coordinator").isEnabled() and tab.bar.action("end_delegation").isEnabled()

    dialog = _open(qtbot, tab, "end_delegation")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("reason") == "Record why the delegation ends."
    qtbot.keyClicks(dialog.widgets["reason"], "Margaret is home from hospital.")
    ended = _row(w, "adult_delegation", _save(qtbot, dialog))
    assert ended["ended_on"] == "2026-11-02" and ended["amends_id"] == delegation["id"]
    assert "Delegated lead co-ordinator" not in tab.journey.text()


def test_best_interests_refused_without_an_assessment_finding_lack_of_capacity(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "record_best_interests")
    assert dialog.value("assessment_id") is None
    assert dialog.widgets["assessment_id"].currentText() == "No capacity assessment"
    qtbot.keyClicks(dialog.widgets["decision"], "Move to a care home.")
    assert not saved(dialog, qtbot)
    assert "capacity assessment behind it" in dialog.error_text("assessment_id")
    assert w.count("adult_best_interests") == 0
    dialog.reject()

    dialog = _open(qtbot, tab, "record_capacity")
    assert dialog.value("assessor_id") == w.ids["sw"], "assessed by the signed-in person to begin with"
    qtbot.keyClicks(dialog.widgets["decision"], "Where to live")
    qtbot.keyClicks(dialog.widgets["evidence"], "Could not retain the information.")
    assert not saved(dialog, qtbot)
    assert "has or lacks capacity" in dialog.error_text("outcome")
    assert w.count("adult_capacity_assessment") == 0
    dialog.set_value("outcome", "lacks_capacity")
    assessment = _row(w, "adult_capacity_assessment", _save(qtbot, dialog))
    assert (assessment["decision"], assessment["outcome"]) == ("Where to live", "lacks_capacity")

    dialog = _open(qtbot, tab, "record_best_interests")
    assert dialog.value("assessment_id") == assessment["id"]
    assert dialog.widgets["assessment_id"].currentText() == "2 Nov 2026: Where to live"
    assert dialog.value("decision") == "Move to a care home.", "the draft kept on cancel"
    qtbot.keyClicks(dialog.widgets["wishes_feelings"], "Wants to stay near the sea.")
    qtbot.keyClicks(dialog.widgets["rationale"], "Not safe at home.")
    assert not saved(dialog, qtbot)
    assert "people consulted" in dialog.error_text("consulted")
    dialog.set_value("consulted", "Kevin Williams\nDr Evans")
    decision = _row(w, "adult_best_interests", _save(qtbot, dialog))
    assert json.loads(decision["consulted"]) == ["Kevin Williams", "Dr Evans"]


def test_only_the_lead_coordinator_closes_the_case(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w, w.as_("sw2"))
    dialog = _open(qtbot, tab, "close_case")
    dialog.set_value("decided_with", "strategy_group")
    qtbot.keyClicks(dialog.widgets["reasons"], "Risk removed.")
    assert not saved(dialog, qtbot)
    assert "Only the lead co-ordinator" in dialog.general_error.text()
    assert dialog.fault.isHidden(), "a refusal, not a fault"
    assert w.count("adult_closure") == 0
    dialog.reject()

    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "close_case")
    dialog.set_value("decided_with", "strategy_group")
    assert not saved(dialog, qtbot)
    assert "reasons" in dialog.error_text("reasons")
    qtbot.keyClicks(dialog.widgets["reasons"], "Risk removed; Margaret safe in a care home.")
    qtbot.keyClicks(dialog.widgets["reasons_cy"], "Risg wedi'i dileu.")  # the optional Welsh beside it
    closure = _row(w, "adult_closure", _save(qtbot, dialog))
    assert closure["reasons"] == "Risk removed; Margaret safe in a care home."
    assert closure["reasons_cy"] == "Risg wedi'i dileu."
    assert w.sw.store.rows("SELECT template_id FROM letter WHERE source_event = ?",
                           [f"adult_closure:{closure['id']}"])
    assert w.sw.store.rows("SELECT closed_on FROM case_file WHERE id = ?", [w.ids["case"]])[0]["closed_on"]
    assert "closed" in tab.status.text() and "Case closed on 2 Nov 2026." in tab.journey.text()
    assert not any(a.isEnabled() for a in tab.bar.actions_by_name.values()), "nothing more on a closed case"


def test_change_of_lead_practitioner(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    assert not tab.bar.action("change_lead_practitioner").isEnabled(), "nobody in post to change"
    dialog = tab.open_form("change_lead_practitioner")  # as "My work" could: the service still refuses
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.set_value("new_id", w.ids["sw2"])
    assert not saved(dialog, qtbot)
    assert "no lead practitioner to change" in dialog.error_text("new_id")
    dialog.reject()
    strategy(w, "2026-11-02")
    tab.refresh()
    settle(qtbot)
    dialog = _open(qtbot, tab, "change_lead_practitioner")
    dialog.set_value("new_id", w.ids["sw2"])
    assert not saved(dialog, qtbot)
    assert "told of the change verbally" in dialog.error_text("verbal_to")
    dialog.set_value("verbal_to", "Margaret\nBwrdd Iechyd Hywel Dda")
    change = _row(w, "adult_lead_practitioner_change", _save(qtbot, dialog))
    assert change["new_id"] == w.ids["sw2"] and json.loads(change["verbal_to"]) == ["Margaret", "Bwrdd Iechyd Hywel Dda"]
    assert w.sw.store.rows("SELECT 1 FROM letter WHERE template_id = 'N2'")
    assert "Lead practitioner: Gareth Rees." in tab.journey.text()


def test_advocacy_offer_and_answer(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    before = w.count("adult_advocacy")
    dialog = _open(qtbot, tab, "offer_advocate")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("advocate_type") == "Choose the kind of advocate offered."
    dialog.set_value("advocate_type", "imca")
    dialog.set_value("response", "accepted")
    dialog.set_value("response_on", "01/11/2026")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("response_on") == "The answer cannot be before the offer."
    assert w.count("adult_advocacy") == before, "nothing written, not even the offer"
    dialog.set_value("response_on", "02/11/2026")
    qtbot.keyClicks(dialog.widgets["advocate_name"], "Eleri Morgan")
    offer = _row(w, "adult_advocacy", _save(qtbot, dialog))
    assert (offer["response"], offer["advocate_type"], offer["advocate_name"]) == ("accepted", "imca", "Eleri Morgan")
    assert w.count("adult_advocacy") == before + 1


def test_partnership_when_the_adult_does_not_agree(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "record_partnership")
    dialog.set_value("understands_rationale", True)
    assert not saved(dialog, qtbot)
    assert "regular contact" in dialog.error_text("regular_contact")
    qtbot.keyClicks(dialog.widgets["regular_contact"], "Weekly visit by the lead practitioner.")
    assert not saved(dialog, qtbot)
    assert "change their mind" in dialog.error_text("told_may_change_mind")
    assert w.count("adult_partnership") == 0
    dialog.set_value("told_may_change_mind", True)
    row = _row(w, "adult_partnership", _save(qtbot, dialog))
    assert row["regular_contact"] == "Weekly visit by the lead practitioner." and row["agrees_to_plan"] == 0


def test_plan_review(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    assert not tab.bar.action("review_plan").isEnabled(), "no plan to review"
    dialog = tab.open_form("review_plan")  # "My work" opens it directly: the refusal still shows
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    dialog.set_value("outcome", "continue")
    assert not saved(dialog, qtbot)
    assert "no active" in dialog.error_text("reviewed_on")
    dialog.reject()
    PlanService(w.sw).start(w.ids["case"], started_on="2026-11-02")
    tab.refresh()
    settle(qtbot)
    dialog = _open(qtbot, tab, "review_plan")
    assert dialog.value("outcome") == "continue"  # the draft kept on cancel came back
    dialog.set_value("outcome", None)
    assert not saved(dialog, qtbot)
    assert dialog.error_text("outcome") == "Choose the outcome of the review."
    dialog.set_value("outcome", "continue")
    qtbot.keyClicks(dialog.widgets["progress"], "Carers daily; bank card stopped.")
    review = _row(w, "adult_plan_review", _save(qtbot, dialog))
    assert (review["outcome"], review["progress"]) == ("continue", "Carers daily; bank card stopped.")


def test_conference_reports_and_refusal_queue_the_outcome_report(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    assert not tab.bar.action("hold_conference").isEnabled()
    dialog = _open(qtbot, tab, "convene_conference")
    dialog.set_value("scheduled_on", "20/11/2026")
    assert not saved(dialog, qtbot)
    assert "at least one agency" in dialog.error_text("agency_ids")
    assert w.count("adult_conference") == 0
    dialog.editors["agency_ids"].check(w.ids["health"])
    dialog.editors["agency_ids"].check(w.ids["police"])
    conf = _row(w, "adult_conference", _save(qtbot, dialog))
    assert conf["scheduled_on"] == "2026-11-20" and w.count("adult_conference_report") == 2
    assert not tab.bar.action("convene_conference").isEnabled() and tab.bar.action("hold_conference").isEnabled()

    dialog = _open(qtbot, tab, "conference_report")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("agency_id") == "Choose the agency whose report arrived."
    dialog.set_value("agency_id", w.ids["health"])
    _save(qtbot, dialog)
    received = w.sw.store.rows("SELECT agency_id FROM adult_conference_report WHERE received_on IS NOT NULL")
    assert [r["agency_id"] for r in received] == [w.ids["health"]]

    dialog = _open(qtbot, tab, "hold_conference")
    dialog.set_value("participation", "refused")
    qtbot.keyClicks(dialog.widgets["refusal_reason"], "Does not want to see her son there.")
    qtbot.keyClicks(dialog.widgets["outcome_summary"], "Plan continues.")
    dialog.set_value("decisions", "Daily carers\nBank card stopped")
    assert not saved(dialog, qtbot)
    assert "support available" in dialog.error_text("support_offered")
    assert w.sw.store.rows("SELECT status FROM adult_conference") == [{"status": "convened"}]
    dialog.set_value("support_offered", "Independent advocate")
    dialog.set_value("outcome_summary_cy", "Y cynllun yn parhau.")
    dialog.set_value("decisions_cy", "Gofalwyr bob dydd\n\nAtal y cerdyn banc")
    dialog.set_value("support_offered_cy", "Eiriolwr annibynnol")
    held = _row(w, "adult_conference", _save(qtbot, dialog))
    assert held["status"] == "held" and json.loads(held["decisions"]) == ["Daily carers", "Bank card stopped"]
    # The Welsh beside each text reaches the conference, the lists a line an item (N16 quotes them).
    assert held["outcome_summary_cy"] == "Y cynllun yn parhau."
    assert json.loads(held["decisions_cy"]) == ["Gofalwyr bob dydd", "Atal y cerdyn banc"]
    assert json.loads(held["support_offered_cy"]) == ["Eiriolwr annibynnol"]
    assert w.sw.store.rows("SELECT 1 FROM letter WHERE template_id = 'N16'")


def test_a_half_typed_form_is_kept_as_a_draft_and_saving_discards_it(qtbot, w) -> None:
    from desktop.services.drafts import DraftService

    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "delegate_coordinator")
    dialog._autosave.setInterval(10)  # the same timer, without the few seconds' wait
    dialog.set_value("delegate_id", w.ids["health_lead"])
    qtbot.keyClicks(dialog.widgets["rationale"], "She is in hospital for weeks.")
    qtbot.waitUntil(lambda: DraftService(w.sw).load("adult_delegate_dialog", w.ids["case"]) is not None,
                    timeout=2000)  # autosaved after the edit
    dialog.reject()
    dialog = _open(qtbot, tab, "delegate_coordinator")
    assert dialog.value("delegate_id") == w.ids["health_lead"]
    assert dialog.value("rationale") == "She is in hospital for weeks."
    qtbot.keyClicks(dialog.widgets["delegate_role"], "Leads on the ward.")
    dialog.set_value("la_monitor_id", w.ids["tm"])
    qtbot.keyClicks(dialog.widgets["la_monitor_role"], "Monthly oversight.")
    qtbot.keyClicks(dialog.widgets["reporting_arrangements"], "Fortnightly report.")
    _save(qtbot, dialog)
    assert DraftService(w.sw).load("adult_delegate_dialog", w.ids["case"]) is None


def test_the_tab_says_where_the_case_is(qtbot, w) -> None:
    tab = _tab(qtbot, w)
    assert "No report recorded yet." in tab.journey.text()
    _ready(w)
    tab.refresh()
    settle(qtbot)
    text = tab.journey.text()
    assert "screened (2 Enquiries required (section 126))" in text
    assert "determination 3 At risk, and action is needed" in text
    assert "Lead co-ordinator: Owain Thomas." in text
    set_language("cy")
    try:
        assert tab.journey.text() and tab.journey.text() != text
    finally:
        set_language("en")
    assert tab.journey.text() == text


def test_plan_started_with_an_outcome_and_an_owned_action(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    assert not tab.bar.action("plan_action").isEnabled()
    dialog = tab.open_form("plan_action")
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.widgets["description"], "Stop Kevin's access to the bank card.")
    assert not saved(dialog, qtbot)
    assert "start it first" in dialog.general_error.text()
    dialog.reject()
    dialog = _open(qtbot, tab, "start_plan")
    qtbot.keyClicks(dialog.widgets["summary"], "Daily carers; bank card stopped.")
    plan = _row(w, "adult_plan", _save(qtbot, dialog))
    assert plan["summary"] == "Daily carers; bank card stopped."
    assert not tab.bar.action("start_plan").isEnabled(), "one active plan"
    dialog = tab.open_form("start_plan")
    filled(dialog, qtbot)
    qtbot.addWidget(dialog)
    assert not saved(dialog, qtbot)
    assert "already has an active" in dialog.error_text("started_on")
    dialog.reject()

    dialog = _open(qtbot, tab, "plan_outcome")
    qtbot.keyClicks(dialog.widgets["description"], "Margaret keeps her pension.")
    assert not saved(dialog, qtbot)
    assert "measured" in dialog.error_text("measure")
    qtbot.keyClicks(dialog.widgets["measure"], "Bank statements checked monthly.")
    outcome = _row(w, "adult_plan_outcome", _save(qtbot, dialog))
    assert outcome["plan_id"] == plan["id"]

    dialog = _open(qtbot, tab, "plan_action")
    assert dialog.value("description")  # the draft kept on cancel
    assert dialog.widgets["owner"].currentText() == "Someone else (name below)"
    assert not saved(dialog, qtbot)
    assert "needs an owner" in dialog.error_text("owner")
    assert w.count("adult_plan_action") == 0
    dialog.set_value("owner", f"agency:{w.ids['police']}")
    dialog.set_value("outcome_id", outcome["id"])
    action = _row(w, "adult_plan_action", _save(qtbot, dialog))
    assert action["owner_name"] == "Heddlu Dyfed-Powys" and action["outcome_id"] == outcome["id"]
    assert "Care and support protection plan since 2 Nov 2026." in tab.journey.text()


def test_the_plan_is_sent_to_the_adult_from_its_summary_with_the_welsh(qtbot, w) -> None:
    """"Send the plan to the adult…" opens with the plan's summary (read on a worker); the Welsh given on the
    plan's forms and here is kept beside the English, and the letter (N19) is queued to Margaret."""
    from desktop.services.letters import LetterService
    from tests.adults.helpers import up_to_strategy

    up_to_strategy(w)  # names the lead practitioner
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "start_plan")
    qtbot.keyClicks(dialog.widgets["summary"], "Daily carers; bank card stopped.")
    plan = _row(w, "adult_plan", _save(qtbot, dialog))
    dialog = _open(qtbot, tab, "plan_outcome")
    qtbot.keyClicks(dialog.widgets["description"], "Margaret keeps her pension.")
    qtbot.keyClicks(dialog.widgets["description_cy"], "Mae Margaret yn cadw ei phensiwn.")
    qtbot.keyClicks(dialog.widgets["measure"], "Bank statements checked monthly.")
    outcome = _row(w, "adult_plan_outcome", _save(qtbot, dialog))
    assert outcome["description_cy"] == "Mae Margaret yn cadw ei phensiwn."
    dialog = _open(qtbot, tab, "plan_letter")
    assert dialog.value("summary") == "Daily carers; bank card stopped." and not dialog.value("summary_cy")
    qtbot.keyClicks(dialog.widgets["summary_cy"], "Gofalwyr bob dydd; atal y cerdyn banc.")
    letter = _row(w, "letter", _save(qtbot, dialog))
    assert (letter["template_id"], letter["recipient_id"]) == ("N19", w.ids["margaret"])
    assert _row(w, "adult_plan", plan["id"])["summary_cy"] == "Gofalwyr bob dydd; atal y cerdyn banc."
    assert [q.code for q in LetterService(w.as_("tm")).queue() if q.id == letter["id"]] == ["N19"]


def test_a_saved_visit_is_corrected_and_the_original_kept(qtbot, w) -> None:
    """Margaret's visit was recorded as "not seen alone" by mistake: choosing it enables "Correct the chosen
    visit…", whose form opens with the visit as it stands; refused without why, then saved as a correction
    that amends the visit (the original kept) and the list shows the corrected facts."""
    original = VisitService(w.sw).record(w.ids["case"], visited_on="2026-11-02", location="home", seen=True,
                                         offered_alone=False, seen_alone=False, not_alone_reason="Kevin stayed.",
                                         observations="Kevin answered for her.")
    tab = _tab(qtbot, w)
    assert tab.visits.topLevelItemCount() == 1 and not tab.bar.action("correct_visit").isEnabled()
    tab.visits.setCurrentItem(tab.visits.topLevelItem(0))
    dialog = _open(qtbot, tab, "correct_visit")
    assert (dialog.value("visited_on"), dialog.value("location"), dialog.value("seen_alone")) == (
        "2026-11-02", "home", False)
    assert dialog.value("observations") == "Kevin answered for her."
    dialog.set_value("offered_alone", True)
    dialog.set_value("seen_alone", True)
    dialog.set_value("not_alone_reason", "")
    assert not saved(dialog, qtbot) and dialog.error_text("amendment_reason")
    assert w.count("adult_visit") == 1
    dialog.set_value("amendment_reason", "She was seen alone in the garden; recorded wrongly.")
    corrected = _row(w, "adult_visit", _save(qtbot, dialog))
    assert (corrected["amends_id"], corrected["seen_alone"]) == (original["id"], 1)
    assert _row(w, "adult_visit", original["id"])["seen_alone"] == 0  # kept as it was
    assert tab.visits.topLevelItemCount() == 1 and tab.visits.topLevelItem(0).text(3) == "Yes"


def test_a_capacity_assessment_is_corrected_with_why(qtbot, w) -> None:
    """"Correct a capacity assessment…" applies once there is one; choosing it fills the form from it; refused
    without why (nothing written); saved, the correction amends it and is what a best-interests decision
    now finds."""
    tab = _tab(qtbot, w)
    assert not tab.bar.action("correct_capacity").isEnabled()
    original = CapacityService(w.sw).assess(
        w.ids["case"], decision="Managing her money", assessed_on="2026-11-02", assessor_id=w.ids["sw"],
        outcome="has_capacity", evidence="Explained her bank statements.")
    tab.refresh()
    qtbot.waitUntil(lambda: tab.bar.action("correct_capacity").isEnabled(), timeout=5_000)
    dialog = _open(qtbot, tab, "correct_capacity")
    dialog.set_value("amends_id", original["id"])
    assert (dialog.value("decision"), dialog.value("assessed_on"), dialog.value("outcome")) == (
        "Managing her money", "2026-11-02", "has_capacity")
    dialog.set_value("outcome", "lacks_capacity")
    dialog.set_value("evidence", "Could not retain what the statements showed from one visit to the next.")
    assert not saved(dialog, qtbot) and dialog.error_text("amendment_reason")
    assert w.count("adult_capacity_assessment") == 1
    dialog.set_value("amendment_reason", "The outcome was recorded the wrong way round.")
    corrected = _row(w, "adult_capacity_assessment", _save(qtbot, dialog))
    assert (corrected["amends_id"], corrected["outcome"]) == (original["id"], "lacks_capacity")
    assert corrected["amendment_reason"] == "The outcome was recorded the wrong way round."
    [current] = CapacityService(w.sw).for_case(w.ids["case"])["assessments"]
    assert current["id"] == corrected["id"]


def test_answer_to_the_strategy_meetings_offer_and_wishes(qtbot, w) -> None:
    _ready(w)
    strategy(w, "2026-11-02", advocate_response="awaiting")
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "advocate_answer")
    offer_id = dialog.value("advocacy_id")
    assert offer_id and dialog.widgets["advocacy_id"].currentText() == "Independent advocate, offered on 2 Nov 2026"
    assert not saved(dialog, qtbot)
    assert "accepted or declined" in dialog.error_text("response")
    dialog.set_value("response", "declined")
    _save(qtbot, dialog)
    assert w.sw.store.rows("SELECT response FROM adult_advocacy WHERE id = ?", [offer_id])[0]["response"] == "declined"
    assert not tab.bar.action("advocate_answer").isEnabled(), "no offer waits for an answer now"

    dialog = _open(qtbot, tab, "record_wishes")
    assert not saved(dialog, qtbot)
    assert dialog.error_text("wishes_feelings") == "Record the adult's wishes and feelings."
    assert w.count("adult_wishes") == 0
    qtbot.keyClicks(dialog.widgets["wishes_feelings"], "I want to stay in my own home.")
    wishes = _row(w, "adult_wishes", _save(qtbot, dialog))
    assert wishes["wishes_feelings"] == "I want to stay in my own home."
