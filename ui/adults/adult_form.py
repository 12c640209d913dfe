"""What the adult-at-risk forms share (GUI thread): a :class:`~ui.forms.Form` whose date fields named in
:attr:`AdultForm.TODAY` start at today, with one draft per case, and the lists they choose from (staff
and agencies, through :class:`~desktop.services.directory.DirectoryService`)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QComboBox, QLineEdit

from desktop.services.directory import DirectoryService
from ui.forms import Form


class AdultForm(Form):
    TODAY: ClassVar[tuple[str, ...]] = ()
    """Date fields that start at today (the day most steps are recorded)."""

    def prepare(self) -> None:
        for name in self.TODAY:
            self.set_value(name, self.session.today().isoformat())

    def draft_context(self) -> str:
        """One draft per form and case (as these forms always kept them)."""
        return self.case_id or ""

    def combo(self, name: str) -> QComboBox:
        """The list of a ``choice``, ``optional`` or ``items`` field."""
        widget = self.widgets[name]
        assert isinstance(widget, QComboBox), name
        return widget

    def line(self, name: str) -> QLineEdit:
        """The box of a ``text``, ``date`` or ``time`` field."""
        widget = self.widgets[name]
        assert isinstance(widget, QLineEdit), name
        return widget


def practitioner_items(session: Any, *, detail: bool = True) -> list[tuple[Any, str]]:
    """Active staff of every agency as ``(id, "Name (job title, agency)")``, by family name."""
    return [(p.id, f"{p.name} ({p.detail})" if detail and p.detail else p.name)
            for p in DirectoryService(session).practitioners()]


def agency_items(session: Any) -> list[tuple[Any, str]]:
    """Every agency as ``(id, name)``, by name (names are not translated)."""
    return [(a.id, a.name) for a in DirectoryService(session).agencies()]


def lines(value: str | None) -> list[str]:
    """One entry a line, blank lines dropped."""
    return [x.strip() for x in (value or "").splitlines() if x.strip()]
