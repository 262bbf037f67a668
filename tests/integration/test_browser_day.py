"""The web app's "today" is the browser's date (DOMAIN.md §6: "the computer's time zone for
the CLI, the browser's for the web app"): the page script keeps the browser's time zone in a
cookie and the server reads its day there. A trial's runner in Los Angeles saw Wednesday's
session on Tuesday evening from a UTC server; east of Greenwich a runner could not log their
own morning's sets ("after today")."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from calfcoach.services import athletes, context
from calfcoach.web.app import WebSettings, create_app
from calfcoach.web.clock import ZONE_COOKIE, browser_zone
from tests.conftest import ROOT

# 05:00 UTC on Wednesday 2 December: still Tuesday evening in Los Angeles.
NOW = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
SERVER_DAY = date(2026, 12, 2)


@pytest.fixture
def client(tmp_path: Path):
    database = context.open_database(f"sqlite:///{tmp_path / 'day.sqlite'}")
    athletes.init_athlete(
        database, ROOT / "examples" / "profile.toml", date(2026, 11, 30), date(2026, 11, 30)
    )
    settings = WebSettings(
        database, lambda: SERVER_DAY, browser_clock=lambda zone: NOW.astimezone(zone).date()
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _checkin_day(client: TestClient) -> str:
    page = client.get("/checkin").text
    found = re.search(r'id="checkin-date" name="date" type="date" value="([^"]+)" max="\1"', page)
    assert found, page
    return found.group(1)


def test_the_pages_day_is_the_browsers(client: TestClient) -> None:
    assert _checkin_day(client) == "2026-12-02"  # no zone known yet: the server's day
    client.cookies.set(ZONE_COOKIE, "America/Los_Angeles")
    assert _checkin_day(client) == "2026-12-01"
    assert 'data-today="2026-12-01"' in client.get("/week").text  # for the page script
    client.cookies.set(ZONE_COOKIE, "Asia/Tokyo")
    assert _checkin_day(client) == "2026-12-02"


def test_a_set_for_the_servers_day_is_after_today_in_los_angeles(client: TestClient) -> None:
    client.cookies.set(ZONE_COOKIE, "America/Los_Angeles")
    body = {"date": "2026-12-02", "exercise": "pogo-hops", "reps": 20}
    refused = client.post("/api/v1/sets", json=body)
    assert refused.status_code == 422, refused.text
    assert "after today" in refused.text
    body["date"] = "2026-12-01"
    assert client.post("/api/v1/sets", json=body).status_code == 201


@pytest.mark.parametrize(
    "raw", ["Mars/Olympus_Mons", "../../etc/passwd", "UTC; drop", "", "a" * 200, "Europe/Paris%00"]
)
def test_a_cookie_that_names_no_zone_leaves_the_servers_day(client: TestClient, raw: str) -> None:
    assert browser_zone(raw) is None
    client.cookies.set(ZONE_COOKIE, raw)
    assert _checkin_day(client) == "2026-12-02"


def test_a_fixed_day_is_kept_whatever_the_browser(tmp_path: Path) -> None:
    """CALFCOACH_TODAY (tests, demos) fixes the day for every request: no browser clock."""
    database = context.open_database(f"sqlite:///{tmp_path / 'fixed.sqlite'}")
    athletes.init_athlete(
        database, ROOT / "examples" / "profile.toml", date(2026, 11, 30), date(2026, 11, 30)
    )
    with TestClient(create_app(WebSettings(database, lambda: SERVER_DAY))) as fixed:
        fixed.cookies.set(ZONE_COOKIE, "America/Los_Angeles")
        assert _checkin_day(fixed) == "2026-12-02"
        assert "data-today" not in fixed.get("/week").text  # nothing for the script to reload
