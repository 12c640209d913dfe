"""Safety flags on a person, the basis of parental responsibility and a manager's release of a held
letter (issue 20).

* ``person_flag`` — what must be known about a person before anyone writes to them or about them:
  ``risk_to`` (poses a risk to ``related_person_id``), ``address_confidential`` (a refuge or other
  protected address: every address of the person current on or after ``set_on``, or only
  ``address_id`` when it names one), ``do_not_contact``, ``contact_via`` (contact only through
  ``related_person_id`` or ``via_agency_id``). Set and cleared by a manager with a reason; a flag is
  never deleted: clearing fills ``cleared_on``/``cleared_by``/``cleared_reason`` (the audit keeps both).
  It belongs to its person (no case), so it travels with the person to every case and laptop that
  holds them.
* ``relationship.pr_basis`` — on what basis the related person holds parental responsibility
  (``desktop.domain.types.PR_BASES``), when ``parental_responsibility`` says they do.
* ``letter_release`` — a manager's recorded decision to send a letter the correspondence guard held
  (``held_reason``), with the reason. ``flags_digest`` fingerprints the flags the guard saw: a release
  holds only while they are unchanged. Append-only.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS
from desktop.store.schema import register_append_only, synced_table

register_append_only("letter_release")

FLAG_KINDS = ("risk_to", "address_confidential", "do_not_contact", "contact_via")

TABLES = [
    synced_table(
        "person_flag",
        f"""
        person_id TEXT NOT NULL REFERENCES person(id),
        kind TEXT NOT NULL CHECK (kind IN ({", ".join(f"'{k}'" for k in FLAG_KINDS)})),
        related_person_id TEXT REFERENCES person(id),
        via_agency_id TEXT REFERENCES agency(id),
        address_id TEXT REFERENCES address(id),
        reason TEXT NOT NULL,
        set_on TEXT NOT NULL,
        cleared_on TEXT,
        cleared_by TEXT REFERENCES practitioner(id),
        cleared_reason TEXT,
        CHECK (kind != 'risk_to' OR related_person_id IS NOT NULL),
        CHECK (kind != 'contact_via' OR related_person_id IS NOT NULL OR via_agency_id IS NOT NULL),
        CHECK ((cleared_on IS NULL) = (cleared_reason IS NULL))
        """,
    ),
    synced_table(
        "letter_release",
        """
        letter_id TEXT NOT NULL REFERENCES letter(id),
        held_reason TEXT NOT NULL,
        flags_digest TEXT NOT NULL,
        reason TEXT NOT NULL
        """,
    ),
]


@MIGRATIONS(name="m0020_family_network")
def m0020_family_network(db: Database) -> None:
    for statement in TABLES:
        db.execute(statement)
    db.execute("CREATE INDEX person_flag_person ON person_flag(person_id)")
    db.execute("CREATE INDEX person_flag_related ON person_flag(related_person_id)")
    db.execute("CREATE INDEX letter_release_letter ON letter_release(letter_id)")
    db.execute("ALTER TABLE relationship ADD COLUMN pr_basis TEXT")
    db.execute("CREATE INDEX relationship_related ON relationship(related_person_id)")
