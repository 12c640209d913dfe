"""Adults at risk under the Wales Safeguarding Procedures (Qt-free), one module per step:

report (duty to report, consent, screening 1a/1b/1c/2/3; A1 starts) → enquiry (s126, determination;
A1 met, A2 starts) → coordinator (lead co-ordinator; delegation with its four records) → strategy
(chaired by the lead co-ordinator; strategy group; lead practitioner + contact; N4 escalation; visit
frequency for A4; advocacy offer) → advocacy → capacity (decision-specific assessments, best
interests, wishes and feelings) → partnership (understanding, agreement, changes of mind, right to
complain) → apso (adult protection and support orders, s127: application, decision, entries, end; A9) →
visits (A3, A4; append-only) → plan (outcomes, actions with owners; reviews A5) →
conference (agency reports A7; participation; N16) → lead_practitioner (change, N2) → closure (lead
co-ordinator only, A8; N17) → progress (where the case is: one read for the case tab) → facts (the
engine's inputs; the "My work" provider ``adult_at_risk``).

Importing this package registers the "My work" provider (``desktop.services.my_work`` imports it on
first use).

Letters queued (``desktop.services.correspondence.queue_letter``) use the notification code as
``template_id`` (as child protection does); ``data["audience"]`` says which version, and
``data["template_file"]`` names the ``reports/templates`` file for it. Dates are ISO strings; the core
adds ``recipient_address``; the renderer fills ``recipient_name``, ``council_phone``, ``complaints_*``.

=====  ===========================================  ========================================================
N2     audience ``agency`` to every agency           adult_name, adult_dob, effective_date, lead_coordinator,
       involved, ``adult`` to the adult, ``family``  new_practitioner, new_practitioner_phone,
       to each family member/carer on the case       previous_practitioner
       (``n2_lead_practitioner_change_<audience>``)
N4     ``senior_manager``, to each senior manager    adult_name, adult_dob, lead_coordinator, meeting_date,
       (+ escalation ``no_lead_practitioner``)       no_lead_reason, escalation_id
       (``n4_escalation_no_lead_practitioner``)
N16    ``adult``, to the adult who refused to take   strategy_meeting_date, lead_coordinator,
       part in the conference                        lead_coordinator_phone, outcome_summary, conference_date,
       (``n16_outcome_report_adult``)                lists decisions and support_offered; adult_name, adult_dob
N17    ``agency`` to every agency involved,          adult_name, adult_dob, closed_on, reasons,
       ``adult`` to the adult                        lead_coordinator, lead_coordinator_phone
       (``n17_closure_<audience>``: NOT YET in
       ``reports/templates``)
=====  ===========================================  ========================================================
"""

from __future__ import annotations

from desktop.services.adults import facts
from desktop.services.adults.advocacy import AdvocacyService
from desktop.services.adults.apso import ApsoService
from desktop.services.adults.capacity import CapacityService
from desktop.services.adults.closure import ClosureService
from desktop.services.adults.conference import ConferenceService
from desktop.services.adults.coordinator import CoordinatorService
from desktop.services.adults.enquiry import EnquiryService
from desktop.services.adults.lead_practitioner import LeadPractitionerService
from desktop.services.adults.partnership import PartnershipService
from desktop.services.adults.plan import PlanService
from desktop.services.adults.progress import AdultProgress, ProgressService
from desktop.services.adults.report import ReportService
from desktop.services.adults.strategy import StrategyService
from desktop.services.adults.visits import VisitService
from desktop.services.my_work import register_provider

register_provider("adult_at_risk", facts.subjects, actions=facts.ACTIONS, day_free=True)
register_provider("adult_apso", facts.apso_subjects, actions=facts.APSO_ACTIONS, day_free=True)

__all__ = [
    "AdultProgress",
    "AdvocacyService",
    "ApsoService",
    "CapacityService",
    "ClosureService",
    "ConferenceService",
    "CoordinatorService",
    "EnquiryService",
    "LeadPractitionerService",
    "PartnershipService",
    "PlanService",
    "ProgressService",
    "ReportService",
    "StrategyService",
    "VisitService",
]
