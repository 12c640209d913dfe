"""A manager makes the committee report from the app for a chosen period and language; a bad period is
refused beside its field and writes nothing; the PDF is made off the GUI thread and read back."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from tests.conftest import demo_clock, fast_kdf


def test_a_manager_saves_the_committee_report_in_welsh(qtbot, tmp_path: Path) -> None:
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
        out = tmp_path / "committee.pdf"
        dialog.period_start.setText("01/12/2026")
        dialog.period_end.setText("01/09/2026")
        assert dialog.save_to(out) is None
        assert dialog.errors["period_end"].text() == "The end of the period is before its start."
        assert not out.exists()
        dialog.period_start.setText("01/09/2026")
        dialog.period_end.setText("23/11/2026")
        dialog.language.setCurrentIndex(dialog.language.findData("cy"))
        with qtbot.waitSignal(dialog.written, timeout=20_000) as written:
            dialog.save_to(out)
        assert written.args == [str(out)]
        with pdfplumber.open(out) as pdf:
            text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
        assert "Adroddiad perfformiad diogelu i'r pwyllgor" in text and "1 Medi 2026" in text
        assert "Carys Lloyd" not in text and "Tom Bevan" not in text  # no worker is named
    finally:
        forget_store(session)
        ctx.store.close()


def test_a_social_worker_is_not_offered_it(qtbot, gui_session) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(gui_session, idle_ms=3_600_000)
    qtbot.addWidget(window)
    assert not window.committee_action.isVisible()
