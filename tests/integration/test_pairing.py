"""serve --lan: a phone pairs once by the printed link; every other device is refused; this
computer needs no pairing; absolute links use the address the phone used or --public-url."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from calfcoach.services import athletes as athletes_service
from calfcoach.services import context
from calfcoach.web.app import WebSettings, create_app
from calfcoach.web.pairing import DEVICE_COOKIE, Pairing
from tests.conftest import ROOT, cli_path

TODAY = date(2026, 11, 30)
PHONE = ("192.168.1.23", 50000)


def lan_app(tmp_path: Path, public_url: str | None = None) -> tuple[Pairing, object]:
    database = context.open_database(f"sqlite:///{tmp_path / 'lan.sqlite'}")
    athletes_service.init_athlete(database, ROOT / "examples" / "profile.toml", TODAY, TODAY)
    pairing = Pairing()
    app = create_app(WebSettings(database, lambda: TODAY, pairing=pairing, public_url=public_url))
    return pairing, app


def test_an_unpaired_phone_is_refused_then_pairs_once(tmp_path: Path) -> None:
    pairing, app = lan_app(tmp_path)
    phone = TestClient(app, base_url="http://192.168.1.10:8000", client=PHONE)
    page = phone.get("/today", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/pair")
    assert phone.get("/api/v1/athletes").status_code == 401
    assert phone.get("/pair").status_code == 200
    assert phone.get("/pair/wrong-code", follow_redirects=False).status_code == 403
    paired = phone.get(f"/pair/{pairing.code}", follow_redirects=False)
    assert (paired.status_code, paired.headers["location"]) == (303, "/today")
    assert DEVICE_COOKIE in paired.cookies
    assert phone.get("/api/v1/athletes").json() == [{"name": "Sam"}]
    assert phone.get("/today").status_code == 200
    # The link works once: a second phone cannot use it.
    other = TestClient(app, base_url="http://192.168.1.10:8000", client=("192.168.1.99", 1))
    assert other.get(f"/pair/{pairing.code}", follow_redirects=False).status_code == 403
    assert other.get("/api/v1/athletes").status_code == 401
    forged = TestClient(app, client=("192.168.1.99", 1), cookies={DEVICE_COOKIE: "x.y"})
    assert forged.get("/api/v1/athletes").status_code == 401


def test_this_computer_needs_no_pairing(tmp_path: Path) -> None:
    _, app = lan_app(tmp_path)
    local = TestClient(app, client=("127.0.0.1", 50000))
    assert local.get("/api/v1/athletes").status_code == 200


def test_the_calendar_address_is_the_one_the_phone_used(tmp_path: Path) -> None:
    pairing, app = lan_app(tmp_path)
    phone = TestClient(app, base_url="http://192.168.1.10:8000", client=PHONE)
    phone.get(f"/pair/{pairing.code}")
    phone.get("/plan")  # the CSRF cookie
    token = phone.cookies.get("calfcoach_csrf")
    phone.post("/plan/calendar-link", data={"csrf_token": token})
    plan = phone.get("/plan").text
    assert "http://192.168.1.10:8000/calendar/" in plan
    assert "127.0.0.1" not in plan
    # A calendar app has no cookie: the feed stays reachable by its own token.
    feed = plan.split("http://192.168.1.10:8000")[1].split('"')[0]
    calendar = TestClient(app, client=("192.168.1.50", 1))
    assert calendar.get(feed).status_code == 200


def test_public_url_wins_for_absolute_links(tmp_path: Path) -> None:
    _, app = lan_app(tmp_path, public_url="https://calves.example.net")
    local = TestClient(app, client=("127.0.0.1", 1))
    local.get("/plan")
    local.post("/plan/calendar-link", data={"csrf_token": local.cookies.get("calfcoach_csrf")})
    assert "https://calves.example.net/calendar/" in local.get("/plan").text


def test_serve_lan_prints_a_pairing_link_and_its_qr_code(tmp_path: Path) -> None:
    from tests.e2e.conftest import free_port

    env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()}
    process = subprocess.Popen(
        [cli_path(), "serve", "--lan", "--port", str(free_port()), "--db", str(tmp_path / "a.db")],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            lines.append(line)
            if "/pair/" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=10)
    text = "".join(lines)
    if "no local network address" in text:  # a machine with no network: one line, exit 2
        assert process.returncode == 2 and text.count("\n") == 1, text
        return
    link = next(line for line in lines if "/pair/" in line).strip()
    assert link.startswith("http://") and "127.0.0.1" not in link
    assert "█" in text or "▀" in text  # the QR code, drawn in the terminal
    assert "Traceback" not in text
