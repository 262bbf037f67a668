"""Who is asking, for every request (issue 16): the local owner while the database has no
account; once one exists, a signed-in user (session cookie) or a program (``Authorization:
Bearer`` token), and nobody else.

The session is a cookie signed with itsdangerous under a key kept in the database, so every
app process accepts it and a restart signs nobody out (the app stays stateless). It carries
the user's id and a fingerprint of their password hash: changing the password ends every
other session. HttpOnly, SameSite=Lax (a link from a mail opens the app signed in; a
cross-site form post is refused by the guard and by CSRF), Secure when served over HTTPS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import suppress
from typing import Any
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeTimedSerializer

from calfcoach.services.access import Identity, password_fingerprint
from calfcoach.services.context import Database

SESSION_COOKIE = "calfcoach_session"
SESSION_MAX_AGE = 14 * 24 * 3600
# Reachable without signing in: the sign-in page, files that hold no diary, the health check,
# the calendar feed (its address is its own secret: calendar apps send no cookie), and what a
# browser fetches for the installed app before anyone signs in.
OPEN_PATHS = ("/signin", "/healthz", "/sw.js", "/manifest.webmanifest")
OPEN_PREFIXES = ("/static/", "/calendar/")
# Writes whose services record their own audit rows (with more detail), or that change nothing
# of anyone's diary.
UNAUDITED = (
    "/signin",
    "/signout",
    "/account/password",
    "/setup",
    "/api/v1/athletes",
    "/coach/club",
)
UNAUDITED_PREFIXES = ("/sharing/", "/invite/")

# What a write changed, in words (services.change_notes), as the route says it: the audit
# row's detail. None: the write changed nothing, so no row (a set sent again, a set deleted
# already); left unsaid, the row is written with an empty detail, so no route can skip it.
CHANGE_KEY = "change"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Sessions:
    """Signs and reads session cookies with the database's session key (fetched once)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._serializer: URLSafeTimedSerializer | None = None

    def _signer(self) -> URLSafeTimedSerializer:
        if self._serializer is None:
            from calfcoach.services.access import session_key

            self._serializer = URLSafeTimedSerializer(
                session_key(self.database), salt="calfcoach-session"
            )
        return self._serializer

    def cookie_for(self, user_id: int, password_hash: str) -> str:
        return self._signer().dumps({"u": user_id, "p": password_fingerprint(password_hash)})

    def read(self, cookie: str | None) -> tuple[int, str] | None:
        """The (user id, password fingerprint) a valid, unexpired cookie holds."""
        if not cookie or len(cookie) > 500:
            return None
        try:
            data = self._signer().loads(cookie, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        user_id, fingerprint = data.get("u"), data.get("p")
        if not isinstance(user_id, int) or not isinstance(fingerprint, str):
            return None
        return user_id, fingerprint


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if raw is None:
        return None
    for part in raw.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def identify(database: Database, sessions: Sessions, scope: Scope) -> Identity | None:
    """The identity of a request; None when accounts exist and it proves none. Runs in a
    worker thread (it reads the database)."""
    from calfcoach.services.access import identify_request

    authorization = _header(scope, b"authorization")
    token = None
    if authorization is not None:
        scheme, _, value = authorization.partition(" ")
        token = value.strip() if scheme.lower() == "bearer" else ""
    session = sessions.read(_cookie(scope, SESSION_COOKIE)) if token is None else None
    return identify_request(database, token, session)


class AuthMiddleware:
    """Puts the request's identity in ``request.state.identity``; refuses a request that
    needs one and has none (401 on the API, the sign-in page for pages)."""

    def __init__(self, app: ASGIApp, database: Database) -> None:
        self.app = app
        self.database = database
        self.sessions = Sessions(database)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        import anyio.to_thread

        from calfcoach.errors import CalfcoachError

        try:
            identity = await anyio.to_thread.run_sync(identify, self.database, self.sessions, scope)
        except CalfcoachError:
            # The database is busy or gone: let the route answer with its own error (503).
            identity = None
        scope.setdefault("state", {})["identity"] = identity
        scope["state"]["sessions"] = self.sessions
        path: str = scope["path"]
        if identity is None and not (path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)):
            await _refuse(scope, send, path)
            return
        if identity is None or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        status = 0

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, send_noting_status)
        if status < 400 and path not in UNAUDITED and not path.startswith(UNAUDITED_PREFIXES):
            if scope.get("state", {}).get(CHANGE_KEY, "") is None:
                return  # the route said the write changed nothing (note_change)
            await anyio.to_thread.run_sync(self._audit, identity, scope)

    def _audit(self, identity: Identity, scope: Scope) -> None:
        """Who changed what, when: after every write answered with success, whichever route
        made it (a new route cannot forget). Its own transaction, after the write's."""
        from calfcoach.errors import CalfcoachError
        from calfcoach.services.access import record_change

        who = identity
        if identity.is_owner and not _from_loopback(scope):
            who = Identity(name="device", role="owner")  # a paired phone (serve --lan)
        state = scope.get("state", {})
        athlete = state.get("athlete")
        # The route's own database (web.deps): the athlete it looked up is no query here.
        database = state.get("database", self.database)
        # The change is made; a busy database must not turn it into an error.
        detail = state.get(CHANGE_KEY) or ""
        with suppress(CalfcoachError):
            record_change(database, who, f"{scope['method']} {scope['path']}", athlete, detail)


async def _refuse(scope: Scope, send: Send, path: str) -> None:
    if path.startswith("/api/"):
        body = (
            b'{"error": {"code": "unauthorized", "message": "sign in first: send '
            b"Authorization: Bearer TOKEN (made by calfcoach user token NAME) or sign in "
            b'at /signin", "field": null}}'
        )
        status, kind = 401, b"application/json"
        extra = [(b"www-authenticate", b'Bearer realm="calfcoach"')]
    else:
        query = scope.get("query_string", b"").decode("latin-1")
        target = path + (f"?{query}" if query else "")
        body, status, kind = b"", 303, b"text/plain"
        extra = [(b"location", f"/signin?next={quote(target, safe='')}".encode())]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", b"%d" % len(body)),
                (b"cache-control", b"no-store"),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _from_loopback(scope: Scope) -> bool:
    from calfcoach.web.pairing import is_loopback

    client = scope.get("client")
    return is_loopback(client[0] if client else None)


def note_change(request: Any, detail: str | None) -> None:
    """Say what the request's write changed (``detail``), or None when it changed nothing:
    the audit row after the response (:class:`AuthMiddleware`) records it, or is left out."""
    setattr(request.state, CHANGE_KEY, detail)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this app only (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
