"""The Family tab of a case (issue 20): the genogram drawn with QPainter, the other cases the family's
people are on (those the reader may see), recording a relationship, and printing the network as a PDF.

Thread contract: GUI thread; one read through :class:`FamilyService` per redraw.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.types import PR_BASES, RELATIONSHIP_KINDS, label
from desktop.errors import DiogelError, ValidationError
from desktop.i18n import N_, _
from desktop.services.family import FamilyNetwork, FamilyService, grid
from desktop.services.permissions import Can
from desktop.services.persons import PersonService
from ui.case_tabs import register_case_tab
from ui.formatting import show_date
from ui.forms import Field, Form
from ui.loading import Loader, window_queue
from ui.widgets import Retranslating, message_of

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 170, 48, 120, 60, 16
RED = QColor("#b71c1c")


log = logging.getLogger(__name__)

class Genogram(QWidget):
    """The family drawn as boxes and lines: the case's subjects in bold, a flagged person in red with
    the flag under the name; each line named with the relationship."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("genogram")
        self.network: FamilyNetwork | None = None
        self.places: dict[str, tuple[int, int]] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_network(self, network: FamilyNetwork) -> None:
        self.network, self.places = network, grid(network)
        rows = max((r for r, _c in self.places.values()), default=0) + 1
        cols = max((c for _r, c in self.places.values()), default=0) + 1
        self.setMinimumSize(cols * (BOX_W + GAP_X) + 2 * PAD, rows * (BOX_H + GAP_Y) + 2 * PAD)
        self.setAccessibleDescription("; ".join(
            f"{p.name}: " + ", ".join(label(link.kind) for link in network.links if link.person_id == p.id)
            for p in network.people))
        self.update()

    def box(self, person_id: str) -> QRectF:
        r, c = self.places[person_id]
        return QRectF(PAD + c * (BOX_W + GAP_X), PAD + r * (BOX_H + GAP_Y), BOX_W, BOX_H)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.network is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        for link in self.network.links:
            a, b = self.box(link.person_id).center(), self.box(link.related_person_id).center()
            painter.setPen(QPen(QColor("#607d8b"), 1.2))
            painter.drawLine(a, b)
        for person in self.network.people:
            rect = self.box(person.id)
            flagged = bool(person.flags)
            painter.setPen(QPen(RED if flagged else QColor("#263238"), 2.4 if person.subject or flagged else 1.0))
            painter.setBrush(QColor("#ffffff"))
            painter.drawRoundedRect(rect, 5, 5)
            bold = QFont(self.font())
            bold.setBold(person.subject)
            painter.setFont(bold)
            painter.setPen(QColor("#000000"))
            painter.drawText(rect.adjusted(4, 4, -4, -BOX_H / 2), Qt.AlignmentFlag.AlignCenter, person.name)
            painter.setFont(small)
            painter.setPen(RED if flagged else QColor("#455a64"))
            below = person.flags[0].text() if flagged else show_date(person.date_of_birth)
            painter.drawText(rect.adjusted(4, BOX_H / 2, -4, -4), Qt.AlignmentFlag.AlignCenter, below)
        # Each line's name over everything, on the line between the boxes, nearer the person it is about.
        painter.setFont(small)
        metrics = painter.fontMetrics()
        for link in self.network.links:
            mine, theirs = self.box(link.person_id), self.box(link.related_person_id)
            start, end = mine.center(), theirs.center()
            out = _leave(mine, start, end)
            at = out + (_leave(theirs, end, start) - out) * 0.3
            words = label(link.kind)
            width = metrics.horizontalAdvance(words) + 8
            text = QRectF(at.x() - width / 2, at.y() - 8, width, 16)
            painter.fillRect(text, QColor("#eceff1"))
            painter.setPen(QColor("#37474f"))
            painter.drawText(text, Qt.AlignmentFlag.AlignCenter, words)
        painter.end()


def _leave(box: QRectF, start: QPointF, end: QPointF) -> QPointF:
    """Where the line from ``start`` (the box's centre) towards ``end`` leaves the box."""
    dx, dy = end.x() - start.x(), end.y() - start.y()
    tx = (box.width() / 2) / abs(dx) if dx else float("inf")
    ty = (box.height() / 2) / abs(dy) if dy else float("inf")
    t = min(tx, ty, 1.0)
    return QPointF(start.x() + dx * t, start.y() + dy * t)


class RelationshipDialog(Form):
    """Record how two people of the case are related (parental responsibility with its basis)."""

    OBJECT_NAME = "relationship_dialog"
    TITLE = N_("Add a relationship")
    DRAFTS = False
    FIELDS = [
        Field("person_id", "items", N_("Person:")),
        Field("related_person_id", "items", N_("Related person:")),
        Field("kind", "choice", N_("Relationship:"), codes=RELATIONSHIP_KINDS,
              help=N_("What the related person is to the person, for example their father")),
        Field("parental_responsibility", "check", N_("Has parental responsibility for the person")),
        Field("pr_basis", "optional", N_("Basis of parental responsibility:"), codes=PR_BASES),
    ]

    def items(self, name: str) -> list[tuple[Any, str]]:
        if name in ("person_id", "related_person_id"):
            return [(p.id, p.name) for p in self.context["network"].people]
        return []

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return PersonService(self.session).relate(
            values["person_id"], values["related_person_id"], values["kind"],
            parental_responsibility=values["parental_responsibility"], pr_basis=values["pr_basis"])


