"""Pull: pages of changes after a cursor, scope removals, and per-scope verification.

The cursor is opaque to the client and signed for the user it was issued to (HMAC-SHA256 with a key the
server keeps in its database), so it is parsed only after its signature checks out. Inside it: ``n`` — the highest change sequence number the client has;
``r`` — the id of the scope snapshot (set of cases and persons) the client holds; and, while a unit that
newly entered the scope is being back-filled, ``a`` (snapshot of the units being back-filled) and ``b``
(back-fill position). Snapshots are immutable and content-addressed, so the same cursor always means the
same thing: a client that lost a response simply asks again with the cursor it has.

Why nothing is skipped: sequence numbers are drawn in commit order (server/rowstore.py), the page is read
in one REPEATABLE READ snapshot together with the scope, and ``n`` only advances to the last row returned.
A change committed later always has a larger number than every change already visible. Reference rows
(the same for every laptop) may come from the app's cache (server/reference_cache.py), which answers for
the pull's own snapshot, so a page is byte for byte what PostgreSQL alone would give.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from server.auth import User
from server.config import Settings
from server.db import DbConn, MissingRow, one
from server.reference_cache import CHANGE_JSON, ReferenceCache
from server.reference_cache import query as reference_query
from server.roles import readable
from server.scope import Scope, compute_scope
from server.wire import BadInput

# The record types the user's role may read (server/roles.py): NULL means all.
_ROLE = "(%s::text[] IS NULL OR entity = ANY(%s::text[]))"

# Each change is rendered to JSON text by PostgreSQL: the pull never decodes and re-encodes row data.
_ROW_COLS = f"seq, {CHANGE_JSON} AS change"


# The held units' rows after n: each unit's first rows by the (scope_id, seq) index, then the first of all.
# One index range per unit, whatever plan PostgreSQL keeps for the prepared statement and whatever its
# statistics; as ``seq > n AND scope_id = ANY(units)`` a generic plan made without statistics walked the
# whole seq index from n on, filtering every row (5,000 buffers a pull in the country bench).
_MINE_SQL = (
    f"SELECT seq, {CHANGE_JSON} AS change FROM unnest(%s::uuid[]) AS u(s) CROSS JOIN LATERAL"
    f" (SELECT seq, entity, id, case_id, version, deleted, data FROM rows WHERE scope_id = u.s AND seq > %s AND {_ROLE}"
    " ORDER BY seq LIMIT %s) AS r ORDER BY seq LIMIT %s"
)

_B64 = re.compile(r"[A-Za-z0-9_-]{1,400}")
_SNAP = re.compile(r"[0-9a-f]{32}")


@dataclass
class Cursor:
    n: int = 0
    r: str | None = None
    a: str | None = None
    b: int = 0

    def encode(self, key: bytes, user_id: UUID) -> str:
        """``c2.<payload>.<mac>``: the payload signed for this user, so a cursor cannot be forged, altered
        or used by anyone else."""
        raw = json.dumps({"n": self.n, "r": self.r, "a": self.a, "b": self.b}, separators=(",", ":")).encode()
        body = _b64(raw)
        return f"c2.{body}.{_b64(_mac(key, user_id, body))}"

    @classmethod
    def decode(cls, text: str | None, key: bytes, user_id: UUID) -> Cursor:
        """The cursor, or ``BadInput`` (400 ``invalid_cursor``) for anything this server did not issue to
        this user — parsed strictly: exact shape, exact keys, checked types, signature first."""
        if text is None:
            return cls()
        try:
            if len(text) > 512:
                raise ValueError
            prefix, body, mac = text.split(".") if text.count(".") == 2 else ("", "", "")
            if prefix != "c2" or not _B64.fullmatch(body) or not _B64.fullmatch(mac):
                raise ValueError
            if not hmac.compare_digest(_unb64(mac), _mac(key, user_id, body)):
                raise ValueError
            d = json.loads(_unb64(body).decode("utf-8"))
            if not isinstance(d, dict) or set(d) != {"n", "r", "a", "b"}:
                raise ValueError
            n, r, a, b = d["n"], d["r"], d["a"], d["b"]
            ok = (
                type(n) is int and 0 <= n < 2**63 and type(b) is int and 0 <= b < 2**63
                and (r is None or (isinstance(r, str) and _SNAP.fullmatch(r) is not None))
                and (a is None or (isinstance(a, str) and _SNAP.fullmatch(a) is not None))
            )  # fmt: skip
            if not ok:
                raise ValueError
            return cls(n, r, a, b)
        except (ValueError, UnicodeDecodeError, RecursionError, binascii.Error):
            raise BadInput("invalid cursor: pull again without one", "cursor", status=400, code="invalid_cursor") from None


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, user_id: UUID, body: str) -> bytes:
    return hmac.new(key, f"{user_id}.{body}".encode("ascii"), hashlib.sha256).digest()[:16]


def cursor_key(conn: DbConn) -> bytes:
    """The server's cursor signing key (made by migration 0002; shared by every instance)."""
    row = conn.execute("SELECT key FROM server_keys WHERE name = 'cursor'").fetchone()
    if row is None:
        raise MissingRow("the server has no cursor key: run diogel-server migrate")
    return bytes(row["key"])


