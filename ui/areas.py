"""The registry of main-window areas (sidebar entries). GUI thread only.

An area module calls :func:`register_area` at import and is listed in
:data:`ui.plugins.AREA_MODULES`. The main window shows, in ``order``, every area whose
``visible_for(session)`` is true, titled ``_(title_msgid)`` (mark it with ``N_``), with the count
``badge(session)`` beside it when that is not ``None``. Badges are computed on a worker thread
(so ``badge`` must not touch widgets) after sign-in, unlock and each commit.

``factory(session, parent) -> QWidget`` builds the area's page when it is first shown. Pages are
destroyed when the window locks (so no case data stays in memory) and built again after unlock.
A page may define ``retranslate()`` (called on language change, like every widget here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

AreaFactory = Callable[[Any, QWidget | None], QWidget]


@dataclass(frozen=True, slots=True)
class Area:
    key: str
    title_msgid: str
    factory: AreaFactory
    visible_for: Callable[[Any], bool]
    badge: Callable[[Any], int | None]
    order: int = 100


_AREAS: dict[str, Area] = {}


def register_area(
    key: str,
    title_msgid: str,
    factory: AreaFactory,
    visible_for: Callable[[Any], bool] = lambda session: True,
    badge: Callable[[Any], int | None] = lambda session: None,
    *,
    order: int = 100,
) -> None:
    """Add (or replace) the area ``key``."""
    _AREAS[key] = Area(key, title_msgid, factory, visible_for, badge, order)


def unregister_area(key: str) -> None:
    _AREAS.pop(key, None)


def areas_for(session: Any) -> list[Area]:
    """The areas this person may see, in sidebar order."""
    return sorted((a for a in _AREAS.values() if a.visible_for(session)), key=lambda a: (a.order, a.key))


def compute_badges(session: Any, keys: list[str]) -> dict[str, int | None]:
    """Every badge of ``keys`` (runs on a worker thread; a failing badge shows none)."""
    out: dict[str, int | None] = {}
    for key in keys:
        area = _AREAS.get(key)
        try:
            out[key] = area.badge(session) if area else None
        except Exception:  # a broken badge must not break the sidebar
            out[key] = None
    return out
