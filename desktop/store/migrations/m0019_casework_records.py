"""Case notes and contacts, supervision and management sign-off (issue 19).

* ``case_note`` — a worker's day-to-day record of a case: what kind of contact (home visit, phone,
  meeting, email or letter, office, other), when (date, and time when known), the text, in which
  language it was written, and whether it is a significant event (with its category), for the
  chronology. Append-only: a correction is a new note whose ``amends_id`` points at the one it
  corrects, with the reason (as visits).
* ``case_note_party`` — who was involved: a person on the case or an agency, one row each
  (append-only; a foreign key each, so the server authorises every person a note names).
* ``case_note_fts`` — the full-text index of the current notes (live, and not corrected by a later one;
  SQLite FTS5 inside the encrypted database), one column per language the note was written in (``cy``,
  ``en``), tokenised with ``unicode61`` and diacritics removed (``Tŵr`` matches ``twr``). It and
  ``case_note_search`` (a stable integer per note — SQLite may renumber a table's own rowids, this key
  never moves — and the note's case, for scope) are *derived*: triggers keep them in step with
  ``case_note`` whoever writes it — a service, a sync pull, an import, a purge — and they are left out of
  exports and rebuilt on import.
* ``supervision`` — a manager's supervision of a worker's case: when, whose work, by whom, what was
  discussed and decided. Append-only with amendments.
* ``supervision_action`` — an action agreed at supervision, with its owner and due date; it waits in
  the owner's My work until they say it is done (mutable: ``done_on``, ``done_by``, ``outcome``).
* ``signoff`` — a manager's decision on a record that needs sign-off (an assessment, a plan, a
  closure, a de-registration: which kinds is configuration, ``desktop/domain/oversight.json``):
  ``signed_off`` or ``returned`` with comments; a worker answering a return records ``resubmitted``.
  Append-only: the latest decision on a record is its state.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import register_append_only, split_sql, synced_table

register_append_only("case_note", "case_note_party", "supervision", "signoff")

NOTE_KINDS = ("home_visit", "phone", "meeting", "email_letter", "office", "other")
SIGNOFF_DECISIONS = ("signed_off", "returned", "resubmitted")

TABLES = [
    synced_table(
        "case_note",
        f"""
        kind TEXT NOT NULL CHECK (kind IN ({", ".join(f"'{k}'" for k in NOTE_KINDS)})),
        occurred_on TEXT NOT NULL,
        occurred_at TEXT,
        language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('cy', 'en')),
        body TEXT NOT NULL,
        significant INTEGER NOT NULL DEFAULT 0 CHECK (significant IN (0, 1)),
        category TEXT,
        others TEXT,
        author_id TEXT NOT NULL REFERENCES practitioner(id),
        amends_id TEXT,
        amendment_reason TEXT,
        CHECK (significant = 1 OR category IS NULL)
        """,
    ),
    synced_table(
        "case_note_party",
        """
        note_id TEXT NOT NULL REFERENCES case_note(id),
        person_id TEXT REFERENCES person(id),
        agency_id TEXT REFERENCES agency(id),
        CHECK ((person_id IS NULL) <> (agency_id IS NULL))
        """,
    ),
    synced_table(
        "supervision",
        """
        worker_id TEXT REFERENCES practitioner(id),
        supervisor_id TEXT NOT NULL REFERENCES practitioner(id),
        held_on TEXT NOT NULL,
        discussion TEXT NOT NULL,
        decisions TEXT,
        amends_id TEXT,
        amendment_reason TEXT
        """,
    ),
    synced_table(
        "supervision_action",
        """
        supervision_id TEXT NOT NULL REFERENCES supervision(id),
        description TEXT NOT NULL,
        owner_id TEXT NOT NULL REFERENCES practitioner(id),
        due_on TEXT NOT NULL,
        done_on TEXT,
        done_by TEXT REFERENCES practitioner(id),
        outcome TEXT
        """,
    ),
    synced_table(
        "signoff",
        f"""
        record_kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        person_id TEXT REFERENCES person(id),
        decision TEXT NOT NULL CHECK (decision IN ({", ".join(f"'{d}'" for d in SIGNOFF_DECISIONS)})),
        comments TEXT,
        decided_on TEXT NOT NULL,
        decided_by TEXT NOT NULL REFERENCES practitioner(id)
        """,
    ),
]

# The note's text goes into the column of the language it was written in; nothing else is indexed.
_FTS_ROW = """(SELECT n FROM case_note_search WHERE note_id = new.id),
    CASE WHEN new.language = 'cy' THEN new.body ELSE '' END,
    CASE WHEN new.language = 'cy' THEN '' ELSE new.body END"""
# Only what a search may find is indexed: live notes that no later note corrects (a search then needs no
# per-row check of corrections, and answers 50,000 notes in milliseconds).
_CURRENT = ("new.deleted = 0 AND NOT EXISTS (SELECT 1 FROM case_note a WHERE a.amends_id = new.id"
            " AND a.deleted = 0)")
_FORGET = """DELETE FROM case_note_fts WHERE rowid = (SELECT n FROM case_note_search WHERE note_id = {id});
        DELETE FROM case_note_search WHERE note_id = {id};"""

STATEMENTS = """
CREATE INDEX case_note_case ON case_note(case_id, occurred_on);
CREATE INDEX case_note_amends ON case_note(amends_id);
CREATE INDEX case_note_party_note ON case_note_party(note_id);
CREATE INDEX case_note_party_person ON case_note_party(person_id);
CREATE INDEX supervision_case ON supervision(case_id, held_on);
CREATE INDEX supervision_amends ON supervision(amends_id);
CREATE INDEX supervision_action_owner ON supervision_action(owner_id, done_on);
CREATE INDEX supervision_action_supervision ON supervision_action(supervision_id);
CREATE INDEX signoff_record ON signoff(record_id, created_at);
CREATE INDEX signoff_case ON signoff(case_id);
CREATE TABLE case_note_search (n INTEGER PRIMARY KEY, note_id TEXT NOT NULL UNIQUE, case_id TEXT);
CREATE VIRTUAL TABLE case_note_fts USING fts5(cy, en, tokenize = 'unicode61 remove_diacritics 2');
"""

TRIGGERS = [
    # A new note is indexed (unless a correction of it is already here, as a pull may bring them), and
    # the note it corrects leaves the index.
    f"""CREATE TRIGGER case_note_fts_insert AFTER INSERT ON case_note BEGIN
        {_FORGET.format(id="new.amends_id")}
        INSERT INTO case_note_search (note_id, case_id) SELECT new.id, new.case_id WHERE {_CURRENT};
        INSERT INTO case_note_fts (rowid, cy, en) SELECT {_FTS_ROW} WHERE {_CURRENT};
    END""",
    f"""CREATE TRIGGER case_note_fts_delete AFTER DELETE ON case_note BEGIN
        {_FORGET.format(id="old.id")}
    END""",
    f"""CREATE TRIGGER case_note_fts_update AFTER UPDATE OF body, language, deleted ON case_note BEGIN
        {_FORGET.format(id="old.id")}
        INSERT INTO case_note_search (note_id, case_id) SELECT new.id, new.case_id WHERE {_CURRENT};
        INSERT INTO case_note_fts (rowid, cy, en) SELECT {_FTS_ROW} WHERE {_CURRENT};
    END""",
]

DERIVED = ("case_note_search", "case_note_fts", "case_note_fts_data", "case_note_fts_idx",
           "case_note_fts_content", "case_note_fts_docsize", "case_note_fts_config")
"""Tables the triggers above maintain (FTS5 makes the ``_data``/``_idx``/… shadow tables itself)."""


@MIGRATIONS(name="m0019_casework_records")
def m0019_casework_records(db: Database) -> None:
    for table in TABLES:
        db.execute(table)
    for statement in [*split_sql(STATEMENTS), *TRIGGERS]:
        db.execute(statement)