def _snapshot_id(scope: Scope) -> str:
    h = hashlib.sha256()
    for u in sorted(str(c) for c in scope.cases):
        h.update(b"c" + u.encode())
    for u in sorted(str(p) for p in scope.persons):
        h.update(b"p" + u.encode())
    return h.hexdigest()[:32]


def _load_snapshot(conn: DbConn, snap: str | None) -> Scope | None:
    if snap is None:
        return None
    row = conn.execute("SELECT cases, persons FROM scope_snapshots WHERE id = %s", (snap,)).fetchone()
    if row is None:
        raise BadInput("invalid cursor (unknown scope snapshot)", "cursor", status=400)
    return Scope(set(row["cases"]), set(row["persons"]))


def _save_snapshot(conn: DbConn, scope: Scope) -> str:
    sid = _snapshot_id(scope)
    conn.execute(
        "INSERT INTO scope_snapshots (id, cases, persons) VALUES (%s, %s, %s) ON CONFLICT (id) DO NOTHING",
        (sid, list(scope.cases), list(scope.persons)),
    )
    return sid


@dataclass
class Page:
    """One pull page; ``changes`` are JSON texts of change objects."""

    changes: list[str]
    removals: list[dict[str, str]]
    cursor: str
    seq: int
    has_more: bool

    def to_json_bytes(self) -> bytes:
        head = json.dumps({"removals": self.removals, "cursor": self.cursor, "seq": self.seq,
                           "has_more": self.has_more})  # fmt: skip
        return ('{"changes":[' + ",".join(self.changes) + "]," + head[1:]).encode("utf-8")

    def as_dict(self) -> dict[str, Any]:
        return json.loads(self.to_json_bytes())


