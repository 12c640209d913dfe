"""A list of records with the chosen one in words beside or below it (the Notes and the Supervision and
sign-off tabs): :class:`RecordInWords`, and :func:`correction_lines`, the words every corrected record ends with.

Thread contract: GUI thread only; it never reads (the tab gives it the text of what it holds).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTextBrowser, QWidget

from desktop.i18n import _


class RecordInWords(QSplitter):
    """``records`` (the list) and, beside it (``Horizontal``) or below (``Vertical``), a read-only text of the
    chosen record, named ``_(accessible_msgid)`` for a screen reader (said again by :meth:`retranslate`)."""

    def __init__(self, records: QWidget, orientation: Qt.Orientation, object_name: str, accessible_msgid: str,
                 *, sizes: tuple[int, int]) -> None:
        super().__init__(orientation)
        self.detail = QTextBrowser()
        self.detail.setObjectName(object_name)
        self._accessible = accessible_msgid
        self.addWidget(records)
        self.addWidget(self.detail)
        self.setSizes(list(sizes))
        self.retranslate()

    def show_text(self, text: str) -> None:
        """Show the chosen record in words ("" clears it)."""
        self.detail.setPlainText(text)

    def retranslate(self) -> None:
        self.detail.setAccessibleName(_(self._accessible))


def correction_lines(amends: bool, reason: str | None) -> list[str]:
    """The closing lines of a record that corrects an earlier version (none when it does not)."""
    if not amends:
        return []
    return ["", _("This corrects an earlier version: {reason}").format(reason=reason or "")]
