"""Assign cover for an absent worker's visits (team managers, from "My work").

Thread contract: GUI thread; one small write through :class:`MyWorkService.assign_cover`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from desktop.errors import DiogelError
from desktop.i18n import _
from desktop.services.cases import CaseService
from desktop.services.my_work import MyWorkService
from ui.person_dialog import to_iso
from ui.widgets import FormDialog


class CoverDialog(FormDialog):
    """Who covers ``covered_id``'s work, from when until when."""

    def __init__(self, session: Any, covered_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("cover_dialog")
        self.session, self.covered_id = session, covered_id
        self.covering = QComboBox()
        self.covering.setObjectName("cover_worker")
        for w in CaseService(session).workers():
            if w["id"] != covered_id and w["app_role"] in ("social_worker", "team_manager"):
                self.covering.addItem(f"{w['given_names']} {w['family_name']}", w["id"])
        self.from_date, self.to_date, self.reason = QLineEdit(), QLineEdit(), QLineEdit()
        self.from_date.setObjectName("cover_from")
        self.to_date.setObjectName("cover_to")
        self.reason.setObjectName("cover_reason")
        for name, widget in (("covering_id", self.covering), ("from_date", self.from_date),
                             ("to_date", self.to_date), ("reason", self.reason)):
            self.add_field(name, widget)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Assign cover"))
        texts = {"covering_id": (_("Covered by:"), _("Worker who will cover"), self.covering),
                 "from_date": (_("From:"), _("First day of cover"), self.from_date),
                 "to_date": (_("Until:"), _("Last day of cover"), self.to_date),
                 "reason": (_("Reason:"), _("Why cover is needed"), self.reason)}
        for name, (text, accessible, widget) in texts.items():
            self.labels[name].setText(text)
            widget.setAccessibleName(accessible)
        for edit in (self.from_date, self.to_date):
            edit.setPlaceholderText(_("dd/mm/yyyy"))
        self.from_date.setToolTip(_("Leave empty for today"))

    def save(self) -> bool:
        self.clear_errors()
        try:
            MyWorkService(self.session).assign_cover(
                self.covering.currentData(), from_date=to_iso(self.from_date.text()) or self.session.today().isoformat(),
                to_date=to_iso(self.to_date.text()), covered_id=self.covered_id, reason=self.reason.text().strip() or None,
            )
        except DiogelError as err:
            self.show_refusal(err)
            return False
        self.saved.emit()
        self.accept()
        return True
