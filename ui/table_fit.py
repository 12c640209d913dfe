"""Columns that fit a table's width: each column as wide as its content when there is room, the
widest ones sharing what is left when there is not (their text elided, the full text in the
cell's tooltip). GUI thread only.

``share_widths`` is the rule (plain integers, testable without a screen); :func:`fit_table`
keeps a ``QTableView``'s columns fitted as the view is resized, reloaded or retranslated.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView


def share_widths(natural: list[int], available: int, least: int = 40) -> list[int]:
    """Widths for columns whose content wants ``natural`` pixels in ``available`` pixels.

    If everything fits, every column gets its natural width and the last one the spare room.
    Otherwise the narrow columns keep their natural width and the wide ones share the rest
    equally (water-filling: no column is cut while a wider one keeps more than it), never below
    ``least``."""
    if not natural:
        return []
    total = sum(natural)
    if total <= available:
        return [*natural[:-1], natural[-1] + available - total]
    widths = list(natural)
    open_cols = sorted(range(len(natural)), key=lambda i: natural[i])
    room = available
    while open_cols:
        share = room // len(open_cols)
        narrow = natural[open_cols[0]]
        if narrow <= share:  # the narrowest wide-enough column keeps its width
            widths[open_cols[0]] = narrow
            room -= narrow
            open_cols.pop(0)
            continue
        spare = room - share * len(open_cols)  # the pixels integer division leaves, one each
        for n, i in enumerate(sorted(open_cols)):
            widths[i] = max(least, share + (1 if n < spare else 0))
        break
    return widths


class _Fitter(QObject):
    """Refits ``view``'s columns after a resize or a change to its rows or headers (coalesced
    into one pass on the next turn of the event loop)."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.fit)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.dataChanged, model.headerDataChanged,
                       model.rowsInserted, model.rowsRemoved):
            signal.connect(self.timer.start)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.timer.start()
        return False

    def fit(self) -> None:
        view = self.view
        header = view.horizontalHeader()
        count = view.model().columnCount()
        natural = [max(view.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(count)]
        for column, width in enumerate(share_widths(natural, view.viewport().width())):
            header.resizeSection(column, width)


def fit_table(view: QTableView) -> None:
    """Keep ``view``'s columns fitted to its width (call once, after ``setModel``)."""
    _Fitter(view).fit()