class FamilyTab(Retranslating, QWidget):
    """The genogram above the other cases of the family's people; Add a relationship…, Print…."""

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("family_tab")
        self.session, self.case_id = session, case_id
        self.genogram = Genogram()
        scroller = QScrollArea()
        scroller.setWidget(self.genogram)
        scroller.setWidgetResizable(True)
        self.cases_label = QLabel()
        self.cases = QTreeWidget()
        self.cases.setObjectName("family_cases")
        self.cases.setRootIsDecorated(False)
        # Parented at once: a parentless button made visible is briefly a window and takes the focus.
        self.add_button, self.print_button = QPushButton(self), QPushButton(self)
        self.add_button.setObjectName("family_add")
        self.print_button.setObjectName("family_print")
        self.add_button.setVisible(session.can(Can.EDIT_PERSON))
        self.add_button.clicked.connect(self.add_relationship)
        self.print_button.clicked.connect(self.open_print)
        self.error = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(scroller, 3)
        layout.addWidget(self.cases_label)
        layout.addWidget(self.cases, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.network: FamilyNetwork | None = None
        self.loader: Loader[FamilyNetwork] = Loader(self, self._drawn, fail=self._failed,
                                                       queue=window_queue(self))
        self.retranslate()
        self.refresh()

    @property
    def loading(self) -> bool:
        """Whether the family is being read."""
        return self.loader.pending

    def when_loaded(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` (GUI thread) once what is being read has been drawn (now if nothing is)."""
        self.loader.when_answered(fn)

    def refresh(self) -> None:
        """Read the family network on a worker; it is drawn when it comes back."""
        session, case_id = self.session, self.case_id
        self.loader.load(lambda: FamilyService(session).network(case_id))

    def _drawn(self, network: FamilyNetwork) -> None:
        self.network = network
        self.error.setText("")
        self.genogram.show_network(network)
        self.retranslate()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, DiogelError):  # a fault, not a refusal: logged with its traceback
            log.error("the family could not be read", exc_info=exc)
        self.error.setText(message_of(exc))

    def retranslate(self) -> None:
        """Redraw from what was read (GUI thread; never reads)."""
        self.cases_label.setText(_("Other cases of the family that you may see:"))
        self.cases.setAccessibleName(_("Other cases of the family that you may see"))
        self.cases.setHeaderLabels([_("Person"), _("Case"), _("Case type")])
        self.add_button.setText(_("Add a relationship…"))
        self.print_button.setText(_("Print…"))
        self.cases.clear()
        for p in self.network.people if self.network else []:
            for c in p.other_cases:
                self.cases.addTopLevelItem(QTreeWidgetItem([p.name, c.reference, label(c.case_type)]))
        self.genogram.update()

    def add_relationship(self) -> RelationshipDialog | None:
        if self.network is None:
            return None
        dialog = RelationshipDialog(self.session, case_id=self.case_id, parent=self, network=self.network)
        dialog.saved.connect(lambda _id: self.refresh())
        dialog.open()
        return dialog

    def open_print(self) -> Form:
        """The form asking where to save the PDF (a form of ours, not the platform's blocking dialog)."""
        form = PrintFamilyForm(self.session, self.case_id, None, self, tab=self,
                               reference=self.network.reference if self.network else "")
        form.show()
        return form

    def print_pdf(self, path: Path) -> Path:
        """Write the family network as a PDF (Welsh then English) to ``path``, whole or not at all.
        Raises ``DiogelError`` (the reason in the reader's language) when it cannot be made or written."""
        pdf = FamilyService(self.session).render(self.case_id, "bilingual")
        partial = path.with_name(path.name + ".part")
        try:
            partial.write_bytes(pdf)
            partial.replace(path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise ValidationError(N_("The PDF was not made: {reason}"), field="path", reason=exc.strerror or "") from exc
        self.error.setText(_("Saved to {path}.").format(path=str(path)))
        return path


class PrintFamilyForm(Form):
    """Where to save the family network's PDF."""

    OBJECT_NAME = "print_family_form"
    TITLE = N_("Save the family network")
    DRAFTS = False
    FIELDS = [Field("path", "text", N_("Save as:"))]

    def prepare(self) -> None:
        folder = Path.home() / "Documents"
        name = f"{self.context.get('reference') or 'family'}.pdf"
        self.set_value("path", str((folder if folder.is_dir() else Path.home()) / name))

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        text = str(values["path"] or "").strip()
        path = Path(text).expanduser()
        if not text or path.suffix.lower() != ".pdf":
            raise ValidationError(N_("Give a file name ending in .pdf."), field="path")
        if not path.parent.is_dir():
            raise ValidationError(N_("That folder does not exist."), field="path")
        self.context["tab"].print_pdf(path)
        return {"id": str(path)}


register_case_tab("family", N_("Family"), FamilyTab, order=84)  # beside the Household
