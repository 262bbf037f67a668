"""Which day "today" is for a request: the athlete's local date, the browser's for the web app
(DOMAIN.md §6: "the computer's time zone for the CLI, the browser's for the web app").

The page script keeps the browser's time zone in a cookie (``calfcoach_tz``, an IANA name such
as "Europe/Paris"); the server reads the day in that zone from its own clock. Without the
cookie (the first page, an API client with a token) it is the server's date, as before. A
trial's runner in Los Angeles saw Wednesday's session on Tuesday evening from a UTC server,
and a runner east of Greenwich could not log their own morning's sets ("after today").

Only real zone names are taken, so a cookie moves "today" no further than a zone does (UTC−12
to UTC+14), as the runner's own phone setting would.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request

ZONE_COOKIE = "calfcoach_tz"
# An IANA name: "UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5".
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]{0,30}(/[A-Za-z0-9_+\-]{1,30}){0,2}$")

BrowserClock = Callable[[tzinfo], date]


def browser_zone(raw: str | None) -> tzinfo | None:
    """The time zone a ``calfcoach_tz`` cookie names, or None (absent, or no zone's name)."""
    if not raw or not _ZONE_NAME.match(raw):
        return None
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def clock_of_environment() -> BrowserClock | None:
    """The browser's day from this machine's clock; None with CALFCOACH_TODAY, whose fixed
    day (tests, demos) every request keeps."""
    if os.environ.get("CALFCOACH_TODAY"):
        return None
    return lambda zone: datetime.now(zone).date()


def request_today(request: Request) -> date:
    """Today for this request: the browser's day where its zone is known, else the server's."""
    settings = request.app.state.settings
    clock: BrowserClock | None = settings.browser_clock
    zone = browser_zone(request.cookies.get(ZONE_COOKIE)) if clock is not None else None
    if clock is not None and zone is not None:
        return clock(zone)
    today: date = settings.today()
    return today
