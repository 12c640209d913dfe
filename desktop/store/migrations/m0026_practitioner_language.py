"""A practitioner's correspondence language (Welsh Language Standards: ask, record, write in it).

Letters to a practitioner (the access-denied report N13 to the core group and the co-ordinator, the
escalations to a team manager) were bilingual because a practitioner had no recorded language. The
server publishes it with the practitioner's reference row (``diogel-server create-user --language``,
``set-language``, or an outside practitioner's reference row); a row from a server that does not send
it keeps ``unknown`` (a bilingual letter, Welsh first, as before). Synced like every column of the
table: the row spec is derived from these migrations.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS


@MIGRATIONS(name="m0026_practitioner_language")
def m0026_practitioner_language(db: Database) -> None:
    db.execute(
        "ALTER TABLE practitioner ADD COLUMN correspondence_language TEXT NOT NULL DEFAULT 'unknown'"
        " CHECK (correspondence_language IN ('cy', 'en', 'bilingual', 'unknown'))")
