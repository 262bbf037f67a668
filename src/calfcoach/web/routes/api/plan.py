"""/api/v1/plan: the current plan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from calfcoach.services import diary_views
from calfcoach.web.deps import AthleteQuery, DatabaseDep, TodayDep

router = APIRouter()


@router.get("/plan")
def get_plan(db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None) -> dict[str, Any]:
    """The current plan (DESIGN.md's plan JSON), re-planned after every log and check-in."""
    return diary_views.plan_view(db, athlete, today).document
