"""The Letters area and the Correspondence tab, offscreen with pytest-qt on a demo profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import settle
from tests.gui.forms import filled, saved

pytestmark = pytest.mark.gui


def _page(qtbot, session):
    import ui.letters  # noqa: F401 - registers the area and the tab
    from ui.letters.area import LettersPage

    page = LettersPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=15_000)
    return page


def test_letters_area_is_registered_for_letter_managers_only(demo_session) -> None:
    import ui.letters  # noqa: F401
    from ui.areas import areas_for
    from ui.case_tabs import case_tabs_for

    tm = demo_session("team_manager")
    assert "letters" in [a.key for a in areas_for(tm)]
    area = next(a for a in areas_for(tm) if a.key == "letters")
    from desktop.services.letters import LetterService

    waiting = LetterService(tm).queue()  # re-checks: ready, or held as an invitation to a conference now past
    assert area.badge(tm) == sum(q.status == "queued" for q in waiting) > 0
    assert all(q.status == "queued" or q.releasable for q in waiting)
    assert "correspondence" in [t.key for t in case_tabs_for(tm)]
    sw = demo_session("social_worker")
    assert "letters" not in [a.key for a in areas_for(sw)]
    assert "correspondence" in [t.key for t in case_tabs_for(sw)]


def test_queue_lists_letters_and_preview_shows_a_page(qtbot, demo_session) -> None:
    from desktop.services.letters import LetterService

    tm = demo_session("team_manager")
    page = _page(qtbot, tm)
    # One row per letter waiting in the manager's scope (the demo queues dozens: invitations, plans, notices).
    waiting = {q.id for q in LetterService(tm).queue()}
    assert len(waiting) > 10
    assert page.model.rowCount() == len(waiting)
    texts = [page.model.index(r, c).data() for r in range(page.model.rowCount()) for c in range(5)]
    assert any("Outline plan" in t for t in texts) and any(t == "Welsh and English" for t in texts)
    assert page.table.accessibleName()
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.preview.page_count >= 1, timeout=15_000)
    assert page.preview._images[0].width() > 700  # noqa: SLF001 - a real rendered A4 page at 96 dpi
    assert page.preview._pages[0].pixmap().width() > 150  # noqa: SLF001 - shown, fitted to the view
    assert page.preview._pages[0].accessibleName().startswith("Page 1 of")  # noqa: SLF001


def test_batch_export_with_progress_completes(qtbot, demo_session, tmp_path: Path) -> None:
    session = demo_session("team_manager")
    page = _page(qtbot, session)
    before = page.model.rowCount()
    ids = page.ready_ids()[:6]
    seen: list[int] = []
    task = page.export_to(tmp_path / "out", ids)
    task.progress.connect(lambda done, _total, _text: seen.append(done))
    assert page.progress is not None and page.progress.maximum() == 6
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=30_000)
    assert page.last_result.printed == ids and not page.last_result.cancelled
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 6
    assert seen and seen[-1] == 6
    assert page.progress is None
    qtbot.waitUntil(lambda: page.model.rowCount() == before - 6, timeout=15_000)  # printed: off the queue
    assert "6 letters printed" in page.summary.text()


def test_batch_export_can_be_cancelled(qtbot, demo_session, tmp_path: Path) -> None:
    session = demo_session("team_manager")
    page = _page(qtbot, session)
    ids = page.ready_ids()
    task = page.export_to(tmp_path / "out", ids)
    task.progress.connect(lambda done, _total, _text: page.progress.canceled.emit() if done == 2 and page.progress else None)
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)
    result = page.last_result
    if result is not None:  # stopped between letters
        assert result.cancelled and 2 <= len(result.printed) < len(ids)
        done = len(result.printed)
    else:  # stopped before the work began
        done = 0
    printed = session.store.rows("SELECT count(*) AS n FROM letter WHERE status = 'printed'")[0]["n"]
    assert printed == done < len(ids)
    assert len(list((tmp_path / "out").glob("*.pdf"))) == done


def test_correspondence_tab_lists_history_with_preview(qtbot, demo_session) -> None:
    from desktop.services.letters import LetterService
    from ui.letters.tab import CorrespondenceTab

    session = demo_session("team_manager")
    service = LetterService(session)
    first = service.queue()[0]
    service.print_letters([first.id])
    tab = CorrespondenceTab(session, first.case_id)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=15_000)
    rows = {tab.model.letters[r].id: r for r in range(tab.model.rowCount())}
    row = rows[first.id]
    assert tab.model.index(row, 5).data() == session.user.name  # printed by
    assert tab.model.index(row, 4).data() == "Printed"
    tab.table.selectRow(row)
    qtbot.waitUntil(lambda: tab.preview.page_count >= 1, timeout=15_000)


def test_welsh_interface_relabels_the_area(qtbot, demo_session) -> None:
    from PySide6.QtCore import Qt

    from desktop.i18n import set_language

    page = _page(qtbot, demo_session("team_manager"))
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Case"
    set_language("cy")
    try:
        qtbot.waitUntil(lambda: page.model.headerData(0, Qt.Orientation.Horizontal) == "Achos", timeout=5_000)
        assert page.refresh_button.text() and page.refresh_button.accessibleName()
    finally:
        set_language("en")


def test_print_paints_the_pages_and_marks_the_letters_printed(qtbot, demo_session, tmp_path: Path) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    session = demo_session("team_manager")
    page = _page(qtbot, session)
    ids = page.ready_ids()[:2]
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    page.print_to(printer, ids)
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=30_000)
    assert page.last_result.printed == ids
    pages = len(PdfReader(tmp_path / "printed.pdf").pages)
    assert pages >= 2
    rows = session.store.rows("SELECT status, printed_by FROM letter WHERE id IN (?, ?)", ids)
    assert {r["status"] for r in rows} == {"printed"} and {r["printed_by"] for r in rows} == {session.user.id}


def test_share_widths_fits_narrow_columns_whole_and_shares_the_rest() -> None:
    from ui.table_fit import share_widths

    assert share_widths([100, 200, 50], 500) == [100, 200, 200]  # room to spare: the last takes it
    # Too wide: the narrow columns keep their width, the two wide ones share what is left equally.
    assert share_widths([120, 900, 100, 601], 801) == [120, 291, 100, 290]
    assert sum(share_widths([120, 900, 100, 600], 800)) == 800  # every pixel used, none over
    assert share_widths([500, 500], 10, least=40) == [40, 40]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_queue_columns_fit_a_laptop_screen_with_full_text_in_tooltips(qtbot, demo_session, lang: str) -> None:
    """At 1366×768 every column of the queue is on screen in both languages, none squeezed to a
    sliver while another keeps more than it needs, and a cut text is whole in its tooltip."""
    from PySide6.QtCore import Qt

    from desktop.i18n import set_language
    from ui.main_window import MainWindow

    set_language(lang)
    try:
        window = MainWindow(demo_session("admin_staff"), idle_ms=24 * 3_600_000)
        qtbot.addWidget(window)
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(1366, 768)
        window.show()
        page = window.show_area("letters")
        qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=15_000)
        table, header = page.table, page.table.horizontalHeader()
        qtbot.waitUntil(lambda: sum(header.sectionSize(c) for c in range(header.count()))
                        == table.viewport().width(), timeout=5_000)
        widths = [header.sectionSize(c) for c in range(header.count())]
        natural = [max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(header.count())]
        qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=5_000)  # Status in view
        cut = [c for c in range(len(widths)) if widths[c] < natural[c]]
        for c in cut:  # a cut column is never narrower than a column left whole
            assert all(widths[c] >= min(widths[o], natural[o]) - 1 for o in range(len(widths)) if o not in cut)
        recipient = page.model.columns.index("recipient")
        assert widths[recipient] >= min(natural[recipient], 120)  # not the ~50 px "Gwe… Tŵr …"
        index = page.model.index(0, recipient)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()  # the whole name, not elided
        assert page.model.letters[0].recipient_name in index.data(Qt.ItemDataRole.ToolTipRole)
    finally:
        set_language("en")


def test_a_held_invitation_is_released_or_cancelled_from_the_queue(qtbot, demo_session, monkeypatch) -> None:
    """The demo's invitations to conferences already held show "Held: …" with the date in words; "Print
    anyway" makes one ready to print; "Cancel letters…" (after a question) takes another off the queue."""
    from PySide6.QtWidgets import QMessageBox

    from ui.letters.model import status_text

    page = _page(qtbot, demo_session("team_manager"))
    held = [(row, q) for row, q in enumerate(page.model.letters) if q.releasable]
    assert len(held) >= 2
    (first_row, first), (_row, second) = held[0], held[1]
    assert status_text(first).startswith("Held: The event it is about was on ")
    assert not page.release_button.isEnabled()  # nothing chosen yet
    page.table.selectRow(first_row)
    assert page.release_button.isEnabled() and page.cancel_button.isEnabled()
    page.release_button.click()
    qtbot.waitUntil(lambda: {q.id: q.status for q in page.model.letters}.get(first.id) == "queued", timeout=15_000)
    assert first.id in page.ready_ids()

    row = next(r for r, q in enumerate(page.model.letters) if q.id == second.id)
    page.table.clearSelection()
    page.table.selectRow(row)
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    page.cancel_button.click()
    qtbot.waitUntil(lambda: second.id not in {q.id for q in page.model.letters}, timeout=15_000)
    assert asked == ["Cancel 1 letter? It will not be printed; the case keeps a record of it."]
    assert page.service.get(second.id).status == "cancelled"


