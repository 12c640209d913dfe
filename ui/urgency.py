"""Urgency on screen: a shape, words and colours for every row or label that shows something due.

:func:`urgency_icon` draws each level's shape (circle, triangle, square…; see
:mod:`desktop.domain.urgency`) so that urgency never rests on colour alone; :func:`style_tree_item` and
:func:`style_label` apply the words, the shape and the colour pair — or, in high contrast
(:mod:`ui.contrast`), the palette's text on its base with bold and a border. GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel, QTreeWidgetItem

from desktop.domain.urgency import STYLES, Urgency, urgency_label
from ui.contrast import high_contrast, urgency_colours, urgency_css

_ICONS: dict[tuple[Urgency, int, str, str], QIcon] = {}


def urgency_icon(urgency: Urgency, size: int = 16) -> QIcon:
    """The level's shape in its text colour, with a mark inside for the two most urgent levels."""
    colour, inside = urgency_colours(urgency)  # in high contrast: the palette's text, the mark in its base
    key = (urgency, size, colour.name(), inside.name())
    icon = _ICONS.get(key)
    if icon is not None:
        return icon
    style = STYLES[urgency]
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    m = size * 0.08
    box = QRectF(m, m, size - 2 * m, size - 2 * m)
    if style.shape == "circle":
        painter.drawEllipse(box)
    elif style.shape == "triangle":
        painter.drawPolygon(QPolygonF([QPointF(size / 2, m), QPointF(size - m, size - m), QPointF(m, size - m)]))
    elif style.shape == "square":
        painter.drawRect(box.adjusted(size * 0.1, size * 0.1, -size * 0.1, -size * 0.1))
    elif style.shape == "octagon":
        c, r = size / 2, size / 2 - m
        k = r * 0.4142
        painter.drawPolygon(QPolygonF([QPointF(c + x, c + y) for x, y in (
            (-k, -r), (k, -r), (r, -k), (r, k), (k, r), (-k, r), (-r, k), (-r, -k))]))
    else:  # dot
        painter.drawEllipse(QRectF(size * 0.35, size * 0.35, size * 0.3, size * 0.3))
    if urgency in (Urgency.OVERDUE, Urgency.PROBLEM, Urgency.DUE_TODAY):
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.7))
        painter.setFont(font)
        painter.setPen(QColor("#ffffff") if not high_contrast() else inside)
        mark = box.adjusted(0, size * 0.12, 0, 0) if style.shape == "triangle" else box
        painter.drawText(mark, int(Qt.AlignmentFlag.AlignCenter), "!")
    painter.end()
    icon = _ICONS[key] = QIcon(pixmap)
    return icon


def style_tree_item(item: QTreeWidgetItem, urgency: Urgency, *, label_column: int = 0,
                    days_overdue: int = 0, unit: str = "days") -> None:
    """Put the shape and the words in ``label_column`` and the colour pair across the row (upcoming
    rows keep the default colours: only what needs acting on stands out)."""
    item.setIcon(label_column, urgency_icon(urgency))
    item.setText(label_column, urgency_label(urgency, days_overdue, unit))
    item.setData(label_column, Qt.ItemDataRole.UserRole + 20, urgency.rank)
    if urgency is Urgency.UPCOMING:
        return
    fg, bg = (QBrush(c) for c in urgency_colours(urgency))
    for column in range(item.columnCount()):
        item.setForeground(column, fg)
        item.setBackground(column, bg)
    if urgency in (Urgency.OVERDUE, Urgency.PROBLEM) or high_contrast():  # no tint: the words stand out
        font = item.font(label_column)
        font.setBold(True)
        item.setFont(label_column, font)


def style_cell(item: QTreeWidgetItem, column: int, urgency: Urgency, text: str) -> None:
    """One cell that must stand out (a missing co-ordinator): its shape, words and colours."""
    fg, bg = urgency_colours(urgency)
    item.setIcon(column, urgency_icon(urgency))
    item.setText(column, text)
    item.setToolTip(column, text)
    item.setForeground(column, QBrush(fg))
    item.setBackground(column, QBrush(bg))
    font = item.font(column)
    font.setBold(True)
    item.setFont(column, font)


def style_label(label: QLabel, urgency: Urgency | None) -> None:
    """Colour a label (the case header's next-due line) by urgency; ``None`` puts the default back."""
    if urgency is None or urgency is Urgency.UPCOMING:
        label.setStyleSheet("")
        return
    weight = "font-weight: 600;" if urgency in (Urgency.OVERDUE, Urgency.PROBLEM) or high_contrast() else ""
    label.setStyleSheet(f"{urgency_css(urgency)} padding: 2px 6px; border-radius: 3px; {weight}")
