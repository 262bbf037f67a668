"""The athlete's private calendar feed (.ics). Authenticated by the token in its address
alone: calendar apps send no cookie (web.auth lets /calendar/ through), so nothing here may
read the session or the athlete query."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from calfcoach.errors import InputError
from calfcoach.services import exporting
from calfcoach.web.deps import DatabaseDep, TodayDep

router = APIRouter(include_in_schema=False)


@router.get("/calendar/{token}.ics")
def calendar_feed(
    # Any token that is not a live one is the same 404 (the service looks up only tokens of
    # a live feed's length): a malformed one said 422 and what a token looks like.
    token: str,
    db: DatabaseDep,
    today: TodayDep,
    at: Annotated[str | None, Query(alias="time", max_length=5)] = None,
    tz: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The athlete's private calendar feed; all-day events unless ?time=HH:MM (&tz=Zone)."""
    from datetime import time

    clock = None
    if at is not None:
        try:
            clock = time.fromisoformat(at)
        except ValueError:
            raise InputError(f"time: {at!r} is not a time; allowed: HH:MM", "time") from None
    zone = exporting.check_zone(tz) if tz else ("UTC" if clock else None)
    body = exporting.calendar_feed(db, token, exporting.CalendarOptions(None, clock, zone), today)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )
