"""/api/v1/today: a day of the plan with its logged sets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from calfcoach.core.inputs import Day
from calfcoach.services import diary_views
from calfcoach.web.deps import AthleteQuery, DatabaseDep, TodayDep

router = APIRouter()

DateQuery = Annotated[Day | None, Query(alias="date", description="YYYY-MM-DD; default today.")]


@router.get("/today")
def get_day(
    db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None, day: DateQuery = None
) -> dict[str, Any]:
    """A day of the plan with each exercise's logged sets (`calfcoach today --format json`)."""
    return diary_views.day_view(db, athlete, day or today).to_json()
