"""The registry of case tabs and the "next thing due" provider. GUI thread only.

A casework module calls :func:`register_case_tab` at import and is listed in
:data:`ui.plugins.CASE_TAB_MODULES`. Each open case window shows, in ``order``, every tab whose
``visible_for(session)`` is true and that belongs to the case's work, titled ``_(title_msgid)``.
A tab of ``case_types`` shows when the case holds that work (:attr:`CaseView.work`: its type, or
records of that kind); a tab that can be ``started_on`` a kind of case and has no records yet stays
hidden and is offered under "Start other work" — no tab of greyed buttons that do not apply.

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
    started_on: frozenset[str] = frozenset()  # kinds of case where it can begin (hidden until then)


_TABS: dict[str, CaseTab] = {}
_next_due: NextDueProvider | None = None
FactWords = Callable[[], "tuple[str, str]"]
HeaderFact = Callable[[Any, str], "tuple[str, str] | FactWords | None"]
_FACTS: dict[str, tuple[HeaderFact, frozenset[str]]] = {}


def register_header_fact(key: str, fn: HeaderFact, tables: Collection[str] = ()) -> None:
    """Add (or replace) a fact of the case header: ``fn(session, case_id)`` reads (on a worker) and returns
    a function giving the translated label ("Last supervised:") and value — called in the GUI thread
    on every redraw, so a language switch needs no read — or ``None`` to show nothing (a plain
    ``(label, value)`` pair is taken as it is, in the language of the read). The header reads it again
    when a commit touches the case."""
    _FACTS[key] = (fn, frozenset(tables))


def header_facts(session: Any, case_id: str) -> list[tuple[str, str] | FactWords]:
    """Worker thread: every registered fact of the case (see :func:`register_header_fact`)."""
    return [fact for fn, _tables in _FACTS.values() if (fact := fn(session, case_id)) is not None]


def fact_words(fact: tuple[str, str] | FactWords) -> tuple[str, str]:
    """GUI thread: a fact's label and value in the current language."""
    return fact() if callable(fact) else fact


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
    started_on: Collection[str] = (),
) -> None:
    """Add (or replace) the case tab ``key``; ``case_types`` limits it to cases holding that work
    (``CaseType`` values, e.g. ``("adult_at_risk",)``); ``started_on`` the kinds of case where it can be
    started from "Start other work"."""
    _TABS[key] = CaseTab(key, title_msgid, factory, visible_for, order,
                         frozenset(case_types) if case_types is not None else None, frozenset(started_on))


def unregister_case_tab(key: str) -> None:
    _TABS.pop(key, None)


def case_tabs_for(session: Any, work: Collection[str] | None = None) -> list[CaseTab]:
    """The tabs this person sees on a case holding ``work`` (its type and other kinds of work; every
    tab the person may see when ``None``), in order."""
    return sorted(
        (t for t in _TABS.values()
         if t.visible_for(session) and (t.case_types is None or work is None or t.case_types & set(work))),
        key=lambda t: (t.order, t.key),
    )


def startable_tabs(session: Any, case_type: str, work: Collection[str]) -> list[CaseTab]:
    """The tabs hidden on this case that the person could start ("Start other work"), in order."""
    shown = {t.key for t in case_tabs_for(session, work)}
    return sorted((t for t in _TABS.values()
                   if t.key not in shown and case_type in t.started_on and t.visible_for(session)),
                  key=lambda t: (t.order, t.key))


@dataclass(frozen=True, slots=True)
class NextDue:
    """The case header's "next thing due": the words and how urgent (``None``: not said)."""

    text: str
    """The words as read; :meth:`words` says them again in the current language when it can."""
    urgency: Urgency | None = None
    days_overdue: int = 0
    unit: str = "days"
    action: str | None = None
    """The form that satisfies it (a "My work" action key), for the case page's primary button."""
    person_id: str | None = None
    say: Callable[[], str] | None = None
    """Says :attr:`text` in the current language (a language switch needs no read); ``None``: as read."""

    def words(self) -> str:
        return self.say() if self.say is not None else self.text


def set_next_due_provider(fn: NextDueProvider | None) -> None:
    """``fn(session, case_id)`` returns the "next thing due" of a case (a :class:`NextDue`, or just the
    translated words), or ``None`` when nothing is due. Called on a worker when a case window opens and when
    its case changes; a language switch redraws with :meth:`NextDue.words`."""
    global _next_due
    _next_due = fn


def next_due(session: Any, case_id: str) -> NextDue | None:
    if _next_due is None:
        return None
    found = _next_due(session, case_id)
    return NextDue(found) if isinstance(found, str) else found
