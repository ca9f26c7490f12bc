"""The outermost layer of the web app: security headers, host and token checks, CSRF and body size.

It wraps the whole ASGI stack (error pages included), so every response carries the
Content-Security-Policy and friends, and no request reaches a page or the API before:

- its ``Host`` is one of the loopback names when the server is bound to loopback (DNS rebinding);
- it carries the token (``Authorization: Bearer``, ``X-Storyline-Token`` or the login cookie) when one
  is set, compared in constant time;
- a state-changing request (POST, ...) carries the ``X-Storyline-CSRF`` header, which a cross-site form
  or a simple cross-site request cannot send, and comes from this origin when the browser says where
  it comes from;
- its declared body is within the upload limit.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from markupsafe import escape

__all__ = ["CSP", "CSRF_HEADER", "TOKEN_COOKIE", "Guard", "security_headers"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
CSRF_HEADER = "x-storyline-csrf"
TOKEN_COOKIE = "storyline_token"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SECURITY = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_SECURITY_NAMES = {name for name, _ in _SECURITY}


def security_headers() -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in _SECURITY}


def _no_framing(policy: bytes) -> bytes:
    """A route's own policy, with ``frame-ancestors 'none'`` added when it does not say who may frame it."""
    if b"frame-ancestors" in policy.lower():
        return policy
    return policy.rstrip(b"; ") + b"; frame-ancestors 'none'"


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    def __init__(
        self, app: ASGIApp, *, token: str | None, loopback_only: bool, max_body_bytes: int
    ) -> None:
        self.app = app
        self.token = token.encode() if token else None
        self.loopback_only = loopback_only
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = list(message.get("headers", []))
                # a route may set its own (stricter or hash-pinned) policy; every other header is ours
                own_csp = [(k, _no_framing(v)) for k, v in given if k.lower() == b"content-security-policy"][:1]
                kept = [(k, v) for k, v in given if k.lower() not in _SECURITY_NAMES]
                ours = [(k, v) for k, v in _SECURITY if not (own_csp and k == b"content-security-policy")]
                message = {**message, "headers": kept + own_csp + ours}
            await send(message)

        headers: dict[str, str] = {}
        for key, value in scope.get("headers", []):
            headers[key.decode("latin-1").lower()] = value.decode("latin-1")
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            status, message, extra = refusal
            await _respond(send_secured, scope, status, message, extra)
            return
        await self.app(scope, receive, send_secured)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET").upper()
        host = headers.get("host", "")
        if self.loopback_only and _host_name(host) not in LOOPBACK_NAMES:
            return 421, f"unexpected Host header {host!r}: this server only answers as 127.0.0.1 or localhost", []
        if self.token is not None and path != "/login" and not self._token_ok(headers):
            return (
                401,
                (
                    "a token is required: send 'Authorization: Bearer <token>' or 'X-Storyline-Token: <token>'"
                    " (browsers: sign in at /login)"
                ),
                [(b"www-authenticate", b'Bearer realm="storyline"')],
            )
        if method not in _SAFE_METHODS:
            origin = headers.get("origin")
            scheme = scope.get("scheme", "http")
            if origin is not None and origin.lower() != f"{scheme}://{host}".lower():
                return 403, f"cross-site request refused (Origin {origin!r} is not this server)", []
            if path != "/login" and not headers.get(CSRF_HEADER, "").strip():
                return 403, "missing X-Storyline-CSRF header: state-changing requests must send it", []
            length = headers.get("content-length")
            if length is None:
                if headers.get("transfer-encoding"):
                    return 411, "a Content-Length header is required for uploads", []
            elif not length.isdigit():
                return 400, f"invalid Content-Length {length!r}", []
            elif int(length) > self.max_body_bytes:
                return 413, f"request body is {int(length):,} bytes, over the {self.max_body_bytes:,}-byte limit", []
        return None

    def _token_ok(self, headers: dict[str, str]) -> bool:
        assert self.token is not None
        offered: list[str] = []
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            offered.append(auth[7:].strip())
        if "x-storyline-token" in headers:
            offered.append(headers["x-storyline-token"].strip())
        if "cookie" in headers:
            cookie = SimpleCookie()
            try:
                cookie.load(headers["cookie"])
            except Exception:  # noqa: BLE001 - a malformed cookie header is just no token
                cookie = SimpleCookie()
            if TOKEN_COOKIE in cookie:
                offered.append(cookie[TOKEN_COOKIE].value)
        ok = False
        for candidate in offered:
            ok |= hmac.compare_digest(candidate.encode("utf-8", "surrogatepass"), self.token)
        return ok


async def _respond(
    send: Send, scope: Scope, status: int, message: str, extra: list[tuple[bytes, bytes]]
) -> None:
    path: str = scope.get("path", "")
    if path.startswith("/api") or path == "/openapi.json":
        body = json.dumps({"detail": message}).encode()
        ctype = b"application/json"
    else:
        link = '<p><a href="/login">Sign in</a></p>' if status == 401 else ""
        body = (
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>Storyline: error</title></head>"
            f"<body><h1>{status}</h1><p>{escape(message)}</p>{link}</body></html>"
        ).encode()
        ctype = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()), *extra],
        }
    )
    await send({"type": "http.response.body", "body": body})
