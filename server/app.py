"""The ASGI application: a declared API (pydantic models in, pydantic models out), authentication before
input, error mapping, the body-size limit and the administration endpoints.

Contract: every error is a JSON object ``{"error": code, "message": text}`` (plus ``path`` for input
errors) with a 4xx status; 503 when the database is unreachable. Authentication is checked before the
request's input is parsed: a missing or bad token is 401, whatever the body or parameters hold. The token
is checked as the first statement of the transaction the request's work runs in (one connection checkout
per request), and never cached: a token ended through any instance is refused by the next request.
Handlers hold no state between requests (everything lives in PostgreSQL), so several instances can
serve one database. The OpenAPI schema (``app.openapi()``, docs/openapi.json) lists every request,
response, parameter and error, and is served at ``/v1/openapi.json`` to signed-in administrators.
"""


import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

import anyio
import psycopg
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from psycopg import IsolationLevel
from psycopg_pool import PoolTimeout
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import admin, apply, audit_anchor, auth, conflicts, figures, models, pull
from server.config import Settings
from server.db import RETRYABLE, ConnectionSlots, DbConn, DbPool, HeldTx, MissingRow, make_pool, run_tx
from server.migrator import current_version
from server.reference_cache import ReferenceCache
from server.scope import scope_cases
from server.wire import BadInput, LoginBody, PushBody, ResolveBody, error_path, to_op, to_resolve

