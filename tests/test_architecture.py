"""The arrows point one way: the core, reports and server never import Qt or the ui package."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_reports_and_server_are_qt_free() -> None:
    offenders = []
    for package in ("desktop", "reports", "server"):
        for path in (ROOT / package).rglob("*.py"):
            bad = {n for n in _imports(path) if n.split(".")[0] in {"PySide6", "shiboken6", "PyQt6", "ui"}}
            if bad and path.relative_to(ROOT).as_posix() != "desktop/app.py":
                offenders.append((path.relative_to(ROOT).as_posix(), sorted(bad)))
    assert offenders == []


def test_only_the_entry_point_imports_ui() -> None:
    offenders = []
    for package in ("desktop", "reports", "server"):
        for path in (ROOT / package).rglob("*.py"):
            if any(n.split(".")[0] == "ui" for n in _imports(path)) and path.name != "app.py":
                offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


# The server shares with the laptop only the wire types, the one definition of a synced row (the
# laptop's schema, the units of scope and the record families: desktop/store/rowspec.py) and the
# committee's figures (issue 21: one implementation counts a laptop's cases and the whole authority's),
# with what they stand on: the rule table, the working-day calendar and the replay of a rule.
SHARED_WITH_SERVER = ("desktop.sync.wire", "desktop.store.rowspec", "desktop.services.committee_figures",
                      "desktop.services.committee_source", "desktop.services.committee_measures",
                      "desktop.domain.rules", "desktop.domain.calendar", "desktop.domain.occurrences",
                      "desktop.domain.manager_reach")  # one statement of whose allocation a manager may change


def test_server_shares_nothing_with_the_desktop_but_wire_types() -> None:
    offenders = []
    for path in (ROOT / "server").rglob("*.py"):
        for name in _imports(path):
            if name.split(".")[0] == "desktop" and not name.startswith(SHARED_WITH_SERVER):
                offenders.append((path.relative_to(ROOT).as_posix(), name))
    assert offenders == []


SQL_CALLS = {"rows", "query", "execute", "executemany", "executescript"}
SQL_TEXT = re.compile(r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s)",
                      re.IGNORECASE | re.DOTALL)


def test_the_ui_reads_only_through_services() -> None:
    """No widget runs SQL (it would skip the services' role and scope checks and their audit) or imports a
    private module of the core (``_common`` and the like): the services' public methods are the way in."""
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        where = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            # (a widget's own rows() takes no argument; a query always has its SQL)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS \
                    and node.args:
                offenders.append(f"{where}:{node.lineno} calls .{node.func.attr}()")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.match(node.value):
                offenders.append(f"{where}:{node.lineno} holds SQL")
            elif isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__" and any(
                    part.startswith("_") for part in node.module.split(".")):
                offenders.append(f"{where}:{node.lineno} imports {node.module}")
    assert offenders == []


def test_the_shared_figures_bring_in_no_store_and_no_qt() -> None:
    """Importing the committee's figures and the reports the server draws loads neither the encrypted store
    nor Qt nor a signed-in session: they work on plain rows, on either side."""
    import subprocess
    import sys

    shared = [m for m in SHARED_WITH_SERVER if ".committee_" in m or m.startswith("desktop.domain.")]
    code = ("import sys, importlib\n"
            f"for m in {shared!r} + ['reports']: importlib.import_module(m)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlcipher3', 'PySide6', 'shiboken6', 'ui')"
            " or m.startswith(('desktop.store', 'desktop.services.session', 'desktop.sync'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
