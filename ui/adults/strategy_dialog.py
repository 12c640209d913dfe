"""Recording the adult strategy meeting (A2; N4). GUI thread; one service call per save.

An :class:`~ui.adults.adult_form.AdultForm` (drafts per case; refusals beside their field). Everything
typed goes to :class:`desktop.services.adults.StrategyService`, which decides what is allowed: the
signed-in person must be the lead co-ordinator (they chair), the lead practitioner needs contact
details, no lead practitioner needs a reason (and the senior manager is told at once), how often the
adult is seen alone can only be made more frequent than the procedures set, an IMCA when one is
required.

How often the adult is seen alone is a choice between what the procedures set (said from the rule A4
in the rule table, so it follows a Board's override) and a stricter frequency the strategy group
decided (a number and a unit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSpinBox, QVBoxLayout, QWidget

from desktop.domain.due_text import timescale
from desktop.domain.engine import default_engine
from desktop.i18n import N_, _
from desktop.services.adults import StrategyService
from ui.adults.adult_form import AdultForm, agency_items, practitioner_items
from ui.forms import Editor, Field

KINDS = {"meeting": N_("Strategy meeting"), "discussion": N_("Strategy discussion")}
UNITS = {"weeks": N_("weeks"), "working_days": N_("working days"), "days": N_("days")}
ADVOCATES = {"independent": N_("Independent advocate"), "imca": N_("IMCA (Independent Mental Capacity Advocate)"),
             "informal": N_("Informal advocate (family or friend)")}
RESPONSES = {"awaiting": N_("Awaiting the adult's answer"), "accepted": N_("Accepted"), "declined": N_("Declined")}
SEEN_ALONE_RULE = "A4"
"""The rule that says how often an adult at risk is seen alone, unless the strategy group says more often."""


class FrequencyEditor:
    """As the procedures set, or more often: every N weeks, working days or days. The value is
    ``(every, unit)``, ``(None, None)`` for the procedures' own frequency."""

    def __init__(self) -> None:
        self.widget = QWidget()
        column = QVBoxLayout(self.widget)
        column.setContentsMargins(0, 0, 0, 0)
        self.more = QWidget()
        row = QHBoxLayout(self.more)
        row.setContentsMargins(0, 0, 0, 0)
        self.how = QComboBox()
        self.how.setObjectName("visit_how")
        self.how.addItem("", False)
        self.how.addItem("", True)
        self.every = QSpinBox()
        self.every.setObjectName("visit_every_number")
        self.every.setRange(1, 60)
        self.unit = QComboBox()
        self.unit.setObjectName("visit_unit")
        for code in UNITS:
            self.unit.addItem("", code)
        row.addWidget(self.every)
        row.addWidget(self.unit)
        row.addStretch(1)
        column.addWidget(self.how)
        column.addWidget(self.more)
        self.how.currentIndexChanged.connect(lambda _i: self._enable())
        self._enable()

    def _enable(self) -> None:
        self.more.setVisible(bool(self.how.currentData()))  # the number and unit only when more often

    def value(self) -> tuple[int | None, str | None]:
        if not self.how.currentData():
            return None, None
        return self.every.value(), self.unit.currentData()

    def raw(self) -> dict[str, Any]:
        return {"more": bool(self.how.currentData()), "every": self.every.value(), "unit": self.unit.currentData()}

    def set_raw(self, value: Any) -> None:
        if not isinstance(value, dict):
            return
        self.how.setCurrentIndex(1 if value.get("more") else 0)
        self.every.setValue(int(value.get("every") or 1))
        self.unit.setCurrentIndex(max(0, self.unit.findData(value.get("unit"))))

    def retranslate(self) -> None:
        rule = default_engine().rules.get(SEEN_ALONE_RULE)
        # L10N: the procedures' own frequency of seeing an adult alone, e.g. "As the procedures set: every 4 weeks"
        self.how.setItemText(0, _("As the procedures set: {timescale}").format(timescale=timescale(rule)))
        self.how.setItemText(1, _("More often, as the strategy group decided:"))
        for i in range(self.unit.count()):
            self.unit.setItemText(i, _(UNITS[self.unit.itemData(i)]))
        self.how.setAccessibleName(_("How often the adult is seen alone"))
        self.every.setAccessibleName(_("Number of weeks or days"))
        self.unit.setAccessibleName(_("Unit"))

    def watch(self, changed: Callable[..., None]) -> None:
        self.how.currentIndexChanged.connect(changed)
        self.every.valueChanged.connect(changed)
        self.unit.currentIndexChanged.connect(changed)


class StrategyMeetingDialog(AdultForm):
    """Record one strategy meeting; :attr:`written` holds what the service wrote (with ``escalation``)."""

    OBJECT_NAME = "adult_strategy_dialog"
    TITLE = N_("Record the strategy meeting")
    TODAY = ("held_on",)
    FIELDS = [
        Field("kind", "choice", N_("Kind:"), KINDS),
        Field("held_on", "date", N_("Held on:")),
        Field("members", "checks", N_("Agencies in the strategy group:")),
        Field("lead_practitioner_id", "optional", N_("Lead practitioner:")),
        Field("lead_practitioner_contact", "text", N_("Lead practitioner's contact details:")),
        Field("no_lead_reason", "long", N_("Why no lead practitioner could be identified:")),
        Field("visit_every", "custom", N_("See the adult alone at least:")),
        Field("advocate_offered", "check", N_("An advocate was offered")),
        Field("imca_required", "check", N_("An IMCA is required")),
        Field("advocate_type", "choice", N_("Advocate offered:"), ADVOCATES),
        Field("advocate_response", "choice", N_("The adult's answer:"), RESPONSES),
        Field("advocacy_note", "long", N_("Why no advocate was offered:")),
        Field("consent_checked", "text", N_("The adult's consent:")),
        Field("liaison", "text", N_("Who explains the decisions to the adult and family:")),
        Field("decisions", "long", N_("Decisions:")),
    ]
    ALIASES = {"visit_unit": "visit_every", "chair_id": "held_on"}

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name == "members":
            return agency_items(self.session)
        return practitioner_items(self.session)

    def custom_editor(self, f: Field) -> Editor:
        return FrequencyEditor()

    def prepare(self) -> None:
        super().prepare()
        self.written: dict[str, Any] = {}

    def retranslate_more(self) -> None:
        combo = self.combo("lead_practitioner_id")
        if combo.count():
            combo.setItemText(0, _("None identified"))
        self.line("lead_practitioner_contact").setPlaceholderText(
            _("Phone and email (left empty: from their record)"))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        every, unit = values["visit_every"]
        offered = values["advocate_offered"]
        self.written = StrategyService(self.session).record(
            self.case_id or "", kind=values["kind"], held_on=values["held_on"] or "",
            members=[{"agency_id": a} for a in values["members"]], decisions=values["decisions"] or "",
            lead_practitioner_id=values["lead_practitioner_id"],
            lead_practitioner_contact=values["lead_practitioner_contact"], no_lead_reason=values["no_lead_reason"],
            visit_every=every, visit_unit=unit, advocate_offered=offered,
            advocate_type=values["advocate_type"] if offered else None,
            advocate_response=values["advocate_response"], imca_required=values["imca_required"],
            advocacy_note=values["advocacy_note"], consent_checked=values["consent_checked"],
            liaison=values["liaison"])
        return self.written
