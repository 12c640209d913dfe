"""The "Looked after" and "Child in need" case tabs. GUI thread only; reads are a few short
queries through the children services; recording a placement opens :class:`PlacementDialog`."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DiogelError
from desktop.i18n import N_, _, ngettext
from desktop.services.children import ChildInNeedService, LookedAfterService
from desktop.services.children._common import LEGAL_STATUSES, label
from ui.children.placement_dialog import LookedAfterDialog, PlacementDialog
from ui.formatting import show_date
from ui.widgets import Retranslating

PLACEMENT_HEADERS = [N_("Type"), N_("Carer or provider"), N_("Where"), N_("From"), N_("To"), N_("Reason for the move")]
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

    @property
    def person_id(self) -> str | None:
        return self.child_combo.currentData()


class LookedAfterTab(_ChildTab):
    def __init__(self, session: Any, case_id: str, parent: QWidget) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("looked_after_tab")
        self.status = QLabel()
        self.status.setObjectName("looked_after_status")
        self.status.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("placements_tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnCount(len(PLACEMENT_HEADERS))
        self.episode_button = QPushButton()
        self.episode_button.setObjectName("became_looked_after")
        self.episode_button.clicked.connect(lambda: self.record_looked_after())
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_placement")
        self.add_button.clicked.connect(lambda: self.record_placement())
        self.move_button = QPushButton()
        self.move_button.setObjectName("move_placement")
        self.move_button.clicked.connect(lambda: self.record_placement(is_move=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.episode_button)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.move_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.child_combo)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.overview: dict[str, Any] = {}
        self.dialog: QWidget | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in PLACEMENT_HEADERS])
        self.tree.setAccessibleName(_("Placements"))
        self.episode_button.setText(_("Became looked after…"))
        self.add_button.setText(_("Record a placement…"))
        self.move_button.setText(_("Record a move…"))
        self.child_combo.setAccessibleName(_("Child"))
        self.refresh()

    def refresh(self) -> None:
        self.overview = {}
        if self.person_id:
            try:
                self.overview = LookedAfterService(self.session).overview(self.case_id, self.person_id)
            except DiogelError:
                self.overview = {}
        episode = self.overview.get("current_episode")
        if episode:
            status = LEGAL_STATUSES.get(episode["legal_status"], (episode["legal_status"], ""))[0]
            moves = max(0, len(self.overview.get("placements", [])) - 1)
            self.status.setText(_("Looked after since {date} ({status}). {moves}").format(
                date=show_date(episode["started_on"], "long"), status=_(status),
                moves=ngettext("{n} move.", "{n} moves.", moves).format(n=moves)))
        else:
            self.status.setText(_("Not looked after."))
        has_current = bool(self.overview.get("current_placement"))
        self.episode_button.setEnabled(not episode)
        self.add_button.setEnabled(bool(episode) and not has_current)
        self.move_button.setEnabled(has_current)
        self.tree.clear()
        for p in self.overview.get("placements", []):
            where = ", ".join(x for x in (p["town"], p["host_authority"], p["country"] if p["country"] != "GB" else None)
                              if x)
            if p["out_of_county"]:
                where = _("{place} (out of county)").format(place=where)
            self.tree.addTopLevelItem(QTreeWidgetItem([
                label(p["placement_type"]), p["carer_name"] or p["provider_name"] or "", where,
                show_date(p["start_on"]), show_date(p["end_on"]), label(p["end_reason"]) if p["end_reason"] else "",
            ]))
        for col in range(len(PLACEMENT_HEADERS)):
            self.tree.resizeColumnToContents(col)

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


class ChildInNeedTab(_ChildTab):
    """Assessments, the Child in Need plan and its reviews, requests for a conference, proceedings."""

    def __init__(self, session: Any, case_id: str, parent: QWidget) -> None:
        super().__init__(session, case_id, parent)
        self.setObjectName("child_in_need_tab")
        self.tree = QTreeWidget()
        self.tree.setObjectName("cin_tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnCount(len(CIN_HEADERS))
        layout = QVBoxLayout(self)
        layout.addWidget(self.child_combo)
        layout.addWidget(self.tree, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in CIN_HEADERS])
        self.tree.setAccessibleName(_("Child in need records"))
        self.child_combo.setAccessibleName(_("Child"))
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        if not self.person_id:
            return
        service = ChildInNeedService(self.session)
        rows: list[tuple[str, str, str]] = []
        try:
            for a in service.assessments(self.case_id):
                if a["person_id"] == self.person_id:
                    detail = _("{category}; {conclusion}").format(
                        category=label(a["need_category"]) if a["need_category"] else "",
                        conclusion=label(a["conclusion"]) if a["conclusion"] else _("in progress"))
                    rows.append((_("Assessment"), a["started_on"], detail))
            for p in service.plans(self.case_id):
                if p["person_id"] == self.person_id:
                    rows.append((_("Child in Need plan"), p["started_on"],
                                 _("Next review {date}").format(date=show_date(p["next_review_on"]))
                                 if p["status"] == "active" else _("Ended")))
                    for r in service.plan(p["id"])["reviews"]:
                        rows.append((_("Review meeting"), r["held_on"], label(r["decision"])))
            for r in service.icpc_requests(self.case_id):
                if self.person_id in r["child_ids"]:
                    rows.append((_("Request for a child protection conference"), r["requested_on"], r["reason"]))
            for p in service.proceedings(self.case_id):
                if p["person_id"] == self.person_id:
                    rows.append((label(p["kind"]), p["stage_on"], label(p["stage"])))
        except DiogelError:
            rows = []
        rows.sort(key=lambda r: r[1])
        for what, on, detail in rows:
            self.tree.addTopLevelItem(QTreeWidgetItem([what, show_date(on), detail]))
        for col in range(len(CIN_HEADERS)):
            self.tree.resizeColumnToContents(col)
