"""What the child protection forms share (GUI thread): a :class:`~ui.forms.Form` on one case whose name
lists — the case's children, its family, agencies, staff — come from
:class:`~desktop.services.directory.DirectoryService`, never from SQL.

* A ``checks`` field named ``child_ids`` lists the case's children, all ticked to begin with (a record
  is usually about every child of the case; the worker unticks one it is not about).
* :attr:`CpForm.TODAY` names the date fields that begin at today (the injectable clock's).
* :attr:`~ui.forms.Form.BLANKS` gives the text of an ``optional`` field's empty first item ("Not recorded",
  "Nobody"…), in the interface language.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QComboBox, QWidget

from desktop.services.directory import DirectoryService
from ui.formatting import from_iso
from ui.forms import Form

Items = list[tuple[Any, str]]


def children(session: Any, case_id: str) -> Items:
    """The case's children (its subjects), in the order they joined it."""
    return [(c.id, c.name) for c in DirectoryService(session).case_children(case_id)]


def family(session: Any, case_id: str) -> Items:
    """The other people on the case (parents, carers), by name."""
    return [(p.id, p.name) for p in DirectoryService(session).case_people(case_id, subjects=False)]


def agencies(session: Any) -> Items:
    return [(a.id, a.name) for a in DirectoryService(session).agencies()]


def staff(session: Any, *, social_services_only: bool = False, role: str | None = None) -> Items:
    """Active practitioners: every agency's, social services' only (co-ordinators) or one app role's."""
    return [(p.id, p.name) for p in DirectoryService(session).practitioners(
        social_services_only=social_services_only, role=role)]


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a several-line box ("one name a line")."""
    return [x.strip() for x in (text or "").splitlines() if x.strip()]


class CpForm(Form):
    """A child protection form on ``case_id``; ``context`` names the record it adds to, if any."""

    TODAY: ClassVar[tuple[str, ...]] = ()

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None, **context: Any) -> None:
        super().__init__(session, case_id, None, parent, **context)

    @property
    def case(self) -> str:
        return self.case_id or ""

    def combo(self, name: str) -> QComboBox:
        """The combo box of a choice field."""
        widget = self.widgets[name]
        assert isinstance(widget, QComboBox)
        return widget

    def items(self, name: str) -> Items:
        if name in ("child_ids", "children"):  # "children": for a form with a block per child (LISTS)
            return children(self.session, self.case)
        return []

    def prepare(self) -> None:
        if "child_ids" in self.editors:
            self.set_value("child_ids", [pid for pid, _name in self.listed("child_ids")])
        today = from_iso(self.session.today().isoformat())
        for name in self.TODAY:
            self.set_value(name, today)
