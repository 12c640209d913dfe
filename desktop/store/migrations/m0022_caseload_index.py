"""The caseload's search and sort table, kept by triggers (issue 22, item 4).

``caseload_index`` (see :mod:`desktop.store.caseload_index`) lets the caseload list read its first
screen, a page and a count by SQL instead of reading every case into Python. It is derived: not
synced (it has none of the bookkeeping columns), not exported, rebuilt here from the rows it
summarises. ``caseload_source`` is the one definition of a case's row; the triggers note the cases
and people a transaction touches, and the store writes those cases' rows again from it just before
the transaction commits (:func:`desktop.store.caseload_index.flush`).
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.caseload_index import COLUMNS, discard, register
from desktop.store.migrations import MIGRATIONS

# The subjects in the order the list has always shown them (members in rowid order), each person
# once per membership, as CaseService.caseload joins them.
_SUBJECTS = """
    SELECT m.rowid AS seq, p.given_names, p.family_name, COALESCE(p.date_of_birth, p.expected_date) AS born,
           p.la_number, p.nhs_number
    FROM case_member m JOIN person p ON p.id = m.person_id AND p.deleted = 0
    WHERE m.case_id = c.id AND m.deleted = 0 AND m.role = 'subject'
"""

STEPS = [
    """CREATE TABLE caseload_index (
        case_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        subjects TEXT NOT NULL,
        date_of_birth TEXT,
        identifiers TEXT NOT NULL,
        search_text TEXT NOT NULL,
        subjects_key TEXT NOT NULL,
        reference_key TEXT NOT NULL,
        dob_key TEXT NOT NULL
    ) WITHOUT ROWID""",
    # a first screen in any of these orders is a walk along one index (ties in case-file order)
    "CREATE INDEX caseload_index_seq ON caseload_index(seq)",
    "CREATE INDEX caseload_index_subjects ON caseload_index(subjects_key, seq)",
    "CREATE INDEX caseload_index_reference ON caseload_index(reference_key, seq)",
    "CREATE INDEX caseload_index_dob ON caseload_index(dob_key, seq)",
    # the Register column asks per case shown (there was no index by case)
    "CREATE INDEX register_entry_case ON register_entry(case_id)",
    f"""CREATE VIEW caseload_source AS
    SELECT case_id, seq, subjects, date_of_birth, identifiers,
           diogel_fold(reference || ' ' || subjects || ' ' || identifiers || ' ' || COALESCE(date_of_birth, '')
                       || ' ' || diogel_uk_date(date_of_birth)) AS search_text,
           diogel_fold(subjects) AS subjects_key, diogel_fold(reference) AS reference_key,
           COALESCE(date_of_birth, '') AS dob_key
    FROM (SELECT c.id AS case_id, c.rowid AS seq, c.reference,
            COALESCE((SELECT group_concat(COALESCE(given_names, '') || ' ' || family_name, ', ')
                      FROM ({_SUBJECTS} ORDER BY seq)), '') AS subjects,
            (SELECT min(born) FROM ({_SUBJECTS})) AS date_of_birth,
            diogel_words((SELECT group_concat(v, ' ') FROM (
                SELECT seq, 0 AS k, la_number AS v FROM ({_SUBJECTS}) WHERE la_number <> ''
                UNION ALL SELECT seq, 1, nhs_number FROM ({_SUBJECTS}) WHERE nhs_number <> ''
                ORDER BY seq, k))) AS identifiers
          FROM case_file c)""",
    # The triggers only note what a transaction touched; the store writes those cases' rows once, just
    # before it commits (desktop.store.caseload_index.flush).
    """CREATE TRIGGER caseload_index_case_insert AFTER INSERT ON case_file BEGIN
        SELECT diogel_caseload_case(NEW.id);
    END""",
    """CREATE TRIGGER caseload_index_case_update AFTER UPDATE OF reference, id ON case_file BEGIN
        SELECT diogel_caseload_case(OLD.id), diogel_caseload_case(NEW.id);
    END""",
    """CREATE TRIGGER caseload_index_case_delete AFTER DELETE ON case_file BEGIN
        SELECT diogel_caseload_case(OLD.id);
    END""",
    """CREATE TRIGGER caseload_index_member_insert AFTER INSERT ON case_member BEGIN
        SELECT diogel_caseload_case(NEW.case_id);
    END""",
    """CREATE TRIGGER caseload_index_member_update AFTER UPDATE ON case_member BEGIN
        SELECT diogel_caseload_case(OLD.case_id), diogel_caseload_case(NEW.case_id);
    END""",
    """CREATE TRIGGER caseload_index_member_delete AFTER DELETE ON case_member BEGIN
        SELECT diogel_caseload_case(OLD.case_id);
    END""",
    """CREATE TRIGGER caseload_index_person_update AFTER UPDATE OF given_names, family_name, date_of_birth,
        expected_date, la_number, nhs_number, deleted, id ON person BEGIN
        SELECT diogel_caseload_person(OLD.id), diogel_caseload_person(NEW.id);
    END""",
    """CREATE TRIGGER caseload_index_person_delete AFTER DELETE ON person BEGIN
        SELECT diogel_caseload_person(OLD.id);
    END""",
    "INSERT INTO caseload_index SELECT {COLUMNS} FROM caseload_source",
]


@MIGRATIONS(name="m0022_caseload_index")
def m0022_caseload_index(db: Database) -> None:
    register(db.conn)
    for step in STEPS:
        db.execute(step.replace("{COLUMNS}", COLUMNS))
    discard()  # the last step wrote every case's row
