"""The pain check-in page: today's pain (during, the next morning, before), a red flag, and
the last few check-ins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from calfcoach.services import change_notes, checkins, diary_views
from calfcoach.web.auth import note_change
from calfcoach.web.deps import AthleteQuery, CsrfChecked, DatabaseDep, TodayDep
from calfcoach.web.pages import DayForm, choose_athlete, optional_pain, page

router = APIRouter(include_in_schema=False)


@router.get("/checkin")
def checkin_form(
    request: Request, db: DatabaseDep, today: TodayDep, athlete: AthleteQuery = None
) -> HTMLResponse:
    name = choose_athlete(db, athlete, "/checkin")
    recent = diary_views.checkins(db, name)[-5:]
    return page(
        request,
        "checkin.html",
        athlete,
        today=today,
        recent=recent,
        result=None,
        title="Check-in",
    )


@router.post("/checkin", dependencies=[CsrfChecked])
def checkin_submit(
    request: Request,
    db: DatabaseDep,
    today: TodayDep,
    day: DayForm,
    pain_during: Annotated[int, Form()],
    pain_next_morning: Annotated[str, Form(max_length=20)] = "",  # (range: optional_pain)
    pain_before: Annotated[str, Form(max_length=20)] = "",
    red_flag: Annotated[str, Form(max_length=30)] = "",
    cleared_by_clinician: Annotated[str, Form(max_length=5)] = "",
    athlete: AthleteQuery = None,
) -> HTMLResponse:
    name = choose_athlete(db, athlete, "/checkin")
    result = checkins.record_checkin(
        db,
        name,
        day,
        pain_during,
        optional_pain("pain_next_morning", pain_next_morning),
        today,
        pain_before=optional_pain("pain_before", pain_before),
        red_flag=red_flag.strip() or None,
        cleared_by_clinician=bool(cleared_by_clinician.strip()),
    )
    note_change(request, change_notes.checkin_saved(result.previous, result.checkin))
    recent = diary_views.checkins(db, name)[-5:]
    return page(
        request,
        "checkin.html",
        athlete,
        today=today,
        recent=recent,
        result=result,
        title="Check-in",
    )
