"""Recorded exceptions to timescale rules (Qt-free; one short transaction per call).

A manager records, for one child or adult and one rule, who agreed, why (age, disability or another
reason, in words), from when and until when, and — where the rule names one in ``rules.json``
(``exception_substitute``) — what takes the place of what the rule asks: for V1 a baby or a child whose
disability means "seen alone" has no meaning is *seen* every 10 working days instead (WSP s4 c4-p3 /
seed 000: seeing the child depends on age, stage of development and disability). Without a substitute
the rule is lifted while the exception is in force. Only rules marked ``exception_allowed`` (V1 and
V5b in the shipped rules; a Regional Safeguarding Board may mark others) take one.

``ExceptionService(session)``: ``record`` (managers: :data:`Can.AGREE_EXCEPTION`), ``end`` (ended
early, with the reason), ``for_case`` (every exception of a case, newest first, with ``in_force``),
``allowed_rules``. :func:`in_period` lists the exceptions in force in a period (committee figures).
:func:`in_force` gives the engine's view for many subjects at once; "My work"
attaches it to every subject (:attr:`SubjectFacts.exceptions`), and each item an exception applies to
carries ``excepted_by`` (the exception's id) and ``lifted``.

Every row is a normal synced table written through ``Tx``: audited, in the outbox, scoped by its case.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from desktop.domain.engine import RuleException
from desktop.domain.rules import Rule, RuleSet
from desktop.domain.validation import parse_date
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.services.permissions import Can
from desktop.services.reads import read_casework
from desktop.services.scope import require_case
from desktop.store import Tx

REASON_KINDS = {"age": N_("Age or stage of development"), "disability": N_("Disability"),
                "other": N_("Another reason")}

_IN_FORCE = """SELECT x.id, x.case_id, x.person_id, x.rule_id, x.substitute FROM rule_exception x
    WHERE x.deleted = 0 AND x.from_date <= :on AND x.until_date >= :on
      AND (x.ended_on IS NULL OR x.ended_on > :on)"""


def in_force(store: Any, on: date, case_ids: Iterable[str] | None = None
             ) -> dict[tuple[str, str], dict[str, RuleException]]:
    """(case id, person id) → rule id → the exception in force on ``on`` (the latest agreed one when
    two overlap). ``case_ids`` limits the cases (``None``: all)."""
    if not store.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rule_exception'"):
        return {}
    rows = store.rows(_IN_FORCE + " ORDER BY x.agreed_on, x.created_at", {"on": on.isoformat()})
    wanted = None if case_ids is None else set(case_ids)
    out: dict[tuple[str, str], dict[str, RuleException]] = {}
    for r in rows:
        if wanted is not None and r["case_id"] not in wanted:
            continue
        out.setdefault((r["case_id"], r["person_id"]), {})[r["rule_id"]] = RuleException(r["id"], r["substitute"])
    return out


def in_period(store: Any, start: date, end: date, condition: str = "1 = 1",
              params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Exceptions in force at any time from ``start`` to ``end`` (inclusive) in cases matching
    ``condition`` on ``case_file AS c`` — for the committee figures, which count excepted work apart.
    Each row: ``id``, ``case_id``, ``person_id``, ``rule_id``, ``reason_kind``, ``substitute``,
    ``from_date``, ``until_date``, ``ended_on``."""
    return store.rows(
        "SELECT x.id, x.case_id, x.person_id, x.rule_id, x.reason_kind, x.substitute, x.from_date, x.until_date,"
        " x.ended_on FROM rule_exception x JOIN case_file c ON c.id = x.case_id"
        f" WHERE x.deleted = 0 AND x.from_date <= :end AND x.until_date >= :start"
        f" AND (x.ended_on IS NULL OR x.ended_on > :start) AND ({condition}) ORDER BY x.from_date",
        {**(params or {}), "start": start.isoformat(), "end": end.isoformat()})


