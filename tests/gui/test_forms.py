"""The one form framework (ui.forms): every form fits the screen, shows refusals beside their field, shows
a fault as a fault, keeps drafts, saves on Return and speaks the interface language.

The forms here are small subclasses whose ``submit`` stands in for a service; the framework itself is real,
on a real encrypted profile (drafts are written to it)."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget

from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, set_language
from desktop.services.drafts import DraftService
from tests.gui.forms import filled, saved, written
from ui.forms import Field, Form


class VisitLikeForm(Form):
    OBJECT_NAME = "test_form"
    TITLE = N_("Record a visit")
    FIELDS = [
        Field("visited_on", "date", N_("Date of the visit:")),
        Field("summary", "long", N_("Summary:")),
        Field("seen_alone", "check", N_("Seen alone")),
    ]
    ALIASES = {"visit_date": "visited_on"}

    def prepare(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.fails: BaseException | None = None

    def submit(self, values: dict[str, Any]) -> Any:
        if self.fails is not None:
            raise self.fails
        self.sent.append(values)
        return {"id": "row-1"}


def tall_form_class() -> type[Form]:
    fields = [Field(f"line_{n}", "text", N_("Summary:")) for n in range(60)]
    return type("TallForm", (VisitLikeForm,), {"FIELDS": fields, "OBJECT_NAME": "tall_form"})


def test_a_long_form_fits_the_screen_and_its_buttons_stay_in_view(qtbot: Any, session: Any) -> None:
    form = tall_form_class()(session)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    filled(form, qtbot)
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert form.height() <= area.height() and form.width() <= area.width()
    save = form.buttons.button(QDialogButtonBox.StandardButton.Save)
    top_left = save.mapTo(form, save.rect().topLeft())
    assert 0 <= top_left.y() and top_left.y() + save.height() <= form.height()
    assert form.scroller.verticalScrollBar().maximum() > 0, "the fields scroll, the buttons do not"


def test_a_refusal_shows_beside_its_field_and_nothing_is_saved(qtbot: Any, session: Any) -> None:
    form = VisitLikeForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.fails = ValidationError(N_("The date cannot be in the future."), field="visit_date")
    form.set_value("visited_on", "01/01/2030")
    assert saved(form, qtbot) is False
    assert form.error_text("visited_on") == "The date cannot be in the future."
    assert form.error_text("summary") == ""
    assert form.sent == [] and form.result() != QDialog.DialogCode.Accepted
    # What was typed is kept as a draft for when the form is opened again.
    assert DraftService(session).load("test_form", form.draft_context())["visited_on"] == "01/01/2030"


def test_a_general_refusal_shows_at_the_top(qtbot: Any, session: Any) -> None:
    form = VisitLikeForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.fails = DiogelError(N_("Your role does not allow this."))
    assert saved(form, qtbot) is False
    assert form.general_error.text() == "Your role does not allow this."
    assert form.fault.isHidden()


def test_a_fault_is_logged_and_shown_as_a_fault_not_a_refusal(qtbot: Any, session: Any, caplog: Any) -> None:
    form = VisitLikeForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.set_value("summary", "Spoke with Seren about school.")
    form.fails = KeyError("practitioner_id")
    with caplog.at_level(logging.ERROR, logger="ui.forms.form"):
        assert saved(form, qtbot) is False
    assert not form.fault.isHidden()
    assert "nothing was saved" in form.fault.text() and "KeyError" in form.fault.text()
    assert "Traceback" not in form.fault.text() and "practitioner_id" not in form.fault.text()
    assert form.general_error.text() == ""
    assert any(r.exc_info for r in caplog.records), "the traceback goes to the log"
    assert DraftService(session).load("test_form", form.draft_context())["summary"] == "Spoke with Seren about school."


def test_a_draft_comes_back_and_a_save_discards_it(qtbot: Any, session: Any) -> None:
    form = VisitLikeForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.set_value("visited_on", "03/11/2026")
    form.set_value("summary", "Half a sentence")
    form.reject()
    written(form, qtbot)  # the draft is kept on a worker
    again = VisitLikeForm(session, "case-1")
    filled(again, qtbot)
    qtbot.addWidget(again)
    assert again.editors["visited_on"].raw() == "03/11/2026"
    assert again.value("summary") == "Half a sentence"
    other_case = VisitLikeForm(session, "case-2")
    filled(other_case, qtbot)
    qtbot.addWidget(other_case)
    assert other_case.value("summary") is None, "a draft belongs to its case"
    with qtbot.waitSignal(again.saved) as emitted:
        assert saved(again, qtbot) is True
    assert emitted.args == ["row-1"]
    assert again.sent == [{"visited_on": "2026-11-03", "summary": "Half a sentence", "seen_alone": False}]
    assert DraftService(session).load("test_form", again.draft_context()) is None


def test_return_saves_from_a_line_but_starts_a_new_line_in_a_long_box(qtbot: Any, session: Any) -> None:
    form = VisitLikeForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    summary = form.widgets["summary"]
    summary.setFocus()
    qtbot.keyClicks(summary, "First line")
    qtbot.keyClick(summary, Qt.Key.Key_Return)
    assert form.sent == [] and form.isVisible()
    assert summary.toPlainText() == "First line\n"
    date = form.widgets["visited_on"]
    date.setFocus()
    qtbot.keyClicks(date, "02/11/2026")
    qtbot.keyClick(date, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())  # saved on a worker, then closed
    assert form.sent and form.sent[0]["visited_on"] == "2026-11-02"


def test_the_form_follows_the_interface_language(qtbot: Any, session: Any) -> None:
    form = VisitLikeForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    assert form.labels["summary"].text() == "Summary:"
    assert form.widgets["summary"].accessibleName() == "Summary"
    set_language("cy")
    assert form.windowTitle() != "Record a visit"
    assert form.labels["summary"].text() not in ("", "Summary:")
    assert form.buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Cadw"
    assert form.widgets["seen_alone"].text() not in ("", "Seen alone")


class HeldForm(VisitLikeForm):
    """Its service call waits until the test lets it go: a save caught half-way, on whatever thread runs it."""

    OBJECT_NAME = "held_form"

    def prepare(self) -> None:
        super().prepare()
        self.go = threading.Event()
        self.threads: list[threading.Thread] = []

    def submit(self, values: dict[str, Any]) -> Any:
        self.threads.append(threading.current_thread())
        assert self.go.wait(10), "the test never let the save go on"
        return super().submit(values)


def test_the_service_call_runs_on_a_worker_while_save_waits_disabled(qtbot: Any, session: Any) -> None:
    form = HeldForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.set_value("summary", "Seen at school.")
    save = form.buttons.button(QDialogButtonBox.StandardButton.Save)
    attempt = form.save()
    qtbot.waitUntil(lambda: bool(form.threads))  # the worker is inside the service call, held there
    assert form.threads == [t for t in form.threads if t is not threading.main_thread()]
    assert not attempt.done and form.saving and form.isVisible()
    assert not save.isEnabled() and save.text() == "Saving…", "Save says it is saving and cannot be pressed"
    assert not form.body.isEnabled(), "nothing can be typed that the save would not keep"
    assert not form.buttons.button(QDialogButtonBox.StandardButton.Cancel).isEnabled(), "no Cancel that cancels nothing"
    with pytest.raises(TypeError):
        bool(attempt)  # a question not yet answered is not a bool
    assert form.save() is attempt, "a second press while one runs does nothing"
    form.go.set()
    qtbot.waitUntil(lambda: attempt.done)
    assert attempt.ok and len(form.sent) == 1 and len(form.threads) == 1
    assert not form.isVisible() and form.result() == QDialog.DialogCode.Accepted
    assert save.text() == "Save" and save.isEnabled()


def test_a_form_closed_while_it_saves_still_saves_once_and_draws_nothing(qtbot: Any, session: Any) -> None:
    form = HeldForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.set_value("summary", "Spoke with the school nurse.")
    form.save_draft()  # an autosave just before: the save's discard must come after it
    attempt = form.save()
    qtbot.waitUntil(lambda: bool(form.threads))
    with qtbot.waitSignal(form.saved) as emitted:
        form.reject()  # Escape (or the window closed) while the worker saves
        assert not form.isVisible()
        form.go.set()
    qtbot.waitUntil(lambda: attempt.done)
    assert attempt.ok and emitted.args == ["row-1"]
    assert form.sent == [{"visited_on": None, "summary": "Spoke with the school nurse.", "seen_alone": False}]
    assert form.result() == QDialog.DialogCode.Rejected, "closed by the person, not accepted afterwards"
    written(form, qtbot)
    assert DraftService(session).load("held_form", form.draft_context()) is None, "saved: no draft offered again"


def test_a_refusal_after_the_form_was_closed_keeps_the_draft_and_draws_nothing(qtbot: Any, session: Any) -> None:
    form = HeldForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.set_value("visited_on", "01/01/2030")
    form.fails = ValidationError(N_("The date cannot be in the future."), field="visit_date")
    attempt = form.save()
    qtbot.waitUntil(lambda: bool(form.threads))
    form.reject()
    form.go.set()
    qtbot.waitUntil(lambda: attempt.done)
    assert not attempt.ok and form.sent == []
    assert form.error_text("visited_on") == "", "nothing drawn into the closed window"
    assert DraftService(session).load("held_form", form.draft_context())["visited_on"] == "01/01/2030"


class SlowDraftForm(VisitLikeForm):
    """Its draft write waits until the test lets it go (a slow disk)."""

    OBJECT_NAME = "slow_draft_form"

    def prepare(self) -> None:
        super().prepare()
        self.go = threading.Event()
        self.submitting = threading.Event()

    def write_draft(self, data: Any) -> None:
        assert self.go.wait(10)
        super().write_draft(data)

    def submit(self, values: dict[str, Any]) -> Any:
        self.submitting.set()
        return super().submit(values)


def test_a_draft_kept_before_a_save_never_lands_after_it(qtbot: Any, session: Any) -> None:
    """The writes of one form run in the order they were asked for, whatever the worker pool does."""
    form = SlowDraftForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.set_value("summary", "Half a sentence")
    form.save_draft()  # held on its worker
    attempt = form.save()
    qtbot.wait(500)  # not Event.wait(0.5): a wait that runs out never returns under libfaketime (make test-dates)
    assert not form.submitting.is_set(), "the save waits for the draft asked for before it"
    form.go.set()
    qtbot.waitUntil(lambda: attempt.done)
    written(form, qtbot)
    assert attempt.ok
    assert DraftService(session).load("slow_draft_form", form.draft_context()) is None


def test_tab_goes_from_the_last_field_to_save_not_to_the_scroll_area(qtbot: Any, session: Any) -> None:
    form = VisitLikeForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    form.widgets["seen_alone"].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.widgets["seen_alone"])
    seen: list[QWidget] = []
    for _press in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen[0] is form.buttons.button(QDialogButtonBox.StandardButton.Save), [w.objectName() for w in seen]
    assert form.scroller not in seen and form.scroller.viewport() not in seen


def test_return_pressed_again_while_it_saves_presses_nothing(qtbot: Any, session: Any) -> None:
    form = HeldForm(session, "case-1")
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    date = form.widgets["visited_on"]
    date.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is date)
    qtbot.keyClicks(date, "02/11/2026")
    qtbot.keyClick(date, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(form.threads))
    target = QApplication.focusWidget() or form
    qtbot.keyClick(target, Qt.Key.Key_Return)  # impatient: neither Save again nor Cancel
    qtbot.keyClick(target, Qt.Key.Key_Space)
    assert form.isVisible() and len(form.threads) == 1
    form.go.set()
    qtbot.waitUntil(lambda: not form.isVisible())
    assert len(form.sent) == 1 and form.result() == QDialog.DialogCode.Accepted
