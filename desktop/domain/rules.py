"""Timescale rules as data (procedures.md §3): load, validate and configure ``rules.json``.

Every number lives in ``rules.json``; this module holds only the rule *titles* (English msgids marked
with ``N_`` so Babel extracts them; translate with ``_()`` when shown) and the validation.

Row fields (``rules.json``):

``id``
    Rule id from procedures.md (C1, V1, A4, L3a…). Several rows may share an id if their effective
    ranges do not overlap (a revised timescale).
``population``
    ``child_protection`` | ``adult_at_risk`` | ``adult_apso`` (an adult protection and support order in
    force, A9) | ``looked_after`` | ``child_in_need`` | ``complaint``;
    the subject must carry this tag in :attr:`SubjectFacts.statuses`.
``kind``
    ``once`` | ``rolling`` | ``chain`` | ``before`` | ``between`` (see :mod:`desktop.domain.engine`).
``base``
    Event key (or list of keys: the latest date among them is used) that starts the clock.
``offset``, ``unit``
    The timescale (unit one of ``working_days``, ``days``, ``weeks``, ``months``). ``chain`` rows have
    ``steps`` instead: ``[[offset, unit], …]``, the last step repeating.
``satisfied_by``
    Event key of the latest event that satisfies the rule.
``satisfied_since``
    ``"base"`` (default: the event must be on/after the base date), ``"any"`` (any date counts, e.g. a
    plan prepared before the placement), or an event key (on/after that event's date).
``requires`` / ``excludes``
    Status tags that must all be present / must all be absent.
``phase_from`` / ``phase_until``
    Optional ``{"offset": n, "unit": u}`` (relative to the base) or ``{"event": key}``: the rule only
    governs an interval that *starts* (at its anchor) inside ``[from, until)``.
``closed_by``
    (``before``) the rule lapses once this event is on/after the scheduled date.
``end_event`` / ``end_rule``
    (``between``) the window ends at the scheduled ``end_event`` or at ``end_rule``'s due date,
    whichever is earlier.
``severity`` (``must``/``should``), ``source``, ``source_url``, ``confidence`` (procedures.md tag),
``effective_from``/``effective_to`` (ISO dates, ``effective_to`` exclusive), ``variant`` (``section4`` |
``section3`` | absent for both), ``override_allowed`` (RSB may override), ``case_override`` (a per-case
setting may make it stricter, A4), ``exception_allowed`` (a manager may record an exception for one
child or adult: who agreed, why, until when — V1 for age or disability; a Regional Safeguarding Board
may mark further rules with an override ``{"exception_allowed": true}``), ``exception_substitute`` (the
event that satisfies the rule under such an exception: V1 ``visit_seen``), ``note``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from desktop.domain.calendar import UNITS
from desktop.i18n import N_

RULES_FILE = Path(__file__).with_name("rules.json")

KINDS = ("once", "rolling", "chain", "before", "between")
POPULATIONS = ("child_protection", "adult_at_risk", "adult_apso", "looked_after", "child_in_need", "complaint",
               "proceedings", "allegation", "supervision", "oversight")
SEVERITIES = ("must", "should")
CONFIDENCE_TAGS = ("WSP", "LAW", "WG", "LA-W", "SEED", "2ND", "RSB", "UNCONFIRMED")
"""procedures.md's tags; ``UNCONFIRMED``: no national number was found and the offset is a placeholder
default (the note says so) that a board or the authority should set with an override."""
VARIANTS = ("section4", "section3")
DEFAULT_VARIANT = "section4"
"""WSP Section 4 visiting rules (V1–V4): the stricter reading, per procedures.md §3.3 V5."""

RULE_TITLES: dict[str, str] = {
    "C1": N_("Decide and record next actions on a report"),
    "C3": N_("Child protection strategy discussion"),
    "C6": N_("Initial child protection conference"),
    "C7": N_("Outline plan and summary of decisions circulated"),
    "C8": N_("Full conference record circulated"),
    "C9": N_("Comments on the conference record"),
    "C10": N_("First core group meeting"),
    "C11": N_("Core group meeting"),
    "C12": N_("Child protection review conference"),
    "C17": N_("Written information to the receiving authority"),
    "C18": N_("Request a transfer-in conference"),
    "C19": N_("Transfer-in conference"),
    "C20": N_("Pre-birth child protection conference"),
    "V1": N_("Child seen alone"),
    "V2": N_("Child seen at home"),
    "V4": N_("Child's bedroom seen"),
    "V5a": N_("Child seen"),
    "V5b": N_("Child seen alone"),
    "A1": N_("Section 126 enquiries completed"),
    "A2": N_("Adult strategy discussion or meeting"),
    "A3": N_("Adult seen after the strategy meeting"),
    "A4": N_("Adult offered the opportunity to be seen alone"),
    "A5": N_("Care and support protection plan review"),
    "A7": N_("Agency reports to the adult protection conference chair"),
    "A9": N_("Adult protection and support order ends"),
    "L1": N_("Care and support plan"),
    "L2": N_("Placement plan"),
    "L3a": N_("Statutory visit"),
    "L3b": N_("Statutory visit"),
    "L3c": N_("Statutory visit"),
    "L3s": N_("Statutory visit"),
    "L4a": N_("Statutory visit"),
    "L4b": N_("Statutory visit"),
    "L5a": N_("Statutory visit"),
    "L5b": N_("Statutory visit"),
    "L6a": N_("Assessment and review of placement with parent"),
    "L6b": N_("Decision on placement with parent"),
    "L7": N_("Looked-after child review"),
    "L7s": N_("Looked-after child review"),
    "L9": N_("Health assessment"),
    "L9a": N_("Health assessment"),
    "L9b": N_("Health assessment"),
    "L10": N_("Personal education plan"),
    "L11a": N_("GP registration"),
    "L11b": N_("Dental check"),
    "K1": N_("Complaint acknowledged"),
    "K2a": N_("Complaint discussed"),
    "K2b": N_("Complaint resolution in writing"),
    "K3": N_("Stage 2 complaint response"),
    "CIN1": N_("Child in Need plan review"),
    "CIN2": N_("Child in Need plan review"),
    "CIN3": N_("Assessment completed"),
    "P1": N_("Care proceedings concluded"),
    "P1x": N_("Care proceedings concluded (time extended by the court)"),
    "A10": N_("Designated Officer told of an allegation against a practitioner"),
    "S1": N_("Case supervision"),
    "SO1": N_("Management sign-off"),
    "SO2": N_("Returned record answered"),
}
"""Rule id → English title (msgid). Show with ``_(RULE_TITLES[id])``."""


class RuleError(ValueError):
    """A rule row or a configuration is invalid; the message names the rule and the field."""


@dataclass(frozen=True, slots=True)
class Phase:
    """Interval bound relative to the base (``offset``/``unit``) or an event date (``event``)."""

    offset: int | None = None
    unit: str | None = None
    event: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One timescale rule (one row of ``rules.json``, after configuration)."""

    id: str
    population: str
    kind: str
    base: tuple[str, ...]
    satisfied_by: str
    steps: tuple[tuple[int, str], ...]
    """(offset, unit) per step; one step for every kind but ``chain``."""
    severity: str
    source: str
    source_url: str
    confidence: str
    satisfied_since: str = "base"
    requires: frozenset[str] = frozenset()
    excludes: frozenset[str] = frozenset()
    phase_from: Phase | None = None
    phase_until: Phase | None = None
    closed_by: str | None = None
    end_event: str | None = None
    end_rule: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    variant: str | None = None
    override_allowed: bool = True
    case_override: bool = False
    exception_allowed: bool = False
    exception_substitute: str | None = None
    """The event key that satisfies the rule while an exception with a substitute is in force."""
    note: str = ""
    title: str = ""
    """English title (msgid); from :data:`RULE_TITLES` or the row's ``title`` for local rules."""
    overridden: bool = False
    """True when a Regional Safeguarding Board override changed the timescale."""

    @property
    def offset(self) -> int:
        """The (first) offset."""
        return self.steps[0][0]

    @property
    def unit(self) -> str:
        """The (first) unit."""
        return self.steps[0][1]

    def in_force(self, on: date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on < self.effective_to
        )


