"""Visit facts in O(children), not O(visits): ``cp_latest_visit`` keeps, per case and child, the latest
date the child was seen, seen alone, seen at home and had their bedroom seen — maintained by triggers,
so it is right whoever writes the rows (the visit service, a sync pull, an import).

Why: the timescale facts are ``MAX(date) GROUP BY case, child`` over every visit in scope. Even index-only,
a million child rows cost seconds to decrypt and scan; this table has one row per child.

* Each ``cp_visit_child`` row carries its visit's date (``visited_on``, copied when the append-only row is
  written, so it cannot drift).
* Inserting a child row raises that child's latest dates (unless its visit has been amended).
* Inserting an amendment (``cp_visit.amends_id``) recomputes the latest dates of the children of the
  visit it corrects from their remaining, unamended rows — a correction can move a date back.

``cp_latest_visit`` is derived and local: it has no sync columns (sync ignores it), and its name sorts
before ``cp_visit`` so an export/import that loads tables in name order loads it first and the
triggers then merge into it (the lead may also skip it in exports: it rebuilds itself).
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS

_FLAGS = ("seen", "seen_alone", "seen_at_home", "bedroom_seen")
_DAY = "COALESCE(NEW.visited_on, (SELECT v.visited_on FROM cp_visit v WHERE v.id = NEW.visit_id))"

STATEMENTS = [
    "ALTER TABLE cp_visit_child ADD COLUMN visited_on TEXT",
    "UPDATE cp_visit_child SET visited_on = (SELECT v.visited_on FROM cp_visit v WHERE v.id = visit_id)",
    "CREATE INDEX cp_visit_child_facts ON cp_visit_child (case_id, person_id, visit_id)",
    """CREATE TABLE cp_latest_visit (
        case_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        seen TEXT,
        seen_alone TEXT,
        seen_at_home TEXT,
        bedroom_seen TEXT,
        PRIMARY KEY (case_id, person_id)
    )""",
    f"""CREATE TRIGGER cp_visit_child_latest AFTER INSERT ON cp_visit_child
    WHEN NEW.deleted = 0 AND NOT EXISTS (SELECT 1 FROM cp_visit a WHERE a.amends_id = NEW.visit_id)
    BEGIN
        INSERT INTO cp_latest_visit (case_id, person_id, {", ".join(_FLAGS)})
        VALUES (NEW.case_id, NEW.person_id,
                {", ".join(f"CASE WHEN NEW.{f} = 1 THEN {_DAY} END" for f in _FLAGS)})
        ON CONFLICT (case_id, person_id) DO UPDATE SET
            {", ".join(f"{f} = CASE WHEN excluded.{f} > COALESCE({f}, '') THEN excluded.{f} ELSE {f} END"
                       for f in _FLAGS)};
    END""",
    f"""CREATE TRIGGER cp_visit_amended_latest AFTER INSERT ON cp_visit
    WHEN NEW.amends_id IS NOT NULL
    BEGIN
        DELETE FROM cp_latest_visit WHERE EXISTS (
            SELECT 1 FROM cp_visit_child o WHERE o.visit_id = NEW.amends_id
              AND o.case_id = cp_latest_visit.case_id AND o.person_id = cp_latest_visit.person_id);
        INSERT INTO cp_latest_visit (case_id, person_id, {", ".join(_FLAGS)})
        SELECT vc.case_id, vc.person_id,
               {", ".join(f"MAX(CASE WHEN vc.{f} = 1 THEN vc.visited_on END)" for f in _FLAGS)}
        FROM cp_visit_child vc
        WHERE vc.deleted = 0
          AND (vc.case_id, vc.person_id) IN (SELECT o.case_id, o.person_id FROM cp_visit_child o
                                             WHERE o.visit_id = NEW.amends_id)
          AND NOT EXISTS (SELECT 1 FROM cp_visit a WHERE a.amends_id = vc.visit_id)
        GROUP BY vc.case_id, vc.person_id;
    END""",
    # Rows written before this step.
    f"""INSERT INTO cp_latest_visit (case_id, person_id, {", ".join(_FLAGS)})
    SELECT vc.case_id, vc.person_id, {", ".join(f"MAX(CASE WHEN vc.{f} = 1 THEN vc.visited_on END)" for f in _FLAGS)}
    FROM cp_visit_child vc
    WHERE vc.deleted = 0 AND NOT EXISTS (SELECT 1 FROM cp_visit a WHERE a.amends_id = vc.visit_id)
    GROUP BY vc.case_id, vc.person_id""",
]


@MIGRATIONS(name="m0003a_child_protection_visit_facts")
def m0003a_child_protection_visit_facts(db: Database) -> None:
    for statement in STATEMENTS:  # trigger bodies hold ';', so each statement runs whole
        db.execute(statement)
