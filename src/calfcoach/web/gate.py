"""The order in which requests are served when more arrive than the app can serve at once.

At the gym a tapped set waits on screen for its answer, while a page that loads a little later
costs nobody a rep, so under load writes go first (issue 13: "log a set" p99 under 50 ms at 10
clients). Without an order, a logged set queued behind every page asked for before it: with
ten phones that never pause, about nine requests of 5 to 20 ms each (bench/web_load.py).

:class:`PriorityGate` lets ``slots`` requests into the app at a time (one on SQLite, one a
worker thread on PostgreSQL: web.app). A request waiting for a slot goes in by this rule:

writes (any method but GET, HEAD and OPTIONS) in the order they came, before reads in the order
they came, unless the oldest read came more than ``read_patience_s`` before the oldest write: a
write is worth that head start and no more, so neither kind ever starves (with fifty clients
and every request waiting longer than the patience, reads that had waited it simply went first
and writes waited seconds).

Static files, the service worker, the manifest and the health check read no diary and never
wait. A request's body is read in full before it waits for a slot (forms and API bodies are
small; web.security limits their size and how slowly they may come), so a client that sends
slowly never holds a slot. The app sees the body as if it were read from the client. A request
whose client goes away while it waits leaves the queue then, and never reaches the app.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

READS = frozenset({"GET", "HEAD", "OPTIONS"})
# Files and answers that read no diary: they never wait for a turn (the app shell a page and
# its service worker fetch at once, the health check a proxy polls).
UNGATED_PATHS = frozenset({"/healthz", "/sw.js", "/manifest.webmanifest"})
UNGATED_PREFIXES = ("/static/", "/api/docs/assets/")
# The head start a write has over a read that waits with it.
READ_PATIENCE_S = 0.25


class PriorityGate:
    def __init__(self, app: ASGIApp, slots: int, read_patience_s: float = READ_PATIENCE_S) -> None:
        self.app = app
        self.slots = slots
        self.read_patience_s = read_patience_s
        self._busy = 0
        self._writes: deque[tuple[float, asyncio.Future[None]]] = deque()
        self._reads: deque[tuple[float, asyncio.Future[None]]] = deque()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _ungated(scope["path"]):
            await self.app(scope, receive, send)
            return
        client = await _Client.read(receive)
        if client.gone_mid_body:
            return  # gone before its request was whole: nothing to answer
        if not await self._enter(scope["method"] in READS, client):
            return  # gone while it waited: its turn went to the next in line
        try:
            await self.app(scope, client.receive, send)
        finally:
            client.close()
            self._leave()

    async def _enter(self, is_read: bool, client: _Client) -> bool:
        """Wait for a slot; False when the client went away first. A page a runner gave up
        on (a phone losing the gym's Wi-Fi, a reload) then costs nobody a turn."""
        if self._busy < self.slots and not self._writes and not self._reads:
            self._busy += 1
            return True
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._reads if is_read else self._writes).append((time.monotonic(), turn))
        gone = client.watch()
        try:
            await asyncio.wait((turn, gone), return_when=asyncio.FIRST_COMPLETED)
            if not turn.done() and _leaving(gone):
                self._forget(turn)
                return False
            await turn
            return True
        except asyncio.CancelledError:
            # The server cancelled the request while it waited. A turn given to it already
            # is passed on.
            if turn.done() and not turn.cancelled():
                self._leave()
            else:
                self._forget(turn)
            client.close()
            raise

    def _leave(self) -> None:
        self._busy -= 1
        while self._busy < self.slots:
            turn = self._next()
            if turn is None:
                return
            if not turn.done():
                self._busy += 1
                turn.set_result(None)

    def _next(self) -> asyncio.Future[None] | None:
        if self._reads and (
            not self._writes or self._reads[0][0] + self.read_patience_s < self._writes[0][0]
        ):
            return self._reads.popleft()[1]
        if self._writes:
            return self._writes.popleft()[1]
        return None

    def _forget(self, turn: asyncio.Future[None]) -> None:
        self._writes = deque(entry for entry in self._writes if entry[1] is not turn)
        self._reads = deque(entry for entry in self._reads if entry[1] is not turn)


def _ungated(path: str) -> bool:
    return path in UNGATED_PATHS or path.startswith(UNGATED_PREFIXES)


def _leaving(message: asyncio.Future[Message]) -> bool:
    """Whether the client's next message, come already, says it went away. Only an
    http.disconnect does: a receive that failed (a limit of the middleware in front, say)
    is the app's to meet when it reads, and the request keeps its place."""
    if not message.done() or message.cancelled() or message.exception() is not None:
        return False
    return bool(message.result()["type"] == "http.disconnect")


class _Client:
    """One request's messages from its client: the body, read in full before the request
    waits, and then a watch on what the client sends next, which after a whole body can only
    be its going away (http.disconnect). The app receives the same messages in the same
    order, as if it had read them from the client itself."""

    def __init__(self, receive: Receive, body: list[Message]) -> None:
        self._receive = receive
        self._body = deque(body)
        self._next: asyncio.Task[Message] | None = None
        self.gone_mid_body = bool(body) and body[-1]["type"] == "http.disconnect"

    @classmethod
    async def read(cls, receive: Receive) -> _Client:
        body: list[Message] = []
        while True:
            message = await receive()
            body.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                return cls(receive, body)

    def watch(self) -> asyncio.Future[Message]:
        """The client's next message, awaited in a task of its own while the request waits."""
        if self._next is None:
            self._next = asyncio.ensure_future(self._receive())
        return self._next

    async def receive(self) -> Message:
        if self._body:
            return self._body.popleft()
        if self._next is not None:
            watched, self._next = self._next, None
            return await watched
        return await self._receive()

    def close(self) -> None:
        """Stop watching once the app has answered (the server's receive only waits on an
        event, so cancelling it loses nothing)."""
        if self._next is None:
            return
        if not self._next.done():
            self._next.cancel()
        elif not self._next.cancelled():
            self._next.exception()  # a failed receive the app never asked for is no error
