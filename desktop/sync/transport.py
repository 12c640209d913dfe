"""HTTP to the sync server: TLS always verified, an optional CA bundle, errors mapped to SyncError.

Thread contract: a :class:`Transport` is used by one thread at a time (the sync worker). It holds no
case data between calls. Certificates are never skipped: a self-signed server works only when its CA
is given with ``ca_bundle``.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.i18n import N_
from desktop.sync.errors import AuthRequired, ServerRefused, TlsRefused, Unreachable

if TYPE_CHECKING:  # imported when a transport is made: the main window starts without the HTTP client
    import httpx

DEFAULT_TIMEOUT = 60.0


def tls_context(ca_bundle: Path | str | None = None) -> ssl.SSLContext:
    """A verifying context: the system's trust store, or only ``ca_bundle`` when one is given."""
    if ca_bundle is not None:
        path = Path(ca_bundle)
        if not path.is_file():
            raise TlsRefused(N_("The CA bundle {path} does not exist."), path=str(path))
        return ssl.create_default_context(cafile=str(path))
    return ssl.create_default_context()


class Transport:
    """JSON over HTTPS to one server.

    ``client`` may be given (tests: an in-process ASGI client or a fault-injecting wrapper); otherwise
    one is made with certificate verification against ``ca_bundle`` or the system's trust store.
    """

    def __init__(
        self,
        base_url: str,
        *,
        ca_bundle: Path | str | None = None,
        client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token: str | None = None
        if client is None:
            import httpx

            client = httpx.Client(base_url=self.base_url, verify=tls_context(ca_bundle), timeout=timeout)
        self._client = client

    def close(self) -> None:
        self._client.close()

    # -- requests -----------------------------------------------------------------------------------
    def request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                auth: bool = True) -> Any:  # fmt: skip
        """Send one request and return the decoded JSON body.

        Raises :class:`Unreachable` (no connection, dropped connection, timeout, 5xx), :class:`TlsRefused`,
        :class:`AuthRequired` (401) or :class:`ServerRefused` (other 4xx, with the server's message).
        """
        resp = self._send(method, path, json=json, params=params, auth=auth)
        try:
            body = resp.json()
        except ValueError as exc:
            raise Unreachable(N_("The server sent an answer that is not JSON (HTTP {status})."),
                              status=resp.status_code) from exc  # fmt: skip
        if resp.status_code >= 400:
            raise _refused(resp.status_code, body)
        return body

    def download(self, path: str, params: dict[str, Any] | None = None, *, media_type: str) -> bytes:
        """GET a document (a report's PDF) and return its bytes; errors as :meth:`request`, and
        :class:`Unreachable` when the answer is not of ``media_type``."""
        resp = self._send("GET", path, params=params, auth=True)
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = {}
            raise _refused(resp.status_code, body)
        if resp.headers.get("content-type", "").split(";")[0].strip() != media_type:
            raise Unreachable(N_("The server did not send the document (HTTP {status})."), status=resp.status_code)
        return resp.content

    def _send(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
              auth: bool = True) -> httpx.Response:
        """One request; transport failures, 401 and 5xx mapped to errors (other statuses returned)."""
        headers = {}
        if auth:
            if not self.token:
                raise AuthRequired(N_("Sign in to the server to sync."))
            headers["Authorization"] = f"Bearer {self.token}"
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        import httpx

        try:
            resp = self._client.request(method, url, json=json, params=params, headers=headers)
        except httpx.ConnectError as exc:
            if _is_tls(exc):
                raise TlsRefused(
                    N_("The server's certificate is not trusted ({detail}). Ask for its CA bundle."),
                    detail=_short(exc),
                ) from exc
            raise Unreachable(N_("The server cannot be reached ({detail})."), detail=_short(exc)) from exc
        except httpx.TransportError as exc:
            raise Unreachable(N_("The connection to the server was lost ({detail})."), detail=_short(exc)) from exc
        if resp.status_code == 401:
            raise AuthRequired(N_("The server needs you to sign in again."))
        if resp.status_code >= 500:
            raise Unreachable(N_("The server is not available just now (HTTP {status})."), status=resp.status_code)
        return resp

    # -- the protocol -------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self.request("GET", "/v1/health", auth=False)

    def login(self, username: str, password: str, device_id: str | None) -> dict[str, Any]:
        """Sign in; keeps the token and returns ``{"token", "expires_at", "user"}``."""
        try:
            body = self.request("POST", "/v1/login", json={"username": username, "password": password,
                                                            "device_id": device_id}, auth=False)  # fmt: skip
        except AuthRequired as exc:
            raise AuthRequired(N_("The server did not accept that username and password.")) from exc
        self.token = body["token"]
        return body

    def push(self, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self.request("POST", "/v1/push", json={"ops": ops})["results"]

    def pull(self, cursor: str | None, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self.request("GET", "/v1/pull", params=params)

    def verify(self) -> dict[str, Any]:
        return self.request("GET", "/v1/verify")

    def audit_anchor(self, body: dict[str, Any]) -> dict[str, Any]:
        """Send the audit chain's head (see :mod:`desktop.sync.anchor`)."""
        return self.request("POST", "/v1/audit-anchor", json=body)

    def own_anchor(self, device_id: str) -> dict[str, Any]:
        """What the server keeps of this device's audit chain: its newest anchor and recorded breaks."""
        return self.request("GET", "/v1/audit-anchor", params={"device_id": device_id, "limit": 20})

    def conflicts(self, status: str = "open") -> dict[str, Any]:
        return self.request("GET", "/v1/conflicts", params={"status": status, "limit": 5000})

    def resolve(self, conflict_id: str, choice: str, value: Any = None, note: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"choice": choice}
        if choice == "value":
            body["value"] = value
        if note:
            body["note"] = note
        return self.request("POST", f"/v1/conflicts/{conflict_id}/resolve", json=body)


def _refused(status: int, body: Any) -> ServerRefused:
    body = body if isinstance(body, dict) else {}
    return ServerRefused(
        N_("The server refused the request: {message}"),
        status=status,
        code=str(body.get("error", "")),
        message=str(body.get("message", status)),
    )


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:200]
