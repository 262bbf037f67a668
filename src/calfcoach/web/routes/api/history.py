"""/api/v1/history: per exercise and session, the top set, e1RM and volume."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from calfcoach.core.limits import HISTORY_WEEKS
from calfcoach.services import progress
from calfcoach.web.deps import AthleteQuery, DatabaseDep, TodayDep

router = APIRouter()


@router.get("/history")
def get_history(
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
    exercise: Annotated[str | None, Query(max_length=100)] = None,
    weeks: Annotated[int | None, Query(ge=HISTORY_WEEKS.low, le=HISTORY_WEEKS.high)] = None,
) -> dict[str, Any]:
    """Per exercise and session: top set, estimated 1RM and volume; tests and check-ins
    (`calfcoach history --format json`)."""
    return progress.history(db, athlete, exercise, weeks, today).to_json()
