"""``diogel-server``: serve, migrate and administer.

    diogel-server --database-url URL [--host H --port P --ssl-certfile F --ssl-keyfile F]   (serve)
    diogel-server migrate --database-url URL
    diogel-server create-team --database-url URL NAME
    diogel-server create-user --database-url URL USERNAME --role ROLE [--team T] [--display-name N]
                              [--password-file F]        (else the password is read from DIOGEL_PASSWORD)
                              [--admin]                (an administrator: may use /v1/admin/...)
    diogel-server set-role --database-url URL USER --role ROLE [--team T]
    diogel-server disable-user --database-url URL USER     (their tokens stop at once)
    diogel-server enable-user --database-url URL USER
    diogel-server allocate --database-url URL CASE_ID [--team T] [--worker USER] [--case-type TYPE]
    diogel-server cover --database-url URL COVER_USER COVERED_USER --from YYYY-MM-DD --to YYYY-MM-DD

``--database-url`` may also come from ``DIOGEL_DATABASE_URL``. Passwords are never printed or logged.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from server import admin
from server.auth import ROLES
from server.config import utc_now
from server.migrator import SchemaTooNew, migrate

SUBCOMMANDS = ("serve", "migrate", "create-team", "create-user", "set-role", "disable-user", "enable-user",
               "allocate", "cover")


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database-url", default=os.environ.get("DIOGEL_DATABASE_URL"),
                   help="PostgreSQL URL (or DIOGEL_DATABASE_URL)")  # fmt: skip


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="diogel-server", description="Diogel sync server")
    sub = ap.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the server (the default)")
    _db_arg(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--ssl-certfile")
    serve.add_argument("--ssl-keyfile")
    serve.add_argument("--token-ttl", type=int, default=12 * 3600, help="token lifetime in seconds")
    serve.add_argument("--max-body", type=int, default=4 * 1024 * 1024, help="request body limit in bytes")
    serve.add_argument("--pool-size", type=int, default=10, help="database connections per worker")
    serve.add_argument("--workers", type=int, default=1, help="worker processes")
    serve.add_argument("--grace-days", type=int, default=30,
                       help="days after a de-allocation during which work made before it is still accepted")
    _db_arg(sub.add_parser("migrate", help="apply pending migrations and exit"))
    ct = sub.add_parser("create-team")
    _db_arg(ct)
    ct.add_argument("name")
    ct.add_argument("--kind", default="cp", choices=admin.TEAM_KINDS)
    cu = sub.add_parser("create-user")
    _db_arg(cu)
    cu.add_argument("username")
    cu.add_argument("--role", required=True, choices=ROLES)
    cu.add_argument("--team")
    cu.add_argument("--display-name")
    cu.add_argument("--password-file", type=Path)
    cu.add_argument("--admin", action="store_true", help="may use the administration endpoints")
    sr = sub.add_parser("set-role")
    _db_arg(sr)
    sr.add_argument("user")
    sr.add_argument("--role", required=True, choices=ROLES)
    sr.add_argument("--team")
    for name in ("disable-user", "enable-user"):
        p = sub.add_parser(name)
        _db_arg(p)
        p.add_argument("user")
    al = sub.add_parser("allocate")
    _db_arg(al)
    al.add_argument("case_id", type=UUID)
    al.add_argument("--team")
    al.add_argument("--worker")
    al.add_argument("--case-type", choices=admin.CASE_TYPES)
    cv = sub.add_parser("cover")
    _db_arg(cv)
    cv.add_argument("cover_user")
    cv.add_argument("covered_user")
    cv.add_argument("--from", dest="starts_on", type=date.fromisoformat, required=True)
    cv.add_argument("--to", dest="ends_on", type=date.fromisoformat, required=True)
    return ap


def _password(args: argparse.Namespace) -> str:
    if args.password_file:
        text = args.password_file.read_text(encoding="utf-8")
        return text.rstrip("\r\n")
    env = os.environ.get("DIOGEL_PASSWORD")
    if env:
        return env
    raise admin.AdminError("give the password in DIOGEL_PASSWORD or with --password-file")


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app
    from server.config import Settings

    migrate(args.database_url)
    with psycopg.connect(args.database_url, row_factory=dict_row) as conn:
        admin.publish_all(conn, utc_now())  # reference rows for teams and users made before they were published
    settings = Settings(
        database_url=args.database_url,
        token_ttl_seconds=args.token_ttl,
        max_body_bytes=args.max_body,
        pool_max_size=args.pool_size,
        grace_days=args.grace_days,
    )
    # Several worker processes: each builds its own app (and pool) from the environment. The app is
    # stateless, so this is the same as running several instances behind a load balancer.
    os.environ.update(
        DIOGEL_DATABASE_URL=args.database_url,
        DIOGEL_TOKEN_TTL=str(args.token_ttl),
        DIOGEL_MAX_BODY=str(args.max_body),
        DIOGEL_POOL_SIZE=str(args.pool_size),
        DIOGEL_GRACE_DAYS=str(args.grace_days),
    )
    target = "server.app:app_from_env" if args.workers > 1 else create_app(settings)
    uvicorn.run(
        target,
        factory=args.workers > 1,
        workers=args.workers if args.workers > 1 else None,
        host=args.host,
        port=args.port,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        log_level="info",
        # Keep request bodies (which carry case data) out of the logs; only the access line is logged.
        access_log=True,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help"):
        argv = ["serve", *argv]
    args = _parser().parse_args(argv)
    if not args.database_url:
        print("diogel-server: --database-url (or DIOGEL_DATABASE_URL) is required", file=sys.stderr)
        return 2
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "migrate":
            done = migrate(args.database_url)
            print(f"applied migrations: {done}" if done else "database is up to date")
            return 0
        now = utc_now()
        with psycopg.connect(args.database_url, row_factory=dict_row) as conn:
            if args.command == "create-team":
                print(admin.create_team(conn, args.name, now, args.kind))
            elif args.command == "create-user":
                print(admin.create_user(conn, args.username, _password(args), args.role, args.team, args.display_name,
                                        now=now, is_admin=args.admin))  # fmt: skip
            elif args.command == "set-role":
                admin.set_role(conn, args.user, args.role, args.team, now)
                print(f"{args.user} is now {args.role}")
            elif args.command in ("disable-user", "enable-user"):
                admin.set_active(conn, args.user, args.command == "enable-user", now)
                print(f"{args.user} {'enabled' if args.command == 'enable-user' else 'disabled'}")
            elif args.command == "allocate":
                admin.allocate(conn, args.case_id, args.team, args.worker, args.case_type, now=now)
                print(f"allocated {args.case_id}")
            elif args.command == "cover":
                print(admin.add_cover(conn, args.cover_user, args.covered_user, args.starts_on, args.ends_on, now=now))
        return 0
    except (admin.AdminError, SchemaTooNew) as exc:
        print(f"diogel-server: {exc}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:
        print(f"diogel-server: database error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
