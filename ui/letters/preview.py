"""PDF pages as images: rendering (any thread), a scrolling preview and printing. GUI thread for
the widgets; :func:`pdf_page_images` may run on a worker (QImage is not a widget).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.i18n import _
from ui.widgets import Retranslating

PREVIEW_DPI = 96
PRINT_DPI = 200
_PDFIUM = threading.Lock()
"""PDFium is not thread-safe: every use of it, from any worker, holds this lock."""


def pdf_page_images(pdf: bytes, dpi: int = PREVIEW_DPI, cancelled: Callable[[], bool] | None = None) -> list[QImage]:
    """Every page of ``pdf`` rendered with pypdfium2 at ``dpi`` (white background, RGB). Safe on a
    worker thread (PDFium calls are serialised); stops early (returning what it has) when
    ``cancelled()`` becomes true."""
    images: list[QImage] = []
    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            _render_all(doc, dpi, images, cancelled)
        finally:
            doc.close()
    return images


def _render_all(doc: pdfium.PdfDocument, dpi: int, images: list[QImage], cancelled: Callable[[], bool] | None) -> None:
    for index in range(len(doc)):
        if cancelled is not None and cancelled():
            break
        page = doc[index]
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True, fill_color=(255, 255, 255, 255))
        fmt = QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888
        images.append(QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt).copy())
        bitmap.close()
        page.close()


def paint_pages(printer: object, images: Sequence[QImage]) -> None:
    """Paint ``images`` onto ``printer`` (a ``QPrinter``), one per page, scaled to fit the page."""
    painter = QPainter()
    if not painter.begin(printer):  # type: ignore[arg-type]
        raise RuntimeError("the printer could not be started")
    try:
        for n, image in enumerate(images):
            if n:
                printer.newPage()  # type: ignore[attr-defined]
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(QRect(area.x(), area.y(), size.width(), size.height()))
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
    finally:
        painter.end()


class PdfPreview(Retranslating, QScrollArea):
    """The pages of one PDF, one under another, in a scroll area. ``set_images`` shows them;
    ``show_message`` shows a line of text instead (e.g. why a letter is held)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdf_preview")
        self.setWidgetResizable(True)
        self._inner = QWidget()
        self._box = QVBoxLayout(self._inner)
        self._box.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._inner)
        self._pages: list[QLabel] = []
        self._images: list[QImage] = []
        self._message: str | None = None
        self.setMinimumWidth(360)
        self.retranslate()

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        for label in self._pages:
            label.deleteLater()
        self._pages = []
        self._images = []
        while self._box.count():
            item = self._box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()

    def set_images(self, images: Sequence[QImage]) -> None:
        self.clear()
        self._message = None
        for n in range(1, len(images) + 1):
            label = QLabel()
            label.setObjectName(f"pdf_page_{n}")
            label.setStyleSheet("border: 1px solid #999; background: white;")
            self._pages.append(label)
            self._box.addWidget(label)
        self._images = list(images)
        self._fit()
        self.retranslate()

    def _fit(self) -> None:
        """Each page as wide as the view allows (never wider than rendered)."""
        width = max(200, self.viewport().width() - 24)
        for label, image in zip(self._pages, self._images, strict=True):
            pixmap = QPixmap.fromImage(image)
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._images:
            self._fit()

    def show_message(self, text: str) -> None:
        self.clear()
        self._message = text
        label = QLabel(text)
        label.setWordWrap(True)
        label.setObjectName("pdf_preview_message")
        self._box.addWidget(label)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(_("Letter preview"))
        for n, label in enumerate(self._pages, 1):
            label.setAccessibleName(_("Page {number} of {count}").format(number=n, count=len(self._pages)))
