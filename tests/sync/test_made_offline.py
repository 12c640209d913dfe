"""A profile made offline (first run, not by signing in) keeps the team and staff records it made for its
person; the server keeps teams and staff itself and refuses them. The laptop says so plainly before a sync
tries — in the sync status (the sync area, the status tooltip, ``diogel sync --status``), on the server
sign-in form and from ``diogel sync`` — and a profile made by signing in never says it.

Seen to fail: with ``made_here`` counting nothing (no line, no warning) and with the sign-in form's intro
left as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main as cli_main
from desktop.i18n import _, set_language
from desktop.services.session import Session
from desktop.sync.client import SyncClient
from desktop.sync.status import MADE_HERE_TEXT, needs_attention, read_status, status_lines
from server.devdb import free_port
from tests.conftest import demo_clock, fast_kdf
from tests.server.harness import PASSWORD


@pytest.fixture
def offline(tmp_path: Path) -> Any:
    session = Session.create_profile(tmp_path / "offline", given_names="Wendy", family_name="Jones",
                                     role="social_worker", team_name="A", password=PASSWORD, kdf=fast_kdf(),
                                     clock=demo_clock())  # fmt: skip
    yield session
    if not session.store._closed:  # noqa: SLF001 - teardown only
        session.close()


def test_a_profile_made_offline_says_so_before_any_sync(offline: Any) -> None:
    status = read_status(offline.store)
    assert status.made_here == 2, "its team and its person's staff record"
    lines = status_lines(status)
    assert any("made on this computer" in line and "Create from server" in line for line in lines)
    set_language("cy")
    try:
        welsh = status_lines(read_status(offline.store))
        assert _(MADE_HERE_TEXT) in welsh and "Creu o'r gweinydd" in _(MADE_HERE_TEXT)
    finally:
        set_language("en")


def test_diogel_sync_says_so_before_it_tries(offline: Any, monkeypatch: Any, capsys: Any) -> None:
    folder = offline.profile.folder
    offline.close()
    monkeypatch.setenv("DIOGEL_PASSWORD", PASSWORD)
    nobody = f"http://127.0.0.1:{free_port()}"  # nothing listens: the sync itself cannot start
    code = cli_main(["sync", "--profile", str(folder), "--server", nobody, "--user", "wendy"], clock=demo_clock())
    err = capsys.readouterr().err
    assert code != 0
    assert "made on this computer" in err
    assert err.index("made on this computer") < err.index("server"), "said first, then why the sync failed"


def test_what_it_says_is_what_the_server_does(srv: Any, laptops: Any, offline: Any) -> None:
    """Signed in and synced, the team and staff records made offline are refused as reference data and wait in
    Needs attention (the text still says so); a profile made by signing in never says it."""
    w = laptops("wendy")
    assert read_status(w.store).made_here == 0
    assert not any("made on this computer" in line for line in status_lines(read_status(w.store)))
    client = SyncClient.for_session(offline, w.transport)
    client.sign_in("wendy", PASSWORD)
    client.sync()
    refused = {(a["entity"], a["reason"]) for a in needs_attention(offline.store)}
    assert refused == {("team", "reference_data"), ("practitioner", "reference_data")}
    assert read_status(offline.store).made_here == 2


@pytest.mark.gui
def test_the_server_sign_in_form_says_so_first(qtbot: Any, offline: Any) -> None:
    from ui.sync.server_dialog import ServerSignInDialog

    dialog = ServerSignInDialog(offline)
    qtbot.addWidget(dialog)
    assert "made on this computer" in dialog.intro.text()
    set_language("cy")
    try:
        dialog.retranslate()
        assert _(MADE_HERE_TEXT) in dialog.intro.text() and "made on this computer" not in dialog.intro.text()
    finally:
        set_language("en")
