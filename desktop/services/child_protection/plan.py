"""The care and support protection plan: outline (from the conference) → detailed working plan
(first core group, C10) → revisions; versions kept as rows.

The current plan is mutable rows (``cp_plan``, ``cp_plan_outcome``, ``cp_plan_action``,
``cp_plan_assessment``: changed field by field, every change in the audit trail with who made it);
each revision also appends a ``cp_plan_version`` row with a snapshot of the whole plan and a list of
what changed, so earlier versions can be shown side by side.

``PlanService(session)``:

* ``current(case_id)`` — the plan with ``outcomes``, ``actions``, ``assessments`` (or ``None``).
* ``revise(case_id, *, outcomes, actions, assessments=(), support=None, contingency=None,
  stage="detailed")`` — one transaction; returns the plan. Outcomes are dicts with ``description``,
  ``measure`` (child-focused outcome with its measure of progress), optional ``id`` (an existing
  outcome), ``person_id``, ``rag``, ``evidence``. Actions have ``description``, an owner
  (``owner_kind`` ``person``/``practitioner``/``agency`` with ``owner_name`` and/or ``owner_id``),
  ``due_on``, ``status``, optional ``id`` and ``outcome_index`` (into ``outcomes``) or ``outcome_id``.
  Assessments have ``description``, ``specialist`` (bool), ``provider``, ``commissioned_on``.
  Refused (``ValidationError``): an outcome without its measure, an action with no owner, an unknown
  status or RAG rating.
* ``versions(case_id)`` — the version rows, newest first (``snapshot``/``changes`` JSON).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from desktop.domain.validation import parse_date
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.child_protection._common import dumps, text
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case
from desktop.store import Tx

ACTION_STATUSES = ("not_started", "in_progress", "done", "not_done")
RAG = ("red", "amber", "green")
OWNER_KINDS = ("person", "practitioner", "agency")


def validate_plan(outcomes: list[dict[str, Any]], actions: list[dict[str, Any]],
                  assessments: Iterable[dict[str, Any]]) -> tuple[list, list, list]:
    outs = []
    for o in outcomes:
        if not text(o.get("description")):
            raise ValidationError(N_("Describe each outcome for the child."), field="outcomes")
        if not text(o.get("measure")):
            raise ValidationError(N_("Say how progress towards each outcome will be measured."), field="outcomes")
        if o.get("rag") not in (None, *RAG):
            raise ValidationError(N_("Rate progress red, amber or green."), field="outcomes")
        outs.append({"id": o.get("id"), "person_id": o.get("person_id"), "description": text(o["description"]),
                     **({"description_cy": text(o.get("description_cy")) or None} if "description_cy" in o else {}),
                     "measure": text(o["measure"]), "rag": o.get("rag"), "evidence": text(o.get("evidence")) or None})
    acts = []
    for a in actions:
        if not text(a.get("description")):
            raise ValidationError(N_("Describe each action."), field="actions")
        owner_kind = a.get("owner_kind")
        if owner_kind not in OWNER_KINDS or not (text(a.get("owner_name")) or a.get("owner_id")):
            raise ValidationError(
                N_("Every action needs an owner: a family member, a practitioner or an agency."), field="actions"
            )
        status = a.get("status") or "not_started"
        if status not in ACTION_STATUSES:
            raise ValidationError(N_("Choose the action's status."), field="actions")
        due = parse_date(a.get("due_on"), "due_on")
        index = a.get("outcome_index")
        if index is not None and not (0 <= int(index) < len(outs)):
            raise ValidationError(N_("Link each action to one of the plan's outcomes."), field="actions")
        acts.append({"id": a.get("id"), "description": text(a["description"]),
                     **({"description_cy": text(a.get("description_cy")) or None} if "description_cy" in a else {}),
                     "owner_kind": owner_kind,
                     "owner_id": a.get("owner_id"), "owner_name": text(a.get("owner_name")),
                     "due_on": due.isoformat() if due else None, "status": status,
                     "outcome_index": index, "outcome_id": a.get("outcome_id")})
    assess = []
    for s in assessments:
        if not text(s.get("description")):
            raise ValidationError(N_("Describe each assessment commissioned."), field="assessments")
        on = parse_date(s.get("commissioned_on"), "commissioned_on")
        assess.append({"id": s.get("id"), "description": text(s["description"]),
                       "specialist": int(bool(s.get("specialist"))), "provider": text(s.get("provider")) or None,
                       "commissioned_on": on.isoformat() if on else None,
                       "status": s.get("status") or "commissioned"})
    return outs, acts, assess


def _owner_names(tx: Tx, acts: list[dict[str, Any]]) -> None:
    tables = {"person": "person", "practitioner": "practitioner", "agency": "agency"}
    for a in acts:
        if a["owner_name"] or not a["owner_id"]:
            continue
        row = tx.get(tables[a["owner_kind"]], a["owner_id"])
        if row is None:
            raise ValidationError(
                N_("Every action needs an owner: a family member, a practitioner or an agency."), field="actions")
        a["owner_name"] = row.get("name") or " ".join(x for x in (row.get("given_names"), row.get("family_name")) if x)


def create_outline(tx: Tx, case_id: str, outline: str, outline_cy: str | None = None) -> dict[str, Any]:
    """The outline plan from the initial conference (version 1) — or, if the case already has an
    active plan (a sibling registered earlier), a new version carrying the added outline. The Welsh
    (``outline_cy``) is kept beside it only while every part of the outline has its Welsh."""
    existing = tx.query("SELECT * FROM cp_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'", [case_id])
    if existing:
        plan = existing[0]
        merged = "\n\n".join(x for x in (plan["outline"], outline) if x)
        merged_cy = "\n\n".join(x for x in (plan["outline_cy"], outline_cy) if x) \
            if outline_cy and (plan["outline_cy"] or not plan["outline"]) else None
        plan = tx.update("cp_plan", plan["id"], {"outline": merged, "outline_cy": merged_cy,
                                                 "version_no": plan["version_no"] + 1})
        _version(tx, plan, [{"field": "outline"}], None)
        return plan
    plan = tx.insert("cp_plan", {"stage": "outline", "version_no": 1, "outline": outline, "outline_cy": outline_cy},
                     case_id=case_id)
    _version(tx, plan, [{"field": "created"}], None)
    return plan


def revise_plan(tx: Tx, case_id: str, *, outcomes: list[dict[str, Any]], actions: list[dict[str, Any]],
                assessments: list[dict[str, Any]], support: str | None, contingency: str | None, stage: str,
                core_group_id: str | None = None, **welsh: str | None) -> dict[str, Any]:
    """Write validated plan content (see :func:`validate_plan`) as the next version. ``support_cy``
    (in ``welsh``, when given) is the support in Welsh; not given, the Welsh stays while the English
    support does and goes when it changes (so a letter waits for the new Welsh)."""
    rows = tx.query("SELECT * FROM cp_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'", [case_id])
    if rows:
        plan = rows[0]
    else:
        plan = tx.insert("cp_plan", {"stage": stage, "version_no": 0, "outline": None}, case_id=case_id)
    _owner_names(tx, actions)
    changes: list[dict[str, Any]] = []
    out_ids = _sync(tx, "cp_plan_outcome", plan, outcomes,
                    ["person_id", "description", "description_cy", "measure", "rag", "evidence"], changes)
    for a in actions:
        if a.get("outcome_index") is not None:
            a["outcome_id"] = out_ids[int(a["outcome_index"])]
    _sync(tx, "cp_plan_action", plan, actions,
          ["outcome_id", "description", "description_cy", "owner_kind", "owner_id", "owner_name", "due_on", "status"],
          changes)
    _sync(tx, "cp_plan_assessment", plan, assessments,
          ["description", "specialist", "provider", "commissioned_on", "status"], changes)
    head = {"stage": stage, "support": text(support) or None, "contingency": text(contingency) or None}
    if "support_cy" in welsh:
        head["support_cy"] = text(welsh["support_cy"]) or None
    elif plan.get("support") != head["support"]:
        head["support_cy"] = None
    for k, v in head.items():
        if plan.get(k) != v:
            changes.append({"field": k})
    plan = tx.update("cp_plan", plan["id"], {**head, "version_no": plan["version_no"] + 1})
    _version(tx, plan, changes, core_group_id)
    return plan


def _sync(tx: Tx, table: str, plan: dict[str, Any], items: list[dict[str, Any]], fields: list[str],
          changes: list[dict[str, Any]]) -> list[str]:
    """Make the table's rows for ``plan`` equal ``items``: update by id, insert new, soft-delete gone."""
    current = {r["id"]: r for r in tx.query(f"SELECT * FROM [{table}] WHERE plan_id = ? AND deleted = 0", [plan["id"]])}
    ids = []
    for pos, item in enumerate(items):
        values = {k: item.get(k) for k in fields}
        if table == "cp_plan_outcome":
            values["position"] = pos
        if "description_cy" in fields and "description_cy" not in item:
            # Not edited here: the Welsh stays while the English does; a changed English drops it
            # (a letter then waits for the new Welsh rather than print an old one).
            old = current.get(item.get("id") or "")
            values["description_cy"] = old["description_cy"] if old and old["description"] == values["description"] \
                else None
        if item.get("id") in current:
            before = current.pop(item["id"])
            changed = [k for k in fields if before.get(k) != values[k]]
            if changed:
                tx.update(table, item["id"], values)
                changes.append({"table": table, "id": item["id"], "changed": changed})
            ids.append(item["id"])
        else:
            row = tx.insert(table, {"plan_id": plan["id"], **values}, case_id=plan["case_id"])
            changes.append({"table": table, "id": row["id"], "added": True})
            ids.append(row["id"])
    for gone in current:
        tx.delete(table, gone, reason="removed from the plan")
        changes.append({"table": table, "id": gone, "removed": True})
    return ids


