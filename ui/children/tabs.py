"""The "Looked after" and "Child in need" case tabs. GUI thread only; reads are a few short
queries through the children services; recording a placement opens :class:`PlacementDialog`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError
from desktop.i18n import N_, _, ngettext
from desktop.services.children import ChildInNeedService, LookedAfterService, PermanenceService, VoiceService
from desktop.services.children.codes import LEGAL_STATUSES, PROCEEDINGS_STAGES, label
from desktop.services.permissions import Can
from ui.action_bar import Action, ActionBar, Group
from ui.children.cin_dialogs import (
    ActionDialog,
    CinReviewDialog,
    CompleteAssessmentDialog,
    ContactDialog,
    IcpcRequestDialog,
    OutcomeDialog,
    ProceedingsDialog,
    ProceedingsExtensionDialog,
    ProceedingsStageDialog,
    StartAssessmentDialog,
    StartPlanDialog,
)
from ui.children.lac_dialogs import (
    AssignIroDialog,
    CarePlanDialog,
    HealthDialog,
    LacReviewDialog,
    LegalStatusDialog,
    PepDialog,
    PermanenceAchievedDialog,
    PermanenceDialog,
    PlacementPlanDialog,
    SchoolChangeDialog,
    VisitDialog,
    VoiceDialog,
)
from ui.children.placement_dialog import LookedAfterDialog, PlacementDialog
from ui.formatting import show_date
from ui.forms import Form
from ui.loading import Loads
from ui.widgets import Retranslating, fit_columns

# "Where" last: it is the longest (town, host authority, country) and takes the rest of the width.
PLACEMENT_HEADERS = [N_("Type"), N_("Carer or provider"), N_("From"), N_("To"), N_("Reason for the move"),
                     N_("Where")]
_WORDY_PLACEMENT_COLUMNS = (0, 1, 4, 5)
CIN_HEADERS = [N_("What"), N_("Date"), N_("Detail")]


def _name(p: dict[str, Any]) -> str:
    return f"{p.get('preferred_name') or p.get('given_names') or ''} {p.get('family_name') or ''}".strip()


class _ChildTab(Retranslating, QWidget):
    """A tab with a child picker (siblings share a case; records are per child)."""

    def __init__(self, session: Any, case_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.session, self.case_id = session, case_id
        self.subjects = list(parent.case_view.subjects)  # type: ignore[attr-defined]
        self.child_combo = QComboBox()
        for c in self.subjects:
            self.child_combo.addItem(_name(c), c["id"])
        self.child_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.child_combo.setVisible(len(self.subjects) > 1)

    ACTIONS: dict[str, str] = {}
    """"My work" action key → the method that opens its form."""

    @property
    def person_id(self) -> str | None:
        return self.child_combo.currentData()

    def open_action(self, action: str, person_id: str | None = None) -> QWidget | None:
        """The form for a "My work" action, for that child; ``None`` when this tab has none."""
        opener = self.ACTIONS.get(action)
        if opener is None:
            return None
        if person_id is not None and self.child_combo.findData(person_id) >= 0:
            self.child_combo.setCurrentIndex(self.child_combo.findData(person_id))
        if getattr(self, "loading", False):
            # Another child was chosen: whether the form applies depends on that child's records, being
            # read now; the form opens (and this tab comes to the front) once they are drawn.
            def later() -> None:
                form = getattr(self, opener)()
                show = getattr(self.window(), "show_tab", None)
                if form is not None and show is not None:
                    show(self)

            self.when_loaded(later)  # type: ignore[attr-defined]  # every child tab Loads
            return None
        return getattr(self, opener)()

    def open_form(self, cls: type[Form], **context: Any) -> Form | None:
        """Open a form for the chosen child; the tab refreshes when it saves. Returns the dialog."""
        if not self.person_id:
            return None
        dialog = cls(self.session, self.case_id, self.person_id, self, **context)
        dialog.saved.connect(lambda _rid: self.refresh())
        self.dialog = dialog
        dialog.open()
        return dialog


@dataclass(frozen=True, slots=True)
class LookedAfterRead:
    """What the looked-after tab shows of the chosen child (read on a worker)."""

    overview: dict[str, Any]
    workers: list[dict[str, Any]]
    permanence: dict[str, Any] | None


class LookedAfterTab(Loads[LookedAfterRead], _ChildTab):
    ACTIONS = {"record_care_plan": "record_care_plan", "record_placement_plan": "record_placement_plan",
               "record_lac_visit": "record_visit", "record_lac_review": "record_review",
               "record_health": "record_health", "record_pep": "record_pep"}

    def __init__(self, session: Any, case_id: str, parent: QWidget) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("looked_after_tab")
        self.status = QLabel()
        self.status.setObjectName("looked_after_status")
        self.status.setWordWrap(True)
        self.records = QLabel()
        self.records.setObjectName("looked_after_records")
        self.records.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("placements_tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnCount(len(PLACEMENT_HEADERS))
        self.overview: dict[str, Any] = {}
        self.permanence: dict[str, Any] | None = None
        looked_after = lambda: bool(self.overview.get("current_episode"))  # noqa: E731
        placed = lambda: bool(self.overview.get("current_placement"))  # noqa: E731
        self.bar = ActionBar(session, [
            Action("became_looked_after", N_("Became looked after…"), Group.RECORD, self.record_looked_after,
                   primary=True, applies=lambda: bool(self.person_id) and not looked_after()),
            Action("record_visit", N_("Record a statutory visit…"), Group.RECORD, self.record_visit, primary=True,
                   applies=looked_after),
            Action("add_placement", N_("Record a placement…"), Group.RECORD, self.record_placement,
                   applies=lambda: looked_after() and not placed()),
            Action("move_placement", N_("Record a move…"), Group.RECORD,
                   lambda: self.record_placement(is_move=True), applies=placed),
            Action("record_health", N_("Record a health event…"), Group.RECORD, self.record_health,
                   applies=looked_after),
            Action("lac_child_voice", N_("The child's voice…"), Group.RECORD, self.record_voice,
                   applies=lambda: bool(self.person_id)),
            Action("change_legal_status", N_("Change of legal status…"), Group.RECORD, self.change_legal_status,
                   applies=looked_after),
            Action("record_care_plan", N_("Care and support plan…"), Group.PLAN, self.record_care_plan,
                   applies=looked_after),
            Action("placement_plan", N_("Placement plan…"), Group.PLAN, self.record_placement_plan, applies=placed),
            Action("record_pep", N_("Personal education plan…"), Group.PLAN, self.record_pep, applies=looked_after),
            Action("school_change", N_("Change of school…"), Group.RECORD, self.record_school_change,
                   applies=looked_after),
            Action("permanence_plan", N_("Permanence plan…"), Group.PLAN, self.record_permanence,
                   applies=looked_after),
            Action("permanence_achieved", N_("Permanence achieved…"), Group.PLAN, self.record_achieved,
                   applies=lambda: bool(self.permanence) and not (self.permanence or {}).get("achieved_on")),
            Action("record_lac_review", N_("Record a looked-after review…"), Group.MEET, self.record_review,
                   applies=looked_after),
            Action("assign_iro", N_("Independent Reviewing Officer…"), Group.MANAGE, self.assign_iro,
                   needs=Can.ALLOCATE, applies=looked_after),
        ])
        layout = QVBoxLayout(self)
        layout.addWidget(self.child_combo)
        layout.addWidget(self.status)
        layout.addWidget(self.records)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.bar)
        self.workers: list[dict[str, Any]] = []
        self.dialog: QWidget | None = None
        self.retranslate()
        self.start_loading(self)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in PLACEMENT_HEADERS])
        fit_columns(self.tree)
        # The dates keep their width; the wordy columns share the rest (cut short, the whole in a tooltip).
        for col in _WORDY_PLACEMENT_COLUMNS:
            self.tree.header().setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.tree.setAccessibleName(_("Placements"))
        self.child_combo.setAccessibleName(_("Child"))
        self.redraw()

    def request(self) -> tuple[Any, ...]:
        return (self.person_id,)

    def read(self, person_id: str | None = None) -> LookedAfterRead:
        """Worker thread: the child's episodes and placements, the case's workers, the permanence plan."""
        overview: dict[str, Any] = {}
        permanence: dict[str, Any] | None = None
        if person_id:
            try:
                overview = LookedAfterService(self.session).overview(self.case_id, person_id)
            except DiogelError:
                overview = {}
        try:
            workers = LookedAfterService(self.session).worker_history(self.case_id)
        except DiogelError:
            workers = []
        if person_id:
            try:
                permanence = PermanenceService(self.session).plan(self.case_id, person_id)
            except DiogelError:
                permanence = None
        return LookedAfterRead(overview, workers, permanence)

    def draw(self, data: LookedAfterRead) -> None:
        self.overview, self.workers, self.permanence = data.overview, data.workers, data.permanence
        episode = self.overview.get("current_episode")
        if episode:
            status = LEGAL_STATUSES.get(episode["legal_status"], (episode["legal_status"], ""))[0]
            moves = max(0, len(self.overview.get("placements", [])) - 1)
            self.status.setText(_("Looked after since {date} ({status}). {moves}").format(
                date=show_date(episode["started_on"]), status=_(status),
                moves=ngettext("{n} move.", "{n} moves.", moves).format(n=moves)))
        else:
            self.status.setText(_("Not looked after."))
        self.bar.refresh()
        self.records.setText("\n".join(self._record_lines()))
        self.records.setVisible(bool(self.records.text()))
        self.tree.clear()
        for p in self.overview.get("placements", []):
            where = ", ".join(x for x in (p["town"], p["host_authority"], p["country"] if p["country"] != "GB" else None)
                              if x)
            if p["out_of_county"]:
                where = _("{place} (out of county)").format(place=where)
            row = QTreeWidgetItem([
                label(p["placement_type"]), p["carer_name"] or p["provider_name"] or "", show_date(p["start_on"]),
                show_date(p["end_on"]), label(p["end_reason"]) if p["end_reason"] else "", where])
            for col in _WORDY_PLACEMENT_COLUMNS:
                row.setToolTip(col, row.text(col))
            self.tree.addTopLevelItem(row)

    def record_looked_after(self) -> LookedAfterDialog | None:
        """Open the "became looked after" dialog for the chosen child; returns it."""
        if not self.person_id:
            return None
        dialog = LookedAfterDialog(self.session, self.case_id, self.person_id, self)
        dialog.saved.connect(lambda _eid: self.refresh())
        self.dialog = dialog
        dialog.open()
        return dialog

    def record_placement(self, *, is_move: bool = False) -> PlacementDialog | None:
        """Open the placement dialog for the chosen child; returns it."""
        if not self.person_id:
            return None
        dialog = PlacementDialog(self.session, self.case_id, self.person_id, self, is_move=is_move)
        dialog.saved.connect(lambda _pid: self.refresh())
        self.dialog = dialog
        dialog.open()
        return dialog


    def _record_lines(self) -> list[str]:
        """One sentence each: the latest visit, review and health event, the placement plan, permanence."""
        o, lines = self.overview, []
        visits = [v for v in o.get("visits", []) if v["seen"]]
        if visits:
            lines.append(_("Child last seen on a statutory visit on {date}.").format(
                date=show_date(visits[0]["visited_on"])))
        if o.get("reviews"):
            review = o["reviews"][0]
            lines.append(_("Last looked-after review {date}; next review {next}.").format(
                date=show_date(review["held_on"]), next=show_date(review["next_review_on"]) or "—"))
        if o.get("health"):
            event = o["health"][0]
            lines.append(_("Health: {what} on {date}.").format(what=label(event["kind"]),
                                                               date=show_date(event["on_date"])))
        current = o.get("current_placement")
        if current and current.get("plan_signed_on"):
            lines.append(_("Placement plan signed on {date} by {name}.").format(
                date=show_date(current["plan_signed_on"]), name=current["plan_signed_by"]))
        elif current and current.get("plan_prepared_on"):
            lines.append(_("Placement plan prepared on {date}, not yet signed.").format(
                date=show_date(current["plan_prepared_on"])))
        workers = self.workers
        if workers:
            # L10N: names and dates of the child's social workers, oldest first, after a colon.
            lines.append(_("Social workers over time: {workers}.").format(workers="; ".join(
                _("{name} from {start}").format(name=w["worker"], start=show_date(w["from_date"]))
                for w in workers)))
        plan = self.permanence
        if plan and plan.get("achieved_on"):
            lines.append(_("Permanence achieved on {date} ({route}).").format(
                date=show_date(plan["achieved_on"]), route=label(plan["route"])))
        elif plan:
            lines.append(_("Permanence plan: {route}, target {date}.").format(
                route=label(plan["route"]), date=show_date(plan["target_on"]) or "—"))
        return lines

    def record_visit(self) -> Form | None:
        return self.open_form(VisitDialog)

    def record_review(self) -> Form | None:
        return self.open_form(LacReviewDialog)

    def record_placement_plan(self) -> Form | None:
        current = self.overview.get("current_placement")
        return self.open_form(PlacementPlanDialog, placement_id=current["id"]) if current else None

    def record_health(self) -> Form | None:
        return self.open_form(HealthDialog)

    def record_permanence(self) -> Form | None:
        return self.open_form(PermanenceDialog, plan=self.permanence)

    def record_achieved(self) -> Form | None:
        return self.open_form(PermanenceAchievedDialog, plan_id=self.permanence["id"]) if self.permanence else None

    def record_care_plan(self) -> Form | None:
        return self.open_form(CarePlanDialog)

    def assign_iro(self) -> Form | None:
        return self.open_form(AssignIroDialog)

    def change_legal_status(self) -> Form | None:
        return self.open_form(LegalStatusDialog)

    def record_pep(self) -> Form | None:
        return self.open_form(PepDialog)

    def record_school_change(self) -> Form | None:
        return self.open_form(SchoolChangeDialog)

    def record_voice(self) -> Form | None:
        return self.open_form(VoiceDialog)


@dataclass(frozen=True, slots=True)
class ChildInNeedRead:
    """The chosen child's child-in-need records (read on a worker; ``None`` fields: refused)."""

    assessments: list[dict[str, Any]]
    plans: list[tuple[dict[str, Any], dict[str, Any]]]  # each plan and its outcomes, actions, reviews
    voice: list[dict[str, Any]]
    icpc_requests: list[dict[str, Any]]
    proceedings: list[dict[str, Any]]