def _report_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages).split())


def test_conference_report_from_the_child_protection_tab(qtbot, demo_session, tmp_path: Path, monkeypatch) -> None:
    """"Make the conference report…" (Tell people) lists the conferences held by kind and date, never by
    id, and saves the chosen one's report in the chosen language, a real PDF read back; the file opens."""
    from PySide6.QtGui import QDesktopServices

    from ui.child_protection.tab import ChildProtectionTab
    from ui.conference_report_form import ConferenceReportForm

    s = demo_session("team_manager")
    case = s.store.rows("SELECT c.id, c.reference, k.held_on FROM case_file c JOIN cp_conference k"
                        " ON k.case_id = c.id AND k.status = 'held' ORDER BY c.reference LIMIT 1")[0]
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    tab = ChildProtectionTab(s, case["id"])
    qtbot.addWidget(tab)
    settle(qtbot)  # the tab reads on a worker
    action = tab.bar.action("conference_report")
    assert action.isEnabled()
    action.trigger()
    form = tab.dialog
    filled(form)
    assert isinstance(form, ConferenceReportForm)
    choices = [form.widgets["conference_id"].itemText(i) for i in range(form.widgets["conference_id"].count())]
    assert choices and choices[0].startswith("Initial child protection conference, ")
    assert all(case["id"] not in c and "-" not in c.split(", ")[-1] for c in choices)  # no ids, no ISO dates
    out = tmp_path / "report.pdf"
    form.choose_path = lambda _suggested: str(out)
    form.set_value("language", "cy")
    assert saved(form, qtbot), form.general_error.text()
    text = _report_text(out)
    assert "Adroddiad y gynhadledd amddiffyn plant gychwynnol" in text
    assert "Initial child protection conference" not in text  # Welsh only, as chosen
    assert opened == [str(out)]


