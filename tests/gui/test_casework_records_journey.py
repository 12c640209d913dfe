"""Issue 19 end to end on real widgets (offscreen) over the real encrypted demo profile: a worker records
notes (from the case and from My work) and flags significant events, finds them by search in Welsh,
sees them in the chronology among the visits, conferences and register changes, and exports the
chronology as PDFs read back in Welsh and in English; the team manager records supervision whose action
appears in the worker's My work, and signs off the plan that was waiting in her own."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.i18n import set_language
from desktop.services.demo import DemoContext, build_demo
from tests.conftest import case_tab, demo_clock, fast_kdf, open_my_work, settle
from tests.gui.forms import filled, saved

PASSWORD = "demo-password-journey-19"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoContext]:
    ctx = build_demo(tmp_path / "demo", PASSWORD, role="social_worker", language="en", kdf=fast_kdf(),
                     clock=demo_clock())
    yield ctx
    from ui.tasks import forget_store
    from ui.windows import close_sensitive

    set_language("en")
    close_sensitive()
    forget_store(ctx.session("sw_rhian"))
    ctx.store.close()


def _case_window(qtbot: Any, session: Any, case_id: str) -> Any:
    from ui.case_view import CaseWindow
    from ui.plugins import load_plugins

    load_plugins()
    window = CaseWindow(session, case_id)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)  # opened, its tabs have read
    return window


def _save(qtbot: Any, form: Any) -> None:
    with qtbot.waitSignal(form.saved, timeout=5000):
        assert saved(form, qtbot), [e.text() for e in form.errors.values() if e.text()] or form.general_error.text()
    settle(qtbot)  # the tabs read again on workers


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_notes_search_chronology_supervision_and_sign_off(qtbot: Any, demo: DemoContext, tmp_path: Path) -> None:
    from ui.note_search import NoteSearchPage

    rhian, carys = demo.session("sw_rhian"), demo.session("tm_cp")
    case, fam = demo.cases["twr_cp"], demo.families["twr"]
    yesterday = (demo.today - timedelta(days=1)).strftime("%d/%m/%Y")

    # -- notes from the case: one significant, in Welsh; one everyday, in English ---------------------
    window = _case_window(qtbot, rhian, case)
    notes = case_tab(qtbot, window, "notes")
    form = notes.new_note()
    filled(form, qtbot)
    form.set_value("kind", "phone")
    form.set_value("occurred_on", yesterday)
    form.set_value("occurred_at", "08:50")
    form.set_value("language", "cy")
    form.set_value("body", "Ffoniodd y feithrinfa: roedd ei blentyn heb frecwast eto ac yn flinedig iawn.")
    form.set_value("significant", True)
    assert not saved(form, qtbot)  # a significant event needs its category: said beside it, nothing saved
    assert form.errors["category"].text() and not notes.search.text()
    form.set_value("category", "education")
    form.editors["people"].check(fam["osian"])
    form.editors["agencies"].check(demo.agencies["ysgol_y_dderwen"])
    _save(qtbot, form)
    welsh_note = notes.current_note()
    assert notes.rows()[0].text(2) == "School or nursery concern"
    assert "heb frecwast" in notes.detail.toPlainText()

    # -- quick entry from My work: the case of the selected item -------------------------------------
    page = open_my_work(qtbot, rhian)
    page.tasks.setCurrentItem(next(page.tasks.topLevelItem(i) for i in range(page.tasks.topLevelItemCount())
                                   if page.tasks.topLevelItem(i).data(0, page_case_role()) == case))
    quick = page.new_note()
    filled(quick, qtbot)
    assert not quick.rows.isRowVisible(quick.labels["case"])  # the case came from the selected task
    quick.set_value("kind", "office")
    quick.set_value("language", "en")
    quick.set_value("body", "Gwenllïan asked for the core group minutes in Welsh.")
    _save(qtbot, quick)

    # -- search every case in scope, in Welsh: the mutated form is found -----------------------------
    search = NoteSearchPage(rhian)
    qtbot.addWidget(search)
    search.box.setText("plentyn brecwast")  # radical forms typed; the note says "ei blentyn heb frecwast"
    search.search()
    [hit] = search.rows()
    assert "[blentyn]" in hit.text(5) and "[frecwast]" in hit.text(5)
    opened = search.open_hit(hit)
    # The note is shown once the case has been opened (on a worker) and its tabs made.
    qtbot.waitUntil(lambda: opened.tab("notes") is not None and opened.tabs.currentWidget() is opened.tab("notes"),
                    timeout=10_000)
    assert opened.tab("notes").current_note() == welsh_note
    opened.close()

    # -- the chronology: the significant note among the other events, Osian's ----------------------
    chronology = case_tab(qtbot, window, "chronology")
    chronology.refresh()
    qtbot.waitUntil(lambda: not chronology.loading, timeout=10_000)  # read on a worker
    # As a person has it: the window is on screen in Welsh before the chronology is made and fills its box.
    set_language("cy")
    try:
        seen = _case_window(qtbot, rhian, case)
        seen.show()
        qtbot.waitExposed(seen)
        seen.tabs.setCurrentWidget(case_tab(qtbot, seen, "chronology"))
        box = seen.tab("chronology").person
        qtbot.waitUntil(lambda: box.count() > 1, timeout=10_000)
        assert box.isVisible() and box.itemText(0) == "Pawb yn yr achos"
        # Filled after it showed, it must have grown to its words, not cut them off.
        assert box.width() >= box.fontMetrics().horizontalAdvance("Pawb yn yr achos") + 16, box.width()
        seen.close()
    finally:
        set_language("en")
    chronology.person.setCurrentIndex(chronology.person.findData(fam["osian"]))
    qtbot.waitUntil(lambda: not chronology.loading, timeout=10_000)
    whats = [r.text(1) for r in chronology.rows()]
    assert "School or nursery concern (Phone call)" in whats
    assert "Initial child protection conference held" in whats and "Visit at home" in whats
    assert not any("core group minutes" in r.text(4) for r in chronology.rows())  # not a significant event
    from datetime import datetime as _dt

    dates = [_dt.strptime(" ".join(r.text(0).split()[:3]).replace("Sept", "Sep"), "%d %b %Y")
             for r in chronology.rows()]
    assert dates == sorted(dates)
    chronology.set_types(["note", "visit"])
    qtbot.waitUntil(lambda: not chronology.loading, timeout=10_000)
    kept = [r.text(1) for r in chronology.rows()]
    assert kept and all(t.startswith(("School", "Injury", "Police", "Visit")) for t in kept)

    # -- export: Welsh, then English, read back ------------------------------------------------------
    for lang, marking, title in (("cy", "SWYDDOGOL-SENSITIF", "Cronoleg"), ("en", "OFFICIAL-SENSITIVE", "Chronology")):
        export = chronology.open_export()
        filled(export, qtbot)
        path = tmp_path / f"chronology-{lang}.pdf"
        export.set_value("language", lang)
        export.set_value("path", str(tmp_path / "no-such-folder" / "x.pdf"))
        assert not saved(export, qtbot) and export.errors["path"].text()
        export.set_value("path", str(path))
        _save(qtbot, export)
        qtbot.waitUntil(lambda path=path: path.exists() and chronology.export_button.isEnabled(), timeout=20_000)
        text = _pdf_text(path)
        assert marking in text and title in text and "Osian ap Llŷr" in text
        assert "Ffoniodd y feithrinfa" in text  # what was written, as written
    assert "Pryder ysgol neu feithrinfa" in _pdf_text(tmp_path / "chronology-cy.pdf")
    assert "School or nursery concern" in _pdf_text(tmp_path / "chronology-en.pdf")

    # -- the screens speak Welsh ---------------------------------------------------------------------
    set_language("cy")
    assert window.tabs.tabText(window.tabs.indexOf(chronology)) == "Cronoleg"
    assert chronology.export_button.text() == "Allforio PDF…"
    assert "Pryder ysgol neu feithrinfa (Galwad ffôn)" in [r.text(1) for r in chronology.rows()]
    set_language("en")

    # -- the team manager supervises; the action joins Rhian's My work ------------------------------
    manager_window = _case_window(qtbot, carys, case)
    oversight = case_tab(qtbot, manager_window, "oversight")
    supervision = oversight.record_supervision()
    filled(supervision, qtbot)
    supervision.set_value("discussion", "The nursery's call; breakfast club; the plan's support.")
    supervision.set_value("decisions", "Refer to the breakfast club.")
    due = (demo.today + timedelta(days=1)).isoformat()
    supervision.actions.set_row(0, "Refer Osian to the breakfast club", demo.staff["sw_rhian"], due)
    _save(qtbot, supervision)
    assert oversight.last.text().startswith("Last supervised on 23 Nov 2026 by Carys Lloyd")
    # The case header says so too (it said 2 November, the demo's last supervision, before).
    qtbot.waitUntil(lambda: ("Last supervised:", "23 Nov 2026 by Carys Lloyd") in
                    [(k.text(), v.text()) for k, v in manager_window._rows], timeout=5000)
    page.refresh()
    qtbot.waitUntil(lambda: any("breakfast club" in page.tasks.topLevelItem(i).text(0)
                                for i in range(page.tasks.topLevelItemCount())), timeout=10_000)
    row = next(page.tasks.topLevelItem(i) for i in range(page.tasks.topLevelItemCount())
               if "breakfast club" in page.tasks.topLevelItem(i).text(0))
    assert row.text(3) in ("Due this week", "Due today") and not row.icon(3).isNull()  # its urgency, in words and shape

    # -- the plan waiting in Carys's My work is signed off from there ---------------------------------
    mine = open_my_work(qtbot, carys)
    waiting = next(mine.tasks.topLevelItem(i) for i in range(mine.tasks.topLevelItemCount())
                   if mine.tasks.topLevelItem(i).text(0).startswith("Sign off: Care and support protection plan"))
    mine._activated(waiting)  # Enter or double-click: the case opens at the form, the plan chosen
    from ui.case_view import open_case_window

    opened = open_case_window(carys, case)
    qtbot.waitUntil(lambda: not opened.loading, timeout=10_000)  # opened, its tabs have read
    form = opened.tab("oversight").forms[-1]
    filled(form, qtbot)
    assert type(form).__name__ == "SignOffForm" and form.value("record") == waiting.data(0, page_person_role())
    form.set_value("decision", "signed_off")
    form.set_value("comments", "A clear plan; breakfast club added.")
    _save(qtbot, form)
    oversight.refresh()
    assert [r.text(3) for r in oversight.rows()] == ["Signed off"]
    mine.refresh()
    qtbot.waitUntil(lambda: not any(mine.tasks.topLevelItem(i).text(0).startswith("Sign off:")
                                    for i in range(mine.tasks.topLevelItemCount())), timeout=10_000)


def page_case_role() -> int:
    from ui.my_work import CASE_ROLE

    return int(CASE_ROLE)


def page_person_role() -> int:
    from ui.my_work import PERSON_ROLE

    return int(PERSON_ROLE)


def test_the_supervision_tab_says_a_signed_off_plan_changed_since(qtbot: Any, demo: DemoContext) -> None:
    """A Child in Need plan signed off and then given a new action shows, on the case's Supervision tab, that it
    changed since it was signed off, in either language, and is offered on the sign-off form again."""
    from desktop.services.children import ChildInNeedService
    from desktop.services.oversight import SignOffService

    gareth, helen = demo.session("sw_cin"), demo.session("tm_cin")
    case = demo.cases["pritchard_cin"]
    [item] = [i for i in SignOffService(helen).for_case(case) if i.kind == "cin_plan"]
    SignOffService(gareth).resubmit(item.ref, "Added the school's attendance plan.")
    SignOffService(helen).sign_off(item.ref)
    ChildInNeedService(gareth).add_action(item.record_id, description="School nurse to see Elis weekly",
                                          owner_kind="agency", owner_name="School nursing")
    window = _case_window(qtbot, helen, case)
    oversight = case_tab(qtbot, window, "oversight")
    [row] = [r for r in oversight.rows() if r.text(0) == "Child in Need plan"]
    assert row.text(3) == "Changed since it was signed off"
    form = oversight.sign_off(item.ref)
    assert form is not None
    filled(form, qtbot)
    assert form.value("record") == item.ref  # offered for sign-off again
    set_language("cy")
    oversight.refresh()
    qtbot.waitUntil(lambda: any(r.text(3) == "Newidiwyd ers ei gymeradwyo" for r in oversight.rows()), timeout=5000)
    set_language("en")
