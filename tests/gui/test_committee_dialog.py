"""A manager makes the committee report from the app for a chosen period and language; a bad period is
refused beside its field and writes nothing; the PDF is made off the GUI thread and read back."""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber

from tests.conftest import demo_clock, fast_kdf
from tests.gui.forms import filled


def test_a_manager_saves_the_committee_report_in_welsh(qtbot, tmp_path: Path, caplog) -> None:
    from desktop.services.demo import build_demo
    from ui.main_window import MainWindow
    from ui.tasks import forget_store

    ctx = build_demo(tmp_path / "demo", "demo-password-1", role="team_manager", kdf=fast_kdf(), clock=demo_clock())
    session = ctx.session("tm_cp")
    try:
        window = MainWindow(session, idle_ms=3_600_000)
        qtbot.addWidget(window)
        assert window.committee_action.isVisible()
        dialog = window.committee_report()
        filled(dialog, qtbot)
        out = tmp_path / "committee.pdf"
        assert (dialog.value("period_start"), dialog.value("period_end")) == ("2026-08-23", "2026-11-23")
        assert dialog.value("language") == "en", "the interface language to begin with"
        dialog.set_value("period_start", "01/12/2026")
        dialog.set_value("period_end", "01/09/2026")
        assert dialog.save_to(out) is None
        assert dialog.error_text("period_end") == "The end of the period is before its start."
        assert not out.exists()
        dialog.set_value("period_start", "31/02/2026")
        assert dialog.save_to(out) is None
        assert dialog.error_text("period_start") == "Enter the date as day, month and year."
        dialog.set_value("period_start", "01/09/2026")
        dialog.set_value("period_end", "23/11/2026")
        dialog.set_value("language", "cy")
        with qtbot.waitSignal(dialog.written, timeout=20_000) as written:
            dialog.save_to(out)
        assert written.args == [str(out)]
        with pdfplumber.open(out) as pdf:
            text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
        assert "Adroddiad perfformiad diogelu i'r pwyllgor" in text and "1 Medi 2026" in text
        assert "Carys Lloyd" not in text and "Tom Bevan" not in text  # no worker is named
        # A file that cannot be written is a fault, said as one (and logged), never a refusal.
        nowhere = tmp_path / "no-such-folder" / "committee.pdf"
        with caplog.at_level(logging.ERROR, logger="ui.forms.form"):
            task = dialog.save_to(nowhere)
            qtbot.waitUntil(lambda: not dialog.fault.isHidden(), timeout=20_000)
        assert task is not None and "nothing was saved" in dialog.fault.text()
        assert dialog.general_error.text() == "" and any(r.exc_info for r in caplog.records)
        assert dialog.buttons.isEnabled() and not nowhere.parent.exists()
    finally:
        forget_store(session)
        ctx.store.close()


def test_a_social_worker_is_not_offered_it(qtbot, gui_session) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    assert not window.committee_action.isVisible()
