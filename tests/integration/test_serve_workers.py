"""`calfcoach serve --workers 2` on PostgreSQL behind a TLS reverse proxy (issue 16), tested as
the real command: the requests carry the headers a proxy such as Caddy or nginx adds, from an
address the server was told to believe.

Which worker answers is made certain by stopping the other one (SIGSTOP) for the length of one
request: both accept from the one listening socket, so a stopped worker leaves every new
connection to the other.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from calfcoach.services import accounts, context
from calfcoach.services import athletes as athletes_service
from calfcoach.services.access import LOCAL_OWNER
from tests.conftest import ROOT, cli_path

TODAY = date(2026, 12, 1)
PASSWORD = "correct horse battery"
SITE = "calves.example.net"
# What a proxy on this computer sends for a phone's request that reached it over HTTPS.
PROXIED = {"host": SITE, "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(database_url: str) -> None:
    """One athlete, Sam, with an athlete account."""
    db = context.open_database(database_url)
    text = (ROOT / "examples" / "profile.toml").read_text()
    athletes_service.init_athlete_from_text(db, text, "profile", date(2026, 11, 30), TODAY)
    accounts.add_user(db, "sam", "athlete", PASSWORD, "Sam", LOCAL_OWNER)
    db.engine.dispose()


@contextmanager
def serving(*args: str, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [cli_path(), "serve", "--port", str(port), *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise AssertionError((tmp_path / "serve.log").read_text())
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    """The uvicorn workers started by the serve process (not multiprocessing's tracker)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [
        int(pid)
        for pid in children
        if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        and b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


@contextmanager
def only(running: int, stopped: int) -> Iterator[None]:
    """Every new connection is accepted by ``running`` while ``stopped`` is paused (uvicorn's
    supervisor restarts a worker silent for 5 s: a pause is one request long)."""
    os.kill(stopped, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(stopped, signal.SIGCONT)


def wait_for_workers(database_url: str, count: int) -> None:
    """Until ``count`` workers have opened the database (each keeps a pooled connection)."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            for _ in range(300):
                others = conn.scalar(
                    sa.text(
                        "select count(*) from pg_stat_activity where datname = "
                        "current_database() and pid <> pg_backend_pid()"
                    )
                )
                if others is not None and others >= count:
                    return
                time.sleep(0.1)
    finally:
        engine.dispose()
    raise AssertionError(f"{count} workers never opened the database")


def signin_form(http: httpx.Client) -> dict[str, str]:
    """The sign-in form's CSRF field, and its cookie sent back by hand: the client's cookie
    jar keeps a Secure cookie off this plain-HTTP hop, as a browser would (the proxy's HTTPS
    ends here)."""
    form = http.get("/signin")
    assert form.status_code == 200, form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    http.cookies.clear()
    http.headers["cookie"] = f"calfcoach_csrf={token.group(1)}"
    return {"csrf_token": token.group(1)}


def sign_in(url: str, headers: dict[str, str], password: str = PASSWORD) -> httpx.Response:
    """The sign-in form's answer, on connections of their own (no keep-alive to one worker)."""
    with httpx.Client(base_url=url, headers=headers) as http:
        field = signin_form(http)
        return http.post("/signin", data={**field, "name": "sam", "password": password})


def session_cookie(response: httpx.Response) -> str:
    header = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("calfcoach_session=")
    )
    return header


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_behind_a_tls_proxy(database_url: str, tmp_path: Path) -> None:
    prepare(database_url)
    args = ("--workers", "2", "--forwarded-allow-ips", "127.0.0.1", "--allowed-host", SITE)
    with serving(*args, "--db", database_url, tmp_path=tmp_path) as (url, server):
        wait_for_workers(database_url, 2)
        first, second = worker_pids(server)

        with only(first, second):
            signed_in = sign_in(url, PROXIED)
        assert signed_in.status_code == 303, signed_in.text
        cookie = session_cookie(signed_in)
        # Behind the proxy the request came over HTTPS: the browser sends the cookie over
        # HTTPS only, and no script reads it.
        assert "; secure" in cookie.lower()
        assert "httponly" in cookie.lower()
        value = cookie.split(";", 1)[0].split("=", 1)[1]

        # The other process accepts the session the first one signed (the key is in the
        # database, not in a process).
        with only(second, first), httpx.Client(base_url=url, headers=PROXIED) as http:
            today = http.get("/today", headers={"cookie": f"calfcoach_session={value}"})
        assert today.status_code == 200, today.text
        assert "Sam" in today.text

        # Without the session, the same page sends the browser to sign in.
        with httpx.Client(base_url=url, headers=PROXIED) as http:
            anonymous = http.get("/today")
        assert anonymous.status_code == 303
        assert anonymous.headers["location"].startswith("/signin")

        # The Host allow-list holds behind the proxy too (DNS rebinding).
        with httpx.Client(base_url=url, headers={**PROXIED, "host": "evil.example"}) as http:
            assert http.get("/signin").status_code == 400

        # The sign-in rate limit is counted in the database: failures on one worker count
        # on the other.
        for attempt in range(accounts.SIGN_IN_ATTEMPTS):
            running, stopped = (first, second) if attempt % 2 else (second, first)
            with only(running, stopped):
                assert sign_in(url, PROXIED, "wrong password!").status_code == 401
        assert sign_in(url, PROXIED).status_code == 429
        assert worker_pids(server) == [first, second]  # no worker was restarted meanwhile


def test_headers_of_an_address_not_trusted_are_ignored(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'one.sqlite'}"
    prepare(database_url)
    # The proxy is said to be elsewhere: this client's X-Forwarded-Proto is a lie it tells.
    args = ("--forwarded-allow-ips", "10.1.2.3", "--allowed-host", SITE)
    with serving(*args, "--db", database_url, tmp_path=tmp_path) as (url, _):
        signed_in = sign_in(url, PROXIED)
    assert signed_in.status_code == 303, signed_in.text
    assert "secure" not in session_cookie(signed_in).lower()


def test_several_workers_are_refused_on_sqlite(tmp_path: Path) -> None:
    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()}
    run = subprocess.run(
        [cli_path(), "serve", "--workers", "2", "--db", str(tmp_path / "one.sqlite")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "--workers" in lines[0] and "PostgreSQL" in lines[0] and "SQLite" in lines[0]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--workers", "0"), "--workers"),
        (("--forwarded-allow-ips", "proxy.example"), "--forwarded-allow-ips"),
    ],
)
def test_bad_serve_options_are_one_line(tmp_path: Path, args: tuple[str, ...], option: str) -> None:
    run = subprocess.run(
        [cli_path(), "serve", *args, "--db", str(tmp_path / "one.sqlite")],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert f"option {option}:" in run.stderr