def snapshot(tx: Tx, plan: dict[str, Any]) -> dict[str, Any]:
    q = "SELECT * FROM [{t}] WHERE plan_id = ? AND deleted = 0"
    strip = ("created_at", "created_by", "updated_at", "updated_by", "version", "deleted", "case_id", "plan_id")

    def rows(t: str) -> list[dict[str, Any]]:
        order = " ORDER BY position" if t == "cp_plan_outcome" else " ORDER BY created_at"
        return [{k: v for k, v in r.items() if k not in strip} for r in tx.query(q.format(t=t) + order, [plan["id"]])]

    return {"stage": plan["stage"], "outline": plan["outline"], "support": plan["support"],
            "contingency": plan["contingency"], "outcomes": rows("cp_plan_outcome"),
            "actions": rows("cp_plan_action"), "assessments": rows("cp_plan_assessment")}


def _version(tx: Tx, plan: dict[str, Any], changes: list[dict[str, Any]], core_group_id: str | None) -> None:
    tx.insert("cp_plan_version", {"plan_id": plan["id"], "version_no": plan["version_no"], "stage": plan["stage"],
                                  "snapshot": dumps(snapshot(tx, plan)), "changes": dumps(changes),
                                  "core_group_id": core_group_id}, case_id=plan["case_id"])


