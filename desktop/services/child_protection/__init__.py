"""Child protection casework under the Wales Safeguarding Procedures (Qt-free), one module per step:

report (C1) → strategy (police and social services; s47) → enquiry (determinations, ratification) →
conference (initial C6/C13/C14; review C12/C15/C16) → register (entries, history, enquiries N22) →
plan (outline → detailed, versions) → core_group (C10/C11) → visits (V1/V2/V4; N13 when access is
denied, :mod:`.denied_access`) → coordinator (N1) → household (N5/N6 hook) → transfers between
authorities (C17–C19) → facts (the engine's inputs; the "My work" provider).

Importing this package installs the household hook and registers the "My work" provider, so
``import desktop.services.child_protection`` must happen at start-up (``desktop.services.my_work``
does it on first use).

Letters queued (``desktop.services.correspondence.queue_letter``; ``data`` placeholders — dates as ISO
strings, ``{"cy": …, "en": …}`` dicts are bilingual text; every letter also gets ``recipient_address``
from the core, and the renderer fills ``recipient_name``, ``council_phone``, ``complaints_*``):

======  =====================================  ======================================================
N1      change of co-ordinator, to each core   child_name, child_dob, previous_coordinator,
        group agency and each parent with PR   new_coordinator, new_coordinator_phone, effective_date,
                                               team_manager, audience ("agency" | "family")
N3      no co-ordinator named at the ICPC, to  child_name, child_dob, conference_date, chair_name,
        each senior manager (+ escalation)     team_name
N5      household change, to each register     child_name, child_dob, change_date, change_kind,
        custodian                              change_description (bilingual), coordinator_name,
                                               coordinator_phone
N6      household change, to each core group   as N5
        member
N8      ICPC invitation, per invitee per child child_name, child_dob, conference_date, conference_time,
                                               venue, chair_name, coordinator_name, coordinator_phone,
                                               conference_id
N9      outline plan and decisions (C7), to    child_name, child_dob, conference_date, coordinator_name,
        those invited and present + core group first_core_group_date, next_review_date, categories
                                               (bilingual), registration_decision (bilingual)
N11     review conference invitation           as N8, plus report_due_date ("" until set)
N12     de-registration, to core group         child_name, child_dob, conference_date, coordinator_name,
        agencies and each parent with PR       reasons, audience
N13     access denied on a visit, to the co- child_name, child_dob, visit_date, visitor_name,
        ordinator and core group practitioners what_happened (the visit's observations, else a
        (else the team managers)               bilingual "no details"), coordinator_name,
                                               coordinator_phone
N19     right to complain at plan start, to    child_name, child_dob, coordinator_name,
        each parent with PR                    coordinator_phone, next_review_date, plan_date,
                                               rationale, audience ("family")
======  =====================================  ======================================================
"""

from __future__ import annotations

from desktop.services.child_protection import facts, household
from desktop.services.child_protection.conference import ConferenceService
from desktop.services.child_protection.coordinator import CoordinatorService
from desktop.services.child_protection.core_group import CoreGroupService
from desktop.services.child_protection.enquiry import EnquiryService
from desktop.services.child_protection.plan import PlanService
from desktop.services.child_protection.register import RegisterService
from desktop.services.child_protection.report import ReportService
from desktop.services.child_protection.strategy import StrategyService
from desktop.services.child_protection.transfers import TransferService
from desktop.services.child_protection.visits import VisitService
from desktop.services.my_work import register_provider

household.install()
register_provider("child_protection", facts.subjects, actions=facts.ACTIONS, day_free=True)

__all__ = [
    "ConferenceService",
    "CoordinatorService",
    "CoreGroupService",
    "EnquiryService",
    "PlanService",
    "RegisterService",
    "ReportService",
    "StrategyService",
    "TransferService",
    "VisitService",
]
