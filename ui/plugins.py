"""Modules that register areas and case tabs (imported once by the main window).

Add your module here; a module that does not exist yet is skipped, so engineers can land their
parts in any order.
"""

from __future__ import annotations

import importlib
import importlib.util

AREA_MODULES: tuple[str, ...] = (
    "ui.caseload",
    "ui.my_work",
    "ui.letters",
    "ui.register",
)
CASE_TAB_MODULES: tuple[str, ...] = (
    "ui.people_tab",
)

_loaded = False


def load_plugins() -> None:
    """Import every listed module that exists (idempotent)."""
    global _loaded
    if _loaded:
        return
    for name in AREA_MODULES + CASE_TAB_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    _loaded = True