def test_conference_report_when_no_file_is_chosen_saves_nothing(qtbot, demo_session, tmp_path: Path) -> None:
    from ui.conference_report_form import ConferenceReportForm

    s = demo_session("team_manager")
    case = s.store.rows("SELECT case_id FROM cp_conference WHERE status = 'held' LIMIT 1")[0]["case_id"]
    form = ConferenceReportForm(s, case)
    filled(form, qtbot)
    qtbot.addWidget(form)
    form.choose_path = lambda _suggested: ""
    assert not saved(form, qtbot)
    assert "no file was chosen" in form.general_error.text()
    assert not list(tmp_path.glob("*.pdf"))


def test_conference_report_from_the_adult_tab(qtbot, tmp_path: Path, monkeypatch) -> None:
    """The adult protection conference, once held, has its report on the adult tab (English chosen)."""
    from PySide6.QtGui import QDesktopServices

    from desktop.services.adults import ConferenceService
    from desktop.services.demo import build_demo
    from desktop.services.session import Session
    from tests.conftest import demo_clock, fast_kdf
    from tests.letters.conftest import DEMO_PASSWORD
    from ui.adults.tab import AdultTab

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    folder = tmp_path / "senior"  # the demo's adult case is in a senior manager's scope
    build_demo(folder, DEMO_PASSWORD, role="senior_manager", kdf=fast_kdf(), clock=demo_clock()).store.close()
    s = Session.sign_in(folder, DEMO_PASSWORD, backup=False, clock=demo_clock())
    try:
        conf = s.store.rows("SELECT id, case_id FROM adult_conference WHERE status = 'convened' LIMIT 1")[0]
        tab = AdultTab(s, conf["case_id"])
        qtbot.addWidget(tab)
        settle(qtbot)  # the tab reads on a worker
        assert not tab.bar.action("conference_pdf").isEnabled()  # nothing held yet
        ConferenceService(s).hold(conf["id"], held_on=str(s.today()), outcome_summary="Risks reviewed.",
                                  decisions=["Continue the plan."], participation="attended")
        tab.refresh()
        settle(qtbot)
        assert tab.bar.action("conference_pdf").isEnabled()
        tab.bar.action("conference_pdf").trigger()
        form = tab.dialog
        filled(form)
        assert form.widgets["conference_id"].currentText().startswith("Adult protection conference, ")
        out = tmp_path / "adult.pdf"
        form.choose_path = lambda _suggested: str(out)
        form.set_value("language", "en")
        assert saved(form, qtbot), form.general_error.text()
        text = _report_text(out)
        assert "Continue the plan." in text and "Tudalen" not in text
        tab.close()
    finally:
        s.close()


