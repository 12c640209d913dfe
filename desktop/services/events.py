"""In-transaction domain events (Qt-free).

Some changes oblige more writes in the same transaction: when a registered child's household
changes, the register custodian and the core group must be told at once (N5, N6). The core
raises the event; the child protection module subscribes. Handlers run on the writer thread,
inside the transaction that raised the event, so the notification commits with the change or
not at all.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop.store import Tx


@dataclass(frozen=True, slots=True)
class HouseholdChanged:
    """A person's address changed, someone joined or left a household, or a new regular visitor."""

    person_ids: tuple[str, ...]  # the people whose household it is
    what: str  # "address" | "joined" | "left" | "regular_visitor"
    detail: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Tx, Any], None]
_handlers: dict[type, list[Handler]] = {}

SUBSCRIBER_MODULES = ("desktop.services.child_protection",)
"""Modules that subscribe at import; imported before the first event is published, so a handler is
never missed because nothing happened to import its module yet (absent modules are skipped)."""
_subscribers_loaded = False


def subscribe(event_type: type, handler: Handler) -> None:
    """Run ``handler(tx, event)`` whenever ``event_type`` is raised (idempotent)."""
    handlers = _handlers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def publish(tx: Tx, event: Any) -> None:
    global _subscribers_loaded
    if not _subscribers_loaded:
        _subscribers_loaded = True
        for name in SUBSCRIBER_MODULES:
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
    for handler in _handlers.get(type(event), []):
        handler(tx, event)
