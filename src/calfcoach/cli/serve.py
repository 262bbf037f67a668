"""``calfcoach serve``: the local web app, its address checks and the phone pairing."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from calfcoach.cli.options import DbOption, open_database, today_date
from calfcoach.errors import InputError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. For your phone use --lan; another address (0.0.0.0) "
            "needs accounts (calfcoach user add)."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help="Listen on this computer's LAN address and pair your phone with a one-time "
            "link (printed with its QR code); other devices are refused.",
        ),
    ] = False,
    public_url: Annotated[
        str | None,
        typer.Option(
            help="The address phones and calendars reach the app at (e.g. through a reverse "
            "proxy), for the absolute links the app shows."
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A host name the app answers to besides the address it listens on (the name "
            "in your browser's address bar); repeat for several. Others are refused (DNS "
            "rebinding).",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Processes serving requests (more than 1 needs PostgreSQL).")
    ] = 1,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Addresses of the reverse proxy whose X-Forwarded-Proto/-For are believed, "
            "comma-separated, or * (default: 127.0.0.1)."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Run the local web app: this week, one-tap logging, check-ins, progress, the JSON API.

    Example: calfcoach serve --lan (then scan the QR code it prints with your phone)
    """
    if not 1 <= port <= 65535:
        raise InputError(f"option --port: {port} is out of range; allowed: 1 to 65535")
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise InputError(
            f"option --public-url: {public_url!r} is not a web address; allowed: "
            "http://HOST[:PORT] or https://HOST[:PORT]"
        )
    if lan:
        host = _lan_address()
    from calfcoach.services.access import accounts_exist
    from calfcoach.web import server
    from calfcoach.web.app import WebSettings
    from calfcoach.web.clock import clock_of_environment

    proxies = server.check_forwarded_allow_ips(forwarded_allow_ips)
    extra_hosts = [_check_host_name(name) for name in allowed_host or []]
    _check_port_free(host, port)
    # The web app records each request's writes itself (web/auth.py).
    database = open_database(db, audited=False, creates=True)
    today_date()  # a bad CALFCOACH_TODAY is refused now, not on the first request
    # Once the database has an account, every request signs in (web.auth), wherever it
    # comes from; without one, only this computer and a paired phone may reach the diary.
    signed_in = accounts_exist(database)
    options = server.ServeOptions(
        host, port, server.check_workers(workers, database, lan and not signed_in), proxies
    )
    hosts = _allowed_hosts(host, public_url, extra_hosts)
    shown = f"[{host}]" if ":" in host else host
    if lan and not signed_in:
        from calfcoach.web.pairing import Pairing

        pairing = Pairing()
        base = (public_url or f"http://{host}:{port}").rstrip("/")
        _print_pairing(f"{base}/pair/{pairing.code}")
        settings = WebSettings(
            database,
            today_date,
            pairing=pairing,
            public_url=public_url,
            allowed_hosts=hosts,
            browser_clock=clock_of_environment(),
        )
        server.run(settings, options)
        return
    from calfcoach.web.pairing import is_loopback

    if not (host in LOOPBACK or is_loopback(host)) and not signed_in:
        raise InputError(
            f"option --host: {host} would let anyone on the network read and change the diary, "
            "and this database has no accounts; allowed: 127.0.0.1, --lan (pairs your phone), "
            "or add an account first (calfcoach user add NAME --role admin)"
        )
    if signed_in:
        sys.stderr.write("calfcoach: accounts are set up: everyone signs in at /signin\n")
    sys.stderr.write(f"calfcoach: serving on http://{shown}:{port}/ (Ctrl+C stops)\n")
    settings = WebSettings(
        database,
        today_date,
        allowed_hosts=hosts,
        public_url=public_url,
        browser_clock=clock_of_environment(),
    )
    server.run(settings, options)


_HOST_NAME = r"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$"


def _check_host_name(name: str) -> str:
    """:raises InputError: not a host name (or *.domain, or [IPv6])."""
    import re

    if not re.match(_HOST_NAME, name):
        raise InputError(
            f"option --allowed-host: {name!r} is not a host name; allowed: a name such as "
            "calves.example.net, *.example.net, an IPv4 address or [IPv6]"
        )
    return name


def _allowed_hosts(host: str, public_url: str | None, extra: list[str]) -> tuple[str, ...]:
    """The Host header values the app answers to, for every bind (DNS-rebinding protection):
    this computer's loopback names, the address it listens on, the --public-url's host and
    the --allowed-host names. Listening on every interface (0.0.0.0, ::) adds this computer's
    LAN address, the one a phone on the Wi-Fi uses."""
    from urllib.parse import urlsplit

    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"]
    if host not in ("0.0.0.0", "::"):
        hosts += [host, f"[{host}]"] if ":" in host else [host]
    else:
        from contextlib import suppress

        with suppress(InputError):  # no network: loopback and the names given
            hosts.append(_lan_address())
    if public_url is not None and urlsplit(public_url).hostname:
        hosts.append(str(urlsplit(public_url).hostname))
    hosts += extra
    return tuple(dict.fromkeys(hosts))


def _lan_address() -> str:
    """This computer's address on its local network (the one its default route uses).

    :raises InputError: no network.
    """
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            # A UDP "connect" sends nothing; it only picks the outgoing interface. 192.0.2.1
            # is a documentation address (RFC 5737), never a real host.
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
        except OSError:
            address = ""
    if not address or address.startswith("127.") or address == "0.0.0.0":
        raise InputError(
            "option --lan: this computer has no local network address; allowed: join a "
            "network, or give --host ADDRESS"
        )
    return address


def _print_pairing(link: str) -> None:
    """The one-time pairing link and its QR code, on stderr (stdout stays for data)."""
    import segno

    sys.stderr.write(
        "calfcoach: serving on your local network. Pair your phone: scan this code with its "
        "camera, or open the link on it (it works once; other devices are refused):\n"
    )
    segno.make(link, error="m").terminal(out=sys.stderr, compact=True)
    sys.stderr.write(f"{link}\n(Ctrl+C stops)\n")


def _check_port_free(host: str, port: int) -> None:
    """:raises InputError: the address is taken or unknown (uvicorn would only log it)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise InputError(
            f"option --host: {host!r} is not an address of this computer; allowed: "
            "127.0.0.1, 0.0.0.0 or one of its addresses"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(
                f"option --port: cannot listen on {host}:{port} ({exc.strerror}); allowed: a "
                "free port, e.g. --port 8080"
            ) from None
