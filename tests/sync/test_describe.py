"""Records, details and values in words (desktop.domain.records): every synced kind of record has a name,
every detail the services change has one, and a value is shown as a person reads it."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.domain.records import FIELDS, RECORDS
from desktop.i18n import set_language
from desktop.services.sync_review import value_text
from desktop.sync.local import synced_tables

SERVICES = Path(__file__).resolve().parents[2] / "desktop" / "services"


def test_every_synced_kind_of_record_has_a_name(session) -> None:
    missing = sorted(set(synced_tables(session.store)) - set(RECORDS))
    assert missing == [], f"add a name to desktop/domain/records.py RECORDS: {missing}"


def test_every_detail_the_services_change_has_a_name() -> None:
    changed = set()
    for path in SERVICES.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"tx\.update\(\s*\"[a-z_]+\"\s*,\s*[^,]+,\s*\{([^}]*)\}", text, re.S):
            changed |= set(re.findall(r"\"([a-z_0-9]+)\"\s*:", call.group(1)))
        for block in re.finditer(r"changes\s*=\s*\{([^}]*)\}", text, re.S):
            changed |= set(re.findall(r"\"([a-z_0-9]+)\"\s*:", block.group(1)))
    assert len(changed) > 40, "the scan found the services' updates"
    missing = sorted(changed - set(FIELDS) - {"updated_at", "updated_by", "deleted", "version"})
    assert missing == [], f"add a name to desktop/domain/records.py FIELDS: {missing}"


def test_values_in_words_in_both_languages() -> None:
    names = {"0b6f6a3e-7f7c-4d5e-9d59-1a2b3c4d5e6f": "Rhian Evans"}
    assert value_text("next_review_on", "2026-12-24", names) == "24 Dec 2026"
    assert value_text("coordinator_id", "0b6f6a3e-7f7c-4d5e-9d59-1a2b3c4d5e6f", names) == "Rhian Evans"
    assert value_text("coordinator_id", "11111111-2222-3333-4444-555555555555", names) == "a record not on this laptop"
    assert value_text("categories", '["neglect", "emotional"]', names) == "Neglect, Emotional / psychological abuse"
    assert value_text("interpreter_needed", 1, names) == "Yes"
    assert value_text("phone", "", names) == "(empty)"
    assert value_text("close_reason", "needs met", names) == "needs met", "free text as typed"
    kept = value_text("_row", {"deleted": False, "changed": {"phone": "01267 000000", "updated_at": "x"}}, names)
    assert kept == "Kept, with: phone: 01267 000000"
    set_language("cy")
    assert value_text("next_review_on", "2026-12-24", names) == "24 Rhag 2026"
    assert value_text("interpreter_needed", 0, names) == "Na"
    assert value_text("categories", '["neglect"]', names) == "Esgeulustod"
