"""The order web.gate.PriorityGate lets requests into the app: writes before reads, reads that
waited too long before writes, bodies read before a slot is taken, clients that went away
while waiting dropped from the queue. Driven on a real event loop
with a small ASGI app that records when each request got in."""

from __future__ import annotations

import asyncio
from typing import Any

from calfcoach.web.gate import PriorityGate


class Recorder:
    """An ASGI app that notes each request's path as it enters and holds it until released."""

    def __init__(self) -> None:
        self.entered: list[str] = []
        self.bodies: dict[str, bytes] = {}
        self.release: dict[str, asyncio.Event] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope["path"]
        self.entered.append(path)
        if scope["method"] != "GET":
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            self.bodies[path] = body
        await self.release.setdefault(path, asyncio.Event()).wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def done(self, path: str) -> None:
        self.release.setdefault(path, asyncio.Event()).set()


def _request(gate: Any, method: str, path: str, chunks: list[bytes] | None = None):
    """A request to ``gate`` (or an app in front of it) as a task; ``chunks`` its body, sent
    when the test puts them in the queue."""
    incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for n, chunk in enumerate(chunks or []):
        incoming.put_nowait(
            {"type": "http.request", "body": chunk, "more_body": n < len(chunks or []) - 1}
        )
    if chunks is None:  # [] : the body has not come yet. A GET's body is empty, as servers send it.
        incoming.put_nowait({"type": "http.request", "body": b"", "more_body": False})

    async def send(message: dict[str, Any]) -> None:
        return None

    scope = {"type": "http", "method": method, "path": path, "headers": []}
    return asyncio.ensure_future(gate(scope, incoming.get, send)), incoming


def _run(scenario: Any) -> Any:
    """``asyncio.run`` in a thread of its own: a browser test in the same worker process
    (Playwright's sync API) keeps an event loop running in this one."""
    from concurrent.futures import ThreadPoolExecutor

    async def bounded() -> Any:
        # A gate that loses a turn leaves requests waiting for ever: fail, do not hang.
        return await asyncio.wait_for(scenario, timeout=10)

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, bounded()).result()


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


def test_a_write_waiting_goes_before_reads_that_came_earlier() -> None:
    async def scenario() -> list[str]:
        app = Recorder()
        gate = PriorityGate(app, slots=1, read_patience_s=60)
        first, _ = _request(gate, "GET", "/today")
        await _settle()
        page, _ = _request(gate, "GET", "/progress")
        await _settle()
        logged, _ = _request(gate, "POST", "/today/log")
        await _settle()
        assert app.entered == ["/today"]  # one slot: the others wait
        app.done("/today")
        await _settle()
        app.done("/today/log")
        await _settle()
        app.done("/progress")
        await asyncio.gather(first, page, logged)
        return app.entered

    assert _run(scenario()) == ["/today", "/today/log", "/progress"]


def test_a_read_that_waited_its_patience_goes_before_writes() -> None:
    async def scenario() -> list[str]:
        app = Recorder()
        gate = PriorityGate(app, slots=1, read_patience_s=0.05)
        first, _ = _request(gate, "GET", "/today")
        await _settle()
        page, _ = _request(gate, "GET", "/progress")
        await asyncio.sleep(0.1)  # the page has waited past its patience
        logged, _ = _request(gate, "POST", "/today/log")
        await _settle()
        for path in ("/today", "/progress", "/today/log"):
            app.done(path)
            await _settle()
        await asyncio.gather(first, page, logged)
        return app.entered

    assert _run(scenario()) == ["/today", "/progress", "/today/log"]


def test_a_body_still_coming_holds_no_slot_and_arrives_whole() -> None:
    async def scenario() -> tuple[list[str], bytes]:
        app = Recorder()
        gate = PriorityGate(app, slots=1)
        slow, incoming = _request(gate, "POST", "/today/log", chunks=[])
        await _settle()
        page, _ = _request(gate, "GET", "/today")
        await _settle()
        assert app.entered == ["/today"]  # the slow body did not take the slot
        incoming.put_nowait({"type": "http.request", "body": b"reps=", "more_body": True})
        incoming.put_nowait({"type": "http.request", "body": b"10", "more_body": False})
        await _settle()
        app.done("/today")
        await _settle()
        app.done("/today/log")
        await asyncio.gather(slow, page)
        return app.entered, app.bodies["/today/log"]

    entered, body = _run(scenario())
    assert entered == ["/today", "/today/log"]
    assert body == b"reps=10"


def test_a_client_gone_while_waiting_leaves_the_queue_working() -> None:
    async def scenario() -> list[str]:
        app = Recorder()
        gate = PriorityGate(app, slots=1)
        first, _ = _request(gate, "GET", "/today")
        await _settle()
        gone, _ = _request(gate, "POST", "/today/log")
        after, _ = _request(gate, "GET", "/week")
        await _settle()
        gone.cancel()  # the phone lost its connection while its set waited
        await _settle()
        app.done("/today")
        await _settle()
        app.done("/week")
        await asyncio.gather(first, after)
        # Every slot was given back: a new request gets straight in.
        last, _ = _request(gate, "GET", "/plan")
        await _settle()
        app.done("/plan")
        await last
        return app.entered

    assert _run(scenario()) == ["/today", "/week", "/plan"]


