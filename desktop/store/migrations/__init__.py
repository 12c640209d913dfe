"""Named, atomic schema migrations (sqlite-utils ``Migrations``).

Each module here named ``mNNNN_<what>.py`` registers one or more steps on :data:`MIGRATIONS`
with ``@MIGRATIONS(name="mNNNN_<what>")``. Modules are imported in name order, so steps apply
in that order; each step and its record commit together or not at all. Names are permanent:
never rename or edit an applied step, add a new one.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("diogel")

_MODULES = sorted(
    info.name for info in pkgutil.iter_modules(__path__) if info.name.startswith("m") and info.name[1:5].isdigit()
)
for _name in _MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def known_names() -> list[str]:
    """Every migration name this build knows, in order."""
    return [m.name for m in MIGRATIONS._migrations]  # noqa: SLF001 - sqlite-utils keeps them here