class PlanService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def current(self, case_id: str) -> dict[str, Any] | None:
        read_casework(self.session, case_id, "cp_plan")
        store = self.session.store
        rows = store.rows("SELECT * FROM cp_plan WHERE case_id = ? AND deleted = 0 AND status = 'active'", [case_id])
        if not rows:
            return None
        plan = rows[0]
        plan["outcomes"] = store.rows(
            "SELECT * FROM cp_plan_outcome WHERE plan_id = ? AND deleted = 0 ORDER BY position", [plan["id"]])
        plan["actions"] = store.rows(
            "SELECT * FROM cp_plan_action WHERE plan_id = ? AND deleted = 0 ORDER BY due_on, created_at", [plan["id"]])
        plan["assessments"] = store.rows(
            "SELECT * FROM cp_plan_assessment WHERE plan_id = ? AND deleted = 0 ORDER BY created_at", [plan["id"]])
        return plan

    def revise(self, case_id: str, *, outcomes: list[dict[str, Any]], actions: list[dict[str, Any]],
               assessments: Iterable[dict[str, Any]] = (), support: str | None = None,
               contingency: str | None = None, stage: str = "detailed", **welsh: str | None) -> dict[str, Any]:
        """``support_cy``: the support in Welsh (optional; see :func:`revise_plan`)."""
        self.session.require(Can.RECORD_CASEWORK)
        require_case(self.session, case_id)
        unknown = set(welsh) - {"support_cy"}
        if unknown:
            raise TypeError(f"unknown plan fields {sorted(unknown)}")
        outs, acts, assess = validate_plan(outcomes, actions, assessments)
        return self.session.write(lambda tx: revise_plan(
            tx, case_id, outcomes=outs, actions=acts, assessments=assess, support=support,
            contingency=contingency, stage=stage, **welsh))

    def versions(self, case_id: str) -> list[dict[str, Any]]:
        read_casework(self.session, case_id, "cp_plan_version")
        rows = self.session.store.rows(
            "SELECT v.* FROM cp_plan_version v JOIN cp_plan p ON p.id = v.plan_id"
            " WHERE p.case_id = ? AND v.deleted = 0 ORDER BY v.version_no DESC", [case_id])
        for r in rows:
            r["snapshot"] = json.loads(r["snapshot"])
            r["changes"] = json.loads(r["changes"])
        return rows
