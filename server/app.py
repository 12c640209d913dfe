"""The ASGI application: routes, authentication, error mapping and the body-size limit.

Contract: every error is a JSON object ``{"error": code, "message": text}`` (plus ``path`` for input
errors) with a 4xx status; 503 when the database is unreachable. Handlers hold no state between
requests (everything lives in PostgreSQL), so several instances can serve one database.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from psycopg import IsolationLevel
from psycopg_pool import ConnectionPool, PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import apply, audit_anchor, auth, conflicts, pull
from server.config import Settings
from server.db import make_pool, run_tx
from server.migrator import current_version
from server.scope import scope_cases
from server.wire import BadInput, load_json, parse_login, parse_push, parse_resolve

T = TypeVar("T")
RR = IsolationLevel.REPEATABLE_READ


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class AsciiJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped: an error message that echoes odd input (even a lone
    surrogate) can always be encoded, so an error can never turn into a 500."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _error(status: int, code: str, message: str, **extra: Any) -> AsciiJSONResponse:
    return AsciiJSONResponse({"error": code, "message": message, **extra}, status_code=status)


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await _error(413, "too_large", f"request body over {self.limit} bytes")(
                        scope, receive, send
                    )
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise ApiError(413, "too_large", f"request body over {self.limit} bytes")
            return msg

        await self.app(scope, limited, send)


def create_app(settings: Settings, pool: ConnectionPool | None = None) -> FastAPI:
    """The app. With ``pool`` given (tests) it is used and not closed; otherwise one is opened for the
    app's lifetime from ``settings.database_url``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if pool is not None:
            app.state.pool = pool
            yield
            return
        own = await run_in_threadpool(
            make_pool, settings.database_url, settings.pool_min_size, settings.pool_max_size
        )
        app.state.pool = own
        try:
            yield
        finally:
            await run_in_threadpool(own.close)

    app = FastAPI(
        title="Diogel sync server",
        version="1",
        lifespan=lifespan,
        default_response_class=AsciiJSONResponse,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.push_hooks = None
    if pool is not None:
        app.state.pool = pool

    # -- error mapping ---------------------------------------------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> AsciiJSONResponse:
        resp = _error(exc.status, exc.code, exc.message)
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(BadInput)
    async def _bad_input(_: Request, exc: BadInput) -> AsciiJSONResponse:
        code = {400: "malformed", 413: "too_large"}.get(exc.status, "invalid")
        return _error(exc.status, code, exc.message, path=exc.path)

    @app.exception_handler(conflicts.ConflictError)
    async def _conflict_error(_: Request, exc: conflicts.ConflictError) -> AsciiJSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> AsciiJSONResponse:
        details = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()
        ]
        return _error(422, "invalid", "request parameters are invalid", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> AsciiJSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed"}
        return _error(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(_: Request, exc: PoolTimeout) -> AsciiJSONResponse:
        return _error(503, "unavailable", "the database is busy or unreachable; try again")

    @app.exception_handler(psycopg.OperationalError)
    async def _db_down(_: Request, exc: psycopg.OperationalError) -> AsciiJSONResponse:
        return _error(503, "unavailable", "the database is unreachable; try again")

    # -- helpers ---------------------------------------------------------------------------------------
    def _pool(request: Request) -> ConnectionPool:
        return request.app.state.pool

    async def tx(request: Request, fn: Callable[[psycopg.Connection], T]) -> T:
        return await run_in_threadpool(run_tx, _pool(request), fn)

    def _bearer(request: Request) -> str:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 200:
            raise ApiError(
                401, "unauthenticated", "a bearer token is required", {"WWW-Authenticate": "Bearer"}
            )
        return token

    async def authed(
        request: Request,
        fn: Callable[[psycopg.Connection, auth.User], T],
        isolation: IsolationLevel | None = None,
    ) -> T:
        """Check the token and do the work in one transaction (one pool checkout, one round of commits).
        REPEATABLE READ for reads, so scope and rows come from the same snapshot."""
        token = _bearer(request)
        now = settings.now()

        def work(conn: psycopg.Connection) -> T:
            user = auth.user_for_token(conn, token, now)
            if user is None:
                raise ApiError(401, "unauthenticated", "the token is unknown or has expired; log in again",
                               {"WWW-Authenticate": "Bearer"})  # fmt: skip
            return fn(conn, user)

        return await run_in_threadpool(run_tx, _pool(request), work, 8, isolation)

    async def current_user(request: Request) -> auth.User:
        return await authed(request, lambda conn, user: user)

    def _limit(raw: str | None) -> int:
        if raw is None or raw == "":
            return settings.default_page_size
        # ASCII digits only: str.isdigit() also accepts "¹" and other digits int() refuses.
        if (
            not (raw.isascii() and raw.isdigit() and len(raw) <= 9)
            or not 1 <= int(raw) <= settings.max_page_size
        ):
            raise BadInput(f"limit must be an integer 1..{settings.max_page_size}", "limit", status=422)
        return int(raw)

    # -- routes ----------------------------------------------------------------------------------------
    @app.get("/v1/health")
    async def health(request: Request) -> dict[str, Any]:
        version = await tx(request, current_version)
        return {"status": "ok", "schema_version": version}

    @app.post("/v1/login")
    async def login(request: Request) -> dict[str, Any]:
        req = parse_login(load_json(await request.body()))
        now = settings.now()
        got = await tx(
            request,
            lambda conn: auth.login(
                conn, req.username, req.password, req.device_id, now, settings.token_ttl_seconds
            ),
        )
        if got is None:
            raise ApiError(401, "bad_credentials", "unknown username or wrong password")
        token, expires, user = got
        return {"token": token, "expires_at": expires.isoformat(), "user": user.as_json()}

    @app.post("/v1/logout")
    async def logout(request: Request) -> dict[str, Any]:
        await current_user(request)
        token = request.headers["authorization"].partition(" ")[2].strip()
        await tx(request, lambda conn: auth.logout(conn, token))
        return {"status": "ok"}

    @app.get("/v1/me")
    async def me(request: Request) -> dict[str, Any]:
        def work(conn: psycopg.Connection, user: auth.User) -> dict[str, Any]:
            cases = scope_cases(conn, user, settings.today())
            return {"user": user.as_json(), "cases": sorted(str(c) for c in cases)}

        return await authed(request, work, RR)

    @app.post("/v1/push")
    async def push(request: Request) -> dict[str, Any]:
        _bearer(request)
        req = parse_push(load_json(await request.body()), settings.max_ops_per_push)
        hooks = request.app.state.push_hooks
        if not req.ops:
            await current_user(request)
            return {"results": []}
        results = await authed(
            request, lambda conn, user: apply.apply_batch(conn, settings, user, req.ops, hooks)
        )
        return {"results": results}

    @app.get("/v1/pull")
    async def pull_page(request: Request) -> Response:
        _bearer(request)
        cursor = request.query_params.get("cursor")
        limit = _limit(request.query_params.get("limit"))
        page = await authed(request, lambda conn, user: pull.pull(conn, settings, user, cursor, limit), RR)
        # The rows arrive as JSON text from PostgreSQL and go out untouched (no decode/encode in Python).
        return Response(page.to_json_bytes(), media_type="application/json")

    @app.get("/v1/verify")
    async def verify(request: Request) -> dict[str, Any]:
        return await authed(request, lambda conn, user: pull.verify(conn, settings, user), RR)

    @app.get("/v1/conflicts")
    async def list_conflicts(request: Request) -> dict[str, Any]:
        _bearer(request)
        status = request.query_params.get("status", "open")
        if status not in ("open", "resolved"):
            raise BadInput("status must be open or resolved", "status")
        limit = _limit(request.query_params.get("limit"))
        return await authed(
            request, lambda conn, user: conflicts.list_conflicts(conn, settings, user, status, limit), RR
        )

    @app.post("/v1/conflicts/{conflict_id}/resolve")
    async def resolve(request: Request, conflict_id: str) -> dict[str, Any]:
        await current_user(request)  # unauthenticated callers learn nothing about ids or bodies
        try:
            cid = UUID(conflict_id)
        except ValueError:
            raise BadInput("conflict id must be a UUID", "conflict_id") from None
        req = parse_resolve(load_json(await request.body()))
        return await authed(request, lambda conn, user: conflicts.resolve(conn, settings, user, cid, req))

    @app.post("/v1/audit-anchor")
    async def anchor(request: Request) -> dict[str, Any]:
        _bearer(request)
        req = audit_anchor.parse(load_json(await request.body()))
        return await authed(request, lambda conn, user: audit_anchor.record(conn, user, req, settings.now()))

    @app.get("/v1/quarantine")
    async def quarantine(request: Request) -> dict[str, Any]:
        return await authed(request, lambda conn, user: conflicts.list_quarantine(conn, user), RR)

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory`` worker processes (used by ``diogel-server --workers N``)."""
    import os

    settings = Settings(
        database_url=os.environ["DIOGEL_DATABASE_URL"],
        token_ttl_seconds=int(os.environ.get("DIOGEL_TOKEN_TTL", 12 * 3600)),
        max_body_bytes=int(os.environ.get("DIOGEL_MAX_BODY", 4 * 1024 * 1024)),
        pool_max_size=int(os.environ.get("DIOGEL_POOL_SIZE", 10)),
    )
    return create_app(settings)