class ExceptionService:
    def __init__(self, session: Any, rules: RuleSet | None = None) -> None:
        self.session = session
        self.rules = rules or RuleSet.load()

    def allowed_rules(self) -> list[Rule]:
        """The rules an exception may be recorded for (one per id)."""
        seen: dict[str, Rule] = {}
        for rule in self.rules.rules:
            if rule.exception_allowed:
                seen.setdefault(rule.id, rule)
        return [seen[k] for k in sorted(seen)]

    def record(self, case_id: str, person_id: str, rule_id: str, *, reason_kind: str, reason: str,
               until: str, from_date: str | None = None, use_substitute: bool = True) -> dict[str, Any]:
        """Record an exception agreed today by the signed-in manager. ``use_substitute``: where the
        rule names a substitute (V1: seen in place of seen alone), apply it; otherwise the rule is
        lifted until ``until``."""
        self.session.require(Can.AGREE_EXCEPTION)
        require_case(self.session, case_id)
        store = self.session.store
        if not store.rows("SELECT 1 FROM case_member WHERE case_id = ? AND person_id = ? AND role = 'subject'"
                          " AND deleted = 0", [case_id, person_id]):
            raise ValidationError(N_("Choose a child or adult who is a subject of this case."), field="person_id")
        rule = next((r for r in self.allowed_rules() if r.id == rule_id), None)
        if rule is None:
            raise ValidationError(N_("That timescale does not allow an exception."), field="rule_id")
        if reason_kind not in REASON_KINDS:
            raise ValidationError(N_("Choose why the exception is needed."), field="reason_kind")
        words = str(reason or "").strip()
        if not words:
            raise ValidationError(N_("Say why the exception is agreed."), field="reason")
        today = self.session.today()
        start = parse_date(from_date, "from_date") or today
        end = parse_date(until, "until_date")
        if end is None:
            raise ValidationError(N_("Enter the date."), field="until_date")
        if end < start:
            raise ValidationError(N_("The end date is before the start date."), field="until_date")
        values = {"person_id": person_id, "rule_id": rule_id, "agreed_by": self.session.user.id,
                  "agreed_on": today.isoformat(), "reason_kind": reason_kind, "reason": words,
                  "substitute": rule.exception_substitute if use_substitute else None,
                  "from_date": start.isoformat(), "until_date": end.isoformat()}
        return self.session.write(lambda tx: tx.insert("rule_exception", values, case_id=case_id))

    def end(self, exception_id: str, *, ended_on: str, reason: str) -> dict[str, Any]:
        """End an exception early (managers)."""
        self.session.require(Can.AGREE_EXCEPTION)
        rows = self.session.store.rows("SELECT * FROM rule_exception WHERE id = ? AND deleted = 0", [exception_id])
        if not rows:
            raise NotFound(N_("That exception does not exist."))
        row = rows[0]
        require_case(self.session, row["case_id"])
        day = parse_date(ended_on, "ended_on")
        if day is None:
            raise ValidationError(N_("Enter the date."), field="ended_on")
        if day < date.fromisoformat(row["from_date"]):
            raise ValidationError(N_("The end date is before the start date."), field="ended_on")
        words = str(reason or "").strip()
        if not words:
            raise ValidationError(N_("Say why the exception is agreed."), field="end_reason")

        def write(tx: Tx) -> dict[str, Any]:
            return tx.update("rule_exception", exception_id, {"ended_on": day.isoformat(), "end_reason": words})

        return self.session.write(write)

    def for_case(self, case_id: str, on: date | None = None) -> list[dict[str, Any]]:
        """Every exception recorded on the case (newest first), each with ``in_force`` on ``on``
        (default today), the child's or adult's name and the manager's."""
        read_casework(self.session, case_id, "rule_exception")
        day = (on or self.session.today()).isoformat()
        rows = self.session.store.rows(
            """SELECT x.*, COALESCE(p.preferred_name, p.given_names, '') || ' ' || p.family_name AS person_name,
                      pr.given_names || ' ' || pr.family_name AS agreed_by_name
               FROM rule_exception x JOIN person p ON p.id = x.person_id
               LEFT JOIN practitioner pr ON pr.id = x.agreed_by
               WHERE x.case_id = ? AND x.deleted = 0 ORDER BY x.agreed_on DESC, x.created_at DESC""", [case_id])
        for r in rows:
            r["person_name"] = r["person_name"].strip()
            r["in_force"] = r["from_date"] <= day <= r["until_date"] and not (r["ended_on"] and r["ended_on"] <= day)
        return rows
