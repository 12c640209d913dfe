"""Render every main screen and every form in both languages at 1366×768 into PNG files
(``make screenshots``), and a few key screens again in high contrast and with the text at 200 %.

    python -m ui.screenshots [--out docs/screens] [--only SUBSTRING] [--today YYYY-MM-DD] [--no-forms]

Builds the demo once per role (in a temporary folder, on a fixed day so the pictures do not change from
one run to the next), opens the real windows offscreen, waits for their background work to finish and
grabs them. The forms are every form the actions of every case tab of the demo open (the walk of
``tests/gui/test_nothing_raw.py``, through :func:`form_openers`), each kind once. Reports (PDF) are
rendered page by page with pypdfium2. Names are ``<screen>-<lang>.png`` (``form-<form>-<lang>.png``,
``high-contrast-<screen>-<lang>.png``, ``large-text-<screen>-<lang>.png``); ``docs/screens/README.md``
lists them.

This is a developer's tool, not part of the application: it runs on the GUI thread and uses the same
services and widgets a person would.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, qInstallMessageHandler  # noqa: E402
from PySide6.QtGui import QFont, QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.i18n import set_language  # noqa: E402
from desktop.services.demo import build_demo  # noqa: E402
from desktop.services.session import Session  # noqa: E402
from desktop.store.crypto import KdfParams  # noqa: E402

SIZE = QSize(1366, 768)
LANGS = ("cy", "en")
PASSWORD = "screenshots-password"
ROLES = ("social_worker", "team_manager", "senior_manager", "register_custodian", "admin_staff")


@dataclass
class Shot:
    """One screen: ``make(session)`` returns the widget to grab (already shown and sized)."""

    name: str
    role: str
    make: Callable[[Session], QWidget]


def settle(condition: Callable[[], bool] = lambda: True, timeout: float = 20.0) -> None:
    """Run the event loop until the background tasks are done and ``condition`` holds."""
    from ui.tasks import runner

    deadline = time.monotonic() + timeout
    while True:
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if runner().running() == 0 and condition():
            QCoreApplication.processEvents()
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not finish loading")
        time.sleep(0.01)


def at_laptop_size(window: QWidget) -> None:
    """As a window fills a 1366×768 laptop screen (the offscreen screen has another size)."""
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(SIZE)


def grab(widget: QWidget, path: Path) -> None:
    settle()
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))


def main_window(session: Session, area: str) -> QWidget:
    from ui.main_window import MainWindow

    window = MainWindow(session, idle_ms=24 * 3_600_000)
    at_laptop_size(window)
    window.show()
    page = window.show_area(area)
    settle(lambda: bool(getattr(page, "loaded", True)))
    return window


def case_window(session: Session, case_key: str, tab: str | None = None) -> QWidget:
    from ui.case_view import open_case_window

    case_id = _CASES[session.user.role][case_key]
    window = open_case_window(session, case_id, None)
    at_laptop_size(window)
    window.show()
    settle(lambda: window.opened)  # the case is opened on a worker; its tabs are made then
    if tab is not None:
        window.tabs.setCurrentWidget(window.tab(tab))
    settle()
    return window


def committee_pages(session: Session, lang: str, out: Path) -> list[Path]:
    """The committee report for the quarter before the demo's day, every page."""
    import pypdfium2 as pdfium

    from desktop.services.committee import CommitteeService

    today = session.today()
    start = date(today.year - (today.month <= 3), ((today.month - 1) // 3 * 3 - 3) % 12 + 1, 1)
    pdf = CommitteeService(session).render(start, today, lang)
    doc = pdfium.PdfDocument(pdf)
    paths = []
    for i in range(len(doc)):
        image = doc[i].render(scale=1.4).to_pil()
        path = out / f"committee-report-page{i + 1}-{lang}.png"
        image.save(path)
        paths.append(path)
    return paths


def family_pages(session: Session, lang: str, out: Path) -> list[Path]:
    """The Tŵr family's printed network (its genogram and who is who), every page."""
    import pypdfium2 as pdfium

    from desktop.services.family import FamilyService

    doc = pdfium.PdfDocument(FamilyService(session).render(_CASES[session.user.role]["twr_cp"], lang))
    paths = []
    for i in range(len(doc)):
        path = out / f"family-report-page{i + 1}-{lang}.png"
        doc[i].render(scale=1.4).to_pil().save(path)
        paths.append(path)
    return paths


_CASES: dict[str, dict[str, str]] = {}  # role -> the demo's case keys -> ids (each profile has its own)


def note_search(session: Session, words: str) -> QWidget:
    """The Search notes area with ``words`` searched for."""
    window = main_window(session, "notes")
    page = window.page("notes")  # type: ignore[attr-defined]
    page.box.setText(words)
    page.search()
    settle()
    return window


def supervision_form(session: Session, case_key: str) -> QWidget:
    """The supervision form over the case's Supervision and sign-off tab, an action typed in."""
    window = case_window(session, case_key, "oversight")
    form = window.tab("oversight").record_supervision()  # type: ignore[union-attr]
    settle(lambda: not form.loading)  # its lists are read on a worker, then its fields are made
    form.set_value("discussion", "Cynnydd y cynllun; presenoldeb yn yr ysgol. / The plan's progress; attendance.")
    form.actions.set_row(0, "Gofyn i'r ysgol am ffigurau presenoldeb / Ask the school for attendance figures",
                         session.user.id, session.today().isoformat())
    form.move(window.x() + 300, window.y() + 40)
    settle()
    return form


def form_openers(page: QWidget) -> list[tuple[str, Callable[[], Any]]]:
    """What opens a form on a case tab: every enabled action of its action bars, and the buttons
    outside a bar whose label ends with "…" ("Edit…", "Record a complaint…")."""
    from PySide6.QtWidgets import QPushButton

    from ui.action_bar import ActionBar

    openers: list[tuple[str, Callable[[], Any]]] = [
        (name, action.trigger) for bar in page.findChildren(ActionBar)
        for name, action in bar.actions_by_name.items() if action.isEnabled()]
    openers += [(b.objectName() or b.text(), b.click) for b in page.findChildren(QPushButton)
                if b.text().endswith("…") and b.isVisibleTo(page) and b.isEnabled()
                and not isinstance(b.parent(), ActionBar)]
    return openers


def case_forms(session: Session, case_key: str) -> Iterator[tuple[str, QWidget]]:
    """Every form the case's tabs open (hidden tabs started first), one at a time: (action, form).
    Each form is closed when the caller asks for the next."""
    from ui.case_view import CaseWindow

    window = CaseWindow(session, _CASES[session.user.role][case_key])
    at_laptop_size(window)
    window.show()
    settle(lambda: window.opened)  # the tabs (and the work that could be started) exist once it is open
    for key in [t.key for t in window._startable]:  # noqa: SLF001 - every tab the case could have
        window.start_work(key)
    settle()
    try:
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            settle()
            page = window.tabs.widget(i)
            if page is None:
                continue
            for name, open_form in form_openers(page):
                before = set(QApplication.topLevelWidgets())
                open_form()
                settle()
                for form in [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()]:
                    yield name, form
                    form.close()
                settle()
    finally:
        window.close()


def form_shots(session: Session, lang: str, out: Path, only: str | None) -> list[Path]:
    """Each kind of form (by its object name) once, from the first demo case that opens it."""
    written: list[Path] = []
    seen: set[str] = set()
    for case_key in _CASES[session.user.role]:
        for _name, form in case_forms(session, case_key):
            kind = form.objectName() or type(form).__name__
            if kind in seen or (only and only not in f"form-{kind}"):
                continue
            seen.add(kind)
            path = out / f"form-{kind}-{lang}.png"
            grab(form, path)
            written.append(path)
    return written


_FAMILIES: dict[str, dict[str, dict[str, str]]] = {}  # role -> the demo's families -> people -> ids


def flag_demo(session: Session) -> None:
    """Issue 20's safety flag on the team manager's demo: Dafydd poses a risk to Seren (the police's
    report), so the Tŵr case shows it and the letters to him wait for a manager."""
    from desktop.services.safety_flags import SafetyFlagService

    twr = _FAMILIES[session.user.role]["twr"]
    SafetyFlagService(session).set_flag(
        twr["dafydd"], "risk_to", "Honiad gan yr heddlu o niwed i Seren / The police report alleged harm to Seren",
        related_person_id=twr["seren"])


def held_letter(session: Session) -> QWidget:
    """The Letters area with a letter held for a child's safety selected: why it is held, beside it."""
    window = main_window(session, "letters")
    page = window.page("letters")  # type: ignore[attr-defined]
    settle(lambda: any(q.status == "held" for q in page.model.letters))
    row = next(i for i, q in enumerate(page.model.letters) if q.status == "held" and q.held_reason == "risk_to_subject")
    page.table.selectRow(row)
    settle()
    return window


def release_form(session: Session) -> QWidget:
    """The manager's form releasing that letter, a reason typed in."""
    window = held_letter(session)
    form = window.page("letters").release_guarded()  # type: ignore[attr-defined]
    settle(lambda: not form.loading)  # its fields are made once what it shows has been read
    form.set_value("reason", "Gorchymyn llys: rhaid rhoi gwybod iddo / A court order says he must be told")
    form.move(window.x() + 380, window.y() + 160)
    settle()
    return form


SHOTS: list[Shot] = [
    Shot("my-work-social-worker", "social_worker", lambda s: main_window(s, "my_work")),
    Shot("my-work-team-manager", "team_manager", lambda s: main_window(s, "my_work")),
    Shot("my-work-senior-manager", "senior_manager", lambda s: main_window(s, "my_work")),
    Shot("my-work-register-custodian", "register_custodian", lambda s: main_window(s, "my_work")),
    Shot("my-work-admin-staff", "admin_staff", lambda s: main_window(s, "my_work")),
    Shot("caseload-team-manager", "team_manager", lambda s: main_window(s, "caseload")),
    Shot("register-custodian", "register_custodian", lambda s: main_window(s, "register")),
    Shot("letters-admin-staff", "admin_staff", lambda s: main_window(s, "letters")),
    Shot("case-what-is-due", "social_worker", lambda s: case_window(s, "twr_cp", "due")),
    Shot("case-child-protection", "social_worker", lambda s: case_window(s, "twr_cp", "child_protection")),
    Shot("case-people", "social_worker", lambda s: case_window(s, "twr_cp", "people")),
    Shot("case-adult-safeguarding", "senior_manager", lambda s: case_window(s, "parry_adult", "adults")),
    Shot("case-looked-after", "senior_manager", lambda s: case_window(s, "tyler_lac", "looked_after")),
    Shot("case-notes", "social_worker", lambda s: case_window(s, "twr_cp", "notes")),
    Shot("case-chronology", "social_worker", lambda s: case_window(s, "twr_cp", "chronology")),
    Shot("case-supervision", "team_manager", lambda s: case_window(s, "twr_cp", "oversight")),
    Shot("supervision-form", "team_manager", lambda s: supervision_form(s, "twr_cp")),
    Shot("search-notes", "social_worker", lambda s: note_search(s, "plentyn")),
    Shot("case-safety-flags", "team_manager", lambda s: case_window(s, "twr_cp", "people")),
    Shot("case-family", "team_manager", lambda s: case_window(s, "twr_cp", "family")),
    Shot("letters-held-team-manager", "team_manager", held_letter),
    Shot("release-letter-form", "team_manager", release_form),
]


KEY_SHOTS = ("my-work-team-manager", "case-child-protection", "letters-admin-staff", "supervision-form")
"""The screens rendered again in high contrast and with the text at 200 %."""


@contextmanager
def high_contrast_on() -> Iterator[None]:
    """As with "Always use high contrast" ticked in Settings."""
    from ui.contrast import hub

    hub().set_forced(True)
    try:
        yield
    finally:
        hub().set_forced(False)


@contextmanager
def large_text() -> Iterator[None]:
    """The application's font at twice its size (as a person who sets 200 % text has it)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    bigger = QFont(font)
    bigger.setPointSizeF(font.pointSizeF() * 2)
    app.setFont(bigger)
    try:
        yield
    finally:
        app.setFont(font)


VARIANTS: list[tuple[str, Callable[[], Any]]] = [("high-contrast", high_contrast_on), ("large-text", large_text)]


@contextmanager
def demo_sessions(folder: Path, today: date) -> Iterator[dict[str, Session]]:
    """A demo profile per role, all built on ``today`` (noon UTC), signed in."""
    moment = datetime.combine(today, dtime(12, 0), tzinfo=UTC)
    kdf = KdfParams.fresh(time_cost=1, memory_cost=8192, parallelism=1)
    sessions: dict[str, Session] = {}
    try:
        for role in ROLES:
            ctx = build_demo(folder / role, PASSWORD, role=role, kdf=kdf, clock=lambda: moment)
            _CASES[role] = dict(ctx.cases)
            _FAMILIES[role] = {k: dict(v) for k, v in ctx.families.items()}
            ctx.store.close()
            sessions[role] = Session.sign_in(folder / role, PASSWORD, backup=False, clock=lambda: moment)
        yield sessions
    finally:
        for s in sessions.values():
            s.store.close()


def _quiet(kind: Any, _context: Any, message: str) -> None:
    if "does not support" not in message:  # the offscreen platform talking about itself
        print(message, file=sys.stderr)


def _close_all() -> None:
    for w in QApplication.topLevelWidgets():
        w.close()
        w.deleteLater()
    settle()


def _shoot(shot: Shot, session: Session, path: Path) -> Path:
    grab(shot.make(session), path)
    _close_all()
    return path


def _laptop_screen(folder: Path) -> None:
    """Make the offscreen platform's screen a 1366×768 laptop (it is 800×600 otherwise, and forms size
    themselves to the screen they are on)."""
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen" or QApplication.instance() is not None:
        return
    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": SIZE.width(),
                                               "height": SIZE.height(), "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def run(out: Path, only: str | None, today: date, forms: bool = True) -> list[Path]:
    qInstallMessageHandler(_quiet)
    screen_folder = tempfile.TemporaryDirectory()
    _laptop_screen(Path(screen_folder.name))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from ui import interpreter

    interpreter.collect_on_this_thread()  # as the app: no worker frees a cycle holding a Qt object
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, demo_sessions(Path(tmp), today) as sessions:
        flag_demo(sessions["team_manager"])
        for lang in LANGS:
            set_language(lang)
            for shot in SHOTS:
                if not only or only in shot.name:
                    written.append(_shoot(shot, sessions[shot.role], out / f"{shot.name}-{lang}.png"))
            for prefix, variant in VARIANTS:
                with variant():
                    for shot in SHOTS:
                        name = f"{prefix}-{shot.name}"
                        if shot.name in KEY_SHOTS and (not only or only in name):
                            written.append(_shoot(shot, sessions[shot.role], out / f"{name}-{lang}.png"))
            if forms:
                written += form_shots(sessions["senior_manager"], lang, out, only)
                _close_all()
            if not only or only in "committee-report":
                written += committee_pages(sessions["senior_manager"], lang, out)
            if not only or only in "family-report":
                written += family_pages(sessions["team_manager"], lang, out)
    del app
    screen_folder.cleanup()
    if not only:
        _index(out, written, today)
    return written


def _index(out: Path, written: list[Path], today: date) -> None:
    """``README.md`` beside the pictures: what each one shows, both languages side by side, in four
    sections (the screens, the forms, high contrast, text at 200 %)."""
    order = [s.name for s in SHOTS]
    names = sorted({p.name.rsplit("-", 1)[0] for p in written},
                   key=lambda n: (order.index(n) if n in order else len(order), n))
    sections = [
        ("Screens", [n for n in names if not n.startswith(("form-", "high-contrast-", "large-text-"))]),
        ("Forms (every form the case tabs' actions open, each once)", [n for n in names if n.startswith("form-")]),
        ("High contrast (Settings → Always use high contrast, or the system's preference)",
         [n for n in names if n.startswith("high-contrast-")]),
        ("Text at 200 %", [n for n in names if n.startswith("large-text-")]),
    ]
    lines = ["# Screens", "",
             f"Made by `make screenshots` (`python -m ui.screenshots`) from the demo built on {today.isoformat()},"
             " at 1366×768 (a form at its own size, which fits that screen), in Cymraeg and English."
             " Do not edit: run it again."]
    for title, members in sections:
        if not members:
            continue
        lines += ["", f"## {title}", "", "| Screen | Cymraeg | English |", "|---|---|---|"]
        lines += [f"| {name} | ![]({name}-cy.png) | ![]({name}-en.png) |" for name in members]
    if (out / "council-report.md").is_file():  # made on a server by python -m bench.council_screens
        lines += ["", "The council's committee report, made by the server over every case: "
                  "[council-report.md](council-report.md)."]
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _image_size(path: Path) -> tuple[int, int]:
    image = QImage(str(path))
    return image.width(), image.height()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screens"))
    parser.add_argument("--only", help="only the screens whose name contains this")
    parser.add_argument("--no-forms", action="store_true", help="leave out the forms (faster)")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23),
                        help="the day the demo is built on (default 2026-11-23)")
    args = parser.parse_args(argv)
    for path in run(args.out, args.only, args.today, forms=not args.no_forms):
        width, height = _image_size(path)
        print(f"{path} {width}x{height}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
