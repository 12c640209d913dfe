"""A throwaway PostgreSQL cluster for the test suite and the benchmarks.

Contract: ``TempCluster().start()`` runs ``initdb`` + ``pg_ctl start`` on a fresh temporary directory
and a free TCP port on 127.0.0.1 (trust authentication, durability switched off because the data is
thrown away); ``dsn(dbname)`` gives a connection string (``settings`` adds server settings: the country bench
preloads ``pg_stat_statements`` with them); ``stop()`` stops it and removes the directory.

PostgreSQL refuses to run as root, so when this process is root the cluster is owned by, and every
server binary runs as, the unprivileged ``postgres`` user (through ``runuser``). The temporary directory
is created under the system temp dir (world-traversable), not under pytest's 0700 ``basetemp``.
Binaries come from ``$DIOGEL_PG_BINDIR``, else ``/usr/lib/postgresql/15/bin``, else ``pg_config --bindir``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

DEFAULT_BINDIR = "/usr/lib/postgresql/15/bin"


def find_bindir() -> Path:
    """The directory holding initdb/pg_ctl; raises RuntimeError when none is found."""
    env = os.environ.get("DIOGEL_PG_BINDIR")
    candidates = [env] if env else []
    candidates.append(DEFAULT_BINDIR)
    for cand in candidates:
        if cand and (Path(cand) / "pg_ctl").exists():
            return Path(cand)
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        path = Path(out.stdout.strip())
        if (path / "pg_ctl").exists():
            return path
    raise RuntimeError("PostgreSQL server binaries not found; set DIOGEL_PG_BINDIR")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempCluster:
    """One PostgreSQL cluster on a temp dir; see the module docstring."""

    def __init__(self, bindir: Path | None = None, run_as: str = "postgres",
                 settings: dict[str, str] | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.settings = dict(settings or {})  # extra server settings (``-c name=value``), e.g. a preload
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="diogel-pg-"))
        self.datadir = self.root / "data"
        self.sockdir = self.root / "sock"
        self.logfile = self.root / "postgresql.log"
        self._as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        self._run_as = run_as

    def _cmd(self, *args: str) -> list[str]:
        if self._as_root:
            return ["runuser", "-u", self._run_as, "--", *args]
        return list(args)

    def _run(self, *args: str) -> None:
        proc = subprocess.run(self._cmd(*args), capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            log = self.logfile.read_text() if self.logfile.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {proc.stdout}\n{proc.stderr}\n{log}")

    def start(self) -> TempCluster:
        self.sockdir.mkdir()
        if self._as_root:
            import pwd  # POSIX only, and only needed as root

            pw = pwd.getpwnam(self._run_as)
            for p in (self.root, self.sockdir):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.datadir), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        opts = (
            f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
            "-c shared_buffers=128MB"
        ) + "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-o", opts,
            "-l", str(self.logfile), "-w", "-t", "60", "start",
        )  # fmt: skip
        return self

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        if self.datadir.exists():
            subprocess.run(
                self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop"),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TempCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
