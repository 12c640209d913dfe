"""Safety flags on screen (issue 20): a person's flags in words wherever the case shows them (the case
header, the People tab), the manager's forms to set and clear one, and the release of a held letter.

Thread contract: GUI thread; each form makes one write through its service (the service checks the
role: only a manager sets, clears or releases).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidgetItem, QWidget

from desktop.errors import DiogelError
from desktop.i18n import N_, _
from desktop.services.directory import DirectoryService
from desktop.services.safety_flags import KIND_WORDS, SafetyFlag, SafetyFlagService
from ui.case_tabs import register_header_fact
from ui.forms import Field, Form

KIND_CHOICES = KIND_WORDS


def case_flags(session: Any, case_id: str) -> dict[str, list[SafetyFlag]]:
    """Active flags of everyone on the case by person id ({} when the reader may not see the case)."""
    try:
        return SafetyFlagService(session).for_case(case_id)
    except DiogelError:
        return {}


def flags_text(flags: list[SafetyFlag]) -> str:
    """A person's flags in one line, in the interface language ("" for none)."""
    return "; ".join(f.text() for f in flags)


FLAG_COLOUR = "#b71c1c"
"""A flag's words stand out (bold, dark red) wherever a person is listed."""


def mark_flags(item: QTreeWidgetItem, column: int, flags: list[SafetyFlag]) -> None:
    """Say ``flags`` in ``column`` of a person's row (the People and Household tabs): bold and red when any,
    the whole text also in the tooltip."""
    text = flags_text(flags)
    item.setText(column, text)
    item.setToolTip(column, text)
    if flags:
        font = item.font(column)
        font.setBold(True)
        item.setFont(column, font)
        item.setForeground(column, QBrush(QColor(FLAG_COLOUR)))


def _header_fact(session: Any, case_id: str) -> Callable[[], tuple[str, str]] | None:
    """Worker thread: the case's flags; the words are said on the GUI thread in the language of the moment."""
    flags = case_flags(session, case_id)
    if not flags:
        return None

    def words() -> tuple[str, str]:
        # L10N: one person's safety flags in the case header, e.g. "Dafydd Tŵr: Poses a risk to Seren Tŵr"
        parts = [_("{name}: {flags}").format(name=fs[0].person_name, flags=flags_text(fs)) for fs in flags.values()]
        return _("Safety:"), " · ".join(sorted(parts))

    return words


register_header_fact("safety", _header_fact, tables=("person_flag",))


class SetFlagDialog(Form):
    """A manager sets a safety flag on a person of the case, with the reason."""

    OBJECT_NAME = "set_flag_dialog"
    TITLE = N_("Set a safety flag")
    DRAFTS = False
    FIELDS = [
        Field("person", "shown", N_("Person:")),
        Field("kind", "choice", N_("Flag:"), codes=KIND_CHOICES),
        Field("related_person_id", "optional", N_("Person concerned:"),
              help=N_("Who this person poses a risk to, or who to contact them through")),
        Field("via_agency_id", "optional", N_("Agency to contact through:")),
        Field("reason", "long", N_("Reason:")),
    ]

    def prepare(self) -> None:
        self.set_value("person", self.context["name"])

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "related_person_id":
            return [(m["id"], " ".join(x for x in (m.get("given_names"), m.get("family_name")) if x))
                    for m in self.context["members"] if m["id"] != self.person_id]
        if name == "via_agency_id":
            return [(a.id, a.name) for a in DirectoryService(self.session).agencies()]
        return []

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        assert self.person_id is not None
        flag = SafetyFlagService(self.session).set_flag(
            self.person_id, values["kind"], values["reason"] or "", related_person_id=values["related_person_id"],
            via_agency_id=values["via_agency_id"])
        return {"id": flag.id}


class ClearFlagDialog(Form):
    """A manager clears one of a person's active flags, with the reason."""

    OBJECT_NAME = "clear_flag_dialog"
    TITLE = N_("Clear a safety flag")
    DRAFTS = False
    FIELDS = [
        Field("person", "shown", N_("Person:")),
        Field("flag", "items", N_("Flag:")),
        Field("reason", "long", N_("Reason:")),
    ]

    def prepare(self) -> None:
        self.set_value("person", self.context["name"])

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "flag" and self.person_id:
            return [(f.id, f.text()) for f in SafetyFlagService(self.session).flags(self.person_id)]
        return []

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["flag"]:
            from desktop.errors import ValidationError

            raise ValidationError(N_("That safety flag does not exist."), "flag")
        flag = SafetyFlagService(self.session).clear(values["flag"], values["reason"] or "")
        return {"id": flag.id}


class ReleaseLetterDialog(Form):
    """A manager lets a letter the correspondence guard held go, saying why (recorded and audited)."""

    OBJECT_NAME = "release_letter_dialog"
    TITLE = N_("Release a held letter")
    DRAFTS = False
    FIELDS = [
        Field("letter", "shown", N_("Letter:")),
        Field("why_held", "shown", N_("Held because:")),
        Field("reason", "long", N_("Why it may be sent:")),
    ]

    def prepare(self) -> None:
        letter = self.context["letter"]
        # L10N: a letter in the release form, e.g. "Change of co-ordinator to Dafydd Tŵr"
        self.set_value("letter", _("{title} to {recipient}").format(title=letter.title(),
                                                                   recipient=letter.recipient_name))
        self.set_value("why_held", letter.held_text())

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        from desktop.services.letters import LetterService  # ReportLab with it: not while the window starts

        released = LetterService(self.session).release_guarded(self.context["letter"].id, values["reason"] or "")
        return {"id": released.id}


def open_set_flag(session: Any, person: dict[str, Any], members: list[dict[str, Any]],
                  parent: QWidget | None) -> SetFlagDialog:
    dialog = SetFlagDialog(session, person_id=person["id"], parent=parent, name=_name(person), members=members)
    dialog.open()
    return dialog


def open_clear_flag(session: Any, person: dict[str, Any], parent: QWidget | None) -> ClearFlagDialog:
    dialog = ClearFlagDialog(session, person_id=person["id"], parent=parent, name=_name(person))
    dialog.open()
    return dialog


def _name(p: dict[str, Any]) -> str:
    return " ".join(x for x in (p.get("given_names"), p.get("family_name")) if x)
