"""The Welsh of the free texts letters quote (Qt-free).

A Welsh or bilingual letter quotes workers' free texts: a conference decision's outline plan and
reasons for removal from the register, the child protection plan's outline and outcomes, an adult
closure's reasons. Each such column has a ``<column>_cy`` sibling (migration ``m0017_welsh_text``).
The print queue reads both each time it checks a letter (:class:`Quoted`); a Welsh or bilingual
letter with any quoted text only in English is held as ``needs_welsh:<what>,…`` (``what`` from
:data:`WHAT`), and released by itself once the Welsh is recorded.

Casework that queues a letter whose placeholder is such a text names where it came from in the
letter's data (``data["welsh_sources"] = {placeholder: [[table, id, column, prefix], …]}``, see
:func:`source`), so the letter is re-read from the record, never from a copy.

:class:`WelshTextService` lists what a held letter needs in Welsh and records it through the
record's own rules: a mutable row is updated; an append-only conference decision gets an amendment
carrying the Welsh (the readers already take the latest amendment).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_, translator
from desktop.services.permissions import Can
from desktop.services.scope import require_case
from desktop.store import Tx
from desktop.store.migrations.m0017_welsh_text import WELSH_COLUMNS
from desktop.store.schema import BOOKKEEPING, is_append_only
from reports import BilingualText

Query = Callable[[str, Sequence[Any]], list[dict[str, Any]]]

WHAT: dict[tuple[str, str], str] = {
    ("cp_conference_decision", "outline_plan"): "outline_plan",
    ("cp_plan", "outline"): "outline_plan",
    ("cp_plan_outcome", "description"): "outcomes",
    ("cp_conference_decision", "reasons"): "removal_reasons",
    ("adult_closure", "reasons"): "closure_reasons",
}
"""Each Welsh-bearing column → the word for it in a held reason (:data:`LABELS`)."""

LABELS: dict[str, str] = {
    "outline_plan": N_("the outline plan"),
    "outcomes": N_("the plan's outcomes"),
    "removal_reasons": N_("the reasons for removing a name from the register"),
    "closure_reasons": N_("the reasons for ending the process"),
}

# Tables whose rows never change: the Welsh added later is an amendment (``amends_id``).
_AMENDED = frozenset({"cp_conference_decision"})


def source(table: str, row_id: str, column: str, prefix: str = "") -> list[str]:
    """One entry of ``data["welsh_sources"][placeholder]``: the text of ``table.column`` in row
    ``row_id``, after ``prefix`` (e.g. "Child's name: ", the same in both languages)."""
    if column not in WELSH_COLUMNS.get(table, ()):
        raise ValueError(f"{table}.{column} has no Welsh column")
    return [table, row_id, column, prefix]


def what_text(detail: str, lang: str | None) -> str:
    """``needs_welsh``'s detail (``outline_plan,outcomes``) in words in ``lang``."""
    from desktop.i18n import _

    words = []
    for key in detail.split(","):
        msgid = LABELS.get(key, key)
        words.append(translator(lang).gettext(msgid) if lang else _(msgid))
    return ", ".join(words)


@dataclass(frozen=True)
class Quoted:
    """A free text a letter quotes: where it lives, its English and its Welsh (``None`` if none)."""

    field: str
    table: str
    row_id: str
    column: str
    english: str
    welsh: str | None
    prefix: str = ""

    @property
    def what(self) -> str:
        return WHAT[(self.table, self.column)]

    @property
    def key(self) -> str:
        """How the add-the-Welsh form names it: ``table:id:column``."""
        return f"{self.table}:{self.row_id}:{self.column}"

    def value(self) -> str | BilingualText:
        """The text for the letter: both languages when the Welsh exists, else the English."""
        if not self.welsh:
            return self.prefix + self.english
        return BilingualText(cy=self.prefix + self.welsh, en=self.prefix + self.english)


def needs_welsh(quoted: Sequence[Quoted]) -> str | None:
    """The held reason for a Welsh or bilingual letter quoting ``quoted`` (``None``: all in Welsh)."""
    missing = sorted({q.what for q in quoted if q.english.strip() and not (q.welsh or "").strip()})
    return "needs_welsh:" + ",".join(missing) if missing else None


