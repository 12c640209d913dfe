"""The registry of case tabs and the "next thing due" provider. GUI thread only.

A casework module calls :func:`register_case_tab` at import and is listed in
:data:`ui.plugins.CASE_TAB_MODULES`. Each open case window shows, in ``order``, every tab whose
``visible_for(session)`` is true, titled ``_(title_msgid)``.

``factory(session, case_id, parent) -> QWidget``: ``parent`` is the
:class:`ui.case_view.CaseWindow`, whose ``case_view`` attribute holds the
:class:`desktop.services.cases.CaseView` it opened (audited once), so a tab need not open the
case again. A tab may define ``retranslate()`` and ``refresh()``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.domain.urgency import Urgency

TabFactory = Callable[[Any, str, QWidget], QWidget]
NextDueProvider = Callable[[Any, str], "NextDue | str | None"]


@dataclass(frozen=True, slots=True)
class CaseTab:
    key: str
    title_msgid: str
    factory: TabFactory
    visible_for: Callable[[Any], bool]
    order: int = 100
    case_types: frozenset[str] | None = None  # None: every kind of case


_TABS: dict[str, CaseTab] = {}
_next_due: NextDueProvider | None = None
HeaderFact = Callable[[Any, str], "tuple[str, str] | None"]
_FACTS: dict[str, tuple[HeaderFact, frozenset[str]]] = {}


def register_header_fact(key: str, fn: HeaderFact, tables: Collection[str] = ()) -> None:
    """Add (or replace) a fact of the case header: ``fn(session, case_id)`` returns the translated label
    ("Last supervised:") and value, or ``None`` to show nothing; the header is redrawn when a commit
    touches one of ``tables``. GUI thread, on every redraw: keep it to one small read."""
    _FACTS[key] = (fn, frozenset(tables))


def header_facts(session: Any, case_id: str) -> list[tuple[str, str]]:
    return [fact for fn, _tables in _FACTS.values() if (fact := fn(session, case_id)) is not None]


def header_fact_tables() -> frozenset[str]:
    """The tables whose changes redraw the case header's facts."""
    return frozenset().union(*(tables for _fn, tables in _FACTS.values()))


def register_case_tab(
    key: str,
    title_msgid: str,
    factory: TabFactory,
    visible_for: Callable[[Any], bool] = lambda session: True,
    *,
    order: int = 100,
    case_types: Collection[str] | None = None,
) -> None:
    """Add (or replace) the case tab ``key``; ``case_types`` limits it to those kinds of case
    (``CaseType`` values, e.g. ``("adult_at_risk",)``)."""
    _TABS[key] = CaseTab(key, title_msgid, factory, visible_for, order,
                         frozenset(case_types) if case_types is not None else None)


def unregister_case_tab(key: str) -> None:
    _TABS.pop(key, None)


def case_tabs_for(session: Any, case_type: str | None = None) -> list[CaseTab]:
    """The tabs this person sees on a case of ``case_type``, in order."""
    return sorted(
        (
            t
            for t in _TABS.values()
            if t.visible_for(session) and (t.case_types is None or case_type is None or case_type in t.case_types)
        ),
        key=lambda t: (t.order, t.key),
    )


@dataclass(frozen=True, slots=True)
class NextDue:
    """The case header's "next thing due": the words and how urgent (``None``: not said)."""

    text: str
    urgency: Urgency | None = None
    days_overdue: int = 0
    unit: str = "days"
    action: str | None = None
    """The form that satisfies it (a "My work" action key), for the case page's primary button."""
    person_id: str | None = None


def set_next_due_provider(fn: NextDueProvider | None) -> None:
    """``fn(session, case_id)`` returns the "next thing due" of a case (a :class:`NextDue`, or just the
    translated words), or ``None`` when nothing is due. Called in the GUI thread when a case window opens
    or refreshes and on language change, so it should be quick (one case)."""
    global _next_due
    _next_due = fn


def next_due(session: Any, case_id: str) -> NextDue | None:
    if _next_due is None:
        return None
    found = _next_due(session, case_id)
    return NextDue(found) if isinstance(found, str) else found
