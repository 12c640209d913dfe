"""The child's voice: wishes and feelings, life story work, and the relationship with their social
worker over time (Qt-free).

``VoiceService(session)``:

* ``record(case_id, person_id, *, kind, recorded_on, content, method=None, language=None)`` — an
  append-only entry (``wishes_feelings`` or ``life_story``); ``amend(entry_id, *, content, reason)`` adds a
  correction pointing at the entry (the original stays). ``Can.RECORD_CASEWORK``.
* ``entries(case_id, person_id, kind=None)`` — newest first; an amended entry carries ``amended_by``
  (the id of the newest correction). ``Can.VIEW_CASEWORK``.
* ``worker_changes(case_id)`` — :func:`worker_history` plus ``changes`` (the number of changes of social
  worker) and ``workers_last_12_months``. ``Can.VIEW_CASE``.

:func:`worker_history` reads the ``allocated_worker`` role assignments of the case (written by
:func:`desktop.services.children.looked_after.change_worker_tx`, the demo, and the core), falling back on
the audited changes of ``case_file.allocated_worker_id`` where an allocation left no role assignment.
Each row: ``{worker_id, worker, from_date, to_date, previous_id, previous, reason}``.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.domain.calendar import add_months
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.children._common import (
    VOICE_KINDS,
    WORKER_ROLE,
    iso,
    past_date,
    require_child,
    required_text,
    text,
)
from desktop.services.permissions import Can
from desktop.services.reads import note_read
from desktop.services.scope import require_case


class VoiceService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def record(self, case_id: str, person_id: str, *, kind: str, recorded_on: str, content: str,
               method: str | None = None, language: str | None = None) -> dict[str, Any]:
        self.session.require(Can.RECORD_CASEWORK)
        require_child(self.session, case_id, person_id)
        if kind not in VOICE_KINDS:
            raise ValidationError(N_("Choose wishes and feelings or life story work."), field="kind")
        on = past_date(recorded_on, "recorded_on", self.session.today())
        content = required_text(content, "content", N_("Write down what the child said or did."))
        if language not in (None, "cy", "en", "other"):
            raise ValidationError(N_("Choose the language the child used."), field="language")
        values = {"person_id": person_id, "kind": kind, "recorded_on": iso(on), "content": content,
                  "method": text(method) or None, "language": language}
        return self.session.write(lambda tx: tx.insert("child_voice", values, case_id=case_id))

    def amend(self, entry_id: str, *, content: str, reason: str) -> dict[str, Any]:
        """A correction of an entry (append-only: the original is kept)."""
        self.session.require(Can.RECORD_CASEWORK)
        rows = self.session.store.rows("SELECT * FROM child_voice WHERE id = ? AND deleted = 0", [entry_id])
        if not rows:
            raise NotFound(N_("That record does not exist or is not in your caseload."))
        old = rows[0]
        require_case(self.session, old["case_id"])
        content = required_text(content, "content", N_("Write down what the child said or did."))
        reason = required_text(reason, "reason", N_("Say why the entry is being corrected."))
        values = {"person_id": old["person_id"], "kind": old["kind"], "recorded_on": old["recorded_on"],
                  "content": content, "method": old["method"], "language": old["language"], "amends_id": entry_id,
                  "amendment_reason": reason}
        return self.session.write(lambda tx: tx.insert("child_voice", values, case_id=old["case_id"]))

    def entries(self, case_id: str, person_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        self.session.require(Can.VIEW_CASEWORK)
        require_child(self.session, case_id, person_id)
        note_read(self.session, case_id, "child_voice", person_id)
        rows = self.session.store.rows(
            "SELECT v.*, (SELECT a.id FROM child_voice a WHERE a.amends_id = v.id AND a.deleted = 0"
            " ORDER BY a.created_at DESC LIMIT 1) AS amended_by"
            " FROM child_voice v WHERE v.person_id = ? AND v.deleted = 0 AND (? IS NULL OR v.kind = ?)"
            " ORDER BY v.recorded_on DESC, v.created_at DESC, v.rowid DESC", [person_id, kind, kind])
        return rows

    def worker_changes(self, case_id: str) -> dict[str, Any]:
        self.session.require(Can.VIEW_CASE)
        require_case(self.session, case_id)
        history = worker_history(self.session.store, case_id)
        since = add_months(self.session.today(), -12).isoformat()
        recent = {h["worker_id"] for h in history if (h["to_date"] is None or h["to_date"] >= since)}
        return {"history": history, "changes": max(0, len(history) - 1), "workers_last_12_months": len(recent)}


def worker_history(store: Any, case_id: str) -> list[dict[str, Any]]:
    """The case's social workers over time, oldest first (see the module docstring)."""
    rows = store.rows(
        "SELECT ra.practitioner_id AS worker_id, ra.from_date, ra.to_date, ra.reason,"
        " p.given_names || ' ' || p.family_name AS worker"
        " FROM role_assignment ra JOIN practitioner p ON p.id = ra.practitioner_id"
        " WHERE ra.case_id = ? AND ra.role = ? AND ra.deleted = 0 ORDER BY ra.from_date, ra.created_at",
        [case_id, WORKER_ROLE],
    )
    known = {r["worker_id"] for r in rows}
    # Allocations made without a role assignment (CaseService.allocate) are in the audit trail.
    for entry in store.rows(
        "SELECT at, after FROM audit WHERE case_id = ? AND entity = 'case_file' AND action = 'update'"
        " ORDER BY seq", [case_id]
    ):
        after = json.loads(entry["after"] or "{}") or {}
        worker = after.get("allocated_worker_id")
        if worker and worker not in known:
            name = store.rows("SELECT given_names || ' ' || family_name AS n FROM practitioner WHERE id = ?", [worker])
            rows.append({"worker_id": worker, "from_date": entry["at"][:10], "to_date": None, "reason": None,
                         "worker": name[0]["n"] if name else ""})
            known.add(worker)
    rows.sort(key=lambda r: r["from_date"])
    for i, r in enumerate(rows):
        prev = rows[i - 1] if i else None
        r["previous_id"] = prev["worker_id"] if prev else None
        r["previous"] = prev["worker"] if prev else None
        if prev and prev["to_date"] is None:
            prev["to_date"] = r["from_date"]
    return rows
