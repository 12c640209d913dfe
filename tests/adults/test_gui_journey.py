"""The adult journey's other steps through their forms (pytest-qt, offscreen): each refusal shown beside
the field it concerns with nothing saved, then saved through the service and visible in the store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import ui.adults  # noqa: F401 - registers the case tab
from desktop.i18n import set_language
from desktop.services.adults import EnquiryService
from tests.adults.helpers import appoint, report_and_screen, strategy
from ui.adults.step_dialogs import STEPS
from ui.adults.tab import AdultTab

pytestmark = pytest.mark.gui


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
    return tab


def _open(qtbot, tab: AdultTab, name: str):
    tab.step_buttons[name].click()
    dialog = tab.dialog
    assert dialog is not None and dialog.objectName()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _save(qtbot, dialog) -> dict:
    with qtbot.waitSignal(dialog.saved) as signal:
        assert dialog.save()
    return signal.args[0]


def _ready(w) -> dict:
    """Report screened, lead co-ordinator appointed, enquiries concluded (determination 3)."""
    out = report_and_screen(w)
    appoint(w)
    EnquiryService(w.sw).conclude(out["enquiry"]["id"], concluded_on="2026-11-02", determination="3",
                                  reason="At risk; action needed.")
    return out


def test_every_step_has_a_labelled_button(qtbot, w) -> None:
    tab = _tab(qtbot, w)
    for name, _label, _cls in STEPS:
        assert tab.step_buttons[name].text() and tab.step_buttons[name].isEnabled()
    set_language("cy")
    try:
        assert all(b.text() for b in tab.step_buttons.values())
    finally:
        set_language("en")


def test_report_needs_a_reason_without_consent_then_screening_opens_enquiries(qtbot, w) -> None:
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "record_report")
    dialog.received_time.setText("09:30")
    dialog.source_type.setCurrentIndex(dialog.source_type.findData("relevant_partner"))
    qtbot.keyClicks(dialog.concerns, "Son takes her pension; no food in the house.")
    dialog.categories.check("financial")
    assert not dialog.save()
    assert "without their consent" in dialog.form.error_text("no_consent_reason")
    assert w.count("adult_report") == 0
    qtbot.keyClicks(dialog.no_consent_reason, "Others may be at risk.")
    report = _save(qtbot, dialog)
    assert report["received_at"] == "2026-11-02T09:30" and report["consent_given"] == 0
    assert w.count("adult_report") == 1

    dialog = _open(qtbot, tab, "record_screening")
    assert dialog.report.currentData() == report["id"]
    assert not dialog.save()
    assert dialog.form.error_text("decision") == "Choose the screening decision."
    assert w.count("adult_enquiry") == 0
    dialog.decision.setCurrentIndex(dialog.decision.findData("enquiries"))
    result = _save(qtbot, dialog)
    assert result["enquiry"]["started_on"] == "2026-11-02"
    assert w.count("adult_enquiry") == 1


def test_enquiry_concluded_with_determination(qtbot, w) -> None:
    out = report_and_screen(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "conclude_enquiry")
    assert dialog.enquiry.currentData() == out["enquiry"]["id"]
    qtbot.keyClicks(dialog.reason, "Financial abuse by her son.")
    assert not dialog.save()
    assert dialog.form.error_text("determination") == "Choose the determination."
    assert EnquiryService(w.sw).get(out["enquiry"]["id"])["concluded_on"] is None
    dialog.determination.setCurrentIndex(dialog.determination.findData("3"))
    result = _save(qtbot, dialog)
    assert result["determination"] == "3"
    assert EnquiryService(w.sw).get(out["enquiry"]["id"])["concluded_on"] == "2026-11-02"


def test_appoint_refuses_someone_outside_social_services(qtbot, w) -> None:
    report_and_screen(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "appoint_coordinator")
    assert not dialog.save()
    assert dialog.form.error_text("practitioner_id") == "Choose the lead co-ordinator."
    dialog.practitioner.setCurrentIndex(dialog.practitioner.findData(w.ids["nurse"]))
    assert not dialog.save()
    assert "employed within social services" in dialog.form.error_text("practitioner_id")
    before = w.count("role_assignment")
    dialog.practitioner.setCurrentIndex(dialog.practitioner.findData(w.ids["sw"]))
    result = _save(qtbot, dialog)
    assert result["assignment"]["practitioner_id"] == w.ids["sw"]
    assert w.count("role_assignment") == before + 1


def test_delegation_needs_all_four_records(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "delegate_coordinator")
    dialog.delegate.setCurrentIndex(dialog.delegate.findData(w.ids["health_lead"]))
    assert not dialog.save()
    assert "role and responsibilities of the delegated" in dialog.form.error_text("delegate_role")
    qtbot.keyClicks(dialog.delegate_role, "Leads the protection of Margaret on the ward.")
    assert not dialog.save()
    assert "monitoring and overview" in dialog.form.error_text("la_monitor_id")
    assert dialog.form.error_text("delegate_role") == ""
    dialog.la_monitor.setCurrentIndex(dialog.la_monitor.findData(w.ids["tm"]))
    assert not dialog.save()
    assert "monitoring and" in dialog.form.error_text("la_monitor_role")
    qtbot.keyClicks(dialog.la_monitor_role, "Team manager: monthly oversight.")
    assert not dialog.save()
    assert "rationale" in dialog.form.error_text("rationale")
    qtbot.keyClicks(dialog.rationale, "She is in hospital for weeks.")
    assert not dialog.save()
    assert "reporting" in dialog.form.error_text("reporting_arrangements")
    set_language("cy")
    try:
        assert dialog.form.error_text("reporting_arrangements") != ""
    finally:
        set_language("en")
    assert w.count("adult_delegation") == 0
    qtbot.keyClicks(dialog.reporting, "Fortnightly report to the team manager.")
    result = _save(qtbot, dialog)
    assert result["statutory_responsibility"] == "local_authority"
    assert w.count("adult_delegation") == 1
    assert "Delegated lead co-ordinator: Sioned Bowen" in tab.journey.text()

    dialog = _open(qtbot, tab, "end_delegation")
    assert not dialog.save()
    assert dialog.form.error_text("reason") == "Record why the delegation ends."
    qtbot.keyClicks(dialog.reason, "Margaret is home from hospital.")
    _save(qtbot, dialog)
    assert "Delegated lead co-ordinator" not in tab.journey.text()


def test_best_interests_refused_without_an_assessment_finding_lack_of_capacity(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "record_best_interests")
    assert dialog.assessment.currentData() is None
    qtbot.keyClicks(dialog.decision, "Move to a care home.")
    assert not dialog.save()
    assert "capacity assessment behind it" in dialog.form.error_text("assessment_id")
    assert w.count("adult_best_interests") == 0
    dialog.reject()

    dialog = _open(qtbot, tab, "record_capacity")
    qtbot.keyClicks(dialog.decision, "Where to live")
    qtbot.keyClicks(dialog.evidence, "Could not retain the information.")
    assert not dialog.save()
    assert "has or lacks capacity" in dialog.form.error_text("outcome")
    assert w.count("adult_capacity_assessment") == 0
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("lacks_capacity"))
    assessment = _save(qtbot, dialog)
    assert w.count("adult_capacity_assessment") == 1

    dialog = _open(qtbot, tab, "record_best_interests")
    assert dialog.assessment.currentData() == assessment["id"]
    qtbot.keyClicks(dialog.decision, "Move to a care home.")
    qtbot.keyClicks(dialog.wishes, "Wants to stay near the sea.")
    qtbot.keyClicks(dialog.rationale, "Not safe at home.")
    assert not dialog.save()
    assert "people consulted" in dialog.form.error_text("consulted")
    dialog.consulted.setPlainText("Kevin Williams\nDr Evans")
    _save(qtbot, dialog)
    assert w.count("adult_best_interests") == 1


def test_only_the_lead_coordinator_closes_the_case(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w, w.as_("sw2"))
    dialog = _open(qtbot, tab, "close_case")
    dialog.decided_with.setCurrentIndex(dialog.decided_with.findData("strategy_group"))
    qtbot.keyClicks(dialog.reasons, "Risk removed.")
    assert not dialog.save()
    assert "Only the lead co-ordinator" in dialog.form.general.text()
    assert w.count("adult_closure") == 0
    dialog.reject()

    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "close_case")
    dialog.decided_with.setCurrentIndex(dialog.decided_with.findData("strategy_group"))
    assert not dialog.save()
    assert "reasons" in dialog.form.error_text("reasons")
    qtbot.keyClicks(dialog.reasons, "Risk removed; Margaret safe in a care home.")
    result = _save(qtbot, dialog)
    assert result["letters"]
    assert w.count("adult_closure") == 1
    assert w.sw.store.rows("SELECT closed_on FROM case_file WHERE id = ?", [w.ids["case"]])[0]["closed_on"]
    assert "closed" in tab.status.text()


def test_change_of_lead_practitioner(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "change_lead_practitioner")
    dialog.new.setCurrentIndex(dialog.new.findData(w.ids["sw2"]))
    assert not dialog.save()
    assert "no lead practitioner to change" in dialog.form.error_text("new_id")
    dialog.reject()
    strategy(w, "2026-11-02")
    dialog = _open(qtbot, tab, "change_lead_practitioner")
    dialog.new.setCurrentIndex(dialog.new.findData(w.ids["sw2"]))
    assert not dialog.save()
    assert "told of the change verbally" in dialog.form.error_text("verbal_to")
    dialog.verbal_to.setPlainText("Margaret\nBwrdd Iechyd Hywel Dda")
    result = _save(qtbot, dialog)
    assert result["letters"]


def test_advocacy_offer_and_answer(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    before = w.count("adult_advocacy")
    dialog = _open(qtbot, tab, "offer_advocate")
    assert not dialog.save()
    assert dialog.form.error_text("advocate_type") == "Choose the kind of advocate offered."
    dialog.advocate_type.setCurrentIndex(dialog.advocate_type.findData("imca"))
    dialog.response.setCurrentIndex(dialog.response.findData("accepted"))
    dialog.response_on.setText("01/11/2026")
    assert not dialog.save()
    assert dialog.form.error_text("response_on") == "The answer cannot be before the offer."
    assert w.count("adult_advocacy") == before
    dialog.response_on.setText("02/11/2026")
    qtbot.keyClicks(dialog.advocate_name, "Eleri Morgan")
    result = _save(qtbot, dialog)
    assert result["response"] == "accepted"
    assert w.count("adult_advocacy") == before + 1


def test_partnership_when_the_adult_does_not_agree(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "record_partnership")
    dialog.understands.setChecked(True)
    assert not dialog.save()
    assert "regular contact" in dialog.form.error_text("regular_contact")
    qtbot.keyClicks(dialog.regular_contact, "Weekly visit by the lead practitioner.")
    assert not dialog.save()
    assert "change their mind" in dialog.form.error_text("told_may_change_mind")
    assert w.count("adult_partnership") == 0
    dialog.told_may_change_mind.setChecked(True)
    _save(qtbot, dialog)
    assert w.count("adult_partnership") == 1


def test_plan_review(qtbot, w) -> None:
    from desktop.services.adults import PlanService

    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "review_plan")
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("continue"))
    assert not dialog.save()
    assert "no active" in dialog.form.error_text("reviewed_on")
    dialog.reject()
    PlanService(w.sw).start(w.ids["case"], started_on="2026-11-02")
    dialog = _open(qtbot, tab, "review_plan")
    assert dialog.outcome.currentData() == "continue"  # the draft kept on cancel came back
    dialog.outcome.setCurrentIndex(0)
    assert not dialog.save()
    assert dialog.form.error_text("outcome") == "Choose the outcome of the review."
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("continue"))
    qtbot.keyClicks(dialog.progress, "Carers daily; bank card stopped.")
    _save(qtbot, dialog)
    assert w.count("adult_plan_review") == 1


def test_conference_reports_and_refusal_queue_the_outcome_report(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "convene_conference")
    dialog.scheduled_on.setText("20/11/2026")
    assert not dialog.save()
    assert "at least one agency" in dialog.form.error_text("agency_ids")
    assert w.count("adult_conference") == 0
    dialog.agency_ids.check(w.ids["health"])
    dialog.agency_ids.check(w.ids["police"])
    conf = _save(qtbot, dialog)
    assert len(conf["reports"]) == 2

    dialog = _open(qtbot, tab, "conference_report")
    assert not dialog.save()
    assert dialog.form.error_text("agency_id") == "Choose the agency whose report arrived."
    dialog.agency.setCurrentIndex(dialog.agency.findData(w.ids["health"]))
    _save(qtbot, dialog)
    received = w.sw.store.rows("SELECT agency_id FROM adult_conference_report WHERE received_on IS NOT NULL")
    assert [r["agency_id"] for r in received] == [w.ids["health"]]

    dialog = _open(qtbot, tab, "hold_conference")
    dialog.participation.setCurrentIndex(dialog.participation.findData("refused"))
    qtbot.keyClicks(dialog.refusal_reason, "Does not want to see her son there.")
    qtbot.keyClicks(dialog.outcome_summary, "Plan continues.")
    dialog.decisions.setPlainText("Daily carers\nBank card stopped")
    assert not dialog.save()
    assert "support available" in dialog.form.error_text("support_offered")
    assert w.count("adult_conference") == 1
    dialog.support_offered.setPlainText("Independent advocate")
    result = _save(qtbot, dialog)
    assert result["status"] == "held" and result["letters"]


def test_a_half_typed_form_is_kept_as_a_draft_and_saving_discards_it(qtbot, w) -> None:
    from desktop.services.drafts import DraftService

    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "delegate_coordinator")
    dialog._autosave.setInterval(10)  # the same timer, without the few seconds' wait
    dialog.delegate.setCurrentIndex(dialog.delegate.findData(w.ids["health_lead"]))
    qtbot.keyClicks(dialog.rationale, "She is in hospital for weeks.")
    qtbot.waitUntil(lambda: DraftService(w.sw).load("adult_delegate_dialog", w.ids["case"]) is not None,
                    timeout=2000)  # autosaved after the edit
    dialog.reject()
    dialog = _open(qtbot, tab, "delegate_coordinator")
    assert dialog.delegate.currentData() == w.ids["health_lead"]
    assert dialog.rationale.toPlainText() == "She is in hospital for weeks."
    qtbot.keyClicks(dialog.delegate_role, "Leads on the ward.")
    dialog.la_monitor.setCurrentIndex(dialog.la_monitor.findData(w.ids["tm"]))
    qtbot.keyClicks(dialog.la_monitor_role, "Monthly oversight.")
    qtbot.keyClicks(dialog.reporting, "Fortnightly report.")
    _save(qtbot, dialog)
    assert DraftService(w.sw).load("adult_delegate_dialog", w.ids["case"]) is None


def test_the_tab_says_where_the_case_is(qtbot, w) -> None:
    tab = _tab(qtbot, w)
    assert "No report recorded yet." in tab.journey.text()
    _ready(w)
    tab.refresh()
    text = tab.journey.text()
    assert "screened (2 Enquiries required (section 126))" in text
    assert "determination 3 At risk, and action is needed" in text
    assert "Lead co-ordinator: Owain Thomas." in text
    set_language("cy")
    try:
        assert tab.journey.text()
    finally:
        set_language("en")
    assert tab.journey.text() == text


def test_plan_started_with_an_outcome_and_an_owned_action(qtbot, w) -> None:
    _ready(w)
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "plan_action")
    qtbot.keyClicks(dialog.description, "Stop Kevin's access to the bank card.")
    assert not dialog.save()
    assert "start it first" in dialog.form.general.text()
    dialog.reject()
    dialog = _open(qtbot, tab, "start_plan")
    qtbot.keyClicks(dialog.summary, "Daily carers; bank card stopped.")
    plan = _save(qtbot, dialog)
    assert w.count("adult_plan") == 1
    dialog = _open(qtbot, tab, "start_plan")
    assert not dialog.save()
    assert "already has an active" in dialog.form.error_text("started_on")
    dialog.reject()

    dialog = _open(qtbot, tab, "plan_outcome")
    qtbot.keyClicks(dialog.description, "Margaret keeps her pension.")
    assert not dialog.save()
    assert "measured" in dialog.form.error_text("measure")
    qtbot.keyClicks(dialog.measure, "Bank statements checked monthly.")
    outcome = _save(qtbot, dialog)
    assert outcome["plan_id"] == plan["id"]

    dialog = _open(qtbot, tab, "plan_action")
    assert dialog.description.toPlainText()  # the draft kept on cancel
    assert not dialog.save()
    assert "needs an owner" in dialog.form.error_text("owner")
    assert w.count("adult_plan_action") == 0
    dialog.owner.setCurrentIndex(dialog.owner.findData(f"agency:{w.ids['police']}"))
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(outcome["id"]))
    action = _save(qtbot, dialog)
    assert action["owner_name"] == "Heddlu Dyfed-Powys" and action["outcome_id"] == outcome["id"]
    assert "Care and support protection plan since 02/11/2026." in tab.journey.text()


def test_answer_to_the_strategy_meetings_offer_and_wishes(qtbot, w) -> None:
    _ready(w)
    strategy(w, "2026-11-02", advocate_response="awaiting")
    tab = _tab(qtbot, w)
    dialog = _open(qtbot, tab, "advocate_answer")
    offer_id = dialog.offer.currentData()
    assert offer_id and "Independent advocate" in dialog.offer.currentText()
    assert not dialog.save()
    assert "accepted or declined" in dialog.form.error_text("response")
    dialog.response.setCurrentIndex(dialog.response.findData("declined"))
    _save(qtbot, dialog)
    assert w.sw.store.rows("SELECT response FROM adult_advocacy WHERE id = ?", [offer_id])[0]["response"] == "declined"

    dialog = _open(qtbot, tab, "record_wishes")
    assert not dialog.save()
    assert dialog.form.error_text("wishes_feelings") == "Record the adult's wishes and feelings."
    assert w.count("adult_wishes") == 0
    qtbot.keyClicks(dialog.wishes, "I want to stay in my own home.")
    _save(qtbot, dialog)
    assert w.count("adult_wishes") == 1