def latest(query: Query, table: str, row_id: str) -> dict[str, Any] | None:
    """The row, or for an append-only table the latest live amendment of it."""
    rows = query(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    seen = {row_id}
    while rows and table in _AMENDED:
        later = query(f"SELECT * FROM [{table}] WHERE amends_id = ? AND deleted = 0 ORDER BY created_at DESC LIMIT 1",
                      [rows[0]["id"]])
        if not later or later[0]["id"] in seen:
            break
        seen.add(later[0]["id"])
        rows = later
    return rows[0] if rows and not rows[0]["deleted"] else None


def read_sources(query: Query, field: str, entries: Sequence[Sequence[str]], case_id: str | None) -> list[Quoted]:
    """The texts ``data["welsh_sources"][field]`` names, read from the record now (only records of the
    letter's own case ``case_id``: a letter never quotes, nor lets anyone write to, another case)."""
    out = []
    for entry in entries:
        table, row_id, column, prefix = (list(entry) + ["", "", "", ""])[:4]
        if column not in WELSH_COLUMNS.get(table, ()):
            continue
        row = latest(query, table, row_id)
        if row is None or row.get("case_id") != case_id or not (row.get(column) or "").strip():
            continue
        out.append(Quoted(field, table, row_id, column, row[column], row.get(f"{column}_cy") or None, prefix))
    return out


def joined(quoted: Sequence[Quoted]) -> str | BilingualText:
    """Several quoted texts as paragraphs, in both languages when every one has its Welsh."""
    if all(q.welsh for q in quoted):
        return BilingualText(cy="\n\n".join(q.prefix + (q.welsh or "") for q in quoted),
                             en="\n\n".join(q.prefix + q.english for q in quoted))
    return "\n\n".join(q.prefix + q.english for q in quoted)


@dataclass(frozen=True)
class WelshField:
    """One text a held letter needs in Welsh, for the add-the-Welsh form."""

    key: str
    what: str
    english: str
    welsh: str | None
    editable: bool = True
    """False for a text of a record that never changes once written and has no amendments (an
    adult closure): its Welsh can only be given with the record."""

    def label(self, lang: str | None = None) -> str:
        return what_text(self.what, lang)


class WelshTextService:
    """Adds the Welsh to the texts a held letter quotes (thread contract: any thread)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def _letter_texts(self, letter_id: str) -> tuple[str, list[Quoted]]:
        from desktop.services.letters import LetterService

        letters = LetterService(self.session)
        letter = letters.get(letter_id)
        if letter.case_id is None:
            return "", []
        require_case(self.session, letter.case_id)
        _row, prep = letters._prepare(letter_id)  # noqa: SLF001 - the same builder the queue uses
        return letter.case_id, list(prep.quoted)

    def needed(self, letter_id: str) -> list[WelshField]:
        """The texts the letter quotes with their English and Welsh so far (``Can.RECORD_CASEWORK``
        on a case in scope; the read is audited as casework)."""
        from desktop.services.reads import note_read

        self.session.require(Can.RECORD_CASEWORK)
        case_id, quoted = self._letter_texts(letter_id)
        if case_id:
            note_read(self.session, case_id, "letter_welsh_text", letter_id)
        seen: dict[str, WelshField] = {}
        for q in quoted:
            seen.setdefault(q.key, WelshField(q.key, q.what, q.english, q.welsh, _editable(q.table)))
        return list(seen.values())

    def add(self, letter_id: str, welsh: dict[str, str]) -> list[WelshField]:
        """Record the Welsh of the texts a letter quotes (``welsh``: :attr:`WelshField.key` → text;
        blank entries are left as they are). Refused (``ValidationError``, nothing written) for a key
        the letter does not quote or when nothing is given. One transaction; the letter itself is
        re-checked the next time the queue is listed."""
        self.session.require(Can.RECORD_CASEWORK)
        case_id, quoted = self._letter_texts(letter_id)
        known = {q.key: q for q in quoted}
        given = {k: v.strip() for k, v in welsh.items() if (v or "").strip()}
        if not given:
            raise ValidationError(N_("Write the Welsh of at least one text."), field="welsh")
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ValidationError(N_("That text is not part of this letter."), field="welsh")
        if any(not _editable(known[k].table) for k in given):
            raise ValidationError(N_("This text cannot be changed once recorded; its Welsh is given with the record."),
                                  field="welsh")

        def write(tx: Tx) -> None:
            for key, text in given.items():
                q = known[key]
                row = latest(tx.query, q.table, q.row_id)
                if row is None or row["case_id"] != case_id:
                    raise NotFound(N_("That record no longer exists."))
                if q.table in _AMENDED:
                    copy = {k: v for k, v in row.items() if k not in BOOKKEEPING}
                    tx.insert(q.table, {**copy, "amends_id": row["id"], f"{q.column}_cy": text},
                              case_id=row["case_id"])
                else:
                    tx.update(q.table, row["id"], {f"{q.column}_cy": text})

        self.session.write(write)
        return self.needed(letter_id)


def _editable(table: str) -> bool:
    return table in _AMENDED or not is_append_only(table)


def decode_sources(data: dict[str, Any]) -> dict[str, list[list[str]]]:
    """``data["welsh_sources"]`` as stored (a JSON object of lists), or ``{}``."""
    raw = data.get("welsh_sources") or {}
    if isinstance(raw, str):
        raw = json.loads(raw)
    return {str(k): [list(map(str, e)) for e in v] for k, v in raw.items() if isinstance(v, list)}
