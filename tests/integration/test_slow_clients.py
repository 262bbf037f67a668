"""A client that stops sending its request body is answered and dropped (issue 16), rather
than holding a worker for ever."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pytest

from calfcoach.services.context import open_database
from calfcoach.web.app import WebSettings, create_app
from calfcoach.web.security import GuardMiddleware


@pytest.mark.parametrize("path", ["/api/v1/sets", "/checkin"])
def test_a_body_that_stops_coming_is_refused(tmp_path: Path, path: str) -> None:
    app = create_app(WebSettings(open_database(str(tmp_path / "w.sqlite")), date.today))
    stack: Any = app.build_middleware_stack()
    guard = stack
    while not isinstance(guard, GuardMiddleware):
        guard = guard.app
    guard.body_timeout_s = 0.2  # the default is 20 s; the behaviour is the same
    sent: list[dict[str, Any]] = []
    kind = b"application/json" if path.startswith("/api/") else b"application/x-www-form-urlencoded"
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", kind)],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "scheme": "http",
        "root_path": "",
        "http_version": "1.1",
        "app": app,
    }

    async def silent_client() -> dict[str, Any]:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def collect(message: dict[str, Any]) -> None:
        sent.append(message)

    async def run() -> None:
        # Only a guard against a hang of the test run, far above the app's timeout.
        with anyio.fail_after(30):
            await stack(scope, silent_client, collect)

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in
    # the main thread for the whole session, where anyio.run would refuse to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(anyio.run, run).result()
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert len(starts) == 1
    assert 400 <= starts[0]["status"] < 500, starts[0]
