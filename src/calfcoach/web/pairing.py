"""Pairing a phone with ``calfcoach serve --lan``: the app answers requests from other
machines only when they carry the owner's device cookie, which a one-time pairing link sets.

One owner, one secret per ``serve`` run: the secret that signs the cookie lives in memory, so
a restart (which prints a new link) asks the phone to pair again. Requests from this computer
(loopback) need no pairing. The calendar feed stays open by its own secret token, because a
calendar app sends no cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

DEVICE_COOKIE = "calfcoach_device"
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600  # browsers cap cookies at 400 days
# Reachable without the cookie: the pairing page itself, files with no diary in them, the
# health check, and the calendar feed (its address is its own secret).
OPEN_PREFIXES = ("/pair", "/static/", "/healthz", "/calendar/")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class Pairing:
    """The owner's pairing for one ``serve --lan`` run."""

    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    code: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    used: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def redeem(self, code: str) -> str | None:
        """A device cookie for the one-time ``code``; None when it is wrong or was used."""
        with self._lock:
            if self.used or not hmac.compare_digest(code, self.code):
                return None
            self.used = True
        device = secrets.token_urlsafe(16)
        return f"{device}.{self._sign(device)}"

    def accepts(self, cookie: str | None) -> bool:
        if not cookie or "." not in cookie:
            return False
        device, signature = cookie.rsplit(".", 1)
        return hmac.compare_digest(signature, self._sign(device))

    def _sign(self, device: str) -> str:
        return hmac.new(self.secret, device.encode(), hashlib.sha256).hexdigest()


def is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _cookie(headers: list[tuple[bytes, bytes]]) -> str | None:
    for key, value in headers:
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                name, _, content = part.strip().partition("=")
                if name == DEVICE_COOKIE:
                    return content
    return None


class PairingMiddleware:
    """Lets through loopback requests, open paths and paired devices; others get 401 (API)
    or a redirect to the "pair this device" page."""

    def __init__(self, app: ASGIApp, pairing: Pairing) -> None:
        self.app = app
        self.pairing = pairing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        path: str = scope["path"]
        if (
            is_loopback(client[0] if client else None)
            or path.startswith(OPEN_PREFIXES)
            or self.pairing.accepts(_cookie(scope["headers"]))
        ):
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/"):
            body = (
                b'{"error": {"code": "not_paired", "message": "this device is not paired; open '
                b'the pairing link that calfcoach serve --lan prints", "field": null}}'
            )
            status, kind, extra = 401, b"application/json", []
        else:
            body, status, kind = b"", 303, b"text/plain"
            extra = [(b"location", b"/pair")]
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", b"%d" % len(body)),
                    *extra,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
