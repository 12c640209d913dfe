"""Reading casework is audited, as opening a case is (Qt-free).

Every service method that hands out casework — visit notes, minutes, plans, assessments, a person's
details — records who read what of which case, in the same hash-chained audit as every write
(action ``read``, the kind of record as ``entity``). The entry is one small transaction, queued on the
writer thread without waiting for it (a read never waits for a write, so a screen never stalls on
one), that tells no commit listener (nothing anyone shows has changed, so no screen refreshes
because of it). A session opened read-only on a full disk cannot write it; the read goes ahead
unrecorded, as the sign-in itself was.
"""

from __future__ import annotations

from typing import Any

from desktop.services.permissions import Can
from desktop.services.scope import require_case


def note_read(session: Any, case_id: str | None, what: str, entity_id: str | None = None) -> None:
    """Audit that the signed-in person read ``what`` (a table or record kind) of ``case_id``."""
    store = session.store
    if store.read_only is not None:
        return
    store.submit(lambda tx: tx.record("read", entity=what, entity_id=entity_id, case_id=case_id),
                 actor=session.user.id, notify=False)


def read_casework(session: Any, case_id: str, what: str, entity_id: str | None = None) -> dict[str, Any]:
    """The case row if the person may read its casework (``Can.VIEW_CASEWORK``, in scope), the read
    audited; ``PermissionDenied`` / ``NotFound`` otherwise (nothing recorded)."""
    session.require(Can.VIEW_CASEWORK)
    case = require_case(session, case_id)
    note_read(session, case_id, what, entity_id)
    return case