class ChildInNeedTab(Loads[ChildInNeedRead | None], _ChildTab):
    """Assessments, the Child in Need plan and its reviews, requests for a conference, proceedings."""

    ACTIONS = {"record_cin_review": "record_review"}

    def __init__(self, session: Any, case_id: str, parent: QWidget) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("child_in_need_tab")
        self.tree = QTreeWidget()
        self.tree.setObjectName("cin_tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnCount(len(CIN_HEADERS))
        self.assessment: dict[str, Any] | None = None
        self.plan: dict[str, Any] | None = None
        self.open_proceedings = self.open_care_proceedings = False
        in_progress = lambda: bool(self.assessment) and not (self.assessment or {}).get("completed_on")  # noqa: E731
        child = lambda: bool(self.person_id)  # noqa: E731
        has_plan = lambda: self.plan is not None  # noqa: E731
        self.bar = ActionBar(session, [
            Action("start_assessment", N_("Start an assessment…"), Group.RECORD, self.start_assessment,
                   primary=True, applies=lambda: child() and not in_progress()),
            Action("record_contact", N_("Record who was spoken to…"), Group.RECORD, self.record_contact,
                   primary=True, applies=in_progress),
            Action("complete_assessment", N_("Complete the assessment…"), Group.RECORD, self.complete_assessment,
                   applies=in_progress),
            Action("cin_child_voice", N_("The child's voice…"), Group.RECORD, self.record_voice, applies=child),
            Action("start_cin_plan", N_("Start a Child in Need plan…"), Group.PLAN, self.start_plan,
                   applies=lambda: child() and not has_plan()),
            Action("add_outcome", N_("Add an outcome…"), Group.PLAN, self.add_outcome, applies=has_plan),
            Action("add_action", N_("Add an action…"), Group.PLAN, self.add_action, applies=has_plan),
            Action("record_cin_review", N_("Record a review meeting…"), Group.MEET, self.record_review,
                   primary=True, applies=has_plan),
            Action("request_icpc", N_("Request an initial conference…"), Group.MEET, self.request_icpc,
                   applies=child),
            Action("start_proceedings", N_("Proceedings…"), Group.MANAGE, self.start_proceedings, applies=child),
            Action("proceedings_stage", N_("Next stage of proceedings…"), Group.MANAGE, self.proceedings_stage,
                   applies=lambda: self.open_proceedings),
            Action("extend_proceedings", N_("The court extended the time limit…"), Group.MANAGE,
                   self.extend_proceedings, applies=lambda: self.open_care_proceedings),
        ])
        layout = QVBoxLayout(self)
        layout.addWidget(self.child_combo)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.bar)
        self.dialog: QWidget | None = None
        self.retranslate()
        self.start_loading(self)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in CIN_HEADERS])
        fit_columns(self.tree)
        self.tree.setAccessibleName(_("Child in need records"))
        self.child_combo.setAccessibleName(_("Child"))
        self.redraw()

    def _enable(self) -> None:
        self.bar.refresh()

    def request_icpc(self) -> Form | None:
        return self.open_form(IcpcRequestDialog)

    def start_proceedings(self) -> Form | None:
        return self.open_form(ProceedingsDialog)

    def proceedings_stage(self) -> Form | None:
        return self.open_form(ProceedingsStageDialog) if self.open_proceedings else None

    def extend_proceedings(self) -> Form | None:
        return self.open_form(ProceedingsExtensionDialog) if self.open_care_proceedings else None

    def start_assessment(self) -> Form | None:
        return self.open_form(StartAssessmentDialog)

    def record_contact(self) -> Form | None:
        return self.open_form(ContactDialog, assessment_id=self.assessment["id"]) if self.assessment else None

    def complete_assessment(self) -> Form | None:
        return (self.open_form(CompleteAssessmentDialog, assessment_id=self.assessment["id"])
                if self.assessment else None)

    def start_plan(self) -> Form | None:
        done = self.assessment["id"] if self.assessment and self.assessment.get("completed_on") else None
        return self.open_form(StartPlanDialog, assessment_id=done)

    def add_outcome(self) -> Form | None:
        return self.open_form(OutcomeDialog, plan_id=self.plan["id"]) if self.plan else None

    def add_action(self) -> Form | None:
        return self.open_form(ActionDialog, plan_id=self.plan["id"]) if self.plan else None

    def record_review(self) -> Form | None:
        return self.open_form(CinReviewDialog, plan_id=self.plan["id"]) if self.plan else None

    def record_voice(self) -> Form | None:
        return self.open_form(VoiceDialog)

    def request(self) -> tuple[Any, ...]:
        return (self.person_id,)

    def read(self, person_id: str | None = None) -> ChildInNeedRead | None:
        """Worker thread: the chosen child's assessments, plans, voice, requests and proceedings (``None``
        when no child is chosen or the records are refused)."""
        if not person_id:
            return None
        service = ChildInNeedService(self.session)
        try:
            return ChildInNeedRead(
                assessments=[a for a in service.assessments(self.case_id) if a["person_id"] == person_id],
                plans=[(p, service.plan(p["id"])) for p in service.plans(self.case_id) if p["person_id"] == person_id],
                voice=VoiceService(self.session).entries(self.case_id, person_id),
                icpc_requests=[r for r in service.icpc_requests(self.case_id) if person_id in r["child_ids"]],
                proceedings=[p for p in service.proceedings(self.case_id) if p["person_id"] == person_id],
            )
        except DiogelError:
            return None

    def draw(self, data: ChildInNeedRead | None) -> None:
        self.tree.clear()
        self.assessment, self.plan = None, None
        self.open_proceedings = self.open_care_proceedings = False
        rows: list[tuple[str, str, str]] = []
        if data is not None:
            for a in data.assessments:
                if self.assessment is None:
                    self.assessment = a  # newest first
                detail = _("{category}; {conclusion}").format(
                    category=label(a["need_category"]) if a["need_category"] else "",
                    conclusion=label(a["conclusion"]) if a["conclusion"] else _("in progress"))
                rows.append((_("Assessment"), a["started_on"], detail))
            for p, full in data.plans:
                if p["status"] == "active":
                    self.plan = p
                rows.append((_("Child in Need plan"), p["started_on"],
                             _("Next review {date}").format(date=show_date(p["next_review_on"]))
                             if p["status"] == "active" else _("Ended")))
                for o in full["outcomes"]:
                    rows.append((_("Outcome"), p["started_on"], o["description"]))
                for act in full["actions"]:
                    rows.append((_("Action"), act["due_on"] or p["started_on"],
                                 _("{action} (owner: {owner})").format(action=act["description"],
                                                                       owner=act["owner_name"])))
                for r in full["reviews"]:
                    rows.append((_("Review meeting"), r["held_on"], label(r["decision"])))
            for v in data.voice:
                if not v["amended_by"]:
                    rows.append((label(v["kind"]), v["recorded_on"], v["content"]))
            for r in data.icpc_requests:
                rows.append((_("Request for a child protection conference"), r["requested_on"], r["reason"]))
            for p in data.proceedings:
                self.open_proceedings = self.open_proceedings or not p["ended_on"]
                self.open_care_proceedings |= not p["ended_on"] and p["kind"] == "care_proceedings"
                for x in p["extensions"]:
                    # L10N: a court's extension of care proceedings' time limit, e.g. "Time limit extended to
                    # 30 May 2027: An expert's report."
                    rows.append((label(p["kind"]), x["granted_on"], _("Time limit extended to {date}: {reason}").format(
                        date=show_date(x["extended_to"]), reason=x["reason"])))
                for stage in p["stages"]:
                    msgid = PROCEEDINGS_STAGES[p["kind"]].get(stage["stage"])
                    detail = _(msgid) if msgid else label(stage["stage"])
                    if stage["stage"] == "concluded" and p["outcome"]:
                        # L10N: the last stage of proceedings and how they ended, e.g. "Proceedings
                        # concluded: Placement order".
                        detail = _("{stage}: {outcome}").format(stage=detail, outcome=label(p["outcome"]))
                    rows.append((label(p["kind"]), stage["on_date"], detail))
        self._enable()
        rows.sort(key=lambda r: r[1])
        for what, on, detail in rows:
            row = QTreeWidgetItem([what, show_date(on), detail])
            row.setToolTip(2, detail)
            self.tree.addTopLevelItem(row)
