"""What keeps even a local app safe: security headers on every response, a cap on request
bodies, and CSRF protection for the HTML forms.

CSRF uses the double-submit cookie (OWASP): a random token in a SameSite=Strict cookie, echoed
in a hidden field of every form; a POST whose field does not match is refused. It needs no
server-side session, so the app stays stateless apart from the database. The JSON API needs
no token: it only accepts ``application/json`` bodies, which a cross-site form cannot send
without a CORS preflight that this app never grants. Cross-site requests are refused outright
by their ``Origin`` header as a second line.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

CSRF_COOKIE = "calfcoach_csrf"
CSRF_FIELD = "csrf_token"

# No inline scripts or styles: every script and stylesheet is a file served by the app.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
    "frame-ancestors 'none'"
)
# Swagger UI (the API docs page) sets inline styles from its own script.
DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

# How long the app waits for each piece of a request body before answering 408 (issue 16).
BODY_TIMEOUT_S = 20.0

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(cookie: str | None, submitted: str | None) -> bool:
    return bool(cookie and submitted) and hmac.compare_digest(str(cookie), str(submitted))


class GuardMiddleware:
    """Plain ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware on every request):
    refuses bodies over ``max_body_bytes`` with 413, cross-site unsafe requests with 403, and
    adds the security headers to every response."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, body_timeout_s: float = BODY_TIMEOUT_S
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout_s = body_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        path: str = scope["path"]
        is_api = path.startswith("/api/")
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _refuse(send, 413, "too_large", "request body too large", is_api)
            return
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and _cross_site(headers):
            await _refuse(send, 403, "cross_site", "cross-site request refused", is_api)
            return
        csp = (DOCS_CSP if path == "/api/docs" else PAGE_CSP).encode()
        received = 0
        too_large = refused = body_done = False

        async def limited_receive() -> Message:
            nonlocal received, too_large, body_done
            import anyio

            if body_done:
                # After the whole body a client sends nothing but its going away: waiting for
                # that (web.gate does while a request waits its turn) is no slow client.
                return await receive()
            # A client that stops sending its body holds a worker: it gets this long for each
            # piece (uvicorn has no such timeout; headers it reads itself, without one).
            try:
                with anyio.fail_after(self.body_timeout_s):
                    message = await receive()
            except TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    too_large = True
                    raise BodyTooLarge
                body_done = not message.get("more_body", False)
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal refused
            if too_large:
                # A chunked body grew past the limit: the framework's body parser swallows
                # BodyTooLarge and answers 400; the answer is 413 (issue 14), sent once.
                if not refused:
                    refused = True
                    await _refuse(send, 413, "too_large", "request body too large", is_api)
                return
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    *SECURITY_HEADERS,
                    (b"content-security-policy", csp),
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            if not refused:
                refused = True
                await _refuse(send, 413, "too_large", "request body too large", is_api)
        except BodyTooSlow:
            if not refused:
                refused = True
                await _refuse(send, 408, "timeout", "the request body came too slowly", is_api)


class BodyTooLarge(Exception):
    """A chunked body grew past the limit while being read."""


class BodyTooSlow(Exception):
    """The client sent no part of its body for BODY_TIMEOUT_S seconds."""


def _cross_site(headers: dict[str, str]) -> bool:
    """True when the browser says the request comes from another site."""
    if headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc != headers.get("host", "")


async def _refuse(send: Send, status: int, code: str, message: str, is_api: bool) -> None:
    import json

    if is_api:
        body = json.dumps({"error": {"code": code, "message": message, "field": None}}).encode()
        kind = b"application/json"
    else:
        body = (
            f"<!doctype html><title>calfcoach: {message}</title><h1>{message}</h1>"
            '<p><a href="/">Back to calfcoach</a></p>'
        ).encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
                (b"content-security-policy", PAGE_CSP.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
