"""Render every main screen in both languages at 1366×768 into PNG files (``make screenshots``).

    python -m ui.screenshots [--out docs/screens] [--only SUBSTRING] [--today YYYY-MM-DD]

Builds the demo once per role (in a temporary folder, on a fixed day so the pictures do not change from
one run to the next), opens the real windows offscreen, waits for their background work to finish and
grabs them. Reports (PDF) are rendered page by page with pypdfium2. Names are
``<screen>-<lang>.png``; ``docs/screens/README.md`` lists them.

This is a developer's tool, not part of the application: it runs on the GUI thread and uses the same
services and widgets a person would.
"""

from __future__ import annotations

import argparse
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
from PySide6.QtGui import QImage  # noqa: E402
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
    form.set_value("discussion", "Cynnydd y cynllun; presenoldeb yn yr ysgol. / The plan's progress; attendance.")
    form.actions.set_row(0, "Gofyn i'r ysgol am ffigurau presenoldeb / Ask the school for attendance figures",
                         session.user.id, session.today().isoformat())
    form.move(window.x() + 300, window.y() + 40)
    settle()
    return form


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
    form = window.page("letters").release_selected()  # type: ignore[attr-defined]
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


def run(out: Path, only: str | None, today: date) -> list[Path]:
    qInstallMessageHandler(_quiet)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, demo_sessions(Path(tmp), today) as sessions:
        flag_demo(sessions["team_manager"])
        for lang in LANGS:
            set_language(lang)
            for shot in SHOTS:
                if only and only not in shot.name:
                    continue
                widget = shot.make(sessions[shot.role])
                path = out / f"{shot.name}-{lang}.png"
                grab(widget, path)
                written.append(path)
                for w in QApplication.topLevelWidgets():
                    w.close()
                    w.deleteLater()
                settle()
            if not only or only in "committee-report":
                written += committee_pages(sessions["senior_manager"], lang, out)
    del app
    if not only:
        _index(out, written, today)
    return written


def _index(out: Path, written: list[Path], today: date) -> None:
    """``README.md`` beside the pictures: what each one shows, both languages side by side."""
    names = sorted({p.name.rsplit("-", 1)[0] for p in written}, key=lambda n: [s.name for s in SHOTS].index(n)
                   if n in [s.name for s in SHOTS] else 100)
    lines = ["# Screens", "",
             f"Made by `make screenshots` (`python -m ui.screenshots`) from the demo built on {today.isoformat()},"
             " at 1366×768, in Cymraeg and English. Do not edit: run it again.", "",
             "| Screen | Cymraeg | English |", "|---|---|---|"]
    for name in names:
        lines.append(f"| {name} | ![]({name}-cy.png) | ![]({name}-en.png) |")
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
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23),
                        help="the day the demo is built on (default 2026-11-23)")
    args = parser.parse_args(argv)
    for path in run(args.out, args.only, args.today):
        width, height = _image_size(path)
        print(f"{path} {width}x{height}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
