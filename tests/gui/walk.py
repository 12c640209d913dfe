"""Walk every widget of a window and collect the texts a person can see or hear."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QWidget,
)


def widgets_of(window: QWidget) -> list[QWidget]:
    return [window, *window.findChildren(QWidget)]


def texts_of(window: QWidget, *, visible_only: bool = True) -> Iterator[tuple[str, str]]:
    """(where, text) pairs: texts, tooltips, accessible names, titles, placeholders, headers, items."""
    for w in widgets_of(window):
        if visible_only and not w.isVisibleTo(window) and w is not window:
            continue
        where = f"{type(w).__name__}:{w.objectName()}"
        if w.isWindow():
            yield where + ".windowTitle", w.windowTitle()
        yield where + ".toolTip", w.toolTip()
        yield where + ".accessibleName", w.accessibleName()
        if isinstance(w, QLabel | QAbstractButton) and not _picker_button(w):
            yield where + ".text", w.text()
        if isinstance(w, QLineEdit):
            yield where + ".placeholder", w.placeholderText()
        if isinstance(w, QGroupBox):
            yield where + ".title", w.title()
        if isinstance(w, QComboBox) and not w.property("language_picker"):
            for i in range(w.count()):
                yield where + f".item{i}", w.itemText(i)
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield where + f".tab{i}", w.tabText(i)
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView | QListWidget | QTreeWidget) and w.model():
            model = w.model()
            for c in range(model.columnCount(QModelIndex())):
                yield where + f".header{c}", str(model.headerData(c, Qt.Orientation.Horizontal) or "")
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                yield where + f".item{i}", w.item(i).text()
        if isinstance(w, QTreeWidget):
            for c in range(w.columnCount()):
                yield where + f".header{c}", w.headerItem().text(c)
        if isinstance(w, QMainWindow):
            for menu in w.menuBar().findChildren(QMenu):
                yield where + ".menu", menu.title()
                for act in menu.actions():
                    if act.property("language_picker"):
                        continue  # "Cymraeg" and "English" are always shown in their own language
                    yield where + ".action", act.text().split("\t")[0]
                    yield where + ".actionTip", act.toolTip()


def _picker_button(w: QWidget) -> bool:
    action = w.defaultAction() if isinstance(w, QToolButton) else None
    return bool(action is not None and action.property("language_picker"))


def leftover_english(windows: list[QWidget], exact: set[str], patterns: list) -> list[str]:
    """Texts that are still an English msgid (or a filled-in English pattern)."""
    found = []
    for window in windows:
        for where, text in texts_of(window, visible_only=False):  # hidden tabs and pages too
            plain = text.replace("&", "").strip()
            if not plain:
                continue
            if plain in exact or any(p.match(plain) for p in patterns):
                found.append(f"{where}: {text!r}")
    return found
