"""The other authority's postal address and the language it is written to in, on a transfer (WSP c4-p10):
entered on the move out (or first on the information pack's form) and kept, so every pack to that
authority — one per child of the family — is addressed the same way (N7, C17). ``other_la_language`` is
"cy", "en" or "bilingual" (NULL: not yet chosen). Synced like every column of the table."""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.migrations import MIGRATIONS


@MIGRATIONS(name="m0033_transfer_authority_address")
def m0033_transfer_authority_address(db: Database) -> None:
    db.execute("ALTER TABLE cp_transfer ADD COLUMN other_la_address TEXT")
    db.execute("ALTER TABLE cp_transfer ADD COLUMN other_la_language TEXT")
