"""The web app's "today" is the browser's date (DOMAIN.md §6), in Chromium against a server on
its own clock (no fixed CALFCOACH_TODAY): the first page, made for the server's day, reloads
once when the browser's day differs; from then on the server reads the browser's day."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.test_pages import first_run


def a_zone_on_another_day() -> str:
    """A zone whose date differs from UTC's now and for at least the next hour: UTC−11 until
    10:00 UTC (it is yesterday there until 11:00), UTC+14 from then on (tomorrow from 10:00)."""
    return "Pacific/Pago_Pago" if datetime.now(UTC).hour < 10 else "Pacific/Kiritimati"


def test_the_first_page_reloads_once_into_the_browsers_day(browser, server_on_the_clock) -> None:
    zone = a_zone_on_another_day()
    browsers_day = datetime.now(ZoneInfo(zone)).date().isoformat()
    servers_day = datetime.now(UTC).date().isoformat()
    assert browsers_day != servers_day  # the premise: else this test shows nothing

    context = browser.new_context(timezone_id=zone, service_workers="block")
    page = context.new_page()
    documents: list[str] = []
    page.on(
        "request",
        lambda sent: documents.append(sent.url) if sent.resource_type == "document" else None,
    )
    # Not waiting for the first page's load: its script may reload before that.
    page.goto(server_on_the_clock + "/setup", wait_until="commit")
    # Made for the server's day, the page keeps the zone and reloads into the browser's day.
    expect(page.locator("body")).to_have_attribute("data-today", browsers_day)
    page.wait_for_load_state("load")
    assert documents == [server_on_the_clock + "/setup"] * 2, documents
    # Nothing is left to reload for: the zone is kept and the page's day is the browser's.
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert cookies.get("calfcoach_tz") == zone

    first_run(page, server_on_the_clock, "Sina")
    page.goto(server_on_the_clock + "/checkin")
    day = page.locator("#checkin-date")
    expect(day).to_have_value(browsers_day)
    expect(day).to_have_attribute("max", browsers_day)
    assert not re.search(r"after today", page.content())
    context.close()
