"""Modules that register areas and case tabs (imported once by the main window).

Add your module here; a module that does not exist yet is skipped, so engineers can land their
parts in any order. A module that fails to import is logged and skipped: one broken tab must
not stop a practitioner from reaching the rest (its own tests catch the failure).

Importing them all takes most of a second, so sign-in starts :func:`warm_up` on a worker while the
person types the password: by the time the main window asks, :func:`load_plugins` has nothing left to do
(it waits for a warm-up in progress rather than importing twice). The main window itself needs only the
areas (:func:`load_areas`); the case tabs are imported when a case first opens (:func:`load_plugins`) or,
when nothing warmed them up before the window was shown, by :func:`begin_warm_up` after it is.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date

log = logging.getLogger(__name__)

AREA_MODULES: tuple[str, ...] = (
    "ui.caseload",
    "ui.my_work",
    "ui.letters",
    "ui.note_search",  # search every case note in scope (issue 19)
    "ui.register",
    "ui.sync.area",
)
CASE_TAB_MODULES: tuple[str, ...] = (
    "ui.next_due",  # the default "next thing due" provider; a later module may replace it
    "ui.due_tab",
    "ui.people_tab",
    "ui.safety",  # safety flags in the case header (issue 20)
    "ui.family",  # the family network: genogram, linked cases, relationships (issue 20)
    "ui.child_protection",
    "ui.children",
    "ui.adults",
    "ui.rule_records",  # complaints and recorded exceptions to timescales (issue 18)
    "ui.notes",  # case notes, the chronology, supervision and sign-off (issue 19)
    "ui.chronology",
    "ui.supervision",
)

HEAVY_MODULES: tuple[str, ...] = (
    "ui.letters.preview",  # pypdfium2, imported by a case's letters tab on first use
    "ui.committee_dialog",  # ReportLab and the sync client, imported by the main window's menu on first use
    "ui.account_dialogs",
)
"""Imported by :func:`warm_up` too: modules a first screen would otherwise import on the GUI thread."""

_lock = threading.RLock()
_loaded = False
_areas_loaded = False
loaded_in: str | None = None
"""The name of the thread that imported the modules (for tests and the bench)."""
warmed = threading.Event()
"""Set when :func:`warm_up` has finished."""


def load_areas() -> None:
    """Import the area modules that exist (idempotent; any thread): what the main window needs to be built."""
    global _areas_loaded
    with _lock:
        if not _areas_loaded:
            _import(AREA_MODULES)
            _areas_loaded = True


def load_plugins() -> None:
    """Import every listed module that exists, the areas' and the case tabs' (idempotent; any thread)."""
    global _loaded, loaded_in
    with _lock:
        if _loaded:
            return
        load_areas()
        _import(CASE_TAB_MODULES)
        _loaded = True
        loaded_in = threading.current_thread().name


def _import(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            if importlib.util.find_spec(name) is None:
                continue
            importlib.import_module(name)
        except Exception:
            log.exception("could not load the UI module %s", name)


def _qt_classes() -> Iterator[type]:
    """Every class of the Qt modules the screens use (whose enum types PySide makes on first use)."""
    from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets

    for module in (QtCore, QtGui, QtWidgets, QtPrintSupport):
        for class_name in dir(module):
            cls = getattr(module, class_name, None)
            if isinstance(cls, type):
                yield cls


def _warm_enums_of(cls: type) -> int:
    """Create the enum types of one Qt class now (returns how many)."""
    import enum

    made = 0
    for name in dir(cls):
        if not name[:1].isupper():
            continue
        try:
            value = getattr(cls, name)
        except Exception:  # noqa: S112 - an attribute PySide cannot give is not an enum to warm
            continue
        made += isinstance(value, type) and issubclass(value, enum.Enum)
    return made


def warm_qt_enums() -> int:
    """GUI thread: create every enum type of the Qt modules the screens use, at once (returns how many).
    PySide makes each on its first use, in Python; two threads making them at once crash the process
    (a segmentation fault, seen while a worker warmed them up and the GUI thread built a screen), so
    they are made on the GUI thread only — in steps by :func:`warm_qt_enums_in_steps`."""
    return sum(_warm_enums_of(cls) for cls in _qt_classes())


STEP_MS = 8.0
"""How long one step of :func:`warm_qt_enums_in_steps` may keep the GUI thread."""


def warm_qt_enums_in_steps(then: Callable[[], object]) -> None:
    """GUI thread: create Qt's enum types a few classes at a time between events (about 140 ms in all,
    no step longer than :data:`STEP_MS`), then call ``then()`` (the worker's :func:`warm_up`: once every
    enum type exists, a worker importing the screens only reads them)."""
    from PySide6.QtCore import QTimer

    classes = _qt_classes()

    def step() -> None:
        deadline = time.perf_counter() + STEP_MS / 1000
        for cls in classes:
            _warm_enums_of(cls)
            if time.perf_counter() > deadline:
                QTimer.singleShot(0, step)
                return
        then()

    QTimer.singleShot(0, step)


_begun = False


def begin_warm_up() -> bool:
    """GUI thread: once per process, make Qt's enum types in steps (:func:`warm_qt_enums_in_steps`) and then
    :func:`warm_up` on a worker. The sign-in window begins it while the password is typed; a main window
    shown without one (a profile opened directly) begins it once it is on screen. Returns whether it began
    now (``False``: begun before, or done)."""
    global _begun
    if _begun or warmed.is_set():
        return False
    _begun = True
    from ui.tasks import runner

    warm_qt_enums_in_steps(lambda: runner().run(
        warm_up, on_error=lambda exc: log.error("warming up failed", exc_info=exc)))
    return True


def warm_up() -> None:
    """Worker thread: import the plugins and the heavy modules, let Babel read both languages' data
    (its first date takes tens of milliseconds) and work out the bank holidays, so the first screens need not
    do any of it on the GUI thread, and the first reads need not hold the interpreter lock for it. Qt's enum
    types are made before, on the GUI thread (:func:`warm_qt_enums_in_steps`): never here."""
    with _warming:  # one at a time, and once: a second sign-in window's finds it done (or waits for it)
        if not warmed.is_set():
            _warm_up()


_warming = threading.Lock()


def _warm_up() -> None:
    from ui import interpreter

    try:
        interpreter.tune()
        load_plugins()
        for name in HEAVY_MODULES:
            try:
                importlib.import_module(name)
            except Exception:
                log.exception("could not load the module %s", name)
        from babel.dates import format_date

        from desktop.i18n import catalog

        for lang in ("cy", "en"):
            format_date(date(2026, 1, 1), format="medium", locale=lang)
            catalog(lang)  # a language switch then finds the catalogue read
        from desktop.domain.engine import default_engine

        default_engine()  # the rules and the working calendar, as My work's first read needs them
    finally:
        warmed.set()  # whatever happened: sign-in waits for this
