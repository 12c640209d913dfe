"""A table of rows as one field of a form — a plan's outcomes and actions, a core group's ratings (GUI
thread). It is an :class:`~ui.forms.Editor`, so a refusal about the rows shows beside it and the rows go
into the form's draft.

Columns are declared as data (:class:`Column`): a text cell, or a choice shown as a combo box of labels
(``choices``: code → English msgid, translated as shown) or of run-time items (``items``: code → the text
shown, e.g. the plan's own outcomes). :meth:`TableEditor.value` is one dict per row — ``id`` (the row's
id in the plan, ``None`` for a new row) and each column's value — in the order shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _

ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    """English msgid of the column's heading."""
    choices: Mapping[Any, str] | None = None
    """A choice column: code → English msgid (a ``None`` code is the "not yet" choice)."""
    items: Callable[[], Sequence[tuple[Any, str]]] | None = field(default=None, compare=False)
    """A choice column of run-time items: (code, text shown), asked again on :meth:`TableEditor.refill`."""
    editable: bool = True
    stretch: bool = False


class TableEditor:
    """``growable``: Add and Remove buttons (a plan); otherwise the rows are given (a meeting's ratings)."""

    def __init__(self, columns: list[Column], *, growable: bool = True, texts: tuple[str, str, str] = ("", "", "")
                 ) -> None:
        self.columns = columns
        self.texts = texts
        """English msgids: what the table holds (its accessible name), "Add…", "Remove…"."""
        self.widget = QWidget()
        self.table = QTableWidget(0, len(columns))
        self.table.setCornerButtonEnabled(False)
        self.table.setMinimumHeight(130)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for i, col in enumerate(columns):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch if col.stretch
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # A row's height follows its text as the columns settle (a form's fields are made after it is shown,
        # and a stretched column's width is known only then): the rows would keep the height of before.
        header.sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.add_button.setObjectName("add_row")
        self.remove_button.setObjectName("remove_row")
        self.add_button.clicked.connect(lambda: self.add_row({}))
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self.widget)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table)
        box.addLayout(buttons)
        for b in (self.add_button, self.remove_button):
            b.setVisible(growable)
        self._watchers: list[Callable[..., None]] = []

    # -- rows ---------------------------------------------------------------------------------
    def add_row(self, values: Mapping[str, Any], row_id: str | None = None) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, col in enumerate(self.columns):
            if col.choices is not None or col.items is not None:
                box = QComboBox()
                box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                box.setMinimumContentsLength(10)
                self._fill(box, col, values.get(col.name))
                box.currentIndexChanged.connect(lambda _i, b=box: b.setToolTip(b.currentText()))
                for watch in self._watchers:
                    box.currentIndexChanged.connect(watch)
                self.table.setCellWidget(r, c, box)
                self.table.setItem(r, c, QTableWidgetItem())  # holds the row id in column 0
            else:
                item = QTableWidgetItem(str(values.get(col.name) or ""))
                if not col.editable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self._item(r, 0).setData(ID_ROLE, row_id)
        return r

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)

    def row_count(self) -> int:
        return self.table.rowCount()

    def combo(self, r: int, name: str) -> QComboBox:
        box = self.table.cellWidget(r, self._index(name))
        assert isinstance(box, QComboBox)
        return box

    def cell(self, r: int, name: str) -> Any:
        c = self._index(name)
        col = self.columns[c]
        if col.choices is not None or col.items is not None:
            return self.combo(r, name).currentData()
        item = self.table.item(r, c)
        return item.text().strip() if item else ""

    def set_cell(self, r: int, name: str, value: Any) -> None:
        """Fill one cell as a person would; tests use it too."""
        c = self._index(name)
        col = self.columns[c]
        if col.choices is not None or col.items is not None:
            box = self.combo(r, name)
            box.setCurrentIndex(max(box.findData(value), 0))
        else:
            self._item(r, c).setText("" if value is None else str(value))

    def _item(self, r: int, c: int) -> QTableWidgetItem:
        item = self.table.item(r, c)
        assert item is not None  # every cell gets an item when its row is added
        return item

    def _index(self, name: str) -> int:
        return next(i for i, col in enumerate(self.columns) if col.name == name)

    def _fill(self, box: QComboBox, col: Column, current: Any) -> None:
        box.blockSignals(True)
        box.clear()
        if col.items is not None:
            for code, shown in col.items():
                box.addItem(shown, code)
                box.setItemData(box.count() - 1, shown, Qt.ItemDataRole.ToolTipRole)
        else:
            for code, msgid in (col.choices or {}).items():
                box.addItem(_(msgid), code)
        box.setCurrentIndex(max(box.findData(current), 0))
        box.setToolTip(box.currentText())
        box.setAccessibleName(_(col.header))
        box.blockSignals(False)

    def refill(self) -> None:
        """Ask the run-time items of the choice columns again (and translate the others), keeping each
        row's choice."""
        for r in range(self.table.rowCount()):
            for col in self.columns:
                if col.choices is not None or col.items is not None:
                    box = self.combo(r, col.name)
                    self._fill(box, col, box.currentData())

    # -- Editor -------------------------------------------------------------------------------
    def value(self) -> list[dict[str, Any]]:
        return [{"id": self._item(r, 0).data(ID_ROLE), **{col.name: self.cell(r, col.name) for col in self.columns}}
                for r in range(self.table.rowCount())]

    def raw(self) -> list[dict[str, Any]]:
        return self.value()

    def set_raw(self, value: Any) -> None:
        self.table.setRowCount(0)
        for row in value or []:
            self.add_row(row, row.get("id"))

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(col.header) for col in self.columns])
        what, add, remove = self.texts
        self.table.setAccessibleName(_(what) if what else "")
        corner = self.table.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:  # Qt's (disabled) corner button: a screen reader names it after its table
            corner.setAccessibleName(self.table.accessibleName())
        for button, msgid in ((self.add_button, add), (self.remove_button, remove)):
            button.setText(_(msgid) if msgid else "")
            button.setAccessibleName(button.text())
        self.refill()

    def watch(self, changed: Callable[..., None]) -> None:
        self._watchers.append(changed)
        self.table.itemChanged.connect(changed)
        model = self.table.model()
        model.rowsInserted.connect(changed)
        model.rowsRemoved.connect(changed)
        for r in range(self.table.rowCount()):
            for col in self.columns:
                if col.choices is not None or col.items is not None:
                    self.combo(r, col.name).currentIndexChanged.connect(changed)
