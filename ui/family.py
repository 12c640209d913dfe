"""The Family tab of a case (issue 20): the genogram drawn with QPainter, the other cases the family's
people are on (those the reader may see), recording a relationship, and printing the network as a PDF.

Thread contract: GUI thread; one read through :class:`FamilyService` per redraw.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
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
from desktop.services.family import DIED, KEY, FamilyNetwork, FamilyService, PersonMatch
from desktop.services.genogram import Geometry, draw
from desktop.services.permissions import Can
from desktop.services.persons import PersonService
from ui.case_tabs import register_case_tab
from ui.formatting import show_date
from ui.forms import Field, Form
from ui.loading import Loader, window_queue
from ui.widgets import Retranslating, message_of

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 170, 80, 120, 56, 16
SYMBOL = 30  # the side of a person's square, circle or diamond
KEY_H = 34  # the key under the diagram
COL, ROW = BOX_W + GAP_X, BOX_H + GAP_Y  # a column and a row of the geometry, in pixels
RED = QColor("#b71c1c")
INK, LINE, PR_LINE = QColor("#263238"), QColor("#607d8b"), QColor("#1a237e")


log = logging.getLogger(__name__)

class Genogram(QWidget):
    """The family drawn in the conventional way: a square for a male, a circle for a female, a diamond
    where the sex is not recorded; the case's children or adult with a double outline and their name in
    bold; a cross through someone who has died; a flagged person in red with the flag under the name; the
    lines of :func:`desktop.services.genogram.draw` (couples joined, children hanging from their parents,
    every other relationship on its own named line), thick and dark where they carry parental
    responsibility; a key under the diagram. The PDF draws the same geometry (``plan``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("genogram")
        self.network: FamilyNetwork | None = None
        self.plan = Geometry({}, ())
        """What is drawn (:func:`desktop.services.genogram.draw`: the PDF draws from the same)."""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_network(self, network: FamilyNetwork) -> None:
        self.network, self.plan = network, draw(network)
        self.setMinimumSize(max(int(BOX_W + self.plan.width * COL), 4 * (BOX_W + 20)) + 2 * PAD,
                            int(BOX_H + self.plan.height * ROW) + 2 * PAD + KEY_H)
        self.retranslate()

    def retranslate(self) -> None:
        """The description in the language of the moment, and a redraw."""
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """The diagram in words, for a screen reader: each person, their symbol's meaning and their links."""
        if self.network is None:
            return ""
        names = {p.id: p.name for p in self.network.people}
        parts = []
        for p in self.network.people:
            facts = [_(KEY[p.symbol])]
            if p.subject:
                facts.append(_(KEY["subject"]))
            if p.died_on:
                facts.append(_(DIED).format(date=show_date(p.died_on)))
            facts += [f.text() for f in p.flags]
            facts += [_("{relation}: {person}").format(relation=label(link.kind), person=names[link.related_person_id])
                      + (f" ({_(KEY['pr'])})" if link.parental_responsibility else "")
                      for link in self.network.links if link.person_id == p.id]
            parts.append(f"{p.name}: " + ", ".join(facts))
        return "; ".join(parts)

    def point(self, x: float, y: float) -> QPointF:
        """A point of the geometry (columns, rows) on the widget."""
        return QPointF(PAD + BOX_W / 2 + x * COL, PAD + 2 + SYMBOL / 2 + y * ROW)

    def box(self, person_id: str) -> QRectF:
        """The person's place: their symbol at the top centre, their name and a second line under it."""
        centre = self.point(*self.plan.places[person_id])
        return QRectF(centre.x() - BOX_W / 2, centre.y() - SYMBOL / 2 - 2, BOX_W, BOX_H)

    def symbol(self, person_id: str) -> QRectF:
        """The square the person's symbol is drawn in (lines join the symbols' centres)."""
        box = self.box(person_id)
        return QRectF(box.center().x() - SYMBOL / 2, box.top() + 2, SYMBOL, SYMBOL)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.network is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        for line in self.plan.lines:
            painter.setPen(QPen(PR_LINE if line.pr else LINE, 3.0 if line.pr else 1.2))
            painter.drawPolyline(QPolygonF([self.point(x, y) for x, y in line.points]))
        for person in self.network.people:
            rect, shape = self.box(person.id), self.symbol(person.id)
            flagged = bool(person.flags)
            colour = RED if flagged else INK
            draw_symbol(painter, person.symbol, shape, colour, 2.2 if person.subject or flagged else 1.3,
                        double=person.subject, died=bool(person.died_on))
            bold = QFont(self.font())
            bold.setBold(person.subject)
            painter.setFont(bold)
            name_rect = QRectF(rect.left(), shape.bottom() + 3, rect.width(), 20)
            _plate(painter, name_rect, person.name)
            painter.setPen(QColor("#000000"))
            painter.drawText(name_rect, Qt.AlignmentFlag.AlignCenter, person.name)
            painter.setFont(small)
            if flagged:
                below = person.flags[0].text()
            elif person.died_on:
                below = _(DIED).format(date=show_date(person.died_on))
            else:
                below = show_date(person.date_of_birth)
            if below:
                line_rect = QRectF(rect.left(), name_rect.bottom(), rect.width(), 18)
                _plate(painter, line_rect, below)
                painter.setPen(RED if flagged else QColor("#455a64"))
                painter.drawText(line_rect, Qt.AlignmentFlag.AlignCenter, below)
        # Each line's name over everything, where the geometry puts it (a parent's descent needs none).
        painter.setFont(small)
        metrics = painter.fontMetrics()
        for line in self.plan.lines:
            if line.label is None or line.label_at is None:
                continue
            at = self.point(*line.label_at)
            words = label(line.label)
            width = metrics.horizontalAdvance(words) + 8
            text = QRectF(at.x() - width / 2, at.y() - 8, width, 16)
            painter.fillRect(text, QColor("#eceff1"))
            painter.setPen(QColor("#37474f"))
            painter.drawText(text, Qt.AlignmentFlag.AlignCenter, words)
        self._key(painter, metrics)
        painter.end()

    def _key(self, painter: QPainter, metrics: Any) -> None:
        """What the symbols and lines mean, in a row under the diagram."""
        x, y = float(PAD), float(self.height() - KEY_H + 8)
        size = 14.0
        painter.setPen(QColor("#37474f"))
        for key in ("square", "circle", "diamond", "subject", "died", "pr"):
            spot = QRectF(x, y, size, size)
            if key == "pr":
                painter.setPen(QPen(PR_LINE, 3.0))
                painter.drawLine(QPointF(x, y + size / 2), QPointF(x + 2 * size, y + size / 2))
                spot = QRectF(x, y, 2 * size, size)
            else:
                draw_symbol(painter, key if key in ("square", "circle", "diamond") else "square", spot, INK, 1.2,
                            double=key == "subject", died=key == "died")
            words = _(KEY[key])
            painter.setPen(QColor("#263238"))
            painter.drawText(QRectF(spot.right() + 5, y - 2, metrics.horizontalAdvance(words) + 4, size + 4),
                             Qt.AlignmentFlag.AlignVCenter, words)
            x = spot.right() + 5 + metrics.horizontalAdvance(words) + 22


def draw_symbol(painter: QPainter, kind: str, rect: QRectF, colour: QColor, width: float, *, double: bool = False,
                died: bool = False) -> None:
    """A square, circle or diamond in ``rect`` (white inside); ``double``: a second outline inside (the
    case's child or adult); ``died``: a cross through it."""
    painter.setPen(QPen(colour, width))
    painter.setBrush(QColor("#ffffff"))
    inner = rect.adjusted(4.5, 4.5, -4.5, -4.5) if double else None
    for r in [rect, *([inner] if inner is not None else [])]:
        if kind == "square":
            painter.drawRect(r)
        elif kind == "circle":
            painter.drawEllipse(r)
        else:
            c = r.center()
            painter.drawPolygon(QPolygonF([QPointF(c.x(), r.top()), QPointF(r.right(), c.y()),
                                           QPointF(c.x(), r.bottom()), QPointF(r.left(), c.y())]))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    if died:
        painter.setPen(QPen(colour, max(1.2, width - 0.6)))
        painter.drawLine(rect.topLeft() - QPointF(3, 3), rect.bottomRight() + QPointF(3, 3))
        painter.drawLine(rect.topRight() + QPointF(3, -3), rect.bottomLeft() + QPointF(-3, 3))
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _plate(painter: QPainter, rect: QRectF, text: str) -> None:
    """A white ground under a line of text, as wide as the text, so the lines passing behind do not cross it."""
    width = min(rect.width(), painter.fontMetrics().horizontalAdvance(text) + 8)
    painter.fillRect(QRectF(rect.center().x() - width / 2, rect.top() + 1, width, rect.height() - 2),
                     QColor("#ffffff"))


class RelationshipDialog(Form):
    """Record how a person of the case's family is related to someone: another of the family, or someone
    on another of the reader's cases, found by name (the service searches only the reader's scope and
    :meth:`PersonService.relate` checks both people again)."""

    OBJECT_NAME = "relationship_dialog"
    TITLE = N_("Add a relationship")
    DRAFTS = False
    FIELDS = [
        Field("person_id", "items", N_("Person:")),
        Field("find", "text", N_("Find someone on your other cases:"),
              help=N_("Type part of a name: the people found are added to the list of related people")),
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

    def prepare(self) -> None:
        self.widgets["find"].textChanged.connect(lambda _text: self.find())
        # The case's child (or adult) first, and someone else as the related person: the same person twice is
        # a relationship nobody means to record.
        people = self.context["network"].people
        person = next((p.id for p in people if p.subject), people[0].id if people else None)
        related = next((p.id for p in people if p.id != person), None)
        for name, pid in (("person_id", person), ("related_person_id", related)):
            box = self.widgets[name]
            if (index := box.findData(pid)) >= 0:
                box.setCurrentIndex(index)

    def find(self) -> list[PersonMatch]:
        """The people found for the text typed, put in the related person's list after the family (the
        one chosen stays chosen when it is still there)."""
        text = str(self.value("find") or "")
        found = FamilyService(self.session).find_people(self.case_id or "", text) if text.strip() else []
        family = self.items("related_person_id")
        known = {pid for pid, _name in family}
        box = self.widgets["related_person_id"]
        chosen = box.currentData()
        box.blockSignals(True)
        box.clear()
        for pid, name in family:
            box.addItem(name, pid)
        for m in found:
            if m.id not in known:
                # L10N: someone found on other cases: "Dafydd Tŵr (2026-00012, 2026-00031)"
                box.addItem(_("{name} ({cases})").format(name=m.name, cases=", ".join(c.reference for c in m.cases)),
                            m.id)
        index = box.findData(chosen)
        box.setCurrentIndex(index if index >= 0 else 0)
        box.blockSignals(False)
        return found

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
        self.genogram.retranslate()

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
        write_family_pdf(self.session, self.case_id, path)
        self.printed(path)
        return path

    def printed(self, path: Path) -> None:
        self.error.setText(_("Saved to {path}.").format(path=str(path)))


def write_family_pdf(session: Any, case_id: str, path: Path) -> None:
    """Render the family network (Welsh then English) and write it to ``path``, whole or not at all (any
    thread). Raises ``DiogelError`` (the reason in the reader's language) when it cannot be made or written."""
    pdf = FamilyService(session).render(case_id, "bilingual")
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(pdf)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationError(N_("The PDF was not made: {reason}"), field="path", reason=exc.strerror or "") from exc


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
        write_family_pdf(self.session, self.case_id or "", path)
        return {"id": str(path)}

    def after_save(self, row: Any) -> None:
        tab = self.context["tab"]
        if shiboken6.isValid(tab):
            tab.printed(Path(row["id"]))


register_case_tab("family", N_("Family"), FamilyTab, order=84)  # beside the Household
