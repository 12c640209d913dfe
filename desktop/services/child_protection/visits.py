"""Visits by the co-ordinator (V1 seen alone every 10 working days, V2 at home every 4 weeks, V4 the
bedroom between reviews), fast to record; one visit covers siblings with the facts per child.

Append-only: ``cp_visit`` (when, who, where, observations and, optionally, their Welsh
``observations_cy``) and one ``cp_visit_child`` per child (seen,
seen alone, seen at home, bedroom seen, the child's lived experience and wishes and feelings in their own
words). A correction is :meth:`VisitService.amend`: a new visit (with its own child rows) whose
``amends_id`` points at the original; the facts feed reads only visits that no later row amends.

``VisitService(session)``:

* ``record(case_id, *, visited_on, children, location, visitor_id=None, visited_at=None, announced=None,
  others_present=None, observations=None, access_denied=False, draft_context=None)`` — one transaction;
  ``children`` is a list of ``{"person_id", "seen", "seen_alone", "seen_at_home", "bedroom_seen",
  "lived_experience", "wishes_feelings"}``. Discards the ``visit`` draft for the case afterwards.
  With ``access_denied`` the same transaction queues N13 (:mod:`.denied_access`) for each registered
  child of the visit.
  Refused: a visit dated in the future; no child; a child who is not a subject of the case; "seen
  alone", "at home" or "bedroom" for a child not seen; "seen at home" when the visit was not at home.
* ``amend(visit_id, *, reason, **same_fields)`` — the correction (reason required).
* ``for_case(case_id)`` — effective visits, newest first, each with ``children``.
* ``save_draft(case_id, data)`` / ``load_draft(case_id)`` — autosave through :class:`DraftService`
  (form ``"visit"``, context the case id).
"""

from __future__ import annotations

from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.child_protection import denied_access
from desktop.services.child_protection._common import case_subject_ids, required_date, text
from desktop.services.drafts import DraftService
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case
from desktop.store import Tx

LOCATIONS = ("home", "school", "placement", "office", "other")
DRAFT_FORM = "visit"