def test_a_letter_needing_welsh_gets_it_from_the_queue(qtbot, demo_session) -> None:
    """An outcome of the demo's plan loses its Welsh: the outline plan letters quoting it are held as
    needing Welsh text; "Add the Welsh…" on one opens a form with the English read-only and a box for the
    Welsh; saving it releases the letter, and it prints the Welsh."""
    import io

    from pypdf import PdfReader

    from ui.letters.model import status_text

    s = demo_session("team_manager")
    outcome = s.store.rows("SELECT id FROM cp_plan_outcome WHERE description = 'Seren attends school every day'")[0]
    s.write(lambda tx: tx.update("cp_plan_outcome", outcome["id"], {"description_cy": None}))
    page = _page(qtbot, s)
    held = [(r, q) for r, q in enumerate(page.model.letters) if q.held_reason == "needs_welsh:outcomes"]
    assert held and all(q.language in ("cy", "bilingual") for _r, q in held)
    row, letter = held[0]
    assert status_text(letter) == "Held: Needs Welsh text, only in English so far: the plan's outcomes"
    assert page.welsh_button.isVisible() or not page.isVisible()
    assert not page.welsh_button.isEnabled()  # nothing chosen yet
    page.table.selectRow(row)
    assert page.welsh_button.isEnabled() and not page.release_button.isEnabled()  # only the Welsh releases it
    page.welsh_button.click()
    dialog = page.welsh_dialog
    filled(dialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    block = next(b for b in dialog.blocks if b.text.english == "Seren attends school every day")
    assert block.english.isReadOnly() and block.english.toPlainText() == "Seren attends school every day"
    assert saved(dialog, qtbot) is False  # nothing written yet: refused beside the form, nothing saved
    block.welsh.setPlainText("Mae Seren yn yr ysgol bob dydd")
    assert saved(dialog, qtbot)
    qtbot.waitUntil(lambda: {q.id: q.status for q in page.model.letters}.get(letter.id) == "queued", timeout=15_000)
    pdf = page.service.preview(letter.id)
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Mae Seren yn yr ysgol bob dydd" in text


def test_add_the_welsh_is_not_offered_to_admin_staff(qtbot, demo_session) -> None:
    page = _page(qtbot, demo_session("admin_staff"))
    assert page.welsh_button.isHidden()


def test_every_kind_of_text_has_its_title_on_the_add_the_welsh_form(qtbot, demo_session) -> None:
    """A plan action of the demo loses its Welsh: the letter quoting it is held, and the form names
    the text by what it is (in Welsh too), never as another kind; saving the Welsh releases it."""
    from desktop.i18n import set_language
    from desktop.services.welsh_text import LABELS
    from ui.letters.welsh_form import TITLES

    assert set(TITLES) == set(LABELS)
    s = demo_session("team_manager")
    action = s.store.rows("SELECT id FROM cp_plan_action WHERE description = 'Breakfast club place'")[0]
    s.write(lambda tx: tx.update("cp_plan_action", action["id"], {"description_cy": None}))
    page = _page(qtbot, s)
    held = [(r, q) for r, q in enumerate(page.model.letters) if q.held_reason == "needs_welsh:plan_actions"]
    assert held, [q.held_reason for q in page.model.letters]
    row, letter = held[0]
    page.table.selectRow(row)
    page.welsh_button.click()
    dialog = page.welsh_dialog
    filled(dialog)
    assert dialog is not None
    qtbot.addWidget(dialog)
    titles = {widget.text.english: label for label, _msgid, widget in dialog.sections}
    assert titles["Breakfast club place"].text() == "The plan's actions"
    set_language("cy")
    try:
        assert titles["Breakfast club place"].text() == "Camau gweithredu'r cynllun"
    finally:
        set_language("en")
    dialog.block(f"cp_plan_action:{action['id']}:description").welsh.setPlainText("Lle yn y clwb brecwast")
    assert saved(dialog, qtbot)
    qtbot.waitUntil(lambda: {q.id: q.status for q in page.model.letters}.get(letter.id) == "queued", timeout=15_000)
