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
                              [--reason TEXT]        (the covered user's whole caseload)
    diogel-server cover --database-url URL COVER_USER [COVERED_USER] --case REF --from … --to …
                              (one case, by its reference; COVERED_USER only says whose work it was)
    diogel-server report committee --database-url URL --user NAME --from YYYY-MM-DD --to YYYY-MM-DD
                              --lang cy|en|bilingual --out FILE.pdf [--team T] [--council council.json]
    diogel-server returns --database-url URL --user NAME --from YYYY-MM-DD --to YYYY-MM-DD
                              --la-code CODE --out DIR       (children.csv and adults.csv: docs/returns.md)
    diogel-server audit-incidents --database-url URL [--since YYYY-MM-DD]
                              (every recorded break in a laptop's audit chain, newest first; audited)

``report`` and ``returns`` are the authority's figures (server/figures.py, server/returns.py): the person
named by ``--user`` signs in with their password (``DIOGEL_PASSWORD`` or ``--password-file``) and must be a
senior manager or a performance officer; every run is written to the server's audit.

``--database-url`` may also come from ``DIOGEL_DATABASE_URL``. Passwords are never printed or logged.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from uuid import UUID

import psycopg

from server import admin, db
from server.auth import ROLES, User, verify_password
from server.config import LOCAL_TZ, utc_now
from server.db import DbConn
from server.migrator import SchemaTooNew, migrate

SUBCOMMANDS = ("serve", "migrate", "create-team", "create-user", "set-role", "set-language", "disable-user",
               "enable-user", "allocate", "cover", "report", "returns", "audit-incidents")


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
    serve.add_argument("--loop", default="auto", choices=("auto", "asyncio", "uvloop"),
                       help="event loop (auto: uvloop when installed, as with the server extras)")
    serve.add_argument("--http", default="auto", choices=("auto", "h11", "httptools"),
                       help="HTTP/1.1 parser (auto: httptools when installed, as with the server extras)")
    serve.add_argument("--grace-days", type=int, default=30,
                       help="days after a de-allocation during which work made before it is still accepted")
    serve.add_argument("--council", type=Path, help="council.json for the reports' heading (default: the example)")
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
    cu.add_argument("--language", default="unknown", choices=admin.LANGUAGES,
                    help="the language letters to them are written in (default unknown: bilingual, Welsh first)")
    sr = sub.add_parser("set-role")
    _db_arg(sr)
    sr.add_argument("user")
    sr.add_argument("--role", required=True, choices=ROLES)
    sr.add_argument("--team")
    sl = sub.add_parser("set-language", help="the language letters to a user are written in")
    _db_arg(sl)
    sl.add_argument("user")
    sl.add_argument("language", choices=admin.LANGUAGES)
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
    cv.add_argument("cover_user", help="who covers (username)")
    cv.add_argument("covered_user", nargs="?", help="whose caseload is covered (optional with --case)")
    cv.add_argument("--case", dest="case_ref", metavar="REF", help="cover this one case only (its reference)")
    cv.add_argument("--from", dest="starts_on", type=_date_arg, required=True, help="first day (YYYY-MM-DD)")
    cv.add_argument("--to", dest="ends_on", type=_date_arg, required=True, help="last day (YYYY-MM-DD)")
    cv.add_argument("--reason", help="why (shown on the laptops with the cover)")
    rp = sub.add_parser("report", help="the authority's committee report (senior managers, performance officers)")
    rsub = rp.add_subparsers(dest="report", required=True)
    rc = rsub.add_parser("committee", help="the committee report over every case (or one team's), as PDF")
    _figures_args(rc)
    rc.add_argument("--lang", default="bilingual", choices=("cy", "en", "bilingual"))
    rc.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    rc.add_argument("--team", help="one team's cases only (its name or id)")
    rc.add_argument("--council", type=Path, help="council.json for the heading (default: the bundled example)")
    rt = sub.add_parser("returns", help="child- and adult-level CSV for the Welsh Government's returns")
    _figures_args(rt)
    rt.add_argument("--la-code", required=True, help="the local authority's code in the collection")
    rt.add_argument("--out", type=Path, required=True, help="the folder to write children.csv and adults.csv in")
    ai = sub.add_parser("audit-incidents", help="every recorded break in a laptop's audit chain, newest first")
    _db_arg(ai)
    ai.add_argument("--since", type=_date_arg, help="only those recorded on or after this day (YYYY-MM-DD)")
    return ap


def _audit_incidents(conn: DbConn, since: date | None, now: datetime) -> None:
    """Print every recorded break (``since`` a local day), newest first, one block each; the read is audited."""
    from server import audit_anchor

    start = datetime.combine(since, datetime.min.time(), LOCAL_TZ) if since else None
    before, shown = None, 0
    while True:
        page = audit_anchor.list_incidents(conn, None, "cli", now, limit=500, before=before, since=start)
        conn.commit()
        for i in page["incidents"]:
            print(f"{i['at']}  {i['kind']}  {i['username']} ({i['display_name']})  device {i['device_id']}\n"
                  f"    server had anchored: {i['anchored']['entries']} entries, head {i['anchored']['head']}\n"
                  f"    the laptop sent:     {i['sent']['entries']} entries, head {i['sent']['head']}")
        shown += len(page["incidents"])
        before = page["next_before"]
        if before is None:
            break
    print(f"{shown} incident{'' if shown == 1 else 's'}" + (f" since {since.isoformat()}" if since else ""))


def _cover(conn: DbConn, args: argparse.Namespace, now: datetime) -> None:
    """A cover of a user's caseload, or with ``--case`` of one case named by its reference, through the same
    administration function as a manager's cover pushed from a laptop (``admin.add_cover``)."""
    if args.case_ref is None and args.covered_user is None:
        raise admin.AdminError("give the user whose caseload is covered, or --case REF for one case")
    case_id = admin.case_id_for(conn, args.case_ref) if args.case_ref is not None else None
    cover_id = admin.add_cover(conn, args.cover_user, args.covered_user, args.starts_on, args.ends_on, now=now,
                               case_id=case_id, reason=args.reason)  # fmt: skip
    whose = f"case {args.case_ref.strip()}" if args.case_ref is not None else f"{args.covered_user}'s caseload"
    print(f"{args.cover_user} covers {whose} from {args.starts_on.isoformat()} to {args.ends_on.isoformat()}"
          f" (cover {cover_id})")


def _figures_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    p.add_argument("--user", required=True, help="who is asking (a senior manager or performance officer)")
    p.add_argument("--password-file", type=Path)
    p.add_argument("--from", dest="period_start", type=_date_arg, required=True, help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="period_end", type=_date_arg, required=True, help="last day (YYYY-MM-DD)")


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: give it as YYYY-MM-DD") from None


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
    with db.connect(args.database_url) as conn:
        admin.publish_all(conn, utc_now())  # reference rows for teams and users made before they were published
    settings = Settings(
        database_url=args.database_url,
        token_ttl_seconds=args.token_ttl,
        max_body_bytes=args.max_body,
        pool_max_size=args.pool_size,
        grace_days=args.grace_days,
        council_file=str(args.council) if args.council else None,
    )
    # Several worker processes: each builds its own app (and pool) from the environment. The app is
    # stateless, so this is the same as running several instances behind a load balancer.
    os.environ.update(
        DIOGEL_DATABASE_URL=args.database_url,
        DIOGEL_TOKEN_TTL=str(args.token_ttl),
        DIOGEL_MAX_BODY=str(args.max_body),
        DIOGEL_POOL_SIZE=str(args.pool_size),
        DIOGEL_GRACE_DAYS=str(args.grace_days),
        DIOGEL_COUNCIL=str(args.council) if args.council else "",
    )
    target = "server.app:app_from_env" if args.workers > 1 else create_app(settings)
    uvicorn.run(
        target,
        factory=args.workers > 1,
        workers=args.workers if args.workers > 1 else None,
        host=args.host,
        port=args.port,
        loop=args.loop,
        http=args.http,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        log_level="info",
        # Keep request bodies (which carry case data) out of the logs; only the access line is logged.
        access_log=True,
    )
    return 0


def _signed_in(conn: DbConn, args: argparse.Namespace) -> User:
    """The user named by ``--user``, once their password checks out (an active account only)."""
    row = conn.execute("SELECT id, username, display_name, role, team_id, is_admin, password_hash FROM users"
                       " WHERE username = %s AND active", (args.user,)).fetchone()
    if row is None or not verify_password(row["password_hash"], _password(args)):
        raise admin.AdminError("unknown user or wrong password")
    return User(row["id"], row["username"], row["display_name"], row["role"], row["team_id"], row["is_admin"])


def _figures(args: argparse.Namespace, now: datetime) -> int:
    from psycopg import IsolationLevel

    from server import figures

    today = now.astimezone(LOCAL_TZ).date()
    with db.connect(args.database_url) as conn:
        asked = figures.Asked(_signed_in(conn, args), "cli")
        conn.commit()
        conn.isolation_level = IsolationLevel.REPEATABLE_READ  # one snapshot of the whole authority
        try:
            if args.command == "report":
                stats = figures.committee_stats(conn, asked, args.period_start, args.period_end, args.team,
                                                now=now, today=today, connect=lambda: psycopg.connect(args.database_url))
                conn.commit()
                _write_atomic(args.out, figures.committee_report(stats, args.lang, args.council))
                print(f"committee report written to {args.out}")
                return 0
            from server import returns

            written = returns.write_returns(conn, asked, args.period_start, args.period_end, args.la_code, args.out,
                                            now=now, today=today, connect=lambda: psycopg.connect(args.database_url))
            conn.commit()
            for path, n in written.items():
                print(f"{path}: {n} rows")
            return 0
        except (figures.FiguresRefused, figures.FiguresInput) as exc:
            conn.rollback()
            if isinstance(exc, figures.FiguresRefused):
                action = "report.committee" if args.command == "report" else "returns"
                figures.audit_refusal(conn, asked, action, now)
                conn.commit()
            print(f"diogel-server: {exc}", file=sys.stderr)
            return 2


def _write_atomic(path: Path, data: bytes) -> None:
    """Never a half-written file: written beside it, then moved into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    tmp.write_bytes(data)
    tmp.replace(path)


def main(argv: list[str] | None = None, clock: Callable[[], datetime] = utc_now) -> int:
    """``clock``: the time the command acts at (tests fix it)."""
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
        now = clock()
        if args.command in ("report", "returns"):
            return _figures(args, now)
        with db.connect(args.database_url) as conn:
            if args.command == "create-team":
                print(admin.create_team(conn, args.name, now, args.kind))
            elif args.command == "create-user":
                print(admin.create_user(conn, args.username, _password(args), args.role, args.team, args.display_name,
                                        now=now, is_admin=args.admin, language=args.language))  # fmt: skip
            elif args.command == "set-role":
                admin.set_role(conn, args.user, args.role, args.team, now)
                print(f"{args.user} is now {args.role}")
            elif args.command == "set-language":
                admin.set_language(conn, args.user, args.language, now)
                print(f"letters to {args.user} are written in: {args.language}")
            elif args.command in ("disable-user", "enable-user"):
                admin.set_active(conn, args.user, args.command == "enable-user", now)
                print(f"{args.user} {'enabled' if args.command == 'enable-user' else 'disabled'}")
            elif args.command == "allocate":
                admin.allocate(conn, args.case_id, args.team, args.worker, args.case_type, now=now)
                print(f"allocated {args.case_id}")
            elif args.command == "cover":
                _cover(conn, args, now)
            elif args.command == "audit-incidents":
                _audit_incidents(conn, args.since, now)
        return 0
    except OSError as exc:
        print(f"diogel-server: cannot write: {exc}", file=sys.stderr)
        return 1
    except (admin.AdminError, SchemaTooNew) as exc:
        print(f"diogel-server: {exc}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:
        print(f"diogel-server: database error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