def test_a_page_given_up_while_waiting_leaves_the_queue_at_once() -> None:
    """The client of a waiting read goes away (its server sends http.disconnect): the request
    leaves the queue then, not when its turn comes, and never reaches the app."""

    async def scenario() -> tuple[list[str], bool]:
        app = Recorder()
        gate = PriorityGate(app, slots=1)
        first, _ = _request(gate, "GET", "/today")
        await _settle()
        given_up, incoming = _request(gate, "GET", "/progress")
        await _settle()
        incoming.put_nowait({"type": "http.disconnect"})
        await _settle()
        left_at_once = given_up.done()
        app.done("/today")
        await _settle()
        after, _ = _request(gate, "GET", "/week")
        await _settle()
        app.done("/week")
        await asyncio.gather(first, given_up, after)
        return app.entered, left_at_once

    entered, left_at_once = _run(scenario())
    assert left_at_once
    assert entered == ["/today", "/week"]


def test_a_set_whose_phone_left_while_waiting_is_not_served() -> None:
    async def scenario() -> list[str]:
        app = Recorder()
        gate = PriorityGate(app, slots=1)
        first, _ = _request(gate, "GET", "/today")
        await _settle()
        gone, incoming = _request(gate, "POST", "/today/log")
        page, _ = _request(gate, "GET", "/week")
        await _settle()
        incoming.put_nowait({"type": "http.disconnect"})
        await _settle()
        app.done("/today")
        await _settle()
        app.done("/week")
        await asyncio.gather(first, gone, page)
        return app.entered

    assert _run(scenario()) == ["/today", "/week"]


def test_a_client_gone_before_its_body_was_whole_takes_no_slot() -> None:
    async def scenario() -> list[str]:
        app = Recorder()
        gate = PriorityGate(app, slots=1)
        broken, incoming = _request(gate, "POST", "/today/log", chunks=[])
        incoming.put_nowait({"type": "http.request", "body": b"reps=", "more_body": True})
        incoming.put_nowait({"type": "http.disconnect"})
        await _settle()
        page, _ = _request(gate, "GET", "/today")
        await _settle()
        app.done("/today")
        await asyncio.gather(broken, page)
        return app.entered

    assert _run(scenario()) == ["/today"]


def test_a_request_served_sees_its_body_and_then_its_client_leaving() -> None:
    """A request that waited (and so was watched) gets the same messages as one that did
    not: its body, then whatever the client sent while it waited."""

    async def scenario() -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = []
        app = Recorder()

        async def reader(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["path"] != "/today/log":
                await app(scope, receive, send)
                return
            seen.append(await receive())
            seen.append(await receive())
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        gate = PriorityGate(reader, slots=1)
        first, _ = _request(gate, "GET", "/today")
        await _settle()
        logged, incoming = _request(gate, "POST", "/today/log", chunks=[b"reps=10"])
        await _settle()
        app.done("/today")
        await _settle()
        incoming.put_nowait({"type": "http.disconnect"})
        await asyncio.gather(first, logged)
        return seen

    assert _run(scenario()) == [
        {"type": "http.request", "body": b"reps=10", "more_body": False},
        {"type": "http.disconnect"},
    ]


def test_static_files_and_the_health_check_never_wait() -> None:
    async def scenario() -> list[str]:
        app = Recorder()
        gate = PriorityGate(app, slots=1)
        first, _ = _request(gate, "GET", "/today")
        await _settle()
        shell = [_request(gate, "GET", path)[0] for path in ("/static/app.css", "/healthz")]
        await _settle()
        for path in ("/static/app.css", "/healthz", "/today"):
            app.done(path)
        await asyncio.gather(first, *shell)
        return app.entered

    assert _run(scenario()) == ["/today", "/static/app.css", "/healthz"]


def test_a_write_keeps_its_head_start_when_everything_has_waited_long() -> None:
    """With many clients every request waits longer than the patience; a write that came
    just after a read still goes first (the head start is relative, so writes never starve
    behind reads that all count as patient)."""

    async def scenario() -> list[str]:
        app = Recorder()
        gate = PriorityGate(app, slots=1, read_patience_s=0.05)
        first, _ = _request(gate, "GET", "/today")
        await _settle()
        page, _ = _request(gate, "GET", "/progress")
        await asyncio.sleep(0.01)
        logged, _ = _request(gate, "POST", "/today/log")
        await asyncio.sleep(0.2)  # both have now waited longer than the patience
        for path in ("/today", "/today/log", "/progress"):
            app.done(path)
            await _settle()
        await asyncio.gather(first, page, logged)
        return app.entered

    assert _run(scenario()) == ["/today", "/today/log", "/progress"]


def test_a_request_waiting_longer_than_the_body_timeout_is_still_served() -> None:
    """Behind the guard (web.security), whose receive gives a body this long to come: the
    gate's watch for a leaving client went through it, failed once the request had waited
    that long, and the request was dropped unanswered (uvicorn sent a 500)."""
    from calfcoach.web.security import GuardMiddleware

    async def scenario() -> tuple[list[str], bytes]:
        app = Recorder()
        guarded = GuardMiddleware(PriorityGate(app, slots=1), 10_000, body_timeout_s=0.05)
        slow, _ = _request(guarded, "GET", "/progress")
        await _settle()
        logged, _ = _request(guarded, "POST", "/today/log", chunks=[b"reps=10"])
        await asyncio.sleep(0.2)  # four times the body timeout, waiting for its turn
        app.done("/progress")
        await _settle()
        app.done("/today/log")
        await asyncio.gather(slow, logged)
        return app.entered, app.bodies["/today/log"]

    entered, body = _run(scenario())
    assert entered == ["/progress", "/today/log"]
    assert body == b"reps=10"