class VisitService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def record(self, case_id: str, **fields: Any) -> dict[str, Any]:
        """Returns the visit row with ``children`` (the per-child rows)."""
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        visit, children = self._validate(case_id, fields)

        def write(tx: Tx) -> dict[str, Any]:
            row = _write(tx, case_id, visit, children)
            if visit["access_denied"]:
                row["letters"] = denied_access.notify(tx, case_id, row, [c["person_id"] for c in children])
            return row

        row = self.session.write(write)
        DraftService(self.session).discard(DRAFT_FORM, case_id)
        return row

    def amend(self, visit_id: str, *, reason: str, **fields: Any) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        rows = self.session.store.rows("SELECT * FROM cp_visit WHERE id = ? AND deleted = 0", [visit_id])
        if not rows:
            raise NotFound(N_("That visit does not exist."))
        case_id = rows[0]["case_id"]
        require_case(self.session, case_id)
        if self.session.store.rows("SELECT 1 FROM cp_visit WHERE amends_id = ?", [visit_id]):
            raise ValidationError(N_("This visit has already been corrected; correct the latest version."),
                                  field="visit")
        if not text(reason):
            raise ValidationError(N_("Say why the visit record is being corrected."), field="reason")
        visit, children = self._validate(case_id, fields)
        visit.update(amends_id=visit_id, amendment_reason=text(reason))
        return self.session.write(lambda tx: _write(tx, case_id, visit, children))

    def for_case(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cp_visit")
        store = self.session.store
        visits = store.rows(
            "SELECT v.* FROM cp_visit v WHERE v.case_id = ? AND v.deleted = 0"
            " AND NOT EXISTS (SELECT 1 FROM cp_visit a WHERE a.amends_id = v.id)"
            " ORDER BY v.visited_on DESC, v.visited_at DESC", [case_id])
        kids = store.rows(
            "SELECT vc.* FROM cp_visit_child vc JOIN cp_visit v ON v.id = vc.visit_id WHERE v.case_id = ?"
            " AND vc.deleted = 0", [case_id])
        by_visit: dict[str, list[dict[str, Any]]] = {}
        for k in kids:
            by_visit.setdefault(k["visit_id"], []).append(k)
        for v in visits:
            v["children"] = by_visit.get(v["id"], [])
        return visits

    def save_draft(self, case_id: str, data: dict[str, Any]) -> None:
        """Keep what is typed of a visit to a case in scope (``Can.RECORD_CASEWORK``)."""
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        DraftService(self.session).save(DRAFT_FORM, data, case_id)

    def load_draft(self, case_id: str) -> dict[str, Any] | None:
        """The visit draft kept for a case in scope (``Can.RECORD_CASEWORK``), or ``None``."""
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        return DraftService(self.session).load(DRAFT_FORM, case_id)

    def _validate(self, case_id: str, f: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        unknown = set(f) - {"visited_on", "children", "location", "visitor_id", "visited_at", "announced",
                            "others_present", "observations", "observations_cy", "access_denied"}
        if unknown:
            raise ValueError(f"unknown visit fields {sorted(unknown)}")
        today = self.session.today()
        day = required_date(f.get("visited_on"), "visited_on", today, future_ok=True)
        if day > today:
            raise ValidationError(N_("A visit cannot be recorded for a date in the future."), field="visited_on")
        location = f.get("location")
        if location not in LOCATIONS:
            raise ValidationError(N_("Choose where the visit took place."), field="location")
        subjects = set(case_subject_ids(self.session.store, case_id))
        children = f.get("children") or []
        if not children:
            raise ValidationError(N_("Record at least one child for the visit."), field="children")
        clean = []
        seen_ids: set[str] = set()
        for c in children:
            pid = c.get("person_id")
            if pid not in subjects or pid in seen_ids:
                raise ValidationError(N_("Choose children who are subjects of this case, once each."), field="children")
            seen_ids.add(pid)
            seen = bool(c.get("seen"))
            flags = {k: bool(c.get(k)) for k in ("seen_alone", "seen_at_home", "bedroom_seen")}
            if not seen and any(flags.values()):
                raise ValidationError(
                    N_("A child who was not seen cannot be seen alone, at home or have their bedroom seen."),
                    field="children")
            if flags["seen_at_home"] and location != "home":
                raise ValidationError(N_("A child can only be seen at home on a visit at home."), field="children")
            clean.append({"person_id": pid, "seen": int(seen), **{k: int(v) for k, v in flags.items()},
                          "lived_experience": text(c.get("lived_experience")) or None,
                          "wishes_feelings": text(c.get("wishes_feelings")) or None})
        visit = {
            "visited_on": day.isoformat(), "visited_at": f.get("visited_at"),
            "visitor_id": f.get("visitor_id") or self.session.user.id, "location": location,
            "announced": None if f.get("announced") is None else int(bool(f["announced"])),
            "others_present": text(f.get("others_present")) or None,
            "observations": text(f.get("observations")) or None,
            # Quoted by the access-denied notice (N13): its Welsh, so a Welsh or bilingual notice can go.
            "observations_cy": text(f.get("observations_cy")) or None,
            "access_denied": int(bool(f.get("access_denied"))),
        }
        return visit, clean


def _write(tx: Tx, case_id: str, visit: dict[str, Any], children: list[dict[str, Any]]) -> dict[str, Any]:
    row = tx.insert("cp_visit", visit, case_id=case_id)
    # The visit's date is copied onto each child's row: the facts query then needs no join.
    kids = [tx.insert("cp_visit_child", {"visit_id": row["id"], "visited_on": visit["visited_on"], **c}, case_id=case_id)
            for c in children]
    return {**row, "children": kids}
