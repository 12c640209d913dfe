"""The information pack to a receiving authority (N7, C17) across laptops, through the real server and
PostgreSQL: the pack sent on one laptop reaches another as the case's correspondence (a printed N7 letter
to the authority by name, with its PDF) and as C17's date, with the authority's address and language kept
on the transfer (m0033: new columns travel like every column, the server's row spec being derived from the
laptop's migrations)."""

from __future__ import annotations

import json
from typing import Any

from desktop.services.child_protection.transfers import TransferService
from desktop.services.letters import LetterService
from desktop.sync.status import needs_attention
from tests.sync.helpers import make_case

ADDRESS = "Neuadd y Sir\nLlandrindod Wells\nLD1 5LG"


def test_the_pack_sent_on_one_laptop_is_in_the_correspondence_on_another(srv, laptops) -> None:
    w, m = laptops("wendy"), laptops("mari")
    case, child = make_case(w)
    today = w.session.today().isoformat()

    def register(tx: Any) -> None:
        tx.insert("register_entry", {"person_id": child, "registered_on": today, "categories": json.dumps(["neglect"]),
                                     "coordinator_id": w.uid, "status": "active"}, case_id=case)

    w.write(register)
    assert w.sync().verified  # the case is on the server before the pack (see the report: same-push updates)
    transfer = TransferService(w.session).move_out(case, child, notified_on=today, receiving_la="Cyngor Sir Powys",
                                                   receiving_address=ADDRESS)
    sent = TransferService(w.session).send_information_pack(transfer["id"], authority="Cyngor Sir Powys",
                                                            address=ADDRESS, language="bilingual", sent_on=today)
    assert w.sync().verified and m.sync().verified
    assert not needs_attention(w.store)

    row = m.store.rows("SELECT information_sent_on, other_la_address, other_la_language FROM cp_transfer"
                       " WHERE id = ?", [transfer["id"]])
    assert row == [{"information_sent_on": today, "other_la_address": ADDRESS, "other_la_language": "bilingual"}]
    (pack,) = [x for x in LetterService(m.session).history(case) if x.code == "N7"]
    assert (pack.status, pack.recipient_name, pack.language) == ("printed", "Cyngor Sir Powys", "bilingual")
    assert LetterService(m.session).pdf(pack.id) == sent.pdf  # the very PDF sent, kept