def _step(rule_id: str, offset: Any, unit: Any, what: str = "offset") -> tuple[int, str]:
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise RuleError(f"rule {rule_id}: {what} must be a non-negative whole number, got {offset!r}")
    if unit not in UNITS:
        raise RuleError(f"rule {rule_id}: unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    return offset, unit


def _phase(rule_id: str, raw: Any) -> Phase | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise RuleError(f"rule {rule_id}: a phase must be an object")
    if "event" in raw:
        return Phase(event=str(raw["event"]))
    offset, unit = _step(rule_id, raw.get("offset"), raw.get("unit"), "phase offset")
    return Phase(offset=offset, unit=unit)


def _date(rule_id: str, raw: Any, what: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise RuleError(f"rule {rule_id}: {what} must be an ISO date, got {raw!r}") from None


def parse_rule(row: Mapping[str, Any]) -> Rule:
    """Validate one row and build a :class:`Rule`; raises :class:`RuleError` naming the problem."""
    rule_id = row.get("id")
    if not rule_id or not isinstance(rule_id, str):
        raise RuleError(f"rule without an id: {row!r}")

    def need(key: str) -> Any:
        value = row.get(key)
        if value in (None, "", []):
            raise RuleError(f"rule {rule_id}: missing {key}")
        return value

    kind = need("kind")
    if kind not in KINDS:
        raise RuleError(f"rule {rule_id}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    population = need("population")
    if population not in POPULATIONS:
        raise RuleError(f"rule {rule_id}: unknown population {population!r}")
    base = need("base")
    base_t = (base,) if isinstance(base, str) else tuple(base)
    if kind == "chain":
        raw_steps = need("steps")
        steps = tuple(_step(rule_id, s[0], s[1], "step offset") for s in raw_steps)
    elif kind == "between":
        # The window end comes from events/another rule; an optional offset is unused but validated.
        steps = (_step(rule_id, row.get("offset", 0), row.get("unit", "days")),)
        if not row.get("end_event") and not row.get("end_rule"):
            raise RuleError(f"rule {rule_id}: a 'between' rule needs end_event or end_rule")
    else:
        steps = (_step(rule_id, need("offset"), need("unit")),)
    severity = need("severity")
    if severity not in SEVERITIES:
        raise RuleError(f"rule {rule_id}: unknown severity {severity!r}")
    confidence = need("confidence")
    if confidence not in CONFIDENCE_TAGS:
        raise RuleError(f"rule {rule_id}: unknown confidence tag {confidence!r}")
    variant = row.get("variant")
    if variant is not None and variant not in VARIANTS:
        raise RuleError(f"rule {rule_id}: unknown variant {variant!r}")
    title = row.get("title") or RULE_TITLES.get(rule_id)
    if not title:
        raise RuleError(f"rule {rule_id}: no title (add it to RULE_TITLES, or a 'title' for a local rule)")
    rule = Rule(
        id=rule_id,
        population=population,
        kind=kind,
        base=base_t,
        satisfied_by=need("satisfied_by"),
        steps=steps,
        severity=severity,
        source=need("source"),
        source_url=need("source_url"),
        confidence=confidence,
        satisfied_since=row.get("satisfied_since", "base"),
        requires=frozenset(row.get("requires", ())),
        excludes=frozenset(row.get("excludes", ())),
        phase_from=_phase(rule_id, row.get("phase_from")),
        phase_until=_phase(rule_id, row.get("phase_until")),
        closed_by=row.get("closed_by"),
        end_event=row.get("end_event"),
        end_rule=row.get("end_rule"),
        effective_from=_date(rule_id, row.get("effective_from"), "effective_from"),
        effective_to=_date(rule_id, row.get("effective_to"), "effective_to"),
        variant=variant,
        override_allowed=bool(row.get("override_allowed", True)),
        case_override=bool(row.get("case_override", False)),
        exception_allowed=bool(row.get("exception_allowed", False)),
        exception_substitute=row.get("exception_substitute"),
        note=row.get("note", ""),
        title=title,
    )
    if rule.effective_from and rule.effective_to and rule.effective_to <= rule.effective_from:
        raise RuleError(f"rule {rule_id}: effective_to must be after effective_from")
    return rule


def _override(rule: Rule, spec: Mapping[str, Any]) -> Rule:
    if "exception_allowed" in spec:
        # A board marks a rule as allowing recorded exceptions (this changes no timescale).
        rule = replace(rule, exception_allowed=bool(spec["exception_allowed"]))
        if not any(k in spec for k in ("steps", "offset", "unit")):
            return rule
    if not rule.override_allowed:
        raise RuleError(f"rule {rule.id}: a Regional Safeguarding Board override is not allowed")
    if "steps" in spec:
        steps = tuple(_step(rule.id, s[0], s[1], "step offset") for s in spec["steps"])
    elif rule.kind == "chain":
        raise RuleError(f"rule {rule.id}: override a chain rule with 'steps'")
    else:
        steps = (_step(rule.id, spec.get("offset"), spec.get("unit", rule.unit)),)
    return replace(rule, steps=steps, overridden=True)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The configured rules: one visiting variant, with Regional Safeguarding Board overrides applied.

    Build with :meth:`load` (from ``rules.json``) or :meth:`from_rows`. Immutable: a new configuration is
    a new ``RuleSet``.
    """

    rules: tuple[Rule, ...]
    variant: str = DEFAULT_VARIANT
    _active: dict[date, tuple[Rule, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        *,
        variant: str = DEFAULT_VARIANT,
        rsb_overrides: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> RuleSet:
        """Validate ``rows``, keep those of the chosen ``variant``, and apply ``rsb_overrides``
        (rule id → ``{"offset": n, "unit": u}`` or ``{"steps": [[n, u], …]}``)."""
        if variant not in VARIANTS:
            raise RuleError(f"unknown visiting variant {variant!r}; expected one of {', '.join(VARIANTS)}")
        parsed = [parse_rule(r) for r in rows]
        _check_overlaps(parsed)
        known = {r.id for r in parsed}
        overrides = dict(rsb_overrides or {})
        for rule_id in overrides:
            if rule_id not in known:
                raise RuleError(f"override for unknown rule {rule_id!r}")
        chosen = []
        for rule in parsed:
            if rule.variant is not None and rule.variant != variant:
                continue
            if rule.id in overrides:
                rule = _override(rule, overrides[rule.id])
            chosen.append(rule)
        for rule in chosen:
            if rule.end_rule and rule.end_rule not in {r.id for r in chosen}:
                raise RuleError(f"rule {rule.id}: end_rule {rule.end_rule!r} is not in the rule set")
        return cls(tuple(chosen), variant)

    @classmethod
    def load(
        cls,
        path: Path | str | None = None,
        *,
        variant: str = DEFAULT_VARIANT,
        rsb_overrides: Mapping[str, Mapping[str, Any]] | None = None,
        extra_rows: Iterable[Mapping[str, Any]] = (),
    ) -> RuleSet:
        """Load ``rules.json`` (or ``path``) plus ``extra_rows`` (e.g. RSB local rules) and configure."""
        with Path(path or RULES_FILE).open(encoding="utf-8") as fh:
            doc = json.load(fh)
        return cls.from_rows([*doc["rules"], *extra_rows], variant=variant, rsb_overrides=rsb_overrides)

    def active(self, on: date) -> tuple[Rule, ...]:
        """The rules in force on ``on`` (cached per date)."""
        hit = self._active.get(on)
        if hit is None:
            hit = self._active[on] = tuple(r for r in self.rules if r.in_force(on))
        return hit

    def get(self, rule_id: str, on: date | None = None) -> Rule:
        """The rule ``rule_id`` (in force on ``on`` if given); ``KeyError`` if absent."""
        for rule in self.rules if on is None else self.active(on):
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def ids(self) -> list[str]:
        return sorted({r.id for r in self.rules})


def _check_overlaps(rules: list[Rule]) -> None:
    by_key: dict[tuple[str, str | None], list[Rule]] = {}
    for r in rules:
        by_key.setdefault((r.id, r.variant), []).append(r)
    for (rule_id, _), group in by_key.items():
        group.sort(key=lambda r: r.effective_from or date.min)
        for a, b in zip(group, group[1:], strict=False):
            a_end = a.effective_to or date.max
            if (b.effective_from or date.min) < a_end:
                raise RuleError(f"rule {rule_id}: overlapping effective ranges")


def validate_case_override(rule: Rule, offset: int, unit: str) -> tuple[int, str]:
    """Check a per-case timescale (e.g. the A4 frequency a strategy group sets). Raises
    :class:`RuleError` if the rule does not take one or the value is invalid. Whether it is stricter is
    decided per date by the engine (it uses the earlier of the two due dates), because a working-day
    and a week interval compare differently across holidays."""
    if not rule.case_override:
        raise RuleError(f"rule {rule.id}: no per-case timescale allowed")
    return _step(rule.id, offset, unit)


def extension_weeks(path: Path | None = None) -> int:
    """How many weeks one court extension of care proceedings' time limit may reach
    (``definitions.care_proceedings_extension.max_weeks``, with its source in ``rules.json``)."""
    with (path or RULES_FILE).open(encoding="utf-8") as fh:
        weeks = json.load(fh)["definitions"]["care_proceedings_extension"]["max_weeks"]
    if not isinstance(weeks, int) or weeks < 1:
        raise RuleError("definitions.care_proceedings_extension.max_weeks must be a whole number of weeks")
    return weeks
