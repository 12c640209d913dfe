"""Which process a case is in, when a child moves between them (Qt-free; runs inside a write).

A case's ``case_type`` says which procedure drives it. A registered child keeps the case a child
protection case even when looked after (the register and its conferences go on); once no child of the
case is on the register and one is looked after, it becomes a looked-after case. Every change goes
through ``Tx.update`` (audited, synced) with a ``case_team_history`` row, so the case's history shows
when and why it moved. The children's tables may be absent from a build without that module: then
nothing changes.
"""

from __future__ import annotations

from desktop.domain.types import CaseType
from desktop.store import Tx


def _has(tx: Tx, table: str) -> bool:
    return bool(tx.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]))


def registered_in_case(tx: Tx, case_id: str) -> bool:
    """Whether a subject of the case is on the child protection register (active or temporary)."""
    return _has(tx, "register_entry") and bool(tx.query(
        "SELECT 1 FROM register_entry WHERE case_id = ? AND deleted = 0 AND status IN ('active', 'temporary')",
        [case_id]))


def after_deregistration(tx: Tx, case_id: str, on: str) -> str | None:
    """Called in the transaction that took a child off the register: a child protection case with no
    child left on the register and a child looked after becomes a looked-after case. Returns the new
    case type, or ``None`` when it stays as it was."""
    case = tx.get("case_file", case_id)
    if case is None or case["case_type"] != CaseType.CHILD_PROTECTION or registered_in_case(tx, case_id):
        return None
    if not _has(tx, "lac_episode") or not tx.query(
            "SELECT 1 FROM lac_episode WHERE case_id = ? AND deleted = 0 AND ended_on IS NULL", [case_id]):
        return None
    tx.update("case_file", case_id, {"case_type": CaseType.LOOKED_AFTER})
    tx.insert("case_team_history",
              {"from_team_id": case["team_id"], "to_team_id": case["team_id"],
               "from_case_type": case["case_type"], "to_case_type": CaseType.LOOKED_AFTER,
               "on_date": on, "reason": "deregistered"},
              case_id=case_id)
    return CaseType.LOOKED_AFTER
