"""Transfers between local authorities from the child protection tab (GUI thread only): start one
(a registered child moving out, or a child on another register moving in), record its next step, and
prepare the written information pack to the receiving authority (N7, C17). Each is a
:class:`~ui.forms.Form` calling :class:`desktop.services.child_protection.transfers.TransferService` once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from desktop.errors import DiogelError
from desktop.i18n import N_, _
from desktop.services.child_protection.transfers import OUTCOMES, TransferService
from desktop.services.directory import DirectoryService
from ui.formatting import show_date
from ui.forms import Field, Form

DIRECTIONS = {"out": N_("Moving out of the area"), "in": N_("Moving into the area")}
STEPS = {
    "out": {"information_sent": N_("Written information sent to the receiving authority"),
            "transferred_out": N_("The receiving authority held its transfer-in conference"),
            "close": N_("The family did not move after all")},
    "in": {"agree_permanent": N_("The move is agreed to be permanent (or a long stay)"),
           "conference_held": N_("Our transfer-in conference was held"),
           "close": N_("The child has left the area again")},
}
# "My work" action → the step it asks for (C17's action, "send_transfer_information", prepares the information
# pack instead: sending it records the step; information sent another way is recorded with "Transfer progress…").
ACTION_STEPS = {"agree_transfer_in": "agree_permanent", "hold_transfer_in_conference": "conference_held"}


def describe(t: dict[str, Any]) -> str:
    """One open transfer in a line, in the interface language."""
    child = f"{t['given_names'] or ''} {t['family_name']}".strip()
    # L10N: an open transfer, e.g. "Elis Jones: moving out to Powys (told 20/11/2026)".
    shown = (_("{child}: moving out to {authority} (told {date})") if t["direction"] == "out"
             else _("{child}: moving in from {authority} (told {date})"))
    return shown.format(child=child, authority=t["other_la"], date=show_date(t["notified_on"]))


class StartTransferDialog(Form):
    OBJECT_NAME = "start_transfer_dialog"
    TITLE = N_("Transfer to or from another area")
    FIELDS = [
        Field("child", "items", N_("Child:")),
        Field("direction", "choice", N_("Which way:"), DIRECTIONS),
        Field("notified_on", "date", N_("Date we were told:")),
        Field("other_la", "text", N_("The other local authority:")),
        Field("other_la_address", "long", N_("Its postal address:")),
        Field("permanent", "check", N_("A permanent move")),
        Field("new_address", "text", N_("New or temporary address:")),
        Field("expected_until", "date", N_("Expected to stay until (if temporary):")),
        Field("notes", "long", N_("Notes:")),
    ]
    ALIASES = {"person_id": "child"}

    def items(self, name: str) -> list[tuple[str, str]]:
        return [(c.id, c.name) for c in DirectoryService(self.session).case_children(self.case_id or "")]

    def prepare(self) -> None:
        self.set_value("permanent", True)

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        service = TransferService(self.session)
        common = {"notified_on": values["notified_on"] or "", "permanent": values["permanent"],
                  "new_address": values["new_address"], "expected_until": values["expected_until"],
                  "notes": values["notes"]}
        if values["direction"] == "out":
            return service.move_out(self.case_id, values["child"] or "", receiving_la=values["other_la"] or "",
                                    receiving_address=values["other_la_address"], **common)
        return service.move_in(self.case_id, values["child"] or "", sending_la=values["other_la"] or "",
                               sending_address=values["other_la_address"], **common)


class TransferStepDialog(Form):
    """The next step of an open transfer; the steps offered are those of its direction. ``step`` in the
    context chooses one to begin with (from "My work")."""

    OBJECT_NAME = "transfer_step_dialog"
    TITLE = N_("Transfer progress")
    FIELDS = [
        Field("transfer_id", "items", N_("Transfer:")),
        Field("step", "items", N_("What happened:")),
        Field("on_date", "date", N_("Date:")),
        Field("outcome", "optional", N_("Decision of the transfer-in conference:"), OUTCOMES),
        Field("notes", "long", N_("Notes:")),
    ]

    def items(self, name: str) -> list[tuple[str, str]]:
        if name != "transfer_id":
            return []
        self.transfers = {t["id"]: t for t in TransferService(self.session).open_for_case(self.case_id)}
        return [(tid, "") for tid in self.transfers]

    def prepare(self) -> None:
        self.widgets["transfer_id"].currentIndexChanged.connect(lambda _i: self._fill_steps())
        wanted = self.context.get("step")
        if wanted:  # the first open transfer that has this step
            for i, t in enumerate(self.transfers.values()):
                if wanted in STEPS[t["direction"]]:
                    self.widgets["transfer_id"].setCurrentIndex(i)
                    break

    def retranslate_more(self) -> None:
        super().retranslate_more()
        combo = self.widgets["transfer_id"]
        for i in range(combo.count()):
            combo.setItemText(i, describe(self.transfers[combo.itemData(i)]))
        self._fill_steps()

    def _fill_steps(self) -> None:
        t = self.transfers.get(self.widgets["transfer_id"].currentData())
        combo = self.widgets["step"]
        keep = combo.currentData() or self.context.get("step")
        combo.clear()
        for code, msgid in (STEPS[t["direction"]].items() if t else ()):
            combo.addItem(_(msgid), code)
        combo.setCurrentIndex(max(0, combo.findData(keep)))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        service, tid, day = TransferService(self.session), values["transfer_id"] or "", values["on_date"] or ""
        step = values["step"]
        if step == "information_sent":
            return service.information_sent(tid, sent_on=day)
        if step == "transferred_out":
            return service.transferred_out(tid, on=day)
        if step == "agree_permanent":
            return service.agree_permanent(tid, agreed_on=day)
        if step == "close":
            return service.close(tid, on=day, reason=values["notes"] or "")
        return service.conference_held(tid, held_on=day, outcome=values["outcome"] or "")


PACK_LANGUAGES = {"bilingual": N_("Welsh and English"), "cy": N_("Welsh"), "en": N_("English")}


class InformationPackDialog(Form):
    """"Prepare the information pack…": the open transfer out, the receiving authority's name (as recorded
    on the move out, to correct or complete), its postal address, the pack's language (the authority's:
    Welsh and English unless it is known) and the day it is sent. Save asks where to save the PDF, then the
    service renders it, this form writes it there (whole or not at all) and the service records it as sent
    (C17) with its correspondence entry; the saved file opens for printing."""

    OBJECT_NAME = "information_pack_dialog"
    TITLE = N_("Information pack to the receiving authority")
    FIELDS = [
        Field("transfer_id", "items", N_("Transfer:")),
        Field("other_la", "text", N_("The receiving local authority:")),
        Field("address", "long", N_("Its postal address:")),
        Field("language", "choice", N_("Language of the pack:"), PACK_LANGUAGES),
        Field("on_date", "date", N_("Date sent:")),
    ]
    saved_to: Path | None = None

    def items(self, name: str) -> list[tuple[str, str]]:
        if name != "transfer_id":
            return []
        self.transfers = {t["id"]: t for t in TransferService(self.session).open_for_case(self.case_id or "")
                          if t["direction"] == "out"}
        return [(tid, "") for tid in self.transfers]

    def prepare(self) -> None:
        combo = self.widgets["transfer_id"]
        combo.currentIndexChanged.connect(lambda _i: self._fill_authority())
        # The first transfer whose pack is still to be sent (C17), if any.
        waiting = [i for i, t in enumerate(self.transfers.values()) if not t["information_sent_on"]]
        combo.setCurrentIndex(waiting[0] if waiting else 0)
        self.set_value("on_date", self.session.today().isoformat())
        self._fill_authority()

    def retranslate_more(self) -> None:
        super().retranslate_more()
        combo = self.widgets.get("transfer_id")
        for i in range(combo.count() if combo is not None else 0):
            combo.setItemText(i, describe(self.transfers[combo.itemData(i)]))

    def _fill_authority(self) -> None:
        """The authority as recorded on the transfer, else as another transfer of the case to the same
        authority has it (the family's other children); what the person typed is kept."""
        t = self.transfers.get(self.widgets["transfer_id"].currentData())
        if t is None:
            return
        same = [t] + [o for o in self.transfers.values() if o is not t and o["other_la"] == t["other_la"]]
        for name, column in (("other_la", "other_la"), ("address", "other_la_address"),
                             ("language", "other_la_language")):
            known = next((o[column] for o in same if o[column]), None)
            # The language always has a choice (Welsh and English until one is known): a known one replaces it.
            if known and (name == "language" or not (self.value(name) or "").strip()):
                self.set_value(name, known)

    def choose_path(self, suggested: str) -> str:
        """Where to save the PDF ("" when the person cancels); tests put their own path here."""
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the information pack"), suggested,
                                                    _("PDF files (*.pdf)"))
        return path

    def values(self) -> dict[str, Any]:
        """The choices and where to save (asked here, in the GUI thread, before the pack is made)."""
        values = super().values()
        t = self.transfers.get(values.get("transfer_id") or "")
        child = f"{t['given_names'] or ''} {t['family_name']}".strip() if t else ""
        values["path"] = self.choose_path(f"information-pack-{child.replace(' ', '-')}.pdf") if t else ""
        return values

    def submit(self, values: dict[str, Any]) -> Any:
        if values["transfer_id"] and not values["path"]:
            raise DiogelError(N_("The pack was not saved: no file was chosen."))
        target = Path(values["path"] or ".")
        written: list[Path] = []

        def deliver(pdf: bytes) -> None:
            partial = target.with_name(target.name + ".part")
            try:  # whole or not at all: a half-written PDF never carries the pack's name
                partial.write_bytes(pdf)
                partial.replace(target)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise DiogelError(N_("The pack could not be saved there: {reason}"), reason=exc.strerror or "") from exc
            written.append(target)

        try:
            TransferService(self.session).send_information_pack(
                values["transfer_id"] or "", authority=values["other_la"] or "", address=values["address"] or "",
                language=values["language"] or "bilingual", sent_on=values["on_date"] or "", deliver=deliver)
        except BaseException:
            for path in written:  # saved but not recorded as sent: no file says it was sent
                path.unlink(missing_ok=True)
            raise
        return {"path": target}

    def after_save(self, row: Any) -> None:
        self.saved_to = row["path"]
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(row["path"])))
