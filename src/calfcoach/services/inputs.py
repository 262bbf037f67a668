"""The input models of core.inputs for the services: their refusals become the
:class:`~calfcoach.errors.FieldError` every shell words (exit 2, HTTP 422)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from calfcoach.core.limits import DAYS_ALLOWED, FIRST_DAY, LAST_DAY
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
