"""Every placeholder of every letter template is accounted for: a worker's free text has a Welsh
source (so a Welsh or bilingual letter waits for its Welsh), everything else is a name, date, number or
the system's own bilingual words. A new free-text placeholder with no Welsh source fails here."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.services import letter_placeholders as lp
from desktop.services.welsh_text import LABELS, WELSH_COLUMNS, WHAT
from reports.templates import template_ids, validate_templates

ROOT = Path(__file__).resolve().parents[2]


def unaccounted(templates: dict, quoted: dict, facts: frozenset, system: dict, not_sent: dict) -> list[str]:
    """``template: placeholder`` for each placeholder in none of the four declarations, and each
    quoted source that has no Welsh column or no words for a held letter."""
    problems = []
    for tid, tpl in sorted(templates.items()):
        if tid in not_sent:
            continue
        for name in sorted(tpl.placeholders):
            sources = quoted.get(tid, {}).get(name)
            if sources is None:
                if name not in facts and name not in system.get(tid, ()):
                    problems.append(f"{tid}: {name} (free text? give it a Welsh source)")
                continue
            for table, column in sources:
                if column not in WELSH_COLUMNS.get(table, ()) or WHAT.get((table, column)) not in LABELS:
                    problems.append(f"{tid}: {name} from {table}.{column} has no Welsh column or no words")
    return problems


def test_every_placeholder_is_quoted_with_its_welsh_or_is_not_free_text() -> None:
    templates = validate_templates()
    assert set(templates) == set(template_ids()) and len(templates) >= 20
    assert unaccounted(templates, lp.QUOTED, lp.FACTS, lp.SYSTEM_TEXT, lp.NOT_SENT) == []
    # The declarations name real templates and placeholders only (no stale entries hiding a gap).
    for tid, names in {**lp.QUOTED, **lp.SYSTEM_TEXT}.items():
        assert tid in templates and set(names) <= templates[tid].placeholders, tid
    every = set().union(*(t.placeholders for t in templates.values()))
    assert lp.FACTS <= every


def test_the_walk_fails_on_a_free_text_with_no_welsh_source() -> None:
    """The walk itself can fail: N13's 'what happened' without its source, or with a source that has
    no Welsh column, is reported."""
    templates = validate_templates()
    without = {tid: dict(names) for tid, names in lp.QUOTED.items()}
    del without["n13_denied_access"]["what_happened"]
    assert unaccounted(templates, without, lp.FACTS, lp.SYSTEM_TEXT, lp.NOT_SENT) == [
        "n13_denied_access: what_happened (free text? give it a Welsh source)"]
    wrong = {**lp.QUOTED, "n13_denied_access": {"what_happened": (("cp_visit", "others_present"),)}}
    assert unaccounted(templates, wrong, lp.FACTS, lp.SYSTEM_TEXT, lp.NOT_SENT) == [
        "n13_denied_access: what_happened from cp_visit.others_present has no Welsh column or no words"]


def test_a_template_not_sent_yet_is_sent_by_nothing() -> None:
    """``NOT_SENT`` is honest: no module under desktop/ names a template it lists; and the plan letter (N19)
    is queued by the child protection conference for a family and by the adult's plan for the adult, the
    two templates whose free texts ``QUOTED`` names."""
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "desktop").rglob("*.py")}
    for tid in lp.NOT_SENT:
        assert not [p for p, s in sources.items() if tid in s and p.name != "letter_placeholders.py"], tid
    senders = [p.relative_to(ROOT).as_posix() for p, s in sources.items()
               if re.search(r'template_id="N19"', s)]
    assert sorted(senders) == ["desktop/services/adults/plan.py", "desktop/services/child_protection/conference.py"]
    assert '"audience": "adult"' in sources[ROOT / "desktop/services/adults/plan.py"]
    assert '"audience": "family"' in sources[ROOT / "desktop/services/child_protection/conference.py"]
    assert {"n19_plan_adult", "n19_plan_family"} <= set(lp.QUOTED)
