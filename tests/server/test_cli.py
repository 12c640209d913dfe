"""The ``diogel-server`` command: migrations, administration, and serving with real uvicorn processes."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from server.devdb import TempCluster, free_port
from server.migrator import SchemaTooNew, migrate

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long secret phrase"


@pytest.fixture
def empty_db(pg_cluster: TempCluster) -> Iterator[str]:
    name = f"cli_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_cluster.dsn(name)
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # Never inherit a password from the developer's shell: each call says exactly what it provides.
    full_env = {k: v for k, v in os.environ.items() if k != "DIOGEL_PASSWORD"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args], cwd=ROOT, env=full_env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def test_migrate_is_idempotent_and_refuses_newer_schema(empty_db: str) -> None:
    from server.migrator import available

    r = cli("migrate", "--database-url", empty_db)
    assert r.returncode == 0 and str([m.number for m in available()]) in r.stdout
    r = cli("migrate", "--database-url", empty_db)
    assert r.returncode == 0 and "up to date" in r.stdout
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_migrations (number, name) VALUES (9999, 'future')")
    with pytest.raises(SchemaTooNew):
        migrate(empty_db)
    assert cli("migrate", "--database-url", empty_db).returncode == 1


def test_admin_commands(empty_db: str, tmp_path: Path) -> None:
    url = ["--database-url", empty_db]
    assert cli("migrate", *url).returncode == 0
    assert cli("create-team", *url, "Tîm Gogledd").returncode == 0
    r = cli("create-user", *url, "wendy", "--role", "social_worker", "--team", "Tîm Gogledd",
            env={"DIOGEL_PASSWORD": PASSWORD})  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert PASSWORD not in r.stdout + r.stderr
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    r = cli(
        "create-user",
        *url,
        "gwyn",
        "--role",
        "social_worker",
        "--team",
        "Tîm Gogledd",
        "--password-file",
        str(pw),
    )
    assert r.returncode == 0, r.stderr
    r = cli("create-user", *url, "nopw", "--role", "social_worker", "--team", "Tîm Gogledd")
    assert r.returncode == 1 and "DIOGEL_PASSWORD" in r.stderr
    r = cli(
        "create-user",
        *url,
        "x",
        "--role",
        "wizard",
        "--team",
        "Tîm Gogledd",
        env={"DIOGEL_PASSWORD": PASSWORD},
    )
    assert r.returncode == 2
    case = str(uuid.uuid4())
    assert cli("allocate", *url, case, "--worker", "wendy").returncode == 0
    assert cli("cover", *url, "gwyn", "wendy", "--from", "2026-11-01", "--to", "2026-11-30").returncode == 0
    r = cli("cover", *url, "gwyn", "wendy", "--from", "2026-11-30", "--to", "2026-11-01")
    assert r.returncode == 1 and "ends before" in r.stderr
    assert cli("allocate", *url, case, "--worker", "nobody").returncode == 1
    with psycopg.connect(empty_db) as conn:
        hashed = conn.execute("SELECT password_hash FROM users WHERE username = 'wendy'").fetchone()[0]
        assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
        worker = conn.execute("SELECT u.username FROM cases c JOIN users u ON u.id = c.worker_id").fetchone()[
            0
        ]
        assert worker == "wendy"


def _serve(url: str, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "server.cli",
        "--database-url",
        url,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    proc = subprocess.Popen([*argv, *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start")


def test_two_uvicorn_instances_serve_one_database(empty_db: str) -> None:
    """Stateless: a token from one instance works on the other; a push on one is pulled from the other."""
    url = ["--database-url", empty_db]
    assert cli("migrate", *url).returncode == 0
    cli("create-team", *url, "A")
    cli(
        "create-user",
        *url,
        "wendy",
        "--role",
        "social_worker",
        "--team",
        "A",
        env={"DIOGEL_PASSWORD": PASSWORD},
    )
    case = str(uuid.uuid4())
    cli("allocate", *url, case, "--team", "A", "--worker", "wendy")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        p1, base1 = _serve(empty_db)
        procs.append(p1)
        p2, base2 = _serve(empty_db, "--workers", "2")  # and one instance with two worker processes
        procs.append(p2)
        login = httpx.post(f"{base1}/v1/login", json={"username": "wendy", "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {login['token']}"}
        op = {
            "op_id": str(uuid.uuid4()), "entity": "cp_core_group", "entity_id": str(uuid.uuid4()), "case_id": case,
            "kind": "insert", "fields": {"held_on": "2026-11-20", "notes": "hi"}, "base": {}, "base_version": 0,
            "append_only": True,
            "actor": login["user"]["id"], "device_id": "d", "local_time": None,
        }  # fmt: skip
        r = httpx.post(f"{base1}/v1/push", json={"ops": [op]}, headers=auth)
        assert r.json()["results"][0]["status"] == "applied"
        r = httpx.post(f"{base2}/v1/push", json={"ops": [op]}, headers=auth)
        assert r.json()["results"][0]["status"] == "duplicate"
        page = httpx.get(f"{base2}/v1/pull", headers=auth).json()
        assert [c["id"] for c in page["changes"] if c["case_id"]] == [op["entity_id"]]
        # The team and wendy's practitioner record, published by the administration commands.
        assert {c["entity"] for c in page["changes"] if not c["case_id"]} == {"team", "practitioner"}
        assert httpx.get(f"{base2}/v1/pull", headers={"Authorization": "Bearer x"}).status_code == 401
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_serves_tls_with_given_certificate(empty_db: str, tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    ctx = ssl.create_default_context(cafile=str(cert))
    port = free_port()
    argv = [sys.executable, "-m", "server.cli", "--database-url", empty_db, "--host", "127.0.0.1",
            "--port", str(port), "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)]  # fmt: skip
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"https://127.0.0.1:{port}/v1/health", verify=ctx, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert r.json()["status"] == "ok"  # migrated at start, served over verified TLS
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)  # no plain HTTP on the TLS port
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_users_letter_language_is_published_with_their_practitioner_row(empty_db: str) -> None:
    """``create-user --language`` and ``set-language`` put the language letters to a user are written in
    on their practitioner row (what every laptop pulls); a change of role keeps it."""
    url = ["--database-url", empty_db]
    pw = {"DIOGEL_PASSWORD": PASSWORD}

    def language(username: str) -> str | None:
        with psycopg.connect(empty_db) as conn:
            return conn.execute(
                "SELECT r.data->>'correspondence_language' FROM rows r JOIN users u ON u.id = r.id"
                " WHERE r.entity = 'practitioner' AND u.username = %s", (username,)).fetchone()[0]

    assert cli("migrate", *url).returncode == 0
    assert cli("create-team", *url, "Tîm De").returncode == 0
    r = cli("create-user", *url, "eleri", "--role", "social_worker", "--team", "Tîm De", "--language", "cy", env=pw)
    assert r.returncode == 0, r.stderr
    assert cli("create-user", *url, "tom", "--role", "social_worker", "--team", "Tîm De", env=pw).returncode == 0
    assert (language("eleri"), language("tom")) == ("cy", None)  # tom's row leaves it to the laptop's default
    assert cli("set-role", *url, "eleri", "--role", "team_manager", "--team", "Tîm De").returncode == 0
    assert language("eleri") == "cy"
    r = cli("set-language", *url, "tom", "en")
    assert r.returncode == 0 and "en" in r.stdout
    assert language("tom") == "en"
    assert cli("set-language", *url, "tom", "klingon").returncode == 2
    assert cli("set-language", *url, "nobody", "cy").returncode == 1
    assert language("tom") == "en"
