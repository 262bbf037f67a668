"""Running the web app with uvicorn: one process, or ``--workers N`` processes on one
PostgreSQL database for a club (issue 16), behind a TLS reverse proxy.

Several processes are uvicorn's own workers (its supervisor starts, watches and stops them);
each builds the app from the environment the ``serve`` command leaves for it
(:func:`app_from_environment`). The processes keep nothing that matters in memory:

- sessions are cookies signed with a key kept in the database (``server_keys``);
- the sign-in rate limit counts failed sign-ins in the database's audit table;
- invitations, grants, tokens, calendar feed tokens and the club's defaults are rows;
- what each process does cache is derived from the database and safe to hold per process:
  the session signing key (made once, never changed), parsed profiles (keyed by the stored
  text itself, so a changed profile is a new key), the catalog and norms (files shipped with
  the package).

The one exception is ``serve --lan`` without accounts: its pairing secret lives in the memory
of the run that printed the link, so it is refused with several workers (a club signs in with
accounts instead). SQLite lets one process write at a time, so several workers are refused on
it too.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from calfcoach.errors import InputError

if TYPE_CHECKING:
    import asyncio

    from fastapi import FastAPI

    from calfcoach.services.context import Database
    from calfcoach.web.app import WebSettings

# What the serve command hands to each worker process (uvicorn starts them with Python's
# "spawn", which copies the environment but no objects).
SETTINGS_ENV = "CALFCOACH_SERVE_SETTINGS"
WORKERS_MAX = 32
APP_FACTORY = "calfcoach.web.server:app_from_environment"
HTTP_PROTOCOL = "calfcoach.web.server:GuardedH11Protocol"
# How long a client may take to send a request's line and headers (issue 16: slow clients
# dropped). uvicorn times out only the idle wait after a response, and any byte restarts it,
# so a client sending one header byte every few seconds held a connection for ever.
HEADER_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """How uvicorn listens: address, port, processes, and which proxies it believes."""

    host: str
    port: int
    workers: int = 1
    # Addresses whose X-Forwarded-Proto/-For uvicorn believes (a comma-separated list of IP
    # addresses or networks, or "*"); None: uvicorn's default, 127.0.0.1 (a proxy on this
    # computer).
    forwarded_allow_ips: str | None = None


def check_workers(workers: int, database: Database, pairing: bool) -> int:
    """:raises InputError: out of range; several on SQLite; several with ``--lan`` pairing."""
    if not 1 <= workers <= WORKERS_MAX:
        raise InputError(
            f"option --workers: {workers} is out of range; allowed: 1 to {WORKERS_MAX}", "workers"
        )
    if workers > 1 and database.engine.dialect.name == "sqlite":
        raise InputError(
            f"option --workers: {workers} needs a PostgreSQL database (SQLite lets one process "
            "write at a time); allowed: 1 on SQLite, or --db postgresql+psycopg://…",
            "workers",
        )
    if workers > 1 and pairing:
        raise InputError(
            f"option --workers: {workers} with --lan and no accounts: the pairing link lives in "
            "one process; allowed: 1 with --lan, or add accounts (calfcoach user add NAME "
            "--role admin)",
            "workers",
        )
    return workers


def check_forwarded_allow_ips(value: str | None) -> str | None:
    """The proxies' addresses, as uvicorn reads them.

    :raises InputError: an entry that is neither an IP address, a network nor ``*``.
    """
    if value is None:
        return None
    entries = [entry.strip() for entry in value.split(",")]
    for entry in entries:
        if entry == "*":
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise InputError(
                f"option --forwarded-allow-ips: {entry!r} is not an IP address; allowed: "
                "addresses or networks separated by commas (127.0.0.1,10.0.0.0/8), or * (any)",
                "forwarded_allow_ips",
            ) from None
    return ",".join(entries)


def run(settings: WebSettings, options: ServeOptions) -> None:
    """Serve until stopped (Ctrl+C, SIGTERM)."""
    import uvicorn

    common: dict[str, Any] = {
        "host": options.host,
        "port": options.port,
        "log_level": "warning",
        "access_log": False,
        "http": HTTP_PROTOCOL,
        "proxy_headers": True,
    }
    if options.forwarded_allow_ips is not None:
        common["forwarded_allow_ips"] = options.forwarded_allow_ips
    if options.workers == 1:
        from calfcoach.web.app import create_app

        uvicorn.run(create_app(settings), **common)
        return
    os.environ[SETTINGS_ENV] = json.dumps(
        {
            "db": settings.database.url,
            "allowed_hosts": settings.allowed_hosts,
            "public_url": settings.public_url,
        }
    )
    # The workers open their own connections; this process only supervises them.
    settings.database.engine.dispose()
    uvicorn.run(APP_FACTORY, factory=True, workers=options.workers, **common)


def app_from_environment() -> FastAPI:
    """The app of one worker process, from what ``run`` left in the environment."""
    from calfcoach.services.context import open_database
    from calfcoach.web.app import WebSettings, create_app
    from calfcoach.web.clock import clock_of_environment

    raw = json.loads(os.environ[SETTINGS_ENV])
    hosts = raw["allowed_hosts"]
    settings = WebSettings(
        open_database(raw["db"]),
        _today,
        browser_clock=clock_of_environment(),
        allowed_hosts=None if hosts is None else tuple(hosts),
        public_url=raw["public_url"],
    )
    return create_app(settings)


def _today() -> date:
    # The serve command has already refused a malformed CALFCOACH_TODAY before starting the
    # workers, so this reads a valid date or none.
    fixed = os.environ.get("CALFCOACH_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with Nagle's algorithm off on every connection, and a
    time limit for each request's line and headers.

    asyncio turns TCP_NODELAY on only for sockets made with the TCP protocol number; the
    listening socket uvicorn makes itself for ``--workers`` has protocol 0, so its accepted
    connections kept Nagle on, and a response written in two pieces (headers, then body)
    waited for the client's delayed ACK: GET /today went from a p50 of 5 ms with one process
    to 48 ms with two (bench/web_load.py). Setting it here covers every way uvicorn binds.

    The header limit (``header_timeout_s``) runs from the moment the connection, or the
    keep-alive wait after a response, expects a new request until h11 has read its headers;
    a client still sending headers then is disconnected. The body has its own limit
    (web.security.GuardMiddleware).
    """

    header_timeout_s: float = HEADER_TIMEOUT_S

    def connection_made(self, transport: asyncio.BaseTransport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[arg-type]
        self._headers_timer: asyncio.TimerHandle | None = None
        self._expect_headers()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._headers_timer is not None and self.conn.their_state is not h11.IDLE:
            self._headers_timer.cancel()  # the request's headers are in
            self._headers_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._expect_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._headers_timer is not None:
            self._headers_timer.cancel()
            self._headers_timer = None
        super().connection_lost(exc)

    def _expect_headers(self) -> None:
        if self._headers_timer is not None:
            self._headers_timer.cancel()
        self._headers_timer = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _headers_too_slow(self) -> None:
        self._headers_timer = None
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self.transport.close()