def pull(
    conn: DbConn, settings: Settings, user: User, cursor_text: str | None, limit: int,
    key: bytes | None = None, references: ReferenceCache | None = None,
) -> Page:
    """One page. Runs in the caller's REPEATABLE READ transaction (scope and rows from one snapshot).
    ``references``: the app's cache of reference rows (None: read them from PostgreSQL); the page is
    the same either way."""
    key = key if key is not None else cursor_key(conn)
    cur = Cursor.decode(cursor_text, key, user.id)
    scope = compute_scope(conn, user, settings.today())
    entities = readable(user.role)
    held = _load_snapshot(conn, cur.r) or Scope()
    held_id = cur.r  # stored already: saved again only if the held set changes
    filling = _load_snapshot(conn, cur.a)

    removals: list[dict[str, str]] = []
    gone_cases = held.cases - scope.cases
    gone_persons = held.persons - scope.persons
    if filling is not None:
        gone_cases |= filling.cases - scope.cases
        gone_persons |= filling.persons - scope.persons
    removals += [{"type": "remove_case", "case_id": str(c)} for c in sorted(gone_cases, key=str)]
    removals += [{"type": "remove_person", "person_id": str(p)} for p in sorted(gone_persons, key=str)]
    held = Scope(held.cases & scope.cases, held.persons & scope.persons)
    if filling is not None:
        filling = Scope(filling.cases & scope.cases, filling.persons & scope.persons)

    if cur.n == 0 and filling is None:
        held = scope  # a first pull: everything in scope arrives through the main stream below
    elif filling is None:
        new = Scope(scope.cases - held.cases, scope.persons - held.persons)
        if new.units():
            filling, cur.b = new, 0

    changes: list[str]
    if filling is not None and filling.units():
        # Back-fill: rows of newly visible units up to n (anything after n comes in the main stream).
        rows = conn.execute(
            f"SELECT {_ROW_COLS} FROM rows WHERE scope_id = ANY(%s) AND seq <= %s AND seq > %s AND {_ROLE}"
            " ORDER BY seq LIMIT %s",
            (list(filling.units()), cur.n, cur.b, entities, entities, limit),
        ).fetchall()
        changes = [r["change"] for r in rows]
        if len(rows) < limit:
            held = Scope(held.cases | filling.cases, held.persons | filling.persons)
            filling, cur.b = None, 0
        else:
            cur.b = rows[-1]["seq"]
        has_more = True  # the main stream (or more back-fill) follows
    else:
        filling = None
        # The page is the first ``limit`` rows after n of (the held units' rows ∪ reference rows), in
        # sequence order: the units' rows come from PostgreSQL, the reference rows (the same for every
        # laptop) from the per-process cache, merged by sequence number.
        mine = [(r["seq"], r["change"]) for r in conn.execute(
            _MINE_SQL, (list(held.units()), cur.n, entities, entities, limit, limit))]  # fmt: skip
        reference = (references.rows if references is not None else reference_query)(conn, cur.n, entities, limit)
        # Two sorted runs: the sort merges them (in C); sequence numbers are unique, so only they are compared.
        merged = sorted(mine + reference)[:limit]
        if merged:
            cur.n = merged[-1][0]
        has_more = len(merged) == limit
        changes = [change for _seq, change in merged]
    cur.r = held_id if held_id is not None and _snapshot_id(held) == held_id else _save_snapshot(conn, held)
    cur.a = _save_snapshot(conn, filling) if filling is not None else None
    return Page(changes, removals, cur.encode(key, user.id), cur.n, has_more)


# -- verification -------------------------------------------------------------------------------------

_HASH_SQL = "('x' || substr(md5(entity || ':' || id::text || ':' || version::text), 1, 16))::bit(64)::bigint"


def _fmt(x: int | None) -> str:
    return format((x or 0) & 0xFFFFFFFFFFFFFFFF, "016x")


def verify(conn: DbConn, settings: Settings, user: User) -> dict[str, Any]:
    """Counts and checksums over the user's scope (see docs/sync-protocol.md, "Verification")."""
    scope = compute_scope(conn, user, settings.today())
    entities = readable(user.role)
    as_of = one(conn.execute("SELECT coalesce(max(seq), 0) AS s FROM rows"), "the highest change number")["s"]
    groups = conn.execute(
        f"SELECT scope_id, count(*) AS n, count(*) FILTER (WHERE deleted) AS d, bit_xor({_HASH_SQL}) AS x"
        f" FROM rows WHERE (scope_id IS NULL OR scope_id = ANY(%s)) AND {_ROLE} GROUP BY scope_id",
        (list(scope.units()), entities, entities),
    ).fetchall()
    total_n = total_d = total_x = 0
    cases: dict[str, Any] = {str(c): {"rows": 0, "deleted": 0, "checksum": _fmt(0)} for c in scope.cases}
    persons: dict[str, Any] = {str(p): {"rows": 0, "deleted": 0, "checksum": _fmt(0)} for p in scope.persons}
    reference = {"rows": 0, "deleted": 0, "checksum": _fmt(0)}
    for g in groups:
        entry = {"rows": g["n"], "deleted": g["d"], "checksum": _fmt(g["x"])}
        total_n += g["n"]
        total_d += g["d"]
        total_x ^= g["x"] or 0
        sid: UUID | None = g["scope_id"]
        if sid is None:
            reference = entry
        elif sid in scope.cases:
            cases[str(sid)] = entry
        else:
            persons[str(sid)] = entry
    return {
        "as_of_seq": as_of,
        "total": {"rows": total_n, "deleted": total_d, "checksum": _fmt(total_x)},
        "reference": reference,
        "cases": cases,
        "persons": persons,
    }


def row_hash(entity: str, row_id: str, version: int) -> int:
    """The per-row hash the checksum XORs (what a client computes): first 8 bytes of
    md5("entity:id:version") as an unsigned 64-bit integer."""
    return int(hashlib.md5(f"{entity}:{row_id}:{version}".encode()).hexdigest()[:16], 16)
