"""What the sync status line says: unsent items, refused items, open conflicts, last success (Qt-free).

Everything is read from the local store, so the status is true even with no connection: "unsent"
counts outbox entries, which leave only when the server acknowledged them.

Thread contract: :func:`read_status` reads through ``store.rows`` on the calling thread (cheap: a few
counts); :func:`status_lines` translates into the interface language at call time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.domain.manager_reach import NOT_YOUR_TEAM, NOT_YOUR_TEAM_TEXT
from desktop.i18n import N_, _, format_datetime, format_message, ngettext
from desktop.store.rowspec import REFERENCE_ENTITIES


@dataclass(frozen=True, slots=True)
class SyncStatus:
    unsent: int
    attention: int
    conflicts: int
    parked: int
    waiting_purge: int
    server: str | None
    signed_in: bool
    last_success: datetime | None
    last_attempt: datetime | None
    last_error: tuple[str, dict[str, str]] | None  # untranslated msgid and its parameters
    demo: bool = False
    """A demo profile: sample data, never connected to a server (its changes stay on this computer)."""
    made_here: int = 0
    """Teams, agencies and staff records this profile made itself (a profile made offline, not by signing in),
    waiting to be sent or refused: the server keeps those itself (reference data) and refuses them."""

    @property
    def offline_demo(self) -> bool:
        return self.demo and not self.server

    @property
    def in_step(self) -> bool:
        """Nothing waits to go and nothing needs a person: safe to sign out and to trust."""
        return self.unsent == 0 and self.attention == 0 and self.conflicts == 0


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


NEVER_SENT = REFERENCE_ENTITIES - {"cover", "practitioner_absence"}
"""Reference records no laptop's push can carry, whatever the role (a manager's cover and absence can)."""
_MADE_HERE = ", ".join(f"'{e}'" for e in sorted(NEVER_SENT))

MADE_HERE_TEXT = N_("This profile was made on this computer, not by signing in to the server, so its team and "
                    "staff records were made here. The server keeps teams and staff itself and refuses these "
                    "records: they wait in “Needs attention”. To take your role, team and caseload from the "
                    "server, make a new profile with “Create from server…”.")
"""Said before a sync tries (the status lines, the server sign-in form, ``diogel sync``) when
:attr:`SyncStatus.made_here`."""


def read_status(store: Any) -> SyncStatus:
    counts = store.rows(
        "SELECT (SELECT count(*) FROM outbox WHERE state = 'pending') AS unsent,"
        " (SELECT count(*) FROM outbox WHERE state = 'attention') AS attention,"
        " (SELECT count(*) FROM sync_conflict WHERE status = 'open') AS conflicts,"
        " (SELECT count(*) FROM sync_parked) AS parked,"
        " (SELECT count(*) FROM sync_purge) AS waiting_purge,"
        f" (SELECT count(*) FROM outbox WHERE state IN ('pending', 'attention') AND entity IN ({_MADE_HERE}))"
        " AS made_here"
    )[0]
    state = {r["key"]: r["value"] for r in store.rows("SELECT key, value FROM sync_state")}
    error = None
    if state.get("last_error"):
        try:
            raw = json.loads(state["last_error"])
            error = (raw["msgid"], raw.get("params", {}))
        except (ValueError, KeyError, TypeError):
            error = None
    return SyncStatus(
        unsent=counts["unsent"],
        attention=counts["attention"],
        conflicts=counts["conflicts"],
        parked=counts["parked"],
        waiting_purge=counts["waiting_purge"],
        server=state.get("server_url"),
        signed_in=bool(state.get("token")),
        last_success=_when(state.get("last_success")),
        last_attempt=_when(state.get("last_attempt")),
        last_error=error,
        demo=state.get("demo") == "1",
        made_here=counts["made_here"],
    )


# Why the server refused a change, in words a person can act on (the server's own message, in English,
# stays in ``server_message``).
REASONS: dict[str, str] = {
    "out_of_scope": N_("This record is no longer in your caseload on the server."),
    "reference_data": N_("Staff, teams and roles are changed only by an administrator on the server, and "
                         "allocation, cover and absence only by a manager. Ask your team manager."),
    NOT_YOUR_TEAM: NOT_YOUR_TEAM_TEXT,  # the same words the laptop says before writing
    "append_only": N_("This record cannot be changed once saved; record an amendment instead."),
    "invalid_row": N_("The server cannot store this record as it is: {detail}"),
    "unknown_reference": N_("This record points at a record the server does not have."),
    "unknown_entity": N_("The server does not know this kind of record; it may need updating."),
    "op_id_taken": N_("This change's identifier is already used by another person or laptop."),
    "role": N_("Your role cannot record this kind of record."),
}


def refusal_text(reason: str | None, server_message: str | None) -> str:
    """The refusal in the interface language; the server's words when the reason is not one we know."""
    msgid = REASONS.get(reason or "")
    if msgid is None:
        return server_message or reason or ""
    return _(msgid).format(detail=server_message or "")


def needs_attention(store: Any) -> list[dict[str, Any]]:
    """Outbox entries the server refused, with its reason (``message`` in the interface language); they
    stay until a person acts."""
    out = []
    for r in store.rows("SELECT * FROM outbox WHERE state = 'attention' ORDER BY seq"):
        try:
            err = json.loads(r["last_error"] or "{}")
        except ValueError:
            err = {"message": r["last_error"]}
        reason, server_message = err.get("reason"), err.get("message")
        out.append({**r, "reason": reason, "server_message": server_message,
                    "message": refusal_text(reason, server_message)})  # fmt: skip
    return out


def error_text(status: SyncStatus) -> str:
    if status.last_error is None:
        return ""
    msgid, params = status.last_error
    try:
        return format_message(msgid, params)
    except (KeyError, IndexError):  # parameters recorded by an older version
        return _(msgid)


def status_lines(status: SyncStatus) -> list[str]:
    """The status in words, one fact per line, in the interface language."""
    lines = []
    if status.offline_demo:
        return [_("Demo — not connected to a server"),
                _("This is sample data: changes stay on this computer and are never sent anywhere.")]
    if status.unsent:
        lines.append(ngettext("{count} change not yet sent", "{count} changes not yet sent",
                              status.unsent).format(count=status.unsent))  # fmt: skip
    else:
        lines.append(_("Every change has been sent"))
    if status.attention:
        lines.append(ngettext("{count} change refused by the server needs attention",
                              "{count} changes refused by the server need attention",
                              status.attention).format(count=status.attention))  # fmt: skip
    if status.conflicts:
        lines.append(ngettext("{count} conflict to resolve", "{count} conflicts to resolve",
                              status.conflicts).format(count=status.conflicts))  # fmt: skip
    if status.parked:
        lines.append(ngettext("{count} downloaded record waits for a related record",
                              "{count} downloaded records wait for related records",
                              status.parked).format(count=status.parked))  # fmt: skip
    if status.made_here:
        lines.append(_(MADE_HERE_TEXT))
    if status.last_success:
        lines.append(_("Last successful sync: {when}").format(when=format_datetime(status.last_success.astimezone())))
    else:
        lines.append(_("Never synced"))
    if status.last_error and (not status.last_success or (status.last_attempt and status.last_attempt > status.last_success)):
        lines.append(_("Last sync failed: {reason}").format(reason=error_text(status)))
    return lines