T = TypeVar("T")
RR = IsolationLevel.REPEATABLE_READ
ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": models.ErrorBody, "description": d}
    for s, d in (
        (400, "not JSON, or an invalid cursor"), (401, "no valid token"), (403, "not an administrator"),
        (404, "not found in your scope"), (405, "method not allowed (the Allow header lists the methods)"),
        (409, "a change id someone else used, or a conflict already resolved"), (413, "body too large"),
        (422, "input of the wrong shape; `path` names the element"), (429, "too many failed sign-ins"),
        (503, "the database is unavailable; try again"),
    )
}  # fmt: skip


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class AsciiJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped: an error message that echoes odd input (even a lone
    surrogate) can always be encoded, so an error can never turn into a 500."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None,
           **extra: Any) -> AsciiJSONResponse:  # fmt: skip
    resp = AsciiJSONResponse({"error": code, "message": message, **extra}, status_code=status)
    if headers:
        resp.headers.update(headers)
    return resp


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
                    await _error(413, "too_large", f"request body over {self.limit} bytes")(scope, receive, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:  # an HTTPException: FastAPI passes it on while reading the body
                    raise HTTPException(413, f"request body over {self.limit} bytes")
            return msg

        await self.app(scope, limited, send)


_UNAUTH = {"WWW-Authenticate": "Bearer"}
bearer = HTTPBearer(auto_error=False, description="the token from POST /v1/login")


def _token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200 or not token.isascii():
        raise ApiError(401, "unauthenticated", "a bearer token is required", _UNAUTH)
    return token


async def user_of(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> auth.User:
    """The signed-in user (set by ``AuthFirstRoute`` before the handler reads any input). A coroutine so
    that FastAPI calls it on the event loop: a plain function would cost every request a thread hop."""
    user: auth.User = request.state.user
    return user


User = Annotated[auth.User, Depends(user_of)]

_CURSOR_CHARS = re.compile(rb"[A-Za-z0-9._-]{1,512}")
_LIMIT_DIGITS = re.compile(rb"[1-9][0-9]{0,8}")


def plain_pull_query(query: bytes, max_limit: int) -> tuple[str | None, int | None] | None:
    """``(cursor, limit)`` of a pull whose query string is plainly valid, else None. Plainly valid: only
    ``cursor`` (1 to 512 of the characters a cursor is made of, nothing percent-encoded) and ``limit`` (a
    whole number 1..``max_limit`` in plain digits), each at most once. Anything else is left to FastAPI,
    which parses it as declared and answers any error (401 first); what is plainly valid FastAPI would
    take unchanged, so either way the answer is the same."""
    cursor: str | None = None
    limit: int | None = None
    seen: set[bytes] = set()
    for part in query.split(b"&") if query else ():
        name, _eq, value = part.partition(b"=")
        if name in seen:
            return None
        seen.add(name)
        if name == b"cursor" and _CURSOR_CHARS.fullmatch(value):
            cursor = value.decode("ascii")
        elif name == b"limit" and _LIMIT_DIGITS.fullmatch(value) and int(value) <= max_limit:
            limit = int(value)
        else:
            return None
    return cursor, limit


def create_app(settings: Settings, pool: DbPool | None = None) -> FastAPI:
    """The app. With ``pool`` given (tests) it is used and not closed; otherwise one is opened for the
    app's lifetime from ``settings.database_url``."""
    hashing = ThreadPoolExecutor(max_workers=settings.hash_workers, thread_name_prefix="password-hash")
    throttle = auth.Throttle(settings.login_failures_per_user, settings.login_failures_per_address,
                             settings.login_window_seconds)  # fmt: skip

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await run_in_threadpool(apply.warm_up)
            if pool is not None:
                app.state.pool = pool
                await _load_cursor_key(app)
                yield
                return
            own = await run_in_threadpool(make_pool, settings.database_url, settings.pool_min_size,
                                          settings.pool_max_size)  # fmt: skip
            app.state.pool = own
            await _load_cursor_key(app)
            apply.settle_heap()  # a server of its own (not an app a test gives its pool): see there
            try:
                yield
            finally:
                await run_in_threadpool(own.close)
        finally:
            hashing.shutdown(wait=False, cancel_futures=True)

    async def _load_cursor_key(app: FastAPI) -> None:
        """Read once at start-up, so that no pull needs a transaction of its own for it (the key never
        changes: migration 0002 made it). A database not migrated yet leaves it to the first pull."""
        try:
            app.state.cursor_key = await run_in_threadpool(run_tx, app.state.pool, pull.cursor_key)
        except MissingRow:
            pass

    def _pool(request: Request) -> DbPool:
        got: DbPool = request.app.state.pool  # set by lifespan: the given pool or make_pool's
        return got

    def _slots(request: Request) -> ConnectionSlots:
        slots: ConnectionSlots | None = getattr(request.app.state, "slots", None)
        if slots is None:
            slots = request.app.state.slots = ConnectionSlots(_pool(request).max_size)
        return slots

    async def tx(request: Request, fn: Callable[[DbConn], T], isolation: IsolationLevel | None = None) -> T:
        """``fn`` in one transaction. A signed-in request's first transaction at the isolation its token
        was checked at is that very transaction (one checkout); any other transaction of the request first
        ends that one (a request never holds two connections: waiting for a second while holding one
        could empty the pool) and checks the token again in its own. Every connection is taken under a
        slot (:class:`ConnectionSlots`), so no thread ever waits for one."""
        held: HeldTx | None = getattr(request.state, "held", None)
        if held is not None:
            request.state.held = None
            try:  # the slot taken with the held connection serves this transaction too
                if held.isolation == isolation:
                    return await run_in_threadpool(_finish_held, held, _rechecked(request, fn), fn)
                await run_in_threadpool(held.end)
                return await run_in_threadpool(run_tx, _pool(request), _rechecked(request, fn), 8, isolation)
            finally:
                _slots(request).release()
        if getattr(request.state, "token", None) is not None:
            fn = _rechecked(request, fn)
        slots = _slots(request)
        await slots.acquire()
        try:
            return await run_in_threadpool(run_tx, _pool(request), fn, 8, isolation)
        finally:
            slots.release()

    def _rechecked(request: Request, fn: Callable[[DbConn], T]) -> Callable[[DbConn], T]:
        """``fn`` after the request's token is checked again in the same transaction (still the same
        active user's): work is never done for a token ended meanwhile."""
        return _rechecked_for(request.state.user, request.state.token, request.state.now, fn)

    def _rechecked_for(user: auth.User, token: str, now: datetime, fn: Callable[[DbConn], T]) -> Callable[[DbConn], T]:
        def checked_fn(conn: DbConn) -> T:
            again = auth.user_for_token(conn, token, now)
            if again is None or again.id != user.id:
                raise ApiError(401, "unauthenticated", "the token is unknown or has expired; log in again", _UNAUTH)
            return fn(conn)

        return checked_fn

    def _finish_held(held: HeldTx, again: Callable[[DbConn], T], fn: Callable[[DbConn], T]) -> T:
        """``fn`` in the held transaction, committed; after a lost race, ``again`` (``fn`` with the token
        checked afresh) in a transaction of its own."""
        try:
            result = held.run(fn)
            held.end()
            return result
        except RETRYABLE:
            return run_tx(held.pool, again, 7, held.isolation)

    def _checked_in_held(pool: DbPool, token: str, now: datetime, level: str,
                         isolation: IsolationLevel | None) -> tuple[HeldTx, auth.User]:  # fmt: skip
        """A connection checked out and a transaction begun with the token's check as its first statement:
        401 without a valid token, 403 for a non-administrator on an administration endpoint."""
        held = HeldTx(pool, isolation)
        user = held.run(lambda conn: auth.user_for_token(conn, token, now))
        if user is None or (level == "admin" and not user.is_admin):
            held.end()
            if user is None:
                raise ApiError(401, "unauthenticated", "the token is unknown or has expired; log in again", _UNAUTH)
            raise ApiError(403, "forbidden", "this needs an administrator")
        return held, user

    def _checked_then(pool: DbPool, token: str, now: datetime, level: str, isolation: IsolationLevel | None,
                      work: Callable[[DbConn, auth.User], T]) -> T:  # fmt: skip
        """The token checked, then ``work`` for its user, in one transaction on one thread (committed; after
        a lost race, both again in a transaction of their own)."""
        held, user = _checked_in_held(pool, token, now, level, isolation)
        return _finish_held(held, _rechecked_for(user, token, now, lambda conn: work(conn, user)),
                            lambda conn: work(conn, user))  # fmt: skip

    async def authorised_tx(request: Request, level: str, isolation: IsolationLevel | None,
                            work: Callable[[DbConn, auth.User], T]) -> T:  # fmt: skip
        """For a request whose input is already parsed (a fast path): the token's check and the work in
        one transaction and one hop to a thread, under a slot. 401 (or 403) exactly as ``authenticate``."""
        token = _token(request)
        now = settings.now()
        slots = _slots(request)
        await slots.acquire()
        try:
            return await run_in_threadpool(_checked_then, _pool(request), token, now, level, isolation, work)
        finally:
            slots.release()

    async def authenticate(request: Request, level: str, isolation: IsolationLevel | None) -> None:
        """Runs before the route parses its input: a bearer token well formed (401 without touching the
        database), the raw body read (bounded by ``BodyLimit``; read first so that a slow client never
        holds a connection), then the token checked as the first statement of the transaction the
        request's work will run in (kept in ``request.state.held`` until the handler's ``tx`` uses it).
        Never cached: a token ended on any instance is refused by the next request."""
        token = _token(request)
        now = settings.now()
        slots = _slots(request)
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                await request.body()
            except Exception:  # too large, say: the token still comes first (401 before any other answer)
                await slots.acquire()
                try:
                    await run_in_threadpool(_checked_alone, _pool(request), token, now, level)
                finally:
                    slots.release()
                raise
        await slots.acquire()  # given back when the held connection is (tx or release)
        try:
            held, user = await run_in_threadpool(_checked_in_held, _pool(request), token, now, level, isolation)
        except BaseException:
            slots.release()
            raise
        request.state.held, request.state.user, request.state.token, request.state.now = held, user, token, now

    def _checked_alone(pool: DbPool, token: str, now: datetime, level: str) -> None:
        held, _user = _checked_in_held(pool, token, now, level, None)
        held.end()

    async def release(request: Request) -> None:
        """End the held transaction if the handler did not use it (commit: it only read the token)."""
        held: HeldTx | None = getattr(request.state, "held", None)
        if held is not None:
            request.state.held = None
            with anyio.CancelScope(shield=True):  # a connection is never left out of the pool
                try:
                    await run_in_threadpool(held.end)
                finally:
                    _slots(request).release()

    # Fast paths by route path: the same answer as the route's, for input that needs no parsing by the
    # framework (None: the route takes it). The sync's most frequent request skips FastAPI's dependency
    # solving and checks its token in its work's own thread hop.
    fast_paths: dict[str, Callable[[Request], Coroutine[Any, Any, Response | None]]] = {}
    # Bodies parsed by the route's own model straight from the bytes, once the token is checked (None: the
    # route parses it as declared, and answers any error).
    parsed_bodies: dict[str, Callable[[Request], Coroutine[Any, Any, Response | None]]] = {}

    class AuthFirstRoute(APIRoute):
        """Checks the token before FastAPI parses and validates the request's input, in the transaction
        the request's work then runs in: a GET reads in one snapshot (REPEATABLE READ) and its token
        with it; anything else at the default isolation. A route with a fast path (``fast_paths``) tries
        it first."""

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()
            level = (self.openapi_extra or {}).get("x-diogel-auth", "none")
            isolation = RR if self.methods == {"GET"} else None
            path = self.path

            async def checked(request: Request) -> Response:
                if level == "none":
                    return await handler(request)
                fast = fast_paths.get(path)
                if fast is not None and (answer := await fast(request)) is not None:
                    return answer
                await authenticate(request, level, isolation)
                try:
                    parsed = parsed_bodies.get(path)
                    if parsed is not None and (answer := await parsed(request)) is not None:
                        return answer
                    return await handler(request)
                finally:
                    await release(request)

            return checked

    app = FastAPI(
        title="Diogel sync server",
        version="1",
        description="The sync protocol (docs/sync-protocol.md). Authenticated endpoints take "
        "`Authorization: Bearer <token>`; every error is `{error, message[, path]}`.",
        lifespan=lifespan,
        default_response_class=AsciiJSONResponse,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.router.route_class = AuthFirstRoute
    app.state.settings = settings
    app.state.push_hooks = None
    app.state.reference_cache = ReferenceCache()  # reference rows encoded once for every pull (server/pull.py)
    if pool is not None:
        app.state.pool = pool

    def secured(level: str = "user", operation_id: str | None = None,
                links: dict[int, dict[str, Any]] | None = None, pdf: str | None = None) -> dict[str, Any]:  # fmt: skip
        """Route options: the auth level, the error responses, OpenAPI links for stateful clients, and (``pdf``)
        a PDF answer's description."""
        responses: dict[int | str, dict[str, Any]] = {**ERRORS}
        if pdf:
            responses[200] = {"description": pdf,
                              "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
        for status, link in (links or {}).items():
            responses[status] = {"links": {name: {"operationId": op, "parameters": params}
                                           for name, (op, params) in link.items()}}  # fmt: skip
        out: dict[str, Any] = {"openapi_extra": {"x-diogel-auth": level}, "responses": responses}
        if operation_id:
            out["operation_id"] = operation_id
        return out

    # -- error mapping ---------------------------------------------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> AsciiJSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(BadInput)
    async def _bad_input(_: Request, exc: BadInput) -> AsciiJSONResponse:
        code = exc.code or {400: "malformed", 413: "too_large"}.get(exc.status, "invalid")
        return _error(exc.status, code, exc.message, path=exc.path)

    @app.exception_handler(conflicts.ConflictError)
    async def _conflict_error(_: Request, exc: conflicts.ConflictError) -> AsciiJSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(apply.OpIdTaken)
    async def _op_id_taken(_: Request, exc: apply.OpIdTaken) -> AsciiJSONResponse:
        return _error(409, "op_id_taken", f"{exc}; nothing of this push was stored", path=str(exc.op_id))

    @app.exception_handler(auth.Throttled)
    async def _throttled(_: Request, exc: auth.Throttled) -> AsciiJSONResponse:
        return _error(429, "too_many_attempts", "too many failed sign-ins; try again later",
                      {"Retry-After": str(exc.retry_after)})  # fmt: skip

    @app.exception_handler(admin.AdminError)
    async def _admin_error(_: Request, exc: admin.AdminError) -> AsciiJSONResponse:
        if isinstance(exc, admin.AdminNotFound):
            return _error(404, "not_found", str(exc))
        return _error(422, "invalid", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> AsciiJSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error(400, "malformed", "request body is not valid JSON")
        details = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in errors[:20]]
        first = errors[0] if errors else {}
        return _error(422, "invalid", str(first.get("msg", "request is invalid")),
                      path=error_path(first.get("loc", ())), details=details)  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> AsciiJSONResponse:
        codes = {400: "malformed", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        return _error(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail),
                      dict(exc.headers) if exc.headers else None)  # fmt: skip

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(_: Request, exc: PoolTimeout) -> AsciiJSONResponse:
        return _error(503, "unavailable", "the database is busy or unreachable; try again")

    @app.exception_handler(psycopg.OperationalError)
    async def _db_down(_: Request, exc: psycopg.OperationalError) -> AsciiJSONResponse:
        return _error(503, "unavailable", "the database is unreachable; try again")

    # -- sync ------------------------------------------------------------------------------------------
    Limit = Annotated[int | None, Query(ge=1, le=settings.max_page_size,
                                        description=f"page size, default {settings.default_page_size}")]  # fmt: skip

    @app.get("/v1/health", response_model=models.Health, responses={503: ERRORS[503]})
    async def health(request: Request) -> dict[str, Any]:
        version = await tx(request, current_version)
        return {"status": "ok", "schema_version": version}

    @app.post("/v1/login", response_model=models.LoginOut, responses=ERRORS)
    async def login(request: Request, body: LoginBody) -> dict[str, Any]:
        """Failed sign-ins are limited per username and per address (429 with Retry-After). The password
        hash runs on its own threads, holding no database connection."""
        now = settings.now()
        address = request.client.host if request.client else "unknown"
        attempt = await tx(request, lambda conn: auth.begin_login(conn, body.username, address, now, throttle))
        ok = await asyncio.get_running_loop().run_in_executor(
            hashing, auth.verify_password, attempt.stored_hash, body.password
        )
        got = await tx(request, lambda conn: auth.finish_login(
            conn, attempt, ok, body.username, address, body.device_id, now, settings.token_ttl_seconds))  # fmt: skip
        if got is None:
            raise ApiError(401, "bad_credentials", "unknown username or wrong password")
        token, expires, user = got
        return {"token": token, "expires_at": expires.isoformat(), "user": user.as_json()}

    @app.post("/v1/logout", response_model=models.StatusOk, **secured())
    async def logout(request: Request, user: User) -> dict[str, Any]:
        token = request.state.token
        await tx(request, lambda conn: auth.logout(conn, token))
        return {"status": "ok"}

    @app.get("/v1/me", response_model=models.MeOut, **secured())
    async def me(request: Request, user: User) -> dict[str, Any]:
        cases = await tx(request, lambda conn: scope_cases(conn, user, settings.today()), RR)
        return {"user": user.as_json(), "cases": sorted(str(c) for c in cases)}

    @app.post("/v1/push", response_model=models.PushOut, response_model_exclude_unset=True, **secured(
        "user", "push", {200: {"pull_after": ("pull", {})}}))
    async def push(request: Request, user: User, body: PushBody) -> dict[str, Any]:
        """Apply a batch of outbox entries in one transaction (docs/sync-protocol.md §3)."""
        return await _push(request, user, body)

    async def push_parsed(request: Request) -> Response | None:
        """POST /v1/push with a JSON body (no content type, or exactly ``application/json``) that
        ``PushBody`` validates straight from its bytes (one pass in pydantic's parser, no dependency
        solving); the answer is the route's, validated and encoded as the route does. None for anything
        else: the route parses it and answers any error as declared."""
        kind = request.headers.get("content-type")
        if kind is not None and kind != "application/json":
            return None
        try:
            body = PushBody.model_validate_json(await request.body())
        except ValidationError:
            return None
        out = models.PushOut.model_validate(await _push(request, request.state.user, body))
        return AsciiJSONResponse(out.model_dump(mode="json", exclude_unset=True))

    parsed_bodies["/v1/push"] = push_parsed

    async def _push(request: Request, user: auth.User, body: PushBody) -> dict[str, Any]:
        if len(body.ops) > settings.max_ops_per_push:
            raise BadInput(f"at most {settings.max_ops_per_push} ops per push", "ops", status=413)
        ops = [to_op(o) for o in body.ops]
        hooks = request.app.state.push_hooks
        if not ops:
            return {"results": []}
        results = await tx(request, lambda conn: apply.apply_batch(conn, settings, user, ops, hooks))
        return {"results": results}

    @app.get("/v1/pull", response_model=models.PullOut, **secured(
        "user", "pull", {200: {"next_page": ("pull", {"cursor": "$response.body#/cursor"})}}))
    async def pull_page(
        request: Request,
        user: User,
        cursor: Annotated[str | None, Query(max_length=512, description="opaque; omit for a first pull")] = None,
        limit: Limit = None,
    ) -> Response:
        work = await _pull_work(request, cursor, limit)
        return _page_response(await tx(request, lambda conn: work(conn, user), RR))

    async def _pull_work(request: Request, cursor: str | None, limit: int | None) -> Callable[[DbConn, auth.User], pull.Page]:
        size = limit or settings.default_page_size
        key = await _cursor_key(request)
        refs = request.app.state.reference_cache
        return lambda conn, user: pull.pull(conn, settings, user, cursor, size, key, refs)

    def _page_response(page: pull.Page) -> Response:
        # The rows arrive as JSON text from PostgreSQL and go out untouched (no decode/encode in Python).
        return Response(page.to_json_bytes(), media_type="application/json")

    async def pull_fast(request: Request) -> Response | None:
        """GET /v1/pull with a plainly valid query (:func:`plain_pull_query`): the page, its token checked in
        the page's own transaction and thread hop; None for any other query (and before the cursor key
        is known, which the route reads after the token)."""
        parsed = plain_pull_query(request.scope["query_string"], settings.max_page_size)
        if parsed is None or getattr(request.app.state, "cursor_key", None) is None:
            return None
        work = await _pull_work(request, *parsed)
        return _page_response(await authorised_tx(request, "user", RR, work))

    fast_paths["/v1/pull"] = pull_fast

    async def _cursor_key(request: Request) -> bytes:
        key: bytes | None = getattr(request.app.state, "cursor_key", None)
        if key is None:
            key = request.app.state.cursor_key = await tx(request, pull.cursor_key)
        return key

    @app.get("/v1/verify", response_model=models.VerifyOut, **secured())
    async def verify(request: Request, user: User) -> dict[str, Any]:
        return await tx(request, lambda conn: pull.verify(conn, settings, user), RR)

    @app.get("/v1/conflicts", response_model=models.ConflictsOut, **secured(
        "user", "list_conflicts", {200: {"resolve": ("resolve", {"conflict_id": "$response.body#/conflicts/0/id"})}}))
    async def list_conflicts(request: Request, user: User, status: Literal["open", "resolved"] = "open",
                             limit: Limit = None) -> dict[str, Any]:  # fmt: skip
        size = limit or settings.default_page_size
        return await tx(request, lambda conn: conflicts.list_conflicts(conn, settings, user, status, size), RR)

    @app.post("/v1/conflicts/{conflict_id}/resolve", response_model=models.ResolveOut, **secured("user", "resolve"))
    async def resolve(request: Request, user: User, conflict_id: Annotated[UUID, Path()],
                      body: ResolveBody) -> dict[str, Any]:  # fmt: skip
        req = to_resolve(body)
        return await tx(request, lambda conn: conflicts.resolve(conn, settings, user, conflict_id, req))

    @app.get("/v1/quarantine", response_model=models.QuarantineOut, **secured())
    async def quarantine(request: Request, user: User) -> dict[str, Any]:
        return await tx(request, lambda conn: conflicts.list_quarantine(conn, user), RR)

    # -- administration (reference data) ---------------------------------------------------------------
    @app.get("/v1/openapi.json", response_model=dict[str, Any], **secured("admin"))
    async def openapi_schema(request: Request, user: User) -> dict[str, Any]:
        """This API's OpenAPI schema (also in docs/openapi.json)."""
        return app.openapi()

    async def admin_tx(request: Request, fn: Callable[[DbConn, Any], T]) -> T:
        now = settings.now()
        return await tx(request, lambda conn: fn(conn, now))

    @app.post("/v1/admin/teams", response_model=models.CreatedOut, status_code=201, **secured("admin"))
    async def admin_team(request: Request, user: User, body: models.TeamIn) -> dict[str, Any]:
        tid = await admin_tx(request, lambda conn, now: admin.create_team(conn, body.name, now, body.kind, user.id))
        return {"id": str(tid)}

    @app.post("/v1/admin/users", response_model=models.CreatedOut, status_code=201, **secured(
        "admin", "create_user", {201: {"set_role": ("set_role", {"user_id": "$response.body#/id"}),
                                       "set_active": ("set_active", {"user_id": "$response.body#/id"}),
                                       "set_language": ("set_language", {"user_id": "$response.body#/id"})}}))
    async def admin_user(request: Request, user: User, body: models.UserIn) -> dict[str, Any]:
        uid = await admin_tx(request, lambda conn, now: admin.create_user(
            conn, body.username, body.password, body.role, body.team, body.display_name, now=now,
            is_admin=body.is_admin, by=user.id, language=body.language))  # fmt: skip
        return {"id": str(uid)}

    @app.put("/v1/admin/users/{user_id}/language", response_model=models.StatusOk,
             **secured("admin", "set_language"))
    async def admin_language(request: Request, user: User, user_id: Annotated[UUID, Path()],
                             body: models.LanguageIn) -> dict[str, Any]:  # fmt: skip
        await admin_tx(request, lambda conn, now: admin.set_language(conn, str(user_id), body.language, now, user.id))
        return {"status": "ok"}

    @app.put("/v1/admin/users/{user_id}/role", response_model=models.StatusOk, **secured("admin", "set_role"))
    async def admin_role(request: Request, user: User, user_id: Annotated[UUID, Path()],
                         body: models.RoleIn) -> dict[str, Any]:  # fmt: skip
        await admin_tx(request, lambda conn, now: admin.set_role(conn, str(user_id), body.role, body.team, now, user.id))
        return {"status": "ok"}

    @app.put("/v1/admin/users/{user_id}/active", response_model=models.StatusOk, **secured("admin", "set_active"))
    async def admin_active(request: Request, user: User, user_id: Annotated[UUID, Path()],
                           body: models.ActiveIn) -> dict[str, Any]:  # fmt: skip
        await admin_tx(request, lambda conn, now: admin.set_active(conn, str(user_id), body.active, now, user.id))
        return {"status": "ok"}

    @app.put("/v1/admin/cases/{case_id}/allocation", response_model=models.StatusOk, **secured("admin"))
    async def admin_allocate(request: Request, user: User, case_id: Annotated[UUID, Path()],
                             body: models.AllocationIn) -> dict[str, Any]:  # fmt: skip
        await admin_tx(request, lambda conn, now: admin.allocate(
            conn, case_id, body.team, body.worker, body.case_type, f"api:{user.username}", now=now, by=user.id))  # fmt: skip
        return {"status": "ok"}

    @app.post("/v1/admin/covers", response_model=models.CreatedOut, status_code=201, **secured("admin"))
    async def admin_cover(request: Request, user: User, body: models.CoverIn) -> dict[str, Any]:
        try:
            start, end = date.fromisoformat(body.starts_on), date.fromisoformat(body.ends_on)
        except ValueError:
            raise BadInput("dates must be real dates (YYYY-MM-DD)", "starts_on") from None
        cid = await admin_tx(request, lambda conn, now: admin.add_cover(
            conn, body.cover_user, body.covered_user, start, end, now=now, by=user.id))  # fmt: skip
        return {"id": str(cid)}

    @app.put("/v1/admin/reference/{entity}/{row_id}", response_model=models.ReferenceOut, **secured("admin"))
    async def admin_reference(request: Request, user: User,
                              entity: Annotated[Literal["agency", "practitioner", "practitioner_absence"], Path()],
                              row_id: Annotated[UUID, Path()], body: models.ReferenceIn) -> dict[str, Any]:  # fmt: skip
        row = await admin_tx(request, lambda conn, now: admin.put_reference(
            conn, entity, row_id, body.fields, now, user.id, body.deleted))  # fmt: skip
        return {"entity": entity, "id": str(row_id), "version": row.version, "deleted": row.deleted}

    # -- the authority's figures (issue 21) --------------------------------------------------------------
    @app.get("/v1/reports/committee", response_class=Response, operation_id="committee_report", **secured(
        "user", pdf="the committee report as a PDF"))
    async def committee_report(
        request: Request,
        user: User,
        period_start: Annotated[date, Query(description="first day of the period (YYYY-MM-DD)")],
        period_end: Annotated[date, Query(description="last day of the period (YYYY-MM-DD)")],
        lang: Annotated[Literal["cy", "en", "bilingual"], Query(description="the report's language")] = "bilingual",
        team: Annotated[str | None, Query(min_length=1, max_length=200,
                                          description="one team's cases only (its name); all by default")] = None,
    ) -> Response:
        """The committee report over every case the server holds, or one team's: senior managers and
        performance officers only (403 for anyone else). Every report made is audited."""
        asked = figures.Asked(user, "api")
        now, today = settings.now(), settings.today()
        try:
            figures.require_figures(user)
        except figures.FiguresRefused as exc:
            await tx(request, lambda conn: figures.audit_refusal(conn, asked, "report.committee", now))
            raise ApiError(403, "forbidden", str(exc)) from None

        def run(conn: DbConn) -> Any:
            return figures.committee_stats(conn, asked, period_start, period_end, team, now=now, today=today,
                                           connect=lambda: psycopg.connect(settings.database_url))

        try:
            stats = await tx(request, run, RR)
        except figures.FiguresInput as exc:
            raise BadInput(str(exc), "team" if isinstance(exc, figures.UnknownTeam) else "period_start") from None
        pdf = await run_in_threadpool(figures.committee_report, stats, lang, settings.council_file)
        name = f"committee-report-{period_start.isoformat()}-{period_end.isoformat()}.pdf"
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.post("/v1/audit-anchor", response_model=models.AnchorOut, **secured("user", "audit_anchor"))
    async def anchor(request: Request, user: User, body: audit_anchor.AnchorRequest) -> dict[str, Any]:
        """Keep this device's audit chain head; say whether it continues the last one (§8a)."""
        return await tx(request, lambda conn: audit_anchor.record(conn, user, body, settings.now()))

    @app.get("/v1/audit-anchor", response_model=models.OwnAnchorOut, **secured("user", "own_audit_anchor"))
    async def own_anchor(
        request: Request,
        user: User,
        device_id: Annotated[str, Query(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$",
                                        description="this laptop's device id")],
        limit: Limit = None,
    ) -> dict[str, Any]:
        """The caller's own device's newest anchor and the breaks recorded for it (never another user's)."""
        size = limit or settings.default_page_size
        return await tx(request, lambda conn: audit_anchor.own_anchor(conn, user, device_id, limit=size), RR)

    @app.get("/v1/admin/audit-incidents", response_model=models.IncidentsOut, **secured(
        "admin", "audit_incidents", {200: {"next_page": ("audit_incidents", {"before": "$response.body#/next_before"})}}))
    async def audit_incidents(
        request: Request,
        user: User,
        before: Annotated[int | None, Query(ge=1, le=2**62, description="only incidents with a smaller id"
                                                                           " (the next_before of the last page)")] = None,
        limit: Limit = None,
    ) -> dict[str, Any]:
        """Every recorded break in a laptop's audit chain, newest first (administrators; each read audited)."""
        size = limit or settings.default_page_size
        now = settings.now()
        return await tx(request, lambda conn: audit_anchor.list_incidents(conn, user, "api", now, limit=size,
                                                                          before=before))

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
        grace_days=int(os.environ.get("DIOGEL_GRACE_DAYS", 30)),
        council_file=os.environ.get("DIOGEL_COUNCIL") or None,
    )
    return create_app(settings)

