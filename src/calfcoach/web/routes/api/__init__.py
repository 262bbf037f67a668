"""The JSON API under /api/v1: everything the pages do, for other programs, one module a
resource. Each route validates its input with a pydantic model and calls one service; errors
are ``{"error": {"code", "message", "field"}}`` (see web.app)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from calfcoach.web.routes.api import (
    assessments,
    athletes,
    checkins,
    exercises,
    history,
    plan,
    sets,
    today,
)
from calfcoach.web.schemas import ErrorOut

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such athlete or logged set."},
    413: {"model": ErrorOut, "description": "Request body too large."},
    422: {"model": ErrorOut, "description": "Invalid input; `field` names it."},
    503: {"model": ErrorOut, "description": "The database is busy; try again."},
}
router = APIRouter(prefix="/api/v1", tags=["calfcoach"], responses=_ERRORS)
# In this order the OpenAPI document lists the paths as it always has.
for _resource in (athletes, plan, today, sets, checkins, assessments, history, exercises):
    router.include_router(_resource.router)
