"""Drafts: half-typed forms, autosaved to the encrypted store (Qt-free).

A form saves its fields as JSON under (user, form, context) every few seconds while typing;
after a crash or a killed process the next sign-in finds them. Saving the real record discards
the draft. Drafts stay on this laptop: they are neither synced nor audited keystroke by
keystroke (the record they become is).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from desktop.store import Tx


class DraftService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def save(self, form: str, data: dict[str, Any], context: str = "") -> None:
        """Replace the draft of ``form``/``context`` with ``data`` (one small transaction)."""
        user = self.session.user.id

        def write(tx: Tx) -> None:
            tx.db.execute(
                "INSERT INTO draft (id, user_id, form, context, data, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id, form, context) DO UPDATE SET data = excluded.data,"
                " updated_at = excluded.updated_at",
                [str(uuid.uuid4()), user, form, context, json.dumps(data, ensure_ascii=False, default=str), tx.now],
            )

        self.session.write(write)

    def load(self, form: str, context: str = "") -> dict[str, Any] | None:
        rows = self.session.store.rows(
            "SELECT data FROM draft WHERE user_id = ? AND form = ? AND context = ?",
            [self.session.user.id, form, context],
        )
        return json.loads(rows[0]["data"]) if rows else None

    def discard(self, form: str, context: str = "") -> None:
        user = self.session.user.id
        self.session.write(
            lambda tx: tx.db.execute(
                "DELETE FROM draft WHERE user_id = ? AND form = ? AND context = ?", [user, form, context]
            )
        )

    def pending(self) -> list[dict[str, Any]]:
        """Every draft of the signed-in person, newest first (offered back after a crash)."""
        return self.session.store.rows(
            "SELECT form, context, updated_at FROM draft WHERE user_id = ? ORDER BY updated_at DESC",
            [self.session.user.id],
        )
