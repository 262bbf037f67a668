"""The input models of core.inputs for the services: their refusals become the
:class:`~calfcoach.errors.FieldError` every shell words (exit 2, HTTP 422)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from calfcoach.core.limits import CLIENT_CLOCK_AHEAD, DAYS_ALLOWED, FIRST_DAY, LAST_DAY
from calfcoach.errors import FieldError

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


def checked(model: type[M], **values: Any) -> M:
    """``model(**values)`` (a core.inputs model). :raises FieldError: a value not allowed."""
    from calfcoach.core.inputs import InvalidInput, validated

    try:
        return validated(model, **values)
    except InvalidInput as exc:
        raise FieldError(exc.field, exc.problem, exc.allowed) from None


def check_day(day: date, field: str = "date") -> date:
    """:raises FieldError: ``day`` is outside the calendar calfcoach keeps (1900–2100)."""
    # core.limits, not the pydantic models: reading a day must not import pydantic.
    if not FIRST_DAY <= day <= LAST_DAY:
        raise FieldError(field, f"{day} is out of range", DAYS_ALLOWED)
    return day


def refuse_future(day: date, today: date, field: str = "date") -> None:
    """:raises FieldError: ``day`` is outside the calendar, or after ``today`` (the athlete's
    local date, DOMAIN.md §6)."""
    check_day(day, field)
    if day > today:
        raise FieldError(field, f"{day} is after today ({today})", "today or an earlier date")


def check_client_time(
    moment: datetime, now: datetime, field: str = "client_updated_at"
) -> datetime:
    """``moment`` (a client's clock, with its UTC offset) in UTC.

    :raises FieldError: before the calendar calfcoach keeps, or more than CLIENT_CLOCK_AHEAD
        after ``now`` (the server's clock).
    """
    # Compared before converting: 9999-12-31T23:59-14:00 has no UTC time in Python's range.
    first = datetime.combine(FIRST_DAY, time(), tzinfo=UTC)
    latest = now.astimezone(UTC) + CLIENT_CLOCK_AHEAD
    if not first <= moment <= latest:
        hours = int(CLIENT_CLOCK_AHEAD.total_seconds() // 3600)
        raise FieldError(
            field,
            f"{moment.isoformat()} is out of range",
            f"a time with its UTC offset from {first:%Y-%m-%dT%H:%MZ} to "
            f"{latest:%Y-%m-%dT%H:%MZ} (the server's clock and {hours} hours of drift)",
        )
    return moment.astimezone(UTC)
