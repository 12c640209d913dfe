"""The Welsh of the free texts letters quote (Qt-free).

A Welsh or bilingual letter quotes workers' free texts: a conference decision's outline plan and
reasons for removal from the register, the child protection plan's outline, outcomes, actions and
support, a visit's observations (access denied), an adult protection conference's outcome, decisions
and support offered, an adult closure's reasons, the adult's plan (why it is needed, its outcomes and actions). Each such column has a ``<column>_cy`` sibling
(migrations ``m0017_welsh_text``, ``m0021_more_welsh_text`` and ``m0030_adult_plan_welsh``); a list column (JSON, e.g. the adult
conference's decisions) has a Welsh list beside it (:data:`LIST_COLUMNS`).
The print queue reads both each time it checks a letter (:class:`Quoted`); a Welsh or bilingual
letter with any quoted text only in English is held as ``needs_welsh:<what>,…`` (``what`` from
:data:`WHAT`), and released by itself once the Welsh is recorded.

Casework that queues a letter whose placeholder is such a text names where it came from in the
letter's data (``data["welsh_sources"] = {placeholder: [[table, id, column, prefix], …]}``, see
:func:`source`), so the letter is re-read from the record, never from a copy.

:class:`WelshTextService` lists what a held letter needs in Welsh and records it through the
record's own rules: a mutable row is updated; an append-only conference decision or visit gets an
amendment carrying the Welsh (the readers already take the latest amendment); a record that never
changes and has no amendments (an adult closure) gets a ``welsh_addition`` naming it (m0027).
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
from desktop.store.migrations import m0017_welsh_text, m0021_more_welsh_text, m0030_adult_plan_welsh
from desktop.store.schema import BOOKKEEPING, is_append_only
from reports import BilingualText

Query = Callable[[str, Sequence[Any]], list[dict[str, Any]]]

WELSH_COLUMNS: dict[str, tuple[str, ...]] = {}
"""Table → every English free-text column with a ``_cy`` sibling (all the migrations that add them)."""
for _step in (m0017_welsh_text.WELSH_COLUMNS, m0021_more_welsh_text.WELSH_COLUMNS,
              m0030_adult_plan_welsh.WELSH_COLUMNS):
    for _table, _columns in _step.items():
        WELSH_COLUMNS[_table] = WELSH_COLUMNS.get(_table, ()) + _columns
LIST_COLUMNS = m0021_more_welsh_text.LIST_COLUMNS

WHAT: dict[tuple[str, str], str] = {
    ("cp_conference_decision", "outline_plan"): "outline_plan",
    ("cp_plan", "outline"): "outline_plan",
    ("cp_plan_outcome", "description"): "outcomes",
    ("cp_conference_decision", "reasons"): "removal_reasons",
    ("adult_closure", "reasons"): "closure_reasons",
    ("adult_conference", "outcome_summary"): "conference_outcome",
    ("adult_conference", "decisions"): "conference_decisions",
    ("adult_conference", "support_offered"): "support_offered",
    ("cp_visit", "observations"): "visit_observations",
    ("cp_plan_action", "description"): "plan_actions",
    ("cp_plan", "support"): "plan_support",
    ("adult_plan", "summary"): "plan_summary",
    ("adult_plan_outcome", "description"): "outcomes",
    ("adult_plan_action", "description"): "plan_actions",
}
"""Each Welsh-bearing column → the word for it in a held reason (:data:`LABELS`)."""

LABELS: dict[str, str] = {
    "outline_plan": N_("the outline plan"),
    "outcomes": N_("the plan's outcomes"),
    "removal_reasons": N_("the reasons for removing a name from the register"),
    "closure_reasons": N_("the reasons for ending the process"),
    "conference_outcome": N_("the outcome of the conference"),
    "conference_decisions": N_("the conference's decisions"),
    "support_offered": N_("the support offered"),
    "visit_observations": N_("what happened on the visit"),
    "plan_actions": N_("the plan's actions"),
    "plan_support": N_("the support in the plan"),
    "plan_summary": N_("why the plan is needed"),
}

# Tables whose rows never change: the Welsh added later is an amendment (``amends_id``). A visit's
# amendment carries its children's rows too (the facts of a visit are read from its latest version).
_AMENDED = frozenset({"cp_conference_decision", "cp_visit"})
_AMENDED_CHILDREN = {"cp_visit": ("cp_visit_child", "visit_id")}


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
    lines: bool = False
    """The text is a list, one item a line (a JSON list column, the plan's support): a letter's list
    section shows each line as an item."""

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

    def items(self) -> list[str | BilingualText]:
        """The text as items of a letter's list: a line each for a :attr:`lines` text (each English
        line beside its Welsh line when the Welsh has as many; otherwise one item a side), else one."""
        if not self.lines:
            return [self.value()]
        en = [self.prefix + line for line in split_lines(self.english)]
        if not self.welsh:
            return list(en)
        cy = [self.prefix + line for line in split_lines(self.welsh)]
        if len(cy) == len(en):
            return [BilingualText(cy=c, en=e) for c, e in zip(cy, en, strict=True)]
        return [BilingualText(cy="\n".join(cy), en="\n".join(en))]


def split_lines(text: str | None) -> list[str]:
    """The non-blank lines of ``text``, trimmed."""
    return [line.strip() for line in (text or "").replace("\r", "").split("\n") if line.strip()]


def stored_text(table: str, column: str, raw: Any) -> str:
    """A column's text as a person reads it: a JSON list column's items a line each."""
    if (table, column) in LIST_COLUMNS:
        try:
            items = json.loads(raw) if isinstance(raw, str) and raw.strip() else (raw or [])
        except ValueError:
            return str(raw)
        return "\n".join(str(i) for i in items if str(i).strip()) if isinstance(items, list) else str(items)
    return raw or ""


def to_stored(table: str, column: str, text: str) -> str:
    """What :func:`stored_text` reads back: a JSON list of the lines for a list column."""
    if (table, column) in LIST_COLUMNS:
        return json.dumps(split_lines(text), ensure_ascii=False)
    return text


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
        english = stored_text(table, column, row.get(column)) if row else ""
        if row is None or row.get("case_id") != case_id or not english.strip():
            continue
        welsh = stored_text(table, column, row.get(f"{column}_cy")) or _added_welsh(query, table, row_id, column,
                                                                                    case_id)
        out.append(Quoted(field, table, row_id, column, english, welsh or None, prefix,
                          lines=(table, column) in LIST_COLUMNS))
    return out


def _added_welsh(query: Query, table: str, row_id: str, column: str, case_id: str | None) -> str:
    """The latest Welsh added later to a text of a record that never changes (``welsh_addition``, m0027):
    the last made, and of two made in the same instant the last to reach this laptop."""
    rows = query("SELECT text_cy FROM welsh_addition WHERE source_table = ? AND source_id = ? AND source_column = ?"
                 " AND case_id = ? AND deleted = 0 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                 [table, row_id, column, case_id])
    return stored_text(table, column, rows[0]["text_cy"]) if rows else ""


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
            seen.setdefault(q.key, WelshField(q.key, q.what, q.english, q.welsh))
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

        def write(tx: Tx) -> None:
            for key, text in given.items():
                q = known[key]
                row = latest(tx.query, q.table, q.row_id)
                if row is None or row["case_id"] != case_id:
                    raise NotFound(N_("That record no longer exists."))
                value = to_stored(q.table, q.column, text)
                if q.table in _AMENDED:
                    copy = {k: v for k, v in row.items() if k not in BOOKKEEPING}
                    new = tx.insert(q.table, {**copy, "amends_id": row["id"], f"{q.column}_cy": value},
                                    case_id=row["case_id"])
                    if q.table in _AMENDED_CHILDREN:
                        child_table, parent = _AMENDED_CHILDREN[q.table]
                        for kid in tx.query(f"SELECT * FROM [{child_table}] WHERE [{parent}] = ? AND deleted = 0",
                                            [row["id"]]):
                            tx.insert(child_table, {**{k: v for k, v in kid.items() if k not in BOOKKEEPING},
                                                    parent: new["id"]}, case_id=row["case_id"])
                elif is_append_only(q.table):  # never changes, no amendments (an adult closure)
                    tx.insert("welsh_addition", {"source_table": q.table, "source_id": row["id"],
                                                 "source_column": q.column, "text_cy": value}, case_id=case_id)
                else:
                    tx.update(q.table, row["id"], {f"{q.column}_cy": value})

        self.session.write(write)
        return self.needed(letter_id)


def decode_sources(data: dict[str, Any]) -> dict[str, list[list[str]]]:
    """``data["welsh_sources"]`` as stored (a JSON object of lists), or ``{}``."""
    raw = data.get("welsh_sources") or {}
    if isinstance(raw, str):
        raw = json.loads(raw)
    return {str(k): [list(map(str, e)) for e in v] for k, v in raw.items() if isinstance(v, list)}
