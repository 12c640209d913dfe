"""The audit anchor, laptop side (Qt-free): send the audit chain's head at the end of each sync, keep
what the server gave back, and compare the local chain with it (``diogel check``).

See ``server/audit_anchor.py`` for the protocol. The anchor kept here (``sync_state`` key
``audit_anchor``: ``{"entries", "head", "received_at"}``) lets ``diogel check`` catch a chain cut
short (fewer entries than the server was told of) or re-forged (a different hash at the anchored
entry, however carefully every hash after an edit was recomputed). Whoever also rewrites this
remembered anchor is caught by the server at the next sync, which keeps every anchor and every break.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop.i18n import N_, NN_
from desktop.store.audit import GENESIS

STATE_KEY = "audit_anchor"
INCIDENT_KEY = "audit_incident"

INCIDENTS = {
    "truncated": N_("At the last sync the server found fewer audit entries on this laptop than it had been told"
                    " of; it has kept a record of that."),
    "reforged": N_("At the last sync the server found an audit entry on this laptop changed since it was told of"
                   " it; it has kept a record of that."),
    "unproven": N_("At the last sync this laptop could not show the audit entry the server was last told of; the"
                   " server has kept a record of that."),
}


def _one(db: Any, sql: str, params: Any = ()) -> Any:
    """A single value from a ``Store`` (``rows``), a ``Tx`` (``query``) or a sqlite-utils ``Database``."""
    if hasattr(db, "rows"):
        rows = [tuple(r.values()) for r in db.rows(sql, params)]
    elif hasattr(db, "query") and not hasattr(db, "execute"):
        rows = [tuple(r.values()) for r in db.query(sql, params)]
    else:
        rows = db.execute(sql, params).fetchall()
    return rows[0][0] if rows else None


def chain_head(db: Any) -> tuple[int, str]:
    """(number of entries, hash of the last one) of the local audit chain."""
    row_hash = _one(db, "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1")
    count = _one(db, "SELECT count(*) FROM audit") or 0
    return int(count), str(row_hash or GENESIS)


def hash_at(db: Any, entries: int) -> str | None:
    """The hash of entry number ``entries`` (``GENESIS`` for 0), or ``None`` if there is no such entry."""
    if entries == 0:
        return GENESIS
    value = _one(db, "SELECT hash FROM audit WHERE seq = ?", [entries])
    return str(value) if value is not None else None


def remembered(db: Any) -> dict[str, Any] | None:
    """The last anchor the server gave back, or ``None``."""
    raw = _one(db, "SELECT value FROM sync_state WHERE key = ?", [STATE_KEY])
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return {"entries": -1, "head": "", "received_at": ""}  # unreadable: compare() says so
    return value if isinstance(value, dict) else None


def request_body(db: Any, device_id: str) -> dict[str, Any]:
    """What to send: the head now, and proof of the entry the last anchor named."""
    entries, head = chain_head(db)
    body: dict[str, Any] = {"device_id": device_id, "entries": entries, "head": head, "since": None}
    last = remembered(db)
    if last and isinstance(last.get("entries"), int) and last["entries"] >= 0:
        body["since"] = {"entries": last["entries"], "hash": hash_at(db, last["entries"]) or GENESIS}
    return body


@dataclass(frozen=True)
class Finding:
    """One line of ``diogel check`` about the anchor; ``ok`` False makes the check fail."""

    ok: bool
    msgid: str
    params: dict[str, Any]


@dataclass(frozen=True)
class _Words:
    """What a check says of the chain against an anchor: entries removed, an entry rewritten, all there."""

    removed: str
    rewritten: str
    intact: str


_REMEMBERED = _Words(
    NN_("Audit chain truncated: the server was told of {entries} entry on {date}, but only {count} are here.",
        "Audit chain truncated: the server was told of {entries} entries on {date}, but only {count} are here.",
        "entries"),
    N_("Audit chain re-forged: entry {entries} is not the one the server was told of on {date}."),
    NN_("Audit anchor: the {entries} entry the server was told of on {date} is here, unchanged.",
        "Audit anchor: the {entries} entries the server was told of on {date} are all here, unchanged.", "entries"))
_SERVERS = _Words(
    NN_("Server: it was told of {entries} audit entry on {date}; only {count} are here: entries have been removed"
        " since.",
        "Server: it was told of {entries} audit entries on {date}; only {count} are here: entries have been removed"
        " since.", "entries"),
    N_("Server: audit entry {entries}, which it was told of on {date}, has been rewritten since."),
    NN_("Server: the {entries} audit entry it was told of on {date} is here, unchanged.",
        "Server: the {entries} audit entries it was told of on {date} are all here, unchanged.", "entries"))


def _against(db: Any, entries: int, head: str, when: str, words: _Words) -> Finding:
    """The chain here against an anchor of ``entries`` entries ending in ``head``, told on ``when``."""
    count, _head = chain_head(db)
    if count < entries:
        return Finding(False, words.removed, {"entries": entries, "date": when, "count": count})
    if hash_at(db, entries) != head:
        return Finding(False, words.rewritten, {"entries": entries, "date": when})
    return Finding(True, words.intact, {"entries": entries, "date": when})


def compare(db: Any) -> list[Finding]:
    """The local chain against the remembered anchor (and the server's last finding, if any)."""
    anchor = remembered(db)
    out: list[Finding] = []
    if anchor is None:
        out.append(Finding(True, N_("Audit anchor: none yet (the audit has not been sent to a server)."), {}))
    else:
        entries, head = anchor.get("entries"), anchor.get("head")
        if not isinstance(entries, int) or entries < 0 or not isinstance(head, str):
            out.append(Finding(False, N_("Audit anchor: the anchor this laptop keeps is unreadable."), {}))
        else:
            out.append(_against(db, entries, head, str(anchor.get("received_at", ""))[:10], _REMEMBERED))
    incident = _one(db, "SELECT value FROM sync_state WHERE key = ?", [INCIDENT_KEY])
    if incident in INCIDENTS:
        out.append(Finding(False, INCIDENTS[incident], {}))
    return out


# -- what the server holds (``diogel check`` asks it) --------------------------------------------------
SERVER_INCIDENTS = {
    "truncated": N_("Server: on {date} it recorded that this laptop's audit chain had been cut short"
                    " (entries anchored: {anchored}; sent: {sent})."),
    "reforged": N_("Server: on {date} it recorded that an audit entry on this laptop had been rewritten"
                   " (entries anchored: {anchored}; sent: {sent})."),
    "unproven": N_("Server: on {date} it recorded that this laptop could not show the audit entry it was last"
                   " told of (entries anchored: {anchored}; sent: {sent})."),
}


def server_compare(db: Any, held: dict[str, Any]) -> list[Finding]:
    """The local chain against what the server keeps for this device (``GET /v1/audit-anchor``): its
    newest anchor — fewer entries here than anchored means entries removed since, a different hash at
    the anchored entry means the chain rewritten — and every break it recorded. Unlike :func:`compare`
    this does not trust anything the laptop remembers."""
    out: list[Finding] = []
    kept = held.get("anchor")
    if not isinstance(kept, dict):
        out.append(Finding(True, N_("Server: it holds no audit anchor for this laptop yet."), {}))
    else:
        out.append(_against(db, int(kept["entries"]), str(kept["head"]), str(kept.get("received_at", ""))[:10],
                            _SERVERS))
    for incident in held.get("incidents") or ():
        msgid = SERVER_INCIDENTS.get(str(incident.get("kind")))
        if msgid is None:  # a kind this build does not know is still a break: never dropped
            msgid = SERVER_INCIDENTS["unproven"]
        out.append(Finding(False, msgid, {"date": str(incident.get("at", ""))[:10],
                                          "anchored": incident["anchored"]["entries"],
                                          "sent": incident["sent"]["entries"]}))
    if held.get("more"):
        out.append(Finding(False, N_("Server: it recorded older breaks too; whoever audits laptops can list them"
                                     " all."), {}))
    return out


def device_id(db: Any) -> str | None:
    """This laptop's device id (``meta``), or ``None``."""
    value = _one(db, "SELECT value FROM meta WHERE key = 'device_id'")
    return str(value) if value else None


def connection(db: Any) -> tuple[str, str | None, str | None] | None:
    """(server URL, CA bundle, token) of a profile that has synced, or ``None`` if it never has."""
    url = _one(db, "SELECT value FROM sync_state WHERE key = 'server_url'")
    if not url:
        return None
    ca = _one(db, "SELECT value FROM sync_state WHERE key = 'ca_bundle'")
    token = _one(db, "SELECT value FROM sync_state WHERE key = 'token'")
    return str(url), (str(ca) if ca else None), (str(token) if token else None)
