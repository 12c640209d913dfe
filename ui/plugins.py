"""Modules that register areas and case tabs (imported once by the main window).

Add your module here; a module that does not exist yet is skipped, so engineers can land their
parts in any order. A module that fails to import is logged and skipped: one broken tab must
not stop a practitioner from reaching the rest (its own tests catch the failure).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

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

_loaded = False


def load_plugins() -> None:
    """Import every listed module that exists (idempotent)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for name in AREA_MODULES + CASE_TAB_MODULES:
        try:
            if importlib.util.find_spec(name) is None:
                continue
            importlib.import_module(name)
        except Exception:
            log.exception("could not load the UI module %s", name)
