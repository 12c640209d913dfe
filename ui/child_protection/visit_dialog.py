"""Recording a child protection visit, fast: the visit, then each child's facts in their own block —
seen, seen alone, seen at home, bedroom seen, and their lived experience and wishes in their own words.
One call to :meth:`VisitService.record`, on a worker (:class:`~ui.forms.Form`).

Every check is the service's; its refusal appears beside the field it names (a visit in the future), and
one about the children ("seen alone" but not seen…) above the children's blocks. The blocks are inside
the form's scroll area: with any number of children, and after a refusal, Save stays on the screen.
The half-typed visit is kept by the service's own draft (form ``visit``, context the case id: the role
and scope are checked on it), saved a few seconds after the last change and when the form is closed,
and discarded by the visit's own transaction.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.errors import NotFound
from desktop.i18n import N_
from desktop.services.child_protection import VisitService
from ui.child_protection.child_block import ChildBlock
from ui.child_protection.cp_form import CpForm, Items, children
from ui.forms import Field
from ui.widgets import FieldError

LOCATIONS = {
    "home": N_("At home"),
    "school": N_("At school"),
    "placement": N_("In placement"),
    "office": N_("At the office"),
    "other": N_("Somewhere else"),
}
FLAGS = ("seen", "seen_alone", "seen_at_home", "bedroom_seen")
CHILD_FIELDS = [
    Field("seen", "check", N_("Seen")),
    Field("seen_alone", "check", N_("Seen alone")),
    Field("seen_at_home", "check", N_("Seen at home")),
    Field("bedroom_seen", "check", N_("Bedroom seen")),
    Field("lived_experience", "long", N_("Their lived experience, in their own words:")),
    Field("wishes_feelings", "long", N_("Their wishes and feelings, in their own words:")),
]


class VisitDialog(CpForm):
    """Record one visit to the case's children. Emits :attr:`saved` with the new visit's id."""

    OBJECT_NAME = "cp_visit_dialog"
    TITLE = N_("Record a visit")
    DRAFTS = False  # the service keeps this form's draft (see the module docstring)
    FIELDS = [
        Field("visited_on", "date", N_("Date of the visit:")),
        Field("visited_at", "time", N_("Time:")),
        Field("location", "choice", N_("Where:"), LOCATIONS),
        Field("others_present", "text", N_("Others present:")),
        Field("observations", "long", N_("Observations:")),
        Field("observations_cy", "long", N_("In Welsh (optional):"),
              help=N_("A Welsh or bilingual letter quoting this waits in the print queue until it is in Welsh.")),
        # N13: the other core group members and the co-ordinator are told when this is saved.
        Field("access_denied", "check", N_("Access to the children or the home was denied")),
    ]
    TODAY = ("visited_on",)

    def __init__(self, session: Any, case_id: str, parent: QWidget | None = None, **context: Any) -> None:
        self.service = VisitService(session)
        self.child_blocks: list[ChildBlock] = []
        super().__init__(session, case_id, parent, **context)

    def read(self) -> tuple[Items, Any]:
        """Worker thread: the case's children and the visit's draft (the service keeps it)."""
        return children(self.session, self.case), self.service.load_draft(self.case)

    def build(self) -> None:
        assert self.opening is not None
        kids, _draft = self.opening.more
        self.child_blocks = [ChildBlock(pid, name, CHILD_FIELDS, lambda _n: [], labels_above=True)
                             for pid, name in kids]
        section = QWidget()
        box = QVBoxLayout(section)
        box.setContentsMargins(0, 0, 0, 0)
        # A refusal about the children ("children") shows above their blocks.
        self.children_error = FieldError()
        self.children_error.setObjectName("error_children")
        box.addWidget(self.children_error)
        for child in self.child_blocks:
            box.addWidget(child)
        self.add_section(N_("Children"), section)
        self.errors["children"], self.widgets["children"] = self.children_error, section

    def prepare(self) -> None:
        super().prepare()
        assert self.opening is not None
        _kids, draft = self.opening.more
        if draft:
            self.restore(draft)

    def retranslate_more(self) -> None:
        super().retranslate_more()
        for child in self.child_blocks:
            child.retranslate()
        self.children_error.retranslate()

    def child(self, person_id: str) -> ChildBlock:
        return next(c for c in self.child_blocks if c.person_id == person_id)

    # -- drafts -------------------------------------------------------------------------------
    def autosave(self, editors: list[QWidget]) -> None:
        super().autosave(editors)
        for child in self.child_blocks:
            child.watch(self.edited)

    def raw_more(self) -> dict[str, Any]:
        return {"children": [c.raw() for c in self.child_blocks]}

    def restore_more(self, data: dict[str, Any]) -> None:
        by_child = {c.get("person_id"): c for c in data.get("children") or []}
        for child in self.child_blocks:
            child.restore(by_child.get(child.person_id, {}))

    def draft(self) -> Any:
        return self.raw()

    def write_draft(self, data: Any) -> None:
        self.service.save_draft(self.case, data)

    # -- saving -------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {**super().values(), "children": [{"person_id": c.person_id, **c.values()} for c in self.child_blocks]}

    @staticmethod
    def visit_fields(values: dict[str, Any]) -> dict[str, Any]:
        """The service's fields of a visit from the form's values. A child with nothing ticked and nothing
        written was not part of this visit — unless access was denied: then every child of the case was not seen."""
        kids = [k for k in values["children"] if values["access_denied"] or any(k[f] for f in FLAGS)
                or k["lived_experience"] or k["wishes_feelings"]]
        return {"visited_on": values["visited_on"], "visited_at": values["visited_at"], "location": values["location"],
                "others_present": values["others_present"], "observations": values["observations"],
                "observations_cy": values["observations_cy"], "access_denied": values["access_denied"],
                "children": kids}

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return self.service.record(self.case, **self.visit_fields(values))


class VisitCorrectionDialog(VisitDialog):
    """Correct a saved visit (context ``visit_id``): the visit as it stands, changed where it was wrong, and
    why. One call to :meth:`VisitService.amend`: a new version that amends it, the original kept; the
    visit's own draft is left alone (it belongs to the next new visit)."""

    OBJECT_NAME = "cp_visit_correction_dialog"
    TITLE = N_("Correct a visit")
    FIELDS = [Field("reason", "long", N_("Why it is being corrected:")), *VisitDialog.FIELDS]
    TODAY = ()

    def read(self) -> tuple[Items, Any]:
        """Worker thread: the case's children and the visit as it stands now, in the form's own shape."""
        visit = next((v for v in self.service.for_case(self.case) if v["id"] == self.context.get("visit_id")), None)
        if visit is None:
            raise NotFound(N_("That visit does not exist."))
        shown = {name: visit[name] for name in ("visited_on", "visited_at", "location", "others_present",
                                                "observations", "observations_cy")}
        kids = [{"person_id": k["person_id"], **{f: bool(k[f]) for f in FLAGS},
                 "lived_experience": k["lived_experience"] or "", "wishes_feelings": k["wishes_feelings"] or ""}
                for k in visit["children"]]
        return children(self.session, self.case), {**shown, "access_denied": bool(visit["access_denied"]),
                                                   "children": kids}

    def write_draft(self, data: Any) -> None:
        """A correction keeps no draft (Cancel leaves the visit as it was)."""

    def submit(self, values: dict[str, Any]) -> dict[str, Any]:
        return self.service.amend(str(self.context.get("visit_id")), reason=values["reason"] or "",
                                  **self.visit_fields(values))
