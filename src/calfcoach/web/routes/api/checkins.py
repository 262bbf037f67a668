"""/api/v1/checkins: pain check-ins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from calfcoach.services import change_notes, checkins, diary_views
from calfcoach.web.auth import note_change
from calfcoach.web.deps import AthleteQuery, DatabaseDep, SameAccount, TodayDep
from calfcoach.web.schemas import CheckInCreate, CheckInOut, ErrorOut

router = APIRouter()


@router.get("/checkins", response_model=list[CheckInOut])
def list_checkins(db: DatabaseDep, athlete: AthleteQuery = None) -> list[CheckInOut]:
    """Every pain check-in, oldest first, with the zone it had on its day (DOMAIN.md §6) and
    why, where more than its pain numbers decided it."""
    return [
        CheckInOut.model_validate(
            {**checkins.checkin_dict(j.checkin), "zone": j.zone, "reasons": list(j.reasons)}
        )
        for j in diary_views.judged_checkins(db, athlete)
    ]


@router.post(
    "/checkins",
    response_model=CheckInOut,
    status_code=201,
    responses={
        409: {"model": ErrorOut, "description": "`X-Calfcoach-Account` is not who is signed in."}
    },
    dependencies=[SameAccount],
)
def create_checkin(
    request: Request,
    body: CheckInCreate,
    db: DatabaseDep,
    today: TodayDep,
    athlete: AthleteQuery = None,
) -> dict[str, Any]:
    """Record a training day's pain (during, the next morning, before) or a red flag; says
    the zone and how the next session changes (DOMAIN.md §6). A second check-in for a day
    updates the first (sending one twice stores it once); a date after today is refused
    (422)."""
    result = checkins.record_checkin(
        db,
        athlete,
        body.date,
        body.pain_during,
        body.pain_next_morning,
        today,
        pain_before=body.pain_before,
        red_flag=body.red_flag,
        cleared_by_clinician=body.cleared_by_clinician,
    )
    note_change(request, change_notes.checkin_saved(result.previous, result.checkin))
    return result.to_json()
