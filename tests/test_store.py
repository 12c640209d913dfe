"""The encrypted store: no plaintext on disk, one transaction per write, audit chain, migrations,
damaged files and a full disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.errors import StoreError
from desktop.services.drafts import DraftService
from desktop.services.persons import PersonService
from desktop.services.session import Session
from desktop.store.audit import verify_chain
from desktop.store.migrations import MIGRATIONS, known_names
from desktop.store.profile import Profile
from tests.conftest import PASSWORD

MARKER = "Zephyrine-Quillfeather-7731"


def _all_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in folder.rglob("*") if p.is_file()]


def _contains_marker(folder: Path) -> list[Path]:
    needles = [MARKER.encode("utf-8"), MARKER.encode("utf-16-le"), MARKER.encode("utf-16-be")]
    return [p for p, data in _all_bytes(folder) if any(n in data for n in needles)]


def test_no_plaintext_case_data_anywhere_in_the_profile_folder(session: Session, tmp_path: Path) -> None:
    """A record and a draft holding a unique marker never reach the disk readable: not the
    database, not the WAL, not backups, not temp files — while open and after closing."""
    folder = session.profile.folder
    persons = PersonService(session)
    person = persons.create({"given_names": MARKER, "family_name": "Jones", "date_of_birth": "2015-01-02"})
    persons.update(person["id"], {"preferred_name": MARKER + " junior"})
    DraftService(session).save("visit", {"observations": f"{MARKER} was seen alone"}, context="x")
    session.profile.daily_backup(session.store)
    assert session.profile.backups(), "a backup was written"
    assert list(folder.glob("*-wal")), "WAL mode is on, so the WAL file exists while open"
    assert _contains_marker(folder) == []
    session.close()
    assert _contains_marker(folder) == []
    assert _contains_marker(tmp_path) == []
    # The marker really is stored: reopening with the password finds it.
    again = Session.sign_in(folder, PASSWORD, backup=False)
    try:
        assert again.store.rows("SELECT given_names FROM person")[0]["given_names"] == MARKER
    finally:
        again.close()


def test_every_write_is_row_outbox_and_audit_together(session: Session) -> None:
    persons = PersonService(session)
    person = persons.create({"given_names": "Seren", "family_name": "Tŵr", "date_of_birth": "2018-05-01"})
    persons.update(person["id"], {"family_name": "ap Llŷr"})
    outbox = session.store.rows("SELECT kind, fields, base FROM outbox WHERE entity_id = ? ORDER BY seq", [person["id"]])
    assert [o["kind"] for o in outbox] == ["insert", "update"]
    assert json.loads(outbox[1]["fields"]) == {"family_name": "ap Llŷr"}
    assert json.loads(outbox[1]["base"]) == {"family_name": "Tŵr"}
    audit = session.store.rows("SELECT action, before, after, actor FROM audit WHERE entity_id = ? ORDER BY seq",
                               [person["id"]])
    assert [a["action"] for a in audit] == ["insert", "update"]
    assert json.loads(audit[1]["before"]) == {"family_name": "Tŵr"}
    assert json.loads(audit[1]["after"]) == {"family_name": "ap Llŷr"}
    assert {a["actor"] for a in audit} == {session.user.id}


def test_a_failing_write_leaves_nothing(session: Session) -> None:
    before = session.store.rows("SELECT (SELECT count(*) FROM person) p, (SELECT count(*) FROM outbox) o,"
                                " (SELECT count(*) FROM audit) a")[0]

    def half(tx) -> None:
        tx.insert("person", {"family_name": "Half"})
        raise RuntimeError("crash in the middle")

    with pytest.raises(RuntimeError):
        session.write(half)
    after = session.store.rows("SELECT (SELECT count(*) FROM person) p, (SELECT count(*) FROM outbox) o,"
                               " (SELECT count(*) FROM audit) a")[0]
    assert after == before


def test_audit_is_append_only_and_tampering_breaks_the_chain(session: Session) -> None:
    PersonService(session).create({"family_name": "Evans"})
    assert verify_chain(session.store.read()).ok
    with pytest.raises(Exception, match="append-only"):
        session.write(lambda tx: tx.db.execute("UPDATE audit SET actor = 'someone else' WHERE seq = 1"))
    with pytest.raises(Exception, match="append-only"):
        session.write(lambda tx: tx.db.execute("DELETE FROM audit WHERE seq = 1"))

    def tamper(tx) -> None:  # what someone with the key and a SQL shell could do
        tx.db.execute("DROP TRIGGER audit_no_update")
        tx.db.execute("UPDATE audit SET after = '{\"family_name\":\"Forged\"}' WHERE action = 'insert'")

    session.write(tamper)
    report = verify_chain(session.store.read())
    assert not report.ok and report.broken_at is not None


def test_disk_full_refuses_the_write_and_leaves_nothing_half_written(session: Session) -> None:
    persons = PersonService(session)
    persons.create({"family_name": "Before"})
    pages = session.store.rows("PRAGMA page_count")[0]["page_count"]
    session.write(lambda tx: tx.db.execute(f"PRAGMA max_page_count = {pages}").fetchall())
    counts = session.store.rows("SELECT (SELECT count(*) FROM person) p, (SELECT count(*) FROM audit) a")[0]
    with pytest.raises(StoreError, match="disk is full"):
        persons.create({"family_name": "Big", "communication_needs": "x" * 200_000})
    assert session.store.rows("SELECT (SELECT count(*) FROM person) p, (SELECT count(*) FROM audit) a")[0] == counts
    assert verify_chain(session.store.read()).ok


def test_newer_database_is_refused_and_left_unchanged(session: Session) -> None:
    folder = session.profile.folder
    session.write(lambda tx: tx.db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('diogel', 'm9999_future', 'x')"))
    session.close()
    before = (folder / "diogel.db").read_bytes()
    with pytest.raises(StoreError, match="newer version of Diogel") as err:
        Session.sign_in(folder, PASSWORD, backup=False)
    assert "m9999_future" in err.value.message()
    assert (folder / "diogel.db").read_bytes() == before


def test_migrations_copy_the_file_first(tmp_path: Path) -> None:
    """A database one migration behind is copied to backups/ before the migration runs."""
    from tests.conftest import fast_kdf

    profile, key = Profile.create(tmp_path / "p", PASSWORD, kdf=fast_kdf())
    from desktop.store.database import connect

    db = connect(profile.db_path, key)
    MIGRATIONS.apply(db, stop_before=known_names()[-1])
    db.conn.close()
    store = profile.open_store(key)
    try:
        applied = [r["name"] for r in store.rows("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        assert applied == known_names()
    finally:
        store.close()
    copies = list(profile.backups_dir.glob(f"before-{known_names()[-1]}-*.db"))
    assert len(copies) == 1


def test_damaged_database_gets_a_clear_message_and_the_backup_is_offered(session: Session) -> None:
    folder = session.profile.folder
    PersonService(session).create({"family_name": "Saved"})
    session.store.backup(session.profile.backups_dir / "after-saving.db")
    session.close()
    db = folder / "diogel.db"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])  # a truncated file, e.g. a lid closed mid-copy
    damaged = db.read_bytes()
    with pytest.raises(StoreError) as err:
        Session.sign_in(folder, PASSWORD, backup=False)
    assert "is damaged" in err.value.message() and "after-saving.db" in err.value.message()
    assert db.read_bytes() == damaged, "never overwritten"
    profile = Profile.open(folder)
    backup = err.value.backup  # the newest backup that passed the same check
    assert backup is not None and backup.name == "after-saving.db"
    kept = profile.restore_backup(backup)
    assert kept.read_bytes() == damaged, "the damaged file is kept beside the restored one"
    again = Session.sign_in(folder, PASSWORD, backup=False)
    try:
        assert again.store.rows("SELECT family_name FROM person")[0]["family_name"] == "Saved"
    finally:
        again.close()


def test_draft_survives_a_killed_process(session: Session) -> None:
    """A draft saved by a process that is then killed outright is there at the next sign-in."""
    folder = session.profile.folder
    session.close()
    script = textwrap.dedent(
        f"""
        import os, signal
        from desktop.services.session import Session
        from desktop.services.drafts import DraftService
        s = Session.sign_in({str(folder)!r}, {PASSWORD!r}, backup=False)
        DraftService(s).save("visit", {{"observations": "half-typed on the doorstep"}}, context="case-1")
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent,
                            env={**os.environ}, capture_output=True, timeout=60)
    assert result.returncode == -9, result.stderr.decode()
    again = Session.sign_in(folder, PASSWORD, backup=False)
    try:
        assert DraftService(again).load("visit", context="case-1") == {"observations": "half-typed on the doorstep"}
        assert [d["form"] for d in DraftService(again).pending()] == ["visit"]
    finally:
        again.close()


def test_closing_waits_for_a_read_in_progress_and_a_late_read_is_refused_cleanly(session: Session) -> None:
    """A worker thread still reading when the window closes (a late refresh): close() waits for the read to give
    its connection back instead of closing it under the running query (which crashed the process), and a read
    that starts after the close raises StoreClosed."""
    import threading
    import time

    from desktop.store.store import StoreClosed

    PersonService(session).create({"given_names": "Seren", "family_name": "Tŵr"})
    store = session.store
    reading, results, errors = threading.Event(), [], []

    def late_refresh() -> None:
        try:
            with store.reading() as db:
                reading.set()
                time.sleep(0.3)  # the query is still running when the window closes
                results.append(db.execute("SELECT count(*) FROM person").fetchone()[0])
        except Exception as exc:  # noqa: BLE001 - what the worker would have hit
            errors.append(exc)

    worker = threading.Thread(target=late_refresh)
    worker.start()
    assert reading.wait(5)
    store.close()
    worker.join(5)
    assert errors == [] and results == [1], "the read in progress finished on its own connection"
    with pytest.raises(StoreClosed):
        store.rows("SELECT count(*) AS n FROM person")
