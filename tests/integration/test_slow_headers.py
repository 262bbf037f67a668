"""A client that sends its request line and headers too slowly is disconnected (issue 16:
slow clients dropped), on the real uvicorn server with calfcoach's HTTP protocol, while
ordinary requests on the same server go on being answered."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import uvicorn

from calfcoach.services.context import open_database
from calfcoach.web.app import WebSettings, create_app
from calfcoach.web.server import HEADER_TIMEOUT_S, GuardedH11Protocol


class QuickHeaderLimit(GuardedH11Protocol):
    """The same protocol with a short limit, so the test needs no 10 s wait."""

    header_timeout_s = 1.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    app = create_app(WebSettings(open_database(str(tmp_path / "h.sqlite")), date.today))
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, http=QuickHeaderLimit, log_level="warning"
    )
    running = uvicorn.Server(config)
    # The server's own event loop in a thread (the browser tests keep one in the main thread).
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield port
    running.should_exit = True
    thread.join(timeout=30)


def closed_while_dribbling(port: int, first: bytes) -> bool:
    """Send ``first``, then a header byte every 0.1 s for up to 5 s: True when the server
    closes the connection before the headers are done."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(first)
        conn.settimeout(0.1)
        ends = time.monotonic() + 5
        while time.monotonic() < ends:
            try:
                if conn.recv(65536) == b"":
                    return True
            except TimeoutError:
                pass
            except ConnectionResetError:
                return True
            try:
                conn.sendall(b"x")
            except (BrokenPipeError, ConnectionResetError):
                return True
        return False


def get(port: int, conn: socket.socket | None = None) -> bytes:
    own = conn or socket.create_connection(("127.0.0.1", port), timeout=10)
    own.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = own.recv(65536)
        assert chunk, answer
        answer += chunk
    if conn is None:
        own.close()
    return answer


def test_the_default_header_limit_is_seconds_not_minutes() -> None:
    assert 1 <= GuardedH11Protocol.header_timeout_s == HEADER_TIMEOUT_S <= 60


def test_headers_sent_a_byte_at_a_time_are_cut_off(server: int) -> None:
    assert closed_while_dribbling(server, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    # The server answers others meanwhile and afterwards.
    assert get(server).startswith(b"HTTP/1.1 200")


def test_the_next_request_on_a_kept_alive_connection_has_the_same_limit(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=10) as conn:
        assert get(server, conn).startswith(b"HTTP/1.1 200")
        conn.sendall(b"GET /healthz HTTP/1.1\r\nX-Slow: ")
        conn.settimeout(0.1)
        ends = time.monotonic() + 5
        closed = False
        while time.monotonic() < ends and not closed:
            try:
                closed = conn.recv(65536) == b""
            except TimeoutError:
                try:
                    conn.sendall(b"x")
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
            except ConnectionResetError:
                closed = True
        assert closed


def test_a_request_whose_headers_arrive_in_time_is_answered(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=10) as conn:
        for piece in (b"GET /healthz HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"\r\n"):
            conn.sendall(piece)
            time.sleep(0.05)  # well inside the 1 s limit
        answer = conn.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200")
